/*
 * secman.h - starting a command: HTCondor's DC_AUTHENTICATE handshake,
 * client side, plus the pieces a server needs too.
 *
 * sec_start_command() connects nothing itself: given a connected CEDAR
 * stream it either resumes a cached session (short M1, optional resume
 * reply, AES-GCM with the cached key) or negotiates a new one:
 *
 *   M1  -> int 60010, client policy ad           (plaintext, one packet)
 *   M2  <- server reply ad (Enact = "YES")
 *   [authentication: method bitmask / choice, method messages, hasKey]
 *   ECDH P-256 -> HKDF-SHA256 session key, AES-256-GCM on
 *     (9.0-9.8 servers ignore our ECDH key: the session key then comes
 *     in the key message after authentication, wrapped by the method, and
 *     the session is AES-GCM or 3DES-CFB (+ MD5 MAC), cedar_legacy.c)
 *   P1  <- post-auth ad (Sid, ValidCommands, User, ReturnCode)
 *
 * and returns with the stream ready for the command's own payload.  A
 * server refuses by closing the connection; the errors then read like
 * HTCondor's (SECMAN:2011 "... Probably due to an unknown command.",
 * AUTHENTICATE:1003 "Failed to authenticate with any method", ...).
 *
 * Policy values come from struct sec_policy, which the config module fills
 * (sec_policy_defaults() = a stock 25.x tool with no configuration).
 */
#ifndef TOKENBOX_SECMAN_H
#define TOKENBOX_SECMAN_H

#include <stddef.h>
#include <stdint.h>

#include "cedar.h"
#include "err.h"
#include "secad.h"
#include "tokens.h"

/* ---- names and numbers shared by client and server -------------------- */

#define SEC_ATTR_AUTH_METHODS "AuthMethods"
#define SEC_ATTR_AUTH_METHODS_LIST "AuthMethodsList"
#define SEC_ATTR_AUTHENTICATION "Authentication"
#define SEC_ATTR_AUTHENTICATION_NEW "AuthenticationNew"
#define SEC_ATTR_AUTH_REQUIRED "AuthRequired"
#define SEC_ATTR_COMMAND "Command"
#define SEC_ATTR_AUTH_COMMAND "AuthCommand"
#define SEC_ATTR_CONNECT_SINFUL "ConnectSinful"
#define SEC_ATTR_CRYPTO_METHODS "CryptoMethods"
#define SEC_ATTR_CRYPTO_METHODS_LIST "CryptoMethodsList"
#define SEC_ATTR_ECDH_PUBLIC_KEY "ECDHPublicKey"
#define SEC_ATTR_ENACT "Enact"
#define SEC_ATTR_ENCRYPTION "Encryption"
#define SEC_ATTR_INTEGRITY "Integrity"
#define SEC_ATTR_ISSUER_KEYS "IssuerKeys"
#define SEC_ATTR_NEGOTIATED_SESSION "NegotiatedSession"
#define SEC_ATTR_NEW_SESSION "NewSession"
#define SEC_ATTR_NONCE "Nonce"
#define SEC_ATTR_OUTGOING_NEGOTIATION "OutgoingNegotiation"
#define SEC_ATTR_PARENT_UNIQUE_ID "ParentUniqueID"
#define SEC_ATTR_REMOTE_VERSION "RemoteVersion"
#define SEC_ATTR_RESUME_RESPONSE "ResumeResponse"
#define SEC_ATTR_RETURN_CODE "ReturnCode"
#define SEC_ATTR_SERVER_PID "ServerPid"
#define SEC_ATTR_SESSION_DURATION "SessionDuration"
#define SEC_ATTR_SESSION_LEASE "SessionLease"
#define SEC_ATTR_SID "Sid"
#define SEC_ATTR_SUBSYSTEM "Subsystem"
#define SEC_ATTR_TRIED_AUTHENTICATION "TriedAuthentication"
#define SEC_ATTR_TRUST_DOMAIN "TrustDomain"
#define SEC_ATTR_USE_SESSION "UseSession"
#define SEC_ATTR_USER "User"
#define SEC_ATTR_VALID_COMMANDS "ValidCommands"
#define SEC_ATTR_LIMIT_AUTHORIZATION "LimitAuthorization"

