/*
 * config_parse.c - the configuration language: lines, continuations,
 * assignments (=, :, +=, @=), include, use, if/elif/else/endif,
 * error/warning.  Semantics follow HTCondor's Parse_macros; see
 * /work/shared/protocol/config.md section 3.
 *
 * The logical-line and here-doc buffers live in struct config and are
 * shared by all nesting levels: a level copies what it still needs out
 * of them before it descends into an include or a metaknob body.
 */
#include "config.h"
#include "config_int.h"
#include "debug.h"
#include "port/port.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct reader {
	const char *text;
	size_t len, pos;
	int line; /* physical line number of the last line read */
};

/* Next logical line into buf (NUL-terminated): whitespace trimmed at both
 * ends, a trailing '\' joins the next line.  A comment line does not
 * continue; a comment line inside a continuation counts as white space
 * except for its last character (HTCondor keeps that one, so a commented
 * line ending in '\' keeps the continuation going).
 * Returns 1, 0 at end of text, -1 when the line exceeds cap. */
static int next_line(struct reader *r, char *buf, size_t cap)
{
	size_t end = 0, piece = 0;

	buf[0] = '\0';
	for (;;) {
		const char *s, *nl;
		size_t n, a, b;
		int in_comment;

		if (r->pos >= r->len)
			return end > 0 ? 1 : 0;
		s = r->text + r->pos;
		nl = memchr(s, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - s) : r->len - r->pos;
		r->pos += n + (nl ? 1 : 0);
		r->line++;
		/* A NUL ends the physical line's content. */
		{
			const char *z = memchr(s, '\0', n);
			if (z)
				n = (size_t)(z - s);
		}
		a = 0;
		b = n;
		while (a < b && isspace((unsigned char)s[a]))
			a++;
		while (b > a && isspace((unsigned char)s[b - 1]))
			b--;
		in_comment = a < b && s[a] == '#';
		if (in_comment && piece > 0) {
			a = b - 1; /* white space, except the last character */
			in_comment = 0;
		}
		if (b - a >= cap - end)
			return -1;
		memcpy(buf + end, s + a, b - a);
		end += b - a;
		buf[end] = '\0';
		if (end > 0 && buf[end - 1] == '\\') {
			buf[--end] = '\0';
			if (!in_comment) {
				piece = end;
				continue;
			}
		}
		return 1;
	}
}

/* ---- if / elif / else / endif --------------------------------------------- */

struct ifstack {
	int n;
	struct {
		unsigned char on;     /* this branch is being read */
		unsigned char taken;  /* some branch of this block was (or cannot be) taken */
		unsigned char inelse; /* after else */
	} lvl[CONFIG_IF_DEPTH];
};

static int if_enabled(const struct ifstack *s)
{
	return s->n == 0 || s->lvl[s->n - 1].on;
}

static int parse_version(const char *s, int v[3])
{
	int i;
	char *end;

	v[0] = v[1] = v[2] = 0;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v[i] = (int)strtol(s, &end, 10);
		s = end;
		if (*s != '.')
			break;
		s++;
	}
	while (isspace((unsigned char)*s))
		s++;
	return *s ? -1 : 0;
}

