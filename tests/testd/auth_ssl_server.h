/*
 * auth_ssl_server.h - the test daemon's half of the SSL method: what a
 * 25.x daemon does when the client picked SSL (auth-methods.md §2.3,
 * server branch; §2.4 for the identity it ends up with).
 *
 * Self-contained (no testd globals), so unit tests can include the .c.
 */
#ifndef TESTD_AUTH_SSL_SERVER_H
#define TESTD_AUTH_SSL_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "auth_ssl.h"
#include "cedar.h"
#include "err.h"

/* Longest authenticated name kept (HTCondor's subjectname[1024]). */
#define TESTD_SSL_NAME_MAX 1024
/* Certificate DN -> user map entries (a tiny CERTIFICATE_MAPFILE). */
#define TESTD_SSL_MAP_MAX 8

struct testd_ssl_map {
	const char *dn;  /* exact one-line subject, e.g. "/CN=alice" */
	const char *fqu; /* canonical user@domain it maps to */
};

struct testd_ssl_opts {
	const char *cert_file;   /* AUTH_SSL_SERVER_CERTFILE (required) */
	const char *key_file;    /* AUTH_SSL_SERVER_KEYFILE (NULL: in cert_file) */
	const char *ca_file;     /* AUTH_SSL_SERVER_CAFILE: CAs for client certs, or NULL */
	int require_client_cert; /* AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE */
	int version;             /* 0 (1.2 or 1.3), 12, 13 */
	struct testd_ssl_map map[TESTD_SSL_MAP_MAX];
	int nmap;
};

struct testd_ssl_peer {
	int has_cert;
	/* HTCondor's authenticated name: the client certificate's subject,
	 * or "unauthenticated" without one. */
	char name[TESTD_SSL_NAME_MAX];
	/* The FQU: a map entry for the DN, else user@unmapped with user
	 * "ssl" (certificate) or "unauthenticated" (none). */
	char fqu[TESTD_SSL_NAME_MAX];
	int mapped; /* fqu came from the map */
	char tls_version[16];
	/* The 256 bytes sent through TLS: the key a pre-9.9 daemon wraps
	 * its session key with (3DES-CFB64 under cedar_des3_key of it). */
	uint8_t key[AUTH_SSL_SESSION_KEY_LEN];
};

/*
 * Run the server side of SSL on c right after sending the method choice.
 * 0: authenticated (peer filled); -1: the method failed with the stream in
 * step (the client's next message is a new method bitmask); -2: the stream
 * is broken.  e says why.
 */
int testd_ssl_server(struct cedar *c, const struct testd_ssl_opts *o,
                     struct testd_ssl_peer *peer, struct err *e);

#endif
