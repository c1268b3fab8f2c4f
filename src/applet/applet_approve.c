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
#include "classad.h"
#include "cli.h"
#include "config.h"
#include "dc_token.h"
#include "debug.h"
#include "err.h"
#include "port/port.h"

/* Exit codes beyond the stock tool's 0/1/4 (documented in the man page). */
#define APPROVE_EXIT_MISMATCH 2
#define APPROVE_EXIT_UNSAFE 3

/* Longest answer read at the prompt; longer lines are never "yes". */
#define APPROVE_ANSWER_MAX 64
/* Longest attribute value copied out of a request for the checks; a longer
 * one is still printed in full, but never approved non-interactively. */
#define APPROVE_VALUE_MAX 4096

struct approve_opts {
	const char *reqid;
	const char *pool;
	const char *name;
	const char *type;
	int yes;
	int json;
	struct approve_expect expect;
};

/* Large state: static, not on the stack. */
static struct config approve_cfg;
static struct adlist approve_list;
static struct dc_client approve_client;
static unsigned char approve_arena[CLASSAD_ARENA_BYTES];

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
	};
	int rc;

	memset(o, 0, sizeof *o);
	o->expect.max_lifetime = -1;
	rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], approve_usage);
	if (rc >= 0)
		return rc;
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

/* ---- output ----------------------------------------------------------- */

struct approve_json {
	int on;
	int count; /* elements printed so far */
};