/* Evaluate an if/elif condition.  1 true, 0 false, -1 error. */
static int eval_cond(struct config *c, const char *cond, const char *where, struct err *e)
{
	char buf[CONFIG_VALUE_MAX];
	char *p, *q;
	int neg = 0, r;

	if (config_expand(c, cond, buf, sizeof buf, e) < 0)
		return -1;
	p = buf;
	while (isspace((unsigned char)*p))
		p++;
	q = p + strlen(p);
	while (q > p && isspace((unsigned char)q[-1]))
		*--q = '\0';
	while (*p == '!') {
		neg = !neg;
		p++;
		while (isspace((unsigned char)*p))
			p++;
	}
	if (*p == '\0') {
		err_push(e, CONFIG_ERRSUB, 20, "%s: if condition '%s' is empty", where, cond);
		return -1;
	}
	if (strncasecmp(p, "version", 7) == 0 && isspace((unsigned char)p[7])) {
		int v[3], cmp = 0, i;
		char op[3] = { 0 };
		p += 7;
		while (isspace((unsigned char)*p))
			p++;
		for (i = 0; i < 2 && strchr("<>=!", *p); i++)
			op[i] = *p++;
		while (isspace((unsigned char)*p))
			p++;
		if (!op[0] || parse_version(p, v) < 0) {
			err_push(e, CONFIG_ERRSUB, 21, "%s: bad version condition '%s'", where, cond);
			return -1;
		}
		for (i = 0; i < 3 && cmp == 0; i++)
			cmp = (c->version[i] > v[i]) - (c->version[i] < v[i]);
		if (!strcmp(op, ">="))
			r = cmp >= 0;
		else if (!strcmp(op, ">"))
			r = cmp > 0;
		else if (!strcmp(op, "<="))
			r = cmp <= 0;
		else if (!strcmp(op, "<"))
			r = cmp < 0;
		else if (!strcmp(op, "==") || !strcmp(op, "="))
			r = cmp == 0;
		else if (!strcmp(op, "!="))
			r = cmp != 0;
		else {
			err_push(e, CONFIG_ERRSUB, 21, "%s: bad version operator '%s'", where, op);
			return -1;
		}
	} else if (strncasecmp(p, "defined", 7) == 0 && isspace((unsigned char)p[7])) {
		p += 7;
		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, "use", 3) == 0 && isspace((unsigned char)p[3])) {
			char *colon;
			p += 3;
			while (isspace((unsigned char)*p))
				p++;
			colon = strchr(p, ':');
			if (colon) {
				*colon = '\0';
				r = config_meta_body(p, colon + 1) != NULL;
			} else {
				r = config_meta_body(p, NULL) != NULL;
			}
		} else {
			const char *raw = config_current_raw(c, p);
			char tool[CONFIG_NAME_MAX + 8];
			snprintf(tool, sizeof tool, "TOOL.%s", p);
			r = (raw && *raw) || ((raw = config_current_raw(c, tool)) && *raw);
		}
	} else if (!strcasecmp(p, "true") || !strcasecmp(p, "yes") || !strcasecmp(p, "t")) {
		r = 1;
	} else if (!strcasecmp(p, "false") || !strcasecmp(p, "no") || !strcasecmp(p, "f")) {
		r = 0;
	} else {
		char *end;
		double d = strtod(p, &end);
		if (end == p || *end) {
			err_push(e, CONFIG_ERRSUB, 22,
			         "%s: unsupported if condition '%s' (use true/false, a number, version <op> x.y.z or defined <knob>)",
			         where, cond);
			return -1;
		}
		r = d != 0;
	}
	return neg ? !r : r;
}

/* If line is an if-family line, update the stack and return 1 (or -1 on
 * error); return 0 for any other line. */
static int handle_if(struct config *c, struct ifstack *s, const char *line,
                     const char *where, struct err *e)
{
	size_t w = 0;
	const char *arg;
	int r;

	while (isalpha((unsigned char)line[w]))
		w++;
	if (line[w] && !isspace((unsigned char)line[w]))
		return 0;
	arg = line + w;
	while (isspace((unsigned char)*arg))
		arg++;
	if (w == 2 && !strncasecmp(line, "if", 2)) {
		int parent = if_enabled(s);
		if (s->n >= CONFIG_IF_DEPTH) {
			err_push(e, CONFIG_ERRSUB, 23, "%s: if nested deeper than CONFIG_IF_DEPTH (%d)",
			         where, CONFIG_IF_DEPTH);
			return -1;
		}
		r = 0;
		if (parent && (r = eval_cond(c, arg, where, e)) < 0)
			return -1;
		s->lvl[s->n].on = (unsigned char)(parent && r);
		s->lvl[s->n].taken = (unsigned char)(!parent || r);
		s->lvl[s->n].inelse = 0;
		s->n++;
		return 1;
	}
	if (w == 4 && !strncasecmp(line, "elif", 4)) {
		if (s->n == 0 || s->lvl[s->n - 1].inelse) {
			err_push(e, CONFIG_ERRSUB, 24, "%s: elif without if", where);
			return -1;
		}
		if (s->lvl[s->n - 1].taken) {
			s->lvl[s->n - 1].on = 0;
		} else {
			if ((r = eval_cond(c, arg, where, e)) < 0)
				return -1;
			s->lvl[s->n - 1].on = (unsigned char)r;
			s->lvl[s->n - 1].taken = (unsigned char)r;
		}
		return 1;
	}
	if (w == 4 && !strncasecmp(line, "else", 4)) {
		if (s->n == 0 || s->lvl[s->n - 1].inelse) {
			err_push(e, CONFIG_ERRSUB, 24, "%s: else without if", where);
			return -1;
		}
		s->lvl[s->n - 1].on = !s->lvl[s->n - 1].taken;
		s->lvl[s->n - 1].taken = 1;
		s->lvl[s->n - 1].inelse = 1;
		return 1;
	}
	if (w == 5 && !strncasecmp(line, "endif", 5)) {
		if (s->n == 0) {
			err_push(e, CONFIG_ERRSUB, 24, "%s: endif without if", where);
			return -1;
		}
		s->n--;
		return 1;
	}
	return 0;
}

