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

/* 1 if arg is "-" + a prefix of name at least min_len characters long, or
 * "--" + exactly name.  min_len < 1 is treated as 1. */
int cli_is_dash_prefix(const char *arg, const char *name, int min_len);

/* As cli_is_dash_prefix, but the matched word may be followed by ':' and
 * anything (-debug:D_SECURITY).  *colon (if not NULL) points at the ':' or
 * is NULL when there was none. */
int cli_is_dash_colon_prefix(const char *arg, const char *name, int min_len,
                             const char **colon);

/* The program name for messages: argv[0] exactly as invoked, unless the
 * applet was reached as "tokenbox APPLET", in which case the applet name. */
const char *cli_progname(void);
void cli_set_progname(const char *name);

#endif
