/*
 * fuzz_manifest.c - untrusted bytes as an -expect-file manifest
 * (src/applet/manifest.h).
 *
 * Properties:
 *  - a failed parse leaves no rows (nothing can be approved from it);
 *  - on success every row has a REQID of 1..MANIFEST_REQID_MAX digits, a
 *    plain user@domain identity, keys within their grammar, lines in
 *    increasing order, and no REQID twice;
 *  - manifest_find finds each row by its REQID and nothing else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "approve_check.h"
#include "manifest.h"
#include "netblock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct manifest m;

static int all_digits(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > MANIFEST_REQID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	size_t i;

	if (size > MANIFEST_MAX_BYTES)
		return 0;
	err_clear(&e);
	/* The first byte picks how the rest is fed: all at once, or in
	 * pieces of that many bytes (every split must parse the same). */
	{
		size_t step = size ? (size_t)data[0] % 64 : 0, i;
		int rc = 0;
		if (size) {
			data++;
			size--;
		}
		manifest_begin(&m, "fuzz");
		if (step == 0)
			step = size ? size : 1;
		for (i = 0; i < size && rc == 0; i += step)
			rc = manifest_feed(&m, (const char *)data + i, size - i < step ? size - i : step, &e);
		if (rc == 0)
			rc = manifest_end(&m, &e);
		if (rc != 0) {
			if (m.n != 0 || err_empty(&e))
				abort();
			return 0;
		}
	}
	if (m.n == 0 || m.n > MANIFEST_MAX_ROWS)
		abort();
	for (i = 0; i < m.n; i++) {
		struct approve_expect x;
		struct netblock nb;

		manifest_expect(&m, i, &x);
		if (!all_digits(manifest_reqid(&m, i)) || !approve_identity_plain(x.identity))
			abort();
		if (i > 0 && m.row[i].line <= m.row[i - 1].line)
			abort();
		if (x.peer && netblock_parse(x.peer, &nb) != 0)
			abort();
		if (x.max_lifetime < -1 || x.max_lifetime > MANIFEST_LIFETIME_MAX)
			abort();
		if (x.authz && (!*x.authz || strchr(x.authz, ' ')))
			abort();
		if (x.client_id && (!*x.client_id || strchr(x.client_id, ' ')))
			abort();
		if (manifest_find(&m, manifest_reqid(&m, i)) != (long)i)
			abort();
	}
	if (m.used > size + 1)
		abort();
	return 0;
}
