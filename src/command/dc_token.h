/*
 * dc_token.h - HTCondor's token-request commands as plain functions, and
 * finding the daemon that receives them.
 *
 * Each command is: connect to the target → DC_AUTHENTICATE handshake (or
 * resume the session an earlier command of this run was granted) → send
 * the request ad → read the reply ad(s) → typed result.  Errors are
 * pushed the way HTCondor's Daemon:: methods push them, so the applets
 * print the stock tools' texts ("DAEMON:6:Insufficient privilege ...").
 */
#ifndef TOKENBOX_DC_TOKEN_H
#define TOKENBOX_DC_TOKEN_H

#include <stdint.h>

#include "adlist.h"
#include "config.h"
#include "err.h"
#include "secman.h"

/* Command numbers (condor_commands.h). */
#define DC_GET_SESSION_TOKEN 60046
#define DC_START_TOKEN_REQUEST 60047
#define DC_FINISH_TOKEN_REQUEST 60048
#define DC_LIST_TOKEN_REQUEST 60049
#define DC_APPROVE_TOKEN_REQUEST 60050
#define DC_AUTO_APPROVE_TOKEN_REQUEST 60051

/* Where commands go: one located daemon. */
struct dc_target {
	char sinful[512];   /* the address as located, for messages */
	char host[256];     /* what we connect to */
	unsigned port;
	char sock[128];     /* shared-port id ("" when none) */
	char name[512];     /* daemon name when known ("" otherwise) */
	int local;          /* located as this host's own daemon */
};

/* dc_locate results besides 0. */
#define DC_LOCATE_FAILED (-1)   /* generic: caller prints "couldn't locate ..." */
#define DC_LOCATE_REPORTED (-2) /* a message was already printed (e.g. -pool) */
#define DC_LOCATE_EXCEPT (-3)   /* stock tool EXCEPTs here: exit 4 (printed) */

/* t for the daemon at this sinful string (condor_ping -address).  0, or -1
 * with e. */
int dc_target_from_sinful(const char *text, struct dc_target *t, struct err *e);

/* Daemon type name ("schedd", case-insensitive) to its index; -1 for an
 * unknown name or "none" (the stock tools' "unrecognized daemon type"). */
int dc_type_from_name(const char *name);

/* Find the daemon as the stock tools do (-type, -name, -pool, config,
 * address files, collector query). */
int dc_locate(const struct config *cfg, const char *type, const char *name, const char *pool,
              struct dc_target *t, struct err *e);

/* One run's client state: security policy from config, session cache,
 * and the connection (large: give it static storage). */
struct dc_client {
	const struct config *cfg;
	struct sec_policy policy;
	struct sec_session_cache sessions;
	struct sec_client work; /* handshake scratch */
	struct cedar conn;      /* one connection at a time */
	int timeout_mult;       /* TOOL_TIMEOUT_MULTIPLIER / TIMEOUT_MULTIPLIER */
	int command_ms;         /* one command, start to end (TOKENBOX_TIMEOUT, else 20 s) */
	/* The session of the latest command that started: how the daemon
	 * authenticated us (for the audit log), and counts for the trace. */
	char method[16];        /* "FS", "TOKEN", "SSL", or "" */
	char user[SEC_STR_MAX]; /* the identity the daemon mapped us to */
	unsigned new_sessions, resumed_sessions;
	int auth_command;       /* set by dc_sec_query for its one command */
};

/* dc_start_command failures: the connection itself, or the handshake. */
#define DC_ECONNECT (-2)
#define DC_EHANDSHAKE (-1)

/* Connect to t (5 s), send the shared-port message when t has a sock id,
 * and run the security handshake for cmd; on success c->conn is ready
 * for the command's payload.  On failure the connection is closed. */
int dc_start_command(struct dc_client *c, const struct dc_target *t, int cmd,
                     struct sec_result *res, struct err *e);
/* Send an ad as one message; read an ad; end the received message (fails
 * unless every byte of it was consumed). */
