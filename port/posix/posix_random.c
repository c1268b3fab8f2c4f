/*
 * posix_random.c - the OS CSPRNG.
 *
 * getrandom(2) is called through syscall() rather than the libc wrapper:
 * older libcs lack the wrapper, and either way a kernel (or qemu-user, or a
 * seccomp filter) without the call must fall back to /dev/urandom instead
 * of failing.  Both sources can return short reads; loop until full.
 */
#include "port/port.h"
#include "posix_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int random_urandom(unsigned char *p, size_t n)
{
	int fd;

	do
		fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		posix_fail(errno);
		return PORT_EFAIL;
	}
	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			posix_fail(r < 0 ? errno : EIO);
			close(fd);
			return PORT_EFAIL;
		}
		p += r;
		n -= (size_t)r;
	}
	close(fd);
	return 0;
}

int port_random(void *buf, size_t n)
{
	unsigned char *p = buf;

#ifdef SYS_getrandom
	while (n > 0) {
		/* Ask for at most 256 bytes: those never return short on a
		 * seeded pool, and are not interrupted by signals. */
		size_t want = n < 256 ? n : 256;
		long r = syscall(SYS_getrandom, p, want, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) /* never seen; do not spin on it */
			return random_urandom(p, n);
		if (r < 0) {
			if (errno == ENOSYS || errno == EPERM || errno == EINVAL)
				return random_urandom(p, n);
			posix_fail(errno);
			return PORT_EFAIL;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
#else
	return random_urandom(p, n);
#endif
}
