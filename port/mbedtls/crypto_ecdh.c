/*
 * crypto_ecdh.c - ephemeral P-256 ECDH (HTCondor 9.9+ session keys).
 *
 * Keys cross the facade as raw bytes: a 32-byte big-endian scalar and the
 * SEC1 uncompressed point, which is what HTCondor puts (base64) in
 * ECDHPublicKey.  Peer points are checked to lie on the curve before use,
 * so a hostile server cannot steer us into an invalid-curve attack.
 */
#include <string.h>

#include "mbedtls/build_info.h"

#include "port/crypto.h"
#include "port/mbedtls/mbed_internal.h"

#if defined(TOKENBOX_P256M)
/*
 * p256-m (Mbed TLS 3.6's 3rdparty/p256-m, built into this library by
 * toolchain/setup.sh): on armhf it is both smaller and faster than Mbed
 * TLS's ECP (bench/README.md), and a build without SSL needs no other
 * curve.  It takes points as X || Y; it checks peer points itself.  It has
 * no point decompression, so a compressed peer point (which HTCondor never
 * sends) is refused here.
 */
#include <stdint.h>

#include "p256-m.h"

/* p256-m's one call into PSA (psa_generate_random), renamed at its build:
 * the facade's DRBG instead.  0 is PSA_SUCCESS. */
int32_t crypto_mbed_p256m_random(uint8_t *out, size_t n);

int32_t crypto_mbed_p256m_random(uint8_t *out, size_t n)
{
	return crypto_mbed_rng(crypto_mbed_rng_ctx(), out, n) == 0 ? 0 : -1;
}

int crypto_p256_keygen(uint8_t priv[CRYPTO_P256_PRIV_LEN],
                       uint8_t pub[CRYPTO_P256_PUB_LEN])
{
	if (crypto_mbed_init() != 0)
		return CRYPTO_EFAIL;
	pub[0] = 0x04;
	if (p256_gen_keypair(priv, pub + 1) != P256_SUCCESS) {
		crypto_wipe(priv, CRYPTO_P256_PRIV_LEN);
		return CRYPTO_EFAIL;
	}
	return 0;
}

int crypto_p256_pub_from_priv(const uint8_t priv[CRYPTO_P256_PRIV_LEN],
                              uint8_t pub[CRYPTO_P256_PUB_LEN])
{
	pub[0] = 0x04;
	/* refuses 0 and scalars >= n */
	return p256_public_from_private(pub + 1, priv) == P256_SUCCESS ? 0 : CRYPTO_EFAIL;
}

int crypto_p256_shared(const uint8_t priv[CRYPTO_P256_PRIV_LEN],
                       const uint8_t *peer, size_t peer_len,
                       uint8_t secret[CRYPTO_P256_SECRET_LEN])
{
	if (!peer || peer_len != CRYPTO_P256_PUB_LEN || peer[0] != 0x04)
		return CRYPTO_EFAIL;
	/* checks the scalar's range and that the point is on the curve */
	if (p256_ecdh_shared_secret(secret, priv, peer + 1) != P256_SUCCESS) {
		crypto_wipe(secret, CRYPTO_P256_SECRET_LEN);
		return CRYPTO_EFAIL;
	}
	return 0;
}

#else

#include "mbedtls/ecdh.h"
#include "mbedtls/ecp.h"

int crypto_p256_keygen(uint8_t priv[CRYPTO_P256_PRIV_LEN],
                       uint8_t pub[CRYPTO_P256_PUB_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d;
	mbedtls_ecp_point q;
	size_t olen = 0;
	int r;

	if (crypto_mbed_init() != 0)
		return CRYPTO_EFAIL;
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&d);
	mbedtls_ecp_point_init(&q);
	r = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (r == 0)
		r = mbedtls_ecp_gen_keypair(&grp, &d, &q, crypto_mbed_rng, crypto_mbed_rng_ctx());
	if (r == 0)
		r = mbedtls_mpi_write_binary(&d, priv, CRYPTO_P256_PRIV_LEN);
	if (r == 0)
		r = mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
		                                   pub, CRYPTO_P256_PUB_LEN);
	if (r == 0 && olen != CRYPTO_P256_PUB_LEN)
		r = -1;
	mbedtls_ecp_point_free(&q);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&grp);
	if (r != 0) {
		crypto_wipe(priv, CRYPTO_P256_PRIV_LEN);
		return CRYPTO_EFAIL;
	}
	return 0;
}

/* Load and range-check a private scalar (1 <= d < n). */
static int load_priv(const mbedtls_ecp_group *grp, mbedtls_mpi *d,
                     const uint8_t priv[CRYPTO_P256_PRIV_LEN])
{
	if (mbedtls_mpi_read_binary(d, priv, CRYPTO_P256_PRIV_LEN) != 0)
		return -1;
	return mbedtls_ecp_check_privkey(grp, d) == 0 ? 0 : -1;
}

int crypto_p256_pub_from_priv(const uint8_t priv[CRYPTO_P256_PRIV_LEN],
                              uint8_t pub[CRYPTO_P256_PUB_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d;
	mbedtls_ecp_point q;
	size_t olen = 0;
	int r;

	if (crypto_mbed_init() != 0)
		return CRYPTO_EFAIL;
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&d);
	mbedtls_ecp_point_init(&q);
	r = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (r == 0)
		r = load_priv(&grp, &d, priv);
	if (r == 0)
		r = mbedtls_ecp_mul(&grp, &q, &d, &grp.G, crypto_mbed_rng, crypto_mbed_rng_ctx());
	if (r == 0)
		r = mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
		                                   pub, CRYPTO_P256_PUB_LEN);
	if (r == 0 && olen != CRYPTO_P256_PUB_LEN)
		r = -1;
	mbedtls_ecp_point_free(&q);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&grp);
	return r == 0 ? 0 : CRYPTO_EFAIL;
}

int crypto_p256_shared(const uint8_t priv[CRYPTO_P256_PRIV_LEN],
                       const uint8_t *peer, size_t peer_len,
                       uint8_t secret[CRYPTO_P256_SECRET_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d, z;
	mbedtls_ecp_point q;
	int r;

	if (!peer || peer_len == 0)
		return CRYPTO_EFAIL;
	if (crypto_mbed_init() != 0)
		return CRYPTO_EFAIL;
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&z);
	mbedtls_ecp_point_init(&q);
	r = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (r == 0)
		r = load_priv(&grp, &d, priv);
	/* read_binary accepts 04||X||Y and 02/03||X; the point at infinity
	 * (a lone 00) is refused by check_pubkey below. */
	if (r == 0)
		r = mbedtls_ecp_point_read_binary(&grp, &q, peer, peer_len);
	if (r == 0)
		r = mbedtls_ecp_check_pubkey(&grp, &q);
	if (r == 0)
		r = mbedtls_ecdh_compute_shared(&grp, &z, &q, &d, crypto_mbed_rng,
		                                crypto_mbed_rng_ctx());
	if (r == 0)
		r = mbedtls_mpi_write_binary(&z, secret, CRYPTO_P256_SECRET_LEN);
	mbedtls_ecp_point_free(&q);
	mbedtls_mpi_free(&z);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&grp);
	if (r != 0) {
		crypto_wipe(secret, CRYPTO_P256_SECRET_LEN);
		return CRYPTO_EFAIL;
	}
	return 0;
}

#endif /* TOKENBOX_P256M */
