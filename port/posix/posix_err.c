/*
 * posix_err.c - errno bookkeeping for the port layer.
 *
 * The port API returns coarse PORT_E* codes so the core stays OS-neutral,
 * but some HTCondor messages quote strerror and errno verbatim ("Cannot
 * write token to F: Permission denied (errno=13)"), so the errno behind
 * the latest failure is kept here.
 */
#include "port/port.h"
#include "posix_int.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local int last_errno;

int port_last_errno(void)
{
	return last_errno;
}

const char *port_strerror(int errnum)
{
	/* Fixed texts where musl and glibc disagree, so messages do not
	 * depend on the libc the binary was linked with. */
	switch (errnum) {
	case ETIMEDOUT:
		return "Connection timed out";
	case ECONNREFUSED:
		return "Connection refused";
	default:
		return strerror(errnum);
	}
}

int posix_fail(int e)
{
	last_errno = e;
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return PORT_ENOENT;
	case EACCES:
	case EPERM:
		return PORT_EACCES;
	case EEXIST:
		return PORT_EEXIST;
	case ECONNREFUSED:
		return PORT_EREFUSED;
	case ETIMEDOUT:
		return PORT_ETIMEDOUT;
	default:
		return PORT_EFAIL;
	}
}

void posix_errbuf(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!errbuf || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

int posix_fail_msg(int e, char *errbuf, size_t errlen, const char *what)
{
	if (what)
		posix_errbuf(errbuf, errlen, "%s: %s", what, port_strerror(e));
	else
		posix_errbuf(errbuf, errlen, "%s", port_strerror(e));
	return posix_fail(e);
}

int posix_poll_ms(int64_t deadline)
{
	int64_t left;

	if (deadline == 0)
		return -1;
	left = deadline - port_clock_ms();
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}
