/*
 * applet_ping.c - condor_ping: can this host, as configured, run a given
 * command at a daemon?  For each TOKEN (an authorization level, ALL, a
 * command name or number) a new session is negotiated with DC_SEC_QUERY
 * and the daemon says whether the command would be authorized (ping.md).
 *
 * Output modes, messages and exit codes are the stock tool's for the
 * options tokenbox has: -type/-subsystem, -name, -pool, -address, -table,
 * -verbose, -quiet, -debug, -help, -version.  What it lacks, and says so
 * when asked: -long, -format, -af/-autoformat, -config, -root-config, the
 * command names particular to one kind of daemon (ping_names has the
 * collector's and DaemonCore's), and the diagnostic dumps (permission
 * hierarchy, effective security config) that the stock tool prints with
 * -help config/permheir and around usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "applet_common.h"
#include "applets.h"
#include "classad.h"
#include "cli.h"
#include "config.h"
#include "dc_token.h"
#include "debug.h"
#include "err.h"
#include "port/port.h"
#include "sec_config.h"
#include "sinful.h"

#define PING_MAX_TOKENS 256
#define PING_HELP 1
#define PING_HELP_LEVELS 2
#define PING_HELP_MISSING 4

enum ping_mode { PING_QUIET = 0, PING_DEFAULT = 1, PING_VERBOSE = 2, PING_TABLE = 10 };


/* Authorization levels with the no-op command a daemon registers for
 * each (DC_BASE + n), in the order ALL expands to. */
static const struct {
	const char *level;
	int cmd;
	const char *nop;
} ping_levels[] = {
	{"ALLOW", 60011, "DC_NOP"},
	{"READ", 60020, "DC_NOP_READ"},
	{"WRITE", 60021, "DC_NOP_WRITE"},
	{"NEGOTIATOR", 60022, "DC_NOP_NEGOTIATOR"},
	{"ADMINISTRATOR", 60023, "DC_NOP_ADMINISTRATOR"},
	{"OWNER", 60024, "DC_NOP_OWNER"},
	{"CONFIG", 60025, "DC_NOP_CONFIG"},
	{"DAEMON", 60026, "DC_NOP_DAEMON"},
	{"ADVERTISE_STARTD", 60027, "DC_NOP_ADVERTISE_STARTD"},
	{"ADVERTISE_SCHEDD", 60028, "DC_NOP_ADVERTISE_SCHEDD"},
	{"ADVERTISE_MASTER", 60029, "DC_NOP_ADVERTISE_MASTER"},
};
#define PING_NLEVELS (sizeof ping_levels / sizeof ping_levels[0])

/* Other command names a TOKEN may be (condor_commands.h): the DaemonCore
 * commands every daemon has and the collector's queries and updates.
 * The stock tool knows every command of every daemon; these are the ones
 * worth asking a daemon about when checking a node's access. */
