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

/* checkToken: 0 usable, -1 a JWT the checks refuse, -2 not a JWT (the
 * reason in why).  j gets the parse. */
static int check_token(const struct tokens_query *q, const char *tok, size_t len, struct jwt *j,
                       char *why, size_t whylen)
{
	if (jwt_parse(tok, len, j, why, whylen) < 0)
		return -2;
	if (!j->has_kid) {
		snprintf(why, whylen, "no key id (kid)");
		return -1;
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
			return -1;
		}
	}
	if (!j->has_iss) {
		snprintf(why, whylen, "no issuer (iss)");
		return -1;
	}
	if (q->trust_domain && *q->trust_domain && strcmp(j->iss, q->trust_domain) != 0) {
		snprintf(why, whylen, "issuer '%s' is not the server's trust domain '%s'", j->iss,
		         q->trust_domain);
		return -1;
	}
	if (!j->has_sub && !j->has_jti) {
		snprintf(why, whylen, "neither subject (sub) nor id (jti)");
		return -1;
	}
	return 0;
}

struct walk {
	const struct tokens_query *q;
	struct token_choice *scratch;
	int (*fn)(void *ctx, const struct tokens_seen *s);
	void *ctx;
	char auto_name[PORT_NAME_MAX]; /* "<SUBSYS>_auto_generated_token" */
	int pass; /* 0: the auto-generated file only; 1: all others */
	int stopped;
};

/* Report a skipped file. */
static int skip_file(struct walk *w, const char *path, const char *why)
{
	struct tokens_seen s;

	memset(&s, 0, sizeof s);
	s.path = path;
	s.why = why;
	dbg(D_SECURITY, "TOKEN: ignoring %s: %s", path, why);
	return w->fn(w->ctx, &s);
}

/* Each token line of buf (trimmed; blank and '#' lines skipped). */
static int scan_lines(struct walk *w, char *buf, size_t n, const char *path, int file_ok,
                      const char *file_why)
{
	static struct jwt j;
	size_t pos = 0;
	int lineno = 0, rc;

	while (pos < n) {
		size_t end = pos, st, e2;
		char why[200];
		struct tokens_seen s;

		while (end < n && buf[end] != '\n')
			end++;
		lineno++;
		st = pos;
		e2 = end;
		while (st < e2 && (buf[st] == ' ' || buf[st] == '\t' || buf[st] == '\r'))
			st++;
		while (e2 > st && (buf[e2 - 1] == ' ' || buf[e2 - 1] == '\t' || buf[e2 - 1] == '\r'))
			e2--;
		pos = end + 1;
		if (st == e2 || buf[st] == '#')
			continue;
		memset(&s, 0, sizeof s);
		s.path = path;
		s.line = lineno;
		s.text = buf + st;
		s.len = e2 - st;
		s.file_ok = file_ok;
		rc = check_token(w->q, buf + st, e2 - st, &j, why, sizeof why);
		if (rc == 0) {
			s.jwt = &j;
			s.usable = file_ok;
			s.why = file_ok ? NULL : file_why;
		} else {
			s.jwt = rc == -1 ? &j : NULL; /* a JWT the checks refused */
			s.why = why;
		}
		if (s.usable)
			dbg(D_SECURITY, "TOKEN: usable token in %s line %d (subject '%s', issuer '%s', key '%s')",
			    path, lineno, j.has_sub ? j.sub : j.jti, j.iss, j.kid);
		else
			dbg(D_SECURITY, "TOKEN: not using the token in %s line %d: %s", path, lineno, s.why);
		if (w->fn(w->ctx, &s))
			return 1;
	}
	return 0;
}

/* Read one file and visit its lines; 1 when the callback stopped. */
static int visit_file(struct walk *w, const char *path, int check_owner)
{
	struct port_stat st = { 0 };
	size_t len = 0;
	char why[200];
	int rc, file_ok = 1;

	rc = port_file_read(path, w->scratch->filebuf, sizeof w->scratch->filebuf, &len, &st);
	if (rc == PORT_ETOOBIG) {
		snprintf(why, sizeof why, "larger than TOKENS_FILE_MAX (%d bytes)", TOKENS_FILE_MAX);
		return skip_file(w, path, why);
	}
	if (rc < 0)
		return skip_file(w, path, st.is_reg || rc != PORT_EFAIL ? "cannot read it"
		                                                       : "not a regular file");
	if (check_owner && st.uid != w->q->uid) {
		snprintf(why, sizeof why, "file owned by uid %lu, not by uid %lu",
		         (unsigned long)st.uid, (unsigned long)w->q->uid);
		file_ok = 0;
	} else if (check_owner && (st.mode & 077)) {
		snprintf(why, sizeof why, "file mode %04o allows group/other access (must be 0600 or stricter)",
		         (unsigned)st.mode);
		file_ok = 0;
	}
	if (!file_ok)
		dbg(D_SECURITY, "TOKEN: ignoring the tokens of %s: %s", path, why);
	rc = scan_lines(w, w->scratch->filebuf, len, path, file_ok, file_ok ? NULL : why);
	crypto_wipe(w->scratch->filebuf, len);
	return rc;
}

