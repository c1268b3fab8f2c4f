/*
 * crypto_hash.c - SHA-256, HMAC-SHA1/SHA256, HKDF-SHA256 and (legacy) MD5
 * over Mbed TLS.
 */
#include <string.h>

#include "mbedtls/build_info.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#if defined(MBEDTLS_MD5_C)
#include "mbedtls/md5.h"
#endif
#include "mbedtls/sha256.h"

#include "port/crypto.h"

/* The opaque crypto_sha256 must hold Mbed TLS's context; checked at
 * compile time so a library upgrade cannot silently overflow it. */
_Static_assert(sizeof(mbedtls_sha256_context) <= sizeof(((struct crypto_sha256 *)0)->u.bytes),
               "crypto_sha256 too small for mbedtls_sha256_context");

static mbedtls_sha256_context *sha_ctx(struct crypto_sha256 *c)
{
	return (mbedtls_sha256_context *)(void *)c->u.bytes;
}

void crypto_sha256_init(struct crypto_sha256 *c)
{
	mbedtls_sha256_init(sha_ctx(c));
	/* Cannot fail for the software implementation. */
	(void)mbedtls_sha256_starts(sha_ctx(c), 0);
}

void crypto_sha256_update(struct crypto_sha256 *c, const void *data, size_t n)
{
	if (n)
		(void)mbedtls_sha256_update(sha_ctx(c), data, n);
}

void crypto_sha256_final(struct crypto_sha256 *c, uint8_t out[CRYPTO_SHA256_LEN])
{
	(void)mbedtls_sha256_finish(sha_ctx(c), out);
	mbedtls_sha256_free(sha_ctx(c));
}

void crypto_sha256(const void *data, size_t n, uint8_t out[CRYPTO_SHA256_LEN])
{
	struct crypto_sha256 c;

	crypto_sha256_init(&c);
	crypto_sha256_update(&c, data, n);
	crypto_sha256_final(&c, out);
}

static int hmac(mbedtls_md_type_t type, const void *key, size_t klen,
                const void *msg, size_t n, uint8_t *out)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(type);
	static const unsigned char empty[1];

	if (!md)
		return CRYPTO_EFAIL;
	/* Mbed TLS rejects NULL pointers even with zero lengths. */
	if (!key)
		key = empty;
	if (!msg)
		msg = empty;
	return mbedtls_md_hmac(md, key, klen, msg, n, out) == 0 ? 0 : CRYPTO_EFAIL;
}

int crypto_hmac_sha1(const void *key, size_t klen, const void *msg, size_t n,
                     uint8_t out[CRYPTO_SHA1_LEN])
{
	return hmac(MBEDTLS_MD_SHA1, key, klen, msg, n, out);
}

int crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n,
                       uint8_t out[CRYPTO_SHA256_LEN])
{
	return hmac(MBEDTLS_MD_SHA256, key, klen, msg, n, out);
}

int crypto_hkdf_sha256(const void *salt, size_t slen, const void *ikm, size_t ilen,
                       const void *info, size_t infolen, uint8_t *out, size_t outlen)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	static const unsigned char empty[1];

	if (!md)
		return CRYPTO_EFAIL;
	/* RFC 5869: at most 255 blocks of output. */
	if (outlen > 255 * CRYPTO_SHA256_LEN)
		return CRYPTO_ETOOBIG;
	if (!ikm)
		ikm = empty;
	if (!info)
		info = empty;
	/* A NULL salt means "HashLen zero bytes", which Mbed TLS implements. */
	if (slen == 0)
		salt = NULL;
	return mbedtls_hkdf(md, salt, slen, ikm, ilen, info, infolen, out, outlen) == 0
	               ? 0
	               : CRYPTO_EFAIL;
}

/* Without the 9.0-9.8 key path (TOKENBOX_LEGACY=no) there is no MD5 in
 * the library; nothing in the core asks for it then. */
int crypto_md5(const void *a, size_t alen, const void *b, size_t blen,
               uint8_t out[CRYPTO_MD5_LEN])
{
#if !defined(MBEDTLS_MD5_C)
	(void)a, (void)alen, (void)b, (void)blen;
	memset(out, 0, CRYPTO_MD5_LEN);
	return CRYPTO_EFAIL;
#else
	mbedtls_md5_context c;
	int r;

	mbedtls_md5_init(&c);
	r = mbedtls_md5_starts(&c);
	if (r == 0 && alen)
		r = mbedtls_md5_update(&c, a, alen);
	if (r == 0 && blen)
		r = mbedtls_md5_update(&c, b, blen);
	if (r == 0)
		r = mbedtls_md5_finish(&c, out);
	mbedtls_md5_free(&c);
	return r == 0 ? 0 : CRYPTO_EFAIL;
#endif
}
