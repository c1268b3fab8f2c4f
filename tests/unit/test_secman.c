/*
 * test_secman.c - policy derivation, token choice, and the client
 * handshake against a small scripted server (a forked child on loopback):
 * refusal by hang-up, refusal of a reply below our REQUIRED settings,
 * method fallback (TOKEN fails, FS succeeds), ECDH + AES-GCM + post-auth
 * ad, session reuse with the resume reply, SID_NOT_FOUND, and "no method".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auth.h"
#include "cedar.h"
#include "check.h"
#include "port/crypto.h"
#include "port/port.h"
#include "secad.h"
#include "secman.h"
#include "tokens.h"

static char tmpdir[256];

/* ---- helpers -------------------------------------------------------------- */

/* A syntactically valid JWT with the given claims and a fixed signature. */
static void make_token(char *out, size_t cap, const char *kid, const char *iss, const char *sub)
{
	char hdr[256], pay[512], h64[512], p64[1024], s64[128];
	uint8_t sig[32];
	for (int i = 0; i < 32; i++)
		sig[i] = (uint8_t)(i * 3 + 1);
	snprintf(hdr, sizeof hdr, "{\"alg\":\"HS256\",\"kid\":\"%s\"}", kid);
	snprintf(pay, sizeof pay, "{\"iat\":1700000000,\"iss\":\"%s\",\"jti\":\"abc\",\"sub\":\"%s\"}",
	         iss, sub);
	crypto_base64url_encode(hdr, strlen(hdr), h64, sizeof h64, NULL);
	crypto_base64url_encode(pay, strlen(pay), p64, sizeof p64, NULL);
	crypto_base64url_encode(sig, sizeof sig, s64, sizeof s64, NULL);
	snprintf(out, cap, "%s.%s.%s", h64, p64, s64);
}

static void write_file(const char *dir, const char *name, const char *text, unsigned mode)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	port_file_unlink(path);
	CHECK_INT(port_file_write_new(path, text, strlen(text), mode), 0);
}

/* ---- pure logic ------------------------------------------------------------ */

