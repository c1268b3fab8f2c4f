/*
 * approve_int.h - what the two approval paths of condor_token_request_approve
 * share: the run's state, reading a listed request, judging whether it may
 * be approved without a prompt, the JSON output and the audit log.
 *
 * applet_approve.c has the options and the stock flow (a prompt per
 * request, or -reqid -yes); approve_manifest.c approves a whole manifest
 * (-expect-file) in one run.
 */
#ifndef TOKENBOX_APPROVE_INT_H
#define TOKENBOX_APPROVE_INT_H

#include <stdio.h>

#include "adlist.h"
#include "approve_check.h"
#include "audit.h"
#include "classad.h"
#include "dc_token.h"

/* Exit codes beyond the stock tool's 0/1/4 (documented in the man page). */
#define APPROVE_EXIT_MISMATCH 2
#define APPROVE_EXIT_UNSAFE 3

/* Longest attribute value copied out of a request for the checks; a longer
 * one is still printed in full, but never approved non-interactively. */
#define APPROVE_VALUE_MAX 4096

/* One run: the located daemon, the client and its sessions, what was
 * listed, where the output and the audit lines go. */
struct approve_ctx {
	struct dc_target target;
	struct dc_client *client;
	struct adlist *list;
	struct classad ad;          /* one listed request at a time */
	struct audit audit;
	const char *mode;           /* audit Mode: "prompt", "yes", "manifest" */
	int json;                   /* -json: an array on stdout */
	int json_count;             /* elements printed so far */
	FILE *human;                /* stdout, or stderr under -json */
};

/* Copy a listed request's attributes out of ad for the checks: r's
 * strings are packed one after another into buf (cap bytes), each at most
 * APPROVE_VALUE_MAX-1 bytes; a longer one is left out and sets r->toolong
 * (such a request is never approved without a prompt).  Returns the bytes
 * used, or -1 when buf is too small for a value within that bound. */
long approve_extract(const struct classad *ad, struct approve_request *r, char *buf, size_t cap);

/* A listed request with room for every attribute approve_extract copies. */
struct approve_fields {
	struct approve_request r;
	char text[6 * APPROVE_VALUE_MAX];
};

/* Why this request must not be approved without a prompt (control bytes,
 * invalid UTF-8, a non-plain or missing identity, an over-long value, no
 * ClientId), or NULL. */
const char *approve_unsafe_reason(const struct approve_request *r);

/* Extra members of a -json element in manifest mode (NULL otherwise). */
struct approve_json_row {
	const char *reqid;
	unsigned line;
	const char *outcome;
};
/* One -json element: [row members,] "Request" (ad, or null when ad is
 * NULL), "Approved", "Reason".  Nothing without -json. */
void approve_json_result(struct approve_ctx *c, const struct approve_json_row *row,
                         const struct classad *ad, int approved, const char *reason);
/* The request as an ad (its RequestId, ClientId, PeerLocation,
 * RequestedIdentity, AuthenticatedIdentity, LimitAuthorization and
 * TokenLifetime), for -json; 0 or -1. */
int approve_request_ad(const struct approve_request *r, struct classad *ad);
/* Close the -json array (when on), flush, return code. */
int approve_finish(struct approve_ctx *c, int code);

/* Write one audit line; on failure print why and return -1 (the caller
 * then approves nothing). */
int approve_audit(struct approve_ctx *c, const char *source, const char *reqid,
                  const struct approve_request *req, const char *decision, const char *reason);

/* The -expect-file path (approve_manifest.c).  Load reads and checks the
 * whole manifest (a message and 1 when it is malformed); run lists the
 * daemon's requests once and decides every row, returning the exit code. */
int approve_manifest_load(const char *path);
int approve_manifest_run(struct approve_ctx *c);

#endif
