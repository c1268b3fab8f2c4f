/*
 * rx.c - the PCRE subset of rx.h: a recursive-descent parser that emits a
 * Thompson NFA program, and a state-set simulation that runs it.
 *
 * Program: CHAR/ANY/SET consume one byte; BOL/EOL are assertions;
 * JMP goes to pc+off; SPLIT goes to both pc+1 and pc+off; MATCH accepts.
 * Jumps are relative, so the code of an atom can be moved or copied as a
 * block (insertion before a quantified atom, {n,m} expansion) with no
 * relocation: an atom's jumps never leave it.
 *
 * Only "does it match anywhere" is asked, so the simulation keeps a plain
 * set of states per subject position (no thread priorities, no captures),
 * and greedy and lazy quantifiers compile to the same program.
 */
#include "rx.h"

#include <string.h>

enum { OP_CHAR, OP_ANY, OP_SET, OP_BOL, OP_EOL, OP_JMP, OP_SPLIT, OP_MATCH };

/* escape() result for a class (\d ...) rather than a single byte. */
#define ESC_CLASS 256
/* {n,} and * : no upper bound. */
#define REP_INF 0xffffu

struct rxc {
	struct rx *r;
	const unsigned char *p; /* next pattern byte */
	int depth;              /* open groups */
};

/* ---- byte classes, C locale (PCRE's default tables) ------------------- */

enum { K_ALNUM, K_ALPHA, K_ASCII, K_BLANK, K_CNTRL, K_DIGIT, K_GRAPH, K_LOWER,
       K_PRINT, K_PUNCT, K_SPACE, K_UPPER, K_WORD, K_XDIGIT, K_COUNT };

/* In K_* order, for [:name:]. */
static const char k_names[] = "alnum\0alpha\0ascii\0blank\0cntrl\0digit\0graph\0"
                              "lower\0print\0punct\0space\0upper\0word\0xdigit";

/* Each ASCII byte is of one kind (hex letters also T_HEX); a class is a set of
 * kinds.  Spelled out rather than <ctype.h>: the answer must not depend on
 * a locale, and bytes >= 0x80 are in no class, as in PCRE's default tables. */
enum { T_LOW = 1, T_UP = 2, T_DIG = 4, T_HEX = 8, T_US = 16, T_PUN = 32,
       T_SP = 64, T_TAB = 128, T_WS = 256, T_CTL = 512 };

static const uint16_t k_kinds[K_COUNT] = {
	T_LOW | T_UP | T_DIG,                          /* alnum */
	T_LOW | T_UP,                                  /* alpha */
	0x3ff,                                         /* ascii */
	T_SP | T_TAB,                                  /* blank */
	T_TAB | T_WS | T_CTL,                          /* cntrl */
	T_DIG,                                         /* digit */
	T_LOW | T_UP | T_DIG | T_US | T_PUN,           /* graph */
	T_LOW,                                         /* lower */
	T_LOW | T_UP | T_DIG | T_US | T_PUN | T_SP,    /* print */
	T_US | T_PUN,                                  /* punct */
	T_SP | T_TAB | T_WS,                           /* space: PCRE2's \s has \v too */
	T_UP,                                          /* upper */
	T_LOW | T_UP | T_DIG | T_US,                   /* word */
	T_DIG | T_HEX,                                 /* xdigit */
};

static unsigned kind(int ch)
{
	if (ch >= 'a' && ch <= 'z')
		return T_LOW | (ch <= 'f' ? T_HEX : 0);
	if (ch >= 'A' && ch <= 'Z')
		return T_UP | (ch <= 'F' ? T_HEX : 0);
	if (ch >= '0' && ch <= '9')
		return T_DIG;
	if (ch == '_')
		return T_US;
	if (ch == ' ')
		return T_SP;
	if (ch == '\t')
		return T_TAB;
	if (ch >= '\n' && ch <= '\r')
		return T_WS;
	if (ch < ' ' || ch == 0x7f)
		return T_CTL;
	return ch < 0x80 ? T_PUN : 0;
}

/* Add class k (or its complement) to set. */
static void k_add(uint8_t *set, int k, int neg)
{
	int ch;

	for (ch = 0; ch < 256; ch++)
		if (!!(kind(ch) & k_kinds[k]) != neg)
			set[ch >> 3] |= (uint8_t)(1u << (ch & 7));
}

