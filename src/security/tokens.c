/*
 * tokens.c - choose an IDTOKEN the way HTCondor's TOKEN client does.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "debug.h"
#include "port/crypto.h"
#include "port/port.h"
#include "tokens.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int tokens_name_excluded(const char *name)
{
	static const char *const suffixes[] = { ".pl", ".py", ".sh", "~", ".rpmsave",
		                                 ".rpmnew", ".dpkg-old", ".dpkg-dist",
		                                 ".cfsaved" };
	if (name[0] == '.' || name[0] == '#')
		return 1;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (ends_with(name, suffixes[i]))
			return 1;
	return 0;
}

int tokens_pick_dir(const char *token_dir, const char *system_dir, const char *home,
                    uint32_t euid, char *out, size_t cap)
{
	int n;
	if (token_dir && *token_dir)
		n = snprintf(out, cap, "%s", token_dir);
	else if (euid != 0 && home && *home)
		n = snprintf(out, cap, "%s/.condor/tokens.d", home);
	else if (euid != 0)
		n = snprintf(out, cap, "%s", ""); /* no home: no user tokens */
	else
		n = snprintf(out, cap, "%s",
		             system_dir && *system_dir ? system_dir : "/etc/condor/tokens.d");
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* checkToken: 1 usable (name set), 0 not (reason in why). */
static int check_token(const struct tokens_query *q, const char *tok, size_t len,
                       struct token_choice *out, char *why, size_t whylen)
{
	struct jwt *j = &out->jwt;
	if (jwt_parse(tok, len, j, why, whylen) < 0)
		return 0;
	if (!j->has_kid) {
		snprintf(why, whylen, "no key id (kid)");
		return 0;
	}
	if (q->issuer_keys && *q->issuer_keys) {
		/* the server's list is separated by commas and/or blanks */
		const char *p = q->issuer_keys;
		int found = 0;
		while (*p && !found) {
			size_t k;
			while (*p == ',' || *p == ' ' || *p == '\t')
				p++;
			k = strcspn(p, ", \t");
			if (k && k == strlen(j->kid) && strncmp(p, j->kid, k) == 0)
				found = 1;
			p += k;
		}
		if (!found) {
			snprintf(why, whylen, "signed with key '%s', server has only '%s'", j->kid,
			         q->issuer_keys);
			return 0;
		}
	}
	if (!j->has_iss) {
		snprintf(why, whylen, "no issuer (iss)");
		return 0;
	}
	if (q->trust_domain && *q->trust_domain && strcmp(j->iss, q->trust_domain) != 0) {
		snprintf(why, whylen, "issuer '%s' is not the server's trust domain '%s'", j->iss,
		         q->trust_domain);
		return 0;
	}
	if (!j->has_sub && !j->has_jti) {
		snprintf(why, whylen, "neither subject (sub) nor id (jti)");
		return 0;
	}
	memcpy(out->text, tok, len);
	out->text[len] = '\0';
	out->len = len;
	out->name = j->has_sub ? j->sub : j->jti;
	return 1;
}

/* Try each line of buf; 1 if one is usable. */
static int scan_lines(const struct tokens_query *q, char *buf, size_t n,
                      struct token_choice *out, const char *src)
{
	size_t pos = 0;
	int lineno = 0;
	while (pos < n) {
		size_t end = pos, s, e2;
		char why[160];
		while (end < n && buf[end] != '\n')
			end++;
		lineno++;
		s = pos;
		e2 = end;
		while (s < e2 && (buf[s] == ' ' || buf[s] == '\t' || buf[s] == '\r'))
			s++;
		while (e2 > s && (buf[e2 - 1] == ' ' || buf[e2 - 1] == '\t' || buf[e2 - 1] == '\r'))
			e2--;
		pos = end + 1;
		if (s == e2 || buf[s] == '#')
			continue;
		if (check_token(q, buf + s, e2 - s, out, why, sizeof why)) {
			dbg(D_SECURITY, "TOKEN: using token from %s line %d (subject '%s', issuer '%s', key '%s')",
			    src, lineno, out->name, out->jwt.iss, out->jwt.kid);
			return 1;
		}
		dbg(D_SECURITY, "TOKEN: skipping token in %s line %d: %s", src, lineno, why);
	}
	return 0;
}

struct walk {
	const struct tokens_query *q;
	struct token_choice *out;
	struct err *e;
	char auto_name[PORT_NAME_MAX]; /* "<SUBSYS>_auto_generated_token" */
	int pass; /* 0: the auto-generated file only; 1: all others */
	int found, failed;
};

