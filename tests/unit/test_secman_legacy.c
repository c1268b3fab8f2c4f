/* needs: LEGACY
 *
 * test_secman_legacy.c - the client against a scripted 9.0-9.8 server:
 * no ECDH, the session key in K1/K2 after FS, a 3DES-CFB + MD5 session,
 * and every way the key message or the crypto choice can be wrong.
 *
 * The server's side is written in advance with a second cedar stream into
 * a buffer (the client's replies are not needed to script it: FS only
 * needs the directory to be creatable), then fed to the client.
 */
#include <stdio.h>
#include <string.h>

#include "cedar.h"
#include "check.h"
#include "port/crypto.h"
#include "port/port.h"
#include "secad.h"
#include "secman.h"

static struct cedar cli, srv;
static struct cedar_mem mc, ms;
static uint8_t s2c[64 * 1024], c2s[64 * 1024];
static struct secad ad;
static struct sec_client w;
static struct sec_session_cache cache;
static char fs_path[128];
static int fs_counter;

static int has(const struct err *e, const char *needle)
{
	char buf[2048];
	const char *t = err_text(e, buf, sizeof buf);
	if (!strstr(t, needle)) {
		fprintf(stderr, "  error was: %s\n", t);
		return 0;
	}
	return 1;
}

struct script {
	const char *crypto;  /* M2 CryptoMethods */
	const char *enc, *integ;
	int64_t klen, proto, wlen;
	int p1_key_wrong;    /* server encrypts P1 under another key */
	int p1_enc, p1_md;   /* server's session modes */
};

/* Write the whole server side into s2c; returns its length. */
static size_t script_server(const struct script *sc)
{
	struct cedar_transport t;
	struct err e;
	uint8_t key[32], other[32];

	err_clear(&e);
	cedar_mem_init(&ms, NULL, 0, s2c, sizeof s2c);
	t = cedar_mem_transport(&ms);
	cedar_init(&srv, &t);
	for (int i = 0; i < 32; i++) {
		key[i] = (uint8_t)(0x30 + i);
		other[i] = (uint8_t)(0x90 + i);
	}
	/* M2, as 9.0 sends it: no ECDHPublicKey */
	secad_clear(&ad);
	secad_set_str(&ad, SEC_ATTR_AUTHENTICATION, "YES", &e);
	secad_set_str(&ad, SEC_ATTR_ENCRYPTION, sc->enc, &e);
	secad_set_str(&ad, SEC_ATTR_INTEGRITY, sc->integ, &e);
	secad_set_str(&ad, SEC_ATTR_AUTH_METHODS_LIST, "FS", &e);
	secad_set_str(&ad, SEC_ATTR_AUTH_METHODS, "FS", &e);
	secad_set_str(&ad, SEC_ATTR_CRYPTO_METHODS, sc->crypto, &e);
	secad_set_str(&ad, SEC_ATTR_SESSION_DURATION, "60", &e);
	secad_set_str(&ad, SEC_ATTR_ENACT, "YES", &e);
	secad_set_str(&ad, SEC_ATTR_REMOTE_VERSION, "$CondorVersion: 9.0.0 Apr 14 2021 BuildID: X $", &e);
	secad_put(&srv, &ad, &e);
	cedar_end_send(&srv, &e);
	/* A2: FS; the old-style name; result 0 */
	cedar_put_int(&srv, 4, &e);
	cedar_end_send(&srv, &e);
	snprintf(fs_path, sizeof fs_path, "/tmp/FS_XXXtbleg%ld_%d", (long)port_pid(), ++fs_counter);
	cedar_put_str(&srv, fs_path, &e);
	cedar_end_send(&srv, &e);
	cedar_put_int(&srv, 0, &e);
	cedar_end_send(&srv, &e);
	/* K1, K2 (FS wraps in clear) */
	cedar_put_int(&srv, 1, &e);
	cedar_end_send(&srv, &e);
	cedar_put_int(&srv, sc->klen, &e);
	cedar_put_int(&srv, sc->proto, &e);
	cedar_put_int(&srv, 0, &e);
	cedar_put_int(&srv, sc->wlen, &e);
	if (sc->wlen > 0 && sc->wlen <= 32)
		cedar_put_bytes(&srv, key, (size_t)sc->wlen, &e);
	cedar_end_send(&srv, &e);
	/* the session, then P1 */
	cedar_legacy_on(&srv, sc->p1_key_wrong ? other : key, 24, sc->p1_enc, sc->p1_md, &e);
	secad_clear(&ad);
	secad_set_str(&ad, SEC_ATTR_USER, "me@pool", &e);
	secad_set_str(&ad, SEC_ATTR_SID, "legacy-sid-1", &e);
	secad_set_str(&ad, SEC_ATTR_VALID_COMMANDS, "60049,60050", &e);
	secad_set_str(&ad, SEC_ATTR_RETURN_CODE, "AUTHORIZED", &e);
	secad_put(&srv, &ad, &e);
	cedar_end_send(&srv, &e);
	CHECK(err_empty(&e));
	return ms.out_len;
}

