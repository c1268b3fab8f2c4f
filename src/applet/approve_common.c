/*
 * approve_common.c - what both approval paths share (approve_int.h):
 * reading a listed request, judging it, the JSON output, the audit lines.
 */
#include <stdio.h>
#include <string.h>

#include "applet_common.h"
#include "approve_int.h"

long approve_extract(const struct classad *ad, struct approve_request *r, char *buf, size_t cap)
{
	const struct {
		const char *name;
		const char **dst;
	} a[] = {
		{"RequestId", &r->request_id},
		{"ClientId", &r->client_id},
		{"PeerLocation", &r->peer},
		{"RequestedIdentity", &r->requested_identity},
		{"AuthenticatedIdentity", &r->authenticated_identity},
		{"LimitAuthorization", &r->limit_authz},
	};
	size_t used = 0, i;
	int64_t life;

	memset(r, 0, sizeof *r);
	for (i = 0; i < sizeof a / sizeof a[0]; i++) {
		size_t room = cap - used < APPROVE_VALUE_MAX ? cap - used : APPROVE_VALUE_MAX;
		size_t len = 0;
		int rc = classad_get_string(ad, a[i].name, buf + used, room, &len);

		if (rc == CLASSAD_OK) {
			*a[i].dst = buf + used;
			used += len + 1;
		} else if (rc == CLASSAD_ETOOBIG) {
			if (len < APPROVE_VALUE_MAX)
				return -1; /* within the bound, but buf is full */
			r->toolong = 1;
		}
	}
	if (classad_get_int(ad, "TokenLifetime", &life) == CLASSAD_OK) {
		r->has_lifetime = 1;
		r->lifetime = life;
	}
	r->unsafe = classad_unsafe(ad);
	return (long)used;
}

const char *approve_unsafe_reason(const struct approve_request *r)
{
	if (r->unsafe)
		return "the request contains control characters or invalid UTF-8";
	if (!r->requested_identity && !r->toolong)
		return "the request names no RequestedIdentity";
	if (r->requested_identity && !approve_identity_plain(r->requested_identity))
		return "the requested identity is not a plain user@domain";
	if (r->toolong)
		return "an attribute of the request is longer than 4095 bytes";
	if (!r->client_id)
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

int approve_request_ad(const struct approve_request *r, struct classad *ad)
{
	const struct {
		const char *name;
		const char *value;
	} a[] = {
		{"RequestId", r->request_id},
		{"ClientId", r->client_id},
		{"PeerLocation", r->peer},
		{"RequestedIdentity", r->requested_identity},
		{"AuthenticatedIdentity", r->authenticated_identity},
		{"LimitAuthorization", r->limit_authz},
	};
	struct err e;
	size_t i;

	err_clear(&e);
	classad_clear(ad);
	for (i = 0; i < sizeof a / sizeof a[0]; i++)
		if (a[i].value && classad_set_string(ad, a[i].name, a[i].value, &e) != 0)
			return -1;
	if (r->has_lifetime && classad_set_int(ad, "TokenLifetime", r->lifetime, &e) != 0)
		return -1;
	return 0;
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
