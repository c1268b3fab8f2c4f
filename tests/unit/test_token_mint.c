/*
 * test_token_mint.c - self-minted tokens: key derivation and token text
 * against tokens a real 25.14 pool issued with its (published) POOL key,
 * the test daemon's verifier accepting what we mint, the key file checks,
 * and the fetchLogin conditions.
 * Built standalone: it includes the testd verifier it checks against.
 */
#include "tests/testd/jwt.c"

#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "sec_config.h"
#include "token_mint.h"
#include "tests/unit/check.h"

/* The reference pool's POOL key file and tokens it issued (vectors V7b,
 * V4; published on purpose, tests/vectors/real/README.md). */
static const char pool_file_hex[] =
	"e89f87daba9fdad8ed9fdf8dba9d8c8de6958789ec9b8ed6e8998f8abfcf8cdaed9d8edcec9a8a8be69589daed9cdad8ebc98cddbd9d8ad9bbcb86d7ba9e878d";
static const char v7b_token[] =
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.eyJleHAiOjE3OTYwMjk0MzMsImlhdCI6MTc5NjAyODgzMywiaXNzIjoicmVmcG9vbC5sb2NhbCIsImp0aSI6Ijg4OTIxNjE4NjBjMTU1OTQ2ODJhYjE4NTk1ZTlkOTVmIiwic3ViIjoiY29uZG9yQHJlZnBvb2wubG9jYWwifQ.z7FMPxvR1T_OY_ZeEs5sq90A8SI4vAkuRuyxtl8rjC8";
static const char v4_token[] =
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.eyJpYXQiOjE3OTYwMjg4MTYsImlzcyI6InJlZnBvb2wubG9jYWwiLCJqdGkiOiJhMDU2YWIyY2RkYzRkNWM2OTQ3MzUxZWM2MjUwZWRiOCIsInN1YiI6ImFsaWNlQHJlZnBvb2wubG9jYWwifQ.19VsEZ3Iqx2UjW6mVqvpSr9adu_9KWIjrRYOucm4cOM";

static uint8_t pool_file[64];
static char dir[256], pwdir[300], poolpath[300];

static void put(const char *path, const void *data, size_t n, unsigned mode)
{
	port_file_unlink(path);
	CHECK_INT(port_file_write_new(path, data, n, mode), 0);
}

static void test_matches_real_pool(void)
{
	struct token_mint_key k;
	struct token_mint_claims c;
	char out[JWT_MAX_LEN + 1], why[160];
	struct err e;

	err_clear(&e);
	CHECK_INT(check_unhex(pool_file_hex, pool_file, sizeof pool_file), 64);
	CHECK_INT(token_mint_key_derive(&k, "POOL", 1, 0, pool_file, 64, why, sizeof why), 0);
	CHECK_STR(k.name, "POOL");

	/* byte for byte what the real pool signed, exp included */
	memset(&c, 0, sizeof c);
	c.sub = "condor@refpool.local";
	c.iss = "refpool.local";
	c.iat = 1796028833;
	c.lifetime = 600;
	c.jti = "8892161860c15594682ab18595e9d95f";
	CHECK_INT(token_mint_sign(&k, &c, out, sizeof out, &e), 0);
	CHECK_STR(out, v7b_token);

	/* and without exp */
	c.sub = "alice@refpool.local";
	c.iat = 1796028816;
	c.lifetime = -1;
	c.jti = "a056ab2cddc4d5c6947351ec6250edb8";
	CHECK_INT(token_mint_sign(&k, &c, out, sizeof out, &e), 0);
	CHECK_STR(out, v4_token);

	/* not doubling (a key that is not POOL) gives another signature */
	CHECK_INT(token_mint_key_derive(&k, "POOL", 0, 0, pool_file, 64, why, sizeof why), 0);
	CHECK_INT(token_mint_sign(&k, &c, out, sizeof out, &e), 0);
	CHECK(strcmp(out, v4_token) != 0);
}

