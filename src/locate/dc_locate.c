/*
 * dc_locate.c - from -type/-name/-pool and the configuration to one
 * daemon address, asking the collector when the plan says so.
 *
 * locate_plan() (src/locate.c) decides; this file performs the network
 * part: resolving -pool, the collector query over CEDAR, and choosing
 * the address to dial from the sinful string found.
 */
#include <stdio.h>
#include <string.h>

#include "classad.h"
#include "dc_token.h"
#include "debug.h"
#include "locate.h"
#include "port/port.h"
#include "sinful.h"

/* The collector's reply to a locate query is a short list of projected
 * ads; a busy schedd's full ad fits the big arena. */
static unsigned char locate_arena_q[CLASSAD_ARENA_SMALL];
static unsigned char locate_arena_r[CLASSAD_ARENA_BYTES];
static struct dc_client locate_client;
static struct locate_plan locate_p;
static struct sinful locate_s, locate_chosen;

int dc_type_from_name(const char *name)
{
	enum locate_type t = locate_type_from_name(name);

	return t == LOCATE_NONE ? -1 : (int)t;
}

/* Fill t from a sinful string: the text as given is the ConnectSinful,
 * the dialled address is the best addrs= entry. */
int dc_target_from_sinful(const char *text, struct dc_target *t, struct err *e)
{
	if (sinful_parse(&locate_s, text, e) != 0)
		return -1;
	if (sinful_choose(&locate_s, SINFUL_IPV4_OK | SINFUL_IPV6_OK | SINFUL_PREFER_IPV4,
	                  &locate_chosen, e) != 0)
		return -1;
	if (locate_chosen.port <= 0) {
		err_push(e, "LOCATE", 1, "address %s has no port", text);
		return -1;
	}
	if (strlen(text) >= sizeof t->sinful || strlen(locate_chosen.host) >= sizeof t->host ||
	    strlen(locate_chosen.sock) >= sizeof t->sock) {
		err_push(e, "LOCATE", 1, "address %s is too long", text);
		return -1;
	}
	if (text[0] == '<') {
		strcpy(t->sinful, text);
	} else if (sinful_format(&locate_s, t->sinful, sizeof t->sinful, e) != 0) {
		return -1;
	}
	strcpy(t->host, locate_chosen.host);
	t->port = (unsigned)locate_chosen.port;
	strcpy(t->sock, (locate_chosen.flags & SINFUL_HAS_SOCK) ? locate_chosen.sock : "");
	return 0;
}

/* A collector entry of COLLECTOR_HOST / -pool: "host", "host:port" or a
 * sinful; the default port is 9618. */
static int target_from_collector(const char *entry, struct dc_target *t, struct err *e)
{
	char buf[SINFUL_MAX];

	if (sinful_parse(&locate_s, entry, e) != 0)
		return -1;
	if (locate_s.port < 0)
		locate_s.port = 9618;
	if (sinful_format(&locate_s, buf, sizeof buf, e) != 0)
		return -1;
	return dc_target_from_sinful(buf, t, e);
}

/* One collector query: int 1 + ad ... int 0, one message.  The first ad
 * with a usable address wins. */
static int locate_query(const struct config *cfg, const struct locate_plan *p,
                        const struct dc_target *coll, char *addr, size_t cap, struct err *e)
{
	struct classad q, r;
	struct sec_result res;
	int64_t more;
	int found = 0;

	classad_init(&q, locate_arena_q, sizeof locate_arena_q);
	classad_init(&r, locate_arena_r, sizeof locate_arena_r);
	if (locate_query_ad(p, &q, e) != 0)
		return -1;
	if (dc_client_init(&locate_client, cfg, e) != 0)
		return -1;
	if (dc_start_command(&locate_client, coll, p->command, &res, e) != 0)
		return -1;
	if (dc_put_ad(&locate_client, &q, e) != 0) {
		err_push(e, "LOCATE", 1, "Failed to send query to collector %s", coll->sinful);
		dc_finish(&locate_client);
		return -1;
	}
	for (;;) {
		if (cedar_get_int(&locate_client.conn, &more, e) != 0) {
			err_push(e, "LOCATE", 1, "Failed to read the query reply from collector %s",
			         coll->sinful);
			dc_finish(&locate_client);
			return -1;
		}
		if (more == 0)
			break;
		if (dc_get_ad(&locate_client, &r, e) != 0) {
			err_push(e, "LOCATE", 1, "Failed to read an ad from collector %s", coll->sinful);
			dc_finish(&locate_client);
			return -1;
		}
		if (!found && locate_reply_address(p, &r, addr, cap, e) == 0)
			found = 1;
	}
	if (dc_end_recv(&locate_client, e) != 0) {
		dc_finish(&locate_client);
		return -1;
	}
	dc_finish(&locate_client);
	if (!found) {
		err_push(e, "LOCATE", 1, "collector %s knows no such daemon", coll->sinful);
		return -1;
	}
	return 0;
}

