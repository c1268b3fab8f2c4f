/*
 * err.h - one error type for the whole tool.
 *
 * Mirrors HTCondor's CondorError: a small stack of (subsystem, code,
 * message) entries.  Lower layers push first, callers push context on top,
 * and err_text() renders "SUBSYS:code:message|SUBSYS:code:message" with the
 * most recent entry first, exactly as the stock tools print failures.
 * Fixed size: entries beyond ERR_MAX_ENTRIES drop the oldest ones.
 */
#ifndef TOKENBOX_ERR_H
#define TOKENBOX_ERR_H

#include <stddef.h>

#define ERR_MAX_ENTRIES 8
#define ERR_SUBSYS_LEN 16
#define ERR_MSG_LEN 320

struct err_entry {
	char subsys[ERR_SUBSYS_LEN];
	int code;
	char msg[ERR_MSG_LEN];
};

struct err {
	int n; /* entries in use; entry[n-1] is the most recent */
	struct err_entry entry[ERR_MAX_ENTRIES];
};

void err_clear(struct err *e);
/* Push an entry; printf-style message.  A NULL e is allowed (no-op). */
void err_push(struct err *e, const char *subsys, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int err_empty(const struct err *e);
/* Drop entries pushed after the stack had n entries (a lower layer's
 * detail that the stock tools do not show, e.g. after logging it). */
void err_truncate(struct err *e, int n);
/* The most recent entry's code (0 if empty). */
int err_code(const struct err *e);
/* The most recent entry's message ("" if empty). */
const char *err_message(const struct err *e);
/* "SUBSYS:code:msg|..." most recent first, truncated to len-1 bytes. */
const char *err_text(const struct err *e, char *buf, size_t len);

#endif
