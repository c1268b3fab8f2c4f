/*
 * tmptree.h - for the unit tests that build config trees on disk: the
 * scratch directory (each test makes it with mkdtemp and removes it) and
 * write_file(), which writes one file below it by relative name and stops
 * the test (exit 2) if it cannot.
 */
#ifndef TOKENBOX_TMPTREE_H
#define TOKENBOX_TMPTREE_H

#include <stdio.h>
#include <stdlib.h>

static char tmpdir[256];

static inline void write_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

#endif
