/*
 * sinful.c - parse, choose and format HTCondor sinful strings.
 * Semantics: /work/shared/protocol/locate.md section 5.
 */
#include "sinful.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int copy_bounded(char *dst, size_t cap, const char *src, size_t n, const char *what,
                        const char *bound, struct err *e)
{
	if (n >= cap) {
		err_push(e, SINFUL_ERRSUB, 1, "%s longer than %s (%zu bytes)", what, bound, cap - 1);
		return -1;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static int is_ipv4(const char *s)
{
	int parts = 0;

	for (;;) {
		int digits = 0, v = 0;
		while (isdigit((unsigned char)*s) && digits < 4) {
			v = v * 10 + (*s++ - '0');
			digits++;
		}
		if (!digits || v > 255)
			return 0;
		if (++parts == 4)
			return *s == '\0';
		if (*s++ != '.')
			return 0;
	}
}

/* Textual IPv6: groups of 1-4 hex digits, at most one "::", eight groups
 * without "::" (a trailing dotted IPv4 counts as two). */
static int is_ipv6(const char *s)
{
	int groups = 0, dcolon = 0;
	const char *p = s;

	if (p[0] == ':') {
		if (p[1] != ':')
			return 0;
		dcolon = 1;
		p += 2;
	}
	while (*p) {
		const char *g = p;
		while (isxdigit((unsigned char)*p) && p - g < 5)
			p++;
		if (*p == '.') {
			/* embedded IPv4 must be the last part */
			char v4[16];
			size_t n = strlen(g);
			if (n >= sizeof v4)
				return 0;
			memcpy(v4, g, n + 1);
			if (!is_ipv4(v4))
				return 0;
			groups += 2;
			break;
		}
		if (p == g || p - g > 4)
			return 0;
		groups++;
		if (*p == '\0')
			break;
		if (*p != ':')
			return 0;
		p++;
		if (*p == ':') {
			if (dcolon)
				return 0;
			dcolon = 1;
			p++;
		} else if (*p == '\0') {
			return 0; /* trailing single ':' */
		}
	}
	return dcolon ? groups <= 7 : groups == 8;
}

int sinful_ip_desirability(const char *ip)
{
	if (is_ipv4(ip)) {
		/* is_ipv4 checked the form: four decimal octets */
		char *end;
		unsigned long a = strtoul(ip, &end, 10), b = strtoul(end + 1, NULL, 10);
		if (a == 127)
			return 2;
		if (a == 169 && b == 254)
			return 3;
		if (a == 10 || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168))
			return 4;
		return 5;
	}
	if (is_ipv6(ip)) {
		if (!strcmp(ip, "::1"))
			return 2;
		if (!strncasecmp(ip, "fe8", 3) || !strncasecmp(ip, "fe9", 3) ||
		    !strncasecmp(ip, "fea", 3) || !strncasecmp(ip, "feb", 3))
			return 1;
		if (tolower((unsigned char)ip[0]) == 'f' &&
		    (tolower((unsigned char)ip[1]) == 'c' || tolower((unsigned char)ip[1]) == 'd'))
			return 4;
		return 5;
	}
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* %XX-decode n bytes of src into dst. */
static int url_decode(char *dst, size_t cap, const char *src, size_t n, const char *what,
                      struct err *e)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int ch = (unsigned char)src[i];
		if (ch == '%') {
			int h = i + 2 < n ? hexval((unsigned char)src[i + 1]) : -1;
			int l = i + 2 < n ? hexval((unsigned char)src[i + 2]) : -1;
			if (h < 0 || l < 0) {
				err_push(e, SINFUL_ERRSUB, 2, "bad %%-escape in %s", what);
				return -1;
			}
			ch = h * 16 + l;
			i += 2;
			if (ch == 0) {
				err_push(e, SINFUL_ERRSUB, 2, "NUL byte in %s", what);
				return -1;
			}
		}
		if (o + 1 >= cap) {
			err_push(e, SINFUL_ERRSUB, 1, "%s value longer than SINFUL_VALUE_MAX (%d)", what,
			         SINFUL_VALUE_MAX);
			return -1;
		}
		dst[o++] = (char)ch;
	}
	dst[o] = '\0';
	return 0;
}