static void test_names_and_policy(void)
{
	struct sec_policy p;
	struct sec_effective f;
	struct err e;
	err_clear(&e);
	CHECK_INT(sec_auth_bit("IDTOKENS"), SEC_AUTH_TOKEN);
	CHECK_INT(sec_auth_bit("tokens"), SEC_AUTH_TOKEN);
	CHECK_INT(sec_auth_bit("fs"), SEC_AUTH_FS);
	CHECK_INT(sec_auth_bit("GSI"), 0);
	CHECK_STR(sec_auth_name(SEC_AUTH_TOKEN), "TOKEN");
	CHECK_INT(sec_req_parse("REQUIRED"), SEC_REQ_REQUIRED);
	CHECK_INT(sec_req_parse("yes"), SEC_REQ_REQUIRED);
	CHECK_INT(sec_req_parse("Preferred"), SEC_REQ_PREFERRED);
	CHECK_INT(sec_req_parse("false"), SEC_REQ_NEVER);
	CHECK_INT(sec_req_parse("x"), -1);
	CHECK(sec_version_at_least("$CondorVersion: 25.14.0 2026-11-30 X $", 23, 9, 0));
	CHECK(!sec_version_at_least("$CondorVersion: 9.8.1 Jun 1 2022 $", 9, 9, 0));
	CHECK(!sec_version_at_least("garbage", 1, 0, 0));
	CHECK(sec_version_at_least("$CondorVersion: 9.0.19 Jan 1 2023 $", 9, 0, 19));
	CHECK(!sec_version_at_least("$CondorVersion: 9.0.19 Jan 1 2023 $", 9, 0, 20));
	CHECK(sec_version_at_least("$CondorVersion:10.0.0 $", 9, 99, 99));
	CHECK(!sec_version_at_least("$CondorVersion: 24.x.1 $", 1, 0, 0));
	CHECK(!sec_version_at_least("$CondorVersion: 25.1 $", 1, 0, 0));
	CHECK(!sec_version_at_least("$CondorVersion: -25.1.0 $", 1, 0, 0));

	/* the reference pool's client: OPTIONAL auth, REQUIRED enc/integrity */
	sec_policy_defaults(&p);
	p.encryption = p.integrity = SEC_REQ_REQUIRED;
	CHECK_INT(sec_policy_effective(&p, 2, &f, &e), 0);
	CHECK_INT(f.authentication, SEC_REQ_REQUIRED);
	CHECK_INT(f.authentication_new, SEC_REQ_OPTIONAL);
	CHECK_INT(f.negotiation, SEC_REQ_REQUIRED);

	/* defaults: nothing raised; no methods -> AuthenticationNew NEVER */
	sec_policy_defaults(&p);
	CHECK_INT(sec_policy_effective(&p, 0, &f, &e), 0);
	CHECK_INT(f.authentication, SEC_REQ_OPTIONAL);
	CHECK_INT(f.authentication_new, SEC_REQ_NEVER);
	CHECK_INT(f.negotiation, SEC_REQ_PREFERRED);

	/* contradictions */
	p.authentication = SEC_REQ_NEVER;
	p.encryption = SEC_REQ_REQUIRED;
	CHECK_INT(sec_policy_effective(&p, 2, &f, &e), -1);
	CHECK_INT(err_code(&e), SEC_ERR_INVALID_POLICY);
	err_clear(&e);
	sec_policy_defaults(&p);
	p.authentication = SEC_REQ_REQUIRED;
	CHECK_INT(sec_policy_effective(&p, 0, &f, &e), -1);
	err_clear(&e);
	sec_policy_defaults(&p);
	p.crypto_methods[0] = '\0';
	p.encryption = SEC_REQ_REQUIRED;
	CHECK_INT(sec_policy_effective(&p, 1, &f, &e), -1);
}

static void test_secad(void)
{
	static struct secad ad;
	struct err e;
	char s[32];
	int64_t v;
	int b;
	err_clear(&e);
	secad_clear(&ad);
	CHECK_INT(secad_set_str(&ad, "Zed", "a\"b\\c", &e), 0);
	CHECK_INT(secad_set_int(&ad, "Ab", -5, &e), 0);
	CHECK_INT(secad_set_bool(&ad, "Flag", 1, &e), 0);
	CHECK_STR(secad_expr(&ad, "zed"), "\"a\\\"b\\\\c\"");
	CHECK_INT(secad_get_str(&ad, "ZED", s, sizeof s), 1);
	CHECK_STR(s, "a\"b\\c");
	CHECK_INT(secad_get_str(&ad, "Zed", s, 3), -1); /* never truncated */
	CHECK_INT(secad_get_int(&ad, "ab", &v), 1);
	CHECK_INT(v, -5);
	CHECK_INT(secad_get_int(&ad, "Zed", &v), -1);
	CHECK_INT(secad_get_bool(&ad, "flag", &b), 1);
	CHECK_INT(b, 1);
	CHECK_INT(secad_get_str(&ad, "Missing", s, sizeof s), 0);
	secad_sort_by_length(&ad);
	CHECK_STR(ad.a[0].name, "Ab");
	CHECK_STR(ad.a[1].name, "Zed");
	secad_sort_alpha(&ad);
	CHECK_STR(ad.a[1].name, "Flag");
	CHECK_INT(secad_set_str(&ad, "bad name", "x", &e), -1);
	CHECK_INT(secad_add_line(&ad, "NoEquals", 8, &e), -1);
	CHECK_INT(secad_add_line(&ad, " Foo  =  12 ", 12, &e), 0);
	CHECK_STR(secad_expr(&ad, "foo"), "12");
	/* bounds */
	secad_clear(&ad);
	for (int i = 0; i < SECAD_MAX_ATTRS; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, "A%d", i);
		CHECK_INT(secad_set_int(&ad, nm, i, &e), 0);
	}
	err_clear(&e);
	CHECK_INT(secad_set_int(&ad, "OneMore", 1, &e), -1);
	CHECK(strstr(err_message(&e), "SECAD_MAX_ATTRS") != NULL);
}

