/*
 * crypto_tls_server.c - a TLS 1.2/1.3 server engine over Mbed TLS, for the
 * test daemon's side of HTCondor's SSL method.
 *
 * Mirrors the client engine (crypto_tls.c): records go through the
 * caller's send()/recv(), one engine lives in a static.  Its own static,
 * so a test can run a client and a server engine in one process.
 *
 * Like HTCondor's server context (setup_ssl_ctx(true): SSL_VERIFY_PEER,
 * no FAIL_IF_NO_PEER_CERT) it requests a client certificate but accepts
 * none.  Mbed TLS's OPTIONAL mode also completes the handshake with a bad
 * client certificate; the caller sees the verification flags and fails
 * the method, as HTCondor's post-connection check would.
 */
#include <stdio.h>
#include <string.h>

#include "mbedtls/build_info.h"
#include "mbedtls/oid.h"
#include "mbedtls/pk.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

#include "port/crypto.h"
#include "port/mbedtls/mbed_internal.h"

/* A build without SSL has no TLS server; crypto_tls_none.c answers. */
#if defined(MBEDTLS_SSL_SRV_C)


struct crypto_tls_server {
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	mbedtls_x509_crt ca;
	mbedtls_x509_crt own;
	mbedtls_pk_context key;
	struct mbed_tls_io io; /* the caller's send()/recv() */
	int done;
};

static struct crypto_tls_server srv_engine;
static int srv_live;

static void say(char *buf, size_t len, const char *fmt, const char *arg)
{
	if (buf && len)
		snprintf(buf, len, fmt, arg ? arg : "");
}

static void srv_release(struct crypto_tls_server *t)
{
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_x509_crt_free(&t->ca);
	mbedtls_x509_crt_free(&t->own);
	mbedtls_pk_free(&t->key);
	crypto_wipe(t, sizeof *t);
	srv_live = 0;
}

struct crypto_tls_server *crypto_tls_server_new(const struct crypto_tls_server_opts *o,
                                                crypto_tls_send_fn send,
                                                crypto_tls_recv_fn recv, void *user,
                                                char *errbuf, size_t errlen)
{
	struct crypto_tls_server *t = &srv_engine;
	const char *kf;

	if (!o || !send || !recv || !o->cert_file) {
		say(errbuf, errlen, "%s", "TLS server: missing certificate or callbacks");
		return NULL;
	}
	if (srv_live) {
		say(errbuf, errlen, "%s", "TLS server engine already in use");
		return NULL;
	}
	if (o->version != 0 && o->version != 12 && o->version != 13) {
		say(errbuf, errlen, "%s", "TLS version must be 0, 12 or 13");
		return NULL;
	}
	if (crypto_mbed_init() != 0) {
		say(errbuf, errlen, "%s", "cannot initialise PSA crypto (no entropy?)");
		return NULL;
	}
	memset(t, 0, sizeof *t);
	srv_live = 1;
	mbedtls_ssl_init(&t->ssl);
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_x509_crt_init(&t->ca);
	mbedtls_x509_crt_init(&t->own);
	mbedtls_pk_init(&t->key);

	if (mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_SERVER,
	                                MBEDTLS_SSL_TRANSPORT_STREAM,
	                                MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
		say(errbuf, errlen, "%s", "cannot set up the TLS configuration");
		goto fail;
	}
	mbedtls_ssl_conf_min_tls_version(&t->conf, o->version == 13 ? MBEDTLS_SSL_VERSION_TLS1_3
	                                                            : MBEDTLS_SSL_VERSION_TLS1_2);
	mbedtls_ssl_conf_max_tls_version(&t->conf, o->version == 12 ? MBEDTLS_SSL_VERSION_TLS1_2
	                                                            : MBEDTLS_SSL_VERSION_TLS1_3);
	mbedtls_ssl_conf_rng(&t->conf, crypto_mbed_rng, crypto_mbed_rng_ctx());
	mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_OPTIONAL);

	kf = o->key_file && o->key_file[0] ? o->key_file : o->cert_file;
	if (mbedtls_x509_crt_parse_file(&t->own, o->cert_file) < 0 || !t->own.raw.p) {
		say(errbuf, errlen, "cannot read server certificate %s", o->cert_file);
		goto fail;
	}
	if (mbedtls_pk_parse_keyfile(&t->key, kf, NULL, crypto_mbed_rng,
	                             crypto_mbed_rng_ctx()) != 0) {
		say(errbuf, errlen, "cannot read private key %s", kf);
		goto fail;
	}
	if (mbedtls_pk_check_pair(&t->own.pk, &t->key, crypto_mbed_rng,
	                          crypto_mbed_rng_ctx()) != 0) {
		say(errbuf, errlen, "private key %s does not match the server certificate", kf);
		goto fail;
	}
	if (mbedtls_ssl_conf_own_cert(&t->conf, &t->own, &t->key) != 0) {
		say(errbuf, errlen, "%s", "cannot use the server certificate");
		goto fail;
	}
	if (o->ca_file && o->ca_file[0]) {
		if (mbedtls_x509_crt_parse_file(&t->ca, o->ca_file) < 0 || !t->ca.raw.p) {
			say(errbuf, errlen, "cannot read CA certificates from %s", o->ca_file);
			goto fail;
		}
		mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
	}
	if (mbedtls_ssl_setup(&t->ssl, &t->conf) != 0) {
		say(errbuf, errlen, "%s", "cannot set up the TLS context");
		goto fail;
	}
	mbed_tls_io_attach(&t->ssl, &t->io, send, recv, user);
	return t;
