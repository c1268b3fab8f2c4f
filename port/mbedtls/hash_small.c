/*
 * hash_small.c - the SHA-1 and MD5 block functions, as loops.
 *
 * Mbed TLS unrolls all 80 (64) rounds: 4.7 KB of code for SHA-1 and 1.9 KB
 * for MD5 on x86_64.  tokenbox hashes a few hundred bytes per session with
 * them (TOKEN's HMAC-SHA1 proofs, the 9.0-9.8 per-packet MD5), so the
 * rolled form of FIPS 180-4 section 6.1.2 and RFC 1321 section 3.4 is
 * plenty; toolchain/mbedtls_config.h plugs them in with
 * MBEDTLS_SHA1_PROCESS_ALT and MBEDTLS_MD5_PROCESS_ALT.  test_crypto's
 * FIPS/RFC vectors run through them.
 */
#define MBEDTLS_ALLOW_PRIVATE_ACCESS
#include "mbedtls/build_info.h"

#include <stdint.h>

static uint32_t rol32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

#if defined(MBEDTLS_SHA1_C) && defined(MBEDTLS_SHA1_PROCESS_ALT)
#include "mbedtls/sha1.h"

int mbedtls_internal_sha1_process(mbedtls_sha1_context *ctx, const unsigned char data[64])
{
	uint32_t w[16], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)data[4 * i] << 24 | (uint32_t)data[4 * i + 1] << 16 |
		       (uint32_t)data[4 * i + 2] << 8 | data[4 * i + 3];
	a = ctx->state[0];
	b = ctx->state[1];
	c = ctx->state[2];
	d = ctx->state[3];
	e = ctx->state[4];
	for (i = 0; i < 80; i++) {
		if (i >= 16) /* the message schedule, kept as a ring of 16 words */
			w[i & 15] = rol32(w[(i + 13) & 15] ^ w[(i + 8) & 15] ^ w[(i + 2) & 15] ^ w[i & 15], 1);
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol32(a, 5) + f + e + k + w[i & 15];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = t;
	}
	ctx->state[0] += a;
	ctx->state[1] += b;
	ctx->state[2] += c;
	ctx->state[3] += d;
	ctx->state[4] += e;
	return 0;
}
#endif

#if defined(MBEDTLS_MD5_C) && defined(MBEDTLS_MD5_PROCESS_ALT)
#include "mbedtls/md5.h"

/* floor(abs(sin(i + 1)) * 2^32), RFC 1321 */
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
	0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
	0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
	0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
	0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
	0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
	0xeb86d391,
};
/* the four rotations of each of the four rounds */
static const uint8_t md5_s[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };

int mbedtls_internal_md5_process(mbedtls_md5_context *ctx, const unsigned char data[64])
{
	uint32_t x[16], a, b, c, d, f, t;
	unsigned g;
	int i;

	for (i = 0; i < 16; i++)
		x[i] = (uint32_t)data[4 * i] | (uint32_t)data[4 * i + 1] << 8 |
		       (uint32_t)data[4 * i + 2] << 16 | (uint32_t)data[4 * i + 3] << 24;
	a = ctx->state[0];
	b = ctx->state[1];
	c = ctx->state[2];
	d = ctx->state[3];
	for (i = 0; i < 64; i++) {
		if (i < 16) {
			f = (b & c) | (~b & d);
			g = (unsigned)i;
		} else if (i < 32) {
			f = (d & b) | (~d & c);
			g = (5u * (unsigned)i + 1) & 15;
		} else if (i < 48) {
			f = b ^ c ^ d;
			g = (3u * (unsigned)i + 5) & 15;
		} else {
			f = c ^ (b | ~d);
			g = (7u * (unsigned)i) & 15;
		}
		t = d;
		d = c;
		c = b;
		b = b + rol32(a + f + md5_k[i] + x[g], md5_s[(i >> 4) * 4 + (i & 3)]);
		a = t;
	}
	ctx->state[0] += a;
	ctx->state[1] += b;
	ctx->state[2] += c;
	ctx->state[3] += d;
	return 0;
}
#endif
