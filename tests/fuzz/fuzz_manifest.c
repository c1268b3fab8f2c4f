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
	memcpy(m.text, data, size);
	err_clear(&e);
	if (manifest_parse(&m, "fuzz", size, &e) != 0) {
		if (m.n != 0 || err_empty(&e))
			abort();
		return 0;
	}
	if (m.n == 0 || m.n > MANIFEST_MAX_ROWS)
		abort();
	for (i = 0; i < m.n; i++) {
		const struct manifest_row *r = &m.row[i];
		struct netblock nb;

		if (!all_digits(r->reqid) || !approve_identity_plain(r->x.identity))
			abort();
		if (i > 0 && r->line <= m.row[i - 1].line)
			abort();
		if (r->x.peer && netblock_parse(r->x.peer, &nb) != 0)
			abort();
		if (r->x.max_lifetime < -1 || r->x.max_lifetime > MANIFEST_LIFETIME_MAX)
			abort();
		if (r->x.authz && (!*r->x.authz || strchr(r->x.authz, ' ')))
			abort();
		if (r->x.client_id && (!*r->x.client_id || strchr(r->x.client_id, ' ')))
			abort();
		if (manifest_find(&m, r->reqid) != (long)i)
			abort();
	}
	return 0;
}
