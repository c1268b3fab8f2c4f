/*
 * secman.c - the client side of DC_AUTHENTICATE: policy ad, reply checks,
 * method negotiation, key agreement, post-auth ad, session reuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "auth_ssl.h"
#include "classad.h"
#include "debug.h"
#include "port/crypto.h"
#include "port/port.h"
#include "secman.h"

/* The methods this client can run, by bit: those built in
 * (TOKENBOX_METHODS).  A method left out is not referenced, so none of its
 * code (for SSL: TLS, X.509, RSA) is linked. */
static const struct auth_method *const methods_impl[] = {
#ifdef TOKENBOX_METHOD_FS
	&auth_method_fs,
#endif
#ifdef TOKENBOX_METHOD_TOKEN
	&auth_method_token,
#endif
#ifdef TOKENBOX_METHOD_SSL
	&auth_method_ssl,
#endif
#ifdef TOKENBOX_METHOD_CLAIMTOBE
	&auth_method_claimtobe,
#endif
};

int sec_auth_left_out(int bit)
{
	return !sec_auth_supported(bit) && (bit == SEC_AUTH_FS || bit == SEC_AUTH_TOKEN ||
	                                    bit == SEC_AUTH_SSL || bit == SEC_AUTH_CLAIMTOBE);
}

static const struct auth_method *impl_for(int bit)
{
	for (size_t i = 0; i < sizeof methods_impl / sizeof methods_impl[0]; i++)
		if (methods_impl[i]->bit == bit)
			return methods_impl[i];
	return NULL;
}

int sec_auth_supported(int bit)
{
	return impl_for(bit) != NULL;
}

/* ---- names ----------------------------------------------------------------- */

static const struct {
	const char *name;
	int bit;
} auth_names[] = {
	{ "CLAIMTOBE", SEC_AUTH_CLAIMTOBE }, { "FS", SEC_AUTH_FS },
	{ "FS_REMOTE", SEC_AUTH_FS_REMOTE }, { "KERBEROS", SEC_AUTH_KERBEROS },
	{ "ANONYMOUS", SEC_AUTH_ANONYMOUS }, { "SSL", SEC_AUTH_SSL },
	{ "PASSWORD", SEC_AUTH_PASSWORD },   { "MUNGE", SEC_AUTH_MUNGE },
	{ "TOKEN", SEC_AUTH_TOKEN },         { "TOKENS", SEC_AUTH_TOKEN },
	{ "IDTOKEN", SEC_AUTH_TOKEN },       { "IDTOKENS", SEC_AUTH_TOKEN },
	{ "SCITOKENS", SEC_AUTH_SCITOKENS }, { "SCITOKEN", SEC_AUTH_SCITOKENS },
};

int sec_auth_bit(const char *name)
{
	for (size_t i = 0; i < sizeof auth_names / sizeof auth_names[0]; i++)
		if (strcasecmp(name, auth_names[i].name) == 0)
			return auth_names[i].bit;
	return 0;
}

const char *sec_auth_name(int bit)
{
	/* the first entry per bit is the wire spelling */
	for (size_t i = 0; i < sizeof auth_names / sizeof auth_names[0]; i++)
		if (auth_names[i].bit == bit)
			return auth_names[i].name;
	return "UNKNOWN";
}

/* The method as users name it (IDTOKENS, as in the stock tools' knobs and
 * messages), for results and the sessions they resume. */
static const char *method_shown(int bit)
{
	return bit == SEC_AUTH_TOKEN ? "IDTOKENS" : sec_auth_name(bit);
}

const char *sec_req_name(enum sec_req r)
{
	switch (r) {
	case SEC_REQ_REQUIRED: return "REQUIRED";
	case SEC_REQ_PREFERRED: return "PREFERRED";
	case SEC_REQ_OPTIONAL: return "OPTIONAL";
	default: return "NEVER";
	}
}

int sec_req_parse(const char *s)
{
	switch (s ? s[0] : 0) {
	case 'R': case 'r': case 'Y': case 'y': case 'T': case 't': return SEC_REQ_REQUIRED;
	case 'P': case 'p': return SEC_REQ_PREFERRED;
	case 'O': case 'o': return SEC_REQ_OPTIONAL;
	case 'F': case 'f': case 'N': case 'n': return SEC_REQ_NEVER;
	default: return -1;
	}
}

int sec_yes(const char *s)
{
	if (!s || !s[0])
		return -1;
	if (s[0] == 'Y' || s[0] == 'y')
		return 1;
	if (s[0] == 'N' || s[0] == 'n')
		return 0;
	return -1;
}

/* ---- policy -------------------------------------------------------------- */

void sec_policy_defaults(struct sec_policy *p)
{
	memset(p, 0, sizeof *p);
	p->methods[0] = SEC_AUTH_FS;
	p->methods[1] = SEC_AUTH_TOKEN;
	p->nmethods = 2;
	p->authentication = SEC_REQ_OPTIONAL;
	p->encryption = SEC_REQ_OPTIONAL;
	p->integrity = SEC_REQ_OPTIONAL;
	p->negotiation = SEC_REQ_PREFERRED;
	/* HTCondor's default is AES,BLOWFISH,3DES.  Every server picks the
	 * first method of ITS list that we offer, and all 9.x+ defaults
	 * start with AES; 3DES is for servers configured without AES.
	 * BLOWFISH we cannot run (no Blowfish in Mbed TLS 3.6). */
#ifdef TOKENBOX_LEGACY
	snprintf(p->crypto_methods, sizeof p->crypto_methods, "AES,3DES");
#else
	snprintf(p->crypto_methods, sizeof p->crypto_methods, "AES");
#endif
	/* Claim a version whose behaviour we implement: >= 9.9 (ECDH, resume
	 * reply) and >= 23.9 (TOKEN server name condor@password). */
	snprintf(p->version, sizeof p->version, "$CondorVersion: 25.0.0 2025-01-01 BuildID: tokenbox $");
	snprintf(p->subsystem, sizeof p->subsystem, "TOOL");
	p->session_duration = 60;
	p->session_lease = 3600;
	p->auth_timeout_ms = 20000;
	snprintf(p->token_system_dir, sizeof p->token_system_dir, "/etc/condor/tokens.d");
	p->fs_enforce_channel_binding = 1;
	if (port_user_lookup("condor", &p->condor_uid, &p->condor_gid) == 0)
		p->have_condor_ids = 1;
}

/* ReconcileSecurityDependency: a depends on b. */
static int reconcile(enum sec_req *a, enum sec_req *b)
{
	if (*a == SEC_REQ_NEVER && *b == SEC_REQ_REQUIRED)
		return -1;
	if (*a == SEC_REQ_NEVER)
		*b = SEC_REQ_NEVER;
	if (*b > *a)
		*a = *b;
	return 0;
}