static int walk_cb(const char *name, void *arg)
{
	struct walk *w = arg;
	char path[TOKENS_PATH_MAX];
	struct port_stat st;
	int is_auto = strcasecmp(name, w->auto_name) == 0;
	int n;

	if (w->pass == 0 ? !is_auto : is_auto)
		return 0;
	n = snprintf(path, sizeof path, "%s/%s", w->q->dir, name);
	if (n < 0 || (size_t)n >= sizeof path) {
		dbg(D_SECURITY, "TOKEN: skipping %s/%s: path longer than TOKENS_PATH_MAX (%d)",
		    w->q->dir, name, TOKENS_PATH_MAX);
		return 0;
	}
	if (port_file_stat(path, &st) == 0 && st.is_dir)
		return 0;
	if (tokens_name_excluded(name)) {
		dbg(D_SECURITY, "TOKEN: skipping %s: excluded file name", path);
		return 0;
	}
	if (visit_file(w, path, 1)) {
		w->stopped = 1;
		return 1;
	}
	return 0;
}

int tokens_walk(const struct tokens_query *q, struct token_choice *scratch,
                int (*fn)(void *ctx, const struct tokens_seen *s), void *ctx)
{
	struct walk w;
	int truncated = 0;

	if (!q->dir || !*q->dir) {
		dbg(D_SECURITY, "TOKEN: no token directory to search");
		return 0;
	}
	memset(&w, 0, sizeof w);
	w.q = q;
	w.scratch = scratch;
	w.fn = fn;
	w.ctx = ctx;
	snprintf(w.auto_name, sizeof w.auto_name, "%s_auto_generated_token",
	         q->subsys ? q->subsys : "TOOL");
	dbg(D_SECURITY, "TOKEN: looking for tokens in %s", q->dir);
	for (w.pass = 0; w.pass < 2 && !w.stopped; w.pass++) {
		int rc = port_dir_list(q->dir, walk_cb, &w);
		if (rc == PORT_ENOENT) {
			dbg(D_SECURITY, "TOKEN: token directory %s does not exist", q->dir);
			return 0;
		}
		if (rc == PORT_ETOOBIG) {
			dbg(D_SECURITY, "TOKEN: %s has more than PORT_DIR_MAX (%d) entries; only the first %d by name were read",
			    q->dir, PORT_DIR_MAX, PORT_DIR_MAX);
			truncated = 1;
		} else if (rc < 0 && !w.stopped) {
			dbg(D_SECURITY, "TOKEN: cannot list token directory %s", q->dir);
			return 0;
		}
	}
	if (w.stopped)
		return TOKENS_WALK_STOPPED;
	return truncated ? TOKENS_WALK_TRUNCATED : 0;
}

int tokens_walk_file(const struct tokens_query *q, const char *path, struct token_choice *scratch,
                     int (*fn)(void *ctx, const struct tokens_seen *s), void *ctx)
{
	struct walk w;

	memset(&w, 0, sizeof w);
	w.q = q;
	w.scratch = scratch;
	w.fn = fn;
	w.ctx = ctx;
	return visit_file(&w, path, 1);
}

/* tokens_find's walker: keep the first usable token. */
static int take_first(void *ctx, const struct tokens_seen *s)
{
	struct token_choice *out = ctx;

	if (!s->usable)
		return 0;
	memcpy(out->text, s->text, s->len);
	out->text[s->len] = '\0';
	out->len = s->len;
	out->jwt = *s->jwt;
	out->name = out->jwt.has_sub ? out->jwt.sub : out->jwt.jti;
	snprintf(out->source, sizeof out->source, "%s", s->path);
	dbg(D_SECURITY, "TOKEN: using token from %s line %d (subject '%s', issuer '%s', key '%s')",
	    s->path, s->line, out->name, out->jwt.iss, out->jwt.kid);
	return 1;
}

int tokens_find(const struct tokens_query *q, struct token_choice *out, struct err *e)
{
	char why[200];
	int r;

	out->name = NULL;
	out->source[0] = '\0';
	if (q->explicit_token && *q->explicit_token) {
		size_t n = strlen(q->explicit_token);
		if (n <= JWT_MAX_LEN && check_token(q, q->explicit_token, n, &out->jwt, why, sizeof why) == 0) {
			memcpy(out->text, q->explicit_token, n);
			out->text[n] = '\0';
			out->len = n;
			out->name = out->jwt.has_sub ? out->jwt.sub : out->jwt.jti;
			snprintf(out->source, sizeof out->source, "(explicit)");
			dbg(D_SECURITY, "TOKEN: using the explicitly given token (subject '%s')", out->name);
			return 1;
		}
		dbg(D_SECURITY, "TOKEN: explicitly given token not usable: %s",
		    n > JWT_MAX_LEN ? "longer than JWT_MAX_LEN" : why);
	}
	r = tokens_walk(q, out, take_first, out);
	if (r == TOKENS_WALK_STOPPED)
		return 1;
	if (q->dir && *q->dir)
		dbg(D_SECURITY, "TOKEN: no usable token found in %s", q->dir);
	/* Not an error by itself (another method may do), but if the
	 * handshake fails this says why a token further on was not seen. */
	if (r == TOKENS_WALK_TRUNCATED)
		err_push(e, "TOKEN", 1,
		         "%s holds more than %d entries; only the first %d by name were read",
		         q->dir, PORT_DIR_MAX, PORT_DIR_MAX);
	return 0;
}
