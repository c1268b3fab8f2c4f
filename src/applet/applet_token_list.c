/*
 * applet_token_list.c - condor_token_list: the IDTOKENS this user's tools
 * would find, one line each:
 *     Header: <header JSON> Payload: <payload JSON> File: <path>
 *
 * Options, output and exit codes are the stock tool's (HTCondor 25.x;
 * docs/condor_token_list.1).  The files are read by the same walk as the
 * handshake's (tokens_walk), so the list and the handshake cannot
 * disagree about what is there; like the stock tool the list includes the
 * tokens the handshake ignores (a file others can read, a token of another
 * trust domain).  tokenbox's -why says, under each token, whether tokenbox
 * would present it and, if not, why.
 *
 * -capability (asking a daemon about capability tokens) needs the
 * DC_SEC_QUERY exchange, which tokenbox does not speak yet: the daemon is
 * located as the stock tool does, and each capability token gets an
 * error line saying so.
 */
#include <stdio.h>
#include <string.h>

#include "applet_common.h"
#include "applets.h"
#include "audit.h"
#include "classad.h"
#include "cli.h"
#include "config.h"
#include "dc_token.h"
#include "debug.h"
#include "err.h"
#include "port/crypto.h"
#include "port/port.h"
#include "sec_config.h"
#include "tokens.h"

static struct sec_policy list_policy;
static struct token_choice list_scratch;

static void list_usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s [-dir PATH]\n"
	        "Lists the tokens available to the current user.\n"
	        "\n"
	        "Token options:\n"
	        "    -dir  <path>  Look in the given directory for tokens\n"
	        "    -file  <filename>  Look in the given file for a token\n"
	        "Daemon query options:\n"
	        "    -capability                      Query a daemon for capability token details\n"
	        "    -pool    <host>                  Use this collector to locate daemon\n"
	        "    -name    <name>                  Find a daemon with this name\n"
	        "    -type    <subsystem>             Type of daemon to contact (default: SCHEDD)\n"
	        "    -help         print this message\n"
	        "\n"
	        "If no -dir agument is supplied, tokens are located by using the condor config files.\n"
	        "Ordinary users will use SEC_TOKEN_DIRECTORY or ~/tokens.d, The root user will use "
	        "SEC_TOKEN_SYSTEM_DIRECTORY.\n",
	        cli_progname());
}

static void list_usage_err(void)
{
	list_usage(stderr);
}

struct lister {
	int why;          /* -why */
	int capability;   /* -capability */
	int first_done;   /* a token the handshake would present was seen */
	int64_t now;
};

/* One part of a JWT, base64url-decoded, printed as it decodes (terminal-
 * safe when it holds control bytes). */
static int print_part(const char *p, size_t n)
{
	static uint8_t raw[JWT_MAX_LEN];
	static char shown[JWT_MAX_LEN * 4];
	size_t len = 0;

	if (crypto_base64url_decode(p, n, raw, sizeof raw - 1, &len) != 0)
		return -1;
	raw[len] = '\0';
	if (strlen((char *)raw) != len)
		return -1;
	fputs(classad_clean_cstr(shown, sizeof shown, (char *)raw), stdout);
	return 0;
}

static int on_token(void *ctx, const struct tokens_seen *s)
{
	struct lister *l = ctx;
	const char *dot1, *dot2;
	char when[32];

	if (s->line == 0) {
		if (l->why)
			printf("    (tokenbox: %s not read: %s)\n", s->path, s->why);
		return 0;
	}
	/* The stock tool lists what decodes as a JWT and says nothing of the
	 * rest; -why names those too. */
	dot1 = memchr(s->text, '.', s->len);
	dot2 = dot1 ? memchr(dot1 + 1, '.', s->len - (size_t)(dot1 + 1 - s->text)) : NULL;
	if (!s->jwt || !dot1 || !dot2) {
		if (l->why)
			printf("    (tokenbox: %s line %d is not a token: %s)\n", s->path, s->line,
			       s->why ? s->why : "no three parts");
		return 0;
	}
	fputs("Header: ", stdout);
	print_part(s->text, (size_t)(dot1 - s->text));
	fputs(" Payload: ", stdout);
	print_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	printf(" File: %s\n", s->path);
	/* a capability token carries an id and no subject */
	if (l->capability && !s->jwt->has_sub && s->jwt->has_jti)
		fprintf(stderr, "ERROR: tokenbox cannot query a daemon about capability tokens "
		                "(DC_SEC_QUERY is not implemented)\n");
	if (!l->why)
		return 0;
	if (!s->usable) {
		printf("    tokenbox: not used: %s\n", s->why);
	} else if (s->jwt->has_exp && s->jwt->exp <= l->now) {
		audit_utc(s->jwt->exp, when, sizeof when);
		printf("    tokenbox: %s, but it expired at %s: the daemon will refuse it\n",
		       l->first_done ? "usable after the first" : "presented first", when);
		l->first_done = 1;
	} else {
		printf("    tokenbox: %s\n", l->first_done ? "usable, but an earlier token is presented first"
		                                          : "presented first");
		l->first_done = 1;
	}
	return 0;
}

