/*
 * applet_list.c - condor_token_request_list: show the pending token
 * requests a daemon holds, in the long ClassAd form or as JSON.
 *
 * Options, messages, streams and exit codes are the stock tool's (see
 * docs/condor_token_request_list.1).  One addition: a request holding
 * control bytes or invalid UTF-8 is shown escaped, with a warning on
 * stderr, so listing requests cannot be used to drive the terminal.
 */
#include <stdio.h>
#include <string.h>

#include "adlist.h"
#include "applet_common.h"
#include "applets.h"
#include "classad.h"
#include "cli.h"
#include "config.h"
#include "dc_token.h"
#include "debug.h"
#include "err.h"

struct list_opts {
	const char *pool;
	const char *name;
	const char *type;
	const char *reqid;
	int json;
};

/* Large state: static, not on the stack. */

static void list_usage(void)
{
	fprintf(stderr,
	        "Usage: %s [-type TYPE] [-name NAME] [-pool POOL] [-reqid ID] [-json]\n"
	        "\n"
	        "Generates a token from a remote daemon and prints its contents to stdout.\n"
	        "\n"
	        "Token options:\n"
	        "    -reqid <val>                    Token request identity\n"
	        "\n"
	        "Output options:\n"
	        "    -json                           Print out tokens as JSON, line-delimited (RFC 7464)\n"
	        "Specifying target options:\n"
	        "    -pool    <host>                 Query this collector\n"
	        "    -name    <name>                 Find a daemon with this name\n"
	        "    -type    <subsystem>            Type of daemon to contact (default: COLLECTOR)\n"
	        "If not specified, the pool's collector is targeted.\n",
	        cli_progname());
}

/* Returns -1 to continue, or the exit code. */
static int list_parse(int argc, char **argv, struct list_opts *o)
{
	/* The stock order; the stock tool compares -json as a literal string
	 * (no prefix, no "--"). */
	const struct cli_opt opts[] = {
		{.name = "pool", .min = 1, .kind = CLI_STR, .dst = &o->pool,
		 .missing = "-pool requires a pool name argument."},
		{.name = "name", .min = 1, .kind = CLI_STR, .dst = &o->name,
		 .missing = "-name requires a daemon name argument."},
		{.name = "type", .min = 1, .kind = CLI_STR, .dst = &o->type,
		 .missing = "-type requires a daemon type argument.",
		 .valid = applet_type_valid, .invalid = APPLET_TYPE_INVALID},
		{.name = "reqid", .min = 1, .kind = CLI_STR, .dst = &o->reqid,
		 .missing = "-reqid requires a request ID argument."},
		{.name = "debug", .min = 1, .kind = CLI_DEBUG},
		{.name = "json", .min = CLI_LITERAL, .kind = CLI_FLAG, .dst = &o->json},
		{.name = "help", .min = 1, .kind = CLI_HELP},
	};
	int rc;

	memset(o, 0, sizeof *o);
	o->type = "COLLECTOR";
	rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], list_usage);
	if (rc >= 0)
		return rc;
	/* An empty -reqid lists everything, as in the stock tool. */
	if (o->reqid && !*o->reqid)
		o->reqid = NULL;
	return -1;
}

/* stdout through a sink that remembers whether anything was written. */
struct list_out {
	FILE *f;
	size_t n;
};

static int sink_counting(void *ctx, const char *p, size_t n)
{
	struct list_out *o = ctx;

	o->n += n;
	return fwrite(p, 1, n, o->f) == n ? 0 : -1;
}

/* Print the listed ads as the stock tool's list writer does: long form
 * is each ad's lines plus an empty line; JSON is "[\n" ad "\n" (",\n" ad
 * "\n")* "]\n".  Ads without attributes print nothing.  Returns the
 * number of ads shown escaped, or -1. */
static int list_print(const struct adlist *l, int json, struct err *e)
{
	struct classad ad;
	struct list_out out = {stdout, 0};
	struct classad_sink s = {sink_counting, &out};
	size_t i, shown = 0;
	int unsafe = 0;

	classad_init(&ad, applet_arena(), CLASSAD_ARENA_BYTES);
	for (i = 0; i < l->n; i++) {
		unsigned flags = 0;
		size_t before;

		if (adlist_get(l, i, &ad, e) != 0)
			return -1;
		if (classad_count(&ad) == 0)
			continue;
		if (classad_unsafe(&ad)) {
			flags = CLASSAD_PRINT_SAFE;
			unsafe++;
		}
		if (json)
			fputs(shown ? ",\n" : "[\n", stdout);
		before = out.n;
		if (classad_print(&ad, json ? CLASSAD_FORM_JSON : CLASSAD_FORM_LONG, flags, &s, e) != 0)
			return -1;
		/* An ad of private attributes only prints nothing in long form. */
		if (json || out.n > before)
			fputs("\n", stdout);
		shown++;
	}
	if (json && shown)
		fputs("]\n", stdout);
	return unsafe;
}

int applet_list(int argc, char **argv)
{
	struct list_opts o;
	struct dc_target target;
	struct err e;
	char text[2048];
	int rc;

	err_clear(&e);
	if (applet_config_load(applet_cfg()) != 0)
		return 1;
	rc = list_parse(argc, argv, &o);
	if (rc >= 0)
		return rc;

	rc = applet_locate(applet_cfg(), o.type, o.name, o.pool, &target);
	if (rc != 0)
		return rc;
	if (dc_client_init(applet_client(), applet_cfg(), &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	adlist_init(applet_ads());
	if (dc_token_list(applet_client(), &target, o.reqid, applet_ads(), &e) != 0) {
		if (o.reqid)
			fprintf(stderr, "Failed to locate request corresponding to ID %s: %s\n", o.reqid,
			        err_text(&e, text, sizeof text));
		else
			fprintf(stderr, "Failed to list token requests: %s\n",
			        err_text(&e, text, sizeof text));
		return 1;
	}
	if (o.reqid && applet_ads()->n != 1) {
		fprintf(stderr, "Remote daemon did not provide information for request ID %s.\n",
		        o.reqid);
		return 1;
	}
	if (applet_ads()->n == 0) {
		fprintf(stderr, "Remote daemon reports no requests pending.\n");
		return 0;
	}
	err_clear(&e);
	rc = list_print(applet_ads(), o.json, &e);
	fflush(stdout);
	if (rc < 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	if (rc > 0)
		fprintf(stderr, "WARNING: %d request(s) above contain control characters or invalid "
		                "UTF-8; they are shown escaped (%s). Do not approve such a request "
		                "unless you know why.\n",
		        rc, o.json ? "as JSON escapes; invalid UTF-8 as \\ufffd"
		                   : "\\n, \\t, \\xHH, \\uHHHH; a literal backslash as \\\\");
	return 0;
}