/* ---- definitions ---------------------------------------------------------- */

/* raw with references to the knob being defined replaced by its current
 * value (HTCondor's expand_self_macro).  For a prefixed name "P.X",
 * $(X) counts as a self reference too, so "TOOL.X = $(X) more" works. */
static int expand_self(struct config *c, const char *name, const char *raw, char *out,
                       size_t cap, struct err *e)
{
	const char *dot = strchr(name, '.');
	const char *bare = dot ? dot + 1 : NULL;
	size_t o = 0, i = 0, n = strlen(raw);

	while (i < n) {
		const char *subst = NULL;
		size_t skip = 0, sl;
		if (raw[i] == '$' && raw[i + 1] == '(') {
			size_t q = i + 2;
			const char *self = NULL;
			while (q < n && (isalnum((unsigned char)raw[q]) || strchr("_./", raw[q])))
				q++;
			if (q > i + 2 && (raw[q] == ')' || raw[q] == ':')) {
				size_t nl = q - (i + 2);
				if (strlen(name) == nl && !strncasecmp(raw + i + 2, name, nl))
					self = name;
				else if (bare && strlen(bare) == nl && !strncasecmp(raw + i + 2, bare, nl))
					self = bare;
			}
			if (self) {
				size_t close;
				int depth = 0;
				/* find the ')' matching the '(' at i + 1 */
				for (close = i + 1; close < n; close++) {
					if (raw[close] == '(')
						depth++;
					else if (raw[close] == ')' && --depth == 0)
						break;
				}
				if (close < n) {
					subst = config_current_raw(c, self);
					if ((!subst || !*subst) && raw[q] == ':') {
						/* keep the default text, it will be expanded lazily */
						subst = NULL;
						if (close - q - 1 >= cap - o)
							goto toolong;
						memcpy(out + o, raw + q + 1, close - q - 1);
						o += close - q - 1;
						i = close + 1;
						continue;
					}
					if (!subst)
						subst = "";
					skip = close + 1 - i;
				}
			}
		}
		if (!skip) {
			if (o + 1 >= cap)
				goto toolong;
			out[o++] = raw[i++];
			continue;
		}
		sl = strlen(subst);
		if (sl >= cap - o)
			goto toolong;
		memcpy(out + o, subst, sl);
		o += sl;
		i += skip;
	}
	out[o] = '\0';
	return 0;
toolong:
	err_push(e, CONFIG_ERRSUB, 25, "value of %s exceeds CONFIG_LINE_MAX (%d bytes)", name,
	         CONFIG_LINE_MAX);
	return -1;
}

