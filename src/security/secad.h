/*
 * secad.h - the small ClassAds of the security handshake.
 *
 * The DC_AUTHENTICATE ads (client policy, server reply, post-auth ad,
 * resume ad) only ever hold literals: strings, integers and booleans
 * (HTCondor 25.10+ refuses anything else there).  This module keeps such an
 * ad as an ordered list of `Name = <literal text>` pairs in a fixed buffer,
 * puts it on / gets it from a CEDAR stream in HTCondor's ClassAd wire form
 * (int count, one string per attribute, two trailing type strings), and
 * reads typed values back.  The general ClassAd module is not needed for
 * these, which keeps the handshake independent of it.
 *
 * Both roles use it: the client here, the test daemon for its replies.
 */
#ifndef TOKENBOX_SECAD_H
#define TOKENBOX_SECAD_H

#include <stddef.h>
#include <stdint.h>

#include "cedar.h"
#include "err.h"

/* Most attributes in one handshake ad (25.x POD limit is 100; V1 has 20). */
#define SECAD_MAX_ATTRS 64
/* Total text of all names and values of one ad. */
#define SECAD_TEXT_MAX 8192
/* Longest attribute name. */
#define SECAD_NAME_MAX 64

struct secad_attr {
	const char *name; /* into text[] */
	const char *expr; /* literal as on the wire: "\"x\"", "12", "true" */
};

struct secad {
	int n;
	struct secad_attr a[SECAD_MAX_ATTRS];
	size_t used;
	char text[SECAD_TEXT_MAX];
};

void secad_clear(struct secad *ad);
/* Set (replace or append) an attribute.  Strings are quoted and escaped.
 * Return 0, or -1 with an error naming the exceeded bound. */
int secad_set_str(struct secad *ad, const char *name, const char *val, struct err *e);
int secad_set_int(struct secad *ad, const char *name, int64_t v, struct err *e);
int secad_set_bool(struct secad *ad, const char *name, int v, struct err *e);
int secad_set_expr(struct secad *ad, const char *name, const char *expr, struct err *e);
void secad_delete(struct secad *ad, const char *name);

/* Lookup, names compared case-insensitively.  NULL if absent. */
const char *secad_expr(const struct secad *ad, const char *name);
/* Typed getters: 1 found and of that type, 0 absent, -1 present but not
 * that type (or, for strings, longer than cap-1: an over-long value is
 * never truncated). */
int secad_get_str(const struct secad *ad, const char *name, char *buf, size_t cap);
int secad_get_int(const struct secad *ad, const char *name, int64_t *v);
int secad_get_bool(const struct secad *ad, const char *name, int *v);

/* Orders HTCondor uses on the wire: a full ad is kept sorted by
 * (name length, case-insensitive name); a projection (resume ad) goes out
 * in case-insensitive alphabetical order. */
void secad_sort_by_length(struct secad *ad);
void secad_sort_alpha(struct secad *ad);

/* Put the ad: int n, n strings "Name = expr", "" and "" (MyType,
 * TargetType).  No end of message. */
int secad_put(struct cedar *c, const struct secad *ad, struct err *e);
/* Get an ad (no end of message).  Any literal-looking value is kept as
 * text; a line without " = " or over the bounds is an error. */
int secad_get(struct cedar *c, struct secad *ad, struct err *e);

/* Parse one "Name = expr" line (leading/trailing blanks trimmed) into ad. */
int secad_add_line(struct secad *ad, const char *line, size_t len, struct err *e);

#endif
