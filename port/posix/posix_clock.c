/*
 * posix_clock.c - monotonic and wall clocks, local time, sleeping.
 */
#include "port/port.h"

#include <errno.h>
#include <string.h>
#include <time.h>

int64_t port_clock_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 1; /* cannot happen on Linux; keep "never 0" */
	/* +1 keeps the value away from 0, which means "no deadline". */
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 1;
}

int64_t port_time_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (int64_t)time(NULL);
	return (int64_t)ts.tv_sec;
}

void port_time_local(int64_t t, int out[6])
{
	time_t tt = (time_t)t;
	struct tm tm;

	memset(out, 0, 6 * sizeof out[0]);
	/* With a 32-bit time_t (glibc armhf) a far date does not fit: leave
	 * zeros rather than print a wrapped date. */
	if ((int64_t)tt != t || !localtime_r(&tt, &tm))
		return;
	out[0] = tm.tm_year + 1900;
	out[1] = tm.tm_mon + 1;
	out[2] = tm.tm_mday;
	out[3] = tm.tm_hour;
	out[4] = tm.tm_min;
	out[5] = tm.tm_sec;
}

void port_sleep_ms(int ms)
{
	struct timespec req, rem;

	if (ms <= 0)
		return;
	req.tv_sec = ms / 1000;
	req.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&req, &rem) != 0 && errno == EINTR)
		req = rem;
}
