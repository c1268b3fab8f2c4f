/*
 * fastcopy.c - memcpy for the x86_64 build, reached through the linker's
 * --wrap=memcpy (toolchain/x86_64.mk).
 *
 * musl's x86_64 memcpy is `rep movsq`, whose start-up cost (tens of
 * cycles) dwarfs the copy itself for the 32- and 64-byte bignum limbs
 * that Mbed TLS's elliptic-curve code copies thousands of times per key
 * exchange: perf put memcpy at a fifth of a new session's CPU
 * (bench/bench_handshake.c).  Small copies here are plain word moves;
 * large ones still use `rep movsb`, which is fast once it gets going.
 * Same contract as memcpy (no overlap); the other arches keep musl's.
 */
#include <stddef.h>
#include <stdint.h>

#if defined(TOKENBOX_WRAP_MEMCPY) && defined(__x86_64__)

void *__wrap_memcpy(void *restrict dst, const void *restrict src, size_t n);

/* gcc must not turn the loops below back into a call to memcpy, which
 * would come straight back here. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *__wrap_memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n >= 256) {
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
		return dst;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		uint64_t w;
		__builtin_memcpy(&w, s, 8); /* fixed size: always inlined */
		__builtin_memcpy(d, &w, 8);
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int fastcopy_unused;
#endif
