/*
 * classad_print.c - HTCondor's ClassAdUnParser, old and new syntax, plus the
 * terminal-safe rendering and the sinks.
 *
 * Byte-exact rules (classad-wire.md section 4, HTCondor src/classad/sink.cpp):
 *  - old syntax strings escape only the delimiter; everything else is raw;
 *  - new syntax strings use C escapes and \ooo octal for every byte that is
 *    not printable ASCII;
 *  - reals: 0 as %.1f, NaN/Inf as real("NaN")/real("INF")/real("-INF"),
 *    otherwise %.16G (+".0" if it looks like an integer) in old syntax and
 *    %1.15E in new syntax;
 *  - binary operators with one space each side, unary operators as " -x",
 *    parentheses only where the source had them, lists "{ a,b }", nested
 *    ads "[ a = 1; b = 2 ]", calls "f(a,b)";
 *  - names are quoted 'like this' unless [A-Za-z_][A-Za-z0-9_]* and not a
 *    reserved word; a name after '.' is printed raw.
 */
#include "classad_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- sinks ---------------------------------------------------------------- */

void cout_put(struct cout *o, const char *p, size_t n)
{
	if (o->failed || n == 0)
		return;
	if (o->s->write(o->s->ctx, p, n) < 0)
		o->failed = 1;
}

void cout_str(struct cout *o, const char *z)
{
	cout_put(o, z, strlen(z));
}

static int buf_write(void *ctx, const char *p, size_t n)
{
	struct classad_buf *b = ctx;

	if (b->overflow || b->cap == 0 || n > b->cap - 1 - b->len) {
		b->overflow = 1;
		return -1;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

void classad_sink_buf(struct classad_sink *s, struct classad_buf *b, char *buf, size_t cap)
{
	b->p = buf;
	b->cap = cap;
	b->len = 0;
	b->overflow = 0;
	if (cap)
		buf[0] = '\0';
	s->write = buf_write;
	s->ctx = b;
}

/* ---- UTF-8 and safety -------------------------------------------------------- */

size_t cad_utf8_len(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int cad_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 ||
	       cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int classad_str_unsafe(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = cad_utf8_len(p + i, n - i, &cp);
		if (k == 0 || cad_cp_unsafe(cp))
			return 1;
		i += k;
	}
	return 0;
}

static const char hexd[] = "0123456789abcdef";

/* Safe rendering of string/name bytes (see classad.h). */
static void put_safe(struct cout *o, const char *s, size_t n, int delim)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = cad_utf8_len(p + i, n - i, &cp);
		char esc[8];
		size_t elen = 0;

		if (k == 0) {
			esc[0] = '\\'; esc[1] = 'x';
			esc[2] = hexd[p[i] >> 4]; esc[3] = hexd[p[i] & 15];
			elen = 4;
			k = 1;
		} else if (cp == (uint32_t)delim) {
			esc[0] = '\\'; esc[1] = (char)delim;
			elen = 2;
		} else if (cp == '\\') {
			esc[0] = '\\'; esc[1] = '\\';
			elen = 2;
		} else if (cad_cp_unsafe(cp)) {
			esc[0] = '\\';
			if (cp == '\n') { esc[1] = 'n'; elen = 2; }
			else if (cp == '\t') { esc[1] = 't'; elen = 2; }
			else if (cp == '\r') { esc[1] = 'r'; elen = 2; }
			else if (cp < 0x80) {
				esc[1] = 'x'; esc[2] = hexd[cp >> 4]; esc[3] = hexd[cp & 15];
				elen = 4;
			} else {
				esc[1] = 'u';
				esc[2] = hexd[(cp >> 12) & 15]; esc[3] = hexd[(cp >> 8) & 15];
				esc[4] = hexd[(cp >> 4) & 15]; esc[5] = hexd[cp & 15];
				elen = 6;
			}
		}
		if (elen) {
			cout_put(o, s + i - run, run);
			run = 0;
			cout_put(o, esc, elen);
		} else {
			run += k;
		}
		i += k;
	}
	cout_put(o, s + n - run, run);
}

