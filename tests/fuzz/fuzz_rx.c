/*
 * fuzz_rx.c - the PCRE-subset matcher (src/util/rx.h) on untrusted
 * patterns and subjects.  Byte 0 chooses the mode (bit 0).
 *
 * Raw mode: bytes 1-2 are the pattern length (little-endian), then the
 * pattern (cut at a NUL), then the subject.  Properties:
 *  - rx_compile returns RX_OK or one of the three errors, and after an
 *    error nothing is left to match with (rx_match says -1);
 *  - a compiled pattern matches with 0 or 1, the same answer twice;
 *  - wrapping P as "(?:P)" and as "^[\s\S]*(?:P)" changes nothing (the
 *    second checks the unanchored search against an explicit one), when
 *    the wrapped pattern still fits the bounds;
 *  - any pattern finishes in time linear in the subject (the run's
 *    -timeout catches a regression to backtracking).
 *
 * Differential mode: byte 1 is a token count, then one byte per token,
 * mapped onto  a b . * + ? | ( ) [ab] [^a] ^ $ ; the rest is the subject,
 * mapped onto  a b c \xe9.  Where rx and glibc's regcomp(REG_EXTENDED |
 * REG_NOSUB) both accept the pattern, regexec must give rx's answer.
 * The token stream is restricted to where POSIX ERE and PCRE agree on
 * "does it match": no quantifier after a quantifier (ERE reads a+? as
 * (a+)?, PCRE as a lazy a+), none after '(' '|' '^' '$' or at the start
 * (ERE may take it as a literal), no empty group or alternative, no
 * unbalanced ')', '^' only first and '$' only last at the top level
 * (glibc's regexec gets anchors inside a repeated group wrong: it finds
 * (a|^b)+a in "bba", which PCRE and Perl do not), and no newline in the
 * subject ('.' and '$' treat it differently).  Leftmost-longest against
 * leftmost-first does not matter for a yes/no answer.
 */
#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rx r;
static char pat[RX_PATTERN_MAX + 64], wrap[RX_PATTERN_MAX + 64];
static char subj[4096];

/* rx_match's answer, or the RX_E* code of the compile. */
static int match_with(const char *p, const char *s, size_t n)
{
	int e = rx_compile(&r, p);
	return e != RX_OK ? e : rx_match(&r, s, n);
}

/* pat inside PREFIX...")" (a group that changes nothing) must answer m
 * too, unless the longer pattern no longer fits. */
static void same_when_wrapped(const char *prefix, size_t plen, size_t n, int m)
{
	size_t w = strlen(prefix);
	int e;

	memcpy(wrap, prefix, w);
	memcpy(wrap + w, pat, plen);
	memcpy(wrap + w + plen, ")", 2);
	e = match_with(wrap, subj, n);
	if (e != m && e != RX_ETOOBIG)
		abort();
}

static void raw(const uint8_t *data, size_t size)
{
	size_t k, n, plen;
	int e, m;

	if (size < 3)
		return;
	k = (size_t)data[1] | (size_t)data[2] << 8;
	data += 3;
	size -= 3;
	if (k > size)
		k = size;
	if (k > RX_PATTERN_MAX + 1)
		k = RX_PATTERN_MAX + 1;
	memcpy(pat, data, k);
	pat[k] = '\0';
	plen = strlen(pat);
	n = size - k < sizeof subj ? size - k : sizeof subj;
	memcpy(subj, data + k, n);

	e = rx_compile(&r, pat);
	if (e != RX_OK) {
		if (e != RX_ESYNTAX && e != RX_EUNSUPPORTED && e != RX_ETOOBIG)
			abort();
		if (rx_match(&r, subj, n) != -1)
			abort();
		return;
	}
	if (r.n < 1 || r.n > RX_PROG_MAX || r.nsets > RX_SET_MAX)
		abort();
	m = rx_match(&r, subj, n);
	if ((m != 0 && m != 1) || rx_match(&r, subj, n) != m)
		abort();
	if (plen + 16 > RX_PATTERN_MAX)
		return;
	same_when_wrapped("(?:", plen, n, m);
	same_when_wrapped("^[\\s\\S]*(?:", plen, n, m);
}

static void differential(const uint8_t *data, size_t size)
{
	static const char *const tok[] = { "a", "b", ".", "*", "+", "?", "|", "(", ")",
	                                   "[ab]", "[^a]", "^", "$" };
	static const char alpha[] = "abc\xe9";
	size_t ntok, i, len = 0, n = 0;
	int depth = 0, prev = 0; /* prev: 0 start, ( or |; 1 atom; 2 quantifier; 3 anchor */
	regex_t re;
	int e, m, want;

	if (size < 2)
		return;
	ntok = data[1] % 48;
	data += 2;
	size -= 2;
	for (i = 0; i < ntok && i < size; i++) {
		const char *t = tok[data[i] % (sizeof tok / sizeof tok[0])];
		int quant = t[0] == '*' || t[0] == '+' || t[0] == '?';
		if (quant && prev != 1)
			continue;
		if ((t[0] == '|' || t[0] == ')') && (prev == 0 || (t[0] == ')' && depth == 0)))
			continue;
		if ((t[0] == '^' && len != 0) || (t[0] == '$' && (depth != 0 || prev == 0)))
			continue;
		if (t[0] == ')')
			depth--;
		if (t[0] == '(')
			depth++;
		memcpy(pat + len, t, strlen(t));
		len += strlen(t);
		prev = quant ? 2 : (t[0] == '(' || t[0] == '|') ? 0 : (t[0] == '^' || t[0] == '$') ? 3 : 1;
		if (t[0] == ')')
			prev = 1;
		if (t[0] == '$') {
			i++;
			break;
		}
	}
	if (prev == 0)
		pat[len++] = 'a'; /* no empty trailing group or alternative */
	while (depth-- > 0)
		pat[len++] = ')';
	pat[len] = '\0';
	for (; i < size && n < 64; i++)
		subj[n++] = alpha[data[i] % (sizeof alpha - 1)];
	subj[n] = '\0';

	e = rx_compile(&r, pat);
	if (e != RX_OK)
		return;
	m = rx_match(&r, subj, n);
	if (regcomp(&re, pat, REG_EXTENDED | REG_NOSUB) != 0)
		return;
	want = regexec(&re, subj, 0, NULL, 0) == 0;
	regfree(&re);
	if (m != want)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		differential(data, size);
	else
		raw(data, size);
	return 0;
}
