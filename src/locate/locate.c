/*
 * locate.c - the decision part of HTCondor's Daemon::locate for the token
 * tools: type table, collector list, address files, local vs. queried
 * daemons, the collector query ad, and reading the address from a reply.
 */
#include "locate.h"
#include "classad.h"
#include "debug.h"
#include "port/port.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Collector query commands (condor_commands.h). */
#define QUERY_STARTD_ADS 5
#define QUERY_SCHEDD_ADS 6
#define QUERY_MASTER_ADS 7
#define QUERY_NEGOTIATOR_ADS 50
#define QUERY_HAD_ADS 56
#define QUERY_GENERIC_ADS 74

#define LOOKUP_PROJECTION \
	"CondorVersion CondorPlatform MyAddress AddressV1 Name Machine _condor_PrivRemoteAdminCapability"

static const struct locate_type_info types[LOCATE_NTYPES] = {
	[LOCATE_NONE] = { "none", NULL, 0, NULL, NULL, 0 },
	[LOCATE_ANY] = { "any", NULL, 0, NULL, NULL, 1 },
	[LOCATE_MASTER] = { "master", "MASTER", QUERY_MASTER_ADS, "DaemonMaster", "MasterIpAddr", 1 },
	[LOCATE_SCHEDD] = { "schedd", "SCHEDD", QUERY_SCHEDD_ADS, "Scheduler", "ScheddIpAddr", 1 },
	[LOCATE_STARTD] = { "startd", "STARTD", QUERY_STARTD_ADS, "Machine", "StartdIpAddr", 1 },
	[LOCATE_COLLECTOR] = { "collector", "COLLECTOR", 0, NULL, NULL, 1 },
	[LOCATE_NEGOTIATOR] = { "negotiator", "NEGOTIATOR", QUERY_NEGOTIATOR_ADS, "Negotiator",
		                "NegotiatorIpAddr", 1 },
	[LOCATE_KBDD] = { "kbdd", "KBDD", 0, NULL, NULL, 1 },
	[LOCATE_DAGMAN] = { "dagman", NULL, 0, NULL, NULL, 0 },
	[LOCATE_VIEW_COLLECTOR] = { "view_collector", "CONDOR_VIEW", 0, NULL, NULL, 1 },
	[LOCATE_CLUSTER] = { "cluster_server", "CLUSTER", 0, NULL, NULL, 1 },
	[LOCATE_SHADOW] = { "shadow", NULL, 0, NULL, NULL, 0 },
	[LOCATE_STARTER] = { "starter", NULL, 0, NULL, NULL, 0 },
	[LOCATE_CREDD] = { "credd", "CREDD", QUERY_GENERIC_ADS, "CredD", "CredDIpAddr", 1 },
	[LOCATE_GRIDMANAGER] = { "gridmanager", NULL, 0, NULL, NULL, 0 },
	[LOCATE_PLACEMENTD] = { "placementd", "PLACEMENTD", QUERY_GENERIC_ADS, "PlacementD", NULL, 1 },
	[LOCATE_LEASE_MANAGER] = { "lease_manager", NULL, 0, NULL, NULL, 0 },
	[LOCATE_HAD] = { "had", "HAD", QUERY_HAD_ADS, "HAD", NULL, 1 },
	[LOCATE_GENERIC] = { "generic", "GENERIC", QUERY_GENERIC_ADS, "Generic", NULL, 1 },
};

enum locate_type locate_type_from_name(const char *s)
{
	int i;

	if (!s)
		return LOCATE_NONE;
	for (i = 1; i < LOCATE_NTYPES; i++)
		if (!strcasecmp(types[i].name, s))
			return (enum locate_type)i;
	return LOCATE_NONE;
}

const struct locate_type_info *locate_type_info(enum locate_type t)
{
	if ((int)t < 0 || t >= LOCATE_NTYPES)
		return &types[LOCATE_NONE];
	return &types[t];
}

