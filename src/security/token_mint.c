/*
 * token_mint.c - sign a short-lived IDTOKEN with a locally held pool
 * signing key (see token_mint.h for the rules and the layout).
 */
#include <stdio.h>
#include <string.h>

#include "debug.h"
#include "port/crypto.h"
#include "port/port.h"
#include "token_mint.h"

/* HTCondor hides key files behind a fixed XOR pattern (simple_scramble). */
static const uint8_t scramble_pattern[4] = { 0xde, 0xad, 0xbe, 0xef };

int token_mint_key_derive(struct token_mint_key *k, const char *name, int pool, int is_password,
                          const uint8_t *file, size_t n, char *why, size_t whylen)
{
	uint8_t raw[2 * TOKEN_MINT_KEY_FILE_MAX];
	size_t i, len = n;
	int rc;

	memset(k, 0, sizeof *k);
	if (n > TOKEN_MINT_KEY_FILE_MAX) {
		snprintf(why, whylen, "key is %zu bytes, over TOKEN_MINT_KEY_FILE_MAX (%d)", n,
		         TOKEN_MINT_KEY_FILE_MAX);
		return -1;
	}
	if (strlen(name) >= sizeof k->name) {
		snprintf(why, whylen, "key id longer than TOKEN_MINT_KEY_NAME_MAX (%d)",
		         TOKEN_MINT_KEY_NAME_MAX);
		return -1;
	}
	if (pool && is_password) {
		/* Pre-9.0 pool password files carry trailing NULs that the
		 * old code ignored; the knob asks for the same reading. */
		len = 0;
		while (len < n && file[len])
			len++;
	}
	for (i = 0; i < len; i++)
		raw[i] = file[i] ^ scramble_pattern[i % 4];
	if (pool && is_password) {
		size_t cut = 0;
		while (cut < len && raw[cut])
			cut++;
		len = cut;
	}
	if (len == 0) {
		crypto_wipe(raw, sizeof raw);
		snprintf(why, whylen, "key is empty");
		return -1;
	}
	if (pool) {
		/* kept from the pool-password code the POOL key grew out of:
		 * tokens signed since 8.9.12 depend on it */
		memcpy(raw + len, raw, len);
		len *= 2;
	}
	rc = crypto_hkdf_sha256("htcondor", 8, raw, len, "master jwt", 10, k->jwt_key,
	                        sizeof k->jwt_key);
	crypto_wipe(raw, sizeof raw);
	if (rc != 0) {
		crypto_wipe(k, sizeof *k);
		snprintf(why, whylen, "HKDF of the key failed");
		return -1;
	}
	memcpy(k->name, name, strlen(name) + 1);
	return 0;
}

/* Could this server-supplied id name a file outside the key directory, or
 * one HTCondor itself would never list? */
static int bad_key_id(const char *name)
{
	return !*name || strchr(name, '/') != NULL || tokens_name_excluded(name);
}

int token_mint_key_path(const struct token_mint_keys *kc, const char *name, char *path,
                        size_t cap, char *why, size_t whylen)
{
	int n;

	if (strcmp(name, "POOL") == 0) {
		if (!kc->pool_key_file || !*kc->pool_key_file) {
			snprintf(why, whylen, "SEC_TOKEN_POOL_SIGNING_KEY_FILE is not set");
			return -1;
		}
		n = snprintf(path, cap, "%s", kc->pool_key_file);
	} else {
		if (bad_key_id(name)) {
			snprintf(why, whylen, "refusing key id '%s' (not a plain file name)", name);
			return -1;
		}
		if (!kc->password_dir || !*kc->password_dir) {
			snprintf(why, whylen, "SEC_PASSWORD_DIRECTORY is not set");
			return -1;
		}
		n = snprintf(path, cap, "%s/%s", kc->password_dir, name);
	}
	if (n < 0 || (size_t)n >= cap) {
		snprintf(why, whylen, "key path longer than TOKENS_PATH_MAX (%d)", TOKENS_PATH_MAX);
		return -1;
	}
	return 0;
}

int token_mint_key_load(const struct token_mint_keys *kc, const char *name,
                        struct token_mint_key *k, char *why, size_t whylen)
{
	char path[TOKENS_PATH_MAX];
	char buf[TOKEN_MINT_KEY_FILE_MAX + 1];
	struct port_stat st;
	size_t len = 0;
	int pool = strcmp(name, "POOL") == 0, rc;

