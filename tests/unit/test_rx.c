/*
 * test_rx.c - the PCRE-subset matcher (src/util/rx.h) that applies
 * LOCAL_CONFIG_DIR_EXCLUDE_REGEXP: HTCondor's default against the file
 * names it is for, every supported construct, every refused one, the
 * bounds, and patterns that make a backtracking matcher take exponential
 * time.  Expected answers are PCRE2's (options 0, as HTCondor compiles the
 * knob), checked against pcre2_match when the table was written.
 */
#include "rx.h"
#include "check.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static struct rx r;

/* HTCondor's default (param_info.in), as in src/config/config_defaults.c. */
#define DEF "^((\\..*)|(.*\\.pl)|(.*\\.py)|(.*\\.sh)|(.*~)|(#.*)|(.*\\.rpmsave)|(.*\\.rpmnew)|" \
            "(.*\\.dpkg-old)|(.*\\.dpkg-dist)|(.*\\.cfsaved))$"

struct row {
	const char *pat, *subj;
	int want; /* 1 match, 0 none */
};

static const struct row rows[] = {
	/* the default against names found in config.d directories */
	{ DEF, ".hidden", 1 },
	{ DEF, ".", 1 },
	{ DEF, "..", 1 },
	{ DEF, ".swp.conf", 1 },
	{ DEF, "foo~", 1 },
	{ DEF, "~", 1 },
	{ DEF, "#foo#", 1 },
	{ DEF, "#", 1 },
	{ DEF, "x.rpmsave", 1 },
	{ DEF, "x.rpmnew", 1 },
	{ DEF, "x.dpkg-old", 1 },
	{ DEF, "x.dpkg-dist", 1 },
	{ DEF, "x.cfsaved", 1 },
	{ DEF, "setup.sh", 1 },
	{ DEF, "gen.py", 1 },
	{ DEF, "gen.pl", 1 },
	{ DEF, ".rpmsave", 1 },
	{ DEF, "00-main", 0 },
	{ DEF, "10-local.conf", 0 },
	{ DEF, "99_site", 0 },
	{ DEF, "x.rpmsave.conf", 0 },
	{ DEF, "x.sh.conf", 0 },
	{ DEF, "foo~bar", 0 },
	{ DEF, "a#b", 0 },
	{ DEF, "x.rpmsav", 0 },
	{ DEF, "x.RPMSAVE", 0 }, /* case-sensitive */
	{ DEF, "xrpmsave", 0 },  /* the dot is literal */
	{ DEF, "x-dpkg-old", 0 },
	{ DEF, "x.dpkg_old", 0 },
	{ DEF, "x.pyc", 0 },
	{ DEF, "", 0 },
	{ DEF, "x.sh\n", 1 },    /* PCRE's $ also matches before a final newline */
	{ DEF, ".x\n", 1 },
	{ DEF, "x\n.sh", 0 },    /* . does not match a newline */
	{ DEF, ".x\ny", 0 },
	{ DEF, "x.sh\n\n", 0 },

	/* literals, unanchored search */
	{ "abc", "xxabcxx", 1 },
	{ "abc", "abc", 1 },
	{ "abc", "ab", 0 },
	{ "abc", "acb", 0 },
	{ "", "", 1 },
	{ "", "x", 1 },
	{ "a]", "a]", 1 }, /* ']' and '}' are literals outside a class */
	{ "a}", "a}", 1 },
	{ "\xe9t\xe9", "\xe9t\xe9", 1 },
	{ "\xe9", "e", 0 },
	{ " #~-,:/=\"'<>!@%&", "x #~-,:/=\"'<>!@%&", 1 },

	/* . */
	{ "a.c", "abc", 1 },
	{ "a.c", "a.c", 1 },
	{ "a.c", "a\xffz a\xff" "c", 1 },
	{ "a.c", "a\nc", 0 },
	{ "a.c", "ac", 0 },
	{ "^.$", "\t", 1 },

	/* escapes */
	{ "a\\.c", "a.c", 1 },
	{ "a\\.c", "abc", 0 },
	{ "\\\\", "a\\b", 1 },
	{ "\\\\", "ab", 0 },
	{ "\\*", "*", 1 },
	{ "\\*", "a", 0 },
	{ "^\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\.$", "+?()[]{}|^$.", 1 },
	{ "\\/\\~\\#\\-\\ \\,\\:\\\"", "/~#- ,:\"", 1 },
	{ "\\\xe9", "\xe9", 1 },
	{ "\\t", "a\tb", 1 },
	{ "\\t", "atb", 0 },
	{ "\\n", "a\nb", 1 },
	{ "\\r\\f", "\r\f", 1 },
	{ "\\d", "x5", 1 },
	{ "\\d", "x", 0 },
	{ "\\D", "5", 0 },
	{ "\\D", "x", 1 },
	{ "\\D", "\xe9", 1 },
	{ "\\w", "_", 1 },
	{ "\\w", "Z", 1 },
	{ "\\w", "-", 0 },
	{ "\\w", "\xe9", 0 }, /* C locale: no byte >= 0x80 is a letter */
	{ "\\W", "-", 1 },
	{ "\\W", "a", 0 },
	{ "\\s", "\v", 1 },   /* PCRE2: \s has VT */
	{ "\\s", " ", 1 },
	{ "\\s", "\r", 1 },
	{ "\\s", "_", 0 },
	{ "\\S", " \t\n", 0 },
	{ "\\S", " x", 1 },
	{ "^\\d\\d-\\w+$", "10-local", 1 },
	{ "^\\d\\d-\\w+$", "1-local", 0 },

	/* bracket expressions */
	{ "[abc]", "b", 1 },
	{ "[abc]", "d", 0 },
	{ "[^abc]", "d", 1 },
	{ "[^abc]", "a", 0 },
	{ "[^abc]", "\n", 1 }, /* a negated class matches a newline */
	{ "[^abc]", "\xe9", 1 },
	{ "[a-c]", "b", 1 },
	{ "[a-c]", "d", 0 },
	{ "[a-cx-z]", "y", 1 },
	{ "[a-cx-z]", "m", 0 },
	{ "[-a]", "-", 1 },
	{ "[a-]", "-", 1 },
	{ "[a-]", "b", 0 },
	{ "[]a]", "]", 1 },
	{ "[]a]", "b", 0 },
	{ "[^]a]", "]", 0 },
	{ "[^]a]", "b", 1 },
	{ "[]-a]", "^", 1 }, /* the range ']'..'a' */
	{ "[\\]]", "]", 1 },
	{ "[\\\\]", "\\", 1 },
	{ "[\\\\]", "]", 0 },
	{ "[\\-a]", "-", 1 },
	{ "[\\^]", "^", 1 },
	{ "[^^]", "^", 0 },
	{ "[.]", "a", 0 },
	{ "[.]", ".", 1 },
	{ "[*+?{|()$]", "$", 1 },
	{ "[%--]", ",", 1 },
	{ "[[]", "[", 1 },
	{ "[a[]", "[", 1 },
	{ "[\\d.]", "5", 1 },
	{ "[\\d.]", ".", 1 },
	{ "[\\d.]", "a", 0 },
	{ "[\\w-]", "-", 1 },
	{ "[\\D]", "\xe9", 1 },
	{ "[^\\s]", " ", 0 },
	{ "[^\\s]", "a", 1 },
	{ "[\\n]", "\n", 1 },
	{ "[\\t-\\r]", "\v", 1 },
	{ "[\\.-\\/]", "/", 1 },
	{ "[\xe0-\xef]", "\xe9", 1 },
	{ "[\xe0-\xef]", "\xf0", 0 },
	{ "^[a-z0-9_.-]+\\.(conf|cfg)$", "site-1.conf", 1 },
	{ "^[a-z0-9_.-]+\\.(conf|cfg)$", "Site.conf", 0 },

	/* POSIX classes, C locale */
	{ "[[:alpha:]]", "q", 1 },
	{ "[[:alpha:]]", "5", 0 },
	{ "[[:alpha:]]", "\xe9", 0 },
	{ "[[:digit:]]", "7", 1 },
	{ "[[:digit:]]", "a", 0 },
	{ "[[:alnum:]_]", "_", 1 },
	{ "[[:alnum:]]", "_", 0 },
	{ "[[:space:]]", "\v", 1 },
	{ "[[:space:]]", "\f", 1 },
	{ "[[:space:]]", "x", 0 },
	{ "[[:upper:]]", "Q", 1 },
	{ "[[:upper:]]", "q", 0 },
	{ "[[:lower:]]", "q", 1 },
	{ "[[:lower:]]", "Q", 0 },
	{ "[[:punct:]]", "!", 1 },
	{ "[[:punct:]]", "_", 1 },
	{ "[[:punct:]]", "a", 0 },
	{ "[[:xdigit:]]", "F", 1 },
	{ "[[:xdigit:]]", "f", 1 },
	{ "[[:xdigit:]]", "g", 0 },
	{ "[[:blank:]]", "\t", 1 },
	{ "[[:blank:]]", "\n", 0 },
	{ "[[:cntrl:]]", "\x01", 1 },
	{ "[[:cntrl:]]", "\x7f", 1 },
	{ "[[:cntrl:]]", " ", 0 },
	{ "[[:print:]]", " ", 1 },
	{ "[[:print:]]", "\x01", 0 },
	{ "[[:graph:]]", " ", 0 },
	{ "[[:graph:]]", "~", 1 },
	{ "[[:ascii:]]", "\x7f", 1 },
	{ "[[:ascii:]]", "\x80", 0 },
	{ "[[:word:]]", "_", 1 },
	{ "[[:word:]]", "-", 0 },
	{ "[[:^digit:]]", "5", 0 },
	{ "[[:^digit:]]", "x", 1 },
	{ "[[:^digit:]]", "\xe9", 1 },
	{ "[^[:digit:]]", "\xe9", 1 },
	{ "[^[:digit:]]", "0", 0 },
	{ "[a[:digit:]b]", "5", 1 },
	{ "[a[:digit:]b]", "b", 1 },
	{ "[a[:digit:]b]", "c", 0 },
	{ "[[:alpha:][:digit:]]", "x", 1 },
	{ "[^:alpha:]", "p", 0 }, /* a plain negated class of ':alph' */
	/* PCRE's rule: "[:" is a POSIX item only if ":]" comes before any ']' */
	{ "[.]", "x", 0 },
	{ "[:a]", ":", 1 },
	{ "[.a]", ".", 1 },
	{ "[=]", "=", 1 },
	{ "[[:a]", "[", 1 },
	{ "[[:alpha]", "h", 1 },
	{ "[[:alpha]", "z", 0 },
	{ "[[:alpha:]-]", "-", 1 },
	{ "[!-[]", "A", 1 },
	{ "[[.]", ".", 1 },
	{ "[^:alpha:]", "z", 1 },

	/* anchors */
	{ "^a", "ab", 1 },
	{ "^a", "ba", 0 },
	{ "a$", "ba", 1 },
	{ "a$", "ab", 0 },
	{ "a$", "a\n", 1 },
	{ "a$", "a\n\n", 0 },
	{ "^$", "", 1 },
	{ "^$", "\n", 1 },
	{ "^$", "x", 0 },
	{ "a^b", "ab", 0 },
	{ "a$b", "ab", 0 },
	{ "a$\n", "a\n", 1 },
	{ "(^a|b)", "cb", 1 },
	{ "(^a|b)", "ca", 0 },
	{ "x$|^y", "yz", 1 },
	{ "x$|^y", "zy", 0 },
	{ "^^a$$", "a", 1 },
	{ "(^)*a", "ba", 1 },
	{ "(?:$)+", "abc", 1 },

	/* groups and alternation */
	{ "(ab|cd)e", "cde", 1 },
	{ "(ab|cd)e", "abd", 0 },
	{ "^(a|b|c)$", "b", 1 },
	{ "^(a|b|c)$", "d", 0 },
	{ "^(a|b|c)$", "ab", 0 },
	{ "^(?:ab)+$", "abab", 1 },
	{ "^(?:ab)+$", "aba", 0 },
	{ "a|", "zzz", 1 }, /* an empty alternative matches anywhere */
	{ "|a", "zzz", 1 },
	{ "a||b", "z", 1 },
	{ "()", "", 1 },
	{ "(?:)", "x", 1 },
	{ "^(|a)$", "", 1 },
	{ "^(|a)$", "a", 1 },
	{ "^(|a)$", "b", 0 },
	{ "^((a|b)(c|d))+$", "adbc", 1 },
	{ "^((a|b)(c|d))+$", "adb", 0 },
	{ "^(((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))$", "a", 1 },

	/* quantifiers */
	{ "^a*$", "", 1 },
	{ "^a*$", "aaa", 1 },
	{ "^a*$", "ab", 0 },
	{ "^a+$", "", 0 },
	{ "^a+$", "a", 1 },
	{ "^a+$", "aaaa", 1 },
	{ "^a?$", "", 1 },
	{ "^a?$", "a", 1 },
	{ "^a?$", "aa", 0 },
	{ "^a{3}$", "aa", 0 },
	{ "^a{3}$", "aaa", 1 },
	{ "^a{3}$", "aaaa", 0 },
	{ "^a{2,}$", "a", 0 },
	{ "^a{2,}$", "aa", 1 },
	{ "^a{2,}$", "aaaaa", 1 },
	{ "^a{2,3}$", "a", 0 },
	{ "^a{2,3}$", "aa", 1 },
	{ "^a{2,3}$", "aaa", 1 },
	{ "^a{2,3}$", "aaaa", 0 },
	{ "^a{0}$", "", 1 },
	{ "^a{0}$", "a", 0 },
	{ "^a{0,0}b$", "b", 1 },
	{ "^a{0,1}b$", "ab", 1 },
	{ "^a{0,1}b$", "aab", 0 },
	{ "^a{0,}$", "aaa", 1 },
	{ "^a{1,1}$", "a", 1 },
	{ "^(ab){2}$", "abab", 1 },
	{ "^(ab){2}$", "ab", 0 },
	{ "^(a|bc){2,3}$", "abc", 1 },
	{ "^(a|bc){2,3}$", "bcbcbc", 1 },
	{ "^(a|bc){2,3}$", "a", 0 },
	{ "^(a|bc){2,3}$", "aaaa", 0 },
	{ "^(?:a|b{2}){2}$", "bba", 1 },
	{ "^(?:a|b{2}){2}$", "ba", 0 },
	{ "^[0-9]{1,3}\\.rpmsave$", "123.rpmsave", 1 },
	{ "^[0-9]{1,3}\\.rpmsave$", "1234.rpmsave", 0 },
	{ "^x{2}y$", "xxy", 1 },
	{ "^x{2}y$", "xy", 0 },
	{ "^a{255}$", "", 0 },
	{ "x{10}", "xxxxxxxxxx", 1 },
	{ "x{10}", "xxxxxxxxx", 0 },
	{ "^a*?$", "aa", 1 }, /* lazy forms: the same yes/no */
	{ "^a+?b$", "aab", 1 },
	{ "^a+?b$", "b", 0 },
	{ "^a??b$", "ab", 1 },
	{ "^a??b$", "aab", 0 },
	{ "^a{1,2}?$", "aa", 1 },
	{ "^a{1,2}?$", "aaa", 0 },
	{ "^a{2,}?$", "aaa", 1 },
	{ "^(a*)*$", "aaa", 1 },
	{ "^(a*)*$", "aab", 0 },
	{ "^(a*)+b$", "aab", 1 },
	{ "^()*$", "", 1 },
	{ "^()+x$", "x", 1 },
	{ "^(?:){3}x$", "x", 1 },
	{ "^(a|)+$", "aa", 1 },
	{ "^(a|)+$", "ab", 0 },
	{ "^(a?)*b$", "aab", 1 },
	{ "^.*\\.conf$", "a.b.conf", 1 },
	{ "^.*\\.conf$", "a.conf.bak", 0 },
	{ "(.*~)|(#.*)", "x~y", 1 },
};