/* One addrs= entry "ip-port" or "[a-b--c]-port". */
static int parse_addr_entry(struct sinful_addr *a, const char *s, size_t n, struct err *e)
{
	const char *dash = NULL;
	size_t i, iplen;
	char *end;
	char num[8];
	long port;

	for (i = n; i > 0; i--)
		if (s[i - 1] == '-') {
			dash = s + i - 1;
			break;
		}
	if (!dash || (size_t)(s + n - dash - 1) == 0 || (size_t)(s + n - dash - 1) >= sizeof num)
		goto bad;
	memcpy(num, dash + 1, (size_t)(s + n - dash - 1));
	num[s + n - dash - 1] = '\0';
	port = strtol(num, &end, 10);
	if (*end || port < 0 || port > 65535 || !isdigit((unsigned char)num[0]))
		goto bad;
	iplen = (size_t)(dash - s);
	if (iplen >= 2 && s[0] == '[' && s[iplen - 1] == ']') {
		s++;
		iplen -= 2;
	}
	if (iplen == 0 || iplen >= sizeof a->ip)
		goto bad;
	for (i = 0; i < iplen; i++)
		a->ip[i] = s[i] == '-' ? ':' : s[i];
	a->ip[iplen] = '\0';
	a->port = (unsigned)port;
	if (is_ipv4(a->ip))
		a->v6 = 0;
	else if (is_ipv6(a->ip))
		a->v6 = 1;
	else
		goto bad;
	return 0;
bad:
	err_push(e, SINFUL_ERRSUB, 3, "bad addrs= entry '%.*s'", (int)(n > 80 ? 80 : n), s);
	return -1;
}

static int parse_addrs(struct sinful *s, const char *v, struct err *e)
{
	const char *p = v;

	s->naddrs = 0;
	while (*p) {
		const char *q = strchr(p, '+');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		if (s->naddrs >= SINFUL_MAX_ADDRS) {
			err_push(e, SINFUL_ERRSUB, 4, "more than SINFUL_MAX_ADDRS (%d) entries in addrs=",
			         SINFUL_MAX_ADDRS);
			return -1;
		}
		if (parse_addr_entry(&s->addrs[s->naddrs], p, n, e) < 0)
			return -1;
		s->naddrs++;
		p += n + (q ? 1 : 0);
	}
	return 0;
}

static int set_param(struct sinful *s, const char *key, size_t kl, const char *val, size_t vl,
                     int has_value, struct err *e)
{
	char dec[SINFUL_VALUE_MAX], k[SINFUL_KEY_MAX];

	if (url_decode(k, sizeof k, key, kl, "sinful parameter name", e) < 0)
		return -1;
	if (!k[0]) {
		err_push(e, SINFUL_ERRSUB, 5, "empty parameter name in sinful");
		return -1;
	}
	if (url_decode(dec, sizeof dec, val, vl, k, e) < 0)
		return -1;
	if (!strcmp(k, "alias")) {
		if (copy_bounded(s->alias, sizeof s->alias, dec, strlen(dec), "alias", "SINFUL_HOST_MAX", e))
			return -1;
		s->flags |= SINFUL_HAS_ALIAS;
	} else if (!strcmp(k, "sock")) {
		strcpy(s->sock, dec);
		s->flags |= SINFUL_HAS_SOCK;
	} else if (!strcmp(k, "CCBID")) {
		strcpy(s->ccbid, dec);
		s->flags |= SINFUL_HAS_CCBID;
	} else if (!strcmp(k, "PrivAddr")) {
		strcpy(s->privaddr, dec);
		s->flags |= SINFUL_HAS_PRIVADDR;
	} else if (!strcmp(k, "PrivNet")) {
		strcpy(s->privnet, dec);
		s->flags |= SINFUL_HAS_PRIVNET;
	} else if (!strcmp(k, "noUDP")) {
		s->flags |= SINFUL_HAS_NOUDP;
	} else if (!strcmp(k, "addrs")) {
		if (parse_addrs(s, dec, e) < 0)
			return -1;
		s->flags |= SINFUL_HAS_ADDRS;
	} else {
		int i;
		for (i = 0; i < s->nextra; i++)
			if (!strcmp(s->extra[i].key, k))
				break;
		if (i == s->nextra) {
			if (s->nextra >= SINFUL_MAX_EXTRA) {
				err_push(e, SINFUL_ERRSUB, 6, "more than SINFUL_MAX_EXTRA (%d) unknown sinful parameters",
				         SINFUL_MAX_EXTRA);
				return -1;
			}
			s->nextra++;
		}
		strcpy(s->extra[i].key, k);
		strcpy(s->extra[i].value, dec);
		s->extra[i].has_value = has_value;
	}
	return 0;
}

