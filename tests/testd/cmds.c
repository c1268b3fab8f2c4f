/*
 * cmds.c - the commands the test daemon serves after the handshake: the
 * six token commands (request ad in, reply ad(s) out, rules in tokreq.c)
 * and the collector queries a locating client sends (locate.md §3.2): the
 * daemon plays a collector holding ads for itself, a schedd and a master,
 * all of them pointing at this same process.
 */
#include "testd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "port/port.h"

static struct tad req_ad, out_ad;
static char sv[8][TESTD_JWT_MAX];

void testd_peer(const struct testd_conn *k, struct tokreq_peer *p)
{
	memset(p, 0, sizeof *p);
	p->fqu = k->fqu;
	p->mapped = k->mapped;
	p->method = k->method;
	p->ip = k->peer_ip;
	p->encrypted = k->encrypted;
	p->bounded = k->bounded;
	p->authz = k->authz;
	p->token_exp = k->token_exp;
}

void testd_sinful(char *out, size_t cap)
{
	if (testd.shared_port_id)
		snprintf(out, cap, "<127.0.0.1:%u?addrs=127.0.0.1-%u&alias=%s&noUDP&sock=%s>",
		         testd.port, testd.port, testd.host, testd.shared_port_id);
	else
		snprintf(out, cap, "<127.0.0.1:%u?addrs=127.0.0.1-%u&alias=%s>", testd.port,
		         testd.port, testd.host);
}

static void log_err(const char *what, const struct err *e)
{
	char buf[1024];
	testd_log("%s: %s", what, err_text(e, buf, sizeof buf));
}

/* A string attribute into slot i; NULL if absent or not a string. */
static const char *get_s(const char *name, int i)
{
	return tad_get_str(&req_ad, name, sv[i], sizeof sv[i]) == 1 ? sv[i] : NULL;
}

static int send_out(struct testd_conn *k, const struct tokreq_out *o, struct err *e)
{
	int rc = 0;
	tad_clear(&out_ad);
	if (!o->empty) {
		if (o->has_code)
			rc |= tad_set_int(&out_ad, "ErrorCode", o->code, e);
		if (o->has_error)
			rc |= tad_set_str(&out_ad, "ErrorString", o->error, e);
		if (o->has_request_id)
			rc |= tad_set_str(&out_ad, "RequestId", o->request_id, e);
		if (o->has_token)
			rc |= tad_set_str(&out_ad, "Token", o->token, e);
	}
	if (rc || tad_put(k->c, &out_ad, NULL, 0, e) || cedar_end_send(k->c, e))
		return -1;
	return 0;
}

/*
 * -hostile CASE (hostile.c): what a lying daemon answers to LIST and
 * APPROVE after an honest handshake.
 *   list-other-reqid      the RequestId filter is ignored (another request
 *                         is shown for the ID asked about)
 *   list-error-escapes    the list ends with an error whose text holds
 *                         terminal escapes and a forged success line
 *   list-long-error       ... with ErrorCode 3 and a 16 KB text
 *   list-flood            5000 ads (more than any client bound)
 *   list-escapes          every value holds escapes and a forged line
 *   list-no-clientid      ads without ClientId
 *   list-no-reqid         ads without RequestId
 *   list-int-reqid        RequestId as an integer
 *   list-dup              every request listed twice
 *   list-owner-string     the end-of-list ad's Owner is the string "0"
 *   list-no-end           the ads, then the connection closes
 *   list-slow             ads forever, one every 200 ms
 *   list-stall            one ad, then nothing (for 30 s)
 *   approve-error-escapes APPROVE fails with such a text
 *   approve-garbage       the reply is not an ad
 *   approve-junk-after    ErrorCode 0, then more bytes in the message
 *   approve-no-errorcode  a reply ad without ErrorCode
 *   approve-stall         no reply (for 30 s)
 *   approve-close         the connection closes instead of a reply
 *   list-bad-utf8         an identity with invalid UTF-8
 *   list-bidi             an identity with a right-to-left override
 *   list-big-value        a 200 KB ClientId (more than a client reads)
 *   list-long-value       a 10 KB ClientId (more than a client checks)
 *   list-many-attrs       2000 attributes in one ad
 *   list-lifetime-string  TokenLifetime = "forever"
 *   list-lifetime-negative TokenLifetime = -5
 *   approve-errorcode-string  ErrorCode = "0"
 *   approve-errorcode-negative ErrorCode = -1 (with a text)
 *   approve-huge          a 900 KB reply ad
 */
