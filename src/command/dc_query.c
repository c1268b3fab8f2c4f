/*
 * dc_query.c - DC_SEC_QUERY, the command behind condor_ping (ping.md
 * section 2): negotiate a session for a command as if it were to run; the
 * daemon authorizes it and, instead of running it, answers with one ad.
 */
#include <string.h>

#include "classad.h"
#include "dc_token.h"
#include "debug.h"

static unsigned char dc_query_arena[CLASSAD_ARENA_SMALL];

int dc_sec_query(struct dc_client *c, const struct dc_target *t, int auth_cmd,
                 struct sec_result *res, int *authorized, struct err *e)
{
	struct classad rep;
	int rc, ok = 0;

	*authorized = 0;
	classad_init(&rep, dc_query_arena, sizeof dc_query_arena);
	c->auth_command = auth_cmd;
	rc = dc_start_command(c, t, DC_SEC_QUERY, res, e);
	c->auth_command = 0;
	if (rc != 0)
		return rc == DC_ECONNECT ? -2 : -1;
	/* The client sends nothing more; the daemon answers and hangs up. */
	if (dc_get_ad(c, &rep, e) != 0 || dc_end_recv(c, e) != 0) {
		dc_finish(c);
		return -1;
	}
	dc_finish(c);
	if (classad_get_bool(&rep, "AuthorizationSucceeded", &ok) != CLASSAD_OK)
		ok = 0;
	*authorized = ok;
	dbg(D_FULLDEBUG, "DC_SEC_QUERY for command %d at %s: AuthorizationSucceeded %s", auth_cmd,
	    t->sinful, ok ? "true" : "false");
	return 0;
}
