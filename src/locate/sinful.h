/*
 * sinful.h - HTCondor daemon addresses ("sinful strings").
 *
 *   <10.0.0.1:9618?addrs=10.0.0.1-9618+[2001-db8--1]-9618&alias=cm.example.org&noUDP&sock=collector>
 *
 * Parses the "<host:port?params>" form, the looser forms HTCondor's Sinful
 * constructor accepts (host, host:port, host:port?params, bare IPv6) and
 * the v1 form published as AddressV1 ("{[ p=\"primary\"; a=...; port=...; ], ...}"),
 * chooses the address to connect to (locate.md 5.4) and formats a sinful
 * back in HTCondor's canonical order.  Fixed-size, no allocation.
 */
#ifndef TOKENBOX_SINFUL_H
#define TOKENBOX_SINFUL_H

#include <stddef.h>

#include "err.h"

/* ---- bounds (longer input is rejected, never truncated) ---------------- */
#define SINFUL_MAX 2048      /* a whole sinful or v1 string */
#define SINFUL_HOST_MAX 256  /* host name or IP literal (no brackets) */
#define SINFUL_VALUE_MAX 512 /* one decoded parameter value (CCBID, PrivAddr, ...) */
#define SINFUL_KEY_MAX 64    /* a parameter name */
#define SINFUL_MAX_ADDRS 16  /* entries in addrs= */
#define SINFUL_MAX_EXTRA 8   /* parameters this module does not interpret (kept) */

#define SINFUL_ERRSUB "SINFUL"

struct sinful_addr {
	char ip[64]; /* numeric, no brackets */
	int v6;
	unsigned port;
};

/* Which optional parameters are present. */
enum {
	SINFUL_HAS_ALIAS = 1 << 0,
	SINFUL_HAS_SOCK = 1 << 1,
	SINFUL_HAS_CCBID = 1 << 2,
	SINFUL_HAS_PRIVADDR = 1 << 3,
	SINFUL_HAS_PRIVNET = 1 << 4,
	SINFUL_HAS_NOUDP = 1 << 5,
	SINFUL_HAS_ADDRS = 1 << 6
};

struct sinful {
	char host[SINFUL_HOST_MAX]; /* IP literal or host name, no brackets */
	int host_v6;                /* host is an IPv6 literal (printed in []) */
	int port;                   /* -1 when absent */
	unsigned flags;             /* SINFUL_HAS_* */
	char alias[SINFUL_HOST_MAX];
	char sock[SINFUL_VALUE_MAX];
	char ccbid[SINFUL_VALUE_MAX];
	char privaddr[SINFUL_VALUE_MAX];
	char privnet[SINFUL_VALUE_MAX];
	int naddrs;
	struct sinful_addr addrs[SINFUL_MAX_ADDRS];
	int nextra;
	struct {
		char key[SINFUL_KEY_MAX];
		char value[SINFUL_VALUE_MAX];
		int has_value;
	} extra[SINFUL_MAX_EXTRA];
};

/* Parse any accepted form.  0, or -1 with the reason in e. */
int sinful_parse(struct sinful *s, const char *str, struct err *e);
/* HTCondor's is_valid_sinful: "<", an IPv4 literal or "[IPv6]", ":", and a
 * ">" later.  Host names do not count (a -name that is not an address). */
int sinful_is_valid(const char *str);
/* Canonical text: "<host:port?k=v&...>" with keys in HTCondor's order
 * (byte order: CCBID, PrivAddr, PrivNet, addrs, alias, noUDP, sock). */
int sinful_format(const struct sinful *s, char *out, size_t cap, struct err *e);

/* Choice of the address to dial (Sock::do_connect / chooseAddrFromAddrs). */
enum {
	SINFUL_IPV4_OK = 1 << 0,
	SINFUL_IPV6_OK = 1 << 1,
	SINFUL_PREFER_IPV4 = 1 << 2 /* among equally desirable entries */
};
/* out = s with host/port replaced by the most desirable addrs= entry whose
 * protocol is allowed (public > private > link-local > loopback > IPv6
 * link-local); without addrs=, a copy of s.  -1 if no entry is usable. */
int sinful_choose(const struct sinful *s, unsigned how, struct sinful *out, struct err *e);
/* Desirability of a numeric IP as HTCondor ranks it (1..5, 0 = not an IP). */
int sinful_ip_desirability(const char *ip);

#endif