/* HTCondor's UnparseString, delimiter delim. */
static void put_string(struct cout *o, const char *s, size_t n, int delim, int oldclassad,
                       unsigned flags)
{
	size_t i, run = 0;

	if (oldclassad && (flags & CLASSAD_PRINT_SAFE)) {
		put_safe(o, s, n, delim);
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[5];
		size_t elen = 0;

		if (c == delim) {
			esc[0] = '\\'; esc[1] = (char)c;
			elen = 2;
		} else if (!oldclassad) {
			const char *named = NULL;
			switch (c) {
			case '\a': named = "\\a"; break;
			case '\b': named = "\\b"; break;
			case '\f': named = "\\f"; break;
			case '\n': named = "\\n"; break;
			case '\r': named = "\\r"; break;
			case '\t': named = "\\t"; break;
			case '\v': named = "\\v"; break;
			case '\\': named = "\\\\"; break;
			default: break;
			}
			if (named) {
				memcpy(esc, named, 2);
				elen = 2;
			} else if (c < 0x20 || c >= 0x7f) {
				/* not isprint() in the C locale: octal */
				esc[0] = '\\';
				esc[1] = (char)('0' + (c >> 6));
				esc[2] = (char)('0' + ((c >> 3) & 7));
				esc[3] = (char)('0' + (c & 7));
				elen = 4;
			}
		}
		if (elen) {
			cout_put(o, s + i - run, run);
			run = 0;
			cout_put(o, esc, elen);
		} else {
			run++;
		}
	}
	cout_put(o, s + n - run, run);
}

static int needs_quoting(const char *p, size_t n)
{
	static const char *const reserved[] = { "error", "false", "is", "isnt",
		                                "parent", "true", "undefined" };
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		if (!alpha && (i == 0 || !(c >= '0' && c <= '9')))
			return 1;
	}
	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (cad_casecmp(p, n, reserved[i], strlen(reserved[i])) == 0)
			return 1;
	return 0;
}

void cad_unparse_name(struct cout *o, const char *p, size_t n, int oldclassad, unsigned flags)
{
	/* HTCondor escapes the name like a string delimited by ' and then
	 * adds the quotes only when the name needs them. */
	int q = needs_quoting(p, n);

	if (q)
		cout_put(o, "'", 1);
	put_string(o, p, n, '\'', oldclassad, flags);
	if (q)
		cout_put(o, "'", 1);
}

/* A raw name (after '.', in a call, or in the long form). */
static void put_raw(struct cout *o, const char *p, size_t n, unsigned flags)
{
	if (flags & CLASSAD_PRINT_SAFE)
		put_safe(o, p, n, -1);
	else
		cout_put(o, p, n);
}

int classad_print_str_safe(const char *s, size_t n, const struct classad_sink *out)
{
	struct cout o = { out, 0 };

	put_safe(&o, s, n, -1);
	return o.failed ? -1 : 0;
}

const char *classad_safe_cstr(char *buf, size_t cap, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct classad_sink sink;
	struct classad_buf b;
	size_t n = strlen(s), i = 0, len = 0;

	if (cap == 0)
		return buf;
	classad_sink_buf(&sink, &b, buf, cap);
	if (classad_print_str_safe(s, n, &sink) == 0)
		return buf;
	/* Too long: render one character at a time while it and the "..."
	 * still fit, so an escape or a UTF-8 sequence is never split. */
	buf[0] = '\0';
	while (i < n && cap > 4) {
		char one[8];
		struct classad_sink os;
		struct classad_buf ob;
		uint32_t cp;
		size_t k = cad_utf8_len(p + i, n - i, &cp);

		if (k == 0)
			k = 1;
		classad_sink_buf(&os, &ob, one, sizeof one);
		classad_print_str_safe(s + i, k, &os);
		if (len + ob.len > cap - 4)
			break;
		memcpy(buf + len, one, ob.len);
		len += ob.len;
		i += k;
	}
	if (cap > 4) {
		memcpy(buf + len, "...", 4);
	} else {
		buf[0] = '\0';
	}
	return buf;
}

