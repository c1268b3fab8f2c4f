/*
 * fuzz_secad.c - untrusted bytes as a handshake ad.
 *
 * The first byte picks the form: even = the CEDAR wire form (int count,
 * strings, two type strings; odd bit 1 = inside AES-GCM with a zero key,
 * which only tests the framing since tags fail), odd = "Name = expr"
 * lines.  Then every attribute goes through the typed getters and both
 * sorts, and the ad is put on an in-memory stream and read back.
 *
 * Invariants: the ad stays within SECAD_MAX_ATTRS / SECAD_TEXT_MAX;
 * names are unique (case-insensitively) and valid; put + get gives the
 * same attributes in the same order; a string value a getter returns
 * fits its buffer; the sorts order as documented.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cedar.h"
#include "secad.h"

static struct cedar c, c2;
static struct secad ad, back;
static uint8_t wire[2 * SECAD_TEXT_MAX + 4096];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ad(const struct secad *a)
{
	if (a->n < 0 || a->n > SECAD_MAX_ATTRS || a->used > SECAD_TEXT_MAX)
		abort();
	for (int i = 0; i < a->n; i++) {
		const char *nm = a->a[i].name;
		size_t len = strlen(nm);
		if (len == 0 || len > SECAD_NAME_MAX || !a->a[i].expr)
			abort();
		if (nm < a->text || nm >= a->text + a->used)
			abort();
		for (int k = 0; k < i; k++)
			if (strcasecmp(a->a[k].name, nm) == 0)
				abort();
	}
}

static void getters(const struct secad *a)
{
	char small[8], big[SECAD_TEXT_MAX];
	int64_t v;
	int b;
	for (int i = 0; i < a->n; i++) {
		const char *nm = a->a[i].name;
		if (secad_expr(a, nm) != a->a[i].expr)
			abort();
		if (secad_get_str(a, nm, small, sizeof small) == 1 && strlen(small) >= sizeof small)
			abort();
		if (secad_get_str(a, nm, big, sizeof big) == 1 && strlen(big) >= strlen(a->a[i].expr))
			abort(); /* the quotes alone make the literal longer */
		secad_get_int(a, nm, &v);
		secad_get_bool(a, nm, &b);
	}
}

static void round_trip(const struct secad *a)
{
	struct cedar_mem out, in;
	struct cedar_transport t;
	struct err e;
	size_t len;

	cedar_mem_init(&out, NULL, 0, wire, sizeof wire);
	t = cedar_mem_transport(&out);
	cedar_init(&c2, &t);
	err_clear(&e);
	if (secad_put(&c2, a, &e) < 0 || cedar_end_send(&c2, &e) < 0)
		abort();
	len = out.out_len;

	cedar_mem_init(&in, wire, len, NULL, 0);
	t = cedar_mem_transport(&in);
	cedar_init(&c2, &t);
	if (secad_get(&c2, &back, &e) < 0 || cedar_end_recv(&c2, &e) < 0)
		abort();
	if (back.n != a->n)
		abort();
	for (int i = 0; i < a->n; i++)
		if (strcmp(back.a[i].name, a->a[i].name) != 0 ||
		    strcmp(back.a[i].expr, a->a[i].expr) != 0)
			abort();
}

static void sorts(struct secad *a)
{
	secad_sort_by_length(a);
	for (int i = 1; i < a->n; i++) {
		size_t l0 = strlen(a->a[i - 1].name), l1 = strlen(a->a[i].name);
		if (l0 > l1 || (l0 == l1 && strcasecmp(a->a[i - 1].name, a->a[i].name) > 0))
			abort();
	}
	secad_sort_alpha(a);
	for (int i = 1; i < a->n; i++)
		if (strcasecmp(a->a[i - 1].name, a->a[i].name) > 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	int mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	err_clear(&e);
	secad_clear(&ad);
	if (mode & 1) {
		/* lines; a failing line ends the ad (the rest is what the
		 * earlier lines made) */
		size_t pos = 0;
		while (pos < size) {
			const uint8_t *nl = memchr(data + pos, '\n', size - pos);
			size_t end = nl ? (size_t)(nl - data) : size;
			char line[SECAD_TEXT_MAX + 1];
			size_t n = end - pos;
			if (n > SECAD_TEXT_MAX)
				break;
			memcpy(line, data + pos, n);
			line[n] = '\0';
			/* the module takes C strings from the stream: no NULs */
			if (memchr(line, '\0', n) || secad_add_line(&ad, line, n, &e) < 0)
				break;
			pos = end + 1;
		}
	} else {
		struct cedar_mem m;
		struct cedar_transport t;
		uint8_t key[CEDAR_KEY_LEN] = { 0 };
		cedar_mem_init(&m, data, size, NULL, 0);
		t = cedar_mem_transport(&m);
		cedar_init(&c, &t);
		if (mode & 2)
			cedar_crypto_on(&c, key, &e);
		if (secad_get(&c, &ad, &e) < 0) {
			if (err_empty(&e))
				abort(); /* a failure always says why */
			return 0;
		}
	}
	check_ad(&ad);
	getters(&ad);
	round_trip(&ad);
	sorts(&ad);
	check_ad(&ad);
	return 0;
}
