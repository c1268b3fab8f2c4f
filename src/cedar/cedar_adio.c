/*
 * cedar_adio.c - struct classad_io over struct cedar.
 */
#include <string.h>

#include "cedar_adio.h"

static int put_int(void *ctx, int64_t v)
{
	struct cedar_adio *a = ctx;
	return cedar_put_int(a->c, v, a->e);
}

static int put_str(void *ctx, const char *s, size_t n)
{
	struct cedar_adio *a = ctx;
	/* the stream sends C strings; an embedded NUL would cut the line */
	if (s && memchr(s, 0, n)) {
		err_push(a->e, "CEDAR", CEDAR_ERR_PUT_FAILED, "String with an embedded NUL byte");
		return -1;
	}
	return cedar_put_str(a->c, s, a->e);
}

static int get_int(void *ctx, int64_t *v)
{
	struct cedar_adio *a = ctx;
	return cedar_get_int(a->c, v, a->e);
}

static int get_str(void *ctx, char *buf, size_t cap, size_t *len)
{
	struct cedar_adio *a = ctx;
	const char *s;
	size_t n;
	if (cedar_get_str_ptr(a->c, &s, &n, a->e) < 0)
		return -1;
	if (!s)
		return 1; /* HTCondor's NULL string */
	if (n + 1 > cap) {
		err_push(a->e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "ClassAd line of %lu bytes exceeds the reader's limit of %lu", (unsigned long)n,
		         (unsigned long)(cap ? cap - 1 : 0));
		return -1;
	}
	memcpy(buf, s, n + 1);
	if (len)
		*len = n;
	return 0;
}

void cedar_classad_io(struct cedar_adio *a, struct cedar *c, struct err *e,
                      struct classad_io *io)
{
	a->c = c;
	a->e = e;
	memset(io, 0, sizeof *io);
	io->ctx = a;
	io->put_int = put_int;
	io->put_str = put_str;
	io->get_int = get_int;
	io->get_str = get_str;
}
