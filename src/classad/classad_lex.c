/*
 * classad_lex.c - block builder and tokenizer for ClassAd expressions.
 *
 * The token rules follow HTCondor's lexer in old-ClassAd mode (see
 * classad-wire.md section 3.1): decimal integers only (a multi-digit
 * integer starting with 0 is an error, as under old semantics), reals with
 * a mandatory digit after '.', '-' glued to a number unless the previous
 * token was a value, old strings where only a backslash-quote that is not
 * at the very end of the input is an escape.  New-syntax strings (used for
 * local "[ ... ]" input) take C escapes and concatenate adjacent literals.
 *
 * Deliberate differences, all on input HTCondor never produces: an integer
 * that does not fit in 64 bits is an error (HTCondor silently makes it 0),
 * an unknown backslash escape in a new-syntax string is an error (HTCondor
 * drops the backslash), a NUL byte in the input is an error.
 */
#include "classad_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- block builder ---------------------------------------------------- */

void cb_start(struct cbuild *b, struct classad *ad, size_t limit, struct err *e)
{
	b->base = ad->mem + ad->used;
	b->room = limit > ad->used ? limit - ad->used : 0;
	b->nnode = 0;
	b->ntext = 0;
	b->e = e;
	b->pos_base = 0;
}

uint32_t cb_node(struct cbuild *b, uint8_t kind, size_t pos)
{
	struct cnode *n;

	if (b->nnode >= CLASSAD_MAX_NODES) {
		err_push(b->e, "CLASSAD", -CLASSAD_EBOUND,
		         "offset %zu: expression has more than CLASSAD_MAX_NODES (%d) parts",
		         b->pos_base + pos, CLASSAD_MAX_NODES);
		return CNONE;
	}
	if (((size_t)b->nnode + 1) * sizeof(struct cnode) + b->ntext > b->room) {
		err_push(b->e, "CLASSAD", -CLASSAD_EBOUND,
		         "offset %zu: ClassAd arena full (%zu bytes free)", b->pos_base + pos, b->room);
		return CNONE;
	}
	n = cb_at(b, b->nnode);
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->depth = 1;
	n->next = CNONE;
	n->u.k.a = CNONE;
	n->u.k.b = CNONE;
	n->c = CNONE;
	n->d = 0;
	return b->nnode++;
}

char *cb_text(struct cbuild *b, size_t n, uint32_t *off, size_t pos)
{
	if ((size_t)b->nnode * sizeof(struct cnode) + b->ntext + n > b->room) {
		err_push(b->e, "CLASSAD", -CLASSAD_EBOUND,
		         "offset %zu: ClassAd arena full (%zu bytes free)", b->pos_base + pos, b->room);
		return NULL;
	}
	b->ntext += (uint32_t)n;
	*off = b->ntext;
	return (char *)b->base + b->room - b->ntext;
}

static int has_text(const struct cnode *n)
{
	return n->kind == CN_STRING || n->kind == CN_REF || n->kind == CN_CALL ||
	       n->kind == CN_BIND;
}

void cb_finish(struct cbuild *b, uint32_t root, uint32_t name_off, uint32_t name_len,
               struct cparse_out *out)
{
	size_t nb = (size_t)b->nnode * sizeof(struct cnode);
	uint32_t t = b->ntext, i;

	memmove(b->base + nb, b->base + b->room - t, t);
	/* Text was allocated downward with top-relative offsets; after the
	 * move a piece at top-offset x starts at t - x. */
	for (i = 0; i < b->nnode; i++) {
		struct cnode *n = cb_at(b, i);
		if (has_text(n))
			n->u.k.a = t - n->u.k.a;
	}
	out->nnode = b->nnode;
	out->root = root;
	out->name_off = t - name_off;
	out->name_len = name_len;
	out->size = (uint32_t)((nb + t + 7) & ~(size_t)7);
}

/* ---- tokenizer ---------------------------------------------------------- */

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_odigit(int c) { return c >= '0' && c <= '7'; }

static int at(const struct clex *l, size_t i)
{
	return i < l->len ? (unsigned char)l->src[i] : -1;
}

