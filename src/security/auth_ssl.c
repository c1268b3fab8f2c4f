/*
 * auth_ssl.c - SSL authentication, client side (auth-methods.md §2.3).
 *
 * HTCondor runs OpenSSL over two memory BIOs and ferries their contents
 * in CEDAR messages; we do the same with the TLS engine of port/crypto.h.
 * The message rhythm is what matters for interoperability: the client
 * sends on odd rounds of the handshake phase and receives on even ones,
 * then in the key phase receives on odd rounds and sends on even ones,
 * and every phase ends when both sides report HOLDING.  Failures are
 * reported with QUITTING rather than by hanging up, so both peers reach
 * the next method handshake in step.
 *
 * Certificate checks (post_connection_check) are made after the TLS
 * handshake, on the verification result the engine recorded: chain to
 * the configured CAs, then HTCondor's host-name rule against the sinful's
 * alias.  Failing there takes HTCondor's own post-check path: read the
 * server's key message, answer [QUITTING, 0].
 *
 * A certificate that does not chain to a configured CA is looked up in
 * known_hosts (known_hosts.h), and when the host is not listed it may be
 * trusted on first use (BOOTSTRAP_SSL_SERVER_TRUST) or after asking the
 * user on a terminal (BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER); see
 * ssl_known_host().  HTCondor decides this inside the handshake, we right
 * after it: the verdict and the file contents are the same, and a refusal
 * takes the post-check path, which keeps both peers in step.
 *
 * Not implemented: the SCITOKENS variant (§2.8), AUTH_SSL_CIPHERLIST.
 */
#include "auth_ssl.h"

#include <stdio.h>
#include <string.h>

#include "debug.h"
#include "known_hosts.h"
#include "netblock.h"
#include "port/crypto.h"
#include "port/port.h"
#include "sec_config_ssl.h"
#include "sinful.h"

/* Error codes under subsystem "SSL" (below AUTHENTICATE:1004). */
enum {
	SSL_ERR_SETUP = 1001,    /* local setup (files, engine) */
	SSL_ERR_SERVER = 1002,   /* the server refused or aborted */
	SSL_ERR_TLS = 1003,      /* TLS handshake failed locally */
	SSL_ERR_CERT = 1004,     /* server certificate rejected */
	SSL_ERR_KEY = 1005,      /* key transfer failed */
	SSL_ERR_PROTOCOL = 1006  /* malformed or oversized messages */
};

/* Usual locations of the system CA bundle (AUTH_SSL_CLIENT_USE_DEFAULT_CAS:
 * a static binary has no OpenSSL default path). */
static const char *const system_ca_files[] = {
	"/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu, Alpine, Arch */
	"/etc/pki/tls/certs/ca-bundle.crt",   /* RHEL, Fedora */
	"/etc/ssl/ca-bundle.pem",             /* SUSE */
	"/etc/ssl/cert.pem",                  /* Alpine, BSDs, macOS */
};

/* ---- framing -------------------------------------------------------------- */

void auth_ssl_io_init(struct auth_ssl_io *io, struct cedar *c)
{
	io->c = c;
	io->out_len = 0;
	io->out_overflow = 0;
	io->in_pos = io->in_len = 0;
}

long auth_ssl_io_send(void *user, const uint8_t *buf, size_t n)
{
	struct auth_ssl_io *io = user;

	if (n > sizeof io->out - io->out_len) {
		io->out_overflow = 1;
		return -1;
	}
	memcpy(io->out + io->out_len, buf, n);
	io->out_len += n;
	return (long)n;
}

long auth_ssl_io_recv(void *user, uint8_t *buf, size_t n)
{
	struct auth_ssl_io *io = user;
	size_t avail = io->in_len - io->in_pos;

	if (avail == 0)
		return 0; /* "want read": the peer's next message is needed */
	if (n > avail)
		n = avail;
	memcpy(buf, io->in + io->in_pos, n);
	io->in_pos += n;
	return (long)n;
}

int auth_ssl_send_status(struct cedar *c, int status, struct err *e)
{
	return cedar_put_int(c, status, e) < 0 || cedar_end_send(c, e) < 0 ? -1 : 0;
}

static int to_status(int64_t v)
{
	return v < -1000 || v > 1000 ? AUTH_SSL_ERROR : (int)v;
}

