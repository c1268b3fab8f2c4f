/*
 * tokreq.c - token requests: the store and the server-side rules of
 * DC_START/FINISH/LIST/APPROVE/AUTO_APPROVE_TOKEN_REQUEST and
 * DC_GET_SESSION_TOKEN, following a 25.x daemon decision by decision
 * (token-commands.md §3-§9), including its quirks: later validation errors
 * overwrite earlier ones, FINISH reports "Request ID is not known." even
 * for an unparsable ID, the 1001st request gets an empty reply ad.
 */
#include "tokreq.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port/port.h"

void tokreq_init(struct tokreq_store *s)
{
	memset(s, 0, sizeof *s);
}

void tokreq_id_text(uint32_t id, char out[8])
{
	snprintf(out, 8, "%07u", (unsigned)(id % TOKREQ_ID_SPACE));
}

int tokreq_id_parse(const char *s, long long *v)
{
	char *end;
	long long x;
	if (!s || !*s)
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE || x > 2147483647LL || x < -2147483648LL)
		return -1;
	*v = x;
	return 0;
}

struct tokreq *tokreq_find(struct tokreq_store *s, uint32_t id)
{
	size_t i;
	for (i = 0; i < TOKREQ_MAX; i++)
		if (s->req[i].state != TOKREQ_FREE && s->req[i].id == id)
			return &s->req[i];
	return NULL;
}

static void req_free(struct tokreq_store *s, struct tokreq *r)
{
	memset(r, 0, sizeof *r);
	s->n--;
}

static uint32_t random_id(struct tokreq_store *s)
{
	uint32_t v = 0;
	if (s->nforced) {
		v = s->forced_id[0];
		memmove(s->forced_id, s->forced_id + 1, --s->nforced * sizeof s->forced_id[0]);
		return v % TOKREQ_ID_SPACE;
	}
	if (port_random(&v, sizeof v) != 0)
		v = (uint32_t)port_clock_ms();
	return v % TOKREQ_ID_SPACE;
}

struct tokreq *tokreq_insert(struct tokreq_store *s, uint32_t id, int64_t now)
{
	size_t i;
	if (s->n >= TOKREQ_MAX)
		return NULL;
	if (id >= TOKREQ_ID_SPACE)
		id = random_id(s);
	if (tokreq_find(s, id))
		return NULL;
	for (i = 0; i < TOKREQ_MAX; i++) {
		struct tokreq *r = &s->req[i];
		if (r->state == TOKREQ_FREE) {
			memset(r, 0, sizeof *r);
			r->state = TOKREQ_PENDING;
			r->id = id;
			r->request_time = now;
			r->lifetime = -1;
			s->n++;
			return r;
		}
	}
	return NULL;
}

void tokreq_cleanup(struct tokreq_store *s, const struct tokreq_cfg *cfg, int64_t now)
{
	size_t i, j;
	for (i = 0; i < TOKREQ_MAX; i++) {
		struct tokreq *r = &s->req[i];
		if (r->state == TOKREQ_FREE)
			continue;
		if (now - r->request_time > cfg->request_lifetime + 3600)
			req_free(s, r);
		else if (r->state == TOKREQ_PENDING && now - r->request_time > cfg->request_lifetime)
			r->state = TOKREQ_EXPIRED;
	}
	for (i = j = 0; i < s->nrules; i++)
		if (s->rule[i].expiry >= now)
			s->rule[j++] = s->rule[i];
	s->nrules = j;
}

/* ---- small helpers ------------------------------------------------------ */

static void out_clear(struct tokreq_out *o)
{
	memset(o, 0, sizeof *o);
}

static void out_error(struct tokreq_out *o, int64_t code, const char *msg)
{
	o->has_code = 1;
	o->code = code;
	o->has_error = 1;
	snprintf(o->error, sizeof o->error, "%s", msg);
}

static int copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* Is word (length wl) in the comma/space separated list? */
static int list_has(const char *list, const char *word, size_t wl)
{
	const char *p = list;
	while (p && *p) {
		size_t l;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		l = strcspn(p, ", \t");
		if (l == wl && !strncmp(p, word, wl))
			return 1;
		p += l;
	}
	return 0;
}