/* ---- address files ------------------------------------------------------- */

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* "Attr = value": name and value (quoted strings unquoted, \" and \\
 * unescaped).  1 if the line has that shape, 0 if not, -1 too long. */
static int keyed_line(const char *s, const char *e, char *key, size_t kcap, char *val,
                      size_t vcap, int *quoted)
{
	const char *eq = memchr(s, '=', (size_t)(e - s)), *k2, *v;
	size_t o = 0;

	if (!eq)
		return 0;
	k2 = eq;
	while (k2 > s && isspace((unsigned char)k2[-1]))
		k2--;
	if (k2 == s || (size_t)(k2 - s) >= kcap)
		return 0;
	for (v = s; v < k2; v++)
		if (!isalnum((unsigned char)*v) && *v != '_' && *v != '.')
			return 0;
	memcpy(key, s, (size_t)(k2 - s));
	key[k2 - s] = '\0';
	v = eq + 1;
	trim(&v, &e);
	*quoted = 0;
	if (v < e && *v == '"' && e - v >= 2 && e[-1] == '"') {
		*quoted = 1;
		for (v++, e--; v < e; v++) {
			if (*v == '\\' && v + 1 < e)
				v++;
			if (o + 1 >= vcap)
				return -1;
			val[o++] = *v;
		}
	} else {
		if ((size_t)(e - v) >= vcap)
			return -1;
		memcpy(val, v, (size_t)(e - v));
		o = (size_t)(e - v);
	}
	val[o] = '\0';
	return 1;
}

/* Copy one address-file value; a value longer than its field is an error
 * naming the field, never a silently shortened string. */
static int field_copy(char *dst, size_t cap, const char *v, size_t n, const char *what,
                      struct err *e)
{
	if (n >= cap) {
		err_push(e, LOCATE_ERRSUB, 1, "address file: %s longer than %zu bytes", what, cap - 1);
		return -1;
	}
	memcpy(dst, v, n);
	dst[n] = '\0';
	return 0;
}

int locate_parse_address_file(const char *text, size_t len, const char *ipaddr_attr,
                              struct locate_addrfile *out, struct err *e)
{
	const char *p = text, *end = text + len;
	int lineno = 0, keyed = 0;
	char ipaddr[SINFUL_MAX] = "";

	memset(out, 0, sizeof *out);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *le = nl ? nl : end;
		char key[64], val[SINFUL_MAX];
		int quoted = 0, r;

		p = nl ? nl + 1 : end;
		trim(&s, &le);
		if (s == le || *s == '#')
			continue;
		if (memchr(s, '\0', (size_t)(le - s)))
			break;
		r = keyed_line(s, le, key, sizeof key, val, sizeof val, &quoted);
		if (r < 0) {
			err_push(e, LOCATE_ERRSUB, 1, "address file line longer than SINFUL_MAX (%d)",
			         SINFUL_MAX);
			return -1;
		}
		/* A "key = \"string\"" line switches to keyed mode for good. */
		if (r == 1 && quoted)
			keyed = 1;
		if (keyed) {
			char *dst = NULL;
			size_t cap = 0;
			if (r != 1)
				break; /* stop at the first line that is not an assignment */
			if (!strcasecmp(key, "MyAddress")) {
				dst = out->addr;
				cap = sizeof out->addr;
			} else if (ipaddr_attr && !strcasecmp(key, ipaddr_attr)) {
				dst = ipaddr;
				cap = sizeof ipaddr;
			} else if (!strcasecmp(key, "CondorVersion")) {
				dst = out->version;
				cap = sizeof out->version;
			} else if (!strcasecmp(key, "CondorPlatform")) {
				dst = out->platform;
				cap = sizeof out->platform;
			} else if (!strcasecmp(key, "Name")) {
				dst = out->name;
				cap = sizeof out->name;
			} else if (!strcasecmp(key, "Machine")) {
				dst = out->machine;
				cap = sizeof out->machine;
			}
			if (dst && field_copy(dst, cap, val, strlen(val), key, e) != 0)
				return -1;
			continue;
		}
		lineno++;
		if (lineno == 1) {
			if ((size_t)(le - s) >= sizeof out->addr)
				break;
			memcpy(out->addr, s, (size_t)(le - s));
			out->addr[le - s] = '\0';
			if (!sinful_is_valid(out->addr)) {
				out->addr[0] = '\0';
				break;
			}
		} else if (lineno == 2) {
			if (field_copy(out->version, sizeof out->version, s, (size_t)(le - s),
			               "CondorVersion", e) != 0)
				return -1;
		} else if (lineno == 3) {
			if (field_copy(out->platform, sizeof out->platform, s, (size_t)(le - s),
			               "CondorPlatform", e) != 0)
				return -1;
		} else {
			break;
		}
	}
	if (ipaddr[0])
		memcpy(out->addr, ipaddr, sizeof ipaddr);
	if (!out->addr[0] || !sinful_is_valid(out->addr)) {
		err_push(e, LOCATE_ERRSUB, 2, "no valid address in address file");
		out->addr[0] = '\0';
		return -1;
	}
	return 0;
}