int auth_ssl_recv_status(struct cedar *c, int *status, struct err *e)
{
	int64_t v;

	if (cedar_get_int(c, &v, e) < 0 || cedar_end_recv(c, e) < 0)
		return -1;
	*status = to_status(v);
	return 0;
}

static int send_msg(struct cedar *c, int status, const uint8_t *buf, size_t n, struct err *e)
{
	size_t chunk = c->send_chunk;
	int rc;

	/* One packet per message, even for a large flight (see AUTH_SSL_OUT_MAX). */
	if (16 + n > chunk && cedar_set_send_chunk(c, 16 + n) < 0)
		return -1;
	rc = cedar_put_int(c, status, e) < 0 || cedar_put_int(c, (int64_t)n, e) < 0 ||
	     (n && cedar_put_bytes(c, buf, n, e) < 0) || cedar_end_send(c, e) < 0 ? -1 : 0;
	if (c->send_chunk != chunk)
		cedar_set_send_chunk(c, chunk);
	return rc;
}

int auth_ssl_send_data(struct auth_ssl_io *io, int status, struct err *e)
{
	int rc;

	if (io->out_overflow) {
		err_push(e, "SSL", SSL_ERR_PROTOCOL,
		         "TLS output exceeds AUTH_SSL_OUT_MAX (%d bytes) in one message",
		         (int)AUTH_SSL_OUT_MAX);
		return -1;
	}
	rc = send_msg(io->c, status, io->out, io->out_len, e);
	io->out_len = 0;
	return rc;
}

int auth_ssl_send_empty(struct auth_ssl_io *io, int status, struct err *e)
{
	io->out_len = 0;
	io->out_overflow = 0;
	return send_msg(io->c, status, NULL, 0, e);
}

int auth_ssl_recv_data(struct auth_ssl_io *io, int *status, struct err *e)
{
	int64_t st, len;
	size_t unread = io->in_len - io->in_pos;

	if (cedar_get_int(io->c, &st, e) < 0 || cedar_get_int(io->c, &len, e) < 0)
		return -1;
	if (len < 0 || len > AUTH_SSL_BUF_SIZE) {
		err_push(e, "SSL", SSL_ERR_PROTOCOL,
		         "SSL message carries %lld bytes, outside 0..AUTH_SSL_BUF_SIZE (%d)",
		         (long long)len, AUTH_SSL_BUF_SIZE);
		return -1;
	}
	if ((size_t)len > sizeof io->in - unread) {
		err_push(e, "SSL", SSL_ERR_PROTOCOL,
		         "%lld new TLS bytes with %zu unread exceed AUTH_SSL_BUF_SIZE (%d)",
		         (long long)len, unread, AUTH_SSL_BUF_SIZE);
		return -1;
	}
	/* Keep unread bytes (e.g. TLS 1.3 tickets after the handshake) in
	 * front of the new ones. */
	memmove(io->in, io->in + io->in_pos, unread);
	io->in_pos = 0;
	io->in_len = unread;
	if (len > 0 && cedar_get_bytes(io->c, io->in + unread, (size_t)len, e) < 0)
		return -1;
	if (cedar_end_recv(io->c, e) < 0)
		return -1;
	io->in_len += (size_t)len;
	*status = to_status(st);
	return 0;
}

/* ---- helpers ----------------------------------------------------------- */

int auth_ssl_expected_host(const char *sinful, char *out, size_t cap)
{
	static struct sinful sf; /* large; one method runs at a time */
	uint8_t ip[16];
	const char *name;
	size_t n;

	if (cap > AUTH_SSL_HOST_MAX)
		cap = AUTH_SSL_HOST_MAX;
	out[0] = '\0';
	if (!sinful || !*sinful)
		return 0;
	if (sinful_parse(&sf, sinful, NULL) != 0)
		return -1;
	if (sf.flags & SINFUL_HAS_ALIAS)
		name = sf.alias;
	else if (!sf.host[0] || sf.host_v6 || netblock_parse_addr(sf.host, ip) != 0)
		return 0;
	else
		name = sf.host;
	n = strlen(name);
	if (n == 0)
		return 0;
	if (n >= cap)
		return -1;
	memcpy(out, name, n + 1);
	return 1;
}

/* ---- local setup ---------------------------------------------------------- */

