/*
 * tls_io.c - the record transport of the TLS engines: HTCondor carries TLS
 * records inside its own messages, so Mbed TLS reads and writes through
 * the caller's callbacks, never a socket.
 */
#include "port/mbedtls/mbed_internal.h"

#if defined(MBEDTLS_SSL_TLS_C)

static int io_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct mbed_tls_io *io = ctx;
	long r = io->send(io->user, buf, len);

	if (r < 0 || (size_t)r != len) {
		io->transport_failed = 1;
		return MBED_TLS_ERR_TRANSPORT;
	}
	return (int)len;
}

static int io_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct mbed_tls_io *io = ctx;
	long r = io->recv(io->user, buf, len);

	if (r == 0) {
		io->starved = 1;
		return MBEDTLS_ERR_SSL_WANT_READ;
	}
	if (r < 0 || (size_t)r > len) {
		io->transport_failed = 2;
		return MBED_TLS_ERR_TRANSPORT;
	}
	return (int)r;
}

void mbed_tls_io_attach(mbedtls_ssl_context *ssl, struct mbed_tls_io *io,
                        crypto_tls_send_fn send, crypto_tls_recv_fn recv, void *user)
{
	io->send = send;
	io->recv = recv;
	io->user = user;
	io->transport_failed = 0;
	io->starved = 0;
	mbedtls_ssl_set_bio(ssl, io, io_send, io_recv, NULL);
}

int mbed_tls_io_handshake(mbedtls_ssl_context *ssl, struct mbed_tls_io *io)
{
	int r = MBEDTLS_ERR_SSL_WANT_READ, spins;

	for (spins = 0; spins < MBED_TLS_MAX_SPINS; spins++) {
		io->starved = 0;
		r = mbedtls_ssl_handshake(ssl);
		if (r != MBEDTLS_ERR_SSL_WANT_READ || io->starved)
			break;
	}
	return r;
}

long mbed_tls_io_write(mbedtls_ssl_context *ssl, const uint8_t *buf, size_t n)
{
	size_t off = 0;

	/* send() takes everything, so WANT_WRITE cannot happen; Mbed TLS
	 * may still split the data into several records. */
	while (off < n) {
		int r = mbedtls_ssl_write(ssl, buf + off, n - off);
		if (r <= 0)
			return CRYPTO_EFAIL;
		off += (size_t)r;
	}
	return (long)n;
}

long mbed_tls_io_read(mbedtls_ssl_context *ssl, struct mbed_tls_io *io, uint8_t *buf, size_t n)
{
	int r = MBEDTLS_ERR_SSL_WANT_READ, spins;

	if (n > 0x7fffffff)
		n = 0x7fffffff;
	/* A TLS 1.3 NewSessionTicket is consumed (and ignored) with a
	 * WANT_READ return even when application data follows it. */
	for (spins = 0; spins < MBED_TLS_MAX_SPINS; spins++) {
		io->starved = 0;
		r = mbedtls_ssl_read(ssl, buf, n);
		if (r != MBEDTLS_ERR_SSL_WANT_READ || io->starved)
			break;
	}
	if (r > 0)
		return r;
	if (r == MBEDTLS_ERR_SSL_WANT_READ)
		return 0;
	if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
		return CRYPTO_TLS_ECLOSED;
	return CRYPTO_EFAIL;
}

#endif /* MBEDTLS_SSL_TLS_C */