/* Authentication method bits (condor_auth.h). */
enum {
	SEC_AUTH_NONE = 0,
	SEC_AUTH_CLAIMTOBE = 2,
	SEC_AUTH_FS = 4,
	SEC_AUTH_FS_REMOTE = 8,
	SEC_AUTH_KERBEROS = 64,
	SEC_AUTH_ANONYMOUS = 128,
	SEC_AUTH_SSL = 256,
	SEC_AUTH_PASSWORD = 512,
	SEC_AUTH_MUNGE = 1024,
	SEC_AUTH_TOKEN = 2048,
	SEC_AUTH_SCITOKENS = 4096
};

/* Method name (any HTCondor spelling, case-insensitive) -> bit, 0 unknown. */
int sec_auth_bit(const char *name);
/* Bit -> the name HTCondor puts on the wire ("TOKEN" for IDTOKENS). */
const char *sec_auth_name(int bit);

/* Crypto methods: HTCondor's Protocol enum, the protocol number in a
 * server-sent (K2) session key.  BLOWFISH is never run (Mbed TLS 3.6 has
 * no Blowfish), so it is never offered. */
enum { SEC_CRYPTO_NONE = 0, SEC_CRYPTO_BLOWFISH = 1, SEC_CRYPTO_3DES = 2, SEC_CRYPTO_AES = 3 };
/* Largest wrapped session key accepted in K2 (HTCondor sends 24 or 32). */
#define SEC_K2_WRAPPED_MAX 256

/* HTCondor's error codes (condor_error_codes.h). */
enum {
	SEC_ERR_AUTH_OUT_OF_METHODS = 1003, /* AUTHENTICATE */
	SEC_ERR_AUTH_METHOD_FAILED = 1004,  /* AUTHENTICATE */
	SEC_ERR_AUTH_KEYEXCHANGE = 1005,    /* AUTHENTICATE */
	SEC_ERR_AUTH_TIMEOUT = 1006,        /* AUTHENTICATE */
	SEC_ERR_INTERNAL = 2001,
	SEC_ERR_INVALID_POLICY = 2002,
	SEC_ERR_NO_SESSION = 2004,
	SEC_ERR_ATTRIBUTE_MISSING = 2005,
	SEC_ERR_NO_KEY = 2006,
	SEC_ERR_COMMUNICATIONS = 2007,
	SEC_ERR_AUTHENTICATION_FAILED = 2008,
	SEC_ERR_AUTHORIZATION_FAILED = 2010,
	SEC_ERR_COMMAND_NOT_REGISTERED = 2011
};

/* Four-valued preferences, ordered so that max() is "stronger". */
enum sec_req { SEC_REQ_NEVER = 0, SEC_REQ_OPTIONAL, SEC_REQ_PREFERRED, SEC_REQ_REQUIRED };
/* 1 if this client can run the method (FS, TOKEN, SSL, CLAIMTOBE). */
int sec_auth_supported(int bit);
/* 1 if tokenbox has the method but this build left it out
 * (TOKENBOX_METHODS). */
int sec_auth_left_out(int bit);
const char *sec_req_name(enum sec_req r);
/* HTCondor reads only the first letter: R/Y/T required, P preferred,
 * O optional, F/N never.  -1 if unrecognised. */
int sec_req_parse(const char *s);
/* YES/NO/FAIL feature answers: 1 yes, 0 no, -1 anything else. */
int sec_yes(const char *s);

/* ---- policy ------------------------------------------------------------ */

#define SEC_MAX_METHODS 8
#define SEC_STR_MAX 256
#define SEC_PATH_MAX 1024
#define SEC_VERSION_MAX 128