#define HOSTILE_TEXT "bad\x1b]0;owned\x07\x1b[2J\r\nRequest 0000001 approved successfully."

static void hostile_error(struct testd_conn *k, int list_end, const char *text, struct err *e)
{
	int rc = 0;

	tad_clear(&out_ad);
	rc |= tad_set_int(&out_ad, "ErrorCode", list_end ? 3 : 5, e);
	if (list_end)
		rc |= tad_set_int(&out_ad, "Owner", 0, e);
	rc |= tad_set_str(&out_ad, "ErrorString", text, e);
	if (rc || tad_put(k->c, &out_ad, NULL, 0, e) || cedar_end_send(k->c, e))
		log_err("sending the hostile reply", e);
	testd_log("command %lld: hostile reply (%s)", (long long)k->cmd, testd.hostile);
}

/* Send ad as one message; 0 or -1. */
static int put_ad(struct testd_conn *k, struct err *e)
{
	return tad_put(k->c, &out_ad, NULL, 0, e) || cedar_end_send(k->c, e) ? -1 : 0;
}

/* The LIST cases that change the ads themselves (list_one calls it). */
static void hostile_list_ad(void)
{
	struct err e;

	err_clear(&e);
	if (testd_hostile("list-escapes")) {
		tad_set_str(&out_ad, "RequestedIdentity", "ev\x1b[31mil\nRequestId = \"0000001\"@x", &e);
		tad_set_str(&out_ad, "PeerLocation", "10.0.0.1\x1b]0;pwned\x07", &e);
		tad_set_str(&out_ad, "ClientId", "c\r\x1b[2K", &e);
	} else if (testd_hostile("list-bad-utf8")) {
		tad_set_str(&out_ad, "RequestedIdentity", "caf\xc3\x28\xff@testd.local", &e);
	} else if (testd_hostile("list-bidi")) {
		tad_set_str(&out_ad, "RequestedIdentity", "one\xe2\x80\xae@testd.local", &e);
	} else if (testd_hostile("list-big-value") || testd_hostile("list-long-value")) {
		static char big[200 * 1024];
		size_t n = testd_hostile("list-big-value") ? sizeof big - 1 : 10 * 1024;
		memset(big, 'c', n);
		big[n] = '\0';
		tad_set_str(&out_ad, "ClientId", big, &e);
	} else if (testd_hostile("list-many-attrs")) {
		int i;
		for (i = 0; i < 2000; i++) {
			char name[32];
			snprintf(name, sizeof name, "Extra%d", i);
			tad_set_int(&out_ad, name, i, &e);
		}
	} else if (testd_hostile("list-lifetime-string")) {
		tad_set_str(&out_ad, "TokenLifetime", "forever", &e);
	} else if (testd_hostile("list-lifetime-negative")) {
		tad_set_int(&out_ad, "TokenLifetime", -5, &e);
	} else if (testd_hostile("list-no-clientid")) {
		tad_delete(&out_ad, "ClientId");
	} else if (testd_hostile("list-no-reqid")) {
		tad_delete(&out_ad, "RequestId");
	} else if (testd_hostile("list-int-reqid")) {
		const char *v = tad_expr(&out_ad, "RequestId");
		char id[16];
		if (v && tad_unquote(v, id, sizeof id) == 0)
			tad_set_int(&out_ad, "RequestId", strtoll(id, NULL, 10), &e);
	}
}

