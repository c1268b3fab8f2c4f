/*
 * posix_user.c - who we are: uids, account names, home, host name.
 *
 * The password database may be missing entirely (initramfs, scratch
 * containers, a static binary whose libc cannot reach NSS); every lookup
 * then falls back to the environment or reports PORT_ENOENT, never crashes.
 */
#include "port/port.h"
#include "posix_int.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Scratch for getpwnam_r/getpwuid_r; passwd lines are far shorter. */
#define USER_PWBUF 4096

static int user_copy(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (!buf || n >= len) {
		posix_fail(ENAMETOOLONG);
		return PORT_ETOOBIG;
	}
	memcpy(buf, s, n + 1);
	return 0;
}

/* Looks uid up; *out points into scratch. */
static int user_pw_by_uid(uid_t uid, struct passwd *pw, char *scratch, struct passwd **out)
{
	int r;

	*out = NULL;
	do
		r = getpwuid_r(uid, pw, scratch, USER_PWBUF, out);
	while (r == EINTR);
	return (r == 0 && *out) ? 0 : -1;
}

uint32_t port_uid(void)
{
	return (uint32_t)getuid();
}

uint32_t port_euid(void)
{
	return (uint32_t)geteuid();
}

int port_set_euid(uint32_t uid, uint32_t gid)
{
	uid_t ou = geteuid();
	gid_t og = getegid();
	int e;

	if (ou == (uid_t)uid && og == (gid_t)gid)
		return 0;
	/* Changing the group, or moving between two non-root users, needs
	 * root first; the group is switched while still root, the user last
	 * (the reverse order would leave us unable to set the group). */
	if (ou != 0 && seteuid(0) != 0 && og != (gid_t)gid)
		goto fail;
	if (getegid() != (gid_t)gid && setegid((gid_t)gid) != 0)
		goto fail;
	if (geteuid() != (uid_t)uid && seteuid((uid_t)uid) != 0)
		goto fail;
	return 0;
fail:
	e = errno;
	/* Best effort back to where we started. */
	if (geteuid() != 0)
		(void)!seteuid(0);
	(void)!setegid(og);
	(void)!seteuid(ou);
	posix_fail(e);
	return PORT_EFAIL;
}

int port_user_name(uint32_t uid, char *buf, size_t len)
{
	char scratch[USER_PWBUF];
	struct passwd pw, *res;
	const char *env;

	if (user_pw_by_uid((uid_t)uid, &pw, scratch, &res) == 0 && res->pw_name &&
	    res->pw_name[0])
		return user_copy(res->pw_name, buf, len);
	/* The environment only describes the account we run as. */
	if ((uid_t)uid == getuid() || (uid_t)uid == geteuid()) {
		env = getenv("USER");
		if (!env || !env[0])
			env = getenv("LOGNAME");
		if (env && env[0])
			return user_copy(env, buf, len);
	}
	posix_fail(ENOENT);
	return PORT_ENOENT;
}

int port_user_lookup(const char *name, uint32_t *uid, uint32_t *gid)
{
	char scratch[USER_PWBUF];
	struct passwd pw, *res = NULL;
	int r;

	if (!name || !name[0]) {
		posix_fail(EINVAL);
		return PORT_ENOENT;
	}
	do
		r = getpwnam_r(name, &pw, scratch, sizeof scratch, &res);
	while (r == EINTR);
	if (r != 0 || !res) {
		posix_fail(r ? r : ENOENT);
		return PORT_ENOENT;
	}
	if (uid)
		*uid = (uint32_t)res->pw_uid;
	if (gid)
		*gid = (uint32_t)res->pw_gid;
	return 0;
}

int port_user_home(char *buf, size_t len)
{
	char scratch[USER_PWBUF];
	struct passwd pw, *res;
	const char *env = getenv("HOME");

	if (env && env[0])
		return user_copy(env, buf, len);
	if (user_pw_by_uid(geteuid(), &pw, scratch, &res) == 0 && res->pw_dir &&
	    res->pw_dir[0])
		return user_copy(res->pw_dir, buf, len);
	posix_fail(ENOENT);
	return PORT_ENOENT;
}

int port_host_name(char *buf, size_t len)
{
	struct utsname u;

	if (uname(&u) != 0) {
		posix_fail(errno);
		return PORT_EFAIL;
	}
	if (!u.nodename[0]) {
		posix_fail(ENOENT);
		return PORT_EFAIL;
	}
	return user_copy(u.nodename, buf, len);
}

long port_pid(void)
{
	return (long)getpid();
}

long port_peak_rss_kib(void)
{
	char buf[4096];
	size_t len = 0;
	const char *p;

	/* /proc files report size 0: port_file_read reads to EOF. */
	if (port_file_read("/proc/self/status", buf, sizeof buf, &len, NULL) != 0 &&
	    len == 0)
		return -1;
	p = strstr(buf, "\nVmHWM:");
	return p ? strtol(p + 7, NULL, 10) : -1;
}