static int run_client(const struct script *sc, struct sec_result *res, struct err *e)
{
	struct sec_policy p;
	struct sec_target t = { "<127.0.0.1:9618>", NULL, 0 };
	struct cedar_transport tr;
	size_t n = script_server(sc);
	int rc;

	sec_policy_defaults(&p);
	p.methods[0] = SEC_AUTH_FS;
	p.nmethods = 1;
	p.fs_enforce_channel_binding = 0; /* 9.x names carry no address */
	p.have_condor_ids = 0;
	cedar_mem_init(&mc, s2c, n, c2s, sizeof c2s);
	tr = cedar_mem_transport(&mc);
	cedar_init(&cli, &tr);
	snprintf(cli.peer_ip, sizeof cli.peer_ip, "127.0.0.1");
	cli.peer_port = 9618;
	rc = sec_start_command(&cli, &p, &cache, &t, 60049, &w, res, e);
	port_rmdir(fs_path); /* in case the client failed before removing it */
	return rc;
}

static const struct script good = { "3DES", "YES", "YES", 24, 2, 24, 0, 1, 1 };

static void test_good(void)
{
	struct sec_result res;
	struct err e;
	struct sec_session *s;

	err_clear(&e);
	sec_cache_init(&cache);
	CHECK_INT(run_client(&good, &res, &e), 0);
	CHECK(err_empty(&e));
	CHECK_INT(res.authenticated, 1);
	CHECK_INT(res.encrypted, 1);
	CHECK_STR(res.sid, "legacy-sid-1");
	CHECK_STR(res.user, "me@pool");
	CHECK_INT(cedar_legacy_active(&cli), 1);
	CHECK_INT(cedar_crypto_active(&cli), 0);
	/* we offered AES first, then 3DES, and sent our ECDH key anyway */
	{
		struct cedar_transport tr;
		int64_t v;
		char str[64];
		cedar_mem_init(&ms, c2s, mc.out_len, NULL, 0);
		tr = cedar_mem_transport(&ms);
		cedar_init(&srv, &tr); /* the big static stream, now as a reader */
		CHECK_INT(cedar_get_int(&srv, &v, &e), 0);
		CHECK_INT(v, CEDAR_DC_AUTHENTICATE);
		CHECK_INT(secad_get(&srv, &ad, &e), 0);
		CHECK_INT(secad_get_str(&ad, SEC_ATTR_CRYPTO_METHODS, str, sizeof str), 1);
		CHECK_STR(str, "AES,3DES");
		CHECK(secad_expr(&ad, SEC_ATTR_ECDH_PUBLIC_KEY) != NULL);
	}
	/* the session is cached as a 3DES one and resumes as such */
	s = sec_cache_lookup(&cache, "<127.0.0.1:9618>", 60050, port_time_now());
	CHECK(s != NULL);
	if (s) {
		uint8_t want[24];
		for (int i = 0; i < 24; i++)
			want[i] = (uint8_t)(0x30 + i);
		CHECK_INT(s->crypto, SEC_CRYPTO_3DES);
		CHECK_INT(s->key_len, 24);
		CHECK_MEM(s->key, want, 24);
		CHECK_INT(s->encrypt, 1);
		CHECK_INT(s->integrity, 1);
	}
	/* resume: the short ad names 3DES, no resume reply is awaited (9.0),
	 * and the stream is 3DES + MD5 right after M1 */
	{
		struct sec_policy p;
		struct sec_target t = { "<127.0.0.1:9618>", NULL, 0 };
		struct cedar_transport tr;
		struct secad rad;
		char str[32];
		int64_t v;
		sec_policy_defaults(&p);
		err_clear(&e);
		cedar_mem_init(&mc, NULL, 0, c2s, sizeof c2s);
		tr = cedar_mem_transport(&mc);
		cedar_init(&cli, &tr);
		CHECK_INT(sec_start_command(&cli, &p, &cache, &t, 60050, &w, &res, &e), 0);
		CHECK_INT(res.resumed, 1);
		CHECK_INT(res.encrypted, 1);
		CHECK_INT(cedar_legacy_active(&cli), 1);
		cedar_mem_init(&ms, c2s, mc.out_len, NULL, 0);
		tr = cedar_mem_transport(&ms);
		cedar_init(&srv, &tr);
		CHECK_INT(cedar_get_int(&srv, &v, &e), 0);
		CHECK_INT(secad_get(&srv, &rad, &e), 0);
		CHECK_INT(secad_get_str(&rad, SEC_ATTR_CRYPTO_METHODS, str, sizeof str), 1);
		CHECK_STR(str, "3DES");
		CHECK(secad_expr(&rad, SEC_ATTR_RESUME_RESPONSE) == NULL);
	}
}