static int define_value(struct config *c, const char *name, const char *raw, int src,
                        int line, const char *where, struct err *e)
{
	/* Lives in the read stack's free tail: definitions never nest. */
	char *tmp = c->read + c->read_used;
	size_t cap = CONFIG_READ_MAX - c->read_used;

	if (cap > CONFIG_LINE_MAX)
		cap = CONFIG_LINE_MAX;
	if (cap < 2) {
		err_push(e, CONFIG_ERRSUB, 26, "%s: no room left under CONFIG_READ_MAX (%d bytes)",
		         where, CONFIG_READ_MAX);
		return -1;
	}
	if (expand_self(c, name, raw, tmp, cap, e) < 0 ||
	    config_define(c, name, tmp, src, line, e) < 0) {
		err_push(e, CONFIG_ERRSUB, 27, "%s: cannot define %s", where, name);
		return -1;
	}
	return 0;
}

/* ---- use CATEGORY : name(args), ... ---------------------------------------- */

/* Body with $(N), $(N:default), $(N+) replaced by the metaknob arguments
 * (comma separated, trimmed), into out.  0 or -1 when out is too small. */
static int meta_substitute(const char *body, const char *args, char *out, size_t cap)
{
	const char *av[CONFIG_META_ARGS];
	size_t al[CONFIG_META_ARGS];
	int nargs = 0;
	size_t o = 0;
	const char *p = args;

	while (p && *p && nargs < CONFIG_META_ARGS) {
		const char *s = p, *t;
		int depth = 0;
		while (*p && (depth || *p != ',')) {
			if (*p == '(')
				depth++;
			else if (*p == ')' && depth)
				depth--;
			p++;
		}
		t = p;
		while (s < t && isspace((unsigned char)*s))
			s++;
		while (t > s && isspace((unsigned char)t[-1]))
			t--;
		av[nargs] = s;
		al[nargs] = (size_t)(t - s);
		nargs++;
		if (*p == ',')
			p++;
	}
	while (*body) {
		if (body[0] == '$' && body[1] == '(' && isdigit((unsigned char)body[2])) {
			const char *q = body + 2, *close;
			int idx = 0, plus = 0;
			while (isdigit((unsigned char)*q))
				idx = idx * 10 + (*q++ - '0');
			if (*q == '+') {
				plus = 1;
				q++;
			}
			close = strchr(q, ')');
			if (close && (*q == ')' || *q == ':') && idx >= 1) {
				int k, any = 0;
				for (k = idx - 1; k < nargs && (k == idx - 1 || plus); k++) {
					if (k > idx - 1) {
						if (o + 1 >= cap)
							return -1;
						out[o++] = ',';
					}
					if (al[k] >= cap - o)
						return -1;
					memcpy(out + o, av[k], al[k]);
					o += al[k];
					any |= al[k] > 0;
				}
				if (!any && *q == ':') {
					size_t dl = (size_t)(close - q - 1);
					if (dl >= cap - o)
						return -1;
					memcpy(out + o, q + 1, dl);
					o += dl;
				}
				body = close + 1;
				continue;
			}
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = *body++;
	}
	out[o] = '\0';
	return 0;
}

static int do_use(struct config *c, const char *cat, const char *list, int src, int line,
                  int depth, const char *where, struct err *e)
{
	const char *p = list;

	if (!*cat) {
		err_push(e, CONFIG_ERRSUB, 30, "%s: use needs a category before ':'", where);
		return -1;
	}
	while (*p) {
		char item[CONFIG_NAME_MAX], args[512];
		const char *s, *body;
		size_t n;

		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && !isspace((unsigned char)*p) && *p != ',' && *p != '(')
			p++;
		n = (size_t)(p - s);
		if (n >= sizeof item) {
			err_push(e, CONFIG_ERRSUB, 31, "%s: metaknob name longer than CONFIG_NAME_MAX",
			         where);
			return -1;
		}
		memcpy(item, s, n);
		item[n] = '\0';
		args[0] = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '(') {
			int d = 0;
			const char *a = p + 1;
			do {
				if (*p == '(')
					d++;
				else if (*p == ')')
					d--;
				if (d)
					p++;
			} while (*p && d);
			if (!*p || (size_t)(p - a) >= sizeof args) {
				err_push(e, CONFIG_ERRSUB, 32, "%s: bad arguments for use %s:%s", where,
				         cat, item);
				return -1;
			}
			memcpy(args, a, (size_t)(p - a));
			args[p - a] = '\0';
			p++;
		}
		body = config_meta_body(cat, item);
		if (!body) {
			if (config_meta_body(cat, NULL)) {
				err_push(e, CONFIG_ERRSUB, 33, "%s: use %s: does not recognise %s", where,
				         cat, item);
				return -1;
			}
			/* POLICY:, FEATURE: ... set nothing a token tool reads. */
			dbg(D_FULLDEBUG, "config: %s: ignoring use %s:%s (not relevant to a tool)",
			    where, cat, item);
			continue;
		}
		if (depth + 1 >= CONFIG_INCLUDE_DEPTH) {
			err_push(e, CONFIG_ERRSUB, 34, "%s: use %s:%s nested deeper than CONFIG_INCLUDE_DEPTH (%d)",
			         where, cat, item, CONFIG_INCLUDE_DEPTH);
			return -1;
		}
		{
			/* The substituted body sits on the read stack while parsed. */
			uint32_t mark = c->read_used;
			char *buf = c->read + mark;
			size_t cap = CONFIG_READ_MAX - mark;
			int r;
			if (meta_substitute(body, args, buf, cap) < 0) {
				err_push(e, CONFIG_ERRSUB, 35, "%s: use %s:%s does not fit CONFIG_READ_MAX (%d bytes)",
				         where, cat, item, CONFIG_READ_MAX);
				return -1;
			}
			c->read_used += (uint32_t)strlen(buf) + 1;
			r = config_parse_buffer(c, buf, strlen(buf), src, depth + 1, line, e);
			c->read_used = mark;
			if (r < 0) {
				err_push(e, CONFIG_ERRSUB, 36, "%s: at use %s:%s", where, cat, item);
				return -1;
			}
		}
	}
	return 0;
}

