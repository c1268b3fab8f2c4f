/*
 * config.c - the knob table, lookups and lazy $(MACRO) expansion.
 *
 * Lookup precedence for knob X (HTCondor's lookup_macro for a tool):
 * TOOL.X defined in config, X defined in config (files, metaknobs and
 * _CONDOR_X, which is just a late definition), then X's built-in default.
 * Names compare case-insensitively.
 */
#include "config.h"
#include "config_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SUBSYS_PREFIX "TOOL."

void config_init(struct config *c)
{
	c->nknobs = 0;
	c->text_used = 1; /* offset 0 is the empty string */
	c->text[0] = '\0';
	c->nsources = 0;
	c->read_used = 0;
	c->root_source = -1;
	c->only_env = 0;
	c->no_include = 0;
	c->version[0] = CONFIG_VERSION_MAJOR;
	c->version[1] = CONFIG_VERSION_MINOR;
	c->version[2] = CONFIG_VERSION_SUB;
}

int config_valid_name(const char *name)
{
	const char *p;

	if (!name || !*name)
		return 0;
	for (p = name; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (!(isalnum(ch) || ch == '_' || ch == '.' || ch == '/'))
			return 0;
	}
	return p - name < CONFIG_NAME_MAX;
}

static int is_name_char(int ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '.' || ch == '/';
}

const char *config_source_name(const struct config *c, int src)
{
	switch (src) {
	case CONFIG_SRC_DEFAULT:
		return "<Default>";
	case CONFIG_SRC_DETECTED:
		return "<Detected>";
	case CONFIG_SRC_ENV:
		return "<Environment>";
	case CONFIG_SRC_SET:
		return "<Command line>";
	default:
		if (src >= CONFIG_SRC_FILE0 && src - CONFIG_SRC_FILE0 < c->nsources)
			return c->text + c->source[src - CONFIG_SRC_FILE0];
		return "<unknown>";
	}
}

/* Copy s (n bytes) into the text pool; returns its offset or 0 when full. */
static uint32_t text_store(struct config *c, const char *s, size_t n, struct err *e)
{
	uint32_t off;

	if (n >= CONFIG_TEXT_MAX - c->text_used) {
		err_push(e, CONFIG_ERRSUB, 1,
		         "configuration text exceeds CONFIG_TEXT_MAX (%d bytes)", CONFIG_TEXT_MAX);
		return 0;
	}
	off = c->text_used;
	memcpy(c->text + off, s, n);
	c->text[off + n] = '\0';
	c->text_used += (uint32_t)n + 1;
	return off;
}

/* The knob named prefix+name (prefix may be ""), or NULL. */
static const struct config_knob *find_knob2(const struct config *c, const char *prefix,
                                            const char *name)
{
	size_t pl = strlen(prefix);
	int i;

	/* Latest definitions are most likely looked up: scan from the end. */
	for (i = c->nknobs - 1; i >= 0; i--) {
		const char *kn = c->text + c->knob[i].name;
		if (pl && strncasecmp(kn, prefix, pl) != 0)
			continue;
		if (strcasecmp(kn + pl, name) == 0)
			return &c->knob[i];
	}
	return NULL;
}

int config_define(struct config *c, const char *knob, const char *raw, int src,
                  int line, struct err *e)
{
	struct config_knob *k = (struct config_knob *)find_knob2(c, "", knob);
	uint32_t v;

	if (!config_valid_name(knob)) {
		err_push(e, CONFIG_ERRSUB, 2, "invalid knob name <%s>", knob);
		return -1;
	}
	if (!k && c->nknobs >= CONFIG_MAX_KNOBS) {
		err_push(e, CONFIG_ERRSUB, 1,
		         "more than CONFIG_MAX_KNOBS (%d) knobs defined", CONFIG_MAX_KNOBS);
		return -1;
	}
	/* Same value again (e.g. an unchanged re-read) costs no text. */
	if (k && strcmp(c->text + k->value, raw) == 0) {
		v = k->value;
	} else {
		v = *raw ? text_store(c, raw, strlen(raw), e) : 0;
		if (*raw && !v)
			return -1;
	}
	if (!k) {
		uint32_t n = text_store(c, knob, strlen(knob), e);
		if (!n)
			return -1;
		k = &c->knob[c->nknobs++];
		k->name = n;
	}
	k->value = v;
	k->src = (uint16_t)src;
	k->line = line;
	return 0;
}

