/*
 * manifest.c - parse an -expect-file manifest (grammar in manifest.h).
 *
 * The whole file is checked before a single row is handed out: a file that
 * is wrong anywhere is wrong everywhere, since a row cut short or a
 * misread key could otherwise approve something nobody expected.
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

/* Parse the key=value fields of one row into r->x. */
static int parse_keys(struct manifest *m, struct manifest_row *r, char **f, size_t nf,
                      struct err *e)
{
	size_t i;

	for (i = 2; i < nf; i++) {
		char *eq = strchr(f[i], '=');
		const char *v;

		if (!eq || eq == f[i]) {
			row_err(e, m, r->line, "expected KEY=VALUE after the identity, found a field "
			             "without '=' (field %zu)", i + 1);
			return -1;
		}
		*eq = '\0';
		v = eq + 1;
		if (!*v) {
			row_err(e, m, r->line, "%s= has no value", f[i]);
			return -1;
		}
		if (strcmp(f[i], "peer") == 0) {
			if (r->x.peer)
				goto twice;
			r->x.peer = v;
		} else if (strcmp(f[i], "authz") == 0) {
			if (r->x.authz)
				goto twice;
			if (!authz_ok(v)) {
				row_err(e, m, r->line, "authz= wants a comma list of authorization "
				             "names (letters, digits, '_'), without spaces");
				return -1;
			}
			r->x.authz = v;
		} else if (strcmp(f[i], "max-lifetime") == 0) {
			if (r->x.max_lifetime >= 0)
				goto twice;
			if (!is_digits(v, 18) || atoll(v) > MANIFEST_LIFETIME_MAX) {
				row_err(e, m, r->line, "max-lifetime= wants a number of seconds "
				             "from 0 to %lld", MANIFEST_LIFETIME_MAX);
				return -1;
			}
			r->x.max_lifetime = atoll(v);
		} else if (strcmp(f[i], "client-id") == 0) {
			if (r->x.client_id)
				goto twice;
			if (!is_graph(v)) {
				row_err(e, m, r->line, "client-id= must be printable ASCII");
				return -1;
			}
			r->x.client_id = v;
		} else {
			/* The key is the file's own text: quote it only if plain. */
			if (is_graph(f[i]) && strlen(f[i]) <= 32)
				row_err(e, m, r->line, "unknown key '%s' (peer, authz, max-lifetime, "
				             "client-id)", f[i]);
			else
				row_err(e, m, r->line, "unknown key (peer, authz, max-lifetime, client-id)");
			return -1;
		}
		continue;
	twice:
		row_err(e, m, r->line, "%s= given twice", f[i]);
		return -1;
	}
	return 0;
}

static int parse_row(struct manifest *m, char *line, unsigned lineno, struct err *e)
{
	/* REQID, IDENTITY and the four keys; one more is an error. */
	char *f[6];
	struct manifest_row *r;
	char why[256];
	size_t nf;
	int too_many;

	nf = split_fields(line, f, sizeof f / sizeof f[0], &too_many);
	if (nf == 0)
		return 0; /* blank or comment */
	if (too_many) {
		row_err(e, m, lineno, "more than 6 fields");
		return -1;
	}
	if (!is_digits(f[0], MANIFEST_REQID_MAX)) {
		row_err(e, m, lineno, "the request ID must be 1 to %d digits",
		             MANIFEST_REQID_MAX);
		return -1;
	}
	if (nf < 2) {
		row_err(e, m, lineno, "request %s has no expected identity", f[0]);
		return -1;
	}
	if (!approve_identity_plain(f[1])) {
		row_err(e, m, lineno, "the identity of request %s is not a plain user@domain "
		             "(letters, digits, . _ - +)", f[0]);
		return -1;
	}
	if (m->n == MANIFEST_MAX_ROWS) {
		row_err(e, m, lineno, "more than %d rows", MANIFEST_MAX_ROWS);
		return -1;
	}
	r = &m->row[m->n];
	memset(r, 0, sizeof *r);
	r->line = lineno;
	r->reqid = f[0];
	r->x.identity = f[1];
	r->x.max_lifetime = -1;
	if (parse_keys(m, r, f, nf, e) != 0)
		return -1;
	if (approve_expect_valid(&r->x, why, sizeof why) != 0) {
		row_err(e, m, lineno, "%s", why);
		return -1;
	}
	m->n++;
	return 0;
}

