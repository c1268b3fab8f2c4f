/*
 * applet_fetch.c - condor_token_fetch: ask a daemon (the schedd by
 * default) for a token carrying the identity we authenticate as, and
 * write it out.
 *
 * Options, messages and exit codes are the stock tool's (see
 * docs/condor_token_fetch.1).  -remote (the collector fetching a token
 * from a schedd, IMPERSONATION_TOKEN_REQUEST) is recognised but not
 * implemented: it is refused with a message saying so.
 */
#include <errno.h>
#include <stdint.h>
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
#include "token_write.h"

/* Longest joined -authz list ("A,B,..."). */

static char fetch_token[DC_TOKEN_MAX];

static void fetch_usage(void)
{
	fprintf(stderr,
	        "Usage: %s [-type TYPE] [-name NAME] [-remote] [-pool POOL] [-authz AUTHZ] "
	        "[-lifetime VAL] [-token NAME | -file NAME]\n"
	        "\n"
	        "Generates a token from a remote daemon and prints its contents to stdout.\n"
	        "\n"
	        "Token options:\n"
	        "    -authz    <authz>                Whitelist one or more authorization\n"
	        "    -lifetime <val>                  Max token lifetime, in seconds\n"
	        "    -key      <key>                  Request an alternate signing key\n"
	        "Specifying target options:\n"
	        "    -pool    <host>                  Query this collector\n"
	        "    -remote                          Have collector fetch token remotely\n"
	        "    -name    <name>                  Find a daemon with this name\n"
	        "    -type    <subsystem>             Type of daemon to contact (default: SCHEDD)\n"
	        "\n"
	        "Other options:\n"
	        "    -token    <NAME>                 Name of token file in tokens.d\n"
	        "    -file     <NAME>                 Token filename\n",
	        cli_progname());
}

/* The stock tool hands its long lifetime to an int parameter: values
 * beyond 32 bits wrap (modulo 2^32, as gcc and clang convert).  Written
 * out so that the conversion is defined C. */
static int fetch_as_int(long long v)
{
	uint32_t u = (uint32_t)(unsigned long long)v;

	return u >= 0x80000000u ? (int)((long long)u - 0x100000000LL) : (int)u;
}

int applet_fetch(int argc, char **argv)
{
	const char *pool = NULL, *name = NULL, *type = "SCHEDD", *key = NULL;
	const char *token_name = NULL, *token_file = NULL;
	struct cli_list authz = {"", 0};
	char text[2048];
	long long lifetime = -1;
	int remote = 0;
	struct dc_target target;
	struct err e;
	int rc;
	const struct cli_opt opts[] = {
		{.name = "authz", .min = 1, .kind = CLI_LIST, .dst = &authz,
		 .missing = "-authz requires an authorization name argument"},
		{.name = "lifetime", .min = 1, .kind = CLI_STOL, .dst = &lifetime,
		 .missing = "-lifetime requires an integer in seconds."},
		{.name = "pool", .min = 1, .kind = CLI_STR, .dst = &pool,
		 .missing = "-pool requires a pool name argument."},
		{.name = "name", .min = 1, .kind = CLI_STR, .dst = &name,
		 .missing = "-name requires a daemon name argument."},
		{.name = "key", .min = 1, .kind = CLI_STR, .dst = &key,
		 .missing = "-key requires a key name argument."},
		{.name = "token", .min = 2, .kind = CLI_STR, .dst = &token_name,
		 .missing = "-token requires a file name argument.", .clears = &token_file},
		{.name = "file", .min = 1, .kind = CLI_STR, .dst = &token_file,
		 .missing = "-file requires a file name argument.", .clears = &token_name},
		{.name = "type", .min = 1, .kind = CLI_STR, .dst = &type,
		 .missing = "-type requires a daemon type argument.",
		 .valid = applet_type_valid, .invalid = APPLET_TYPE_INVALID},
		{.name = "remote", .min = 1, .kind = CLI_FLAG, .dst = &remote},
		{.name = "debug", .min = 1, .kind = CLI_DEBUG},
		{.name = "help", .min = 1, .kind = CLI_HELP},
	};

	err_clear(&e);
	if (applet_config_load(applet_cfg()) != 0)
		return 1;
	rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], fetch_usage);
	if (rc >= 0)
		return rc;
	applet_token_empty_is_stdout(&token_name, &token_file);
	if (remote && dc_type_from_name(type) != dc_type_from_name("SCHEDD")) {
		fprintf(stderr, "%s: Remote fetch (-remote) is only valid with the schedd.\n",
		        cli_progname());
		return 1;
	}
	if (remote) {
		fprintf(stderr, "%s: Remote fetch (-remote) is not supported by tokenbox: it needs the "
		                "collector's IMPERSONATION_TOKEN_REQUEST command.  Run %s without "
		                "-remote on a host that can reach the schedd.\n",
		        cli_progname(), cli_progname());
		return 1;
	}

	rc = applet_locate(applet_cfg(), type, name, pool, &target);
	if (rc != 0)
		return rc;
	if (dc_client_init(applet_client(), applet_cfg(), &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	if (dc_token_session_token(applet_client(), &target, authz.text, fetch_as_int(lifetime), key,
	                           fetch_token, &e) != 0) {
		fprintf(stderr, "Failed to request a session token: %s\n",
		        err_text(&e, text, sizeof text));
		return 1;
	}
	return applet_token_out(applet_cfg(), fetch_token, sizeof fetch_token, token_name, token_file);
}
