/*
 * cli.h - HTCondor-style command-line option matching.
 *
 * The stock tools test each argument against their options in a fixed
 * order and take the first match: "-r" selects -reqid, "--reqid" must be
 * spelled in full, "-" and "--" alone never match.  Matching is
 * case-sensitive.  Our own options (e.g. -yes) are appended after the stock
 * ones so they never change how a stock prefix resolves.
 */
#ifndef TOKENBOX_CLI_H
#define TOKENBOX_CLI_H

#include <stddef.h>

/* 1 if arg is "-" + a prefix of name at least min_len characters long, or
 * "--" + exactly name.  min_len < 1 is treated as 1. */
int cli_is_dash_prefix(const char *arg, const char *name, int min_len);

/* As cli_is_dash_prefix, but the matched word may be followed by ':' and
 * anything (-debug:D_SECURITY).  *colon (if not NULL) points at the ':' or
 * is NULL when there was none. */
int cli_is_dash_colon_prefix(const char *arg, const char *name, int min_len,
                             const char **colon);

/* For an option at argv[i] that takes a value: 0 when argv[i+1] exists,
 * else prints "<prog>: <msg>" on stderr and returns 1. */
int cli_need_value(int i, int argc, const char *msg);

/* std::stol as the stock tools use it: leading blanks and a sign, digits,
 * trailing junk ignored; no digits or out of range is -1. */
int cli_parse_stol(const char *s, long long *out);

/* Append item to a comma-separated list in buf (the repeated -authz
 * option); -1 when it would not fit.  sep: the separator (0 = ','). */
int cli_list_append(char *buf, size_t cap, const char *item, char sep);

/*
 * Table-driven option parsing: an applet lists its options in the stock
 * tool's order and cli_parse() walks argv the way the stock tools do
 * (first matching entry wins; a value is the next argument, whatever it
 * looks like).  The texts are the stock ones, given per option.
 */
enum cli_kind {
	CLI_STR,     /* const char **dst = the next argument */
	CLI_FLAG,    /* int *dst = 1 */
	CLI_STOL,    /* long long *dst, parsed as std::stol */
	CLI_SECONDS, /* long long *dst, a plain non-negative integer (our options) */
	CLI_LIST,    /* struct cli_list *dst: joined by its sep, repeatable (-authz) */
	CLI_DEBUG,   /* -debug[:FLAGS]: turns on the trace */
	CLI_HELP     /* usage, exit 1 */
};

/* Match rules: min >= 1 is HTCondor's prefix rule; CLI_EXACT accepts only
 * the whole name (with one or two dashes: tokenbox's own options);
 * CLI_LITERAL only the exact string "-name" (the stock -json). */
#define CLI_EXACT 0
#define CLI_LITERAL (-1)

#define CLI_LIST_MAX 2048
struct cli_list {
	char text[CLI_LIST_MAX];
	char sep; /* between values: 0 = ',' (a list the daemon splits); a
	             byte no value holds to keep each value whole */
};

struct cli_opt {
	const char *name;
	int min;
	enum cli_kind kind;
	void *dst;
	const char *missing;              /* "<prog>: " + this when the value is missing */
	const char **clears;              /* CLI_STR: set to NULL when this one is set */
	int (*valid)(const char *value);  /* CLI_STR: 0 ok, else print invalid + usage */
	const char *invalid;              /* printf format with the value */
};

/* Returns -1 when parsing succeeded, else the exit code (messages and
 * the usage text already printed). */
int cli_parse(int argc, char **argv, const struct cli_opt *opts, size_t nopts,
              void (*usage)(void));

/* The program name for messages: argv[0] exactly as invoked, unless the
 * applet was reached as "tokenbox APPLET", in which case the applet name. */
const char *cli_progname(void);
void cli_set_progname(const char *name);

#endif
