/*
 * auth_fs.c - FS authentication, server side, as 25.13.2+ daemons do it
 * (auth-methods.md §4): a directory name "<dir>/FS_<ip>_<port>_XXXyyyyyy_"
 * (mkstemp replaces only the last six X), the client appends its view of
 * our address ("ip:port[?sock=id]") and creates that directory, we check
 * the extension against our own address, lstat the directory (a real
 * directory, link count 1 or 2, mode exactly 0700) and map its owner to
 * user@UID_DOMAIN (root -> condor, FS_ROOT_TO_CONDOR).
 */
#include "testd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port/port.h"

static int make_name(char *path, size_t cap)
{
	static const char alnum[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	int tries;
	for (tries = 0; tries < 100; tries++) {
		uint8_t r[6];
		size_t n;
		int i;
		/* 9.x: no address in the name, no trailing '_' */
		n = testd.legacy ? (size_t)snprintf(path, cap, "%s/FS_XXXXXXXXX", testd.fs_dir)
		                 : (size_t)snprintf(path, cap, "%s/FS_127.0.0.1_%u_XXXXXXXXX",
		                                    testd.fs_dir, testd.port);
		if (n + 2 >= cap || port_random(r, sizeof r) != 0)
			return -1;
		for (i = 0; i < 6; i++)
			path[n - 6 + (size_t)i] = alnum[r[i] % 62];
		/* Reserve the name like mkstemp, then free it for the client. */
		if (port_file_write_new(path, "", 0, 0600) == 0) {
			port_file_unlink(path);
			if (!testd.legacy) {
				path[n] = '_';
				path[n + 1] = '\0';
			}
			return 0;
		}
	}
	return -1;
}

/* ext must name this daemon: "127.0.0.1:<port>", optionally with
 * "?sock=<our id>".  As in HTCondor (Condor_Auth_FS::authenticate_continue),
 * a bare ip:port equal to the connection's local address is a full match
 * even through shared port: that is what every client before 25.14 sends. */
static int ext_ok(const char *ext)
{
	char want[64];
	const char *q;
	size_t al;
	if (strchr(ext, '/'))
		return 0;
	q = strstr(ext, "?sock=");
	al = q ? (size_t)(q - ext) : strlen(ext);
	snprintf(want, sizeof want, "127.0.0.1:%u", testd.port);
	if (al != strlen(want) || strncmp(ext, want, al) != 0)
		return 0;
	if (q)
		return testd.shared_port_id && !strcmp(q + 6, testd.shared_port_id);
	return 1;
}

int testd_auth_fs(struct testd_conn *k, struct err *e)
{
	char path[TESTD_STR_MAX], full[TESTD_STR_MAX + 300], ext[300] = "", user[256];
	int64_t client_rc;
	int ok = 0;
	struct port_stat st;

	if (make_name(path, sizeof path) != 0) {
		testd_log("FS: cannot create a name in %s", testd.fs_dir);
		/* An empty name tells the client the server failed. */
		if (cedar_put_str(k->c, "", e) != 0 || cedar_end_send(k->c, e) != 0)
			return -2;
		return -1;
	}
	if (cedar_put_str(k->c, path, e) != 0 || cedar_end_send(k->c, e) != 0)
		return -2;
	if (cedar_get_int(k->c, &client_rc, e) != 0)
		return -2;
	if (cedar_recv_remaining(k->c) > 0 &&
	    cedar_get_str(k->c, ext, sizeof ext, "FS directory extension", e) != 0)
		return -2;
	if (cedar_end_recv(k->c, e) != 0)
		return -2;

	if (client_rc != 0) {
		testd_log("FS: client could not create its directory");
	} else if (ext[0] && !ext_ok(ext)) {
		testd_log("FS: extension '%s' does not name this daemon", ext);
	} else {
		snprintf(full, sizeof full, "%s%s", path, ext);
		if (port_file_stat(full, &st) != 0) {
			testd_log("FS: Unable to lstat(%s)", full);
		} else if (!st.is_dir || st.is_link || (st.nlink != 1 && st.nlink != 2) ||
		           st.mode != 0700) {
			testd_log("FS: Bad attributes on (%s)", full);
		} else if (port_user_name(st.uid, user, sizeof user) != 0) {
			testd_log("FS: Unable to lookup uid %u", (unsigned)st.uid);
		} else {
			if (st.uid == 0 && testd.fs_root_to && *testd.fs_root_to)
				snprintf(user, sizeof user, "%s", testd.fs_root_to);
			snprintf(k->fqu, sizeof k->fqu, "%s@%s", user, testd.uid_domain);
			k->mapped = 1;
			snprintf(k->method, sizeof k->method, "FS");
			k->bounded = 0;
			k->authz[0] = '\0';
			k->token_exp = 0;
			ok = 1;
		}
	}
	if (cedar_put_int(k->c, ok ? 0 : -1, e) != 0 || cedar_end_send(k->c, e) != 0)
		return -2;
	if (!ok)
		err_push(e, "FS", 1001, "Server Error, check server log.");
	return ok ? 0 : -1;
}
