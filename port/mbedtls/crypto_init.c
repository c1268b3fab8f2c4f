/*
 * crypto_init.c - one-time initialisation, the shared RNG and wiping.
 *
 * With SSL, Mbed TLS has PSA (TLS 1.3 needs it) and everything draws from
 * PSA's CTR_DRBG.  Without SSL the library has no PSA at all, and the
 * facade keeps its own CTR_DRBG over the same entropy source (getrandom
 * through mbedtls_hardware_poll): one generator either way.
 *
 * tokenbox is single-threaded (the config has no MBEDTLS_THREADING_C), so a
 * plain flag is enough to make initialisation idempotent.
 */
#include "mbedtls/build_info.h"
#include "mbedtls/entropy.h"
#include "mbedtls/version.h"
#include "mbedtls/platform_util.h"
#if defined(MBEDTLS_PSA_CRYPTO_C)
#include "mbedtls/psa_util.h"
#include "psa/crypto.h"
#else
#include "mbedtls/ctr_drbg.h"
#endif

#include "port/crypto.h"
#include "port/mbedtls/mbed_internal.h"

static int psa_ready;
#if !defined(MBEDTLS_PSA_CRYPTO_C)
static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
#endif

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
#if defined(MBEDTLS_PSA_CRYPTO_C)
	if (psa_crypto_init() != PSA_SUCCESS)
		return CRYPTO_EFAIL;
#else
	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
	                          (const unsigned char *)"tokenbox", 8) != 0) {
		mbedtls_ctr_drbg_free(&drbg);
		mbedtls_entropy_free(&entropy);
		return CRYPTO_EFAIL;
	}
#endif
	psa_ready = 1;
	return 0;
}

int crypto_mbed_rng(void *ctx, unsigned char *out, size_t n)
{
	if (crypto_mbed_init() != 0)
		return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
#if defined(MBEDTLS_PSA_CRYPTO_C)
	return mbedtls_psa_get_random(ctx, out, n);
#else
	return mbedtls_ctr_drbg_random(ctx, out, n);
#endif
}

void *crypto_mbed_rng_ctx(void)
{
#if defined(MBEDTLS_PSA_CRYPTO_C)
	return MBEDTLS_PSA_RANDOM_STATE;
#else
	return &drbg;
#endif
}

void crypto_wipe(void *p, size_t n)
{
	mbedtls_platform_zeroize(p, n);
}
