/*
 * test_testd_jwt.c - the test daemon's signing key and JWTs against the
 * tokens a real 25.14 pool issued (vectors V2, V4, V7b).
 * Built standalone: it includes the testd source it tests.
 */
#include "tests/testd/jwt.c"

#include "tests/unit/check.h"

/* The reference pool's POOL key file (published on purpose, vectors README). */
static const char pool_file_hex[] =
	"e89f87daba9fdad8ed9fdf8dba9d8c8de6958789ec9b8ed6e8998f8abfcf8cdaed9d8edcec9a8a8be69589daed9cdad8ebc98cddbd9d8ad9bbcb86d7ba9e878d";

static const char v2_token[] =
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.eyJpYXQiOjE3OTYwMjcyMzEsImlzcyI6InJlZnBvb2wubG9jYWwiLCJqdGkiOiJjNjIxMTY2NTQ5NjEzNjU2MjY4MzQ0M2UxMmRmOWNlMSIsInN1YiI6ImNvbmRvckByZWZwb29sLmxvY2FsIn0.j9gHt-3glHrPDi2PQoSezYJfPiObiaFB2w-S3-9z06E";
static const char v4_token[] =
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.eyJpYXQiOjE3OTYwMjg4MTYsImlzcyI6InJlZnBvb2wubG9jYWwiLCJqdGkiOiJhMDU2YWIyY2RkYzRkNWM2OTQ3MzUxZWM2MjUwZWRiOCIsInN1YiI6ImFsaWNlQHJlZnBvb2wubG9jYWwifQ.19VsEZ3Iqx2UjW6mVqvpSr9adu_9KWIjrRYOucm4cOM";
static const char v7b_token[] =
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.eyJleHAiOjE3OTYwMjk0MzMsImlhdCI6MTc5NjAyODgzMywiaXNzIjoicmVmcG9vbC5sb2NhbCIsImp0aSI6Ijg4OTIxNjE4NjBjMTU1OTQ2ODJhYjE4NTk1ZTlkOTVmIiwic3ViIjoiY29uZG9yQHJlZnBvb2wubG9jYWwifQ.z7FMPxvR1T_OY_ZeEs5sq90A8SI4vAkuRuyxtl8rjC8";

static struct testd_key pool;

static void test_key(void)
{
	uint8_t file[64], want[32];
	struct err e;
	err_clear(&e);
	CHECK_INT(check_unhex(pool_file_hex, file, sizeof file), 64);
	CHECK_INT(testd_key_from_file_bytes(&pool, "POOL", 1, file, 64, &e), 0);
	check_unhex("a7c10b26a51622489d018f9b749c14129a1c99ccc80bfb4022ef7f35abaef4cf", want, 32);
	CHECK_MEM(pool.jwt_key, want, 32);
	CHECK_STR(pool.name, "POOL");
	/* Not doubling gives a different key: the doubling is what matches. */
	{
		struct testd_key single;
		CHECK_INT(testd_key_from_file_bytes(&single, "POOL", 0, file, 64, &e), 0);
		CHECK(memcmp(single.jwt_key, want, 32) != 0);
	}
	/* Bound on the key file is a clear error. */
	{
		static uint8_t big[TESTD_KEYFILE_MAX + 1];
		struct testd_key k;
		CHECK_INT(testd_key_from_file_bytes(&k, "POOL", 1, big, sizeof big, &e), -1);
		CHECK(strstr(err_message(&e), "TESTD_KEYFILE_MAX") != NULL);
		CHECK_INT(k.have, 0);
	}
}