static int parse_params(struct sinful *s, const char *p, size_t n, struct err *e)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i, eq;
		while (j < n && p[j] != '&' && p[j] != ';')
			j++;
		if (j > i) {
			for (eq = i; eq < j && p[eq] != '='; eq++)
				;
			if (set_param(s, p + i, eq - i, eq < j ? p + eq + 1 : "", eq < j ? j - eq - 1 : 0,
			              eq < j, e) < 0)
				return -1;
		}
		i = j + 1;
	}
	return 0;
}

static int set_host(struct sinful *s, const char *h, size_t n, struct err *e)
{
	if (n >= 2 && h[0] == '[') {
		if (h[n - 1] != ']') {
			err_push(e, SINFUL_ERRSUB, 7, "unterminated [IPv6] address in sinful");
			return -1;
		}
		h++;
		n -= 2;
		s->host_v6 = 1;
	}
	if (copy_bounded(s->host, sizeof s->host, h, n, "sinful host", "SINFUL_HOST_MAX", e) < 0)
		return -1;
	if (s->host_v6 && !is_ipv6(s->host)) {
		err_push(e, SINFUL_ERRSUB, 7, "bad IPv6 address [%s] in sinful", s->host);
		return -1;
	}
	if (!s->host_v6 && is_ipv6(s->host))
		s->host_v6 = 1;
	{
		size_t i;
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)s->host[i];
			/* ':' only inside an IPv6 literal: a name cannot hold one,
			 * and "<10::962>" would read back as another address */
			if (!(isalnum(ch) || ch == '.' || ch == '-' || ch == '_' ||
			      (ch == ':' && s->host_v6))) {
				err_push(e, SINFUL_ERRSUB, 7, "bad character in sinful host '%s'", s->host);
				return -1;
			}
		}
	}
	return 0;
}

static int set_port(struct sinful *s, const char *p, size_t n, struct err *e)
{
	size_t i;
	long v = 0;

	if (n == 0 || n > 5)
		goto bad;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			goto bad;
		v = v * 10 + (p[i] - '0');
	}
	if (v > 65535)
		goto bad;
	s->port = (int)v;
	return 0;
bad:
	err_push(e, SINFUL_ERRSUB, 8, "bad port '%.*s' in sinful", (int)(n > 16 ? 16 : n), p);
	return -1;
}

/* host[:port][?params] without the angle brackets. */
static int parse_inner(struct sinful *s, const char *p, size_t n, struct err *e)
{
	const char *q = memchr(p, '?', n);
	size_t hp = q ? (size_t)(q - p) : n;
	size_t colon;

	if (hp == 0) {
		err_push(e, SINFUL_ERRSUB, 9, "sinful has no host");
		return -1;
	}
	if (p[0] == '[') {
		const char *rb = memchr(p, ']', hp);
		if (!rb) {
			err_push(e, SINFUL_ERRSUB, 7, "unterminated [IPv6] address in sinful");
			return -1;
		}
		colon = (size_t)(rb - p) + 1;
		if (colon < hp && p[colon] != ':') {
			err_push(e, SINFUL_ERRSUB, 9, "junk after [IPv6] address in sinful");
			return -1;
		}
	} else {
		const char *c1 = memchr(p, ':', hp);
		colon = c1 ? (size_t)(c1 - p) : hp;
		/* a bare IPv6 literal (two or more colons) has no port */
		if (c1 && memchr(c1 + 1, ':', hp - colon - 1))
			colon = hp;
	}
	if (set_host(s, p, colon, e) < 0)
		return -1;
	if (colon < hp && set_port(s, p + colon + 1, hp - colon - 1, e) < 0)
		return -1;
	if (q && parse_params(s, q + 1, n - hp - 1, e) < 0)
		return -1;
	return 0;
}