/* HTCondor opens each candidate; a file we may open counts as readable. */
static int readable(const char *path)
{
	char b[1];
	size_t len;
	int rc = port_file_read(path, b, sizeof b, &len, NULL);

	return rc == 0 || rc == PORT_ETOOBIG;
}

/* The n-th entry (0-based) of a comma list, trimmed, into out; 0 when the
 * list has fewer entries. */
static int list_entry(const char *list, int n, char *out, size_t cap)
{
	const char *p = list;
	int i = 0;

	for (;;) {
		size_t len;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		len = strcspn(p, ",");
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (i++ == n) {
			if (len >= cap)
				return -1;
			memcpy(out, p, len);
			out[len] = '\0';
			return 1;
		}
		p += strcspn(p, ",");
	}
}

struct ssl_setup {
	char ca_file[SEC_PATH_MAX];
	char cert_file[SEC_PATH_MAX];
	char key_file[SEC_PATH_MAX];
	char host[AUTH_SSL_HOST_MAX];
	char alias[AUTH_SSL_HOST_MAX]; /* the known_hosts key ("" = none) */
	int no_host; /* host check wanted but nothing to check against */
	char why[ERR_MSG_LEN];
};

/* 0 with *t set, or -1 with s->why set. */
static int ssl_setup_engine(struct auth_ctx *a, struct auth_ssl_io *io, struct ssl_setup *s,
                            struct crypto_tls **t)
{
	const struct sec_policy *p = a->pol;
	struct crypto_tls_opts o;
	char entry[SEC_PATH_MAX], key[SEC_PATH_MAX];
	int i, r;

	memset(&o, 0, sizeof o);
	/* CA file: the last openable entry of the list. */
	for (i = 0; (r = list_entry(p->ssl_ca_files, i, entry, sizeof entry)) > 0; i++)
		if (readable(entry))
			memcpy(s->ca_file, entry, strlen(entry) + 1);
	if (p->ssl_ca_dir[0])
		o.ca_dir = p->ssl_ca_dir;
	if (!s->ca_file[0] && !o.ca_dir && !p->ssl_no_default_cas) {
		/* The engine takes one file and one directory, so the system
		 * CAs are added only when nothing else is configured. */
		if (p->ssl_system_ca_file[0]) {
			if (readable(p->ssl_system_ca_file))
				memcpy(s->ca_file, p->ssl_system_ca_file,
				       strlen(p->ssl_system_ca_file) + 1);
		} else {
			for (i = 0; i < (int)(sizeof system_ca_files / sizeof system_ca_files[0]); i++)
				if (readable(system_ca_files[i])) {
					snprintf(s->ca_file, sizeof s->ca_file, "%s", system_ca_files[i]);
					break;
				}
		}
	} else if (!p->ssl_no_default_cas) {
		dbg(D_SECURITY, "SSL: using only the configured CAs (system CAs are not added to "
		                "AUTH_SSL_CLIENT_CAFILE/CADIR)");
	}
	if (s->ca_file[0])
		o.ca_file = s->ca_file;

	/* Client certificate: the last pair whose files both open. */
	for (i = 0; list_entry(p->ssl_cert_files, i, entry, sizeof entry) > 0; i++) {
		if (list_entry(p->ssl_key_files, i, key, sizeof key) <= 0)
			break;
		if (readable(entry) && readable(key)) {
			memcpy(s->cert_file, entry, strlen(entry) + 1);
			memcpy(s->key_file, key, strlen(key) + 1);
		}
	}
	if (s->cert_file[0]) {
		o.cert_file = s->cert_file;
		o.key_file = s->key_file;
	} else if (p->ssl_require_client_cert) {
		snprintf(s->why, sizeof s->why,
		         "AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE is true but no readable "
		         "AUTH_SSL_CLIENT_CERTFILE / AUTH_SSL_CLIENT_KEYFILE pair is configured");
		return -1;
	}

	/* Host check: against the alias of the address we connected to,
	 * which also names the server in known_hosts (even when the check
	 * is skipped). */
	r = auth_ssl_expected_host(a->target ? a->target->sinful : NULL, s->alias, sizeof s->alias);
	if (r < 0)
		dbg(D_SECURITY, "SSL: cannot take a host name from the address '%s'",
		    a->target->sinful);
	if (r <= 0)
		s->alias[0] = '\0';
	if (!p->ssl_skip_host_check) {
		if (r > 0) {
			memcpy(s->host, s->alias, strlen(s->alias) + 1);
			o.host = s->host;
		} else {
			s->no_host = 1;
		}
	}

