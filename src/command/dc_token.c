/*
 * dc_token.c - the token-request commands (client side).
 *
 * Error texts are the stock Daemon:: methods' texts, so the applets print
 * exactly what an administrator is used to reading.
 */
#include <string.h>

#include "classad.h"
#include "dc_token.h"
#include "debug.h"
#include "netblock.h"

/* Request and reply ads here are small; replies from a hostile daemon
 * are bounded by the arena (an error, never an overflow). */
static unsigned char dc_arena_req[CLASSAD_ARENA_SMALL];
static unsigned char dc_arena_rep[CLASSAD_ARENA_BYTES];

/* Start cmd; a connection failure gets the stock "Failed to connect"
 * entry and returns 1 (the caller adds nothing), a handshake failure
 * returns -1 (the caller adds its "failed to start command" entry). */
static int dc_start(struct dc_client *c, const struct dc_target *t, int cmd,
                    struct sec_result *res, struct err *e)
{
	int rc = dc_start_command(c, t, cmd, res, e);

	if (rc == DC_ECONNECT) {
		err_push(e, "DAEMON", 1, "Failed to connect to remote daemon at '%s'", t->sinful);
		return 1;
	}
	return rc;
}

int dc_token_list_each(struct dc_client *c, const struct dc_target *t, const char *reqid,
                       int (*each)(void *ctx, const struct classad *ad, struct err *e),
                       void *ctx, struct err *e)
{
	struct classad req, rep;
	struct sec_result res;
	int64_t v;
	size_t n = 0;
	int rc;

	classad_init(&req, dc_arena_req, sizeof dc_arena_req);
	classad_init(&rep, dc_arena_rep, sizeof dc_arena_rep);
	if (reqid && *reqid && classad_set_string(&req, "RequestId", reqid, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set request ID.");
		return -1;
	}
	if ((rc = dc_start(c, t, DC_LIST_TOKEN_REQUEST, &res, e)) != 0) {
		if (rc > 0)
			return -1;
		err_push(e, "DAEMON", 1,
		         "Failed to start command for listing token requests with remote daemon at '%s'.",
		         t->sinful);
		return -1;
	}
	if (dc_put_ad(c, &req, e) != 0) {
		err_push(e, "DAEMON", 1, "Failed to send ClassAd to remote daemon at '%s'", t->sinful);
		dc_finish(c);
		return -1;
	}
	for (;;) {
		if (dc_get_ad(c, &rep, e) != 0 || dc_end_recv(c, e) != 0) {
			err_push(e, "DAEMON", 2, "Failed to receive response ClassAd from remote daemon at '%s'",
			         t->sinful);
			dc_finish(c);
			return -1;
		}
		/* Owner = 0 ends the list; with a non-zero ErrorCode and an
		 * ErrorString it reports an error instead. */
		if (classad_get_int(&rep, "Owner", &v) == CLASSAD_OK && v == 0) {
			char msg[ERR_MSG_LEN], shown[ERR_MSG_LEN];
			int64_t code;
			int rc = classad_get_string(&rep, "ErrorString", msg, sizeof msg, NULL);
			if (classad_get_int(&rep, "ErrorCode", &code) == CLASSAD_OK && code != 0 &&
			    rc != CLASSAD_ENOTFOUND && rc != CLASSAD_ETYPE) {
				/* An error string too long for us is still an error,
				 * never the end of a complete list. */
				if (rc == CLASSAD_ETOOBIG)
					err_push(e, "DAEMON", (int)code,
					         "ErrorString from the remote daemon is longer than %zu bytes",
					         sizeof msg - 1);
				else
					err_push(e, "DAEMON", (int)code, "%s",
					         classad_clean_cstr(shown, sizeof shown, msg));
				dc_finish(c);
				return -1;
			}
			break;
		}
		n++;
		if (each(ctx, &rep, e) != 0) {
			dc_finish(c);
			return -1;
		}
	}
	dc_finish(c);
	dbg(D_FULLDEBUG, "daemon at %s listed %zu request(s)", t->sinful, n);
	return 0;
}

static int dc_list_add(void *ctx, const struct classad *ad, struct err *e)
{
	return adlist_add(ctx, ad, e);
}

int dc_token_list(struct dc_client *c, const struct dc_target *t, const char *reqid,
                  struct adlist *out, struct err *e)
{
	return dc_token_list_each(c, t, reqid, dc_list_add, out, e);
}

/* The stock Daemon:: methods word their failures differently for each
 * command (typos and stray newlines included); NULL adds nothing. */
struct dc_texts {
	const char *start_fail; /* the handshake failed */
	const char *recv_fail;  /* the reply ad could not be read */
	const char *eom_fail;   /* the reply message had bytes left over */
};

/* Send req as cmd's payload and read one reply ad into rep. */
static int dc_roundtrip(struct dc_client *c, const struct dc_target *t, int cmd,
                        struct classad *req, struct classad *rep, const struct dc_texts *x,
                        struct err *e)
{
	struct sec_result res;
	int rc = dc_start(c, t, cmd, &res, e);

	if (rc != 0) {
		if (rc < 0 && x->start_fail)
			err_push(e, "DAEMON", 1, x->start_fail, t->sinful);
		return -1;
	}
	if (dc_put_ad(c, req, e) != 0) {
		err_push(e, "DAEMON", 1, "Failed to send ClassAd to remote daemon at '%s'", t->sinful);
		dc_finish(c);
		return -1;
	}
	if (dc_get_ad(c, rep, e) != 0) {
		err_push(e, "DAEMON", 1, x->recv_fail, t->sinful);
		dc_finish(c);
		return -1;
	}
	if (dc_end_recv(c, e) != 0) {
		if (x->eom_fail)
			err_push(e, "DAEMON", 1, x->eom_fail, t->sinful);
		dc_finish(c);
		return -1;
	}
	dc_finish(c);
	return 0;
}

/* APPROVE and AUTO_APPROVE replies: ErrorCode 0 is success. */
static int dc_reply_code(const struct classad *rep, const struct dc_target *t, struct err *e)
{
	char msg[ERR_MSG_LEN], shown[ERR_MSG_LEN];
	int64_t code;
	size_t len;
	int rc;

	if (classad_get_int(rep, "ErrorCode", &code) != CLASSAD_OK) {
		err_push(e, "DAEMON", 1, "Remote daemon at '%s' did not return a result.", t->sinful);
		return -1;
	}
	if (code == 0)
		return 0;
	rc = classad_get_string(rep, "ErrorString", msg, sizeof msg, &len);
	if (rc == CLASSAD_ETOOBIG)
		err_push(e, "DAEMON", (int)code,
		         "ErrorString from the remote daemon is longer than %zu bytes", sizeof msg - 1);
	else
		err_push(e, "DAEMON", (int)code, "%s",
		         rc == CLASSAD_OK && msg[0] ? classad_clean_cstr(shown, sizeof shown, msg)
		                                    : "Unknown error.");
	return -1;
}

static const struct dc_texts dc_texts_approve = {
	/* (sic: the stock text lacks "Failed to start") */
	"command for approving token requests with remote daemon at '%s'.",
	"Failed to recieve response from remote daemon at '%s'\n",
	"Failed to read end-of-message from remote daemon at '%s'",
};
static const struct dc_texts dc_texts_start = {
	"failed to start command for token request with remote daemon at '%s'.",
	"Failed to receive response from remote daemon at at '%s'",
	"Failed to read end-of-message from remote daemon at '%s'",
};
static const struct dc_texts dc_texts_finish = {
	"failed to start command for token request with remote daemon at '%s'.",
	"Failed to recieve response from remote daemon at '%s'",
	"Failed to read end-of-message from remote daemon at '%s'\n",
};
static const struct dc_texts dc_texts_session_token = {
	NULL,
	"Failed to receive response from remote daemon at at '%s'\n",
	NULL,
};
static const struct dc_texts dc_texts_auto_approve = {
	NULL,
	"Failed to receive response from remote daemon at at '%s'\n",
	"Failed to read end-of-message from remote daemon at '%s'\n",
};

int dc_token_approve(struct dc_client *c, const struct dc_target *t, const char *reqid,
                     const char *client_id, struct err *e)
{
	struct classad req, rep;

	classad_init(&req, dc_arena_req, sizeof dc_arena_req);
	classad_init(&rep, dc_arena_rep, sizeof dc_arena_rep);
	if (!reqid || !*reqid) {
		err_push(e, "DAEMON", 1, "No request ID provided.");
		return -1;
	}
	if (classad_set_string(&req, "RequestId", reqid, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set request ID.");
		return -1;
	}
	if (!client_id || !*client_id) {
		err_push(e, "DAEMON", 1, "No client ID provided.");
		return -1;
	}
	if (classad_set_string(&req, "ClientId", client_id, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set client ID.");
		return -1;
	}
	if (dc_roundtrip(c, t, DC_APPROVE_TOKEN_REQUEST, &req, &rep, &dc_texts_approve, e) != 0)
		return -1;
	if (classad_find(&rep, "ErrorCode") < 0) {
		dc_reply_code(&rep, t, e);
		return -1;
	}
	return dc_reply_code(&rep, t, e) == 0 ? 0 : 1;
}

/* The common tail of START and FINISH: ErrorString means failure with
 * ErrorCode (or -1). */
static int dc_reply_error(const struct classad *rep, struct err *e)
{
	char msg[ERR_MSG_LEN], shown[ERR_MSG_LEN];
	int64_t code = 0;
	size_t len;
	int rc = classad_get_string(rep, "ErrorString", msg, sizeof msg, &len);

	if (rc == CLASSAD_ENOTFOUND || rc == CLASSAD_ETYPE)
		return 0;
	if (rc == CLASSAD_ETOOBIG) {
		err_push(e, "DAEMON", -1, "the daemon's ErrorString (%zu bytes) exceeds ERR_MSG_LEN (%d)",
		         len, ERR_MSG_LEN);
		return -1;
	}
	classad_get_int(rep, "ErrorCode", &code);
	err_push(e, "DAEMON", code ? (int)code : -1, "%s", classad_clean_cstr(shown, sizeof shown, msg));
	return -1;
}

static int dc_copy(const struct classad *ad, const char *name, char *out, size_t cap,
                   struct err *e)
{
	size_t len;
	int rc = classad_get_string(ad, name, out, cap, &len);

	out[rc == CLASSAD_OK ? len : 0] = '\0';
	if (rc == CLASSAD_ETOOBIG) {
		err_push(e, "DAEMON", 1, "%s from the remote daemon is longer than %zu bytes", name,
		         cap - 1);
		return -1;
	}
	return rc == CLASSAD_OK ? 1 : 0;
}

/* FINISH and GET_SESSION_TOKEN replies: an error, or a Token attribute
 * (possibly "", pending).  who/tail: the stock BUG text's method name and
 * its trailing newline (getSessionToken has one). */
static int dc_reply_token(const struct classad *rep, const struct dc_target *t,
                          char token[DC_TOKEN_MAX], const char *who, const char *tail,
                          struct err *e)
{
	int rt;

	if (dc_reply_error(rep, e) != 0)
		return -1;
	rt = dc_copy(rep, "Token", token, DC_TOKEN_MAX, e);
	if (rt < 0)
		return -1;
	if (rt == 0) {
		err_push(e, "DAEMON", 1,
		         "BUG!  Daemon::%s() received a malformed ad containing no resulting token "
		         "and no error message, from remote daemon at '%s'%s",
		         who, t->sinful, tail);
		return -1;
	}
	return 0;
}

int dc_token_start(struct dc_client *c, const struct dc_target *t, const char *identity,
                   const char *authz, long long lifetime, const char *client_id,
                   char token[DC_TOKEN_MAX], char reqid[DC_REQID_MAX], struct err *e)
{
	struct classad req, rep;
	int rt, rr;

	token[0] = reqid[0] = '\0';
	classad_init(&req, dc_arena_req, sizeof dc_arena_req);
	classad_init(&rep, dc_arena_rep, sizeof dc_arena_rep);
	if ((authz && *authz && classad_set_string(&req, "LimitAuthorization", authz, e) != 0) ||
	    (lifetime > 0 && classad_set_int(&req, "TokenLifetime", lifetime, e) != 0)) {
		err_push(e, "DAEMON", 1, "Failed to create token request ClassAd");
		return -1;
	}
	if (classad_set_string(&req, "User", identity, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set requested identity.");
		return -1;
	}
	if (classad_set_string(&req, "ClientId", client_id, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set client ID.");
		return -1;
	}
	if (dc_roundtrip(c, t, DC_START_TOKEN_REQUEST, &req, &rep, &dc_texts_start, e) != 0)
		return -1;
	if (dc_reply_error(&rep, e) != 0)
		return -1;
	rt = dc_copy(&rep, "Token", token, DC_TOKEN_MAX, e);
	if (rt < 0)
		return -1;
	if (rt > 0 && token[0])
		return 0;
	rr = dc_copy(&rep, "RequestId", reqid, DC_REQID_MAX, e);
	if (rr < 0)
		return -1;
	if (rr > 0 && reqid[0])
		return 0;
	err_push(e, "DAEMON", 1,
	         "BUG!  Daemon::startTokenRequest() received a malformed ad, containing no "
	         "resulting token and no error message, from remote daemon at '%s'",
	         t->sinful);
	return -1;
}

int dc_token_finish(struct dc_client *c, const struct dc_target *t, const char *client_id,
                    const char *reqid, char token[DC_TOKEN_MAX], struct err *e)
{
	struct classad req, rep;

	token[0] = '\0';
	classad_init(&req, dc_arena_req, sizeof dc_arena_req);
	classad_init(&rep, dc_arena_rep, sizeof dc_arena_rep);
	if (classad_set_string(&req, "ClientId", client_id, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set client ID.");
		return -1;
	}
	if (classad_set_string(&req, "RequestId", reqid, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set request ID.");
		return -1;
	}
	if (dc_roundtrip(c, t, DC_FINISH_TOKEN_REQUEST, &req, &rep, &dc_texts_finish, e) != 0)
		return -1;
	return dc_reply_token(&rep, t, token, "finishTokenRequest", "", e);
}

int dc_token_session_token(struct dc_client *c, const struct dc_target *t, const char *authz,
                           int lifetime, const char *key, char token[DC_TOKEN_MAX],
                           struct err *e)
{
	struct classad req, rep;

	token[0] = '\0';
	classad_init(&req, dc_arena_req, sizeof dc_arena_req);
	classad_init(&rep, dc_arena_rep, sizeof dc_arena_rep);
	if ((authz && *authz && classad_set_string(&req, "LimitAuthorization", authz, e) != 0) ||
	    (lifetime > 0 && classad_set_int(&req, "TokenLifetime", lifetime, e) != 0) ||
	    (key && *key && classad_set_string(&req, "RequestedKey", key, e) != 0)) {
		err_push(e, "DAEMON", 1, "Failed to create token request ClassAd");
		return -1;
	}
	if (dc_roundtrip(c, t, DC_GET_SESSION_TOKEN, &req, &rep, &dc_texts_session_token, e) != 0)
		return -1;
	return dc_reply_token(&rep, t, token, "getSessionToken", "\n", e);
}

int dc_token_auto_approve(struct dc_client *c, const struct dc_target *t, const char *netblock,
                          long long lifetime, struct err *e)
{
	struct classad req, rep;
	struct netblock nb;

	classad_init(&req, dc_arena_req, sizeof dc_arena_req);
	classad_init(&rep, dc_arena_rep, sizeof dc_arena_rep);
	if (!netblock || !*netblock) {
		err_push(e, "DAEMON", 1, "No netblock provided.");
		return -1;
	}
	if (netblock_parse(netblock, &nb) != 0) {
		err_push(e, "DAEMON", 2, "Auto-approval rule netblock invalid.");
		return -1;
	}
	if (classad_set_string(&req, "Subnet", netblock, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set netblock.");
		return -1;
	}
	if (lifetime <= 0) {
		err_push(e, "DAEMON", 2, "Auto-approval rule lifetimes must be greater than zero.");
		return -1;
	}
	if (classad_set_int(&req, "Lifetime", lifetime, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set lifetime.");
		return -1;
	}
	if (dc_roundtrip(c, t, DC_AUTO_APPROVE_TOKEN_REQUEST, &req, &rep, &dc_texts_auto_approve,
	                 e) != 0)
		return -1;
	return dc_reply_code(&rep, t, e);
}
