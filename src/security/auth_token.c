/*
 * auth_token.c - TOKEN (IDTOKENS) authentication, client side.
 *
 * AKEP2 where the shared secret is the token's signature: the client sends
 * its name A (the token's sub) and the unsigned "header.payload" text T
 * plus a nonce ra; the server, which recomputes the signature from its
 * signing key, answers with its name B, ra, its nonce rb and
 * hkt = HMAC-SHA1(Ka, A ' ' B 0 ra rb); the client checks it and proves
 * itself with hk = HMAC-SHA1(Ka, A 0 rb).  Ka = HKDF-SHA256 over the
 * signature with a fixed 256-byte seed and T as salt.  The server sends no
 * verdict: a rejection shows up later as a closed connection.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "debug.h"
#include "port/crypto.h"
#include "port/port.h"
#include "sec_config.h"
#include "token_mint.h"

/* The two fixed seeds (Condor_Auth_Passwd::setup_seed), transcribed from
 * the protocol notes and checked there by their SHA-256. */
const uint8_t auth_token_seed_ka[256] = {
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

const uint8_t auth_token_seed_kb[256] = {
	0x01, 0x00, 0x26, 0xad, 0x75, 0xdf, 0xc6, 0xc1, 0x90, 0xa5, 0xa2, 0x66,
	0xb0, 0xd1, 0xb5, 0xd8, 0x60, 0xf7, 0xcf, 0xa3, 0x84, 0x67, 0x20, 0x55,
	0x01, 0xcd, 0x46, 0x0d, 0x4a, 0x88, 0xd4, 0x73, 0xfa, 0x52, 0xe0, 0xb3,
	0xe9, 0x14, 0x1e, 0x33, 0xc9, 0x7d, 0x85, 0x1e, 0xee, 0x2d, 0xd3, 0x36,
	0x32, 0xf3, 0x88, 0x67, 0x68, 0xef, 0x01, 0x0e, 0xc8, 0xdf, 0xdd, 0x66,
	0x8a, 0xde, 0x92, 0xd5, 0xc3, 0x43, 0x08, 0xbb, 0x24, 0x38, 0x95, 0xd8,
	0x4e, 0xd7, 0x85, 0xe2, 0x72, 0x68, 0xcc, 0x5e, 0xe7, 0x56, 0x0d, 0xe4,
	0x98, 0x28, 0xfa, 0xb7, 0x66, 0xc2, 0xad, 0x8c, 0x0b, 0x2c, 0x0a, 0xfb,
	0x43, 0x5c, 0x38, 0x2d, 0xb5, 0xd2, 0xff, 0x36, 0xa8, 0xae, 0xad, 0x58,
	0x20, 0x47, 0x0a, 0x9a, 0xd4, 0x5d, 0x79, 0x85, 0x6f, 0x5e, 0x2e, 0xce,
	0x89, 0x4b, 0xd2, 0x50, 0x79, 0x29, 0xdc, 0xf2, 0x6f, 0x7d, 0x09, 0xf0,
	0x02, 0x8f, 0x1a, 0xc4, 0xd9, 0x71, 0xf4, 0x82, 0x0c, 0x5f, 0x54, 0x71,
	0x7e, 0x9d, 0xcd, 0xab, 0xeb, 0x21, 0x5f, 0x61, 0x65, 0x5d, 0xea, 0xd4,
	0xb7, 0x2c, 0x3d, 0x3b, 0x5f, 0x66, 0xfa, 0x4b, 0x30, 0xb8, 0x58, 0x88,
	0xd6, 0x2f, 0xac, 0xd4, 0x12, 0x9c, 0x13, 0x04, 0x91, 0x9f, 0x69, 0xad,
	0x6d, 0x8c, 0x2c, 0x43, 0xd9, 0xce, 0x5c, 0xdb, 0x31, 0xd4, 0x58, 0x03,
	0x52, 0xc7, 0x36, 0x2b, 0x8d, 0x80, 0xb7, 0xef, 0x1b, 0xba, 0x5d, 0x67,
	0x66, 0x60, 0xa9, 0x44, 0x76, 0x45, 0x02, 0xf9, 0x1d, 0x1d, 0x3c, 0x54,
	0x91, 0x0c, 0x08, 0x8b, 0xcc, 0xb7, 0x2b, 0x11, 0x94, 0x8a, 0x5e, 0x1a,
	0x1d, 0xcd, 0x04, 0x36, 0x9c, 0x17, 0xd2, 0x98, 0x80, 0x4c, 0x21, 0x6e,
	0x7a, 0x26, 0x90, 0xb8, 0xc0, 0xe9, 0x70, 0x36, 0x33, 0x00, 0xd0, 0x92,
	0xdf, 0x24, 0xfb, 0x8c,
};

int auth_token_derive(const uint8_t *sig, size_t siglen, const char *t, size_t tlen, int kb,
                      uint8_t out[32])
{
	uint8_t salt[256 + JWT_MAX_LEN];
	int rc;
	if (tlen > JWT_MAX_LEN)
		return -1;
	memcpy(salt, kb ? auth_token_seed_kb : auth_token_seed_ka, 256);
	memcpy(salt + 256, t, tlen);
	rc = crypto_hkdf_sha256(salt, 256 + tlen, sig, siglen, kb ? "master kb" : "master ka", 9,
	                        out, 32);
	return rc < 0 ? -1 : 0;
}

int auth_token_hkt(const uint8_t ka[32], const char *a, const char *b,
                   const uint8_t ra[AUTH_TOKEN_NONCE_LEN], const uint8_t rb[AUTH_TOKEN_NONCE_LEN],
                   uint8_t out[20])
{
	uint8_t buf[2 * AUTH_TOKEN_NAME_MAX + 2 + 2 * AUTH_TOKEN_NONCE_LEN];
	size_t la = strlen(a), lb = strlen(b), n = 0;
	if (la >= AUTH_TOKEN_NAME_MAX || lb >= AUTH_TOKEN_NAME_MAX)
		return -1;
	memcpy(buf, a, la);
	n = la;
	buf[n++] = ' ';
	memcpy(buf + n, b, lb);
	n += lb;
	buf[n++] = 0;
	memcpy(buf + n, ra, AUTH_TOKEN_NONCE_LEN);
	n += AUTH_TOKEN_NONCE_LEN;
	memcpy(buf + n, rb, AUTH_TOKEN_NONCE_LEN);
	n += AUTH_TOKEN_NONCE_LEN;
	return crypto_hmac_sha1(ka, 32, buf, n, out) < 0 ? -1 : 0;
}

int auth_token_hk(const uint8_t ka[32], const char *a, const uint8_t rb[AUTH_TOKEN_NONCE_LEN],
                  uint8_t out[20])
{
	uint8_t buf[AUTH_TOKEN_NAME_MAX + 1 + AUTH_TOKEN_NONCE_LEN];
	size_t la = strlen(a);
	if (la >= AUTH_TOKEN_NAME_MAX)
		return -1;
	memcpy(buf, a, la);
	buf[la] = 0;
	memcpy(buf + la + 1, rb, AUTH_TOKEN_NONCE_LEN);
	return crypto_hmac_sha1(ka, 32, buf, la + 1 + AUTH_TOKEN_NONCE_LEN, out) < 0 ? -1 : 0;
}

int auth_token_session_w(const uint8_t rb[AUTH_TOKEN_NONCE_LEN], uint8_t w[32])
{
	return crypto_hkdf_sha256("session key", 11, rb, AUTH_TOKEN_NONCE_LEN, "htcondor", 8, w,
	                          32) < 0 ? -1 : 0;
}

/* Pick the token for this server (its TrustDomain and IssuerKeys). */
static int choose(struct auth_ctx *a, int use_server_filter, struct err *e)
{
	struct tokens_query q;
	char dir[TOKENS_PATH_MAX];
	char td[SEC_STR_MAX], keys[SEC_STR_MAX];

	if (sec_policy_token_dir(a->pol, dir, sizeof dir) < 0) {
		err_push(e, "TOKEN", 1, "Token directory path longer than TOKENS_PATH_MAX (%d)",
		         TOKENS_PATH_MAX);
		return -1;
	}
	memset(&q, 0, sizeof q);
	q.dir = dir;
	q.explicit_token = a->pol->explicit_token;
	q.subsys = a->pol->subsystem;
	q.uid = port_uid();
	if (use_server_filter && a->reply) {
		if (secad_get_str(a->reply, SEC_ATTR_TRUST_DOMAIN, td, sizeof td) == 1)
			q.trust_domain = td;
		if (secad_get_str(a->reply, SEC_ATTR_ISSUER_KEYS, keys, sizeof keys) == 1)
			q.issuer_keys = keys;
	}
	return tokens_find(&q, a->token, e);
}

/* No token for this server: sign one ourselves if we hold one of its
 * signing keys (fetchLogin), as root on a central manager can. */
static int mint(struct auth_ctx *a, struct err *e)
{
	struct token_mint_keys kc;
	char td[SEC_STR_MAX], keys[SEC_STR_MAX], version[SEC_VERSION_MAX];
	int has_td, has_keys;

	has_td = secad_get_str(a->reply, SEC_ATTR_TRUST_DOMAIN, td, sizeof td) == 1;
	has_keys = secad_get_str(a->reply, SEC_ATTR_ISSUER_KEYS, keys, sizeof keys) == 1;
	if (secad_get_str(a->reply, SEC_ATTR_REMOTE_VERSION, version, sizeof version) != 1)
		version[0] = '\0';
	sec_policy_mint_keys(a->pol, &kc);
	return token_mint_for_server(&kc, a->pol->trust_domain, has_td ? td : NULL,
	                             has_keys ? keys : NULL,
	                             sec_version_at_least(version, 23, 9, 0), a->token, e);
}

static int token_usable(struct auth_ctx *a, struct err *e)
{
	struct token_mint_keys kc;
	char names[SEC_STR_MAX];

	/* Offer TOKEN only when some token could be presented at all (the
	 * server's trust domain is not known yet), or when we hold a signing
	 * key and so may mint one (should_try_auth). */
	if (choose(a, 0, e) == 1)
		return 1;
	sec_policy_mint_keys(a->pol, &kc);
	if (token_mint_key_names(&kc, names, sizeof names) != 0) {
		dbg(D_SECURITY, "TOKEN: no token file, but a signing key is at hand; offering TOKEN");
		return 1;
	}
	return 0;
}

/* Send message 3 (or an error form of it). */
static int send_two(struct cedar *c, int status, const char *name, const uint8_t *rb,
                    const uint8_t *hk, struct err *e)
{
	if (status == 0) {
		if (cedar_put_int(c, 0, e) < 0 || cedar_put_int(c, (int64_t)strlen(name), e) < 0 ||
		    cedar_put_str(c, name, e) < 0 || cedar_put_int(c, AUTH_TOKEN_NONCE_LEN, e) < 0 ||
		    cedar_put_bytes(c, rb, AUTH_TOKEN_NONCE_LEN, e) < 0 || cedar_put_int(c, 20, e) < 0 ||
		    cedar_put_bytes(c, hk, 20, e) < 0)
			return -1;
	} else {
		if (cedar_put_int(c, -1, e) < 0 || cedar_put_int(c, 0, e) < 0 ||
		    cedar_put_str(c, "", e) < 0 || cedar_put_int(c, 0, e) < 0 ||
		    cedar_put_int(c, 0, e) < 0)
			return -1;
	}
	return cedar_end_send(c, e);
}

/* Read a length-prefixed byte field with a bound. */
static int get_field(struct cedar *c, uint8_t *buf, size_t max, size_t *n, const char *what,
                     struct err *e)
{
	int64_t len;
	if (cedar_get_int(c, &len, e) < 0)
		return -1;
	if (len < 0 || (uint64_t)len > max) {
		err_push(e, "TOKEN", 1, "Server sent %s of %lld bytes (limit %lu)", what,
		         (long long)len, (unsigned long)max);
		return -1;
	}
	*n = (size_t)len;
	return len ? cedar_get_bytes(c, buf, (size_t)len, e) : 0;
}

static int token_client(struct auth_ctx *a, struct err *e)
{
	struct cedar *c = a->c;
	struct token_choice *tk = a->token;
	uint8_t ra[AUTH_TOKEN_NONCE_LEN], ra_echo[AUTH_TOKEN_NONCE_LEN];
	uint8_t rb[AUTH_TOKEN_NONCE_LEN], hkt[AUTH_TOKEN_MAC_MAX];
	uint8_t ka[32], mac[20];
	char sa[AUTH_TOKEN_NAME_MAX], sb[AUTH_TOKEN_NAME_MAX];
	size_t ra_len, rb_len, hkt_len;
	int64_t status, ignore;
	int ok = 0, rc = -1;

	/* choose by the server's trust domain and keys, as HTCondor does */
	if ((choose(a, 1, e) == 1 || (a->reply && mint(a, e) == 1)) &&
	    port_random(ra, sizeof ra) == 0) {
		ok = 1;
		dbg(D_SECURITY, "TOKEN: presenting token of '%s' from %s", tk->name, tk->source);
	} else {
		err_push(e, "TOKEN", 1, "No usable token for this server");
	}

	/* message 1: status, A, T, ra (error form when we have nothing) */
	if (ok) {
		char t[JWT_MAX_LEN + 1];
		memcpy(t, tk->text, tk->jwt.t_len);
		t[tk->jwt.t_len] = '\0';
		if (cedar_put_int(c, 0, e) < 0 || cedar_put_int(c, (int64_t)strlen(tk->name), e) < 0 ||
		    cedar_put_str(c, tk->name, e) < 0 || cedar_put_str(c, t, e) < 0 ||
		    cedar_put_int(c, AUTH_TOKEN_NONCE_LEN, e) < 0 ||
		    cedar_put_bytes(c, ra, sizeof ra, e) < 0 || cedar_end_send(c, e) < 0)
			return -2;
	} else {
		if (cedar_put_int(c, -1, e) < 0 || cedar_put_int(c, 0, e) < 0 ||
		    cedar_put_str(c, "", e) < 0 || cedar_put_str(c, "", e) < 0 ||
		    cedar_put_int(c, 0, e) < 0 || cedar_end_send(c, e) < 0)
			return -2;
	}

	/* message 2 */
	if (cedar_get_int(c, &status, e) < 0 || cedar_get_int(c, &ignore, e) < 0 ||
	    cedar_get_str(c, sa, sizeof sa, "the TOKEN client name", e) < 0 ||
	    cedar_get_int(c, &ignore, e) < 0 ||
	    cedar_get_str(c, sb, sizeof sb, "the TOKEN server name", e) < 0 ||
	    get_field(c, ra_echo, sizeof ra_echo, &ra_len, "ra", e) < 0 ||
	    get_field(c, rb, sizeof rb, &rb_len, "rb", e) < 0 ||
	    get_field(c, hkt, sizeof hkt, &hkt_len, "hkt", e) < 0 || cedar_end_recv(c, e) < 0)
		return -2;

	if (ok && status != 0) {
		err_push(e, "TOKEN", 1, "Server reported an error in TOKEN authentication (check the server log)");
		ok = 0;
	}
	if (ok && (ra_len != AUTH_TOKEN_NONCE_LEN || rb_len != AUTH_TOKEN_NONCE_LEN ||
	           hkt_len != 20 || !sa[0] || !sb[0])) {
		err_push(e, "TOKEN", 1, "Malformed TOKEN reply from server");
		ok = 0;
	}
	if (ok && (strcmp(sa, tk->name) != 0 || memcmp(ra, ra_echo, sizeof ra) != 0)) {
		err_push(e, "TOKEN", 1, "Server echoed a different client name or nonce");
		ok = 0;
	}
	if (ok) {
		if (auth_token_derive(tk->jwt.sig, tk->jwt.sig_len, tk->text, tk->jwt.t_len, 0, ka) < 0 ||
		    auth_token_hkt(ka, sa, sb, ra, rb, mac) < 0) {
			err_push(e, "TOKEN", 1, "TOKEN key derivation failed");
			ok = 0;
		} else if (memcmp(mac, hkt, 20) != 0) {
			err_push(e, "TOKEN", 1,
			         "Server failed to prove knowledge of the token's signing key (hkt mismatch)");
			ok = 0;
		}
	}
	if (ok && auth_token_hk(ka, tk->name, rb, mac) < 0)
		ok = 0;

	/* message 3 */
	if (send_two(c, ok ? 0 : -1, tk->name, rb, mac, e) < 0)
		return -2;
	if (ok) {
		snprintf(a->identity, sizeof a->identity, "%s", tk->name);
		if (auth_token_session_w(rb, a->wrap_key) == 0)
			a->have_wrap_key = 1;
		dbg(D_SECURITY, "TOKEN: proofs exchanged as '%s' with server '%s'", tk->name, sb);
		rc = 0;
	}
	crypto_wipe(ka, sizeof ka);
	crypto_wipe(mac, sizeof mac);
	return rc;
}

const struct auth_method auth_method_token = { "TOKEN", 2048, token_usable, token_client };
