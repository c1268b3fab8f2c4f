/*
 * check.h - the unit-test harness: a few macros and a closing line.
 *
 * Each tests/unit/test_*.c is one program.  CHECK* count passes and
 * failures, print every failure with file:line, and check_done() prints
 * "<name>: N passed, N failed" and returns the exit status.
 */
#ifndef TOKENBOX_CHECK_H
#define TOKENBOX_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_pass, check_fail;

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (cond) {                                                     \
			check_pass++;                                           \
		} else {                                                        \
			check_fail++;                                           \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); \
		}                                                               \
	} while (0)

#define CHECK_INT(a, b)                                                          \
	do {                                                                     \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);  \
		if (check_a_ == check_b_) {                                      \
			check_pass++;                                            \
		} else {                                                         \
			check_fail++;                                            \
			fprintf(stderr, "%s:%d: FAIL: %s == %s (%lld != %lld)\n", \
			        __FILE__, __LINE__, #a, #b, check_a_, check_b_); \
		}                                                                \
	} while (0)

#define CHECK_STR(a, b)                                                               \
	do {                                                                          \
		const char *check_a_ = (a), *check_b_ = (b);                          \
		if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) {        \
			check_pass++;                                                 \
		} else {                                                              \
			check_fail++;                                                 \
			fprintf(stderr, "%s:%d: FAIL: %s == %s\n  got:  \"%s\"\n  want: \"%s\"\n", \
			        __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)", \
			        check_b_ ? check_b_ : "(null)");                      \
		}                                                                     \
	} while (0)

#define CHECK_MEM(a, b, n)                                                      \
	do {                                                                    \
		if (memcmp((a), (b), (n)) == 0) {                               \
			check_pass++;                                           \
		} else {                                                        \
			check_fail++;                                           \
			fprintf(stderr, "%s:%d: FAIL: memcmp(%s, %s, %s)\n", __FILE__, \
			        __LINE__, #a, #b, #n);                          \
		}                                                               \
	} while (0)

/* Hex digit pairs to bytes, at most cap of them; stops at the first
 * character that is not a hex digit.  Returns the number of bytes. */
static inline size_t check_unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int d[2], i;

	while (n < cap) {
		for (i = 0; i < 2; i++) {
			char c = h[i];
			d[i] = c >= '0' && c <= '9' ? c - '0'
			       : c >= 'a' && c <= 'f' ? c - 'a' + 10
			       : c >= 'A' && c <= 'F' ? c - 'A' + 10
			                              : -1;
			if (d[i] < 0)
				return n;
		}
		out[n++] = (uint8_t)(d[0] * 16 + d[1]);
		h += 2;
	}
	return n;
}

/* Remove a test's temporary tree (a mkdtemp path: no quote in it). */
static inline void check_rmtree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static inline int check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_pass, check_fail);
	return check_fail ? 1 : 0;
}

#endif
