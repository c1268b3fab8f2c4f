/*
 * classad_parse.c - recursive-descent parser building expression blocks.
 *
 * Grammar and tree shapes follow HTCondor's ClassAdParser (classad-wire.md
 * section 3.2) so that printing the tree reproduces HTCondor's unparse:
 * parentheses are kept as nodes, '-' glued to a number by the lexer makes
 * a negative literal while a separate '-' makes a unary operator, and the
 * attributes of a nested ad are kept in HTCondor's in-memory order (name
 * length, then case-insensitive name; a repeated name replaces the value).
 *
 * Binary operators use precedence climbing rather than one function per
 * level, which keeps the C stack small per nesting level.  The recursion
 * depth and the tree height are both capped at CLASSAD_MAX_DEPTH.
 *
 * Not done: absTime("...")/relTime("...") are kept as function calls
 * (HTCondor evaluates them at parse time and prints the normalised time).
 */
#include "classad_int.h"

#include <stdio.h>
#include <string.h>

struct cparser {
	struct clex lx;
	struct cbuild *b;
	unsigned depth;
	int failed;
};

static uint32_t p_expr(struct cparser *p);

static void p_fail(struct cparser *p, int code, size_t pos, const char *fmt, const char *arg)
{
	char msg[160];

	if (p->failed)
		return;
	p->failed = 1;
	snprintf(msg, sizeof msg, fmt, arg);
	err_push(p->b->e, "CLASSAD", -code, "offset %zu: %s", p->b->pos_base + pos, msg);
}

/* Report an unexpected token, unless the lexer already reported it. */
static void p_unexpected(struct cparser *p, const char *what)
{
	enum ctok t = clex_peek(&p->lx);
	char msg[120];

	if (t == T_LEXERR) {
		p->failed = 1;
		return;
	}
	snprintf(msg, sizeof msg, "expected %s but found %s", what, clex_describe(t));
	p_fail(p, CLASSAD_EPARSE, p->lx.tpos, "%s", msg);
}

static uint32_t p_node(struct cparser *p, uint8_t kind, size_t pos)
{
	uint32_t n;

	if (p->failed)
		return CNONE;
	n = cb_node(p->b, kind, pos);
	if (n == CNONE)
		p->failed = 1;
	return n;
}

static struct cnode *N(struct cparser *p, uint32_t i)
{
	return cb_at(p->b, i);
}

/* Record the height of node i after its children are linked. */
static int p_height(struct cparser *p, uint32_t i, uint32_t child, size_t pos)
{
	unsigned h;

	if (child == CNONE)
		return 0;
	h = (unsigned)N(p, child)->depth + 1;
	if (h > N(p, i)->depth) {
		if (h > CLASSAD_MAX_DEPTH) {
			p_fail(p, CLASSAD_EBOUND, pos, "%s",
			       "expression nested deeper than CLASSAD_MAX_DEPTH (500)");
			return -1;
		}
		N(p, i)->depth = (uint16_t)h;
	}
	return 0;
}

static uint32_t p_op(struct cparser *p, int op, uint32_t a, uint32_t b, uint32_t c, size_t pos)
{
	uint32_t n = p_node(p, CN_OP, pos);

	if (n == CNONE)
		return CNONE;
	N(p, n)->op = (uint8_t)op;
	N(p, n)->u.k.a = a;
	N(p, n)->u.k.b = b;
	N(p, n)->c = c;
	if (p_height(p, n, a, pos) < 0 || p_height(p, n, b, pos) < 0 || p_height(p, n, c, pos) < 0)
		return CNONE;
	return n;
}

static int p_enter(struct cparser *p)
{
	if (++p->depth > CLASSAD_MAX_DEPTH) {
		p_fail(p, CLASSAD_EBOUND, p->lx.tpos, "%s",
		       "expression nested deeper than CLASSAD_MAX_DEPTH (500)");
		return -1;
	}
	return 0;
}

/* Comma-separated expressions up to the closing token; trailing comma
 * allowed (as HTCondor's parser allows it).  Returns the first element,
 * count in *cnt; the link is the node's next field. */
