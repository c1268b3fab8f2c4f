/* needs: SSL
 *
 * test_tls.c - the TLS client engine of port/crypto.h against a real
 * OpenSSL server.
 *
 * A throwaway CA, server and client certificates are made with the
 * openssl command in a temporary directory; `openssl s_server -rev` (which
 * answers every line reversed) runs on 127.0.0.1.  The engine is driven
 * the way HTCondor's SSL method drives it: its records are collected from
 * send() into a buffer that is flushed as one "message", and the peer's
 * reply is handed to recv(), which says 0 ("nothing now") when the buffer
 * is empty.  Skipped, with a SKIP line, only when openssl is not installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "port/crypto.h"
#include "port/port.h"
#include "check.h"

#define IO_CAP 65536
#define IO_TIMEOUT_MS 10000

static char dir[64];

/* ---- running openssl --------------------------------------------------- */

static int sh(const char *fmt, const char *a)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, "cd '%s' && (", dir);
	snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), fmt, a ? a : "");
	strncat(cmd, ") >>openssl.log 2>&1", sizeof cmd - strlen(cmd) - 1);
	return system(cmd);
}

static void path(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static int make_certs(void)
{
	static const char *ca =
		"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		"-keyout %s.key -out %s.pem -days 2 -subj '/O=tokenbox test/CN=%s CA' "
		"-addext basicConstraints=critical,CA:TRUE "
		"-addext keyUsage=critical,keyCertSign,cRLSign";
	static const char *leaf =
		"openssl req -new -newkey %s -nodes -keyout %s.key -out %s.csr -subj '%s' && "
		"openssl x509 -req -in %s.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
		"-days 2 -out %s.pem -extfile %s";
	static const struct {
		const char *name, *alg, *subj, *ext;
	} leaves[] = {
		{ "ec", "ec -pkeyopt ec_paramgen_curve:P-256", "/O=tokenbox test/CN=tls.test", "srv.ext" },
		{ "rsa", "rsa:2048", "/CN=tls.test", "srv.ext" },
		{ "cn", "ec -pkeyopt ec_paramgen_curve:P-256", "/CN=CnOnly.Test", "cn.ext" },
		{ "cli", "ec -pkeyopt ec_paramgen_curve:P-256", "/CN=tokenbox client", "cli.ext" },
		{ "clirsa", "rsa:2048", "/CN=tokenbox rsa client", "cli.ext" },
	};
	char cmd[1024], p[128];
	FILE *f;
	size_t i;

	path(p, sizeof p, "srv.ext");
	f = fopen(p, "w");
	if (!f)
		return -1;
	fputs("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
	      "extendedKeyUsage=serverAuth\n"
	      "subjectAltName=DNS:tls.test,DNS:node*.pool.test\n", f);
	fclose(f);
	path(p, sizeof p, "cn.ext");
	f = fopen(p, "w");
	if (!f)
		return -1;
	fputs("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
	      "extendedKeyUsage=serverAuth\n", f);
	fclose(f);
	path(p, sizeof p, "cli.ext");
	f = fopen(p, "w");
	if (!f)
		return -1;
	fputs("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
	      "extendedKeyUsage=clientAuth\n", f);
	fclose(f);

	snprintf(cmd, sizeof cmd, ca, "ca", "ca", "Test");
	if (sh("%s", cmd) != 0)
		return -1;
	snprintf(cmd, sizeof cmd, ca, "wrong", "wrong", "Wrong");
	if (sh("%s", cmd) != 0)
		return -1;
	for (i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
		const char *n = leaves[i].name;
		snprintf(cmd, sizeof cmd, leaf, leaves[i].alg, n, n, leaves[i].subj, n, n,
		         leaves[i].ext);
		if (sh("%s", cmd) != 0)
			return -1;
	}
	if (sh("%s", "openssl x509 -in ec.pem -outform DER -out ec.der") != 0 ||
	    sh("%s", "openssl x509 -in ca.pem -outform DER -out ca.der") != 0 ||
	    sh("%s", "cat cli.pem cli.key > proxy.pem") != 0 ||
	    sh("%s", "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	             "-keyout self.key -out self.pem -days 2 -subj /CN=tls.test") != 0)
		return -1;
	return 0;
}

struct server {
	pid_t pid;
	unsigned port;
};

/* Start `openssl s_server -rev` with extra arguments; wait for its
 * "ACCEPT 127.0.0.1:PORT" line.  Its output goes to a file (a pipe we
 * stopped reading would kill it with SIGPIPE). */
static int server_start(struct server *s, const char *cert, const char *key,
                        const char *const *extra)
{
	static int seq;
	char certp[128], keyp[128], capath[128], logp[128], name[32], line[512];
	const char *argv[32];
	int n = 0, i, waited;

	path(certp, sizeof certp, cert);
	path(keyp, sizeof keyp, key);
	path(capath, sizeof capath, "ca.pem");
	snprintf(name, sizeof name, "server%d.log", ++seq);
	path(logp, sizeof logp, name);
	argv[n++] = "openssl";
	argv[n++] = "s_server";
	argv[n++] = "-accept";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "-cert";
	argv[n++] = certp;
	argv[n++] = "-key";
	argv[n++] = keyp;
	argv[n++] = "-CAfile";
	argv[n++] = capath;
	argv[n++] = "-naccept";
	argv[n++] = "1";
	argv[n++] = "-rev";
	for (i = 0; extra && extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;

	s->port = 0;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		int log = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (devnull < 0 || log < 0)
			_exit(126);
		dup2(devnull, 0);
		dup2(log, 1);
		dup2(log, 2);
		execvp("openssl", (char *const *)argv);
		_exit(127);
	}
	for (waited = 0; waited < IO_TIMEOUT_MS; waited += 20) {
		FILE *f = fopen(logp, "r");
		size_t got = 0;
		char *a;

		if (f) {
			got = fread(line, 1, sizeof line - 1, f);
			fclose(f);
		}
		line[got] = '\0';
		a = strstr(line, "ACCEPT 127.0.0.1:");
		if (a && strchr(a, '\n')) {
			s->port = (unsigned)atoi(a + strlen("ACCEPT 127.0.0.1:"));
			break;
		}
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			s->pid = -1;
			return -1;
		}
		usleep(20000);
	}
	if (s->port)
		return 0;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	return -1;
}

static void server_stop(struct server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = -1;
}

/* ---- the tunnel: records collected, then flushed as one message -------- */

struct tunnel {
	int h;
	uint8_t out[IO_CAP];
	size_t outn;
	uint8_t in[IO_CAP];
	size_t inoff, inn;
	int sends; /* number of flushes that carried bytes ("messages") */
};

static long tun_send(void *u, const uint8_t *buf, size_t n)
{
	struct tunnel *t = u;

	if (n > sizeof t->out - t->outn)
		return -1;
	memcpy(t->out + t->outn, buf, n);
	t->outn += n;
	return (long)n;
}

static long tun_recv(void *u, uint8_t *buf, size_t n)
{
	struct tunnel *t = u;
	size_t k = t->inn - t->inoff;

	if (k == 0)
		return 0;
	if (k > n)
		k = n;
	memcpy(buf, t->in + t->inoff, k);
	t->inoff += k;
	return (long)k;
}

static int tun_flush(struct tunnel *t)
{
	int r = 0;

	if (t->outn) {
		r = port_tcp_send(t->h, t->out, t->outn, port_clock_ms() + IO_TIMEOUT_MS);
		t->sends++;
	}
	t->outn = 0;
	return r;
}

/* Wait for the peer's next bytes. */
static long tun_fill(struct tunnel *t)
{
	long r;

	if (t->inoff == t->inn)
		t->inoff = t->inn = 0;
	r = port_tcp_recv(t->h, t->in + t->inn, sizeof t->in - t->inn,
	                  port_clock_ms() + IO_TIMEOUT_MS);
	if (r > 0)
		t->inn += (size_t)r;
	return r;
}

/* Run the handshake to its end; 0 or negative (errbuf says why). */
static int drive_handshake(struct crypto_tls *e, struct tunnel *t, char *eb, size_t el)
{
	int i, r = CRYPTO_EFAIL;

	for (i = 0; i < 50; i++) {
		r = crypto_tls_handshake(e, eb, el);
		if (tun_flush(t) != 0)
			return -100;
		if (r != CRYPTO_TLS_WANT_READ)
			return r;
		if (tun_fill(t) <= 0) {
			snprintf(eb, el, "transport closed during handshake");
			return -101;
		}
	}
	return -102;
}

/* Read exactly n bytes of application data (or fail). */
static long drive_read(struct crypto_tls *e, struct tunnel *t, uint8_t *buf, size_t n)
{
	size_t got = 0;
	int spins = 0;

	while (got < n && spins++ < 50) {
		long r = crypto_tls_read(e, buf + got, n - got);
		if (r < 0)
			return r;
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (tun_flush(t) != 0 || tun_fill(t) <= 0)
			return -101;
	}
	return (long)got;
}

struct session {
	struct server srv;
	struct tunnel tun;
	struct crypto_tls *e;
	char eb[256];
	int hs; /* handshake result */
};

static struct session S;

/* Start a server, connect, create the engine and run the handshake. */
static int session_open(const char *cert, const char *key, const char *const *extra,
                        const struct crypto_tls_opts *o)
{
	char ipbuf[64];

	memset(&S, 0, sizeof S);
	S.tun.h = -1;
	if (server_start(&S.srv, cert, key, extra) != 0) {
		fprintf(stderr, "cannot start openssl s_server\n");
		return -1;
	}
	S.tun.h = port_tcp_connect("127.0.0.1", S.srv.port, IO_TIMEOUT_MS, ipbuf, sizeof ipbuf,
	                           S.eb, sizeof S.eb);
	if (S.tun.h < 0) {
		fprintf(stderr, "connect: %s\n", S.eb);
		server_stop(&S.srv);
		return -1;
	}
	S.e = crypto_tls_client_new(o, tun_send, tun_recv, &S.tun, S.eb, sizeof S.eb);
	if (!S.e) {
		fprintf(stderr, "engine: %s\n", S.eb);
		port_tcp_close(S.tun.h);
		server_stop(&S.srv);
		return -1;
	}
	S.hs = drive_handshake(S.e, &S.tun, S.eb, sizeof S.eb);
	return 0;
}

static void session_close(void)
{
	if (S.e)
		crypto_tls_free(S.e);
	S.e = NULL;
	if (S.tun.h >= 0)
		port_tcp_close(S.tun.h);
	server_stop(&S.srv);
}

/* Send a line, expect it back reversed from s_server -rev. */
static int echo_ok(const char *msg, const char *rev)
{
	uint8_t buf[64];
	size_t n = strlen(rev);

	if (crypto_tls_write(S.e, (const uint8_t *)msg, strlen(msg)) != (long)strlen(msg))
		return 0;
	if (drive_read(S.e, &S.tun, buf, n) != (long)n)
		return 0;
	return memcmp(buf, rev, n) == 0;
}

/* ---- the cases ------------------------------------------------------------ */

static void opts_init(struct crypto_tls_opts *o, const char *ca)
{
	static char cap[128];

	memset(o, 0, sizeof *o);
	path(cap, sizeof cap, ca);
	o->ca_file = cap;
	o->host = "tls.test";
	o->verify = 1;
}

static void test_tls13_ecdsa(void)
{
	struct crypto_tls_opts o;
	static const char *const v13[] = { "-tls1_3", NULL };
	char buf[256], p[128];
	uint8_t fp[32], want[32], der[4096];
	const uint8_t *pd;
	size_t pl, dl;
	FILE *f;

	opts_init(&o, "ca.pem");
	if (session_open("ec.pem", "ec.key", v13, &o) != 0) {
		CHECK(0);
		return;
	}
	if (S.hs != 0)
		fprintf(stderr, "tls13_ecdsa: %s\n", S.eb);
	CHECK_INT(S.hs, 0);
	CHECK_STR(crypto_tls_version(S.e), "TLSv1.3");
	CHECK(strstr(crypto_tls_ciphersuite(S.e), "GCM") != NULL);
	CHECK_INT(crypto_tls_verify_flags(S.e), 0);
	CHECK_STR(crypto_tls_verify_result(S.e, buf, sizeof buf), "ok");
	CHECK_INT(crypto_tls_peer_subject(S.e, 0, buf, sizeof buf), 0);
	CHECK_STR(buf, "/O=tokenbox test/CN=tls.test");
	CHECK_INT(crypto_tls_peer_subject(S.e, 0, buf, 10), CRYPTO_ETOOBIG);
	CHECK_INT(crypto_tls_peer_subject(S.e, 99, buf, sizeof buf), CRYPTO_EFAIL);

	/* The fingerprint and DER match what openssl wrote. */
	path(p, sizeof p, "ec.der");
	f = fopen(p, "rb");
	dl = f ? fread(der, 1, sizeof der, f) : 0;
	if (f)
		fclose(f);
	CHECK(dl > 100);
	crypto_sha256(der, dl, want);
	CHECK_INT(crypto_tls_peer_fingerprint(S.e, fp), 0);
	CHECK_MEM(fp, want, 32);
	CHECK_INT(crypto_tls_peer_cert(S.e, 0, &pd, &pl), 0);
	CHECK_INT(pl, dl);
	CHECK(pl == dl && memcmp(pd, der, dl) == 0);
	/* s_server adds the CA from its -CAfile to the chain it sends. */
	path(p, sizeof p, "ca.der");
	f = fopen(p, "rb");
	dl = f ? fread(der, 1, sizeof der, f) : 0;
	if (f)
		fclose(f);
	CHECK(dl > 100);
	CHECK_INT(crypto_tls_peer_cert(S.e, 1, &pd, &pl), 0);
	CHECK(pl == dl && memcmp(pd, der, dl) == 0);
	CHECK_INT(crypto_tls_peer_cert(S.e, 2, &pd, &pl), CRYPTO_EFAIL);

	/* Client first message alone, then the server's flight, then the
	 * client Finished: at least two messages from us. */
	CHECK(S.tun.sends >= 2);
	CHECK(echo_ok("hello tls\n", "slt olleh\n"));
	CHECK(echo_ok("second\n", "dnoces\n"));

	/* A second engine cannot be created while this one lives. */
	CHECK(crypto_tls_client_new(&o, tun_send, tun_recv, &S.tun, buf, sizeof buf) == NULL);
	CHECK(strstr(buf, "in use") != NULL);
	CHECK_INT(crypto_tls_close_notify(S.e), 0);
	CHECK(S.tun.outn > 0); /* the alert went to send() */
	session_close();
}

static void test_tls12(const char *cert, const char *key, const char *kx)
{
	struct crypto_tls_opts o;
	static const char *const v12[] = { "-tls1_2", NULL };

	opts_init(&o, "ca.pem");
	if (session_open(cert, key, v12, &o) != 0) {
		CHECK(0);
		return;
	}
	if (S.hs != 0)
		fprintf(stderr, "tls12 %s: %s\n", cert, S.eb);
	CHECK_INT(S.hs, 0);
	CHECK_STR(crypto_tls_version(S.e), "TLSv1.2");
	CHECK(strstr(crypto_tls_ciphersuite(S.e), kx) != NULL);
	CHECK(strstr(crypto_tls_ciphersuite(S.e), "GCM") != NULL);
	CHECK_INT(crypto_tls_verify_flags(S.e), 0);
	CHECK(echo_ok("abc\n", "cba\n"));
	session_close();
}

static void test_tls13_rsa(void)
{
	struct crypto_tls_opts o;

	/* Default server settings: both sides pick TLS 1.3, RSA-PSS. */
	opts_init(&o, "ca.pem");
	if (session_open("rsa.pem", "rsa.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	if (S.hs != 0)
		fprintf(stderr, "tls13_rsa: %s\n", S.eb);
	CHECK_INT(S.hs, 0);
	CHECK_STR(crypto_tls_version(S.e), "TLSv1.3");
	CHECK(echo_ok("rsa\n", "asr\n"));
	session_close();
}

static void test_wrong_ca(void)
{
	struct crypto_tls_opts o;
	char buf[256];

	/* verify = 1: the handshake itself fails. */
	opts_init(&o, "wrong.pem");
	if (session_open("ec.pem", "ec.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK(S.hs < 0);
	CHECK(strstr(S.eb, "not issued by a trusted CA") != NULL);
	session_close();

	/* verify = 0: it completes, and the caller sees why not to trust it. */
	opts_init(&o, "wrong.pem");
	o.verify = 0;
	if (session_open("ec.pem", "ec.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK_INT(S.hs, 0);
	CHECK_INT(crypto_tls_verify_flags(S.e), CRYPTO_TLS_V_UNTRUSTED);
	CHECK_STR(crypto_tls_verify_result(S.e, buf, sizeof buf),
	          "certificate not issued by a trusted CA");
	session_close();

	/* No CA at all with verify = 0: a self-signed server (the known_hosts
	 * case) completes and is reported untrusted. */
	memset(&o, 0, sizeof o);
	o.host = "tls.test";
	if (session_open("self.pem", "self.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK_INT(S.hs, 0);
	CHECK_INT(crypto_tls_verify_flags(S.e), CRYPTO_TLS_V_UNTRUSTED);
	CHECK(echo_ok("tofu\n", "ufot\n"));
	session_close();

	/* The name is still checked when there is no CA to check against. */
	o.host = "other.test";
	if (session_open("self.pem", "self.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK_INT(S.hs, 0);
	CHECK_INT(crypto_tls_verify_flags(S.e), CRYPTO_TLS_V_UNTRUSTED | CRYPTO_TLS_V_HOST);
	CHECK_STR(crypto_tls_verify_result(S.e, buf, sizeof buf),
	          "certificate not issued by a trusted CA; host name does not match the "
	          "certificate");
	CHECK_STR(crypto_tls_verify_result(S.e, buf, 20), "certificate not iss"); /* truncated */
	session_close();
}

static void test_host(void)
{
	struct crypto_tls_opts o;

	opts_init(&o, "ca.pem");
	o.host = "other.test";
	if (session_open("ec.pem", "ec.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK(S.hs < 0);
	CHECK(strstr(S.eb, "host name does not match") != NULL);
	session_close();

	o.verify = 0;
	if (session_open("ec.pem", "ec.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK_INT(S.hs, 0);
	CHECK_INT(crypto_tls_verify_flags(S.e), CRYPTO_TLS_V_HOST);
	session_close();

	/* A SAN wildcard in HTCondor's style: node* matches node17. */
	o.verify = 1;
	o.host = "node17.pool.test";
	if (session_open("ec.pem", "ec.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK_INT(S.hs, 0);
	session_close();

	/* No SAN: the CN is compared ignoring case. */
	o.host = "cnonly.test";
	if (session_open("cn.pem", "cn.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK_INT(S.hs, 0);
	session_close();

	/* host = NULL skips the name check (SSL_SKIP_HOST_CHECK). */
	o.host = NULL;
	if (session_open("cn.pem", "cn.key", NULL, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK_INT(S.hs, 0);
	CHECK_INT(crypto_tls_verify_flags(S.e), 0);
	session_close();
}

static void test_client_cert(void)
{
	struct crypto_tls_opts o;
	char cert[128], key[128], proxy[128];
	static const char *const req13[] = { "-Verify", "1", "-tls1_3", NULL };
	static const char *const req12[] = { "-Verify", "1", "-tls1_2", NULL };

	path(cert, sizeof cert, "cli.pem");
	path(key, sizeof key, "cli.key");
	path(proxy, sizeof proxy, "proxy.pem");

	/* The server demands a certificate and we have one. */
	opts_init(&o, "ca.pem");
	o.cert_file = cert;
	o.key_file = key;
	if (session_open("ec.pem", "ec.key", req13, &o) != 0) {
		CHECK(0);
		return;
	}
	if (S.hs != 0)
		fprintf(stderr, "client cert 1.3: %s\n", S.eb);
	CHECK_INT(S.hs, 0);
	CHECK(echo_ok("cert\n", "trec\n"));
	session_close();

	/* Same over TLS 1.2, certificate and key in one file (a proxy). */
	o.cert_file = proxy;
	o.key_file = NULL;
	if (session_open("rsa.pem", "rsa.key", req12, &o) != 0) {
		CHECK(0);
		return;
	}
	if (S.hs != 0)
		fprintf(stderr, "client cert 1.2: %s\n", S.eb);
	CHECK_INT(S.hs, 0);
	CHECK(echo_ok("proxy\n", "yxorp\n"));
	session_close();

	/* An RSA client key: PSS signatures in TLS 1.3, PKCS#1 v1.5 in 1.2. */
	path(cert, sizeof cert, "clirsa.pem");
	path(key, sizeof key, "clirsa.key");
	o.cert_file = cert;
	o.key_file = key;
	if (session_open("ec.pem", "ec.key", req13, &o) != 0) {
		CHECK(0);
		return;
	}
	if (S.hs != 0)
		fprintf(stderr, "rsa client cert 1.3: %s\n", S.eb);
	CHECK_INT(S.hs, 0);
	CHECK(echo_ok("rsa13\n", "31asr\n"));
	session_close();
	if (session_open("ec.pem", "ec.key", req12, &o) != 0) {
		CHECK(0);
		return;
	}
	if (S.hs != 0)
		fprintf(stderr, "rsa client cert 1.2: %s\n", S.eb);
	CHECK_INT(S.hs, 0);
	CHECK(echo_ok("rsa12\n", "21asr\n"));
	session_close();

	/* Without a certificate the server refuses us: in TLS 1.3 the client
	 * finishes first, so the refusal arrives as an alert on read. */
	opts_init(&o, "ca.pem");
	if (session_open("ec.pem", "ec.key", req13, &o) != 0) {
		CHECK(0);
		return;
	}
	if (S.hs == 0) {
		uint8_t buf[8];
		long r = crypto_tls_write(S.e, (const uint8_t *)"x\n", 2);
		if (r == 2)
			r = drive_read(S.e, &S.tun, buf, 2);
		CHECK(r < 0);
	} else {
		CHECK(S.hs < 0);
	}
	session_close();

	/* TLS 1.2: the refusal ends the handshake. */
	if (session_open("ec.pem", "ec.key", req12, &o) != 0) {
		CHECK(0);
		return;
	}
	CHECK(S.hs < 0);
	CHECK(strstr(S.eb, "alert") != NULL);
	session_close();
}

static void test_setup_errors(void)
{
	struct crypto_tls_opts o;
	struct tunnel tun;
	char eb[256], cert[128], key[128];

	memset(&tun, 0, sizeof tun);
	opts_init(&o, "missing.pem");
	CHECK(crypto_tls_client_new(&o, tun_send, tun_recv, &tun, eb, sizeof eb) == NULL);
	CHECK(strstr(eb, "missing.pem") != NULL);

	memset(&o, 0, sizeof o);
	o.verify = 1;
	CHECK(crypto_tls_client_new(&o, tun_send, tun_recv, &tun, eb, sizeof eb) == NULL);
	CHECK(strstr(eb, "no CA") != NULL);

	/* A key that does not belong to the certificate. */
	opts_init(&o, "ca.pem");
	path(cert, sizeof cert, "cli.pem");
	path(key, sizeof key, "ec.key");
	o.cert_file = cert;
	o.key_file = key;
	CHECK(crypto_tls_client_new(&o, tun_send, tun_recv, &tun, eb, sizeof eb) == NULL);
	CHECK(strstr(eb, "does not match") != NULL);

	/* A PEM file that is not a certificate. */
	o.cert_file = key;
	CHECK(crypto_tls_client_new(&o, tun_send, tun_recv, &tun, eb, sizeof eb) == NULL);
	CHECK(strstr(eb, "client certificate") != NULL);

	opts_init(&o, "ca.pem");
	o.version = 11;
	CHECK(crypto_tls_client_new(&o, tun_send, tun_recv, &tun, eb, sizeof eb) == NULL);

	/* After all those failures an engine can still be made (nothing
	 * leaked the "live" slot). */
	opts_init(&o, "ca.pem");
	{
		struct crypto_tls *e = crypto_tls_client_new(&o, tun_send, tun_recv, &tun, eb,
		                                             sizeof eb);
		CHECK(e != NULL);
		/* Before the handshake nothing about the peer is known. */
		CHECK(crypto_tls_verify_flags(e) != 0);
		CHECK(crypto_tls_read(e, (uint8_t *)eb, 4) < 0);
		CHECK(crypto_tls_write(e, (const uint8_t *)"x", 1) < 0);
		/* The first step produces a ClientHello and wants the answer. */
		CHECK_INT(crypto_tls_handshake(e, eb, sizeof eb), CRYPTO_TLS_WANT_READ);
		CHECK(tun.outn > 40);
		CHECK_INT(tun.out[0], 0x16); /* handshake record */
		/* A reply that is not TLS is a clean failure. */
		memcpy(tun.in, "HTTP/1.0 400 Bad\r\n\r\n", 20);
		tun.inn = 20;
		CHECK(crypto_tls_handshake(e, eb, sizeof eb) < 0);
		crypto_tls_free(e);
	}
}

static void test_hostname_match(void)
{
	static const struct {
		const char *pat, *host;
		int want;
	} v[] = {
		{ "tls.test", "tls.test", 1 },
		{ "TLS.Test", "tls.TEST", 1 },
		{ "*.pool.test", "a.pool.test", 1 },
		{ "*.pool.test", "pool.test", 0 },
		{ "*.pool.test", "a.b.pool.test", 0 },
		{ "node*.pool.test", "node.pool.test", 1 },
		{ "node*.pool.test", "node12.pool.test", 1 },
		{ "node*.pool.test", "nod.pool.test", 0 },
		{ "a.*.test", "a.b.test", 1 }, /* HTCondor allows '*' in any label */
		{ "n*de.pool.test", "node.pool.test", 0 }, /* '*' must end its label */
		{ "*.pool.test", "*.pool.test", 0 },   /* '*' in the host never matches */
		{ "pool..test", "pool.test", 1 },      /* empty labels are skipped */
		{ "tls.test.", "tls.test", 1 },
		{ "tls.test", "tls.tests", 0 },
		{ "tls.tests", "tls.test", 0 },
		{ "", "tls.test", 0 },
		{ "", "", 0 },
	};
	char longname[300];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		int got = crypto_tls_hostname_match(v[i].pat, strlen(v[i].pat), v[i].host);
		if (got != v[i].want)
			fprintf(stderr, "hostname_match(%s, %s) = %d\n", v[i].pat, v[i].host, got);
		CHECK_INT(got, v[i].want);
	}
	/* Embedded NUL in a certificate name. */
	CHECK_INT(crypto_tls_hostname_match("tls.test\0.evil", 14, "tls.test"), 0);
	/* Over the 255-byte bound. */
	memset(longname, 'a', sizeof longname);
	longname[299] = '\0';
	CHECK_INT(crypto_tls_hostname_match(longname, 299, longname), 0);
	CHECK_INT(crypto_tls_hostname_match(longname, 255, longname + 44), 1);
}

int main(void)
{
	test_hostname_match();
	if (system("command -v openssl >/dev/null 2>&1") != 0) {
		printf("test_tls: SKIP (openssl command not found; TLS engine untested)\n");
		return check_done("test_tls");
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof dir, "/tmp/test_tls.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	if (make_certs() != 0) {
		fprintf(stderr, "cannot create test certificates (see %s/openssl.log)\n", dir);
		CHECK(0);
		return check_done("test_tls");
	}
	test_setup_errors();
	test_tls13_ecdsa();
	test_tls12("ec.pem", "ec.key", "ECDSA");
	test_tls12("rsa.pem", "rsa.key", "RSA");
	test_tls13_rsa();
	test_wrong_ca();
	test_host();
	test_client_cert();

	if (check_fail == 0) {
		check_rmtree(dir);
	} else {
		fprintf(stderr, "test files kept in %s\n", dir);
	}
	return check_done("test_tls");
}