int locate_read_address_file(const char *path, const char *ipaddr_attr,
                             struct locate_addrfile *out, struct err *e)
{
	char buf[LOCATE_FILE_MAX];
	size_t len = 0;
	int r = port_file_read(path, buf, sizeof buf, &len, NULL);
	struct err tmp = { 0 };

	if (r == PORT_ETOOBIG) {
		err_push(e, LOCATE_ERRSUB, 3, "address file %s larger than LOCATE_FILE_MAX (%d)", path,
		         LOCATE_FILE_MAX);
		return -1;
	}
	if (r != PORT_OK) {
		dbg(D_HOSTNAME, "locate: cannot read address file %s", path);
		return 0;
	}
	if (locate_parse_address_file(buf, len, ipaddr_attr, out, &tmp) < 0) {
		dbg(D_HOSTNAME, "locate: no valid address in %s", path);
		return 0;
	}
	dbg(D_HOSTNAME, "locate: address %s from %s", out->addr, path);
	return 1;
}

/* ---- collectors ------------------------------------------------------------ */

int locate_collector_list(const struct config *c, const char *pool,
                          struct locate_collectors *out, struct err *e)
{
	static const char *const knobs[] = { "COLLECTOR_HOST", "COLLECTOR_IP_ADDR", "CM_IP_ADDR" };
	char v[CONFIG_VALUE_MAX];
	const char *p;
	size_t i;

	out->n = 0;
	v[0] = '\0';
	if (pool && *pool) {
		snprintf(v, sizeof v, "%s", pool);
	} else {
		for (i = 0; i < sizeof knobs / sizeof knobs[0] && !v[0]; i++)
			if (config_get(c, knobs[i], v, sizeof v, e) < 0)
				return -1;
	}
	for (p = v; *p;) {
		size_t n;
		while (*p && strchr(", \t\r\n", *p))
			p++;
		n = strcspn(p, ", \t\r\n");
		if (!n)
			break;
		if (out->n >= LOCATE_MAX_COLLECTORS) {
			dbg(D_HOSTNAME, "locate: using only the first %d collectors (LOCATE_MAX_COLLECTORS)",
			    LOCATE_MAX_COLLECTORS);
			break;
		}
		if (n >= LOCATE_ENTRY_MAX) {
			err_push(e, LOCATE_ERRSUB, 4, "collector entry longer than LOCATE_ENTRY_MAX (%d)",
			         LOCATE_ENTRY_MAX);
			return -1;
		}
		memcpy(out->entry[out->n], p, n);
		out->entry[out->n][n] = '\0';
		out->n++;
		p += n;
	}
	return 0;
}

/* ---- helpers for the plan ----------------------------------------------------- */

