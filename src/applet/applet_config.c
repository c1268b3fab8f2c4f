/*
 * applet_config.c - "tokenbox config [-v] KNOB...": what condor_config_val
 * KNOB... prints on this machine, so a user can check what tokenbox will
 * use.  One value per line; an undefined (or empty) knob prints
 * "Not defined: KNOB" on stderr, the others are still printed, and the
 * exit code is then 1.  With -v each knob is printed as "NAME = value"
 * followed by where it was set (" # at: file, line N", "<Environment>",
 * "<Default>", "<Detected>"), its raw text, and an empty line, in
 * condor_config_val -verbose style; an undefined knob that has an entry
 * (an empty default, say) still gets its where and raw lines.
 */
#include "applet_common.h"
#include "applets.h"
#include "config.h"
#include "debug.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>


static void usage(const char *argv0)
{
	fprintf(stderr,
	        "Usage: %s [-v] [-debug[:FLAGS]] KNOB [KNOB...]\n"
	        "    Print the effective value of each configuration knob as a\n"
	        "    token tool sees it (subsystem TOOL), like condor_config_val.\n"
	        "    -v        also print where each value comes from\n",
	        argv0);
}

static void print_err(const char *what, const struct err *e)
{
	char buf[ERR_MAX_ENTRIES * (ERR_MSG_LEN + 24)];

	/* A single entry is one of HTCondor's own texts: print it bare. */
	if (e->n == 1)
		fprintf(stderr, "%s%s\n", what, err_message(e));
	else
		fprintf(stderr, "%s%s\n", what, err_text(e, buf, sizeof buf));
}

int applet_config(int argc, char **argv)
{
	const char *argv0 = argc > 0 ? argv[0] : "tokenbox";
	struct err e = { 0 };
	int verbose = 0, i, first = 1, undefined = 0;
	static char value[CONFIG_VALUE_MAX];

	for (first = 1; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
		const char *a = argv[first];
		if (!strcmp(a, "-v") || !strcmp(a, "-verbose") || !strcmp(a, "--verbose")) {
			verbose = 1;
		} else if (!strncmp(a, "-debug", 6) && (a[6] == '\0' || a[6] == ':')) {
			dbg_enable(a[6] == ':' ? a + 7 : NULL);
		} else if (!strcmp(a, "-h") || !strcmp(a, "-help") || !strcmp(a, "--help")) {
			usage(argv0);
			return 1;
		} else if (!strcmp(a, "--")) {
			first++;
			break;
		} else {
			fprintf(stderr, "%s: Invalid command line argument: %s\n", argv0, a);
			usage(argv0);
			return 1;
		}
	}
	if (first >= argc) {
		usage(argv0);
		return 1;
	}

	config_init(applet_cfg());
	if (config_load(applet_cfg(), &e) < 0) {
		print_err("", &e);
		return 1;
	}

	for (i = first; i < argc; i++) {
		const char *knob = argv[i];
		struct config_origin o;
		int r, known;

		err_clear(&e);
		r = config_get(applet_cfg(), knob, value, sizeof value, &e);
		if (r < 0) {
			print_err("", &e);
			return 1;
		}
		known = verbose && config_origin(applet_cfg(), knob, &o) == 1;
		if (r == 0) {
			char up[CONFIG_NAME_MAX];
			size_t k;
			for (k = 0; knob[k] && k + 1 < sizeof up; k++)
				up[k] = (char)toupper((unsigned char)knob[k]);
			up[k] = '\0';
			/* condor_config_val goes on with the next knob */
			fflush(stdout);
			fprintf(stderr, "Not defined: %s\n", up);
			undefined++;
		} else if (!verbose) {
			printf("%s\n", value);
			continue;
		} else {
			printf("%s = %s\n", known ? o.name_used : knob, value);
		}
		if (!verbose)
			continue;
		if (known) {
			if (o.line > 0)
				printf(" # at: %s, line %d\n", o.file, o.line);
			else
				printf(" # at: %s\n", o.file);
			printf(" # raw: %s = %s\n", o.name_used, o.raw);
		}
		printf("\n");
	}
	fflush(stdout);
	return undefined ? 1 : 0;
}
