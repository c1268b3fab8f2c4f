/*
 * jwt.c - split a JWT, base64url-decode its parts and pick the few string
 * and number claims the client needs out of the JSON, within fixed bounds.
 */
#include <stdio.h>
#include <string.h>

#include "jwt.h"
#include "port/crypto.h"

struct json {
	const char *p, *end;
};

static void ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* Decode a JSON string at j->p (on the opening quote) into out (cap, may be
 * NULL to skip).  Non-ASCII \u escapes are kept as UTF-8.  -1 bad syntax,
 * -2 too long. */
static int jstring(struct json *j, char *out, size_t cap)
{
	size_t k = 0;
	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned ch = (unsigned char)*j->p++;
		char enc[4];
		size_t en = 1;
		if (ch == '\\') {
			if (j->p >= j->end)
				return -1;
			ch = (unsigned char)*j->p++;
			switch (ch) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case 'b': ch = '\b'; break;
			case 'f': ch = '\f'; break;
			case '"': case '\\': case '/': break;
			case 'u': {
				unsigned v = 0;
				if (j->end - j->p < 4)
					return -1;
				for (int i = 0; i < 4; i++) {
					char h = j->p[i];
					v <<= 4;
					if (h >= '0' && h <= '9') v |= (unsigned)(h - '0');
					else if (h >= 'a' && h <= 'f') v |= (unsigned)(h - 'a' + 10);
					else if (h >= 'A' && h <= 'F') v |= (unsigned)(h - 'A' + 10);
					else return -1;
				}
				j->p += 4;
				if (v == 0)
					return -1; /* an embedded NUL cannot be a C string */
				if (v < 0x80) {
					ch = v;
				} else if (v < 0x800) {
					enc[0] = (char)(0xc0 | v >> 6);
					enc[1] = (char)(0x80 | (v & 0x3f));
					en = 2;
				} else {
					/* surrogates are passed through as 3-byte forms:
					 * these claims are compared, never displayed */
					enc[0] = (char)(0xe0 | v >> 12);
					enc[1] = (char)(0x80 | ((v >> 6) & 0x3f));
					enc[2] = (char)(0x80 | (v & 0x3f));
					en = 3;
				}
				break;
			}
			default:
				return -1;
			}
		} else if (ch < 0x20) {
			return -1;
		}
		if (en == 1)
			enc[0] = (char)ch;
		if (out) {
			if (k + en >= cap)
				return -2;
			memcpy(out + k, enc, en);
		}
		k += en;
	}
	if (j->p >= j->end)
		return -1;
	j->p++;
	if (out)
		out[k] = '\0';
	return 0;
}

static int jskip(struct json *j, int depth)
{
	ws(j);
	if (j->p >= j->end)
		return -1;
	if (*j->p == '"')
		return jstring(j, NULL, 0);
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';
		int obj = close == '}';
		if (depth >= JWT_JSON_DEPTH)
			return -1;
		j->p++;
		ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		for (;;) {
			if (obj) {
				ws(j);
				if (jstring(j, NULL, 0) < 0)
					return -1;
				ws(j);
				if (j->p >= j->end || *j->p != ':')
					return -1;
				j->p++;
			}
			if (jskip(j, depth + 1) < 0)
				return -1;
			ws(j);
			if (j->p >= j->end)
				return -1;
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			if (*j->p == close) {
				j->p++;
				return 0;
			}
			return -1;
		}
	}
	/* number or literal */
	{
		const char *s = j->p;
		/* *j->p first: strchr() finds the terminator, so a NUL byte
		 * would otherwise pass as part of a number */
		while (j->p < j->end && *j->p &&
		       (strchr("+-.eE0123456789", *j->p) || (*j->p >= 'a' && *j->p <= 'z')))
			j->p++;
		return j->p > s ? 0 : -1;
	}
}

struct want {
	const char *key;
	char *out; /* string claim */
	int *has;
	int64_t *num; /* number claim */
};