	/* Verify after the handshake (ssl_check_server), as HTCondor's
	 * post_connection_check does, so the reasons can be reported. */
	o.verify = 0;
	dbg(D_SECURITY, "SSL: CA file '%s', CA dir '%s', client certificate '%s', host check %s",
	    o.ca_file ? o.ca_file : "", o.ca_dir ? o.ca_dir : "", o.cert_file ? o.cert_file : "(none)",
	    p->ssl_skip_host_check ? "skipped" : o.host ? o.host : "(no host name)");
	*t = crypto_tls_client_new(&o, auth_ssl_io_send, auth_ssl_io_recv, io, s->why,
	                           sizeof s->why);
	return *t ? 0 : -1;
}

/* ---- known_hosts (verify_callback's trust decision) ----------------------- */

static struct known_hosts ssl_kh; /* 256 KiB: static, one method runs at a time */

/* "ab:cd:..." of the SHA-256 of der (generate_fingerprint). */
static void ssl_fingerprint(const uint8_t *der, size_t n, char out[3 * CRYPTO_SHA256_LEN])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t md[CRYPTO_SHA256_LEN];
	size_t i;

	crypto_sha256(der, n, md);
	for (i = 0; i < CRYPTO_SHA256_LEN; i++) {
		out[3 * i] = hex[md[i] >> 4];
		out[3 * i + 1] = hex[md[i] & 15];
		out[3 * i + 2] = i + 1 < CRYPTO_SHA256_LEN ? ':' : '\0';
	}
}

/* ask_cert_confirmation: on stderr, answers read from stdin until "yes"
 * or "no"; end of input declines. */
static int ssl_ask_user(const char *alias, const char *fp, const char *subject, int is_ca)
{
	char line[64];
	int trunc;

	fprintf(stderr,
	        "The remote host %s presented an untrusted %scertificate with the following "
	        "fingerprint:\n",
	        alias, is_ca ? "CA " : "");
	fprintf(stderr, "SHA-256: %s\n", fp);
	fprintf(stderr, "Subject: %s\n", subject);
	fprintf(stderr, "Would you like to trust this server for current and future "
	                "communications?\n");
	for (;;) {
		fprintf(stderr, "Please type 'yes' or 'no':\n");
		fflush(stderr);
		if (port_stdin_line(line, sizeof line, &trunc) < 0)
			return 0;
		if (!trunc && strcmp(line, "yes") == 0)
			return 1;
		if (!trunc && strcmp(line, "no") == 0)
			return 0;
	}
}

static int slice_is(const char *p, size_t n, const char *z)
{
	return strlen(z) == n && memcmp(p, z, n) == 0;
}

static int ssl_kh_open(const struct sec_policy *p, struct err *e)
{
	char home[KNOWN_HOSTS_PATH_MAX], path[KNOWN_HOSTS_PATH_MAX];
	int have_home = port_user_home(home, sizeof home) == 0;

	return known_hosts_path(path, sizeof path, p->ssl_known_hosts, p->ssl_system_known_hosts,
	                        have_home ? home : NULL, port_euid() == 0, e) < 0 ||
	       known_hosts_load(&ssl_kh, path, e) < 0
	       ? -1 : 0;
}

/*
 * The server's chain did not reach a trusted CA.  Like HTCondor's
 * verify_callback, judge the certificate at the top of the chain the
 * server sent (its own when it sent one; then the prompt calls it
 * "certificate", otherwise "CA certificate"):
 *   - first known_hosts entry for the alias is "alias SSL <this cert>":
 *     accept; another permitted SSL entry: record "!alias SSL <cert>" and
 *     refuse (the certificate changed); a "!alias" entry: refuse;
 *   - no entry: trust if BOOTSTRAP_SSL_SERVER_TRUST, else ask a user at a
 *     terminal (tools only, BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER), and
 *     record the verdict either way.
 * 1 accepted, 0 not forgiven (the caller reports the CA failure, adding
 * *hint if set and the note), -1 refused with the reason pushed.
 */
