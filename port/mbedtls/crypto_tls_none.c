/*
 * crypto_tls_none.c - the TLS engines of port/crypto.h in a build that left
 * SSL out (TOKENBOX_METHODS without SSL): Mbed TLS was configured without
 * TLS and X.509, so every engine refuses to start and says why.  The core
 * never gets here in such a build (secman has no SSL method to run); the
 * test programs link against these and skip what needs SSL by name.
 */
#include <stdio.h>

#include "mbedtls/build_info.h"

#include "port/crypto.h"

#if !defined(MBEDTLS_SSL_TLS_C)

#define LEFT_OUT "TLS was left out of this build (TOKENBOX_METHODS without SSL)"

static void left_out(char *errbuf, size_t errlen)
{
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "%s", LEFT_OUT);
}

struct crypto_tls *crypto_tls_client_new(const struct crypto_tls_opts *o, crypto_tls_send_fn send,
                                         crypto_tls_recv_fn recv, void *user, char *errbuf,
                                         size_t errlen)
{
	(void)o, (void)send, (void)recv, (void)user;
	left_out(errbuf, errlen);
	return NULL;
}

int crypto_tls_handshake(struct crypto_tls *t, char *errbuf, size_t errlen)
{
	(void)t;
	left_out(errbuf, errlen);
	return CRYPTO_EFAIL;
}

long crypto_tls_write(struct crypto_tls *t, const uint8_t *buf, size_t n)
{
	(void)t, (void)buf, (void)n;
	return CRYPTO_EFAIL;
}

long crypto_tls_read(struct crypto_tls *t, uint8_t *buf, size_t n)
{
	(void)t, (void)buf, (void)n;
	return CRYPTO_EFAIL;
}

int crypto_tls_close_notify(struct crypto_tls *t)
{
	(void)t;
	return CRYPTO_EFAIL;
}

unsigned crypto_tls_verify_flags(struct crypto_tls *t)
{
	(void)t;
	return CRYPTO_TLS_V_OTHER;
}

const char *crypto_tls_verify_result(struct crypto_tls *t, char *buf, size_t len)
{
	(void)t;
	left_out(buf, len);
	return buf;
}

int crypto_tls_peer_fingerprint(struct crypto_tls *t, uint8_t out[32])
{
	(void)t, (void)out;
	return CRYPTO_EFAIL;
}

int crypto_tls_peer_cert(struct crypto_tls *t, unsigned idx, const uint8_t **der, size_t *len)
{
	(void)t, (void)idx, (void)der, (void)len;
	return CRYPTO_EFAIL;
}

int crypto_tls_peer_subject(struct crypto_tls *t, unsigned idx, char *buf, size_t len)
{
	(void)t, (void)idx, (void)buf, (void)len;
	return CRYPTO_EFAIL;
}

const char *crypto_tls_version(struct crypto_tls *t)
{
	(void)t;
	return "none";
}

const char *crypto_tls_ciphersuite(struct crypto_tls *t)
{
	(void)t;
	return "none";
}

void crypto_tls_free(struct crypto_tls *t)
{
	(void)t;
}

struct crypto_tls_server *crypto_tls_server_new(const struct crypto_tls_server_opts *o,
                                                crypto_tls_send_fn send, crypto_tls_recv_fn recv,
                                                void *user, char *errbuf, size_t errlen)
{
	(void)o, (void)send, (void)recv, (void)user;
	left_out(errbuf, errlen);
	return NULL;
}

int crypto_tls_server_handshake(struct crypto_tls_server *t, char *errbuf, size_t errlen)
{
	(void)t;
	left_out(errbuf, errlen);
	return CRYPTO_EFAIL;
}

long crypto_tls_server_write(struct crypto_tls_server *t, const uint8_t *buf, size_t n)
{
	(void)t, (void)buf, (void)n;
	return CRYPTO_EFAIL;
}

long crypto_tls_server_read(struct crypto_tls_server *t, uint8_t *buf, size_t n)
{
	(void)t, (void)buf, (void)n;
	return CRYPTO_EFAIL;
}

int crypto_tls_server_peer(struct crypto_tls_server *t, unsigned *flags, char *subject, size_t len)
{
	(void)t, (void)flags, (void)subject, (void)len;
	return CRYPTO_EFAIL;
}

const char *crypto_tls_server_version(struct crypto_tls_server *t)
{
	(void)t;
	return "none";
}

void crypto_tls_server_free(struct crypto_tls_server *t)
{
	(void)t;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int crypto_tls_none_unused;
#endif
