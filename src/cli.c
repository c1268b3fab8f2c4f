#include "cli.h"

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