/* The LIST cases that change the stream of ads; 1 when handled. */
static int hostile_list(struct testd_conn *k, const struct tokreq_in *in, struct err *e)
{
	int i;

	if (testd_hostile("list-error-escapes") || testd_hostile("list-long-error")) {
		static char big[16 * 1024];
		memset(big, 'x', sizeof big - 1);
		hostile_error(k, 1, testd_hostile("list-long-error") ? big : HOSTILE_TEXT, e);
		return 1;
	}
	if (testd_hostile("list-flood") || testd_hostile("list-slow")) {
		int n = testd_hostile("list-flood") ? 5000 : 300;
		for (i = 0; i < n; i++) {
			char id[16];
			tad_clear(&out_ad);
			snprintf(id, sizeof id, "%07d", 5000000 + i);
			tad_set_str(&out_ad, "RequestId", id, e);
			tad_set_str(&out_ad, "ClientId", "flood-1", e);
			tad_set_str(&out_ad, "RequestedIdentity", "flood@testd.local", e);
			tad_set_str(&out_ad, "PeerLocation", "10.9.9.9", e);
			if (put_ad(k, e) != 0)
				break;
			if (testd_hostile("list-slow"))
				port_sleep_ms(200);
		}
		testd_log("command %lld: hostile %s, %d ads sent", (long long)k->cmd, testd.hostile, i);
		tad_clear(&out_ad);
		tad_set_int(&out_ad, "ErrorCode", 0, e);
		tad_set_int(&out_ad, "Owner", 0, e);
		put_ad(k, e);
		return 1;
	}
	(void)in;
	return 0;
}

struct list_ctx {
	struct testd_conn *k;
	struct err *e;
};

static int list_one(const struct tokreq *r, void *arg)
{
	struct list_ctx *lc = arg;
	char id[8];
	int rc = 0;
	tokreq_id_text(r->id, id);
	tad_clear(&out_ad);
	rc |= tad_set_str(&out_ad, "RequestId", id, lc->e);
	rc |= tad_set_str(&out_ad, "ClientId", r->client_id, lc->e);
	rc |= tad_set_str(&out_ad, "AuthenticatedIdentity", r->authn_identity, lc->e);
	rc |= tad_set_str(&out_ad, "RequestedIdentity", r->requested_identity, lc->e);
	rc |= tad_set_str(&out_ad, "PeerLocation", r->peer_location, lc->e);
	if (r->authz[0])
		rc |= tad_set_str(&out_ad, "LimitAuthorization", r->authz, lc->e);
	if (r->lifetime >= 0)
		rc |= tad_set_int(&out_ad, "TokenLifetime", r->lifetime, lc->e);
	if (testd.legacy) {
		/* a real 9.0.19 daemon's hash order (vector V8b) */
		static const char *const list_90[] = {"PeerLocation", "RequestedIdentity",
		                                      "AuthenticatedIdentity", "ClientId", "RequestId"};
		tad_reorder(&out_ad, list_90, sizeof list_90 / sizeof list_90[0]);
	}
	hostile_list_ad();
	testd_log_ad("list reply", &out_ad);
	if (rc || tad_put(lc->k->c, &out_ad, NULL, 0, lc->e) || cedar_end_send(lc->k->c, lc->e))
		return -1;
	if (testd_hostile("list-dup") &&
	    (tad_put(lc->k->c, &out_ad, NULL, 0, lc->e) || cedar_end_send(lc->k->c, lc->e)))
		return -1;
	if (testd_hostile("list-stall")) {
		testd_log("hostile: stalling after one ad");
		port_sleep_ms(30000);
		return -1;
	}
	return 0;
}