static void test_token_choice(void)
{
	static struct token_choice tc;
	struct tokens_query q;
	struct err e;
	char dir[300], tok[1024], text[4096];
	err_clear(&e);
	snprintf(dir, sizeof dir, "%s/tokens.d", tmpdir);
	CHECK_INT(port_mkdir(dir, 0700), 0);
	memset(&q, 0, sizeof q);
	q.dir = dir;
	q.subsys = "TOOL";
	q.uid = port_uid();

	/* empty directory, missing directory */
	CHECK_INT(tokens_find(&q, &tc, &e), 0);
	q.dir = "/nonexistent/tokens.d";
	CHECK_INT(tokens_find(&q, &tc, &e), 0);
	q.dir = dir;

	/* a loose-mode file is ignored even though its token is fine */
	make_token(tok, sizeof tok, "POOL", "pool.a", "alice@pool.a");
	write_file(dir, "a_loose", tok, 0644);
	CHECK_INT(tokens_find(&q, &tc, &e), 0);
	/* excluded names */
	write_file(dir, ".hidden", tok, 0600);
	write_file(dir, "x.sh", tok, 0600);
	write_file(dir, "y~", tok, 0600);
	CHECK_INT(tokens_find(&q, &tc, &e), 0);
	CHECK(tokens_name_excluded("foo.rpmnew") && tokens_name_excluded("#x") &&
	      !tokens_name_excluded("admin"));

	/* b: comments, garbage, then a token for pool.b; c: pool.a token */
	make_token(tok, sizeof tok, "POOL", "pool.b", "bob@pool.b");
	snprintf(text, sizeof text, "# comment\n\nnot-a-token\n  %s  \n", tok);
	write_file(dir, "b_file", text, 0600);
	make_token(tok, sizeof tok, "OTHER", "pool.a", "carol@pool.a");
	write_file(dir, "c_file", tok, 0400);

	CHECK_INT(tokens_find(&q, &tc, &e), 1); /* no filter: first file wins */
	CHECK_STR(tc.name, "bob@pool.b");
	CHECK(strstr(tc.source, "b_file") != NULL);
	q.trust_domain = "pool.a"; /* server's TrustDomain picks c */
	CHECK_INT(tokens_find(&q, &tc, &e), 1);
	CHECK_STR(tc.name, "carol@pool.a");
	q.issuer_keys = "POOL, K2"; /* ...unless its key is not the server's */
	CHECK_INT(tokens_find(&q, &tc, &e), 0);
	q.issuer_keys = "K2 OTHER";
	CHECK_INT(tokens_find(&q, &tc, &e), 1);
	CHECK_STR(tc.jwt.kid, "OTHER");
	q.issuer_keys = NULL;
	q.trust_domain = NULL;

	/* the auto-generated token is tried first (case-insensitive name) */
	make_token(tok, sizeof tok, "POOL", "pool.z", "zed@pool.z");
	write_file(dir, "tool_AUTO_generated_token", tok, 0600);
	CHECK_INT(tokens_find(&q, &tc, &e), 1);
	CHECK_STR(tc.name, "zed@pool.z");

	/* an explicit token beats files */
	make_token(tok, sizeof tok, "POOL", "pool.x", "xavier@pool.x");
	q.explicit_token = tok;
	CHECK_INT(tokens_find(&q, &tc, &e), 1);
	CHECK_STR(tc.name, "xavier@pool.x");
	CHECK_STR(tc.source, "(explicit)");
	q.explicit_token = NULL;

	/* directory choice */
	{
		char out[256];
		CHECK_INT(tokens_pick_dir("/x/t", "/etc/s", "/home/u", 1000, out, sizeof out), 0);
		CHECK_STR(out, "/x/t");
		CHECK_INT(tokens_pick_dir("", NULL, "/home/u", 1000, out, sizeof out), 0);
		CHECK_STR(out, "/home/u/.condor/tokens.d");
		CHECK_INT(tokens_pick_dir(NULL, NULL, "/root", 0, out, sizeof out), 0);
		CHECK_STR(out, "/etc/condor/tokens.d");
		CHECK_INT(tokens_pick_dir(NULL, "/sys", NULL, 0, out, 3), -1);
	}
}

