/*
 * classad.c - the attribute store: arena, sorted table, accessors, setters,
 * and parsing of whole ads from text.
 */
#include "classad_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int cad_casecmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++) {
		int x = lower((unsigned char)a[i]), y = lower((unsigned char)b[i]);
		if (x != y)
			return x - y;
	}
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

int cad_order(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return cad_casecmp(a, alen, b, blen);
}

int classad_init(struct classad *ad, void *arena, size_t len)
{
	uintptr_t p = (uintptr_t)arena, q = (p + 7) & ~(uintptr_t)7;

	memset(ad, 0, sizeof *ad);
	if (!arena || len < CLASSAD_ARENA_MIN + (q - p))
		return CLASSAD_EINVAL;
	len -= q - p;
	ad->mem = (unsigned char *)arena + (q - p);
	/* Keep the table at the top aligned for struct classad_attr. */
	ad->cap = len & ~(size_t)7;
	return 0;
}

void classad_clear(struct classad *ad)
{
	ad->used = 0;
	ad->nattr = 0;
}

unsigned classad_count(const struct classad *ad)
{
	return ad->nattr;
}

size_t cad_limit(const struct classad *ad)
{
	size_t top = ad->cap - ((size_t)ad->nattr + 1) * sizeof(struct classad_attr);
	return top > ad->used ? top : ad->used;
}

size_t classad_free_bytes(const struct classad *ad)
{
	return ad->cap - (size_t)ad->nattr * sizeof(struct classad_attr) - ad->used;
}

const char *classad_name_at(const struct classad *ad, unsigned i, size_t *len)
{
	const struct classad_attr *a;

	if (i >= ad->nattr) {
		*len = 0;
		return NULL;
	}
	a = &cad_table(ad)[i];
	*len = a->name_len;
	return cad_view(ad, a).text + a->name_off;
}

/* Binary search; returns the index, or -(insertion point) - 1. */
static long lookup(const struct classad *ad, const char *name, size_t nlen)
{
	const struct classad_attr *t = cad_table(ad);
	long lo = 0, hi = (long)ad->nattr - 1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		const struct classad_attr *a = &t[mid];
		int c = cad_order(cad_view(ad, a).text + a->name_off, a->name_len, name, nlen);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -lo - 1;
}

int classad_find(const struct classad *ad, const char *name)
{
	long i = lookup(ad, name, strlen(name));
	return i >= 0 ? (int)i : CLASSAD_ENOTFOUND;
}

int cad_check_name(const char *name, size_t nlen, struct err *e)
{
	if (nlen == 0) {
		err_push(e, "CLASSAD", -CLASSAD_EINVAL, "empty attribute name");
		return CLASSAD_EINVAL;
	}
	if (nlen > CLASSAD_MAX_NAME_LEN) {
		err_push(e, "CLASSAD", -CLASSAD_EBOUND,
		         "attribute name longer than CLASSAD_MAX_NAME_LEN (%d) bytes",
		         CLASSAD_MAX_NAME_LEN);
		return CLASSAD_EBOUND;
	}
	if (memchr(name, '=', nlen) || memchr(name, '\0', nlen)) {
		err_push(e, "CLASSAD", -CLASSAD_EINVAL, "attribute name contains '=' or NUL");
		return CLASSAD_EINVAL;
	}
	return 0;
}

