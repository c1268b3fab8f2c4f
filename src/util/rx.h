/*
 * rx.h - a small regular-expression matcher for the PCRE subset that
 * LOCAL_CONFIG_DIR_EXCLUDE_REGEXP values use.
 *
 * HTCondor compiles that knob with PCRE2, options 0 (case-sensitive,
 * unanchored search, bytes).  rx gives the same yes/no answer for:
 *   literals; .  (any byte but newline); [...] [^...] with ranges, escapes
 *   and [:alpha:]-style classes (C locale, also [:^alpha:], [:word:]);
 *   \d \D \w \W \s \S, \t \n \r \f, a backslash before any other byte that
 *   is not a letter or digit (\. \\ \* \/ ...);
 *   ^ (start of subject), $ (end, or before a final newline);
 *   ( ) (?: ) |, and * + ? {n} {n,} {n,m}, each optionally lazy (*? ...).
 * Everything else PCRE accepts (backreferences, lookaround, (?i) and other
 * options, \b \x.. \Q, possessive quantifiers, a literal '{') is refused
 * with RX_EUNSUPPORTED rather than matched some other way, and what PCRE
 * refuses is refused too (RX_ESYNTAX).
 *
 * Matching simulates the compiled NFA over a set of states (no
 * backtracking): time O(subject length x program length), so no pattern
 * can make it hang.  Everything lives in the caller's struct rx; no
 * allocation.  Every size is bounded; exceeding a bound is RX_ETOOBIG.
 *
 * Where PCRE2 itself answers otherwise, rx gives the regular-language
 * answer (Perl's): on a subject where PCRE2 runs out of its backtracking
 * match limit (HTCondor then reads "no match"), and for a group repeated
 * {0} times that holds a ^ alternative, which PCRE2 10.42 takes as
 * anchoring the whole pattern ((?:a|^){0}b does not find "xb").
 */
#ifndef TOKENBOX_RX_H
#define TOKENBOX_RX_H

#include <stddef.h>
#include <stdint.h>

/* Pattern length in bytes (the default knob value is 121). */
#define RX_PATTERN_MAX 1024
/* Compiled instructions, after {n,m} copies are expanded.  No construct
 * but {n,m} costs more than two instructions per pattern byte ("a|" is
 * SPLIT a JMP), so only a counted repetition can exceed this. */
#define RX_PROG_MAX (2 * RX_PATTERN_MAX + 1)
/* Distinct bracket expressions and \d-style classes in one pattern. */
#define RX_SET_MAX 32
/* Nested groups. */
#define RX_DEPTH_MAX 32
/* Largest n or m in {n,m}. */
#define RX_REPEAT_MAX 255

/* rx_compile results. */
#define RX_OK 0
#define RX_ESYNTAX (-1)      /* not a regular expression (PCRE refuses it too) */
#define RX_EUNSUPPORTED (-2) /* PCRE syntax outside the subset above */
#define RX_ETOOBIG (-3)      /* a bound above is exceeded */

struct rx_inst {
	uint8_t op;  /* an instruction code of rx.c */
	uint8_t arg; /* the byte, or the set index */
	int16_t off; /* jump target, relative to this instruction */
};

struct rx {
	uint16_t n;                      /* instructions in prog; 0: nothing compiled */
	uint8_t nsets;
	struct rx_inst prog[RX_PROG_MAX];
	uint8_t set[RX_SET_MAX][32];     /* 256-bit byte sets */
	/* rx_match scratch: the states live at the previous and the current
	 * subject position (bit sets), and the current ones as a work list. */
	uint8_t on[2][(RX_PROG_MAX + 7) / 8];
	uint16_t list[RX_PROG_MAX];
};

/* Compile the NUL-terminated pattern into r.  RX_OK or a negative RX_E*;
 * after an error r holds no program. */
int rx_compile(struct rx *r, const char *pattern);
/* 1 if the pattern matches somewhere in s[0..len), 0 if not, -1 if r
 * holds no compiled pattern.  Uses r's scratch (one match at a time). */
int rx_match(struct rx *r, const char *s, size_t len);

#endif