/* Compile pat and match subj; -9 if the pattern is refused. */
static int match(const char *pat, const char *subj)
{
	if (rx_compile(&r, pat) != RX_OK)
		return -9;
	return rx_match(&r, subj, strlen(subj));
}

static void test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int got = match(rows[i].pat, rows[i].subj);
		if (got != rows[i].want)
			fprintf(stderr, "  row %zu: /%s/ on \"%s\": got %d, want %d\n", i, rows[i].pat,
			        rows[i].subj, got, rows[i].want);
		CHECK_INT(got, rows[i].want);
	}
}

struct bad {
	const char *pat;
	int want; /* the RX_E* code */
};

static const struct bad bads[] = {
	/* not regular expressions (PCRE2 refuses them too) */
	{ "(", RX_ESYNTAX },
	{ "(a", RX_ESYNTAX },
	{ "((a)", RX_ESYNTAX },
	{ ")", RX_ESYNTAX },
	{ "a)", RX_ESYNTAX },
	{ "(a))", RX_ESYNTAX },
	{ "(?:a", RX_ESYNTAX },
	{ "[a", RX_ESYNTAX },
	{ "[", RX_ESYNTAX },
	{ "[]", RX_ESYNTAX },
	{ "[^]", RX_ESYNTAX },
	{ "[a-", RX_ESYNTAX },
	{ "[\\", RX_ESYNTAX },
	{ "[z-a]", RX_ESYNTAX },
	{ "[a-\\n]", RX_ESYNTAX },
	{ "[\\d-z]", RX_ESYNTAX },
	{ "[a-\\d]", RX_ESYNTAX },
	{ "[\\w-.]", RX_ESYNTAX },
	{ "[a-[:digit:]]", RX_ESYNTAX },
	{ "[[:digit:]-z]", RX_ESYNTAX },
	{ "a{3,2}", RX_ESYNTAX },
	{ "[[.a.]]", RX_ESYNTAX }, /* no collating elements in PCRE */
	{ "[[=a=]]", RX_ESYNTAX },
	{ "[[:foo:]]", RX_ESYNTAX },
	{ "[[:alpha :]]", RX_ESYNTAX },
	{ "[[:alpha:]", RX_ESYNTAX },
	{ "[:alpha:]", RX_ESYNTAX }, /* PCRE: only within a class */
	{ "[[:alpha:]-z]", RX_ESYNTAX },
	{ "[a-[]", RX_ESYNTAX },
	{ "*", RX_ESYNTAX },
	{ "+a", RX_ESYNTAX },
	{ "?", RX_ESYNTAX },
	{ "a|*", RX_ESYNTAX },
	{ "(*a)", RX_ESYNTAX },
	{ "(+)", RX_ESYNTAX },
	{ "a**", RX_ESYNTAX },
	{ "a*??", RX_ESYNTAX },
	{ "a{2}*", RX_ESYNTAX },
	{ "^*", RX_ESYNTAX },
	{ "$+", RX_ESYNTAX },
	{ "^{2}", RX_ESYNTAX },
	{ "\\", RX_ESYNTAX },
	{ "a\\", RX_ESYNTAX },

	/* PCRE, but not this subset */
	{ "(a)\\1", RX_EUNSUPPORTED },
	{ "\\1", RX_EUNSUPPORTED },
	{ "(?=a)", RX_EUNSUPPORTED },
	{ "(?!a)", RX_EUNSUPPORTED },
	{ "(?<=a)b", RX_EUNSUPPORTED },
	{ "(?<!a)b", RX_EUNSUPPORTED },
	{ "(?i)a", RX_EUNSUPPORTED },
	{ "(?i:a)", RX_EUNSUPPORTED },
	{ "(?s).", RX_EUNSUPPORTED },
	{ "(?m)^a", RX_EUNSUPPORTED },
	{ "(?x) a", RX_EUNSUPPORTED },
	{ "(?P<n>a)", RX_EUNSUPPORTED },
	{ "(?<n>a)", RX_EUNSUPPORTED },
	{ "(?'n'a)", RX_EUNSUPPORTED },
	{ "(?#note)a", RX_EUNSUPPORTED },
	{ "(?|a)", RX_EUNSUPPORTED },
	{ "(?>a)", RX_EUNSUPPORTED },
	{ "(?R)", RX_EUNSUPPORTED },
	{ "(?", RX_EUNSUPPORTED },
	{ "\\b", RX_EUNSUPPORTED },
	{ "\\B", RX_EUNSUPPORTED },
	{ "\\A", RX_EUNSUPPORTED },
	{ "\\z", RX_EUNSUPPORTED },
	{ "\\Z", RX_EUNSUPPORTED },
	{ "\\G", RX_EUNSUPPORTED },
	{ "\\x41", RX_EUNSUPPORTED },
	{ "\\x{41}", RX_EUNSUPPORTED },
	{ "\\0", RX_EUNSUPPORTED },
	{ "\\012", RX_EUNSUPPORTED },
	{ "\\o{12}", RX_EUNSUPPORTED },
	{ "\\Q.\\E", RX_EUNSUPPORTED },
	{ "\\p{L}", RX_EUNSUPPORTED },
	{ "\\P{L}", RX_EUNSUPPORTED },
	{ "\\K", RX_EUNSUPPORTED },
	{ "\\R", RX_EUNSUPPORTED },
	{ "\\X", RX_EUNSUPPORTED },
	{ "\\N", RX_EUNSUPPORTED },
	{ "\\h", RX_EUNSUPPORTED },
	{ "\\H", RX_EUNSUPPORTED },
	{ "\\v", RX_EUNSUPPORTED }, /* PCRE: vertical space, not VT */
	{ "\\V", RX_EUNSUPPORTED },
	{ "\\e", RX_EUNSUPPORTED },
	{ "\\a", RX_EUNSUPPORTED },
	{ "\\cA", RX_EUNSUPPORTED },
	{ "\\g1", RX_EUNSUPPORTED },
	{ "\\k<n>", RX_EUNSUPPORTED },
	{ "\\C", RX_EUNSUPPORTED },
	{ "[\\b]", RX_EUNSUPPORTED }, /* backspace in PCRE */
	{ "[\\x41]", RX_EUNSUPPORTED },
	{ "[\\Qa\\E]", RX_EUNSUPPORTED },
	{ "a*+", RX_EUNSUPPORTED }, /* possessive */
	{ "a++", RX_EUNSUPPORTED },
	{ "a?+", RX_EUNSUPPORTED },
	{ "a{2}+", RX_EUNSUPPORTED },
	{ "(ab)*+", RX_EUNSUPPORTED },
	{ "a{", RX_EUNSUPPORTED }, /* literal '{' in PCRE: version-dependent */
	{ "a{x}", RX_EUNSUPPORTED },
	{ "a{,3}", RX_EUNSUPPORTED },
	{ "a{1,2", RX_EUNSUPPORTED },
	{ "a{1,x}", RX_EUNSUPPORTED },
	{ "a{ 1}", RX_EUNSUPPORTED },
	{ "{", RX_EUNSUPPORTED },
	{ "{1}", RX_EUNSUPPORTED },
	{ "a{2}{3}", RX_EUNSUPPORTED },
	{ "a{0,100}{0,100}", RX_EUNSUPPORTED },

	/* bounds */
	{ "a{256}", RX_ETOOBIG },
	{ "a{1,256}", RX_ETOOBIG },
	{ "a{256,}", RX_ETOOBIG },
	{ "a{99999999999999999999999}", RX_ETOOBIG },
	{ "a{1,99999999999999999999999}", RX_ETOOBIG },
	{ "(?:a{0,255}){0,255}", RX_ETOOBIG },
	{ "(?:abcdefghi){255}", RX_ETOOBIG },
	{ "(.*){1,32000}", RX_ETOOBIG },
};