static void test_sign_errors(void)
{
	struct token_mint_key k;
	struct token_mint_claims c;
	char out[JWT_MAX_LEN + 1], why[160];
	static uint8_t big[TOKEN_MINT_KEY_FILE_MAX + 1];
	static char longsub[JWT_MAX_LEN];
	struct err e;
	const uint8_t nul3[3] = { 0, 0, 0 };

	CHECK_INT(token_mint_key_derive(&k, "POOL", 1, 0, pool_file, 64, why, sizeof why), 0);
	memset(&c, 0, sizeof c);
	c.sub = "condor@password";
	c.iat = 1000;
	c.lifetime = 60;

	err_clear(&e);
	c.iss = "has space";
	CHECK_INT(token_mint_sign(&k, &c, out, sizeof out, &e), -1);
	CHECK(strstr(err_message(&e), "may not contain spaces or commas") != NULL);
	err_clear(&e);
	c.iss = "a,b";
	CHECK_INT(token_mint_sign(&k, &c, out, sizeof out, &e), -1);
	err_clear(&e);
	c.iss = "";
	CHECK_INT(token_mint_sign(&k, &c, out, sizeof out, &e), -1);
	CHECK(strstr(err_message(&e), "TRUST_DOMAIN") != NULL);

	/* a subject that cannot fit is an error naming the bound, no overflow */
	err_clear(&e);
	c.iss = "x";
	memset(longsub, 'a', sizeof longsub - 1);
	c.sub = longsub;
	CHECK_INT(token_mint_sign(&k, &c, out, sizeof out, &e), -1);
	CHECK(strstr(err_message(&e), "JWT_MAX_LEN") != NULL);
	/* a small output buffer too */
	err_clear(&e);
	c.sub = "condor@password";
	CHECK_INT(token_mint_sign(&k, &c, out, 40, &e), -1);
	CHECK_INT(strlen(out), 0);

	/* derivation bounds */
	CHECK_INT(token_mint_key_derive(&k, "POOL", 1, 0, big, sizeof big, why, sizeof why), -1);
	CHECK(strstr(why, "TOKEN_MINT_KEY_FILE_MAX") != NULL);
	CHECK_INT(token_mint_key_derive(&k, "POOL", 1, 0, big, 0, why, sizeof why), -1);
	CHECK(strstr(why, "empty") != NULL);
	/* IS_PASSWORD: a file that is all NULs leaves nothing */
	CHECK_INT(token_mint_key_derive(&k, "POOL", 1, 1, nul3, 3, why, sizeof why), -1);
}

/* SEC_TOKEN_POOL_SIGNING_KEY_IS_PASSWORD cuts at the first NUL, before and
 * after descrambling: "abc" + NULs signs like "abc". */
static void test_is_password(void)
{
	const uint8_t padded[6] = { 'a', 'b', 'c', 0, 0, 0 };
	/* 0xde ^ 0xde = 0 after the XOR: cut there too */
	const uint8_t scrambled_nul[4] = { 'x', 'y', 0xbe, 'z' };
	struct token_mint_key k1, k2;
	struct testd_key t;
	char why[160];
	struct err e;

	err_clear(&e);
	CHECK_INT(token_mint_key_derive(&k1, "POOL", 1, 1, padded, 6, why, sizeof why), 0);
	CHECK_INT(testd_key_from_file_bytes(&t, "POOL", 1, padded, 3, &e), 0);
	CHECK_MEM(k1.jwt_key, t.jwt_key, 32);
	/* without the knob the NULs count */
	CHECK_INT(token_mint_key_derive(&k2, "POOL", 1, 0, padded, 6, why, sizeof why), 0);
	CHECK(memcmp(k1.jwt_key, k2.jwt_key, 32) != 0);
	CHECK_INT(token_mint_key_derive(&k1, "POOL", 1, 1, scrambled_nul, 4, why, sizeof why), 0);
	CHECK_INT(testd_key_from_file_bytes(&t, "POOL", 1, scrambled_nul, 2, &e), 0);
	CHECK_MEM(k1.jwt_key, t.jwt_key, 32);
}

static struct token_mint_keys keys(void)
{
	struct token_mint_keys kc;
	memset(&kc, 0, sizeof kc);
	kc.password_dir = pwdir;
	kc.pool_key_file = poolpath;
	kc.uid = port_uid();
	return kc;
}

