/*
 * classad.h - fixed-memory ClassAds: parse, store, print, wire encode.
 *
 * A struct classad keeps all of its attributes in one caller-provided
 * arena: no malloc, no growth.  Each attribute is one contiguous block in
 * the arena holding its parsed expression tree and the bytes of its name
 * and strings; blocks are compacted on delete/replace, so memory is bounded
 * by the arena and never leaks inside it.  The attribute table sits at the
 * top of the arena and is kept sorted the way HTCondor 23.4+ keeps an ad in
 * memory: by name length, then case-insensitive name (ClassAdFlatMapOrder).
 *
 * Syntax: the old-ClassAd expression syntax used on the wire
 * (docs: /work/shared/protocol/classad-wire.md section 3) and the new
 * syntax "[ a = 1; b = "x" ]" (C escapes in strings) for local input.
 * Expressions are parsed, never evaluated; the accessors return literal
 * values only.  Non-literal expressions print back exactly as HTCondor's
 * unparser prints them.
 *
 * Every bound on untrusted input is one of the CLASSAD_MAX_* constants
 * below; exceeding one is an error (subsystem "CLASSAD") whose message
 * names the bound and the input position.  After an error in a single
 * insertion (setters, classad_parse_line) the ad is unchanged; after an
 * error part-way through a whole ad (classad_parse_old/new/text,
 * classad_get) it keeps the attributes accepted before the error.  In
 * every case it stays consistent and can be printed, cleared and reused.
 *
 * Known differences from HTCondor (all on input a daemon never sends):
 *  - an integer beyond 64 bits is an error (HTCondor stores 0);
 *  - text after a complete expression in a wire line is an error
 *    (HTCondor's getClassAd ignores it);
 *  - new-syntax strings reject unknown escapes like \q (HTCondor drops
 *    the backslash) and adjacent literals are unescaped one by one;
 *  - absTime("...")/relTime("...") stay function calls (HTCondor
 *    evaluates them at parse time and prints a normalised time);
 *  - a left-deep operator chain counts towards CLASSAD_MAX_DEPTH, so an
 *    expression with more than ~500 chained "&&" terms is refused.
 */
#ifndef TOKENBOX_CLASSAD_H
#define TOKENBOX_CLASSAD_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* ---- bounds ------------------------------------------------------------ */

/* Recommended arena for any ad (a busy schedd's collector ad: ~300
 * attributes, ~64 KiB of text, fits with room to spare). */
#define CLASSAD_ARENA_BYTES (256 * 1024)
/* Enough for handshake / token-request ads (~25 short attributes). */
#define CLASSAD_ARENA_SMALL (16 * 1024)
/* Smallest arena classad_init() accepts. */
#define CLASSAD_ARENA_MIN 256
/* Attributes in one ad (HTCondor's own wire limit is 1,000,000). */
#define CLASSAD_MAX_ATTRS 1024
/* Bytes in an attribute name (also names inside nested ads). */
#define CLASSAD_MAX_NAME_LEN 256
/* Bytes in one decoded string literal. */
#define CLASSAD_MAX_STRING_LEN (64 * 1024)
/* Bytes in one "Name = expr" line or expression source text; also the
 * longest string accepted from the wire for one attribute. */
#define CLASSAD_MAX_EXPR_LEN (128 * 1024)
/* Nesting depth of an expression: parser recursion and tree height
 * (HTCondor's parser stops at 500 as well). */
#define CLASSAD_MAX_DEPTH 500
/* Nodes (literals, operators, references, ...) in one attribute's tree. */
#define CLASSAD_MAX_NODES 16384
/* Characters in one numeric literal. */
#define CLASSAD_MAX_NUMBER_LEN 400
/* Largest attribute count accepted from the wire before anything else
 * is checked (HTCondor's getClassAd: 0 <= N <= 1,000,000). */
#define CLASSAD_WIRE_MAX_COUNT 1000000

/* ---- return codes (also used as err codes, negated) -------------------- */

enum {
	CLASSAD_OK = 0,
	CLASSAD_ENOTFOUND = -1, /* no such attribute */
	CLASSAD_ETYPE = -2,     /* attribute is not a literal of that type */
	CLASSAD_ETOOBIG = -3,   /* value does not fit the caller's buffer */
	CLASSAD_EPARSE = -4,    /* syntax error */
	CLASSAD_EBOUND = -5,    /* a CLASSAD_MAX_* bound or the arena is exceeded */
	CLASSAD_EIO = -6,       /* the stream callbacks failed */
	CLASSAD_EINVAL = -7     /* bad argument (API misuse) */
};

