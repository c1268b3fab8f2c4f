/*
 * cedar_adio.h - the ClassAd module's wire callbacks (struct classad_io)
 * over a CEDAR stream, keeping the stream's error messages.
 *
 * Kept apart from cedar.h so that neither cedar nor classad needs the
 * other's header.
 */
#ifndef TOKENBOX_CEDAR_ADIO_H
#define TOKENBOX_CEDAR_ADIO_H

#include "cedar.h"
#include "classad.h"
#include "err.h"

/* Caller-owned glue; lives as long as io is used. */
struct cedar_adio {
	struct cedar *c;
	struct err *e; /* where stream errors go (may be NULL) */
};

/* Fill io for stream c.  No secret callbacks: with AES-GCM the stream
 * always encrypts, so HTCondor's put_secret is never needed. */
void cedar_classad_io(struct cedar_adio *a, struct cedar *c, struct err *e,
                      struct classad_io *io);

#endif
