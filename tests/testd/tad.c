/*
 * tad.c - the test daemon's wire ClassAds (see tad.h).
 */
#include "tad.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void tad_clear(struct tad *ad)
{
	ad->n = 0;
	ad->used = 0;
}

static int name_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcasecmp(a, b);
}

static int find(const struct tad *ad, const char *name)
{
	int i;
	for (i = 0; i < ad->n; i++)
		if (!strcasecmp(ad->a[i].name, name))
			return i;
	return -1;
}

/* Text storage only grows; a replaced value leaves its old bytes behind,
 * which is fine for the few replacements the daemon does per ad. */
static char *store(struct tad *ad, const char *s, size_t n, struct err *e)
{
	char *p;
	if (ad->used + n + 1 > sizeof ad->text) {
		err_push(e, "TESTD", 1, "ClassAd over TAD_TEXT_MAX (%d bytes)", TAD_TEXT_MAX);
		return NULL;
	}
	p = ad->text + ad->used;
	memcpy(p, s, n);
	p[n] = '\0';
	ad->used += n + 1;
	return p;
}

static int set_n(struct tad *ad, const char *name, size_t nl, const char *expr, size_t el,
                 struct err *e)
{
	char nm[TAD_NAME_MAX + 1];
	int i, at;
	const char *np, *ep;

	if (nl == 0 || nl > TAD_NAME_MAX || memchr(name, '\0', nl)) {
		err_push(e, "TESTD", 1, "bad attribute name (empty, NUL or over TAD_NAME_MAX %d)",
		         TAD_NAME_MAX);
		return -1;
	}
	memcpy(nm, name, nl);
	nm[nl] = '\0';
	i = find(ad, nm);
	if (i >= 0) {
		ep = store(ad, expr, el, e);
		if (!ep)
			return -1;
		ad->a[i].expr = ep;
		return 0;
	}
	if (ad->n == TAD_MAX_ATTRS) {
		err_push(e, "TESTD", 1, "ClassAd over TAD_MAX_ATTRS (%d attributes)", TAD_MAX_ATTRS);
		return -1;
	}
	np = store(ad, nm, nl, e);
	ep = np ? store(ad, expr, el, e) : NULL;
	if (!ep)
		return -1;
	for (at = 0; at < ad->n && name_cmp(ad->a[at].name, nm) < 0; at++)
		;
	memmove(&ad->a[at + 1], &ad->a[at], (size_t)(ad->n - at) * sizeof ad->a[0]);
	ad->a[at].name = np;
	ad->a[at].expr = ep;
	ad->n++;
	return 0;
}

int tad_set_expr(struct tad *ad, const char *name, const char *expr, struct err *e)
{
	return set_n(ad, name, strlen(name), expr, strlen(expr), e);
}

int tad_set_str(struct tad *ad, const char *name, const char *val, struct err *e)
{
	static char q[TAD_TEXT_MAX];
	size_t k = 0, i;
	q[k++] = '"';
	for (i = 0; val[i]; i++) {
		if (k + 3 >= sizeof q) {
			err_push(e, "TESTD", 1, "string value over TAD_TEXT_MAX (%d bytes)", TAD_TEXT_MAX);
			return -1;
		}
		if (val[i] == '"')
			q[k++] = '\\';
		q[k++] = val[i];
	}
	q[k++] = '"';
	return set_n(ad, name, strlen(name), q, k, e);
}

int tad_set_int(struct tad *ad, const char *name, int64_t v, struct err *e)
{
	char t[32];
	snprintf(t, sizeof t, "%lld", (long long)v);
	return tad_set_expr(ad, name, t, e);
}

int tad_set_bool(struct tad *ad, const char *name, int v, struct err *e)
{
	return tad_set_expr(ad, name, v ? "true" : "false", e);
}

void tad_delete(struct tad *ad, const char *name)
{
	int i = find(ad, name);

	if (i < 0)
		return;
	memmove(&ad->a[i], &ad->a[i + 1], (size_t)(ad->n - i - 1) * sizeof ad->a[0]);
	ad->n--;
}

void tad_reorder(struct tad *ad, const char *const *order, size_t n)
{
	struct tad_attr out[TAD_MAX_ATTRS];
	int used[TAD_MAX_ATTRS] = {0};
	int k = 0, i;
	size_t j;

	for (j = 0; j < n; j++) {
		i = find(ad, order[j]);
		if (i >= 0 && !used[i]) {
			out[k++] = ad->a[i];
			used[i] = 1;
		}
	}
	for (i = 0; i < ad->n; i++)
		if (!used[i])
			out[k++] = ad->a[i];
	memcpy(ad->a, out, (size_t)k * sizeof out[0]);
}

void tad_names(const struct tad *ad, char *buf, size_t cap)
{
	size_t len = 0;
	int i;

	if (cap)
		buf[0] = '\0';
	for (i = 0; i < ad->n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "," : "", ad->a[i].name);
}

const char *tad_expr(const struct tad *ad, const char *name)
{
	int i = find(ad, name);
	return i < 0 ? NULL : ad->a[i].expr;
}