fail:
	srv_release(t);
	return NULL;
}

int crypto_tls_server_handshake(struct crypto_tls_server *t, char *errbuf, size_t errlen)
{
	int r;

	if (!t || !srv_live) {
		say(errbuf, errlen, "%s", "TLS server engine not set up");
		return CRYPTO_EFAIL;
	}
	if (t->done)
		return 0;
	r = mbed_tls_io_handshake(&t->ssl, &t->io);
	if (r == 0) {
		t->done = 1;
		return 0;
	}
	if (r == MBEDTLS_ERR_SSL_WANT_READ)
		return CRYPTO_TLS_WANT_READ;
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "TLS server handshake failed (-0x%04x)", (unsigned)-r);
	return CRYPTO_EFAIL;
}

long crypto_tls_server_write(struct crypto_tls_server *t, const uint8_t *buf, size_t n)
{
	if (!t || !t->done || (n && !buf))
		return CRYPTO_EFAIL;
	return mbed_tls_io_write(&t->ssl, buf, n);
}

long crypto_tls_server_read(struct crypto_tls_server *t, uint8_t *buf, size_t n)
{
	if (!t || !t->done || !buf || n == 0)
		return CRYPTO_EFAIL;
	return mbed_tls_io_read(&t->ssl, &t->io, buf, n);
}

static unsigned srv_flags(uint32_t f)
{
	unsigned v = 0;

	if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
		v |= CRYPTO_TLS_V_UNTRUSTED;
	if (f & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE))
		v |= CRYPTO_TLS_V_EXPIRED;
	if (f & ~(uint32_t)(MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_EXPIRED |
	                    MBEDTLS_X509_BADCERT_FUTURE))
		v |= CRYPTO_TLS_V_OTHER;
	return v;
}

/* X509_NAME_oneline-style subject ("/CN=x/O=y"), as the client engine
 * prints it. */
static int oneline(const mbedtls_x509_name *n, char *buf, size_t len)
{
	size_t o = 0, i;
	char tmp[64];

	buf[0] = '\0';
	for (; n && n->oid.p; n = n->next) {
		const char *name = NULL;
		int w;

		if (mbedtls_oid_get_attr_short_name(&n->oid, &name) != 0 || !name) {
			if (mbedtls_oid_get_numeric_string(tmp, sizeof tmp, &n->oid) < 0)
				snprintf(tmp, sizeof tmp, "?");
			name = tmp;
		} else if (strcmp(name, "uid") == 0) {
			name = "UID";
		}
		w = snprintf(buf + o, len - o, "/%s=", name);
		if (w < 0 || (size_t)w >= len - o)
			goto toobig;
		o += (size_t)w;
		for (i = 0; i < n->val.len; i++) {
			unsigned char ch = n->val.p[i];
			if (ch >= 0x20 && ch < 0x7f) {
				if (len - o < 2)
					goto toobig;
				buf[o++] = (char)ch;
			} else {
				if (len - o < 5)
					goto toobig;
				snprintf(buf + o, 5, "\\x%02X", ch);
				o += 4;
			}
		}
		buf[o] = '\0';
	}
	return 0;
toobig:
	buf[0] = '\0';
	return CRYPTO_ETOOBIG;
}

int crypto_tls_server_peer(struct crypto_tls_server *t, unsigned *flags, char *subject,
                           size_t len)
{
	const mbedtls_x509_crt *c;
	uint32_t f;

	if (!t || !srv_live || !t->done)
		return CRYPTO_EFAIL;
	c = mbedtls_ssl_get_peer_cert(&t->ssl);
	if (!c)
		return 0;
	f = mbedtls_ssl_get_verify_result(&t->ssl);
	if (flags)
		*flags = f == (uint32_t)-1 ? CRYPTO_TLS_V_OTHER : srv_flags(f);
	if (subject && len && oneline(&c->subject, subject, len) != 0)
		return CRYPTO_ETOOBIG;
	return 1;
}

const char *crypto_tls_server_version(struct crypto_tls_server *t)
{
	if (!t || !srv_live || !t->done)
		return "none";
	return mbedtls_ssl_get_version(&t->ssl);
}

void crypto_tls_server_free(struct crypto_tls_server *t)
{
	if (t && srv_live && t == &srv_engine)
		srv_release(t);
}

#endif /* MBEDTLS_SSL_SRV_C */
