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
#define FETCH_AUTHZ_MAX 2048

static struct config fetch_cfg;
static struct dc_client fetch_client;
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
	char authz[FETCH_AUTHZ_MAX] = "";
	char text[2048];
	long long lifetime = -1;
	int remote = 0;
	struct dc_target target;
	struct err e;
	int i, rc;

	err_clear(&e);
	if (applet_config_load(&fetch_cfg) != 0)
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *colon;

		if (cli_is_dash_prefix(a, "authz", 1)) {
			if (cli_need_value(i, argc, "-authz requires an authorization name argument"))
				return 1;
			if (cli_list_append(authz, sizeof authz, argv[++i]) != 0) {
				fprintf(stderr, "%s: -authz: the authorizations exceed %d bytes.\n",
				        cli_progname(), FETCH_AUTHZ_MAX - 1);
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
		} else if (cli_is_dash_prefix(a, "pool", 1)) {
			if (cli_need_value(i, argc, "-pool requires a pool name argument."))
				return 1;
			pool = argv[++i];
		} else if (cli_is_dash_prefix(a, "name", 1)) {
			if (cli_need_value(i, argc, "-name requires a daemon name argument."))
				return 1;
			name = argv[++i];
		} else if (cli_is_dash_prefix(a, "key", 1)) {
			if (cli_need_value(i, argc, "-key requires a key name argument."))
				return 1;
			key = argv[++i];
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
				fetch_usage();
				return 1;
			}
		} else if (cli_is_dash_prefix(a, "remote", 1)) {
			remote = 1;
		} else if (cli_is_dash_colon_prefix(a, "debug", 1, &colon)) {
			dbg_enable(colon && colon[1] ? colon + 1 : NULL);
		} else if (cli_is_dash_prefix(a, "help", 1)) {
			fetch_usage();
			return 1;
		} else {
			fprintf(stderr, "%s: Invalid command line argument: %s\n", cli_progname(), a);
			fetch_usage();
			return 1;
		}
	}
	/* As in the stock tool, an empty -token/-file name means stdout. */
	if (token_name && !*token_name)
		token_name = NULL;
	if (token_file && !*token_file)
		token_file = NULL;
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

	rc = applet_locate(&fetch_cfg, type, name, pool, &target);
	if (rc != 0)
		return rc;
	if (dc_client_init(&fetch_client, &fetch_cfg, &e) != 0) {
		fprintf(stderr, "ERROR: %s\n", err_text(&e, text, sizeof text));
		return 1;
	}
	if (dc_token_session_token(&fetch_client, &target, authz, fetch_as_int(lifetime), key,
	                           fetch_token, &e) != 0) {
		fprintf(stderr, "Failed to request a session token: %s\n",
		        err_text(&e, text, sizeof text));
		return 1;
	}
	err_clear(&e);
	rc = token_write_out(&fetch_cfg, fetch_token, token_name, token_file, &e);
	crypto_wipe(fetch_token, sizeof fetch_token);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err_message(&e));
		return 1;
	}
	return 0;
}