static const struct {
	const char *name;
	int cmd;
} ping_names[] = {
	{"UPDATE_STARTD_AD", 0},       {"UPDATE_SCHEDD_AD", 1},
	{"UPDATE_MASTER_AD", 2},       {"QUERY_STARTD_ADS", 5},
	{"QUERY_SCHEDD_ADS", 6},       {"QUERY_MASTER_ADS", 7},
	{"QUERY_CKPT_SRVR_ADS", 9},    {"QUERY_STARTD_PVT_ADS", 10},
	{"UPDATE_SUBMITTOR_AD", 11},   {"QUERY_SUBMITTOR_ADS", 12},
	{"INVALIDATE_STARTD_ADS", 13}, {"INVALIDATE_SCHEDD_ADS", 14},
	{"INVALIDATE_MASTER_ADS", 15}, {"UPDATE_COLLECTOR_AD", 19},
	{"QUERY_COLLECTOR_ADS", 20},   {"QUERY_ANY_ADS", 48},
	{"UPDATE_NEGOTIATOR_AD", 49},  {"QUERY_NEGOTIATOR_ADS", 50},
	{"QUERY_MULTIPLE_ADS", 53},    {"QUERY_MULTIPLE_PVT_ADS", 54},
	{"UPDATE_HAD_AD", 55},         {"QUERY_HAD_ADS", 56},
	{"UPDATE_AD_GENERIC", 58},     {"UPDATE_GRID_AD", 70},
	{"QUERY_GRID_ADS", 71},        {"QUERY_GENERIC_ADS", 74},
	{"QUERY_ACCOUNTING_ADS", 78},  {"DC_RAISESIGNAL", 60000},
	{"DC_CONFIG_PERSIST", 60002},  {"DC_CONFIG_RUNTIME", 60003},
	{"DC_RECONFIG", 60004},        {"DC_OFF_GRACEFUL", 60005},
	{"DC_OFF_FAST", 60006},        {"DC_CONFIG_VAL", 60007},
	{"DC_CHILDALIVE", 60008},      {"DC_SERVICEWAITPIDS", 60009},
	{"DC_AUTHENTICATE", 60010},    {"DC_RECONFIG_FULL", 60012},
	{"DC_FETCH_LOG", 60013},       {"DC_OFF_PEACEFUL", 60015},
	{"DC_SET_PEACEFUL_SHUTDOWN", 60016}, {"DC_TIME_OFFSET", 60017},
	{"DC_PURGE_LOG", 60018},       {"DC_SEC_QUERY", 60040},
	{"DC_SET_FORCE_SHUTDOWN", 60041}, {"DC_OFF_FORCE", 60042},
	{"DC_SET_READY", 60043},       {"DC_QUERY_READY", 60044},
	{"DC_QUERY_INSTANCE", 60045},  {"DC_GET_SESSION_TOKEN", 60046},
	{"DC_START_TOKEN_REQUEST", 60047}, {"DC_FINISH_TOKEN_REQUEST", 60048},
	{"DC_LIST_TOKEN_REQUEST", 60049}, {"DC_APPROVE_TOKEN_REQUEST", 60050},
	{"DC_AUTO_APPROVE_TOKEN_REQUEST", 60051},
};

static void ping_usage(FILE *f)
{
	const char *p = cli_progname();

	fprintf(f,
	        "Usage: %s [options] TOKEN [TOKEN [TOKEN [...]]]\n"
	        "\n"
	        "where TOKEN is ( ALL | <authorization-level> | <command-name> | <command-int> )\n"
	        "\n"
	        "general options:\n"
	        "    -config <filename>              Add configuration from specified file\n"
	        "    -debug                          Show extra debugging info\n"
	        "    -help [config|levels|all]       Display this output [and details]\n"
	        "    -version                        Display Condor version\n"
	        "\n"
	        "specifying target options:\n"
	        "    -address <sinful>               Use this sinful string\n"
	        "    -pool    <host>                 Query this collector\n"
	        "    -name    <name>                 Find a daemon with this name\n"
	        "    -subsystem <subsystem>          Type of daemon to contact (default: SCHEDD)\n"
	        "    -type    <subsystem>            Type of daemon to contact (default: SCHEDD)\n"
	        "\n"
	        "output options (specify only one):\n"
	        "    -quiet                          No output, only sets status\n"
	        "    -table                          Print one result per line\n"
	        "    -verbose                        Print all available information\n"
	        "    -long                           Print result classad\n"
	        "    -format <fmt> <attr>\tDisplay <attr> values with formatting\n"
	        "    -autoformat[:lhVr,tng] <attr> [<attr2> [...]]\n"
	        "    -af[:lhVr,tng] <attr> [attr2 [...]]\n"
	        "        Print attr(s) with automatic formatting\n"
	        "        the [lhVr,tng] options modify the formatting\n"
	        "            l   attribute labels\n"
	        "            h   attribute column headings\n"
	        "            V   %%V formatting (string values are quoted)\n"
	        "            r   %%r formatting (raw/unparsed values)\n"
	        "            ,   comma after each value\n"
	        "            t   tab before each value (default is space)\n"
	        "            n   newline after each value\n"
	        "            g   newline between ClassAds, no space before values\n"
	        "        use -af:h to get tabular values with headings\n"
	        "        use -af:lrng to get -long equivalent format\n"
	        "\n"
	        "Example:\n"
	        "    %s -addr \"<127.0.0.1:9618>\" -table READ WRITE DAEMON\n"
	        "\n",
	        p, p);
}