/* for_admin: LOCATE_FOR_ADMIN (auto-approve) rather than LOCATE_FOR_LOOKUP;
 * it only changes the collector query (locate_plan). */
static int dc_locate_for(const struct config *cfg, const char *type, const char *name,
                         const char *pool, int for_admin, struct dc_target *t, struct err *e)
{
	struct locate_request req;
	struct dc_target coll;
	char addr[SINFUL_MAX];
	char text[1024];
	int i;

	memset(t, 0, sizeof *t);
	memset(&req, 0, sizeof req);
	req.type = locate_type_from_name(type);
	req.name = name;
	req.pool = pool;
	req.super = port_euid() == 0;
	req.for_admin = for_admin;
	req.fqdn = locate_fqdn;
	req.fqdn_arg = (void *)cfg;

	if (pool) {
		/* The stock tools build the collector object first and print its
		 * error as "ERROR: <reason>". */
		char ip[64];
		if (target_from_collector(pool, &coll, e) != 0) {
			fprintf(stderr, "ERROR: %s\n", err_message(e));
			return DC_LOCATE_REPORTED;
		}
		if (port_resolve(coll.host, ip, sizeof ip) != 0) {
			fprintf(stderr, "ERROR: unknown host %s\n", coll.host);
			return DC_LOCATE_REPORTED;
		}
	}
	if (locate_plan(cfg, &req, &locate_p, e) != 0)
		return DC_LOCATE_FAILED;
	if (locate_p.kind == LOCATE_EXCEPT) {
		fprintf(stderr, "%s\n", err_message(e));
		return DC_LOCATE_EXCEPT;
	}
	if (locate_p.kind == LOCATE_DIRECT) {
		char ip[64];
		/* A daemon whose host name does not resolve is not located
		 * (Daemon::locate fails with "unknown host"). */
		if (locate_p.needs_resolve &&
		    port_resolve(locate_p.target.host, ip, sizeof ip) != 0) {
			err_push(e, "LOCATE", 1, "unknown host %s", locate_p.target.host);
			return DC_LOCATE_FAILED;
		}
		if (sinful_format(&locate_p.target, addr, sizeof addr, e) != 0 ||
		    dc_target_from_sinful(addr, t, e) != 0)
			return DC_LOCATE_FAILED;
		snprintf(t->name, sizeof t->name, "%s", locate_p.name);
		t->local = locate_p.local;
		dbg(D_HOSTNAME, "located %s at %s%s", type, t->sinful,
		    locate_p.from_file ? " (address file)" : "");
		return 0;
	}
	/* LOCATE_QUERY: try the collectors in order. */
	for (i = 0; i < locate_p.collectors.n; i++) {
		if (target_from_collector(locate_p.collectors.entry[i], &coll, e) != 0)
			continue;
		dbg(D_HOSTNAME, "asking collector %s for %s %s", coll.sinful, type,
		    locate_p.name[0] ? locate_p.name : "(local)");
		if (locate_query(cfg, &locate_p, &coll, addr, sizeof addr, e) == 0) {
			if (dc_target_from_sinful(addr, t, e) != 0)
				return DC_LOCATE_FAILED;
			snprintf(t->name, sizeof t->name, "%s", locate_p.name);
			t->local = locate_p.local;
			dbg(D_HOSTNAME, "located %s at %s", type, t->sinful);
			return 0;
		}
		dbg(D_HOSTNAME, "query failed: %s", err_text(e, text, sizeof text));
	}
	if (locate_p.collectors.n == 0)
		err_push(e, "LOCATE", 1, "COLLECTOR address or hostname not specified in config file");
	return DC_LOCATE_FAILED;
}

int dc_locate(const struct config *cfg, const char *type, const char *name, const char *pool,
              struct dc_target *t, struct err *e)
{
	return dc_locate_for(cfg, type, name, pool, 0, t, e);
}

int dc_locate_admin(const struct config *cfg, const char *type, const char *name,
                    const char *pool, struct dc_target *t, struct err *e)
{
	return dc_locate_for(cfg, type, name, pool, 1, t, e);
}