const char *classad_clean_cstr(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (classad_str_unsafe(s, n))
		return classad_safe_cstr(buf, cap, s);
	if (cap)
		snprintf(buf, cap, "%s", s);
	return buf;
}

void cad_format_real(char *buf, size_t cap, double r, int old)
{
	if (r == 0.0) {
		snprintf(buf, cap, "%.1f", r);
	} else if (isnan(r)) {
		snprintf(buf, cap, "real(\"NaN\")");
	} else if (isinf(r)) {
		snprintf(buf, cap, r < 0 ? "real(\"-INF\")" : "real(\"INF\")");
	} else if (old) {
		snprintf(buf, cap, "%.16G", r);
		if (buf[strcspn(buf, ".Ee")] == '\0' && strlen(buf) + 3 <= cap)
			strcat(buf, ".0");
	} else {
		snprintf(buf, cap, "%1.15E", r);
	}
}

static const char *const op_text[OP_COUNT] = {
	[OP_UPLUS] = " +", [OP_UMINUS] = " -", [OP_NOT] = " !", [OP_BITNOT] = " ~",
	[OP_OR] = " || ", [OP_AND] = " && ", [OP_BITOR] = " | ", [OP_BITXOR] = " ^ ",
	[OP_BITAND] = " & ", [OP_EQ] = " == ", [OP_NE] = " != ", [OP_META_EQ] = " is ",
	[OP_META_NE] = " isnt ", [OP_LT] = " < ", [OP_LE] = " <= ", [OP_GT] = " > ",
	[OP_GE] = " >= ", [OP_SHL] = " << ", [OP_SHR] = " >> ", [OP_USHR] = " >>> ",
	[OP_ADD] = " + ", [OP_SUB] = " - ", [OP_MUL] = " * ", [OP_DIV] = " / ",
	[OP_MOD] = " % ", [OP_ELVIS] = " ?: "
};