/* ---- the ad -------------------------------------------------------------- */

struct classad_attr; /* private, lives at the top of the arena */

struct classad {
	unsigned char *mem; /* arena, 8-byte aligned */
	size_t cap;         /* usable arena bytes */
	size_t used;        /* bytes of attribute blocks from mem upward */
	unsigned nattr;     /* entries in the table at the top of the arena */
};

/* Use arena[0..len) for ad (the arena is aligned up to 8 bytes inside).
 * CLASSAD_EINVAL if the arena is smaller than CLASSAD_ARENA_MIN. */
int classad_init(struct classad *ad, void *arena, size_t len);
/* Remove every attribute (the arena is reused). */
void classad_clear(struct classad *ad);
unsigned classad_count(const struct classad *ad);
/* Bytes still free in the arena. */
size_t classad_free_bytes(const struct classad *ad);

/* Name of attribute i (0 <= i < count) in the ad's order (length, then
 * case-insensitive name); not NUL-terminated, *len receives its length. */
const char *classad_name_at(const struct classad *ad, unsigned i, size_t *len);
/* Index of name (case-insensitive) or CLASSAD_ENOTFOUND. */
int classad_find(const struct classad *ad, const char *name);

/* ---- accessors: literal values only (no evaluation) -------------------- */

/* Copy the string value (NUL-terminated) into buf.  *len (may be NULL)
 * receives the value's length even on CLASSAD_ETOOBIG. */
int classad_get_string(const struct classad *ad, const char *name, char *buf, size_t cap,
                       size_t *len);
/* Integer literal (also "-5"; a boolean is not an integer). */
int classad_get_int(const struct classad *ad, const char *name, int64_t *v);
/* Boolean literal true/false. */
int classad_get_bool(const struct classad *ad, const char *name, int *v);
/* Real or integer literal; also real("NaN"), real("INF"), real("-INF"). */
int classad_get_real(const struct classad *ad, const char *name, double *v);

enum classad_vtype {
	CLASSAD_V_NONE = 0,  /* no such attribute */
	CLASSAD_V_INT,
	CLASSAD_V_REAL,
	CLASSAD_V_BOOL,
	CLASSAD_V_STRING,
	CLASSAD_V_UNDEFINED,
	CLASSAD_V_ERROR,
	CLASSAD_V_LIST,
	CLASSAD_V_AD,
	CLASSAD_V_EXPR      /* anything else: reference, operator, call */
};
enum classad_vtype classad_type(const struct classad *ad, const char *name);

/* ---- building ------------------------------------------------------------ */

/* All setters replace an existing attribute of the same name
 * (case-insensitive).  name may be any non-empty byte string up to
 * CLASSAD_MAX_NAME_LEN without NUL or '='. */
int classad_set_string(struct classad *ad, const char *name, const char *value, struct err *e);
int classad_set_string_n(struct classad *ad, const char *name, const char *value, size_t n,
                         struct err *e);
int classad_set_int(struct classad *ad, const char *name, int64_t value, struct err *e);
int classad_set_bool(struct classad *ad, const char *name, int value, struct err *e);
int classad_set_real(struct classad *ad, const char *name, double value, struct err *e);
/* Parse expr (old syntax) as the value of name. */
int classad_set_expr(struct classad *ad, const char *name, const char *expr, struct err *e);
/* 0, or CLASSAD_ENOTFOUND. */
int classad_delete(struct classad *ad, const char *name);

/* ---- parsing text ---------------------------------------------------------- */

enum classad_syntax { CLASSAD_SYNTAX_OLD = 0, CLASSAD_SYNTAX_NEW = 1 };

/* One wire line "Name = expr" (old syntax), as HTCondor's
 * InsertLongFormAttrValue splits it: name = text before the first '='
 * without surrounding blanks, value = the rest. */
int classad_parse_line(struct classad *ad, const char *line, size_t len, struct err *e);
/* A whole ad in old syntax: "Name = expr" lines; blank lines and lines
 * starting with '#' are skipped.  Attributes are added to ad. */