static uint32_t p_seq(struct cparser *p, enum ctok close, int semis, uint32_t owner,
                      uint32_t *cnt)
{
	uint32_t first = CNONE, last = CNONE;

	*cnt = 0;
	while (!p->failed && clex_peek(&p->lx) != close) {
		size_t pos = p->lx.tpos;
		uint32_t e = p_expr(p);
		enum ctok t;
		if (e == CNONE)
			return CNONE;
		if (p_height(p, owner, e, pos) < 0)
			return CNONE;
		if (last == CNONE)
			first = e;
		else
			N(p, last)->next = e;
		last = e;
		(*cnt)++;
		t = clex_peek(&p->lx);
		if (t == T_COMMA || (semis && t == T_SEMI))
			clex_consume(&p->lx);
		else if (t != close) {
			p_unexpected(p, close == T_RPAREN ? "',' or ')'" : "',' or '}'");
			return CNONE;
		}
	}
	if (p->failed)
		return CNONE;
	clex_consume(&p->lx);
	return first;
}

static const char *tx(struct cparser *p, const struct cnode *n)
{
	/* Provisional (top-relative) text offset while building. */
	return (const char *)p->b->base + p->b->room - n->u.k.a;
}

/* Nested ad "[ name = expr; ... ]" after the '['. */
static uint32_t p_nested_ad(struct cparser *p, size_t pos)
{
	uint32_t ad = p_node(p, CN_AD, pos);

	if (ad == CNONE)
		return CNONE;
	for (;;) {
		enum ctok t = clex_peek(&p->lx);
		uint32_t bind, val, *link;
		size_t bpos = p->lx.tpos;

		if (t == T_RBOX)
			break;
		if (t == T_SEMI) { /* stray semicolons are allowed */
			clex_consume(&p->lx);
			continue;
		}
		if (t != T_ID) {
			p_unexpected(p, "attribute name or ']'");
			return CNONE;
		}
		bind = p_node(p, CN_BIND, bpos);
		if (bind == CNONE)
			return CNONE;
		N(p, bind)->u.k.a = p->lx.soff;
		N(p, bind)->u.k.b = p->lx.slen;
		clex_consume(&p->lx);
		if (clex_peek(&p->lx) != T_BOUND) {
			p_unexpected(p, "'='");
			return CNONE;
		}
		clex_consume(&p->lx);
		val = p_expr(p);
		if (val == CNONE)
			return CNONE;
		N(p, bind)->c = val;
		if (p_height(p, bind, val, bpos) < 0 || p_height(p, ad, bind, bpos) < 0)
			return CNONE;
		/* Insert in (length, case-insensitive name) order; a repeated
		 * name keeps its place and takes the new value. */
		link = &N(p, ad)->c;
		while (*link != CNONE) {
			const struct cnode *o = N(p, *link), *nb = N(p, bind);
			int c = cad_order(tx(p, o), o->u.k.b, tx(p, nb), nb->u.k.b);
			if (c == 0) {
				N(p, *link)->c = val;
				bind = CNONE;
				break;
			}
			if (c > 0)
				break;
			link = &N(p, *link)->next;
		}
		if (bind != CNONE) {
			N(p, bind)->next = *link;
			*link = bind;
			N(p, ad)->d++;
		}
		t = clex_peek(&p->lx);
		if (t != T_SEMI && t != T_RBOX) {
			p_unexpected(p, "';' or ']'");
			return CNONE;
		}
	}
	clex_consume(&p->lx);
	return ad;
}