int cad_commit(struct classad *ad, const struct cparse_out *o, struct err *e)
{
	const char *name = (const char *)ad->mem + ad->used +
	                   (size_t)o->nnode * sizeof(struct cnode) + o->name_off;
	long k = lookup(ad, name, o->name_len);
	struct classad_attr na;

	na.off = (uint32_t)ad->used;
	na.size = o->size;
	na.nnode = o->nnode;
	na.root = o->root;
	na.name_off = o->name_off;
	na.name_len = o->name_len;
	if (k >= 0) {
		/* Replace: close the old block's gap (this also moves the new
		 * block, built at the end), then fix the offsets. */
		struct classad_attr *t = cad_table(ad);
		uint32_t off = t[k].off, size = t[k].size;
		unsigned i;
		memmove(ad->mem + off, ad->mem + off + size, ad->used + o->size - (off + size));
		for (i = 0; i < ad->nattr; i++)
			if (t[i].off > off)
				t[i].off -= size;
		na.off -= size;
		t[k] = na;
		ad->used = ad->used + o->size - size;
		return 0;
	}
	if (ad->nattr >= CLASSAD_MAX_ATTRS) {
		err_push(e, "CLASSAD", -CLASSAD_EBOUND, "more than CLASSAD_MAX_ATTRS (%d) attributes",
		         CLASSAD_MAX_ATTRS);
		return CLASSAD_EBOUND;
	}
	/* The builders left room for one more table entry below the table. */
	{
		struct classad_attr *old = cad_table(ad), *nt = old - 1;
		size_t pos = (size_t)(-k - 1);
		memmove(nt, old, pos * sizeof *old);
		nt[pos] = na;
		ad->nattr++;
		ad->used += o->size;
	}
	return 0;
}

int classad_delete(struct classad *ad, const char *name)
{
	long k = lookup(ad, name, strlen(name));
	struct classad_attr *t;
	uint32_t off, size;
	unsigned i;

	if (k < 0)
		return CLASSAD_ENOTFOUND;
	t = cad_table(ad);
	off = t[k].off;
	size = t[k].size;
	memmove(ad->mem + off, ad->mem + off + size, ad->used - (off + size));
	for (i = 0; i < ad->nattr; i++)
		if (t[i].off > off)
			t[i].off -= size;
	ad->used -= size;
	/* Close the table gap: entries before k move up by one slot. */
	memmove(t + 1, t, (size_t)k * sizeof *t);
	ad->nattr--;
	return 0;
}

/* ---- accessors ---------------------------------------------------------- */

static const struct cnode *root_of(const struct classad *ad, const char *name, struct cview *v)
{
	long k = lookup(ad, name, strlen(name));
	const struct classad_attr *a;

	if (k < 0)
		return NULL;
	a = &cad_table(ad)[k];
	*v = cad_view(ad, a);
	return &v->n[a->root];
}

int classad_get_string(const struct classad *ad, const char *name, char *buf, size_t cap,
                       size_t *len)
{
	struct cview v;
	const struct cnode *n = root_of(ad, name, &v);

	if (!n)
		return CLASSAD_ENOTFOUND;
	if (n->kind != CN_STRING)
		return CLASSAD_ETYPE;
	if (len)
		*len = n->u.k.b;
	if (cap <= n->u.k.b) {
		if (cap)
			buf[0] = '\0';
		return CLASSAD_ETOOBIG;
	}
	memcpy(buf, v.text + n->u.k.a, n->u.k.b);
	buf[n->u.k.b] = '\0';
	return 0;
}

int classad_get_int(const struct classad *ad, const char *name, int64_t *out)
{
	struct cview v;
	const struct cnode *n = root_of(ad, name, &v);

	if (!n)
		return CLASSAD_ENOTFOUND;
	if (n->kind != CN_INT)
		return CLASSAD_ETYPE;
	*out = n->u.i;
	return 0;
}

int classad_get_bool(const struct classad *ad, const char *name, int *out)
{
	struct cview v;
	const struct cnode *n = root_of(ad, name, &v);

	if (!n)
		return CLASSAD_ENOTFOUND;
	if (n->kind != CN_BOOL)
		return CLASSAD_ETYPE;
	*out = n->u.i != 0;
	return 0;
}