static void test_jwt_bad(void)
{
	struct jwt j;
	char why[128];
	CHECK_INT(jwt_parse("abc", 3, &j, why, sizeof why), -1);
	CHECK_INT(jwt_parse("a.b", 3, &j, why, sizeof why), -1);
	CHECK_INT(jwt_parse("a.b.c.d", 7, &j, why, sizeof why), -1);
	CHECK_INT(jwt_parse("e30.e30.", 8, &j, why, sizeof why), -1); /* no signature */
	CHECK_INT(jwt_parse("e30.e30.AAAA", 12, &j, why, sizeof why), 0); /* {} {} */
	CHECK(!j.has_kid && !j.has_iss);
	CHECK_INT(jwt_parse("e314.e30.AAAA", 13, &j, why, sizeof why), -1); /* {}x */
	CHECK_INT(jwt_parse("e30.eyJleHAiOjEAfQ.AAAA", 23, &j, why, sizeof why), -1); /* {"exp":1<NUL>} */
	CHECK_INT(jwt_parse("e3.e30.AAAA", 11, &j, why, sizeof why), -1);
	CHECK_INT(jwt_parse("e30 .e30.AAAA", 13, &j, why, sizeof why), -1);
}

/* ---- a scripted server ------------------------------------------------------ */

enum scenario {
	SC_HANGUP,      /* close after M1 */
	SC_WEAK,        /* Authentication/Encryption NO, no key */
	SC_FALLBACK,    /* choose TOKEN (fails), then FS; then a command; then resume */
	SC_NOMETHOD,    /* answer the method bitmask with 0 */
	SC_SID_UNKNOWN  /* a resume attempt answered with SID_NOT_FOUND */
};

static struct cedar srv;
static struct secad sad, sreply;

static int srv_send_reply(struct cedar *c, const char *auth, const char *enc, int with_key,
                          uint8_t priv[32], struct err *e)
{
	uint8_t pub[65];
	char b64[128];
	secad_clear(&sreply);
	secad_set_str(&sreply, SEC_ATTR_ENACT, "YES", e);
	secad_set_str(&sreply, SEC_ATTR_AUTHENTICATION, auth, e);
	secad_set_str(&sreply, SEC_ATTR_ENCRYPTION, enc, e);
	secad_set_str(&sreply, SEC_ATTR_INTEGRITY, enc, e);
	secad_set_str(&sreply, SEC_ATTR_AUTH_METHODS_LIST, "TOKEN,FS", e);
	secad_set_str(&sreply, SEC_ATTR_TRUST_DOMAIN, "pool.test", e);
	secad_set_str(&sreply, SEC_ATTR_SESSION_DURATION, "60", e);
	secad_set_str(&sreply, SEC_ATTR_REMOTE_VERSION, "$CondorVersion: 25.14.0 2026-11-30 X $", e);
	if (with_key) {
		crypto_p256_keygen(priv, pub);
		sec_encode_pubkey(pub, b64, sizeof b64);
		secad_set_str(&sreply, SEC_ATTR_CRYPTO_METHODS, "AES", e);
		secad_set_str(&sreply, SEC_ATTR_ECDH_PUBLIC_KEY, b64, e);
	}
	return secad_put(c, &sreply, e) < 0 || cedar_end_send(c, e) < 0 ? -1 : 0;
}

static int srv_int(struct cedar *c, int64_t *v, struct err *e)
{
	return cedar_get_int(c, v, e) < 0 || cedar_end_recv(c, e) < 0 ? -1 : 0;
}

