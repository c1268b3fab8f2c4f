/*
 * testd.h - the test daemon: configuration, the security session cache and
 * the per-connection state shared by the handshake (server.c), the
 * authentication methods (auth_fs.c, auth_token.c) and the commands
 * (cmds.c).  The command line is documented in main.c.
 */
#ifndef TESTD_TESTD_H
#define TESTD_TESTD_H

#include <stddef.h>
#include <stdint.h>

#include "cedar.h"
#include "err.h"
#include "jwt.h"
#include "tad.h"
#include "tokreq.h"

/* Cached security sessions (resumption). */
#define TESTD_SESSIONS_MAX 256
/* Identity, path and list strings. */
#define TESTD_STR_MAX 512

/* Authorisation levels (HTCondor DCpermission subset). */
#define TESTD_DC_SEC_QUERY 60040

enum testd_perm { PERM_ALLOW = 0, PERM_READ, PERM_WRITE, PERM_ADMINISTRATOR, PERM_DAEMON };

/* Four-valued security preferences. */
enum testd_req { SEC_NEVER = 0, SEC_OPTIONAL, SEC_PREFERRED, SEC_REQUIRED };

/* Method bits on the wire. */
#define AUTH_CLAIMTOBE 2
#define AUTH_FS 4
#define AUTH_ANONYMOUS 128
#define AUTH_SSL 256
#define AUTH_TOKEN 2048

struct testd_cfg {
	const char *name;          /* daemon Name, e.g. "testpool@host" */
	const char *type;          /* "collector" or "schedd" */
	const char *host;          /* host name (sessions ids, alias) */
	const char *version;       /* $CondorVersion: ... $ */
	const char *platform;      /* $CondorPlatform: ... $ */
	const char *trust_domain;
	const char *uid_domain;
	const char *methods;       /* server's method list, e.g. "FS,TOKEN" */
	const char *fs_dir;        /* FS_LOCAL_DIR (default /tmp) */
	const char *fs_root_to;    /* FS_ROOT_TO_CONDOR target ("" = off) */
	const char *shared_port_id;/* if set, accept SHARED_PORT_CONNECT to this id */
	const char *admin;         /* ALLOW_ADMINISTRATOR */
	enum testd_req auth[5], enc[5], integ[5]; /* per perm */
	int64_t session_duration;
	int64_t session_lease;
	unsigned port;             /* the port we listen on */
	const char *crypto_methods;/* SEC_DEFAULT_CRYPTO_METHODS, server order */
	int legacy;                /* behave like 9.0-9.8 (legacy.c) */
	const char *hostile;       /* -hostile CASE: misbehave after the handshake (cmds.c) */
	const char *keylog;        /* -keylog FILE: session keys and ECDH secrets, in hex,
	                              for tests that look for them in the client's output */
	struct testd_key key;
	struct tokreq_cfg tok;
};

struct testd_session {
	int used;
	char sid[128];
	uint8_t key[32];
	int64_t expiry;
	char fqu[TESTD_STR_MAX];
	int mapped;
	char method[16];
	int bounded;
	char authz[TESTD_STR_MAX];
	int64_t token_exp;
	enum testd_perm perm; /* permission the session was made for */
	int crypto;           /* TESTD_CRYPTO_*: AES-GCM or legacy 3DES */
	size_t key_len;
	int enc, integ;       /* 3DES: the negotiated modes */
};

/* What the handshake established for one connection. */
struct testd_conn {
	struct cedar *c;
	int64_t cmd;
	char peer_ip[64];
	char client_version[256];
	char connect_sinful[TESTD_STR_MAX];
	char sock_id[256];         /* from SHARED_PORT_CONNECT, or "" */
	int tried_auth;
	char fqu[TESTD_STR_MAX];
	int mapped;
	char method[16];
	int bounded;
	char authz[TESTD_STR_MAX];
	int64_t token_exp;
	int encrypted;
	uint8_t wrap_key[32];      /* method key wrapping a 9.x K2 key (TOKEN's W) */
	int have_wrap_key;
};

/* Global daemon state (one process, one connection at a time). */
extern struct testd_cfg testd;
extern struct tokreq_store testd_store;
extern struct testd_session testd_sessions[TESTD_SESSIONS_MAX];

/* Crypto methods (HTCondor's Protocol numbers). */
#define TESTD_CRYPTO_NONE 0
#define TESTD_CRYPTO_BLOWFISH 1
#define TESTD_CRYPTO_3DES 2
#define TESTD_CRYPTO_AES 3

/* legacy.c: the pieces of a 9.0-9.8 daemon (and of 3DES sessions).
 * The first runnable-or-not method of a reconciled list, by name. */
int testd_crypto_pick(const char *list);
const char *testd_crypto_name(int proto);
/* K1 = 1 and K2: a fresh random key for proto (32 bytes AES, 24 3DES)
 * sent wrapped as the method k->method wraps it; the key is left in
 * key/len.  0, or -1 (connection unusable). */
int testd_legacy_send_key(struct testd_conn *k, int proto, uint8_t key[32], size_t *len,
                          struct err *e);
/* Turn the session's crypto on: AES-GCM, or 3DES-CFB with enc/integ. */
int testd_crypto_start(struct testd_conn *k, int proto, const uint8_t *key, size_t len,
                       int enc, int integ, struct err *e);

/* server.c: run one accepted connection to its end. */
void testd_serve(int handle, const char *peer_ip, unsigned peer_port);
/* Permission of a registered command; -1 if not registered. */
int testd_cmd_perm(int64_t cmd, int *force_auth);
/* Log the names of ad's attributes in the order they go out (the tests
 * compare it with the real daemons' bytes). */
void testd_log_ad(const char *what, const struct tad *ad);
/* hostile.c: is -hostile CASE on; a tampering transport for the gcm-*
 * cases (armed when the command's reply starts); send what it holds. */
int testd_hostile(const char *name);
void testd_hostile_transport(struct cedar *c, int handle);
void testd_hostile_arm(void);
void testd_hostile_flush(void);
/* Append "WHAT HEX" to the -keylog file (nothing without -keylog). */
void testd_keylog(const char *what, const uint8_t *key, size_t n);
void testd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* auth_fs.c / auth_token.c: run the method as server; 0 success (conn
 * identity filled), -1 method failed (the loop continues), -2 connection
 * broken. */
int testd_auth_fs(struct testd_conn *k, struct err *e);
int testd_auth_token(struct testd_conn *k, struct err *e);

/* cmds.c: execute the command after a successful handshake. */
void testd_exec(struct testd_conn *k);
/* The tokreq view of the connection's peer. */
void testd_peer(const struct testd_conn *k, struct tokreq_peer *p);

/* RemoteVersion of the client >= a.b.c */
int testd_client_version_at_least(const struct testd_conn *k, int a, int b, int c);

/* The sinful string of this daemon (with sock= in shared-port mode). */
void testd_sinful(char *out, size_t cap);

#endif
