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
 * The file is parsed in place (the text stays in struct manifest); any
 * error leaves n = 0 and names the file and line, so a malformed manifest
 * can approve nothing.
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

struct manifest_row {
	unsigned line;             /* 1-based line in the file */
	const char *reqid;         /* digits, as written */
	struct approve_expect x;   /* identity always set; others NULL / -1 */
};

struct manifest {
	const char *name;          /* the file as named, "-" for standard input */
	size_t n;
	struct manifest_row row[MANIFEST_MAX_ROWS];
	uint16_t order[MANIFEST_MAX_ROWS]; /* row indices sorted by reqid */
	char text[MANIFEST_MAX_BYTES + 1];
};

/* Parse len bytes at m->text (the caller put them there; they are split in
 * place).  name is used in messages.  0, or -1 with e naming NAME:LINE. */
int manifest_parse(struct manifest *m, const char *name, size_t len, struct err *e);

/* The row expecting request reqid (compared as strings), or -1. */
long manifest_find(const struct manifest *m, const char *reqid);

/* Read path ("-" = standard input) into m and parse it. */
int manifest_load(struct manifest *m, const char *path, struct err *e);

#endif
