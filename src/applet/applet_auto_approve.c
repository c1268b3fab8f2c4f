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
	adlist_init(applet_ads());
	if (dc_token_list(applet_client(), t, NULL, applet_ads(), &e) != 0) {
		fprintf(stderr, "Failed to list remaining token requests: %s\n",
		        err_text(&e, text, sizeof text));
		return;
	}
	if (applet_ads()->n == 0) {
		fprintf(stderr, "Remote daemon reports no un-approved requests pending.\n");
		return;
	}
	classad_init(&ad, applet_arena(), CLASSAD_ARENA_BYTES);
	printf("The following requests remain after auto-approval rule was installed:\n");
	printf("==================================================\n");
	for (i = 0; i < applet_ads()->n; i++) {
		unsigned flags = 0;

		if (adlist_get(applet_ads(), i, &ad, &e) != 0)
			break;
		if (classad_unsafe(&ad)) {
			flags = CLASSAD_PRINT_SAFE;
			unsafe++;
		}
		if (classad_print(&ad, CLASSAD_FORM_OLD, flags, &s, &e) != 0)
			break;
		printf("\n");
	}
	if (i < applet_ads()->n) {
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
	int rc;
	const struct cli_opt opts[] = {
		{.name = "lifetime", .min = 1, .kind = CLI_STOL, .dst = &lifetime,
		 .missing = "-lifetime requires an argument."},
		/* (sic: "request") */
		{.name = "netblock", .min = 2, .kind = CLI_STR, .dst = &netblock,
		 .missing = "-netblock request an argument."},
		{.name = "pool", .min = 1, .kind = CLI_STR, .dst = &pool,
		 .missing = "-pool requires a pool name argument."},
		{.name = "name", .min = 1, .kind = CLI_STR, .dst = &name,
		 .missing = "-name requires a daemon name argument."},
		{.name = "type", .min = 1, .kind = CLI_STR, .dst = &type,
		 .missing = "-type requires a daemon type argument.",
		 .valid = applet_type_valid, .invalid = APPLET_TYPE_INVALID},
		{.name = "debug", .min = 1, .kind = CLI_DEBUG},
		{.name = "help", .min = 1, .kind = CLI_HELP},
	};

	err_clear(&e);
	if (applet_config_load(applet_cfg()) != 0)
		return 1;
	rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], auto_usage);
	if (rc >= 0)
		return rc;
	if (!netblock || !*netblock) {
		fprintf(stderr, "%s: -netblock argument is required.\nExample: %s -netblock 192.168.0.0/24\n",
		        cli_progname(), cli_progname());
		return 1;
	}

	rc = applet_locate_admin(applet_cfg(), type, name, pool, &target);
	if (rc != 0)
		return rc;
	if (dc_client_init(applet_client(), applet_cfg(), &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	if (dc_token_auto_approve(applet_client(), &target, netblock, lifetime, &e) != 0) {
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