int sec_policy_effective(const struct sec_policy *p, int nmethods_usable,
                         struct sec_effective *out, struct err *e)
{
	struct sec_effective f;
	int crypto = p->crypto_methods[0] != '\0';
	f.authentication = f.authentication_new = p->authentication;
	f.encryption = p->encryption;
	f.integrity = p->integrity;
	f.negotiation = p->negotiation;
	if (!crypto) {
		if (f.encryption == SEC_REQ_REQUIRED || f.integrity == SEC_REQ_REQUIRED) {
			err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
			         "Encryption or integrity is REQUIRED but no crypto methods are enabled");
			return -1;
		}
		f.encryption = f.integrity = SEC_REQ_NEVER;
	}
	if (reconcile(&f.authentication, &f.encryption) < 0 ||
	    reconcile(&f.authentication, &f.integrity) < 0 ||
	    reconcile(&f.negotiation, &f.authentication) < 0 ||
	    reconcile(&f.negotiation, &f.encryption) < 0 ||
	    reconcile(&f.negotiation, &f.integrity) < 0) {
		err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
		         "Security policy is contradictory (something is REQUIRED that depends on a NEVER)");
		return -1;
	}
	if (nmethods_usable == 0) {
		if (f.authentication_new == SEC_REQ_REQUIRED) {
			err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
			         "Authentication is REQUIRED but no authentication methods are usable");
			return -1;
		}
		f.authentication_new = SEC_REQ_NEVER;
	}
	*out = f;
	return 0;
}

/* ---- helpers shared with the server side --------------------------------- */

int sec_encode_pubkey(const uint8_t pub[65], char *out, size_t cap)
{
	return crypto_base64_encode(pub, 65, out, cap, NULL) < 0 ? -1 : 0;
}

int sec_session_key_from_secret(const uint8_t secret[32], uint8_t key[CEDAR_KEY_LEN])
{
	return crypto_hkdf_sha256("htcondor", 8, secret, 32, "keygen", 6, key, CEDAR_KEY_LEN) < 0
	               ? -1
	               : 0;
}

int sec_session_key_from_ecdh(const uint8_t priv[32], const char *peer_pub_b64,
                              uint8_t key[CEDAR_KEY_LEN], struct err *e)
{
	uint8_t pub[128], secret[32];
	size_t n = 0;
	int rc;
	if (crypto_base64_decode(peer_pub_b64, strlen(peer_pub_b64), pub, sizeof pub, &n) < 0 ||
	    crypto_p256_shared(priv, pub, n, secret) < 0) {
		err_push(e, "SECMAN", SEC_ERR_NO_KEY, "Invalid ECDH public key from the server");
		return -1;
	}
	rc = sec_session_key_from_secret(secret, key);
	crypto_wipe(secret, sizeof secret);
	if (rc < 0)
		err_push(e, "SECMAN", SEC_ERR_NO_KEY, "Session key derivation failed");
	return rc;
}

int sec_version_at_least(const char *version, int major, int minor, int sub)
{
	const char *p = version ? strstr(version, "$CondorVersion:") : NULL;
	long v[3];
	int a, b, c, i;
	char *end;

	if (!p)
		return 0;
	/* "$CondorVersion: A.B.C ...": three decimal numbers joined by dots
	 * (strtol: sscanf would pull 4 KB of libc in for this) */
	p += 15;
	for (i = 0; i < 3; i++) {
		v[i] = strtol(p, &end, 10);
		if (end == p || v[i] < 0 || v[i] > 1000000 || (i < 2 && *end != '.'))
			return 0;
		p = end + 1;
	}
	a = (int)v[0], b = (int)v[1], c = (int)v[2];
	if (a != major)
		return a > major;
	if (b != minor)
		return b > minor;
	return c >= sub;
}

static int list_has_bit(const int *m, int n, int bit)
{
	for (int i = 0; i < n; i++)
		if (m[i] == bit)
			return 1;
	return 0;
}

/* The methods of a configured CryptoMethods list we can run, in order:
 * AES and 3DES (TRIPLEDES kept as spelled); BLOWFISH and unknown names
 * dropped with a trace. */
static void crypto_offer(const char *configured, char *out, size_t cap)
{
	const char *p = configured;
	size_t n = 0;
	out[0] = '\0';
	while (*p) {
		size_t l;
		p += strspn(p, ", \t");
		l = strcspn(p, ", \t");
		if (!l)
			break;
#ifndef TOKENBOX_LEGACY
		if ((l == 4 && !strncasecmp(p, "3DES", 4)) || (l == 9 && !strncasecmp(p, "TRIPLEDES", 9))) {
			dbg(D_ALWAYS, "SECMAN: not offering crypto method %.*s (the 9.0-9.8 key path "
			              "was left out of this tokenbox build: TOKENBOX_LEGACY=no)", (int)l, p);
			p += l;
			continue;
		}
#endif
		if ((l == 3 && !strncasecmp(p, "AES", 3)) || (l == 4 && !strncasecmp(p, "3DES", 4)) ||
		    (l == 9 && !strncasecmp(p, "TRIPLEDES", 9))) {
			if (n + l + 2 < cap)
				n += (size_t)snprintf(out + n, cap - n, "%s%.*s", n ? "," : "", (int)l, p);
		} else if (l == 8 && !strncasecmp(p, "BLOWFISH", 8)) {
			dbg(D_SECURITY, "SECMAN: not offering crypto method BLOWFISH "
			                "(Mbed TLS 3.6 has no Blowfish; AES and 3DES are available)");
		} else {
			dbg(D_SECURITY, "SECMAN: ignoring unknown crypto method %.*s", (int)l, p);
		}
		p += l;
	}
}

/* Protocol number of a crypto method name, SEC_CRYPTO_NONE if unknown. */
static int crypto_by_name(const char *s, size_t l)
{
	if (l == 3 && !strncasecmp(s, "AES", 3))
		return SEC_CRYPTO_AES;
	if ((l == 4 && !strncasecmp(s, "3DES", 4)) || (l == 9 && !strncasecmp(s, "TRIPLEDES", 9)))
		return SEC_CRYPTO_3DES;
	if (l == 8 && !strncasecmp(s, "BLOWFISH", 8))
		return SEC_CRYPTO_BLOWFISH;
	return SEC_CRYPTO_NONE;
}

static const char *crypto_name(int proto)
{
	switch (proto) {
	case SEC_CRYPTO_AES: return "AES";
	case SEC_CRYPTO_3DES: return "3DES";
	case SEC_CRYPTO_BLOWFISH: return "BLOWFISH";
	default: return "none";
	}
}

static int client_ad(const struct sec_policy *p, const char *crypto, const int *methods,
                     int nmethods, int cmd, const char *sinful, const char *ecdh_pub_b64,
                     long pid, struct secad *ad, struct err *e);