void cad_unparse(struct cout *o, struct cview v, uint32_t i, int old, unsigned flags)
{
	const struct cnode *n = &v.n[i];
	char buf[64];
	uint32_t k;

	if (o->failed)
		return;
	switch (n->kind) {
	case CN_INT:
		snprintf(buf, sizeof buf, "%lld", (long long)n->u.i);
		cout_str(o, buf);
		return;
	case CN_REAL:
		cad_format_real(buf, sizeof buf, n->u.r, old);
		cout_str(o, buf);
		return;
	case CN_BOOL:
		cout_str(o, n->u.i ? "true" : "false");
		return;
	case CN_UNDEF:
		cout_str(o, "undefined");
		return;
	case CN_ERROR:
		cout_str(o, "error");
		return;
	case CN_STRING:
		cout_put(o, "\"", 1);
		put_string(o, v.text + n->u.k.a, n->u.k.b, '"', old, flags);
		cout_put(o, "\"", 1);
		return;
	case CN_REF:
		if (n->c != CNONE) {
			cad_unparse(o, v, n->c, old, flags);
			cout_put(o, ".", 1);
			put_raw(o, v.text + n->u.k.a, n->u.k.b, flags);
			return;
		}
		if (n->op)
			cout_put(o, ".", 1);
		cad_unparse_name(o, v.text + n->u.k.a, n->u.k.b, old, flags);
		return;
	case CN_OP:
		switch (n->op) {
		case OP_PAREN:
			cout_put(o, "(", 1);
			cad_unparse(o, v, n->u.k.a, old, flags);
			cout_put(o, ")", 1);
			return;
		case OP_UPLUS:
		case OP_UMINUS:
		case OP_NOT:
		case OP_BITNOT:
			cout_str(o, op_text[n->op]);
			cad_unparse(o, v, n->u.k.a, old, flags);
			return;
		case OP_TERNARY:
			cad_unparse(o, v, n->u.k.a, old, flags);
			cout_str(o, " ? ");
			cad_unparse(o, v, n->u.k.b, old, flags);
			cout_str(o, " : ");
			cad_unparse(o, v, n->c, old, flags);
			return;
		case OP_SUBSCRIPT:
			cad_unparse(o, v, n->u.k.a, old, flags);
			cout_put(o, "[", 1);
			cad_unparse(o, v, n->u.k.b, old, flags);
			cout_put(o, "]", 1);
			return;
		default:
			cad_unparse(o, v, n->u.k.a, old, flags);
			if (old && n->op == OP_META_EQ)
				cout_str(o, " =?= ");
			else if (old && n->op == OP_META_NE)
				cout_str(o, " =!= ");
			else
				cout_str(o, op_text[n->op]);
			cad_unparse(o, v, n->u.k.b, old, flags);
			return;
		}
	case CN_CALL:
		put_raw(o, v.text + n->u.k.a, n->u.k.b, flags);
		cout_put(o, "(", 1);
		for (k = n->c; k != CNONE; k = v.n[k].next) {
			cad_unparse(o, v, k, old, flags);
			if (v.n[k].next != CNONE)
				cout_put(o, ",", 1);
		}
		cout_put(o, ")", 1);
		return;
	case CN_LIST:
		cout_put(o, "{ ", 2);
		for (k = n->c; k != CNONE; k = v.n[k].next) {
			cad_unparse(o, v, k, old, flags);
			if (v.n[k].next != CNONE)
				cout_put(o, ",", 1);
		}
		cout_put(o, " }", 2);
		return;
	case CN_AD:
		cout_put(o, "[ ", 2);
		for (k = n->c; k != CNONE; k = v.n[k].next) {
			const struct cnode *b = &v.n[k];
			cad_unparse_name(o, v.text + b->u.k.a, b->u.k.b, old, flags);
			cout_put(o, " = ", 3);
			cad_unparse(o, v, b->c, old, flags);
			if (b->next != CNONE)
				cout_put(o, "; ", 2);
		}
		cout_put(o, " ]", 2);
		return;
	default:
		o->failed = 1;
		return;
	}
}

/* ---- whole ads --------------------------------------------------------------- */

/* Attribute indices in case-insensitive name order, optionally without
 * private attributes.  Insertion sort: ads are small and already sorted
 * by length, and this needs no memory beyond the index array. */
static unsigned alpha_order(const struct classad *ad, uint16_t *idx, int skip_private)
{
	const struct classad_attr *t = cad_table(ad);
	unsigned i, n = 0;

	for (i = 0; i < ad->nattr; i++) {
		const char *nm = cad_view(ad, &t[i]).text + t[i].name_off;
		unsigned j;
		if (skip_private && classad_is_private(nm, t[i].name_len))
			continue;
		for (j = n; j > 0; j--) {
			const struct classad_attr *p = &t[idx[j - 1]];
			if (cad_casecmp(cad_view(ad, p).text + p->name_off, p->name_len, nm,
			                t[i].name_len) <= 0)
				break;
			idx[j] = idx[j - 1];
		}
		idx[j] = (uint16_t)i;
		n++;
	}
	return n;
}

static int finish(struct cout *o, const struct classad_sink *out, struct err *e)
{
	if (!o->failed)
		return 0;
	if (out->write == buf_write)
		err_push(e, "CLASSAD", -CLASSAD_ETOOBIG, "printed ad does not fit in the %zu-byte buffer",
		         ((struct classad_buf *)out->ctx)->cap);
	else
		err_push(e, "CLASSAD", -CLASSAD_EIO, "writing the printed ad failed");
	return out->write == buf_write ? CLASSAD_ETOOBIG : CLASSAD_EIO;
}

