/*
 * fuzz_sinful.c - untrusted bytes as a sinful string (all forms, v1
 * included) and as an address file; a parsed sinful must format, reparse
 * and format to the same text.  Must never crash or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "locate.h"
#include "sinful.h"

static struct sinful s, t, u;
static struct locate_addrfile af;
static char text[SINFUL_MAX + 1];
static char out1[4 * SINFUL_MAX], out2[4 * SINFUL_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	size_t n = size < SINFUL_MAX ? size : SINFUL_MAX;

	err_clear(&e);
	locate_parse_address_file((const char *)data, size, "ScheddIpAddr", &af, &e);
	memcpy(text, data, n);
	text[n] = '\0';
	sinful_is_valid(text);
	if (sinful_parse(&s, text, &e) < 0)
		return 0;
	sinful_choose(&s, SINFUL_IPV4_OK | SINFUL_IPV6_OK | SINFUL_PREFER_IPV4, &u, &e);
	if (sinful_format(&s, out1, sizeof out1, &e) < 0)
		return 0;
	/* canonical text is a fixed point of parse+format */
	if (sinful_parse(&t, out1, &e) < 0)
		abort();
	if (sinful_format(&t, out2, sizeof out2, &e) < 0 || strcmp(out1, out2) != 0)
		abort();
	return 0;
}