/* ---- include ---------------------------------------------------------------- */

static int read_file_at(struct config *c, const char *path, int must_exist, int depth,
                        struct err *e);

static int do_include(struct config *c, const char *opts, const char *file, int depth,
                      const char *where, struct err *e)
{
	char path[CONFIG_PATH_MAX];
	int must_exist = 1;
	const char *p = opts;

	if (c->no_include) {
		err_push(e, CONFIG_ERRSUB, 46, "%s: include is not allowed in this context", where);
		return -1;
	}
	while (*p) {
		const char *s;
		while (isspace((unsigned char)*p))
			p++;
		s = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (p == s)
			break;
		if ((size_t)(p - s) == 7 && !strncasecmp(s, "ifexist", 7)) {
			must_exist = 0;
		} else if (((size_t)(p - s) == 7 && !strncasecmp(s, "command", 7)) ||
		           ((size_t)(p - s) == 4 && !strncasecmp(s, "into", 4))) {
			err_push(e, CONFIG_ERRSUB, 40,
			         "%s: 'include %.*s' (running a command) is not supported by tokenbox; write its output to a file and include that",
			         where, (int)(p - s), s);
			return -1;
		} else {
			err_push(e, CONFIG_ERRSUB, 41, "%s: unexpected keyword '%.*s' after include", where,
			         (int)(p - s), s);
			return -1;
		}
	}
	if (config_expand(c, file, path, sizeof path, e) < 0) {
		err_push(e, CONFIG_ERRSUB, 42, "%s: cannot expand include file name", where);
		return -1;
	}
	if (!path[0]) {
		err_push(e, CONFIG_ERRSUB, 43, "%s: include file name is empty", where);
		return -1;
	}
	if (strchr(path, '|')) {
		err_push(e, CONFIG_ERRSUB, 40,
		         "%s: piped config source '%s' is not supported by tokenbox", where, path);
		return -1;
	}
	if (depth + 1 >= CONFIG_INCLUDE_DEPTH) {
		err_push(e, CONFIG_ERRSUB, 44, "%s: includes nested deeper than CONFIG_INCLUDE_DEPTH (%d)",
		         where, CONFIG_INCLUDE_DEPTH);
		return -1;
	}
	if (read_file_at(c, path, must_exist, depth + 1, e) < 0) {
		/* Context only from the outermost file: the error stack is
		 * small and the innermost message (the actual problem, with its
		 * own file:line) must survive a deep include chain. */
		if (depth == 0)
			err_push(e, CONFIG_ERRSUB, 45, "%s: error in included file %s", where, path);
		return -1;
	}
	return 0;
}