static void expect_fail(const struct script *sc, const char *needle, const char *label)
{
	struct sec_result res;
	struct err e;
	err_clear(&e);
	sec_cache_init(&cache);
	if (run_client(sc, &res, &e) != -1) {
		fprintf(stderr, "%s: unexpectedly succeeded\n", label);
		CHECK(0);
		return;
	}
	CHECK(has(&e, needle));
	/* nothing cached from a failed start */
	CHECK(sec_cache_lookup(&cache, "<127.0.0.1:9618>", 60050, port_time_now()) == NULL);
}

static void test_bad(void)
{
	struct script sc;

	sc = good;
	sc.wlen = 0;
	expect_fail(&sc, "SEC_K2_WRAPPED_MAX", "empty K2");
	sc = good;
	sc.wlen = 300;
	expect_fail(&sc, "SEC_K2_WRAPPED_MAX", "huge K2");
	sc = good;
	sc.klen = 25;
	expect_fail(&sc, "key length 25 of 24", "key longer than its blob");
	sc = good;
	sc.klen = 0;
	expect_fail(&sc, "key length 0", "zero key length");
	sc = good;
	sc.proto = SEC_CRYPTO_AES; /* AES needs 32 bytes */
	expect_fail(&sc, "AES session key of 24 bytes", "short AES key");
	sc = good;
	sc.proto = SEC_CRYPTO_BLOWFISH;
	expect_fail(&sc, "no Blowfish", "BLOWFISH key");
	sc = good;
	sc.crypto = "BLOWFISH";
	expect_fail(&sc, "(BLOWFISH) we don't support", "BLOWFISH chosen in M2");
	sc = good;
	sc.crypto = "RC4";
	expect_fail(&sc, "(RC4) we don't support", "unknown method in M2");
	/* a different key on the server side: the MAC of P1 fails */
	sc = good;
	sc.p1_key_wrong = 1;
	/* the MAC failure is in the trace; the stack ends as the stock one */
	expect_fail(&sc, "Failed to received post-auth ClassAd", "wrong key");
	/* the server MACs but we were told Integrity NO: the 21-byte header
	 * is read as 5 + payload, a clean failure */
	sc = good;
	sc.integ = "NO";
	expect_fail(&sc, "post-auth", "MAC header not negotiated");
}

/* Encryption NO, Integrity YES: plaintext strings under the MAC. */
static void test_integrity_only(void)
{
	struct script sc = good;
	struct sec_result res;
	struct err e;
	sc.enc = "NO";
	sc.p1_enc = 0;
	err_clear(&e);
	sec_cache_init(&cache);
	CHECK_INT(run_client(&sc, &res, &e), 0);
	CHECK_INT(res.encrypted, 0);
	CHECK_INT(cedar_legacy_active(&cli), 1);
	CHECK_INT(cedar_encrypting(&cli), 0);
	/* the token client forces encryption on afterwards */
	CHECK_INT(cedar_legacy_set_encrypt(&cli, 1), 0);
	CHECK_INT(cedar_encrypting(&cli), 1);
}

int main(void)
{
	test_good();
	test_bad();
	test_integrity_only();
	return check_done("secman_legacy");
}
