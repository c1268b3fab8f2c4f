/*
 * config_load.c - what HTCondor's config() does for a tool: find the root
 * file, read the local files and directories, the user config, the
 * _CONDOR_* environment, and insert the detected macros.  Order and
 * messages follow real_config()/find_file() (config.md sections 1-2).
 */
#include "config.h"
#include "config_int.h"
#include "debug.h"
#include "port/port.h"
#include "rx.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern char **environ;

#define FORBIDDEN_VALUE "YOU_MUST_CHANGE_THIS_INVALID_CONDOR_CONFIGURATION_VALUE"

int config_name_excluded(const struct config *c, const char *name, struct err *e)
{
	static struct rx re; /* 14 KB; one file name at a time */
	char pat[CONFIG_VALUE_MAX];
	int r;

	r = config_get(c, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP", pat, sizeof pat, e);
	if (r <= 0)
		return r;
	/* HTCondor compiles this with PCRE2.  rx takes the subset sites use
	 * (the default is one) and refuses the rest, so a pattern it cannot
	 * match as PCRE would is reported instead of matching something else. */
	if (rx_compile(&re, pat) != RX_OK) {
		err_push(e, CONFIG_ERRSUB, 80,
		         "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP '%s' is not a regular expression tokenbox understands",
		         pat);
		return -1;
	}
	return rx_match(&re, name, strlen(name));
}

/* Home directory of the "condor" account from /etc/passwd (HTCondor's
 * init_tilde uses getpwnam; the port layer has no such call, and the
 * passwd file is what getpwnam reads on the systems we target). */
static int condor_home(struct config *c, char *out, size_t cap)
{
	char *buf = c->read + c->read_used;
	size_t len = 0, room = CONFIG_READ_MAX - c->read_used;
	const char *p;

	if (port_file_read("/etc/passwd", buf, room, &len, NULL) != PORT_OK)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *f = p, *end;
		int field;
		if (strncmp(p, "condor:", 7) != 0)
			continue;
		for (field = 0; field < 5 && f; field++) {
			f = strchr(f, ':');
			if (f)
				f++;
		}
		if (!f)
			return -1;
		end = f;
		while (*end && *end != ':' && *end != '\n')
			end++;
		if ((size_t)(end - f) >= cap || end == f)
			return -1;
		memcpy(out, f, (size_t)(end - f));
		out[end - f] = '\0';
		return 0;
	}
	return -1;
}

/* Detected values that configuration cannot override (reinsert_specials). */
static int insert_specials(struct config *c, struct err *e)
{
	char buf[CONFIG_PATH_MAX], dom[CONFIG_VALUE_MAX];
	uint32_t euid = port_euid();
	int r = 0;

	if (condor_home(c, buf, sizeof buf) == 0)
		r |= config_define(c, "TILDE", buf, CONFIG_SRC_DETECTED, 0, e);

	if (port_host_name(buf, sizeof buf) == PORT_OK && buf[0]) {
		char *dot = strchr(buf, '.');
		if (!dot && config_get(c, "DEFAULT_DOMAIN_NAME", dom, sizeof dom, NULL) > 0 &&
		    strlen(buf) + strlen(dom) + 2 < sizeof buf) {
			strcat(buf, ".");
			strcat(buf, dom);
		}
		r |= config_define(c, "FULL_HOSTNAME", buf, CONFIG_SRC_DETECTED, 0, e);
		dot = strchr(buf, '.');
		if (dot)
			*dot = '\0';
		r |= config_define(c, "HOSTNAME", buf, CONFIG_SRC_DETECTED, 0, e);
	}
	if (port_user_name(euid, buf, sizeof buf) == PORT_OK)
		r |= config_define(c, "USERNAME", buf, CONFIG_SRC_DETECTED, 0, e);
	snprintf(buf, sizeof buf, "%lu", (unsigned long)port_uid());
	r |= config_define(c, "REAL_UID", buf, CONFIG_SRC_DETECTED, 0, e);
	snprintf(buf, sizeof buf, "%ld", port_pid());
	r |= config_define(c, "PID", buf, CONFIG_SRC_DETECTED, 0, e);
	r |= config_define(c, "SUBSYSTEM", "TOOL", CONFIG_SRC_DETECTED, 0, e);
	return r ? -1 : 0;
}