static void ping_levels_help(FILE *f)
{
	static const char *const help[][2] = {
		{"ALLOW", "Open to everyone"},
		{"READ", "Able to read data"},
		{"WRITE", "Able to modify data (submit jobs)"},
		{"NEGOTIATOR", "From the negotiator"},
		{"ADMINISTRATOR", "Administrative cmds (on, off, etc)"},
		{"CONFIG", "Changing config settings remotely"},
		{"DAEMON", "Daemon to daemon communcation"},
		{"DEFAULT", "Default config settings"},
		{"CLIENT", "Tools and client-side daemons"},
		{"ADVERTISE_STARTD", "Able to advertise a STARTD ad"},
		{"ADVERTISE_SCHEDD", "Able to advertise a SCHEDD ad"},
		{"ADVERTISE_MASTER", "Able to advertise a MASTER ad"},
	};
	size_t i;

	fprintf(f, "\nWhere <authorization-level> is one of:\n");
	for (i = 0; i < sizeof help / sizeof help[0]; i++)
		fprintf(f, "    %-20s %s\n", help[i][0], help[i][1]);
}

/* A usage error: the message, the usage text and the levels, exit 1.  (The
 * stock tool also dumps its permission hierarchy and the compiled-in
 * security defaults on stdout here; tokenbox does not.) */
static int ping_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "ERROR: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n");
	ping_usage(stderr);
	ping_levels_help(stderr);
	return 1;
}

/* A -help word: a prefix of name at least min characters long. */
static int ping_word(const char *w, const char *name, size_t min)
{
	size_t n = strlen(w);
	return n >= min && n <= strlen(name) && strncmp(w, name, n) == 0;
}

/* TOKEN -> command number (ping.md 1.8); -1 when not understood. */
static int ping_resolve(const char *tok)
{
	static const char *const no_sample[] = {"SOAP", "DEFAULT", "CLIENT"};
	char *end;
	long v;
	size_t i;

	for (i = 0; i < PING_NLEVELS; i++)
		if (strcasecmp(tok, ping_levels[i].level) == 0) {
			/* OWNER left the levels in 9.9; it is kept for older daemons */
			dbg(D_ALWAYS, "recognized %s as %sauthorization level, using command %d.", tok,
			    ping_levels[i].cmd == 60024 ? "old " : "", ping_levels[i].cmd);
			return ping_levels[i].cmd;
		}
	for (i = 0; i < sizeof no_sample / sizeof no_sample[0]; i++)
		if (strcasecmp(tok, no_sample[i]) == 0)
			return -1;
	for (i = 0; i < PING_NLEVELS; i++)
		if (strcasecmp(tok, ping_levels[i].nop) == 0) {
			dbg(D_ALWAYS, "recognized %s as command name, using command %d.", tok,
			    ping_levels[i].cmd);
			return ping_levels[i].cmd;
		}
	for (i = 0; i < sizeof ping_names / sizeof ping_names[0]; i++)
		if (strcasecmp(tok, ping_names[i].name) == 0) {
			dbg(D_ALWAYS, "recognized %s as command name, using command %d.", tok,
			    ping_names[i].cmd);
			return ping_names[i].cmd;
		}
	/* a number, exactly as %i prints it */
	if (tok[0] >= '0' && tok[0] <= '9') {
		char back[32];
		v = strtol(tok, &end, 10);
		if (!*end && v >= 0 && v <= 0x7fffffff) {
			snprintf(back, sizeof back, "%ld", v);
			if (strcmp(back, tok) == 0) {
				dbg(D_ALWAYS, "recognized %s as command number.", tok);
				return (int)v;
			}
		}
	}
	return -1;
}

/* The derived fields of a result (ping.md 3.1). */
static const char *ping_crypto(const struct sec_result *r, int table)
{
	if (!r->encryption)
		return table ? "none" : "no encryption";
	return r->crypto[0] ? r->crypto : "none";
}

static const char *ping_integrity(const struct sec_result *r, int table)
{
	if (!r->integrity)
		return table ? "none" : "no integrity";
	return r->encryption && strcmp(r->crypto, "AES") == 0 ? "AES" : "MD5";
}