int config_set(struct config *c, const char *knob, const char *raw)
{
	return config_define(c, knob, raw, CONFIG_SRC_SET, 0, NULL);
}

/* Lookup with the precedence described at the top.  src, line, used are
 * optional outputs.  Returns the raw value or NULL. */
static const char *lookup_raw(const struct config *c, const char *name, int *src,
                              int *line, const char **used)
{
	const struct config_knob *k = find_knob2(c, SUBSYS_PREFIX, name);
	const char *d;

	if (!k)
		k = find_knob2(c, "", name);
	if (k) {
		if (src)
			*src = k->src;
		if (line)
			*line = k->line;
		if (used)
			*used = c->text + k->name;
		return c->text + k->value;
	}
	d = config_default(name);
	if (d) {
		if (src)
			*src = CONFIG_SRC_DEFAULT;
		if (line)
			*line = 0;
		if (used)
			*used = name;
	}
	return d;
}

/* ---- expansion ------------------------------------------------------- */

struct xbuf {
	char *out;
	size_t cap, len;
};

struct xstate {
	const struct config *c;
	struct err *e;
	const char *stack[CONFIG_EXPAND_DEPTH]; /* knobs being expanded */
	int depth;
};

static int xput(struct xstate *x, struct xbuf *b, const char *s, size_t n)
{
	if (n >= b->cap - b->len) {
		err_push(x->e, CONFIG_ERRSUB, 3,
		         "expanded value exceeds CONFIG_VALUE_MAX (%d bytes)", CONFIG_VALUE_MAX);
		return -1;
	}
	memcpy(b->out + b->len, s, n);
	b->len += n;
	b->out[b->len] = '\0';
	return 0;
}

/* Index of the ')' closing the '(' at s[open], or -1.  Parentheses nest. */
static long match_paren(const char *s, size_t n, size_t open)
{
	int depth = 0;
	size_t i;

	for (i = open; i < n; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return (long)i;
	}
	return -1;
}

/* HTCondor accepts a $(NAME:default) only when the default consists of
 * name characters, "$ ,\:" and nested $(...); anything else leaves the
 * whole reference as literal text. */
static int default_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '(') {
			long close = match_paren(s, n, i + 1);
			if (close < 0)
				return 0;
			i = (size_t)close;
			continue;
		}
		if (!is_name_char(s[i]) && !strchr("$ ,\\:", s[i]))
			return 0;
	}
	return 1;
}

static int expand_text(struct xstate *x, const char *s, size_t n, struct xbuf *b);

static int expand_knob(struct xstate *x, const char *name, const char *def, size_t deflen,
                       struct xbuf *b)
{
	const char *raw;
	size_t start = b->len;
	int i;

	if (strcasecmp(name, "DOLLAR") == 0)
		return xput(x, b, "$", 1);
	for (i = 0; i < x->depth; i++) {
		if (strcasecmp(x->stack[i], name) == 0) {
			err_push(x->e, CONFIG_ERRSUB, 4, "macro loop: $(%s) refers to itself via $(%s)",
			         name, x->stack[x->depth - 1]);
			return -1;
		}
	}
	if (x->depth >= CONFIG_EXPAND_DEPTH) {
		err_push(x->e, CONFIG_ERRSUB, 4,
		         "macro nesting exceeds CONFIG_EXPAND_DEPTH (%d) at $(%s)",
		         CONFIG_EXPAND_DEPTH, name);
		return -1;
	}
	raw = lookup_raw(x->c, name, NULL, NULL, NULL);
	if (raw && *raw) {
		x->stack[x->depth++] = name;
		i = expand_text(x, raw, strlen(raw), b);
		x->depth--;
		if (i < 0)
			return -1;
	}
	/* Undefined or empty: the default (itself expanded) applies. */
	if (b->len == start && def)
		return expand_text(x, def, deflen, b);
	return 0;
}

