#include "adlist.h"

#include <string.h>

void adlist_init(struct adlist *l)
{
	l->n = 0;
	l->used = 0;
}

int adlist_add(struct adlist *l, const struct classad *ad, struct err *e)
{
	struct classad_sink sink;
	struct classad_buf buf;

	if (l->n >= ADLIST_MAX_ADS) {
		err_push(e, "TOKENBOX", 1, "more than ADLIST_MAX_ADS (%d) ads in one reply",
		         ADLIST_MAX_ADS);
		return -1;
	}
	classad_sink_buf(&sink, &buf, l->text + l->used, sizeof l->text - l->used);
	if (classad_print(ad, CLASSAD_FORM_NEW, 0, &sink, e) != 0) {
		err_push(e, "TOKENBOX", 1, "ads in one reply exceed ADLIST_TEXT_MAX (%d bytes)",
		         ADLIST_TEXT_MAX);
		return -1;
	}
	l->off[l->n] = l->used;
	l->len[l->n] = buf.len;
	l->used += buf.len + 1; /* keep the NUL */
	l->n++;
	return 0;
}

int adlist_get(const struct adlist *l, size_t i, struct classad *ad, struct err *e)
{
	if (i >= l->n) {
		err_push(e, "TOKENBOX", 1, "no ad %zu in the list", i);
		return -1;
	}
	classad_clear(ad);
	return classad_parse_new(ad, l->text + l->off[i], l->len[i], e) == 0 ? 0 : -1;
}
