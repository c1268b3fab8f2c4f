/*
 * audit.c - write approval decisions to the audit log (see audit.h).
 *
 * One line per decision, built whole in a buffer and handed to the port
 * layer as one append + fsync: a crash leaves whole lines, and concurrent
 * approvers appending to one file never interleave inside a line.
 */
#include "audit.h"

#include <stdio.h>
#include <string.h>

#include "classad.h"
#include "port/port.h"

static char audit_line[AUDIT_LINE_MAX];

void audit_utc(int64_t t, char *buf, size_t cap)
{
	/* Days since 1970-01-01 to a civil date (proleptic Gregorian), so
	 * that no time zone database is needed on a rescue image. */
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	snprintf(buf, cap, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y, (long long)m,
	         (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60),
	         (long long)(secs % 60));
}

int audit_open(struct audit *a, const char *path, struct err *e)
{
	int h;

	memset(a, 0, sizeof *a);
	a->fd = -1;
	if (!path || !*path)
		return 0;
	if (strlen(path) >= sizeof a->path) {
		err_push(e, "TOKENBOX", 1, "audit log path longer than %zu bytes", sizeof a->path - 1);
		return -1;
	}
	snprintf(a->path, sizeof a->path, "%s", path);
	h = port_log_open(path, 0600);
	if (h < 0) {
		err_push(e, "TOKENBOX", 1, "cannot open the audit log %s: %s", path,
		         port_strerror(port_last_errno()));
		return -1;
	}
	a->fd = h;
	a->uid = port_uid();
	if (port_user_name(a->uid, a->user, sizeof a->user) != 0)
		a->user[0] = '\0';
	if (port_host_name(a->host, sizeof a->host) != 0)
		a->host[0] = '\0';
	return 0;
}

void audit_close(struct audit *a)
{
	port_log_close(a->fd);
	a->fd = -1;
}

/* ---- the line ---------------------------------------------------------- */

struct line {
	struct classad_sink sink;
	struct classad_buf buf;
	int truncated;
};

static void put(struct line *l, const char *s)
{
	l->sink.write(l->sink.ctx, s, strlen(s));
}

/* "Key":"value" (null when value is NULL), values cut at AUDIT_VALUE_MAX. */
static void put_str(struct line *l, const char *key, const char *value)
{
	size_t n;

	put(l, key);
	if (!value) {
		put(l, "null");
		return;
	}
	n = strlen(value);
	if (n > AUDIT_VALUE_MAX) {
		/* Cut on a UTF-8 boundary: continuation bytes are 10xxxxxx. */
		n = AUDIT_VALUE_MAX;
		while (n > 0 && ((unsigned char)value[n] & 0xc0) == 0x80)
			n--;
		l->truncated = 1;
	}
	classad_print_str_json(value, n, &l->sink);
}

static void put_request(struct line *l, const struct approve_request *r)
{
	char num[32];

	if (!r) {
		put(l, ",\"Request\":null");
		return;
	}
	put_str(l, ",\"Request\":{\"ClientId\":", r->client_id);
	put_str(l, ",\"PeerLocation\":", r->peer);
	put_str(l, ",\"RequestedIdentity\":", r->requested_identity);
	put_str(l, ",\"AuthenticatedIdentity\":", r->authenticated_identity);
	put_str(l, ",\"LimitAuthorization\":", r->limit_authz);
	if (r->has_lifetime)
		snprintf(num, sizeof num, "%lld", r->lifetime);
	else
		snprintf(num, sizeof num, "null");
	put(l, ",\"TokenLifetime\":");
	put(l, num);
	put(l, "}");
}

int audit_write(struct audit *a, const struct audit_entry *en, struct err *e)
{
	struct line l;
	char when[32], num[64];
	int64_t now;

	if (a->fd < 0)
		return 0;
	classad_sink_buf(&l.sink, &l.buf, audit_line, sizeof audit_line);
	l.truncated = 0;
	now = port_time_now();
	audit_utc(now, when, sizeof when);
	put_str(&l, "{\"Time\":", when);
	snprintf(num, sizeof num, ",\"Epoch\":%lld", (long long)now);
	put(&l, num);
	put_str(&l, ",\"Tool\":", "tokenbox " TOKENBOX_VERSION);
	put_str(&l, ",\"User\":", a->user[0] ? a->user : NULL);
	snprintf(num, sizeof num, ",\"Uid\":%lu", (unsigned long)a->uid);
	put(&l, num);
	put_str(&l, ",\"Host\":", a->host[0] ? a->host : NULL);
	put_str(&l, ",\"Daemon\":", en->target->sinful);
	put_str(&l, ",\"DaemonName\":", en->target->name[0] ? en->target->name : NULL);
	put_str(&l, ",\"Method\":", en->client->method[0] ? en->client->method : NULL);
	put_str(&l, ",\"AuthenticatedAs\":", en->client->user[0] ? en->client->user : NULL);
	put_str(&l, ",\"Mode\":", en->mode);
	put_str(&l, ",\"Source\":", en->source);
	put_str(&l, ",\"RequestId\":", en->reqid);
	put_request(&l, en->req);
	put_str(&l, ",\"Decision\":", en->decision);
	put_str(&l, ",\"Reason\":", en->reason ? en->reason : "");
	put(&l, l.truncated ? ",\"Truncated\":true}\n" : "}\n");
	if (l.buf.overflow) {
		err_push(e, "TOKENBOX", 1, "audit log %s: the line for request %s exceeds %d bytes",
		         a->path, en->reqid ? en->reqid : "?", AUDIT_LINE_MAX);
		return -1;
	}
	if (port_log_append(a->fd, audit_line, l.buf.len) != 0) {
		err_push(e, "TOKENBOX", 1, "cannot write the audit log %s: %s", a->path,
		         port_strerror(port_last_errno()));
		return -1;
	}
	return 0;
}