static enum ctok lex_fail(struct clex *l, size_t pos, int code, const char *msg)
{
	err_push(l->b->e, "CLASSAD", -code, "offset %zu: %s", l->b->pos_base + pos, msg);
	return T_LEXERR;
}

void clex_init(struct clex *l, const char *src, size_t len, int newsyn, struct cbuild *b)
{
	l->src = src;
	l->len = len;
	l->pos = 0;
	l->newsyn = newsyn;
	l->prev = T_END;
	l->b = b;
	l->have = 0;
	l->tt = T_END;
	l->tpos = 0;
}

const char *clex_describe(enum ctok t)
{
	static const char *const names[] = {
		"end of input", "invalid token", "integer", "real", "string", "boolean",
		"'undefined'", "'error'", "attribute name", "'.'", "'*'", "'/'", "'%'",
		"'+'", "'-'", "'~'", "'^'", "'?'", "'?:'", "':'", "';'", "','", "'['", "']'",
		"'('", "')'", "'{'", "'}'", "'&'", "'&&'", "'|'", "'||'", "'<'", "'<='",
		"'<<'", "'>'", "'>='", "'>>'", "'>>>'", "'='", "'=='", "'!='", "'=?='",
		"'=!='", "'!'"
	};
	return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "token";
}

/* Old-syntax string or quoted name starting at the delimiter l->pos. */
static enum ctok lex_string_old(struct clex *l, int delim)
{
	size_t start = l->pos + 1, i, n = 0, end;
	char *out;
	uint32_t off;
	int prev = 0;

	/* Pass 1: find the end and the decoded length. */
	for (i = start;; i++) {
		int c = at(l, i);
		if (c < 0 || c == 0)
			return lex_fail(l, l->pos, CLASSAD_EPARSE, c == 0 ? "NUL byte inside string literal"
			                                               : "unterminated string literal");
		if (c == delim) {
			int nx = at(l, i + 1);
			/* A backslash-quote is a literal quote unless the input
			 * ends (or a line ends) right after it. */
			if (prev == '\\' && nx > 0 && nx != '\n') {
				prev = 0;
				continue; /* backslash dropped, quote kept: n unchanged */
			}
			break;
		}
		prev = c;
		n++;
	}
	end = i;
	if (n > CLASSAD_MAX_STRING_LEN)
		return lex_fail(l, l->pos, CLASSAD_EBOUND,
		                "string longer than CLASSAD_MAX_STRING_LEN (65536) bytes");
	if (delim == '\'' && n > CLASSAD_MAX_NAME_LEN)
		return lex_fail(l, l->pos, CLASSAD_EBOUND,
		                "attribute name longer than CLASSAD_MAX_NAME_LEN (256) bytes");
	out = cb_text(l->b, n, &off, l->pos);
	if (!out)
		return T_LEXERR;
	/* Pass 2: copy, turning each escaping backslash into the quote. */
	n = 0;
	prev = 0;
	for (i = start; i < end; i++) {
		int c = at(l, i);
		if (c == delim) { /* escaped (pass 1 stopped only at the real end) */
			out[n - 1] = (char)delim;
			prev = 0;
			continue;
		}
		out[n++] = (char)c;
		prev = c;
	}
	l->soff = off;
	l->slen = (uint32_t)n;
	l->pos = end + 1;
	return delim == '"' ? T_STR : T_ID;
}

/* One new-syntax segment: returns the index after the closing delimiter,
 * adds the decoded length to *n and, when out is set, writes the bytes. */