static int ssl_known_host(struct auth_ctx *a, struct crypto_tls *t, const struct ssl_setup *s,
                          const char *leaf_subject, const char **hint, char *note,
                          size_t note_cap, struct err *e)
{
	static char b64[KNOWN_HOSTS_CERT_B64_MAX];
	const struct sec_policy *p = a->pol;
	struct known_hosts_entry ent;
	const uint8_t *der = NULL, *d;
	size_t der_len = 0, dl, b64_len;
	unsigned idx = 0;
	char fp[3 * CRYPTO_SHA256_LEN];
	int permitted, is_tool;

	if (!s->alias[0]) {
		*hint = " (the address has no host name, so known_hosts cannot be used)";
		return 0;
	}
	while (idx < 16 && crypto_tls_peer_cert(t, idx, &d, &dl) == 0) {
		der = d;
		der_len = dl;
		idx++;
	}
	if (!der)
		return 0;
	if (der_len > KNOWN_HOSTS_CERT_MAX) {
		err_push(e, "SSL", SSL_ERR_CERT,
		         "server certificate is %zu bytes, larger than KNOWN_HOSTS_CERT_MAX (%d): it "
		         "cannot be checked against known_hosts",
		         der_len, KNOWN_HOSTS_CERT_MAX);
		return -1;
	}
	if (crypto_base64_encode(der, der_len, b64, sizeof b64, &b64_len) != 0) {
		err_push(e, "SSL", SSL_ERR_CERT, "cannot encode the server certificate");
		return -1;
	}
	ssl_fingerprint(der, der_len, fp);
	if (ssl_kh_open(p, e) < 0)
		return -1;

	if (known_hosts_first_match(ssl_kh.buf, ssl_kh.len, s->alias, &ent)) {
		int is_ssl = ent.method_len == 3 && memcmp(ent.method, "SSL", 3) == 0;
		if (!ent.permitted) {
			err_push(e, "SSL", SSL_ERR_CERT,
			         "host %s is marked untrusted ('!%s') at %s line %u (remove that line "
			         "to decide again)",
			         s->alias, s->alias, ssl_kh.path, ent.line);
			return -1;
		}
		if (!is_ssl) {
			dbg(D_SECURITY, "SSL: %s line %u names %s for method %.*s, not SSL",
			    ssl_kh.path, ent.line, s->alias, (int)ent.method_len, ent.method);
			*hint = " (its known_hosts entry is not for SSL)";
			return 0;
		}
		if (ent.data_len == b64_len && memcmp(ent.data, b64, b64_len) == 0) {
			dbg(D_SECURITY, "SSL: %s is a known host (%s line %u)", s->alias, ssl_kh.path,
			    ent.line);
			return 1;
		}
		/* Keep a record of what was seen, as HTCondor does. */
		if (known_hosts_add(&ssl_kh, s->alias, 0, "SSL", b64, NULL) < 0)
			dbg(D_SECURITY, "SSL: cannot record the refused certificate in %s", ssl_kh.path);
		if (slice_is(ent.data, ent.data_len, "@trusted")) {
			/* Verified by a CA before: the CA configuration is what
			 * changed, or the server's certificate. */
			snprintf(note, note_cap, "; %s was CA-verified before (%s line %u)", s->alias,
			         ssl_kh.path, ent.line);
			return 0;
		}
		err_push(e, "SSL", SSL_ERR_CERT,
		         "server certificate %s rejected: it differs from the one trusted for %s at "
		         "%s line %u (now SHA-256 %s); if the server's certificate was legitimately "
		         "replaced, remove the lines for %s from that file",
		         leaf_subject, s->alias, ssl_kh.path, ent.line, fp, s->alias);
		return -1;
	}

	permitted = p->ssl_bootstrap_trust;
	is_tool = strcmp(p->subsystem, "TOOL") == 0 || strcmp(p->subsystem, "SUBMIT") == 0;
	dbg(D_SECURITY, "SSL: %s is not in %s; BOOTSTRAP_SSL_SERVER_TRUST is %s", s->alias,
	    ssl_kh.path, permitted ? "true" : "false");
	if (!permitted && !p->ssl_no_prompt_user && is_tool && port_isatty(0)) {
		/* The certificate judged is the top of the chain: name it. */
		char top_subject[512];
		if (idx <= 1 ||
		    crypto_tls_peer_subject(t, idx - 1, top_subject, sizeof top_subject) != 0)
			snprintf(top_subject, sizeof top_subject, "%s", leaf_subject);
		permitted = ssl_ask_user(s->alias, fp, top_subject, idx > 1);
	}
	if (known_hosts_add(&ssl_kh, s->alias, permitted, "SSL", b64, e) < 0) {
		err_push(e, "SSL", SSL_ERR_CERT, "cannot record the trust decision for %s", s->alias);
		return -1;
	}
	if (permitted) {
		dbg(D_SECURITY, "SSL: trusting %s (SHA-256 %s), recorded in %s", s->alias, fp,
		    ssl_kh.path);
		return 1;
	}
	dbg(D_SECURITY, "SSL: %s (SHA-256 %s) recorded as untrusted in %s", s->alias, fp,
	    ssl_kh.path);
	snprintf(note, note_cap,
	         "; recorded as untrusted in %s (to trust it: delete that line and set "
	         "BOOTSTRAP_SSL_SERVER_TRUST = true)",
	         ssl_kh.path);
	return 0;
}

