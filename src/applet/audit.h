/*
 * audit.h - the approval audit log: one JSON line per approval decision of
 * condor_token_request_approve, interactive or not.
 *
 * The file is named by -audit-log or the TOKENBOX_AUDIT_LOG knob; it is
 * created 0600 and only appended to.  A line that says "approve" is on disk
 * (fsync) before the APPROVE command leaves: when it cannot be written the
 * caller approves nothing.
 */
#ifndef TOKENBOX_AUDIT_H
#define TOKENBOX_AUDIT_H

#include <stdint.h>

#include "approve_check.h"
#include "dc_token.h"
#include "err.h"

/* The configuration knob naming the audit log (documented in the man page). */
#define AUDIT_KNOB "TOKENBOX_AUDIT_LOG"
/* Longest line written; a request value is cut (ending "...") so that the
 * line fits, and the line says so ("Truncated": true). */
#define AUDIT_LINE_MAX 16384
/* Bytes of one request value kept in a line. */
#define AUDIT_VALUE_MAX 1024

struct audit {
	int fd;              /* -1: no audit log */
	char path[1024];
	char user[64];       /* the local account running the tool */
	uint32_t uid;
	char host[256];
};

/* What one decision line records. */
struct audit_entry {
	const char *mode;              /* "prompt", "yes", "manifest" */
	const char *source;            /* manifest "FILE:LINE", or NULL */
	const struct dc_target *target;
	const struct dc_client *client; /* method and identity of the session */
	const char *reqid;             /* the request ID decided on */
	const struct approve_request *req; /* the request as listed; NULL if not listed */
	const char *decision;          /* "approve", "refuse", "approve-failed" */
	const char *reason;            /* why ("" for a plain approval) */
};

/* Open path for appending (mode 0600 when created); path NULL or "" means
 * no audit log (a->fd = -1, every write succeeds).  -1 with e on failure. */
int audit_open(struct audit *a, const char *path, struct err *e);
/* Write and flush one line; -1 with e when it is not on disk. */
int audit_write(struct audit *a, const struct audit_entry *en, struct err *e);
void audit_close(struct audit *a);

/* The UTC time t as "YYYY-MM-DDTHH:MM:SSZ" (buf at least 21 bytes). */
void audit_utc(int64_t t, char *buf, size_t cap);

#endif
