/*
 * crypto_des.c - 3DES-EDE in CFB mode with 64-bit feedback, as OpenSSL's
 * des-ede3-cfb (HTCondor 9.0-9.8 key wrap and SSL/TOKEN wrap()).
 *
 * Mbed TLS has no CFB mode for DES, so CFB64 is built here over the ECB
 * block function: keystream block = E(feedback register); the register is
 * refilled with ciphertext.  c->off tracks the position inside the block so
 * a stream may be processed in pieces of any size.
 */
#include <string.h>

#include "mbedtls/build_info.h"
#include "mbedtls/des.h"

#include "port/crypto.h"

/* A build without the 9.0-9.8 key path (TOKENBOX_LEGACY=no) has no 3DES
 * in its Mbed TLS; the core never asks (secman refuses the legacy key
 * first), and a caller that does gets a plain failure. */
#if defined(MBEDTLS_DES_C)

void crypto_des3_cfb_init(crypto_des3_cfb *c, const uint8_t key[24])
{
	memcpy(c->key, key, 24);
	memset(c->iv, 0, sizeof c->iv);
	c->off = 0;
}

static int des3_cfb(crypto_des3_cfb *c, int enc, const uint8_t *in, uint8_t *out,
                    size_t n)
{
	mbedtls_des3_context d;
	size_t i;
	int r = 0;

	if (c->off > 7)
		return CRYPTO_EFAIL;
	mbedtls_des3_init(&d);
	/* CFB only ever runs the cipher forward, for both directions. */
	if (mbedtls_des3_set3key_enc(&d, c->key) != 0) {
		mbedtls_des3_free(&d);
		return CRYPTO_EFAIL;
	}
	for (i = 0; i < n; i++) {
		uint8_t x;

		if (c->off == 0 && mbedtls_des3_crypt_ecb(&d, c->iv, c->iv) != 0) {
			r = CRYPTO_EFAIL;
			break;
		}
		/* c->iv now holds the keystream for this block; bytes already
		 * used have been replaced by ciphertext. */
		x = in[i];
		if (enc) {
			out[i] = x ^ c->iv[c->off];
			c->iv[c->off] = out[i];
		} else {
			out[i] = x ^ c->iv[c->off];
			c->iv[c->off] = x;
		}
		c->off = (c->off + 1) & 7;
	}
	mbedtls_des3_free(&d);
	return r;
}

int crypto_des3_cfb_encrypt(crypto_des3_cfb *c, const uint8_t *in, uint8_t *out, size_t n)
{
	return des3_cfb(c, 1, in, out, n);
}

int crypto_des3_cfb_decrypt(crypto_des3_cfb *c, const uint8_t *in, uint8_t *out, size_t n)
{
	return des3_cfb(c, 0, in, out, n);
}

#else

void crypto_des3_cfb_init(crypto_des3_cfb *c, const uint8_t key[24])
{
	memset(c, 0, sizeof *c);
	(void)key;
}

int crypto_des3_cfb_encrypt(crypto_des3_cfb *c, const uint8_t *in, uint8_t *out, size_t n)
{
	(void)c, (void)in, (void)out, (void)n;
	return CRYPTO_EFAIL;
}

int crypto_des3_cfb_decrypt(crypto_des3_cfb *c, const uint8_t *in, uint8_t *out, size_t n)
{
	(void)c, (void)in, (void)out, (void)n;
	return CRYPTO_EFAIL;
}

#endif /* MBEDTLS_DES_C */
