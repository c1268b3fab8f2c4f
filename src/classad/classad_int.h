/*
 * classad_int.h - the private layout shared by the classad_*.c files.
 *
 * Arena layout:
 *
 *   mem                                                         mem+cap
 *   | block 0 | block 1 | ... | free ...            | attr table |
 *
 * A block holds one attribute: its expression nodes (struct cnode[n])
 * followed by its text bytes (name and string values, not NUL-terminated),
 * padded to 8 bytes.  Node links and text offsets are relative to the
 * block, so blocks can be moved with memmove when one is deleted.
 * The table (struct classad_attr[nattr]) grows downward from the top and
 * is sorted by (name length, case-insensitive name).
 */
#ifndef TOKENBOX_CLASSAD_INT_H
#define TOKENBOX_CLASSAD_INT_H

#include "classad.h"

#define CNONE 0xffffffffu

enum cnode_kind {
	CN_INT = 1,
	CN_REAL,
	CN_BOOL,
	CN_STRING,
	CN_UNDEF,
	CN_ERROR,
	CN_REF,  /* s = name; c = base expression or CNONE; op = 1 if absolute (.name) */
	CN_OP,   /* op = enum cop; k.a, k.b, c = operands (CNONE when absent) */
	CN_CALL, /* s = function name; c = first argument; d = count */
	CN_LIST, /* c = first element; d = count */
	CN_AD,   /* c = first binding; d = count */
	CN_BIND  /* s = attribute name; c = value; next = next binding */
};

/* Operators, printed through op_text[] (classad_print.c). */
enum cop {
	OP_PAREN = 1,
	OP_UPLUS,
	OP_UMINUS,
	OP_NOT,
	OP_BITNOT,
	OP_OR,
	OP_AND,
	OP_BITOR,
	OP_BITXOR,
	OP_BITAND,
	OP_EQ,
	OP_NE,
	OP_META_EQ, /* =?= / is */
	OP_META_NE, /* =!= / isnt */
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_SHL,
	OP_SHR,
	OP_USHR,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
	OP_TERNARY,
	OP_ELVIS,
	OP_SUBSCRIPT,
	OP_COUNT
};

struct cnode {
	uint8_t kind;
	uint8_t op;
	uint16_t depth; /* height of the subtree, <= CLASSAD_MAX_DEPTH */
	uint32_t next;  /* next sibling in a list / argument list / nested ad */
	union {
		int64_t i;
		double r;
		struct {
			uint32_t a, b;
		} k; /* string or name: a = text offset, b = length; CN_OP: operands */
	} u;
	uint32_t c, d;
};

struct classad_attr {
	uint32_t off;   /* block offset from mem */
	uint32_t size;  /* block bytes (multiple of 8) */
	uint32_t nnode; /* nodes at the start of the block */
	uint32_t root;  /* root node */
	uint32_t name_off;
	uint32_t name_len;
};

/* A read-only view of one attribute's block. */
struct cview {
	const struct cnode *n;
	const char *text;
};

static inline struct classad_attr *cad_table(const struct classad *ad)
{
	return (struct classad_attr *)(void *)(ad->mem + ad->cap) - ad->nattr;
}

static inline struct cview cad_view(const struct classad *ad, const struct classad_attr *a)
{
	struct cview v;
	v.n = (const struct cnode *)(const void *)(ad->mem + a->off);
	v.text = (const char *)ad->mem + a->off + (size_t)a->nnode * sizeof(struct cnode);
	return v;
}

/* ASCII case-insensitive comparisons (HTCondor uses strcasecmp in the C
 * locale). */
int cad_casecmp(const char *a, size_t alen, const char *b, size_t blen);
/* The in-memory order: length, then case-insensitive. */
int cad_order(const char *a, size_t alen, const char *b, size_t blen);

/* ---- parser (classad_parse.c) ---- */

struct cparse_out {
	uint32_t size, nnode, root;
	uint32_t name_off, name_len;
};

/* Block under construction: nodes grow up from base, text grows down
 * from base + room; cb_finish() closes the gap. */
struct cbuild {
	unsigned char *base;
	size_t room;
	uint32_t nnode;
	uint32_t ntext; /* text bytes; offsets are top-relative until cb_finish */
	struct err *e;
	size_t pos_base; /* added to positions in messages */
};

void cb_start(struct cbuild *b, struct classad *ad, size_t limit, struct err *e);
/* New node (zeroed, links CNONE) or CNONE after pushing an error. */
uint32_t cb_node(struct cbuild *b, uint8_t kind, size_t pos);
static inline struct cnode *cb_at(struct cbuild *b, uint32_t i)
{
	return (struct cnode *)(void *)(b->base + (size_t)i * sizeof(struct cnode));
}
/* Reserve n text bytes; *off receives the (provisional) offset.  NULL after
 * pushing an error. */