/* Append word to a comma list; -1 if it does not fit. */
static int list_add(char *list, size_t cap, const char *word, size_t wl)
{
	size_t n = strlen(list);
	if (n + (n ? 1 : 0) + wl >= cap)
		return -1;
	if (n)
		list[n++] = ',';
	memcpy(list + n, word, wl);
	list[n + wl] = '\0';
	return 0;
}

/* ---- identity and authorisation ---------------------------------------- */

static int glob(const char *pat, const char *s)
{
	if (*pat == '\0')
		return *s == '\0';
	if (*pat == '*') {
		for (;; s++) {
			if (glob(pat + 1, s))
				return 1;
			if (!*s)
				return 0;
		}
	}
	return *s && (tolower((unsigned char)*pat) == tolower((unsigned char)*s)) &&
	       glob(pat + 1, s + 1);
}

int tokreq_authz_match(const char *list, const char *fqu, const char *ip)
{
	const char *p = list;
	while (p && *p) {
		char ent[TOKREQ_STR_MAX], user[TOKREQ_STR_MAX], host[TOKREQ_STR_MAX];
		size_t l;
		char *slash;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		l = strcspn(p, ", \t");
		if (l == 0)
			break;
		if (l >= sizeof ent) {
			p += l;
			continue;
		}
		memcpy(ent, p, l);
		ent[l] = '\0';
		p += l;
		slash = strchr(ent, '/');
		if (slash) {
			*slash = '\0';
			snprintf(user, sizeof user, "%s", ent);
			snprintf(host, sizeof host, "%s", slash + 1);
		} else if (strchr(ent, '@')) {
			snprintf(user, sizeof user, "%s", ent);
			snprintf(host, sizeof host, "*");
		} else {
			snprintf(user, sizeof user, "*");
			snprintf(host, sizeof host, "%s", ent);
		}
		if (glob(user, fqu ? fqu : "") && glob(host, ip ? ip : ""))
			return 1;
	}
	return 0;
}

int tokreq_has_admin(const struct tokreq_cfg *cfg, const struct tokreq_peer *p)
{
	if (p->bounded && !list_has(p->authz, "ADMINISTRATOR", 13))
		return 0;
	return tokreq_authz_match(cfg->admin, p->fqu, p->ip);
}

/* ---- netblocks ------------------------------------------------------- */

static int parse_v4(const char *s, uint8_t out[4], int *parts, int allow_wild)
{
	int n = 0;
	memset(out, 0, 4);
	while (*s) {
		unsigned v = 0;
		int digits = 0;
		if (n == 4)
			return -1;
		if (allow_wild && *s == '*') {
			s++;
			if (*s)
				return -1;
			*parts = n;
			return 0;
		}
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255)
			return -1;
		out[n++] = (uint8_t)v;
		if (*s == '.') {
			s++;
			if (!*s)
				return -1;
		} else if (*s) {
			return -1;
		}
	}
	*parts = n;
	return n ? 0 : -1;
}

