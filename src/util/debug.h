/*
 * debug.h - the -debug trace, in the style of HTCondor's dprintf to stderr.
 *
 * Off by default.  dbg_enable() turns it on (the applet calls it for
 * -debug[:FLAGS]).  Lines are "MM/DD/YY HH:MM:SS message" on stderr.
 * Categories follow HTCondor's names (D_ALWAYS, D_SECURITY, D_NETWORK,
 * D_FULLDEBUG ...); a category is shown when enabled by the flags string
 * (default flags show D_ALWAYS, D_ERROR, D_STATUS, D_SECURITY, D_NETWORK).
 *
 * Never pass secrets (keys, token signatures, passwords) to these
 * functions: traces are meant to be pasted into bug reports.
 */
#ifndef TOKENBOX_DEBUG_H
#define TOKENBOX_DEBUG_H

enum dbg_cat {
	D_ALWAYS = 1 << 0,
	D_ERROR = 1 << 1,
	D_STATUS = 1 << 2,
	D_SECURITY = 1 << 3,
	D_NETWORK = 1 << 4,
	D_FULLDEBUG = 1 << 5,
	D_COMMAND = 1 << 6,
	D_HOSTNAME = 1 << 7
};

/* flags: NULL for the default set, else an HTCondor flag list such as
 * "D_SECURITY D_NETWORK:2" or "D_ALL" (separators: space, comma, '|'). */
void dbg_enable(const char *flags);
int dbg_on(enum dbg_cat c);
void dbg(enum dbg_cat c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