static int knob(const struct config *c, const char *subsys, const char *suffix, char *out,
                size_t cap, struct err *e)
{
	char name[CONFIG_NAME_MAX];

	snprintf(name, sizeof name, "%s_%s", subsys, suffix);
	return config_get(c, name, out, cap, e);
}

/* Address from the subsystem's local files.  1 found, 0 not, -1 error. */
static int local_address(const struct config *c, const struct locate_type_info *ti, int super,
                         struct locate_addrfile *af, struct err *e)
{
	char path[CONFIG_VALUE_MAX];
	int r;

	if (super) {
		r = knob(c, ti->subsys, "SUPER_ADDRESS_FILE", path, sizeof path, e);
		if (r < 0)
			return -1;
		if (r == 0 && (r = knob(c, ti->subsys, "ADDRESS_FILE", path, sizeof path, e)) <= 0)
			return r;
		return locate_read_address_file(path, ti->ipaddr_attr, af, e);
	}
	r = knob(c, ti->subsys, "DAEMON_AD_FILE", path, sizeof path, e);
	if (r < 0)
		return -1;
	if (r > 0 && (r = locate_read_address_file(path, ti->ipaddr_attr, af, e)) != 0)
		return r;
	r = knob(c, ti->subsys, "ADDRESS_FILE", path, sizeof path, e);
	if (r <= 0)
		return r;
	return locate_read_address_file(path, ti->ipaddr_attr, af, e);
}

static int is_ip_literal(const char *h)
{
	return sinful_ip_desirability(h) != 0;
}

static int direct(struct locate_plan *p, const char *addr, struct err *e)
{
	if (sinful_parse(&p->target, addr, e) < 0)
		return -1;
	p->kind = LOCATE_DIRECT;
	p->needs_resolve = !is_ip_literal(p->target.host);
	return 0;
}

/* Escape a string for a ClassAd string literal. */
static int quote(char *out, size_t cap, const char *s)
{
	size_t o = 0;

	if (cap < 3)
		return -1;
	out[o++] = '"';
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') {
			if (o + 1 >= cap)
				return -1;
			out[o++] = '\\';
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = *s;
	}
	if (o + 2 > cap)
		return -1;
	out[o++] = '"';
	out[o] = '\0';
	return 0;
}

static int add_attr(struct locate_plan *p, struct err *e, const char *fmt, const char *a,
                    const char *b)
{
	int n;

	if (p->nattrs >= LOCATE_QUERY_ATTRS) {
		err_push(e, LOCATE_ERRSUB, 5, "query ad has more than LOCATE_QUERY_ATTRS attributes");
		return -1;
	}
	n = snprintf(p->attr[p->nattrs], LOCATE_ATTR_MAX, fmt, a, b);
	if (n < 0 || n >= LOCATE_ATTR_MAX) {
		err_push(e, LOCATE_ERRSUB, 6, "query attribute longer than LOCATE_ATTR_MAX (%d)",
		         LOCATE_ATTR_MAX);
		return -1;
	}
	p->nattrs++;
	return 0;
}

int locate_fqdn(const char *host, char *out, size_t cap, void *arg)
{
	const struct config *c = arg;
	char canon[LOCATE_ENTRY_MAX], dom[LOCATE_ENTRY_MAX];
	int nodns = 0;

	if (!host[0])
		return -1;
	if (strchr(host, '.'))
		return snprintf(out, cap, "%s", host) < (int)cap ? 0 : -1;
	if (config_get_bool(c, "NO_DNS", 0, &nodns, NULL) < 0)
		nodns = 0;
	if (!nodns) {
		if (port_canon_name(host, canon, sizeof canon) != 0) {
			dbg(D_HOSTNAME, "%s does not resolve: no daemon name", host);
			return -1;
		}
		if (strchr(canon, '.'))
			return snprintf(out, cap, "%s", canon) < (int)cap ? 0 : -1;
	}
	if (config_get(c, "DEFAULT_DOMAIN_NAME", dom, sizeof dom, NULL) != 1)
		return -1;
	return snprintf(out, cap, "%s%s%s", host, host[strlen(host) - 1] == '.' ? "" : ".", dom) <
	               (int)cap
	           ? 0
	           : -1;
}