int applet_token_list(int argc, char **argv)
{
	const char *dir = NULL, *file = NULL, *pool = NULL, *name = NULL, *type = "SCHEDD";
	struct lister l = {0, 0, 0, 0};
	struct tokens_query q;
	char text[TOKENS_PATH_MAX + 200], trust[SEC_STR_MAX], path[TOKENS_PATH_MAX];
	struct err e;
	int i, rc;

	err_clear(&e);
	if (applet_config_load(applet_cfg()) != 0)
		return 1;
	/* Walked by hand: -file acts at once, as in the stock tool, and
	 * -help prints to stdout and exits 0. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *colon;
		if (cli_is_dash_colon_prefix(a, "debug", 1, &colon)) {
			dbg_enable(colon && colon[1] ? colon + 1 : NULL);
		} else if (cli_is_dash_prefix(a, "help", 1)) {
			list_usage(stdout);
			return 0;
		} else if (cli_is_dash_prefix(a, "dir", 1)) {
			if (!argv[i + 1]) {
				fprintf(stderr, "%s: -dir requires path argument.\n", cli_progname());
				list_usage_err();
				return 1;
			}
			dir = argv[++i];
		} else if (cli_is_dash_prefix(a, "file", 1)) {
			if (!argv[i + 1]) {
				fprintf(stderr, "%s: -file requires file argument.\n", cli_progname());
				list_usage_err();
				return 1;
			}
			file = argv[++i];
			break;
		} else if (cli_is_dash_prefix(a, "capability", 1)) {
			l.capability = 1;
		} else if (cli_is_dash_prefix(a, "pool", 1)) {
			if (cli_need_value(i, argc, "-pool requires a pool name argument.") != 0)
				return 1;
			pool = argv[++i];
		} else if (cli_is_dash_prefix(a, "name", 1)) {
			if (cli_need_value(i, argc, "-name requires a daemon name argument.") != 0)
				return 1;
			name = argv[++i];
		} else if (cli_is_dash_prefix(a, "type", 1)) {
			if (cli_need_value(i, argc, "-type requires a daemon type argument.") != 0)
				return 1;
			type = argv[++i];
			if (applet_type_valid(type) != 0) {
				fprintf(stderr, APPLET_TYPE_INVALID "\n", type);
				list_usage_err();
				return 1;
			}
		} else if (cli_is_dash_prefix(a, "why", 3)) {
			l.why = 1;
		} else {
			fprintf(stderr, "%s: Invalid command line argument: %s\n", cli_progname(), a);
			list_usage_err();
			return 1;
		}
	}
	if (sec_policy_from_config(applet_cfg(), &list_policy, &e) != 0) {
		applet_print_err("ERROR: ", &e);
		return 1;
	}
	if (l.capability && !file) {
		struct dc_target target;
		rc = applet_locate(applet_cfg(), type, name, pool, &target);
		if (rc != 0) {
			fprintf(stderr, "ERROR: couldn't locate daemon.\n");
			return 1;
		}
	}
	memset(&q, 0, sizeof q);
	q.subsys = list_policy.subsystem;
	q.uid = port_uid();
	/* -why judges by this pool's trust domain (the daemon's, when it is
	 * the same pool); the plain list shows everything. */
	if (l.why && config_get(applet_cfg(), "TRUST_DOMAIN", trust, sizeof trust, &e) > 0)
		q.trust_domain = trust;
	l.now = port_time_now();
	if (file)
		tokens_walk_file(&q, file, &list_scratch, on_token, &l);
	else {
		if (dir)
			snprintf(path, sizeof path, "%s", dir);
		else if (sec_policy_token_dir(&list_policy, path, sizeof path) != 0) {
			snprintf(text, sizeof text, "token directory path longer than %d bytes",
			         TOKENS_PATH_MAX);
			fprintf(stderr, "ERROR: %s\n", text);
			return 1;
		}
		q.dir = path;
		if (tokens_walk(&q, &list_scratch, on_token, &l) == TOKENS_WALK_TRUNCATED) {
			/* what was printed is not every token: say so, fail */
			fflush(stdout);
			fprintf(stderr,
			        "ERROR: %s holds more than %d entries; only the tokens of the first %d by name are listed\n",
			        path, PORT_DIR_MAX, PORT_DIR_MAX);
			return 1;
		}
	}
	fflush(stdout);
	return 0;
}
