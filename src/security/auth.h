/*
 * auth.h - one small interface per authentication method (client side),
 * and the TOKEN key-derivation pieces both roles share.
 *
 * A method runs its messages on the plaintext stream after the server
 * chose it.  It must run its protocol to the end even when it already
 * knows it will fail (sending error statuses), so both peers reach the
 * next method handshake in step.  Return: 0 success, -1 the method failed
 * but the stream is still in step (the caller may try the next method),
 * -2 the stream is broken (peer closed, timeout, bad bytes).
 */
#ifndef TOKENBOX_AUTH_H
#define TOKENBOX_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "cedar.h"
#include "err.h"
#include "secad.h"
#include "secman.h"
#include "tokens.h"

struct auth_ctx {
	struct cedar *c;
	const struct sec_policy *pol;
	const struct secad *reply;     /* the server's M2 (TrustDomain, IssuerKeys, ...) */
	const struct sec_target *target;
	struct token_choice *token;    /* scratch for TOKEN */
	/* filled by the method */
	char identity[SEC_STR_MAX];    /* who we proved to be (for traces) */
	uint8_t wrap_key[32];          /* key for a legacy K2 unwrap */
	int have_wrap_key;
};

struct auth_method {
	const char *name; /* wire spelling */
	int bit;
	/* Should we offer it at all (e.g. TOKEN: only with a usable token)?
	 * Cheap checks only; may fill nothing. */
	int (*usable)(struct auth_ctx *a, struct err *e);
	int (*client)(struct auth_ctx *a, struct err *e);
};

extern const struct auth_method auth_method_fs;
extern const struct auth_method auth_method_token;
extern const struct auth_method auth_method_claimtobe;

/* ---- TOKEN (AKEP2 with the JWT signature as the shared secret) -------- */

#define AUTH_TOKEN_NONCE_LEN 256 /* AUTH_PW_KEY_LEN */
#define AUTH_TOKEN_NAME_MAX 1024 /* AUTH_PW_MAX_NAME_LEN */
#define AUTH_TOKEN_MAC_MAX 64    /* hkt/hk lengths accepted (EVP_MAX_MD_SIZE) */

extern const uint8_t auth_token_seed_ka[256];
extern const uint8_t auth_token_seed_kb[256];

/* Ka (kb=0) or Kb (kb=1) = HKDF-SHA256(IKM = sig, salt = seed || T,
 * info = "master ka"/"master kb", 32). */
int auth_token_derive(const uint8_t *sig, size_t siglen, const char *t, size_t tlen, int kb,
                      uint8_t out[32]);
/* hkt = HMAC-SHA1(Ka, A ' ' B '\0' ra rb) */
int auth_token_hkt(const uint8_t ka[32], const char *a, const char *b,
                   const uint8_t ra[AUTH_TOKEN_NONCE_LEN], const uint8_t rb[AUTH_TOKEN_NONCE_LEN],
                   uint8_t out[20]);
/* hk = HMAC-SHA1(Ka, A '\0' rb) */
int auth_token_hk(const uint8_t ka[32], const char *a, const uint8_t rb[AUTH_TOKEN_NONCE_LEN],
                  uint8_t out[20]);
/* W = HKDF-SHA256(IKM = rb, salt "session key", info "htcondor", 32): the
 * 3DES key that wraps a pre-9.9 server's K2 session key. */
int auth_token_session_w(const uint8_t rb[AUTH_TOKEN_NONCE_LEN], uint8_t w[32]);

/* ---- FS ---------------------------------------------------------------- */

/* The suffix a client appends to a trailing-'_' FS directory name:
 * "ip:port" (IPv6 in brackets) plus "?sock=<id>" for a shared-port target. */
int auth_fs_ext(const char *peer_ip, unsigned peer_port, const char *sock_id, char *out,
                size_t cap);

#endif
