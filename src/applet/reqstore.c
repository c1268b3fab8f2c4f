/*
 * reqstore.c - listed requests kept compactly (reqstore.h).
 */
#include "reqstore.h"

#include <string.h>

#include "approve_int.h"

void reqstore_init(struct reqstore *s)
{
	s->n = 0;
	s->used = 0;
}

static const char **field(struct approve_request *r, int i)
{
	switch (i) {
	case 0: return &r->request_id;
	case 1: return &r->client_id;
	case 2: return &r->peer;
	case 3: return &r->requested_identity;
	case 4: return &r->authenticated_identity;
	default: return &r->limit_authz;
	}
}

long reqstore_add(struct reqstore *s, const struct classad *ad, struct err *e)
{
	struct approve_request r;
	struct reqstore_rec *rec;
	size_t end;
	long used;
	int i;

	if (s->n == REQSTORE_MAX) {
		err_push(e, "TOKENBOX", 1, "more than REQSTORE_MAX (%d) listed requests to keep",
		         REQSTORE_MAX);
		return -1;
	}
	used = approve_extract(ad, &r, s->text + s->used, sizeof s->text - s->used);
	if (used < 0) {
		err_push(e, "TOKENBOX", 1, "the listed requests exceed REQSTORE_TEXT_MAX (%d bytes)",
		         REQSTORE_TEXT_MAX);
		return -1;
	}
	rec = &s->rec[s->n];
	/* A fleet's requests mostly repeat their authenticated identity,
	 * rights and network: a value equal to the previous request's shares
	 * its bytes, the others move down over the gaps. */
	end = s->used;
	for (i = 0; i < REQSTORE_NSTR; i++) {
		const char *v = *field(&r, i);
		const struct reqstore_rec *prev = s->n ? &s->rec[s->n - 1] : NULL;
		size_t len;

		rec->off[i] = 0;
		if (!v)
			continue;
		if (prev && prev->off[i] && strcmp(s->text + prev->off[i] - 1, v) == 0) {
			rec->off[i] = prev->off[i];
			continue;
		}
		len = strlen(v) + 1;
		memmove(s->text + end, v, len);
		rec->off[i] = (uint32_t)end + 1;
		end += len;
	}
	rec->lifetime = r.lifetime;
	rec->has_lifetime = r.has_lifetime ? 1 : 0;
	rec->toolong = r.toolong ? 1 : 0;
	rec->unsafe = r.unsafe ? 1 : 0;
	s->used = end;
	return (long)s->n++;
}

void reqstore_get(const struct reqstore *s, size_t i, struct approve_request *r)
{
	const struct reqstore_rec *rec = &s->rec[i];
	int k;

	memset(r, 0, sizeof *r);
	for (k = 0; k < REQSTORE_NSTR; k++)
		*field(r, k) = rec->off[k] ? s->text + rec->off[k] - 1 : NULL;
	r->lifetime = rec->lifetime;
	r->has_lifetime = rec->has_lifetime;
	r->toolong = rec->toolong;
	r->unsafe = rec->unsafe;
}
