/*
 * tls_no_server.c - keeps Mbed TLS's server state machines out of the
 * shipped binary.
 *
 * The configuration enables MBEDTLS_SSL_SRV_C for the test daemon
 * (crypto_tls_server.c), but mbedtls_ssl_handshake_step() calls the two
 * server step functions by name, so --gc-sections alone keeps about
 * 11 KiB of server code in tokenbox.  The tokenbox link therefore uses
 *   -Wl,--wrap=mbedtls_ssl_handshake_server_step
 *   -Wl,--wrap=mbedtls_ssl_tls13_handshake_server_step
 * which sends those calls here; the real functions are then unreferenced
 * and dropped.  tokenbox never configures a server endpoint, so these are
 * unreachable there.  Test programs link without --wrap and get the real
 * ones; these stubs are then unreferenced and dropped in turn.
 */
#include "mbedtls/build_info.h"

#if defined(MBEDTLS_SSL_TLS_C)
#include "mbedtls/ssl.h"

int __wrap_mbedtls_ssl_handshake_server_step(mbedtls_ssl_context *ssl);
int __wrap_mbedtls_ssl_tls13_handshake_server_step(mbedtls_ssl_context *ssl);

int __wrap_mbedtls_ssl_handshake_server_step(mbedtls_ssl_context *ssl)
{
	(void)ssl;
	return MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
}

int __wrap_mbedtls_ssl_tls13_handshake_server_step(mbedtls_ssl_context *ssl)
{
	(void)ssl;
	return MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
}

#endif /* MBEDTLS_SSL_TLS_C */
