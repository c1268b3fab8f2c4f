/*
 * posix_file.c - stat, whole-file read, exclusive create, directories.
 *
 * Modes are applied with an explicit chmod after creation: the umask must
 * not weaken or strengthen them (FS authentication insists on a directory
 * mode of exactly 0700, token files must be 0600).
 */
#include "port/port.h"
#include "posix_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static void file_fill(const struct stat *sb, struct port_stat *st)
{
	memset(st, 0, sizeof *st);
	st->is_dir = S_ISDIR(sb->st_mode) ? 1 : 0;
	st->is_reg = S_ISREG(sb->st_mode) ? 1 : 0;
	st->is_link = S_ISLNK(sb->st_mode) ? 1 : 0;
	st->uid = (uint32_t)sb->st_uid;
	st->mode = (uint32_t)(sb->st_mode & 07777);
	st->size = sb->st_size > 0 ? (uint64_t)sb->st_size : 0;
	st->nlink = (uint32_t)sb->st_nlink;
}

int port_file_stat(const char *path, struct port_stat *st)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return posix_fail(errno);
	if (st)
		file_fill(&sb, st);
	return 0;
}

static int file_close_keep_errno(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
	return -1;
}

/* Read fd to EOF into buf (NUL-terminated, at most cap-1 bytes, cap > 0).
 * One byte more than fits is PORT_ETOOBIG; buf is then emptied. */
static int fd_read_all(int fd, char *buf, size_t cap, size_t *got_out)
{
	size_t got = 0;

	for (;;) {
		ssize_t r;
		char extra;

		if (got == cap - 1) {
			do
				r = read(fd, &extra, 1);
			while (r < 0 && errno == EINTR);
			if (r == 0)
				break;
			buf[0] = '\0';
			posix_fail(r > 0 ? EFBIG : errno);
			return r > 0 ? PORT_ETOOBIG : PORT_EFAIL;
		}
		r = read(fd, buf + got, cap - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			buf[0] = '\0';
			posix_fail(errno);
			return PORT_EFAIL;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*got_out = got;
	return 0;
}

int port_file_read(const char *path, char *buf, size_t cap, size_t *len,
                   struct port_stat *st)
{
	struct stat sb;
	size_t got = 0;
	int fd, r;

	if (len)
		*len = 0;
	/* Nothing opened, nothing known: a caller that looks at st after a
	 * failed open sees a file that is neither regular nor a directory. */
	if (st)
		memset(st, 0, sizeof *st);
	if (!buf || cap == 0) {
		posix_fail(EINVAL);
		return PORT_ETOOBIG;
	}
	buf[0] = '\0';
	/* O_NONBLOCK: opening a FIFO planted where a config file belongs
	 * must not hang; regular files ignore the flag. */
	do
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return posix_fail(errno);
	if (fstat(fd, &sb) != 0) {
		file_close_keep_errno(fd);
		return posix_fail(errno) == PORT_EACCES ? PORT_EACCES : PORT_EFAIL;
	}
	if (st)
		file_fill(&sb, st);
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		posix_fail(S_ISDIR(sb.st_mode) ? EISDIR : EINVAL);
		return PORT_EFAIL;
	}
	if (sb.st_size > 0 && (uint64_t)sb.st_size > cap - 1) {
		close(fd);
		posix_fail(EFBIG);
		return PORT_ETOOBIG;
	}
	/* Read to EOF rather than trusting st_size: the file may be growing
	 * or be a /proc-like file that reports size 0. */
	r = fd_read_all(fd, buf, cap, &got);
	close(fd);
	if (r == 0 && len)
		*len = got;
	return r;
}

int port_stream_open(const char *path)
{
	int fd;

	if (!path || strcmp(path, "-") == 0)
		return 0;
	do
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? posix_fail(errno) : fd;
}

long port_stream_read(int h, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(h, buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		posix_fail(errno);
		return PORT_EFAIL;
	}
	return (long)r;
}

void port_stream_close(int h)
{
	if (h > 0)
		close(h);
}

static int file_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t r = write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	/* No fsync: like HTCondor, a token file is as durable as any other
	 * write, and one fsync per file costs milliseconds on some disks. */
	return 0;
}