static void test_refused(void)
{
	size_t i;

	for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		int got = rx_compile(&r, bads[i].pat);
		if (got != bads[i].want)
			fprintf(stderr, "  bad %zu: /%s/: got %d, want %d\n", i, bads[i].pat, got,
			        bads[i].want);
		CHECK_INT(got, bads[i].want);
		/* a refused pattern leaves nothing to match with */
		CHECK_INT(rx_match(&r, "a", 1), -1);
	}
}

static void test_bounds(void)
{
	static char pat[RX_PATTERN_MAX + 2], subj[RX_REPEAT_MAX + 2];
	int i;

	/* the pattern length bound, exactly */
	memset(pat, 'a', RX_PATTERN_MAX);
	pat[RX_PATTERN_MAX] = '\0';
	CHECK_INT(rx_compile(&r, pat), RX_OK);
	CHECK_INT(rx_match(&r, pat, RX_PATTERN_MAX), 1);
	CHECK_INT(rx_match(&r, pat, RX_PATTERN_MAX - 1), 0);
	pat[RX_PATTERN_MAX] = 'a';
	pat[RX_PATTERN_MAX + 1] = '\0';
	CHECK_INT(rx_compile(&r, pat), RX_ETOOBIG);

	/* the costliest pattern of that length still fits the program */
	memset(pat, '|', RX_PATTERN_MAX);
	pat[RX_PATTERN_MAX] = '\0';
	CHECK_INT(rx_compile(&r, pat), RX_OK);
	CHECK_INT(rx_match(&r, "x", 1), 1);
	for (i = 0; i + 2 <= RX_PATTERN_MAX; i += 2)
		memcpy(pat + i, "a*", 2);
	pat[i] = '\0';
	CHECK_INT(rx_compile(&r, pat), RX_OK);

	/* the largest count, and the largest copy that fits */
	CHECK_INT(rx_compile(&r, "^a{255}$"), RX_OK);
	memset(subj, 'a', RX_REPEAT_MAX);
	CHECK_INT(rx_match(&r, subj, RX_REPEAT_MAX), 1);
	CHECK_INT(rx_match(&r, subj, RX_REPEAT_MAX - 1), 0);
	CHECK_INT(rx_compile(&r, "(?:abcdefgh){255}"), RX_OK);
	CHECK_INT(rx_compile(&r, "^.{0,255}$"), RX_OK);
	subj[RX_REPEAT_MAX] = 'a';
	CHECK_INT(rx_match(&r, subj, RX_REPEAT_MAX), 1);
	CHECK_INT(rx_match(&r, subj, RX_REPEAT_MAX + 1), 0);

	/* RX_DEPTH_MAX groups deep, and one more */
	pat[0] = '\0';
	for (i = 0; i < RX_DEPTH_MAX; i++)
		strcat(pat, "(");
	strcat(pat, "a");
	for (i = 0; i < RX_DEPTH_MAX; i++)
		strcat(pat, ")");
	CHECK_INT(rx_compile(&r, pat), RX_OK);
	memmove(pat + 1, pat, strlen(pat) + 1);
	pat[0] = '(';
	strcat(pat, ")");
	CHECK_INT(rx_compile(&r, pat), RX_ETOOBIG);

	/* RX_SET_MAX distinct classes; identical ones are shared */
	pat[0] = '\0';
	for (i = 0; i < RX_SET_MAX; i++)
		snprintf(pat + strlen(pat), sizeof pat - strlen(pat), "[%c]", 0x80 + i);
	CHECK_INT(rx_compile(&r, pat), RX_OK);
	CHECK_INT(r.nsets, RX_SET_MAX);
	strcat(pat, "[~]");
	CHECK_INT(rx_compile(&r, pat), RX_ETOOBIG);
	CHECK_INT(rx_compile(&r, "\\d\\d[0-9][[:digit:]][[:digit:]]{200}"), RX_OK);
	CHECK_INT(r.nsets, 1);
}