static void test_mint_matches_real(void)
{
	char out[TESTD_JWT_MAX];
	struct err e;
	struct testd_mint m;

	err_clear(&e);
	/* V7b: DC_GET_SESSION_TOKEN, lifetime 600 */
	memset(&m, 0, sizeof m);
	m.sub = "condor@refpool.local";
	m.iss = "refpool.local";
	m.iat = 1796028833;
	m.lifetime = 600;
	m.jti = "8892161860c15594682ab18595e9d95f";
	CHECK_INT(testd_jwt_mint(&pool, &m, out, sizeof out, &e), 0);
	CHECK_STR(out, v7b_token);

	/* V4: approved request, no lifetime -> no exp */
	m.sub = "alice@refpool.local";
	m.iat = 1796028816;
	m.lifetime = -1;
	m.jti = "a056ab2cddc4d5c6947351ec6250edb8";
	CHECK_INT(testd_jwt_mint(&pool, &m, out, sizeof out, &e), 0);
	CHECK_STR(out, v4_token);

	/* Random jti: 32 lowercase hex, two mints differ. */
	{
		char out2[TESTD_JWT_MAX];
		struct testd_jwt j;
		m.jti = NULL;
		CHECK_INT(testd_jwt_mint(&pool, &m, out, sizeof out, &e), 0);
		CHECK_INT(testd_jwt_mint(&pool, &m, out2, sizeof out2, &e), 0);
		CHECK(strcmp(out, out2) != 0);
		CHECK_INT(testd_jwt_decode(out, strlen(out), &j, &e), 0);
		CHECK_INT(strlen(j.jti), 32);
		CHECK_INT(strspn(j.jti, "0123456789abcdef"), 32);
		CHECK(testd_jwt_verify(&pool, &j));
	}
}

static void test_decode_verify(void)
{
	struct testd_jwt j;
	struct err e;
	char bad[sizeof v2_token];

	err_clear(&e);
	CHECK_INT(testd_jwt_decode(v2_token, strlen(v2_token), &j, &e), 0);
	CHECK_STR(j.alg, "HS256");
	CHECK_STR(j.kid, "POOL");
	CHECK_STR(j.sub, "condor@refpool.local");
	CHECK_STR(j.iss, "refpool.local");
	CHECK_STR(j.jti, "c6211665496136562683443e12df9ce1");
	CHECK(j.has_iat && j.iat == 1796027231);
	CHECK(!j.has_exp && !j.has_scope);
	CHECK_INT(j.sig_len, 32);
	CHECK_INT(j.hp_len, strrchr(v2_token, '.') - v2_token);
	CHECK(testd_jwt_verify(&pool, &j));

	CHECK_INT(testd_jwt_decode(v7b_token, strlen(v7b_token), &j, &e), 0);
	CHECK(j.has_exp && j.exp == 1796029433);
	CHECK(testd_jwt_verify(&pool, &j));

	/* One flipped signature character fails verification. */
	memcpy(bad, v2_token, sizeof bad);
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
	CHECK_INT(testd_jwt_decode(bad, strlen(bad), &j, &e), 0);
	CHECK(!testd_jwt_verify(&pool, &j));
	/* A changed payload fails too. */
	memcpy(bad, v2_token, sizeof bad);
	bad[60] = bad[60] == 'A' ? 'B' : 'A';
	if (testd_jwt_decode(bad, strlen(bad), &j, &e) == 0)
		CHECK(!testd_jwt_verify(&pool, &j));
	/* header.payload alone decodes (what TOKEN auth sends) and has no sig. */
	CHECK_INT(testd_jwt_decode(v2_token, (size_t)(strrchr(v2_token, '.') - v2_token), &j, &e), 0);
	CHECK_INT(j.sig_len, 0);
	CHECK(!testd_jwt_verify(&pool, &j));
}