/* The "local name" of the subsystem's daemon: <SUBSYS>_NAME (name@fqdn
 * unless it has an '@'), else this host's FQDN. */
static int local_name(const struct config *c, const struct locate_type_info *ti, char *out,
                      size_t cap, struct err *e)
{
	char n[LOCATE_ENTRY_MAX], fq[LOCATE_ENTRY_MAX];
	int r = knob(c, ti->subsys, "NAME", n, sizeof n, e);

	if (r < 0 || config_get(c, "FULL_HOSTNAME", fq, sizeof fq, e) < 0)
		return -1;
	if (r > 0) {
		if (strchr(n, '@'))
			snprintf(out, cap, "%s", n);
		else
			snprintf(out, cap, "%.*s@%.*s", 200, n, 200, fq);
	} else {
		snprintf(out, cap, "%s", fq);
	}
	return 0;
}

/* ---- collectors as the target ------------------------------------------------ */

static int plan_collector(const struct config *c, const struct locate_request *req,
                          const struct locate_type_info *ti, struct locate_plan *p,
                          struct err *e)
{
	char entry[LOCATE_ENTRY_MAX];
	long long port;
	struct locate_addrfile af;
	struct err tmp = { 0 };

	if (req->name && *req->name && req->pool && *req->pool && strcmp(req->name, req->pool)) {
		p->kind = LOCATE_EXCEPT;
		err_push(e, LOCATE_ERRSUB, 7, "Daemon: pool (%s) and name (%s) conflict for %s",
		         req->pool, req->name, ti->subsys);
		return 0;
	}
	entry[0] = '\0';
	if (req->name && *req->name) {
		snprintf(entry, sizeof entry, "%s", req->name);
	} else if (req->pool && *req->pool) {
		snprintf(entry, sizeof entry, "%s", req->pool);
	} else {
		const char *host_knob = req->type == LOCATE_VIEW_COLLECTOR ? "CONDOR_VIEW_HOST" : NULL;
		char v[CONFIG_VALUE_MAX];
		int r = 0;
		if (host_knob && (r = config_get(c, host_knob, v, sizeof v, e)) < 0)
			return -1;
		if (r > 0) {
			snprintf(entry, sizeof entry, "%.*s", (int)strcspn(v, ", \t\r\n"), v);
		} else {
			if (locate_collector_list(c, NULL, &p->collectors, e) < 0)
				return -1;
			if (p->collectors.n)
				snprintf(entry, sizeof entry, "%s", p->collectors.entry[0]);
		}
	}
	if (!entry[0]) {
		int r = local_address(c, &types[LOCATE_COLLECTOR], req->super, &af, e);
		if (r < 0)
			return -1;
		if (r == 0) {
			err_push(e, LOCATE_ERRSUB, 8, "COLLECTOR address or hostname not specified in config file");
			return -1;
		}
		p->from_file = 1;
		return direct(p, af.addr, e);
	}
	snprintf(p->name, sizeof p->name, "%s", entry);
	if (sinful_parse(&p->target, entry, e) < 0)
		return -1;
	if (p->target.port < 0) {
		if (config_get_int(c, "COLLECTOR_PORT", 9618, &port, e) < 0)
			return -1;
		if (port < 0 || port > 65535) {
			err_push(e, LOCATE_ERRSUB, 9, "COLLECTOR_PORT %lld out of range", port);
			return -1;
		}
		p->target.port = (int)port;
	}
	if (p->target.port == 0) {
		/* port 0 (ROLE:Personal): the collector wrote its address down */
		int r = local_address(c, &types[LOCATE_COLLECTOR], req->super, &af, &tmp);
		if (r <= 0) {
			err_push(e, LOCATE_ERRSUB, 10,
			         "collector %s has port 0 and its address file cannot be read", entry);
			return -1;
		}
		p->from_file = 1;
		return direct(p, af.addr, e);
	}
	p->kind = LOCATE_DIRECT;
	p->needs_resolve = !is_ip_literal(p->target.host);
	if (p->needs_resolve && !(p->target.flags & SINFUL_HAS_ALIAS)) {
		/* the written name is what SSL checks (USE_COLLECTOR_HOST_CNAME) */
		snprintf(p->target.alias, sizeof p->target.alias, "%s", p->target.host);
		p->target.flags |= SINFUL_HAS_ALIAS;
	}
	return 0;
}