static uint32_t p_primary(struct cparser *p)
{
	enum ctok t = clex_peek(&p->lx);
	size_t pos = p->lx.tpos;
	uint32_t n, cnt;

	switch (t) {
	case T_ID: {
		uint32_t soff = p->lx.soff, slen = p->lx.slen;
		clex_consume(&p->lx);
		if (clex_peek(&p->lx) == T_LPAREN) {
			uint32_t args;
			clex_consume(&p->lx);
			n = p_node(p, CN_CALL, pos);
			if (n == CNONE)
				return CNONE;
			N(p, n)->u.k.a = soff;
			N(p, n)->u.k.b = slen;
			/* Old semantics also accept ';' between arguments. */
			args = p_seq(p, T_RPAREN, 1, n, &cnt);
			if (p->failed)
				return CNONE;
			N(p, n)->c = args;
			N(p, n)->d = cnt;
			return n;
		}
		n = p_node(p, CN_REF, pos);
		if (n == CNONE)
			return CNONE;
		N(p, n)->u.k.a = soff;
		N(p, n)->u.k.b = slen;
		return n;
	}
	case T_DOT:
		clex_consume(&p->lx);
		if (clex_peek(&p->lx) != T_ID) {
			p_unexpected(p, "attribute name after '.'");
			return CNONE;
		}
		n = p_node(p, CN_REF, pos);
		if (n == CNONE)
			return CNONE;
		N(p, n)->op = 1;
		N(p, n)->u.k.a = p->lx.soff;
		N(p, n)->u.k.b = p->lx.slen;
		clex_consume(&p->lx);
		return n;
	case T_LPAREN: {
		uint32_t e;
		clex_consume(&p->lx);
		e = p_expr(p);
		if (e == CNONE)
			return CNONE;
		if (clex_peek(&p->lx) != T_RPAREN) {
			p_unexpected(p, "')'");
			return CNONE;
		}
		clex_consume(&p->lx);
		return p_op(p, OP_PAREN, e, CNONE, CNONE, pos);
	}
	case T_LBOX:
		clex_consume(&p->lx);
		return p_nested_ad(p, pos);
	case T_LBRACE: {
		uint32_t first;
		clex_consume(&p->lx);
		n = p_node(p, CN_LIST, pos);
		if (n == CNONE)
			return CNONE;
		first = p_seq(p, T_RBRACE, 0, n, &cnt);
		if (p->failed)
			return CNONE;
		N(p, n)->c = first;
		N(p, n)->d = cnt;
		return n;
	}
	case T_INT:
	case T_BOOL:
		n = p_node(p, t == T_INT ? CN_INT : CN_BOOL, pos);
		if (n != CNONE)
			N(p, n)->u.i = p->lx.i;
		clex_consume(&p->lx);
		return n;
	case T_REAL:
		n = p_node(p, CN_REAL, pos);
		if (n != CNONE)
			N(p, n)->u.r = p->lx.r;
		clex_consume(&p->lx);
		return n;
	case T_STR:
		n = p_node(p, CN_STRING, pos);
		if (n != CNONE) {
			N(p, n)->u.k.a = p->lx.soff;
			N(p, n)->u.k.b = p->lx.slen;
		}
		clex_consume(&p->lx);
		return n;
	case T_UNDEF:
	case T_ERRORV:
		n = p_node(p, t == T_UNDEF ? CN_UNDEF : CN_ERROR, pos);
		clex_consume(&p->lx);
		return n;
	default:
		p_unexpected(p, "an expression");
		return CNONE;
	}
}

static uint32_t p_postfix(struct cparser *p)
{
	uint32_t n;

	if (p_enter(p) < 0)
		return CNONE;
	n = p_primary(p);
	while (n != CNONE && !p->failed) {
		enum ctok t = clex_peek(&p->lx);
		size_t pos = p->lx.tpos;
		if (t == T_LBOX) {
			uint32_t idx;
			clex_consume(&p->lx);
			idx = p_expr(p);
			if (idx == CNONE)
				return CNONE;
			if (clex_peek(&p->lx) != T_RBOX) {
				p_unexpected(p, "']'");
				return CNONE;
			}
			clex_consume(&p->lx);
			n = p_op(p, OP_SUBSCRIPT, n, idx, CNONE, pos);
		} else if (t == T_ELVIS) {
			uint32_t r;
			clex_consume(&p->lx);
			r = p_postfix(p);
			if (r == CNONE)
				return CNONE;
			n = p_op(p, OP_ELVIS, n, r, CNONE, pos);
		} else if (t == T_DOT) {
			uint32_t ref;
			clex_consume(&p->lx);
			if (clex_peek(&p->lx) != T_ID) {
				p_unexpected(p, "attribute name after '.'");
				return CNONE;
			}
			ref = p_node(p, CN_REF, pos);
			if (ref == CNONE)
				return CNONE;
			N(p, ref)->u.k.a = p->lx.soff;
			N(p, ref)->u.k.b = p->lx.slen;
			N(p, ref)->c = n;
			clex_consume(&p->lx);
			if (p_height(p, ref, n, pos) < 0)
				return CNONE;
			n = ref;
		} else {
			break;
		}
	}
	p->depth--;
	return p->failed ? CNONE : n;
}

static uint32_t p_unary(struct cparser *p)
{
	enum ctok t = clex_peek(&p->lx);
	size_t pos = p->lx.tpos;
	int op;
	uint32_t e;

	switch (t) {
	case T_MINUS: op = OP_UMINUS; break;
	case T_PLUS: op = OP_UPLUS; break;
	case T_BITNOT: op = OP_BITNOT; break;
	case T_NOT: op = OP_NOT; break;
	default: return p_postfix(p);
	}
	if (p_enter(p) < 0)
		return CNONE;
	clex_consume(&p->lx);
	e = p_unary(p);
	p->depth--;
	if (e == CNONE)
		return CNONE;
	return p_op(p, op, e, CNONE, CNONE, pos);
}

