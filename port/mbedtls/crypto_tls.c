/*
 * crypto_tls.c - the TLS 1.2/1.3 client engine behind HTCondor's SSL
 * authentication method, over Mbed TLS.
 *
 * The engine never sees a socket: records go out through the caller's
 * send() and come in through recv(), because HTCondor carries them inside
 * CEDAR messages.  Only one engine exists at a time (one SSL attempt per
 * connection, connections are sequential), so it lives in a static and
 * nothing the caller owns has to know Mbed TLS's structure sizes.
 *
 * Certificate checks follow HTCondor's client (post_connection_check):
 * chain to the configured CAs, then the host name with HTCondor's own
 * wildcard rule, which is looser than RFC 6125 and than Mbed TLS's built-in
 * check, so the latter is switched off (mbedtls_ssl_set_hostname(NULL))
 * and the rule is applied from the verify callback instead.
 */
#include <stdio.h>
#include <string.h>

#include "mbedtls/build_info.h"
#include "mbedtls/oid.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

#include "port/crypto.h"
#include "port/mbedtls/mbed_internal.h"

/* A build without SSL has no TLS in its Mbed TLS; crypto_tls_none.c
 * answers instead. */
#if defined(MBEDTLS_SSL_TLS_C)



struct crypto_tls {
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	mbedtls_x509_crt ca;
	mbedtls_x509_crt own;
	mbedtls_pk_context key;
	struct mbed_tls_io io; /* the caller's send()/recv() */
	int verify;
	int has_host;
	int done;             /* handshake complete */
	char host[CRYPTO_TLS_HOST_MAX + 1];
};

/*
 * Signature algorithms we offer, PKCS#1 v1.5 before PSS.  TLS 1.3 servers
 * skip PKCS#1 v1.5 for handshake signatures, so 1.3 still gets PSS.  But
 * an OpenSSL server speaking TLS 1.2 takes the first shared entry in the
 * client's order, and Mbed TLS 3.6.6's TLS 1.2 client rejects a
 * rsa_pss_rsae ServerKeyExchange signature (an upstream regression, fixed
 * after 3.6.6), so with the default order (PSS first) a TLS 1.2-only
 * OpenSSL server with an RSA certificate could not be reached.
 */
static const uint16_t tls_sig_algs[] = {
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256,
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384,
	MBEDTLS_TLS1_3_SIG_ECDSA_SECP521R1_SHA512, /* harmless if not built */
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA384,
	MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA512,
	MBEDTLS_TLS1_3_SIG_NONE
};

static struct crypto_tls tls_engine;
static int tls_live;

static void say(char *buf, size_t len, const char *fmt, const char *arg)
{
	if (buf && len)
		snprintf(buf, len, fmt, arg ? arg : "");
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static int cert_matches_host(const mbedtls_x509_crt *crt, const char *host)
{
	const mbedtls_x509_sequence *san;
	const mbedtls_x509_name *n;
	size_t hlen = strlen(host);

	for (san = &crt->subject_alt_names; san && san->buf.p; san = san->next) {
		if (san->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_DNS_NAME) &&
		    crypto_tls_hostname_match((const char *)san->buf.p, san->buf.len, host))
			return 1;
	}
	/* No SAN matched: the CN, exactly but ignoring case, no wildcards. */
	for (n = &crt->subject; n; n = n->next) {
		size_t i;

		if (!n->oid.p || MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) != 0)
			continue;
		if (n->val.len != hlen)
			return 0;
		for (i = 0; i < hlen; i++)
			if (lower(n->val.p[i]) != lower((unsigned char)host[i]))
				return 0;
		return 1;
	}
	return 0;
}

/* Called by Mbed TLS for every certificate of the chain, leaf last. */
static int tls_vrfy(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	struct crypto_tls *t = ctx;

	if (depth == 0 && t->has_host && !cert_matches_host(crt, t->host))
		*flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
	return 0;
}

/* ---- transport ------------------------------------------------------ */

/* ---- verification results ------------------------------------------------ */

static unsigned map_flags(uint32_t f)
{
	unsigned v = 0;

	if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
		v |= CRYPTO_TLS_V_UNTRUSTED;
	if (f & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE))
		v |= CRYPTO_TLS_V_EXPIRED;
	if (f & MBEDTLS_X509_BADCERT_CN_MISMATCH)
		v |= CRYPTO_TLS_V_HOST;
	if (f & MBEDTLS_X509_BADCERT_MISSING)
		v |= CRYPTO_TLS_V_NOCERT;
	if (f & ~(uint32_t)(MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_EXPIRED |
	                    MBEDTLS_X509_BADCERT_FUTURE | MBEDTLS_X509_BADCERT_CN_MISMATCH |
	                    MBEDTLS_X509_BADCERT_MISSING))
		v |= CRYPTO_TLS_V_OTHER;
	return v;
}