int dc_put_ad(struct dc_client *c, struct classad *ad, struct err *e);
int dc_get_ad(struct dc_client *c, struct classad *ad, struct err *e);
int dc_end_recv(struct dc_client *c, struct err *e);
/* Close the connection and wipe its key. */
void dc_finish(struct dc_client *c);

int dc_client_init(struct dc_client *c, const struct config *cfg, struct err *e);

/* DC_LIST_TOKEN_REQUEST: every pending request visible to us (reqid NULL
 * or "") or the one with that ID, appended to out in the server's order. */
int dc_token_list(struct dc_client *c, const struct dc_target *t, const char *reqid,
                  struct adlist *out, struct err *e);
/* The same, handing each listed ad to each() as it arrives (the ad is
 * valid only during the call); a non-zero return stops the list and is
 * the error. */
int dc_token_list_each(struct dc_client *c, const struct dc_target *t, const char *reqid,
                       int (*each)(void *ctx, const struct classad *ad, struct err *e),
                       void *ctx, struct err *e);
/* DC_APPROVE_TOKEN_REQUEST.  0 approved; 1 the daemon answered with an
 * error (ErrorCode/ErrorString in e); -1 no proper answer (connection,
 * handshake, a reply without ErrorCode). */
int dc_token_approve(struct dc_client *c, const struct dc_target *t, const char *reqid,
                     const char *client_id, struct err *e);

/* DC_SEC_QUERY (condor_ping): a new session negotiated for command
 * auth_cmd as if it were to run, then the daemon's verdict instead of the
 * command.  res: how the session was made (never resumed); *authorized:
 * the reply's AuthorizationSucceeded.  0; -2 no connection; -1 the
 * handshake failed (a denial among others) or no reply came (e says). */
#define DC_SEC_QUERY 60040
int dc_sec_query(struct dc_client *c, const struct dc_target *t, int auth_cmd,
                 struct sec_result *res, int *authorized, struct err *e);

/* Longest token (JWT) accepted from a daemon. */
#define DC_TOKEN_MAX 8192
#define DC_REQID_MAX 64

/* DC_START_TOKEN_REQUEST: identity is sent as given (the caller applies
 * UID_DOMAIN), authz a comma list or NULL, lifetime <= 0 omitted.  On
 * success either token (auto-approved) or reqid is non-empty. */
int dc_token_start(struct dc_client *c, const struct dc_target *t, const char *identity,
                   const char *authz, long long lifetime, const char *client_id,
                   char token[DC_TOKEN_MAX], char reqid[DC_REQID_MAX], struct err *e);
/* DC_FINISH_TOKEN_REQUEST: token is "" while the request is pending. */
int dc_token_finish(struct dc_client *c, const struct dc_target *t, const char *client_id,
                    const char *reqid, char token[DC_TOKEN_MAX], struct err *e);

/* DC_GET_SESSION_TOKEN (condor_token_fetch): a token for the identity this
 * client authenticated as, bounded by the session.  authz: comma list or
 * NULL; lifetime <= 0 is omitted (an int, as in the stock client); key:
 * RequestedKey or NULL.  On success token holds the JWT as sent (the
 * stock client accepts any string, even ""). */
int dc_token_session_token(struct dc_client *c, const struct dc_target *t, const char *authz,
                           int lifetime, const char *key, char token[DC_TOKEN_MAX],
                           struct err *e);

/* DC_AUTO_APPROVE_TOKEN_REQUEST: install a rule approving requests from
 * netblock for lifetime seconds.  The stock client's checks come first:
 * empty netblock (DAEMON:1), a netblock netblock_parse() rejects
 * (DAEMON:2), lifetime <= 0 (DAEMON:2). */
int dc_token_auto_approve(struct dc_client *c, const struct dc_target *t, const char *netblock,
                          long long lifetime, struct err *e);

/* dc_locate for LOCATE_FOR_ADMIN (condor_token_request_auto_approve): a
 * collector query asks for the private attributes instead of the lookup
 * projection.  Same results as dc_locate. */
int dc_locate_admin(const struct config *cfg, const char *type, const char *name,
                    const char *pool, struct dc_target *t, struct err *e);

#endif