int sec_build_client_ad(const struct sec_policy *p, const int *methods, int nmethods, int cmd,
                        const char *sinful, const char *ecdh_pub_b64, long pid,
                        struct secad *ad, struct err *e)
{
	return client_ad(p, p->crypto_methods, methods, nmethods, cmd, sinful, ecdh_pub_b64, pid,
	                 ad, e);
}

static int client_ad(const struct sec_policy *p, const char *crypto, const int *methods,
                     int nmethods, int cmd, const char *sinful, const char *ecdh_pub_b64,
                     long pid, struct secad *ad, struct err *e)
{
	struct sec_effective f;
	char list[SEC_STR_MAX] = "";
	char dur[32];
	int rc = 0;

	if (sec_policy_effective(p, nmethods, &f, e) < 0)
		return -1;
	for (int i = 0; i < nmethods; i++) {
		size_t l = strlen(list);
		snprintf(list + l, sizeof list - l, "%s%s", i ? "," : "", sec_auth_name(methods[i]));
	}
	snprintf(dur, sizeof dur, "%d", p->session_duration);
	secad_clear(ad);
	if (nmethods > 0)
		rc |= secad_set_str(ad, SEC_ATTR_AUTH_METHODS, list, e);
	if (p->trust_domain[0])
		rc |= secad_set_str(ad, SEC_ATTR_TRUST_DOMAIN, p->trust_domain, e);
	if (p->issuer_keys[0] && list_has_bit(methods, nmethods, SEC_AUTH_TOKEN))
		rc |= secad_set_str(ad, SEC_ATTR_ISSUER_KEYS, p->issuer_keys, e);
	if (crypto[0])
		rc |= secad_set_str(ad, SEC_ATTR_CRYPTO_METHODS, crypto, e);
	rc |= secad_set_str(ad, SEC_ATTR_OUTGOING_NEGOTIATION, sec_req_name(f.negotiation), e);
	rc |= secad_set_str(ad, SEC_ATTR_AUTHENTICATION, sec_req_name(f.authentication), e);
	rc |= secad_set_str(ad, SEC_ATTR_AUTHENTICATION_NEW, sec_req_name(f.authentication_new), e);
	rc |= secad_set_str(ad, SEC_ATTR_ENCRYPTION, sec_req_name(f.encryption), e);
	rc |= secad_set_str(ad, SEC_ATTR_INTEGRITY, sec_req_name(f.integrity), e);
	/* Without Enact = "NO" the server never answers. */
	rc |= secad_set_str(ad, SEC_ATTR_ENACT, "NO", e);
	rc |= secad_set_str(ad, SEC_ATTR_SUBSYSTEM, p->subsystem, e);
	if (p->parent_id[0])
		rc |= secad_set_str(ad, SEC_ATTR_PARENT_UNIQUE_ID, p->parent_id, e);
	rc |= secad_set_int(ad, SEC_ATTR_SERVER_PID, pid, e);
	/* historically a string */
	rc |= secad_set_str(ad, SEC_ATTR_SESSION_DURATION, dur, e);
	rc |= secad_set_int(ad, SEC_ATTR_SESSION_LEASE, p->session_lease, e);
	if (ecdh_pub_b64)
		rc |= secad_set_str(ad, SEC_ATTR_ECDH_PUBLIC_KEY, ecdh_pub_b64, e);
	rc |= secad_set_str(ad, SEC_ATTR_NEW_SESSION, "YES", e);
	rc |= secad_set_bool(ad, SEC_ATTR_NEGOTIATED_SESSION, 1, e);
	rc |= secad_set_str(ad, SEC_ATTR_REMOTE_VERSION, p->version, e);
	if (sinful && *sinful)
		rc |= secad_set_str(ad, SEC_ATTR_CONNECT_SINFUL, sinful, e);
	rc |= secad_set_int(ad, SEC_ATTR_COMMAND, cmd, e);
	if (cmd == CEDAR_DC_AUTHENTICATE)
		rc |= secad_set_int(ad, SEC_ATTR_AUTH_COMMAND, cmd, e);
	if (rc)
		return -1;
	/* a ClassAd keeps its attributes sorted by (length, name): that is
	 * the order a stock tool puts them on the wire */
	secad_sort_by_length(ad);
	return 0;
}

int sec_build_resume_ad(const struct sec_policy *p, const struct sec_session *s, int cmd,
                        const char *sinful, const char *nonce_b64, int resume_response,
                        struct secad *ad, struct err *e)
{
	int rc = 0;
	secad_clear(ad);
	rc |= secad_set_int(ad, SEC_ATTR_COMMAND, cmd, e);
	if (sinful && *sinful)
		rc |= secad_set_str(ad, SEC_ATTR_CONNECT_SINFUL, sinful, e);
	rc |= secad_set_str(ad, SEC_ATTR_CRYPTO_METHODS,
	                    s->crypto == SEC_CRYPTO_3DES ? "3DES" : "AES", e);
	rc |= secad_set_str(ad, SEC_ATTR_NONCE, nonce_b64, e);
	rc |= secad_set_str(ad, SEC_ATTR_REMOTE_VERSION, p->version, e);
	if (resume_response)
		rc |= secad_set_bool(ad, SEC_ATTR_RESUME_RESPONSE, 1, e);
	rc |= secad_set_str(ad, SEC_ATTR_SID, s->sid, e);
	rc |= secad_set_str(ad, SEC_ATTR_USE_SESSION, "YES", e);
	if (rc)
		return -1;
	secad_sort_alpha(ad);
	return 0;
}

/* ---- session cache ------------------------------------------------------- */

void sec_cache_init(struct sec_session_cache *c)
{
	memset(c, 0, sizeof *c);
}

void sec_cache_clear(struct sec_session_cache *c)
{
	crypto_wipe(c, sizeof *c);
}

struct sec_session *sec_cache_lookup(struct sec_session_cache *c, const char *sinful, int cmd,
                                     int64_t now)
{
	for (int i = 0; i < SEC_SESSION_MAX; i++) {
		struct sec_session *s = &c->s[i];
		if (!s->used || strcmp(s->sinful, sinful ? sinful : "") != 0)
			continue;
		if (s->expires && now >= s->expires) {
			dbg(D_SECURITY, "SECMAN: session %s expired", s->sid);
			crypto_wipe(s, sizeof *s);
			continue;
		}
		for (int k = 0; k < s->ncmds; k++)
			if (s->cmds[k] == cmd)
				return s;
	}
	return NULL;
}

static void cache_invalidate(struct sec_session_cache *c, const char *sid)
{
	for (int i = 0; c && i < SEC_SESSION_MAX; i++)
		if (c->s[i].used && strcmp(c->s[i].sid, sid) == 0)
			crypto_wipe(&c->s[i], sizeof c->s[i]);
}

