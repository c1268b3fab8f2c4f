/*
 * tokreq.h - the token-request store and the server rules of the six
 * DaemonCore token commands, as plain C (no ClassAds, no sockets).
 *
 * The command layer (cmds.c) turns request ads into struct tokreq_in and
 * the struct tokreq_out results back into reply ads.  Everything here is
 * what a 25.x daemon decides: error codes and texts, the ADMINISTRATOR vs
 * same-identity rule, token scope and lifetime limits on approvers,
 * auto-approval rules, request expiry.  See token-commands.md.
 */
#ifndef TESTD_TOKREQ_H
#define TESTD_TOKREQ_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "jwt.h"

/* A real daemon refuses new requests once more than 1000 are stored, so
 * the store holds at most 1001. */
#define TOKREQ_LIMIT 1000
#define TOKREQ_MAX (TOKREQ_LIMIT + 1)
/* Longest ClientId, identity, peer location or authorisation list kept. */
#define TOKREQ_STR_MAX 512
/* Auto-approval rules held at once. */
#define TOKREQ_RULES_MAX 64
/* Longest error text in a reply. */
#define TOKREQ_ERR_MAX 512
/* Request IDs are random in 0..TOKREQ_ID_SPACE-1, rendered as 7 digits. */
#define TOKREQ_ID_SPACE 10000000u

enum tokreq_state { TOKREQ_FREE = 0, TOKREQ_PENDING, TOKREQ_SUCCESS, TOKREQ_FAILED, TOKREQ_EXPIRED };

struct tokreq {
	enum tokreq_state state;
	uint32_t id;
	int64_t request_time;
	int64_t lifetime; /* requested token lifetime, -1 = none */
	char client_id[TOKREQ_STR_MAX];
	char requested_identity[TOKREQ_STR_MAX];
	char authn_identity[TOKREQ_STR_MAX];
	char peer_location[TOKREQ_STR_MAX];
	char authz[TOKREQ_STR_MAX]; /* comma list, "" = no bound */
	char token[TESTD_JWT_MAX];  /* once approved */
};

/* A netblock as condor_netaddr understands it. */
struct tokreq_net {
	int any;
	int v6;
	uint8_t addr[16];
	int bits;
};

struct tokreq_rule {
	struct tokreq_net net;
	int64_t issue_time, expiry;
};

/* Server configuration (knob names in comments). */
struct tokreq_cfg {
	const char *trust_domain;      /* TRUST_DOMAIN: "iss" of issued tokens */
	const char *admin;             /* ALLOW_ADMINISTRATOR, e.g. "condor@* root@*" */
	const struct testd_key *key;   /* POOL signing key, or no key */
	int64_t request_lifetime;      /* SEC_TOKEN_REQUEST_LIFETIME (3600) */
	int64_t issued_expiration;     /* SEC_ISSUED_TOKEN_EXPIRATION (0 = none) */
	const char *request_limits;    /* SEC_TOKEN_REQUEST_LIMITS ("" = none) */
	int enable_request;            /* SEC_ENABLE_TOKEN_REQUEST (1) */
	int enable_fetch;              /* SEC_ENABLE_TOKEN_FETCH (1) */
	int64_t auto_max_lifetime;     /* TOKEN_REQUEST_AUTO_APPROVE_MAX_LIFETIME (3600) */
	const char *fetch_keys;        /* SEC_TOKEN_FETCH_ALLOWED_SIGNING_KEYS ("POOL") */
};

/* Who is calling, as the security session established it. */
struct tokreq_peer {
	const char *fqu;      /* authenticated identity; "unauthenticated@unmapped" */
	int mapped;           /* 1 if authentication produced a mapped identity */
	const char *method;   /* "FS", "IDTOKENS", "ANONYMOUS", ... or "" (none) */
	const char *ip;       /* peer address, no port, IPv6 without brackets */
	int encrypted;        /* the channel is encrypted */
	int bounded;          /* the session carries LimitAuthorization */
	const char *authz;    /* that bounding set, comma list */
	int64_t token_exp;    /* TokenExpirationTime of the caller's token, 0 = none */
};

