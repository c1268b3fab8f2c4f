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

/* The library underneath, for `tokenbox --version` ("Mbed TLS 3.6.6"). */
const char *crypto_library(void);

/* ---- hashes and MACs --------------------------------------------------- */

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA1_LEN 20

/* Incremental SHA-256.  Opaque, caller-owned, no allocation.  Only the
 * struct tag names it: a typedef would clash with the function
 * crypto_sha256() below.  The state holds no pointers, so a plain struct
 * copy snapshots it (finalise the copy, keep feeding the original). */
struct crypto_sha256 {
	union {
		uint64_t align;
		unsigned char bytes[256];
	} u;
};

void crypto_sha256_init(struct crypto_sha256 *c);
void crypto_sha256_update(struct crypto_sha256 *c, const void *data, size_t n);
/* Writes the digest and wipes the state; init again to reuse. */
void crypto_sha256_final(struct crypto_sha256 *c, uint8_t out[CRYPTO_SHA256_LEN]);
void crypto_sha256(const void *data, size_t n, uint8_t out[CRYPTO_SHA256_LEN]);

int crypto_hmac_sha1(const void *key, size_t klen, const void *msg, size_t n,
                     uint8_t out[CRYPTO_SHA1_LEN]);
int crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n,
                       uint8_t out[CRYPTO_SHA256_LEN]);
/* MD5 over two pieces, a || b (either may be empty).  Only for HTCondor
 * 9.0-9.8's legacy per-packet MAC, MD5(key || payload); nothing new should
 * use it. */
#define CRYPTO_MD5_LEN 16
int crypto_md5(const void *a, size_t alen, const void *b, size_t blen,
               uint8_t out[CRYPTO_MD5_LEN]);
/* HKDF-SHA256 (RFC 5869), extract + expand.  salt may be NULL/0 (= 32
 * zero bytes), info NULL/0.  outlen above 255 * 32 is CRYPTO_ETOOBIG. */
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
/* The public point of a given private key (fixed-key tests, and checking a
 * stored key).  Fails if priv is not in [1, n-1]. */