int classad_print(const struct classad *ad, enum classad_form form, unsigned flags,
                  const struct classad_sink *out, struct err *e)
{
	const struct classad_attr *t = cad_table(ad);
	struct cout o = { out, 0 };
	uint16_t idx[CLASSAD_MAX_ATTRS];
	unsigned i, n;

	switch (form) {
	case CLASSAD_FORM_OLD:
		for (i = 0; i < ad->nattr; i++) {
			struct cview v = cad_view(ad, &t[i]);
			cad_unparse_name(&o, v.text + t[i].name_off, t[i].name_len, 1, flags);
			cout_put(&o, " = ", 3);
			cad_unparse(&o, v, t[i].root, 1, flags);
			cout_put(&o, "\n", 1);
		}
		if (ad->nattr == 0)
			cout_put(&o, "\n", 1);
		break;
	case CLASSAD_FORM_LONG:
		n = alpha_order(ad, idx, 1);
		for (i = 0; i < n; i++) {
			const struct classad_attr *a = &t[idx[i]];
			struct cview v = cad_view(ad, a);
			put_raw(&o, v.text + a->name_off, a->name_len, flags);
			cout_put(&o, " = ", 3);
			cad_unparse(&o, v, a->root, 1, flags);
			cout_put(&o, "\n", 1);
		}
		break;
	case CLASSAD_FORM_NEW:
		cout_put(&o, "[ ", 2);
		for (i = 0; i < ad->nattr; i++) {
			struct cview v = cad_view(ad, &t[i]);
			cad_unparse_name(&o, v.text + t[i].name_off, t[i].name_len, 0, flags);
			cout_put(&o, " = ", 3);
			cad_unparse(&o, v, t[i].root, 0, flags);
			if (i + 1 < ad->nattr)
				cout_put(&o, "; ", 2);
		}
		cout_put(&o, " ]", 2);
		break;
	case CLASSAD_FORM_JSON:
		n = alpha_order(ad, idx, 1);
		cad_print_json(ad, idx, n, flags, &o);
		break;
	default:
		err_push(e, "CLASSAD", -CLASSAD_EINVAL, "unknown print form %d", (int)form);
		return CLASSAD_EINVAL;
	}
	return finish(&o, out, e);
}

int classad_print_value(const struct classad *ad, const char *name, enum classad_form form,
                        unsigned flags, const struct classad_sink *out, struct err *e)
{
	int k = classad_find(ad, name);
	const struct classad_attr *a;
	struct cout o = { out, 0 };
	struct cview v;

	if (k < 0) {
		err_push(e, "CLASSAD", -CLASSAD_ENOTFOUND, "no attribute %s", "with that name");
		return CLASSAD_ENOTFOUND;
	}
	a = &cad_table(ad)[k];
	v = cad_view(ad, a);
	if (form == CLASSAD_FORM_JSON)
		cad_print_json_value(&o, v, a->root, flags);
	else
		cad_unparse(&o, v, a->root, form != CLASSAD_FORM_NEW, flags);
	return finish(&o, out, e);
}

/* ---- safety checks -------------------------------------------------------------- */

static int attr_unsafe(const struct classad *ad, const struct classad_attr *a)
{
	struct cview v = cad_view(ad, a);
	uint32_t i;

	if (classad_str_unsafe(v.text + a->name_off, a->name_len))
		return 1;
	for (i = 0; i < a->nnode; i++) {
		const struct cnode *n = &v.n[i];
		if ((n->kind == CN_STRING || n->kind == CN_REF || n->kind == CN_CALL ||
		     n->kind == CN_BIND) &&
		    classad_str_unsafe(v.text + n->u.k.a, n->u.k.b))
			return 1;
	}
	return 0;
}

int classad_value_unsafe(const struct classad *ad, const char *name)
{
	int k = classad_find(ad, name);

	if (k < 0)
		return CLASSAD_ENOTFOUND;
	return attr_unsafe(ad, &cad_table(ad)[k]);
}

int classad_unsafe(const struct classad *ad)
{
	unsigned i;

	for (i = 0; i < ad->nattr; i++)
		if (attr_unsafe(ad, &cad_table(ad)[i]))
			return 1;
	return 0;
}