/* post_connection_check, client role.  0 ok, -1 with the reason pushed. */
static int ssl_check_server(struct auth_ctx *a, struct crypto_tls *t, const struct ssl_setup *s,
                            struct err *e)
{
	unsigned v = crypto_tls_verify_flags(t);
	char subject[160], reasons[200], note[KNOWN_HOSTS_PATH_MAX + 100] = "";
	const char *hint = "";
	int pinned = 0;

	if (v & CRYPTO_TLS_V_NOCERT) {
		err_push(e, "SSL", SSL_ERR_CERT, "the server presented no certificate");
		return -1;
	}
	if (crypto_tls_peer_subject(t, 0, subject, sizeof subject) != 0)
		snprintf(subject, sizeof subject, "(subject too long)");
	/* Only a missing trust anchor can be forgiven; an expired or
	 * otherwise broken certificate fails whatever known_hosts says. */
	if ((v & CRYPTO_TLS_V_UNTRUSTED) &&
	    !(v & (CRYPTO_TLS_V_EXPIRED | CRYPTO_TLS_V_OTHER))) {
		int r = ssl_known_host(a, t, s, subject, &hint, note, sizeof note, e);
		if (r < 0)
			return -1;
		if (r > 0) {
			v &= ~(unsigned)CRYPTO_TLS_V_UNTRUSTED;
			pinned = 1;
		}
	}
	if (v & (CRYPTO_TLS_V_UNTRUSTED | CRYPTO_TLS_V_EXPIRED | CRYPTO_TLS_V_OTHER)) {
		if (!(v & CRYPTO_TLS_V_UNTRUSTED))
			hint = "";
		else if (hint[0])
			;
		else if (s->ca_file[0] || a->pol->ssl_ca_dir[0])
			hint = " (check AUTH_SSL_CLIENT_CAFILE / AUTH_SSL_CLIENT_CADIR)";
		else
			hint = " (no CA certificates found: set AUTH_SSL_CLIENT_CAFILE)";
		crypto_tls_verify_result(t, reasons, sizeof reasons);
		err_push(e, "SSL", SSL_ERR_CERT, "server certificate %s rejected: %s%s%s", subject,
		         reasons, hint, note);
		return -1;
	}
	if (s->no_host) {
		err_push(e, "SSL", SSL_ERR_CERT,
		         "No SSL host name specified: the address %s carries no host name to check "
		         "the server certificate against (connect by name, or set "
		         "SSL_SKIP_HOST_CHECK = true)",
		         a->target && a->target->sinful ? a->target->sinful : "(unknown)");
		return -1;
	}
	if (v & CRYPTO_TLS_V_HOST) {
		err_push(e, "SSL", SSL_ERR_CERT,
		         "host name '%s' does not match the server certificate %s (set "
		         "SSL_SKIP_HOST_CHECK = true to skip this check)",
		         s->host, subject);
		return -1;
	}
	if (v) {
		crypto_tls_verify_result(t, reasons, sizeof reasons);
		err_push(e, "SSL", SSL_ERR_CERT, "server certificate %s rejected: %s", subject, reasons);
		return -1;
	}
	/* A CA-verified server is recorded as such (post_connection_check). */
	if (!pinned && s->alias[0]) {
		struct err ke;
		err_clear(&ke);
		if (ssl_kh_open(a->pol, &ke) < 0 ||
		    known_hosts_add(&ssl_kh, s->alias, 1, "SSL", "@trusted", &ke) < 0)
			dbg(D_SECURITY, "SSL: cannot record %s as CA-trusted: %s", s->alias,
			    err_message(&ke));
	}
	snprintf(a->identity, sizeof a->identity, "%s", subject);
	return 0;
}

