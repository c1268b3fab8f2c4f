/*
 * posix_int.h - helpers shared by the POSIX port files (not for src/).
 */
#ifndef TOKENBOX_POSIX_INT_H
#define TOKENBOX_POSIX_INT_H

#include <stddef.h>
#include <stdint.h>

/* Record errno e as the reason of the current failure (port_last_errno)
 * and map it to a PORT_E* code. */
int posix_fail(int e);
/* Like posix_fail, and also write "what: strerror" (or just the reason
 * when what is NULL) into errbuf. */
int posix_fail_msg(int e, char *errbuf, size_t errlen, const char *what);
/* snprintf into errbuf when it is given. */
void posix_errbuf(char *errbuf, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Milliseconds left until deadline for poll(): -1 for no deadline, 0 when
 * it has passed, else clamped to INT_MAX. */
int posix_poll_ms(int64_t deadline);

#endif
