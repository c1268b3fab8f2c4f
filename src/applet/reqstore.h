/*
 * reqstore.h - listed requests kept compactly: the attributes the approval
 * checks read (struct approve_request), copied into one text pool.
 *
 * A fleet run lists up to a daemon's 1000 pending requests and keeps only
 * those its manifest names, until each is decided; a whole ad per request
 * would cost about twice as much, and the checks, the report and the audit
 * line read nothing else.
 */
#ifndef TOKENBOX_REQSTORE_H
#define TOKENBOX_REQSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "approve_check.h"
#include "classad.h"
#include "err.h"

/* Requests kept (a manifest has at most MANIFEST_MAX_ROWS rows). */
#define REQSTORE_MAX 4096
/* Bytes of attribute text for all of them. */
#define REQSTORE_TEXT_MAX (1024 * 1024)

#define REQSTORE_NSTR 6 /* RequestId, ClientId, PeerLocation, RequestedIdentity,
                           AuthenticatedIdentity, LimitAuthorization */

struct reqstore_rec {
	uint32_t off[REQSTORE_NSTR]; /* offset + 1 in text; 0 = absent */
	int64_t lifetime;
	uint8_t has_lifetime, toolong, unsafe;
};

struct reqstore {
	size_t n;
	size_t used;
	struct reqstore_rec rec[REQSTORE_MAX];
	char text[REQSTORE_TEXT_MAX];
};

void reqstore_init(struct reqstore *s);
/* Keep the request in ad (approve_extract); returns its index, or -1 with
 * e naming the bound. */
long reqstore_add(struct reqstore *s, const struct classad *ad, struct err *e);
/* Request i as an approve_request whose strings point into the store. */
void reqstore_get(const struct reqstore *s, size_t i, struct approve_request *r);

#endif