/* ---- the line loop ------------------------------------------------------------ */

int config_parse_buffer(struct config *c, const char *text, size_t len, int src, int depth,
                        int meta_line, struct err *e)
{
	struct reader r;
	struct ifstack ifs;
	char here_name[CONFIG_NAME_MAX], here_tag[CONFIG_NAME_MAX];
	size_t here_len = 0;
	int in_here = 0, here_line = 0;
	const char *fname = config_source_name(c, src);
	char where[CONFIG_PATH_MAX + 32];

	r.text = text;
	r.len = len;
	r.pos = 0;
	r.line = 0;
	ifs.n = 0;
	for (;;) {
		char *line = c->line, *p, *name_end, *rhs, *name, *words, *words_end;
		char op = 0, plus_sep = 0;
		int double_plus = 0, lno, has_at;
		char name_buf[CONFIG_NAME_MAX];
		int rc = next_line(&r, c->line, sizeof c->line);

		lno = meta_line > 0 ? meta_line : r.line;
		snprintf(where, sizeof where, "%s:%d", fname, lno);
		if (rc < 0) {
			err_push(e, CONFIG_ERRSUB, 50, "%s: line longer than CONFIG_LINE_MAX (%d bytes)",
			         where, CONFIG_LINE_MAX);
			return -1;
		}
		if (rc == 0)
			break;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (in_here) {
			size_t n;
			if (line[0] == '@' && strcmp(line + 1, here_tag) == 0) {
				in_here = 0;
				if (define_value(c, here_name, c->here, src, here_line, where, e) < 0)
					return -1;
				continue;
			}
			n = strlen(line);
			if (n + 2 >= sizeof c->here - here_len) {
				err_push(e, CONFIG_ERRSUB, 51, "%s: @= value longer than CONFIG_LINE_MAX (%d bytes)",
				         where, CONFIG_LINE_MAX);
				return -1;
			}
			if (here_len)
				c->here[here_len++] = '\n';
			memcpy(c->here + here_len, line, n + 1);
			here_len += n;
			continue;
		}
		/* A ':' before a line of an if body (or before "if") is ignored:
		 * it hid such lines from parsers older than 8.1.5. */
		if (*line == ':' && (ifs.n > 0 || (!strncasecmp(line + 1, "if", 2) &&
		                                   (!line[3] || isspace((unsigned char)line[3])))))
			line++;
		rc = handle_if(c, &ifs, line, where, e);
		if (rc < 0)
			return -1;
		if (rc > 0 || !if_enabled(&ifs))
			continue;

		/* name, then the operator: = : @= += +<sep>= +<sep><sep>= */
		p = line;
		while (*p && !isspace((unsigned char)*p) && *p != '=' && *p != ':')
			p++;
		if (!*p) {
			if (line[0] == '[')
				continue; /* an INI section header */
			err_push(e, CONFIG_ERRSUB, 52, "%s: no operator in line '%s'", where, line);
			return -1;
		}
		name_end = p;
		words = words_end = p;
		if (*p == '=' || *p == ':') {
			op = *p++;
		} else {
			while (isspace((unsigned char)*p))
				p++;
			words = p;
			while (*p && *p != '=' && *p != ':' && *p != '@' && *p != '+')
				p++;
			words_end = p;
			if (*p == '@' && p[1] == '=') {
				op = '@';
				p += 2;
			} else if (*p == '+') {
				const char *q = p + 1;
				if (*q && strchr(",;|&*", *q)) {
					plus_sep = *q++;
					double_plus = 1;
					if (*q == plus_sep) {
						double_plus = 2;
						q++;
					}
				}
				if (*q == '=') {
					op = '+';
					p = line + (q - line) + 1;
				}
			} else if (*p == '=' || *p == ':') {
				op = *p++;
			}
			if (!op) {
				err_push(e, CONFIG_ERRSUB, 52, "%s: no operator in line '%s'", where, line);
				return -1;
			}
			while (words_end > words && isspace((unsigned char)words_end[-1]))
				words_end--;
		}
		rhs = p;
		while (isspace((unsigned char)*rhs))
			rhs++;
		*name_end = '\0';
		*words_end = '\0';
		name = line;
		has_at = *name == '@';
		if (op == ':' && !strcasecmp(name + has_at, "use")) {
			char cat[CONFIG_NAME_MAX], list[1024];
			if (strlen(words) >= sizeof cat || strlen(rhs) >= sizeof list) {
				err_push(e, CONFIG_ERRSUB, 54, "%s: use line too long", where);
				return -1;
			}
			memcpy(cat, words, strlen(words) + 1);
			memcpy(list, rhs, strlen(rhs) + 1);
			if (do_use(c, cat, list, src, lno, depth, where, e) < 0)
				return -1;
			continue;
		}
		if (op == ':' && !strcasecmp(name + has_at, "include")) {
			char opts[64], file[CONFIG_PATH_MAX];
			if (strlen(words) >= sizeof opts || strlen(rhs) >= sizeof file) {
				err_push(e, CONFIG_ERRSUB, 55, "%s: include line too long (CONFIG_PATH_MAX %d)",
				         where, CONFIG_PATH_MAX);
				return -1;
			}
			memcpy(opts, words, strlen(words) + 1);
			memcpy(file, rhs, strlen(rhs) + 1);
			if (do_include(c, opts, file, depth, where, e) < 0)
				return -1;
			continue;
		}
		if (op == ':' && (!strcasecmp(name, "error") || !strcasecmp(name, "warning"))) {
			char msg[512];
			if (config_expand(c, rhs, msg, sizeof msg, NULL) < 0)
				snprintf(msg, sizeof msg, "%.400s", rhs);
			if (!strcasecmp(name, "error")) {
				err_push(e, CONFIG_ERRSUB, 56, "%s: error: %s", where, msg);
				return -1;
			}
			dbg(D_ALWAYS, "Warning \"%s\", Line %d: %s", fname, lno, msg);
			continue;
		}
		if (*words) {
			err_push(e, CONFIG_ERRSUB, 53, "%s: unexpected text '%s' between %s and the operator",
			         where, words, name);
			return -1;
		}
		/* An assignment (':' is the obsolete spelling of '='). */
		if (config_expand(c, name, name_buf, sizeof name_buf, e) < 0) {
			err_push(e, CONFIG_ERRSUB, 57, "%s: cannot expand the name '%s'", where, name);
			return -1;
		}
		if (!config_valid_name(name_buf)) {
			err_push(e, CONFIG_ERRSUB, 58, "%s: Illegal Identifier: <%s>", where, name_buf);
			return -1;
		}
		if (op == '@') {
			if (strlen(rhs) >= sizeof here_tag || !*rhs) {
				err_push(e, CONFIG_ERRSUB, 59, "%s: bad @= tag", where);
				return -1;
			}
			memcpy(here_name, name_buf, strlen(name_buf) + 1);
			memcpy(here_tag, rhs, strlen(rhs) + 1);
			in_here = 1;
			here_len = 0;
			c->here[0] = '\0';
			here_line = lno;
			continue;
		}
		if (op == '+') {
			const char *cur = config_current_raw(c, name_buf);
			if (cur && *cur) {
				/* build "cur<sep>rhs" in the here buffer (free outside @=) */
				size_t cl = strlen(cur), rl = strlen(rhs), sl;
				char sep[5];
				if (plus_sep && double_plus > 1)
					snprintf(sep, sizeof sep, " %c%c ", plus_sep, plus_sep);
				else if (plus_sep)
					snprintf(sep, sizeof sep, "%c", plus_sep);
				else
					snprintf(sep, sizeof sep, " ");
				sl = strlen(sep);
				if (cl + sl + rl >= sizeof c->here) {
					err_push(e, CONFIG_ERRSUB, 60, "%s: += value longer than CONFIG_LINE_MAX (%d bytes)",
					         where, CONFIG_LINE_MAX);
					return -1;
				}
				memmove(c->here, cur, cl);
				memcpy(c->here + cl, sep, sl);
				memcpy(c->here + cl + sl, rhs, rl + 1);
				if (define_value(c, name_buf, c->here, src, lno, where, e) < 0)
					return -1;
				continue;
			}
		}
		if (define_value(c, name_buf, rhs, src, lno, where, e) < 0)
			return -1;
	}
	if (in_here) {
		err_push(e, CONFIG_ERRSUB, 61, "%s: end of file while looking for '@%s'", fname,
		         here_tag);
		return -1;
	}
	if (ifs.n) {
		err_push(e, CONFIG_ERRSUB, 62, "%s: end of file inside an if block (missing endif)",
		         fname);
		return -1;
	}
	return 0;
}

