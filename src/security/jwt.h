/*
 * jwt.h - reading IDTOKENS (JWTs) on the client side.
 *
 * The client never verifies a token's signature (it cannot: the key is the
 * server's).  It needs the header's "kid" and "alg", the claims "iss",
 * "sub", "jti", "exp", "iat", the exact "header.payload" text (which is
 * what TOKEN authentication sends and what the signature covers) and the
 * decoded signature bytes (the shared secret of the TOKEN proofs).
 */
#ifndef TOKENBOX_JWT_H
#define TOKENBOX_JWT_H

#include <stddef.h>
#include <stdint.h>

/* Longest token text accepted (header.payload.signature). */
#define JWT_MAX_LEN 8192
/* Longest claim value kept (kid, alg, iss, sub, jti); longer is an error. */
#define JWT_FIELD_MAX 256
/* Largest decoded signature (HS512). */
#define JWT_SIG_MAX 64
/* Deepest JSON nesting skipped inside header or payload. */
#define JWT_JSON_DEPTH 16

struct jwt {
	char kid[JWT_FIELD_MAX], alg[JWT_FIELD_MAX];
	char iss[JWT_FIELD_MAX], sub[JWT_FIELD_MAX], jti[JWT_FIELD_MAX];
	int has_kid, has_iss, has_sub, has_jti, has_exp, has_iat;
	int64_t exp, iat;
	size_t t_len; /* length of "header.payload" at the start of the text */
	uint8_t sig[JWT_SIG_MAX];
	size_t sig_len;
};

/* Parse tok (len bytes, not necessarily NUL-terminated).  0, or -1 with a
 * short reason in why (never quoting the signature). */
int jwt_parse(const char *tok, size_t len, struct jwt *j, char *why, size_t whylen);

#endif