static void test_key_files(void)
{
	struct token_mint_keys kc = keys();
	struct token_mint_key k;
	struct testd_key t;
	char why[TOKENS_PATH_MAX + 160], path[400];
	static char big[TOKEN_MINT_KEY_FILE_MAX + 1];
	struct err e;

	err_clear(&e);
	put(poolpath, pool_file, 64, 0600);
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 1);
	CHECK_INT(testd_key_load(&t, "POOL", poolpath, &e), 0);
	CHECK_MEM(k.jwt_key, t.jwt_key, 32);

	/* group/other bits */
	put(poolpath, pool_file, 64, 0640);
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 0);
	CHECK(strstr(why, "mode 0640") != NULL);
	put(poolpath, pool_file, 64, 0604);
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 0);
	put(poolpath, pool_file, 64, 0400);
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 1);

	/* owner must be the real uid */
	kc.uid = port_uid() + 1;
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 0);
	CHECK(strstr(why, "owned by uid") != NULL);
	kc.uid = port_uid();

	/* empty, too big, missing, a directory */
	put(poolpath, "", 0, 0600);
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 0);
	CHECK(strstr(why, "is empty") != NULL);
	memset(big, 'k', sizeof big);
	put(poolpath, big, sizeof big, 0600);
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 0);
	CHECK(strstr(why, "TOKEN_MINT_KEY_FILE_MAX") != NULL);
	put(poolpath, big, TOKEN_MINT_KEY_FILE_MAX, 0600); /* exactly the bound is fine */
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 1);
	port_file_unlink(poolpath);
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 0);
	CHECK(strstr(why, "does not exist") != NULL);
	snprintf(path, sizeof path, "%s/adir", pwdir);
	CHECK_INT(port_mkdir(path, 0700), 0);
	CHECK_INT(token_mint_key_load(&kc, "adir", &k, why, sizeof why), 0);
	CHECK(strstr(why, "cannot read") != NULL);

	/* ids from the server never leave the directory */
	CHECK_INT(token_mint_key_load(&kc, "../POOL", &k, why, sizeof why), 0);
	CHECK(strstr(why, "refusing key id") != NULL);
	CHECK_INT(token_mint_key_load(&kc, "a/b", &k, why, sizeof why), 0);
	CHECK_INT(token_mint_key_load(&kc, ".hidden", &k, why, sizeof why), 0);
	CHECK_INT(token_mint_key_load(&kc, "", &k, why, sizeof why), 0);
	CHECK_INT(token_mint_key_load(&kc, "x.sh", &k, why, sizeof why), 0);

	/* unset knobs */
	kc.pool_key_file = "";
	CHECK_INT(token_mint_key_load(&kc, "POOL", &k, why, sizeof why), 0);
	CHECK(strstr(why, "SEC_TOKEN_POOL_SIGNING_KEY_FILE") != NULL);
	kc.password_dir = NULL;
	CHECK_INT(token_mint_key_load(&kc, "k1", &k, why, sizeof why), 0);
	CHECK(strstr(why, "SEC_PASSWORD_DIRECTORY") != NULL);
}

static void test_key_names(void)
{
	struct token_mint_keys kc = keys();
	char out[256], p[400];

	put(poolpath, pool_file, 64, 0600);
	snprintf(p, sizeof p, "%s/A", pwdir);
	put(p, "akey", 4, 0600);
	snprintf(p, sizeof p, "%s/Z", pwdir);
	put(p, "zkey", 4, 0600);
	snprintf(p, sizeof p, "%s/lax", pwdir);
	put(p, "lkey", 4, 0644);
	snprintf(p, sizeof p, "%s/.dot", pwdir);
	put(p, "dkey", 4, 0600);
	snprintf(p, sizeof p, "%s/old~", pwdir);
	put(p, "okey", 4, 0600);
	/* the POOL file is outside the directory; a stale POOL inside is
	 * not a second key */
	snprintf(p, sizeof p, "%s/POOL", pwdir);
	put(p, "stale", 5, 0644);
	CHECK_INT(token_mint_key_names(&kc, out, sizeof out), 3);
	CHECK_STR(out, "A, POOL, Z");

	/* the list does not fit: an error and an empty list, not a cut */
	CHECK_INT(token_mint_key_names(&kc, out, 8), -1);
	CHECK_STR(out, "");

	/* without a readable pool key */
	kc.pool_key_file = "/nonexistent/POOL";
	CHECK_INT(token_mint_key_names(&kc, out, sizeof out), 2);
	CHECK_STR(out, "A, Z");
	/* nothing configured */
	kc.pool_key_file = NULL;
	kc.password_dir = NULL;
	CHECK_INT(token_mint_key_names(&kc, out, sizeof out), 0);
	CHECK_STR(out, "");
}