static void test_subject(void)
{
	/* the subject is counted bytes: a NUL is just a byte */
	CHECK_INT(rx_compile(&r, "a.b"), RX_OK);
	CHECK_INT(rx_match(&r, "a\0b", 3), 1);
	CHECK_INT(rx_match(&r, "a\0b", 2), 0);
	CHECK_INT(rx_compile(&r, "^a$"), RX_OK);
	CHECK_INT(rx_match(&r, "a\0", 2), 0);
	CHECK_INT(rx_match(&r, "ab", 1), 1);
	/* one compiled pattern, many subjects; a second compile replaces it */
	CHECK_INT(rx_compile(&r, "x+y"), RX_OK);
	CHECK_INT(rx_match(&r, "axxy", 4), 1);
	CHECK_INT(rx_match(&r, "axx", 3), 0);
	CHECK_INT(rx_match(&r, "xy", 2), 1);
	CHECK_INT(rx_compile(&r, "z"), RX_OK);
	CHECK_INT(rx_match(&r, "xy", 2), 0);
	CHECK_INT(rx_match(&r, "", 0), 0);
}

/* Patterns that take a backtracking matcher exponential time on a
 * subject that almost matches.  Here the cost is the subject length
 * times the program length; the time limit is generous (qemu, ASan),
 * a backtracker would need ages. */