unsigned crypto_tls_verify_flags(struct crypto_tls *t)
{
	uint32_t f;

	if (!t || !t->done)
		return CRYPTO_TLS_V_OTHER;
	if (!mbedtls_ssl_get_peer_cert(&t->ssl))
		return CRYPTO_TLS_V_NOCERT;
	f = mbedtls_ssl_get_verify_result(&t->ssl);
	if (f == (uint32_t)-1)
		return CRYPTO_TLS_V_OTHER;
	return map_flags(f);
}

static const char *flags_text(unsigned v, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *text;
	} names[] = {
		{ CRYPTO_TLS_V_NOCERT, "server sent no certificate" },
		{ CRYPTO_TLS_V_UNTRUSTED, "certificate not issued by a trusted CA" },
		{ CRYPTO_TLS_V_EXPIRED, "certificate expired or not yet valid" },
		{ CRYPTO_TLS_V_HOST, "host name does not match the certificate" },
		{ CRYPTO_TLS_V_OTHER, "certificate rejected (signature, key or usage)" },
	};
	size_t i, o = 0;

	if (!buf || !len)
		return "";
	buf[0] = '\0';
	if (v == 0) {
		snprintf(buf, len, "ok");
		return buf;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		int w;

		if (!(v & names[i].bit))
			continue;
		w = snprintf(buf + o, len - o, "%s%s", o ? "; " : "", names[i].text);
		if (w < 0 || (size_t)w >= len - o)
			break; /* truncated: buf stays NUL-terminated */
		o += (size_t)w;
	}
	return buf;
}

const char *crypto_tls_verify_result(struct crypto_tls *t, char *buf, size_t len)
{
	return flags_text(crypto_tls_verify_flags(t), buf, len);
}

/* ---- errors ------------------------------------------------------------ */

static void tls_error(struct crypto_tls *t, int r, char *buf, size_t len)
{
	char vb[200];
	const char *what;

	if (!buf || !len)
		return;
	if (r == MBED_TLS_ERR_TRANSPORT) {
		say(buf, len, "%s", t->io.transport_failed == 1 ? "TLS transport send failed"
		                                            : "TLS transport receive failed");
		return;
	}
	switch (r) {
	case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
	case MBEDTLS_ERR_SSL_BAD_CERTIFICATE:
		flags_text(map_flags(mbedtls_ssl_get_verify_result(&t->ssl)), vb, sizeof vb);
		say(buf, len, "server certificate verification failed: %s", vb);
		return;
	case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
		what = "the server sent a fatal alert (it may require a client certificate, "
		       "or reject ours)";
		break;
	case MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE:
		what = "TLS handshake failure (no common cipher suite, group or signature "
		       "algorithm?)";
		break;
	case MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION:
		what = "no TLS version in common (TLS 1.2 or 1.3 needed)";
		break;
	case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
	case MBEDTLS_ERR_SSL_CONN_EOF:
		what = "the server closed the TLS connection";
		break;
	case MBEDTLS_ERR_SSL_DECODE_ERROR:
	case MBEDTLS_ERR_SSL_INVALID_RECORD:
	case MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE:
	case MBEDTLS_ERR_SSL_UNEXPECTED_RECORD:
		what = "malformed or unexpected TLS message from the server";
		break;
	case MBEDTLS_ERR_SSL_INVALID_MAC:
		what = "TLS record failed authentication";
		break;
	case MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED:
		what = "no CA certificates to verify the server against";
		break;
	case MBEDTLS_ERR_SSL_ALLOC_FAILED:
		what = "out of memory in TLS";
		break;
	default:
		snprintf(buf, len, "TLS error -0x%04x", (unsigned)-r);
		return;
	}
	say(buf, len, "%s", what);
}

/* ---- setup ------------------------------------------------------------- */

static void tls_release(struct crypto_tls *t)
{
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_x509_crt_free(&t->ca);
	mbedtls_x509_crt_free(&t->own);
	mbedtls_pk_free(&t->key);
	crypto_wipe(t, sizeof *t);
	tls_live = 0;
}

