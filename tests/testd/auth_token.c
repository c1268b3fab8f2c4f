/*
 * auth_token.c - TOKEN (IDTOKENS) authentication, server side
 * (auth-methods.md §3.4-§3.7): the client sends its login A, the token's
 * "header.payload" T and a 256-byte nonce ra; we recompute the token
 * signature with our signing key, derive Ka = HKDF-SHA256(sig,
 * SEED_KA || T, "master ka"), answer with our login B, ra, our nonce rb and
 * hkt = HMAC-SHA1(Ka, A ' ' B '\0' ra rb); the client proves itself with
 * hk = HMAC-SHA1(Ka, A '\0' rb).  There is no fourth message: when we reject
 * the proof or the claims the client does not learn it and we simply wait
 * for the next method handshake, as a real daemon does.
 */
#include "testd.h"

#include <stdio.h>
#include <string.h>

#include "port/crypto.h"
#include "port/port.h"

/* Nonce length (AUTH_PW_KEY_LEN). */
#define TOKEN_NONCE_LEN 256
/* Longest login accepted (AUTH_PW_MAX_NAME_LEN - 1). */
#define TOKEN_NAME_MAX 1023

/* The fixed 256-byte seed for Ka of the reference implementation
 * (SHA-256 checked in tests/unit/test_testd_auth.c); its sibling for Kb is
 * not used by protocol version 2. */
static const uint8_t seed_ka[256] = {
	0x3e, 0x4a, 0x50, 0x20, 0x47, 0xd5, 0xf4, 0xe5, 0xdc, 0x7c, 0x69, 0xbb,
	0x52, 0x10, 0xcb, 0xb6, 0x16, 0x7a, 0xdd, 0x80, 0x84, 0xf7, 0xdd, 0x9e,
	0xf3, 0xad, 0x2c, 0xca, 0x71, 0xd2, 0x83, 0xdd, 0x11, 0x4a, 0x4f, 0xbb,
	0x7b, 0x1e, 0xe9, 0x0a, 0xdf, 0xa8, 0x62, 0xc4, 0x43, 0x04, 0xde, 0x54,
	0x73, 0xa3, 0x17, 0x2f, 0x73, 0x5c, 0x2c, 0xbb, 0x6e, 0x77, 0x5b, 0x5d,
	0x40, 0xd3, 0x9f, 0xac, 0xe8, 0x73, 0x18, 0x25, 0x23, 0xf9, 0x25, 0x2b,
	0x62, 0x3b, 0xe0, 0xd4, 0xb1, 0x67, 0xa3, 0xa8, 0x04, 0x0c, 0xac, 0xfe,
	0xe9, 0xee, 0x3d, 0xa0, 0x2c, 0x0a, 0xbb, 0xf4, 0xd9, 0xd8, 0xb1, 0x1f,
	0x89, 0x00, 0x4c, 0x94, 0x39, 0x23, 0xce, 0x5d, 0x95, 0x08, 0xbb, 0x3f,
	0x04, 0xbc, 0x66, 0xa3, 0xfa, 0x20, 0xa1, 0x3a, 0x41, 0x6c, 0x5e, 0x6f,
	0x4e, 0x0d, 0x31, 0x87, 0xd4, 0x5f, 0xc7, 0x83, 0x35, 0xc5, 0xe4, 0x85,
	0xdb, 0x2c, 0x5a, 0x37, 0x17, 0x97, 0x0c, 0xc2, 0x6e, 0x7b, 0x6b, 0x9d,
	0x19, 0x65, 0xb4, 0x7a, 0x67, 0xdf, 0x77, 0xa3, 0x1f, 0x22, 0xf0, 0x8a,
	0x6c, 0x0b, 0xa5, 0x70, 0x97, 0xa2, 0x1a, 0x9c, 0xa7, 0xc6, 0x04, 0x24,
	0xf7, 0x27, 0x39, 0xab, 0x5c, 0xb9, 0x15, 0xa4, 0x18, 0x5b, 0xd1, 0x09,
	0x82, 0x8e, 0x35, 0xe4, 0x21, 0x08, 0xab, 0x85, 0x1c, 0x08, 0xa3, 0xdf,
	0xfd, 0xe0, 0xe3, 0xb0, 0x6f, 0x3d, 0x39, 0x38, 0xcd, 0xad, 0x6d, 0xf6,
	0xef, 0x9a, 0x6f, 0x6d, 0xc2, 0xcb, 0x74, 0xf0, 0x22, 0x85, 0x12, 0xeb,
	0x7a, 0x3d, 0x68, 0x23, 0x01, 0x06, 0x84, 0xb0, 0x15, 0xc1, 0x2a, 0xc3,
	0x01, 0x4c, 0x4f, 0x9f, 0x93, 0x8e, 0x38, 0x4d, 0xad, 0x1e, 0x3b, 0xd7,
	0x45, 0xff, 0x8c, 0x14, 0x1f, 0xd7, 0x0b, 0x46, 0x5b, 0xa8, 0xaf, 0x5d,
	0x1b, 0x98, 0xb4, 0xb1,
};

