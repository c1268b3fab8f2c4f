/*
 * test_p256.c - tokenbox's own P-256 (port/p256/p256.c) against OpenSSL's
 * answers (p256_vectors.h), and what it must refuse.
 *
 * make check runs it on x86_64 and aarch64 (64-bit limbs) and on armhf
 * (32-bit limbs), so both widths of the field code meet the same vectors.
 */
#include "port/p256/p256.h"
#include "tests/unit/check.h"
#include "tests/unit/p256_vectors.h"

static const char n_hex[] = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
static const char p_hex[] = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

static void load(const char *h, uint8_t *out, size_t n)
{
	CHECK_INT(check_unhex(h, out, n), n);
}

/* Every vector: k*G, the ECDH secret from the uncompressed and the
 * compressed peer point. */
static void test_vectors(void)
{
	size_t i;

	for (i = 0; i < sizeof p256_vectors / sizeof p256_vectors[0]; i++) {
		const struct p256_vector *v = &p256_vectors[i];
		uint8_t k[32], pub[65], peer[65], z[32], out[65], sec[32], comp[33];

		load(v->k, k, 32);
		load(v->pub, pub, 65);
		load(v->peer, peer, 65);
		load(v->secret, z, 32);
		CHECK_INT(p256_public_key(out, k), 0);
		CHECK_MEM(out, pub, 65);
		CHECK_INT(p256_shared_secret(sec, k, peer, 65), 0);
		CHECK_MEM(sec, z, 32);
		comp[0] = (uint8_t)(0x02 | (peer[64] & 1));
		memcpy(comp + 1, peer + 1, 32);
		CHECK_INT(p256_shared_secret(sec, k, comp, 33), 0);
		CHECK_MEM(sec, z, 32);
		/* the other parity is -peer: the same X, so the same secret */
		comp[0] ^= 1;
		CHECK_INT(p256_shared_secret(sec, k, comp, 33), 0);
		CHECK_MEM(sec, z, 32);
	}
}

/* (n-1)*G is -G: G's X, and p minus G's Y.  (Which root a compressed point
 * decodes to cannot show in an ECDH secret, the X of k*P and k*(-P) being
 * the same; the vectors above check both.) */
static void test_negation(void)
{
	uint8_t one[32] = { 0 }, k[32], g[65], ng[65], p[32];
	int i, borrow = 0;

	one[31] = 1;
	load(n_hex, k, 32);
	k[31] -= 1;
	load(p_hex, p, 32);
	CHECK_INT(p256_public_key(g, one), 0);
	CHECK_INT(p256_public_key(ng, k), 0);
	CHECK_MEM(g + 1, ng + 1, 32);
	for (i = 31; i >= 0; i--) { /* p - Gy, in place */
		int d = p[i] - g[33 + i] - borrow;
		borrow = d < 0;
		p[i] = (uint8_t)d;
	}
	CHECK_MEM(ng + 33, p, 32);
}

static void test_bad_scalars(void)
{
	uint8_t k[32], pub[65], sec[32], g[65], one[32] = { 0 };

	one[31] = 1;
	CHECK_INT(p256_public_key(g, one), 0);
	memset(k, 0, 32); /* 0 */
	CHECK_INT(p256_public_key(pub, k), -1);
	CHECK_INT(p256_shared_secret(sec, k, g, 65), -1);
	load(n_hex, k, 32); /* n */
	CHECK_INT(p256_public_key(pub, k), -1);
	CHECK_INT(p256_shared_secret(sec, k, g, 65), -1);
	k[31]++; /* n + 1 */
	CHECK_INT(p256_public_key(pub, k), -1);
	memset(k, 0xff, 32); /* 2^256 - 1 */
	CHECK_INT(p256_public_key(pub, k), -1);
	load(n_hex, k, 32); /* n - 1: the largest good one */
	k[31]--;
	CHECK_INT(p256_public_key(pub, k), 0);
}

static void test_bad_points(void)
{
	uint8_t k[32] = { 0 }, g[65], bad[66], sec[32];
	size_t len;

	k[31] = 7;
	memset(bad, 0, sizeof bad);
	bad[31] = 1;
	CHECK_INT(p256_public_key(g, bad), 0);

	/* lengths that fit no encoding, and none at all */
	for (len = 0; len <= sizeof bad; len++) {
		if (len == 33 || len == 65)
			continue;
		memcpy(bad, g, 65);
		CHECK_INT(p256_shared_secret(sec, k, bad, len), -1);
	}
	CHECK_INT(p256_shared_secret(sec, k, NULL, 65), -1);
	/* format bytes: infinity, hybrid, unknown */
	{
		static const uint8_t fmt[] = { 0x00, 0x01, 0x05, 0x06, 0x07, 0xff };
		size_t i;
		for (i = 0; i < sizeof fmt; i++) {
			memcpy(bad, g, 65);
			bad[0] = fmt[i];
			CHECK_INT(p256_shared_secret(sec, k, bad, 65), -1);
			CHECK_INT(p256_shared_secret(sec, k, bad, 33), -1);
		}
	}
	/* off the curve: Y changed by one bit, and (0, 0) */
	memcpy(bad, g, 65);
	bad[64] ^= 1;
	CHECK_INT(p256_shared_secret(sec, k, bad, 65), -1);
	memset(bad, 0, 65);
	bad[0] = 0x04;
	CHECK_INT(p256_shared_secret(sec, k, bad, 65), -1);
	/* coordinates equal to p (the same field values as 0 once reduced) */
	memcpy(bad, g, 65);
	load(p_hex, bad + 1, 32);
	CHECK_INT(p256_shared_secret(sec, k, bad, 65), -1);
	memcpy(bad, g, 65);
	load(p_hex, bad + 33, 32);
	CHECK_INT(p256_shared_secret(sec, k, bad, 65), -1);
	bad[0] = 0x03; /* compressed, X = p */
	load(p_hex, bad + 1, 32);
	CHECK_INT(p256_shared_secret(sec, k, bad, 33), -1);
	/* a compressed X with no point on the curve */
	memset(bad, 0, 33);
	bad[0] = 0x02;
	bad[32] = P256_X_NOT_ON_CURVE;
	CHECK_INT(p256_shared_secret(sec, k, bad, 33), -1);
	bad[0] = 0x03;
	CHECK_INT(p256_shared_secret(sec, k, bad, 33), -1);
}

/* a*(b*G) == b*(a*G) for scalars from a fixed-seed generator. */
static void test_agreement(void)
{
	uint32_t s = 0x2026c0de;
	int round, i;

	for (round = 0; round < 16; round++) {
		uint8_t a[32], b[32], pa[65], pb[65], za[32], zb[32];
		for (i = 0; i < 32; i++) {
			s = s * 1103515245u + 12345u;
			a[i] = (uint8_t)(s >> 16);
			s = s * 1103515245u + 12345u;
			b[i] = (uint8_t)(s >> 16);
		}
		a[0] &= 0x7f; /* below n */
		b[0] &= 0x7f;
		CHECK_INT(p256_public_key(pa, a), 0);
		CHECK_INT(p256_public_key(pb, b), 0);
		CHECK_INT(p256_shared_secret(za, a, pb, 65), 0);
		CHECK_INT(p256_shared_secret(zb, b, pa, 65), 0);
		CHECK_MEM(za, zb, 32);
	}
}

int main(void)
{
	test_vectors();
	test_negation();
	test_bad_scalars();
	test_bad_points();
	test_agreement();
	return check_done("test_p256");
}
