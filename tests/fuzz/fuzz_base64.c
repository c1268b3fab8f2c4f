/*
 * fuzz_base64.c - the base64 and base64url decoders of port/crypto.h on
 * untrusted text, and both encoders on untrusted bytes.
 *
 * Properties:
 *  - decode then encode gives the input back, except that the unused low
 *    bits of a final partial group may differ (the decoders ignore them,
 *    as documented) and base64url loses its optional '=' padding;
 *  - decoding that re-encoding gives the same bytes;
 *  - encode then decode of any bytes is the identity, and the encoded
 *    length is exactly what RFC 4648 says;
 *  - a too-small output buffer is CRYPTO_ETOOBIG, never an overflow
 *    (ASan watches the exact-size heap copies).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "port/crypto.h"

#define MAXIN 4096

static uint8_t dec[MAXIN], dec2[MAXIN];
static char enc[2 * MAXIN + 8];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*decode_fn)(const char *, size_t, uint8_t *, size_t, size_t *);
typedef int (*encode_fn)(const void *, size_t, char *, size_t, size_t *);

static int b64val(int url, char ch)
{
	const char *a = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	                    : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = ch ? strchr(a, ch) : NULL;
	return p ? (int)(p - a) : -1;
}

static void text_direction(int url, const char *in, size_t n)
{
	decode_fn decode = url ? crypto_base64url_decode : crypto_base64_decode;
	encode_fn encode = url ? crypto_base64url_encode : crypto_base64_encode;
	size_t dlen = 0, elen = 0, d2len = 0, data = n;
	uint8_t *tight;
	int rc;

	rc = decode(in, n, dec, sizeof dec, &dlen);
	if (rc != 0)
		return;
	if (dlen > sizeof dec || dlen * 4 > n * 3 + 3)
		abort();
	/* exact-size buffer: must fit; one byte less must be refused */
	tight = malloc(dlen ? dlen : 1);
	if (decode(in, n, tight, dlen, NULL) != 0)
		abort();
	if (memcmp(tight, dec, dlen) != 0)
		abort();
	if (dlen && decode(in, n, tight, dlen - 1, NULL) != CRYPTO_ETOOBIG)
		abort();
	free(tight);

	if (encode(dec, dlen, enc, sizeof enc, &elen) != 0)
		abort();
	while (data > 0 && in[data - 1] == '=')
		data--;
	if (!url && elen != n)
		abort();
	if (url && elen != data)
		abort();
	/* all characters agree but the last data one, which may differ only
	 * in the bits that carry no data */
	if (data && memcmp(enc, in, data - 1) != 0)
		abort();
	if (data) {
		int a = b64val(url, enc[data - 1]), b = b64val(url, in[data - 1]);
		int unused = (int)((data * 6) % 8); /* 0, 2 or 4 bits */
		if (a < 0 || b < 0 || (a >> unused) != (b >> unused))
			abort();
	}
	if (decode(enc, elen, dec2, sizeof dec2, &d2len) != 0 || d2len != dlen ||
	    memcmp(dec, dec2, dlen) != 0)
		abort();
}

static void bytes_direction(int url, const uint8_t *in, size_t n)
{
	decode_fn decode = url ? crypto_base64url_decode : crypto_base64_decode;
	encode_fn encode = url ? crypto_base64url_encode : crypto_base64_encode;
	size_t elen = 0, dlen = 0, want;
	char *tight;

	want = url ? n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0) : (n + 2) / 3 * 4;
	if (encode(in, n, enc, sizeof enc, &elen) != 0 || elen != want || enc[elen] != '\0')
		abort();
	tight = malloc(want + 1);
	if (encode(in, n, tight, want + 1, NULL) != 0 || memcmp(tight, enc, want + 1) != 0)
		abort();
	if (encode(in, n, tight, want, NULL) != CRYPTO_ETOOBIG)
		abort();
	free(tight);
	if (decode(enc, elen, dec2, sizeof dec2, &dlen) != 0 || dlen != n || memcmp(dec2, in, n) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size > MAXIN)
		return 0;
	/* an exact-size heap copy, so any read past the end is caught */
	text = malloc(size ? size : 1);
	memcpy(text, data, size);
	text_direction(0, text, size);
	text_direction(1, text, size);
	free(text);
	bytes_direction(0, data, size);
	bytes_direction(1, data, size);
	return 0;
}