	memset(k, 0, sizeof *k);
	if (token_mint_key_path(kc, name, path, sizeof path, why, whylen) != 0)
		return 0;
	rc = port_file_read(path, buf, sizeof buf, &len, &st);
	if (rc == PORT_ENOENT) {
		snprintf(why, whylen, "%s does not exist", path);
		return 0;
	}
	if (rc == PORT_ETOOBIG) {
		snprintf(why, whylen, "%s is larger than TOKEN_MINT_KEY_FILE_MAX (%d bytes)", path,
		         TOKEN_MINT_KEY_FILE_MAX);
		return 0;
	}
	if (rc < 0) {
		snprintf(why, whylen, "cannot read %s (not a readable regular file)", path);
		return 0;
	}
	rc = 0;
	if (st.uid != kc->uid)
		snprintf(why, whylen, "%s is owned by uid %lu, not by uid %lu", path,
		         (unsigned long)st.uid, (unsigned long)kc->uid);
	else if (st.mode & 077)
		snprintf(why, whylen, "%s has mode %04o (group/other access; must be 0600 or stricter)",
		         path, (unsigned)st.mode);
	else if (len == 0)
		snprintf(why, whylen, "%s is empty", path);
	else {
		char w2[160];
		if (token_mint_key_derive(k, name, pool, pool && kc->pool_key_is_password,
		                          (const uint8_t *)buf, len, w2, sizeof w2) == 0)
			rc = 1;
		else
			snprintf(why, whylen, "%s: %s", path, w2);
	}
	crypto_wipe(buf, sizeof buf);
	return rc;
}

/* ---- listing the keys we hold ---------------------------------------- */

struct names {
	const struct token_mint_keys *kc;
	char *out;
	size_t cap, len;
	int count, pool_ok, pool_done, over;
};

static void names_add(struct names *w, const char *name)
{
	size_t k = strlen(name), sep = w->len ? 2 : 0;
	if (w->len + sep + k + 1 > w->cap) {
		w->over = 1;
		return;
	}
	if (sep)
		memcpy(w->out + w->len, ", ", 2);
	memcpy(w->out + w->len + sep, name, k + 1);
	w->len += sep + k;
	w->count++;
}

static int names_cb(const char *name, void *arg)
{
	struct names *w = arg;
	struct token_mint_key k;
	char why[TOKENS_PATH_MAX + 160];

	/* POOL means the pool key file wherever it is; keep the list sorted
	 * by slotting it in before the first larger name */
	if (w->pool_ok && !w->pool_done && strcmp("POOL", name) <= 0) {
		names_add(w, "POOL");
		w->pool_done = 1;
	}
	if (strcmp(name, "POOL") == 0 || tokens_name_excluded(name))
		return 0;
	if (token_mint_key_load(w->kc, name, &k, why, sizeof why) == 1)
		names_add(w, name);
	else
		dbg(D_SECURITY, "TOKEN: signing key %s not usable: %s", name, why);
	crypto_wipe(&k, sizeof k);
	return 0;
}

int token_mint_key_names(const struct token_mint_keys *kc, char *out, size_t cap)
{
	struct names w;
	struct token_mint_key k;
	char why[TOKENS_PATH_MAX + 160];

	memset(&w, 0, sizeof w);
	w.kc = kc;
	w.out = out;
	w.cap = cap;
	if (cap)
		out[0] = '\0';
	if (kc->pool_key_file && *kc->pool_key_file) {
		w.pool_ok = token_mint_key_load(kc, "POOL", &k, why, sizeof why) == 1;
		if (!w.pool_ok)
			dbg(D_SECURITY, "TOKEN: signing key POOL not usable: %s", why);
		crypto_wipe(&k, sizeof k);
	}
	if (kc->password_dir && *kc->password_dir) {
		int rc = port_dir_list(kc->password_dir, names_cb, &w);
		if (rc == PORT_ETOOBIG)
			dbg(D_SECURITY, "TOKEN: %s has more than PORT_DIR_MAX (%d) entries; only the first were read",
			    kc->password_dir, PORT_DIR_MAX);
		else if (rc < 0)
			dbg(D_SECURITY, "TOKEN: cannot list the signing key directory %s",
			    kc->password_dir);
	}
	if (w.pool_ok && !w.pool_done)
		names_add(&w, "POOL");
	if (w.over) {
		if (cap)
			out[0] = '\0';
		return -1;
	}
	return w.count;
}

/* ---- writing the token ------------------------------------------------ */

struct jbuf {
	char *p;
	size_t cap, len;
	int over;
};

static void jb_putc(struct jbuf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		b->over = 1;
		return;
	}
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static void jb_puts(struct jbuf *b, const char *s)
{
	while (*s)
		jb_putc(b, *s++);
}

/* Escape the way HTCondor's JSON writer does, so a trust domain with odd
 * bytes gives the same payload text a stock tool would sign. */
