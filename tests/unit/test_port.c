/*
 * test_port.c - the POSIX port layer against the real kernel: loopback
 * sockets, files in a scratch directory, a pipe on stdin, identities.
 *
 * The test may include system headers (the core may not): it builds the
 * situations (full accept queue, FIFO, pipe on fd 0, uid without a passwd
 * entry) that the port layer must cope with.
 */
#include "port/port.h"
#include "check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[256];

/* path inside the scratch directory (rotating static buffers) */
static const char *tp(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
	return buf[i];
}

/* Run fn in a child (for uid switches and environment games) and fold
 * its pass/fail counts into ours. */
static void in_child(void (*fn)(void))
{
	int p[2], st = 0;
	int counts[2] = { 0, 0 };
	pid_t pid;

	fflush(NULL);
	if (pipe(p) != 0) {
		CHECK(!"pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		check_pass = check_fail = 0;
		fn();
		counts[0] = check_pass;
		counts[1] = check_fail;
		if (write(p[1], counts, sizeof counts) != (ssize_t)sizeof counts)
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	CHECK(pid > 0);
	if (pid > 0) {
		CHECK_INT(read(p[0], counts, sizeof counts), sizeof counts);
		CHECK(waitpid(pid, &st, 0) == pid);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		check_pass += counts[0];
		check_fail += counts[1];
	}
	close(p[0]);
}

/* ---- clocks and randomness ------------------------------------------- */

static void test_clock(void)
{
	int64_t a, b;
	int t[6];

	a = port_clock_ms();
	CHECK(a != 0);
	port_sleep_ms(30);
	b = port_clock_ms();
	CHECK(b - a >= 29);
	CHECK(b - a < 2000);
	port_sleep_ms(0);
	port_sleep_ms(-5);
	CHECK(port_time_now() > 1600000000);

	setenv("TZ", "UTC", 1);
	tzset();
	port_time_local(0, t);
	CHECK(t[0] == 1970 && t[1] == 1 && t[2] == 1 && t[3] == 0 && t[4] == 0 && t[5] == 0);
	port_time_local(1700000000, t);
	CHECK(t[0] == 2023 && t[1] == 11 && t[2] == 14);
	CHECK(t[3] == 22 && t[4] == 13 && t[5] == 20);
	unsetenv("TZ");
	tzset();
}

static void test_random(void)
{
	unsigned char a[64], b[64], zero[64], big[5000];
	size_t i, nz = 0;

	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	memset(zero, 0, sizeof zero);
	CHECK_INT(port_random(a, sizeof a), 0);
	CHECK_INT(port_random(b, sizeof b), 0);
	CHECK(memcmp(a, zero, sizeof a) != 0);
	CHECK(memcmp(a, b, sizeof a) != 0);
	CHECK_INT(port_random(a, 0), 0);
	/* more than one getrandom chunk: every region gets filled */
	memset(big, 0, sizeof big);
	CHECK_INT(port_random(big, sizeof big), 0);
	for (i = sizeof big - 64; i < sizeof big; i++)
		nz += big[i] != 0;
	CHECK(nz > 32);
}

/* ---- TCP ---------------------------------------------------------------- */

static void test_tcp_roundtrip(void)
{
	char err[128], ip[64], peer[64], buf[64];
	unsigned port = 0, pport = 0;
	int l, c, s;
	long n;
	int64_t t0;

	l = port_tcp_listen("127.0.0.1", &port, err, sizeof err);
	CHECK(l >= 0);
	CHECK(port > 0 && port <= 65535);
	if (l < 0)
		return;
	c = port_tcp_connect("127.0.0.1", port, 2000, ip, sizeof ip, err, sizeof err);
	CHECK(c >= 0);
	CHECK_STR(ip, "127.0.0.1");
	s = port_tcp_accept(l, port_clock_ms() + 2000, peer, sizeof peer, &pport);
	CHECK(s >= 0);
	CHECK_STR(peer, "127.0.0.1");
	CHECK(pport > 0 && pport != port);
	if (c < 0 || s < 0)
		return;

	CHECK_INT(port_tcp_send(c, "hello", 5, port_clock_ms() + 2000), 0);
	n = port_tcp_recv(s, buf, sizeof buf, port_clock_ms() + 2000);
	CHECK_INT(n, 5);
	CHECK_MEM(buf, "hello", 5);
	CHECK_INT(port_tcp_send(s, "world!", 6, 0), 0);
	/* recv may return fewer bytes than asked: read exactly 3, then 3 */
	CHECK_INT(port_tcp_recv(c, buf, 3, port_clock_ms() + 2000), 3);
	CHECK_MEM(buf, "wor", 3);
	CHECK_INT(port_tcp_recv(c, buf, 3, port_clock_ms() + 2000), 3);
	CHECK_MEM(buf, "ld!", 3);
	CHECK_INT(port_tcp_recv(c, buf, 0, 0), 0);

	/* nothing to read: times out, within a bounded time */
	t0 = port_clock_ms();
	CHECK_INT(port_tcp_recv(s, buf, sizeof buf, t0 + 150), PORT_ETIMEDOUT);
	CHECK(port_clock_ms() - t0 >= 149);
	CHECK(port_clock_ms() - t0 < 1500);
	/* a deadline already passed still returns data that is there */
	CHECK_INT(port_tcp_send(c, "x", 1, 0), 0);
	port_sleep_ms(20);
	CHECK_INT(port_tcp_recv(s, buf, sizeof buf, port_clock_ms() - 10), 1);

	/* accept with nobody connecting times out too */
	t0 = port_clock_ms();
	CHECK_INT(port_tcp_accept(l, t0 + 100, NULL, 0, NULL), PORT_ETIMEDOUT);
	CHECK(port_clock_ms() - t0 >= 99);

	/* orderly close is PORT_ECLOSED, not an error or a hang */
	port_tcp_close(c);
	CHECK_INT(port_tcp_recv(s, buf, sizeof buf, port_clock_ms() + 2000), PORT_ECLOSED);
	port_tcp_close(s);
	port_tcp_close(l);
	port_tcp_close(-1); /* harmless */
}

/* A peer that never reads: send must stop at its deadline. */
static void test_tcp_send_timeout(void)
{
	static char chunk[1 << 20];
	char err[128];
	unsigned port = 0;
	int l, c, s, r = 0, i;
	int64_t t0;

	l = port_tcp_listen("127.0.0.1", &port, err, sizeof err);
	c = l >= 0 ? port_tcp_connect("127.0.0.1", port, 2000, NULL, 0, err, sizeof err) : -1;
	s = c >= 0 ? port_tcp_accept(l, port_clock_ms() + 2000, NULL, 0, NULL) : -1;
	CHECK(s >= 0);
	if (s < 0)
		return;
	t0 = port_clock_ms();
	for (i = 0; i < 256 && r == 0; i++)
		r = port_tcp_send(c, chunk, sizeof chunk, t0 + 300);
	CHECK_INT(r, PORT_ETIMEDOUT);
	CHECK(port_clock_ms() - t0 < 3000);

	/* Peer gone: sending must report PORT_ECLOSED and never raise
	 * SIGPIPE (which would kill this test). */
	port_tcp_close(s);
	port_sleep_ms(20);
	r = 0;
	for (i = 0; i < 20 && r == 0; i++) {
		r = port_tcp_send(c, "data", 4, port_clock_ms() + 500);
		port_sleep_ms(5);
	}
	CHECK_INT(r, PORT_ECLOSED);
	port_tcp_close(c);
	port_tcp_close(l);
}

static void test_tcp_errors(void)
{
	char err[128], ip[64], longhost[400];
	unsigned port = 0;
	int l, c, i, timeouts = 0;
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	int64_t t0;

	/* refused: a port that was just closed */
	l = port_tcp_listen("127.0.0.1", &port, err, sizeof err);
	CHECK(l >= 0);
	port_tcp_close(l);
	err[0] = '\0';
	c = port_tcp_connect("127.0.0.1", port, 2000, NULL, 0, err, sizeof err);
	CHECK_INT(c, PORT_EREFUSED);
	CHECK_STR(err, "Connection refused");
	CHECK_INT(port_last_errno(), ECONNREFUSED);

	/* unresolvable */
	c = port_tcp_connect("nonexistent.invalid", 9618, 2000, ip, sizeof ip, err, sizeof err);
	CHECK_INT(c, PORT_ERESOLVE);
	CHECK_STR(err, "unknown host nonexistent.invalid");
	CHECK_STR(ip, "");

	/* malformed arguments are clear errors */
	CHECK_INT(port_tcp_connect(NULL, 9618, 100, NULL, 0, err, sizeof err), PORT_ERESOLVE);
	CHECK_INT(port_tcp_connect("", 9618, 100, NULL, 0, err, sizeof err), PORT_ERESOLVE);
	CHECK_INT(port_tcp_connect("[]", 9618, 100, NULL, 0, err, sizeof err), PORT_ERESOLVE);
	memset(longhost, 'a', sizeof longhost - 1);
	longhost[sizeof longhost - 1] = '\0';
	CHECK_INT(port_tcp_connect(longhost, 9618, 100, NULL, 0, err, sizeof err), PORT_ERESOLVE);
	CHECK_INT(port_tcp_connect("127.0.0.1", 0, 100, NULL, 0, err, sizeof err), PORT_EFAIL);
	CHECK_INT(port_tcp_connect("127.0.0.1", 70000, 100, NULL, 0, err, sizeof err), PORT_EFAIL);
	port = 0;
	CHECK(port_tcp_listen("not-an-address", &port, err, sizeof err) < 0);
	port = 70000;
	CHECK(port_tcp_listen("127.0.0.1", &port, err, sizeof err) < 0);

	/* Timed out: a listener with a full accept queue drops new SYNs. */
	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(l >= 0 && bind(l, (struct sockaddr *)&a, sizeof a) == 0 && listen(l, 0) == 0 &&
	      getsockname(l, (struct sockaddr *)&a, &al) == 0);
	int held[4];
	for (i = 0; i < 4; i++) {
		err[0] = '\0';
		t0 = port_clock_ms();
		held[i] = port_tcp_connect("127.0.0.1", ntohs(a.sin_port), 200, NULL, 0,
		                           err, sizeof err);
		if (held[i] == PORT_ETIMEDOUT) {
			timeouts++;
			CHECK_STR(err, "Connection timed out");
			CHECK(port_clock_ms() - t0 >= 199);
			CHECK(port_clock_ms() - t0 < 2000);
		}
	}
	CHECK(timeouts >= 1);
	for (i = 0; i < 4; i++)
		port_tcp_close(held[i]);
	close(l);

	/* a name with several addresses: "localhost" may give ::1 first,
	 * refused, and the IPv4 listener must still be reached */
	port = 0;
	l = port_tcp_listen("127.0.0.1", &port, err, sizeof err);
	c = port_tcp_connect("localhost", port, 2000, ip, sizeof ip, err, sizeof err);
	CHECK(c >= 0);
	CHECK_STR(ip, "127.0.0.1");
	port_tcp_close(c);
	port_tcp_close(l);
}

static int ipv6_available(void)
{
	struct sockaddr_in6 a;
	int fd = socket(AF_INET6, SOCK_STREAM, 0), ok;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	a.sin6_addr = in6addr_loopback;
	ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

static void test_tcp_ipv6(void)
{
	char err[128], ip[64], peer[64], buf[8];
	unsigned port = 0, pport = 0;
	int l, c, s;

	if (!ipv6_available()) {
		printf("SKIP: IPv6 loopback not available in this kernel\n");
		return;
	}
	l = port_tcp_listen("::1", &port, err, sizeof err);
	CHECK(l >= 0);
	if (l < 0)
		return;
	/* bracketed and bare literals */
	c = port_tcp_connect("[::1]", port, 2000, ip, sizeof ip, err, sizeof err);
	CHECK(c >= 0);
	CHECK_STR(ip, "::1");
	s = port_tcp_accept(l, port_clock_ms() + 2000, peer, sizeof peer, &pport);
	CHECK(s >= 0);
	CHECK_STR(peer, "::1");
	CHECK(pport > 0);
	CHECK_INT(port_tcp_send(c, "v6", 2, 0), 0);
	CHECK_INT(port_tcp_recv(s, buf, sizeof buf, port_clock_ms() + 2000), 2);
	CHECK_MEM(buf, "v6", 2);
	port_tcp_close(s);
	port_tcp_close(c);
	c = port_tcp_connect("::1", port, 2000, ip, sizeof ip, err, sizeof err);
	CHECK(c >= 0);
	port_tcp_close(c);
	/* the v6 listener does not take IPv4 */
	CHECK_INT(port_tcp_connect("127.0.0.1", port, 500, NULL, 0, err, sizeof err),
	          PORT_EREFUSED);
	port_tcp_close(l);
}

/* ---- files ---------------------------------------------------------------- */

static int count_entry(const char *name, void *arg)
{
	(void)name;
	(*(int *)arg)++;
	return 0;
}

static void test_files(void)
{
	char buf[64];
	size_t len = 99;
	struct port_stat st;
	char f[512], lnk[512];

	snprintf(f, sizeof f, "%s", tp("file"));
	snprintf(lnk, sizeof lnk, "%s", tp("link"));

	umask(077);
	CHECK_INT(port_file_write_new(f, "hello\n", 6, 0644), 0);
	CHECK_INT(port_file_stat(f, &st), 0);
	CHECK(st.is_reg && !st.is_dir && !st.is_link);
	CHECK_INT(st.mode, 0644); /* umask 077 did not apply */
	CHECK_INT(st.size, 6);
	CHECK_INT(st.uid, geteuid());
	CHECK_INT(st.nlink, 1);
	CHECK_INT(port_file_write_new(f, "other", 5, 0600), PORT_EEXIST);

	memset(&st, 0, sizeof st);
	CHECK_INT(port_file_read(f, buf, sizeof buf, &len, &st), 0);
	CHECK_INT(len, 6);
	CHECK_STR(buf, "hello\n"); /* unchanged by the refused create */
	CHECK(st.is_reg);
	CHECK_INT(st.mode, 0644);
	/* exact fit: 6 bytes + NUL; one byte less is too big, not truncated */
	CHECK_INT(port_file_read(f, buf, 7, &len, NULL), 0);
	CHECK_INT(port_file_read(f, buf, 6, &len, NULL), PORT_ETOOBIG);
	CHECK_INT(len, 0);
	CHECK_INT(port_file_read(f, buf, 0, &len, NULL), PORT_ETOOBIG);

	/* a link is followed by read, and st describes the target */
	CHECK(symlink(f, lnk) == 0);
	CHECK_INT(port_file_stat(lnk, &st), 0);
	CHECK(st.is_link && !st.is_reg);
	memset(&st, 0, sizeof st);
	CHECK_INT(port_file_read(lnk, buf, sizeof buf, &len, &st), 0);
	CHECK(st.is_reg && !st.is_link);
	CHECK_INT(st.mode, 0644);
	CHECK_INT(len, 6);
	/* exclusive create does not follow a link, even a dangling one */
	CHECK_INT(port_file_unlink(f), 0);
	CHECK_INT(port_file_write_new(lnk, "x", 1, 0600), PORT_EEXIST);
	CHECK_INT(port_file_stat(f, &st), PORT_ENOENT);
	CHECK_INT(port_file_unlink(lnk), 0);

	/* umask 022, mode 0600 */
	umask(022);
	CHECK_INT(port_file_write_new(f, "a\0b", 3, 0600), 0);
	CHECK_INT(port_file_stat(f, &st), 0);
	CHECK_INT(st.mode, 0600);
	CHECK_INT(port_file_read(f, buf, sizeof buf, &len, NULL), 0);
	CHECK_INT(len, 3); /* embedded NUL kept; caller can see strlen != len */
	CHECK_INT(strlen(buf), 1);
	CHECK_INT(port_file_write_new(f, "", 0, 0600), PORT_EEXIST);

	/* create-or-truncate keeps an existing file's mode */
	CHECK(chmod(f, 0640) == 0);
	CHECK_INT(port_file_write(f, "tok\n", 4, 0600), 0);
	CHECK_INT(port_file_read(f, buf, sizeof buf, &len, &st), 0);
	CHECK_STR(buf, "tok\n");
	CHECK_INT(st.mode, 0640);
	CHECK_INT(port_file_unlink(f), 0);
	CHECK_INT(port_file_write(f, "new", 3, 0600), 0);
	CHECK_INT(port_file_read(f, buf, sizeof buf, &len, &st), 0);
	CHECK_STR(buf, "new");
	CHECK_INT(st.mode, 0600);
	/* an existing file is replaced, not rewritten: a reader holding the
	 * old one keeps reading the old contents whole, and no temporary
	 * file is left beside it */
	{
		struct stat before, after;
		char other[600];
		CHECK(stat(f, &before) == 0);
		CHECK_INT(port_file_write(f, "newer", 5, 0600), 0);
		CHECK(stat(f, &after) == 0);
		CHECK(before.st_ino != after.st_ino);
		CHECK_INT(port_file_read(f, buf, sizeof buf, &len, NULL), 0);
		CHECK_STR(buf, "newer");
		/* through a link, the target is rewritten and the link stays */
		snprintf(other, sizeof other, "%s", tp("link"));
		CHECK(symlink(f, other) == 0);
		CHECK_INT(port_file_write(other, "via", 3, 0600), 0);
		CHECK_INT(port_file_stat(other, &st), 0);
		CHECK(st.is_link);
		CHECK_INT(port_file_read(f, buf, sizeof buf, &len, NULL), 0);
		CHECK_STR(buf, "via");
		CHECK_INT(port_file_unlink(other), 0);
		/* a directory is not a file to write */
		CHECK(mkdir(tp("adir"), 0700) == 0);
		CHECK_INT(port_file_write(tp("adir"), "x", 1, 0600), PORT_EFAIL);
		CHECK(rmdir(tp("adir")) == 0);
	}
	CHECK_INT(port_file_unlink(f), 0);
	{
		/* nothing else was left in the directory */
		int n = 0;
		CHECK_INT(port_dir_list(tmpdir, count_entry, &n), 0);
		CHECK_INT(n, 0);
	}

	/* reading in pieces: a file, a pipe */
	{
		int h, fds[2];
		long r;
		CHECK_INT(port_file_write_new(f, "abcdef", 6, 0600), 0);
		h = port_stream_open(f);
		CHECK(h > 0);
		CHECK_INT(port_stream_read(h, buf, 4), 4);
		CHECK_INT(port_stream_read(h, buf + 4, 4), 2);
		CHECK_INT(port_stream_read(h, buf, 4), 0);
		CHECK_MEM(buf, "abcdef", 6);
		port_stream_close(h);
		CHECK_INT(port_file_unlink(f), 0);
		CHECK_INT(port_stream_open(tp("missing")), PORT_ENOENT);
		CHECK(pipe(fds) == 0);
		CHECK(write(fds[1], "xyz", 3) == 3);
		close(fds[1]);
		snprintf(buf, sizeof buf, "/proc/self/fd/%d", fds[0]);
		h = port_stream_open(buf);
		CHECK(h > 0);
		r = port_stream_read(h, buf, sizeof buf);
		CHECK_INT(r, 3);
		CHECK_INT(port_stream_read(h, buf, sizeof buf), 0);
		port_stream_close(h);
		close(fds[0]);
		CHECK_INT(port_stream_open("-"), 0);
	}

	/* an append-only log: created with exactly its mode, appended to */
	{
		int h;
		umask(0);
		h = port_log_open(f, 0600);
		CHECK(h >= 0);
		CHECK_INT(port_log_append(h, "one\n", 4), 0);
		port_log_close(h);
		umask(022);
		CHECK_INT(port_file_stat(f, &st), 0);
		CHECK_INT(st.mode, 0600);
		h = port_log_open(f, 0600);
		CHECK_INT(port_log_append(h, "two\n", 4), 0);
		port_log_close(h);
		CHECK_INT(port_file_read(f, buf, sizeof buf, &len, NULL), 0);
		CHECK_STR(buf, "one\ntwo\n");
		CHECK_INT(port_file_unlink(f), 0);
		CHECK(port_log_open(tmpdir, 0600) < 0);
		CHECK(port_log_open(tp("nodir/log"), 0600) < 0);
		CHECK_INT(port_last_errno(), ENOENT);
		CHECK(port_peak_rss_kib() > 0);
	}

	/* missing things */
	CHECK_INT(port_file_read(tp("missing"), buf, sizeof buf, &len, NULL), PORT_ENOENT);
	CHECK_INT(port_file_stat(tp("missing"), &st), PORT_ENOENT);
	CHECK_INT(port_file_unlink(tp("missing")), PORT_ENOENT);
	CHECK_INT(port_last_errno(), ENOENT);
	CHECK_INT(port_file_write_new(tp("nodir/x"), "x", 1, 0600), PORT_ENOENT);

	/* not regular files: a directory, and a FIFO (must not hang) */
	CHECK_INT(port_file_read(tmpdir, buf, sizeof buf, &len, NULL), PORT_EFAIL);
	CHECK(mkfifo(tp("fifo"), 0600) == 0);
	CHECK_INT(port_file_read(tp("fifo"), buf, sizeof buf, &len, &st), PORT_EFAIL);
	CHECK_INT(port_file_unlink(tp("fifo")), 0);
}

static void test_mkdir(void)
{
	static const unsigned masks[] = { 022, 077, 0 };
	struct port_stat st;
	size_t i;
	char d[512], g[512];

	snprintf(d, sizeof d, "%s", tp("d"));
	snprintf(g, sizeof g, "%s", tp("sgid"));

	for (i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		umask((mode_t)masks[i]);
		CHECK_INT(port_mkdir(d, 0700), 0);
		CHECK_INT(port_file_stat(d, &st), 0);
		CHECK(st.is_dir && !st.is_link);
		CHECK_INT(st.mode, 0700);
		CHECK_INT(st.uid, geteuid());
		CHECK_INT(port_mkdir(d, 0700), PORT_EEXIST);
		CHECK_INT(port_rmdir(d), 0);
	}
	umask(022);
	/* wider than the umask allows, too */
	CHECK_INT(port_mkdir(d, 0775), 0);
	CHECK_INT(port_file_stat(d, &st), 0);
	CHECK_INT(st.mode, 0775);
	/* not empty */
	CHECK_INT(port_file_write_new(tp("d/f"), "x", 1, 0600), 0);
	CHECK_INT(port_rmdir(d), PORT_EFAIL);
	CHECK_INT(port_file_unlink(tp("d/f")), 0);
	CHECK_INT(port_rmdir(d), 0);
	CHECK_INT(port_rmdir(d), PORT_ENOENT);
	CHECK_INT(port_mkdir(tp("no/such"), 0700), PORT_ENOENT);

	/* a set-gid parent must not leak its bit into the 0700 child */
	CHECK_INT(port_mkdir(g, 02775), 0);
	CHECK_INT(port_file_stat(g, &st), 0);
	CHECK_INT(st.mode, 02775);
	CHECK_INT(port_mkdir(tp("sgid/c"), 0700), 0);
	CHECK_INT(port_file_stat(tp("sgid/c"), &st), 0);
	CHECK_INT(st.mode, 0700);
	CHECK_INT(port_rmdir(tp("sgid/c")), 0);
	CHECK_INT(port_rmdir(g), 0);
}

struct listing {
	int n;
	int stop_at; /* return 7 at this call (1-based), 0 = never */
	char first[PORT_NAME_MAX], last[PORT_NAME_MAX];
	char all[256];
	int sorted;
	int nested; /* list tmpdir/sub from within the callback */
	int nested_n;
};

static int count_cb(const char *name, void *arg)
{
	(void)name;
	(*(int *)arg)++;
	return 0;
}

static int list_cb(const char *name, void *arg)
{
	struct listing *l = arg;

	if (l->n == 0)
		snprintf(l->first, sizeof l->first, "%s", name);
	else if (strcmp(l->last, name) >= 0)
		l->sorted = 0;
	snprintf(l->last, sizeof l->last, "%s", name);
	l->n++;
	if (strlen(l->all) + strlen(name) + 2 < sizeof l->all) {
		strcat(l->all, name);
		strcat(l->all, ",");
	}
	if (l->nested) {
		int k = 0;
		if (port_dir_list(tp("sub"), count_cb, &k) == 0)
			l->nested_n += k;
	}
	return l->n == l->stop_at ? 7 : 0;
}

static void test_dir_list(void)
{
	static const char *names[] = { "b", "a", "c", "Z", "a.b", ".hidden" };
	struct listing l;
	char name[32];
	size_t i;
	int k;

	CHECK_INT(port_mkdir(tp("sub"), 0700), 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(name, sizeof name, "sub/%s", names[i]);
		CHECK_INT(port_file_write_new(tp(name), "", 0, 0600), 0);
	}
	memset(&l, 0, sizeof l);
	l.sorted = 1;
	CHECK_INT(port_dir_list(tp("sub"), list_cb, &l), 0);
	CHECK_INT(l.n, 6);
	CHECK_STR(l.all, ".hidden,Z,a,a.b,b,c,");
	CHECK(l.sorted);

	/* a non-zero callback result stops the walk and is returned */
	memset(&l, 0, sizeof l);
	l.stop_at = 2;
	CHECK_INT(port_dir_list(tp("sub"), list_cb, &l), 7);
	CHECK_INT(l.n, 2);

	/* callbacks may list directories themselves */
	memset(&l, 0, sizeof l);
	l.nested = 1;
	CHECK_INT(port_dir_list(tp("sub"), list_cb, &l), 0);
	CHECK_INT(l.nested_n, 36);

	CHECK_INT(port_dir_list(tp("missing"), list_cb, &l), PORT_ENOENT);
	CHECK_INT(port_dir_list(tp("sub/a"), list_cb, &l), PORT_ENOENT);

	/* Bound: PORT_DIR_MAX + 5 entries (created in descending order so
	 * disk order is not sorted order) give the PORT_DIR_MAX smallest
	 * names, sorted, then PORT_ETOOBIG. */
	CHECK_INT(port_mkdir(tp("big"), 0700), 0);
	for (k = PORT_DIR_MAX + 4; k >= 0; k--) {
		snprintf(name, sizeof name, "big/f%05d", k);
		CHECK(port_file_write_new(tp(name), "", 0, 0600) == 0);
	}
	memset(&l, 0, sizeof l);
	l.sorted = 1;
	CHECK_INT(port_dir_list(tp("big"), list_cb, &l), PORT_ETOOBIG);
	CHECK_INT(l.n, PORT_DIR_MAX);
	CHECK(l.sorted);
	CHECK_STR(l.first, "f00000");
	snprintf(name, sizeof name, "f%05d", PORT_DIR_MAX - 1);
	CHECK_STR(l.last, name);
	/* exactly PORT_DIR_MAX is fine */
	for (k = PORT_DIR_MAX; k <= PORT_DIR_MAX + 4; k++) {
		snprintf(name, sizeof name, "big/f%05d", k);
		CHECK(port_file_unlink(tp(name)) == 0);
	}
	k = 0;
	CHECK_INT(port_dir_list(tp("big"), count_cb, &k), 0);
	CHECK_INT(k, PORT_DIR_MAX);
	for (k = 0; k < PORT_DIR_MAX; k++) {
		snprintf(name, sizeof name, "big/f%05d", k);
		port_file_unlink(tp(name));
	}
	CHECK_INT(port_rmdir(tp("big")), 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(name, sizeof name, "sub/%s", names[i]);
		port_file_unlink(tp(name));
	}
	CHECK_INT(port_rmdir(tp("sub")), 0);
}

/* ---- stdin ---------------------------------------------------------------- */

static int stdin_from(const char *data, size_t n)
{
	int p[2];

	if (pipe(p) != 0)
		return -1;
	if (write(p[1], data, n) != (ssize_t)n)
		return -1;
	close(p[1]);
	if (dup2(p[0], 0) < 0)
		return -1;
	close(p[0]);
	return 0;
}

static void test_stdin(void)
{
	static const char in1[] = "first\nsecond line\n\nlast";
	static const char in2[] = "0123456789\nok\n";
	char buf[32], raw[8];
	int saved = dup(0), tr = -1;

	CHECK(saved >= 0);
	CHECK_INT(stdin_from(in1, sizeof in1 - 1), 0);
	CHECK_INT(port_isatty(0), 0);
	CHECK_INT(port_stdin_line(buf, sizeof buf, &tr), 5);
	CHECK_STR(buf, "first");
	CHECK_INT(tr, 0);
	/* nothing past the newline was consumed: a raw read sees the rest */
	CHECK_INT(read(0, raw, 7), 7);
	CHECK_MEM(raw, "second ", 7);
	CHECK_INT(port_stdin_line(buf, sizeof buf, &tr), 4);
	CHECK_STR(buf, "line");
	CHECK_INT(port_stdin_line(buf, sizeof buf, &tr), 0); /* empty line, not EOF */
	CHECK_STR(buf, "");
	CHECK_INT(port_stdin_line(buf, sizeof buf, &tr), 4); /* no final '\n' */
	CHECK_STR(buf, "last");
	CHECK_INT(port_stdin_line(buf, sizeof buf, &tr), -1);
	CHECK_INT(port_stdin_line(buf, sizeof buf, NULL), -1);

	/* over-long: truncated, flagged, and the whole line consumed */
	CHECK_INT(stdin_from(in2, sizeof in2 - 1), 0);
	CHECK_INT(port_stdin_line(buf, 5, &tr), 4);
	CHECK_STR(buf, "0123");
	CHECK_INT(tr, 1);
	CHECK_INT(port_stdin_line(buf, 5, &tr), 2);
	CHECK_STR(buf, "ok");
	CHECK_INT(tr, 0);
	CHECK_INT(port_stdin_line(buf, 5, &tr), -1);

	CHECK(dup2(saved, 0) == 0);
	close(saved);
}

/* ---- identity ------------------------------------------------------------- */

/* A uid with no passwd entry, or 0 if none found. */
static uid_t unknown_uid(void)
{
	uid_t u;

	for (u = 54321; u < 54400; u++)
		if (!getpwuid(u))
			return u;
	return 0;
}

static uid_t child_uid;

static void child_no_passwd(void)
{
	char buf[64];

	if (setgid((gid_t)child_uid) != 0 || setuid(child_uid) != 0) {
		CHECK(!"setuid");
		return;
	}
	CHECK_INT(port_uid(), child_uid);
	CHECK_INT(port_euid(), child_uid);
	setenv("USER", "fromuser", 1);
	setenv("LOGNAME", "fromlogname", 1);
	CHECK_INT(port_user_name(child_uid, buf, sizeof buf), 0);
	CHECK_STR(buf, "fromuser");
	unsetenv("USER");
	CHECK_INT(port_user_name(child_uid, buf, sizeof buf), 0);
	CHECK_STR(buf, "fromlogname");
	setenv("USER", "", 1); /* empty counts as unset */
	CHECK_INT(port_user_name(child_uid, buf, sizeof buf), 0);
	CHECK_STR(buf, "fromlogname");
	unsetenv("USER");
	unsetenv("LOGNAME");
	CHECK_INT(port_user_name(child_uid, buf, sizeof buf), PORT_ENOENT);
	/* the environment never names some other uid */
	setenv("USER", "fromuser", 1);
	CHECK_INT(port_user_name(child_uid + 1, buf, sizeof buf), PORT_ENOENT);

	unsetenv("HOME");
	CHECK_INT(port_user_home(buf, sizeof buf), PORT_ENOENT);
	setenv("HOME", "/home/somewhere", 1);
	CHECK_INT(port_user_home(buf, sizeof buf), 0);
	CHECK_STR(buf, "/home/somewhere");
}

static void child_set_euid(void)
{
	struct port_stat st;
	char d[512];

	snprintf(d, sizeof d, "%s", tp("as_other"));

	CHECK_INT(port_set_euid(child_uid, child_uid + 1), 0);
	CHECK_INT(geteuid(), child_uid);
	CHECK_INT(getegid(), child_uid + 1);
	CHECK_INT(port_euid(), child_uid);
	CHECK_INT(port_uid(), 0);
	/* created as that user, mode exact */
	CHECK_INT(port_mkdir(d, 0700), 0);
	CHECK_INT(port_file_stat(d, &st), 0);
	CHECK_INT(st.uid, child_uid);
	CHECK_INT(st.mode, 0700);
	CHECK_INT(port_rmdir(d), 0);
	/* from one non-root user straight to another */
	CHECK_INT(port_set_euid(child_uid + 2, child_uid + 2), 0);
	CHECK_INT(geteuid(), child_uid + 2);
	CHECK_INT(getegid(), child_uid + 2);
	/* and back to root */
	CHECK_INT(port_set_euid(0, 0), 0);
	CHECK_INT(geteuid(), 0);
	CHECK_INT(getegid(), 0);
}

static void test_identity(void)
{
	char buf[256], small[2];
	struct utsname u;
	struct passwd *pw = getpwuid(getuid());
	uint32_t uid = 1, gid = 1;

	CHECK_INT(port_uid(), getuid());
	CHECK_INT(port_euid(), geteuid());
	CHECK_INT(port_pid(), getpid());
	CHECK_INT(port_set_euid(geteuid(), getegid()), 0); /* no change */

	CHECK(uname(&u) == 0);
	CHECK_INT(port_host_name(buf, sizeof buf), 0);
	CHECK_STR(buf, u.nodename);
	CHECK_INT(port_host_name(small, sizeof small), PORT_ETOOBIG);

	CHECK_INT(port_user_lookup("no_such_user_tokenbox", &uid, &gid), PORT_ENOENT);
	CHECK_INT(port_user_lookup("", &uid, &gid), PORT_ENOENT);
	if (pw) {
		char name[64];
		snprintf(name, sizeof name, "%s", pw->pw_name);
		/* the database wins over the environment */
		setenv("USER", "not-the-passwd-name", 1);
		CHECK_INT(port_user_name(getuid(), buf, sizeof buf), 0);
		CHECK_STR(buf, name);
		CHECK_INT(port_user_name(getuid(), small, sizeof small), PORT_ETOOBIG);
		CHECK_INT(port_user_lookup(name, &uid, &gid), 0);
		CHECK_INT(uid, getuid());
		/* HOME unset (or empty): the passwd home of the euid */
		pw = getpwuid(geteuid());
		if (pw) {
			char home[256];
			snprintf(home, sizeof home, "%s", pw->pw_dir);
			unsetenv("HOME");
			CHECK_INT(port_user_home(buf, sizeof buf), 0);
			CHECK_STR(buf, home);
			setenv("HOME", "", 1);
			CHECK_INT(port_user_home(buf, sizeof buf), 0);
			CHECK_STR(buf, home);
		}
	} else {
		printf("SKIP: no passwd entry for uid %u\n", (unsigned)getuid());
	}
	setenv("HOME", "/tmp/tokenbox-home", 1);
	CHECK_INT(port_user_home(buf, sizeof buf), 0);
	CHECK_STR(buf, "/tmp/tokenbox-home");
	CHECK_INT(port_user_home(small, sizeof small), PORT_ETOOBIG);

	if (geteuid() != 0) {
		CHECK_INT(port_set_euid(0, 0), PORT_EFAIL);
		printf("SKIP: uid switching and passwd-less fallbacks need root\n");
		return;
	}
	child_uid = unknown_uid();
	if (child_uid == 0) {
		printf("SKIP: no free uid without a passwd entry\n");
		return;
	}
	/* the scratch directory must be writable by the other uid */
	CHECK(chmod(tmpdir, 0777) == 0);
	in_child(child_set_euid);
	in_child(child_no_passwd);
	CHECK(chmod(tmpdir, 0700) == 0);
}

/* Name lookups: literals come back as they are, brackets off; localhost
 * resolves everywhere (its canonical name may carry a domain); a result
 * that does not fit is an error, not a cut name. */
static void test_resolve(void)
{
	char out[128], small[4];

	CHECK_INT(port_resolve("127.0.0.1", out, sizeof out), 0);
	CHECK_STR(out, "127.0.0.1");
	CHECK_INT(port_resolve("[::1]", out, sizeof out), 0);
	CHECK_STR(out, "::1");
	CHECK_INT(port_canon_name("127.0.0.1", out, sizeof out), 0);
	CHECK_STR(out, "127.0.0.1");
	CHECK_INT(port_canon_name("localhost", out, sizeof out), 0);
	CHECK(strncmp(out, "localhost", 9) == 0);
	CHECK_INT(port_canon_name("localhost", small, sizeof small), PORT_EFAIL);
	CHECK_STR(small, "");
	CHECK_INT(port_canon_name("", out, sizeof out), PORT_ERESOLVE);
	CHECK_STR(out, "");
}

int main(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/test_port.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_clock();
	test_random();
	test_tcp_roundtrip();
	test_tcp_send_timeout();
	test_tcp_errors();
	test_tcp_ipv6();
	test_files();
	test_mkdir();
	test_dir_list();
	test_stdin();
	test_identity();
	test_resolve();
	CHECK_INT(rmdir(tmpdir), 0);
	return check_done("test_port");
}