static int srv_put_int(struct cedar *c, int64_t v, struct err *e)
{
	return cedar_put_int(c, v, e) < 0 || cedar_end_send(c, e) < 0 ? -1 : 0;
}

/* One connection of the scripted server; returns 0 if it went as planned. */
static int srv_conn(int lh, enum scenario sc, int conn_no)
{
	struct err e;
	int64_t v;
	uint8_t priv[32], key[32];
	char peer[64], s[512];
	unsigned pport;
	int h = port_tcp_accept(lh, port_clock_ms() + 10000, peer, sizeof peer, &pport);
	if (h < 0)
		return 1;
	err_clear(&e);
	cedar_init_handle(&srv, h);
	if (cedar_get_int(&srv, &v, &e) < 0 || v != CEDAR_DC_AUTHENTICATE || secad_get(&srv, &sad, &e) < 0 ||
	    cedar_end_recv(&srv, &e) < 0)
		return 2;
	if (sc == SC_HANGUP)
		return cedar_close(&srv), 0;
	if (secad_expr(&sad, SEC_ATTR_USE_SESSION)) {
		/* resumption */
		char sid[128];
		secad_get_str(&sad, SEC_ATTR_SID, sid, sizeof sid);
		secad_clear(&sreply);
		if (sc == SC_SID_UNKNOWN || strcmp(sid, "sid-1") != 0) {
			secad_set_str(&sreply, SEC_ATTR_RETURN_CODE, "SID_NOT_FOUND", &e);
			secad_put(&srv, &sreply, &e);
			cedar_end_send(&srv, &e);
			cedar_close(&srv);
			return 0;
		}
		secad_set_str(&sreply, SEC_ATTR_NONCE, "xyz", &e);
		secad_set_str(&sreply, SEC_ATTR_RETURN_CODE, "AUTHORIZED", &e);
		secad_put(&srv, &sreply, &e);
		cedar_end_send(&srv, &e);
		/* the key: fixed for this test, cached by both */
		memset(key, 0x5a, sizeof key);
		(void)key;
		return 3; /* resumption is checked by the next conn: not used */
	}
	if (sc == SC_WEAK) {
		srv_send_reply(&srv, "NO", "NO", 0, priv, &e);
		cedar_close(&srv);
		return 0;
	}
	if (srv_send_reply(&srv, "YES", "YES", 1, priv, &e) < 0)
		return 4;
	if (srv_int(&srv, &v, &e) < 0)
		return 5;
	if (sc == SC_NOMETHOD) {
		srv_put_int(&srv, 0, &e);
		cedar_close(&srv);
		return 0;
	}
	/* TOKEN first: the client offered it (mask has 2048) */
	if (!(v & SEC_AUTH_TOKEN) || !(v & SEC_AUTH_FS))
		return 6;
	srv_put_int(&srv, SEC_AUTH_TOKEN, &e);
	{
		/* TA, then an error TB, then TC */
		const char *a;
		int64_t st;
		uint8_t ra[256];
		if (cedar_get_int(&srv, &st, &e) < 0 || cedar_get_int(&srv, &v, &e) < 0 ||
		    cedar_get_str_ptr(&srv, &a, NULL, &e) < 0 || cedar_get_str_ptr(&srv, &a, NULL, &e) < 0 ||
		    cedar_get_int(&srv, &v, &e) < 0 || v != 256 || cedar_get_bytes(&srv, ra, 256, &e) < 0 ||
		    cedar_end_recv(&srv, &e) < 0)
			return 7;
		cedar_put_int(&srv, -1, &e);
		cedar_put_int(&srv, 0, &e);
		cedar_put_str(&srv, "", &e);
		cedar_put_int(&srv, 0, &e);
		cedar_put_str(&srv, "", &e);
		cedar_put_int(&srv, 0, &e);
		cedar_put_int(&srv, 0, &e);
		cedar_put_int(&srv, 0, &e);
		cedar_end_send(&srv, &e);
		/* the client's error form of message 3: -1, 0, "", 0, 0 */
		if (cedar_get_int(&srv, &st, &e) < 0 || st != -1 || cedar_get_int(&srv, &v, &e) < 0 ||
		    v != 0 || cedar_get_str_ptr(&srv, &a, NULL, &e) < 0 || !a || a[0] ||
		    cedar_get_int(&srv, &v, &e) < 0 || v != 0 || cedar_get_int(&srv, &v, &e) < 0 || v != 0)
			return 8;
		if (cedar_end_recv(&srv, &e) < 0)
			return 9;
	}
	/* next handshake: FS only */
	if (srv_int(&srv, &v, &e) < 0 || v != SEC_AUTH_FS)
		return 10;
	srv_put_int(&srv, SEC_AUTH_FS, &e);
	{
		char name[300], ext[128], full[512];
		struct port_stat st;
		int ok;
		snprintf(name, sizeof name, "%s/FS_127.0.0.1_%u_XXXabcdef_", tmpdir, 0u);
		/* the port the client sees is ours: the listen port */
		cedar_put_str(&srv, name, &e);
		cedar_end_send(&srv, &e);
		if (cedar_get_int(&srv, &v, &e) < 0 || v != 0 ||
		    cedar_get_str(&srv, ext, sizeof ext, "ext", &e) < 0 || cedar_end_recv(&srv, &e) < 0)
			return 11;
		snprintf(full, sizeof full, "%s%s", name, ext);
		ok = port_file_stat(full, &st) == 0 && st.is_dir && st.mode == 0700 &&
		     st.uid == port_euid() && strncmp(ext, "127.0.0.1:", 10) == 0;
		srv_put_int(&srv, ok ? 0 : -1, &e);
		if (!ok)
			return 12;
	}
	srv_put_int(&srv, 0, &e); /* hasKey */
	/* ECDH */
	{
		char pub[128];
		if (secad_get_str(&sad, SEC_ATTR_ECDH_PUBLIC_KEY, pub, sizeof pub) != 1 ||
		    sec_session_key_from_ecdh(priv, pub, key, &e) < 0 || cedar_crypto_on(&srv, key, &e) < 0)
			return 13;
	}
	secad_clear(&sreply);
	secad_set_str(&sreply, SEC_ATTR_SID, conn_no == 0 ? "sid-1" : "sid-2", &e);
	secad_set_str(&sreply, SEC_ATTR_USER, "me@pool.test", &e);
	secad_set_str(&sreply, SEC_ATTR_RETURN_CODE, "AUTHORIZED", &e);
	secad_set_str(&sreply, SEC_ATTR_VALID_COMMANDS, "60049,60050", &e);
	secad_set_bool(&sreply, SEC_ATTR_TRIED_AUTHENTICATION, 1, &e);
	if (secad_put(&srv, &sreply, &e) < 0 || cedar_end_send(&srv, &e) < 0)
		return 14;
	/* C1: a string; answer with its length, encrypted */
	if (cedar_get_str(&srv, s, sizeof s, "C1", &e) < 0 || cedar_end_recv(&srv, &e) < 0)
		return 15;
	srv_put_int(&srv, (int64_t)strlen(s), &e);
	cedar_close(&srv);
	/* second connection: resumption with the same key */
	h = port_tcp_accept(lh, port_clock_ms() + 10000, peer, sizeof peer, &pport);
	if (h < 0)
		return 16;
	cedar_init_handle(&srv, h);
	if (cedar_get_int(&srv, &v, &e) < 0 || secad_get(&srv, &sad, &e) < 0 || cedar_end_recv(&srv, &e) < 0)
		return 17;
	{
		char sid[64], use[8];
		int rr = 0;
		if (secad_get_str(&sad, SEC_ATTR_SID, sid, sizeof sid) != 1 || strcmp(sid, "sid-1") ||
		    secad_get_str(&sad, SEC_ATTR_USE_SESSION, use, sizeof use) != 1 ||
		    secad_get_bool(&sad, SEC_ATTR_RESUME_RESPONSE, &rr) != 1 || !rr || sad.n != 8)
			return 18;
	}
	secad_clear(&sreply);
	secad_set_str(&sreply, SEC_ATTR_NONCE, "bm9uY2U=", &e);
	secad_set_str(&sreply, SEC_ATTR_RETURN_CODE, "AUTHORIZED", &e);
	secad_put(&srv, &sreply, &e);
	cedar_end_send(&srv, &e);
	if (cedar_crypto_on(&srv, key, &e) < 0 || cedar_get_str(&srv, s, sizeof s, "C1", &e) < 0 ||
	    cedar_end_recv(&srv, &e) < 0)
		return 19;
	srv_put_int(&srv, (int64_t)strlen(s) * 2, &e);
	cedar_close(&srv);
	return err_empty(&e) ? 0 : 20;
}