static void token_command(struct testd_conn *k)
{
	struct tokreq_in in;
	struct tokreq_out o;
	struct tokreq_peer p;
	struct err e;
	int64_t now = port_time_now();
	int rc = 0;

	err_clear(&e);
	if (tad_get(k->c, &req_ad, &e) != 0 || cedar_end_recv(k->c, &e) != 0) {
		log_err("reading the request ad", &e);
		return;
	}
	memset(&in, 0, sizeof in);
	in.client_id = get_s("ClientId", 0);
	in.request_id = get_s("RequestId", 1);
	in.user = get_s("User", 2);
	in.authz = get_s("LimitAuthorization", 3);
	in.subnet = get_s("Subnet", 4);
	in.requested_key = get_s("RequestedKey", 5);
	in.has_lifetime = tad_get_int(&req_ad, "TokenLifetime", &in.lifetime) == 1;
	in.has_rule_lifetime = tad_get_int(&req_ad, "Lifetime", &in.rule_lifetime) == 1;
	testd_peer(k, &p);
	tokreq_cleanup(&testd_store, &testd.tok, now);

	switch (k->cmd) {
	case 60046:
		tokreq_session_token(&testd.tok, &p, &in, now, &o);
		break;
	case 60047:
		tokreq_start(&testd_store, &testd.tok, &p, &in, now, &o);
		break;
	case 60048:
		tokreq_finish(&testd_store, &testd.tok, &in, now, &o);
		break;
	case 60049: {
		struct list_ctx lc = {k, &e};
		testd_hostile_arm();
		if (hostile_list(k, &in, &e))
			return;
		if (testd_hostile("list-other-reqid"))
			in.request_id = NULL;
		if (tokreq_list(&testd_store, &testd.tok, &p, &in, list_one, &lc, &o) != 0) {
			log_err("sending the list", &e);
			return;
		}
		if (testd_hostile("list-no-end")) {
			testd_log("hostile: no end-of-list ad");
			return;
		}
		if (!o.close_after) {
			/* the terminator: ErrorCode, Owner = 0, ErrorString on error */
			tad_clear(&out_ad);
			rc |= tad_set_int(&out_ad, "ErrorCode", o.code, &e);
			if (testd_hostile("list-owner-string"))
				rc |= tad_set_str(&out_ad, "Owner", "0", &e);
			else
				rc |= tad_set_int(&out_ad, "Owner", 0, &e);
			if (o.has_error)
				rc |= tad_set_str(&out_ad, "ErrorString", o.error, &e);
			if (testd.legacy) {
				static const char *const end_90[] = {"Owner", "ErrorCode"};
				tad_reorder(&out_ad, end_90, 2);
			}
			testd_log_ad("list end", &out_ad);
			if (rc || tad_put(k->c, &out_ad, NULL, 0, &e) || cedar_end_send(k->c, &e))
				log_err("sending the list terminator", &e);
			return;
		}
		break;
	}
	case 60050:
		testd_hostile_arm();
		if (testd_hostile("approve-error-escapes")) {
			hostile_error(k, 0, HOSTILE_TEXT, &e);
			return;
		}
		if (testd_hostile("approve-stall") || testd_hostile("approve-close")) {
			testd_log("hostile: %s", testd.hostile);
			if (testd_hostile("approve-stall"))
				port_sleep_ms(30000);
			return;
		}
		if (testd_hostile("approve-garbage")) {
			cedar_put_int(k->c, 0x41414141, &e);
			cedar_put_str(k->c, "\x1b[2Jnot an ad", &e);
			cedar_end_send(k->c, &e);
			testd_log("hostile: garbage reply");
			return;
		}
		if (testd_hostile("approve-no-errorcode") || testd_hostile("approve-errorcode-string") ||
		    testd_hostile("approve-errorcode-negative") || testd_hostile("approve-huge")) {
			static char big[60 * 1024];
			tad_clear(&out_ad);
			if (testd_hostile("approve-no-errorcode"))
				tad_set_str(&out_ad, "Result", "ok", &e);
			else if (testd_hostile("approve-errorcode-string"))
				tad_set_str(&out_ad, "ErrorCode", "0", &e);
			else if (testd_hostile("approve-errorcode-negative")) {
				tad_set_int(&out_ad, "ErrorCode", -1, &e);
				tad_set_str(&out_ad, "ErrorString", "no", &e);
			} else {
				int i;
				tad_set_int(&out_ad, "ErrorCode", 0, &e);
				memset(big, 'x', sizeof big - 1);
				/* as many big attributes as the ad holds: ~900 KB */
				for (i = 0; i < 15; i++) {
					char name[16];
					snprintf(name, sizeof name, "Pad%d", i);
					tad_set_str(&out_ad, name, big, &e);
				}
			}
			put_ad(k, &e);
			testd_log("hostile: %s", testd.hostile);
			return;
		}
		tokreq_approve(&testd_store, &testd.tok, &p, &in, now, &o);
		if (testd_hostile("approve-junk-after")) {
			/* the request IS approved; the reply is malformed */
			tad_clear(&out_ad);
			tad_set_int(&out_ad, "ErrorCode", 0, &e);
			tad_put(k->c, &out_ad, NULL, 0, &e);
			cedar_put_str(k->c, "junk", &e);
			cedar_end_send(k->c, &e);
			testd_log("hostile: success followed by junk");
			return;
		}
		break;
	case 60051:
		tokreq_auto_approve(&testd_store, &testd.tok, &in, now, &o);
		break;
	default:
		return;
	}
	if (send_out(k, &o, &e) != 0)
		log_err("sending the reply", &e);
	testd_log("command %lld by %s: %s%s", (long long)k->cmd, k->fqu,
	          o.has_error ? "error " : (o.empty ? "empty reply" : "ok"),
	          o.has_error ? o.error : "");
}