/* Store a new session (replacing the oldest slot when full). */
static int cache_store(struct sec_session_cache *c, const struct sec_target *t, const char *sid,
                       const uint8_t key[32], int crypto, size_t key_len, int encrypt,
                       int integrity, const char *valid, int64_t duration,
                       const char *server_version, const char *user, const char *method,
                       struct err *e)
{
	struct sec_session *s = NULL;
	const char *p = valid;
	int64_t now = port_time_now();
	int oldest = 0;

	for (int i = 0; i < SEC_SESSION_MAX; i++) {
		if (!c->s[i].used) {
			s = &c->s[i];
			break;
		}
		if (c->s[i].expires < c->s[oldest].expires)
			oldest = i;
	}
	if (!s)
		s = &c->s[oldest];
	memset(s, 0, sizeof *s);
	while (*p) {
		char *end;
		long v;
		while (*p == ',' || *p == ' ')
			p++;
		if (!*p)
			break;
		v = strtol(p, &end, 10);
		if (end == p || (*end && *end != ',' && *end != ' ')) {
			err_push(e, "SECMAN", SEC_ERR_COMMUNICATIONS, "Malformed ValidCommands from server");
			return -1;
		}
		if (s->ncmds >= SEC_CMDS_MAX) {
			err_push(e, "SECMAN", SEC_ERR_COMMUNICATIONS,
			         "ValidCommands has more than SEC_CMDS_MAX (%d) entries", SEC_CMDS_MAX);
			return -1;
		}
		s->cmds[s->ncmds++] = (int32_t)v;
		p = end;
	}
	snprintf(s->sid, sizeof s->sid, "%s", sid);
	snprintf(s->sinful, sizeof s->sinful, "%s", t && t->sinful ? t->sinful : "");
	memcpy(s->key, key, CEDAR_KEY_LEN);
	s->crypto = crypto;
	s->key_len = key_len;
	s->encrypt = encrypt;
	s->integrity = integrity;
	s->expires = duration > 0 ? now + duration : 0;
	snprintf(s->server_version, sizeof s->server_version, "%s", server_version);
	snprintf(s->user, sizeof s->user, "%s", user);
	snprintf(s->method, sizeof s->method, "%s", method);
	s->used = 1;
	return 0;
}

/* ---- the handshake ----------------------------------------------------------- */

static int read_ad(struct cedar *c, struct secad *ad, struct err *e)
{
	return secad_get(c, ad, e) < 0 || cedar_end_recv(c, e) < 0 ? -1 : 0;
}

static int send_int_msg(struct cedar *c, int64_t v, struct err *e)
{
	return cedar_put_int(c, v, e) < 0 || cedar_end_send(c, e) < 0 ? -1 : 0;
}

/* The method list the server returned, restricted to what we offered;
 * *listed: the server listed any method at all. */
static int server_methods(const struct secad *m2, const int *offered, int noffered, int *out,
                          int *listed)
{
	char list[SEC_STR_MAX];
	int n = 0;
	char *tok, *save = NULL;
	*listed = 0;
	/* An absent or empty AuthMethodsList falls back to AuthMethods in
	 * the ad HTCondor merges from ours and the reply: the server's if it
	 * sent one (25.x sends "" when we share nothing: "No auth methods"),
	 * else our own offer (9.0 sends none; the client then offers its own
	 * methods in the handshake and the server refuses: AUTHENTICATE:1003). */
	if (secad_get_str(m2, SEC_ATTR_AUTH_METHODS_LIST, list, sizeof list) != 1 ||
	    !list[strspn(list, ", ")]) {
		int rc = secad_get_str(m2, SEC_ATTR_AUTH_METHODS, list, sizeof list);
		if (rc == 0) {
			/* not in the reply: our own AuthMethods stands */
			for (n = 0; n < noffered; n++)
				out[n] = offered[n];
			*listed = noffered > 0;
			return n;
		}
		if (rc < 0)
			return 0;
	}
	*listed = list[strspn(list, ", ")] != '\0';
	for (tok = strtok_r(list, ", ", &save); tok && n < SEC_MAX_METHODS;
	     tok = strtok_r(NULL, ", ", &save)) {
		int bit = sec_auth_bit(tok);
		if (bit && list_has_bit(offered, noffered, bit) && !list_has_bit(out, n, bit))
			out[n++] = bit;
	}
	return n;
}

/* The authentication loop: handshake, method, retry with the rest. */
static int authenticate(struct cedar *c, struct auth_ctx *a, int *todo, int ntodo,
                        int *used_bit, struct err *e)
{
	int64_t deadline = a->pol->auth_timeout_ms > 0 ? port_clock_ms() + a->pol->auth_timeout_ms : 0;
	for (;;) {
		int64_t mask = 0, chosen;
		const struct auth_method *m;
		int rc;
		for (int i = 0; i < ntodo; i++)
			mask |= todo[i];
		if (deadline && port_clock_ms() > deadline) {
			err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_TIMEOUT,
			         "exceeded %d ms deadline during authentication", a->pol->auth_timeout_ms);
			return -1;
		}
		dbg(D_SECURITY, "AUTHENTICATE: offering method bitmask %lld", (long long)mask);
		if (send_int_msg(c, mask, e) < 0)
			return -1;
		if (cedar_get_int(c, &chosen, e) < 0 || cedar_end_recv(c, e) < 0) {
			/* a hang-up here means "no method" (Authentication::handshake) */
			if (!c->closed)
				return -1;
			chosen = 0;
		}
		if (chosen == 0) {
			err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_OUT_OF_METHODS,
			         "Failed to authenticate with any method");
			return -1;
		}
		m = (chosen & mask) == chosen ? impl_for((int)chosen) : NULL;
		if (!m) {
			err_push(e, "AUTHENTICATE", 1002,
			         "Server chose authentication method %lld, which was not offered", (long long)chosen);
			return -1;
		}
		dbg(D_SECURITY, "AUTHENTICATE: server chose %s", m->name);
		rc = m->client(a, e);
		if (rc == 0) {
			*used_bit = m->bit;
			dbg(D_SECURITY, "AUTHENTICATE: authenticated with %s", m->name);
			return 0;
		}
		err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_METHOD_FAILED, "Failed to authenticate using %s",
		         m->name);
		if (rc == -2)
			return -1;
		for (int i = 0; i < ntodo; i++)
			if (todo[i] == m->bit) {
				memmove(&todo[i], &todo[i + 1], (size_t)(ntodo - i - 1) * sizeof todo[0]);
				ntodo--;
				i--;
			}
		dbg(D_SECURITY, "AUTHENTICATE: %s failed, trying the remaining methods", m->name);
	}
}