int port_file_write_new(const char *path, const void *data, size_t n, unsigned mode)
{
	int fd, e;

	do
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW,
		          (mode_t)(mode & 0777));
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return posix_fail(errno);
	if (fchmod(fd, (mode_t)(mode & 07777)) != 0 || file_write_all(fd, data, n) != 0) {
		e = errno;
		close(fd);
		unlink(path); /* we created it: leave no half-written file */
		return posix_fail(e) == PORT_EACCES ? PORT_EACCES : PORT_EFAIL;
	}
	if (close(fd) != 0) {
		e = errno;
		unlink(path);
		posix_fail(e);
		return PORT_EFAIL;
	}
	return 0;
}

/* Rewrite the existing regular file at path in place (through a link). */
static int file_rewrite(const char *path, const void *data, size_t n)
{
	struct stat sb;
	int fd, e;

	do
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return posix_fail(errno);
	if (fstat(fd, &sb) != 0)
		e = errno;
	else
		e = S_ISREG(sb.st_mode) ? 0 : EINVAL;
	if (e != 0) {
		close(fd);
		posix_fail(e);
		return PORT_EFAIL;
	}
	if (file_write_all(fd, data, n) != 0) {
		e = errno;
		close(fd);
		return posix_fail(e) == PORT_EACCES ? PORT_EACCES : PORT_EFAIL;
	}
	if (close(fd) != 0) {
		posix_fail(errno);
		return PORT_EFAIL;
	}
	return 0;
}

int port_file_write(const char *path, const void *data, size_t n, unsigned mode)
{
	static unsigned counter;
	char tmp[4096];
	struct stat sb;
	int r;

	r = port_file_write_new(path, data, n, mode);
	if (r != PORT_EEXIST)
		return r;
	/* An existing file keeps its owner and mode, as HTCondor does when
	 * it overwrites a token file.  It is replaced whole: the contents go
	 * to a new file beside it, which takes the old one's owner and mode
	 * and is renamed over it, so concurrent writers and readers only ever
	 * see one whole token.  A link is written through, in place. */
	if (lstat(path, &sb) != 0)
		return posix_fail(errno);
	if (S_ISLNK(sb.st_mode))
		return file_rewrite(path, data, n);
	if (!S_ISREG(sb.st_mode)) {
		posix_fail(S_ISDIR(sb.st_mode) ? EISDIR : EINVAL);
		return PORT_EFAIL;
	}
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld-%u", path, (long)getpid(), ++counter) >=
	    sizeof tmp) {
		posix_fail(ENAMETOOLONG);
		return PORT_EFAIL;
	}
	r = port_file_write_new(tmp, data, n, (unsigned)(sb.st_mode & 07777));
	if (r != 0)
		return r;
	if ((sb.st_uid != geteuid() || sb.st_gid != getegid()) &&
	    lchown(tmp, sb.st_uid, sb.st_gid) != 0) {
		/* Not ours to give away: keep the old file and its owner. */
		unlink(tmp);
		return file_rewrite(path, data, n);
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return posix_fail(e);
	}
	return 0;
}

int port_file_unlink(const char *path)
{
	if (unlink(path) != 0)
		return posix_fail(errno);
	return 0;
}

int port_mkdir(const char *path, unsigned mode)
{
	int e;

	if (mkdir(path, (mode_t)(mode & 0777)) != 0)
		return posix_fail(errno);
	/* Exact mode despite the umask (and without a set-gid bit inherited
	 * from the parent).  The new entry is ours: in a sticky directory
	 * like /tmp nobody else can swap it for a link before the chmod. */
	if (chmod(path, (mode_t)(mode & 07777)) != 0) {
		e = errno;
		rmdir(path);
		return posix_fail(e) == PORT_EACCES ? PORT_EACCES : PORT_EFAIL;
	}
	return 0;
}

int port_rmdir(const char *path)
{
	if (rmdir(path) != 0)
		return posix_fail(errno);
	return 0;
}

