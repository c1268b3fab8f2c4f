/*
 * server.c - the server side of DC_AUTHENTICATE as a 25.14 daemon does it
 * (security-handshake.md §4, §6, §8, §9, §10): optional SHARED_PORT_CONNECT,
 * M1, the reconciled policy reply M2, method negotiation, hasKey = 0,
 * ECDH + HKDF -> AES-256-GCM, the encrypted post-auth ad, session cache and
 * resumption.  Refusals are silent closes, as real daemons refuse.
 */
#include "testd.h"
#include "auth_ssl_server.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "port/crypto.h"
#include "port/port.h"

static struct cedar conn_cedar; /* ~1 MiB: static, not on the stack */
/* The SSL method's settings, filled by main.c (-ssl-*); cert_file NULL
 * means no usable host certificate, so SSL is never offered. */
extern struct testd_ssl_opts testd_ssl;
static struct tad m1, reply;
static unsigned sid_counter;

/* ---- registered commands -------------------------------------------------- */

static const struct {
	int cmd;
	enum testd_perm perm;
	int force_auth;
} commands[] = {
	{60046, PERM_DAEMON, 0}, /* DC_GET_SESSION_TOKEN */
	{60047, PERM_DAEMON, 0}, /* DC_START_TOKEN_REQUEST */
	{60048, PERM_DAEMON, 0}, /* DC_FINISH_TOKEN_REQUEST */
	{60049, PERM_DAEMON, 1}, /* DC_LIST_TOKEN_REQUEST */
	{60050, PERM_DAEMON, 1}, /* DC_APPROVE_TOKEN_REQUEST */
	{60051, PERM_ADMINISTRATOR, 0}, /* DC_AUTO_APPROVE_TOKEN_REQUEST */
	{5, PERM_READ, 0},  /* QUERY_STARTD_ADS */
	{6, PERM_READ, 0},  /* QUERY_SCHEDD_ADS */
	{7, PERM_READ, 0},  /* QUERY_MASTER_ADS */
	{50, PERM_READ, 0}, /* QUERY_NEGOTIATOR_ADS */
	{74, PERM_READ, 0}, /* QUERY_GENERIC_ADS */
	/* the no-op commands condor_ping names, at the levels this daemon
	 * models (DC_NOP_OWNER at ADMINISTRATOR, as since 9.9) */
	{60011, PERM_ALLOW, 0},         /* DC_NOP */
	{60020, PERM_READ, 0},          /* DC_NOP_READ */
	{60021, PERM_WRITE, 0},         /* DC_NOP_WRITE */
	{60023, PERM_ADMINISTRATOR, 0}, /* DC_NOP_ADMINISTRATOR */
	{60024, PERM_ADMINISTRATOR, 0}, /* DC_NOP_OWNER */
	{60026, PERM_DAEMON, 0},        /* DC_NOP_DAEMON */
};

int testd_cmd_perm(int64_t cmd, int *force_auth)
{
	size_t i;
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (commands[i].cmd == cmd) {
			if (force_auth)
				*force_auth = commands[i].force_auth;
			return (int)commands[i].perm;
		}
	return -1;
}

/* DAEMON and ADMINISTRATOR imply WRITE, WRITE implies READ. */
static int implies(enum testd_perm have, enum testd_perm want)
{
	if (have == want)
		return 1;
	if (want == PERM_READ)
		return have == PERM_WRITE || have == PERM_DAEMON || have == PERM_ADMINISTRATOR;
	if (want == PERM_WRITE)
		return have == PERM_DAEMON || have == PERM_ADMINISTRATOR;
	return 0;
}

static void valid_commands(enum testd_perm perm, int mapped, char *out, size_t cap)
{
	size_t i, n = 0;
	out[0] = '\0';
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (!implies(perm, commands[i].perm))
			continue;
		if (commands[i].force_auth && !mapped)
			continue;
		n += (size_t)snprintf(out + n, cap - n, "%s%d", n ? "," : "", commands[i].cmd);
		if (n >= cap)
			break;
	}
}

/* ---- logging ------------------------------------------------------------------ */

