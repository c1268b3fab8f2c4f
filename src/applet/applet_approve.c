/*
 * applet_approve.c - condor_token_request_approve.
 *
 * The stock tool's behaviour (options, messages, streams, exit codes: see
 * docs/condor_token_request_approve.1) plus two things it lacks: a
 * non-interactive path that approves only a request matching what the
 * caller expects, and a display that cannot be used to fool the approver
 * (control bytes in a request are shown escaped, and warned about).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adlist.h"
#include "applet_common.h"
#include "applets.h"
#include "approve_check.h"
#include "approve_int.h"
#include "classad.h"
#include "cli.h"
#include "config.h"
#include "dc_token.h"
#include "debug.h"
#include "err.h"
#include "port/port.h"

/* Longest answer read at the prompt; longer lines are never "yes". */
#define APPROVE_ANSWER_MAX 64

struct approve_opts {
	const char *reqid;
	const char *pool;
	const char *name;
	const char *type;
	int yes;
	int json;
	const char *expect_file;
	const char *audit_log;
	struct approve_expect expect;
};

/* Large state: static, not on the stack. */
static struct approve_ctx approve_c;
static struct approve_fields approve_f;

static void approve_usage(void)
{
	fprintf(stderr,
	        "Usage: %s [-type TYPE] [-name NAME] [-pool POOL] [-reqid ID]\n"
	        "\n"
	        "Generates a token from a remote daemon and prints its contents to stdout.\n"
	        "\n"
	        "Token options:\n"
	        "    -reqid <val>                    Token request identity\n"
	        "Specifying target options:\n"
	        "    -pool    <host>                 Query this collector\n"
	        "    -name    <name>                 Find a daemon with this name\n"
	        "    -type    <subsystem>            Type of daemon to contact (default: COLLECTOR)\n"
	        "If not specified, the pool's collector is targeted.\n",
	        cli_progname());
	/* Our additions come after the stock text so that scripts that parse
	 * the stock usage still find it unchanged at the top. */
	fprintf(stderr,
	        "tokenbox options (spelled in full):\n"
	        "    -yes                            Approve without prompting (needs -reqid and\n"
	        "                                    -expect-identity); only a matching request\n"
	        "    -expect-identity <id>           RequestedIdentity must be exactly this\n"
	        "    -expect-peer <addr|netblock>    PeerLocation must match\n"
	        "    -expect-authz <list>            LimitAuthorization must be a subset\n"
	        "    -expect-max-lifetime <seconds>  TokenLifetime must be at most this\n"
	        "    -expect-client-id <id>          ClientId must be exactly this\n"
	        "    -expect-file <file>             Approve every request listed in the file\n"
	        "                                    (one per line: REQID IDENTITY [peer=..]\n"
	        "                                    [authz=..] [max-lifetime=..] [client-id=..];\n"
	        "                                    - reads standard input) that matches it\n"
	        "    -audit-log <file>               Append a JSON line per decision (default:\n"
	        "                                    the TOKENBOX_AUDIT_LOG knob)\n"
	        "    -json                           Print requests and outcomes as JSON\n");
}

