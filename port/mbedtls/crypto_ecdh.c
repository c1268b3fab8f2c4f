/*
 * crypto_ecdh.c - ephemeral P-256 ECDH (HTCondor 9.9+ session keys).
 *
 * Keys cross the facade as raw bytes: a 32-byte big-endian scalar and the
 * SEC1 uncompressed point, which is what HTCondor puts (base64) in
 * ECDHPublicKey.  The curve arithmetic is tokenbox's own (port/p256/p256.c:
 * a third of the CPU of Mbed TLS's ECP, and a build without SSL needs no
 * bignum or ECP code); only the random scalar comes from the facade's DRBG.
 * Peer points are checked to lie on the curve before use, so a hostile
 * server cannot steer us into an invalid-curve attack.
 */
#include "port/crypto.h"
#include "port/mbedtls/mbed_internal.h"
#include "port/p256/p256.h"

/* Tries before giving up on drawing a scalar below n: a 32-byte draw falls
 * outside [1, n-1] with probability about 2^-32. */
#define KEYGEN_TRIES 8

int crypto_p256_keygen(uint8_t priv[CRYPTO_P256_PRIV_LEN],
                       uint8_t pub[CRYPTO_P256_PUB_LEN])
{
	int i;

	if (crypto_mbed_init() != 0)
		return CRYPTO_EFAIL;
	for (i = 0; i < KEYGEN_TRIES; i++) {
		if (crypto_mbed_rng(crypto_mbed_rng_ctx(), priv, CRYPTO_P256_PRIV_LEN) != 0)
			break;
		if (p256_public_key(pub, priv) == 0)
			return 0;
	}
	crypto_wipe(priv, CRYPTO_P256_PRIV_LEN);
	return CRYPTO_EFAIL;
}

int crypto_p256_pub_from_priv(const uint8_t priv[CRYPTO_P256_PRIV_LEN],
                              uint8_t pub[CRYPTO_P256_PUB_LEN])
{
	return p256_public_key(pub, priv) == 0 ? 0 : CRYPTO_EFAIL;
}

int crypto_p256_shared(const uint8_t priv[CRYPTO_P256_PRIV_LEN],
                       const uint8_t *peer, size_t peer_len,
                       uint8_t secret[CRYPTO_P256_SECRET_LEN])
{
	if (p256_shared_secret(secret, priv, peer, peer_len) != 0) {
		crypto_wipe(secret, CRYPTO_P256_SECRET_LEN);
		return CRYPTO_EFAIL;
	}
	return 0;
}