/* 0, or -1 with errbuf set. */
static int load_trust(struct crypto_tls *t, const struct crypto_tls_opts *o, char *eb,
                      size_t el)
{
	int r;

	if (o->ca_file && o->ca_file[0]) {
		r = mbedtls_x509_crt_parse_file(&t->ca, o->ca_file);
		/* r > 0: some entries of a bundle did not parse; keep the rest. */
		if (r < 0 || !t->ca.raw.p) {
			say(eb, el, "cannot read CA certificates from %s", o->ca_file);
			return -1;
		}
	}
	if (o->ca_dir && o->ca_dir[0]) {
		r = mbedtls_x509_crt_parse_path(&t->ca, o->ca_dir);
		if (r < 0) {
			say(eb, el, "cannot read CA directory %s", o->ca_dir);
			return -1;
		}
	}
	if (o->verify && !t->ca.raw.p) {
		say(eb, el, "%s", "certificate verification requested but no CA certificates "
		                  "were loaded");
		return -1;
	}
	return 0;
}

static int load_own(struct crypto_tls *t, const struct crypto_tls_opts *o, char *eb,
                    size_t el)
{
	const char *kf;

	if (!o->cert_file || !o->cert_file[0])
		return 0;
	kf = o->key_file && o->key_file[0] ? o->key_file : o->cert_file;
	if (mbedtls_x509_crt_parse_file(&t->own, o->cert_file) < 0 || !t->own.raw.p) {
		say(eb, el, "cannot read client certificate %s", o->cert_file);
		return -1;
	}
	if (mbedtls_pk_parse_keyfile(&t->key, kf, NULL, crypto_mbed_rng,
	                             crypto_mbed_rng_ctx()) != 0) {
		say(eb, el, "cannot read private key %s (unencrypted PEM or DER needed)", kf);
		return -1;
	}
	if (mbedtls_pk_check_pair(&t->own.pk, &t->key, crypto_mbed_rng,
	                          crypto_mbed_rng_ctx()) != 0) {
		say(eb, el, "private key %s does not match the client certificate", kf);
		return -1;
	}
	if (mbedtls_ssl_conf_own_cert(&t->conf, &t->own, &t->key) != 0) {
		say(eb, el, "%s", "cannot use the client certificate");
		return -1;
	}
	return 0;
}