/* Returns -1 to continue, or the exit code. */
static int approve_parse(int argc, char **argv, struct approve_opts *o)
{
	/* The stock options first, in the stock order; tokenbox's own are
	 * spelled in full (CLI_EXACT): a typo in a flag that approves things
	 * must not be taken for another flag. */
	const struct cli_opt opts[] = {
		{.name = "reqid", .min = 1, .kind = CLI_STR, .dst = &o->reqid,
		 .missing = "-reqid requires a request ID argument."},
		{.name = "pool", .min = 1, .kind = CLI_STR, .dst = &o->pool,
		 .missing = "-pool requires a pool name argument."},
		{.name = "name", .min = 1, .kind = CLI_STR, .dst = &o->name,
		 .missing = "-name requires a daemon name argument."},
		{.name = "type", .min = 1, .kind = CLI_STR, .dst = &o->type,
		 .missing = "-type requires a daemon type argument.",
		 .valid = applet_type_valid, .invalid = APPLET_TYPE_INVALID},
		{.name = "debug", .min = 1, .kind = CLI_DEBUG},
		{.name = "help", .min = 1, .kind = CLI_HELP},
		{.name = "yes", .min = CLI_EXACT, .kind = CLI_FLAG, .dst = &o->yes},
		{.name = "json", .min = CLI_EXACT, .kind = CLI_FLAG, .dst = &o->json},
		{.name = "expect-identity", .min = CLI_EXACT, .kind = CLI_STR, .dst = &o->expect.identity,
		 .missing = "-expect-identity requires an identity argument."},
		{.name = "expect-peer", .min = CLI_EXACT, .kind = CLI_STR, .dst = &o->expect.peer,
		 .missing = "-expect-peer requires an address or netblock argument."},
		{.name = "expect-authz", .min = CLI_EXACT, .kind = CLI_STR, .dst = &o->expect.authz,
		 .missing = "-expect-authz requires an authorization list argument."},
		{.name = "expect-max-lifetime", .min = CLI_EXACT, .kind = CLI_SECONDS,
		 .dst = &o->expect.max_lifetime,
		 .missing = "-expect-max-lifetime requires a number of seconds."},
		{.name = "expect-client-id", .min = CLI_EXACT, .kind = CLI_STR,
		 .dst = &o->expect.client_id, .missing = "-expect-client-id requires a client ID argument."},
		{.name = "expect-file", .min = CLI_EXACT, .kind = CLI_STR, .dst = &o->expect_file,
		 .missing = "-expect-file requires a file name argument (- for standard input)."},
		{.name = "audit-log", .min = CLI_EXACT, .kind = CLI_STR, .dst = &o->audit_log,
		 .missing = "-audit-log requires a file name argument."},
	};
	int rc;

	memset(o, 0, sizeof *o);
	o->expect.max_lifetime = -1;
	rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], approve_usage);
	if (rc >= 0)
		return rc;
	if (o->expect_file) {
		/* The manifest says which requests and what each must hold;
		 * per-request flags would be a second, conflicting source. */
		if (o->reqid || o->yes || o->expect.identity || o->expect.peer || o->expect.authz ||
		    o->expect.max_lifetime >= 0 || o->expect.client_id) {
			fprintf(stderr, "%s: -expect-file cannot be combined with -reqid, -yes or the "
			                "-expect-* options: the file gives the request IDs and what each "
			                "must hold.\n",
			        cli_progname());
			return 1;
		}
		return -1;
	}
	if (o->yes) {
		char why[256];
		if (!o->reqid || !o->expect.identity) {
			fprintf(stderr, "%s: -yes requires -reqid and -expect-identity: "
			                "a request is approved without a prompt only when it is "
			                "the one expected.\n",
			        cli_progname());
			return 1;
		}
		if (approve_expect_valid(&o->expect, why, sizeof why) != 0) {
			fprintf(stderr, "%s: %s\n", cli_progname(), why);
			return 1;
		}
	} else if (o->expect.identity || o->expect.peer || o->expect.authz ||
	           o->expect.max_lifetime >= 0 || o->expect.client_id) {
		fprintf(stderr, "%s: the -expect-* options are only used with -yes.\n", cli_progname());
		return 1;
	}
	return -1;
}

/* ---- the stock flow ------------------------------------------------------ */

/* Print "Request contents:" and the warnings; returns nonzero when the
 * request carries something the non-interactive path must refuse. */
