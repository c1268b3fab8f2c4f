/*
 * main.c - testd, tokenbox's test daemon: plays the server side of a real
 * HTCondor 25.14 daemon (collector or schedd) on loopback, for end-to-end
 * tests that cannot install HTCondor.
 *
 * Usage (stable; tests depend on it):
 *
 *   testd [options]                      serve until SIGTERM or idle
 *   testd -mint -pool-key FILE -sub ID -iss DOMAIN [-lifetime N]
 *         [-authz LIST] [-iat T]         print a token signed with the key
 *
 * Serving options:
 *   -port N                 listen on 127.0.0.1:N (default 0: any free port)
 *   -portfile FILE          write the bound port number (and "\n") to FILE
 *   -pool-key FILE          SEC_TOKEN_POOL_SIGNING_KEY_FILE (kid "POOL");
 *                           without it TOKEN is not offered and nothing
 *                           can be signed (the real "no signing key" errors)
 *   -trust-domain D         TRUST_DOMAIN (default "testd.local")
 *   -uid-domain D           UID_DOMAIN (default: the trust domain)
 *   -admin LIST             ALLOW_ADMINISTRATOR (default "condor@* root@*")
 *   -methods LIST           SEC_DEFAULT_AUTHENTICATION_METHODS, server order
 *                           (FS, TOKEN, SSL, ANONYMOUS; default "FS,TOKEN");
 *                           SSL is offered only with -ssl-cert, at its place
 *                           here (e.g. "FS,TOKEN,SSL")
 *   -ssl-cert FILE          AUTH_SSL_SERVER_CERTFILE: the host certificate
 *                           (PEM, chain allowed); checked at start-up with
 *                           the key, and if it cannot be loaded SSL is not
 *                           offered (logged), as a real daemon drops it
 *   -ssl-key FILE           AUTH_SSL_SERVER_KEYFILE (default: in -ssl-cert)
 *   -ssl-ca FILE            AUTH_SSL_SERVER_CAFILE: CAs for client
 *                           certificates (none: a presented client
 *                           certificate fails to verify)
 *   -ssl-require-client-cert  AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE = true
 *   -ssl-map 'DN=ID'        CERTIFICATE_MAPFILE stand-in (repeatable, at
 *                           most TESTD_SSL_MAP_MAX): a client certificate
 *                           whose one-line subject is exactly DN (e.g.
 *                           "/CN=admin"; split at the last '=') is ID, a
 *                           mapped identity.  Unmapped certificates are
 *                           ssl@unmapped, no certificate is
 *                           unauthenticated@unmapped (method still SSL:
 *                           may START a token request; LIST/APPROVE need a
 *                           mapped identity and are closed after K1)
 *   -ssl-tls-version 12|13  only this TLS version (default: 1.2 or 1.3)
 *   -fs-dir DIR             FS_LOCAL_DIR (default /tmp)
 *   -fs-root-to NAME        FS_ROOT_TO_CONDOR: root maps to NAME (default
 *                           "condor"; "" keeps root)
 *   -name NAME              daemon Name (default "testd@HOST")
 *   -type collector|schedd  what it claims to be (default collector)
 *   -host NAME              host name used in Sid, alias, Machine
 *                           (default "testd")
 *   -shared-port ID         also accept SHARED_PORT_CONNECT for sock=ID and
 *                           advertise the schedd/master with sock=ID
 *   -authentication LVL     SEC_DEFAULT_AUTHENTICATION (REQUIRED)
 *   -read-authentication LVL  SEC_READ_AUTHENTICATION (OPTIONAL)
 *   -encryption LVL         SEC_DEFAULT_ENCRYPTION (REQUIRED)
 *   -integrity LVL          SEC_DEFAULT_INTEGRITY (REQUIRED)
 *   -session-duration N     server's SessionDuration (86400)
 *   -request-lifetime N     SEC_TOKEN_REQUEST_LIFETIME (3600)
 *   -issued-token-expiration N  SEC_ISSUED_TOKEN_EXPIRATION (none)
 *   -token-request-limits LIST  SEC_TOKEN_REQUEST_LIMITS (none)
 *   -auto-approve-max-lifetime N  TOKEN_REQUEST_AUTO_APPROVE_MAX_LIFETIME (3600)
 *   -disable-token-request  SEC_ENABLE_TOKEN_REQUEST = false
 *   -disable-token-fetch    SEC_ENABLE_TOKEN_FETCH = false
 *   -version STRING         $CondorVersion$ it claims (25.14.0)
 *   -legacy-version X.Y.Z   behave like an HTCondor 9.0-9.8 daemon of that
 *                           version (legacy.c): claim it, ignore the
 *                           client's ECDHPublicKey, send the session key
 *                           after authentication (in clear after FS,
 *                           3DES-wrapped after TOKEN), no AuthenticationNew,
 *                           no resume reply, TOKEN server name
 *                           condor_pool@UID_DOMAIN, old FS directory names
 *   -crypto-methods LIST    SEC_DEFAULT_CRYPTO_METHODS, server order
 *                           ("AES,BLOWFISH,3DES"); the first one the client
 *                           also offers is used: AES -> AES-GCM, 3DES ->
 *                           3DES-CFB (+ MD5 MAC when Integrity is YES);
 *                           BLOWFISH is not implemented (closes)
 *   -next-request-id N      hand out N as the next request ID (repeatable)
 *   -seed-request SPEC      store a pending request before serving
 *                           (repeatable); SPEC is "Key=Value;..." with keys
 *                           RequestId ClientId RequestedIdentity
 *                           AuthenticatedIdentity PeerLocation TokenLifetime
 *                           LimitAuthorization Age (seconds ago) State
 *                           (pending|approved|failed|expired); values take
 *                           \xHH and \\ escapes, so identities may hold ESC,
 *                           newlines, 0x01, ';', backslashes and UTF-8
 *   -log FILE               append the log there instead of stderr
 *   -max-idle N             exit after N seconds without a connection (60)
 *
 * Never listens on anything but 127.0.0.1.  SIGTERM/SIGINT: exit 0 after the
 * current connection, removing the port file.
 */