static int seg_new(struct clex *l, size_t open, int delim, char *out, size_t *n, size_t *after)
{
	size_t i = open + 1;

	for (;;) {
		int c = at(l, i);
		if (c < 0 || c == 0) {
			lex_fail(l, open, CLASSAD_EPARSE,
			         c == 0 ? "NUL byte inside string literal" : "unterminated string literal");
			return -1;
		}
		if (c == delim)
			break;
		if (c == '\\') {
			int d = at(l, i + 1), v;
			if (d < 0) {
				lex_fail(l, open, CLASSAD_EPARSE, "unterminated string literal");
				return -1;
			}
			i += 2;
			switch (d) {
			case '"': v = '"'; break;
			case '\'': v = '\''; break;
			case '?': v = '?'; break;
			case '\\': v = '\\'; break;
			case 'a': v = '\a'; break;
			case 'b': v = '\b'; break;
			case 'f': v = '\f'; break;
			case 'n': v = '\n'; break;
			case 'r': v = '\r'; break;
			case 't': v = '\t'; break;
			case 'v': v = '\v'; break;
			default:
				if (!is_odigit(d)) {
					lex_fail(l, i - 2, CLASSAD_EPARSE, "invalid escape sequence in string");
					return -1;
				}
				/* Up to three octal digits; a third only while the
				 * value stays below 0x20 (as HTCondor reads them). */
				v = d - '0';
				if (is_odigit(at(l, i))) {
					v = (v << 3) + at(l, i) - '0';
					i++;
					if (v < 0x20 && is_odigit(at(l, i))) {
						v = (v << 3) + at(l, i) - '0';
						i++;
					}
				}
				if (v == 0) {
					lex_fail(l, i - 2, CLASSAD_EPARSE, "escape \\0 (NUL) in string");
					return -1;
				}
				break;
			}
			if (out)
				out[*n] = (char)v;
			(*n)++;
			continue;
		}
		if (out)
			out[*n] = (char)c;
		(*n)++;
		i++;
	}
	*after = i + 1;
	return 0;
}

static enum ctok lex_string_new(struct clex *l, int delim)
{
	size_t n = 0, p, after = 0, end;
	char *out;
	uint32_t off;

	/* Pass 1: length over all adjacent segments. */
	p = l->pos;
	for (;;) {
		if (seg_new(l, p, delim, NULL, &n, &after) < 0)
			return T_LEXERR;
		if (n > CLASSAD_MAX_STRING_LEN)
			return lex_fail(l, l->pos, CLASSAD_EBOUND,
			                "string longer than CLASSAD_MAX_STRING_LEN (65536) bytes");
		p = after;
		while (is_space(at(l, p)))
			p++;
		if (at(l, p) != delim)
			break;
	}
	end = after;
	if (delim == '\'' && n > CLASSAD_MAX_NAME_LEN)
		return lex_fail(l, l->pos, CLASSAD_EBOUND,
		                "attribute name longer than CLASSAD_MAX_NAME_LEN (256) bytes");
	out = cb_text(l->b, n, &off, l->pos);
	if (!out)
		return T_LEXERR;
	n = 0;
	p = l->pos;
	for (;;) {
		seg_new(l, p, delim, out, &n, &after);
		if (after >= end)
			break;
		p = after;
		while (is_space(at(l, p)))
			p++;
	}
	l->soff = off;
	l->slen = (uint32_t)n;
	l->pos = end;
	return delim == '"' ? T_STR : T_ID;
}

static int word_is(const char *p, size_t n, const char *w)
{
	size_t i;
	if (strlen(w) != n)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != w[i])
			return 0;
	}
	return 1;
}

static enum ctok lex_word(struct clex *l)
{
	size_t s = l->pos, i = s;
	int letters_only = 1;
	char *out;
	uint32_t off;

	while (is_alpha(at(l, i)) || is_digit(at(l, i)) || at(l, i) == '_') {
		if (!is_alpha(at(l, i)))
			letters_only = 0;
		i++;
	}
	l->pos = i;
	if (letters_only) {
		const char *p = l->src + s;
		size_t n = i - s;
		if (word_is(p, n, "true") || word_is(p, n, "false")) {
			l->i = word_is(p, n, "true");
			return T_BOOL;
		}
		if (word_is(p, n, "undefined"))
			return T_UNDEF;
		if (word_is(p, n, "error"))
			return T_ERRORV;
		if (word_is(p, n, "is"))
			return T_META_EQ;
		if (word_is(p, n, "isnt"))
			return T_META_NE;
	}
	if (i - s > CLASSAD_MAX_NAME_LEN)
		return lex_fail(l, s, CLASSAD_EBOUND,
		                "attribute name longer than CLASSAD_MAX_NAME_LEN (256) bytes");
	out = cb_text(l->b, i - s, &off, s);
	if (!out)
		return T_LEXERR;
	memcpy(out, l->src + s, i - s);
	l->soff = off;
	l->slen = (uint32_t)(i - s);
	return T_ID;
}

