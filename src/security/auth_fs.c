/*
 * auth_fs.c - FS authentication, client side.
 *
 * The server names a directory path; the client proves its uid by
 * creating it (mode 0700) where the server can lstat it, then removes it.
 * Three generations of names exist:
 *   old (<= 24.0.21 / 25.0.11):  <dir>/FS_XXXabc123       - just create it;
 *   24.0.22 / 25.0.12:          <dir>/FS_<ip>_<port>_...  - the basename must
 *                                name the server we connected to;
 *   24.0.23+ / 25.0.13+:        .../FS_<ip>_<port>_..._   - trailing '_': the
 *                                client appends its view of the server
 *                                ("ip:port[?sock=id]") and sends that back.
 * Checking the address (channel binding) defeats a relay that forwards
 * our directory to another host's daemon; HTCondor enforces it by default
 * (SEC_FS_ENFORCE_CHANNEL_BINDING), which makes FS fail against old
 * servers and fall through to the next method.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "debug.h"
#include "port/port.h"

/* Longest directory name accepted from the server. */
#define AUTH_FS_PATH_MAX 1024

int auth_fs_ext(const char *peer_ip, unsigned peer_port, const char *sock_id, char *out,
                size_t cap)
{
	int v6 = strchr(peer_ip, ':') != NULL;
	int n = snprintf(out, cap, "%s%s%s:%u%s%s", v6 ? "[" : "", peer_ip, v6 ? "]" : "",
	                 peer_port, sock_id && *sock_id ? "?sock=" : "",
	                 sock_id && *sock_id ? sock_id : "");
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Does the basename carry FS_<ip>_<port>_ or FS_REMOTE_<ip>_<port>_? */
static int names_peer(const char *path, const char *ip, unsigned port)
{
	const char *base = strrchr(path, '/');
	char want[128];
	base = base ? base + 1 : path;
	snprintf(want, sizeof want, "FS_%s_%u_", ip, port);
	if (strncmp(base, want, strlen(want)) == 0)
		return 1;
	snprintf(want, sizeof want, "FS_REMOTE_%s_%u_", ip, port);
	return strncmp(base, want, strlen(want)) == 0;
}

static int fs_usable(struct auth_ctx *a, struct err *e)
{
	(void)a;
	(void)e;
	return 1;
}

/* mkdir as the condor user when we are root and know it (the server maps
 * a root-owned directory to condor anyway, but HTCondor's tools switch). */
static int make_dir(struct auth_ctx *a, const char *dir, int *errno_out)
{
	int switched = 0, rc;
	if (port_euid() == 0 && a->pol->have_condor_ids && a->pol->condor_uid != 0) {
		if (port_set_euid(a->pol->condor_uid, a->pol->condor_gid) == 0)
			switched = 1;
		else
			dbg(D_SECURITY, "FS: could not switch to the condor user (uid %lu); creating as root",
			    (unsigned long)a->pol->condor_uid);
	}
	rc = port_mkdir(dir, 0700);
	*errno_out = rc < 0 ? port_last_errno() : 0;
	if (switched && port_set_euid(0, 0) < 0)
		dbg(D_ALWAYS, "FS: failed to switch back to root");
	return rc;
}

static int fs_client(struct auth_ctx *a, struct err *e)
{
	struct cedar *c = a->c;
	char path[AUTH_FS_PATH_MAX], dir[AUTH_FS_PATH_MAX + 600], ext[600];
	int64_t server_result;
	int result = -1, created = 0, err_no = 0;
	size_t n;

	ext[0] = '\0';
	if (cedar_get_str(c, path, sizeof path, "the FS directory name", e) < 0 ||
	    cedar_end_recv(c, e) < 0)
		return -2;
	n = strlen(path);
	if (n == 0) {
		err_push(e, "FS", 1001, "Server Error, check server log.");
	} else if (path[n - 1] == '_') {
		/* Only servers from 25.14 on accept "?sock=<id>" in the name
		 * (HTCondor 25.13.2 through shared port rejects it, checked by
		 * hand); every version accepts the bare ip:port. */
		char version[SEC_VERSION_MAX];
		const char *sock = a->target ? a->target->sock_id : NULL;
		if (!a->reply ||
		    secad_get_str(a->reply, SEC_ATTR_REMOTE_VERSION, version, sizeof version) != 1 ||
		    !sec_version_at_least(version, 25, 14, 0))
			sock = NULL;
		if (auth_fs_ext(c->peer_ip, c->peer_port, sock, ext, sizeof ext) < 0) {
			err_push(e, "FS", 1000, "Server address too long for the FS directory name");
			ext[0] = '\0';
		} else {
			snprintf(dir, sizeof dir, "%s%s", path, ext);
			result = 0;
		}
	} else if (a->pol->fs_enforce_channel_binding && !names_peer(path, c->peer_ip, c->peer_port)) {
		err_push(e, "FS", 1004, "Directory name doesn't match server's network address.");
		dbg(D_SECURITY, "FS: refusing '%s': it does not name %s:%u (old server, or a relay)",
		    path, c->peer_ip, c->peer_port);
	} else {
		snprintf(dir, sizeof dir, "%s", path);
		result = 0;
	}
	if (result == 0) {
		if (make_dir(a, dir, &err_no) == 0) {
			created = 1;
			dbg(D_SECURITY, "FS: created %s", dir);
		} else {
			result = -1;
			err_push(e, "FS", 1000, "mkdir(%s, 0700): %s (%d)", dir, port_strerror(err_no),
			         err_no);
		}
	}
	if (cedar_put_int(c, result, e) < 0 ||
	    (result == 0 && ext[0] && cedar_put_str(c, ext, e) < 0) || cedar_end_send(c, e) < 0) {
		if (created)
			port_rmdir(dir);
		return -2;
	}
	if (cedar_get_int(c, &server_result, e) < 0 || cedar_end_recv(c, e) < 0) {
		if (created)
			port_rmdir(dir);
		return -2;
	}
	if (created && port_rmdir(dir) < 0)
		dbg(D_SECURITY, "FS: could not remove %s", dir);
	if (result != 0)
		return -1;
	if (server_result != 0) {
		err_push(e, "FS", 1001, "Server Error, check server log.");
		return -1;
	}
	snprintf(a->identity, sizeof a->identity, "uid %lu", (unsigned long)port_euid());
	return 0;
}

const struct auth_method auth_method_fs = { "FS", 4, fs_usable, fs_client };