static struct cedar cli;
static struct sec_client work;
static struct sec_session_cache cache;

/* Start a server child for one scenario; returns its pid, *port set. */
static pid_t start_server(enum scenario sc, unsigned *port)
{
	char why[128];
	int lh;
	pid_t pid;
	*port = 0;
	lh = port_tcp_listen("127.0.0.1", port, why, sizeof why);
	CHECK(lh >= 0);
	pid = fork();
	if (pid == 0) {
		int rc = srv_conn(lh, sc, 0);
		if (rc)
			fprintf(stderr, "scripted server: scenario %d failed at step %d\n", sc, rc);
		_exit(rc);
	}
	port_tcp_close(lh);
	return pid;
}

static int finish_server(pid_t pid)
{
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

static int client_start(unsigned port, const struct sec_policy *p, int cmd, struct sec_result *res,
                        struct err *e)
{
	char sinful[64];
	struct sec_target t;
	snprintf(sinful, sizeof sinful, "<127.0.0.1:%u>", port);
	t.sinful = sinful;
	t.sock_id = NULL;
	t.auth_command = 0;
	if (cedar_connect(&cli, "127.0.0.1", port, 0, e) < 0)
		return -1;
	cedar_set_timeout(&cli, 5000);
	return sec_start_command(&cli, p, &cache, &t, cmd, &work, res, e);
}

static void test_handshakes(void)
{
	struct sec_policy p;
	struct sec_result res;
	struct err e;
	char buf[1024], tok[1024], dir[300];
	unsigned port;
	pid_t pid;
	int64_t v;

	sec_cache_init(&cache);
	sec_policy_defaults(&p);
	p.have_condor_ids = 0;
	snprintf(dir, sizeof dir, "%s/tok2", tmpdir);
	port_mkdir(dir, 0700);
	make_token(tok, sizeof tok, "POOL", "pool.test", "me@pool.test");
	write_file(dir, "admin", tok, 0600);
	snprintf(p.token_dir, sizeof p.token_dir, "%s", dir);

	/* 1. hang-up after M1 */
	err_clear(&e);
	pid = start_server(SC_HANGUP, &port);
	CHECK_INT(client_start(port, &p, 60049, &res, &e), -1);
	CHECK_INT(err_code(&e), SEC_ERR_COMMAND_NOT_REGISTERED);
	CHECK(strstr(err_text(&e, buf, sizeof buf), "SECMAN:2011:Connection closed during command authorization") != NULL);
	cedar_close(&cli);
	CHECK_INT(finish_server(pid), 0);

	/* 2. a reply below our REQUIRED encryption is refused */
	err_clear(&e);
	p.encryption = SEC_REQ_REQUIRED;
	pid = start_server(SC_WEAK, &port);
	CHECK_INT(client_start(port, &p, 60049, &res, &e), -1);
	CHECK_INT(err_code(&e), SEC_ERR_INVALID_POLICY);
	CHECK(strstr(err_message(&e), "encryption") != NULL);
	cedar_close(&cli);
	CHECK_INT(finish_server(pid), 0);
	p.encryption = SEC_REQ_OPTIONAL;

	/* 3. no acceptable method */
	err_clear(&e);
	pid = start_server(SC_NOMETHOD, &port);
	CHECK_INT(client_start(port, &p, 60049, &res, &e), -1);
	CHECK(strstr(err_text(&e, buf, sizeof buf), "AUTHENTICATE:1003:Failed to authenticate with any method") != NULL);
	cedar_close(&cli);
	CHECK_INT(finish_server(pid), 0);

	/* 4. TOKEN fails (server error), FS succeeds; command; then resume */
	err_clear(&e);
	pid = start_server(SC_FALLBACK, &port);
	CHECK_INT(client_start(port, &p, 60049, &res, &e), 0);
	if (!err_empty(&e))
		fprintf(stderr, "  fallback: %s\n", err_text(&e, buf, sizeof buf));
	CHECK(res.authenticated && res.encrypted && !res.resumed);
	CHECK_STR(res.method, "FS");
	CHECK_STR(res.user, "me@pool.test");
	CHECK_STR(res.sid, "sid-1");
	CHECK(cedar_crypto_active(&cli));
	CHECK_INT(cedar_put_str(&cli, "hello server", &e), 0);
	CHECK_INT(cedar_end_send(&cli, &e), 0);
	CHECK_INT(cedar_get_int(&cli, &v, &e), 0);
	CHECK_INT(v, 12);
	CHECK_INT(cedar_end_recv(&cli, &e), 0);
	cedar_close(&cli);
	{
		char sinful[64];
		snprintf(sinful, sizeof sinful, "<127.0.0.1:%u>", port);
		CHECK(sec_cache_lookup(&cache, sinful, 60050, port_time_now()) != NULL);
		CHECK(sec_cache_lookup(&cache, sinful, 60051, port_time_now()) == NULL);
		CHECK(sec_cache_lookup(&cache, "<10.0.0.1:1>", 60050, port_time_now()) == NULL);
	}
	err_clear(&e);
	CHECK_INT(client_start(port, &p, 60050, &res, &e), 0);
	CHECK(res.resumed && res.encrypted);
	CHECK_STR(res.sid, "sid-1");
	CHECK_INT(cedar_put_str(&cli, "again", &e), 0);
	CHECK_INT(cedar_end_send(&cli, &e), 0);
	CHECK_INT(cedar_get_int(&cli, &v, &e), 0);
	CHECK_INT(v, 10);
	CHECK_INT(cedar_end_recv(&cli, &e), 0);
	cedar_close(&cli);
	CHECK_INT(finish_server(pid), 0);

	/* 5. the server forgot the session: SID_NOT_FOUND drops it */
	err_clear(&e);
	pid = start_server(SC_SID_UNKNOWN, &port);
	{
		/* move the cached session to this server's address */
		for (int i = 0; i < SEC_SESSION_MAX; i++)
			if (cache.s[i].used)
				snprintf(cache.s[i].sinful, sizeof cache.s[i].sinful, "<127.0.0.1:%u>", port);
	}
	CHECK_INT(client_start(port, &p, 60050, &res, &e), -1);
	CHECK_INT(err_code(&e), SEC_ERR_NO_SESSION);
	cedar_close(&cli);
	CHECK_INT(finish_server(pid), 0);
	{
		char sinful[64];
		snprintf(sinful, sizeof sinful, "<127.0.0.1:%u>", port);
		CHECK(sec_cache_lookup(&cache, sinful, 60050, port_time_now()) == NULL);
	}
	sec_cache_clear(&cache);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tb_secman_%ld", port_pid());
	CHECK_INT(port_mkdir(tmpdir, 0700), 0);
	test_names_and_policy();
	test_secad();
	test_jwt_bad();
	test_token_choice();
	test_handshakes();
	check_rmtree(tmpdir);
	return check_done("test_secman");
}