static void hkt_input(const char *a, const char *b, const uint8_t *ra, const uint8_t *rb,
                      uint8_t *buf, size_t *n)
{
	size_t la = strlen(a), lb = strlen(b);
	memcpy(buf, a, la);
	buf[la] = ' ';
	memcpy(buf + la + 1, b, lb);
	buf[la + 1 + lb] = '\0';
	memcpy(buf + la + lb + 2, ra, TOKEN_NONCE_LEN);
	memcpy(buf + la + lb + 2 + TOKEN_NONCE_LEN, rb, TOKEN_NONCE_LEN);
	*n = la + lb + 2 + 2 * TOKEN_NONCE_LEN;
}

/* Ka from the token signature and T (exported for the unit test). */
int testd_token_ka(const uint8_t *sig, size_t siglen, const char *t, size_t tlen, uint8_t ka[32])
{
	static uint8_t salt[256 + TESTD_JWT_MAX];
	if (tlen > TESTD_JWT_MAX)
		return -1;
	memcpy(salt, seed_ka, 256);
	memcpy(salt + 256, t, tlen);
	return crypto_hkdf_sha256(salt, 256 + tlen, sig, siglen, "master ka", 9, ka, 32);
}

int testd_token_hkt(const uint8_t ka[32], const char *a, const char *b, const uint8_t *ra,
                    const uint8_t *rb, uint8_t out[20])
{
	static uint8_t buf[2 * TOKEN_NAME_MAX + 4 + 2 * TOKEN_NONCE_LEN];
	size_t n;
	if (strlen(a) > TOKEN_NAME_MAX || strlen(b) > TOKEN_NAME_MAX)
		return -1;
	hkt_input(a, b, ra, rb, buf, &n);
	return crypto_hmac_sha1(ka, 32, buf, n, out);
}

int testd_token_hk(const uint8_t ka[32], const char *a, const uint8_t *rb, uint8_t out[20])
{
	static uint8_t buf[TOKEN_NAME_MAX + 1 + TOKEN_NONCE_LEN];
	size_t la = strlen(a);
	if (la > TOKEN_NAME_MAX)
		return -1;
	memcpy(buf, a, la);
	buf[la] = '\0';
	memcpy(buf + la + 1, rb, TOKEN_NONCE_LEN);
	return crypto_hmac_sha1(ka, 32, buf, la + 1 + TOKEN_NONCE_LEN, out);
}

static int send_fail(struct testd_conn *k, struct err *e)
{
	if (cedar_put_int(k->c, -1, e) || cedar_put_int(k->c, 0, e) || cedar_put_str(k->c, "", e) ||
	    cedar_put_int(k->c, 0, e) || cedar_put_str(k->c, "", e) || cedar_put_int(k->c, 0, e) ||
	    cedar_put_int(k->c, 0, e) || cedar_put_int(k->c, 0, e) || cedar_end_send(k->c, e))
		return -2;
	return -1;
}

static struct testd_jwt tok;

