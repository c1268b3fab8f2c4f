/*
 * manifest.h - the expectation file of condor_token_request_approve
 * -expect-file: one expected request per line, parsed whole before anything
 * is approved.
 *
 *   # comment
 *   REQID IDENTITY [peer=ADDR|NETBLOCK] [authz=LIST] [max-lifetime=SECONDS]
 *                  [client-id=ID]
 *
 * Fields are separated by spaces or tabs; a field starting with '#' starts
 * a comment that runs to the end of the line.  Lines end in LF or CR LF
 * (both may appear in one file); a CR anywhere else, a NUL byte or another
 * control character is an error.  REQID is 1 to MANIFEST_REQID_MAX decimal
 * digits, kept as written: the daemon compares request IDs as strings, so
 * 0412345 and 412345 are different requests.  IDENTITY must be a plain
 * user@domain (approve_identity_plain).  Each key at most once per row,
 * each REQID at most once per file.
 *
 * The file is read in pieces and only the fields are kept (a value equal to
 * the previous row's is stored once), so a fleet's manifest costs little
 * more than its request IDs.  Any error leaves n = 0 and names the file and
 * line, so a malformed manifest can approve nothing.
 */
#ifndef TOKENBOX_MANIFEST_H
#define TOKENBOX_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "approve_check.h"
#include "err.h"

/* Rows in one manifest (a daemon holds at most 1000 pending requests). */
#define MANIFEST_MAX_ROWS 4096
/* Bytes in one line, without its line end. */
#define MANIFEST_LINE_MAX 1024
/* Bytes in the whole file. */
#define MANIFEST_MAX_BYTES (1024 * 1024)
/* Digits in a request ID (the daemon's are 7; an int64 has 19). */
#define MANIFEST_REQID_MAX 19
/* Largest max-lifetime (100 years, in seconds). */
#define MANIFEST_LIFETIME_MAX 3155760000LL

/* Field offsets are into manifest.pool, plus one; 0 = not given. */
struct manifest_row {
	uint32_t line;        /* 1-based line in the file */
	uint32_t reqid;       /* digits, as written */
	uint32_t identity;
	uint32_t peer;
	uint32_t authz;
	uint32_t client_id;
	int64_t max_lifetime; /* -1 = not given */
};

struct manifest {
	const char *name;     /* the file as named, "-" for standard input */
	size_t n;             /* rows; 0 after any error */
	/* parsing state */
	uint32_t line;        /* lines seen */
	size_t bytes;         /* bytes fed */
	size_t carry;         /* bytes of an unfinished line in linebuf */
	int failed;
	size_t used;          /* bytes of pool in use */
	struct manifest_row row[MANIFEST_MAX_ROWS];
	uint16_t order[MANIFEST_MAX_ROWS]; /* row indices sorted by reqid */
	char linebuf[MANIFEST_LINE_MAX + 2];
	char pool[MANIFEST_MAX_BYTES];
};

/* Parse in pieces: begin, feed the bytes as they come (any split), end.
 * feed and end return 0, or -1 with e naming NAME:LINE (and every later
 * call fails too). */
void manifest_begin(struct manifest *m, const char *name);
int manifest_feed(struct manifest *m, const char *data, size_t len, struct err *e);
int manifest_end(struct manifest *m, struct err *e);
/* All of it at once (begin, feed, end). */
int manifest_parse(struct manifest *m, const char *name, const char *data, size_t len,
                   struct err *e);
/* Read path ("-" = standard input) and parse it. */
int manifest_load(struct manifest *m, const char *path, struct err *e);

/* Row i: its request ID, and what its request must hold. */
const char *manifest_reqid(const struct manifest *m, size_t i);
void manifest_expect(const struct manifest *m, size_t i, struct approve_expect *x);
/* The row expecting request reqid (compared as strings), or -1. */
long manifest_find(const struct manifest *m, const char *reqid);

#endif