/* A session key and what it is for. */
struct sec_key {
	uint8_t key[CEDAR_KEY_LEN];
	size_t len;
	int proto; /* SEC_CRYPTO_* */
};

#ifdef TOKENBOX_LEGACY
/* Methods whose wrap() is a plain copy (Condor_Auth_Base): a pre-9.9
 * server sends the session key in clear after these. */
static int wraps_in_clear(int bit)
{
	return bit == SEC_AUTH_FS || bit == SEC_AUTH_FS_REMOTE || bit == SEC_AUTH_CLAIMTOBE ||
	       bit == SEC_AUTH_ANONYMOUS;
}
#endif

/* K2, a pre-9.9 server's key (the 9.0-9.8 key path, TOKENBOX_LEGACY). */
#ifdef TOKENBOX_LEGACY
static int read_legacy_key(struct cedar *c, struct auth_ctx *a, int method_bit,
                           struct sec_key *k, int *have_key, struct err *e)
{
	int64_t klen, proto, dur, wlen;
	uint8_t wrapped[SEC_K2_WRAPPED_MAX];
	int rc = -1;
	if (cedar_get_int(c, &klen, e) < 0 || cedar_get_int(c, &proto, e) < 0 ||
	    cedar_get_int(c, &dur, e) < 0 || cedar_get_int(c, &wlen, e) < 0)
		return -1;
	if (wlen < 1 || wlen > SEC_K2_WRAPPED_MAX) {
		err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_KEYEXCHANGE,
		         "Bad session key message (wrapped length %lld; must be 1..SEC_K2_WRAPPED_MAX=%d)",
		         (long long)wlen, SEC_K2_WRAPPED_MAX);
		return -1;
	}
	if (klen < 1 || klen > wlen || klen > CEDAR_KEY_LEN) {
		err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_KEYEXCHANGE,
		         "Bad session key message (key length %lld of %lld wrapped bytes; "
		         "at most CEDAR_KEY_LEN=%d)", (long long)klen, (long long)wlen, CEDAR_KEY_LEN);
		return -1;
	}
	if (cedar_get_bytes(c, wrapped, (size_t)wlen, e) < 0 || cedar_end_recv(c, e) < 0)
		goto out;
	(void)dur; /* informational; the session lifetime comes from M2 */
	if (!wraps_in_clear(method_bit)) {
		/* unwrap() of TOKEN/PASSWORD/SSL: 3DES-CFB64 from a zero IV under
		 * the method's key, the whole blob at once */
		if (!a->have_wrap_key) {
			err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_KEYEXCHANGE,
			         "Server sent a session key wrapped by %s, which left no key to unwrap it",
			         sec_auth_name(method_bit));
			goto out;
		}
		if (cedar_des3_wrap(a->wrap_key, sizeof a->wrap_key, 0, wrapped, wrapped,
		                    (size_t)wlen) < 0) {
			err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_KEYEXCHANGE, "Session key unwrap failed");
			goto out;
		}
	}
	if (proto == SEC_CRYPTO_AES && klen != CEDAR_KEY_LEN) {
		err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_KEYEXCHANGE,
		         "Server sent an AES session key of %lld bytes (AES-256 needs %d)",
		         (long long)klen, CEDAR_KEY_LEN);
		goto out;
	}
	memset(k->key, 0, sizeof k->key);
	memcpy(k->key, wrapped, (size_t)klen);
	k->len = (size_t)klen;
	k->proto = proto == SEC_CRYPTO_AES || proto == SEC_CRYPTO_3DES || proto == SEC_CRYPTO_BLOWFISH
	                   ? (int)proto
	                   : SEC_CRYPTO_NONE;
	*have_key = 1;
	dbg(D_SECURITY, "SECMAN: pre-9.9 key transport: server sent the session key (%s, %lld bytes, %s)",
	    crypto_name(k->proto), (long long)klen,
	    wraps_in_clear(method_bit) ? "in clear, as that method does" : "3DES-wrapped by the method");
	rc = 0;
out:
	crypto_wipe(wrapped, sizeof wrapped);
	return rc;
}
#else
static int read_legacy_key(struct cedar *c, struct auth_ctx *a, int method_bit,
                           struct sec_key *k, int *have_key, struct err *e)
{
	(void)c, (void)a, (void)method_bit, (void)k, (void)have_key;
	err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_KEYEXCHANGE,
	         "The server sent its session key as 9.0-9.8 daemons do; that key path was left "
	         "out of this tokenbox build (TOKENBOX_LEGACY=no)");
	return -1;
}
#endif

/* K1 (+K2): the server's optional key.  9.9+ servers with our ECDH key
 * always send 0.  Older ones send [keyLength, protocol, duration,
 * wrappedLen, wrapped] wrapped by the method: in clear after FS and
 * friends, 3DES-CFB under the method's key after TOKEN/SSL/PASSWORD. */
static int read_key_exchange(struct cedar *c, struct auth_ctx *a, int method_bit,
                             struct sec_key *k, int *have_key, struct err *e)
{
	int64_t has;

	*have_key = 0;
	if (cedar_get_int(c, &has, e) < 0 || cedar_end_recv(c, e) < 0)
		return -1;
	if (!has)
		return 0;
	return read_legacy_key(c, a, method_bit, k, have_key, e);
}

/* Turn on the session's crypto: AES-GCM (always encrypts, its own
 * integrity), or legacy 3DES-CFB with the negotiated encryption mode and
 * MD5 MAC.  A key we cannot run fails only if something needs it. */
static int crypto_start(struct cedar *c, const struct sec_key *k, int enc_yes, int int_yes,
                        struct err *e)
{
	if (k->proto == SEC_CRYPTO_AES)
		return cedar_crypto_on(c, k->key, e);
#ifdef TOKENBOX_LEGACY
	if (k->proto == SEC_CRYPTO_3DES) {
		dbg(D_SECURITY, "SECMAN: legacy 3DES session (encryption %s, integrity %s)",
		    enc_yes ? "YES" : "NO (secrets only)", int_yes ? "YES (MD5 MAC)" : "NO");
		return cedar_legacy_on(c, k->key, k->len, enc_yes, int_yes, e);
	}
#endif
	if (!enc_yes && !int_yes) {
		dbg(D_SECURITY, "SECMAN: session key of method %s is unusable here but not needed",
		    crypto_name(k->proto));
		return 0;
	}
	err_push(e, "SECMAN", SEC_ERR_NO_KEY,
	         "Failed to establish a crypto key: the server chose %s, which tokenbox cannot run%s",
	         crypto_name(k->proto),
	         k->proto == SEC_CRYPTO_BLOWFISH ? " (Mbed TLS 3.6 has no Blowfish; allow AES or 3DES)"
	         : k->proto == SEC_CRYPTO_3DES   ? " (left out of this build: TOKENBOX_LEGACY=no)"
	                                         : "");
	return -1;
}

