/*
 * mbed_internal.h - shared plumbing of the Mbed TLS crypto facade.
 * Only the files of port/mbedtls include this; the core sees port/crypto.h alone.
 */
#ifndef TOKENBOX_MBED_INTERNAL_H
#define TOKENBOX_MBED_INTERNAL_H

#include <stddef.h>

/* Initialise PSA crypto (and so its CTR_DRBG, seeded from getrandom via
 * mbedtls_hardware_poll) exactly once.  0 or CRYPTO_EFAIL.  Every facade
 * function that needs randomness or PSA-backed primitives calls it. */
int crypto_mbed_init(void);

/* 0 if the kernel entropy source (getrandom) works (entropy.c). */
int crypto_mbed_entropy_ok(void);

/* The RNG callback for legacy Mbed TLS APIs: draws from PSA's DRBG.
 * Pass crypto_mbed_rng_ctx() as its context. */
int crypto_mbed_rng(void *ctx, unsigned char *out, size_t n);
void *crypto_mbed_rng_ctx(void);

#endif
