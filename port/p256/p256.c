/*
 * p256.c - ECDH on NIST P-256, tokenbox's own (see p256.h).
 *
 * Field elements are kept in Montgomery form (a·R mod p, R = 2^256) as
 * little-endian limbs: four 64-bit limbs where the compiler has a 128-bit
 * product (x86_64, aarch64), eight 32-bit limbs otherwise (armhf).  The
 * same loops serve both widths.  For p = 2^256 - 2^224 + 2^192 + 2^96 - 1,
 * p ≡ -1 modulo 2^32 and 2^64, so Montgomery's factor -p^-1 is 1 and each
 * reduction step needs no extra multiplication.
 *
 * Points are projective (X:Y:Z) with the complete addition and doubling
 * formulas of Renes, Costello and Batina ("Complete addition formulas for
 * prime order elliptic curves", 2016, algorithms 4 and 6, a = -3): no case
 * for the point at infinity or for P + P, hence no branch on secret data.
 * The scalar is consumed four bits at a time from a 16-entry table read in
 * full for every window, so neither time nor memory access depends on it.
 * Only public values (the exponents p-2 and (p+1)/4, a peer's encoding)
 * steer branches.
 */
#include "port/p256/p256.h"

#include <string.h>

/* P256_LIMB32 forces the 32-bit limbs on any host: fuzz_p256 builds this
 * file a second time that way, so armhf's arithmetic is fuzzed too. */
#if defined(__SIZEOF_INT128__) && !defined(P256_LIMB32)
typedef uint64_t limb;
typedef unsigned __int128 dlimb;
#define LIMB_BITS 64
/* one limb from its two 32-bit halves, high first */
#define L(hi, lo) (((limb)(hi) << 32) | (limb)(lo))
#else
typedef uint32_t limb;
typedef uint64_t dlimb;
#define LIMB_BITS 32
#define L(hi, lo) (limb)(lo), (limb)(hi)
#endif
#define NL (256 / LIMB_BITS)

typedef limb fe[NL];

struct pt {
	fe x, y, z;
};

/* p, and in Montgomery form: R^2 (to enter the form), 1, b and G. */
static const fe P256_P = { L(0xffffffff, 0xffffffff), L(0x00000000, 0xffffffff),
	                   L(0x00000000, 0x00000000), L(0xffffffff, 0x00000001) };
static const fe P256_R2 = { L(0x00000000, 0x00000003), L(0xfffffffb, 0xffffffff),
	                    L(0xffffffff, 0xfffffffe), L(0x00000004, 0xfffffffd) };
static const fe P256_ONE = { L(0x00000000, 0x00000001), L(0xffffffff, 0x00000000),
	                     L(0xffffffff, 0xffffffff), L(0x00000000, 0xfffffffe) };
static const fe P256_B = { L(0xd89cdf62, 0x29c4bddf), L(0xacf005cd, 0x78843090),
	                   L(0xe5a220ab, 0xf7212ed6), L(0xdc30061d, 0x04874834) };
static const fe P256_GX = { L(0x79e730d4, 0x18a9143c), L(0x75ba95fc, 0x5fedb601),
	                    L(0x79fb732b, 0x77622510), L(0x18905f76, 0xa53755c6) };
static const fe P256_GY = { L(0xddf25357, 0xce95560a), L(0x8b4ab8e4, 0xba19e45c),
	                    L(0xd2e88688, 0xdd21f325), L(0x8571ff18, 0x25885d85) };

/* Big-endian: the group order n, and the exponents for 1/a and sqrt(a). */
static const uint8_t P256_N[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51
};
static const uint8_t P256_P_MINUS_2[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd
};
static const uint8_t P256_SQRT_EXP[32] = { /* (p + 1) / 4: p ≡ 3 (mod 4) */
	0x3f, 0xff, 0xff, 0xff, 0xc0, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

/* Forget secret intermediates; volatile so the stores are not elided. */
static void p256_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;
	while (n--)
		*v++ = 0;
}

/* ---- field arithmetic modulo p ------------------------------------------- */

/* a + b + *carry and a - b - *borrow, carry and borrow being 0 or 1; the
 * overflow built-ins let the compiler use its add/subtract-with-carry. */
static inline limb adc(limb a, limb b, limb *carry)
{
	limb s, c1, c2;

	c1 = __builtin_add_overflow(a, b, &s);
	c2 = __builtin_add_overflow(s, *carry, &s);
	*carry = c1 | c2;
	return s;
}

static inline limb sbb(limb a, limb b, limb *borrow)
{
	limb d, b1, b2;

	b1 = __builtin_sub_overflow(a, b, &d);
	b2 = __builtin_sub_overflow(d, *borrow, &d);
	*borrow = b1 | b2;
	return d;
}

