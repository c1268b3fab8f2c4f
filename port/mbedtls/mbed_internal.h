/*
 * mbed_internal.h - shared plumbing of the Mbed TLS crypto facade.
 * Only the files of port/mbedtls include this; the core sees port/crypto.h alone.
 */
#ifndef TOKENBOX_MBED_INTERNAL_H
#define TOKENBOX_MBED_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mbedtls/build_info.h"

#include "port/crypto.h"

/* Initialise the random generator (PSA's CTR_DRBG when the build has PSA,
 * for TLS 1.3; else one of our own), seeded from getrandom via
 * mbedtls_hardware_poll, and PSA itself, exactly once.  0 or CRYPTO_EFAIL.
 * Every facade function that needs randomness or PSA calls it. */
int crypto_mbed_init(void);

/* 0 if the kernel entropy source (getrandom) works (entropy.c). */
int crypto_mbed_entropy_ok(void);

/* The RNG callback for Mbed TLS's own APIs: draws from that DRBG.
 * Pass crypto_mbed_rng_ctx() as its context. */
int crypto_mbed_rng(void *ctx, unsigned char *out, size_t n);
void *crypto_mbed_rng_ctx(void);

/* ---- the record transport both TLS engines share (tls_io.c) --------- */

#if defined(MBEDTLS_SSL_TLS_C)
#include "mbedtls/ssl.h"

/* Our bio callbacks' code when the caller's transport fails; Mbed TLS
 * passes it through unchanged.  Outside Mbed TLS's error space. */
#define MBED_TLS_ERR_TRANSPORT (-0x7f01)
/* Safety net against a library state that keeps asking for input while
 * input is available. */
#define MBED_TLS_MAX_SPINS 64

struct mbed_tls_io {
	crypto_tls_send_fn send;
	crypto_tls_recv_fn recv;
	void *user;
	int transport_failed; /* 1: send, 2: recv */
	int starved;          /* recv() reported "nothing now" during this call */
};

/* Route ssl's records through the caller's send()/recv(). */
void mbed_tls_io_attach(mbedtls_ssl_context *ssl, struct mbed_tls_io *io,
                        crypto_tls_send_fn send, crypto_tls_recv_fn recv, void *user);
/* One handshake step: Mbed TLS may report WANT_READ after consuming a
 * message that was followed by more buffered input, so only stop once
 * recv() had nothing.  Returns Mbed TLS's code. */
int mbed_tls_io_handshake(mbedtls_ssl_context *ssl, struct mbed_tls_io *io);
/* Application data: n or CRYPTO_EFAIL. */
long mbed_tls_io_write(mbedtls_ssl_context *ssl, const uint8_t *buf, size_t n);
/* 1..n bytes, 0 when more input is needed, CRYPTO_TLS_ECLOSED, or
 * CRYPTO_EFAIL.  A TLS 1.3 NewSessionTicket is consumed on the way. */
long mbed_tls_io_read(mbedtls_ssl_context *ssl, struct mbed_tls_io *io, uint8_t *buf, size_t n);
#endif

#endif
