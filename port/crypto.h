/*
 * crypto.h - the cryptographic primitives tokenbox needs, as plain functions
 * over caller-owned buffers.  Implemented over Mbed TLS in port/mbedtls/;
 * the core never includes an Mbed TLS header.
 *
 * All functions return 0 on success and a negative value on failure
 * (CRYPTO_EAUTH for a failed GCM tag check).
 */
#ifndef TOKENBOX_CRYPTO_H
#define TOKENBOX_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_EFAIL (-1)
#define CRYPTO_EAUTH (-2)   /* authentication tag / MAC mismatch */
#define CRYPTO_ETOOBIG (-3) /* output buffer too small */

/* ---- hashes and MACs --------------------------------------------------- */

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA1_LEN 20

/* Incremental SHA-256.  Opaque, caller-owned, no allocation. */
typedef struct crypto_sha256 {
	union {
		uint64_t align;
		unsigned char bytes[256];
	} u;
} crypto_sha256;

void crypto_sha256_init(crypto_sha256 *c);
void crypto_sha256_update(crypto_sha256 *c, const void *data, size_t n);
void crypto_sha256_final(crypto_sha256 *c, uint8_t out[CRYPTO_SHA256_LEN]);
void crypto_sha256(const void *data, size_t n, uint8_t out[CRYPTO_SHA256_LEN]);

int crypto_hmac_sha1(const void *key, size_t klen, const void *msg, size_t n,
                     uint8_t out[CRYPTO_SHA1_LEN]);
int crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n,
                       uint8_t out[CRYPTO_SHA256_LEN]);
/* HKDF-SHA256 (RFC 5869), extract + expand. */
int crypto_hkdf_sha256(const void *salt, size_t slen, const void *ikm, size_t ilen,
                       const void *info, size_t infolen, uint8_t *out, size_t outlen);

/* ---- AES-256-GCM ----------------------------------------------------- */

/* iv may be any length >= 1 (HTCondor uses 16 bytes).  out may equal in. */
int crypto_aes256gcm_encrypt(const uint8_t key[32], const uint8_t *iv, size_t ivlen,
                             const uint8_t *aad, size_t aadlen,
                             const uint8_t *in, size_t n, uint8_t *out,
                             uint8_t tag[16]);
/* Returns CRYPTO_EAUTH (and zeroes out) when the tag does not verify. */
int crypto_aes256gcm_decrypt(const uint8_t key[32], const uint8_t *iv, size_t ivlen,
                             const uint8_t *aad, size_t aadlen,
                             const uint8_t *in, size_t n, uint8_t *out,
                             const uint8_t tag[16]);

/* ---- 3DES-CFB64 (legacy 9.0-9.8 key wrap) ---------------------------- */

typedef struct crypto_des3_cfb {
	uint8_t key[24];
	uint8_t iv[8];
	size_t off; /* position within the current 8-byte block */
} crypto_des3_cfb;

/* Set key, zero IV. */
void crypto_des3_cfb_init(crypto_des3_cfb *c, const uint8_t key[24]);
int crypto_des3_cfb_encrypt(crypto_des3_cfb *c, const uint8_t *in, uint8_t *out, size_t n);
int crypto_des3_cfb_decrypt(crypto_des3_cfb *c, const uint8_t *in, uint8_t *out, size_t n);

/* ---- ECDH P-256 ------------------------------------------------------ */

#define CRYPTO_P256_PUB_LEN 65  /* 04 || X || Y */
#define CRYPTO_P256_PRIV_LEN 32
#define CRYPTO_P256_SECRET_LEN 32

/* New ephemeral key pair. */
int crypto_p256_keygen(uint8_t priv[CRYPTO_P256_PRIV_LEN],
                       uint8_t pub[CRYPTO_P256_PUB_LEN]);
/* Shared secret (the X coordinate) from our private key and the peer's
 * public point (uncompressed; compressed accepted too).  Rejects points not
 * on the curve. */
int crypto_p256_shared(const uint8_t priv[CRYPTO_P256_PRIV_LEN],
                       const uint8_t *peer, size_t peer_len,
                       uint8_t secret[CRYPTO_P256_SECRET_LEN]);

/* ---- base64 ------------------------------------------------------------ */

/* Encoders write a NUL-terminated string (no line breaks); *olen excludes
 * the NUL.  base64url omits padding.  Decoders accept their own alphabet
 * only; base64url accepts input with or without '=' padding. */
int crypto_base64_encode(const void *in, size_t n, char *out, size_t cap, size_t *olen);
int crypto_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *olen);
int crypto_base64url_encode(const void *in, size_t n, char *out, size_t cap, size_t *olen);
int crypto_base64url_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *olen);

/* ---- wiping --------------------------------------------------------- */

void crypto_wipe(void *p, size_t n);

/* ---- TLS client engine ------------------------------------------------ */

/*
 * HTCondor's SSL method tunnels TLS records inside its own CEDAR messages,
 * so the engine never touches a socket: it is driven through two callbacks
 * supplied by the caller.  send() must accept all n bytes (return n) or
 * fail (negative); recv() returns 1..n bytes, 0 when no data is available
 * right now (the engine then returns CRYPTO_TLS_WANT_READ), or negative.
 */
typedef long (*crypto_tls_send_fn)(void *user, const uint8_t *buf, size_t n);
typedef long (*crypto_tls_recv_fn)(void *user, uint8_t *buf, size_t n);

#define CRYPTO_TLS_WANT_READ 1

struct crypto_tls_opts {
	const char *ca_file;   /* PEM bundle, may be NULL */
	const char *ca_dir;    /* directory of PEM files, may be NULL */
	const char *cert_file; /* client certificate (PEM), may be NULL */
	const char *key_file;  /* its private key (PEM), may be NULL */
	const char *host;      /* name expected in the server cert, or NULL */
	int verify;            /* 1: require a chain to a trusted CA */
};

struct crypto_tls; /* opaque; at most one engine is live at a time */

/* Returns the engine or NULL (errbuf says why). */
struct crypto_tls *crypto_tls_client_new(const struct crypto_tls_opts *o,
                                         crypto_tls_send_fn send,
                                         crypto_tls_recv_fn recv, void *user,
                                         char *errbuf, size_t errlen);
/* Advance the handshake: 0 done, CRYPTO_TLS_WANT_READ, or negative. */
int crypto_tls_handshake(struct crypto_tls *t, char *errbuf, size_t errlen);
/* Application data: write returns n or negative; read returns 1..n,
 * CRYPTO_TLS_WANT_READ (as a negative: -CRYPTO_TLS_WANT_READ... see impl), or
 * negative on error. */
long crypto_tls_write(struct crypto_tls *t, const uint8_t *buf, size_t n);
long crypto_tls_read(struct crypto_tls *t, uint8_t *buf, size_t n);
/* Result of certificate verification as text ("ok" or the reason). */
const char *crypto_tls_verify_result(struct crypto_tls *t, char *buf, size_t len);
/* SHA-256 fingerprint of the server's leaf certificate. */
int crypto_tls_peer_fingerprint(struct crypto_tls *t, uint8_t out[32]);
void crypto_tls_free(struct crypto_tls *t);

#endif
