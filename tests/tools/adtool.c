/*
 * adtool - read one ClassAd (old "Name = expr" lines or new "[ ... ]"
 * syntax) from stdin and print it.
 *
 *   adtool [-old|-long|-sorted|-new|-json] [-safe] [-check] < ad
 *
 *   -old     HTCondor's old-ClassAd unparse, ad order (default; what
 *            condor_token_request_approve prints under "Request contents:")
 *   -long    (alias -sorted) case-insensitive name order, no private
 *            attributes (condor_token_request_list style)
 *   -new     new syntax "[ a = 1; b = "x" ]"
 *   -json    HTCondor -json output for a list of one ad
 *   -safe    render control bytes and invalid UTF-8 visibly
 *   -check   print "unsafe" or "safe" (whether -safe would change output)
 *
 * Exit status 0, 1 for a parse error (message on stderr), 2 for usage.
 */
#include "classad.h"

#include <stdio.h>
#include <string.h>

static int out_write(void *ctx, const char *p, size_t n)
{
	return fwrite(p, 1, n, (FILE *)ctx) == n ? 0 : -1;
}

static unsigned char arena[4 * CLASSAD_ARENA_BYTES];
static char input[2 * CLASSAD_MAX_EXPR_LEN * 4];

int main(int argc, char **argv)
{
	enum classad_form form = CLASSAD_FORM_OLD;
	unsigned flags = 0;
	int check = 0, i, rc;
	size_t len;
	struct classad ad;
	struct classad_sink sink = { out_write, NULL };
	struct err e = { 0 };
	char msg[1024];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-old"))
			form = CLASSAD_FORM_OLD;
		else if (!strcmp(argv[i], "-long") || !strcmp(argv[i], "-sorted"))
			form = CLASSAD_FORM_LONG;
		else if (!strcmp(argv[i], "-new"))
			form = CLASSAD_FORM_NEW;
		else if (!strcmp(argv[i], "-json"))
			form = CLASSAD_FORM_JSON;
		else if (!strcmp(argv[i], "-safe"))
			flags |= CLASSAD_PRINT_SAFE;
		else if (!strcmp(argv[i], "-check"))
			check = 1;
		else {
			fprintf(stderr, "usage: adtool [-old|-long|-sorted|-new|-json] [-safe] [-check] < ad\n");
			return 2;
		}
	}
	len = fread(input, 1, sizeof input, stdin);
	if (len == sizeof input) {
		fprintf(stderr, "adtool: input larger than %zu bytes\n", sizeof input - 1);
		return 1;
	}
	err_clear(&e);
	classad_init(&ad, arena, sizeof arena);
	rc = classad_parse_text(&ad, input, len, &e);
	if (rc) {
		fprintf(stderr, "adtool: %s\n", err_text(&e, msg, sizeof msg));
		return 1;
	}
	if (check) {
		puts(classad_unsafe(&ad) ? "unsafe" : "safe");
		return 0;
	}
	sink.ctx = stdout;
	if (form == CLASSAD_FORM_JSON)
		fputs("[\n", stdout);
	rc = classad_print(&ad, form, flags, &sink, &e);
	if (form == CLASSAD_FORM_JSON)
		fputs("\n]\n", stdout);
	else if (form == CLASSAD_FORM_NEW)
		fputs("\n", stdout);
	if (rc) {
		fprintf(stderr, "adtool: %s\n", err_text(&e, msg, sizeof msg));
		return 1;
	}
	return 0;
}
