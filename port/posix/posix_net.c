/*
 * posix_net.c - TCP client and loopback server sockets.
 *
 * Every socket is non-blocking and every wait is a poll() against the
 * caller's deadline, so no call can hang past it (name resolution is the
 * exception: getaddrinfo has no timeout).  SIGPIPE is never raised: sends
 * use MSG_NOSIGNAL (SO_NOSIGPIPE where that exists instead), so a peer that
 * hangs up shows as PORT_ECLOSED rather than killing the tool.
 */
#include "port/port.h"
#include "posix_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

/* Copy host without the brackets of "[v6]" into out (PORT_HOST_MAX). */
static int net_host_copy(const char *host, char out[PORT_HOST_MAX])
{
	size_t n;

	if (!host)
		return -1;
	n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host++;
		n -= 2;
	}
	if (n == 0 || n >= PORT_HOST_MAX)
		return -1;
	memcpy(out, host, n);
	out[n] = '\0';
	return 0;
}

/* Numeric text of an address, no brackets, and its port. */
static void net_addr_text(const struct sockaddr *sa, char *buf, size_t len, unsigned *port)
{
	char tmp[INET6_ADDRSTRLEN];
	const void *a = NULL;
	unsigned p = 0;

	tmp[0] = '\0';
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;
		a = &s4->sin_addr;
		p = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)sa;
		a = &s6->sin6_addr;
		p = ntohs(s6->sin6_port);
	}
	if (a && !inet_ntop(sa->sa_family, a, tmp, sizeof tmp))
		tmp[0] = '\0';
	if (buf && len > 0)
		snprintf(buf, len, "%s", tmp);
	if (port)
		*port = p;
}

static void net_tune(int fd)
{
	int one = 1;

	/* CEDAR is request/response with small packets: without NODELAY a
	 * header-then-body write can stall for the peer's delayed ACK. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef SO_NOSIGPIPE
	(void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
}

/* Wait for events on fd until deadline: 0 when ready, PORT_ETIMEDOUT, or
 * PORT_EFAIL.  A passed deadline still polls once, so data that is
 * already there is not reported as a timeout. */
static int net_wait(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd;
		int r;

		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, posix_poll_ms(deadline));
		if (r > 0)
			return 0; /* ready, or an error the next call reports */
		if (r == 0) {
			posix_fail(ETIMEDOUT);
			return PORT_ETIMEDOUT;
		}
		if (errno != EINTR) {
			posix_fail(errno);
			return PORT_EFAIL;
		}
	}
}

/* One connection attempt; returns the fd or -errno. */
static int net_connect_one(const struct addrinfo *ai, int64_t deadline)
{
	int fd, e = 0;
	socklen_t elen = sizeof e;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	            ai->ai_protocol);
	if (fd < 0)
		return -errno;
	net_tune(fd);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	/* EINTR on a non-blocking connect: it carries on asynchronously. */
	if (errno != EINPROGRESS && errno != EINTR) {
		e = errno;
		close(fd);
		return -e;
	}
	if (net_wait(fd, POLLOUT, deadline) != 0) {
		e = port_last_errno();
		close(fd);
		return -e;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) != 0)
		e = errno;
	if (e != 0) {
		close(fd);
		return -e;
	}
	return fd;
}

/* One name lookup for port_resolve and port_canon_name: h gets the host
 * without brackets, *res the first result.  0 or PORT_ERESOLVE. */
static int net_lookup(const char *host, int flags, char h[PORT_HOST_MAX], struct addrinfo **res)
{
	struct addrinfo hints;
	int r;

	*res = NULL;
	if (net_host_copy(host, h) != 0)
		return PORT_ERESOLVE;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = flags;
	r = getaddrinfo(h, NULL, &hints, res);
	if (r != 0 || !*res) {
		posix_fail(r == EAI_SYSTEM ? errno : ENOENT);
		if (r == 0)
			freeaddrinfo(*res);
		*res = NULL;
		return PORT_ERESOLVE;
	}
	return 0;
}

int port_resolve(const char *host, char *ip, size_t iplen)
{
	char h[PORT_HOST_MAX], tmp[INET6_ADDRSTRLEN];
	struct addrinfo *res;
	size_t n;

	if (iplen > 0)
		ip[0] = '\0';
	if (net_lookup(host, 0, h, &res) != 0)
		return PORT_ERESOLVE;
	/* inet_ntop, not getnameinfo(NI_NUMERICHOST): the same text without
	 * musl's reverse-lookup code (2.4 KB) in the binary */
	net_addr_text(res->ai_addr, tmp, sizeof tmp, NULL);
	freeaddrinfo(res);
	n = strlen(tmp);
	if (n == 0 || n >= iplen)
		return PORT_ERESOLVE;
	memcpy(ip, tmp, n + 1);
	return 0;
}

int port_canon_name(const char *host, char *out, size_t cap)
{
	char h[PORT_HOST_MAX];
	struct addrinfo *res;
	const char *name;
	int r;

	if (cap > 0)
		out[0] = '\0';
	if (net_lookup(host, AI_CANONNAME, h, &res) != 0)
		return PORT_ERESOLVE;
	name = res->ai_canonname && res->ai_canonname[0] ? res->ai_canonname : h;
	r = strlen(name) < cap ? 0 : PORT_EFAIL;
	if (r == 0)
		memcpy(out, name, strlen(name) + 1);
	freeaddrinfo(res);
	return r;
}

