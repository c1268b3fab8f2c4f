#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int cli_list_append(char *buf, size_t cap, const char *item)
{
	size_t used = strlen(buf), n = strlen(item);

	if (used + n + 2 > cap)
		return -1;
	if (used)
		buf[used++] = ',';
	memcpy(buf + used, item, n + 1);
	return 0;
}
