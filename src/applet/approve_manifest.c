/*
 * approve_manifest.c - condor_token_request_approve -expect-file: approve a
 * fleet's requests in one run.
 *
 * One LIST of every pending request, then one APPROVE per manifest row
 * whose request is listed and matches the row, each on the session the
 * LIST opened (resumed: no new key exchange per approval).  Rows are
 * decided in the file's order and independently: a refused row never
 * stops the others, and nothing outside the manifest is ever approved.
 *
 * Output: one line per row on stdout (stderr under -json),
 *     REQID OUTCOME[: REASON]
 * with OUTCOME one of approved, refused, not-pending, unsafe, failed,
 * skipped; then a summary line on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "applet_common.h"
#include "approve_int.h"
#include "debug.h"
#include "manifest.h"
#include "reqstore.h"

enum row_outcome { ROW_APPROVED, ROW_REFUSED, ROW_NOT_PENDING, ROW_UNSAFE, ROW_FAILED, ROW_SKIPPED };
static const char *const row_word[] = {"approved", "refused", "not-pending",
                                       "unsafe",   "failed",  "skipped"};

static struct manifest approve_m;
static struct reqstore approve_rs;
/* The kept request of each row (index into approve_rs), -1 when not
 * listed; row_dup marks a request ID the daemon listed more than once. */
static int32_t row_rec[MANIFEST_MAX_ROWS];
static unsigned char row_dup[MANIFEST_MAX_ROWS];

int approve_manifest_load(const char *path)
{
	struct err e;

	err_clear(&e);
	if (manifest_load(&approve_m, path, &e) != 0) {
		applet_print_err("ERROR: ", &e);
		fprintf(stderr, "Nothing was approved.\n");
		return 1;
	}
	dbg(D_FULLDEBUG, "manifest %s: %zu expected request(s)", path, approve_m.n);
	return 0;
}

/* Each listed ad, as it arrives: keep it when a row expects its
 * RequestId (compared as strings), forget it otherwise. */
static int on_listed(void *ctx, const struct classad *ad, struct err *e)
{
	char id[MANIFEST_REQID_MAX + 2];
	long r, k;

	(void)ctx;
	/* An ID too long for a manifest row cannot match one. */
	if (classad_get_string(ad, "RequestId", id, sizeof id, NULL) != CLASSAD_OK)
		return 0;
	r = manifest_find(&approve_m, id);
	if (r < 0)
		return 0;
	if (row_rec[r] >= 0) {
		row_dup[r] = 1;
		return 0;
	}
	k = reqstore_add(&approve_rs, ad, e);
	if (k < 0)
		return -1;
	row_rec[r] = (int32_t)k;
	return 0;
}

struct tally {
	unsigned n[6];
};

/* Report one row: the line, the JSON element. */
static void report(struct approve_ctx *c, struct tally *t, size_t i,
                   const struct approve_request *r, enum row_outcome out, const char *reason)
{
	const char *reqid = manifest_reqid(&approve_m, i);
	struct approve_json_row jr = {reqid, approve_m.row[i].line, row_word[out]};

	t->n[out]++;
	if (reason && *reason)
		fprintf(c->human, "%s %s: %s\n", reqid, row_word[out], reason);
	else
		fprintf(c->human, "%s %s\n", reqid, row_word[out]);
	if (c->json)
		approve_json_result(c, &jr, r && approve_request_ad(r, &c->ad) == 0 ? &c->ad : NULL,
		                    out == ROW_APPROVED, reason);
}

/* Decide one row whose request was listed: refuse, or approve.  Returns
 * 0, or -1 when the run must stop (the audit log failed, or the daemon
 * could not be reached). */
