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

/* Request and reply ads here are small; replies from a hostile daemon
 * are bounded by the arena (an error, never an overflow). */
static unsigned char dc_arena_req[CLASSAD_ARENA_SMALL];
static unsigned char dc_arena_rep[CLASSAD_ARENA_BYTES];

int dc_token_list(struct dc_client *c, const struct dc_target *t, const char *reqid,
                  struct adlist *out, struct err *e)
{
	struct classad req, rep;
	struct sec_result res;
	int64_t v;

	classad_init(&req, dc_arena_req, sizeof dc_arena_req);
	classad_init(&rep, dc_arena_rep, sizeof dc_arena_rep);
	if (reqid && *reqid && classad_set_string(&req, "RequestId", reqid, e) != 0) {
		err_push(e, "DAEMON", 1, "Unable to set request ID.");
		return -1;
	}
	if (dc_start_command(c, t, DC_LIST_TOKEN_REQUEST, &res, e) != 0) {
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
			char msg[ERR_MSG_LEN];
			int64_t code;
			if (classad_get_int(&rep, "ErrorCode", &code) == CLASSAD_OK && code != 0 &&
			    classad_get_string(&rep, "ErrorString", msg, sizeof msg, NULL) == CLASSAD_OK) {
				err_push(e, "DAEMON", (int)code, "%s", msg);
				dc_finish(c);
				return -1;
			}
			break;
		}
		if (adlist_add(out, &rep, e) != 0) {
			dc_finish(c);
			return -1;
		}
	}
	dc_finish(c);
	dbg(D_FULLDEBUG, "daemon at %s listed %zu request(s)", t->sinful, out->n);
	return 0;
}

int dc_token_approve(struct dc_client *c, const struct dc_target *t, const char *reqid,
                     const char *client_id, struct err *e)
{
	struct classad req, rep;
	struct sec_result res;
	int64_t code;
	char msg[ERR_MSG_LEN];

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
	if (dc_start_command(c, t, DC_APPROVE_TOKEN_REQUEST, &res, e) != 0) {
		/* (sic: the stock text lacks "Failed to start") */
		err_push(e, "DAEMON", 1,
		         "command for approving token requests with remote daemon at '%s'.", t->sinful);
		return -1;
	}
	if (dc_put_ad(c, &req, e) != 0) {
		err_push(e, "DAEMON", 1, "Failed to send ClassAd to remote daemon at '%s'", t->sinful);
		dc_finish(c);
		return -1;
	}
	if (dc_get_ad(c, &rep, e) != 0) {
		err_push(e, "DAEMON", 1, "Failed to recieve response from remote daemon at '%s'\n",
		         t->sinful);
		dc_finish(c);
		return -1;
	}
	if (dc_end_recv(c, e) != 0) {
		err_push(e, "DAEMON", 1, "Failed to read end-of-message from remote daemon at '%s'",
		         t->sinful);
		dc_finish(c);
		return -1;
	}
	dc_finish(c);
	if (classad_get_int(&rep, "ErrorCode", &code) != CLASSAD_OK) {
		err_push(e, "DAEMON", 1, "Remote daemon at '%s' did not return a result.", t->sinful);
		return -1;
	}
	if (code != 0) {
		if (classad_get_string(&rep, "ErrorString", msg, sizeof msg, NULL) != CLASSAD_OK ||
		    !msg[0])
			strcpy(msg, "Unknown error.");
		err_push(e, "DAEMON", (int)code, "%s", msg);
		return -1;
	}
	return 0;
}
