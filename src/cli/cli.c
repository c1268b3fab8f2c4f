#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"

static const char *cli_prog = "tokenbox";

/* Shared core: returns a pointer just past the matched word of arg, or
 * NULL when it does not match.  With allow_colon, the word ends at ':'. */
static const char *cli_match(const char *arg, const char *name, int min_len, int allow_colon)
{
	size_t n, i;

	if (!arg || arg[0] != '-')
		return NULL;
	arg++;
	if (arg[0] == '-') {
		/* Double dash: the full name, nothing less. */
		arg++;
		n = strlen(name);
		if (strncmp(arg, name, n) != 0)
			return NULL;
		if (arg[n] == '\0' || (allow_colon && arg[n] == ':'))
			return arg + n;
		return NULL;
	}
	if (min_len < 1)
		min_len = 1;
	n = allow_colon ? strcspn(arg, ":") : strlen(arg);
	if (n == 0 || n < (size_t)min_len || n > strlen(name))
		return NULL;
	for (i = 0; i < n; i++)
		if (arg[i] != name[i])
			return NULL;
	return arg + n;
}

int cli_is_dash_prefix(const char *arg, const char *name, int min_len)
{
	return cli_match(arg, name, min_len, 0) != NULL;
}

int cli_is_dash_colon_prefix(const char *arg, const char *name, int min_len, const char **colon)
{
	const char *end = cli_match(arg, name, min_len, 1);

	if (colon)
		*colon = NULL;
	if (!end)
		return 0;
	if (colon && *end == ':')
		*colon = end;
	return 1;
}

const char *cli_progname(void)
{
	return cli_prog;
}

void cli_set_progname(const char *name)
{
	if (name)
		cli_prog = name;
}

int cli_need_value(int i, int argc, const char *msg)
{
	if (i + 1 < argc)
		return 0;
	fprintf(stderr, "%s: %s\n", cli_prog, msg);
	return 1;
}

int cli_parse_stol(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return end == s || errno == ERANGE ? -1 : 0;
}

int cli_list_append(char *buf, size_t cap, const char *item, char sep)
{
	size_t used = strlen(buf), n = strlen(item);

	if (used + n + 2 > cap)
		return -1;
	if (used)
		buf[used++] = sep ? sep : ',';
	memcpy(buf + used, item, n + 1);
	return 0;
}

static int cli_opt_matches(const struct cli_opt *o, const char *a, const char **colon)
{
	*colon = NULL;
	if (o->kind == CLI_DEBUG)
		return cli_is_dash_colon_prefix(a, o->name, o->min, colon);
	if (o->min == CLI_LITERAL)
		return a[0] == '-' && strcmp(a + 1, o->name) == 0;
	return cli_is_dash_prefix(a, o->name, o->min == CLI_EXACT ? (int)strlen(o->name) : o->min);
}

/* A plain non-negative decimal number (no sign, no junk). */
static int cli_parse_seconds(const char *s, long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return *end || errno == ERANGE ? -1 : 0;
}

int cli_parse(int argc, char **argv, const struct cli_opt *opts, size_t nopts,
              void (*usage)(void))
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *colon, *v;
		const struct cli_opt *o = NULL;
		size_t k;

		for (k = 0; k < nopts && !o; k++)
			if (cli_opt_matches(&opts[k], a, &colon))
				o = &opts[k];
		if (!o) {
			fprintf(stderr, "%s: Invalid command line argument: %s\n", cli_prog, a);
			usage();
			return 1;
		}
		switch (o->kind) {
		case CLI_FLAG:
			*(int *)o->dst = 1;
			continue;
		case CLI_DEBUG:
			dbg_enable(colon && colon[1] ? colon + 1 : NULL);
			continue;
		case CLI_HELP:
			usage();
			return 1;
		default:
			break;
		}
		if (cli_need_value(i, argc, o->missing))
			return 1;
		v = argv[++i];
		switch (o->kind) {
		case CLI_STR:
			*(const char **)o->dst = v;
			if (o->clears)
				*o->clears = NULL;
			if (o->valid && o->valid(v) != 0) {
				fprintf(stderr, o->invalid, v);
				fputc('\n', stderr);
				usage();
				return 1;
			}
			break;
		case CLI_STOL:
			if (cli_parse_stol(v, o->dst) != 0) {
				fprintf(stderr, "%s: Invalid argument for -%s: %s.\n", cli_prog, o->name, v);
				return 1;
			}
			break;
		case CLI_SECONDS:
			if (cli_parse_seconds(v, o->dst) != 0) {
				fprintf(stderr, "%s: '%s' is not a valid number of seconds.\n", cli_prog, v);
				return 1;
			}
			break;
		case CLI_LIST:
			if (cli_list_append(((struct cli_list *)o->dst)->text, CLI_LIST_MAX, v,
			                    ((struct cli_list *)o->dst)->sep) != 0) {
				fprintf(stderr, "%s: -%s: the values exceed %d bytes.\n", cli_prog, o->name,
				        CLI_LIST_MAX - 1);
				return 1;
			}
			break;
		default:
			break;
		}
	}
	return -1;
}