static int is_unsupported_func(const char *w, size_t n)
{
	static const char *const funcs[] = {
		"BASENAME", "DIRNAME", "INT", "REAL", "STRING", "EVAL", "CHOICE",
		"SUBSTR", "RANDOM_CHOICE", "RANDOM_INTEGER", NULL
	};
	size_t i;

	for (i = 0; funcs[i]; i++)
		if (strlen(funcs[i]) == n && strncasecmp(funcs[i], w, n) == 0)
			return 1;
	/* $F[pdnxbqafwu]*(NAME): file name parts. */
	if (w[0] == 'F' || w[0] == 'f') {
		for (i = 1; i < n; i++)
			if (!strchr("pdnxbqafwu", w[i]))
				return 0;
		return 1;
	}
	return 0;
}

static int expand_text(struct xstate *x, const char *s, size_t n, struct xbuf *b)
{
	size_t i = 0;

	while (i < n) {
		const char *d = memchr(s + i, '$', n - i);
		size_t lit = d ? (size_t)(d - (s + i)) : n - i;
		if (lit && xput(x, b, s + i, lit) < 0)
			return -1;
		i += lit;
		if (i >= n)
			break;
		/* s[i] == '$' */
		if (i + 1 < n && s[i + 1] == '$') {
			/* $$(...) belongs to ClassAd match time: keep it. */
			if (xput(x, b, "$$", 2) < 0)
				return -1;
			i += 2;
			continue;
		}
		if (i + 1 < n && s[i + 1] == '(') {
			long close = match_paren(s, n, i + 1);
			size_t p = i + 2, q;
			char name[CONFIG_NAME_MAX];
			if (close < 0)
				goto literal;
			for (q = p; q < (size_t)close && is_name_char(s[q]); q++)
				;
			if (q == p || q - p >= sizeof name)
				goto literal;
			if (q < (size_t)close && s[q] != ':')
				goto literal;
			if (q < (size_t)close && !default_ok(s + q + 1, (size_t)close - q - 1))
				goto literal;
			memcpy(name, s + p, q - p);
			name[q - p] = '\0';
			if (expand_knob(x, name, q < (size_t)close ? s + q + 1 : NULL,
			                q < (size_t)close ? (size_t)close - q - 1 : 0, b) < 0)
				return -1;
			i = (size_t)close + 1;
			continue;
		}
		if (i + 1 < n && isalpha((unsigned char)s[i + 1])) {
			size_t p = i + 1, q = p;
			while (q < n && (isalnum((unsigned char)s[q]) || s[q] == '_'))
				q++;
			if (q < n && s[q] == '(') {
				long close = match_paren(s, n, q);
				if (close >= 0 && q - p == 3 && strncasecmp(s + p, "ENV", 3) == 0) {
					char var[CONFIG_NAME_MAX];
					size_t vs = q + 1, ve = vs;
					const char *val;
					while (ve < (size_t)close && s[ve] != ':')
						ve++;
					if (ve - vs >= sizeof var) {
						err_push(x->e, CONFIG_ERRSUB, 5,
						         "$ENV() variable name longer than CONFIG_NAME_MAX (%d)",
						         CONFIG_NAME_MAX);
						return -1;
					}
					memcpy(var, s + vs, ve - vs);
					var[ve - vs] = '\0';
					val = getenv(var);
					if (val) {
						if (xput(x, b, val, strlen(val)) < 0)
							return -1;
					} else if (ve < (size_t)close) {
						if (expand_text(x, s + ve + 1, (size_t)close - ve - 1, b) < 0)
							return -1;
					} else if (xput(x, b, "UNDEFINED", 9) < 0) {
						return -1;
					}
					i = (size_t)close + 1;
					continue;
				}
				if (close >= 0 && is_unsupported_func(s + p, q - p)) {
					err_push(x->e, CONFIG_ERRSUB, 6,
					         "unsupported config function $%.*s() (only $(X), $(X:default), $ENV() and $(DOLLAR) are implemented)",
					         (int)(q - p), s + p);
					return -1;
				}
			}
		}
literal:
		if (xput(x, b, "$", 1) < 0)
			return -1;
		i++;
	}
	return 0;
}