int testd_auth_token(struct testd_conn *k, struct err *e)
{
	int64_t status, alen, ralen, rblen, hklen;
	char a[TOKEN_NAME_MAX + 1], a2[TOKEN_NAME_MAX + 1], b[300];
	static char t[TESTD_JWT_MAX];
	uint8_t ra[TOKEN_NONCE_LEN], rb[TOKEN_NONCE_LEN], rb2[TOKEN_NONCE_LEN];
	uint8_t sig[32], ka[32], hkt[20], hk[20], hk_want[20];
	const char *why = NULL;
	unsigned diff = 0;
	size_t i;
	int64_t now = port_time_now();

	/* TA */
	if (cedar_get_int(k->c, &status, e) || cedar_get_int(k->c, &alen, e) ||
	    cedar_get_str(k->c, a, sizeof a, "TOKEN login (TOKEN_NAME_MAX)", e) ||
	    cedar_get_str(k->c, t, sizeof t, "TOKEN header.payload (TESTD_JWT_MAX)", e) ||
	    cedar_get_int(k->c, &ralen, e))
		return -2;
	if (ralen == TOKEN_NONCE_LEN) {
		if (cedar_get_bytes(k->c, ra, sizeof ra, e))
			return -2;
	} else if (ralen != 0) {
		err_push(e, "TOKEN", 1, "client nonce of %lld bytes", (long long)ralen);
		return -2;
	}
	if (cedar_end_recv(k->c, e))
		return -2;

	if (status != 0 || ralen != TOKEN_NONCE_LEN)
		why = "client reported an error";
	else if (alen != (int64_t)strlen(a) || !a[0])
		why = "bad login length";
	else if (testd_jwt_decode(t, strlen(t), &tok, e) != 0)
		why = "token does not decode";
	else if (!testd.key.have || !tok.has_kid || strcmp(tok.kid, testd.key.name) != 0)
		why = "token names a signing key we do not have";
	else if (strcmp(tok.alg, "HS256") != 0)
		why = "token algorithm is not HS256";
	if (why) {
		testd_log("TOKEN: %s", why);
		return send_fail(k, e);
	}
	testd_jwt_sign(&testd.key, t, strlen(t), sig);
	testd_token_ka(sig, sizeof sig, t, strlen(t), ka);
	crypto_wipe(sig, sizeof sig);
	/* 9.x servers predate the condor@password name */
	if (testd_client_version_at_least(k, 23, 9, 0) && !testd.legacy)
		snprintf(b, sizeof b, "condor@password");
	else
		snprintf(b, sizeof b, "condor_pool@%s", testd.uid_domain);
	if (port_random(rb, sizeof rb) != 0 || testd_token_hkt(ka, a, b, ra, rb, hkt) != 0)
		return send_fail(k, e);

	/* TB */
	if (cedar_put_int(k->c, 0, e) || cedar_put_int(k->c, (int64_t)strlen(a), e) ||
	    cedar_put_str(k->c, a, e) || cedar_put_int(k->c, (int64_t)strlen(b), e) ||
	    cedar_put_str(k->c, b, e) || cedar_put_int(k->c, TOKEN_NONCE_LEN, e) ||
	    cedar_put_bytes(k->c, ra, sizeof ra, e) || cedar_put_int(k->c, TOKEN_NONCE_LEN, e) ||
	    cedar_put_bytes(k->c, rb, sizeof rb, e) || cedar_put_int(k->c, 20, e) ||
	    cedar_put_bytes(k->c, hkt, sizeof hkt, e) || cedar_end_send(k->c, e))
		return -2;

	/* TC */
	if (cedar_get_int(k->c, &status, e) || cedar_get_int(k->c, &alen, e) ||
	    cedar_get_str(k->c, a2, sizeof a2, "TOKEN login (TOKEN_NAME_MAX)", e) ||
	    cedar_get_int(k->c, &rblen, e))
		return -2;
	if (rblen == TOKEN_NONCE_LEN) {
		if (cedar_get_bytes(k->c, rb2, sizeof rb2, e))
			return -2;
	} else if (rblen != 0) {
		err_push(e, "TOKEN", 1, "echoed nonce of %lld bytes", (long long)rblen);
		return -2;
	}
	if (cedar_get_int(k->c, &hklen, e))
		return -2;
	if (hklen == 20) {
		if (cedar_get_bytes(k->c, hk, sizeof hk, e))
			return -2;
	} else if (hklen != 0) {
		err_push(e, "TOKEN", 1, "client MAC of %lld bytes", (long long)hklen);
		return -2;
	}
	if (cedar_end_recv(k->c, e))
		return -2;

	if (status != 0 || rblen != TOKEN_NONCE_LEN || hklen != 20 || strcmp(a, a2) != 0 ||
	    memcmp(rb, rb2, sizeof rb) != 0) {
		testd_log("TOKEN: client's second message is an error or does not echo us");
		return -1;
	}
	testd_token_hk(ka, a, rb, hk_want);
	crypto_wipe(ka, sizeof ka);
	for (i = 0; i < 20; i++)
		diff |= (unsigned)(hk[i] ^ hk_want[i]);
	if (diff) {
		testd_log("TOKEN: client MAC does not verify");
		return -1;
	}
	/* analyze_token / doServerRec2 */
	if (tok.has_exp && tok.exp < now)
		why = "token expired";
	else if (!tok.has_iss || !tok.iss[0])
		why = "token has no issuer";
	else if (!tok.has_jti || !tok.jti[0])
		why = "token has no jti";
	else if (tok.has_sub ? strcmp(tok.sub, a) != 0 : strcmp(tok.jti, a) != 0)
		why = "login does not match the token subject";
	if (why) {
		testd_log("TOKEN: %s", why);
		return -1;
	}
	{
		int w = strchr(a, '@') ? snprintf(k->fqu, sizeof k->fqu, "%s", a)
		                       : snprintf(k->fqu, sizeof k->fqu, "%s@%s", a, testd.uid_domain);
		if (w < 0 || (size_t)w >= sizeof k->fqu) {
			testd_log("TOKEN: identity over TESTD_STR_MAX (%d)", TESTD_STR_MAX);
			return -1;
		}
	}
	k->mapped = 1;
	snprintf(k->method, sizeof k->method, "IDTOKENS");
	/* W, the key that wraps a 9.x server's session key (legacy.c) */
	if (crypto_hkdf_sha256("session key", 11, rb, sizeof rb, "htcondor", 8, k->wrap_key,
	                       sizeof k->wrap_key) == 0)
		k->have_wrap_key = 1;
	k->authz[0] = '\0';
	k->bounded = 0;
	if (tok.has_scope && testd_scope_to_authz(tok.scope, k->authz, sizeof k->authz) == 0 &&
	    k->authz[0])
		k->bounded = 1;
	k->token_exp = tok.has_exp ? tok.exp : 0;
	return 0;
}
