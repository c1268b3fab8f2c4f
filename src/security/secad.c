/*
 * secad.c - literal-only ClassAds for the security handshake.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secad.h"

void secad_clear(struct secad *ad)
{
	ad->n = 0;
	ad->used = 0;
}

static int find(const struct secad *ad, const char *name)
{
	for (int i = 0; i < ad->n; i++)
		if (strcasecmp(ad->a[i].name, name) == 0)
			return i;
	return -1;
}

void secad_delete(struct secad *ad, const char *name)
{
	int i = find(ad, name);
	if (i < 0)
		return;
	/* text stays allocated: ads are small and short-lived */
	memmove(&ad->a[i], &ad->a[i + 1], (size_t)(ad->n - i - 1) * sizeof ad->a[0]);
	ad->n--;
}

static char *alloc_text(struct secad *ad, size_t n, struct err *e)
{
	char *p;
	if (n > SECAD_TEXT_MAX - ad->used) {
		err_push(e, "SECMAN", 2001, "ClassAd text exceeds SECAD_TEXT_MAX (%d bytes)",
		         SECAD_TEXT_MAX);
		return NULL;
	}
	p = ad->text + ad->used;
	ad->used += n;
	return p;
}

static int valid_name(const char *name, size_t n)
{
	if (n == 0 || n > SECAD_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' ||
		      (i > 0 && ch >= '0' && ch <= '9')))
			return 0;
	}
	return 1;
}

static int set_raw(struct secad *ad, const char *name, size_t nlen, const char *expr,
                   size_t elen, struct err *e)
{
	char *np, *ep;
	int i;
	if (!valid_name(name, nlen)) {
		err_push(e, "SECMAN", 2001, "Bad ClassAd attribute name '%.*s' (at most SECAD_NAME_MAX=%d)",
		         (int)(nlen > 80 ? 80 : nlen), name, SECAD_NAME_MAX);
		return -1;
	}
	np = alloc_text(ad, nlen + 1, e);
	if (!np)
		return -1;
	memcpy(np, name, nlen);
	np[nlen] = '\0';
	ep = alloc_text(ad, elen + 1, e);
	if (!ep)
		return -1;
	memcpy(ep, expr, elen);
	ep[elen] = '\0';
	i = find(ad, np);
	if (i < 0) {
		if (ad->n >= SECAD_MAX_ATTRS) {
			err_push(e, "SECMAN", 2001, "ClassAd has more than SECAD_MAX_ATTRS (%d) attributes",
			         SECAD_MAX_ATTRS);
			return -1;
		}
		i = ad->n++;
	}
	ad->a[i].name = np;
	ad->a[i].expr = ep;
	return 0;
}

int secad_set_expr(struct secad *ad, const char *name, const char *expr, struct err *e)
{
	return set_raw(ad, name, strlen(name), expr, strlen(expr), e);
}

int secad_set_str(struct secad *ad, const char *name, const char *val, struct err *e)
{
	/* Worst case every byte escaped, plus quotes; built in the ad's own
	 * buffer so no big stack copy is needed. */
	size_t n = strlen(val), k = 0;
	char *q = alloc_text(ad, 2 * n + 3, e);
	int rc;
	if (!q)
		return -1;
	q[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (val[i] == '"' || val[i] == '\\')
			q[k++] = '\\';
		q[k++] = val[i];
	}
	q[k++] = '"';
	q[k] = '\0';
	rc = set_raw(ad, name, strlen(name), q, k, e);
	return rc;
}

int secad_set_int(struct secad *ad, const char *name, int64_t v, struct err *e)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", (long long)v);
	return secad_set_expr(ad, name, b, e);
}

int secad_set_bool(struct secad *ad, const char *name, int v, struct err *e)
{
	return secad_set_expr(ad, name, v ? "true" : "false", e);
}

const char *secad_expr(const struct secad *ad, const char *name)
{
	int i = find(ad, name);
	return i < 0 ? NULL : ad->a[i].expr;
}

int secad_get_str(const struct secad *ad, const char *name, char *buf, size_t cap)
{
	const char *x = secad_expr(ad, name);
	size_t n, k = 0;
	if (!x)
		return 0;
	n = strlen(x);
	if (n < 2 || x[0] != '"' || x[n - 1] != '"')
		return -1;
	for (size_t i = 1; i + 1 < n; i++) {
		char ch = x[i];
		if (ch == '\\' && i + 2 < n) {
			ch = x[++i];
			if (ch == 'n')
				ch = '\n';
			else if (ch == 't')
				ch = '\t';
		} else if (ch == '"') {
			return -1; /* an unescaped quote: not a single literal */
		}
		if (k + 1 >= cap)
			return -1;
		buf[k++] = ch;
	}
	if (cap == 0)
		return -1;
	buf[k] = '\0';
	return 1;
}