/* ---- the method ----------------------------------------------------------- */

static struct auth_ssl_io ssl_io;

static int ssl_usable(struct auth_ctx *a, struct err *e)
{
	(void)a;
	(void)e;
	return 1; /* a client needs no certificate */
}

/* Handshake phase (step 2).  0 both HOLDING, -1 the method failed (peers
 * in step), -2 the stream is broken. */
static int ssl_handshake(struct crypto_tls *t, struct err *e)
{
	int cs = AUTH_SSL_A_OK, ss = AUTH_SSL_A_OK, round = 0, rc;
	char why[ERR_MSG_LEN] = "";

	for (;;) {
		if (cs != AUTH_SSL_HOLDING) {
			if (round >= AUTH_SSL_HANDSHAKE_ROUNDS_MAX) {
				snprintf(why, sizeof why,
				         "TLS handshake not finished after AUTH_SSL_HANDSHAKE_ROUNDS_MAX "
				         "(%d) messages",
				         AUTH_SSL_HANDSHAKE_ROUNDS_MAX);
				cs = AUTH_SSL_QUITTING;
			} else {
				rc = crypto_tls_handshake(t, why, sizeof why);
				cs = rc == 0                      ? AUTH_SSL_HOLDING
				     : rc == CRYPTO_TLS_WANT_READ ? AUTH_SSL_RECEIVING
				                                  : AUTH_SSL_QUITTING;
			}
		}
		round++;
		if (round % 2 == 1)
			rc = auth_ssl_send_data(&ssl_io, cs, e);
		else
			rc = auth_ssl_recv_data(&ssl_io, &ss, e);
		if (rc < 0)
			return -2;
		dbg(D_FULLDEBUG, "SSL: handshake round %d: client %d, server %d", round, cs, ss);
		if (ss == AUTH_SSL_ERROR)
			ss = AUTH_SSL_QUITTING;
		if (cs == AUTH_SSL_HOLDING && ss == AUTH_SSL_HOLDING)
			return 0;
		if (cs == AUTH_SSL_QUITTING) {
			err_push(e, "SSL", SSL_ERR_TLS, "TLS handshake failed: %s",
			         why[0] ? why : "unknown error");
			return -1;
		}
		if (ss == AUTH_SSL_QUITTING) {
			/* The server's abort usually carries an alert: let the
			 * engine read it for the reason. */
			why[0] = '\0';
			if (cs != AUTH_SSL_HOLDING && ssl_io.in_len > ssl_io.in_pos)
				crypto_tls_handshake(t, why, sizeof why);
			err_push(e, "SSL", SSL_ERR_SERVER, "the server aborted the TLS handshake: %s",
			         why[0] ? why
			                : "it may require a client certificate, or reject ours");
			return -1;
		}
	}
}

/* Key phase (step 4): read the server's 256 bytes.  0, -1 or -2. */
static int ssl_read_key(struct crypto_tls *t, uint8_t key[AUTH_SSL_SESSION_KEY_LEN],
                        struct err *e)
{
	int cs = AUTH_SSL_RECEIVING, ss = AUTH_SSL_RECEIVING, round = 0, rc;
	size_t got = 0;