/* ---- emitting ---------------------------------------------------------- */

static int emit(struct rxc *c, int op, int arg, int off)
{
	struct rx *r = c->r;

	if (r->n >= RX_PROG_MAX)
		return RX_ETOOBIG;
	r->prog[r->n].op = (uint8_t)op;
	r->prog[r->n].arg = (uint8_t)arg;
	r->prog[r->n].off = (int16_t)off;
	r->n++;
	return 0;
}

/* Insert a SPLIT at pc at, moving the code after it up by one. */
static int insert_split(struct rxc *c, size_t at, int off)
{
	struct rx *r = c->r;

	if (r->n >= RX_PROG_MAX)
		return RX_ETOOBIG;
	memmove(&r->prog[at + 1], &r->prog[at], (r->n - at) * sizeof r->prog[0]);
	r->n++;
	r->prog[at].op = OP_SPLIT;
	r->prog[at].arg = 0;
	r->prog[at].off = (int16_t)off;
	return 0;
}

/* Emit SET for set, sharing an identical earlier set (\d\d\d is one). */
static int emit_set(struct rxc *c, const uint8_t *set)
{
	struct rx *r = c->r;
	int i;

	for (i = 0; i < r->nsets && memcmp(r->set[i], set, 32) != 0; i++)
		;
	if (i == r->nsets) {
		if (i == RX_SET_MAX)
			return RX_ETOOBIG;
		memcpy(r->set[i], set, 32);
		r->nsets++;
	}
	return emit(c, OP_SET, i, 0);
}

/* ---- parsing ----------------------------------------------------------- */

