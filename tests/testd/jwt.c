/*
 * jwt.c - signing key derivation, token issue and token decoding for the
 * test daemon.  See jwt.h for the formats.
 */
#include "jwt.h"

#include <stdio.h>
#include <string.h>

#include "port/crypto.h"
#include "port/port.h"
#include "token_mint.h"

int testd_key_from_file_bytes(struct testd_key *k, const char *name, int pool,
                              const uint8_t *file, size_t n, struct err *e)
{
	struct token_mint_key mk;
	char why[256];

	memset(k, 0, sizeof *k);
	if (n > TESTD_KEYFILE_MAX) {
		err_push(e, "TOKEN", 1, "signing key is %zu bytes, over TESTD_KEYFILE_MAX (%d)", n,
		         TESTD_KEYFILE_MAX);
		return -1;
	}
	if (strlen(name) >= sizeof k->name) {
		err_push(e, "TOKEN", 1, "signing key name longer than %zu bytes", sizeof k->name - 1);
		return -1;
	}
	/* The client's own derivation (the self-minting path) is the one
	 * HTCondor uses on both sides. */
	if (token_mint_key_derive(&mk, name, pool, 0, file, n, why, sizeof why) != 0) {
		err_push(e, "TOKEN", 1, "signing key %s: %s", name, why);
		return -1;
	}
	memcpy(k->jwt_key, mk.jwt_key, sizeof k->jwt_key);
	crypto_wipe(&mk, sizeof mk);
	snprintf(k->name, sizeof k->name, "%s", name);
	k->have = 1;
	return 0;
}

int testd_key_load(struct testd_key *k, const char *name, const char *path, struct err *e)
{
	char buf[TESTD_KEYFILE_MAX + 1];
	size_t n = 0;
	int rc;

	memset(k, 0, sizeof *k);
	rc = port_file_read(path, buf, sizeof buf, &n, NULL);
	if (rc == PORT_ETOOBIG) {
		err_push(e, "TOKEN", 1, "signing key file %s is over TESTD_KEYFILE_MAX (%d bytes)",
		         path, TESTD_KEYFILE_MAX);
		return -1;
	}
	if (rc < 0) {
		err_push(e, "TOKEN", 1, "cannot read signing key file %s (error %d)", path, rc);
		return -1;
	}
	rc = testd_key_from_file_bytes(k, name, strcmp(name, "POOL") == 0,
	                               (const uint8_t *)buf, n, e);
	crypto_wipe(buf, sizeof buf);
	return rc;
}

int testd_jwt_mint(const struct testd_key *k, const struct testd_mint *m, char *out,
                   size_t cap, struct err *e)
{
	struct token_mint_key mk;
	struct token_mint_claims c;
	int rc;

	if (!k || !k->have) {
		err_push(e, "TOKEN", 4, "Server does not have a signing key configured.");
		return -1;
	}
	memset(&mk, 0, sizeof mk);
	memset(&c, 0, sizeof c);
	snprintf(mk.name, sizeof mk.name, "%s", k->name);
	memcpy(mk.jwt_key, k->jwt_key, sizeof mk.jwt_key);
	c.sub = m->sub;
	c.iss = m->iss;
	c.iat = m->iat;
	c.lifetime = m->lifetime;
	c.jti = m->jti;
	c.authz = m->authz;
	rc = token_mint_sign(&mk, &c, out, cap < TESTD_JWT_MAX ? cap : TESTD_JWT_MAX, e);
	crypto_wipe(&mk, sizeof mk);
	return rc;
}

int testd_jwt_sign(const struct testd_key *k, const char *hp, size_t n, uint8_t sig[32])
{
	return crypto_hmac_sha256(k->jwt_key, sizeof k->jwt_key, hp, n, sig) == 0 ? 0 : -1;
}