static const char *ping_auth(const struct sec_result *r, int table)
{
	if (!r->authenticated)
		return table ? "none" : "no authentication";
	return r->method;
}

/* The daemon as the stock messages name it (Daemon::idStr). */
static void ping_dname(char *out, size_t cap, const char *address, const char *type,
                       const char *name, const char *pool, const struct dc_target *t)
{
	char lower[64];
	size_t i;

	if (address) {
		/* the sinful without its ?parameters */
		size_t n = strcspn(t->sinful, "?");
		snprintf(out, cap, "daemon at %.*s%s", (int)n, t->sinful,
		         t->sinful[n] == '?' ? ">" : "");
		return;
	}
	for (i = 0; type[i] && i + 1 < sizeof lower; i++)
		lower[i] = (char)(type[i] >= 'A' && type[i] <= 'Z' ? type[i] - 'A' + 'a' : type[i]);
	lower[i] = '\0';
	if (name && !t->local)
		snprintf(out, cap, "%s %s", lower, name);
	else if (pool && strcmp(lower, "collector") == 0) {
		/* -pool host[:port]: the sinful the stock tool builds for it, the
		 * name given kept as its alias */
		char ip[64];
		if (port_resolve(t->host, ip, sizeof ip) != 0)
			snprintf(ip, sizeof ip, "%s", t->host);
		snprintf(out, cap, "%s <%s:%u%s%s>", lower, ip, t->port,
		         strcmp(ip, t->host) ? "?alias=" : "", strcmp(ip, t->host) ? t->host : "");
	} else
		snprintf(out, cap, "local %s", lower);
}

/* The daemon's texts in a result (mapped name, version, session id, the
 * methods list) made terminal-safe in place. */
static void ping_clean(struct sec_result *r)
{
	static char buf[4 * SEC_STR_MAX + 8];

	snprintf(r->user, sizeof r->user, "%s", classad_clean_cstr(buf, sizeof buf, r->user));
	snprintf(r->server_version, sizeof r->server_version, "%s",
	         classad_clean_cstr(buf, sizeof buf, r->server_version));
	snprintf(r->sid, sizeof r->sid, "%s", classad_clean_cstr(buf, sizeof buf, r->sid));
	snprintf(r->methods_list, sizeof r->methods_list, "%s",
	         classad_clean_cstr(buf, sizeof buf, r->methods_list));
}