char *cb_text(struct cbuild *b, size_t n, uint32_t *off, size_t pos);
/* Compact the block; fills out (root and name given). */
void cb_finish(struct cbuild *b, uint32_t root, uint32_t name_off, uint32_t name_len,
               struct cparse_out *out);

/* ---- lexer (classad_lex.c) ---- */

enum ctok {
	T_END = 0,
	T_LEXERR, /* error already pushed */
	T_INT,
	T_REAL,
	T_STR,
	T_BOOL,
	T_UNDEF,
	T_ERRORV,
	T_ID,
	T_DOT,
	T_MUL,
	T_DIV,
	T_MOD,
	T_PLUS,
	T_MINUS,
	T_BITNOT,
	T_XOR,
	T_QMARK,
	T_ELVIS,
	T_COLON,
	T_SEMI,
	T_COMMA,
	T_LBOX,
	T_RBOX,
	T_LPAREN,
	T_RPAREN,
	T_LBRACE,
	T_RBRACE,
	T_BITAND,
	T_AND,
	T_BITOR,
	T_OR,
	T_LT,
	T_LE,
	T_SHL,
	T_GT,
	T_GE,
	T_SHR,
	T_USHR,
	T_BOUND,
	T_EQ,
	T_NE,
	T_META_EQ,
	T_META_NE,
	T_NOT
};

struct clex {
	const char *src;
	size_t len, pos;
	int newsyn;        /* new-syntax strings (C escapes, concatenation) */
	enum ctok prev;    /* last token, decides whether '-' starts a number */
	struct cbuild *b;  /* where string and identifier bytes go */
	/* the current (peeked) token */
	int have;
	enum ctok tt;
	size_t tpos;
	int64_t i;
	double r;
	uint32_t soff, slen; /* T_STR, T_ID: text in b */
};

void clex_init(struct clex *l, const char *src, size_t len, int newsyn, struct cbuild *b);
enum ctok clex_peek(struct clex *l);
void clex_consume(struct clex *l);
/* Short printable description of a token type for messages. */
const char *clex_describe(enum ctok t);

/*
 * Parse src[0..len) as one expression (full parse) and build a block for
 * attribute name[0..nlen) at ad->mem + ad->used, using the free space up to
 * limit (an offset from mem).  On success the block is compacted
 * (nodes, then text) and *out describes it; nothing else in the ad moves.
 * pos_base is added to the offsets reported in error messages.
 */
int cad_parse_block(struct classad *ad, size_t limit, const char *name, size_t nlen,
                    const char *src, size_t len, enum classad_syntax syn, size_t pos_base,
                    struct cparse_out *out, struct err *e);

/* Build a block from prebuilt literal node (kind/value), no parsing. */
int cad_literal_block(struct classad *ad, size_t limit, const char *name, size_t nlen,
                      const struct cnode *lit, const char *str, size_t slen,
                      struct cparse_out *out, struct err *e);

/* Parse a whole new-syntax ad "[ ... ]" straight into ad. */
int cad_parse_new_ad(struct classad *ad, const char *src, size_t len, struct err *e);

/* ---- store (classad.c) ---- */

/* Top of the usable free area when one more table entry may be needed. */
size_t cad_limit(const struct classad *ad);
/* Insert or replace the block just built at ad->used by cad_*_block. */
int cad_commit(struct classad *ad, const struct cparse_out *o, struct err *e);
/* Validate an attribute name for insertion. */
int cad_check_name(const char *name, size_t nlen, struct err *e);

/* ---- printer helpers shared by classad_print.c and classad_json.c ---- */

struct cout {
	const struct classad_sink *s;
	int failed;
};
void cout_put(struct cout *o, const char *p, size_t n);
void cout_str(struct cout *o, const char *z);
/* Old (oldclassad=1) or new syntax unparse of node i. */
void cad_unparse(struct cout *o, struct cview v, uint32_t i, int oldclassad, unsigned flags);
/* HTCondor's real formatting; old = %.16G style, else %1.15E. */
void cad_format_real(char *buf, size_t cap, double r, int old);
/* Quoted attribute name as the unparser prints it. */
void cad_unparse_name(struct cout *o, const char *p, size_t n, int oldclassad, unsigned flags);
/* Length of the valid UTF-8 sequence at p (1..4) or 0 if invalid. */
size_t cad_utf8_len(const unsigned char *p, size_t n, uint32_t *cp);
/* 1 if code point cp must be escaped in safe mode. */
int cad_cp_unsafe(uint32_t cp);
/* JSON (classad_json.c): the object for attributes idx[0..n), one value. */
int cad_print_json(const struct classad *ad, const uint16_t *idx, unsigned n, unsigned flags,
                   struct cout *o);
int cad_print_json_value(struct cout *o, struct cview v, uint32_t root, unsigned flags);
/* Parse one "Name = expr" line, building below limit (classad.c). */
int cad_parse_line_lim(struct classad *ad, const char *line, size_t len, size_t limit,
                       struct err *e);

#endif