static int approve_show(const struct classad *ad, const struct approve_fields *f, FILE *out)
{
	struct classad_sink s = {applet_sink_file, out};
	struct err e;

	err_clear(&e);
	fputs("Request contents:\n", out);
	/* A clean request prints byte for byte as the stock tool prints it.
	 * One with control bytes or invalid UTF-8 prints in the safe form, in
	 * which backslashes are escaped too, so "\x1b" typed by the requester
	 * cannot pass for an escaped ESC. */
	classad_print(ad, CLASSAD_FORM_OLD, f->r.unsafe ? CLASSAD_PRINT_SAFE : 0, &s, &e);
	fputs("\n", out);
	fflush(out);
	if (f->r.unsafe)
		fprintf(stderr, "WARNING: this request contains control characters or invalid UTF-8; "
		                "they are shown escaped above (\\n, \\t, \\xHH, \\uHHHH; a literal "
		                "backslash as \\\\). Do not approve it unless you know why.\n");
	if (f->r.requested_identity && !approve_identity_plain(f->r.requested_identity))
		fprintf(stderr, "WARNING: the requested identity is not of the plain user@domain form.\n");
	else if (!f->r.requested_identity)
		fprintf(stderr, "WARNING: the request names no RequestedIdentity.\n");
	if (f->r.requested_identity && approve_identity_is_condor(f->r.requested_identity))
		fprintf(stderr, "WARNING: this request is for the condor@ identity, which default "
		                "security policies trust as a daemon and administrator.\n");
	if (f->r.toolong)
		fprintf(stderr, "WARNING: an attribute of this request is longer than %d bytes.\n",
		        APPROVE_VALUE_MAX - 1);
	return approve_unsafe_reason(&f->r) != NULL;
}

static int approve_ask(FILE *out)
{
	char line[APPROVE_ANSWER_MAX];
	int truncated = 0;
	long n;

	fputs("To approve, please type 'yes'\n", out);
	fflush(out);
	n = port_stdin_line(line, sizeof line, &truncated);
	return n == 3 && !truncated && strcmp(line, "yes") == 0;
}

/* A refusal: the message, the audit line, the JSON element, the code. */
static int approve_refuse(struct approve_ctx *c, const struct approve_fields *f,
                          const char *reqid, const char *message, const char *reason, int code)
{
	fprintf(stderr, "%s\n", message);
	approve_json_result(c, NULL, &c->ad, 0, reason);
	if (approve_audit(c, NULL, reqid, &f->r, "refuse", reason) != 0)
		code = 1;
	return approve_finish(c, code);
}

/* Show each listed request (one, with -reqid) and approve it after a
 * "yes" at the prompt, or with -yes when it matches the expectations. */
static int approve_listed(struct approve_ctx *c, const struct approve_opts *o)
{
	struct approve_fields *f = &approve_f;
	char text[2048], why[512], msg[600];
	struct err e;
	size_t i;

	for (i = 0; i < c->list->n; i++) {
		const char *reqid;
		int refuse;

		err_clear(&e);
		if (adlist_get(c->list, i, &c->ad, &e) != 0) {
			fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
			return approve_finish(c, 1);
		}
		approve_extract(&c->ad, &f->r, f->text, sizeof f->text);
		if (!f->r.client_id && !f->r.toolong) {
			fprintf(stderr, "Remote host did not provide a client ID.\n");
			return approve_finish(c, 1);
		}
		refuse = approve_show(&c->ad, f, c->human);
		/* Approve only what was shown: with -reqid the daemon filtered
		 * the list, and an ad for another request (or none) must not
		 * stand in for the one asked about. */
		if (o->reqid && (!f->r.request_id || strcmp(f->r.request_id, o->reqid) != 0)) {
			snprintf(why, sizeof why, "RequestId differs: expected '%s', actual %s%s%s", o->reqid,
			         f->r.request_id ? "'" : "(none)",
			         f->r.request_id ? classad_safe_cstr(text, 160, f->r.request_id) : "",
			         f->r.request_id ? "'" : "");
			snprintf(msg, sizeof msg, "Request was NOT approved: %s.", why);
			return approve_refuse(c, f, o->reqid, msg, why, o->yes ? APPROVE_EXIT_MISMATCH : 1);
		}
		if (o->yes) {
			if (refuse)
				return approve_refuse(c, f, o->reqid,
				                      "Request was NOT approved: its contents are not safe to "
				                      "approve without a prompt.",
				                      "unsafe request contents", APPROVE_EXIT_UNSAFE);
			if (approve_check(&o->expect, &f->r, why, sizeof why) != 0) {
				snprintf(msg, sizeof msg, "Request was NOT approved: %s.", why);
				return approve_refuse(c, f, o->reqid, msg, why, APPROVE_EXIT_MISMATCH);
			}
		} else if (!approve_ask(c->human)) {
			return approve_refuse(c, f, f->r.request_id, "Request was NOT approved.",
			                      "not confirmed", 1);
		}
		reqid = f->r.request_id;
		if (!reqid) {
			fprintf(stderr, "Remote host did not provide a request ID.\n");
			approve_json_result(c, NULL, &c->ad, 0, "no request ID");
			return approve_finish(c, 1);
		}
		if (approve_audit(c, NULL, reqid, &f->r, "approve",
		                  o->yes ? "matches every expectation" : "confirmed at the prompt") != 0) {
			approve_json_result(c, NULL, &c->ad, 0, "the audit log could not be written");
			return approve_finish(c, 1);
		}
		err_clear(&e);
		if (dc_token_approve(c->client, &c->target, reqid, f->r.client_id, &e) != 0) {
			fprintf(stderr, "Failed to approve token request: %s\n",
			        err_text(&e, text, sizeof text));
			approve_json_result(c, NULL, &c->ad, 0, text);
			approve_audit(c, NULL, reqid, &f->r, "approve-failed", text);
			return approve_finish(c, 1);
		}
		fprintf(c->human, "Request %s approved successfully.\n", reqid);
		fflush(c->human);
		approve_json_result(c, NULL, &c->ad, 1, "");
		if (o->reqid)
			break;
	}
	return approve_finish(c, 0);
}