/* ---- v1: {[ p="primary"; a="1.2.3.4"; port=9618; n="Internet"; ... ], ...} ---- */

static const char *v1_value(const char *p, const char *end, char *out, size_t cap)
{
	size_t o = 0;

	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p < end && *p == '"') {
		p++;
		while (p < end && *p != '"') {
			if (*p == '\\' && p + 1 < end)
				p++;
			if (o + 1 < cap)
				out[o++] = *p;
			else
				return NULL;
			p++;
		}
		if (p >= end)
			return NULL;
		p++;
	} else {
		while (p < end && *p != ';' && !isspace((unsigned char)*p)) {
			if (o + 1 < cap)
				out[o++] = *p++;
			else
				return NULL;
		}
	}
	out[o] = '\0';
	return p;
}

static int parse_v1(struct sinful *s, const char *str, struct err *e)
{
	const char *p = str + 1, *end = str + strlen(str);
	int have_primary = 0;

	if (end[-1] != '}') {
		err_push(e, SINFUL_ERRSUB, 10, "v1 address does not end with '}'");
		return -1;
	}
	end--;
	while (p < end) {
		const char *rb;
		char proto[32] = "", addr[64] = "", alias[SINFUL_HOST_MAX] = "", spid[SINFUL_VALUE_MAX] = "";
		char net[64] = "";
		long port = -1;
		int noudp = 0;

		while (p < end && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (p >= end)
			break;
		if (*p != '[' || !(rb = memchr(p, ']', (size_t)(end - p)))) {
			err_push(e, SINFUL_ERRSUB, 10, "bad v1 address: expected [ ... ]");
			return -1;
		}
		p++;
		while (p < rb) {
			char key[32], val[SINFUL_VALUE_MAX];
			size_t kl = 0;
			while (p < rb && (isspace((unsigned char)*p) || *p == ';'))
				p++;
			if (p >= rb)
				break;
			while (p < rb && (isalnum((unsigned char)*p) || *p == '_') && kl + 1 < sizeof key)
				key[kl++] = *p++;
			key[kl] = '\0';
			while (p < rb && isspace((unsigned char)*p))
				p++;
			if (!kl || p >= rb || *p != '=') {
				err_push(e, SINFUL_ERRSUB, 10, "bad v1 address: expected key = value");
				return -1;
			}
			p = v1_value(p + 1, rb, val, sizeof val);
			if (!p) {
				err_push(e, SINFUL_ERRSUB, 10, "bad v1 address value for %s", key);
				return -1;
			}
			{
				char *dst = NULL;
				size_t dcap = 0;
				if (!strcmp(key, "p")) {
					dst = proto;
					dcap = sizeof proto;
				} else if (!strcmp(key, "a")) {
					dst = addr;
					dcap = sizeof addr;
				} else if (!strcmp(key, "n")) {
					dst = net;
					dcap = sizeof net;
				} else if (!strcmp(key, "alias")) {
					dst = alias;
					dcap = sizeof alias;
				} else if (!strcmp(key, "spid")) {
					dst = spid;
					dcap = sizeof spid;
				} else if (!strcmp(key, "port")) {
					port = strtol(val, NULL, 10);
				}
				if (dst && copy_bounded(dst, dcap, val, strlen(val), key,
				                        "its v1 field bound", e) < 0)
					return -1;
			}
			if (!strcmp(key, "noUDP"))
				noudp = !strcasecmp(val, "true");
		}
		p = rb + 1;
		if (port < 0 || port > 65535 || !addr[0]) {
			err_push(e, SINFUL_ERRSUB, 10, "v1 route without address or port");
			return -1;
		}
		if (!strcmp(proto, "primary")) {
			if (set_host(s, addr, strlen(addr), e) < 0)
				return -1;
			s->port = (int)port;
			if (alias[0]) {
				strcpy(s->alias, alias);
				s->flags |= SINFUL_HAS_ALIAS;
			}
			if (spid[0]) {
				strcpy(s->sock, spid);
				s->flags |= SINFUL_HAS_SOCK;
			}
			if (noudp)
				s->flags |= SINFUL_HAS_NOUDP;
			have_primary = 1;
		} else if ((!strcasecmp(proto, "IPv4") || !strcasecmp(proto, "IPv6")) &&
		           !strcmp(net, "Internet")) {
			struct sinful_addr *a;
			if (s->naddrs >= SINFUL_MAX_ADDRS) {
				err_push(e, SINFUL_ERRSUB, 4, "more than SINFUL_MAX_ADDRS (%d) v1 routes",
				         SINFUL_MAX_ADDRS);
				return -1;
			}
			a = &s->addrs[s->naddrs];
			snprintf(a->ip, sizeof a->ip, "%s", addr);
			a->v6 = !strcasecmp(proto, "IPv6");
			a->port = (unsigned)port;
			if (a->v6 ? !is_ipv6(a->ip) : !is_ipv4(a->ip)) {
				err_push(e, SINFUL_ERRSUB, 3, "bad v1 route address %s", addr);
				return -1;
			}
			s->naddrs++;
			s->flags |= SINFUL_HAS_ADDRS;
		}
		/* CCB and private-network routes are not used by a tool. */
	}
	if (!have_primary) {
		err_push(e, SINFUL_ERRSUB, 10, "v1 address has no primary route");
		return -1;
	}
	return 0;
}

int sinful_parse(struct sinful *s, const char *str, struct err *e)
{
	size_t n;

	memset(s, 0, sizeof *s);
	s->port = -1;
	if (!str) {
		err_push(e, SINFUL_ERRSUB, 11, "no address");
		return -1;
	}
	n = strlen(str);
	if (n >= SINFUL_MAX) {
		err_push(e, SINFUL_ERRSUB, 1, "address longer than SINFUL_MAX (%d)", SINFUL_MAX);
		return -1;
	}
	if (n == 0) {
		err_push(e, SINFUL_ERRSUB, 11, "empty address");
		return -1;
	}
	if (str[0] == '{')
		return parse_v1(s, str, e);
	if (str[0] == '<') {
		if (str[n - 1] != '>' || n < 3) {
			err_push(e, SINFUL_ERRSUB, 12, "sinful '%.80s' does not end with '>'", str);
			return -1;
		}
		return parse_inner(s, str + 1, n - 2, e);
	}
	return parse_inner(s, str, n, e);
}

int sinful_is_valid(const char *str)
{
	const char *p, *q;
	char ip[64];
	size_t n;

	if (!str || str[0] != '<')
		return 0;
	p = str + 1;
	if (*p == '[') {
		q = strchr(p, ']');
		if (!q || (size_t)(q - p - 1) >= sizeof ip)
			return 0;
		memcpy(ip, p + 1, (size_t)(q - p - 1));
		ip[q - p - 1] = '\0';
		if (!is_ipv6(ip))
			return 0;
		q++;
	} else {
		q = strchr(p, ':');
		if (!q)
			return 0;
		n = (size_t)(q - p);
		if (n >= sizeof ip)
			return 0;
		memcpy(ip, p, n);
		ip[n] = '\0';
		if (!is_ipv4(ip))
			return 0;
	}
	if (*q != ':')
		return 0;
	return strchr(q, '>') != NULL;
}

/* ---- formatting ---------------------------------------------------------- */

struct out {
	char *buf;
	size_t cap, len;
	int over;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->over || n >= o->cap - o->len) {
		o->over = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put_encoded(struct out *o, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch) || strchr("._-:#[]+", ch)) {
			put(o, (const char *)&ch, 1);
		} else {
			char hex[4];
			snprintf(hex, sizeof hex, "%%%02X", ch);
			put(o, hex, 3);
		}
	}
}