/* ---- everything else ----------------------------------------------------------- */

int locate_plan(const struct config *c, const struct locate_request *req,
                struct locate_plan *p, struct err *e)
{
	const struct locate_type_info *ti = locate_type_info(req->type);
	char name[LOCATE_ENTRY_MAX], lname[LOCATE_ENTRY_MAX], v[CONFIG_VALUE_MAX], q[LOCATE_ATTR_MAX];
	int local = 0, r;
	struct locate_addrfile af;

	memset(p, 0, sizeof *p);
	p->target.port = -1;
	if (req->type == LOCATE_NONE || req->type >= LOCATE_NTYPES) {
		err_push(e, LOCATE_ERRSUB, 11, "unrecognized daemon type");
		return -1;
	}
	if (!ti->located) {
		p->kind = LOCATE_EXCEPT;
		err_push(e, LOCATE_ERRSUB, 12, "Unknown daemon type (%d) in Daemon::locate", (int)req->type);
		return 0;
	}
	if (req->type == LOCATE_ANY) {
		err_push(e, LOCATE_ERRSUB, 13, "daemon type 'any' has no address");
		return -1;
	}
	if (req->name && sinful_is_valid(req->name)) {
		snprintf(p->name, sizeof p->name, "%s", req->name);
		return direct(p, req->name, e);
	}
	if (req->type == LOCATE_COLLECTOR || req->type == LOCATE_VIEW_COLLECTOR)
		return plan_collector(c, req, ti, p, e);