struct sec_policy {
	int methods[SEC_MAX_METHODS]; /* method bits in preference order */
	int nmethods;
	char left_out[SEC_STR_MAX];   /* configured methods this build left out ("" = none) */
	enum sec_req authentication, encryption, integrity, negotiation;
	char crypto_methods[SEC_STR_MAX]; /* offered (AES and 3DES run; BLOWFISH is dropped) */
	char trust_domain[SEC_STR_MAX];   /* our TRUST_DOMAIN ("" = omit) */
	char issuer_keys[SEC_STR_MAX];    /* signing keys we can read ("" = omit) */
	char version[SEC_VERSION_MAX];    /* "$CondorVersion: X.Y.Z date ... $" */
	char subsystem[32];               /* "TOOL" */
	int session_duration;             /* seconds, sent as a string */
	int session_lease;                /* seconds */
	int auth_timeout_ms;              /* whole authentication loop; 0 = none */
	/* TOKEN */
	char token_dir[SEC_PATH_MAX];        /* SEC_TOKEN_DIRECTORY ("" = unset) */
	char token_system_dir[SEC_PATH_MAX]; /* SEC_TOKEN_SYSTEM_DIRECTORY */
	const char *explicit_token;          /* tried before any file, or NULL */
	/* CLAIMTOBE */
	char claimtobe_user[SEC_STR_MAX]; /* SEC_CLAIMTOBE_USER ("" = our user name) */
	int claimtobe_include_domain;     /* SEC_CLAIMTOBE_INCLUDE_DOMAIN (default true) */
	char uid_domain[SEC_STR_MAX];     /* UID_DOMAIN ("" = unset) */
	/* FS */
	int fs_enforce_channel_binding; /* SEC_FS_ENFORCE_CHANNEL_BINDING */
	int have_condor_ids;            /* root creates the FS dir as this user */
	uint32_t condor_uid, condor_gid;
	/* informational */
	char parent_id[SEC_STR_MAX]; /* CONDOR_PARENT_ID ("" = omit) */
	/* SSL (sec_policy_ssl_from_config).  Zero means HTCondor's default,
	 * hence the negated names.  Lists stay as configured (comma
	 * separated); auth_ssl.c picks the entries at authentication time,
	 * as HTCondor does. */
	char ssl_ca_files[SEC_PATH_MAX];   /* AUTH_SSL_CLIENT_CAFILE (last readable entry used) */
	char ssl_ca_dir[SEC_PATH_MAX];     /* AUTH_SSL_CLIENT_CADIR */
	char ssl_cert_files[SEC_PATH_MAX]; /* AUTH_SSL_CLIENT_CERTFILE, or X509_USER_PROXY */
	char ssl_key_files[SEC_PATH_MAX];  /* AUTH_SSL_CLIENT_KEYFILE, paired with the above */
	int ssl_no_default_cas;            /* !AUTH_SSL_CLIENT_USE_DEFAULT_CAS */
	int ssl_require_client_cert;       /* AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE */
	int ssl_skip_host_check;           /* SSL_SKIP_HOST_CHECK */
	int ssl_bootstrap_trust;           /* BOOTSTRAP_SSL_SERVER_TRUST */
	char ssl_system_ca_file[SEC_PATH_MAX]; /* system bundle for default CAs ("" = probe) */
	/* TOKEN self-minting (token_mint.h): where this host keeps signing
	 * keys.  Empty = unset (no self-minting). */
	char password_dir[SEC_PATH_MAX];  /* SEC_PASSWORD_DIRECTORY */
	char pool_key_file[SEC_PATH_MAX]; /* SEC_TOKEN_POOL_SIGNING_KEY_FILE */
	int pool_key_is_password;         /* SEC_TOKEN_POOL_SIGNING_KEY_IS_PASSWORD */
	/* SSL server trust bootstrapping (known_hosts) */
	char ssl_known_hosts[SEC_PATH_MAX];        /* SEC_KNOWN_HOSTS ("" = unset) */
	char ssl_system_known_hosts[SEC_PATH_MAX]; /* SEC_SYSTEM_KNOWN_HOSTS */
	int ssl_no_prompt_user;                    /* !BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER */
};

/* A 25.x tool with no configuration: methods FS,TOKEN; all three
 * preferences OPTIONAL, negotiation PREFERRED; crypto "AES,3DES" (AES first:
 * every server that can do AES-GCM picks it; 3DES only for servers
 * configured without AES); duration 60,
 * lease 3600; subsystem TOOL; channel binding enforced; condor ids looked
 * up from the "condor" account when running as root. */
void sec_policy_defaults(struct sec_policy *p);

/* The wire values derived from a policy (FillInSecurityPolicyAd rules):
 * Authentication raised to >= Encryption, Integrity; negotiation raised to
 * >= all three; AuthenticationNew = configured authentication (NEVER when
 * no methods).  -1 with SECMAN:2002 if the combination is impossible. */
struct sec_effective {
	enum sec_req authentication, authentication_new, encryption, integrity, negotiation;
};
int sec_policy_effective(const struct sec_policy *p, int nmethods_usable,
                         struct sec_effective *out, struct err *e);

/* ---- sessions ---------------------------------------------------------- */

#define SEC_SESSION_MAX 8
#define SEC_SID_MAX 256
#define SEC_SINFUL_MAX 512
#define SEC_CMDS_MAX 512 /* ValidCommands entries kept per session */