int applet_ping(int argc, char **argv)
{
	static const char *tokens[PING_MAX_TOKENS];
	static int cmds[PING_MAX_TOKENS];
	const char *pool = NULL, *name = NULL, *type = NULL, *address = NULL;
	int mode = -1, help = 0, ntok = 0, bad = 0, failed = 0, i, rc;
	char dname[700], text[4096];
	struct dc_target target;
	struct err e;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *colon;

		if (a[0] != '-' || !a[1]) {
			if (ntok == PING_MAX_TOKENS)
				return ping_usage_error("more than %s TOKENs", "256");
			tokens[ntok++] = a;
		} else if (cli_is_dash_prefix(a, "help", 1)) {
			/* its words, each -help starting afresh; config and permheir
			 * (local diagnostics) are not available */
			help = PING_HELP;
			while (i + 1 < argc && argv[i + 1][0] != '-') {
				const char *w = argv[++i];
				if (ping_word(w, "levels", 3) || ping_word(w, "auth", 2) ||
				    ping_word(w, "all", 2))
					help |= PING_HELP_LEVELS;
				else if (ping_word(w, "config", 2) || ping_word(w, "permheir", 2))
					help |= PING_HELP_MISSING;
			}
		} else if (cli_is_dash_prefix(a, "quiet", 1) || cli_is_dash_prefix(a, "table", 2) ||
		           cli_is_dash_prefix(a, "verbose", 1)) {
			if (mode != -1)
				return ping_usage_error("only one output mode may be specified.%s", "");
			mode = a[1 + (a[1] == '-')] == 'q' ? PING_QUIET
			       : a[1 + (a[1] == '-')] == 't' ? PING_TABLE : PING_VERBOSE;
		} else if (cli_is_dash_prefix(a, "long", 1) || cli_is_dash_prefix(a, "format", 1) ||
		           cli_is_dash_colon_prefix(a, "af", 2, &colon) ||
		           cli_is_dash_colon_prefix(a, "autoformat", 5, &colon) ||
		           cli_is_dash_prefix(a, "config", 1) || cli_is_dash_prefix(a, "root-config", 4)) {
			fprintf(stderr, "ERROR: %s is not supported by tokenbox's condor_ping.\n", a);
			return 1;
		} else if (cli_is_dash_prefix(a, "pool", 1) || cli_is_dash_prefix(a, "name", 1) ||
		           cli_is_dash_prefix(a, "address", 1)) {
			char which = a[1 + (a[1] == '-')];
			const char *opt = which == 'p' ? "-pool" : which == 'n' ? "-name" : "-address";
			if (i + 1 >= argc)
				return ping_usage_error("%s requires an argument.", opt);
			if (which == 'a' ? (pool || name) : address != NULL)
				return ping_usage_error("-address cannot be used with -pool or -name.%s", "");
			if (which == 'p')
				pool = argv[++i];
			else if (which == 'n')
				name = argv[++i];
			else
				address = argv[++i];
		} else if (cli_is_dash_prefix(a, "subsystem", 3) || cli_is_dash_prefix(a, "type", 4)) {
			if (i + 1 >= argc)
				return ping_usage_error("%s requires an argument.", "(null)");
			type = argv[++i];
			if (applet_type_valid(type) != 0)
				return ping_usage_error("unrecognized daemon type: %s", type);
		} else if (cli_is_dash_prefix(a, "version", 4)) {
			printf("$CondorVersion: tokenbox %s $\n$CondorPlatform: tokenbox $\n",
			       TOKENBOX_VERSION);
			return 0;
		} else if (cli_is_dash_colon_prefix(a, "debug", 1, &colon)) {
			dbg_enable(colon && colon[1] ? colon + 1 : NULL);
		} else {
			return ping_usage_error("Unknown argument: %s", a);
		}
	}
	if (applet_config_load(applet_cfg()) != 0)
		return 1;
	if (help) {
		ping_usage(stdout);
		if (help & PING_HELP_LEVELS)
			ping_levels_help(stdout);
		if (help & PING_HELP_MISSING)
			fprintf(stderr, "tokenbox: -help config and -help permheir are not available.\n");
		return 0;
	}
	if (mode == -1)
		mode = PING_DEFAULT;

	if (ntok == 0) {
		if (mode == PING_TABLE)
			fprintf(stderr, "WARNING: Missing <authz-level | command-name | command-int> "
			                "argument, defaulting to WRITE.\n");
		tokens[ntok++] = "WRITE";
	}
	/* ALL expands in place to the eleven levels. */
	for (i = 0; i < ntok; i++) {
		if (strcasecmp(tokens[i], "ALL") != 0)
			continue;
		if (ntok - 1 + (int)PING_NLEVELS > PING_MAX_TOKENS)
			return ping_usage_error("more than %s TOKENs", "256");
		memmove(&tokens[i + PING_NLEVELS], &tokens[i + 1], (size_t)(ntok - i - 1) * sizeof tokens[0]);
		for (size_t k = 0; k < PING_NLEVELS; k++)
			tokens[i + (int)k] = ping_levels[k].level;
		ntok += (int)PING_NLEVELS - 1;
		i += (int)PING_NLEVELS - 1;
	}
	for (i = 0; i < ntok; i++) {
		cmds[i] = ping_resolve(tokens[i]);
		if (cmds[i] < 0) {
			if (mode != PING_QUIET)
				fprintf(stderr, "ERROR: Could not understand TOKEN \"%s\".\n", tokens[i]);
			bad = 1;
		}
	}
	if (bad)
		return 1;

	if (!type && !address) {
		if (mode == PING_TABLE)
			fprintf(stderr, "WARNING: Missing daemon argument, defaulting to SCHEDD.\n");
		type = "SCHEDD";
	}
	err_clear(&e);
	memset(&target, 0, sizeof target);
	if (address) {
		if (!sinful_is_valid(address) || dc_target_from_sinful(address, &target, &e) != 0) {
			fprintf(stderr, "ERROR: unable to parse sinful string: %s\n", address);
			return 1;
		}
		target.name[0] = '\0';
	} else {
		rc = dc_locate(applet_cfg(), type, name, pool, &target, &e);
		if (rc == DC_LOCATE_EXCEPT)
			return 4;
		if (rc != 0) {
			dbg(D_ALWAYS, "locate failed: %s", err_text(&e, text, sizeof text));
			if (rc != DC_LOCATE_REPORTED && mode != PING_QUIET)
				fprintf(stderr, "ERROR: couldn't locate %s!\n", name ? name : "(null)");
			return 1;
		}
	}
	ping_dname(dname, sizeof dname, address, type ? type : "", name, pool, &target);
	err_clear(&e);
	if (dc_client_init(applet_client(), applet_cfg(), &e) != 0) {
		applet_print_err("ERROR: ", &e);
		return 1;
	}
	if (mode == PING_TABLE)
		printf("         Instruction Authentication Encryption Integrity Decision Identity\n");

	for (i = 0; i < ntok; i++) {
		struct sec_result r;
		int ok = 0;

		err_clear(&e);
		rc = dc_sec_query(applet_client(), &target, cmds[i], &r, &ok, &e);
		if (rc == -2) {
			fflush(stdout);
			fprintf(stderr, "ERROR: failed to make connection to %s\n", target.sinful);
			failed = 1;
			continue;
		}
		if (rc != 0) {
			failed = 1;
			if (mode == PING_DEFAULT) {
				printf("%s failed!  Use -verbose for more information.\n", tokens[i]);
			} else if (mode == PING_TABLE) {
				printf("%20s           FAIL       FAIL      FAIL     FAIL FAIL  "
				       "(use -verbose for more info)\n", tokens[i]);
			} else if (mode == PING_VERBOSE) {
				int k;
				printf("%s failed!\n", tokens[i]);
				for (k = e.n - 1; k >= 0; k--)
					printf("%s:%d:%s\n", e.entry[k].subsys, e.entry[k].code, e.entry[k].msg);
				printf("\n");
			}
			continue;
		}
		/* what the daemon sent, shown so that it cannot drive the
		 * terminal (clean texts print exactly as the stock tool's) */
		ping_clean(&r);
		if (mode == PING_DEFAULT) {
			printf("%s command using (%s, %s, and %s) %s as %s to %s.\n", tokens[i],
			       ping_crypto(&r, 0), ping_integrity(&r, 0), ping_auth(&r, 0),
			       ok ? "succeeded" : "failed", r.user, dname);
		} else if (mode == PING_TABLE) {
			printf("%20s %14s %10s %9s %8s %s\n", tokens[i], ping_auth(&r, 1),
			       ping_crypto(&r, 1), ping_integrity(&r, 1), ok ? "ALLOW" : "DENY", r.user);
		} else if (mode == PING_VERBOSE) {
			printf("%-29s%s\n", "Destination:", dname);
			printf("%-29s%s\n", "Remote Version:", r.server_version);
			printf("%-29s%s\n", "Local  Version:", applet_client()->policy.version);
			printf("%-29s%s\n", "Session ID:", r.sid);
			printf("%-29s%s\n", "Instruction:", tokens[i]);
			printf("%-29s%d\n", "Command:", cmds[i]);
			printf("%-29s%s\n", "Encryption:", ping_crypto(&r, 1));
			printf("%-29s%s\n", "Integrity:", ping_integrity(&r, 1));
			if (r.authenticated) {
				printf("%-29s%s\n", "Authenticated using:", r.method);
				printf("%-29s%s\n", "All authentication methods:", r.methods_list);
			} else {
				printf("%-29s%s\n", "Authentication:", "none");
			}
			printf("%-29s%s\n", "Remote Mapping:", r.user);
			printf("%-29s%s\n", "Authorized:", ok ? "TRUE" : "FALSE");
			printf("\n");
		}
		fflush(stdout);
	}
	fflush(stdout);
	return failed ? 1 : 0;
}
