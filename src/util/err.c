#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
	if (e)
		e->n = 0;
}

void err_push(struct err *e, const char *subsys, int code, const char *fmt, ...)
{
	struct err_entry *ent;
	va_list ap;

	if (!e)
		return;
	if (e->n == ERR_MAX_ENTRIES) {
		/* Keep the newest context: the outermost message is what users
		 * read first, so the oldest (innermost) entry is dropped. */
		memmove(&e->entry[0], &e->entry[1], sizeof e->entry[0] * (ERR_MAX_ENTRIES - 1));
		e->n--;
	}
	ent = &e->entry[e->n++];
	snprintf(ent->subsys, sizeof ent->subsys, "%s", subsys ? subsys : "");
	ent->code = code;
	va_start(ap, fmt);
	vsnprintf(ent->msg, sizeof ent->msg, fmt, ap);
	va_end(ap);
}

void err_truncate(struct err *e, int n)
{
	if (e && n >= 0 && n < e->n)
		e->n = n;
}

int err_empty(const struct err *e)
{
	return !e || e->n == 0;
}

int err_code(const struct err *e)
{
	return err_empty(e) ? 0 : e->entry[e->n - 1].code;
}

const char *err_message(const struct err *e)
{
	return err_empty(e) ? "" : e->entry[e->n - 1].msg;
}

const char *err_text(const struct err *e, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (err_empty(e))
		return buf;
	for (i = e->n - 1; i >= 0 && used < len - 1; i--) {
		const struct err_entry *ent = &e->entry[i];
		int w = snprintf(buf + used, len - used, "%s%s:%d:%s", i == e->n - 1 ? "" : "|",
		                 ent->subsys, ent->code, ent->msg);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}