int port_tcp_connect(const char *host, unsigned port, int timeout_ms,
                     char *peer_ip, size_t peer_ip_len,
                     char *errbuf, size_t errlen)
{
	char h[PORT_HOST_MAX], serv[8];
	struct addrinfo hints, *res = NULL, *ai;
	int64_t deadline = 0;
	int n = 0, i = 0, fd = -1, e = ETIMEDOUT, r;

	if (peer_ip && peer_ip_len > 0)
		peer_ip[0] = '\0';
	if (net_host_copy(host, h) != 0) {
		posix_errbuf(errbuf, errlen, "unknown host %s", host ? host : "(null)");
		return PORT_ERESOLVE;
	}
	if (port == 0 || port > 65535) {
		posix_errbuf(errbuf, errlen, "bad port %u", port);
		posix_fail(EINVAL);
		return PORT_EFAIL;
	}
	snprintf(serv, sizeof serv, "%u", port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = AI_NUMERICSERV;
	r = getaddrinfo(h, serv, &hints, &res);
	if (r != 0 || !res) {
		posix_errbuf(errbuf, errlen, "unknown host %s", h);
		posix_fail(r == EAI_SYSTEM ? errno : ENOENT);
		return PORT_ERESOLVE;
	}
	for (ai = res; ai; ai = ai->ai_next)
		n++;
	if (timeout_ms > 0)
		deadline = port_clock_ms() + timeout_ms;
	for (ai = res; ai; ai = ai->ai_next, i++) {
		int64_t try_deadline = deadline;

		/* Share what is left fairly, so one black-holed address
		 * cannot eat the whole timeout before a working one is
		 * tried; the last address gets all that remains. */
		if (deadline != 0) {
			int64_t now = port_clock_ms(), left = deadline - now;
			if (left <= 0)
				break;
			try_deadline = now + (left / (n - i) > 0 ? left / (n - i) : 1);
		}
		fd = net_connect_one(ai, try_deadline);
		if (fd >= 0)
			break;
		e = -fd;
	}
	if (fd >= 0 && peer_ip)
		net_addr_text(ai->ai_addr, peer_ip, peer_ip_len, NULL);
	freeaddrinfo(res);
	if (fd >= 0)
		return fd;
	posix_errbuf(errbuf, errlen, "%s", port_strerror(e));
	r = posix_fail(e);
	return r == PORT_EREFUSED || r == PORT_ETIMEDOUT ? r : PORT_EFAIL;
}

int port_tcp_send(int h, const void *buf, size_t n, int64_t deadline)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t r = send(h, p, n, MSG_NOSIGNAL);
		if (r >= 0) {
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			int w = net_wait(h, POLLOUT, deadline);
			if (w != 0)
				return w;
			continue;
		}
		if (errno == EPIPE || errno == ECONNRESET) {
			posix_fail(errno);
			return PORT_ECLOSED;
		}
		posix_fail(errno);
		return PORT_EFAIL;
	}
	return 0;
}

long port_tcp_recv(int h, void *buf, size_t n, int64_t deadline)
{
	if (n == 0)
		return 0;
	if (n > 0x7fffffff)
		n = 0x7fffffff; /* the count must fit a 32-bit long */
	for (;;) {
		ssize_t r = recv(h, buf, n, 0);
		if (r > 0)
			return (long)r;
		if (r == 0) {
			posix_fail(ECONNRESET);
			return PORT_ECLOSED;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			int w = net_wait(h, POLLIN, deadline);
			if (w != 0)
				return w;
			continue;
		}
		if (errno == ECONNRESET) {
			posix_fail(errno);
			return PORT_ECLOSED;
		}
		posix_fail(errno);
		return PORT_EFAIL;
	}
}

void port_tcp_close(int h)
{
	/* No retry on EINTR: on Linux the descriptor is gone either way. */
	if (h >= 0)
		close(h);
}

int port_tcp_listen(const char *host, unsigned *port, char *errbuf, size_t errlen)
{
	char h[PORT_HOST_MAX], serv[8];
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd, one = 1, r, e;

	if (net_host_copy(host ? host : "127.0.0.1", h) != 0 || !port || *port > 65535) {
		posix_errbuf(errbuf, errlen, "bad listen address");
		posix_fail(EINVAL);
		return PORT_EFAIL;
	}
	snprintf(serv, sizeof serv, "%u", *port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	r = getaddrinfo(h, serv, &hints, &res);
	if (r != 0 || !res) {
		posix_errbuf(errbuf, errlen, "listen address %s is not numeric", h);
		posix_fail(EINVAL);
		return PORT_ERESOLVE;
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	            res->ai_protocol);
	if (fd < 0) {
		e = errno;
		freeaddrinfo(res);
		posix_fail_msg(e, errbuf, errlen, "socket");
		return PORT_EFAIL;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (res->ai_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		e = errno;
		freeaddrinfo(res);
		close(fd);
		posix_errbuf(errbuf, errlen, "listen on %s:%u: %s", h, *port, port_strerror(e));
		posix_fail(e);
		return e == EACCES ? PORT_EACCES : PORT_EFAIL;
	}
	freeaddrinfo(res);
	net_addr_text((struct sockaddr *)&ss, NULL, 0, port);
	return fd;
}

int port_tcp_accept(int lh, int64_t deadline, char *peer, size_t peer_len,
                    unsigned *peer_port)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd, w;

		fd = accept4(lh, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd >= 0) {
			net_tune(fd);
			net_addr_text((struct sockaddr *)&ss, peer, peer_len, peer_port);
			return fd;
		}
		/* A client that gave up between poll and accept is not an
		 * error of the listener. */
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			posix_fail(errno);
			return PORT_EFAIL;
		}
		w = net_wait(lh, POLLIN, deadline);
		if (w != 0)
			return w;
	}
}