/* Resume a cached session on this new connection. */
static int resume(struct cedar *c, const struct sec_policy *p, struct sec_session_cache *cache,
                  struct sec_session *s, const struct sec_target *t, int cmd,
                  struct sec_client *w, struct sec_result *res, struct err *e)
{
	uint8_t nonce[33];
	char nonce_b64[64], rc_text[64];
	int grc;
	int want_reply = sec_version_at_least(s->server_version, 9, 9, 0);

	dbg(D_SECURITY, "SECMAN: resuming session %s for command %d", s->sid, cmd);
	if (port_random(nonce, sizeof nonce) < 0 ||
	    crypto_base64_encode(nonce, sizeof nonce, nonce_b64, sizeof nonce_b64, NULL) < 0) {
		err_push(e, "SECMAN", SEC_ERR_INTERNAL, "No randomness for the session nonce");
		return -1;
	}
	if (sec_build_resume_ad(p, s, cmd, t ? t->sinful : NULL, nonce_b64, want_reply, &w->m1, e) < 0)
		return -1;
	if (cedar_put_int(c, CEDAR_DC_AUTHENTICATE, e) < 0 || secad_put(c, &w->m1, e) < 0 ||
	    cedar_end_send(c, e) < 0) {
		err_push(e, "SECMAN", SEC_ERR_COMMUNICATIONS, "Failed to send DC_AUTHENTICATE message");
		return -1;
	}
	if (want_reply) {
		if (read_ad(c, &w->m2, e) < 0) {
			err_push(e, "SECMAN", SEC_ERR_COMMUNICATIONS,
			         "Failed to read resume session response classad from server.");
			return -1;
		}
		/* Absent means authorized (as HTCondor reads it); present but
		 * not a string that fits is not "AUTHORIZED": fail closed. */
		grc = secad_get_str(&w->m2, SEC_ATTR_RETURN_CODE, rc_text, sizeof rc_text);
		if (grc < 0) {
			err_push(e, "SECMAN", SEC_ERR_AUTHORIZATION_FAILED,
			         "Server's ReturnCode is not a string of at most %zu bytes",
			         sizeof rc_text - 1);
			return -1;
		}
		if (grc == 0)
			rc_text[0] = '\0';
		if (strcmp(rc_text, "SID_NOT_FOUND") == 0) {
			dbg(D_SECURITY, "SECMAN: server rejected session %s; forgetting it", s->sid);
			cache_invalidate(cache, s->sid);
			err_push(e, "SECMAN", SEC_ERR_NO_SESSION, "Server rejected our session id");
			return -1;
		}
		if (rc_text[0] && strcmp(rc_text, "AUTHORIZED") != 0) {
			char shown[sizeof rc_text + 8];
			err_push(e, "SECMAN", SEC_ERR_AUTHORIZATION_FAILED, "Received \"%s\" from server",
			         classad_clean_cstr(shown, sizeof shown, rc_text));
			return -1;
		}
	}
	{
		/* the cached key, with the session's crypto (3DES sessions keep
		 * their negotiated encryption/integrity) */
		struct sec_key k;
		int rc;
		memcpy(k.key, s->key, sizeof k.key);
		k.len = s->crypto == SEC_CRYPTO_3DES ? s->key_len : CEDAR_KEY_LEN;
		k.proto = s->crypto == SEC_CRYPTO_3DES ? SEC_CRYPTO_3DES : SEC_CRYPTO_AES;
		rc = crypto_start(c, &k, s->encrypt, s->integrity, e);
		crypto_wipe(&k, sizeof k);
		if (rc < 0)
			return -1;
	}
	res->resumed = 1;
	res->encrypted = cedar_encrypting(c);
	snprintf(res->method, sizeof res->method, "%s", s->method);
	snprintf(res->user, sizeof res->user, "%s", s->user);
	snprintf(res->sid, sizeof res->sid, "%s", s->sid);
	return 0;
}

/* A command that failed having offered no method at all: say why, when the
 * reason is ours (a configured method this build left out, a method that
 * could not run for an abnormal reason), whether authentication was
 * REQUIRED (no attempt) or not (the daemon then refused). */
static void why_none_offered(const struct sec_policy *p, const char *unusable, struct err *e)
{
	if (p->left_out[0])
		err_push(e, "SECMAN", SEC_ERR_AUTHENTICATION_FAILED,
		         "No authentication method offered: %s left out of this tokenbox build "
		         "(TOKENBOX_METHODS)", p->left_out);
	if (unusable[0])
		err_push(e, "SECMAN", SEC_ERR_AUTHENTICATION_FAILED,
		         "No authentication method offered: %s", unusable);
}

int sec_start_command(struct cedar *c, const struct sec_policy *p,
                      struct sec_session_cache *cache, const struct sec_target *t, int cmd,
                      struct sec_client *w, struct sec_result *res, struct err *e)
{
	struct sec_session *s;
	struct auth_ctx a;
	struct sec_effective eff;
	int offer[SEC_MAX_METHODS], noffer = 0, todo[SEC_MAX_METHODS], ntodo;
	char unusable[ERR_MSG_LEN] = "";
	char pub_b64[128], text[SEC_STR_MAX], server_version[SEC_VERSION_MAX];
	char server_pub[256], crypto[SEC_STR_MAX];
	struct sec_key key;
	int have_key = 0, auth_yes, enc_yes, int_yes, used_bit = 0, rc = -1, has_pub;
	int m2_crypto = SEC_CRYPTO_NONE, saved_n;

	memset(res, 0, sizeof *res);
	memset(&key, 0, sizeof key);
	/* DC_SEC_QUERY asks about a fresh negotiation: never a cached session */
	if (cache && t && t->sinful && t->auth_command <= 0 &&
	    (s = sec_cache_lookup(cache, t->sinful, cmd, port_time_now())) != NULL)
		return resume(c, p, cache, s, t, cmd, w, res, e);

	/* which of our methods can run at all */
	memset(&a, 0, sizeof a);
	a.c = c;
	a.pol = p;
	a.target = t;
	a.token = &w->token;
	for (int i = 0; i < p->nmethods && noffer < SEC_MAX_METHODS; i++) {
		const struct auth_method *m = impl_for(p->methods[i]);
		struct err ignored;
		err_clear(&ignored);
		if (!m) {
			dbg(D_SECURITY, "SECMAN: method %s is not supported; not offering it",
			    sec_auth_name(p->methods[i]));
			continue;
		}
		if (!m->usable(&a, &ignored)) {
			dbg(D_SECURITY, "SECMAN: method %s is not usable here; not offering it", m->name);
			/* a method that is unusable for an abnormal reason (a
			 * token directory too large to read whole...) says why;
			 * kept for the error if nothing can be offered at all */
			if (!err_empty(&ignored) && !unusable[0])
				snprintf(unusable, sizeof unusable, "%s", err_message(&ignored));
			continue;
		}
		if (!list_has_bit(offer, noffer, m->bit))
			offer[noffer++] = m->bit;
	}
	if (sec_policy_effective(p, noffer, &eff, e) < 0) {
		if (noffer == 0)
			why_none_offered(p, unusable, e);
		return -1;
	}