static void json_string(FILE *f, const char *s)
{
	/* Only our own texts go through here (reasons), never request bytes,
	 * but escape them properly anyway. */
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_result(struct approve_json *j, const struct classad *ad, int approved,
                        const char *reason)
{
	struct classad_sink s = {applet_sink_file, stdout};
	struct err e;

	if (!j->on)
		return;
	err_clear(&e);
	fputs(j->count++ ? ",\n{\n\"Request\": " : "{\n\"Request\": ", stdout);
	/* The JSON form escapes every control byte itself; SAFE also turns
	 * invalid UTF-8 into U+FFFD so the document stays valid JSON. */
	classad_print(ad, CLASSAD_FORM_JSON, CLASSAD_PRINT_SAFE, &s, &e);
	printf(",\n\"Approved\": %s,\n\"Reason\": ", approved ? "true" : "false");
	json_string(stdout, reason ? reason : "");
	fputs("\n}", stdout);
}

static int approve_finish(struct approve_json *j, int code)
{
	if (j->on)
		fputs(j->count ? "\n]\n" : "[\n]\n", stdout);
	fflush(stdout);
	return code;
}

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

struct approve_fields {
	char request_id[APPROVE_VALUE_MAX];
	char client_id[APPROVE_VALUE_MAX];
	char peer[APPROVE_VALUE_MAX];
	char requested[APPROVE_VALUE_MAX];
	char authenticated[APPROVE_VALUE_MAX];
	char authz[APPROVE_VALUE_MAX];
	struct approve_request r;
	int toolong;
	int unsafe;
};

static struct approve_fields approve_f;

static void approve_extract(const struct classad *ad, struct approve_fields *f)
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

/* Print "Request contents:" and the warnings; returns nonzero when the
 * request carries something the non-interactive path must refuse. */
static int approve_show(const struct classad *ad, const struct approve_fields *f, FILE *out)
{
	struct classad_sink s = {applet_sink_file, out};
	struct err e;
	int refuse = 0;

	err_clear(&e);
	fputs("Request contents:\n", out);
	/* A clean request prints byte for byte as the stock tool prints it.
	 * One with control bytes or invalid UTF-8 prints in the safe form, in
	 * which backslashes are escaped too, so "\x1b" typed by the requester
	 * cannot pass for an escaped ESC. */
	classad_print(ad, CLASSAD_FORM_OLD, f->unsafe ? CLASSAD_PRINT_SAFE : 0, &s, &e);
	fputs("\n", out);
	fflush(out);
	if (f->unsafe) {
		fprintf(stderr, "WARNING: this request contains control characters or invalid UTF-8; "
		                "they are shown escaped above (\\n, \\t, \\xHH, \\uHHHH; a literal "
		                "backslash as \\\\). Do not approve it unless you know why.\n");
		refuse = 1;
	}
	if (f->r.requested_identity && !approve_identity_plain(f->r.requested_identity)) {
		fprintf(stderr, "WARNING: the requested identity is not of the plain user@domain form.\n");
		refuse = 1;
	} else if (!f->r.requested_identity) {
		fprintf(stderr, "WARNING: the request names no RequestedIdentity.\n");
		refuse = 1;
	}
	if (f->r.requested_identity && approve_identity_is_condor(f->r.requested_identity))
		fprintf(stderr, "WARNING: this request is for the condor@ identity, which default "
		                "security policies trust as a daemon and administrator.\n");
	if (f->toolong) {
		fprintf(stderr, "WARNING: an attribute of this request is longer than %d bytes.\n",
		        APPROVE_VALUE_MAX - 1);
		refuse = 1;
	}
	return refuse;
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

int applet_approve(int argc, char **argv)
{
	struct approve_opts o;
	struct approve_json j = {0, 0};
	struct classad ad;
	struct dc_target target;
	struct err e;
	char text[2048];
	size_t i;
	int rc;
	FILE *human;

	err_clear(&e);
	/* Like the stock tools, read the configuration before the arguments:
	 * a broken config is reported even for -help. */
	if (applet_config_load(&approve_cfg) != 0)
		return 1;
	rc = approve_parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	j.on = o.json;
	human = o.json ? stderr : stdout;
	if (o.json)
		fputs("[\n", stdout);

	rc = applet_locate(&approve_cfg, o.type ? o.type : "COLLECTOR", o.name, o.pool, &target);
	if (rc != 0)
		return approve_finish(&j, rc);

	if (dc_client_init(&approve_client, &approve_cfg, &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return approve_finish(&j, 1);
	}
	adlist_init(&approve_list);
	if (dc_token_list(&approve_client, &target, o.reqid, &approve_list, &e) != 0) {
		fprintf(stderr, "Failed to locate request corresponding to ID %s: %s\n",
		        o.reqid ? o.reqid : "", err_text(&e, text, sizeof text));
		return approve_finish(&j, 1);
	}
	if (approve_list.n == 0) {
		if (o.reqid)
			fprintf(stderr, "Remote daemon did not provide information for request ID %s.\n",
			        o.reqid);
		else
			fprintf(stderr, "Remote daemon has no request to approve.\n");
		return approve_finish(&j, 1);
	}

	classad_init(&ad, approve_arena, sizeof approve_arena);
	for (i = 0; i < approve_list.n; i++) {
		const char *reqid;
		struct approve_fields *f = &approve_f;
		int refuse;

		err_clear(&e);
		if (adlist_get(&approve_list, i, &ad, &e) != 0) {
			fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
			return approve_finish(&j, 1);
		}
		approve_extract(&ad, f);
		if (!f->r.client_id && !f->toolong) {
			fprintf(stderr, "Remote host did not provide a client ID.\n");
			return approve_finish(&j, 1);
		}
		refuse = approve_show(&ad, f, human);
		if (o.yes) {
			char why[512];
			if (refuse) {
				fprintf(stderr, "Request was NOT approved: its contents are not safe to "
				                "approve without a prompt.\n");
				json_result(&j, &ad, 0, "unsafe request contents");
				return approve_finish(&j, APPROVE_EXIT_UNSAFE);
			}
			/* The daemon filtered by -reqid; make sure it did. */
			if (!f->r.request_id || strcmp(f->r.request_id, o.reqid) != 0) {
				fprintf(stderr, "Request was NOT approved: RequestId differs: expected '%s'.\n",
				        o.reqid);
				json_result(&j, &ad, 0, "RequestId differs");
				return approve_finish(&j, APPROVE_EXIT_MISMATCH);
			}
			if (approve_check(&o.expect, &f->r, why, sizeof why) != 0) {
				fprintf(stderr, "Request was NOT approved: %s.\n", why);
				json_result(&j, &ad, 0, why);
				return approve_finish(&j, APPROVE_EXIT_MISMATCH);
			}
		} else if (!approve_ask(human)) {
			fprintf(stderr, "Request was NOT approved.\n");
			json_result(&j, &ad, 0, "not confirmed");
			return approve_finish(&j, 1);
		}
		reqid = o.reqid ? o.reqid : f->r.request_id;
		if (!reqid) {
			fprintf(stderr, "Remote host did not provide a request ID.\n");
			json_result(&j, &ad, 0, "no request ID");
			return approve_finish(&j, 1);
		}
		err_clear(&e);
		if (dc_token_approve(&approve_client, &target, reqid, f->r.client_id, &e) != 0) {
			fprintf(stderr, "Failed to approve token request: %s\n",
			        err_text(&e, text, sizeof text));
			json_result(&j, &ad, 0, text);
			return approve_finish(&j, 1);
		}
		fprintf(human, "Request %s approved successfully.\n", reqid);
		fflush(human);
		json_result(&j, &ad, 1, "");
		if (o.reqid)
			break;
	}
	return approve_finish(&j, 0);
}
