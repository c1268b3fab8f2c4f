/*
 * manifest.c - parse an -expect-file manifest (grammar in manifest.h).
 *
 * The whole file is checked before a single row is handed out: a file that
 * is wrong anywhere is wrong everywhere, since a row cut short or a
 * misread key could otherwise approve something nobody expected.
 *
 * Bytes arrive in pieces of any size; a line is gathered in linebuf, split
 * into fields in place, checked, and only its fields are copied to the pool.
 */
#include "manifest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port/port.h"

/* "NAME:LINE: message" as the one error entry. */
static void row_err(struct err *e, const struct manifest *m, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void row_err(struct err *e, const struct manifest *m, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_push(e, "TOKENBOX", 1, "%s:%u: %s", m->name, line, msg);
}

static int is_digits(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (*s < '0' || *s > '9' || n == max)
			return 0;
	return n > 0;
}

/* A field of printable ASCII other than space (client IDs, netblocks). */
static int is_graph(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* authz=READ,ADVERTISE_STARTD: names of letters, digits and '_'. */
static int authz_ok(const char *s)
{
	int in_name = 0;

	for (; *s; s++) {
		char c = *s;
		if (c == ',') {
			if (!in_name)
				return 0;
			in_name = 0;
		} else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		           c == '_') {
			in_name = 1;
		} else {
			return 0;
		}
	}
	return in_name;
}

/* Split line (NUL-terminated, no line end) into fields in place. */
static size_t split_fields(char *line, char **f, size_t max, int *too_many)
{
	size_t n = 0;
	char *p = line;

	*too_many = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max) {
			*too_many = 1;
			return n;
		}
		f[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* Copy field v to the pool, or share the previous row's equal value
 * (prev: its offset + 1, 0 for none).  Returns the offset + 1. */
static uint32_t keep(struct manifest *m, const char *v, uint32_t prev)
{
	size_t len = strlen(v) + 1;
	uint32_t off;

	if (prev && strcmp(m->pool + prev - 1, v) == 0)
		return prev;
	/* Fields and their NULs never outgrow the bytes they came from,
	 * and those are bounded by the pool's size; checked all the same. */
	if (len > sizeof m->pool - m->used)
		return 0;
	memcpy(m->pool + m->used, v, len);
	off = (uint32_t)m->used + 1;
	m->used += len;
	return off;
}

/* The key=value fields of one row. */
struct row_keys {
	const char *peer, *authz, *client_id;
	long long max_lifetime;
};

static int parse_keys(struct manifest *m, unsigned line, char **f, size_t nf,
                      struct row_keys *k, struct err *e)
{
	size_t i;

	k->peer = k->authz = k->client_id = NULL;
	k->max_lifetime = -1;
	for (i = 2; i < nf; i++) {
		char *eq = strchr(f[i], '=');
		const char *v;

		if (!eq || eq == f[i]) {
			row_err(e, m, line, "expected KEY=VALUE after the identity, found a field "
			        "without '=' (field %zu)", i + 1);
			return -1;
		}
		*eq = '\0';
		v = eq + 1;
		if (!*v) {
			row_err(e, m, line, "%s= has no value", f[i]);
			return -1;
		}
		if (strcmp(f[i], "peer") == 0) {
			if (k->peer)
				goto twice;
			k->peer = v;
		} else if (strcmp(f[i], "authz") == 0) {
			if (k->authz)
				goto twice;
			if (!authz_ok(v)) {
				row_err(e, m, line, "authz= wants a comma list of authorization "
				        "names (letters, digits, '_'), without spaces");
				return -1;
			}
			k->authz = v;
		} else if (strcmp(f[i], "max-lifetime") == 0) {
			if (k->max_lifetime >= 0)
				goto twice;
			if (!is_digits(v, 18) || atoll(v) > MANIFEST_LIFETIME_MAX) {
				row_err(e, m, line, "max-lifetime= wants a number of seconds "
				        "from 0 to %lld", MANIFEST_LIFETIME_MAX);
				return -1;
			}
			k->max_lifetime = atoll(v);
		} else if (strcmp(f[i], "client-id") == 0) {
			if (k->client_id)
				goto twice;
			if (!is_graph(v)) {
				row_err(e, m, line, "client-id= must be printable ASCII");
				return -1;
			}
			k->client_id = v;
		} else {
			/* The key is the file's own text: quote it only if plain. */
			if (is_graph(f[i]) && strlen(f[i]) <= 32)
				row_err(e, m, line, "unknown key '%s' (peer, authz, max-lifetime, "
				        "client-id)", f[i]);
			else
				row_err(e, m, line, "unknown key (peer, authz, max-lifetime, client-id)");
			return -1;
		}
		continue;
	twice:
		row_err(e, m, line, "%s= given twice", f[i]);
		return -1;
	}
	return 0;
}

/* One line, without its line end, NUL-terminated (split in place). */
static int parse_row(struct manifest *m, char *text, unsigned line, struct err *e)
{
	/* REQID, IDENTITY and the four keys; one more is an error. */
	char *f[6];
	struct approve_expect x;
	struct row_keys k;
	struct manifest_row *r;
	const struct manifest_row *prev;
	char why[256];
	size_t nf;
	int too_many;

	nf = split_fields(text, f, sizeof f / sizeof f[0], &too_many);
	if (nf == 0)
		return 0; /* blank or comment */
	if (too_many) {
		row_err(e, m, line, "more than 6 fields");
		return -1;
	}
	if (!is_digits(f[0], MANIFEST_REQID_MAX)) {
		row_err(e, m, line, "the request ID must be 1 to %d digits", MANIFEST_REQID_MAX);
		return -1;
	}
	if (nf < 2) {
		row_err(e, m, line, "request %s has no expected identity", f[0]);
		return -1;
	}
	if (!approve_identity_plain(f[1])) {
		row_err(e, m, line, "the identity of request %s is not a plain user@domain "
		        "(letters, digits, . _ - +)", f[0]);
		return -1;
	}
	if (m->n == MANIFEST_MAX_ROWS) {
		row_err(e, m, line, "more than %d rows", MANIFEST_MAX_ROWS);
		return -1;
	}
	if (parse_keys(m, line, f, nf, &k, e) != 0)
		return -1;
	x.identity = f[1];
	x.peer = k.peer;
	x.authz = k.authz;
	x.max_lifetime = k.max_lifetime;
	x.client_id = k.client_id;
	if (approve_expect_valid(&x, why, sizeof why) != 0) {
		row_err(e, m, line, "%s", why);
		return -1;
	}
	prev = m->n ? &m->row[m->n - 1] : NULL;
	r = &m->row[m->n];
	r->line = line;
	r->reqid = keep(m, f[0], 0);
	r->identity = keep(m, f[1], prev ? prev->identity : 0);
	r->peer = k.peer ? keep(m, k.peer, prev ? prev->peer : 0) : 0;
	r->authz = k.authz ? keep(m, k.authz, prev ? prev->authz : 0) : 0;
	r->client_id = k.client_id ? keep(m, k.client_id, prev ? prev->client_id : 0) : 0;
	r->max_lifetime = k.max_lifetime;
	if (!r->reqid || !r->identity || (k.peer && !r->peer) || (k.authz && !r->authz) ||
	    (k.client_id && !r->client_id)) {
		row_err(e, m, line, "the fields exceed %zu bytes", sizeof m->pool);
		return -1;
	}
	m->n++;
	return 0;
}

/* A whole line is in linebuf[0..len) (its LF removed; a CR before the LF
 * still there when cr_lf). */
static int end_line(struct manifest *m, size_t len, int had_lf, struct err *e)
{
	char *p = m->linebuf;
	size_t i;

	m->line++;
	if (had_lf && len > 0 && p[len - 1] == '\r')
		len--; /* CR LF */
	if (len > MANIFEST_LINE_MAX) {
		row_err(e, m, m->line, "line longer than %d bytes", MANIFEST_LINE_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\0') {
			row_err(e, m, m->line, "NUL byte");
			return -1;
		}
		if (c == '\r') {
			row_err(e, m, m->line, "carriage return inside a line (only LF or CR LF "
			        "end a line)");
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			row_err(e, m, m->line, "control character 0x%02x", c);
			return -1;
		}
	}
	p[len] = '\0';
	return parse_row(m, p, m->line, e);
}

void manifest_begin(struct manifest *m, const char *name)
{
	m->name = name;
	m->n = 0;
	m->line = 0;
	m->bytes = 0;
	m->carry = 0;
	m->failed = 0;
	m->used = 0;
}

static int fail(struct manifest *m)
{
	m->failed = 1;
	m->n = 0;
	return -1;
}

int manifest_feed(struct manifest *m, const char *data, size_t len, struct err *e)
{
	if (m->failed)
		return -1;
	if (len > MANIFEST_MAX_BYTES - m->bytes) {
		err_push(e, "TOKENBOX", 1, "%s: larger than %d bytes", m->name, MANIFEST_MAX_BYTES);
		return fail(m);
	}
	m->bytes += len;
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;

		/* One byte of room past the longest line, for a CR before LF. */
		if (take > sizeof m->linebuf - 1 - m->carry) {
			row_err(e, m, m->line + 1, "line longer than %d bytes", MANIFEST_LINE_MAX);
			return fail(m);
		}
		memcpy(m->linebuf + m->carry, data, take);
		m->carry += take;
		data += take;
		len -= take;
		if (nl) {
			data++;
			len--;
			if (end_line(m, m->carry, 1, e) != 0)
				return fail(m);
			m->carry = 0;
		}
	}
	return 0;
}

/* qsort has no context argument: the manifest being sorted. */
static const struct manifest *sort_m;

static int cmp_order(const void *a, const void *b)
{
	const struct manifest_row *x = &sort_m->row[*(const uint16_t *)a];
	const struct manifest_row *y = &sort_m->row[*(const uint16_t *)b];
	int c = strcmp(sort_m->pool + x->reqid - 1, sort_m->pool + y->reqid - 1);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

int manifest_end(struct manifest *m, struct err *e)
{
	size_t i;

	if (m->failed)
		return -1;
	if (m->carry > 0 && end_line(m, m->carry, 0, e) != 0)
		return fail(m);
	m->carry = 0;
	if (m->n == 0) {
		err_push(e, "TOKENBOX", 1, "%s: no expected request in the file", m->name);
		return fail(m);
	}
	/* Sort the row indices by REQID; each REQID once. */
	for (i = 0; i < m->n; i++)
		m->order[i] = (uint16_t)i;
	sort_m = m;
	qsort(m->order, m->n, sizeof m->order[0], cmp_order);
	for (i = 1; i < m->n; i++) {
		const struct manifest_row *a = &m->row[m->order[i - 1]], *b = &m->row[m->order[i]];
		if (strcmp(m->pool + a->reqid - 1, m->pool + b->reqid - 1) == 0) {
			row_err(e, m, b->line, "request %s is already expected on line %u",
			        m->pool + b->reqid - 1, a->line);
			return fail(m);
		}
	}
	return 0;
}

int manifest_parse(struct manifest *m, const char *name, const char *data, size_t len,
                   struct err *e)
{
	manifest_begin(m, name);
	if (manifest_feed(m, data, len, e) != 0)
		return -1;
	return manifest_end(m, e);
}

int manifest_load(struct manifest *m, const char *path, struct err *e)
{
	char buf[4096];
	int h;

	manifest_begin(m, path);
	h = port_stream_open(path);
	if (h < 0) {
		err_push(e, "TOKENBOX", 1, "%s: cannot read: %s", path, port_strerror(port_last_errno()));
		return fail(m);
	}
	for (;;) {
		long r = port_stream_read(h, buf, sizeof buf);
		if (r == 0)
			break;
		if (r < 0) {
			err_push(e, "TOKENBOX", 1, "%s: cannot read: %s", path,
			         port_strerror(port_last_errno()));
			port_stream_close(h);
			return fail(m);
		}
		if (manifest_feed(m, buf, (size_t)r, e) != 0) {
			port_stream_close(h);
			return -1;
		}
	}
	port_stream_close(h);
	return manifest_end(m, e);
}

const char *manifest_reqid(const struct manifest *m, size_t i)
{
	return m->pool + m->row[i].reqid - 1;
}

void manifest_expect(const struct manifest *m, size_t i, struct approve_expect *x)
{
	const struct manifest_row *r = &m->row[i];

	x->identity = m->pool + r->identity - 1;
	x->peer = r->peer ? m->pool + r->peer - 1 : NULL;
	x->authz = r->authz ? m->pool + r->authz - 1 : NULL;
	x->max_lifetime = r->max_lifetime;
	x->client_id = r->client_id ? m->pool + r->client_id - 1 : NULL;
}

long manifest_find(const struct manifest *m, const char *reqid)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(manifest_reqid(m, m->order[mid]), reqid);
		if (c == 0)
			return m->order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