static int is_alnum(int ch)
{
	return (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
}

/*
 * After a backslash: the byte it stands for, or ESC_CLASS with the class
 * added to set (\d ...; set NULL where a class is not allowed, a range
 * end).  A backslash before a letter or digit we do not know is refused:
 * in PCRE those are all something else (\b, \x41, \1, \Q, \p{..}, \K ...).
 */
static int escape(struct rxc *c, uint8_t *set)
{
	static const char cls[] = "dwsDWS";
	static const uint8_t cls_k[] = { K_DIGIT, K_WORD, K_SPACE };
	static const char ctl[] = "t\tn\nr\rf\f";
	int ch = *c->p;
	const char *k;

	if (ch == 0)
		return RX_ESYNTAX; /* trailing backslash */
	c->p++;
	if (!is_alnum(ch))
		return ch;
	if ((k = strchr(cls, ch)) != NULL) {
		if (!set)
			return RX_ESYNTAX; /* [a-\d]: PCRE refuses the range too */
		k_add(set, cls_k[(k - cls) % 3], k - cls >= 3);
		return ESC_CLASS;
	}
	for (k = ctl; *k; k += 2)
		if (*k == ch)
			return (unsigned char)k[1];
	return RX_EUNSUPPORTED;
}

/*
 * Does p start a POSIX item, "[:" ... ":]" (or with '.' or '=')?  As PCRE
 * decides it: the closing ":]" must come before any other ']' (or "[:"),
 * "\]" and "\\" being skipped.  So "[.]" is a class of '.', and in
 * "[[:a]" the first '[' is a member.
 */
static int posix_item(const unsigned char *p)
{
	int t = p[1];

	if (p[0] != '[' || (t != ':' && t != '.' && t != '='))
		return 0;
	for (p += 2; p[0] && p[1]; p++) {
		if (p[0] == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((p[0] == '[' && p[1] == t) || p[0] == ']')
			return 0;
		else if (p[0] == t && p[1] == ']')
			return 1;
	}
	return 0;
}

/* The POSIX item at c->p (posix_item): "[:name:]" or "[:^name:]". */
static int posix_class(struct rxc *c, uint8_t *set)
{
	const unsigned char *p = c->p + 2;
	const char *name = k_names;
	int k, neg = 0;
	size_t n;

	if (c->p[1] != ':')
		return RX_ESYNTAX; /* [.a.] [=a=]: PCRE has no collating elements either */
	if (*p == '^') {
		neg = 1;
		p++;
	}
	for (k = 0; k < K_COUNT; k++, name += n + 1) {
		n = strlen(name);
		if (strncmp((const char *)p, name, n) == 0 && p[n] == ':' && p[n + 1] == ']') {
			c->p = p + n + 2;
			k_add(set, k, neg);
			return 0;
		}
	}
	return RX_ESYNTAX; /* an unknown name */
}

/* A bracket expression, c->p just after the '['. */
static int parse_class(struct rxc *c, uint8_t *set)
{
	int neg = 0, first = 1, lo, hi, e;

	memset(set, 0, 32);
	if (posix_item(c->p - 1))
		return RX_ESYNTAX; /* "[:alpha:]" needs the outer brackets in PCRE */
	if (*c->p == '^') {
		neg = 1;
		c->p++;
	}
	for (;;) {
		if (*c->p == 0)
			return RX_ESYNTAX; /* no closing ']' */
		if (*c->p == ']' && !first)
			break;
		first = 0; /* a ']' first is a member, as in PCRE and POSIX */
		if (posix_item(c->p)) {
			lo = ESC_CLASS;
			if ((e = posix_class(c, set)) < 0)
				return e;
		} else if (*c->p == '\\') {
			c->p++;
			if ((lo = escape(c, set)) < 0)
				return lo;
		} else {
			lo = *c->p++;
		}
		hi = lo;
		if (c->p[0] == '-' && c->p[1] != ']' && c->p[1] != 0) {
			if (lo == ESC_CLASS)
				return RX_ESYNTAX; /* [\d-z]: PCRE2 refuses it */
			c->p++;
			if (posix_item(c->p))
				return RX_ESYNTAX; /* [a-[:digit:]] */
			if (*c->p == '\\') {
				c->p++;
				if ((hi = escape(c, NULL)) < 0)
					return hi;
			} else {
				hi = *c->p++;
			}
			if (hi < lo)
				return RX_ESYNTAX; /* [z-a] */
		}
		if (lo == ESC_CLASS)
			continue;
		for (; lo <= hi; lo++)
			set[lo >> 3] |= (uint8_t)(1u << (lo & 7));
	}
	c->p++;
	if (neg)
		for (e = 0; e < 32; e++)
			set[e] = (uint8_t)~set[e];
	return 0;
}

/* Digits at *pp, at most RX_REPEAT_MAX + 1 (saturating, never overflows). */
static unsigned count(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	unsigned v = 0;

	for (; *p >= '0' && *p <= '9'; p++)
		v = v > RX_REPEAT_MAX ? RX_REPEAT_MAX + 1 : v * 10 + (unsigned)(*p - '0');
	*pp = p;
	return v;
}

/* "{n}", "{n,}", "{n,m}" at c->p; leaves c->p on the '}'. */
static int parse_braces(struct rxc *c, unsigned *min, unsigned *max)
{
	const unsigned char *p = c->p + 1;

	/* Anything else is a literal '{' to PCRE, and which forms are depends
	 * on the version ("{,3}" and "{ 1 }" are quantifiers from 10.43). */
	if (*p < '0' || *p > '9')
		return RX_EUNSUPPORTED;
	*min = *max = count(&p);
	if (*p == ',') {
		p++;
		if (*p == '}')
			*max = REP_INF;
		else if (*p >= '0' && *p <= '9')
			*max = count(&p);
		else
			return RX_EUNSUPPORTED;
	}
	if (*p != '}')
		return RX_EUNSUPPORTED;
	if (*min > RX_REPEAT_MAX || (*max > RX_REPEAT_MAX && *max != REP_INF))
		return RX_ETOOBIG;
	if (*max < *min)
		return RX_ESYNTAX; /* {3,2} */
	c->p = p;
	return 0;
}

/*
 * Repeat the atom whose code is prog[a..n) min to max times:
 *   x{2,4} -> x x (SPLIT x)(SPLIT x)   x{2,} -> x x SPLIT(back to x)
 *   x* -> SPLIT x JMP(back)            x{0} -> nothing
 * Every copy is the same block (relative jumps), checked to fit first.
 */
static int repeat(struct rxc *c, size_t a, unsigned min, unsigned max)
{
	struct rx *r = c->r;
	size_t len = r->n - a, src = a, need, opt, i;

	if (len == 0)
		return 0; /* an empty group, repeated, is still empty */
	need = min * len + (max == REP_INF ? (min ? 1 : len + 2) : (max - min) * (len + 1));
	if (a + need > RX_PROG_MAX)
		return RX_ETOOBIG;
	if (min == 0) {
		if (max == 0) {
			r->n = (uint16_t)a;
			return 0;
		}
		insert_split(c, a, (int)len + (max == REP_INF ? 2 : 1));
		if (max == REP_INF)
			return emit(c, OP_JMP, 0, -(int)len - 1);
		src = a + 1;
		opt = max - 1;
	} else {
		for (i = 1; i < min; i++) {
			memcpy(&r->prog[r->n], &r->prog[src], len * sizeof r->prog[0]);
			r->n = (uint16_t)(r->n + len);
		}
		if (max == REP_INF)
			return emit(c, OP_SPLIT, 0, -(int)len);
		opt = max - min;
	}
	for (i = 0; i < opt; i++) {
		emit(c, OP_SPLIT, 0, (int)len + 1);
		memcpy(&r->prog[r->n], &r->prog[src], len * sizeof r->prog[0]);
		r->n = (uint16_t)(r->n + len);
	}
	return 0;
}

/* An optional quantifier after the atom at prog[a..n). */
static int parse_quant(struct rxc *c, size_t a, int repeatable)
{
	unsigned min = 0, max = REP_INF;
	int e;

	switch (*c->p) {
	case '*':
		break;
	case '+':
		min = 1;
		break;
	case '?':
		max = 1;
		break;
	case '{':
		if ((e = parse_braces(c, &min, &max)) < 0)
			return e;
		break;
	default:
		return 0;
	}
	c->p++;
	if (!repeatable)
		return RX_ESYNTAX; /* ^* $+: PCRE: "does not follow a repeatable item" */
	if (*c->p == '?')
		c->p++; /* lazy: another match, the same yes/no */
	else if (*c->p == '+')
		return RX_EUNSUPPORTED; /* possessive: a*+a never matches */
	/* A further quantifier (a**, a{2}{3}) fails as an atom next. */
	return repeat(c, a, min, max);
}

static int parse_alt(struct rxc *c);

/* One atom; 1 if a quantifier may follow it, 0 if not, or an error. */
static int parse_atom(struct rxc *c)
{
	uint8_t set[32];
	int ch = *c->p++, e;

	switch (ch) {
	case '^':
		return emit(c, OP_BOL, 0, 0);
	case '$':
		return emit(c, OP_EOL, 0, 0);
	case '.':
		e = emit(c, OP_ANY, 0, 0);
		break;
	case '*':
	case '+':
	case '?':
		return RX_ESYNTAX; /* nothing to repeat */
	case '{':
		return RX_EUNSUPPORTED; /* a literal '{' (see parse_braces) */
	case '(':
		if (*c->p == '?') {
			/* (?: ) only; (?= (?! (?<= (?i) (?P< (?# ... are not ours */
			if (c->p[1] != ':')
				return RX_EUNSUPPORTED;
			c->p += 2;
		}
		if (++c->depth > RX_DEPTH_MAX)
			return RX_ETOOBIG;
		if ((e = parse_alt(c)) < 0)
			return e;
		if (*c->p != ')')
			return RX_ESYNTAX; /* unclosed group */
		c->p++;
		c->depth--;
		break;
	case '[':
		if ((e = parse_class(c, set)) < 0)
			return e;
		e = emit_set(c, set);
		break;
	case '\\':
		memset(set, 0, sizeof set);
		if ((e = escape(c, set)) < 0)
			return e;
		e = e == ESC_CLASS ? emit_set(c, set) : emit(c, OP_CHAR, e, 0);
		break;
	default: /* a literal byte, ']' and '}' included, as in PCRE */
		e = emit(c, OP_CHAR, ch, 0);
		break;
	}
	return e < 0 ? e : 1;
}

static int parse_concat(struct rxc *c)
{
	int e;

	while (*c->p && *c->p != '|' && *c->p != ')') {
		size_t a = c->r->n;
		if ((e = parse_atom(c)) < 0 || (e = parse_quant(c, a, e)) < 0)
			return e;
	}
	return 0;
}

/*
 * a|b|c -> SPLIT(+1, L1) a JMP(end)  L1: SPLIT(+1, L2) b JMP(end)  L2: c
 * A branch's SPLIT is inserted before it once a '|' shows it is not the
 * last.  The JMPs wait for the end in a chain through their off fields;
 * later insertions are all after them, so their positions hold.
 */
static int parse_alt(struct rxc *c)
{
	struct rx *r = c->r;
	size_t start = r->n;
	int chain = -1, e, j;

	for (;;) {
		if ((e = parse_concat(c)) < 0)
			return e;
		if (*c->p != '|')
			break;
		c->p++;
		if ((e = insert_split(c, start, 0)) < 0 || (e = emit(c, OP_JMP, 0, chain)) < 0)
			return e;
		chain = (int)r->n - 1;
		r->prog[start].off = (int16_t)(r->n - start);
		start = r->n;
	}
	while (chain >= 0) {
		j = chain;
		chain = r->prog[j].off;
		r->prog[j].off = (int16_t)(r->n - j);
	}
	return 0;
}

int rx_compile(struct rx *r, const char *pattern)
{
	struct rxc c;
	size_t len;
	int e;

	c.r = r;
	c.p = (const unsigned char *)pattern;
	c.depth = 0;
	r->n = 0;
	r->nsets = 0;
	for (len = 0; pattern[len]; len++)
		if (len == RX_PATTERN_MAX)
			return RX_ETOOBIG;
	e = parse_alt(&c);
	if (e == 0 && *c.p == ')')
		e = RX_ESYNTAX; /* unmatched ')' */
	if (e == 0)
		e = emit(&c, OP_MATCH, 0, 0);
	if (e < 0)
		r->n = 0;
	return e;
}

/* ---- matching ---------------------------------------------------------- */

/* Add state pc to the current position's set and work list. */
static void add(struct rx *r, uint8_t *on, size_t *n, unsigned pc)
{
	uint8_t bit = (uint8_t)(1u << (pc & 7));

	if (on[pc >> 3] & bit)
		return;
	on[pc >> 3] |= bit;
	r->list[(*n)++] = (uint16_t)pc;
}

int rx_match(struct rx *r, const char *subject, size_t len)
{
	const unsigned char *s = (const unsigned char *)subject;
	uint8_t *prev = r->on[0], *on = r->on[1], *t;
	size_t i, j, n;
	unsigned pc;

	if (r->n == 0)
		return -1;
	for (i = 0;; i++) {
		/* The states at position i: those at i-1 that take s[i-1] ... */
		memset(on, 0, sizeof r->on[0]);
		n = 0;
		for (pc = 0; i > 0 && pc < r->n; pc++) {
			const struct rx_inst *in = &r->prog[pc];
			unsigned ch = s[i - 1];
			if (!(prev[pc >> 3] >> (pc & 7) & 1))
				continue;
			if ((in->op == OP_CHAR && in->arg == ch) || (in->op == OP_ANY && ch != '\n') ||
			    (in->op == OP_SET && (r->set[in->arg][ch >> 3] >> (ch & 7) & 1)))
				add(r, on, &n, pc + 1);
		}
		/* ... a match starting here (the search is unanchored) ... */
		add(r, on, &n, 0);
		/* ... and what jumps and true assertions lead to from them. */
		for (j = 0; j < n; j++) {
			const struct rx_inst *in = &r->prog[r->list[j]];
			pc = r->list[j];
			switch (in->op) {
			case OP_MATCH:
				return 1;
			case OP_SPLIT:
				add(r, on, &n, pc + 1);
				add(r, on, &n, (unsigned)((int)pc + in->off));
				break;
			case OP_JMP:
				add(r, on, &n, (unsigned)((int)pc + in->off));
				break;
			case OP_BOL:
				if (i == 0)
					add(r, on, &n, pc + 1);
				break;
			case OP_EOL: /* PCRE's $: the end, or just before a final newline */
				if (i == len || (i + 1 == len && s[i] == '\n'))
					add(r, on, &n, pc + 1);
				break;
			default:
				break; /* consumes a byte: waits for the next position */
			}
		}
		if (i == len)
			return 0;
		t = prev;
		prev = on;
		on = t;
	}
}