static void jb_str(struct jbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;

	jb_putc(b, '"');
	for (; *u; u++) {
		switch (*u) {
		case '"': jb_puts(b, "\\\""); break;
		case '\\': jb_puts(b, "\\\\"); break;
		case '/': jb_puts(b, "\\/"); break;
		case '\b': jb_puts(b, "\\b"); break;
		case '\f': jb_puts(b, "\\f"); break;
		case '\n': jb_puts(b, "\\n"); break;
		case '\r': jb_puts(b, "\\r"); break;
		case '\t': jb_puts(b, "\\t"); break;
		default:
			if (*u < 0x20 || *u == 0x7f) {
				jb_puts(b, "\\u00");
				jb_putc(b, hex[*u >> 4]);
				jb_putc(b, hex[*u & 15]);
			} else {
				jb_putc(b, (char)*u);
			}
		}
	}
	jb_putc(b, '"');
}

static void jb_key(struct jbuf *b, const char *k)
{
	if (b->len > 1)
		jb_putc(b, ',');
	jb_str(b, k);
	jb_putc(b, ':');
}

static void jb_int(struct jbuf *b, int64_t v)
{
	char t[32];
	snprintf(t, sizeof t, "%lld", (long long)v);
	jb_puts(b, t);
}

int token_mint_sign(const struct token_mint_key *k, const struct token_mint_claims *c,
                    char *out, size_t cap, struct err *e)
{
	/* escaping can make a claim six times longer than its bytes */
	char header[6 * TOKEN_MINT_KEY_NAME_MAX + 32], payload[JWT_MAX_LEN], jti[33];
	struct jbuf hb = { header, sizeof header, 0, 0 };
	struct jbuf pb = { payload, sizeof payload, 0, 0 };
	static const char hex[] = "0123456789abcdef";
	uint8_t rnd[16], sig[32];
	size_t hl, pl, sl;
	const char *s;

	if (!c->sub || !*c->sub) {
		err_push(e, "TOKEN", 1, "Token subject is empty");
		return -1;
	}
	if (!c->iss || !*c->iss) {
		err_push(e, "TOKEN", 1, "Issuer namespace (TRUST_DOMAIN) is not set");
		return -1;
	}
	for (s = c->iss; *s; s++)
		if (*s == ' ' || *s == ',' || *s == '\t') {
			err_push(e, "TOKEN", 1, "Issuer namespace (TRUST_DOMAIN) may not contain spaces or commas");
			return -1;
		}
	if (c->jti) {
		if (strlen(c->jti) >= sizeof jti) {
			err_push(e, "TOKEN", 1, "Token id longer than 32 characters");
			return -1;
		}
		memcpy(jti, c->jti, strlen(c->jti) + 1);
	} else {
		if (port_random(rnd, sizeof rnd) != 0) {
			err_push(e, "TOKEN", 1, "Failed to generate a token id (no randomness)");
			return -1;
		}
		for (int i = 0; i < 16; i++) {
			jti[2 * i] = hex[rnd[i] >> 4];
			jti[2 * i + 1] = hex[rnd[i] & 15];
		}
		jti[32] = '\0';
	}

	header[0] = payload[0] = '\0';
	jb_putc(&hb, '{');
	jb_key(&hb, "alg");
	jb_str(&hb, "HS256");
	jb_key(&hb, "kid");
	jb_str(&hb, k->name);
	jb_putc(&hb, '}');

	jb_putc(&pb, '{');
	if (c->lifetime >= 0) {
		jb_key(&pb, "exp");
		jb_int(&pb, c->iat + c->lifetime);
	}
	jb_key(&pb, "iat");
	jb_int(&pb, c->iat);
	jb_key(&pb, "iss");
	jb_str(&pb, c->iss);
	jb_key(&pb, "jti");
	jb_str(&pb, jti);
	if (c->authz && *c->authz) {
		/* "READ,WRITE" -> "condor:/READ condor:/WRITE" (claims stay in
		 * alphabetical order: exp, iat, iss, jti, scope, sub) */
		char scope[JWT_MAX_LEN];
		struct jbuf sb = { scope, sizeof scope, 0, 0 };
		const char *p = c->authz;

		scope[0] = '\0';
		if (c->authz_sep) {
			/* each value as given (condor_token_create's -authz) */
			const char sep[2] = {c->authz_sep, '\0'};
			for (;;) {
				size_t wl = strcspn(p, sep);
				if (sb.len)
					jb_putc(&sb, ' ');
				jb_puts(&sb, "condor:/");
				for (size_t i = 0; i < wl; i++)
					jb_putc(&sb, p[i]);
				if (!p[wl])
					break;
				p += wl + 1;
			}
		} else while (*p) {
			size_t wl = strcspn(p, ", ");
			if (wl) {
				if (sb.len)
					jb_putc(&sb, ' ');
				jb_puts(&sb, "condor:/");
				for (size_t i = 0; i < wl; i++)
					jb_putc(&sb, p[i]);
			}
			p += wl;
			p += strspn(p, ", ");
		}
		if (sb.over)
			goto toobig;
		if (sb.len) {
			jb_key(&pb, "scope");
			jb_str(&pb, scope);
		}
	}
	jb_key(&pb, "sub");
	jb_str(&pb, c->sub);
	jb_putc(&pb, '}');
	if (hb.over || pb.over)
		goto toobig;

	if (crypto_base64url_encode(header, hb.len, out, cap, &hl) != 0 || hl + 1 >= cap)
		goto toobig;
	out[hl] = '.';
	if (crypto_base64url_encode(payload, pb.len, out + hl + 1, cap - hl - 1, &pl) != 0 ||
	    hl + 1 + pl + 1 >= cap)
		goto toobig;
	if (crypto_hmac_sha256(k->jwt_key, sizeof k->jwt_key, out, hl + 1 + pl, sig) != 0) {
		err_push(e, "TOKEN", 1, "Failed to sign the token (HMAC-SHA256)");
		return -1;
	}
	out[hl + 1 + pl] = '.';
	if (crypto_base64url_encode(sig, sizeof sig, out + hl + pl + 2, cap - hl - pl - 2, &sl) !=
	    0) {
		crypto_wipe(sig, sizeof sig);
		goto toobig;
	}
	crypto_wipe(sig, sizeof sig);
	return 0;
toobig:
	if (cap)
		out[0] = '\0';
	err_push(e, "TOKEN", 1, "Token longer than JWT_MAX_LEN (%d bytes) or the output buffer",
	         JWT_MAX_LEN);
	return -1;
}

