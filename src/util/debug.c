#include "debug.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "port/port.h"

/* The only global mutable state in the core: whether -debug was given. */
static unsigned dbg_mask;

static const struct {
	const char *name;
	unsigned bits;
} dbg_names[] = {
	{"D_ALWAYS", D_ALWAYS},     {"D_ERROR", D_ERROR},       {"D_STATUS", D_STATUS},
	{"D_SECURITY", D_SECURITY}, {"D_NETWORK", D_NETWORK},   {"D_FULLDEBUG", D_FULLDEBUG},
	{"D_COMMAND", D_COMMAND},   {"D_HOSTNAME", D_HOSTNAME}, {"D_ALL", ~0u},
};

void dbg_enable(const char *flags)
{
	char word[64];
	size_t i, n;

	dbg_mask = D_ALWAYS | D_ERROR | D_STATUS;
	if (!flags || !*flags) {
		dbg_mask |= D_SECURITY | D_NETWORK;
		return;
	}
	while (*flags) {
		n = strcspn(flags, " ,|\t");
		if (n > 0 && n < sizeof word) {
			memcpy(word, flags, n);
			word[n] = '\0';
			/* "D_SECURITY:2" - the verbosity suffix is accepted and ignored */
			word[strcspn(word, ":")] = '\0';
			for (i = 0; i < sizeof dbg_names / sizeof dbg_names[0]; i++)
				if (strcmp(word, dbg_names[i].name) == 0)
					dbg_mask |= dbg_names[i].bits;
		}
		flags += n;
		flags += strspn(flags, " ,|\t");
	}
}

int dbg_on(enum dbg_cat c)
{
	return (dbg_mask & (unsigned)c) != 0;
}

void dbg(enum dbg_cat c, const char *fmt, ...)
{
	char line[1024];
	int tm[6];
	va_list ap;

	if (!dbg_on(c))
		return;
	port_time_local(port_time_now(), tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%02d/%02d/%02d %02d:%02d:%02d %s\n", tm[1], tm[2], tm[0] % 100, tm[3],
	        tm[4], tm[5], line);
}