/* ---- collector queries -------------------------------------------------- */

enum { AD_COLLECTOR, AD_SCHEDD, AD_MASTER, AD_COUNT };

static int build_ad(int which, struct tad *ad, struct err *e)
{
	char sinful[300], v1[600], name[300];
	int rc = 0;
	const char *mytype = which == AD_SCHEDD ? "Scheduler" :
	                     which == AD_MASTER ? "DaemonMaster" : "Collector";
	const char *ipattr = which == AD_SCHEDD ? "ScheddIpAddr" :
	                     which == AD_MASTER ? "MasterIpAddr" : "CollectorIpAddr";

	if (which == AD_COLLECTOR) {
		snprintf(name, sizeof name, "%s", testd.name);
		snprintf(sinful, sizeof sinful, "<127.0.0.1:%u?addrs=127.0.0.1-%u&alias=%s>",
		         testd.port, testd.port, testd.host);
	} else {
		if (which == AD_SCHEDD)
			snprintf(name, sizeof name, "schedd@%s", testd.host);
		else
			snprintf(name, sizeof name, "%s", testd.host);
		testd_sinful(sinful, sizeof sinful);
	}
	snprintf(v1, sizeof v1,
	         "{[ p=\"primary\"; a=\"127.0.0.1\"; port=%u; n=\"Internet\"; alias=\"%s\";%s%s%s ], "
	         "[ p=\"IPv4\"; a=\"127.0.0.1\"; port=%u; n=\"Internet\"; alias=\"%s\";%s%s%s ]}",
	         testd.port, testd.host, which != AD_COLLECTOR && testd.shared_port_id ? " spid=\"" : "",
	         which != AD_COLLECTOR && testd.shared_port_id ? testd.shared_port_id : "",
	         which != AD_COLLECTOR && testd.shared_port_id ? "\"; noUDP=true;" : "",
	         testd.port, testd.host, which != AD_COLLECTOR && testd.shared_port_id ? " spid=\"" : "",
	         which != AD_COLLECTOR && testd.shared_port_id ? testd.shared_port_id : "",
	         which != AD_COLLECTOR && testd.shared_port_id ? "\"; noUDP=true;" : "");
	tad_clear(ad);
	rc |= tad_set_str(ad, "MyType", mytype, e);
	rc |= tad_set_str(ad, "Name", name, e);
	rc |= tad_set_str(ad, "Machine", testd.host, e);
	rc |= tad_set_str(ad, "MyAddress", sinful, e);
	rc |= tad_set_str(ad, ipattr, sinful, e);
	rc |= tad_set_str(ad, "AddressV1", v1, e);
	rc |= tad_set_str(ad, "CondorVersion", testd.version, e);
	rc |= tad_set_str(ad, "CondorPlatform", testd.platform, e);
	return rc ? -1 : 0;
}

/* Requirements: "true", or comparisons Attr == "value" (also =?=) joined by
 * &&, parentheses anywhere.  Anything else matches nothing (logged). */