struct tokreq_store {
	struct tokreq req[TOKREQ_MAX];
	size_t n;
	struct tokreq_rule rule[TOKREQ_RULES_MAX];
	size_t nrules;
	/* For tests: request IDs to hand out next instead of random ones. */
	uint32_t forced_id[8];
	size_t nforced;
};

/* Request fields; a NULL pointer means "attribute absent". */
struct tokreq_in {
	const char *client_id;
	const char *request_id;
	const char *user;        /* START: requested identity */
	const char *authz;       /* LimitAuthorization */
	int has_lifetime;
	int64_t lifetime;        /* TokenLifetime */
	const char *subnet;      /* AUTO_APPROVE */
	int has_rule_lifetime;
	int64_t rule_lifetime;   /* AUTO_APPROVE Lifetime */
	const char *requested_key; /* GET_SESSION_TOKEN RequestedKey */
};

/* Reply fields in the order the reply ad lists them. */
struct tokreq_out {
	int empty;          /* the reply ad has no attributes at all */
	int has_code;
	int64_t code;       /* ErrorCode */
	int has_error;
	char error[TOKREQ_ERR_MAX]; /* ErrorString */
	int has_request_id;
	char request_id[8];
	int has_token;
	char token[TESTD_JWT_MAX];
	int close_after;    /* the real handler fails: close the connection */
};

void tokreq_init(struct tokreq_store *s);
/* Expire/delete requests by age and drop expired rules (the daemon's
 * 60-second timers). */
void tokreq_cleanup(struct tokreq_store *s, const struct tokreq_cfg *cfg, int64_t now);

void tokreq_start(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                  const struct tokreq_peer *p, const struct tokreq_in *in, int64_t now,
                  struct tokreq_out *out);
void tokreq_finish(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                   const struct tokreq_in *in, int64_t now, struct tokreq_out *out);
void tokreq_approve(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                    const struct tokreq_peer *p, const struct tokreq_in *in, int64_t now,
                    struct tokreq_out *out);
void tokreq_auto_approve(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                         const struct tokreq_in *in, int64_t now, struct tokreq_out *out);
void tokreq_session_token(const struct tokreq_cfg *cfg, const struct tokreq_peer *p,
                          const struct tokreq_in *in, int64_t now, struct tokreq_out *out);

/* LIST: calls fn for each visible request, then fills out with the
 * terminator's fields (code, error).  fn returning non-zero stops the
 * listing (the connection failed); tokreq_list then returns -1. */
int tokreq_list(struct tokreq_store *s, const struct tokreq_cfg *cfg,
                const struct tokreq_peer *p, const struct tokreq_in *in,
                int (*fn)(const struct tokreq *r, void *arg), void *arg,
                struct tokreq_out *out);

/* ADMINISTRATOR per ALLOW_ADMINISTRATOR and the session's bounding set. */
int tokreq_has_admin(const struct tokreq_cfg *cfg, const struct tokreq_peer *p);
/* Match "user@domain" (and peer ip) against an ALLOW_* list: entries
 * "user@domain/host", "user@domain" (any host) or "host" (any user), with
 * '*' wildcards. */
int tokreq_authz_match(const char *list, const char *fqu, const char *ip);

/* Netblocks: "*", "*\/\*", "a.b.c.d/bits", "a.b.c.d/m.m.m.m", "a.b.*",
 * "a.b.c.d", IPv6 "addr/bits" or "addr".  0 or -1. */
int tokreq_net_parse(const char *s, struct tokreq_net *n);
int tokreq_net_match(const struct tokreq_net *n, const char *ip);

/* "%07u" of id. */
void tokreq_id_text(uint32_t id, char out[8]);
/* Parse an ID the way the server does: whole-string base-10 integer
 * (leading blanks and sign allowed).  0 or -1. */
int tokreq_id_parse(const char *s, long long *v);

/* Insert a request directly (seeding hostile requests for tests).  id
 * may be >= TOKREQ_ID_SPACE for "random".  Returns the slot or NULL. */
struct tokreq *tokreq_insert(struct tokreq_store *s, uint32_t id, int64_t now);
struct tokreq *tokreq_find(struct tokreq_store *s, uint32_t id);

#endif