int crypto_p256_pub_from_priv(const uint8_t priv[CRYPTO_P256_PRIV_LEN],
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

/* Unlike everything above, the engine allocates: Mbed TLS keeps its record
 * buffers (2 x ~16 KiB) and parsed certificates on the heap.  Everything is
 * released by crypto_tls_free() or by a failed crypto_tls_client_new(). */

/*
 * HTCondor's SSL method tunnels TLS records inside its own CEDAR messages,
 * so the engine never touches a socket: it is driven through two callbacks
 * supplied by the caller.
 *
 *   send(user, buf, n) must take all n bytes (typically appending them to
 *   the next outgoing CEDAR message) and return n, or return a negative
 *   value to fail the engine.
 *   recv(user, buf, n) returns 1..n bytes, 0 when no input is available
 *   right now (the engine then reports "want read" to its caller), or a
 *   negative value to fail the engine.
 *
 * Return convention ("0 means come back with more input"):
 *   crypto_tls_handshake: 0 = handshake complete, CRYPTO_TLS_WANT_READ (1) =
 *     needs more peer bytes (flush what send() received, get the peer's
 *     reply, call again), negative = failed.
 *   crypto_tls_read: 1..n = bytes of application data, 0 = needs more peer
 *     bytes (same as WANT_READ), CRYPTO_TLS_ECLOSED = the peer sent
 *     close_notify, other negative = failed.
 *   crypto_tls_write: n (all bytes were handed to send()), or negative.
 * Every failure code is negative (CRYPTO_EFAIL unless stated).
 */
typedef long (*crypto_tls_send_fn)(void *user, const uint8_t *buf, size_t n);
typedef long (*crypto_tls_recv_fn)(void *user, uint8_t *buf, size_t n);

#define CRYPTO_TLS_WANT_READ 1
#define CRYPTO_TLS_ECLOSED (-4)

/* Longest host name compared against the certificate (DNS limit). */
#define CRYPTO_TLS_HOST_MAX 255

struct crypto_tls_opts {
	const char *ca_file;   /* PEM bundle, may be NULL */
	const char *ca_dir;    /* directory of PEM files, may be NULL */
	const char *cert_file; /* client certificate (PEM), may be NULL */
	const char *key_file;  /* its private key (PEM); NULL: look in cert_file */
	const char *host;      /* name expected in the server cert, or NULL to
	                        * skip the name check (SSL_SKIP_HOST_CHECK) */
	int verify;            /* see below */
	int version;           /* 0: TLS 1.2 or 1.3 (as HTCondor); 12: 1.2
	                        * only; 13: 1.3 only (tests, debugging) */
};

/*
 * Verification.  The chain is always checked against the CAs in
 * ca_file/ca_dir (if any), and the host name with HTCondor's rules
 * (post_connection_check): each DNS subjectAltName is matched label by
 * label, a '*' that ends a pattern label matches any rest of that label;
 * if no SAN matches, the subject CN must equal the host ignoring case.
 *   verify = 1: any problem fails the handshake (fatal alert sent); a CA
 *     file or directory is then required.
 *   verify = 0: the handshake completes whatever the certificate; the
 *     caller then inspects crypto_tls_verify_flags() and the peer
 *     certificate and decides (HTCondor's known_hosts / trust-on-first-use
 *     flow forgives CRYPTO_TLS_V_UNTRUSTED for a pinned certificate).
 */
#define CRYPTO_TLS_V_UNTRUSTED 0x01 /* no chain to a trusted CA, self-signed */
#define CRYPTO_TLS_V_EXPIRED 0x02   /* outside its validity period */
#define CRYPTO_TLS_V_HOST 0x04      /* host name did not match */
#define CRYPTO_TLS_V_NOCERT 0x08    /* server sent no certificate */
#define CRYPTO_TLS_V_OTHER 0x10     /* bad signature, key usage, weak key... */

struct crypto_tls; /* opaque; at most one engine is live at a time */

/* Returns the engine or NULL (errbuf says why: unreadable CA/cert/key
 * file, verify without CAs, an engine already live). */
struct crypto_tls *crypto_tls_client_new(const struct crypto_tls_opts *o,
                                         crypto_tls_send_fn send,
                                         crypto_tls_recv_fn recv, void *user,
                                         char *errbuf, size_t errlen);
/* Advance the handshake: 0 done, CRYPTO_TLS_WANT_READ, or negative (errbuf
 * says why, e.g. "server certificate not trusted"). */
int crypto_tls_handshake(struct crypto_tls *t, char *errbuf, size_t errlen);
long crypto_tls_write(struct crypto_tls *t, const uint8_t *buf, size_t n);
long crypto_tls_read(struct crypto_tls *t, uint8_t *buf, size_t n);
/* Queue a close_notify alert through send(). 0 or negative. */
int crypto_tls_close_notify(struct crypto_tls *t);

/* After the handshake: CRYPTO_TLS_V_* bits (0 = fully verified). */
unsigned crypto_tls_verify_flags(struct crypto_tls *t);
/* The same as text: "ok" or the reasons joined by "; " (truncated to
 * len - 1 bytes). */
const char *crypto_tls_verify_result(struct crypto_tls *t, char *buf, size_t len);
/* SHA-256 fingerprint of the server's leaf certificate (DER). */
int crypto_tls_peer_fingerprint(struct crypto_tls *t, uint8_t out[32]);
/* DER bytes of certificate idx of the chain the server sent (0 = its own
 * certificate, 1.. = the intermediates/CA it added), valid until
 * crypto_tls_free; for known_hosts entries (base64 of the DER).
 * 0, or CRYPTO_EFAIL past the end of the chain. */
int crypto_tls_peer_cert(struct crypto_tls *t, unsigned idx, const uint8_t **der,
                         size_t *len);
/* The subject of certificate idx of the server's chain (0 = its own) in
 * OpenSSL's one-line form, "/C=US/O=Org/CN=host", as HTCondor reports the
 * server identity.  CRYPTO_EFAIL past the end of the chain,
 * CRYPTO_ETOOBIG if it does not fit (buf then holds nothing useful). */
int crypto_tls_peer_subject(struct crypto_tls *t, unsigned idx, char *buf, size_t len);
/* Negotiated protocol and suite, e.g. "TLSv1.3" and
 * "TLS1-3-AES-256-GCM-SHA384" (for -debug traces). */
const char *crypto_tls_version(struct crypto_tls *t);
const char *crypto_tls_ciphersuite(struct crypto_tls *t);
/* HTCondor's host-name rule on its own (exposed for unit tests):
 * 1 if the certificate name pattern matches host. */
int crypto_tls_hostname_match(const char *pattern, size_t plen, const char *host);
void crypto_tls_free(struct crypto_tls *t);

/* ---- TLS server engine (the test daemon's half of SSL) ------------------ */

/*
 * The same callback model as the client engine, as server: the test
 * daemon plays an HTCondor daemon's SSL method.  Like HTCondor's server
 * (SSL_VERIFY_PEER without FAIL_IF_NO_PEER_CERT) it always sends a
 * CertificateRequest and accepts a client without a certificate; a client
 * certificate is verified against ca_file and the result is left for the
 * caller (crypto_tls_server_peer).  Not part of the shipped tool: the
 * linker drops it unless something calls crypto_tls_server_new.
 */
struct crypto_tls_server_opts {
	const char *cert_file; /* server certificate (chain), PEM */
	const char *key_file;  /* its private key; NULL: look in cert_file */
	const char *ca_file;   /* CAs for client certificates; NULL: none trusted */
	int version;           /* 0: TLS 1.2 or 1.3; 12 or 13 only */
};

struct crypto_tls_server; /* opaque; at most one is live at a time */

/* NULL with errbuf set on failure (unreadable files, key mismatch, an
 * engine already live).  Independent of the client engine: both may be
 * live at once. */
struct crypto_tls_server *crypto_tls_server_new(const struct crypto_tls_server_opts *o,
                                                crypto_tls_send_fn send,
                                                crypto_tls_recv_fn recv, void *user,
                                                char *errbuf, size_t errlen);
/* 0 done, CRYPTO_TLS_WANT_READ, or negative with errbuf set. */
int crypto_tls_server_handshake(struct crypto_tls_server *t, char *errbuf, size_t errlen);
long crypto_tls_server_write(struct crypto_tls_server *t, const uint8_t *buf, size_t n);
long crypto_tls_server_read(struct crypto_tls_server *t, uint8_t *buf, size_t n);
/* After the handshake: 0 the client sent no certificate; 1 it did, with
 * *flags = CRYPTO_TLS_V_* (0 = verified against ca_file) and its subject
 * in OpenSSL's one-line form in subject (may be NULL); negative on error
 * (subject too long: CRYPTO_ETOOBIG). */
int crypto_tls_server_peer(struct crypto_tls_server *t, unsigned *flags, char *subject,
                           size_t len);
const char *crypto_tls_server_version(struct crypto_tls_server *t);
void crypto_tls_server_free(struct crypto_tls_server *t);

#endif