static int fill_attributes(struct config *c, struct err *e)
{
	char home[CONFIG_PATH_MAX];
	int r = 0;

	if (condor_home(c, home, sizeof home) == 0)
		r |= config_define(c, "TILDE", home, CONFIG_SRC_DETECTED, 0, e);

	r |= config_define(c, "CondorIsAdmin", port_euid() == 0 ? "true" : "false",
	                   CONFIG_SRC_DETECTED, 0, e);
	r |= config_define(c, "OPSYS", "LINUX", CONFIG_SRC_DETECTED, 0, e);
	r |= config_define(c, "SUBSYSTEM", "TOOL", CONFIG_SRC_DETECTED, 0, e);
	return r ? -1 : 0;
}

/* ---- LOCAL_CONFIG_DIR ---------------------------------------------------- */

struct dirwalk {
	struct config *c;
	struct err *e;
	const char *dir;
	int required;
};

static int dir_entry(const char *name, void *arg)
{
	struct dirwalk *w = arg;
	char path[CONFIG_PATH_MAX];
	struct port_stat st;
	int ex;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", w->dir, name) >= sizeof path) {
		err_push(w->e, CONFIG_ERRSUB, 81, "path %s/%s longer than CONFIG_PATH_MAX (%d)",
		         w->dir, name, CONFIG_PATH_MAX);
		return -1;
	}
	if (port_file_stat(path, &st) == PORT_OK && st.is_dir)
		return 0; /* sub-directories are not config sources */
	ex = config_name_excluded(w->c, name, w->e);
	if (ex < 0)
		return -1;
	if (ex) {
		dbg(D_FULLDEBUG, "config: ignoring %s (LOCAL_CONFIG_DIR_EXCLUDE_REGEXP)", path);
		return 0;
	}
	if (config_read_file(w->c, path, w->required, w->e) < 0)
		return -1;
	return 0;
}

static int process_dirs(struct config *c, const char *list, struct err *e)
{
	char buf[CONFIG_VALUE_MAX];
	int required = 1;
	char *tok, *save = NULL;

	snprintf(buf, sizeof buf, "%s", list);
	if (config_get_bool(c, "REQUIRE_LOCAL_CONFIG_FILE", 1, &required, e) < 0)
		return -1;
	for (tok = strtok_r(buf, ", \t\r\n", &save); tok; tok = strtok_r(NULL, ", \t\r\n", &save)) {
		struct dirwalk w = { c, e, tok, required };
		int r = port_dir_list(tok, dir_entry, &w);
		if (r == PORT_ENOENT || r == PORT_EACCES) {
			/* HTCondor skips a directory it cannot open, silently. */
			dbg(D_FULLDEBUG, "config: cannot open LOCAL_CONFIG_DIR %s", tok);
			continue;
		}
		if (r == PORT_ETOOBIG) {
			err_push(e, CONFIG_ERRSUB, 82, "LOCAL_CONFIG_DIR %s has more than PORT_DIR_MAX (%d) entries",
			         tok, PORT_DIR_MAX);
			return -1;
		}
		if (r != 0) {
			if (err_empty(e))
				err_push(e, CONFIG_ERRSUB, 83, "cannot read LOCAL_CONFIG_DIR %s", tok);
			return -1;
		}
	}
	return 0;
}

/* ---- LOCAL_CONFIG_FILE ------------------------------------------------------ */

/* Process the list; when a file changes LOCAL_CONFIG_FILE, continue with
 * the new list minus the files already read (process_locals). */
