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
 * option); -1 when it would not fit. */
int cli_list_append(char *buf, size_t cap, const char *item);

/* The program name for messages: argv[0] exactly as invoked, unless the
 * applet was reached as "tokenbox APPLET", in which case the applet name. */
const char *cli_progname(void);
void cli_set_progname(const char *name);

#endif