struct kv {
	const char *key, *value; /* value NULL: key alone */
	int addrs;               /* format s->addrs */
};

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

int sinful_format(const struct sinful *s, char *outbuf, size_t cap, struct err *e)
{
	struct out o = { outbuf, cap, 0, 0 };
	struct kv kv[8 + SINFUL_MAX_EXTRA];
	int n = 0, i;
	char port[16];

	if (cap == 0)
		return -1;
	outbuf[0] = '\0';
	put(&o, "<", 1);
	if (s->host_v6)
		put(&o, "[", 1);
	put(&o, s->host, strlen(s->host));
	if (s->host_v6)
		put(&o, "]", 1);
	if (s->port >= 0) {
		snprintf(port, sizeof port, ":%d", s->port);
		put(&o, port, strlen(port));
	}
	if (s->flags & SINFUL_HAS_CCBID)
		kv[n++] = (struct kv){ "CCBID", s->ccbid, 0 };
	if (s->flags & SINFUL_HAS_PRIVADDR)
		kv[n++] = (struct kv){ "PrivAddr", s->privaddr, 0 };
	if (s->flags & SINFUL_HAS_PRIVNET)
		kv[n++] = (struct kv){ "PrivNet", s->privnet, 0 };
	if ((s->flags & SINFUL_HAS_ADDRS) && s->naddrs)
		kv[n++] = (struct kv){ "addrs", "", 1 };
	if (s->flags & SINFUL_HAS_ALIAS)
		kv[n++] = (struct kv){ "alias", s->alias, 0 };
	if (s->flags & SINFUL_HAS_NOUDP)
		kv[n++] = (struct kv){ "noUDP", NULL, 0 };
	if (s->flags & SINFUL_HAS_SOCK)
		kv[n++] = (struct kv){ "sock", s->sock, 0 };
	for (i = 0; i < s->nextra; i++)
		kv[n++] = (struct kv){ s->extra[i].key, s->extra[i].has_value ? s->extra[i].value : NULL, 0 };
	qsort(kv, (size_t)n, sizeof kv[0], kv_cmp);
	for (i = 0; i < n; i++) {
		put(&o, i ? "&" : "?", 1);
		put_encoded(&o, kv[i].key);
		if (kv[i].addrs) {
			int j;
			put(&o, "=", 1);
			for (j = 0; j < s->naddrs; j++) {
				char ent[96], *c;
				const struct sinful_addr *a = &s->addrs[j];
				if (a->v6)
					snprintf(ent, sizeof ent, "%s[%s]-%u", j ? "+" : "", a->ip, a->port);
				else
					snprintf(ent, sizeof ent, "%s%s-%u", j ? "+" : "", a->ip, a->port);
				if (a->v6)
					for (c = strchr(ent, '['); c && *c != ']'; c++)
						if (*c == ':')
							*c = '-';
				put(&o, ent, strlen(ent));
			}
		} else if (kv[i].value) {
			put(&o, "=", 1);
			put_encoded(&o, kv[i].value);
		}
	}
	put(&o, ">", 1);
	if (o.over) {
		err_push(e, SINFUL_ERRSUB, 13, "formatted sinful longer than the %zu-byte buffer", cap);
		outbuf[0] = '\0';
		return -1;
	}
	/* %-escaping can triple a parameter: never hand out text that
	 * sinful_parse (and HTCondor's peers) would refuse */
	if (o.len >= SINFUL_MAX) {
		err_push(e, SINFUL_ERRSUB, 13, "formatted sinful longer than SINFUL_MAX (%d)", SINFUL_MAX);
		outbuf[0] = '\0';
		return -1;
	}
	return 0;
}

/* ---- choosing -------------------------------------------------------------- */

int sinful_choose(const struct sinful *s, unsigned how, struct sinful *out, struct err *e)
{
	int best = -1, bestd = 0, i;

	*out = *s;
	if (!(s->flags & SINFUL_HAS_ADDRS) || s->naddrs == 0)
		return 0;
	for (i = 0; i < s->naddrs; i++) {
		const struct sinful_addr *a = &s->addrs[i];
		int d;
		if (a->v6 ? !(how & SINFUL_IPV6_OK) : !(how & SINFUL_IPV4_OK))
			continue;
		d = sinful_ip_desirability(a->ip) * 2;
		if ((how & SINFUL_PREFER_IPV4) && !a->v6)
			d++;
		/* first of equals wins: stable like HTCondor's sort */
		if (best < 0 || d > bestd) {
			best = i;
			bestd = d;
		}
	}
	if (best < 0) {
		err_push(e, SINFUL_ERRSUB, 14, "no address in addrs= uses an enabled protocol (IPv4/IPv6)");
		return -1;
	}
	snprintf(out->host, sizeof out->host, "%s", s->addrs[best].ip);
	out->host_v6 = s->addrs[best].v6;
	out->port = (int)s->addrs[best].port;
	return 0;
}