#include "testd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_ssl_server.h"
#include "port/crypto.h"
#include "port/port.h"

struct testd_cfg testd;
struct testd_ssl_opts testd_ssl; /* read by server.c */
struct tokreq_store testd_store;
struct testd_session testd_sessions[TESTD_SESSIONS_MAX];

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: testd [-port N] [-portfile F] [-pool-key F] [...]  (see tests/testd/main.c)\n"
	                "       testd -mint -pool-key F -sub ID -iss DOMAIN [-lifetime N] [-authz L] [-iat T]\n");
	exit(2);
}

static enum testd_req level(const char *s)
{
	if (!strcasecmp(s, "REQUIRED"))
		return SEC_REQUIRED;
	if (!strcasecmp(s, "PREFERRED"))
		return SEC_PREFERRED;
	if (!strcasecmp(s, "OPTIONAL"))
		return SEC_OPTIONAL;
	if (!strcasecmp(s, "NEVER"))
		return SEC_NEVER;
	fprintf(stderr, "testd: bad security level '%s'\n", s);
	exit(2);
}

/* Decode \xHH and \\ in place. */
static int unescape(char *s)
{
	char *o = s;
	while (*s) {
		if (s[0] == '\\' && s[1] == '\\') {
			*o++ = '\\';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char h[3] = {s[2], s[3], 0};
			char *end;
			long v = strtol(h, &end, 16);
			if (*end || v == 0)
				return -1; /* no NUL: identities are C strings */
			*o++ = (char)v;
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return 0;
}

static void seed(const char *spec_in)
{
	static char spec[8192];
	char *p, *field;
	struct tokreq r;
	int64_t age = 0;
	struct tokreq *slot;
	uint32_t id = TOKREQ_ID_SPACE; /* random */

	if (strlen(spec_in) >= sizeof spec) {
		fprintf(stderr, "testd: -seed-request over %zu bytes\n", sizeof spec - 1);
		exit(2);
	}
	strcpy(spec, spec_in);
	memset(&r, 0, sizeof r);
	r.state = TOKREQ_PENDING;
	r.lifetime = -1;
	snprintf(r.client_id, sizeof r.client_id, "seed-%ld", port_pid());
	snprintf(r.requested_identity, sizeof r.requested_identity, "condor@%s", testd.uid_domain);
	snprintf(r.authn_identity, sizeof r.authn_identity, "unauthenticated@unmapped");
	snprintf(r.peer_location, sizeof r.peer_location, "127.0.0.1");
	for (field = strtok_r(spec, ";", &p); field; field = strtok_r(NULL, ";", &p)) {
		char *eq = strchr(field, '='), *val;
		char *dst = NULL;
		size_t cap = 0;
		if (!eq) {
			fprintf(stderr, "testd: -seed-request field without '=': %s\n", field);
			exit(2);
		}
		*eq = '\0';
		val = eq + 1;
		if (unescape(val) != 0) {
			fprintf(stderr, "testd: bad escape (or \\x00) in -seed-request %s\n", field);
			exit(2);
		}
		if (!strcmp(field, "RequestId"))
			id = (uint32_t)strtoul(val, NULL, 10);
		else if (!strcmp(field, "ClientId"))
			dst = r.client_id, cap = sizeof r.client_id;
		else if (!strcmp(field, "RequestedIdentity"))
			dst = r.requested_identity, cap = sizeof r.requested_identity;
		else if (!strcmp(field, "AuthenticatedIdentity"))
			dst = r.authn_identity, cap = sizeof r.authn_identity;
		else if (!strcmp(field, "PeerLocation"))
			dst = r.peer_location, cap = sizeof r.peer_location;
		else if (!strcmp(field, "LimitAuthorization"))
			dst = r.authz, cap = sizeof r.authz;
		else if (!strcmp(field, "TokenLifetime"))
			r.lifetime = strtoll(val, NULL, 10);
		else if (!strcmp(field, "Age"))
			age = strtoll(val, NULL, 10);
		else if (!strcmp(field, "State")) {
			if (!strcmp(val, "pending"))
				r.state = TOKREQ_PENDING;
			else if (!strcmp(val, "approved"))
				r.state = TOKREQ_SUCCESS;
			else if (!strcmp(val, "failed"))
				r.state = TOKREQ_FAILED;
			else if (!strcmp(val, "expired"))
				r.state = TOKREQ_EXPIRED;
			else {
				fprintf(stderr, "testd: unknown State '%s'\n", val);
				exit(2);
			}
		} else {
			fprintf(stderr, "testd: unknown -seed-request key '%s'\n", field);
			exit(2);
		}
		if (dst) {
			if (strlen(val) >= cap) {
				fprintf(stderr, "testd: %s over TOKREQ_STR_MAX (%d)\n", field, TOKREQ_STR_MAX);
				exit(2);
			}
			strcpy(dst, val);
		}
	}
	slot = tokreq_insert(&testd_store, id, port_time_now() - age);
	if (!slot) {
		fprintf(stderr, "testd: cannot store seeded request (duplicate id or store full)\n");
		exit(2);
	}
	r.id = slot->id;
	r.request_time = slot->request_time;
	if (r.state == TOKREQ_SUCCESS) {
		struct testd_mint m = {r.requested_identity, testd.trust_domain, port_time_now(),
		                       r.lifetime, r.authz, NULL};
		struct err e;
		err_clear(&e);
		if (testd_jwt_mint(&testd.key, &m, r.token, sizeof r.token, &e) != 0) {
			fprintf(stderr, "testd: cannot sign the seeded approved request\n");
			exit(2);
		}
	}
	*slot = r;
}

/* Start-up check of the SSL settings: load them into an engine once. */
static long no_send(void *user, const uint8_t *buf, size_t n)
{
	(void)user, (void)buf, (void)n;
	return -1;
}

static long no_recv(void *user, uint8_t *buf, size_t n)
{
	(void)user, (void)buf, (void)n;
	return -1;
}

static void ssl_check(void)
{
	struct crypto_tls_server_opts so;
	struct crypto_tls_server *t;
	char why[256] = "";

	if (!testd_ssl.cert_file) {
		if (testd_ssl.key_file || testd_ssl.ca_file || testd_ssl.nmap ||
		    testd_ssl.require_client_cert || testd_ssl.version) {
			fprintf(stderr, "testd: -ssl-* options need -ssl-cert\n");
			exit(2);
		}
		return;
	}
	memset(&so, 0, sizeof so);
	so.cert_file = testd_ssl.cert_file;
	so.key_file = testd_ssl.key_file;
	so.ca_file = testd_ssl.ca_file;
	so.version = testd_ssl.version;
	t = crypto_tls_server_new(&so, no_send, no_recv, NULL, why, sizeof why);
	if (!t) {
		testd_log("SSL not offered: cannot load the host certificate %s: %s",
		          testd_ssl.cert_file, why);
		testd_ssl.cert_file = NULL;
		return;
	}
	crypto_tls_server_free(t);
}

static int mint(int argc, char **argv)
{
	const char *keyfile = NULL;
	struct testd_mint m;
	struct testd_key k;
	struct err e;
	static char out[TESTD_JWT_MAX];
	char buf[1024];
	int i;

	memset(&m, 0, sizeof m);
	m.lifetime = -1;
	m.iat = port_time_now();
	for (i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "-pool-key"))
			keyfile = argv[++i];
		else if (!strcmp(argv[i], "-sub"))
			m.sub = argv[++i];
		else if (!strcmp(argv[i], "-iss"))
			m.iss = argv[++i];
		else if (!strcmp(argv[i], "-lifetime"))
			m.lifetime = strtoll(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-authz"))
			m.authz = argv[++i];
		else if (!strcmp(argv[i], "-iat"))
			m.iat = strtoll(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-jti"))
			m.jti = argv[++i];
		else
			usage();
	}
	if (!keyfile || !m.sub || !m.iss)
		usage();
	err_clear(&e);
	if (testd_key_load(&k, "POOL", keyfile, &e) != 0 ||
	    testd_jwt_mint(&k, &m, out, sizeof out, &e) != 0) {
		fprintf(stderr, "testd: %s\n", err_text(&e, buf, sizeof buf));
		return 1;
	}
	printf("%s\n", out);
	return 0;
}

/* Add each line of path (a -seed-request spec; blank lines skipped) to
 * seeds.  The text stays in a static buffer for the daemon's lifetime. */
static int seed_file(const char *path, const char **seeds, int *nseeds)
{
	static char text[TOKREQ_MAX * 1024];
	size_t len = 0;
	char *p, *line;

	if (port_file_read(path, text, sizeof text, &len, NULL) != 0) {
		fprintf(stderr, "testd: cannot read seed file %s\n", path);
		return -1;
	}
	for (line = strtok_r(text, "\n", &p); line; line = strtok_r(NULL, "\n", &p)) {
		if (*nseeds == TOKREQ_MAX) {
			fprintf(stderr, "testd: at most %d seeded requests\n", TOKREQ_MAX);
			return -1;
		}
		seeds[(*nseeds)++] = line;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *portfile = NULL, *keyfile = NULL, *logfile = NULL;
	static const char *seeds[TOKREQ_MAX];
	int nseeds = 0, i, lh;
	int64_t max_idle = 60, last;
	char errbuf[256], name[300], version[300];
	struct err e;

	if (argc > 1 && !strcmp(argv[1], "-mint"))
		return mint(argc, argv);

	memset(&testd, 0, sizeof testd);
	tokreq_init(&testd_store);
	testd.type = "collector";
	testd.host = "testd";
	testd.trust_domain = "testd.local";
	testd.methods = "FS,TOKEN";
	testd.crypto_methods = "AES,BLOWFISH,3DES";
	testd.fs_dir = "/tmp";
	testd.fs_root_to = "condor";
	testd.admin = "condor@* root@*";
	testd.version = NULL;
	testd.platform = "$CondorPlatform: X86_64-tokenbox_testd $";
	testd.session_duration = 86400;
	testd.session_lease = 3600;
	for (i = 0; i < 5; i++) {
		testd.auth[i] = SEC_REQUIRED;
		testd.enc[i] = SEC_REQUIRED;
		testd.integ[i] = SEC_REQUIRED;
	}
	testd.auth[PERM_READ] = SEC_OPTIONAL;
	testd.tok.request_lifetime = 3600;
	testd.tok.enable_request = 1;
	testd.tok.enable_fetch = 1;
	testd.tok.auto_max_lifetime = 3600;
	testd.tok.fetch_keys = "POOL";
	testd.tok.request_limits = "";

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name) (!strcmp(o, name) && (v || (usage(), 0)) && ++i)
		if (ARG("-port"))
			testd.port = (unsigned)strtoul(v, NULL, 10);
		else if (ARG("-portfile"))
			portfile = v;
		else if (ARG("-pool-key"))
			keyfile = v;
		else if (ARG("-trust-domain"))
			testd.trust_domain = v;
		else if (ARG("-uid-domain"))
			testd.uid_domain = v;
		else if (ARG("-admin"))
			testd.admin = v;
		else if (ARG("-methods"))
			testd.methods = v;
		else if (ARG("-ssl-cert"))
			testd_ssl.cert_file = v;
		else if (ARG("-ssl-key"))
			testd_ssl.key_file = v;
		else if (ARG("-ssl-ca"))
			testd_ssl.ca_file = v;
		else if (!strcmp(o, "-ssl-require-client-cert"))
			testd_ssl.require_client_cert = 1;
		else if (ARG("-ssl-map")) {
			char *eq = strrchr(argv[i], '=');
			if (!eq || eq == argv[i] || !eq[1]) {
				fprintf(stderr, "testd: -ssl-map wants DN=identity, not %s\n", v);
				return 2;
			}
			if (testd_ssl.nmap == TESTD_SSL_MAP_MAX) {
				fprintf(stderr, "testd: at most TESTD_SSL_MAP_MAX (%d) -ssl-map\n",
				        TESTD_SSL_MAP_MAX);
				return 2;
			}
			*eq = '\0';
			testd_ssl.map[testd_ssl.nmap].dn = argv[i];
			testd_ssl.map[testd_ssl.nmap++].fqu = eq + 1;
		} else if (ARG("-ssl-tls-version")) {
			testd_ssl.version = atoi(v);
			if (testd_ssl.version != 12 && testd_ssl.version != 13) {
				fprintf(stderr, "testd: -ssl-tls-version wants 12 or 13, not %s\n", v);
				return 2;
			}
		} else if (ARG("-fs-dir"))
			testd.fs_dir = v;
		else if (ARG("-fs-root-to"))
			testd.fs_root_to = v;
		else if (ARG("-name"))
			testd.name = v;
		else if (ARG("-type"))
			testd.type = v;
		else if (ARG("-host"))
			testd.host = v;
		else if (ARG("-shared-port"))
			testd.shared_port_id = v;
		else if (ARG("-authentication")) {
			enum testd_req l = level(v);
			testd.auth[PERM_WRITE] = testd.auth[PERM_ADMINISTRATOR] = testd.auth[PERM_DAEMON] = l;
		} else if (ARG("-read-authentication"))
			testd.auth[PERM_READ] = level(v);
		else if (ARG("-encryption")) {
			int j;
			for (j = 0; j < 5; j++)
				testd.enc[j] = level(v);
		} else if (ARG("-integrity")) {
			int j;
			for (j = 0; j < 5; j++)
				testd.integ[j] = level(v);
		} else if (ARG("-session-duration"))
			testd.session_duration = strtoll(v, NULL, 10);
		else if (ARG("-request-lifetime"))
			testd.tok.request_lifetime = strtoll(v, NULL, 10);
		else if (ARG("-issued-token-expiration"))
			testd.tok.issued_expiration = strtoll(v, NULL, 10);
		else if (ARG("-token-request-limits"))
			testd.tok.request_limits = v;
		else if (ARG("-auto-approve-max-lifetime"))
			testd.tok.auto_max_lifetime = strtoll(v, NULL, 10);
		else if (!strcmp(o, "-disable-token-request"))
			testd.tok.enable_request = 0;
		else if (!strcmp(o, "-disable-token-fetch"))
			testd.tok.enable_fetch = 0;
		else if (ARG("-version"))
			testd.version = v;
		else if (ARG("-legacy-version")) {
			int a = 0, b = 0, c = 0;
			if (sscanf(v, "%d.%d.%d", &a, &b, &c) != 3 || a != 9 || b > 8) {
				fprintf(stderr, "testd: -legacy-version wants 9.0.0 .. 9.8.x, not %s\n", v);
				return 2;
			}
			snprintf(version, sizeof version,
			         "$CondorVersion: %d.%d.%d 2021-04-14 BuildID: tokenbox-testd-legacy $", a, b, c);
			testd.version = version;
			testd.legacy = 1;
		} else if (ARG("-hostile"))
			testd.hostile = v;
		else if (ARG("-keylog"))
			testd.keylog = v;
		else if (ARG("-crypto-methods"))
			testd.crypto_methods = v;
		else if (ARG("-next-request-id")) {
			if (testd_store.nforced < sizeof testd_store.forced_id / sizeof testd_store.forced_id[0])
				testd_store.forced_id[testd_store.nforced++] =
					(uint32_t)strtoul(v, NULL, 10);
		} else if (ARG("-seed-request")) {
			if (nseeds == TOKREQ_MAX) {
				fprintf(stderr, "testd: at most %d -seed-request\n", TOKREQ_MAX);
				return 2;
			}
			seeds[nseeds++] = v;
		} else if (ARG("-seed-file")) {
			/* One -seed-request spec per line (fleet tests seed up
			 * to the daemon's 1000). */
			if (seed_file(v, seeds, &nseeds) != 0)
				return 2;
		} else if (ARG("-log"))
			logfile = v;
		else if (ARG("-max-idle"))
			max_idle = strtoll(v, NULL, 10);
		else {
			fprintf(stderr, "testd: unknown option %s\n", o);
			usage();
		}
#undef ARG
	}
	if (strcmp(testd.type, "collector") && strcmp(testd.type, "schedd")) {
		fprintf(stderr, "testd: -type must be collector or schedd\n");
		return 2;
	}
	if (!testd.uid_domain)
		testd.uid_domain = testd.trust_domain;
	if (!testd.name) {
		snprintf(name, sizeof name, "testd@%s", testd.host);
		testd.name = name;
	}
	if (!testd.version) {
		snprintf(version, sizeof version,
		         "$CondorVersion: 25.14.0 2026-11-30 BuildID: tokenbox-testd $");
		testd.version = version;
	}
	if (logfile && !freopen(logfile, "a", stderr)) {
		fprintf(stdout, "testd: cannot open log %s\n", logfile);
		return 1;
	}
	err_clear(&e);
	if (keyfile && testd_key_load(&testd.key, "POOL", keyfile, &e) != 0) {
		fprintf(stderr, "testd: %s\n", err_text(&e, errbuf, sizeof errbuf));
		return 1;
	}
	ssl_check();
	testd.tok.trust_domain = testd.trust_domain;
	testd.tok.admin = testd.admin;
	testd.tok.key = &testd.key;
	for (i = 0; i < nseeds; i++)
		seed(seeds[i]);

	lh = port_tcp_listen("127.0.0.1", &testd.port, errbuf, sizeof errbuf);
	if (lh < 0) {
		fprintf(stderr, "testd: cannot listen on 127.0.0.1:%u: %s\n", testd.port, errbuf);
		return 1;
	}
	if (portfile) {
		char t[32];
		int n = snprintf(t, sizeof t, "%u\n", testd.port);
		port_file_unlink(portfile);
		if (port_file_write_new(portfile, t, (size_t)n, 0644) != 0) {
			fprintf(stderr, "testd: cannot write %s\n", portfile);
			return 1;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	testd_log("%s %s listening on 127.0.0.1:%u (methods %s, trust domain %s%s%s)", testd.type,
	          testd.name, testd.port, testd.methods, testd.trust_domain,
	          testd.key.have ? ", POOL key" : ", no signing key",
	          testd_ssl.cert_file ? ", SSL host certificate" : "");

	last = port_clock_ms();
	while (!stop_flag) {
		char peer[64];
		unsigned pport = 0;
		int h = port_tcp_accept(lh, port_clock_ms() + 500, peer, sizeof peer, &pport);
		if (h == PORT_ETIMEDOUT) {
			if (max_idle > 0 && port_clock_ms() - last > max_idle * 1000) {
				testd_log("idle for %lld s: exiting", (long long)max_idle);
				break;
			}
			tokreq_cleanup(&testd_store, &testd.tok, port_time_now());
			continue;
		}
		if (h < 0) {
			testd_log("accept failed (%d)", h);
			port_sleep_ms(100);
			continue;
		}
		testd_serve(h, peer, pport);
		last = port_clock_ms();
	}
	port_tcp_close(lh);
	if (portfile)
		port_file_unlink(portfile);
	testd_log("stopped");
	return 0;
}