/* ---- files -------------------------------------------------------------------- */

int config_source_add(struct config *c, const char *path, struct err *e)
{
	int i;
	uint32_t off;

	for (i = 0; i < c->nsources; i++)
		if (strcmp(c->text + c->source[i], path) == 0)
			return CONFIG_SRC_FILE0 + i;
	if (c->nsources >= CONFIG_MAX_SOURCES) {
		err_push(e, CONFIG_ERRSUB, 70, "more than CONFIG_MAX_SOURCES (%d) config files",
		         CONFIG_MAX_SOURCES);
		return -1;
	}
	off = 0;
	{
		size_t n = strlen(path);
		if (n >= CONFIG_TEXT_MAX - c->text_used) {
			err_push(e, CONFIG_ERRSUB, 1,
			         "configuration text exceeds CONFIG_TEXT_MAX (%d bytes)", CONFIG_TEXT_MAX);
			return -1;
		}
		off = c->text_used;
		memcpy(c->text + off, path, n + 1);
		c->text_used += (uint32_t)n + 1;
	}
	c->source[c->nsources] = off;
	return CONFIG_SRC_FILE0 + c->nsources++;
}

static int read_file_at(struct config *c, const char *path, int must_exist, int depth,
                        struct err *e)
{
	struct port_stat st;
	uint32_t mark = c->read_used;
	size_t len = 0, cap = CONFIG_READ_MAX - mark;
	int rc, src;
	char errpath[CONFIG_PATH_MAX];

