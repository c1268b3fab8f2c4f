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

#define REQUEST_AUTHZ_MAX 2048
#define REQUEST_POLL_DEFAULT 5

static struct config request_cfg;
static struct dc_client request_client;
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
	char authz[REQUEST_AUTHZ_MAX] = "";
	char ident[1024], uid_domain[512], host[PORT_HOST_MAX], client_id[PORT_HOST_MAX + 16];
	char reqid[DC_REQID_MAX], text[2048];
	long long lifetime = -1, poll = REQUEST_POLL_DEFAULT, timeout = 0, v;
	struct dc_target target;
	struct err e;
	uint32_t r;
	int64_t started;
	int i, rc;

	err_clear(&e);
	if (applet_config_load(&request_cfg) != 0)
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *colon;

		if (cli_is_dash_prefix(a, "authz", 1)) {
			if (cli_need_value(i, argc, "-authz requires an authorization name argument"))
				return 1;
			if (cli_list_append(authz, sizeof authz, argv[++i]) != 0) {
				fprintf(stderr, "%s: -authz: too many authorizations.\n", cli_progname());
				return 1;
			}
		} else if (cli_is_dash_prefix(a, "lifetime", 1)) {
			if (cli_need_value(i, argc, "-lifetime requires an integer in seconds."))
				return 1;
			if (cli_parse_stol(argv[++i], &lifetime) != 0) {
				fprintf(stderr, "%s: Invalid argument for -lifetime: %s.\n", cli_progname(),
				        argv[i]);
				return 1;
			}
		} else if (cli_is_dash_prefix(a, "identity", 1)) {
			if (cli_need_value(i, argc, "-identity requires an argument."))
				return 1;
			identity = argv[++i];
		} else if (cli_is_dash_prefix(a, "pool", 1)) {
			if (cli_need_value(i, argc, "-pool requires a pool name argument."))
				return 1;
			pool = argv[++i];
		} else if (cli_is_dash_prefix(a, "name", 1)) {
			if (cli_need_value(i, argc, "-name requires a daemon name argument."))
				return 1;
			name = argv[++i];
		} else if (cli_is_dash_prefix(a, "token", 2)) {
			if (cli_need_value(i, argc, "-token requires a file name argument."))
				return 1;
			token_name = argv[++i];
			token_file = NULL;
		} else if (cli_is_dash_prefix(a, "file", 1)) {
			if (cli_need_value(i, argc, "-file requires a file name argument."))
				return 1;
			token_file = argv[++i];
			token_name = NULL;
		} else if (cli_is_dash_prefix(a, "type", 1)) {
			if (cli_need_value(i, argc, "-type requires a daemon type argument."))
				return 1;
			type = argv[++i];
			if (dc_type_from_name(type) < 0) {
				fprintf(stderr, "ERROR: unrecognized daemon type: %s\n", type);
				request_usage();
				return 1;
			}
		} else if (cli_is_dash_colon_prefix(a, "debug", 1, &colon)) {
			dbg_enable(colon ? colon + 1 : NULL);
		} else if (cli_is_dash_prefix(a, "help", 1)) {
			request_usage();
			return 1;
		} else if (cli_is_dash_prefix(a, "poll-interval", 13) ||
		           cli_is_dash_prefix(a, "timeout", 7)) {
			int is_poll = a[1] == 'p' || a[2] == 'p';
			char *end;
			if (cli_need_value(i, argc, is_poll ? "-poll-interval requires a number of seconds."
			                             : "-timeout requires a number of seconds."))
				return 1;
			v = strtoll(argv[++i], &end, 10);
			if (!*argv[i] || *end || v < (is_poll ? 1 : 0) || v > 86400 * 365) {
				fprintf(stderr, "%s: '%s' is not a valid number of seconds.\n", cli_progname(),
				        argv[i]);
				return 1;
			}
			*(is_poll ? &poll : &timeout) = v;
		} else {
			fprintf(stderr, "%s: Invalid command line argument: %s\n", cli_progname(), a);
			request_usage();
			return 1;
		}
	}

	rc = applet_locate(&request_cfg, type, name, pool, &target);
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
		if (config_get(&request_cfg, "UID_DOMAIN", uid_domain, sizeof uid_domain, &e) <= 0) {
			err_push(&e, "DAEMON", 1, "No UID_DOMAIN set!");
			fprintf(stderr, "Failed to request a new token: %s\n",
			        err_text(&e, text, sizeof text));
			return 1;
		}
		snprintf(ident, sizeof ident, "%s@%s", identity ? identity : "condor", uid_domain);
	} else {
		snprintf(ident, sizeof ident, "%s", identity);
	}

	if (dc_client_init(&request_client, &request_cfg, &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	if (dc_token_start(&request_client, &target, ident, authz, lifetime, client_id,
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
		if (dc_token_finish(&request_client, &target, client_id, reqid, request_token, &e) != 0) {
			fprintf(stderr, "Failed to get a status update for token request: %s\n",
			        err_text(&e, text, sizeof text));
			return 1;
		}
	}
	err_clear(&e);
	rc = token_write_out(&request_cfg, request_token, token_name, token_file, &e);
	crypto_wipe(request_token, sizeof request_token);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err_message(&e));
		return 1;
	}
	return 0;
}