void testd_log(const char *fmt, ...)
{
	va_list ap;
	int t[6];
	port_time_local(port_time_now(), t);
	fprintf(stderr, "%02d/%02d/%02d %02d:%02d:%02d testd: ", t[1], t[2], t[0] % 100, t[3],
	        t[4], t[5]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static void log_err(const char *what, const struct err *e)
{
	char buf[1024];
	testd_log("%s: %s", what, err_text(e, buf, sizeof buf));
}

/* ---- policy reconciliation ---------------------------------------------------- */

static enum testd_req req_of(const char *s)
{
	/* Only the first letter counts (sec_alpha_to_sec_req). */
	if (!s)
		return SEC_NEVER;
	switch (s[0]) {
	case 'R': case 'r': case 'Y': case 'y': case 'T': case 't': return SEC_REQUIRED;
	case 'P': case 'p': return SEC_PREFERRED;
	case 'O': case 'o': return SEC_OPTIONAL;
	default: return SEC_NEVER;
	}
}

/* -1 FAIL, 0 NO, 1 YES */
static int reconcile(enum testd_req cl, enum testd_req sv)
{
	if ((cl == SEC_REQUIRED && sv == SEC_NEVER) || (cl == SEC_NEVER && sv == SEC_REQUIRED))
		return -1;
	if (cl == SEC_NEVER || sv == SEC_NEVER)
		return 0;
	if (cl == SEC_REQUIRED || sv == SEC_REQUIRED)
		return 1;
	if (cl == SEC_PREFERRED || sv == SEC_PREFERRED)
		return 1;
	return 0;
}

static int str_attr(const struct tad *ad, const char *name, char *buf, size_t cap)
{
	return tad_get_str(ad, name, buf, cap) == 1;
}

static int list_has_ci(const char *list, const char *w, size_t wl)
{
	const char *p = list;
	while (*p) {
		size_t l;
		while (*p == ',' || *p == ' ')
			p++;
		l = strcspn(p, ", ");
		if (l == wl && !strncasecmp(p, w, wl))
			return 1;
		p += l;
	}
	return 0;
}

static int method_bit(const char *m, size_t l)
{
	if (l == 2 && !strncasecmp(m, "FS", 2))
		return AUTH_FS;
	if (l == 5 && !strncasecmp(m, "TOKEN", 5))
		return AUTH_TOKEN;
	if (l == 9 && !strncasecmp(m, "ANONYMOUS", 9))
		return AUTH_ANONYMOUS;
	if (l == 3 && !strncasecmp(m, "SSL", 3))
		return testd_ssl.cert_file ? AUTH_SSL : 0;
	if (l == 9 && !strncasecmp(m, "CLAIMTOBE", 9))
		return AUTH_CLAIMTOBE;
	return 0;
}

/* CLAIMTOBE (auth-methods.md §6): INT 1, the name, EOM; we answer INT 1
 * and believe it (the domain: after its last '@', else ours). */
static int auth_claimtobe(struct testd_conn *k, struct err *e)
{
	char name[TESTD_STR_MAX];
	int64_t have;
	const char *at;

	if (cedar_get_int(k->c, &have, e) != 0)
		return -2;
	if (have != 1)
		return cedar_end_recv(k->c, e) == 0 ? -1 : -2;
	if (cedar_get_str(k->c, name, sizeof name, "claimed name", e) != 0 ||
	    cedar_end_recv(k->c, e) != 0 || cedar_put_int(k->c, 1, e) != 0 ||
	    cedar_end_send(k->c, e) != 0)
		return -2;
	at = strrchr(name, '@');
	if (at && at[1])
		snprintf(k->fqu, sizeof k->fqu, "%s", name);
	else
		snprintf(k->fqu, sizeof k->fqu, "%.*s@%s", at ? (int)(at - name) : (int)strlen(name), name,
		         testd.uid_domain);
	k->mapped = 1;
	snprintf(k->method, sizeof k->method, "CLAIMTOBE");
	testd_log("CLAIMTOBE: believed %s", k->fqu);
	return 0;
}

/* A daemon offers SSL only with a loadable host certificate
 * (Condor_Auth_SSL::should_try_auth); without one the name is dropped
 * from its list before reconciliation. */
static int method_unoffered(const char *m, size_t l)
{
	return l == 3 && !strncasecmp(m, "SSL", 3) && !testd_ssl.cert_file;
}

/* Version "$CondorVersion: X.Y.Z ..." >= maj.min.pat ? */
static int version_at_least(const char *v, int maj, int min, int pat)
{
	int a = 0, b = 0, c = 0;
	const char *p = strstr(v, "Version: ");
	if (!p || sscanf(p + 9, "%d.%d.%d", &a, &b, &c) != 3)
		return 0;
	if (a != maj)
		return a > maj;
	if (b != min)
		return b > min;
	return c >= pat;
}

/* ---- sessions ----------------------------------------------------------------- */

static struct testd_session *session_find(const char *sid, int64_t now)
{
	size_t i;
	for (i = 0; i < TESTD_SESSIONS_MAX; i++) {
		struct testd_session *s = &testd_sessions[i];
		if (s->used && s->expiry < now) {
			crypto_wipe(s, sizeof *s);
			continue;
		}
		if (s->used && !strcmp(s->sid, sid))
			return s;
	}
	return NULL;
}

static void session_store(const struct testd_conn *k, const char *sid, const uint8_t key[32],
                          int crypto, size_t key_len, int enc, int integ,
                          int64_t duration, enum testd_perm perm, int64_t now)
{
	size_t i, pick = 0;
	int64_t oldest = INT64_MAX;
	struct testd_session *s;
	for (i = 0; i < TESTD_SESSIONS_MAX; i++) {
		if (!testd_sessions[i].used || testd_sessions[i].expiry < now) {
			pick = i;
			break;
		}
		if (testd_sessions[i].expiry < oldest) {
			oldest = testd_sessions[i].expiry;
			pick = i;
		}
	}
	s = &testd_sessions[pick];
	memset(s, 0, sizeof *s);
	s->used = 1;
	snprintf(s->sid, sizeof s->sid, "%s", sid);
	memcpy(s->key, key, 32);
	s->crypto = crypto;
	s->key_len = key_len;
	s->enc = enc;
	s->integ = integ;
	s->expiry = now + duration;
	snprintf(s->fqu, sizeof s->fqu, "%s", k->fqu);
	s->mapped = k->mapped;
	snprintf(s->method, sizeof s->method, "%s", k->method);
	s->bounded = k->bounded;
	snprintf(s->authz, sizeof s->authz, "%s", k->authz);
	s->token_exp = k->token_exp;
	s->perm = perm;
}

/* ---- authorisation -------------------------------------------------------------- */

static const char *perm_name(enum testd_perm p)
{
	switch (p) {
	case PERM_READ: return "READ";
	case PERM_WRITE: return "WRITE";
	case PERM_ADMINISTRATOR: return "ADMINISTRATOR";
	case PERM_DAEMON: return "DAEMON";
	default: return "ALLOW";
	}
}

/* VerifyCommand: token scope first, then ALLOW_<perm>.  The DAEMON-level
 * token commands carry the alternate permission ALLOW, which always
 * passes; READ is open to everyone; ADMINISTRATOR uses ALLOW_ADMINISTRATOR. */
static int authorized(const struct testd_conn *k, enum testd_perm perm)
{
	if (perm == PERM_DAEMON)
		return 1;
	if (k->bounded && !list_has_ci(k->authz, perm_name(perm), strlen(perm_name(perm))))
		return 0;
	if (perm == PERM_ADMINISTRATOR)
		return tokreq_authz_match(testd.admin, k->fqu, k->peer_ip);
	return 1;
}

/* ---- the handshake ----------------------------------------------------------------- */

void testd_keylog(const char *what, const uint8_t *key, size_t n)
{
	static const char hexd[] = "0123456789abcdef";
	char line[160];
	size_t i, k;
	FILE *f;

	if (!testd.keylog)
		return;
	k = (size_t)snprintf(line, sizeof line, "%s ", what);
	for (i = 0; i < n && k + 3 < sizeof line; i++) {
		line[k++] = hexd[key[i] >> 4];
		line[k++] = hexd[key[i] & 15];
	}
	line[k++] = '\n';
	f = fopen(testd.keylog, "a");
	if (f) {
		fwrite(line, 1, k, f);
		fclose(f);
	}
}

void testd_log_ad(const char *what, const struct tad *ad)
{
	char names[1024];

	tad_names(ad, names, sizeof names);
	testd_log("%s attributes: %s", what, names);
}

static int send_ad(struct cedar *c, const struct tad *ad, struct err *e)
{
	return tad_put(c, ad, NULL, 0, e) == 0 && cedar_end_send(c, e) == 0 ? 0 : -1;
}

static void set_unauth(struct testd_conn *k)
{
	snprintf(k->fqu, sizeof k->fqu, "unauthenticated@unmapped");
	k->mapped = 0;
	k->method[0] = '\0';
	k->bounded = 0;
	k->authz[0] = '\0';
	k->token_exp = 0;
}

/* Resumption (§10).  Returns 0 to execute the command, -1 to close. */
static int resume(struct testd_conn *k, enum testd_perm perm, struct err *e)
{
	char sid[128];
	int rr = 0;
	uint8_t nonce[33];
	char nonce64[64];
	size_t nl;
	struct testd_session *s;

	if (!str_attr(&m1, "Sid", sid, sizeof sid))
		sid[0] = '\0';
	tad_get_bool(&m1, "ResumeResponse", &rr);
	if (testd.legacy)
		rr = 0; /* the resume reply came with 9.9 */
	s = session_find(sid, port_time_now());
	if (!s) {
		testd_log("resume: unknown session id '%s'", sid);
		if (rr) {
			tad_clear(&reply);
			tad_set_str(&reply, "ReturnCode", "SID_NOT_FOUND", e);
			send_ad(k->c, &reply, e);
		}
		return -1;
	}
	if (testd_hostile("resume-unknown") || testd_hostile("resume-denied")) {
		/* a session we did make, answered as unknown / refused */
		tad_clear(&reply);
		tad_set_str(&reply, "ReturnCode", testd_hostile("resume-denied") ? "DENIED" : "SID_NOT_FOUND", e);
		if (rr)
			send_ad(k->c, &reply, e);
		testd_log("resume of %s: hostile %s", sid, testd.hostile);
		return -1;
	}
	if (testd_hostile("resume-no-reply")) {
		/* a 25.x daemon that acts like 9.0: no resume reply although
		 * the client asked for one; it then waits for the command */
		rr = 0;
		testd_log("resume of %s: hostile, no resume reply", sid);
	}
	if (rr && testd_hostile("resume-long-code")) {
		static char code[200];
		memset(code, 0, sizeof code);
		memcpy(code, "DENIED", 6);
		memset(code + 6, '_', sizeof code - 7);
		tad_clear(&reply);
		tad_set_str(&reply, "ReturnCode", code, e);
		if (send_ad(k->c, &reply, e))
			return -1;
		/* ... and then serve the command anyway: a client that reads
		 * the over-long code as "" (authorized) goes on and sends it. */
		testd_log("resume of %s: hostile DENIED with a long ReturnCode", sid);
	} else if (rr) {
		tad_clear(&reply);
		port_random(nonce, sizeof nonce);
		crypto_base64_encode(nonce, sizeof nonce, nonce64, sizeof nonce64, &nl);
		if (tad_set_str(&reply, "Nonce", nonce64, e) || tad_set_str(&reply, "ReturnCode", "AUTHORIZED", e) ||
		    tad_set_str(&reply, "RemoteVersion", testd.version, e) || send_ad(k->c, &reply, e))
			return -1;
	}
	if (testd_crypto_start(k, s->crypto, s->key, s->key_len, s->enc, s->integ, e) != 0)
		return -1;
	snprintf(k->fqu, sizeof k->fqu, "%s", s->fqu);
	k->mapped = s->mapped;
	snprintf(k->method, sizeof k->method, "%s", s->method);
	k->bounded = s->bounded;
	snprintf(k->authz, sizeof k->authz, "%s", s->authz);
	k->token_exp = s->token_exp;
	{
		int force = 0;
		testd_cmd_perm(k->cmd, &force);
		if ((force && !k->mapped) || !authorized(k, perm)) {
			testd_log("resumed session %s: %s not authorized for command %lld", sid, k->fqu,
			          (long long)k->cmd);
			return -1;
		}
	}
	testd_log("command %lld on resumed session %s for %s", (long long)k->cmd, sid, k->fqu);
	return 0;
}

/* SSL (auth-methods.md §2): the identity is the certificate's mapping,
 * else ssl@unmapped, or unauthenticated@unmapped without a certificate
 * (§2.4) -- still method SSL, so token requests are accepted. */
static int auth_ssl_method(struct testd_conn *k, struct err *e)
{
	static struct testd_ssl_peer peer; /* 2.3 KiB with the key: off the stack */
	int rc = testd_ssl_server(k->c, &testd_ssl, &peer, e);

	if (rc == 0) {
		snprintf(k->fqu, sizeof k->fqu, "%s", peer.fqu);
		k->mapped = peer.mapped;
		snprintf(k->method, sizeof k->method, "SSL");
		/* A 9.x daemon wraps K2 under the 256 TLS-sent bytes folded to a
		 * 3DES key; zero padding leaves cedar_des3_wrap's fold as is. */
		memset(k->wrap_key, 0, sizeof k->wrap_key);
		cedar_des3_key(peer.key, sizeof peer.key, k->wrap_key);
		k->have_wrap_key = 1;
		testd_log("SSL: %s over %s, client certificate %s%s", peer.fqu, peer.tls_version,
		          peer.has_cert ? peer.name : "none", peer.mapped ? " (mapped)" : "");
	}
	crypto_wipe(&peer, sizeof peer);
	return rc;
}

/* The method loop (§6.1).  0 authenticated, -1 no method worked, -2 broken. */
static int authenticate(struct testd_conn *k, const char *methods_list, struct err *e)
{
	for (;;) {
		int64_t mask;
		int chosen = 0, rc;
		const char *p = methods_list;
		if (cedar_get_int(k->c, &mask, e) != 0 || cedar_end_recv(k->c, e) != 0)
			return -2;
		while (*p && !chosen) {
			size_t l;
			int bit;
			while (*p == ',' || *p == ' ')
				p++;
			l = strcspn(p, ", ");
			bit = method_bit(p, l);
			if (bit && (mask & bit))
				chosen = bit;
			p += l;
		}
		if (cedar_put_int(k->c, chosen, e) != 0 || cedar_end_send(k->c, e) != 0)
			return -2;
		if (!chosen)
			return -1;
		k->tried_auth = 1;
		if (chosen == AUTH_FS)
			rc = testd_auth_fs(k, e);
		else if (chosen == AUTH_TOKEN)
			rc = testd_auth_token(k, e);
		else if (chosen == AUTH_SSL)
			rc = auth_ssl_method(k, e);
		else if (chosen == AUTH_CLAIMTOBE)
			rc = auth_claimtobe(k, e);
		else {
			/* ANONYMOUS: one int from the server. */
			rc = cedar_put_int(k->c, 1, e) == 0 && cedar_end_send(k->c, e) == 0 ? 0 : -2;
			if (rc == 0) {
				snprintf(k->fqu, sizeof k->fqu, "anonymous@unmappeduser");
				k->mapped = 0;
				snprintf(k->method, sizeof k->method, "ANONYMOUS");
			}
		}
		if (rc == 0)
			return 0;
		if (rc == -2)
			return -2;
		log_err("authentication method failed", e);
		err_clear(e);
	}
}

static void new_session(struct testd_conn *k, enum testd_perm perm, int force_auth)
{
	struct err e;
	char cl_methods[TESTD_STR_MAX] = "", cl_crypto[TESTD_STR_MAX] = "", tmp[TESTD_STR_MAX];
	char methods_list[TESTD_STR_MAX] = "", crypto_list[64] = "", ecdh_b64[256] = "";
	char valid[1024], sid[128];
	enum testd_req cl_auth, cl_enc, cl_integ, sv_auth;
	int auth, enc, integ, have_cl_methods, have_ecdh, have_key = 0;
	int64_t cl_lease = 0, dur;
	uint8_t priv[CRYPTO_P256_PRIV_LEN], pub[CRYPTO_P256_PUB_LEN], peer[CRYPTO_P256_PUB_LEN + 8];
	uint8_t secret[32], key[32];
	size_t pl, n;
	int rc, enact_no, proto;
	size_t key_len = 32;
	const char *p;

	err_clear(&e);
	/* Reconcile (§4 step 4). */
	/* 9.x knew no AuthenticationNew (23.10) */
	cl_auth = req_of(tad_expr(&m1, "AuthenticationNew") && !testd.legacy
	                         ? (str_attr(&m1, "AuthenticationNew", tmp, sizeof tmp) ? tmp : "N")
	                         : (str_attr(&m1, "Authentication", tmp, sizeof tmp) ? tmp : "N"));
	cl_enc = req_of(str_attr(&m1, "Encryption", tmp, sizeof tmp) ? tmp : "N");
	cl_integ = req_of(str_attr(&m1, "Integrity", tmp, sizeof tmp) ? tmp : "N");
	sv_auth = force_auth ? SEC_REQUIRED : testd.auth[perm];
	auth = reconcile(cl_auth, sv_auth);
	enc = reconcile(cl_enc, testd.enc[perm]);
	integ = reconcile(cl_integ, testd.integ[perm]);
	if (auth < 0 || enc < 0 || integ < 0) {
		testd_log("Unable to reconcile! (auth %d enc %d integ %d)", auth, enc, integ);
		return;
	}
	have_cl_methods = str_attr(&m1, "AuthMethods", cl_methods, sizeof cl_methods);
	/* Intersection in the server's order, client's spelling; since
	 * 23.7.2 the client's spelling is compared unnormalised, so only a
	 * client that says TOKEN matches TOKEN. */
	if (have_cl_methods) {
		for (p = testd.methods; *p;) {
			size_t l;
			while (*p == ',' || *p == ' ')
				p++;
			l = strcspn(p, ", ");
			if (l && !method_unoffered(p, l) && list_has_ci(cl_methods, p, l)) {
				n = strlen(methods_list);
				snprintf(methods_list + n, sizeof methods_list - n, "%s%.*s", n ? "," : "",
				         (int)l, p);
			}
			p += l;
		}
	}
	str_attr(&m1, "CryptoMethods", cl_crypto, sizeof cl_crypto);
	for (p = testd.crypto_methods; *p;) {
		size_t l = strcspn(p, ",");
		if (list_has_ci(cl_crypto, p, l) ||
		    (l == 4 && list_has_ci(cl_crypto, "TRIPLEDES", 9) && !strncmp(p, "3DES", 4))) {
			n = strlen(crypto_list);
			snprintf(crypto_list + n, sizeof crypto_list - n, "%s%.*s", n ? "," : "", (int)l, p);
		}
		p += l;
		if (*p == ',')
			p++;
	}
	/* 9.0-9.8 ignore the client's key (ECDH came with 9.9) */
	have_ecdh = !testd.legacy && str_attr(&m1, "ECDHPublicKey", ecdh_b64, sizeof ecdh_b64);
	proto = testd_crypto_pick(crypto_list);
	if ((auth == 1 || have_ecdh) && proto != TESTD_CRYPTO_AES && proto != TESTD_CRYPTO_3DES) {
		testd_log("no AES or 3DES in common with the client's CryptoMethods '%s' "
		          "(first common: '%s'; the test daemon has no BLOWFISH): closing",
		          cl_crypto, testd_crypto_name(proto));
		return;
	}
	if ((auth == 1 || have_ecdh) && !have_ecdh && !testd.legacy) {
		testd_log("client sent no ECDHPublicKey (pre-9.9 key transport is not "
		          "implemented by the test daemon): closing");
		return;
	}
	/* With AES first, authentication forces encryption and integrity. */
	if (auth == 1 && !strncmp(crypto_list, "AES", 3))
		enc = integ = 1;
	/* M2 */
	tad_clear(&reply);
	rc = 0;
	rc |= tad_set_str(&reply, "Authentication", auth == 1 ? "YES" : "NO", &e);
	if (auth == 1 && cl_auth != SEC_REQUIRED && sv_auth != SEC_REQUIRED)
		rc |= tad_set_bool(&reply, "AuthRequired", 0, &e);
	rc |= tad_set_str(&reply, "Encryption", enc == 1 ? "YES" : "NO", &e);
	rc |= tad_set_str(&reply, "Integrity", integ == 1 ? "YES" : "NO", &e);
	if (have_cl_methods) {
		size_t fl = strcspn(methods_list, ",");
		rc |= tad_set_str(&reply, "AuthMethodsList", methods_list, &e);
		snprintf(tmp, sizeof tmp, "%.*s", (int)fl, methods_list);
		/* with nothing in common a 9.0 daemon sends no AuthMethods (the
		 * client then offers its own and is refused); 25.x sends "" */
		if (tmp[0] || !testd.legacy)
			rc |= tad_set_str(&reply, "AuthMethods", tmp, &e);
	}
	rc |= tad_set_str(&reply, "CryptoMethodsList", crypto_list, &e);
	/* the chosen method when a key will exist, else deleted */
	if (auth == 1 || have_ecdh)
		rc |= tad_set_str(&reply, "CryptoMethods", testd_crypto_name(proto), &e);
	{
		int64_t cd = 0;
		if (str_attr(&m1, "SessionDuration", tmp, sizeof tmp))
			cd = strtoll(tmp, NULL, 10);
		dur = cd < testd.session_duration ? cd : testd.session_duration;
		snprintf(tmp, sizeof tmp, "%lld", (long long)dur);
		rc |= tad_set_str(&reply, "SessionDuration", tmp, &e);
	}
	if (tad_get_int(&m1, "SessionLease", &cl_lease) == 1) {
		int64_t l = testd.session_lease;
		if (cl_lease > 0 && (l == 0 || cl_lease < l))
			l = cl_lease;
		rc |= tad_set_int(&reply, "SessionLease", l, &e);
	}
	rc |= tad_set_str(&reply, "Enact", "YES", &e);
	rc |= tad_set_str(&reply, "TrustDomain", testd.trust_domain, &e);
	if (testd.key.have && list_has_ci(testd.methods, "TOKEN", 5))
		rc |= tad_set_str(&reply, "IssuerKeys", testd.key.name, &e);
	rc |= tad_set_bool(&reply, "NegotiatedSession", 1, &e);
	rc |= tad_set_str(&reply, "RemoteVersion", testd.version, &e);
	if (have_ecdh) {
		char pub64[128];
		if (crypto_p256_keygen(priv, pub) != 0 ||
		    crypto_base64_encode(pub, sizeof pub, pub64, sizeof pub64, &n) != 0) {
			testd_log("ECDH key generation failed");
			return;
		}
		rc |= tad_set_str(&reply, "ECDHPublicKey", pub64, &e);
	}
	if (rc) {
		log_err("building the policy reply", &e);
		return;
	}
	if (testd.legacy) {
		/* What a real 9.0.19 daemon sends (vector V8a): no
		 * NegotiatedSession, its hash order. */
		static const char *const m2_90[] = {
			"RemoteVersion", "TrustDomain", "Enact", "SessionDuration", "SessionLease",
			"CryptoMethodsList", "CryptoMethods", "AuthMethodsList", "AuthMethods",
			"Integrity", "IssuerKeys", "Encryption", "Authentication"};
		tad_delete(&reply, "NegotiatedSession");
		tad_reorder(&reply, m2_90, sizeof m2_90 / sizeof m2_90[0]);
	}
	testd_log_ad("policy reply", &reply);
	enact_no = str_attr(&m1, "Enact", tmp, sizeof tmp) && (tmp[0] == 'N' || tmp[0] == 'n');
	if (enact_no && send_ad(k->c, &reply, &e) != 0) {
		log_err("sending the policy reply", &e);
		return;
	}

	/* Authentication (§6). */
	set_unauth(k);
	if (auth == 1) {
		rc = authenticate(k, methods_list, &e);
		if (rc == -2) {
			log_err("connection lost during authentication", &e);
			return;
		}
		if (rc == -1) {
			if (cl_auth == SEC_REQUIRED || sv_auth == SEC_REQUIRED) {
				testd_log("Failed to authenticate with any method: closing");
				return;
			}
			set_unauth(k);
		} else if (testd.legacy) {
			/* K1 + K2: 9.x sends its own key, wrapped by the method */
			if (testd_legacy_send_key(k, proto, key, &key_len, &e) != 0) {
				log_err("sending the session key", &e);
				return;
			}
			have_key = 1;
		} else {
			/* K1: the key comes from ECDH, never from the method. */
			if (cedar_put_int(k->c, 0, &e) != 0 || cedar_end_send(k->c, &e) != 0) {
				log_err("sending hasKey", &e);
				return;
			}
		}
	}
	if (force_auth && !k->mapped) {
		testd_log("command %lld requires a mapped identity, got %s: closing",
		          (long long)k->cmd, k->fqu);
		return;
	}

	/* Crypto (§7, §8). */
	if (have_ecdh) {
		if (crypto_base64_decode(ecdh_b64, strlen(ecdh_b64), peer, sizeof peer, &pl) != 0 ||
		    crypto_p256_shared(priv, peer, pl, secret) != 0 ||
		    crypto_hkdf_sha256("htcondor", 8, secret, 32, "keygen", 6, key, 32) != 0) {
			testd_log("bad ECDHPublicKey from the client: closing");
			crypto_wipe(priv, sizeof priv);
			return;
		}
		crypto_wipe(priv, sizeof priv);
		testd_keylog("ecdh_secret", secret, 32);
		crypto_wipe(secret, sizeof secret);
		/* a 3DES key is the first 24 bytes of the same derivation */
		key_len = proto == TESTD_CRYPTO_AES ? 32 : 24;
		have_key = 1;
	}
	if (have_key) {
		testd_keylog("session_key", key, key_len);
		if (testd_crypto_start(k, proto, key, key_len, enc == 1, integ == 1, &e) != 0) {
			log_err("enabling crypto", &e);
			return;
		}
	} else if (enc == 1 || integ == 1) {
		/* EnableCrypto: "there should be a key here" */
		testd_log("encryption/integrity negotiated but no session key: closing");
		return;
	}

	/* P1 (§9). */
	snprintf(sid, sizeof sid, "%s:%ld:%lld:%u", testd.host, port_pid(),
	         (long long)port_time_now(), ++sid_counter);
	valid_commands(perm, k->mapped, valid, sizeof valid);
	tad_clear(&reply);
	/* hostile: a mapped name that would drive a terminal shown raw */
	rc = tad_set_str(&reply, "User",
	                 testd_hostile("auth-user-escapes") ? "ev\x1b]0;owned\x07\x1b[2Jil@testd.local"
	                                                    : k->fqu,
	                 &e);
	if (k->tried_auth)
		rc |= tad_set_bool(&reply, "TriedAuthentication", 1, &e);
	rc |= tad_set_str(&reply, "Sid", sid, &e);
	rc |= tad_set_str(&reply, "ValidCommands", valid, &e);
	if (!authorized(k, perm)) {
		rc |= tad_set_str(&reply, "ReturnCode", "DENIED", &e);
		if (!rc)
			send_ad(k->c, &reply, &e);
		testd_log("command %lld DENIED for %s", (long long)k->cmd, k->fqu);
		return;
	}
	rc |= tad_set_str(&reply, "ReturnCode", "AUTHORIZED", &e);
	if (testd.legacy) {
		static const char *const p1_90[] = {"ReturnCode", "Sid", "ValidCommands",
		                                    "TriedAuthentication", "User"};
		tad_reorder(&reply, p1_90, sizeof p1_90 / sizeof p1_90[0]);
	}
	testd_log_ad("post-auth ad", &reply);
	if (rc || send_ad(k->c, &reply, &e) != 0) {
		log_err("sending the post-auth ad", &e);
		return;
	}
	if (have_key)
		session_store(k, sid, key, proto, key_len, enc == 1, integ == 1, dur, perm,
		              port_time_now());
	crypto_wipe(key, sizeof key);
	testd_log("command %lld: new session %s for %s (method %s)", (long long)k->cmd, sid,
	          k->fqu, k->method[0] ? k->method : "none");
	testd_exec(k);
}

void testd_serve(int handle, const char *peer_ip, unsigned peer_port)
{
	struct testd_conn k;
	struct err e;
	int64_t first;
	int perm, force = 0;
	char tmp[64];

	memset(&k, 0, sizeof k);
	err_clear(&e);
	if (testd.hostile && !strncmp(testd.hostile, "gcm-", 4))
		testd_hostile_transport(&conn_cedar, handle);
	else
		cedar_init_handle(&conn_cedar, handle);
	snprintf(conn_cedar.peer_ip, sizeof conn_cedar.peer_ip, "%s", peer_ip);
	conn_cedar.peer_port = peer_port;
	k.c = &conn_cedar;
	snprintf(k.peer_ip, sizeof k.peer_ip, "%s", peer_ip);

	if (cedar_get_int(k.c, &first, &e) != 0)
		goto out;
	if (first == 75) {
		/* SHARED_PORT_CONNECT: id, client name, deadline, extra args. */
		int64_t deadline, more, i;
		if (cedar_get_str(k.c, k.sock_id, sizeof k.sock_id, "shared-port id", &e) != 0 ||
		    cedar_get_str(k.c, tmp, sizeof tmp, "shared-port client name", &e) != 0 ||
		    cedar_get_int(k.c, &deadline, &e) != 0 || cedar_get_int(k.c, &more, &e) != 0)
			goto out;
		if (more < 0 || more > 100) {
			testd_log("SHARED_PORT_CONNECT with %lld extra args: closing", (long long)more);
			goto out;
		}
		for (i = 0; i < more; i++)
			if (cedar_get_str(k.c, tmp, sizeof tmp, "shared-port arg", &e) != 0)
				goto out;
		if (cedar_end_recv(k.c, &e) != 0)
			goto out;
		if (!testd.shared_port_id || strcmp(k.sock_id, testd.shared_port_id) != 0) {
			testd_log("SHARED_PORT_CONNECT to unknown id '%s': closing", k.sock_id);
			goto out;
		}
		/* The target daemon never saw those bytes. */
		cedar_reset_transcript(k.c);
		if (cedar_get_int(k.c, &first, &e) != 0)
			goto out;
	}
	if (first != CEDAR_DC_AUTHENTICATE) {
		testd_log("first int %lld is not DC_AUTHENTICATE: closing", (long long)first);
		goto out;
	}
	if (tad_get(k.c, &m1, &e) != 0 || cedar_end_recv(k.c, &e) != 0)
		goto out;
	if (tad_get_int(&m1, "Command", &k.cmd) != 1) {
		testd_log("M1 without an integer Command: closing");
		goto out;
	}
	if (!str_attr(&m1, "RemoteVersion", k.client_version, sizeof k.client_version))
		k.client_version[0] = '\0';
	str_attr(&m1, "ConnectSinful", k.connect_sinful, sizeof k.connect_sinful);
	if (k.cmd == TESTD_DC_SEC_QUERY) {
		/* condor_ping: negotiate as for AuthCommand, answer instead of
		 * running it (ping.md section 2) */
		int64_t auth_cmd = -1;
		if (tad_get_int(&m1, "AuthCommand", &auth_cmd) != 1 || auth_cmd == TESTD_DC_SEC_QUERY) {
			testd_log("DC_SEC_QUERY without a usable AuthCommand: closing");
			goto out;
		}
		perm = testd_cmd_perm(auth_cmd, &force);
		if (perm < 0) {
			testd_log("DC_SEC_QUERY for unregistered command %lld: closing", (long long)auth_cmd);
			goto out;
		}
		testd_log("DC_SEC_QUERY for command %lld", (long long)auth_cmd);
	} else {
		perm = testd_cmd_perm(k.cmd, &force);
	}
	if (perm < 0) {
		testd_log("UNREGISTERED COMMAND %lld: closing", (long long)k.cmd);
		goto out;
	}
	if (str_attr(&m1, "UseSession", tmp, sizeof tmp) && (tmp[0] == 'Y' || tmp[0] == 'y')) {
		if (resume(&k, (enum testd_perm)perm, &e) == 0)
			testd_exec(&k);
		goto out;
	}
	new_session(&k, (enum testd_perm)perm, force);
out:
	if (!err_empty(&e))
		log_err("connection ended", &e);
	testd_hostile_flush();
	cedar_close(&conn_cedar);
}

/* Used by the FS method's channel-binding check (auth_fs.c). */
int testd_client_version_at_least(const struct testd_conn *k, int a, int b, int c)
{
	return version_at_least(k->client_version, a, b, c);
}
