/*
 * applet_create.c - condor_token_create: sign an IDTOKEN with a signing key
 * held on this host (the pool key, or another in SEC_PASSWORD_DIRECTORY),
 * as root on a central manager can, and print it or write it out.
 *
 * Options, messages and exit codes are the stock tool's (HTCondor 25.x;
 * docs/condor_token_create.1).  The token has the stock claims in the
 * stock order (token_mint_sign): exp (with -lifetime), iat, iss
 * (TRUST_DOMAIN), jti, scope (one "condor:/<authz>" per -authz, each value
 * as given), sub (the -identity as given).  The key file gets the checks
 * authentication gives it: a regular file owned by the real uid with no
 * group or other access.
 */
#include <stdio.h>
#include <string.h>

#include "applet_common.h"
#include "applets.h"
#include "cli.h"
#include "config.h"
#include "debug.h"
#include "err.h"
#include "port/crypto.h"
#include "port/port.h"
#include "sec_config.h"
#include "token_mint.h"
#include "token_write.h"

/* Between -authz values: no value a shell passes holds it. */
#define CREATE_AUTHZ_SEP '\x1f'

static struct sec_policy create_policy;
static char create_token[8192];

static void create_usage(void)
{
	fprintf(stderr,
	        "Usage: %s -identity USER@DOMAIN [-key KEYID] [-authz AUTHZ] [-lifetime VAL] "
	        "[-token NAME | -file NAME]\n"
	        "Generates a token from the local password.\n"
	        "\n"
	        "Token options:\n"
	        "    -authz    <authz>                Whitelist one or more authorization\n"
	        "    -lifetime <val>                  Max token lifetime, in seconds\n"
	        "    -identity <USER@DOMAIN>          User identity\n"
	        "    -key      <KEYID>                Key to use for signing\n"
	        "\n"
	        "Other options:\n"
	        "    -token    <NAME>                 Name of token file in tokens.d\n"
	        "    -file     <NAME>                 Token filename\n",
	        cli_progname());
}

/* Sign: the stock generate_token's checks, in its order, with its texts. */
static int create_sign(const char *identity, const char *key, const struct cli_list *authz,
                       long long lifetime, struct err *e)
{
	struct token_mint_keys kc;
	struct token_mint_key k;
	struct token_mint_claims c;
	char path[TOKENS_PATH_MAX], why[TOKENS_PATH_MAX + 160], issuer[SEC_STR_MAX];
	int rc;

	sec_policy_mint_keys(&create_policy, &kc);
	if (token_mint_key_path(&kc, key, path, sizeof path, why, sizeof why) != 0) {
		dbg(D_SECURITY, "TOKEN: %s", why);
		if (strcmp(key, "POOL") == 0)
			err_push(e, "TOKEN", 1, "No master pool token key setup in SEC_TOKEN_POOL_SIGNING_KEY_FILE");
		else if (!kc.password_dir || !*kc.password_dir)
			err_push(e, "TOKEN", 1, "SEC_PASSWORD_DIRECTORY is undefined");
		else
			err_push(e, "TOKEN", 1, "Failed to read file %s/%s securely.", kc.password_dir, key);
		return -1;
	}
	if (token_mint_key_load(&kc, key, &k, why, sizeof why) != 1) {
		dbg(D_SECURITY, "TOKEN: %s", why);
		err_push(e, "TOKEN", 1, "Failed to read file %s securely.", path);
		return -1;
	}
	if (config_get(applet_cfg(), "TRUST_DOMAIN", issuer, sizeof issuer, e) <= 0) {
		crypto_wipe(&k, sizeof k);
		err_push(e, "PASSWD", 1, "Issuer namespace is not set");
		return -1;
	}
	if (strpbrk(issuer, ", \t")) {
		crypto_wipe(&k, sizeof k);
		err_push(e, "PASSWD", 1, "Issuer namespace may not contain spaces or commas");
		return -1;
	}
	memset(&c, 0, sizeof c);
	c.sub = identity;
	c.iss = issuer;
	c.iat = port_time_now();
	c.lifetime = lifetime;
	c.authz = authz->text[0] ? authz->text : NULL;
	c.authz_sep = CREATE_AUTHZ_SEP;
	dbg(D_SECURITY, "TOKEN: signing a token for '%s' with key %s (%s)", identity, k.name, path);
	rc = token_mint_sign(&k, &c, create_token, sizeof create_token, e);
	crypto_wipe(&k, sizeof k);
	return rc;
}

int applet_create(int argc, char **argv)
{
	const char *identity = "", *key = "POOL", *token_name = NULL, *token_file = NULL;
	struct cli_list authz = {"", CREATE_AUTHZ_SEP};
	long long lifetime = -1;
	struct err e;
	int rc;
	const struct cli_opt opts[] = {
		{.name = "identity", .min = 2, .kind = CLI_STR, .dst = &identity,
		 .missing = "-identity requires a condor identity as an argument"},
		{.name = "key", .min = 1, .kind = CLI_STR, .dst = &key,
		 .missing = "-key requires a key ID as an argument"},
		{.name = "authz", .min = 1, .kind = CLI_LIST, .dst = &authz,
		 .missing = "-authz requires an authorization name argument"},
		{.name = "lifetime", .min = 1, .kind = CLI_STOL, .dst = &lifetime,
		 .missing = "-lifetime requires an integer in seconds."},
		{.name = "token", .min = 2, .kind = CLI_STR, .dst = &token_name,
		 .missing = "-token requires a file name argument.", .clears = &token_file},
		{.name = "file", .min = 1, .kind = CLI_STR, .dst = &token_file,
		 .missing = "-file requires a file name argument.", .clears = &token_name},
		{.name = "debug", .min = 1, .kind = CLI_DEBUG},
		{.name = "help", .min = 1, .kind = CLI_HELP},
	};

	/* The stock tool wants at least an option and its value. */
	if (argc < 3) {
		create_usage();
		return 1;
	}
	if (applet_config_load(applet_cfg()) != 0)
		return 1;
	rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], create_usage);
	if (rc >= 0)
		return rc;
	applet_token_empty_is_stdout(&token_name, &token_file);

	err_clear(&e);
	if (sec_policy_from_config(applet_cfg(), &create_policy, &e) != 0 ||
	    create_sign(identity, key, &authz, lifetime, &e) != 0) {
		int i;
		fprintf(stderr, "Failed to generate a token.\n");
		/* CondorError::getFullText(true): one entry a line, newest first */
		for (i = e.n - 1; i >= 0; i--)
			fprintf(stderr, "%s:%d:%s%s", e.entry[i].subsys, e.entry[i].code, e.entry[i].msg,
			        i ? "\n" : "");
		fprintf(stderr, "\n");
		return 2;
	}
	return applet_token_out(applet_cfg(), create_token, sizeof create_token, token_name, token_file);
}