int secad_get_int(const struct secad *ad, const char *name, int64_t *v)
{
	const char *x = secad_expr(ad, name);
	char *end;
	long long ll;
	if (!x)
		return 0;
	if (!*x)
		return -1;
	ll = strtoll(x, &end, 10);
	if (*end)
		return -1;
	*v = ll;
	return 1;
}

int secad_get_bool(const struct secad *ad, const char *name, int *v)
{
	const char *x = secad_expr(ad, name);
	if (!x)
		return 0;
	if (strcasecmp(x, "true") == 0)
		*v = 1;
	else if (strcasecmp(x, "false") == 0)
		*v = 0;
	else
		return -1;
	return 1;
}

static int cmp_len(const void *pa, const void *pb)
{
	const struct secad_attr *a = pa, *b = pb;
	size_t la = strlen(a->name), lb = strlen(b->name);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcasecmp(a->name, b->name);
}

static int cmp_alpha(const void *pa, const void *pb)
{
	const struct secad_attr *a = pa, *b = pb;
	return strcasecmp(a->name, b->name);
}

void secad_sort_by_length(struct secad *ad)
{
	qsort(ad->a, (size_t)ad->n, sizeof ad->a[0], cmp_len);
}

void secad_sort_alpha(struct secad *ad)
{
	qsort(ad->a, (size_t)ad->n, sizeof ad->a[0], cmp_alpha);
}

int secad_put(struct cedar *c, const struct secad *ad, struct err *e)
{
	char line[SECAD_TEXT_MAX + SECAD_NAME_MAX + 4];
	if (cedar_put_int(c, ad->n, e) < 0)
		return -1;
	for (int i = 0; i < ad->n; i++) {
		snprintf(line, sizeof line, "%s = %s", ad->a[i].name, ad->a[i].expr);
		if (cedar_put_str(c, line, e) < 0)
			return -1;
	}
	if (cedar_put_str(c, "", e) < 0 || cedar_put_str(c, "", e) < 0)
		return -1;
	return 0;
}

int secad_add_line(struct secad *ad, const char *line, size_t len, struct err *e)
{
	const char *eq = memchr(line, '=', len);
	size_t ns, ne, vs, ve;
	if (!eq) {
		err_push(e, "SECMAN", 2007, "Malformed ClassAd attribute (no '=')");
		return -1;
	}
	ns = 0;
	while (ns < len && (line[ns] == ' ' || line[ns] == '\t'))
		ns++;
	ne = (size_t)(eq - line);
	while (ne > ns && (line[ne - 1] == ' ' || line[ne - 1] == '\t'))
		ne--;
	vs = (size_t)(eq - line) + 1;
	while (vs < len && (line[vs] == ' ' || line[vs] == '\t'))
		vs++;
	ve = len;
	while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t' || line[ve - 1] == '\n'))
		ve--;
	if (set_raw(ad, line + ns, ne - ns, line + vs, ve - vs, e) < 0) {
		err_push(e, "SECMAN", 2007, "Malformed ClassAd attribute from peer");
		return -1;
	}
	return 0;
}

int secad_get(struct cedar *c, struct secad *ad, struct err *e)
{
	int64_t n;
	const char *s;
	size_t len;
	secad_clear(ad);
	if (cedar_get_int(c, &n, e) < 0)
		return -1;
	if (n < 0 || n > SECAD_MAX_ATTRS) {
		err_push(e, "SECMAN", 2007,
		         "ClassAd with %lld attributes (limit SECAD_MAX_ATTRS=%d)", (long long)n,
		         SECAD_MAX_ATTRS);
		return -1;
	}
	for (int64_t i = 0; i < n; i++) {
		if (cedar_get_str_ptr(c, &s, &len, e) < 0)
			return -1;
		if (!s) {
			err_push(e, "SECMAN", 2007, "NULL string inside a ClassAd");
			return -1;
		}
		if (secad_add_line(ad, s, len, e) < 0)
			return -1;
	}
	/* MyType and TargetType: unused by the handshake */
	for (int i = 0; i < 2; i++)
		if (cedar_get_str_ptr(c, &s, &len, e) < 0)
			return -1;
	return 0;
}