	name[0] = '\0';
	if (req->name && *req->name) {
		if (strlen(req->name) >= sizeof name) {
			err_push(e, LOCATE_ERRSUB, 14, "daemon name longer than LOCATE_ENTRY_MAX (%d)",
			         LOCATE_ENTRY_MAX);
			return -1;
		}
		snprintf(name, sizeof name, "%s", req->name);
	} else if (!(req->pool && *req->pool)) {
		if ((r = knob(c, ti->subsys, "HOST", v, sizeof v, e)) < 0)
			return -1;
		if (r > 0)
			snprintf(name, sizeof name, "%.*s", (int)sizeof name - 1, v);
	}
	/* "host:port" is dialled directly */
	if (name[0] && !strchr(name, '@')) {
		const char *colon = strrchr(name, ':');
		if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
		    strchr(name, ':') == colon) {
			if (direct(p, name, e) < 0)
				return -1;
			snprintf(p->name, sizeof p->name, "%s", name);
			if (p->needs_resolve) {
				snprintf(p->target.alias, sizeof p->target.alias, "%s", p->target.host);
				p->target.flags |= SINFUL_HAS_ALIAS;
			}
			return 0;
		}
	}
	if (local_name(c, ti, lname, sizeof lname, e) < 0)
		return -1;
	if (name[0]) {
		if (!strchr(name, '@') && req->fqdn) {
			char fq[LOCATE_ENTRY_MAX];
			if (req->fqdn(name, fq, sizeof fq, req->fqdn_arg) < 0) {
				err_push(e, LOCATE_ERRSUB, 15, "unknown host %s", name);
				return -1;
			}
			snprintf(name, sizeof name, "%s", fq);
		}
		local = !(req->pool && *req->pool) && !strcasecmp(name, lname);
	} else if (req->type != LOCATE_NEGOTIATOR) {
		/* no name: the local daemon, even with -pool */
		snprintf(name, sizeof name, "%s", lname);
		local = 1;
	}
	snprintf(p->name, sizeof p->name, "%s", name);
	p->local = local;
	if (local) {
		r = local_address(c, ti, req->super, &af, e);
		if (r < 0)
			return -1;
		if (r > 0) {
			p->from_file = 1;
			return direct(p, af.addr, e);
		}
	}
	if (!ti->query_cmd) {
		err_push(e, LOCATE_ERRSUB, 16, "no address for the local %s and it cannot be queried",
		         ti->name);
		return -1;
	}
	if (!name[0] && req->type != LOCATE_NEGOTIATOR) {
		err_push(e, LOCATE_ERRSUB, 17, "no daemon name to query the collector for");
		return -1;
	}
	/* The collector query. */
	p->kind = LOCATE_QUERY;
	p->command = ti->query_cmd;
	p->ipaddr_attr = ti->ipaddr_attr;
	if (locate_collector_list(c, req->pool, &p->collectors, e) < 0)
		return -1;
	if (p->collectors.n == 0) {
		err_push(e, LOCATE_ERRSUB, 8, "COLLECTOR address or hostname not specified in config file");
		return -1;
	}
	if (add_attr(p, e, "MyType = \"Query\"%s%s", "", "") < 0 ||
	    add_attr(p, e, "TargetType = \"%s\"%s", ti->target_type, "") < 0)
		return -1;
	if (name[0]) {
		const char *attr = "Name", *val = name;
		if ((req->type == LOCATE_STARTD || req->type == LOCATE_HAD) && !strchr(name, '@'))
			attr = "Machine";
		if (quote(q, sizeof q, val) < 0) {
			err_push(e, LOCATE_ERRSUB, 6, "daemon name too long for a query");
			return -1;
		}
		if (add_attr(p, e, "Requirements = ((%s == %s))", attr, q) < 0)
			return -1;
	} else if (add_attr(p, e, "Requirements = true%s%s", "", "") < 0) {
		return -1;
	}
	if (req->for_admin) {
		if (add_attr(p, e, "SendPrivateAttributes = true%s%s", "", "") < 0)
			return -1;
	} else {
		if (add_attr(p, e, "Projection = \"%s%s\"", LOOKUP_PROJECTION,
		             req->type == LOCATE_SCHEDD ? " ScheddIpAddr CredDIpAddr" : "") < 0 ||
		    add_attr(p, e, "LimitResults = 1%s%s", "", "") < 0)
			return -1;
		if (name[0] && add_attr(p, e, "LocationQuery = %s%s", q, "") < 0)
			return -1;
	}
	return 0;
}

int locate_query_ad(const struct locate_plan *p, struct classad *ad, struct err *e)
{
	int i;

	for (i = 0; i < p->nattrs; i++)
		if (classad_parse_line(ad, p->attr[i], strlen(p->attr[i]), e) < 0)
			return -1;
	return 0;
}

int locate_reply_address(const struct locate_plan *p, const struct classad *ad, char *out,
                         size_t cap, struct err *e)
{
	int r = CLASSAD_ENOTFOUND;

	if (classad_find(ad, "CondorVersion") < 0 || classad_find(ad, "Machine") < 0) {
		err_push(e, LOCATE_ERRSUB, 18, "collector reply lacks CondorVersion or Machine");
		return -1;
	}
	if (p->ipaddr_attr)
		r = classad_get_string(ad, p->ipaddr_attr, out, cap, NULL);
	if (r != CLASSAD_OK)
		r = classad_get_string(ad, "MyAddress", out, cap, NULL);
	if (r != CLASSAD_OK || !sinful_is_valid(out)) {
		err_push(e, LOCATE_ERRSUB, 19, "collector reply has no valid address");
		if (cap)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
