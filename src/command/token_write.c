#include "token_write.h"

#include <stdio.h>
#include <string.h>

#include "port/port.h"

/* Create dir and its missing parents with mode 0700. */
static int mkdir_parents(char *dir)
{
	struct port_stat st;
	char *p;

	if (port_file_stat(dir, &st) == 0)
		return st.is_dir ? 0 : -1;
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (port_file_stat(dir, &st) != 0 && port_mkdir(dir, 0700) != 0 &&
		    port_file_stat(dir, &st) != 0) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return port_mkdir(dir, 0700) == 0 || port_file_stat(dir, &st) == 0 ? 0 : -1;
}

int token_write_out(const struct config *cfg, const char *token, const char *name,
                    const char *path, struct err *e)
{
	static char buf[16384];
	char file[2048], dir[1024];
	size_t n = strlen(token);
	int errnum;

	if (!name && !path) {
		printf("%s\n", token);
		fflush(stdout);
		return 0;
	}
	if (name) {
		if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			err_push(e, "TOKEN", 1, "Token name isn't a plain filename");
			return -1;
		}
		if (config_get(cfg, "SEC_TOKEN_DIRECTORY", dir, sizeof dir, e) < 0)
			return -1;
		if (!dir[0]) {
			if (port_euid() == 0) {
				if (config_get(cfg, "SEC_TOKEN_SYSTEM_DIRECTORY", dir, sizeof dir, e) < 0)
					return -1;
			} else {
				char home[900];
				if (port_user_home(home, sizeof home) != 0) {
					err_push(e, "TOKEN", 1, "Unable to determine the home directory");
					return -1;
				}
				snprintf(dir, sizeof dir, "%s/.condor/tokens.d", home);
			}
		}
		if (mkdir_parents(dir) != 0) {
			errnum = port_last_errno();
			err_push(e, "TOKEN", errnum, "Cannot create token directory %s: %s (errno=%d)", dir,
			         port_strerror(errnum), errnum);
			return -1;
		}
		if ((size_t)snprintf(file, sizeof file, "%s/%s", dir, name) >= sizeof file) {
			err_push(e, "TOKEN", 1, "Token path %s/%s is too long", dir, name);
			return -1;
		}
		path = file;
	}
	if (n + 2 > sizeof buf) {
		err_push(e, "TOKEN", 1, "Token is too long to write");
		return -1;
	}
	memcpy(buf, token, n);
	buf[n] = '\n';
	/* New files 0600; an existing file keeps its mode, as HTCondor does. */
	if (port_file_write(path, buf, n + 1, 0600) != 0) {
		errnum = port_last_errno();
		err_push(e, "TOKEN", errnum, "Cannot write token to %s: %s (errno=%d)", path,
		         port_strerror(errnum), errnum);
		return -1;
	}
	return 0;
}