/* ---- fetchLogin's fallback ------------------------------------------- */

int token_mint_for_server(const struct token_mint_keys *kc, const char *my_trust_domain,
                          const char *server_td, const char *server_keys, int new_name,
                          struct token_choice *out, struct err *e)
{
	struct token_mint_key k;
	struct token_mint_claims c;
	char why[TOKENS_PATH_MAX + 160], id[TOKEN_MINT_KEY_NAME_MAX];
	const char *p;
	int found = 0, rc;

	if (!server_td || !*server_td || !my_trust_domain || !*my_trust_domain ||
	    strcmp(server_td, my_trust_domain) != 0) {
		dbg(D_SECURITY, "TOKEN: not minting a token: the server's trust domain '%s' is not ours ('%s')",
		    server_td ? server_td : "", my_trust_domain ? my_trust_domain : "");
		return 0;
	}
	if (!server_keys || !*server_keys) {
		dbg(D_SECURITY, "TOKEN: not minting a token: the server named no signing keys");
		return 0;
	}
	/* the server's own order (sorted by HTCondor); first key we hold wins */
	for (p = server_keys; *p && !found;) {
		size_t n;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, ", \t");
		if (!n)
			break;
		if (n >= sizeof id) {
			dbg(D_SECURITY, "TOKEN: skipping a server key id over TOKEN_MINT_KEY_NAME_MAX (%d)",
			    TOKEN_MINT_KEY_NAME_MAX);
		} else {
			memcpy(id, p, n);
			id[n] = '\0';
			if (token_mint_key_load(kc, id, &k, why, sizeof why) == 1)
				found = 1;
			else
				dbg(D_SECURITY, "TOKEN: cannot sign with key %s: %s", id, why);
		}
		p += n;
	}
	if (!found) {
		dbg(D_SECURITY, "TOKEN: no signing key of the server's (%s) is usable here", server_keys);
		return 0;
	}

	memset(&c, 0, sizeof c);
	c.sub = new_name ? TOKEN_MINT_SUB : TOKEN_MINT_SUB_PRE_23_9;
	c.iss = my_trust_domain;
	c.iat = port_time_now();
	c.lifetime = TOKEN_MINT_LIFETIME;
	dbg(D_SECURITY, "TOKEN: minting a token with key %s for %s (issuer %s, lifetime %d s)", k.name,
	    c.sub, c.iss, TOKEN_MINT_LIFETIME);
	rc = token_mint_sign(&k, &c, out->text, sizeof out->text, e);
	crypto_wipe(&k, sizeof k);
	if (rc < 0)
		return -1;
	out->len = strlen(out->text);
	if (jwt_parse(out->text, out->len, &out->jwt, why, sizeof why) < 0) {
		crypto_wipe(out->text, sizeof out->text);
		err_push(e, "TOKEN", 1, "Minted token does not parse: %s", why);
		return -1;
	}
	out->name = out->jwt.sub;
	snprintf(out->source, sizeof out->source, "(minted with key %s)", out->jwt.kid);
	return 1;
}