static int parse_v6(const char *s, uint8_t out[16])
{
	uint16_t w[8];
	int n = 0, gap = -1, i;
	memset(out, 0, 16);
	if (s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s) {
		unsigned v = 0;
		int d = 0, h;
		if (n == 8)
			return -1;
		if (strchr(s, '.') && !strchr(s, ':')) {
			uint8_t v4[4];
			int parts;
			if (n > 6 || parse_v4(s, v4, &parts, 0) != 0 || parts != 4)
				return -1;
			w[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
			w[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
			break;
		}
		while ((h = (*s >= '0' && *s <= '9') ? *s - '0' :
		            (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10 :
		            (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10 : -1) >= 0 && d < 4) {
			v = v * 16 + (unsigned)h;
			s++;
			d++;
		}
		if (!d)
			return -1;
		w[n++] = (uint16_t)v;
		if (*s == ':') {
			s++;
			if (*s == ':') {
				if (gap >= 0)
					return -1;
				gap = n;
				s++;
			} else if (!*s) {
				return -1;
			}
		} else if (*s) {
			return -1;
		}
	}
	if (gap < 0 && n != 8)
		return -1;
	if (gap >= 0 && n == 8)
		return -1;
	{
		int tail = gap < 0 ? 0 : n - gap, o = 0;
		int head = gap < 0 ? n : gap;
		for (i = 0; i < head; i++, o++) {
			out[2 * o] = (uint8_t)(w[i] >> 8);
			out[2 * o + 1] = (uint8_t)w[i];
		}
		o = 8 - tail;
		for (i = 0; i < tail; i++, o++) {
			out[2 * o] = (uint8_t)(w[head + i] >> 8);
			out[2 * o + 1] = (uint8_t)w[head + i];
		}
	}
	return 0;
}

int tokreq_net_parse(const char *s, struct tokreq_net *n)
{
	char addr[128];
	const char *slash;
	size_t al;
	int parts;

	memset(n, 0, sizeof *n);
	if (!s || !*s)
		return -1;
	if (!strcmp(s, "*") || !strcmp(s, "*/*")) {
		n->any = 1;
		return 0;
	}
	slash = strchr(s, '/');
	al = slash ? (size_t)(slash - s) : strlen(s);
	if (al == 0 || al >= sizeof addr)
		return -1;
	memcpy(addr, s, al);
	addr[al] = '\0';
	if (strchr(addr, ':')) {
		n->v6 = 1;
		if (parse_v6(addr, n->addr) != 0)
			return -1;
		n->bits = 128;
	} else {
		if (parse_v4(addr, n->addr, &parts, slash == NULL) != 0)
			return -1;
		if (slash && parts != 4)
			return -1;
		n->bits = parts * 8;
	}
	if (slash) {
		const char *m = slash + 1;
		if (*m && strspn(m, "0123456789") == strlen(m) && strlen(m) <= 3) {
			int b = atoi(m);
			if (b > (n->v6 ? 128 : 32))
				return -1;
			n->bits = b;
		} else if (!n->v6) {
			uint8_t mask[4];
			uint32_t mv;
			int b = 0;
			if (parse_v4(m, mask, &parts, 0) != 0 || parts != 4)
				return -1;
			mv = (uint32_t)mask[0] << 24 | (uint32_t)mask[1] << 16 |
			     (uint32_t)mask[2] << 8 | mask[3];
			while (mv & 0x80000000u) {
				b++;
				mv <<= 1;
			}
			if (mv)
				return -1; /* not a contiguous mask */
			n->bits = b;
		} else {
			return -1;
		}
	}
	return 0;
}

int tokreq_net_match(const struct tokreq_net *n, const char *ip)
{
	uint8_t a[16];
	int parts, i, v6 = strchr(ip, ':') != NULL;
	if (n->any)
		return 1;
	if (v6) {
		if (parse_v6(ip, a) != 0)
			return 0;
		if (!n->v6) {
			/* IPv4-mapped IPv6 peers match IPv4 netblocks. */
			static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
			if (memcmp(a, mapped, 12) != 0)
				return 0;
			memmove(a, a + 12, 4);
		}
	} else {
		if (n->v6 || parse_v4(ip, a, &parts, 0) != 0 || parts != 4)
			return 0;
	}
	for (i = 0; i < n->bits; i++) {
		int byte = i / 8, bit = 7 - i % 8;
		if (((a[byte] >> bit) & 1) != ((n->addr[byte] >> bit) & 1))
			return 0;
	}
	return 1;
}

/* ---- token issue --------------------------------------------------------- */

static int issue(const struct tokreq_cfg *cfg, const char *sub, const char *authz,
                 int64_t lifetime, int64_t now, char *out, size_t cap, struct err *e)
{
	struct testd_mint m;
	memset(&m, 0, sizeof m);
	m.sub = sub;
	m.iss = cfg->trust_domain;
	m.iat = now;
	m.lifetime = lifetime;
	m.authz = authz;
	return testd_jwt_mint(cfg->key, &m, out, cap, e);
}

static int have_key(const struct tokreq_cfg *cfg, struct err *e)
{
	if (cfg->key && cfg->key->have)
		return 1;
	err_push(e, "TOKEN_UTILS", 4, "Server does not have a signing key configured.");
	return 0;
}

static void out_from_err(struct tokreq_out *o, const struct err *e)
{
	char text[TOKREQ_ERR_MAX];
	out_error(o, err_code(e), err_text(e, text, sizeof text));
}

static int should_auto_approve(const struct tokreq_store *s, const struct tokreq *r, int64_t now)
{
	const char *p;
	int64_t max_age;
	size_t i;

	if (r->state != TOKREQ_PENDING || strncmp(r->requested_identity, "condor@", 7) != 0)
		return 0;
	if (!r->authz[0])
		return 0;
	for (p = r->authz; *p;) {
		size_t l = strcspn(p, ",");
		if (!((l == 16 && !strncmp(p, "ADVERTISE_SCHEDD", 16)) ||
		      (l == 16 && !strncmp(p, "ADVERTISE_STARTD", 16)) ||
		      (l == 16 && !strncmp(p, "ADVERTISE_MASTER", 16))))
			return 0;
		p += l;
		if (*p == ',')
			p++;
	}
	max_age = r->lifetime >= 0 ? r->lifetime : 365LL * 24 * 3600;
	if (now - r->request_time > max_age)
		return 0;
	for (i = 0; i < s->nrules; i++) {
		const struct tokreq_rule *ru = &s->rule[i];
		if (tokreq_net_match(&ru->net, r->peer_location) && r->request_time <= ru->expiry &&
		    r->request_time >= ru->issue_time - 60)
			return 1;
	}
	return 0;
}

/* ---- the commands -------------------------------------------------------- */

void tokreq_start(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                  const struct tokreq_peer *p, const struct tokreq_in *in, int64_t now,
                  struct tokreq_out *out)
{
	int code = 0;
	const char *msg = NULL;
	char authz[TOKREQ_STR_MAX] = "";
	int64_t lifetime;
	struct tokreq *r;
	uint32_t id;
	int tries = 0;
	struct err e;

	out_clear(out);
	err_clear(&e);
	if (!cfg->enable_request) {
		out_error(out, 44, "Token request disabled.");
		out->close_after = 1;
		return;
	}
	if (!in->client_id) {
		code = 2;
		msg = "No client ID provided.";
	}
	if (!in->user) {
		code = 2;
		msg = "No identity request.";
	}
	if (in->authz) {
		const char *q = in->authz;
		while (*q) {
			size_t l;
			while (*q == ',' || *q == ' ' || *q == '\t')
				q++;
			l = strcspn(q, ", \t");
			if (l && (!cfg->request_limits || !*cfg->request_limits ||
			          list_has(cfg->request_limits, q, l)) &&
			    list_add(authz, sizeof authz, q, l) != 0) {
				code = 2;
				msg = "LimitAuthorization over TOKREQ_STR_MAX";
			}
			q += l;
		}
		if (cfg->request_limits && *cfg->request_limits && !authz[0]) {
			code = 3;
			msg = "All requested authorizations were eliminated by the "
			      "SEC_TOKEN_REQUEST_LIMITS setting";
		}
	} else if (cfg->request_limits && *cfg->request_limits) {
		/* the configured set, comma-joined */
		const char *q = cfg->request_limits;
		while (*q) {
			size_t l;
			while (*q == ',' || *q == ' ' || *q == '\t')
				q++;
			l = strcspn(q, ", \t");
			if (l && !list_has(authz, q, l))
				list_add(authz, sizeof authz, q, l);
			q += l;
		}
	}
	lifetime = in->has_lifetime ? in->lifetime : -1;
	if (cfg->issued_expiration > 0 && (lifetime > cfg->issued_expiration || lifetime < 0))
		lifetime = cfg->issued_expiration;
	/* Our own bounds on what we store (a real daemon has none). */
	if (!code && ((in->client_id && strlen(in->client_id) >= TOKREQ_STR_MAX) ||
	              (in->user && strlen(in->user) >= TOKREQ_STR_MAX) ||
	              strlen(p->fqu) >= TOKREQ_STR_MAX || strlen(p->ip) >= TOKREQ_STR_MAX)) {
		code = 2;
		msg = "ClientId or User over the test daemon's TOKREQ_STR_MAX";
	}
	if (code) {
		out_error(out, code, msg);
		return;
	}
	if (s->n > TOKREQ_LIMIT) {
		/* The real daemon notes "Too many requests in the system." but
		 * never puts it in the reply: the client gets an empty ad. */
		out->empty = 1;
		return;
	}
	do {
		id = random_id(s);
	} while (tokreq_find(s, id) && tries++ < 5);
	out->has_request_id = 1;
	tokreq_id_text(id, out->request_id);
	if (tokreq_find(s, id)) {
		out_error(out, 4, "Unable to generate new request ID");
		return;
	}
	r = tokreq_insert(s, id, now);
	if (!r) {
		out_error(out, 4, "Unable to generate new request ID");
		return;
	}
	copy_str(r->client_id, sizeof r->client_id, in->client_id);
	copy_str(r->requested_identity, sizeof r->requested_identity, in->user);
	copy_str(r->authn_identity, sizeof r->authn_identity, p->fqu);
	copy_str(r->peer_location, sizeof r->peer_location, p->ip);
	copy_str(r->authz, sizeof r->authz, authz);
	r->lifetime = lifetime;

	if (!have_key(cfg, &e)) {
		/* The request stays stored; the reply carries the key error. */
		out_from_err(out, &e);
		return;
	}
	if (should_auto_approve(s, r, now)) {
		if (issue(cfg, r->requested_identity, r->authz, r->lifetime, now, out->token,
		          sizeof out->token, &e) != 0) {
			out_from_err(out, &e);
			return;
		}
		out->has_token = 1;
		req_free(s, r);
		return;
	}
	if (!p->encrypted) {
		req_free(s, r);
		out_clear(out);
		out_error(out, 7, "Request to server was not encrypted.");
		return;
	}
	if (!p->method || !*p->method || !strcmp(p->method, "ANONYMOUS")) {
		req_free(s, r);
		out_clear(out);
		out_error(out, 7, "Request to server was made using ANONYMOUS or no authentication.");
		return;
	}
}

void tokreq_finish(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                   const struct tokreq_in *in, int64_t now, struct tokreq_out *out)
{
	int code = 0;
	const char *msg = NULL;
	long long id = -1;
	struct tokreq *r = NULL;

	(void)now;
	out_clear(out);
	if (!cfg->enable_request) {
		out_error(out, 44, "Token request disabled.");
		out->close_after = 1;
		return;
	}
	if (!in->client_id) {
		code = 2;
		msg = "No client ID provided.";
	}
	if (!in->request_id) {
		code = 2;
		msg = "No request ID provided.";
	} else if (tokreq_id_parse(in->request_id, &id) != 0) {
		code = 2;
		msg = "Unable to convert request ID to integer.";
		id = -1;
	}
	if (id >= 0 && id < (long long)TOKREQ_ID_SPACE)
		r = tokreq_find(s, (uint32_t)id);
	if (!r) {
		/* Overwrites any earlier error, as the daemon does. */
		out_error(out, 3, "Request ID is not known.");
		return;
	}
	if (strcmp(r->client_id, in->client_id ? in->client_id : "") != 0) {
		out_error(out, 3, "Client ID is incorrect.");
		return;
	}
	switch (r->state) {
	case TOKREQ_PENDING:
		break;
	case TOKREQ_SUCCESS:
		if (!code) {
			out->has_token = 1;
			snprintf(out->token, sizeof out->token, "%s", r->token);
		}
		req_free(s, r);
		if (!out->token[0] && !code) {
			code = 6;
			msg = "Internal state error.";
			out->has_token = 0;
		}
		break;
	case TOKREQ_FAILED:
		code = 4;
		msg = "Request failed.";
		req_free(s, r);
		break;
	case TOKREQ_EXPIRED:
	default:
		code = 5;
		msg = "Request has expired.";
		req_free(s, r);
		break;
	}
	if (code) {
		out_clear(out);
		out_error(out, code, msg);
		return;
	}
	out->has_token = 1; /* "" = still pending: poll again */
}

int tokreq_list(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                const struct tokreq_peer *p, const struct tokreq_in *in,
                int (*fn)(const struct tokreq *r, void *arg), void *arg,
                struct tokreq_out *out)
{
	int admin = tokreq_has_admin(cfg, p);
	long long v;
	size_t i;
	char idtext[8];

	out_clear(out);
	if (!cfg->enable_request) {
		out_error(out, 44, "Token request disabled.");
		out->close_after = 1;
		return 0;
	}
	out->has_code = 1;
	if (in->request_id && *in->request_id && tokreq_id_parse(in->request_id, &v) != 0) {
		out_error(out, 2, "Unable to convert request ID to integer.");
		return 0;
	}
	for (i = 0; i < TOKREQ_MAX; i++) {
		const struct tokreq *r = &s->req[i];
		if (r->state != TOKREQ_PENDING)
			continue;
		tokreq_id_text(r->id, idtext);
		if (in->request_id && *in->request_id && strcmp(in->request_id, idtext) != 0)
			continue;
		if (!admin && strcmp(r->requested_identity, p->fqu) != 0)
			continue;
		if (fn(r, arg) != 0)
			return -1;
	}
	return 0;
}

/* "Is every entry of need in have?" (comma lists) */
static int subset(const char *need, const char *have)
{
	const char *q = need;
	while (*q) {
		size_t l;
		while (*q == ',' || *q == ' ')
			q++;
		l = strcspn(q, ", ");
		if (l && !list_has(have, q, l))
			return 0;
		q += l;
	}
	return 1;
}

void tokreq_approve(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                    const struct tokreq_peer *p, const struct tokreq_in *in, int64_t now,
                    struct tokreq_out *out)
{
	int admin = tokreq_has_admin(cfg, p);
	int code = 0;
	const char *msg = NULL;
	long long id = -1;
	struct tokreq *r = NULL;
	struct err e;

	out_clear(out);
	err_clear(&e);
	if (!cfg->enable_request) {
		out_error(out, 44, "Token request disabled.");
		out->close_after = 1;
		return;
	}
	if (!in->request_id || !*in->request_id) {
		code = 1;
		msg = "Request ID not provided.";
	} else if (tokreq_id_parse(in->request_id, &id) != 0) {
		code = 2;
		msg = "Unable to convert request ID to integer.";
		id = -1;
	}
	if (id != -1) {
		r = (id >= 0 && id < (long long)TOKREQ_ID_SPACE) ? tokreq_find(s, (uint32_t)id) : NULL;
		if (!r) {
			code = 5;
			msg = "Request unknown.";
		}
	}
	if (!code && (!in->client_id || !*in->client_id)) {
		code = 1;
		msg = "Client ID not provided.";
	}
	if (!code && !r) {
		/* "-1" parses but names no request. */
		code = 5;
		msg = "Request unknown.";
	}
	if (!code && strcmp(in->client_id, r->client_id) != 0) {
		code = 5;
		msg = "Request unknown."; /* deliberately the same text */
	}
	if (!code && r->state != TOKREQ_PENDING) {
		code = 5;
		msg = "Request in incorrect state.";
	}
	if (!code && !admin && strcmp(r->requested_identity, p->fqu) != 0) {
		code = 6;
		msg = "Insufficient privilege to approve request.";
	}
	if (!code && !admin && p->bounded && (!r->authz[0] || !subset(r->authz, p->authz))) {
		code = 7;
		msg = "Insufficient privilege to approve request (scope restricted).";
	}
	if (!code && !admin && p->token_exp > 0 &&
	    (r->lifetime < 0 || now + r->lifetime > p->token_exp)) {
		code = 8;
		msg = "Insufficient privilege to approve request (lifetime).";
	}
	if (!code && !have_key(cfg, &e)) {
		out_from_err(out, &e);
		return;
	}
	if (code) {
		out_error(out, code, msg);
		return;
	}
	if (issue(cfg, r->requested_identity, r->authz, r->lifetime, now, r->token,
	          sizeof r->token, &e) != 0) {
		r->state = TOKREQ_FAILED;
		out_from_err(out, &e);
		return;
	}
	r->state = TOKREQ_SUCCESS;
	out->has_code = 1;
	out->code = 0;
}

void tokreq_auto_approve(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                         const struct tokreq_in *in, int64_t now, struct tokreq_out *out)
{
	int64_t lifetime = in->has_rule_lifetime ? in->rule_lifetime : -1;
	struct tokreq_rule rule;
	struct err e;
	size_t i;

	out_clear(out);
	err_clear(&e);
	if (!cfg->enable_request) {
		out_error(out, 44, "Token request disabled.");
		out->close_after = 1;
		return;
	}
	if (lifetime > cfg->auto_max_lifetime)
		lifetime = cfg->auto_max_lifetime;
	out->has_code = 1;
	if (lifetime <= 0) {
		err_push(&e, "DAEMON", -1, "Auto-approval rule lifetimes must be greater than zero.");
		out_from_err(out, &e);
		return;
	}
	if (!in->subnet || tokreq_net_parse(in->subnet, &rule.net) != 0) {
		err_push(&e, "DAEMON", -2, "Auto-approval rule netblock invalid.");
		out_from_err(out, &e);
		return;
	}
	if (s->nrules == TOKREQ_RULES_MAX) {
		err_push(&e, "DAEMON", -3, "test daemon holds TOKREQ_RULES_MAX (%d) rules already",
		         TOKREQ_RULES_MAX);
		out_from_err(out, &e);
		return;
	}
	rule.issue_time = now;
	rule.expiry = now + lifetime;
	s->rule[s->nrules++] = rule;
	if (!have_key(cfg, &e)) {
		out_from_err(out, &e);
		return;
	}
	for (i = 0; i < TOKREQ_MAX; i++) {
		struct tokreq *r = &s->req[i];
		if (r->state == TOKREQ_FREE || !should_auto_approve(s, r, now))
			continue;
		if (issue(cfg, r->requested_identity, r->authz, r->lifetime, now, r->token,
		          sizeof r->token, &e) != 0) {
			r->state = TOKREQ_FAILED;
			out_from_err(out, &e);
			return;
		}
		r->state = TOKREQ_SUCCESS;
	}
	out->code = 0;
}

void tokreq_session_token(const struct tokreq_cfg *cfg, const struct tokreq_peer *p,
                          const struct tokreq_in *in, int64_t now, struct tokreq_out *out)
{
	char authz[TOKREQ_STR_MAX] = "";
	int64_t lifetime = -1, max_lifetime = 0;
	struct err e;

	out_clear(out);
	err_clear(&e);
	if (!cfg->enable_fetch) {
		out_error(out, 44, "Token fetch disabled.");
		out->close_after = 1;
		return;
	}
	if (in->authz) {
		const char *q = in->authz;
		while (*q) {
			size_t l;
			while (*q == ',' || *q == ' ' || *q == '\t')
				q++;
			l = strcspn(q, ", \t");
			if (l && (!p->bounded || list_has(p->authz, q, l)) &&
			    list_add(authz, sizeof authz, q, l) != 0) {
				out_error(out, 4, "LimitAuthorization over TOKREQ_STR_MAX");
				return;
			}
			q += l;
		}
		if (!authz[0] && *in->authz) {
			out_error(out, 4, "Session doesn't allow requested authorization levels.");
			return;
		}
	} else if (p->bounded) {
		snprintf(authz, sizeof authz, "%s", p->authz);
	}
	if (in->has_lifetime) {
		lifetime = in->lifetime;
		if (cfg->issued_expiration > 0 && (lifetime > cfg->issued_expiration || lifetime < 0))
			lifetime = cfg->issued_expiration;
	}
	if (in->requested_key && !list_has(cfg->fetch_keys ? cfg->fetch_keys : "POOL",
	                                   in->requested_key, strlen(in->requested_key)) &&
	    !tokreq_authz_match(cfg->fetch_keys ? cfg->fetch_keys : "POOL", in->requested_key, "")) {
		out_error(out, 3, "Server will not sign with requested key.");
		return;
	}
	if (p->token_exp > 0) {
		max_lifetime = p->token_exp - now;
		if (lifetime > max_lifetime || (max_lifetime >= 0 && lifetime < 0))
			lifetime = max_lifetime;
	}
	if (max_lifetime < 0) {
		out_error(out, 3, "Cannot create new session as original one expired.");
	} else if (!p->mapped || !p->fqu || !*p->fqu) {
		out_error(out, 2, "Server did not successfully authenticate session.");
	} else if (!cfg->key || !cfg->key->have ||
	           (in->requested_key && strcmp(in->requested_key, cfg->key->name) != 0)) {
		out_error(out, 1, "Server does not have access to configured key.");
	} else if (issue(cfg, p->fqu, authz, lifetime, now, out->token, sizeof out->token, &e) != 0) {
		out_from_err(out, &e);
	} else {
		out->has_token = 1;
	}
}
