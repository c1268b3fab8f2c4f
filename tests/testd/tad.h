/*
 * tad.h - the test daemon's ClassAds: an ordered list of "Name = expr"
 * pairs in a fixed buffer, put on / read from a CEDAR stream in HTCondor's
 * wire form (int count, one string per attribute, two empty type strings).
 *
 * The daemon needs byte-exact old-ClassAd strings for hostile identities:
 * only '"' is escaped (as \"), backslashes, newlines, control bytes and
 * UTF-8 go out raw, and reading undoes exactly that (a \" right at the end
 * of the text closes the string and keeps the backslash), as
 * classad-wire.md §3.1/§4.1 describe.  Attributes are kept in the order a
 * 23.4+ daemon keeps them (name length, then case-insensitive name), which
 * is the order they go out on the wire; a projection goes out in
 * case-insensitive name order.
 */
#ifndef TESTD_TAD_H
#define TESTD_TAD_H

#include <stddef.h>
#include <stdint.h>

#include "cedar.h"
#include "err.h"

/* Attributes in one ad (a 25.10+ daemon allows 100 in handshake ads). */
#define TAD_MAX_ATTRS 2048
/* Bytes of all names and expression texts of one ad. */
#define TAD_TEXT_MAX (1024 * 1024)
/* Longest attribute name. */
#define TAD_NAME_MAX 256

struct tad_attr {
	const char *name; /* into text[] */
	const char *expr; /* as on the wire: "\"x\"", "12", "true", "(a == b)" */
};

struct tad {
	int n;
	struct tad_attr a[TAD_MAX_ATTRS];
	size_t used;
	char text[TAD_TEXT_MAX];
};

void tad_clear(struct tad *ad);
/* Set or replace; keeps the (length, case-insensitive name) order. */
int tad_set_expr(struct tad *ad, const char *name, const char *expr, struct err *e);
int tad_set_str(struct tad *ad, const char *name, const char *val, struct err *e);
int tad_set_int(struct tad *ad, const char *name, int64_t v, struct err *e);
int tad_set_bool(struct tad *ad, const char *name, int v, struct err *e);

const char *tad_expr(const struct tad *ad, const char *name);
/* 1 found with that literal type, 0 absent, -1 other type or (strings)
 * longer than cap-1. */
int tad_get_str(const struct tad *ad, const char *name, char *buf, size_t cap);
int tad_get_int(const struct tad *ad, const char *name, int64_t *v);
int tad_get_bool(const struct tad *ad, const char *name, int *v);

/* Decode an old-syntax string literal (with its quotes) into buf. */
int tad_unquote(const char *expr, char *buf, size_t cap);

/* Remove name (absent: nothing happens). */
void tad_delete(struct tad *ad, const char *name);
/* Put the named attributes first, in that order (an HTCondor 9.0 daemon
 * sends its ads in hash-table order); the others follow as they were. */
void tad_reorder(struct tad *ad, const char *const *order, size_t n);
/* The attribute names as they go out, comma-separated, into buf. */
void tad_names(const struct tad *ad, char *buf, size_t cap);

/* Write the ad (no end of message).  names/nnames: a projection. */
int tad_put(struct cedar *c, const struct tad *ad, const char *const *names, size_t nnames,
            struct err *e);
/* Read an ad (no end of message). */
int tad_get(struct cedar *c, struct tad *ad, struct err *e);

#endif
