/*
 * auth_ssl.h - HTCondor's SSL authentication method (auth-methods.md §2):
 * TLS records tunnelled through CEDAR messages.
 *
 * After the method handshake chose SSL (bit 256):
 *
 *   S->C  int server_status                         0 ready, -1 cannot
 *   C->S  int client_status
 *   then alternating data messages, client first:
 *         int status, int len, len bytes of TLS records
 *   until both sides report HOLDING (handshake done); then the server
 *   sends 256 random bytes through TLS (the key that wraps a pre-9.9
 *   server's session key), the client answers [HOLDING, 0].
 *
 * The client (auth_method_ssl) lives in auth_ssl.c; the framing below is
 * shared with the test daemon's server half (tests/testd/auth_ssl_server.c).
 */
#ifndef TOKENBOX_AUTH_SSL_H
#define TOKENBOX_AUTH_SSL_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "cedar.h"
#include "err.h"

/* Status values carried in every SSL message (condor_auth_ssl.h). */
enum {
	AUTH_SSL_ERROR = -1,    /* could not set up / failed locally */
	AUTH_SSL_A_OK = 0,      /* ready (status exchange) */
	AUTH_SSL_SENDING = 1,   /* TLS engine wants to write */
	AUTH_SSL_RECEIVING = 2, /* TLS engine wants peer bytes */
	AUTH_SSL_QUITTING = 3,  /* abort */
	AUTH_SSL_HOLDING = 4    /* this phase is done on this side */
};

/* ---- bounds ------------------------------------------------------------ */

/* TLS bytes accepted in one message, and buffered unread at any time
 * (HTCondor's AUTH_SSL_BUF_SIZE; a larger len is a protocol error). */
#define AUTH_SSL_BUF_SIZE 1048576
/* Our own TLS output between two messages (a flight: hello, certificate
 * chain, finished).  Sized so a whole flight goes out as one CEDAR packet
 * (servers in SEC_USE_LOW_DATA_MODE refuse multi-packet messages before
 * authentication). */
#define AUTH_SSL_OUT_MAX (CEDAR_SEND_CHUNK_MAX - 16)
/* Random key the server sends through TLS after the handshake. */
#define AUTH_SSL_SESSION_KEY_LEN 256
/* Message rounds of the key phase (HTCondor's limit). */
#define AUTH_SSL_KEY_ROUNDS_MAX 256
/* Message rounds of the handshake phase.  HTCondor has no limit; real
 * handshakes need 4 (TLS 1.3) or 5 (TLS 1.2) rounds. */
#define AUTH_SSL_HANDSHAKE_ROUNDS_MAX 32
/* Longest host name checked against the server certificate. */
#define AUTH_SSL_HOST_MAX 256

/* ---- message framing (both roles) -------------------------------------- */

/*
 * The memory "BIO pair" between a TLS engine and CEDAR: TLS output
 * collects in out until the next data message; received TLS bytes are
 * appended to in, which the engine drains.  About 1.1 MiB: static storage.
 */
struct auth_ssl_io {
	struct cedar *c;
	size_t out_len;
	int out_overflow; /* the engine produced more than AUTH_SSL_OUT_MAX */
	size_t in_pos, in_len;
	uint8_t out[AUTH_SSL_OUT_MAX];
	uint8_t in[AUTH_SSL_BUF_SIZE];
};

void auth_ssl_io_init(struct auth_ssl_io *io, struct cedar *c);
/* crypto_tls_send_fn / crypto_tls_recv_fn over io (user = io). */
long auth_ssl_io_send(void *user, const uint8_t *buf, size_t n);
long auth_ssl_io_recv(void *user, uint8_t *buf, size_t n);

/* int status, EOM. */
int auth_ssl_send_status(struct cedar *c, int status, struct err *e);
int auth_ssl_recv_status(struct cedar *c, int *status, struct err *e);
/* [status, len, pending TLS output] EOM; the output is then discarded.
 * Fails (SSL error naming AUTH_SSL_OUT_MAX) if the engine overflowed. */
int auth_ssl_send_data(struct auth_ssl_io *io, int status, struct err *e);
/* [status, 0] EOM, dropping any pending output (aborts). */
int auth_ssl_send_empty(struct auth_ssl_io *io, int status, struct err *e);
/* Read [status, len, bytes] and append the bytes to the input.  len must
 * be 0..AUTH_SSL_BUF_SIZE and fit next to unread input.  A status outside
 * the int range reads as AUTH_SSL_ERROR.  0, or -1: the stream is broken. */
int auth_ssl_recv_data(struct auth_ssl_io *io, int *status, struct err *e);

/* ---- helpers exposed for tests ------------------------------------------ */

/*
 * The name the server certificate must carry: the alias= parameter of the
 * sinful used to connect, else its host part when that is a name rather
 * than an IP literal (HTCondor sets the alias to the name the user gave).
 * 1 found, 0 none (bare IP: HTCondor fails "No SSL host name specified"),
 * -1 longer than AUTH_SSL_HOST_MAX - 1 or malformed.
 */
int auth_ssl_expected_host(const char *sinful, char *out, size_t cap);

extern const struct auth_method auth_method_ssl;

#endif