struct crypto_tls *crypto_tls_client_new(const struct crypto_tls_opts *o,
                                         crypto_tls_send_fn send,
                                         crypto_tls_recv_fn recv, void *user,
                                         char *errbuf, size_t errlen)
{
	struct crypto_tls *t = &tls_engine;

	if (!o || !send || !recv) {
		say(errbuf, errlen, "%s", "TLS engine: missing options or callbacks");
		return NULL;
	}
	if (tls_live) {
		say(errbuf, errlen, "%s", "TLS engine already in use");
		return NULL;
	}
	if (o->host && strlen(o->host) > CRYPTO_TLS_HOST_MAX) {
		say(errbuf, errlen, "%s", "host name longer than CRYPTO_TLS_HOST_MAX (255)");
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
	tls_live = 1;
	mbedtls_ssl_init(&t->ssl);
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_x509_crt_init(&t->ca);
	mbedtls_x509_crt_init(&t->own);
	mbedtls_pk_init(&t->key);
	t->verify = o->verify;
	if (o->host) {
		t->has_host = 1;
		memcpy(t->host, o->host, strlen(o->host) + 1);
	}

	if (mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT,
	                                MBEDTLS_SSL_TRANSPORT_STREAM,
	                                MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
		say(errbuf, errlen, "%s", "cannot set up the TLS configuration");
		goto fail;
	}
	/* Like HTCondor's TLS_method() minus SSLv3/TLS1.0/1.1. */
	mbedtls_ssl_conf_min_tls_version(&t->conf, o->version == 13 ? MBEDTLS_SSL_VERSION_TLS1_3
	                                                            : MBEDTLS_SSL_VERSION_TLS1_2);
	mbedtls_ssl_conf_max_tls_version(&t->conf, o->version == 12 ? MBEDTLS_SSL_VERSION_TLS1_2
	                                                            : MBEDTLS_SSL_VERSION_TLS1_3);
	mbedtls_ssl_conf_rng(&t->conf, crypto_mbed_rng, crypto_mbed_rng_ctx());
	mbedtls_ssl_conf_sig_algs(&t->conf, tls_sig_algs);
	mbedtls_ssl_conf_authmode(&t->conf, o->verify ? MBEDTLS_SSL_VERIFY_REQUIRED
	                                              : MBEDTLS_SSL_VERIFY_OPTIONAL);
	mbedtls_ssl_conf_verify(&t->conf, tls_vrfy, t);
	if (load_trust(t, o, errbuf, errlen) != 0 || load_own(t, o, errbuf, errlen) != 0)
		goto fail;
	if (t->ca.raw.p)
		mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
	if (mbedtls_ssl_setup(&t->ssl, &t->conf) != 0) {
		say(errbuf, errlen, "%s", "cannot set up the TLS context");
		goto fail;
	}
	/* We check the name ourselves (tls_vrfy); this also keeps SNI off, as
	 * HTCondor's client sends none. */
	if (mbedtls_ssl_set_hostname(&t->ssl, NULL) != 0) {
		say(errbuf, errlen, "%s", "cannot set up the TLS context");
		goto fail;
	}
	mbed_tls_io_attach(&t->ssl, &t->io, send, recv, user);
	return t;

fail:
	tls_release(t);
	return NULL;
}

/* ---- running ---------------------------------------------------------- */

int crypto_tls_handshake(struct crypto_tls *t, char *errbuf, size_t errlen)
{
	int r;

	if (!t || !tls_live) {
		say(errbuf, errlen, "%s", "TLS engine not set up");
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
	tls_error(t, r, errbuf, errlen);
	return CRYPTO_EFAIL;
}

long crypto_tls_write(struct crypto_tls *t, const uint8_t *buf, size_t n)
{
	if (!t || !t->done || (n && !buf))
		return CRYPTO_EFAIL;
	return mbed_tls_io_write(&t->ssl, buf, n);
}

long crypto_tls_read(struct crypto_tls *t, uint8_t *buf, size_t n)
{
	if (!t || !t->done || !buf || n == 0)
		return CRYPTO_EFAIL;
	return mbed_tls_io_read(&t->ssl, &t->io, buf, n);
}

int crypto_tls_close_notify(struct crypto_tls *t)
{
	if (!t || !tls_live)
		return CRYPTO_EFAIL;
	return mbedtls_ssl_close_notify(&t->ssl) == 0 ? 0 : CRYPTO_EFAIL;
}

/* ---- the peer's certificate -------------------------------------------- */

static const mbedtls_x509_crt *peer(struct crypto_tls *t)
{
	if (!t || !tls_live || !t->done)
		return NULL;
	return mbedtls_ssl_get_peer_cert(&t->ssl);
}

int crypto_tls_peer_fingerprint(struct crypto_tls *t, uint8_t out[32])
{
	const mbedtls_x509_crt *c = peer(t);

	if (!c)
		return CRYPTO_EFAIL;
	return mbedtls_sha256(c->raw.p, c->raw.len, out, 0) == 0 ? 0 : CRYPTO_EFAIL;
}

int crypto_tls_peer_cert(struct crypto_tls *t, unsigned idx, const uint8_t **der,
                         size_t *len)
{
	const mbedtls_x509_crt *c = peer(t);

	while (c && c->raw.p && idx--)
		c = c->next;
	if (!c || !c->raw.p || !der || !len)
		return CRYPTO_EFAIL;
	*der = c->raw.p;
	*len = c->raw.len;
	return 0;
}

/* OpenSSL's short names where they differ from Mbed TLS's. */
static const char *attr_name(const mbedtls_x509_buf *oid, char *tmp, size_t tl)
{
	const char *s = NULL;

	if (mbedtls_oid_get_attr_short_name(oid, &s) == 0 && s)
		return strcmp(s, "uid") == 0 ? "UID" : s;
	if (mbedtls_oid_get_numeric_string(tmp, tl, oid) < 0)
		return "?";
	return tmp;
}

int crypto_tls_peer_subject(struct crypto_tls *t, unsigned idx, char *buf, size_t len)
{
	const mbedtls_x509_crt *c = peer(t);
	const mbedtls_x509_name *n;
	size_t o = 0, i;
	char tmp[64];

	while (c && c->raw.p && idx--)
		c = c->next;
	if (!c || !c->raw.p || !buf || !len)
		return CRYPTO_EFAIL;
	buf[0] = '\0';
	for (n = &c->subject; n && n->oid.p; n = n->next) {
		const char *name = attr_name(&n->oid, tmp, sizeof tmp);
		int w = snprintf(buf + o, len - o, "/%s=", name);

		if (w < 0 || (size_t)w >= len - o)
			goto toobig;
		o += (size_t)w;
		for (i = 0; i < n->val.len; i++) {
			unsigned char ch = n->val.p[i];
			/* Non-printable bytes as \xHH, like X509_NAME_oneline. */
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

const char *crypto_tls_version(struct crypto_tls *t)
{
	if (!t || !tls_live || !t->done)
		return "none";
	return mbedtls_ssl_get_version(&t->ssl);
}

const char *crypto_tls_ciphersuite(struct crypto_tls *t)
{
	if (!t || !tls_live || !t->done)
		return "none";
	return mbedtls_ssl_get_ciphersuite(&t->ssl);
}

void crypto_tls_free(struct crypto_tls *t)
{
	if (t && tls_live && t == &tls_engine)
		tls_release(t);
}

#endif /* MBEDTLS_SSL_TLS_C */
