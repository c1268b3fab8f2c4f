/*
 * adlist.h - a bounded list of ClassAds kept as compact text.
 *
 * The approve tool must read every listed request before it prompts (the
 * daemon's 20 s timeout would otherwise expire while an operator reads),
 * but a daemon may hold a thousand requests.  Keeping a full ClassAd arena
 * per request would cost megabytes; instead each ad is stored as its
 * new-syntax text in one fixed buffer and parsed back, one at a time, when
 * it is shown.
 */
#ifndef TOKENBOX_ADLIST_H
#define TOKENBOX_ADLIST_H

#include <stddef.h>

#include "classad.h"
#include "err.h"

/* Ads in one list (a daemon keeps at most about 1000 requests). */
#define ADLIST_MAX_ADS 4096
/* Bytes of text for all of them (a request ad is ~300 bytes). */
#define ADLIST_TEXT_MAX (2 * 1024 * 1024)

struct adlist {
	size_t n;
	size_t used;
	size_t off[ADLIST_MAX_ADS];
	size_t len[ADLIST_MAX_ADS];
	char text[ADLIST_TEXT_MAX];
};

void adlist_init(struct adlist *l);
/* Append a copy of ad (printed as new-syntax text).  Errors name the bound. */
int adlist_add(struct adlist *l, const struct classad *ad, struct err *e);
/* Parse ad i back into ad (cleared first). */
int adlist_get(const struct adlist *l, size_t i, struct classad *ad, struct err *e);

#endif