int classad_parse_old(struct classad *ad, const char *text, size_t len, struct err *e);
/* A whole ad in new syntax "[ a = 1; b = "x" ]"; only blanks and
 * comments may follow the closing bracket. */
int classad_parse_new(struct classad *ad, const char *text, size_t len, struct err *e);
/* New syntax if the first non-blank character is '[', else old. */
int classad_parse_text(struct classad *ad, const char *text, size_t len, struct err *e);

/* ---- printing -------------------------------------------------------------- */

/* Output goes through a sink so long values are never truncated: a
 * write failure stops printing and is reported. */
struct classad_sink {
	int (*write)(void *ctx, const char *p, size_t n); /* 0 ok, < 0 stop */
	void *ctx;
};

/* A sink into a fixed buffer, always NUL-terminated; printing into a
 * too-small buffer fails with CLASSAD_ETOOBIG (never truncates silently). */
struct classad_buf {
	char *p;
	size_t cap;
	size_t len;
	int overflow;
};
void classad_sink_buf(struct classad_sink *s, struct classad_buf *b, char *buf, size_t cap);

enum classad_form {
	/* HTCondor's old-ClassAd unparse of a whole ad, in the ad's order
	 * (length, then case-insensitive name) as the 23.4+ tools print
	 * "Request contents:": "Name = value\n" per attribute, names quoted
	 * when needed; an empty ad prints "\n". */
	CLASSAD_FORM_OLD = 0,
	/* condor_token_request_list / condor_status -long style: the same
	 * lines in case-insensitive name order, names raw, private attributes
	 * (classad_is_private) left out; an empty ad prints nothing. */
	CLASSAD_FORM_LONG,
	/* New syntax "[ a = 1; b = "x" ]" in the ad's order, no newline. */
	CLASSAD_FORM_NEW,
	/* HTCondor's -json object for one ad (ClassAdJsonUnParser, 2-space
	 * indent), attributes in case-insensitive name order without private
	 * ones; no trailing newline.  The tools print a list of ads as
	 * "[\n" ad ( ",\n" ad )* "\n]\n". */
	CLASSAD_FORM_JSON
};

/* Printing flags. */
#define CLASSAD_PRINT_SAFE 0x01 /* terminal-safe rendering, see below */

/*
 * CLASSAD_PRINT_SAFE: bytes inside string values and attribute names are
 * rendered so that nothing reaches the terminal that could control it or
 * hide text, and so that the rendering is unambiguous:
 *   - a backslash is printed as "\\" (so every backslash that appears in
 *     safe output starts one of the escapes below, and a value that
 *     literally contains "\x1b" prints as "\\x1b");
 *   - '"' (or the quote delimiting a name) stays "\"" as in HTCondor;
 *   - newline, tab, carriage return print as "\n", "\t", "\r";
 *   - other C0 bytes and DEL print as "\xHH" (two lower-case hex digits);
 *   - C1 controls (UTF-8 U+0080..U+009F) and the bidirectional/line
 *     controls U+2028, U+2029, U+202A..U+202E, U+2066..U+2069 print as
 *     "\uHHHH" (four lower-case hex digits);
 *   - every byte of an invalid UTF-8 sequence (bad lead or continuation,
 *     overlong, surrogate, > U+10FFFF, truncated) prints as "\xHH";
 *   - every other valid UTF-8 (printable ASCII, accented letters, CJK,
 *     emoji) is copied byte for byte.
 * In JSON form the same characters use JSON escapes ("\u001b", "\u0085",
 * "\u202e") and invalid bytes become "\ufffd".
 * Without the flag output is byte-exact HTCondor output.
 */

int classad_print(const struct classad *ad, enum classad_form form, unsigned flags,
                  const struct classad_sink *out, struct err *e);
/* Print only the value of one attribute (old or new syntax; JSON value). */
int classad_print_value(const struct classad *ad, const char *name, enum classad_form form,
                        unsigned flags, const struct classad_sink *out, struct err *e);

/* One string that is not in an ad (a request value quoted in a message, a
 * daemon's error text, an audit-log field), rendered by the same rules:
 * classad_print_str_safe writes the CLASSAD_PRINT_SAFE form of its bytes
 * (no quotes added, '"' left as is), classad_print_str_json a quoted JSON
 * string with the SAFE JSON escapes.  0, or -1 when the sink failed. */