	snprintf(errpath, sizeof errpath, "%s", path);
	rc = port_file_stat(path, &st);
	if (rc == PORT_OK && st.is_dir) {
		err_push(e, CONFIG_ERRSUB, 71, "config source %s is a directory", errpath);
		return -1;
	}
	rc = port_file_read(path, c->read + mark, cap, &len, NULL);
	if (rc == PORT_ENOENT && !must_exist)
		return 1;
	if (rc == PORT_ETOOBIG) {
		err_push(e, CONFIG_ERRSUB, 72,
		         "config source %s does not fit CONFIG_READ_MAX (%d bytes, including the files that include it)",
		         errpath, CONFIG_READ_MAX);
		return -1;
	}
	if (rc != PORT_OK) {
		err_push(e, CONFIG_ERRSUB, 73, "Can't read config source %s", errpath);
		return -1;
	}
	src = config_source_add(c, path, e);
	if (src < 0)
		return -1;
	c->read_used = mark + (uint32_t)len + 1;
	dbg(D_FULLDEBUG, "config: reading %s", errpath);
	rc = config_parse_buffer(c, c->read + mark, len, src, depth, 0, e);
	c->read_used = mark;
	return rc;
}

int config_read_file(struct config *c, const char *path, int must_exist, struct err *e)
{
	return read_file_at(c, path, must_exist, 0, e);
}

int config_parse_text(struct config *c, const char *text, size_t len, const char *name,
                      struct err *e)
{
	int src = config_source_add(c, name, e);

	if (src < 0)
		return -1;
	return config_parse_buffer(c, text, len, src, 0, 0, e);
}
