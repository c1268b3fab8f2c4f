/*
 * config_check.h - what the configuration tests share: the configuration
 * under test, a knob's value as text ("<undef>", "<error>" otherwise),
 * and whether an error's text holds a phrase (printing it when not).
 */
#ifndef TOKENBOX_CONFIG_CHECK_H
#define TOKENBOX_CONFIG_CHECK_H

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "err.h"

static struct config cfg;

static inline const char *get(const char *knob)
{
	static char v[CONFIG_VALUE_MAX];
	struct err e = { 0 };
	int r = config_get(&cfg, knob, v, sizeof v, &e);
	if (r < 0)
		return "<error>";
	if (r == 0)
		return "<undef>";
	return v;
}

static inline int err_has(const struct err *e, const char *needle)
{
	char buf[2048];
	err_text(e, buf, sizeof buf);
	if (!strstr(buf, needle)) {
		fprintf(stderr, "  error text \"%s\" lacks \"%s\"\n", buf, needle);
		return 0;
	}
	return 1;
}

#endif
