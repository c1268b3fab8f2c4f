#include "approve_check.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "classad.h"
#include "netblock.h"

static int plain_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == '+';
}

int approve_identity_plain(const char *id)
{
	const char *at;
	const char *p;

	if (!id || !*id)
		return 0;
	at = strchr(id, '@');
	if (!at || at == id || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (p = id; *p; p++)
		if (p != at && !plain_char((unsigned char)*p))
			return 0;
	return 1;
}

int approve_identity_is_condor(const char *id)
{
	return id && strncmp(id, "condor@", 7) == 0;
}

/* Next comma-separated item of *s (spaces trimmed); 0 at the end. */
static int next_item(const char **s, const char **item, size_t *len)
{
	const char *p = *s;

	while (*p == ',' || *p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	*item = p;
	while (*p && *p != ',')
		p++;
	*len = (size_t)(p - *item);
	while (*len && ((*item)[*len - 1] == ' ' || (*item)[*len - 1] == '\t'))
		(*len)--;
	*s = p;
	return 1;
}

static int list_has(const char *list, const char *item, size_t len)
{
	const char *it;
	size_t n;

	while (next_item(&list, &it, &n))
		if (n == len && strncasecmp(it, item, n) == 0)
			return 1;
	return 0;
}

int approve_expect_valid(const struct approve_expect *x, char *why, size_t whylen)
{
	struct netblock nb;

	if (x->peer && netblock_parse(x->peer, &nb) != 0) {
		snprintf(why, whylen, "expected peer '%s' is not an address or netblock", x->peer);
		return -1;
	}
	if (x->authz) {
		const char *s = x->authz, *it;
		size_t n;
		if (!next_item(&s, &it, &n)) {
			snprintf(why, whylen, "expected authorization list is empty");
			return -1;
		}
	}
	return 0;
}

/* The request's own text for a message: terminal-safe, cut to fit. */
static const char *actual(char *buf, size_t cap, const char *v)
{
	if (!v)
		return "(none)";
	snprintf(buf, cap, "'");
	classad_safe_cstr(buf + 1, cap - 2, v);
	strcat(buf, "'");
	return buf;
}

/* Bytes of a request value quoted in a message. */
#define APPROVE_QUOTE_MAX 160

int approve_check(const struct approve_expect *x, const struct approve_request *r, char *why,
                  size_t whylen)
{
	char q[APPROVE_QUOTE_MAX + 3];

	if (x->identity && (!r->requested_identity || strcmp(x->identity, r->requested_identity) != 0)) {
		snprintf(why, whylen, "RequestedIdentity differs: expected '%s', actual %s", x->identity,
		         actual(q, sizeof q, r->requested_identity));
		return -1;
	}
	if (x->client_id && (!r->client_id || strcmp(x->client_id, r->client_id) != 0)) {
		snprintf(why, whylen, "ClientId differs: expected '%s', actual %s", x->client_id,
		         actual(q, sizeof q, r->client_id));
		return -1;
	}
	if (x->peer) {
		struct netblock nb;
		if (netblock_parse(x->peer, &nb) != 0) {
			snprintf(why, whylen, "expected peer '%s' is not an address or netblock", x->peer);
			return -1;
		}
		if (!r->peer || !netblock_match(&nb, r->peer)) {
			snprintf(why, whylen, "PeerLocation differs: expected within '%s', actual %s",
			         x->peer, actual(q, sizeof q, r->peer));
			return -1;
		}
	}
	if (x->authz) {
		const char *s, *it;
		size_t n;

		/* No LimitAuthorization means the token carries every right of
		 * its identity: never a subset of an explicit list. */
		s = r->limit_authz;
		if (!s || !next_item(&s, &it, &n)) {
			snprintf(why, whylen,
			         "LimitAuthorization differs: expected a subset of '%s', actual %s (not limited)",
			         x->authz, actual(q, sizeof q, r->limit_authz));
			return -1;
		}
		s = r->limit_authz;
		while (next_item(&s, &it, &n)) {
			if (!list_has(x->authz, it, n)) {
				snprintf(why, whylen,
				         "LimitAuthorization differs: expected a subset of '%s', actual %s",
				         x->authz, actual(q, sizeof q, r->limit_authz));
				return -1;
			}
		}
	}
	if (x->max_lifetime >= 0) {
		if (!r->has_lifetime || r->lifetime < 0) {
			snprintf(why, whylen, "TokenLifetime differs: expected at most %lld, actual %s",
			         x->max_lifetime, r->has_lifetime ? "negative" : "(none)");
			return -1;
		}
		if (r->lifetime > x->max_lifetime) {
			snprintf(why, whylen, "TokenLifetime differs: expected at most %lld, actual %lld",
			         x->max_lifetime, r->lifetime);
			return -1;
		}
	}
	return 0;
}