static int process_locals(struct config *c, struct err *e)
{
	char done[CONFIG_VALUE_MAX];
	size_t done_len = 0;
	int rounds;

	done[0] = '\0';
	for (rounds = 0; rounds < CONFIG_MAX_SOURCES; rounds++) {
		char list[CONFIG_VALUE_MAX];
		char *tok, *save = NULL, *next = NULL;
		int required = 1, r;

		if (config_get(c, "LOCAL_CONFIG_FILE", list, sizeof list, e) < 0)
			return -1;
		for (tok = strtok_r(list, ", \t\r\n", &save); tok;
		     tok = strtok_r(NULL, ", \t\r\n", &save)) {
			/* done holds "\n"-separated names */
			const char *d = done;
			int seen = 0;
			size_t tl = strlen(tok);
			while (*d) {
				const char *nl = strchr(d, '\n');
				if ((size_t)(nl - d) == tl && !strncmp(d, tok, tl)) {
					seen = 1;
					break;
				}
				d = nl + 1;
			}
			if (!seen) {
				next = tok;
				break;
			}
		}
		if (!next)
			return 0;
		if (strchr(next, '|')) {
			err_push(e, CONFIG_ERRSUB, 84,
			         "LOCAL_CONFIG_FILE '%s' is a command; piped config is not supported by tokenbox",
			         next);
			return -1;
		}
		if (strlen(next) + 2 > sizeof done - done_len) {
			err_push(e, CONFIG_ERRSUB, 85, "LOCAL_CONFIG_FILE lists more than CONFIG_VALUE_MAX bytes of names");
			return -1;
		}
		memcpy(done + done_len, next, strlen(next));
		done_len += strlen(next);
		done[done_len++] = '\n';
		done[done_len] = '\0';
		if (config_get_bool(c, "REQUIRE_LOCAL_CONFIG_FILE", 1, &required, e) < 0)
			return -1;
		{
			char path[CONFIG_PATH_MAX];
			snprintf(path, sizeof path, "%s", next);
			r = config_read_file(c, path, required, e);
			if (r < 0) {
				if (err_code(e) == 73 || err_empty(e))
					err_push(e, CONFIG_ERRSUB, 86, "ERROR: Can't read config source %s", path);
				return -1;
			}
		}
	}
	err_push(e, CONFIG_ERRSUB, 87, "LOCAL_CONFIG_FILE keeps changing: more than CONFIG_MAX_SOURCES (%d) rounds",
	         CONFIG_MAX_SOURCES);
	return -1;
}

/* ---- environment ---------------------------------------------------------- */

static int insert_env(struct config *c, struct err *e)
{
	char **ep;

	for (ep = environ; ep && *ep; ep++) {
		const char *s = *ep, *eq, *v;
		char name[CONFIG_NAME_MAX];
		size_t n;

		if (strncasecmp(s, "_condor_", 8) != 0)
			continue;
		eq = strchr(s, '=');
		if (!eq)
			continue;
		n = (size_t)(eq - (s + 8));
		while (n > 0 && isspace((unsigned char)s[8 + n - 1]))
			n--;
		if (n == 0)
			continue;
		if (n >= sizeof name) {
			err_push(e, CONFIG_ERRSUB, 88, "environment variable %.40s... name longer than CONFIG_NAME_MAX (%d)",
			         s, CONFIG_NAME_MAX);
			return -1;
		}
		memcpy(name, s + 8, n);
		name[n] = '\0';
		v = eq + 1;
		while (isspace((unsigned char)*v))
			v++;
		if (!config_valid_name(name)) {
			dbg(D_ALWAYS, "config: ignoring environment variable _condor_%s (not a knob name)", name);
			continue;
		}
		if (config_define(c, name, v, CONFIG_SRC_ENV, 0, e) < 0)
			return -1;
	}
	return 0;
}

/* ---- the root file -------------------------------------------------------- */

/* 1 = found (path set), 0 = no root file wanted (ONLY_ENV, /dev/null, ""),
 * -1 = fatal, with HTCondor's message in e. */
static int find_root(struct config *c, char *path, size_t cap, struct err *e)
{
	const char *env = getenv("CONDOR_CONFIG");
	static const char *const places[] = { "/etc/condor/condor_config",
		                               "/usr/local/etc/condor_config" };
	struct port_stat st;
	size_t i;
	int r;

	if (env) {
		if (!strcasecmp(env, "ONLY_ENV")) {
			c->only_env = 1;
			return 0;
		}
		if (!strcmp(env, "/dev/null"))
			return 0;
		r = port_file_stat(env, &st);
		if (r == PORT_OK && st.is_dir) {
			err_push(e, CONFIG_ERRSUB, 1,
			         "File specified in CONDOR_CONFIG environment variable:\n\"%s\" is a directory.  Please specify a file.",
			         env);
			return -1;
		}
		if (r == PORT_ENOENT) {
			err_push(e, CONFIG_ERRSUB, 1,
			         "File specified in CONDOR_CONFIG environment variable:\n\"%s\" does not exist.",
			         env);
			return -1;
		}
		if (r != PORT_OK) {
			err_push(e, CONFIG_ERRSUB, 1,
			         "Cannot stat file specified in CONDOR_CONFIG environment variable:\n\"%s\"",
			         env);
			return -1;
		}
		if ((size_t)snprintf(path, cap, "%s", env) >= cap) {
			err_push(e, CONFIG_ERRSUB, 1, "CONDOR_CONFIG longer than CONFIG_PATH_MAX (%d)",
			         CONFIG_PATH_MAX);
			return -1;
		}
		return 1;
	}
	for (i = 0; i < sizeof places / sizeof places[0]; i++) {
		if (port_file_stat(places[i], &st) == PORT_OK && !st.is_dir) {
			snprintf(path, cap, "%s", places[i]);
			return 1;
		}
	}
	{
		/* ~condor/condor_config, when TILDE is known */
		char tilde[CONFIG_PATH_MAX];
		if (config_get(c, "TILDE", tilde, sizeof tilde, NULL) > 0 &&
		    (size_t)snprintf(path, cap, "%s/condor_config", tilde) < cap &&
		    port_file_stat(path, &st) == PORT_OK && !st.is_dir)
			return 1;
	}
	err_push(e, CONFIG_ERRSUB, 1,
	         "\nNeither the environment variable CONDOR_CONFIG,\n"
	         "/etc/condor/, /usr/local/etc/, nor ~condor/ contain a condor_config source.\n"
	         "Either set CONDOR_CONFIG to point to a valid config source,\n"
	         "or put a \"condor_config\" file in /etc/condor/ /usr/local/etc/ or ~condor/\n"
	         "Exiting.\n");
	return -1;
}