int classad_print_str_safe(const char *s, size_t n, const struct classad_sink *out);
int classad_print_str_json(const char *s, size_t n, const struct classad_sink *out);
/* classad_print_str_safe into buf (always NUL-terminated): a rendering
 * that does not fit is cut at a character boundary and ends in "...".
 * Returns buf, for use as a printf argument. */
const char *classad_safe_cstr(char *buf, size_t cap, const char *s);
/* Text from the network for a message: copied as it is when nothing in it
 * needs escaping (so clean texts print exactly as HTCondor prints them),
 * else its classad_safe_cstr form.  Returns buf. */
const char *classad_clean_cstr(char *buf, size_t cap, const char *s);

/* 1 if the bytes need CLASSAD_PRINT_SAFE (contain anything the safe mode
 * would escape other than backslash and '"'), else 0. */
int classad_str_unsafe(const char *p, size_t n);
/* Same for one attribute's name and every string/name in its value
 * (CLASSAD_ENOTFOUND if absent), and for the whole ad. */
int classad_value_unsafe(const struct classad *ad, const char *name);
int classad_unsafe(const struct classad *ad);

/* Private attributes (HTCondor's ClassAdAttributeIsPrivateV1/V2):
 * Capability, ChildClaimIds, ClaimId, ClaimIdList, ClaimIds, TransferKey
 * (V1) and any name starting with "_condor_priv" (V2), case-insensitive.
 * Returns 0 (not private), 1 (V1) or 2 (V2). */
int classad_is_private(const char *name, size_t len);

/* ---- wire ------------------------------------------------------------------ */

/*
 * The ad side of the CEDAR stream, so that the stream module and this one
 * need not include each other.  All callbacks return 0 on success and a
 * negative value on failure.
 *   put_str / get_str: one string in the stream's current mode (the stream
 *     adds/strips the NUL and, when encrypting, the length prefix).
 *     put_str's s is always NUL-terminated at s[n] and has no inner NUL.
 *     get_str stores up to cap-1 bytes plus a NUL; it must fail (not
 *     truncate) on a longer string, and returns 1 for HTCondor's NULL
 *     string (0xFF marker).
 *   put_secret / get_secret: one string sent encrypted even though the
 *     stream is not (HTCondor's put_secret/get_secret).  Set them only when
 *     the connection has a key but is not currently encrypting; then a
 *     private attribute is sent as the string "ZKM" followed by the line
 *     as a secret.  NULL otherwise.
 */
struct classad_io {
	void *ctx;
	int (*put_int)(void *ctx, int64_t v);
	int (*put_str)(void *ctx, const char *s, size_t n);
	int (*put_secret)(void *ctx, const char *s, size_t n);
	int (*get_int)(void *ctx, int64_t *v);
	int (*get_str)(void *ctx, char *buf, size_t cap, size_t *len);
	int (*get_secret)(void *ctx, char *buf, size_t cap, size_t *len);
};

/* classad_put options (HTCondor's PUT_CLASSAD_* meaning). */
#define CLASSAD_PUT_NO_PRIVATE 0x01 /* leave out all private attributes */
#define CLASSAD_PUT_NO_TYPES 0x02   /* no trailing MyType/TargetType strings */
#define CLASSAD_PUT_PRIV_V2 0x04    /* peer is 9.9.0 or newer: may send V2 private */

/*
 * Write ad: int N, N "Name = expr" strings (old-syntax unparse), then two
 * empty strings.  Order: the ad's order; or, with a projection (names,
 * nnames > 0), the listed attributes that exist, in case-insensitive name
 * order, each once.  Private attributes: V1 always sent unless
 * NO_PRIVATE, V2 only with PRIV_V2; "ZKM"+secret when io->put_secret is
 * set.  The line is built in the free part of the arena (hence non-const).
 */
int classad_put(struct classad *ad, const struct classad_io *io, unsigned opts,
                const char *const *names, size_t nnames, struct err *e);

#define CLASSAD_GET_NO_TYPES 0x02 /* do not read the two trailing strings */
/* Read an ad written by putClassAd into ad (added to what it holds; a
 * repeated name replaces the earlier value, as in HTCondor):
 * 0 <= N <= CLASSAD_WIRE_MAX_COUNT, each line parsed as classad_parse_line,
 * "ZKM" followed by a secret line, then the two trailing strings. */
int classad_get(struct classad *ad, const struct classad_io *io, unsigned opts, struct err *e);

#endif
