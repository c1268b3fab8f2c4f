/*
 * test_testd_auth.c - the test daemon's TOKEN server derivations against
 * the real 25.14 exchange in vector V2: the seed, Ka from the recomputed
 * token signature, the server proof hkt it must send and the client proof
 * hk it must accept.  Built standalone: it includes the testd sources.
 */
#include "tests/testd/jwt.c"
#include "tests/testd/auth_token.c"

#include "tests/unit/check.h"

/* The daemon globals auth_token.c refers to. */
struct testd_cfg testd;
void testd_log(const char *fmt, ...)
{
	(void)fmt;
}
int testd_client_version_at_least(const struct testd_conn *k, int a, int b, int c)
{
	(void)k, (void)a, (void)b, (void)c;
	return 1;
}

static const char pool_file_hex[] =
	"e89f87daba9fdad8ed9fdf8dba9d8c8de6958789ec9b8ed6e8998f8abfcf8cdaed9d8edcec9a8a8be69589daed9cdad8ebc98cddbd9d8ad9bbcb86d7ba9e878d";
static const char v2_t[] =
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.eyJpYXQiOjE3OTYwMjcyMzEsImlzcyI6InJlZnBvb2wubG9jYWwiLCJqdGkiOiJjNjIxMTY2NTQ5NjEzNjU2MjY4MzQ0M2UxMmRmOWNlMSIsInN1YiI6ImNvbmRvckByZWZwb29sLmxvY2FsIn0";
static const char ra_hex[] =
	"a7b81bd157d28f830a2be23613b487d27b83f146d68c7ef02d2d7ae0b19d1f86"
	"93ca9fbc24f879d4e821158b905743bc4873d3c13e1ad0aa820ca676b0549765"
	"4a437e6b8d86583bcda6558bc9987d2bf57c2993553a1ed8bdf12328f06742e3"
	"e937ea48515aa7dc2f1eaa5475ee449fcfd6e85a4cbfe4604a7d26d15b66f9d2"
	"10c870f86463b48c23214357bd9710fa86b62fd59d06209e388e2b81d3211f1a"
	"6462f9a1656464a40caf9bda6522cb227d8e56cd0741576d36d5991c29b1c84a"
	"4e0413027516a21dc3c9f57535f2056beef04d6a1f6673d492504da3d97196f4"
	"2b7b6008500d5889fe7ee20213a0475d5f8a28deac4bf95fe7f8e6da778d64b3";
static const char rb_hex[] =
	"168ca6379917b4d353b06d25b37f0449e957ef79deaec5cc530a0e493c78f1a6"
	"8ee12c19671b71a2e4f19f85105e4bb7370235b3889a982c5081c0ca333d41d4"
	"0c866ae85873677564a86ddaeca715356a31c0475385e32483649c91fb3873a7"
	"dc46b7e2b30d574fd6fc245c6ae46a798a484b3be30d935d7caca77c492ac5e2"
	"e3cd24fe83f27203b8ae5401190a18ca35779f0879e7f2e12facfae4cd414142"
	"b500e556030c9e2ef656e6fa94a66991c09087cc370a3b05729bd06b80f020d8"
	"a325a8304a7c85bd8bcfe2dc7206bde8fb88866f702f488276e12341b1bb55b3"
	"34ae92f5011e1c0b0a769ab0ea0c20cc1d594b2a4a1d2dc58552af38267181ad";

int main(void)
{
	uint8_t file[64], sig[32], ka[32], want[32], ra[256], rb[256], mac[20], mac_want[20];
	uint8_t d[32];
	struct err e;

	err_clear(&e);
	crypto_sha256(auth_token_seed_ka, sizeof auth_token_seed_ka, d);
	check_unhex("54029671f8b74888ae45fa5f5aa73755986b977fd44645dfe54d8fb646f69633", want, 32);
	CHECK_MEM(d, want, 32);

	check_unhex(pool_file_hex, file, sizeof file);
	CHECK_INT(testd_key_from_file_bytes(&testd.key, "POOL", 1, file, 64, &e), 0);
	CHECK_INT(testd_jwt_sign(&testd.key, v2_t, strlen(v2_t), sig), 0);
	check_unhex("8fd807b7ede0947acf0e2d8f42849ecd825f3e239b89a141db0f92dfef73d3a1", want, 32);
	CHECK_MEM(sig, want, 32);

	CHECK_INT(testd_token_ka(sig, 32, v2_t, strlen(v2_t), ka), 0);
	check_unhex("e317af67dce5877314e59300aa97181c235a3751faef49c11edf1118eec24268", want, 32);
	CHECK_MEM(ka, want, 32);

	CHECK_INT(check_unhex(ra_hex, ra, sizeof ra), 256);
	CHECK_INT(check_unhex(rb_hex, rb, sizeof rb), 256);
	CHECK_INT(testd_token_hkt(ka, "condor@refpool.local", "condor@password", ra, rb, mac), 0);
	check_unhex("f6cee3b12d9ec88b9f50868b5045c69427955e8f", mac_want, 20);
	CHECK_MEM(mac, mac_want, 20);
	CHECK_INT(testd_token_hk(ka, "condor@refpool.local", rb, mac), 0);
	check_unhex("59c61ce95be32ece80dfc5593524de5f0ef3ca78", mac_want, 20);
	CHECK_MEM(mac, mac_want, 20);

	/* A different login gives a different proof (the server's check). */
	CHECK_INT(testd_token_hk(ka, "alice@refpool.local", rb, mac), 0);
	CHECK(memcmp(mac, mac_want, 20) != 0);
	/* Over-long logins are refused, not truncated. */
	{
		static char longname[TOKEN_NAME_MAX + 2];
		memset(longname, 'a', sizeof longname - 1);
		CHECK_INT(testd_token_hk(ka, longname, rb, mac), -1);
		CHECK_INT(testd_token_hkt(ka, longname, "b", ra, rb, mac), -1);
	}
	return check_done("test_testd_auth");
}