static int is_lower_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static struct token_choice tc;
static struct testd_jwt dec;

static void test_for_server(void)
{
	struct token_mint_keys kc = keys();
	struct testd_key t;
	char p[400];
	struct err e;
	int64_t before = port_time_now();

	err_clear(&e);
	put(poolpath, pool_file, 64, 0600);
	CHECK_INT(testd_key_from_file_bytes(&t, "POOL", 1, pool_file, 64, &e), 0);

	/* the conditions */
	CHECK_INT(token_mint_for_server(&kc, "td.local", "other.local", "POOL", 1, &tc, &e), 0);
	CHECK_INT(token_mint_for_server(&kc, "td.local", NULL, "POOL", 1, &tc, &e), 0);
	CHECK_INT(token_mint_for_server(&kc, "", "", "POOL", 1, &tc, &e), 0);
	CHECK_INT(token_mint_for_server(&kc, "td.local", "td.local", NULL, 1, &tc, &e), 0);
	CHECK_INT(token_mint_for_server(&kc, "td.local", "td.local", "", 1, &tc, &e), 0);
	CHECK_INT(token_mint_for_server(&kc, "td.local", "td.local", "NOPE, ../POOL", 1, &tc, &e), 0);
	CHECK(err_empty(&e));

	/* first usable key of the server's list; a missing one is skipped */
	CHECK_INT(token_mint_for_server(&kc, "td.local", "td.local", "MISSING, POOL", 1, &tc, &e), 1);
	CHECK(err_empty(&e));
	CHECK_STR(tc.name, TOKEN_MINT_SUB);
	CHECK_STR(tc.source, "(minted with key POOL)");
	CHECK_INT(tc.len, strlen(tc.text));
	CHECK_INT(testd_jwt_decode(tc.text, tc.len, &dec, &e), 0);
	CHECK(testd_jwt_verify(&t, &dec));
	CHECK_STR(dec.alg, "HS256");
	CHECK_STR(dec.kid, "POOL");
	CHECK_STR(dec.iss, "td.local");
	CHECK_STR(dec.sub, "condor@password");
	CHECK(dec.has_iat && dec.iat >= before && dec.iat <= port_time_now());
	CHECK(dec.has_exp);
	CHECK_INT(dec.exp - dec.iat, TOKEN_MINT_LIFETIME);
	CHECK(dec.has_jti && is_lower_hex(dec.jti, 32));
	CHECK(!dec.has_scope);
	/* the parsed view the TOKEN method uses */
	CHECK_INT(tc.jwt.sig_len, 32);
	CHECK_INT(tc.jwt.t_len, dec.hp_len);
	CHECK_MEM(tc.jwt.sig, dec.sig, 32);
	/* a tampered token no longer verifies (the check can fail) */
	{
		struct testd_jwt d2 = dec;
		d2.sig[0] ^= 1;
		CHECK(!testd_jwt_verify(&t, &d2));
	}

	/* pre-23.9 servers get the old name */
	CHECK_INT(token_mint_for_server(&kc, "td.local", "td.local", "POOL", 0, &tc, &e), 1);
	CHECK_STR(tc.name, "condor_pool@");
	/* two mints differ in jti */
	{
		char first[JWT_FIELD_MAX];
		snprintf(first, sizeof first, "%s", tc.jwt.jti);
		CHECK_INT(token_mint_for_server(&kc, "td.local", "td.local", "POOL", 0, &tc, &e), 1);
		CHECK(strcmp(first, tc.jwt.jti) != 0);
	}

	/* a lax POOL file is skipped and the next key used: not the doubled
	 * rule for a named key */
	put(poolpath, pool_file, 64, 0644);
	snprintf(p, sizeof p, "%s/k1", pwdir);
	put(p, pool_file, 64, 0600);
	CHECK_INT(token_mint_for_server(&kc, "td.local", "td.local", "POOL k1", 1, &tc, &e), 1);
	CHECK_STR(tc.jwt.kid, "k1");
	CHECK_INT(testd_jwt_decode(tc.text, tc.len, &dec, &e), 0);
	CHECK(!testd_jwt_verify(&t, &dec)); /* signed with k1, not the POOL rule */
	CHECK_INT(testd_key_from_file_bytes(&t, "k1", 0, pool_file, 64, &e), 0);
	CHECK(testd_jwt_verify(&t, &dec));
	/* only lax/missing keys: nothing */
	CHECK_INT(token_mint_for_server(&kc, "td.local", "td.local", "POOL", 1, &tc, &e), 0);
	CHECK(err_empty(&e));

	/* a trust domain that cannot be an issuer is an error, not a token */
	put(poolpath, pool_file, 64, 0600);
	CHECK_INT(token_mint_for_server(&kc, "a b", "a b", "POOL", 1, &tc, &e), -1);
	CHECK(!err_empty(&e));
}