int classad_get_real(const struct classad *ad, const char *name, double *out)
{
	struct cview v;
	const struct cnode *n = root_of(ad, name, &v);

	if (!n)
		return CLASSAD_ENOTFOUND;
	if (n->kind == CN_REAL) {
		*out = n->u.r;
		return 0;
	}
	if (n->kind == CN_INT) {
		*out = (double)n->u.i;
		return 0;
	}
	/* The unparser's spelling of the special values. */
	if (n->kind == CN_CALL && n->d == 1 && cad_casecmp(v.text + n->u.k.a, n->u.k.b, "real", 4) == 0) {
		const struct cnode *s = &v.n[n->c];
		if (s->kind == CN_STRING) {
			const char *p = v.text + s->u.k.a;
			if (cad_casecmp(p, s->u.k.b, "NaN", 3) == 0) {
				*out = NAN;
				return 0;
			}
			if (cad_casecmp(p, s->u.k.b, "INF", 3) == 0) {
				*out = INFINITY;
				return 0;
			}
			if (cad_casecmp(p, s->u.k.b, "-INF", 4) == 0) {
				*out = -INFINITY;
				return 0;
			}
		}
	}
	return CLASSAD_ETYPE;
}

enum classad_vtype classad_type(const struct classad *ad, const char *name)
{
	struct cview v;
	const struct cnode *n = root_of(ad, name, &v);

	if (!n)
		return CLASSAD_V_NONE;
	switch (n->kind) {
	case CN_INT: return CLASSAD_V_INT;
	case CN_REAL: return CLASSAD_V_REAL;
	case CN_BOOL: return CLASSAD_V_BOOL;
	case CN_STRING: return CLASSAD_V_STRING;
	case CN_UNDEF: return CLASSAD_V_UNDEFINED;
	case CN_ERROR: return CLASSAD_V_ERROR;
	case CN_LIST: return CLASSAD_V_LIST;
	case CN_AD: return CLASSAD_V_AD;
	default: return CLASSAD_V_EXPR;
	}
}

/* ---- setters -------------------------------------------------------------- */

static int set_literal(struct classad *ad, const char *name, const struct cnode *lit,
                       const char *s, size_t slen, struct err *e)
{
	struct cparse_out o;
	size_t nlen = strlen(name);
	int rc = cad_check_name(name, nlen, e);

	if (rc)
		return rc;
	rc = cad_literal_block(ad, cad_limit(ad), name, nlen, lit, s, slen, &o, e);
	if (rc)
		return rc;
	return cad_commit(ad, &o, e);
}

int classad_set_string_n(struct classad *ad, const char *name, const char *value, size_t n,
                         struct err *e)
{
	struct cnode lit;

	if (memchr(value, '\0', n)) {
		err_push(e, "CLASSAD", -CLASSAD_EINVAL, "string value contains NUL");
		return CLASSAD_EINVAL;
	}
	memset(&lit, 0, sizeof lit);
	lit.kind = CN_STRING;
	return set_literal(ad, name, &lit, value, n, e);
}

int classad_set_string(struct classad *ad, const char *name, const char *value, struct err *e)
{
	return classad_set_string_n(ad, name, value, strlen(value), e);
}

int classad_set_int(struct classad *ad, const char *name, int64_t value, struct err *e)
{
	struct cnode lit;

	memset(&lit, 0, sizeof lit);
	lit.kind = CN_INT;
	lit.u.i = value;
	return set_literal(ad, name, &lit, NULL, 0, e);
}

int classad_set_bool(struct classad *ad, const char *name, int value, struct err *e)
{
	struct cnode lit;

	memset(&lit, 0, sizeof lit);
	lit.kind = CN_BOOL;
	lit.u.i = value != 0;
	return set_literal(ad, name, &lit, NULL, 0, e);
}

int classad_set_real(struct classad *ad, const char *name, double value, struct err *e)
{
	struct cnode lit;
	char buf[32];

	/* NaN and infinities have no literal: store HTCondor's spelling. */
	if (isnan(value) || isinf(value)) {
		snprintf(buf, sizeof buf, "real(\"%s\")", isnan(value) ? "NaN" : value > 0 ? "INF" : "-INF");
		return classad_set_expr(ad, name, buf, e);
	}
	memset(&lit, 0, sizeof lit);
	lit.kind = CN_REAL;
	lit.u.r = value;
	return set_literal(ad, name, &lit, NULL, 0, e);
}