struct sec_session {
	int used;
	char sid[SEC_SID_MAX];
	char sinful[SEC_SINFUL_MAX];     /* the address the session was made with */
	uint8_t key[CEDAR_KEY_LEN];
	int64_t expires;                 /* port_time_now() seconds; 0 = never */
	int32_t cmds[SEC_CMDS_MAX];
	int ncmds;
	char server_version[SEC_VERSION_MAX];
	char user[SEC_STR_MAX];          /* how the server sees us (P1 User) */
	char method[16];                 /* authentication method used, or "" */
	/* legacy sessions (3DES; see cedar_legacy_on); 0 = AES-GCM */
	int crypto;                      /* SEC_CRYPTO_* */
	size_t key_len;                  /* bytes of key used (AES: 32) */
	int encrypt, integrity;          /* the server's Encryption/Integrity */
};

struct sec_session_cache {
	struct sec_session s[SEC_SESSION_MAX];
};

void sec_cache_init(struct sec_session_cache *c);
/* Wipe every key. */
void sec_cache_clear(struct sec_session_cache *c);
/* The live session for (sinful, cmd), or NULL. */
struct sec_session *sec_cache_lookup(struct sec_session_cache *c, const char *sinful,
                                     int cmd, int64_t now);

/* ---- starting a command -------------------------------------------------- */

struct sec_target {
	const char *sinful;  /* "<127.0.0.1:9618?...>" used to connect (ConnectSinful) */
	const char *sock_id; /* shared-port id of the target, or NULL */
	int auth_command;    /* DC_SEC_QUERY (condor_ping): the command whose
	                        authorization is asked about (AuthCommand); 0 = none */
};

/* What happened, for the caller's messages and traces. */
struct sec_result {
	int resumed;
	int authenticated;
	char method[16];           /* "FS", "TOKEN", or "" */
	char user[SEC_STR_MAX];    /* P1 User, or the cached one */
	char sid[SEC_SID_MAX];
	int encrypted;
	/* a new session's terms, as the server answered them (condor_ping) */
	int encryption, integrity;              /* Encryption / Integrity YES */
	char crypto[16];                        /* the cipher used ("AES", "3DES"), or "" */
	char methods_list[SEC_STR_MAX];         /* the server's AuthMethodsList */
	char server_version[SEC_VERSION_MAX];   /* RemoteVersion */
};

/* Work area of one sec_start_command: caller-owned (about 100 KB, give it
 * static storage); reused across calls. */
struct sec_client {
	struct secad m1, m2, p1;
	struct token_choice token;
	uint8_t ecdh_priv[32], ecdh_pub[65];
};

/*
 * Start command `cmd` on the connected stream c.  cache may be NULL (no
 * reuse).  On success the stream is positioned for the command payload
 * (encrypted when a key was agreed).  On failure e says why and c must be
 * closed.
 */
int sec_start_command(struct cedar *c, const struct sec_policy *p,
                      struct sec_session_cache *cache, const struct sec_target *t,
                      int cmd, struct sec_client *w, struct sec_result *res,
                      struct err *e);

/* ---- building blocks (also used by tests and the test daemon) ---------- */

/* The full client policy ad for a new session (attributes in HTCondor's
 * wire order).  ecdh_pub_b64 may be NULL (then no ECDHPublicKey). */
int sec_build_client_ad(const struct sec_policy *p, const int *methods, int nmethods,
                        int cmd, const char *sinful, const char *ecdh_pub_b64,
                        long pid, struct secad *ad, struct err *e);
/* The resume ad (projection, alphabetical); nonce_b64 = base64 of 33 random
 * bytes. */
int sec_build_resume_ad(const struct sec_policy *p, const struct sec_session *s, int cmd,
                        const char *sinful, const char *nonce_b64, int resume_response,
                        struct secad *ad, struct err *e);
/* session key = HKDF-SHA256(ECDH secret, salt "htcondor", info "keygen"). */
int sec_session_key_from_secret(const uint8_t secret[32], uint8_t key[CEDAR_KEY_LEN]);
/* ECDH with our private key and the peer's base64 public point. */
int sec_session_key_from_ecdh(const uint8_t priv[32], const char *peer_pub_b64,
                              uint8_t key[CEDAR_KEY_LEN], struct err *e);
/* base64 of a 65-byte P-256 point. */
int sec_encode_pubkey(const uint8_t pub[65], char *out, size_t cap);
/* "$CondorVersion: 25.14.0 ..." -> 1 if at least major.minor.sub. */
int sec_version_at_least(const char *version, int major, int minor, int sub);

#endif