static int decide(struct approve_ctx *c, struct tally *t, size_t i, const char *source)
{
	const char *reqid = manifest_reqid(&approve_m, i);
	struct approve_expect x;
	struct approve_request r;
	char why[512], text[2048];
	const char *unsafe;
	struct err e;
	int rc;

	reqstore_get(&approve_rs, (size_t)row_rec[i], &r);
	unsafe = row_dup[i] ? "the daemon listed this request ID more than once"
	                    : approve_unsafe_reason(&r);
	if (unsafe) {
		report(c, t, i, &r, ROW_UNSAFE, unsafe);
		return approve_audit(c, source, reqid, &r, "refuse", unsafe);
	}
	manifest_expect(&approve_m, i, &x);
	if (approve_check(&x, &r, why, sizeof why) != 0) {
		report(c, t, i, &r, ROW_REFUSED, why);
		return approve_audit(c, source, reqid, &r, "refuse", why);
	}
	/* On disk before the command leaves; if not, nothing more is
	 * approved in this run. */
	if (approve_audit(c, source, reqid, &r, "approve", "matches the manifest row") != 0) {
		report(c, t, i, &r, ROW_FAILED, "not approved: the audit log could not be written");
		return -1;
	}
	if (approve_identity_is_condor(r.requested_identity))
		fprintf(stderr, "WARNING: request %s is for the condor@ identity, which default "
		                "security policies trust as a daemon and administrator.\n",
		        reqid);
	err_clear(&e);
	rc = dc_token_approve(c->client, &c->target, reqid, r.client_id, &e);
	if (rc == 0) {
		report(c, t, i, &r, ROW_APPROVED, NULL);
		return 0;
	}
	err_text(&e, text, sizeof text);
	report(c, t, i, &r, ROW_FAILED, text);
	if (approve_audit(c, source, reqid, &r, "approve-failed", text) != 0)
		return -1;
	/* The daemon answered and refused this one: go on with the rest.
	 * Anything else (no connection, a broken reply) stops the run. */
	return rc > 0 ? 0 : -1;
}

int approve_manifest_run(struct approve_ctx *c)
{
	struct tally t;
	char text[2048], source[1100];
	struct err e;
	size_t i;
	int stopped = 0, code;

	memset(&t, 0, sizeof t);
	for (i = 0; i < approve_m.n; i++) {
		row_rec[i] = -1;
		row_dup[i] = 0;
	}
	reqstore_init(&approve_rs);
	err_clear(&e);
	if (dc_token_list_each(c->client, &c->target, NULL, on_listed, NULL, &e) != 0) {
		fprintf(stderr, "Failed to list token requests: %s\n", err_text(&e, text, sizeof text));
		fprintf(stderr, "Nothing was approved.\n");
		return approve_finish(c, 1);
	}

	for (i = 0; i < approve_m.n; i++) {
		const char *reqid = manifest_reqid(&approve_m, i);

		snprintf(source, sizeof source, "%s:%u", approve_m.name, (unsigned)approve_m.row[i].line);
		if (stopped) {
			report(c, &t, i, NULL, ROW_SKIPPED, "not attempted: the run stopped");
			continue;
		}
		if (row_rec[i] < 0) {
			report(c, &t, i, NULL, ROW_NOT_PENDING, "the daemon lists no such pending request");
			if (approve_audit(c, source, reqid, NULL, "refuse", "not pending") != 0)
				stopped = 1;
			continue;
		}
		if (decide(c, &t, i, source) != 0)
			stopped = 1;
	}
	fflush(c->human);
	fprintf(stderr, "%zu expected: %u approved, %u refused, %u not pending, %u unsafe, "
	                "%u failed, %u not attempted.\n",
	        approve_m.n, t.n[ROW_APPROVED], t.n[ROW_REFUSED], t.n[ROW_NOT_PENDING],
	        t.n[ROW_UNSAFE], t.n[ROW_FAILED], t.n[ROW_SKIPPED]);
	dbg(D_FULLDEBUG, "manifest run: %u new session(s), %u resumed", c->client->new_sessions,
	    c->client->resumed_sessions);
	if (stopped || t.n[ROW_FAILED] || t.n[ROW_SKIPPED])
		code = 1;
	else if (t.n[ROW_UNSAFE])
		code = APPROVE_EXIT_UNSAFE;
	else if (t.n[ROW_REFUSED] || t.n[ROW_NOT_PENDING])
		code = APPROVE_EXIT_MISMATCH;
	else
		code = 0;
	return approve_finish(c, code);
}
