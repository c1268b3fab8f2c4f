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

#include "auth.h"
#include "port/crypto.h"
#include "port/port.h"

/* Nonce length (AUTH_PW_KEY_LEN). */
#define TOKEN_NONCE_LEN 256
/* Longest login accepted (AUTH_PW_MAX_NAME_LEN - 1). */
#define TOKEN_NAME_MAX 1023

/* The key derivations are the client's own (src/security/auth.h): the
 * recorded real exchanges (test_vectors, test_testd_auth) check them. */
int testd_token_ka(const uint8_t *sig, size_t siglen, const char *t, size_t tlen, uint8_t ka[32])
{
	if (tlen > TESTD_JWT_MAX)
		return -1;
	return auth_token_derive(sig, siglen, t, tlen, 0, ka);
}

int testd_token_hkt(const uint8_t ka[32], const char *a, const char *b, const uint8_t *ra,
                    const uint8_t *rb, uint8_t out[20])
{
	if (strlen(a) > TOKEN_NAME_MAX || strlen(b) > TOKEN_NAME_MAX)
		return -1;
	return auth_token_hkt(ka, a, b, ra, rb, out);
}

int testd_token_hk(const uint8_t ka[32], const char *a, const uint8_t *rb, uint8_t out[20])
{
	if (strlen(a) > TOKEN_NAME_MAX)
		return -1;
	return auth_token_hk(ka, a, rb, out);
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
	if (auth_token_session_w(rb, k->wrap_key) == 0)
		k->have_wrap_key = 1;
	k->authz[0] = '\0';
	k->bounded = 0;
	if (tok.has_scope && testd_scope_to_authz(tok.scope, k->authz, sizeof k->authz) == 0 &&
	    k->authz[0])
		k->bounded = 1;
	k->token_exp = tok.has_exp ? tok.exp : 0;
	return 0;
}