int tad_unquote(const char *s, char *buf, size_t cap)
{
	size_t n = strlen(s), i, o = 0;
	if (n < 2 || s[0] != '"')
		return -1;
	for (i = 1; i < n; i++) {
		char ch = s[i];
		if (ch == '\\' && i + 1 < n && s[i + 1] == '"') {
			if (i + 2 == n) {
				/* \" ending the text closes the string; the
				 * backslash stays (classad-wire.md §3.1). */
				if (o + 1 >= cap)
					return -1;
				buf[o++] = '\\';
				buf[o] = '\0';
				return 0;
			}
			ch = '"';
			i++;
		} else if (ch == '"') {
			if (i + 1 != n)
				return -1; /* more after the string: an expression */
			buf[o] = '\0';
			return 0;
		}
		if (o + 1 >= cap)
			return -1;
		buf[o++] = ch;
	}
	return -1;
}

int tad_get_str(const struct tad *ad, const char *name, char *buf, size_t cap)
{
	const char *x = tad_expr(ad, name);
	if (!x)
		return 0;
	return tad_unquote(x, buf, cap) == 0 ? 1 : -1;
}

int tad_get_int(const struct tad *ad, const char *name, int64_t *v)
{
	const char *x = tad_expr(ad, name);
	const char *p;
	long long acc = 0;
	int neg = 0;
	if (!x)
		return 0;
	p = x;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || acc > (9223372036854775807LL - 9) / 10)
			return -1;
		acc = acc * 10 + (*p - '0');
	}
	*v = neg ? -acc : acc;
	return 1;
}

int tad_get_bool(const struct tad *ad, const char *name, int *v)
{
	const char *x = tad_expr(ad, name);
	if (!x)
		return 0;
	if (!strcasecmp(x, "true")) {
		*v = 1;
		return 1;
	}
	if (!strcasecmp(x, "false")) {
		*v = 0;
		return 1;
	}
	return -1;
}

static int name_cmp_alpha(const char *a, const char *b)
{
	return strcasecmp(a, b);
}

int tad_put(struct cedar *c, const struct tad *ad, const char *const *names, size_t nnames,
            struct err *e)
{
	static char line[TAD_TEXT_MAX + TAD_NAME_MAX + 4];
	int idx[TAD_MAX_ATTRS];
	int n = 0, i, j;

	if (nnames) {
		for (i = 0; i < ad->n; i++) {
			size_t k;
			for (k = 0; k < nnames; k++)
				if (!strcasecmp(names[k], ad->a[i].name))
					break;
			if (k < nnames)
				idx[n++] = i;
		}
		/* a projection goes out in case-insensitive name order */
		for (i = 1; i < n; i++)
			for (j = i; j > 0 && name_cmp_alpha(ad->a[idx[j - 1]].name,
			                                    ad->a[idx[j]].name) > 0; j--) {
				int t = idx[j];
				idx[j] = idx[j - 1];
				idx[j - 1] = t;
			}
	} else {
		for (i = 0; i < ad->n; i++)
			idx[n++] = i;
	}
	if (cedar_put_int(c, n, e) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "%s = %s", ad->a[idx[i]].name, ad->a[idx[i]].expr);
		if (cedar_put_str(c, line, e) != 0)
			return -1;
	}
	if (cedar_put_str(c, "", e) != 0 || cedar_put_str(c, "", e) != 0)
		return -1;
	return 0;
}

int tad_get(struct cedar *c, struct tad *ad, struct err *e)
{
	int64_t n, i;
	const char *s;
	size_t len;

	tad_clear(ad);
	if (cedar_get_int(c, &n, e) != 0)
		return -1;
	if (n < 0 || n > TAD_MAX_ATTRS) {
		err_push(e, "TESTD", 1, "ClassAd with %lld attributes (TAD_MAX_ATTRS is %d)",
		         (long long)n, TAD_MAX_ATTRS);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *eq, *ns, *ne, *vs, *ve;
		if (cedar_get_str_ptr(c, &s, &len, e) != 0)
			return -1;
		if (!s) {
			err_push(e, "TESTD", 1, "NULL string in a ClassAd");
			return -1;
		}
		eq = memchr(s, '=', len);
		if (!eq) {
			err_push(e, "TESTD", 1, "ClassAd line without '='");
			return -1;
		}
		for (ns = s; ns < eq && isspace((unsigned char)*ns); ns++)
			;
		for (ne = eq; ne > ns && isspace((unsigned char)ne[-1]); ne--)
			;
		for (vs = eq + 1; vs < s + len && isspace((unsigned char)*vs); vs++)
			;
		for (ve = s + len; ve > vs && isspace((unsigned char)ve[-1]); ve--)
			;
		if (ve == vs) {
			err_push(e, "TESTD", 1, "ClassAd line without a value");
			return -1;
		}
		if (set_n(ad, ns, (size_t)(ne - ns), vs, (size_t)(ve - vs), e) != 0)
			return -1;
	}
	/* MyType, TargetType */
	if (cedar_get_str_ptr(c, &s, &len, e) != 0 || cedar_get_str_ptr(c, &s, &len, e) != 0)
		return -1;
	return 0;
}