static void test_bad_input(void)
{
	static const char *bad[] = {
		"", "abc", "!!!.e30", "e30.!!!", "e30.e30.!!!", "e30.e30.AAAA.AAAA",
		"W10.e30",         /* header is [] */
		"e30.eyJpYXQiOiJ4In0", /* {"iat":"x"} */
		"e30.eyJzdWIiOjF9",    /* {"sub":1} */
		"e30.eyJzdWIiOiJhIn0x", /* trailing junk after the object, b64 garbage */
		"e30.eyJhIjpbW1tbW1tbW1tbW1tbW1tbW1tbW1tbXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV19", /* deep */
	};
	size_t i;
	struct testd_jwt j;
	struct err e;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		CHECK_INT(testd_jwt_decode(bad[i], strlen(bad[i]), &j, &e), -1);
		CHECK(!err_empty(&e));
	}
	/* Over-long token. */
	{
		static char big[TESTD_JWT_MAX + 10];
		memset(big, 'A', sizeof big - 1);
		big[5] = '.';
		err_clear(&e);
		CHECK_INT(testd_jwt_decode(big, strlen(big), &j, &e), -1);
		CHECK(strstr(err_message(&e), "TESTD_JWT_MAX") != NULL);
	}
	/* Issuer with a space is refused (it would break the scope syntax). */
	{
		struct testd_mint m = {"a@b", "bad domain", 1, -1, NULL, NULL};
		char out[TESTD_JWT_MAX];
		err_clear(&e);
		CHECK_INT(testd_jwt_mint(&pool, &m, out, sizeof out, &e), -1);
	}
	/* No key: the real server's text. */
	{
		struct testd_key none;
		struct testd_mint m = {"a@b", "dom", 1, -1, NULL, NULL};
		char out[TESTD_JWT_MAX];
		memset(&none, 0, sizeof none);
		err_clear(&e);
		CHECK_INT(testd_jwt_mint(&none, &m, out, sizeof out, &e), -1);
		CHECK_STR(err_message(&e), "Server does not have a signing key configured.");
	}
	/* Small output buffer. */
	{
		struct testd_mint m = {"a@b", "dom", 1, -1, NULL, NULL};
		char out[40];
		err_clear(&e);
		CHECK_INT(testd_jwt_mint(&pool, &m, out, sizeof out, &e), -1);
	}
}

static void test_hostile_roundtrip(void)
{
	/* ESC, newline, 0x01, quote, backslash, slash, DEL, UTF-8 */
	const char *sub = "q\"uo\\te/\x1b[31m\n\x01\x7f \xc3\xbc@refpool.local";
	struct testd_mint m = {sub, "refpool.local", 1000, 60, "READ,WRITE", "00"};
	char out[TESTD_JWT_MAX], json[1024];
	struct testd_jwt j;
	struct err e;
	size_t jl;
	const char *dot;

	err_clear(&e);
	CHECK_INT(testd_jwt_mint(&pool, &m, out, sizeof out, &e), 0);
	CHECK_INT(testd_jwt_decode(out, strlen(out), &j, &e), 0);
	CHECK_STR(j.sub, sub);
	CHECK_STR(j.scope, "condor:/READ condor:/WRITE");
	CHECK(j.has_exp && j.exp == 1060);
	CHECK(testd_jwt_verify(&pool, &j));
	/* The payload JSON escapes as the reference writer does (even "/"). */
	dot = strchr(out, '.');
	CHECK_INT(crypto_base64url_decode(dot + 1, (size_t)(strchr(dot + 1, '.') - dot - 1),
	                                  (uint8_t *)json, sizeof json - 1, &jl), 0);
	json[jl] = '\0';
	CHECK_STR(json, "{\"exp\":1060,\"iat\":1000,\"iss\":\"refpool.local\",\"jti\":\"00\","
	                "\"scope\":\"condor:\\/READ condor:\\/WRITE\","
	                "\"sub\":\"q\\\"uo\\\\te\\/\\u001b[31m\\n\\u0001\\u007f \xc3\xbc@refpool.local\"}");
	{
		char authz[64];
		CHECK_INT(testd_scope_to_authz(j.scope, authz, sizeof authz), 0);
		CHECK_STR(authz, "READ,WRITE");
		CHECK_INT(testd_scope_to_authz("openid condor:/ADMINISTRATOR x", authz, sizeof authz), 0);
		CHECK_STR(authz, "ADMINISTRATOR");
		CHECK_INT(testd_scope_to_authz("condor:/READ condor:/WRITE", authz, 6), -1);
	}
}

int main(void)
{
	test_key();
	test_mint_matches_real();
	test_decode_verify();
	test_bad_input();
	test_hostile_roundtrip();
	return check_done("test_testd_jwt");
}
