/*
 * token_mint.h - signing IDTOKENS with a pool signing key held locally.
 *
 * A tool running on a host that holds one of the server's signing keys
 * (typically root on the central manager) needs no token file: like
 * HTCondor's TOKEN client (Condor_Auth_Passwd::fetchLogin) it mints itself
 * a 60-second token in memory and presents that.  Conditions, all needed:
 * no usable token was found, the server's TrustDomain equals our own
 * TRUST_DOMAIN, and one of the server's IssuerKeys can be read here.  The
 * subject is "condor@password" for servers from 23.9.0 on, else
 * "condor_pool@" (empty domain, as HTCondor writes it).
 *
 * Where keys live: key id POOL is SEC_TOKEN_POOL_SIGNING_KEY_FILE; any
 * other id is the file of that name in SEC_PASSWORD_DIRECTORY.  A key file
 * is used only if it is a regular file owned by the real uid with no
 * group/other permission bits (HTCondor's read_secure_file), is not empty
 * and is at most TOKEN_MINT_KEY_FILE_MAX bytes; otherwise it is skipped and
 * -debug says why.  Key ids from the server that could leave the directory
 * ('/' inside, leading '.') or that the default LOCAL_CONFIG_DIR_EXCLUDE_-
 * REGEXP excludes are refused before any file is opened.
 *
 * The signing key: file bytes XOR repeating DE AD BE EF; the POOL key is
 * then doubled (key || key; with SEC_TOKEN_POOL_SIGNING_KEY_IS_PASSWORD
 * first cut at the first NUL byte, before and after the XOR); HMAC key =
 * HKDF-SHA256(IKM = that, salt "htcondor", info "master jwt", 32 bytes).
 *
 * Token layout (Condor_Auth_Passwd::generate_token): header
 * {"alg":"HS256","kid":"<id>"}, claims in alphabetical order
 * {"exp":iat+lifetime,"iat":now,"iss":TRUST_DOMAIN,"jti":<32 hex>,
 * "sub":<identity>}, JSON strings escaped as HTCondor's JSON writer does,
 * base64url without padding, HS256 signature.
 *
 * No allocation; keys are wiped after use.  Traces name the key id and the
 * file, never the key or a signature.
 */
#ifndef TOKENBOX_TOKEN_MINT_H
#define TOKENBOX_TOKEN_MINT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "tokens.h"

/* Largest signing key file used (HTCondor writes 64..256 bytes). */
#define TOKEN_MINT_KEY_FILE_MAX 4096
/* Longest key id (a file name). */
#define TOKEN_MINT_KEY_NAME_MAX 256
/* Lifetime of a self-minted token, seconds (fetchLogin). */
#define TOKEN_MINT_LIFETIME 60
/* Identities a self-minted token carries. */
#define TOKEN_MINT_SUB "condor@password"
#define TOKEN_MINT_SUB_PRE_23_9 "condor_pool@"

/* Where this host keeps signing keys (from the configuration). */
struct token_mint_keys {
	const char *password_dir;  /* SEC_PASSWORD_DIRECTORY, or NULL/"" */
	const char *pool_key_file; /* SEC_TOKEN_POOL_SIGNING_KEY_FILE, or NULL/"" */
	int pool_key_is_password;  /* SEC_TOKEN_POOL_SIGNING_KEY_IS_PASSWORD */
	uint32_t uid;              /* required owner of key files: the real uid */
};

/* A derived signing key. */
struct token_mint_key {
	char name[TOKEN_MINT_KEY_NAME_MAX]; /* the key id, used as "kid" */
	uint8_t jwt_key[32];                /* HMAC-SHA256 key */
};

/* Derive the HMAC key from the key file's bytes.  pool: POOL rules
 * (doubling; is_password: cut at the first NUL).  0, or -1 when the result
 * would be empty or HKDF failed (why says which). */
int token_mint_key_derive(struct token_mint_key *k, const char *name, int pool, int is_password,
                          const uint8_t *file, size_t n, char *why, size_t whylen);

/* The file that holds key id `name`: the POOL key's knob, else the file of
 * that name in SEC_PASSWORD_DIRECTORY.  0, or -1 with why (knob unset, an
 * id that could leave the directory, a path over TOKENS_PATH_MAX). */
int token_mint_key_path(const struct token_mint_keys *kc, const char *name, char *path,
                        size_t cap, char *why, size_t whylen);

/* Find, check and derive key id `name`.  1 loaded, 0 not usable (why
 * says why: no such file, owner, mode, empty, over the bound, bad id). */
int token_mint_key_load(const struct token_mint_keys *kc, const char *name,
                        struct token_mint_key *k, char *why, size_t whylen);

/* The ids of the keys that load, sorted, joined with ", " (how HTCondor
 * lists IssuerKeys).  Returns the count (0: none), or -1 when the list does
 * not fit cap (out is then ""). */
int token_mint_key_names(const struct token_mint_keys *kc, char *out, size_t cap);

struct token_mint_claims {
	const char *sub;  /* identity (required) */
	const char *iss;  /* TRUST_DOMAIN: non-empty, no space, comma or tab */
	int64_t iat;      /* issue time */
	int64_t lifetime; /* seconds; < 0: no "exp" */
	const char *jti;  /* NULL: 16 random bytes as 32 lowercase hex */
	const char *authz; /* comma list -> "scope" ("condor:/READ condor:/WRITE"), or NULL */
	char authz_sep;    /* 0: authz is split at commas and spaces, as a daemon splits
	                      LimitAuthorization; else only at this byte, each value kept
	                      whole (condor_token_create's repeated -authz) */
};

/* Write the signed token, NUL-terminated, to out.  0 or -1 (e says why:
 * bad issuer, over cap, no randomness). */
int token_mint_sign(const struct token_mint_key *k, const struct token_mint_claims *c,
                    char *out, size_t cap, struct err *e);

/*
 * The self-mint path of the TOKEN client.  my_trust_domain: our
 * TRUST_DOMAIN; server_td, server_keys: the server's TrustDomain and
 * IssuerKeys (NULL when absent); new_name: the server is 23.9.0 or later.
 * 1 minted (out holds the token as if read from a file, source says which
 * key), 0 not possible here (the trace says why), -1 error (e).
 */
int token_mint_for_server(const struct token_mint_keys *kc, const char *my_trust_domain,
                          const char *server_td, const char *server_keys, int new_name,
                          struct token_choice *out, struct err *e);

#endif