/* Names of one listing, sorted before the callbacks run.  Heap-allocated
 * (264 KiB) per call so a callback may list another directory. */
struct dir_names {
	char *name[PORT_DIR_MAX];
	char slot[PORT_DIR_MAX][PORT_NAME_MAX];
};

static int dir_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t dir_max_index(const struct dir_names *d, size_t n)
{
	size_t i, m = 0;

	for (i = 1; i < n; i++)
		if (strcmp(d->name[i], d->name[m]) > 0)
			m = i;
	return m;
}

int port_dir_list(const char *path, int (*fn)(const char *name, void *arg), void *arg)
{
	struct dir_names *d;
	struct dirent *de;
	DIR *dir;
	size_t n = 0, i, maxi = 0;
	int over = 0, r = 0;

	dir = opendir(path);
	if (!dir)
		return posix_fail(errno);
	d = malloc(sizeof *d);
	if (!d) {
		closedir(dir);
		posix_fail(ENOMEM);
		return PORT_EFAIL;
	}
	for (;;) {
		const char *nm;
		size_t len;

		errno = 0;
		de = readdir(dir);
		if (!de)
			break;
		nm = de->d_name;
		if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
			continue;
		len = strlen(nm);
		if (len >= PORT_NAME_MAX) { /* cannot happen with NAME_MAX 255 */
			over = 1;
			continue;
		}
		if (n < PORT_DIR_MAX) {
			memcpy(d->slot[n], nm, len + 1);
			d->name[n] = d->slot[n];
			n++;
			if (n == PORT_DIR_MAX)
				maxi = dir_max_index(d, n);
			continue;
		}
		/* Too many: keep the PORT_DIR_MAX smallest names, so the
		 * partial result does not depend on on-disk order. */
		over = 1;
		if (strcmp(nm, d->name[maxi]) < 0) {
			memcpy(d->name[maxi], nm, len + 1);
			maxi = dir_max_index(d, n);
		}
	}
	if (errno != 0) {
		r = posix_fail(errno) == PORT_EACCES ? PORT_EACCES : PORT_EFAIL;
		closedir(dir);
		free(d);
		return r;
	}
	closedir(dir);
	qsort(d->name, n, sizeof d->name[0], dir_cmp);
	for (i = 0; i < n && r == 0; i++)
		r = fn(d->name[i], arg);
	free(d);
	if (r != 0)
		return r;
	if (over) {
		posix_fail(EFBIG);
		return PORT_ETOOBIG;
	}
	return 0;
}

int port_log_open(const char *path, unsigned mode)
{
	struct stat sb;
	int fd, created = 0;

	/* Exclusive create first, so a new file gets exactly mode whatever
	 * the umask; an existing one is opened as it is. */
	do
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
		          (mode_t)(mode & 0777));
	while (fd < 0 && errno == EINTR);
	if (fd >= 0)
		created = 1;
	else if (errno == EEXIST) {
		do
			fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		while (fd < 0 && errno == EINTR);
	}
	if (fd < 0)
		return posix_fail(errno);
	if (fstat(fd, &sb) != 0 || (created && fchmod(fd, (mode_t)(mode & 07777)) != 0)) {
		file_close_keep_errno(fd);
		return posix_fail(errno);
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return posix_fail(S_ISDIR(sb.st_mode) ? EISDIR : EINVAL);
	}
	return fd;
}

int port_log_append(int h, const void *data, size_t n)
{
	ssize_t r;

	do
		r = write(h, data, n);
	while (r < 0 && errno == EINTR);
	if (r < 0 || (size_t)r != n) {
		/* A short write leaves a partial line: report it like a failure
		 * (ENOSPC is the usual cause). */
		posix_fail(r < 0 ? errno : ENOSPC);
		return PORT_EFAIL;
	}
	if (fsync(h) != 0) {
		posix_fail(errno);
		return PORT_EFAIL;
	}
	return 0;
}

void port_log_close(int h)
{
	if (h >= 0)
		close(h);
}
