/*
 * applet_auto_approve.c - condor_token_request_auto_approve: install a
 * rule at a daemon that approves token requests coming from a netblock
 * for a while, then show the requests still pending.
 *
 * Options, messages, streams and exit codes are the stock tool's (see
 * docs/condor_token_request_auto_approve.1).  As in the approve and list
 * tools, a remaining request holding control bytes or invalid UTF-8 is
 * shown escaped, with a warning on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

#define AUTO_LIFETIME_DEFAULT 3600

static struct config auto_cfg;
static struct adlist auto_ads;
static struct dc_client auto_client;
static unsigned char auto_arena[CLASSAD_ARENA_BYTES];

static void auto_usage(void)
{
	fprintf(stderr,
	        "Usage: %s [-type TYPE] [-name NAME] [-pool POOL] [-lifetime LIFETIME] "
	        "[-netblock NETBLOCK]\n"
	        "\n"
	        "Generates a new rule at specified daemon to automatically approve requests.\n"
	        "\n"
	        "Options:\n"
	        "    -netblock <netblock>            Approve requests coming from this network\n"
	        "                                    Example: 192.168.0.0/24\n"
	        "    -lifetime <val>                 Auto-approval lifetime in seconds\n"
	        "Specifying target options:\n"
	        "    -pool    <host>                 Query this collector\n"
	        "    -name    <name>                 Find a daemon with this name\n"
	        "    -type    <subsystem>            Type of daemon to contact (default: COLLECTOR)\n"
	        "If not specified, the pool's collector is targeted.\n",
	        cli_progname());
}

/* The stock tool's listing after the rule is in place.  Its failures do
 * not change the exit code. */
static void auto_remaining(const struct dc_target *t)
{
	struct classad ad;
	struct classad_sink s = {applet_sink_file, stdout};
	struct err e;
	char text[2048];
	size_t i;
	int unsafe = 0;

	err_clear(&e);
	adlist_init(&auto_ads);
	if (dc_token_list(&auto_client, t, NULL, &auto_ads, &e) != 0) {
		fprintf(stderr, "Failed to list remaining token requests: %s\n",
		        err_text(&e, text, sizeof text));
		return;
	}
	if (auto_ads.n == 0) {
		fprintf(stderr, "Remote daemon reports no un-approved requests pending.\n");
		return;
	}
	classad_init(&ad, auto_arena, sizeof auto_arena);
	printf("The following requests remain after auto-approval rule was installed:\n");
	printf("==================================================\n");
	for (i = 0; i < auto_ads.n; i++) {
		unsigned flags = 0;

		if (adlist_get(&auto_ads, i, &ad, &e) != 0)
			break;
		if (classad_unsafe(&ad)) {
			flags = CLASSAD_PRINT_SAFE;
			unsafe++;
		}
		if (classad_print(&ad, CLASSAD_FORM_OLD, flags, &s, &e) != 0)
			break;
		printf("\n");
	}
	if (i < auto_ads.n) {
		fflush(stdout);
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return;
	}
	printf("==================================================\n");
	printf("To approve these requests, please run condor_token_request_approve manually.\n");
	fflush(stdout);
	if (unsafe)
		fprintf(stderr, "WARNING: %d request(s) above contain control characters or invalid "
		                "UTF-8; they are shown escaped (\\n, \\t, \\xHH, \\uHHHH; a literal "
		                "backslash as \\\\). Do not approve such a request unless you know "
		                "why.\n",
		        unsafe);
}

int applet_auto_approve(int argc, char **argv)
{
	const char *pool = NULL, *name = NULL, *type = "COLLECTOR", *netblock = NULL;
	long long lifetime = AUTO_LIFETIME_DEFAULT;
	struct dc_target target;
	struct err e;
	char text[2048];
	int i, rc;

	err_clear(&e);
	if (applet_config_load(&auto_cfg) != 0)
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *colon;

		if (cli_is_dash_prefix(a, "lifetime", 1)) {
			if (cli_need_value(i, argc, "-lifetime requires an argument."))
				return 1;
			if (cli_parse_stol(argv[++i], &lifetime) != 0) {
				fprintf(stderr, "%s: Invalid argument for -lifetime: %s.\n", cli_progname(),
				        argv[i]);
				return 1;
			}
		} else if (cli_is_dash_prefix(a, "netblock", 2)) {
			/* (sic: "request") */
			if (cli_need_value(i, argc, "-netblock request an argument."))
				return 1;
			netblock = argv[++i];
		} else if (cli_is_dash_prefix(a, "pool", 1)) {
			if (cli_need_value(i, argc, "-pool requires a pool name argument."))
				return 1;
			pool = argv[++i];
		} else if (cli_is_dash_prefix(a, "name", 1)) {
			if (cli_need_value(i, argc, "-name requires a daemon name argument."))
				return 1;
			name = argv[++i];
		} else if (cli_is_dash_prefix(a, "type", 1)) {
			if (cli_need_value(i, argc, "-type requires a daemon type argument."))
				return 1;
			type = argv[++i];
			if (dc_type_from_name(type) < 0) {
				fprintf(stderr, "ERROR: unrecognized daemon type: %s\n", type);
				auto_usage();
				return 1;
			}
		} else if (cli_is_dash_colon_prefix(a, "debug", 1, &colon)) {
			dbg_enable(colon && colon[1] ? colon + 1 : NULL);
		} else if (cli_is_dash_prefix(a, "help", 1)) {
			auto_usage();
			return 1;
		} else {
			fprintf(stderr, "%s: Invalid command line argument: %s\n", cli_progname(), a);
			auto_usage();
			return 1;
		}
	}
	if (!netblock || !*netblock) {
		fprintf(stderr, "%s: -netblock argument is required.\nExample: %s -netblock 192.168.0.0/24\n",
		        cli_progname(), cli_progname());
		return 1;
	}

	rc = applet_locate_admin(&auto_cfg, type, name, pool, &target);
	if (rc != 0)
		return rc;
	if (dc_client_init(&auto_client, &auto_cfg, &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	if (dc_token_auto_approve(&auto_client, &target, netblock, lifetime, &e) != 0) {
		fprintf(stderr, "Failed to create new auto-approval rule: %s\n",
		        err_text(&e, text, sizeof text));
		return 1;
	}
	/* The stock tool divides as float: keep its rounding. */
	printf("Successfully installed auto-approval rule for netblock %s with lifetime of %.2f "
	       "hours\n",
	       netblock, (double)((float)lifetime / 3600.0f));
	fflush(stdout);
	auto_remaining(&target);
	return 0;
}
