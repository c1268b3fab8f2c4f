/*
 * crypto_gcm.c - AES-256-GCM with arbitrary-length IVs (HTCondor sends a
 * 16-byte nonce, so J0 is derived through GHASH; Mbed TLS supports that).
 */
#include "mbedtls/build_info.h"
#include "mbedtls/gcm.h"

#include "port/crypto.h"

static int gcm_run(int enc, const uint8_t key[32], const uint8_t *iv, size_t ivlen,
                   const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t n,
                   uint8_t *out, uint8_t *tag)
{
	mbedtls_gcm_context g;
	static const uint8_t empty[1];
	int r;

	if (!iv || ivlen == 0)
		return CRYPTO_EFAIL;
	if (!aad)
		aad = empty;
	if (!in)
		in = empty;
	mbedtls_gcm_init(&g);
	r = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (r == 0) {
		if (enc) {
			r = mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, n, iv, ivlen,
			                              aad, aadlen, in, out, 16, tag);
			r = r ? CRYPTO_EFAIL : 0;
		} else {
			/* Zeroes out on a tag mismatch. */
			r = mbedtls_gcm_auth_decrypt(&g, n, iv, ivlen, aad, aadlen, tag, 16,
			                             in, out);
			r = r == MBEDTLS_ERR_GCM_AUTH_FAILED ? CRYPTO_EAUTH
			    : r                              ? CRYPTO_EFAIL
			                                     : 0;
		}
	} else {
		r = CRYPTO_EFAIL;
	}
	mbedtls_gcm_free(&g); /* wipes the key schedule */
	return r;
}

int crypto_aes256gcm_encrypt(const uint8_t key[32], const uint8_t *iv, size_t ivlen,
                             const uint8_t *aad, size_t aadlen,
                             const uint8_t *in, size_t n, uint8_t *out,
                             uint8_t tag[16])
{
	return gcm_run(1, key, iv, ivlen, aad, aadlen, in, n, out, tag);
}

int crypto_aes256gcm_decrypt(const uint8_t key[32], const uint8_t *iv, size_t ivlen,
                             const uint8_t *aad, size_t aadlen,
                             const uint8_t *in, size_t n, uint8_t *out,
                             const uint8_t tag[16])
{
	return gcm_run(0, key, iv, ivlen, aad, aadlen, in, n, out, (uint8_t *)tag);
}