/* r = t - p if t + carry·2^256 >= p, else t; t + carry·2^256 < 2p. */
static void fe_reduce_once(fe r, const limb t[NL], limb carry)
{
	limb s[NL], keep;
	limb borrow = 0;
	int i;

	for (i = 0; i < NL; i++)
		s[i] = sbb(t[i], P256_P[i], &borrow);
	/* keep t only if subtracting p went below zero without a carry out */
	keep = (limb)0 - (borrow & (carry ^ 1));
	for (i = 0; i < NL; i++)
		r[i] = (t[i] & keep) | (s[i] & ~keep);
}

static void fe_add(fe r, const fe a, const fe b)
{
	limb t[NL];
	limb carry = 0;
	int i;

	for (i = 0; i < NL; i++)
		t[i] = adc(a[i], b[i], &carry);
	fe_reduce_once(r, t, carry);
}

static void fe_sub(fe r, const fe a, const fe b)
{
	limb t[NL], mask;
	limb borrow = 0, carry = 0;
	int i;

	for (i = 0; i < NL; i++)
		t[i] = sbb(a[i], b[i], &borrow);
	mask = (limb)0 - borrow; /* add p back if a < b */
	for (i = 0; i < NL; i++)
		r[i] = adc(t[i], P256_P[i] & mask, &carry);
}

/* r = a·b/R mod p (Montgomery multiplication, operand scanning). */
static void fe_mul(fe r, const fe a, const fe b)
{
	limb t[NL + 2];
	int i, j;

	memset(t, 0, sizeof t);
	for (i = 0; i < NL; i++) {
		dlimb c = 0;
		limb m;

#pragma GCC unroll 8
		for (j = 0; j < NL; j++) {
			c += (dlimb)a[j] * b[i] + t[j];
			t[j] = (limb)c;
			c >>= LIMB_BITS;
		}
		c += t[NL];
		t[NL] = (limb)c;
		t[NL + 1] = (limb)(c >> LIMB_BITS);
		/* add m·p so that the lowest limb becomes 0, then shift it out */
		m = t[0];
		c = ((dlimb)m * P256_P[0] + t[0]) >> LIMB_BITS;
#pragma GCC unroll 8
		for (j = 1; j < NL; j++) {
			c += (dlimb)m * P256_P[j] + t[j];
			t[j - 1] = (limb)c;
			c >>= LIMB_BITS;
		}
		c += t[NL];
		t[NL - 1] = (limb)c;
		t[NL] = t[NL + 1] + (limb)(c >> LIMB_BITS);
	}
	fe_reduce_once(r, t, t[NL]);
}

static void fe_sqr(fe r, const fe a)
{
	fe_mul(r, a, a);
}

/* r = a^e for a public big-endian exponent e (1/a, sqrt(a)). */
static void fe_pow(fe r, const fe a, const uint8_t e[32])
{
	fe t;
	int i;

	memcpy(t, P256_ONE, sizeof t);
	for (i = 0; i < 256; i++) {
		fe_sqr(t, t);
		if ((e[i >> 3] >> (7 - (i & 7))) & 1)
			fe_mul(t, t, a);
	}
	memcpy(r, t, sizeof t);
}

