/*
 * fuzz_p256.c - tokenbox's own P-256 (port/p256/p256.c) against Mbed TLS's
 * ECP on the same inputs: the peer point is the one untrusted input of the
 * session-key exchange (a hostile daemon chooses it).
 *
 * Input: a mode byte, a 32-byte scalar, then mode-dependent bytes:
 *   mode % 3 == 0  the rest is a peer encoding, taken as it is (almost
 *                  always refused: both must refuse alike);
 *   mode % 3 == 1  the rest is X of a compressed point, 02 or 03 by the
 *                  mode's next bit (about half of all X are on the curve);
 *   mode % 3 == 2  the rest is a second scalar; the peer is its multiple
 *                  of G, uncompressed.
 * Properties: ours and Mbed TLS's both accept or both refuse the scalar and
 * the point; when they accept, the public key and the secret are the same
 * bytes; and ours with 32-bit limbs answers exactly as ours with 64-bit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mbedtls/ecdh.h"
#include "mbedtls/ecp.h"
#include "port/p256/p256.h"

/* The same file again with 32-bit limbs (what armhf ships), under other
 * names: both widths must give the same bytes. */
#define P256_LIMB32
#define p256_public_key p256_public_key_limb32
#define p256_shared_secret p256_shared_secret_limb32
#include "port/p256/p256.c"
#undef p256_public_key
#undef p256_shared_secret
_Static_assert(sizeof(limb) == 4, "the second copy of p256.c must use 32-bit limbs");

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Mbed TLS wants randomness for its blinding; any bytes do here. */
static int counter_rng(void *ctx, unsigned char *out, size_t n)
{
	unsigned *c = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (unsigned char)(++*c * 2654435761u >> 24);
	return 0;
}

/* The curve and a checked private scalar; the caller frees both, whatever
 * this returns. */
static int mbed_load(mbedtls_ecp_group *grp, mbedtls_mpi *d, const uint8_t k[32])
{
	int r;

	mbedtls_ecp_group_init(grp);
	mbedtls_mpi_init(d);
	r = mbedtls_ecp_group_load(grp, MBEDTLS_ECP_DP_SECP256R1);
	if (r == 0)
		r = mbedtls_mpi_read_binary(d, k, 32);
	if (r == 0)
		r = mbedtls_ecp_check_privkey(grp, d);
	return r;
}

/* Mbed TLS's answer: 0 and the outputs, or -1 if it refuses. */
static int mbed_pub(const uint8_t k[32], uint8_t pub[65])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d;
	mbedtls_ecp_point q;
	size_t olen = 0;
	unsigned c = 0;
	int r;

	mbedtls_ecp_point_init(&q);
	r = mbed_load(&grp, &d, k);
	if (r == 0)
		r = mbedtls_ecp_mul(&grp, &q, &d, &grp.G, counter_rng, &c);
	if (r == 0)
		r = mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub,
		                                   65);
	mbedtls_ecp_point_free(&q);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&grp);
	return r == 0 && olen == 65 ? 0 : -1;
}

static int mbed_shared(const uint8_t k[32], const uint8_t *peer, size_t len, uint8_t z[32])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d, s;
	mbedtls_ecp_point q;
	unsigned c = 0;
	int r;

	mbedtls_mpi_init(&s);
	mbedtls_ecp_point_init(&q);
	r = mbed_load(&grp, &d, k);
	if (r == 0)
		r = mbedtls_ecp_point_read_binary(&grp, &q, peer, len);
	if (r == 0)
		r = mbedtls_ecp_check_pubkey(&grp, &q);
	if (r == 0)
		r = mbedtls_ecdh_compute_shared(&grp, &s, &q, &d, counter_rng, &c);
	if (r == 0)
		r = mbedtls_mpi_write_binary(&s, z, 32);
	mbedtls_ecp_point_free(&q);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&grp);
	return r == 0 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t k[32], peer[80], pub[65], pub_m[65], pub32[65], z[32], z_m[32], z32[32];
	size_t len;
	int ours, theirs;

	if (size < 33 || size > 33 + sizeof peer)
		return 0;
	memcpy(k, data + 1, 32);
	data += 33;
	size -= 33;

	ours = p256_public_key(pub, k);
	if (p256_public_key_limb32(pub32, k) != ours || (ours == 0 && memcmp(pub, pub32, 65) != 0))
		abort();
	theirs = mbed_pub(k, pub_m);
	if (ours != theirs)
		abort();
	if (ours == 0 && memcmp(pub, pub_m, 65) != 0)
		abort();

	switch (data[-33] % 3) {
	case 0:
		memcpy(peer, data, size);
		len = size;
		break;
	case 1:
		if (size < 32)
			return 0;
		peer[0] = (uint8_t)(0x02 | ((data[-33] / 3) & 1));
		memcpy(peer + 1, data, 32);
		len = 33;
		break;
	default:
		if (size < 32 || p256_public_key(peer, data) != 0)
			return 0;
		len = 65;
		break;
	}
	ours = p256_shared_secret(z, k, peer, len);
	if (p256_shared_secret_limb32(z32, k, peer, len) != ours || (ours == 0 && memcmp(z, z32, 32) != 0))
		abort();
	theirs = mbed_shared(k, peer, len, z_m);
	if (ours != theirs)
		abort();
	if (ours == 0 && memcmp(z, z_m, 32) != 0)
		abort();
	return 0;
}