static int insert_expr(struct classad *ad, size_t limit, const char *name, size_t nlen,
                       const char *src, size_t len, size_t pos_base, struct err *e)
{
	struct cparse_out o;
	int rc = cad_check_name(name, nlen, e);

	if (rc)
		return rc;
	rc = cad_parse_block(ad, limit, name, nlen, src, len, CLASSAD_SYNTAX_OLD, pos_base,
	                     &o, e);
	if (rc)
		return rc;
	return cad_commit(ad, &o, e);
}

int classad_set_expr(struct classad *ad, const char *name, const char *expr, struct err *e)
{
	return insert_expr(ad, cad_limit(ad), name, strlen(name), expr, strlen(expr), 0, e);
}

/* ---- whole ads from text --------------------------------------------------- */

static int blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int classad_parse_line(struct classad *ad, const char *line, size_t len, struct err *e)
{
	return cad_parse_line_lim(ad, line, len, cad_limit(ad), e);
}

int cad_parse_line_lim(struct classad *ad, const char *line, size_t len, size_t limit,
                       struct err *e)
{
	const char *p = line, *end = line + len, *eq, *q;

	if (len > CLASSAD_MAX_EXPR_LEN) {
		err_push(e, "CLASSAD", -CLASSAD_EBOUND,
		         "attribute line longer than CLASSAD_MAX_EXPR_LEN (%d) bytes",
		         CLASSAD_MAX_EXPR_LEN);
		return CLASSAD_EBOUND;
	}
	while (p < end && blank((unsigned char)*p))
		p++;
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq) {
		err_push(e, "CLASSAD", -CLASSAD_EPARSE, "attribute line has no '='");
		return CLASSAD_EPARSE;
	}
	/* HTCondor trims only spaces around the name and before the value. */
	q = eq;
	while (q > p && q[-1] == ' ')
		q--;
	if (q == p) {
		err_push(e, "CLASSAD", -CLASSAD_EPARSE, "attribute line has an empty name");
		return CLASSAD_EPARSE;
	}
	{
		const char *v = eq + 1;
		while (v < end && *v == ' ')
			v++;
		return insert_expr(ad, limit, p, (size_t)(q - p), v, (size_t)(end - v),
		                   (size_t)(v - line), e);
	}
}

int classad_parse_old(struct classad *ad, const char *text, size_t len, struct err *e)
{
	size_t pos = 0;
	unsigned lineno = 0;

	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, k = 0;
		int rc;

		lineno++;
		pos += n + (nl ? 1 : 0);
		if (n && s[n - 1] == '\r')
			n--;
		while (k < n && blank((unsigned char)s[k]))
			k++;
		if (k == n || s[k] == '#')
			continue;
		rc = classad_parse_line(ad, s, n, e);
		if (rc) {
			err_push(e, "CLASSAD", -rc, "line %u of the ad", lineno);
			return rc;
		}
	}
	return 0;
}

int classad_parse_new(struct classad *ad, const char *text, size_t len, struct err *e)
{
	return cad_parse_new_ad(ad, text, len, e);
}

int classad_parse_text(struct classad *ad, const char *text, size_t len, struct err *e)
{
	size_t i = 0;

	while (i < len && blank((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '[')
		return classad_parse_new(ad, text, len, e);
	return classad_parse_old(ad, text, len, e);
}

/* ---- private attributes ---------------------------------------------------- */

int classad_is_private(const char *name, size_t len)
{
	static const char *const v1[] = { "Capability", "ChildClaimIds", "ClaimId",
		                          "ClaimIdList", "ClaimIds", "TransferKey" };
	size_t i;

	for (i = 0; i < sizeof v1 / sizeof v1[0]; i++)
		if (cad_casecmp(name, len, v1[i], strlen(v1[i])) == 0)
			return 1;
	if (len >= 12 && cad_casecmp(name, 12, "_condor_priv", 12) == 0)
		return 2;
	return 0;
}