/* Binary operator precedence (1 = loosest), 0 if not binary. */
static int binprec(enum ctok t, int *op)
{
	switch (t) {
	case T_OR: *op = OP_OR; return 1;
	case T_AND: *op = OP_AND; return 2;
	case T_BITOR: *op = OP_BITOR; return 3;
	case T_XOR: *op = OP_BITXOR; return 4;
	case T_BITAND: *op = OP_BITAND; return 5;
	case T_EQ: *op = OP_EQ; return 6;
	case T_NE: *op = OP_NE; return 6;
	case T_META_EQ: *op = OP_META_EQ; return 6;
	case T_META_NE: *op = OP_META_NE; return 6;
	case T_LT: *op = OP_LT; return 7;
	case T_LE: *op = OP_LE; return 7;
	case T_GT: *op = OP_GT; return 7;
	case T_GE: *op = OP_GE; return 7;
	case T_SHL: *op = OP_SHL; return 8;
	case T_SHR: *op = OP_SHR; return 8;
	case T_USHR: *op = OP_USHR; return 8;
	case T_PLUS: *op = OP_ADD; return 9;
	case T_MINUS: *op = OP_SUB; return 9;
	case T_MUL: *op = OP_MUL; return 10;
	case T_DIV: *op = OP_DIV; return 10;
	case T_MOD: *op = OP_MOD; return 10;
	default: return 0;
	}
}

/* All levels are left-associative: loop at this level, recurse for
 * tighter operators on the right. */
static uint32_t p_binary(struct cparser *p, int minprec)
{
	uint32_t l;

	if (p_enter(p) < 0)
		return CNONE;
	l = p_unary(p);
	while (l != CNONE && !p->failed) {
		int op = 0, prec = binprec(clex_peek(&p->lx), &op);
		size_t pos = p->lx.tpos;
		uint32_t r;
		if (prec == 0 || prec < minprec)
			break;
		clex_consume(&p->lx);
		r = p_binary(p, prec + 1);
		if (r == CNONE)
			return CNONE;
		l = p_op(p, op, l, r, CNONE, pos);
	}
	p->depth--;
	return p->failed ? CNONE : l;
}

static uint32_t p_expr(struct cparser *p)
{
	uint32_t c, a, b;
	size_t pos = p->lx.tpos;

	if (p_enter(p) < 0)
		return CNONE;
	c = p_binary(p, 1);
	if (c == CNONE)
		return CNONE;
	if (clex_peek(&p->lx) == T_QMARK) {
		pos = p->lx.tpos;
		clex_consume(&p->lx);
		a = p_expr(p);
		if (a == CNONE)
			return CNONE;
		if (clex_peek(&p->lx) != T_COLON) {
			p_unexpected(p, "':'");
			return CNONE;
		}
		clex_consume(&p->lx);
		b = p_expr(p);
		if (b == CNONE)
			return CNONE;
		c = p_op(p, OP_TERNARY, c, a, b, pos);
	}
	p->depth--;
	return p->failed ? CNONE : c;
}

static int p_name(struct cbuild *b, const char *name, size_t nlen, uint32_t *off)
{
	char *t = cb_text(b, nlen, off, 0);

	if (!t)
		return CLASSAD_EBOUND;
	memcpy(t, name, nlen);
	return 0;
}

int cad_parse_block(struct classad *ad, size_t limit, const char *name, size_t nlen,
                    const char *src, size_t len, enum classad_syntax syn, size_t pos_base,
                    struct cparse_out *out, struct err *e)
{
	struct cbuild b;
	struct cparser p;
	uint32_t name_off, root;
	int rc;

