/*
 * jwt.h - the test daemon's token signing key and HS256 JWTs.
 *
 * A real daemon signs IDTOKENS with a key derived from its POOL signing key
 * file: the file bytes are XOR-ed with the repeating pattern DE AD BE EF,
 * the POOL key is then doubled (key || key), and the HMAC key is
 * HKDF-SHA256(IKM = that, salt = "htcondor", info = "master jwt", 32).
 * Tokens are header.payload.signature in base64url without padding, header
 * {"alg":"HS256","kid":"POOL"}, claims in alphabetical key order (exp, iat,
 * iss, jti, scope, sub), strings escaped the way the reference JSON writer
 * does (\" \\ \/ \b \f \n \r \t, other bytes < 0x20 and 0x7f as \u00XX).
 *
 * Everything is in caller-owned structs; nothing is allocated.
 */
#ifndef TESTD_JWT_H
#define TESTD_JWT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Largest signing key file read (bytes). */
#define TESTD_KEYFILE_MAX 4096
/* Largest token text (header.payload.signature) issued or accepted. */
#define TESTD_JWT_MAX 4096
/* Largest decoded claim string (sub, iss, jti, scope, kid). */
#define TESTD_CLAIM_MAX 1024
/* Nesting depth of JSON values skipped inside a token (arrays, objects). */
#define TESTD_JSON_DEPTH 16

struct testd_key {
	int have;
	char name[64];       /* key id used as "kid", normally "POOL" */
	uint8_t jwt_key[32]; /* HKDF-derived HMAC-SHA256 key */
};

/* Derive the key from the raw key file bytes.  pool: 1 doubles the
 * unscrambled bytes as HTCondor does for the POOL key. */
int testd_key_from_file_bytes(struct testd_key *k, const char *name, int pool,
                              const uint8_t *file, size_t n, struct err *e);
/* Read path and derive.  Errors name the file. */
int testd_key_load(struct testd_key *k, const char *name, const char *path, struct err *e);

struct testd_mint {
	const char *sub;   /* identity, required */
	const char *iss;   /* trust domain, required (no space, comma or tab) */
	int64_t iat;       /* issue time */
	int64_t lifetime;  /* seconds; < 0 means no "exp" claim */
	const char *authz; /* comma-separated authorisations -> "scope", or NULL */
	const char *jti;   /* NULL: 32 random lowercase hex characters */
};

/* Issue a token.  out receives the NUL-terminated JWT. */
int testd_jwt_mint(const struct testd_key *k, const struct testd_mint *m, char *out,
                   size_t cap, struct err *e);

/* A decoded token: header, the claims the daemon looks at, and the exact
 * "header.payload" text that is signed. */
struct testd_jwt {
	char alg[16];
	char kid[TESTD_CLAIM_MAX];
	char iss[TESTD_CLAIM_MAX];
	char sub[TESTD_CLAIM_MAX];
	char jti[TESTD_CLAIM_MAX];
	char scope[TESTD_CLAIM_MAX];
	int has_kid, has_iss, has_sub, has_jti, has_scope, has_iat, has_exp;
	int64_t iat, exp;
	char hp[TESTD_JWT_MAX]; /* "header.payload" */
	size_t hp_len;
	uint8_t sig[64]; /* decoded signature, if the text had one */
	size_t sig_len;
};

/* Decode "header.payload" or "header.payload.signature".  Claims that are
 * not strings/numbers where expected, bad base64url, bad JSON and anything
 * over the bounds above are errors (subsystem "TOKEN"). */
int testd_jwt_decode(const char *text, size_t n, struct testd_jwt *j, struct err *e);

/* HMAC-SHA256 of "header.payload" with the key (HS256 only). */
int testd_jwt_sign(const struct testd_key *k, const char *hp, size_t n, uint8_t sig[32]);

/* 1 if the decoded token carries a valid HS256 signature under k. */
int testd_jwt_verify(const struct testd_key *k, const struct testd_jwt *j);

/* Convert a scope claim ("condor:/READ condor:/WRITE", other entries
 * ignored) into a comma list ("READ,WRITE").  Returns 0 or -1 (too long). */
int testd_scope_to_authz(const char *scope, char *out, size_t cap);

#endif