	/* our ephemeral ECDH key */
	if (crypto_p256_keygen(w->ecdh_priv, w->ecdh_pub) < 0 ||
	    sec_encode_pubkey(w->ecdh_pub, pub_b64, sizeof pub_b64) < 0) {
		err_push(e, "SECMAN", SEC_ERR_INTERNAL, "Failed to generate an ECDH key");
		return -1;
	}
	crypto_offer(p->crypto_methods, crypto, sizeof crypto);
	if (client_ad(p, crypto, offer, noffer, cmd, t ? t->sinful : NULL, pub_b64, port_pid(),
	              &w->m1, e) < 0)
		goto out;
	if (t && t->auth_command > 0) {
		/* DC_SEC_QUERY: the server authorizes this command instead */
		if (secad_set_int(&w->m1, SEC_ATTR_AUTH_COMMAND, t->auth_command, e) < 0)
			goto out;
		secad_sort_by_length(&w->m1);
	}
	dbg(D_SECURITY, "SECMAN: new session for command %d; offering methods %s, crypto %s",
	    cmd, secad_expr(&w->m1, SEC_ATTR_AUTH_METHODS) ? secad_expr(&w->m1, SEC_ATTR_AUTH_METHODS) : "(none)",
	    crypto[0] ? crypto : "(none)");

	/* M1 */
	if (cedar_put_int(c, CEDAR_DC_AUTHENTICATE, e) < 0 || secad_put(c, &w->m1, e) < 0 ||
	    cedar_end_send(c, e) < 0) {
		err_push(e, "SECMAN", SEC_ERR_COMMUNICATIONS, "Failed to send DC_AUTHENTICATE message");
		goto out;
	}
	/* M2 */
	if (read_ad(c, &w->m2, e) < 0) {
		if (c->closed)
			err_push(e, "SECMAN", SEC_ERR_COMMAND_NOT_REGISTERED,
			         "Connection closed during command authorization. Probably due to an unknown command.");
		else
			err_push(e, "SECMAN", SEC_ERR_COMMUNICATIONS,
			         "Read failure during security negotiation.");
		goto out;
	}
	a.reply = &w->m2;
	if (secad_get_str(&w->m2, SEC_ATTR_REMOTE_VERSION, server_version, sizeof server_version) != 1)
		server_version[0] = '\0';
	dbg(D_SECURITY, "SECMAN: server %s answered: Authentication %s, Encryption %s, Integrity %s",
	    server_version[0] ? server_version : "(no version)",
	    secad_expr(&w->m2, SEC_ATTR_AUTHENTICATION) ? secad_expr(&w->m2, SEC_ATTR_AUTHENTICATION) : "?",
	    secad_expr(&w->m2, SEC_ATTR_ENCRYPTION) ? secad_expr(&w->m2, SEC_ATTR_ENCRYPTION) : "?",
	    secad_expr(&w->m2, SEC_ATTR_INTEGRITY) ? secad_expr(&w->m2, SEC_ATTR_INTEGRITY) : "?");