static int requirements_match(const char *req, const struct tad *ad)
{
	char buf[1024], *p, *term;
	size_t i, o = 0;
	if (!req)
		return 1;
	for (i = 0; req[i] && o + 1 < sizeof buf; i++)
		if (req[i] != '(' && req[i] != ')')
			buf[o++] = req[i];
	buf[o] = '\0';
	p = buf;
	for (;;) {
		char *amp = strstr(p, "&&"), *op, attr[128], want[512], have[512];
		size_t al;
		if (amp)
			*amp = '\0';
		term = p;
		while (*term == ' ')
			term++;
		if (!strncasecmp(term, "true", 4) && strspn(term + 4, " ") == strlen(term + 4)) {
			/* ok */
		} else {
			op = strstr(term, "==");
			if (!op)
				op = strstr(term, "=?=");
			if (!op)
				goto unknown;
			al = (size_t)(op - term);
			while (al && term[al - 1] == ' ')
				al--;
			if (!al || al >= sizeof attr)
				goto unknown;
			memcpy(attr, term, al);
			attr[al] = '\0';
			op += op[1] == '=' ? 2 : 3;
			while (*op == ' ')
				op++;
			{
				size_t vl = strlen(op);
				while (vl && op[vl - 1] == ' ')
					op[--vl] = '\0';
			}
			if (tad_unquote(op, want, sizeof want) != 0)
				goto unknown;
			if (tad_get_str(ad, attr, have, sizeof have) != 1 || strcasecmp(have, want) != 0)
				return 0;
		}
		if (!amp)
			return 1;
		p = amp + 2;
	}
unknown:
	testd_log("query: Requirements '%s' not understood by the test daemon", req);
	return 0;
}

static void query_command(struct testd_conn *k)
{
	static struct tad ad;
	static char reqs[1024], proj[2048];
	const char *names[64];
	size_t nnames = 0;
	int which = -1, i, sent = 0;
	int64_t limit = 0;
	char target[64] = "";
	struct err e;
	char *p;

	err_clear(&e);
	if (tad_get(k->c, &req_ad, &e) != 0 || cedar_end_recv(k->c, &e) != 0) {
		log_err("reading the query ad", &e);
		return;
	}
	tad_get_str(&req_ad, "TargetType", target, sizeof target);
	switch (k->cmd) {
	case 6: which = AD_SCHEDD; break;
	case 7: which = AD_MASTER; break;
	case 74:
		if (!strcasecmp(target, "Collector"))
			which = AD_COLLECTOR;
		break;
	default: break;
	}
	reqs[0] = '\0';
	{
		const char *x = tad_expr(&req_ad, "Requirements");
		if (x)
			snprintf(reqs, sizeof reqs, "%s", x);
	}
	if (tad_get_str(&req_ad, "Projection", proj, sizeof proj) == 1) {
		for (p = strtok(proj, " ,"); p && nnames < 64; p = strtok(NULL, " ,"))
			names[nnames++] = p;
	}
	tad_get_int(&req_ad, "LimitResults", &limit);
	for (i = 0; i < AD_COUNT; i++) {
		if (i != which)
			continue;
		if (build_ad(i, &ad, &e) != 0)
			break;
		if (!requirements_match(reqs[0] ? reqs : NULL, &ad))
			continue;
		if (limit > 0 && sent >= limit)
			break;
		if (cedar_put_int(k->c, 1, &e) || tad_put(k->c, &ad, names, nnames, &e))
			goto fail;
		sent++;
	}
	if (cedar_put_int(k->c, 0, &e) || cedar_end_send(k->c, &e))
		goto fail;
	testd_log("query %lld (%s): %d ad(s)", (long long)k->cmd, reqs, sent);
	return;
fail:
	log_err("sending the query reply", &e);
}

/* DC_SEC_QUERY: the session was authorized for AuthCommand; say so in
 * one ad.  The DC_NOP commands themselves read and send nothing. */
static void sec_query_command(struct testd_conn *k)
{
	struct err e;

	err_clear(&e);
	tad_clear(&out_ad);
	if (tad_set_bool(&out_ad, "AuthorizationSucceeded", 1, &e) ||
	    tad_put(k->c, &out_ad, NULL, 0, &e) || cedar_end_send(k->c, &e))
		log_err("sending the DC_SEC_QUERY reply", &e);
	else
		testd_log("DC_SEC_QUERY: authorized %s", k->fqu);
}

void testd_exec(struct testd_conn *k)
{
	if (k->cmd >= 60046 && k->cmd <= 60051)
		token_command(k);
	else if (k->cmd == TESTD_DC_SEC_QUERY)
		sec_query_command(k);
	else if (k->cmd >= 60011 && k->cmd <= 60029)
		testd_log("DC_NOP %lld for %s", (long long)k->cmd, k->fqu);
	else
		query_command(k);
}