static int try_file(struct walk *w, const char *name)
{
	char path[TOKENS_PATH_MAX];
	struct port_stat st;
	size_t len = 0;
	int n = snprintf(path, sizeof path, "%s/%s", w->q->dir, name), rc;

	if (n < 0 || (size_t)n >= sizeof path) {
		dbg(D_SECURITY, "TOKEN: skipping %s/%s: path longer than TOKENS_PATH_MAX (%d)",
		    w->q->dir, name, TOKENS_PATH_MAX);
		return 0;
	}
	if (port_file_stat(path, &st) == 0 && st.is_dir)
		return 0;
	rc = port_file_read(path, w->out->filebuf, sizeof w->out->filebuf, &len, &st);
	if (rc == PORT_ETOOBIG) {
		dbg(D_SECURITY, "TOKEN: ignoring %s: larger than TOKENS_FILE_MAX (%d bytes)", path,
		    TOKENS_FILE_MAX);
		return 0;
	}
	if (rc < 0) {
		dbg(D_SECURITY, "TOKEN: ignoring %s: cannot read it", path);
		return 0;
	}
	if (!st.is_reg) {
		dbg(D_SECURITY, "TOKEN: ignoring %s: not a regular file", path);
		return 0;
	}
	if (st.uid != w->q->uid) {
		dbg(D_SECURITY, "TOKEN: ignoring %s: owned by uid %lu, not by uid %lu", path,
		    (unsigned long)st.uid, (unsigned long)w->q->uid);
		return 0;
	}
	if (st.mode & 077) {
		dbg(D_SECURITY, "TOKEN: ignoring %s: mode %04o allows group/other access (must be 0600 or stricter)",
		    path, (unsigned)st.mode);
		return 0;
	}
	rc = scan_lines(w->q, w->out->filebuf, len, w->out, path);
	/* the chosen token was copied out; the rest need not linger */
	crypto_wipe(w->out->filebuf, len);
	if (rc)
		snprintf(w->out->source, sizeof w->out->source, "%s", path);
	return rc;
}

static int walk_cb(const char *name, void *arg)
{
	struct walk *w = arg;
	int is_auto = strcasecmp(name, w->auto_name) == 0;
	if (w->pass == 0 ? !is_auto : is_auto)
		return 0;
	if (tokens_name_excluded(name)) {
		dbg(D_SECURITY, "TOKEN: skipping %s/%s: excluded file name", w->q->dir, name);
		return 0;
	}
	if (try_file(w, name)) {
		w->found = 1;
		return 1;
	}
	return 0;
}

int tokens_find(const struct tokens_query *q, struct token_choice *out, struct err *e)
{
	struct walk w;
	char why[160];

	out->name = NULL;
	out->source[0] = '\0';
	if (q->explicit_token && *q->explicit_token) {
		size_t n = strlen(q->explicit_token);
		if (check_token(q, q->explicit_token, n, out, why, sizeof why)) {
			snprintf(out->source, sizeof out->source, "(explicit)");
			dbg(D_SECURITY, "TOKEN: using the explicitly given token (subject '%s')", out->name);
			return 1;
		}
		dbg(D_SECURITY, "TOKEN: explicitly given token not usable: %s", why);
	}
	if (!q->dir || !*q->dir) {
		dbg(D_SECURITY, "TOKEN: no token directory to search");
		return 0;
	}
	memset(&w, 0, sizeof w);
	w.q = q;
	w.out = out;
	w.e = e;
	snprintf(w.auto_name, sizeof w.auto_name, "%s_auto_generated_token",
	         q->subsys ? q->subsys : "TOOL");
	dbg(D_SECURITY, "TOKEN: looking for tokens in %s", q->dir);
	for (w.pass = 0; w.pass < 2 && !w.found; w.pass++) {
		int rc = port_dir_list(q->dir, walk_cb, &w);
		if (rc == PORT_ENOENT) {
			dbg(D_SECURITY, "TOKEN: token directory %s does not exist", q->dir);
			return 0;
		}
		if (rc == PORT_ETOOBIG)
			dbg(D_SECURITY, "TOKEN: %s has more than PORT_DIR_MAX (%d) entries; only the first were read",
			    q->dir, PORT_DIR_MAX);
		else if (rc < 0 && !w.found) {
			dbg(D_SECURITY, "TOKEN: cannot list token directory %s", q->dir);
			return 0;
		}
	}
	if (!w.found)
		dbg(D_SECURITY, "TOKEN: no usable token found in %s", q->dir);
	return w.found;
}
