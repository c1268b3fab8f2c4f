/*
 * crypto_base64.c - RFC 4648 base64 and base64url, strict about the
 * alphabet and padding, written here rather than taken from Mbed TLS
 * because Mbed TLS has no base64url and its decoder skips line breaks.
 *
 * Decoders ignore the unused low bits of a final partial group (every
 * encoder sets them to zero; rejecting them would buy nothing).
 */
#include <string.h>

#include "port/crypto.h"

static const char b64_std[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int encode(const char *alpha, int pad, const void *in_, size_t n, char *out,
                  size_t cap, size_t *olen)
{
	const uint8_t *in = in_;
	size_t need, i, o = 0;

	if (n > (((size_t)-1) / 4) * 3 - 3)
		return CRYPTO_ETOOBIG;
	need = pad ? (n + 2) / 3 * 4 : n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
	if (!out || cap < need + 1)
		return CRYPTO_ETOOBIG;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		out[o++] = alpha[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		if (pad) {
			out[o++] = '=';
			out[o++] = '=';
		}
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	if (olen)
		*olen = o;
	return 0;
}

static int value(int url, unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == (url ? '-' : '+'))
		return 62;
	if (ch == (url ? '_' : '/'))
		return 63;
	return -1;
}

/* Standard base64 must be padded to a multiple of 4; base64url may be
 * padded or not, but padding that is present must be complete. */
static int decode(int url, const char *in, size_t n, uint8_t *out, size_t cap,
                  size_t *olen)
{
	size_t data = n, i, o = 0, need;
	uint32_t acc = 0;
	int bits = 0;

	if (!in && n)
		return CRYPTO_EFAIL;
	/* Strip up to two '=' and check they sit where padding belongs. */
	while (data > 0 && n - data < 2 && in[data - 1] == '=')
		data--;
	if (data != n) {
		if (n % 4 != 0)
			return CRYPTO_EFAIL;
	} else if (!url && n % 4 != 0) {
		return CRYPTO_EFAIL; /* standard base64 must be padded */
	}
	if (data % 4 == 1)
		return CRYPTO_EFAIL; /* one char cannot encode a byte */
	need = data / 4 * 3 + (data % 4 ? data % 4 - 1 : 0);
	if (need > cap || (!out && need))
		return CRYPTO_ETOOBIG;
	for (i = 0; i < data; i++) {
		int v = value(url, (unsigned char)in[i]);
		if (v < 0)
			return CRYPTO_EFAIL;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (olen)
		*olen = o;
	return 0;
}

int crypto_base64_encode(const void *in, size_t n, char *out, size_t cap, size_t *olen)
{
	return encode(b64_std, 1, in, n, out, cap, olen);
}

int crypto_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *olen)
{
	return decode(0, in, n, out, cap, olen);
}

int crypto_base64url_encode(const void *in, size_t n, char *out, size_t cap, size_t *olen)
{
	return encode(b64_url, 0, in, n, out, cap, olen);
}

int crypto_base64url_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *olen)
{
	return decode(1, in, n, out, cap, olen);
}
