/*
 * crypto_init.c - one-time PSA initialisation, the shared RNG and wiping.
 *
 * tokenbox is single-threaded (the config has no MBEDTLS_THREADING_C), so a
 * plain flag is enough to make initialisation idempotent.
 */
#include "mbedtls/build_info.h"
#include "mbedtls/entropy.h"
#include "mbedtls/version.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/psa_util.h"
#include "psa/crypto.h"

#include "port/crypto.h"
#include "port/mbedtls/mbed_internal.h"

static int psa_ready;

const char *crypto_library(void)
{
	return "Mbed TLS " MBEDTLS_VERSION_STRING;
}

int crypto_mbed_init(void)
{
	if (psa_ready)
		return 0;
	if (crypto_mbed_entropy_ok() != 0)
		return CRYPTO_EFAIL;
	if (psa_crypto_init() != PSA_SUCCESS)
		return CRYPTO_EFAIL;
	psa_ready = 1;
	return 0;
}

int crypto_mbed_rng(void *ctx, unsigned char *out, size_t n)
{
	if (crypto_mbed_init() != 0)
		return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
	return mbedtls_psa_get_random(ctx, out, n);
}

void *crypto_mbed_rng_ctx(void)
{
	return MBEDTLS_PSA_RANDOM_STATE;
}

void crypto_wipe(void *p, size_t n)
{
	mbedtls_platform_zeroize(p, n);
}
