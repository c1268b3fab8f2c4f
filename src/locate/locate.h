/*
 * locate.h - finding the daemon a token tool talks to, minus the network.
 *
 * HTCondor's Daemon::locate() decides between a direct address (a sinful
 * -name, host:port, <SUBSYS>_HOST, COLLECTOR_HOST, a local address file)
 * and a query to the collector.  locate_plan() makes that decision from
 * the configuration and returns it as data: either the address to dial,
 * or the collector query (command number + the attribute lines of the
 * query ad) that the caller sends over CEDAR, handing the first reply ad
 * to locate_reply_address().  See /work/shared/protocol/locate.md 1-4 and
 * tools-cli.md 1.4.
 *
 * Name resolution (DNS) is not done here: a direct address whose host is a
 * name comes back with needs_resolve set; the caller resolves it and keeps
 * the written name as the SSL alias.
 */
#ifndef TOKENBOX_LOCATE_H
#define TOKENBOX_LOCATE_H

#include <stddef.h>

#include "config.h"
#include "err.h"
#include "sinful.h"

struct classad;

#define LOCATE_ERRSUB "LOCATE"

/* ---- bounds ------------------------------------------------------------ */
#define LOCATE_MAX_COLLECTORS 8  /* entries of COLLECTOR_HOST used */
#define LOCATE_ENTRY_MAX 512     /* one collector entry / daemon name */
#define LOCATE_QUERY_ATTRS 8     /* attribute lines in a query ad */
#define LOCATE_ATTR_MAX 1024     /* one "Name = expr" line */
#define LOCATE_FILE_MAX 16384    /* an address file or daemon ad file */

/* ---- daemon types (stringToDaemonType order) --------------------------- */
enum locate_type {
	LOCATE_NONE = 0,
	LOCATE_ANY,
	LOCATE_MASTER,
	LOCATE_SCHEDD,
	LOCATE_STARTD,
	LOCATE_COLLECTOR,
	LOCATE_NEGOTIATOR,
	LOCATE_KBDD,
	LOCATE_DAGMAN,
	LOCATE_VIEW_COLLECTOR,
	LOCATE_CLUSTER,
	LOCATE_SHADOW,
	LOCATE_STARTER,
	LOCATE_CREDD,
	LOCATE_GRIDMANAGER,
	LOCATE_PLACEMENTD,
	LOCATE_LEASE_MANAGER,
	LOCATE_HAD,
	LOCATE_GENERIC,
	LOCATE_NTYPES
};

struct locate_type_info {
	const char *name;        /* the -type word */
	const char *subsys;      /* config prefix: SCHEDD_HOST, SCHEDD_ADDRESS_FILE ... */
	int query_cmd;           /* collector query command, 0 = none */
	const char *target_type; /* TargetType of the query ad */
	const char *ipaddr_attr; /* <Subsys>IpAddr attribute, NULL if none */
	int located;             /* 0: Daemon::locate EXCEPTs (exit 4) */
};

/* The -type word (case-insensitive), LOCATE_NONE for unknown or "none". */
enum locate_type locate_type_from_name(const char *s);
const struct locate_type_info *locate_type_info(enum locate_type t);

/* ---- address files ------------------------------------------------------ */
struct locate_addrfile {
	char addr[SINFUL_MAX]; /* MyAddress (or line 1) */
	char version[256];     /* $CondorVersion: ... $ */
	char platform[256];
	char name[LOCATE_ENTRY_MAX];
	char machine[LOCATE_ENTRY_MAX];
};
/* Parse an address file (positional or "Attr = value" form) or a daemon ad
 * file ("Attr = value" lines; ipaddr_attr, e.g. "ScheddIpAddr", is taken
 * as the address when present).  0, or -1 when no valid address. */
int locate_parse_address_file(const char *text, size_t len, const char *ipaddr_attr,
                              struct locate_addrfile *out, struct err *e);
/* Read and parse path.  1 = found, 0 = missing/empty/invalid (reason as a
 * debug trace, not an error: HTCondor then tries the next source), -1 = a
 * bound exceeded. */
int locate_read_address_file(const char *path, const char *ipaddr_attr,
                             struct locate_addrfile *out, struct err *e);

/* ---- collectors ---------------------------------------------------------- */
struct locate_collectors {
	int n;
	char entry[LOCATE_MAX_COLLECTORS][LOCATE_ENTRY_MAX];
};
/* pool if given, else the first non-empty of COLLECTOR_HOST,
 * COLLECTOR_IP_ADDR, CM_IP_ADDR, split on ", \t\r\n".  n may be 0. */
int locate_collector_list(const struct config *c, const char *pool,
                          struct locate_collectors *out, struct err *e);

/* ---- the plan -------------------------------------------------------------- */
struct locate_request {
	enum locate_type type;
	const char *name;  /* -name, or NULL */
	const char *pool;  /* -pool, or NULL */
	int for_admin;     /* LOCATE_FOR_ADMIN (auto-approve) */
	int super;         /* root or USE_SUPER_PORT: use *_SUPER_ADDRESS_FILE */
	/* Canonicalise a host name to its FQDN (DNS); NULL: names are used
	 * as written.  Return 0 and fill out, or -1 ("unknown host"). */
	int (*fqdn)(const char *host, char *out, size_t cap, void *arg);
	void *fqdn_arg;
};

enum locate_kind {
	LOCATE_DIRECT = 1, /* dial target */
	LOCATE_QUERY = 2,  /* ask a collector of collectors[] */
	LOCATE_EXCEPT = 3  /* the stock tool aborts (exit code 4); message in e */
};

struct locate_plan {
	enum locate_kind kind;
	struct sinful target;   /* DIRECT: host may be a name (needs_resolve) */
	int needs_resolve;      /* host is not an IP literal */
	int from_file;          /* DIRECT came from an address file */
	int local;              /* this host's daemon of that type (the stock
	                           tools' "local schedd" in messages) */
	char name[LOCATE_ENTRY_MAX]; /* the daemon name used (may be "") */
	/* QUERY */
	int command;            /* QUERY_SCHEDD_ADS = 6 ... */
	int nattrs;
	char attr[LOCATE_QUERY_ATTRS][LOCATE_ATTR_MAX]; /* "Name = expr" */
	struct locate_collectors collectors;
	const char *ipaddr_attr; /* reply attribute preferred over MyAddress */
};

/* Decide how to reach req's daemon.  0 with *p filled (DIRECT, QUERY or
 * EXCEPT), or -1 when the daemon cannot be located (reason in e; the tool
 * prints "couldn't locate ..."). */
int locate_plan(const struct config *c, const struct locate_request *req,
                struct locate_plan *p, struct err *e);

/* A daemon -name without '@' as the stock tools turn it into a host name
 * (get_daemon_name): kept when it has a dot; else the resolver's canonical
 * name if that has a dot (not with NO_DNS); else name.DEFAULT_DOMAIN_NAME
 * when that is set -- but a name that does not resolve at all has none.
 * 0, or -1 ("unknown host").  The locate_request fqdn hook, arg = config. */
int locate_fqdn(const char *host, char *out, size_t cap, void *cfg);
/* Put the query attributes into ad (an initialised classad). */
int locate_query_ad(const struct locate_plan *p, struct classad *ad, struct err *e);
/* The address in a collector reply ad: <Subsys>IpAddr, else MyAddress;
 * CondorVersion and Machine must be present (HTCondor fails otherwise).
 * 0 with out filled, or -1. */
int locate_reply_address(const struct locate_plan *p, const struct classad *ad, char *out,
                         size_t cap, struct err *e);

#endif