static void test_pathological(void)
{
	static char subj[20001];
	static const struct row slow[] = {
		{ "(a*)*b", NULL, 0 },
		{ "(a|a)*b", NULL, 0 },
		{ "(a|aa)*c", NULL, 0 },
		{ "(a+a+)+b", NULL, 0 },
		{ "^(a?){25}a{25}$", NULL, 0 },
		{ "(?:a*){10}b", NULL, 0 },
		{ "(.*a){12}b", NULL, 0 },
		{ "^(([a-z])+.)+[A-Z]([a-z])+$", NULL, 0 },
		{ "(?:(?:a|a?)+){20}$", NULL, 1 },
	};
	clock_t t0 = clock();
	size_t i;

	memset(subj, 'a', sizeof subj - 1);
	for (i = 0; i < sizeof slow / sizeof slow[0]; i++) {
		int got;
		CHECK_INT(rx_compile(&r, slow[i].pat), RX_OK);
		got = rx_match(&r, subj, sizeof subj - 1);
		if (got != slow[i].want)
			fprintf(stderr, "  slow %zu: /%s/: got %d\n", i, slow[i].pat, got);
		CHECK_INT(got, slow[i].want);
	}
	/* the classic: n a's against (a?){n}a{n} matches exactly */
	CHECK_INT(rx_compile(&r, "^(a?){25}a{25}$"), RX_OK);
	CHECK_INT(rx_match(&r, subj, 25), 1);
	CHECK_INT(rx_match(&r, subj, 50), 1);
	CHECK_INT(rx_match(&r, subj, 51), 0);
	CHECK_INT(rx_match(&r, subj, 24), 0);
	/* nested counted repetition: refused or bounded, never a blow-up */
	CHECK(rx_compile(&r, "a{0,100}{0,100}") < 0);
	CHECK_INT(rx_compile(&r, "(?:(?:(?:a{0,20}){0,20}){0,20})"), RX_ETOOBIG);
	{
		double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		printf("pathological patterns on %zu bytes: %.2f s\n", sizeof subj - 1, secs);
		CHECK(secs < 60);
	}
}

int main(void)
{
	test_table();
	test_refused();
	test_bounds();
	test_subject();
	test_pathological();
	return check_done("test_rx");
}
