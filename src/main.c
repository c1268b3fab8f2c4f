/*
 * main.c - the multi-call entry point (dropbear/busybox style).
 */
#include <stdio.h>
#include <string.h>

#include "applets.h"
#include "cli.h"
#include "debug.h"
#include "port/crypto.h"
#include "port/port.h"
#include "secman.h"

#ifndef TOKENBOX_LIBC
#define TOKENBOX_LIBC "an unknown libc"
#endif
#ifndef TOKENBOX_ARCH
#define TOKENBOX_ARCH "unknown"
#endif

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;
};

/* The applets built in (TOKENBOX_APPLETS at build time).  An applet left
 * out is not referenced, so none of its code is linked. */
static const struct applet applets[] = {
#ifdef TOKENBOX_APPLET_condor_token_request_approve
	{"condor_token_request_approve", applet_approve, "approve a pending token request"},
#endif
#ifdef TOKENBOX_APPLET_condor_token_request
	{"condor_token_request", applet_request, "request a token and wait for its approval"},
#endif
#ifdef TOKENBOX_APPLET_condor_token_request_list
	{"condor_token_request_list", applet_list, "list pending token requests"},
#endif
#ifdef TOKENBOX_APPLET_condor_token_fetch
	{"condor_token_fetch", applet_fetch, "fetch a token for the identity you authenticate as"},
#endif
#ifdef TOKENBOX_APPLET_condor_token_request_auto_approve
	{"condor_token_request_auto_approve", applet_auto_approve,
	 "install a rule approving requests from a netblock"},
#endif
#ifdef TOKENBOX_APPLET_condor_token_create
	{"condor_token_create", applet_create, "sign a token with a signing key held here"},
#endif
#ifdef TOKENBOX_APPLET_condor_token_list
	{"condor_token_list", applet_token_list, "list the tokens this user's tools would find"},
#endif
#ifdef TOKENBOX_APPLET_condor_ping
	{"condor_ping", applet_ping, "ask a daemon whether it would authorize a command"},
#endif
#ifdef TOKENBOX_APPLET_config
	{"config", applet_config, "print configuration values (like condor_config_val)"},
#endif
};

/* Every applet tokenbox has, built in or not: a name left out of this
 * build is answered as such, not as an unknown word. */
static const char *const all_applets[] = {
	"condor_token_request_approve", "condor_token_request", "condor_token_request_list",
	"condor_token_fetch", "condor_token_request_auto_approve", "condor_token_create",
	"condor_token_list", "condor_ping", "config",
};

#define NAPPLETS (sizeof applets / sizeof applets[0])

static const struct applet *applet_find(const char *name)
{
	size_t i;

	for (i = 0; i < NAPPLETS; i++)
		if (strcmp(applets[i].name, name) == 0)
			return &applets[i];
	return NULL;
}

/* An applet of tokenbox's that this build left out: say so, exit 1. */
static int applet_left_out(const char *name)
{
	for (size_t i = 0; i < sizeof all_applets / sizeof all_applets[0]; i++)
		if (strcmp(all_applets[i], name) == 0) {
			fprintf(stderr,
			        "tokenbox: %s was left out of this build (TOKENBOX_APPLETS); "
			        "'tokenbox --version' lists what it holds\n",
			        name);
			return 1;
		}
	return 0;
}

static int list_applets(FILE *out)
{
	size_t i;

	fprintf(out, "tokenbox %s - HTCondor token tools in one static binary\n\n", TOKENBOX_VERSION);
	fprintf(out, "Usage: tokenbox APPLET [ARGS...]   or   ln -s tokenbox APPLET; APPLET [ARGS...]\n\n");
	fprintf(out, "Applets:\n");
	for (i = 0; i < NAPPLETS; i++)
		fprintf(out, "    %-32s %s\n", applets[i].name, applets[i].summary);
	return 0;
}

/* What this binary is, so a copy found on a node explains itself: the
 * version on the first line (scripts read that), then what went in. */
static int print_version(void)
{
	static const int methods[] = {SEC_AUTH_FS, SEC_AUTH_TOKEN, SEC_AUTH_SSL, SEC_AUTH_CLAIMTOBE};
	size_t i;

	printf("tokenbox %s\n", TOKENBOX_VERSION);
	printf("applets:");
	for (i = 0; i < NAPPLETS; i++)
		printf(" %s", applets[i].name);
	printf("\nauthentication methods:");
	for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (sec_auth_supported(methods[i]))
			printf(" %s", sec_auth_name(methods[i]));
#ifdef TOKENBOX_LEGACY
	printf("\nsession keys: ECDH P-256 + AES-256-GCM (daemons 9.9 and later), "
	       "3DES (9.0-9.8)\n");
#else
	printf("\nsession keys: ECDH P-256 + AES-256-GCM (daemons 9.9 and later); "
	       "the 9.0-9.8 key path was left out\n");
#endif
	printf("built for: %s, with %s and %s\n", TOKENBOX_ARCH, crypto_library(), TOKENBOX_LIBC);
	return 0;
}

/* Run an applet; the -debug trace (D_FULLDEBUG) ends with what the run
 * cost in memory, as the kernel counts it (bench/ reads it). */
static int applet_run(const struct applet *a, int argc, char **argv)
{
	int rc = a->main(argc, argv);

	if (dbg_on(D_FULLDEBUG))
		dbg(D_FULLDEBUG, "peak resident memory: %ld KiB", port_peak_rss_kib());
	return rc;
}

int main(int argc, char **argv)
{
	const char *base = argc > 0 && argv[0] ? argv[0] : "tokenbox";
	const char *slash = strrchr(base, '/');
	const struct applet *a;

	if (slash)
		base = slash + 1;
	a = applet_find(base);
	if (a) {
		cli_set_progname(argv[0]);
		return applet_run(a, argc, argv);
	}
	if (applet_left_out(base))
		return 1;
	if (argc < 2)
		return list_applets(stdout);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-version") == 0)
		return print_version();
	if (strcmp(argv[1], "--list") == 0) {
		size_t i;
		for (i = 0; i < NAPPLETS; i++)
			printf("%s\n", applets[i].name);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-help") == 0)
		return list_applets(stdout);
	a = applet_find(argv[1]);
	if (!a && applet_left_out(argv[1]))
		return 1;
	if (!a) {
		fprintf(stderr, "tokenbox: unknown applet '%s'\n\n", argv[1]);
		list_applets(stderr);
		return 1;
	}
	cli_set_progname(argv[1]);
	return applet_run(a, argc - 1, argv + 1);
}
