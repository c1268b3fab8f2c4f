/*
 * posix_tty.c - line input from standard input, terminal checks.
 *
 * Lines are read one byte at a time on purpose: the approve tool asks one
 * question per request, and when stdin is a pipe ("printf 'yes\nno\n' |
 * tool") any read-ahead buffer would swallow the answers to later prompts
 * or leave them to a different reader.  A byte-sized read never consumes
 * past the newline; prompts are answered by humans, so the cost is nil.
 */
#include "port/port.h"
#include "posix_int.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

long port_stdin_line(char *buf, size_t len, int *truncated)
{
	size_t n = 0;
	int any = 0, trunc = 0;

	if (truncated)
		*truncated = 0;
	for (;;) {
		char c;
		ssize_t r = read(0, &c, 1);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				/* Inherited a non-blocking stdin: wait for input. */
				struct pollfd pfd = { .fd = 0, .events = POLLIN };
				if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
					continue;
			}
			posix_fail(errno);
			break; /* a read error ends input like EOF */
		}
		if (r == 0)
			break;
		any = 1;
		if (c == '\n')
			break;
		if (len > 0 && n < len - 1)
			buf[n++] = c;
		else
			trunc = 1;
	}
	if (len > 0)
		buf[n] = '\0';
	if (truncated)
		*truncated = trunc;
	if (!any)
		return -1;
	return (long)n;
}

int port_isatty(int fd)
{
	return isatty(fd) ? 1 : 0;
}