static int jobject(const char *txt, size_t n, const struct want *w, int nw, char *why,
                   size_t whylen)
{
	struct json j = { txt, txt + n };
	char key[64];
	ws(&j);
	if (j.p >= j.end || *j.p != '{')
		goto bad;
	j.p++;
	ws(&j);
	if (j.p < j.end && *j.p == '}') {
		j.p++;
		ws(&j);
		if (j.p != j.end)
			goto bad; /* trailing bytes after "{}" */
		return 0;
	}
	for (;;) {
		int rc, hit = -1;
		ws(&j);
		rc = jstring(&j, key, sizeof key);
		if (rc == -1)
			goto bad;
		if (rc == -2)
			key[0] = '\0'; /* long keys are never ones we want */
		ws(&j);
		if (j.p >= j.end || *j.p != ':')
			goto bad;
		j.p++;
		ws(&j);
		for (int i = 0; i < nw; i++)
			if (strcmp(key, w[i].key) == 0)
				hit = i;
		if (hit >= 0 && w[hit].out && j.p < j.end && *j.p == '"') {
			rc = jstring(&j, w[hit].out, JWT_FIELD_MAX);
			if (rc == -2) {
				snprintf(why, whylen, "claim \"%s\" longer than JWT_FIELD_MAX (%d)", key,
				         JWT_FIELD_MAX);
				return -1;
			}
			if (rc < 0)
				goto bad;
			*w[hit].has = 1;
		} else if (hit >= 0 && w[hit].num && j.p < j.end && (*j.p == '-' || (*j.p >= '0' && *j.p <= '9'))) {
			long long v = 0;
			int neg = *j.p == '-';
			const char *s;
			if (neg)
				j.p++;
			s = j.p;
			while (j.p < j.end && *j.p >= '0' && *j.p <= '9' && j.p - s < 18)
				v = v * 10 + (*j.p++ - '0');
			if (jskip(&j, 1) < 0 && j.p == s) /* allow fractions/exponents */
				goto bad;
			*w[hit].num = neg ? -v : v;
			*w[hit].has = 1;
		} else if (jskip(&j, 1) < 0) {
			goto bad;
		}
		ws(&j);
		if (j.p < j.end && *j.p == ',') {
			j.p++;
			continue;
		}
		if (j.p < j.end && *j.p == '}') {
			j.p++;
			ws(&j);
			if (j.p != j.end)
				goto bad;
			return 0;
		}
		goto bad;
	}
bad:
	snprintf(why, whylen, "malformed JSON");
	return -1;
}

int jwt_parse(const char *tok, size_t len, struct jwt *jw, char *why, size_t whylen)
{
	static const char b64url[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint8_t buf[JWT_MAX_LEN];
	size_t d1, d2, blen;
	const char *dot1, *dot2;

	memset(jw, 0, sizeof *jw);
	if (len > JWT_MAX_LEN) {
		snprintf(why, whylen, "token longer than JWT_MAX_LEN (%d)", JWT_MAX_LEN);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (tok[i] != '.' && !memchr(b64url, tok[i], sizeof b64url - 1)) {
			snprintf(why, whylen, "not a JWT (bad character)");
			return -1;
		}
	dot1 = memchr(tok, '.', len);
	dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - tok)) : NULL;
	if (!dot1 || !dot2 || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - tok))) {
		snprintf(why, whylen, "not a JWT (needs three dot-separated parts)");
		return -1;
	}
	d1 = (size_t)(dot1 - tok);
	d2 = (size_t)(dot2 - tok);
	jw->t_len = d2;

	if (crypto_base64url_decode(tok, d1, buf, sizeof buf, &blen) < 0) {
		snprintf(why, whylen, "bad base64url in header");
		return -1;
	}
	{
		struct want w[] = { { "kid", jw->kid, &jw->has_kid, NULL },
			            { "alg", jw->alg, &(int){ 0 }, NULL } };
		if (jobject((const char *)buf, blen, w, 2, why, whylen) < 0)
			return -1;
	}
	if (crypto_base64url_decode(dot1 + 1, d2 - d1 - 1, buf, sizeof buf, &blen) < 0) {
		snprintf(why, whylen, "bad base64url in payload");
		return -1;
	}
	{
		struct want w[] = { { "iss", jw->iss, &jw->has_iss, NULL },
			            { "sub", jw->sub, &jw->has_sub, NULL },
			            { "jti", jw->jti, &jw->has_jti, NULL },
			            { "exp", NULL, &jw->has_exp, &jw->exp },
			            { "iat", NULL, &jw->has_iat, &jw->iat } };
		if (jobject((const char *)buf, blen, w, 5, why, whylen) < 0)
			return -1;
	}
	if (crypto_base64url_decode(dot2 + 1, len - d2 - 1, jw->sig, sizeof jw->sig,
	                            &jw->sig_len) < 0 || jw->sig_len == 0) {
		snprintf(why, whylen, "bad or missing signature (at most JWT_SIG_MAX=%d bytes)",
		         JWT_SIG_MAX);
		return -1;
	}
	return 0;
}
