/*
 * classad_wire.c - putClassAd / getClassAd framing over struct classad_io
 * (classad-wire.md sections 1-2, cedar.md section 3).
 *
 * The stream module adapts its own functions to struct classad_io, so
 * neither module includes the other.  Lines are assembled and received in
 * the free part of the ad's arena: no other buffer is needed, and a line
 * that does not fit is an error naming the bound, never truncated.
 */
#include "classad_int.h"

#include <string.h>

static int io_fail(struct err *e, const char *what, unsigned i, unsigned n)
{
	err_push(e, "CLASSAD", -CLASSAD_EIO, "stream error while %s %u of %u", what, i, n);
	return CLASSAD_EIO;
}

static int wanted(const struct classad *ad, const struct classad_attr *a, unsigned opts,
                  const char *const *names, size_t nnames)
{
	const char *nm = cad_view(ad, a).text + a->name_off;
	int priv = classad_is_private(nm, a->name_len);
	size_t i;

	if (priv && (opts & CLASSAD_PUT_NO_PRIVATE))
		return 0;
	if (priv == 2 && !(opts & CLASSAD_PUT_PRIV_V2))
		return 0;
	if (nnames == 0)
		return 1;
	for (i = 0; i < nnames; i++)
		if (cad_casecmp(nm, a->name_len, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

int classad_put(struct classad *ad, const struct classad_io *io, unsigned opts,
                const char *const *names, size_t nnames, struct err *e)
{
	const struct classad_attr *t = cad_table(ad);
	uint16_t order[CLASSAD_MAX_ATTRS];
	unsigned i, n = 0, sent = 0;

	/* Which attributes, in which order: the ad's order, or for a
	 * projection HTCondor's References order (case-insensitive). */
	for (i = 0; i < ad->nattr; i++) {
		unsigned j;
		if (!wanted(ad, &t[i], opts, names, nnames))
			continue;
		for (j = n; j > 0 && nnames > 0; j--) {
			const struct classad_attr *p = &t[order[j - 1]];
			if (cad_casecmp(cad_view(ad, p).text + p->name_off, p->name_len,
			                cad_view(ad, &t[i]).text + t[i].name_off, t[i].name_len) <= 0)
				break;
			order[j] = order[j - 1];
		}
		order[j] = (uint16_t)i;
		n++;
	}
	if (io->put_int(io->ctx, (int64_t)n) < 0)
		return io_fail(e, "sending the attribute count", 0, n);
	for (sent = 0; sent < n; sent++) {
		const struct classad_attr *a = &t[order[sent]];
		struct cview v = cad_view(ad, a);
		struct classad_sink s;
		struct classad_buf b;
		struct cout o;
		int rc;

		/* "Name = " + old-syntax unparse, the name raw as HTCondor sends it. */
		classad_sink_buf(&s, &b, (char *)ad->mem + ad->used, classad_free_bytes(ad));
		o.s = &s;
		o.failed = 0;
		cout_put(&o, v.text + a->name_off, a->name_len);
		cout_put(&o, " = ", 3);
		cad_unparse(&o, v, a->root, 1, 0);
		if (o.failed) {
			err_push(e, "CLASSAD", -CLASSAD_EBOUND,
			         "attribute %u does not fit in the %zu free arena bytes", sent,
			         classad_free_bytes(ad));
			return CLASSAD_EBOUND;
		}
		if (classad_is_private(v.text + a->name_off, a->name_len) && io->put_secret) {
			rc = io->put_str(io->ctx, "ZKM", 3);
			if (rc >= 0)
				rc = io->put_secret(io->ctx, b.p, b.len);
		} else {
			rc = io->put_str(io->ctx, b.p, b.len);
		}
		if (rc < 0)
			return io_fail(e, "sending attribute", sent + 1, n);
	}
	if (!(opts & CLASSAD_PUT_NO_TYPES)) {
		if (io->put_str(io->ctx, "", 0) < 0 || io->put_str(io->ctx, "", 0) < 0)
			return io_fail(e, "sending the type strings", 2, 2);
	}
	return 0;
}

/* Receive one string into the top of the free arena; returns its start. */
static int recv_line(struct classad *ad, const struct classad_io *io, int secret, char **line,
                     size_t *len, struct err *e)
{
	size_t limit = cad_limit(ad), room = limit - ad->used, cap;
	char *buf;
	int rc;

	cap = room < CLASSAD_MAX_EXPR_LEN + 1 ? room : CLASSAD_MAX_EXPR_LEN + 1;
	if (cap < 2) {
		err_push(e, "CLASSAD", -CLASSAD_EBOUND, "ClassAd arena full (%zu bytes free)", room);
		return CLASSAD_EBOUND;
	}
	buf = (char *)ad->mem + limit - cap;
	rc = secret ? io->get_secret(io->ctx, buf, cap, len) : io->get_str(io->ctx, buf, cap, len);
	if (rc < 0) {
		if (cap < CLASSAD_MAX_EXPR_LEN + 1)
			err_push(e, "CLASSAD", -CLASSAD_EIO,
			         "string longer than the %zu free arena bytes, or stream error", cap - 1);
		else
			err_push(e, "CLASSAD", -CLASSAD_EIO,
			         "string longer than CLASSAD_MAX_EXPR_LEN (%d) bytes, or stream error",
			         CLASSAD_MAX_EXPR_LEN);
		return CLASSAD_EIO;
	}
	if (rc == 1) {
		err_push(e, "CLASSAD", -CLASSAD_EPARSE, "NULL string where an attribute was expected");
		return CLASSAD_EPARSE;
	}
	if (*len >= cap) {
		err_push(e, "CLASSAD", -CLASSAD_EIO, "stream returned a string longer than its buffer");
		return CLASSAD_EIO;
	}
	/* Slide the bytes up against the limit so the parse below gets all
	 * the space under them. */
	memmove(ad->mem + limit - *len, buf, *len);
	*line = (char *)ad->mem + limit - *len;
	return 0;
}

int classad_get(struct classad *ad, const struct classad_io *io, unsigned opts, struct err *e)
{
	int64_t n;
	unsigned i;
	int rc;

	if (io->get_int(io->ctx, &n) < 0)
		return io_fail(e, "reading the attribute count", 0, 0);
	if (n < 0 || n > CLASSAD_WIRE_MAX_COUNT) {
		err_push(e, "CLASSAD", -CLASSAD_EPARSE,
		         "attribute count %lld out of range (0..CLASSAD_WIRE_MAX_COUNT=%d)", (long long)n,
		         CLASSAD_WIRE_MAX_COUNT);
		return CLASSAD_EPARSE;
	}
	for (i = 0; i < (unsigned)n; i++) {
		char *line;
		size_t len;

		rc = recv_line(ad, io, 0, &line, &len, e);
		if (rc == 0 && len == 3 && memcmp(line, "ZKM", 3) == 0) {
			if (!io->get_secret) {
				err_push(e, "CLASSAD", -CLASSAD_EPARSE,
				         "secret attribute marker ZKM but the connection has no key");
				rc = CLASSAD_EPARSE;
			} else {
				rc = recv_line(ad, io, 1, &line, &len, e);
			}
		}
		if (rc == 0)
			rc = cad_parse_line_lim(ad, line, len, (size_t)(line - (char *)ad->mem), e);
		if (rc) {
			err_push(e, "CLASSAD", -rc, "attribute %u of %lld", i + 1, (long long)n);
			return rc;
		}
	}
	if (!(opts & CLASSAD_GET_NO_TYPES)) {
		for (i = 0; i < 2; i++) {
			char *line;
			size_t len;
			rc = recv_line(ad, io, 0, &line, &len, e);
			if (rc) {
				err_push(e, "CLASSAD", -rc, "reading the %s string",
				         i ? "TargetType" : "MyType");
				return rc;
			}
		}
	}
	return 0;
}