int testd_jwt_verify(const struct testd_key *k, const struct testd_jwt *j)
{
	uint8_t sig[32];
	unsigned diff = 0;
	size_t i;

	if (!k || !k->have || strcmp(j->alg, "HS256") != 0 || j->sig_len != 32)
		return 0;
	if (testd_jwt_sign(k, j->hp, j->hp_len, sig) != 0)
		return 0;
	for (i = 0; i < 32; i++)
		diff |= (unsigned)(sig[i] ^ j->sig[i]);
	crypto_wipe(sig, sizeof sig);
	return diff == 0;
}

/* ---- JSON reading ---------------------------------------------------- */

struct jin {
	const char *p, *end;
};

static void jskip_ws(struct jin *in)
{
	while (in->p < in->end &&
	       (*in->p == ' ' || *in->p == '\t' || *in->p == '\n' || *in->p == '\r'))
		in->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int read_u16(struct jin *in, unsigned *v)
{
	int i, h;
	*v = 0;
	if (in->end - in->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		h = hexval(in->p[i]);
		if (h < 0)
			return -1;
		*v = *v * 16 + (unsigned)h;
	}
	in->p += 4;
	return 0;
}

/* Parse a JSON string into out (UTF-8, NUL-terminated).  out may be NULL
 * to skip.  Returns 0, -1 syntax, -2 too long.  An embedded \u0000 is
 * refused: identities are C strings everywhere downstream. */
static int jstring(struct jin *in, char *out, size_t cap)
{
	size_t o = 0;
	if (in->p >= in->end || *in->p != '"')
		return -1;
	in->p++;
	while (in->p < in->end && *in->p != '"') {
		unsigned char c = (unsigned char)*in->p++;
		char enc[4];
		size_t el = 0;
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			enc[el++] = (char)c;
		} else {
			unsigned cp;
			if (in->p >= in->end)
				return -1;
			c = (unsigned char)*in->p++;
			switch (c) {
			case '"': case '\\': case '/': enc[el++] = (char)c; break;
			case 'b': enc[el++] = '\b'; break;
			case 'f': enc[el++] = '\f'; break;
			case 'n': enc[el++] = '\n'; break;
			case 'r': enc[el++] = '\r'; break;
			case 't': enc[el++] = '\t'; break;
			case 'u':
				if (read_u16(in, &cp) != 0)
					return -1;
				if (cp >= 0xd800 && cp < 0xdc00) {
					unsigned lo;
					if (in->end - in->p < 6 || in->p[0] != '\\' || in->p[1] != 'u')
						return -1;
					in->p += 2;
					if (read_u16(in, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
						return -1;
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				} else if (cp >= 0xdc00 && cp < 0xe000) {
					return -1;
				}
				if (cp == 0)
					return -1;
				if (cp < 0x80) {
					enc[el++] = (char)cp;
				} else if (cp < 0x800) {
					enc[el++] = (char)(0xc0 | (cp >> 6));
					enc[el++] = (char)(0x80 | (cp & 0x3f));
				} else if (cp < 0x10000) {
					enc[el++] = (char)(0xe0 | (cp >> 12));
					enc[el++] = (char)(0x80 | ((cp >> 6) & 0x3f));
					enc[el++] = (char)(0x80 | (cp & 0x3f));
				} else {
					enc[el++] = (char)(0xf0 | (cp >> 18));
					enc[el++] = (char)(0x80 | ((cp >> 12) & 0x3f));
					enc[el++] = (char)(0x80 | ((cp >> 6) & 0x3f));
					enc[el++] = (char)(0x80 | (cp & 0x3f));
				}
				break;
			default:
				return -1;
			}
		}
		if (out) {
			if (o + el >= cap)
				return -2;
			memcpy(out + o, enc, el);
			o += el;
		}
	}
	if (in->p >= in->end)
		return -1;
	in->p++;
	if (out)
		out[o] = '\0';
	return 0;
}

/* A JSON number; fractions and exponents are accepted and truncated
 * toward zero (times are whole seconds). */
static int jnumber(struct jin *in, int64_t *v)
{
	int neg = 0, digits = 0;
	int64_t x = 0;
	if (in->p < in->end && *in->p == '-') {
		neg = 1;
		in->p++;
	}
	while (in->p < in->end && *in->p >= '0' && *in->p <= '9') {
		if (x > (INT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (*in->p++ - '0');
		digits++;
	}
	if (!digits)
		return -1;
	if (in->p < in->end && *in->p == '.') {
		in->p++;
		while (in->p < in->end && *in->p >= '0' && *in->p <= '9')
			in->p++;
	}
	if (in->p < in->end && (*in->p == 'e' || *in->p == 'E')) {
		/* Exponents are not produced by any issuer we emulate. */
		return -1;
	}
	*v = neg ? -x : x;
	return 0;
}

static int jskip_value(struct jin *in, int depth)
{
	jskip_ws(in);
	if (in->p >= in->end)
		return -1;
	if (depth > TESTD_JSON_DEPTH)
		return -1;
	if (*in->p == '"')
		return jstring(in, NULL, 0);
	if (*in->p == '{' || *in->p == '[') {
		char close = *in->p == '{' ? '}' : ']';
		int obj = *in->p == '{';
		in->p++;
		jskip_ws(in);
		if (in->p < in->end && *in->p == close) {
			in->p++;
			return 0;
		}
		for (;;) {
			if (obj) {
				jskip_ws(in);
				if (jstring(in, NULL, 0) != 0)
					return -1;
				jskip_ws(in);
				if (in->p >= in->end || *in->p != ':')
					return -1;
				in->p++;
			}
			if (jskip_value(in, depth + 1) != 0)
				return -1;
			jskip_ws(in);
			if (in->p >= in->end)
				return -1;
			if (*in->p == ',') {
				in->p++;
				continue;
			}
			if (*in->p == close) {
				in->p++;
				return 0;
			}
			return -1;
		}
	}
	if (in->end - in->p >= 4 && !memcmp(in->p, "true", 4)) {
		in->p += 4;
		return 0;
	}
	if (in->end - in->p >= 5 && !memcmp(in->p, "false", 5)) {
		in->p += 5;
		return 0;
	}
	if (in->end - in->p >= 4 && !memcmp(in->p, "null", 4)) {
		in->p += 4;
		return 0;
	}
	{
		int64_t v;
		return jnumber(in, &v);
	}
}

/* Walk a JSON object; for each known key store the value. */
static int jobject(const char *text, size_t n, struct testd_jwt *j, int header, struct err *e)
{
	struct jin in = {text, text + n};
	char key[64];

	jskip_ws(&in);
	if (in.p >= in.end || *in.p != '{')
		goto bad;
	in.p++;
	jskip_ws(&in);
	if (in.p < in.end && *in.p == '}') {
		in.p++;
		goto done;
	}
	for (;;) {
		char *dst = NULL;
		size_t cap = 0;
		int *flag = NULL, rc;
		int64_t *num = NULL;

		jskip_ws(&in);
		rc = jstring(&in, key, sizeof key);
		if (rc == -2)
			key[0] = '\0'; /* an over-long key is no key we know */
		else if (rc != 0)
			goto bad;
		jskip_ws(&in);
		if (in.p >= in.end || *in.p != ':')
			goto bad;
		in.p++;
		jskip_ws(&in);
		if (header) {
			if (!strcmp(key, "alg"))
				dst = j->alg, cap = sizeof j->alg;
			else if (!strcmp(key, "kid"))
				dst = j->kid, cap = sizeof j->kid, flag = &j->has_kid;
		} else {
			if (!strcmp(key, "iss"))
				dst = j->iss, cap = sizeof j->iss, flag = &j->has_iss;
			else if (!strcmp(key, "sub"))
				dst = j->sub, cap = sizeof j->sub, flag = &j->has_sub;
			else if (!strcmp(key, "jti"))
				dst = j->jti, cap = sizeof j->jti, flag = &j->has_jti;
			else if (!strcmp(key, "scope"))
				dst = j->scope, cap = sizeof j->scope, flag = &j->has_scope;
			else if (!strcmp(key, "iat"))
				num = &j->iat, flag = &j->has_iat;
			else if (!strcmp(key, "exp"))
				num = &j->exp, flag = &j->has_exp;
		}
		if (dst) {
			rc = jstring(&in, dst, cap);
			if (rc == -2) {
				err_push(e, "TOKEN", 1, "claim '%s' over %zu bytes", key, cap - 1);
				return -1;
			}
			if (rc != 0) {
				err_push(e, "TOKEN", 1, "claim '%s' is not a valid string", key);
				return -1;
			}
			if (flag)
				*flag = 1;
		} else if (num) {
			if (jnumber(&in, num) != 0) {
				err_push(e, "TOKEN", 1, "claim '%s' is not an integer", key);
				return -1;
			}
			*flag = 1;
		} else if (jskip_value(&in, 1) != 0) {
			goto bad;
		}
		jskip_ws(&in);
		if (in.p >= in.end)
			goto bad;
		if (*in.p == ',') {
			in.p++;
			continue;
		}
		if (*in.p == '}') {
			in.p++;
			break;
		}
		goto bad;
	}
done:
	jskip_ws(&in);
	if (in.p != in.end)
		goto bad;
	return 0;
bad:
	err_push(e, "TOKEN", 1, "token %s is not a JSON object", header ? "header" : "payload");
	return -1;
}

int testd_jwt_decode(const char *text, size_t n, struct testd_jwt *j, struct err *e)
{
	char json[TESTD_JWT_MAX];
	const char *dot1, *dot2;
	size_t jl;

	memset(j, 0, sizeof *j);
	if (n >= TESTD_JWT_MAX) {
		err_push(e, "TOKEN", 1, "token over TESTD_JWT_MAX (%d bytes)", TESTD_JWT_MAX);
		return -1;
	}
	dot1 = memchr(text, '.', n);
	if (!dot1) {
		err_push(e, "TOKEN", 1, "token has no '.'");
		return -1;
	}
	dot2 = memchr(dot1 + 1, '.', (size_t)(text + n - dot1 - 1));
	j->hp_len = dot2 ? (size_t)(dot2 - text) : n;
	memcpy(j->hp, text, j->hp_len);
	j->hp[j->hp_len] = '\0';

	if (crypto_base64url_decode(text, (size_t)(dot1 - text), (uint8_t *)json, sizeof json - 1,
	                            &jl) != 0) {
		err_push(e, "TOKEN", 1, "token header is not base64url");
		return -1;
	}
	if (memchr(json, 0, jl) || jobject(json, jl, j, 1, e) != 0)
		goto badjson;
	if (crypto_base64url_decode(dot1 + 1, j->hp_len - (size_t)(dot1 + 1 - text),
	                            (uint8_t *)json, sizeof json - 1, &jl) != 0) {
		err_push(e, "TOKEN", 1, "token payload is not base64url");
		return -1;
	}
	if (memchr(json, 0, jl) || jobject(json, jl, j, 0, e) != 0)
		goto badjson;
	if (dot2) {
		size_t sl = (size_t)(text + n - dot2 - 1);
		if (memchr(dot2 + 1, '.', sl) ||
		    crypto_base64url_decode(dot2 + 1, sl, j->sig, sizeof j->sig, &j->sig_len) != 0) {
			err_push(e, "TOKEN", 1, "token signature is not base64url (or over 64 bytes)");
			return -1;
		}
	}
	return 0;
badjson:
	err_push(e, "TOKEN", 1, "token is not a valid JWT");
	return -1;
}

int testd_scope_to_authz(const char *scope, char *out, size_t cap)
{
	size_t o = 0;
	const char *p = scope;

	if (cap == 0)
		return -1;
	out[0] = '\0';
	while (*p) {
		size_t wl;
		while (*p == ' ')
			p++;
		wl = strcspn(p, " ");
		if (wl > 8 && !strncmp(p, "condor:/", 8)) {
			if (o + (o ? 1 : 0) + wl - 8 >= cap)
				return -1;
			if (o)
				out[o++] = ',';
			memcpy(out + o, p + 8, wl - 8);
			o += wl - 8;
			out[o] = '\0';
		}
		p += wl;
	}
	return 0;
}
