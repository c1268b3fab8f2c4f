/*
 * applet_request.c - condor_token_request: ask a daemon for a token, wait
 * for an administrator's approval, then write the token out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applet_common.h"
#include "applets.h"
#include "cli.h"
#include "config.h"
#include "dc_token.h"
#include "debug.h"
#include "err.h"
#include "port/crypto.h"
#include "port/port.h"
#include "token_write.h"

/* Longest wait accepted for -poll-interval and -timeout: a year. */
#define REQUEST_SECONDS_MAX (86400LL * 365)
#define REQUEST_POLL_DEFAULT 5

static char request_token[DC_TOKEN_MAX];

static void request_usage(void)
{
	fprintf(stderr,
	        "Usage: %s [-type TYPE] [-name NAME] [-pool POOL] [-authz AUTHZ] [-lifetime VAL] "
	        "[-token NAME | -file NAME]\n"
	        "\n"
	        "Generates a token from a remote daemon and prints its contents to stdout.\n"
	        "\n"
	        "Token options:\n"
	        "    -authz    <authz>                Whitelist one or more authorization\n"
	        "    -lifetime <val>                  Max token lifetime, in seconds\n"
	        "    -identity <val>                  Requested identity in token\n"
	        "Specifying target options:\n"
	        "    -pool    <host>                 Query this collector\n"
	        "    -name    <name>                 Find a daemon with this name\n"
	        "    -type    <subsystem>            Type of daemon to contact (default: COLLECTOR)\n"
	        "If not specified, the pool's collector is targeted.\n"
	        "\n"
	        "Other options:\n"
	        "    -token    <NAME>                 Name of token file in tokens.d\n"
	        "    -file     <NAME>                 Token filename\n",
	        cli_progname());
	fprintf(stderr, "tokenbox options (spelled in full):\n"
	                "    -poll-interval <seconds>        Wait between status polls (default 5)\n"
	                "    -timeout <seconds>              Give up after this long (default: never)\n");
}

int applet_request(int argc, char **argv)
{
	const char *pool = NULL, *name = NULL, *type = "COLLECTOR", *identity = NULL;
	const char *token_name = NULL, *token_file = NULL;
	struct cli_list authz = {"", 0};
	char ident[1024], uid_domain[512], host[PORT_HOST_MAX], client_id[PORT_HOST_MAX + 16];
	char reqid[DC_REQID_MAX], text[2048];
	long long lifetime = -1, poll = REQUEST_POLL_DEFAULT, timeout = 0;
	struct dc_target target;
	struct err e;
	uint32_t r;
	int64_t started;
	int rc;
	/* The stock order; -poll-interval and -timeout are tokenbox's own. */
	const struct cli_opt opts[] = {
		{.name = "authz", .min = 1, .kind = CLI_LIST, .dst = &authz,
		 .missing = "-authz requires an authorization name argument"},
		{.name = "lifetime", .min = 1, .kind = CLI_STOL, .dst = &lifetime,
		 .missing = "-lifetime requires an integer in seconds."},
		{.name = "identity", .min = 1, .kind = CLI_STR, .dst = &identity,
		 .missing = "-identity requires an argument."},
		{.name = "pool", .min = 1, .kind = CLI_STR, .dst = &pool,
		 .missing = "-pool requires a pool name argument."},
		{.name = "name", .min = 1, .kind = CLI_STR, .dst = &name,
		 .missing = "-name requires a daemon name argument."},
		{.name = "token", .min = 2, .kind = CLI_STR, .dst = &token_name,
		 .missing = "-token requires a file name argument.", .clears = &token_file},
		{.name = "file", .min = 1, .kind = CLI_STR, .dst = &token_file,
		 .missing = "-file requires a file name argument.", .clears = &token_name},
		{.name = "type", .min = 1, .kind = CLI_STR, .dst = &type,
		 .missing = "-type requires a daemon type argument.",
		 .valid = applet_type_valid, .invalid = APPLET_TYPE_INVALID},
		{.name = "debug", .min = 1, .kind = CLI_DEBUG},
		{.name = "help", .min = 1, .kind = CLI_HELP},
		{.name = "poll-interval", .min = CLI_EXACT, .kind = CLI_SECONDS, .dst = &poll,
		 .missing = "-poll-interval requires a number of seconds."},
		{.name = "timeout", .min = CLI_EXACT, .kind = CLI_SECONDS, .dst = &timeout,
		 .missing = "-timeout requires a number of seconds."},
	};

	err_clear(&e);
	if (applet_config_load(applet_cfg()) != 0)
		return 1;
	rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], request_usage);
	if (rc >= 0)
		return rc;
	if (poll < 1 || poll > REQUEST_SECONDS_MAX || timeout > REQUEST_SECONDS_MAX) {
		fprintf(stderr, "%s: '%lld' is not a valid number of seconds.\n", cli_progname(),
		        poll < 1 || poll > REQUEST_SECONDS_MAX ? poll : timeout);
		return 1;
	}

	rc = applet_locate(applet_cfg(), type, name, pool, &target);
	if (rc != 0)
		return rc;
	if (port_host_name(host, sizeof host) != 0) {
		fprintf(stderr, "ERROR: Unable to determine hostname.\n");
		return 1;
	}
	if (port_random(&r, sizeof r) != 0) {
		fprintf(stderr, "ERROR: no random numbers available.\n");
		return 1;
	}
	snprintf(client_id, sizeof client_id, "%s-%u", host, (unsigned)(r % 1000));

	err_clear(&e);
	if (!identity || !strchr(identity, '@')) {
		if (config_get(applet_cfg(), "UID_DOMAIN", uid_domain, sizeof uid_domain, &e) <= 0) {
			err_push(&e, "DAEMON", 1, "No UID_DOMAIN set!");
			fprintf(stderr, "Failed to request a new token: %s\n",
			        err_text(&e, text, sizeof text));
			return 1;
		}
		snprintf(ident, sizeof ident, "%s@%s", identity ? identity : "condor", uid_domain);
	} else {
		snprintf(ident, sizeof ident, "%s", identity);
	}

	if (dc_client_init(applet_client(), applet_cfg(), &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	if (dc_token_start(applet_client(), &target, ident, authz.text, lifetime, client_id,
	                   request_token, reqid, &e) != 0) {
		fprintf(stderr, "Failed to request a new token: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	if (reqid[0]) {
		printf("Token request enqueued.  Ask an administrator to please approve request %s.\n",
		       reqid);
		fflush(stdout);
	}
	started = port_clock_ms();
	while (!request_token[0]) {
		if (timeout > 0 && port_clock_ms() - started + poll * 1000 > timeout * 1000) {
			fprintf(stderr, "Gave up waiting for approval of request %s after %lld seconds.\n",
			        reqid, timeout);
			return 1;
		}
		port_sleep_ms((int)(poll * 1000));
		err_clear(&e);
		if (dc_token_finish(applet_client(), &target, client_id, reqid, request_token, &e) != 0) {
			fprintf(stderr, "Failed to get a status update for token request: %s\n",
			        err_text(&e, text, sizeof text));
			return 1;
		}
	}
	return applet_token_out(applet_cfg(), request_token, sizeof request_token, token_name, token_file);
}