static enum ctok lex_number(struct clex *l)
{
	enum { NONE, INTEGER, REAL } type = NONE;
	size_t s = l->pos, i = s;
	int och = at(l, i++), bad_octal = 0;
	char buf[CLASSAD_MAX_NUMBER_LEN + 1];

	if (och == '-') {
		if (is_digit(at(l, i))) {
			och = at(l, i++);
		} else if (!(at(l, i) == '.' && is_digit(at(l, i + 1)))) {
			l->pos = i;
			return T_MINUS;
		}
	}
	if (och == '0') {
		type = INTEGER;
		if (at(l, i) == 'x' || at(l, i) == 'X') {
			/* hexadecimal: an error under old semantics */
			return lex_fail(l, s, CLASSAD_EPARSE, "integer with a leading 0 (octal/hex) is not allowed");
		}
		while (is_digit(at(l, i))) {
			if (!is_odigit(at(l, i)))
				bad_octal = 1;
			i++;
		}
		if (at(l, i) == '.' || at(l, i) == 'e' || at(l, i) == 'E')
			type = REAL;
		else if (bad_octal || (at(l, s) != '-' && i - s > 1))
			return lex_fail(l, s, CLASSAD_EPARSE, "integer with a leading 0 (octal/hex) is not allowed");
	} else if (is_digit(och)) {
		while (is_digit(at(l, i)))
			i++;
		type = (at(l, i) == '.' || at(l, i) == 'e' || at(l, i) == 'E') ? REAL : INTEGER;
	}
	if (och == '.' || at(l, i) == '.') {
		if (och != '.')
			i++;
		if (is_digit(at(l, i))) {
			type = REAL;
			while (is_digit(at(l, i)))
				i++;
		} else if (type != NONE) {
			return lex_fail(l, s, CLASSAD_EPARSE, "digit expected after '.' in number");
		} else {
			l->pos = i;
			return T_DOT;
		}
	}
	if (type == REAL && (at(l, i) == 'e' || at(l, i) == 'E')) {
		i++;
		if (at(l, i) == '+' || at(l, i) == '-')
			i++;
		if (!is_digit(at(l, i)))
			return lex_fail(l, s, CLASSAD_EPARSE, "digit expected in exponent");
		while (is_digit(at(l, i)))
			i++;
	}
	if (i - s > CLASSAD_MAX_NUMBER_LEN)
		return lex_fail(l, s, CLASSAD_EBOUND,
		                "number longer than CLASSAD_MAX_NUMBER_LEN (400) characters");
	l->pos = i;
	if (type == INTEGER) {
		/* Decimal with overflow detection (accumulate negatively so
		 * INT64_MIN is representable). */
		int64_t v = 0;
		size_t k = s;
		int neg = at(l, k) == '-';
		if (neg)
			k++;
		for (; k < i; k++) {
			int dgt = at(l, k) - '0';
			if (v < (INT64_MIN + dgt) / 10)
				return lex_fail(l, s, CLASSAD_EPARSE, "integer does not fit in 64 bits");
			v = v * 10 - dgt;
		}
		if (!neg) {
			if (v == INT64_MIN)
				return lex_fail(l, s, CLASSAD_EPARSE, "integer does not fit in 64 bits");
			v = -v;
		}
		l->i = v;
		return T_INT;
	}
	memcpy(buf, l->src + s, i - s);
	buf[i - s] = '\0';
	l->r = strtod(buf, NULL);
	return T_REAL;
}

static enum ctok lex_punct(struct clex *l)
{
	size_t i = l->pos;
	int c = at(l, i++), d = at(l, i);
	enum ctok t;