static int fe_equal(const fe a, const fe b)
{
	limb d = 0;
	int i;

	for (i = 0; i < NL; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

/* 32 big-endian bytes to a field element in Montgomery form; -1 if >= p. */
static int fe_from_bytes(fe r, const uint8_t b[32])
{
	limb borrow = 0;
	int i, k;

	for (i = 0; i < NL; i++) {
		limb v = 0;
		for (k = 0; k < LIMB_BITS / 8; k++)
			v |= (limb)b[31 - i * (LIMB_BITS / 8) - k] << (8 * k);
		r[i] = v;
		(void)sbb(v, P256_P[i], &borrow);
	}
	if (!borrow)
		return -1;
	fe_mul(r, r, P256_R2);
	return 0;
}

/* Leave Montgomery form and write 32 big-endian bytes. */
static void fe_to_bytes(uint8_t b[32], const fe a)
{
	static const fe one = { 1 };
	fe t;
	int i, k;

	fe_mul(t, a, one);
	for (i = 0; i < NL; i++)
		for (k = 0; k < LIMB_BITS / 8; k++)
			b[31 - i * (LIMB_BITS / 8) - k] = (uint8_t)(t[i] >> (8 * k));
}

/* ---- points ---------------------------------------------------------------- */

/* y^2 = x^3 - 3x + b, for affine x and y. */
static void curve_rhs(fe r, const fe x)
{
	fe t;

	fe_sqr(t, x);
	fe_mul(t, t, x);
	fe_sub(t, t, x);
	fe_sub(t, t, x);
	fe_sub(t, t, x);
	fe_add(r, t, P256_B);
}

/* r = p + q; complete: any inputs, including the point at infinity (0:1:0),
 * p == q and p == -q.  r may alias p or q. */
static void pt_add(struct pt *r, const struct pt *p, const struct pt *q)
{
	fe t0, t1, t2, t3, t4;
	struct pt o; /* r may alias p or q: written last */

	fe_mul(t0, p->x, q->x);
	fe_mul(t1, p->y, q->y);
	fe_mul(t2, p->z, q->z);
	fe_add(t3, p->x, p->y);
	fe_add(t4, q->x, q->y);
	fe_mul(t3, t3, t4);
	fe_add(t4, t0, t1);
	fe_sub(t3, t3, t4);
	fe_add(t4, p->y, p->z);
	fe_add(o.x, q->y, q->z);
	fe_mul(t4, t4, o.x);
	fe_add(o.x, t1, t2);
	fe_sub(t4, t4, o.x);
	fe_add(o.x, p->x, p->z);
	fe_add(o.y, q->x, q->z);
	fe_mul(o.x, o.x, o.y);
	fe_add(o.y, t0, t2);
	fe_sub(o.y, o.x, o.y);
	fe_mul(o.z, P256_B, t2);
	fe_sub(o.x, o.y, o.z);
	fe_add(o.z, o.x, o.x);
	fe_add(o.x, o.x, o.z);
	fe_sub(o.z, t1, o.x);
	fe_add(o.x, t1, o.x);
	fe_mul(o.y, P256_B, o.y);
	fe_add(t1, t2, t2);
	fe_add(t2, t1, t2);
	fe_sub(o.y, o.y, t2);
	fe_sub(o.y, o.y, t0);
	fe_add(t1, o.y, o.y);
	fe_add(o.y, t1, o.y);
	fe_add(t1, t0, t0);
	fe_add(t0, t1, t0);
	fe_sub(t0, t0, t2);
	fe_mul(t1, t4, o.y);
	fe_mul(t2, t0, o.y);
	fe_mul(o.y, o.x, o.z);
	fe_add(o.y, o.y, t2);
	fe_mul(o.x, t3, o.x);
	fe_sub(o.x, o.x, t1);
	fe_mul(o.z, t4, o.z);
	fe_mul(t1, t3, t0);
	fe_add(o.z, o.z, t1);
	*r = o;
}

/* r = 2p; complete, r may alias p. */
static void pt_dbl(struct pt *r, const struct pt *p)
{
	fe t0, t1, t2, t3;
	struct pt o;

	fe_sqr(t0, p->x);
	fe_sqr(t1, p->y);
	fe_sqr(t2, p->z);
	fe_mul(t3, p->x, p->y);
	fe_add(t3, t3, t3);
	fe_mul(o.z, p->x, p->z);
	fe_add(o.z, o.z, o.z);
	fe_mul(o.y, P256_B, t2);
	fe_sub(o.y, o.y, o.z);
	fe_add(o.x, o.y, o.y);
	fe_add(o.y, o.x, o.y);
	fe_sub(o.x, t1, o.y);
	fe_add(o.y, t1, o.y);
	fe_mul(o.y, o.x, o.y);
	fe_mul(o.x, o.x, t3);
	fe_add(t3, t2, t2);
	fe_add(t2, t2, t3);
	fe_mul(o.z, P256_B, o.z);
	fe_sub(o.z, o.z, t2);
	fe_sub(o.z, o.z, t0);
	fe_add(t3, o.z, o.z);
	fe_add(o.z, o.z, t3);
	fe_add(t3, t0, t0);
	fe_add(t0, t3, t0);
	fe_sub(t0, t0, t2);
	fe_mul(t0, t0, o.z);
	fe_add(o.y, o.y, t0);
	fe_mul(t0, p->y, p->z);
	fe_add(t0, t0, t0);
	fe_mul(o.z, t0, o.z);
	fe_sub(o.x, o.x, o.z);
	fe_mul(o.z, t0, t1);
	fe_add(o.z, o.z, o.z);
	fe_add(o.z, o.z, o.z);
	*r = o;
}

/* r = tab[idx], reading every entry (idx is secret). */
static void pt_lookup(struct pt *r, const struct pt tab[16], unsigned idx)
{
	limb *out = (limb *)r;
	unsigned j;
	int w;

	memset(r, 0, sizeof *r);
	for (j = 0; j < 16; j++) {
		const limb *in = (const limb *)&tab[j];
		/* all ones when j == idx: (x - 1) >> 31 is 1 only for x == 0 */
		limb m = (limb)0 - (limb)(((uint32_t)(j ^ idx) - 1) >> 31);
		for (w = 0; w < 3 * NL; w++)
			out[w] |= in[w] & m;
	}
}

/* r = k·p for a big-endian scalar k, four bits at a time from the top. */
static void pt_mul(struct pt *r, const struct pt *p, const uint8_t k[32])
{
	struct pt tab[16], q, t;
	int i;

	memset(&tab[0], 0, sizeof tab[0]); /* (0:1:0), the point at infinity */
	memcpy(tab[0].y, P256_ONE, sizeof(fe));
	tab[1] = *p;
	for (i = 2; i < 16; i++) {
		if (i & 1)
			pt_add(&tab[i], &tab[i - 1], p);
		else
			pt_dbl(&tab[i], &tab[i / 2]);
	}
	q = tab[0];
	for (i = 0; i < 64; i++) {
		if (i > 0) {
			pt_dbl(&q, &q);
			pt_dbl(&q, &q);
			pt_dbl(&q, &q);
			pt_dbl(&q, &q);
		}
		pt_lookup(&t, tab, (unsigned)(k[i >> 1] >> ((i & 1) ? 0 : 4)) & 15);
		pt_add(&q, &q, &t);
	}
	*r = q;
	p256_wipe(tab, sizeof tab);
	p256_wipe(&q, sizeof q);
	p256_wipe(&t, sizeof t);
}

/* Affine X (and Y) of p as big-endian bytes; -1 for the point at infinity. */
static int pt_to_affine(uint8_t x[32], uint8_t *y, const struct pt *p)
{
	static const fe zero = { 0 };
	fe zi, t;

	if (fe_equal(p->z, zero))
		return -1;
	fe_pow(zi, p->z, P256_P_MINUS_2);
	fe_mul(t, p->x, zi);
	fe_to_bytes(x, t);
	if (y) {
		fe_mul(t, p->y, zi);
		fe_to_bytes(y, t);
	}
	return 0;
}

/* 1 <= k < n, without branching on k. */
static int scalar_ok(const uint8_t k[32])
{
	unsigned borrow = 0, any = 0;
	int i;

	for (i = 31; i >= 0; i--) {
		borrow = ((unsigned)k[i] - P256_N[i] - borrow) >> 31;
		any |= k[i];
	}
	return (borrow & (unsigned)(any != 0)) ? 0 : -1;
}

/* A SEC1 point (04 || X || Y or 02/03 || X) on the curve, else -1. */
static int pt_decode(struct pt *r, const uint8_t *in, size_t len)
{
	fe rhs, yy;

	if (len == P256_POINT_LEN && in[0] == 0x04) {
		if (fe_from_bytes(r->x, in + 1) < 0 || fe_from_bytes(r->y, in + 33) < 0)
			return -1;
		curve_rhs(rhs, r->x);
		fe_sqr(yy, r->y);
		if (!fe_equal(yy, rhs))
			return -1;
	} else if (len == 33 && (in[0] == 0x02 || in[0] == 0x03)) {
		uint8_t yb[32];

		if (fe_from_bytes(r->x, in + 1) < 0)
			return -1;
		curve_rhs(rhs, r->x);
		fe_pow(r->y, rhs, P256_SQRT_EXP); /* a square root, if there is one */
		fe_sqr(yy, r->y);
		if (!fe_equal(yy, rhs))
			return -1;
		fe_to_bytes(yb, r->y);
		if ((yb[31] & 1) != (in[0] & 1)) { /* the other root, p - y */
			static const fe zero = { 0 };
			fe_sub(r->y, zero, r->y);
		}
	} else {
		return -1;
	}
	memcpy(r->z, P256_ONE, sizeof(fe));
	return 0;
}

int p256_public_key(uint8_t pub[P256_POINT_LEN], const uint8_t priv[P256_SCALAR_LEN])
{
	struct pt g, q;
	int r;

	if (scalar_ok(priv) < 0)
		return -1;
	memcpy(g.x, P256_GX, sizeof(fe));
	memcpy(g.y, P256_GY, sizeof(fe));
	memcpy(g.z, P256_ONE, sizeof(fe));
	pt_mul(&q, &g, priv);
	pub[0] = 0x04;
	r = pt_to_affine(pub + 1, pub + 33, &q);
	p256_wipe(&q, sizeof q);
	return r;
}

int p256_shared_secret(uint8_t secret[P256_SECRET_LEN], const uint8_t priv[P256_SCALAR_LEN],
                       const uint8_t *peer, size_t peer_len)
{
	struct pt p, q;
	int r;

	if (scalar_ok(priv) < 0 || !peer || pt_decode(&p, peer, peer_len) < 0)
		return -1;
	pt_mul(&q, &p, priv);
	/* never infinity for a point of the prime-order group and k < n;
	 * checked anyway */
	r = pt_to_affine(secret, NULL, &q);
	p256_wipe(&q, sizeof q);
	return r;
}