/* The knobs reach the policy, and a tool holding a key names it in
 * IssuerKeys (only when TOKEN is among its methods), as stock tools do. */
static struct config cfg;
static struct sec_policy pol;

static void test_policy(void)
{
	char text[1200];
	struct err e;

	err_clear(&e);
	put(poolpath, pool_file, 64, 0600);
	snprintf(text, sizeof text,
	         "SEC_CLIENT_AUTHENTICATION_METHODS = IDTOKENS\n"
	         "SEC_PASSWORD_DIRECTORY = %s\n"
	         "SEC_TOKEN_POOL_SIGNING_KEY_FILE = %s\n"
	         "SEC_TOKEN_POOL_SIGNING_KEY_IS_PASSWORD = true\n",
	         pwdir, poolpath);
	config_init(&cfg);
	CHECK_INT(config_parse_text(&cfg, text, strlen(text), "test", &e), 0);
	CHECK_INT(sec_policy_from_config(&cfg, &pol, &e), 0);
	CHECK_STR(pol.password_dir, pwdir);
	CHECK_STR(pol.pool_key_file, poolpath);
	CHECK_INT(pol.pool_key_is_password, 1);
	CHECK_STR(pol.issuer_keys, "A, POOL, Z, k1");

	/* the default key file follows SEC_PASSWORD_DIRECTORY */
	snprintf(text, sizeof text,
	         "SEC_CLIENT_AUTHENTICATION_METHODS = FS\nSEC_PASSWORD_DIRECTORY = %s\n", pwdir);
	config_init(&cfg);
	CHECK_INT(config_parse_text(&cfg, text, strlen(text), "test", &e), 0);
	CHECK_INT(sec_policy_from_config(&cfg, &pol, &e), 0);
	{
		char want[400];
		snprintf(want, sizeof want, "%s/POOL", pwdir);
		CHECK_STR(pol.pool_key_file, want);
	}
	CHECK_INT(pol.pool_key_is_password, 0);
	CHECK_STR(pol.issuer_keys, ""); /* no TOKEN, no IssuerKeys */
}

int main(void)
{
	char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/test_token_mint.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(pwdir, sizeof pwdir, "%s/passwords.d", dir);
	snprintf(poolpath, sizeof poolpath, "%s/pool_key", dir);
	CHECK_INT(port_mkdir(pwdir, 0700), 0);

	test_matches_real_pool();
	test_sign_errors();
	test_is_password();
	test_key_files();
	test_key_names();
	test_for_server();
	test_policy();

	check_rmtree(dir);
	return check_done("token_mint");
}