	switch (c) {
	case '.': t = T_DOT; break;
	case '*': t = T_MUL; break;
	case '/': t = T_DIV; break;
	case '%': t = T_MOD; break;
	case '+': t = T_PLUS; break;
	case '-': t = T_MINUS; break;
	case '~': t = T_BITNOT; break;
	case '^': t = T_XOR; break;
	case ':': t = T_COLON; break;
	case ';': t = T_SEMI; break;
	case ',': t = T_COMMA; break;
	case '[': t = T_LBOX; break;
	case ']': t = T_RBOX; break;
	case '(': t = T_LPAREN; break;
	case ')': t = T_RPAREN; break;
	case '{': t = T_LBRACE; break;
	case '}': t = T_RBRACE; break;
	case '?': {
		/* "?" followed (after blanks) by ":" is the elvis operator. */
		size_t k = i;
		while (is_space(at(l, k)))
			k++;
		if (at(l, k) == ':') {
			i = k + 1;
			t = T_ELVIS;
		} else {
			t = T_QMARK;
		}
		break;
	}
	case '&':
		t = T_BITAND;
		if (d == '&') { t = T_AND; i++; }
		break;
	case '|':
		t = T_BITOR;
		if (d == '|') { t = T_OR; i++; }
		break;
	case '<':
		t = T_LT;
		if (d == '=') { t = T_LE; i++; }
		else if (d == '<') { t = T_SHL; i++; }
		break;
	case '>':
		t = T_GT;
		if (d == '=') { t = T_GE; i++; }
		else if (d == '>') {
			t = T_SHR;
			i++;
			if (at(l, i) == '>') { t = T_USHR; i++; }
		}
		break;
	case '=':
		t = T_BOUND;
		if (d == '=') { t = T_EQ; i++; }
		else if (d == '?') {
			if (at(l, i + 1) != '=')
				return lex_fail(l, l->pos, CLASSAD_EPARSE, "'=?' must be followed by '='");
			t = T_META_EQ;
			i += 2;
		} else if (d == '!' && at(l, i + 1) == '=') {
			t = T_META_NE;
			i += 2;
		}
		break;
	case '!':
		t = T_NOT;
		if (d == '=') { t = T_NE; i++; }
		break;
	default:
		if (c == 0)
			return lex_fail(l, l->pos, CLASSAD_EPARSE, "NUL byte in expression");
		err_push(l->b->e, "CLASSAD", -CLASSAD_EPARSE, "offset %zu: unexpected character 0x%02x",
		         l->b->pos_base + l->pos, (unsigned)c);
		return T_LEXERR;
	}
	l->pos = i;
	return t;
}

static enum ctok lex_next(struct clex *l)
{
	int c;

	for (;;) {
		c = at(l, l->pos);
		if (is_space(c)) {
			l->pos++;
		} else if (c == '/' && at(l, l->pos + 1) == '/') {
			while (at(l, l->pos) >= 0 && at(l, l->pos) != '\n')
				l->pos++;
		} else if (c == '/' && at(l, l->pos + 1) == '*') {
			size_t s = l->pos;
			l->pos += 2;
			for (;;) {
				if (at(l, l->pos) < 0)
					return lex_fail(l, s, CLASSAD_EPARSE, "unterminated /* comment");
				if (at(l, l->pos) == '*' && at(l, l->pos + 1) == '/') {
					l->pos += 2;
					break;
				}
				l->pos++;
			}
		} else {
			break;
		}
	}
	l->tpos = l->pos;
	if (c < 0)
		return T_END;
	if (c == '-') {
		switch (l->prev) {
		case T_INT: case T_REAL: case T_BOOL: case T_STR: case T_UNDEF:
		case T_ERRORV: case T_ID: case T_DOT: case T_RBOX: case T_RPAREN:
		case T_RBRACE:
			return lex_punct(l);
		default:
			return lex_number(l);
		}
	}
	if (is_digit(c) || c == '.')
		return lex_number(l);
	if (is_alpha(c) || c == '_')
		return lex_word(l);
	if (c == '"' || c == '\'')
		return l->newsyn ? lex_string_new(l, c) : lex_string_old(l, c);
	return lex_punct(l);
}

enum ctok clex_peek(struct clex *l)
{
	if (!l->have) {
		l->tt = lex_next(l);
		l->have = 1;
	}
	return l->tt;
}

void clex_consume(struct clex *l)
{
	clex_peek(l);
	/* An error token stays current so every caller sees it. */
	if (l->tt == T_LEXERR || l->tt == T_END)
		return;
	l->prev = l->tt;
	l->have = 0;
}
