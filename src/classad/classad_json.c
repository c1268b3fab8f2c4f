/*
 * classad_json.c - JSON output as HTCondor's ClassAdJsonUnParser writes it
 * (src/classad/jsonSink.cpp, as used by CondorClassAdListWriter for -json):
 *
 *   {
 *     "Name": value,
 *     "Other": value
 *   }
 *
 * Two-space indentation per level, "\n" before each member and before the
 * closing brace, ", " never used (members are joined by ",").  Values:
 * integers in decimal; reals like the old unparser (%.16G, ".0" added, 0 as
 * %.1f); true/false; undefined -> null; strings JSON-escaped (", \\, \b,
 * \f, \n, \r, \t, other bytes 1..31 as \u00XX with upper-case hex, DEL and
 * bytes >= 0x80 raw); lists as [ ... ] with one element per line; nested
 * ads as objects in the ad's order.  Anything else (error, NaN/Inf,
 * references, operators, calls) is written as the string
 * "\/Expr(<new-syntax unparse>)\/".  The tool prints private attributes
 * never and the top-level members in case-insensitive name order.
 */
#include "classad_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char HEXU[] = "0123456789ABCDEF";
static const char HEXL[] = "0123456789abcdef";

static void json_escape(struct cout *o, const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	while (i < n) {
		unsigned char c = p[i];
		char esc[8];
		size_t elen = 0, k = 1;
		uint32_t cp = c;

		if (flags & CLASSAD_PRINT_SAFE) {
			k = cad_utf8_len(p + i, n - i, &cp);
			if (k == 0) {
				memcpy(esc, "\\ufffd", 6);
				elen = 6;
				k = 1;
			} else if (cp >= 0x7f && cad_cp_unsafe(cp)) {
				esc[0] = '\\';
				esc[1] = 'u';
				esc[2] = HEXL[(cp >> 12) & 15];
				esc[3] = HEXL[(cp >> 8) & 15];
				esc[4] = HEXL[(cp >> 4) & 15];
				esc[5] = HEXL[cp & 15];
				elen = 6;
			}
		}
		if (!elen && k == 1) {
			switch (c) {
			case '"': memcpy(esc, "\\\"", 2); elen = 2; break;
			case '\\': memcpy(esc, "\\\\", 2); elen = 2; break;
			case '\b': memcpy(esc, "\\b", 2); elen = 2; break;
			case '\f': memcpy(esc, "\\f", 2); elen = 2; break;
			case '\n': memcpy(esc, "\\n", 2); elen = 2; break;
			case '\r': memcpy(esc, "\\r", 2); elen = 2; break;
			case '\t': memcpy(esc, "\\t", 2); elen = 2; break;
			default:
				if (c > 0 && c < 32) {
					memcpy(esc, "\\u00", 4);
					esc[4] = HEXU[c >> 4];
					esc[5] = HEXU[c & 15];
					elen = 6;
				}
				break;
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

int classad_print_str_json(const char *s, size_t n, const struct classad_sink *out)
{
	struct cout o = { out, 0 };

	cout_put(&o, "\"", 1);
	json_escape(&o, s, n, CLASSAD_PRINT_SAFE);
	cout_put(&o, "\"", 1);
	return o.failed ? -1 : 0;
}

/* A sink that JSON-escapes what passes through it (for quoted exprs). */
struct esc_ctx {
	struct cout *o;
	unsigned flags;
};
static int esc_write(void *ctx, const char *p, size_t n)
{
	struct esc_ctx *x = ctx;
	/* The new-syntax unparse octal-escapes strings, so only raw names
	 * can hold non-ASCII bytes, and a name is always written in one
	 * chunk: escaping chunk by chunk is exact. */
	json_escape(x->o, p, n, x->flags);
	return x->o->failed ? -1 : 0;
}

static void quoted_expr(struct cout *o, struct cview v, uint32_t i, unsigned flags)
{
	struct esc_ctx x = { o, flags };
	struct classad_sink s = { esc_write, &x };
	struct cout inner = { &s, 0 };

	cout_str(o, "\"\\/Expr(");
	cad_unparse(&inner, v, i, 0, 0);
	if (inner.failed)
		o->failed = 1;
	cout_str(o, ")\\/\"");
}

static void quoted_text(struct cout *o, const char *text)
{
	cout_str(o, "\"\\/Expr(");
	json_escape(o, text, strlen(text), 0);
	cout_str(o, ")\\/\"");
}

static void indent(struct cout *o, unsigned n)
{
	static const char sp[] = "                                ";
	while (n > 0) {
		unsigned k = n < sizeof sp - 1 ? n : (unsigned)(sizeof sp - 1);
		cout_put(o, sp, k);
		n -= k;
	}
}

static void json_value(struct cout *o, struct cview v, uint32_t i, unsigned level, unsigned flags)
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
		cad_format_real(buf, sizeof buf, n->u.r, 1);
		if (isnan(n->u.r) || isinf(n->u.r))
			quoted_text(o, buf);
		else
			cout_str(o, buf);
		return;
	case CN_BOOL:
		cout_str(o, n->u.i ? "true" : "false");
		return;
	case CN_UNDEF:
		cout_str(o, "null");
		return;
	case CN_ERROR:
		quoted_text(o, "error");
		return;
	case CN_STRING:
		cout_put(o, "\"", 1);
		json_escape(o, v.text + n->u.k.a, n->u.k.b, flags);
		cout_put(o, "\"", 1);
		return;
	case CN_LIST:
		cout_put(o, "[", 1);
		for (k = n->c; k != CNONE; k = v.n[k].next) {
			if (k != n->c)
				cout_put(o, ",", 1);
			cout_put(o, "\n", 1);
			indent(o, level + 2);
			json_value(o, v, k, level + 2, flags);
		}
		cout_put(o, "\n", 1);
		indent(o, level);
		cout_put(o, "]", 1);
		return;
	case CN_AD:
		cout_put(o, "{", 1);
		for (k = n->c; k != CNONE; k = v.n[k].next) {
			const struct cnode *b = &v.n[k];
			if (k != n->c)
				cout_put(o, ",", 1);
			cout_put(o, "\n", 1);
			indent(o, level + 2);
			cout_put(o, "\"", 1);
			json_escape(o, v.text + b->u.k.a, b->u.k.b, flags);
			cout_put(o, "\": ", 3);
			json_value(o, v, b->c, level + 2, flags);
		}
		cout_put(o, "\n", 1);
		indent(o, level);
		cout_put(o, "}", 1);
		return;
	default:
		quoted_expr(o, v, i, flags);
		return;
	}
}

int cad_print_json_value(struct cout *o, struct cview v, uint32_t root, unsigned flags)
{
	json_value(o, v, root, 0, flags);
	return o->failed ? -1 : 0;
}

int cad_print_json(const struct classad *ad, const uint16_t *idx, unsigned n, unsigned flags,
                   struct cout *o)
{
	const struct classad_attr *t = cad_table(ad);
	unsigned i;

	cout_put(o, "{", 1);
	for (i = 0; i < n; i++) {
		const struct classad_attr *a = &t[idx[i]];
		struct cview v = cad_view(ad, a);
		if (i)
			cout_put(o, ",", 1);
		cout_put(o, "\n  \"", 4);
		json_escape(o, v.text + a->name_off, a->name_len, flags);
		cout_put(o, "\": ", 3);
		json_value(o, v, a->root, 2, flags);
	}
	cout_put(o, "\n}", 2);
	return o->failed ? -1 : 0;
}
