/*
 * entropy.c - the only entropy source Mbed TLS gets: the kernel CSPRNG via
 * getrandom(2).
 *
 * The configuration sets MBEDTLS_NO_PLATFORM_ENTROPY and
 * MBEDTLS_ENTROPY_HARDWARE_ALT, so this hook replaces Mbed TLS's platform
 * source, which on musl would fall back to opening /dev/random and fail in
 * an empty chroot or a minimal container.  getrandom() needs no file.
 */
#include <errno.h>
#include <sys/random.h>

#include "mbedtls/build_info.h"
#include "mbedtls/entropy.h"

#include "port/crypto.h"
#include "port/mbedtls/mbed_internal.h"

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
	size_t got = 0;

	(void)data;
	while (got < len) {
		ssize_t r = getrandom(output + got, len - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*olen = got;
			return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
		}
		got += (size_t)r;
	}
	*olen = got;
	return 0;
}