int applet_approve(int argc, char **argv)
{
	struct approve_opts o;
	struct approve_ctx *c = &approve_c;
	struct err e;
	char text[2048], audit_path[1024];
	int rc;

	err_clear(&e);
	/* Like the stock tools, read the configuration before the arguments:
	 * a broken config is reported even for -help. */
	if (applet_config_load(applet_cfg()) != 0)
		return 1;
	rc = approve_parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	c->client = applet_client();
	c->list = applet_ads();
	c->json = o.json;
	c->json_count = 0;
	c->human = o.json ? stderr : stdout;
	c->mode = o.expect_file ? "manifest" : o.yes ? "yes" : "prompt";
	c->audit.fd = -1;
	classad_init(&c->ad, applet_arena(), CLASSAD_ARENA_BYTES);

	/* The audit log opens before anything is listed: a log that cannot
	 * be written stops the run before any decision is made. */
	if (o.audit_log) {
		snprintf(audit_path, sizeof audit_path, "%s", o.audit_log);
	} else if (config_get(applet_cfg(), AUDIT_KNOB, audit_path, sizeof audit_path, &e) < 0) {
		applet_print_err("ERROR: ", &e);
		return 1;
	}
	if (audit_open(&c->audit, audit_path, &e) != 0) {
		applet_print_err("ERROR: ", &e);
		return 1;
	}
	/* A manifest is read and checked whole before the daemon is even
	 * located: a malformed one approves nothing. */
	if (o.expect_file && approve_manifest_load(o.expect_file) != 0)
		return 1;
	if (o.json)
		fputs("[\n", stdout);
	rc = applet_locate(applet_cfg(), o.type ? o.type : "COLLECTOR", o.name, o.pool, &c->target);
	if (rc != 0)
		return approve_finish(c, rc);
	if (dc_client_init(c->client, applet_cfg(), &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return approve_finish(c, 1);
	}
	adlist_init(c->list);
	if (o.expect_file)
		return approve_manifest_run(c);
	if (dc_token_list(c->client, &c->target, o.reqid, c->list, &e) != 0) {
		fprintf(stderr, "Failed to locate request corresponding to ID %s: %s\n",
		        o.reqid ? o.reqid : "", err_text(&e, text, sizeof text));
		return approve_finish(c, 1);
	}
	if (c->list->n == 0) {
		if (o.reqid)
			fprintf(stderr, "Remote daemon did not provide information for request ID %s.\n",
			        o.reqid);
		else
			fprintf(stderr, "Remote daemon has no request to approve.\n");
		return approve_finish(c, 1);
	}
	return approve_listed(c, &o);
}