	/* the three decisions must be there */
	{
		char v[3][16];
		const char *names[3] = { SEC_ATTR_AUTHENTICATION, SEC_ATTR_ENCRYPTION, SEC_ATTR_INTEGRITY };
		int r[3];
		for (int i = 0; i < 3; i++) {
			r[i] = secad_get_str(&w->m2, names[i], v[i], sizeof v[i]) == 1 ? sec_yes(v[i]) : -1;
			if (r[i] < 0) {
				err_push(e, "SECMAN", SEC_ERR_ATTRIBUTE_MISSING,
				         "Protocol Error: Action attribute missing.");
				goto out;
			}
		}
		auth_yes = r[0];
		enc_yes = r[1];
		int_yes = r[2];
	}
	has_pub = secad_get_str(&w->m2, SEC_ATTR_ECDH_PUBLIC_KEY, server_pub, sizeof server_pub) == 1 &&
	          server_pub[0];
	if (enc_yes || int_yes || has_pub) {
		if (secad_get_str(&w->m2, SEC_ATTR_CRYPTO_METHODS, text, sizeof text) != 1 || !text[0]) {
			if (enc_yes) {
				err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
				         "Remote server requires encryption but provided no crypto method to use; "
				         "potentially there were no mutually-compatible methods enabled between "
				         "client and server.");
				goto out;
			}
			has_pub = 0;
		} else {
			size_t fl = strcspn(text, ", ");
			m2_crypto = crypto_by_name(text, fl);
			if (m2_crypto != SEC_CRYPTO_AES && m2_crypto != SEC_CRYPTO_3DES) {
				char shown[96];
				text[fl < 64 ? fl : 64] = '\0';
				err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
				         "Remote server suggested a crypto method (%s) we don't support%s",
				         classad_clean_cstr(shown, sizeof shown, text),
				         m2_crypto == SEC_CRYPTO_BLOWFISH
				                 ? " (Mbed TLS 3.6 has no Blowfish)" : "");
				goto out;
			}
			if (m2_crypto == SEC_CRYPTO_3DES)
				dbg(D_SECURITY, "SECMAN: server chose legacy crypto 3DES");
		}
	}
	/* Refuse a reply that ignores what we REQUIRE (the stock tool does not
	 * check this and would carry on in plaintext). */
	if (eff.authentication_new == SEC_REQ_REQUIRED && !auth_yes) {
		err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
		         "Server declined authentication, which our policy requires");
		goto out;
	}
	if (eff.encryption == SEC_REQ_REQUIRED && !enc_yes) {
		err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
		         "Server declined encryption, which our policy requires");
		goto out;
	}
	if (eff.integrity == SEC_REQ_REQUIRED && !int_yes) {
		err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
		         "Server declined integrity checking, which our policy requires");
		goto out;
	}

	/* authentication */
	if (auth_yes) {
		int auth_required = 1, listed;
		ntodo = server_methods(&w->m2, offer, noffer, todo, &listed);
		if (secad_get_bool(&w->m2, SEC_ATTR_AUTH_REQUIRED, &auth_required) != 1)
			auth_required = 1;
		/* No list at all is a protocol error; a list with nothing we
		 * run still goes through the method handshake (offering none),
		 * which then fails as HTCondor's does. */
		if (!listed) {
			err_push(e, "SECMAN", SEC_ERR_ATTRIBUTE_MISSING, "Protocol Error: No auth methods.");
			goto out;
		}
		if (authenticate(c, &a, todo, ntodo, &used_bit, e) < 0) {
			if (auth_required || cedar_failed(c))
				goto out;
			dbg(D_SECURITY, "SECMAN: authentication failed but was not required; continuing");
			err_clear(e);
		} else {
			/* earlier methods' failures are history now (HTCondor
			 * clears its error stack here too) */
			err_clear(e);
			res->authenticated = 1;
			int kx = read_key_exchange(c, &a, used_bit, &key, &have_key, e);
			crypto_wipe(a.wrap_key, sizeof a.wrap_key);
			a.have_wrap_key = 0;
			if (kx < 0) {
				err_push(e, "AUTHENTICATE", SEC_ERR_AUTH_KEYEXCHANGE, "Failed to receive the session key");
				goto out;
			}
		}
	}

	/* key agreement: ECDH wins over a K2 key, as in HTCondor */
	if (has_pub) {
		if (sec_session_key_from_ecdh(w->ecdh_priv, server_pub, key.key, e) < 0)
			goto out;
		/* HKDF output is a prefix of a longer one: the 24-byte 3DES key
		 * is the first 24 bytes of the 32-byte derivation. */
		key.proto = m2_crypto == SEC_CRYPTO_3DES ? SEC_CRYPTO_3DES : SEC_CRYPTO_AES;
		key.len = key.proto == SEC_CRYPTO_3DES ? CEDAR_DES3_KEY_LEN : CEDAR_KEY_LEN;
		memset(key.key + key.len, 0, sizeof key.key - key.len);
		have_key = 1;
		dbg(D_SECURITY, "SECMAN: ECDH key exchange done; %s session key derived",
		    key.proto == SEC_CRYPTO_AES ? "AES-256-GCM" : "3DES");
	}
	if (have_key) {
		/* an AES key turns encryption on in both directions for good */
		if (crypto_start(c, &key, enc_yes, int_yes, e) < 0)
			goto out;
		res->encrypted = cedar_encrypting(c);
		if (key.proto != SEC_CRYPTO_AES && key.proto != SEC_CRYPTO_3DES)
			have_key = 0; /* unusable (and unneeded): do not cache it */
	} else if (enc_yes || int_yes) {
		err_push(e, "SECMAN", SEC_ERR_NO_KEY, "Failed to establish a crypto key%s",
		         enc_yes ? " (server requires encryption)" : " (server requires integrity)");
		goto out;
	}

	/* P1.  The stock error stack ends with this entry (a refused client
	 * sees the daemon hang up here): the stream's reason goes to the
	 * trace only. */
	saved_n = e ? e->n : 0;
	if (read_ad(c, &w->p1, e) < 0) {
		char why[ERR_MSG_LEN * 2];
		dbg(D_SECURITY, "SECMAN: reading the post-auth ad: %s", err_text(e, why, sizeof why));
		err_truncate(e, saved_n);
		err_push(e, "SECMAN", SEC_ERR_COMMUNICATIONS, "Failed to received post-auth ClassAd");
		goto out;
	}
	{
		char rcode[64], sid[SEC_SID_MAX], valid[4096], user[SEC_STR_MAX], dur[32];
		int64_t duration = 0;
		int grc = secad_get_str(&w->p1, SEC_ATTR_RETURN_CODE, rcode, sizeof rcode);
		if (grc < 0) {
			err_push(e, "SECMAN", SEC_ERR_AUTHORIZATION_FAILED,
			         "Server's ReturnCode is not a string of at most %zu bytes",
			         sizeof rcode - 1);
			goto out;
		}
		if (grc == 0)
			rcode[0] = '\0';
		if (secad_get_str(&w->p1, SEC_ATTR_USER, user, sizeof user) != 1)
			user[0] = '\0';
		/* The server's name for us is shown (traces, messages, the
		 * audit log): only ever in a terminal-safe form. */
		if (classad_str_unsafe(user, strlen(user))) {
			char shown[sizeof user];
			classad_safe_cstr(shown, sizeof shown, user);
			memcpy(user, shown, sizeof user);
		}
		if (rcode[0] && strcmp(rcode, "AUTHORIZED") != 0) {
			char shown[sizeof rcode + 8];
			err_push(e, "SECMAN", SEC_ERR_AUTHORIZATION_FAILED,
			         "Received \"%s\" from server for user %s using method %s.",
			         classad_clean_cstr(shown, sizeof shown, rcode), user[0] ? user : "(unknown)",
			         used_bit ? method_shown(used_bit) : "(none)");
			goto out;
		}
		if (secad_get_str(&w->p1, SEC_ATTR_SID, sid, sizeof sid) != 1 || !sid[0] ||
		    secad_get_str(&w->p1, SEC_ATTR_VALID_COMMANDS, valid, sizeof valid) != 1 || !valid[0]) {
			err_push(e, "SECMAN", SEC_ERR_ATTRIBUTE_MISSING,
			         "Post-auth ClassAd lacks Sid or ValidCommands (or they are too long)");
			goto out;
		}
		if (secad_get_str(&w->m2, SEC_ATTR_SESSION_DURATION, dur, sizeof dur) == 1)
			duration = strtoll(dur, NULL, 10);
		dbg(D_SECURITY, "SECMAN: session %s established; server maps us to '%s'", sid,
		    user[0] ? user : "(unknown)");
		if (cache && have_key &&
		    cache_store(cache, t, sid, key.key, key.proto, key.len, enc_yes, int_yes, valid,
		                duration, server_version, user, used_bit ? method_shown(used_bit) : "",
		                e) < 0)
			goto out;
		snprintf(res->sid, sizeof res->sid, "%s", sid);
		snprintf(res->user, sizeof res->user, "%s", user);
	}
	if (used_bit)
		snprintf(res->method, sizeof res->method, "%s", method_shown(used_bit));
	res->encryption = enc_yes;
	res->integrity = int_yes;
	snprintf(res->crypto, sizeof res->crypto, "%s",
	         !have_key ? "" : m2_crypto == SEC_CRYPTO_3DES ? "3DES" : "AES");
	if (secad_get_str(&w->m2, SEC_ATTR_AUTH_METHODS_LIST, res->methods_list,
	                  sizeof res->methods_list) != 1)
		res->methods_list[0] = '\0';
	snprintf(res->server_version, sizeof res->server_version, "%s", server_version);
	rc = 0;
out:
	if (rc != 0 && noffer == 0)
		why_none_offered(p, unusable, e);
	crypto_wipe(&key, sizeof key);
	crypto_wipe(a.wrap_key, sizeof a.wrap_key);
	crypto_wipe(w->ecdh_priv, sizeof w->ecdh_priv);
	return rc;
}