	for (;;) {
		if (++round > AUTH_SSL_KEY_ROUNDS_MAX) {
			err_push(e, "SSL", SSL_ERR_KEY,
			         "no session key after AUTH_SSL_KEY_ROUNDS_MAX (%d) messages",
			         AUTH_SSL_KEY_ROUNDS_MAX);
			return -1;
		}
		if (cs != AUTH_SSL_HOLDING) {
			long n = crypto_tls_read(t, key + got, AUTH_SSL_SESSION_KEY_LEN - got);
			if (n > 0) {
				got += (size_t)n;
				/* HTCondor takes whatever one read returns; we insist
				 * on the whole key (a short read just waits). */
				cs = got == AUTH_SSL_SESSION_KEY_LEN ? AUTH_SSL_HOLDING : AUTH_SSL_RECEIVING;
			} else {
				cs = n == 0 ? AUTH_SSL_RECEIVING : AUTH_SSL_QUITTING;
			}
		}
		if (round % 2 == 1)
			rc = auth_ssl_recv_data(&ssl_io, &ss, e);
		else
			rc = auth_ssl_send_data(&ssl_io, cs, e);
		if (rc < 0)
			return -2;
		dbg(D_FULLDEBUG, "SSL: key round %d: client %d, server %d", round, cs, ss);
		if (ss == AUTH_SSL_ERROR)
			ss = AUTH_SSL_QUITTING;
		if (cs == AUTH_SSL_HOLDING && ss == AUTH_SSL_HOLDING)
			return 0;
		if (ss == AUTH_SSL_QUITTING) {
			err_push(e, "SSL", SSL_ERR_SERVER,
			         "the server aborted after the TLS handshake (it may require a client "
			         "certificate, or reject ours)");
			return -1;
		}
		if (cs == AUTH_SSL_QUITTING) {
			err_push(e, "SSL", SSL_ERR_KEY, "cannot read the session key from the TLS channel");
			return -1;
		}
	}
}

static int ssl_client(struct auth_ctx *a, struct err *e)
{
	static struct ssl_setup s;
	struct cedar *c = a->c;
	struct crypto_tls *t = NULL;
	uint8_t key[AUTH_SSL_SESSION_KEY_LEN], des3[CEDAR_DES3_KEY_LEN];
	int cs, ss, rc = -1;

	memset(&s, 0, sizeof s);
	auth_ssl_io_init(&ssl_io, c);
	cs = ssl_setup_engine(a, &ssl_io, &s, &t) == 0 ? AUTH_SSL_A_OK : AUTH_SSL_ERROR;

	/* Step 1: the server speaks first. */
	if (auth_ssl_recv_status(c, &ss, e) < 0 || auth_ssl_send_status(c, cs, e) < 0) {
		rc = -2;
		goto out;
	}
	if (cs != AUTH_SSL_A_OK) {
		err_push(e, "SSL", SSL_ERR_SETUP, "%s", s.why);
		goto out;
	}
	if (ss != AUTH_SSL_A_OK) {
		err_push(e, "SSL", SSL_ERR_SERVER,
		         "the server cannot do SSL (status %d; does it have a host certificate?)", ss);
		goto out;
	}

	/* Step 2. */
	rc = ssl_handshake(t, e);
	if (rc < 0)
		goto out;
	dbg(D_SECURITY, "SSL: %s with %s", crypto_tls_version(t), crypto_tls_ciphersuite(t));

	/* Step 3: our checks; on failure read the server's next message and
	 * tell it we quit, unless it quit itself. */
	if (ssl_check_server(a, t, &s, e) < 0) {
		rc = auth_ssl_recv_data(&ssl_io, &ss, e) < 0 ||
		     (ss != AUTH_SSL_QUITTING && auth_ssl_send_empty(&ssl_io, AUTH_SSL_QUITTING, e) < 0)
		     ? -2 : -1;
		goto out;
	}
	dbg(D_SECURITY, "SSL: server certificate %s accepted", a->identity);

	/* Step 4. */
	rc = ssl_read_key(t, key, e);
	if (rc < 0)
		goto out;
#ifdef TOKENBOX_LEGACY
	cedar_des3_key(key, sizeof key, des3);
	memset(a->wrap_key, 0, sizeof a->wrap_key);
	/* The 256-byte key does not fit the 32-byte slot, so it goes in
	 * folded (getPaddedKeyData(24)); cedar_des3_wrap folds the 32 bytes
	 * again, and the zeros in 24..31 leave that fold unchanged. */
	memcpy(a->wrap_key, des3, sizeof des3);
	a->have_wrap_key = 1;
#else
	/* only a 9.0-9.8 daemon's key transport uses this key (left out) */
	memset(des3, 0, sizeof des3);
#endif
	rc = 0;
out:
	crypto_wipe(key, sizeof key);
	crypto_wipe(des3, sizeof des3);
	if (t)
		crypto_tls_free(t);
	auth_ssl_io_init(&ssl_io, NULL); /* holds only TLS records: nothing to wipe */
	return rc;
}

const struct auth_method auth_method_ssl = { "SSL", 256, ssl_usable, ssl_client };