/* qsort has no context argument: the rows being sorted. */
static const struct manifest *sort_m;

static int cmp_order(const void *a, const void *b)
{
	const struct manifest_row *x = &sort_m->row[*(const uint16_t *)a];
	const struct manifest_row *y = &sort_m->row[*(const uint16_t *)b];
	int c = strcmp(x->reqid, y->reqid);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Sort the row indices by REQID; each REQID once. */
static int sort_rows(struct manifest *m, struct err *e)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		m->order[i] = (uint16_t)i;
	sort_m = m;
	qsort(m->order, m->n, sizeof m->order[0], cmp_order);
	for (i = 1; i < m->n; i++) {
		const struct manifest_row *a = &m->row[m->order[i - 1]], *b = &m->row[m->order[i]];
		if (strcmp(a->reqid, b->reqid) == 0) {
			row_err(e, m, b->line, "request %s is already expected on line %u", b->reqid,
			        a->line);
			return -1;
		}
	}
	return 0;
}

long manifest_find(const struct manifest *m, const char *reqid)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->row[m->order[mid]].reqid, reqid);
		if (c == 0)
			return m->order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int manifest_parse(struct manifest *m, const char *name, size_t len, struct err *e)
{
	char *p = m->text, *end = m->text + len;
	unsigned lineno = 0;

	m->name = name;
	m->n = 0;
	m->text[len] = '\0';
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		size_t n;
		char *q;

		lineno++;
		if (eol > p && eol[-1] == '\r' && nl)
			eol--; /* CR LF */
		n = (size_t)(eol - p);
		if (n > MANIFEST_LINE_MAX) {
			row_err(e, m, lineno, "line longer than %d bytes", MANIFEST_LINE_MAX);
			goto fail;
		}
		for (q = p; q < eol; q++) {
			unsigned char c = (unsigned char)*q;
			if (c == '\0') {
				row_err(e, m, lineno, "NUL byte");
				goto fail;
			}
			if (c == '\r') {
				row_err(e, m, lineno, "carriage return inside a line (only LF or CR LF "
				             "end a line)");
				goto fail;
			}
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				row_err(e, m, lineno, "control character 0x%02x", c);
				goto fail;
			}
		}
		*eol = '\0';
		if (parse_row(m, p, lineno, e) != 0)
			goto fail;
		p = nl ? nl + 1 : end;
	}
	if (m->n == 0) {
		err_push(e, "TOKENBOX", 1, "%s: no expected request in the file", name);
		goto fail;
	}
	if (sort_rows(m, e) != 0)
		goto fail;
	return 0;
fail:
	m->n = 0;
	return -1;
}

int manifest_load(struct manifest *m, const char *path, struct err *e)
{
	size_t len = 0;
	int rc;

	m->n = 0;
	if (strcmp(path, "-") == 0)
		rc = port_stdin_read(m->text, sizeof m->text, &len);
	else
		rc = port_file_read(path, m->text, sizeof m->text, &len, NULL);
	if (rc == PORT_ETOOBIG) {
		err_push(e, "TOKENBOX", 1, "%s: larger than %d bytes", path, MANIFEST_MAX_BYTES);
		return -1;
	}
	if (rc != 0) {
		err_push(e, "TOKENBOX", 1, "%s: cannot read: %s", path,
		         port_strerror(port_last_errno()));
		return -1;
	}
	return manifest_parse(m, path, len, e);
}
