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

/* Called from crypto_mbed_init(): fails early, before PSA's DRBG, when the
 * kernel has no getrandom().  Referencing this file from crypto_init.c is
 * also what makes a static link pull in the hook above: nothing else in
 * libtokenbox.a names mbedtls_hardware_poll, and libmbedcrypto.a comes
 * after it on the command line. */
int crypto_mbed_entropy_ok(void)
{
	unsigned char probe[16];
	size_t n = 0;
	int r = mbedtls_hardware_poll(NULL, probe, sizeof probe, &n);

	crypto_wipe(probe, sizeof probe);
	return r == 0 && n == sizeof probe ? 0 : CRYPTO_EFAIL;
}

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
