/*
 * approve_common.c - what both approval paths share (approve_int.h):
 * reading a listed request, judging it, the JSON output, the audit lines.
 */
#include <stdio.h>
#include <string.h>

#include "applet_common.h"
#include "approve_int.h"

/* Copy a string attribute for the checks; NULL when absent or not a
 * string.  *toolong is set when it exists but exceeds the buffer. */
static const char *attr_str(const struct classad *ad, const char *name, char *buf, size_t cap,
                            int *toolong)
{
	size_t len;
	int rc = classad_get_string(ad, name, buf, cap, &len);

	if (rc == CLASSAD_ETOOBIG)
		*toolong = 1;
	return rc == CLASSAD_OK ? buf : NULL;
}

void approve_extract(const struct classad *ad, struct approve_fields *f)
{
	int64_t life;

	memset(&f->r, 0, sizeof f->r);
	f->toolong = 0;
	f->r.request_id = attr_str(ad, "RequestId", f->request_id, sizeof f->request_id, &f->toolong);
	f->r.client_id = attr_str(ad, "ClientId", f->client_id, sizeof f->client_id, &f->toolong);
	f->r.peer = attr_str(ad, "PeerLocation", f->peer, sizeof f->peer, &f->toolong);
	f->r.requested_identity =
		attr_str(ad, "RequestedIdentity", f->requested, sizeof f->requested, &f->toolong);
	f->r.authenticated_identity = attr_str(ad, "AuthenticatedIdentity", f->authenticated,
	                                       sizeof f->authenticated, &f->toolong);
	f->r.limit_authz = attr_str(ad, "LimitAuthorization", f->authz, sizeof f->authz, &f->toolong);
	if (classad_get_int(ad, "TokenLifetime", &life) == CLASSAD_OK) {
		f->r.has_lifetime = 1;
		f->r.lifetime = life;
	}
	f->unsafe = classad_unsafe(ad);
}

const char *approve_unsafe_reason(const struct approve_fields *f)
{
	if (f->unsafe)
		return "the request contains control characters or invalid UTF-8";
	if (!f->r.requested_identity && !f->toolong)
		return "the request names no RequestedIdentity";
	if (f->r.requested_identity && !approve_identity_plain(f->r.requested_identity))
		return "the requested identity is not a plain user@domain";
	if (f->toolong)
		return "an attribute of the request is longer than 4095 bytes";
	if (!f->r.client_id)
		return "the request has no ClientId";
	return NULL;
}

/* ---- -json ------------------------------------------------------------- */

static void json_str(const char *s)
{
	struct classad_sink out = {applet_sink_file, stdout};

	classad_print_str_json(s, strlen(s), &out);
}

void approve_json_result(struct approve_ctx *c, const struct approve_json_row *row,
                         const struct classad *ad, int approved, const char *reason)
{
	struct classad_sink s = {applet_sink_file, stdout};
	struct err e;

	if (!c->json)
		return;
	err_clear(&e);
	fputs(c->json_count++ ? ",\n{\n" : "{\n", stdout);
	if (row) {
		fputs("\"RequestId\": ", stdout);
		json_str(row->reqid);
		printf(",\n\"Line\": %u,\n\"Outcome\": ", row->line);
		json_str(row->outcome);
		fputs(",\n", stdout);
	}
	fputs("\"Request\": ", stdout);
	/* The JSON form escapes every control byte itself; SAFE also turns
	 * invalid UTF-8 into U+FFFD so the document stays valid JSON. */
	if (ad)
		classad_print(ad, CLASSAD_FORM_JSON, CLASSAD_PRINT_SAFE, &s, &e);
	else
		fputs("null", stdout);
	printf(",\n\"Approved\": %s,\n\"Reason\": ", approved ? "true" : "false");
	json_str(reason ? reason : "");
	fputs("\n}", stdout);
}

int approve_finish(struct approve_ctx *c, int code)
{
	if (c->json)
		fputs(c->json_count ? "\n]\n" : "]\n", stdout);
	fflush(stdout);
	audit_close(&c->audit);
	return code;
}

/* ---- audit ------------------------------------------------------------- */

int approve_audit(struct approve_ctx *c, const char *source, const char *reqid,
                  const struct approve_request *req, const char *decision, const char *reason)
{
	struct audit_entry en;
	struct err e;

	en.mode = c->mode;
	en.source = source;
	en.target = &c->target;
	en.client = c->client;
	en.reqid = reqid;
	en.req = req;
	en.decision = decision;
	en.reason = reason;
	err_clear(&e);
	if (audit_write(&c->audit, &en, &e) != 0) {
		applet_print_err("ERROR: ", &e);
		return -1;
	}
	return 0;
}
