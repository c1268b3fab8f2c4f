/*
 * fuzz_config.c - untrusted text into the config parser (lines,
 * continuations, if blocks, metaknobs, here-docs, include errors), then
 * expansion of every knob it defined.  Must never crash or read out of
 * bounds; errors are expected.  include is switched off: a path taken
 * from the input could name a FIFO or /dev/stdin and hang the run.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"

static struct config cfg;
static char value[CONFIG_VALUE_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	int i;

	config_init(&cfg);
	cfg.no_include = 1;
	err_clear(&e);
	config_parse_text(&cfg, (const char *)data, size, "fuzz", &e);
	for (i = 0; i < cfg.nknobs && i < 64; i++) {
		const char *name = cfg.text + cfg.knob[i].name;
		struct config_origin o;
		int b;
		long long n;
		err_clear(&e);
		config_get(&cfg, name, value, sizeof value, &e);
		config_get_bool(&cfg, name, 0, &b, &e);
		config_get_int(&cfg, name, 0, &n, &e);
		config_origin(&cfg, name, &o);
	}
	return 0;
}