	if (len > CLASSAD_MAX_EXPR_LEN) {
		err_push(e, "CLASSAD", -CLASSAD_EBOUND,
		         "expression longer than CLASSAD_MAX_EXPR_LEN (%d) bytes", CLASSAD_MAX_EXPR_LEN);
		return CLASSAD_EBOUND;
	}
	cb_start(&b, ad, limit, e);
	b.pos_base = pos_base;
	rc = p_name(&b, name, nlen, &name_off);
	if (rc)
		return rc;
	memset(&p, 0, sizeof p);
	p.b = &b;
	clex_init(&p.lx, src, len, syn == CLASSAD_SYNTAX_NEW, &b);
	root = p_expr(&p);
	if (root != CNONE && !p.failed && clex_peek(&p.lx) != T_END)
		p_unexpected(&p, "end of expression");
	if (root == CNONE || p.failed) {
		if (!p.failed && clex_peek(&p.lx) != T_LEXERR)
			p_unexpected(&p, "an expression");
		return CLASSAD_EPARSE;
	}
	cb_finish(&b, root, name_off, (uint32_t)nlen, out);
	return 0;
}

int cad_literal_block(struct classad *ad, size_t limit, const char *name, size_t nlen,
                      const struct cnode *lit, const char *str, size_t slen,
                      struct cparse_out *out, struct err *e)
{
	struct cbuild b;
	uint32_t name_off, n, soff;
	int rc;

	cb_start(&b, ad, limit, e);
	rc = p_name(&b, name, nlen, &name_off);
	if (rc)
		return rc;
	n = cb_node(&b, lit->kind, 0);
	if (n == CNONE)
		return CLASSAD_EBOUND;
	cb_at(&b, n)->u = lit->u;
	if (lit->kind == CN_STRING) {
		char *t;
		if (slen > CLASSAD_MAX_STRING_LEN) {
			err_push(e, "CLASSAD", -CLASSAD_EBOUND,
			         "string longer than CLASSAD_MAX_STRING_LEN (%d) bytes",
			         CLASSAD_MAX_STRING_LEN);
			return CLASSAD_EBOUND;
		}
		t = cb_text(&b, slen, &soff, 0);
		if (!t)
			return CLASSAD_EBOUND;
		memcpy(t, str, slen);
		cb_at(&b, n)->u.k.a = soff;
		cb_at(&b, n)->u.k.b = (uint32_t)slen;
	}
	cb_finish(&b, n, name_off, (uint32_t)nlen, out);
	return 0;
}

int cad_parse_new_ad(struct classad *ad, const char *src, size_t len, struct err *e)
{
	struct cbuild b;
	struct cparser p;
	enum ctok t;

	cb_start(&b, ad, cad_limit(ad), e);
	memset(&p, 0, sizeof p);
	p.b = &b;
	clex_init(&p.lx, src, len, 1, &b);
	if (clex_peek(&p.lx) != T_LBOX) {
		p_unexpected(&p, "'['");
		return CLASSAD_EPARSE;
	}
	clex_consume(&p.lx);
	for (;;) {
		uint32_t root, name_off, name_len;
		struct cparse_out o;
		size_t npos;
		int rc;

		/* Each attribute gets its own block: start it before the name
		 * token is read so the name's bytes land in it. */
		cb_start(&b, ad, cad_limit(ad), e);
		t = clex_peek(&p.lx);
		if (t == T_RBOX)
			break;
		if (t == T_SEMI) {
			clex_consume(&p.lx);
			continue;
		}
		if (t != T_ID) {
			p_unexpected(&p, "attribute name or ']'");
			return CLASSAD_EPARSE;
		}
		npos = p.lx.tpos;
		name_off = p.lx.soff;
		name_len = p.lx.slen;
		clex_consume(&p.lx);
		if (clex_peek(&p.lx) != T_BOUND) {
			p_unexpected(&p, "'='");
			return CLASSAD_EPARSE;
		}
		clex_consume(&p.lx);
		root = p_expr(&p);
		if (root == CNONE || p.failed) {
			if (!p.failed)
				p_unexpected(&p, "an expression");
			return CLASSAD_EPARSE;
		}
		t = clex_peek(&p.lx);
		if (t != T_SEMI && t != T_RBOX) {
			p_unexpected(&p, "';' or ']'");
			return CLASSAD_EPARSE;
		}
		if (cad_check_name((const char *)b.base + b.room - name_off, name_len, e) < 0) {
			err_push(e, "CLASSAD", -CLASSAD_EPARSE, "offset %zu: bad attribute name", npos);
			return CLASSAD_EPARSE;
		}
		cb_finish(&b, root, name_off, name_len, &o);
		rc = cad_commit(ad, &o, e);
		if (rc)
			return rc;
	}
	clex_consume(&p.lx);
	if (clex_peek(&p.lx) != T_END) {
		p_unexpected(&p, "end of input after ']'");
		return CLASSAD_EPARSE;
	}
	return 0;
}
