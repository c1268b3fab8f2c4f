/*
 * dc_conn.c - one command's connection: TCP, shared port, security
 * handshake, and ads in and out.
 */
#include <stdio.h>
#include <string.h>

#include "cedar_adio.h"
#include "classad.h"
#include "dc_token.h"
#include "debug.h"
#include "port/port.h"
#include "sec_config.h"

#define SHARED_PORT_CONNECT 75

int dc_client_init(struct dc_client *c, const struct config *cfg, struct err *e)
{
	long long mult = 0, secs = 0;

	c->cfg = cfg;
	c->method[0] = c->user[0] = '\0';
	c->new_sessions = c->resumed_sessions = 0;
	c->auth_command = 0;
	sec_cache_init(&c->sessions);
	if (sec_policy_from_config(cfg, &c->policy, e) != 0)
		return -1;
	/* <SUBSYS>_TIMEOUT_MULTIPLIER, else TIMEOUT_MULTIPLIER. */
	if (config_get_int(cfg, "TOOL_TIMEOUT_MULTIPLIER", 0, &mult, e) < 0)
		return -1;
	if (mult <= 0 && config_get_int(cfg, "TIMEOUT_MULTIPLIER", 0, &mult, e) < 0)
		return -1;
	c->timeout_mult = mult > 0 && mult < 1000 ? (int)mult : 0;
	/* tokenbox's own knob: the stock tools' 20 s per command, or less
	 * (or more) for a site or a test; it bounds the whole command, not
	 * each read, so a daemon that trickles bytes cannot hold us. */
	if (config_get_int(cfg, "TOKENBOX_TIMEOUT", 0, &secs, e) < 0)
		return -1;
	c->command_ms = secs > 0 && secs <= 3600 ? (int)secs * 1000 : CEDAR_COMMAND_TIMEOUT_MS;
	return 0;
}

static int dc_scale(const struct dc_client *c, int ms)
{
	return c->timeout_mult > 0 ? ms * c->timeout_mult : ms;
}

/* The routing message condor_shared_port reads before handing the
 * connection to the daemon named by sock=; nothing comes back. */
static int dc_shared_port(struct dc_client *c, const struct dc_target *t, struct err *e)
{
	struct cedar *s = &c->conn;

	dbg(D_NETWORK, "sending shared-port connect for id %s", t->sock);
	if (cedar_put_int(s, SHARED_PORT_CONNECT, e) || cedar_put_str(s, t->sock, e) ||
	    cedar_put_str(s, "TOOL", e) ||
	    cedar_put_int(s, dc_scale(c, CEDAR_CONNECT_TIMEOUT_MS) / 1000, e) ||
	    cedar_put_int(s, 0, e) || cedar_end_send(s, e)) {
		err_push(e, "CEDAR", CEDAR_ERR_CONNECT_FAILED,
		         "Failed to send shared port id %s to %s", t->sock, t->sinful);
		return -1;
	}
	/* The daemon behind shared port never saw these bytes. */
	if (strcmp(t->sock, "self") != 0)
		cedar_reset_transcript(s);
	return 0;
}

int dc_start_command(struct dc_client *c, const struct dc_target *t, int cmd,
                     struct sec_result *res, struct err *e)
{
	struct sec_target st;
	char msg[1024];
	int saved, connect_ms, command_ms;

	dbg(D_NETWORK, "connecting to %s (%s port %u) for command %d", t->sinful, t->host, t->port,
	    cmd);
	saved = e ? e->n : 0;
	connect_ms = dc_scale(c, CEDAR_CONNECT_TIMEOUT_MS);
	command_ms = dc_scale(c, c->command_ms);
	if (connect_ms > command_ms)
		connect_ms = command_ms;
	if (cedar_connect(&c->conn, t->host, t->port, connect_ms, e) != 0) {
		/* HTCondor's connect reports no reason to the caller's error
		 * stack; keep ours for -debug only. */
		dbg(D_NETWORK, "connect to %s failed: %s", t->sinful, err_text(e, msg, sizeof msg));
		err_truncate(e, saved);
		return DC_ECONNECT;
	}
	cedar_set_timeout(&c->conn, command_ms);
	cedar_set_end_by(&c->conn, port_clock_ms() + command_ms);
	if (t->sock[0] && dc_shared_port(c, t, e) != 0) {
		cedar_close(&c->conn);
		return DC_ECONNECT;
	}
	st.sinful = t->sinful;
	st.sock_id = t->sock[0] ? t->sock : NULL;
	st.auth_command = c->auth_command;
	memset(res, 0, sizeof *res);
	if (sec_start_command(&c->conn, &c->policy, &c->sessions, &st, cmd, &c->work, res, e) != 0) {
		cedar_close(&c->conn);
		return DC_EHANDSHAKE;
	}
	snprintf(c->method, sizeof c->method, "%s", res->method);
	snprintf(c->user, sizeof c->user, "%s", res->user);
	if (res->resumed)
		c->resumed_sessions++;
	else
		c->new_sessions++;
	snprintf(msg, sizeof msg, "%s", res->resumed ? "resumed session" : "new session");
	dbg(D_SECURITY, "command %d to %s: %s%s%s, as %s", cmd, t->sinful, msg,
	    res->method[0] ? ", authenticated with " : "", res->method,
	    res->user[0] ? res->user : "(unknown)");
	return 0;
}

int dc_put_ad(struct dc_client *c, struct classad *ad, struct err *e)
{
	struct cedar_adio glue;
	struct classad_io io;

	cedar_classad_io(&glue, &c->conn, e, &io);
	if (classad_put(ad, &io, 0, NULL, 0, e) != 0 || cedar_end_send(&c->conn, e) != 0)
		return -1;
	return 0;
}

int dc_get_ad(struct dc_client *c, struct classad *ad, struct err *e)
{
	struct cedar_adio glue;
	struct classad_io io;

	cedar_classad_io(&glue, &c->conn, e, &io);
	classad_clear(ad);
	return classad_get(ad, &io, 0, e) == 0 ? 0 : -1;
}

int dc_end_recv(struct dc_client *c, struct err *e)
{
	return cedar_end_recv(&c->conn, e);
}

void dc_finish(struct dc_client *c)
{
	cedar_close(&c->conn);
}