static int expand_with(const struct config *c, const char *self, const char *text,
                       char *out, size_t cap, struct err *e)
{
	struct xstate x;
	struct xbuf b;

	if (cap == 0)
		return -1;
	out[0] = '\0';
	x.c = c;
	x.e = e;
	x.depth = 0;
	if (self)
		x.stack[x.depth++] = self;
	b.out = out;
	b.cap = cap < CONFIG_VALUE_MAX ? cap : CONFIG_VALUE_MAX;
	b.len = 0;
	return expand_text(&x, text, strlen(text), &b);
}

int config_expand(const struct config *c, const char *text, char *out, size_t cap,
                  struct err *e)
{
	return expand_with(c, NULL, text, out, cap, e);
}

int config_get(const struct config *c, const char *knob, char *out, size_t cap,
               struct err *e)
{
	const char *raw = lookup_raw(c, knob, NULL, NULL, NULL);

	if (cap)
		out[0] = '\0';
	if (!raw || !*raw)
		return 0;
	if (expand_with(c, knob, raw, out, cap, e) < 0) {
		err_push(e, CONFIG_ERRSUB, 7, "cannot expand the value of %s", knob);
		if (cap)
			out[0] = '\0';
		return -1;
	}
	return out[0] != '\0';
}

/* HTCondor's boolean rule: "true"/"1" or "false"/"0" as a prefix followed
 * only by white space; any other integer literal counts as its truth. */
static int parse_bool(const char *s, int *out)
{
	const char *p = s;
	char *end;
	long long v;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "true", 4) == 0) {
		*out = 1;
		p += 4;
	} else if (strncasecmp(p, "false", 5) == 0) {
		*out = 0;
		p += 5;
	} else {
		v = strtoll(p, &end, 10);
		if (end == p)
			return -1;
		*out = v != 0;
		p = end;
	}
	while (isspace((unsigned char)*p))
		p++;
	return *p ? -1 : 0;
}

int config_get_bool(const struct config *c, const char *knob, int def, int *out,
                    struct err *e)
{
	char v[CONFIG_VALUE_MAX];
	int r = config_get(c, knob, v, sizeof v, e);

	*out = def;
	if (r <= 0)
		return r;
	if (parse_bool(v, out) < 0) {
		*out = def;
		err_push(e, CONFIG_ERRSUB, 8, "%s = %s is not a valid boolean", knob, v);
		return -1;
	}
	return 0;
}

int config_get_int(const struct config *c, const char *knob, long long def,
                   long long *out, struct err *e)
{
	char v[CONFIG_VALUE_MAX];
	char *end;
	const char *p;
	int r = config_get(c, knob, v, sizeof v, e);

	*out = def;
	if (r <= 0)
		return r;
	p = v;
	while (isspace((unsigned char)*p))
		p++;
	*out = strtoll(p, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (end == p || *end) {
		*out = def;
		err_push(e, CONFIG_ERRSUB, 9, "%s = %s is not a valid integer", knob, v);
		return -1;
	}
	return 0;
}

int config_origin(const struct config *c, const char *knob, struct config_origin *o)
{
	int src = 0, line = 0;
	const char *used = NULL;
	const char *raw = lookup_raw(c, knob, &src, &line, &used);

	if (!raw)
		return 0;
	o->name_used = used;
	o->raw = raw;
	o->src = src;
	o->line = line;
	o->file = config_source_name(c, src);
	o->def = config_default(knob);
	return 1;
}

const char *config_current_raw(const struct config *c, const char *name)
{
	const struct config_knob *k = find_knob2(c, "", name);

	if (k)
		return c->text + k->value;
	return config_default(name);
}