static int user_config(struct config *c, struct err *e)
{
	char name[CONFIG_PATH_MAX], home[CONFIG_PATH_MAX], path[CONFIG_PATH_MAX];

	/* Never for root: a root tool must not trust a user-writable file. */
	if (port_euid() == 0)
		return 0;
	if (config_get(c, "USER_CONFIG_FILE", name, sizeof name, e) <= 0)
		return 0;
	if (name[0] == '/') {
		snprintf(path, sizeof path, "%s", name);
	} else {
		if (port_user_home(home, sizeof home) != PORT_OK)
			return 0;
		if ((size_t)snprintf(path, sizeof path, "%s/.condor/%s", home, name) >= sizeof path)
			return 0;
	}
	return config_read_file(c, path, 0, e) < 0 ? -1 : 0;
}

static int check_forbidden(const struct config *c, struct err *e)
{
	int i;

	for (i = 0; i < c->nknobs; i++) {
		if (strstr(c->text + c->knob[i].value, FORBIDDEN_VALUE)) {
			err_push(e, CONFIG_ERRSUB, 89,
			         "%s:%d: %s must be changed from " FORBIDDEN_VALUE,
			         config_source_name(c, c->knob[i].src), (int)c->knob[i].line,
			         c->text + c->knob[i].name);
			return -1;
		}
	}
	return 0;
}

int config_load(struct config *c, struct err *e)
{
	char root[CONFIG_PATH_MAX], dirs[CONFIG_VALUE_MAX], dirs2[CONFIG_VALUE_MAX];
	int r, had_dirs;

	if (fill_attributes(c, e) < 0)
		return -1;
	r = find_root(c, root, sizeof root, e);
	if (r < 0)
		return -1;
	if (r > 0) {
		char dir[CONFIG_PATH_MAX];
		char *slash;
		snprintf(dir, sizeof dir, "%s", root);
		slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		else
			snprintf(dir, sizeof dir, ".");
		if (config_define(c, "CONFIG_ROOT", dir, CONFIG_SRC_DETECTED, 0, e) < 0)
			return -1;
		c->root_source = -1;
		if (config_read_file(c, root, 1, e) < 0) {
			err_push(e, CONFIG_ERRSUB, 2, "Configuration Error while reading global config source %s",
			         root);
			return -1;
		}
		c->root_source = config_source_add(c, root, e);
	}
	if (insert_specials(c, e) < 0)
		return -1;

	had_dirs = config_get(c, "LOCAL_CONFIG_DIR", dirs, sizeof dirs, e);
	if (had_dirs < 0)
		return -1;
	if (had_dirs > 0 && !c->only_env && process_dirs(c, dirs, e) < 0)
		return -1;
	if (!c->only_env && process_locals(c, e) < 0)
		return -1;
	r = config_get(c, "LOCAL_CONFIG_DIR", dirs2, sizeof dirs2, e);
	if (r < 0)
		return -1;
	if (r > 0 && !c->only_env && (had_dirs == 0 || strcmp(dirs, dirs2) != 0) &&
	    process_dirs(c, dirs2, e) < 0)
		return -1;

	/* HTCondor reads the user config even with CONDOR_CONFIG=ONLY_ENV:
	 * its only_env flag is never set on that path (real_config). */
	if (user_config(c, e) < 0)
		return -1;
	if (insert_env(c, e) < 0)
		return -1;
	if (insert_specials(c, e) < 0)
		return -1;
	return check_forbidden(c, e);
}
