/*
 * known_hosts.c - read, look up and append known_hosts entries.
 *
 * Field splitting follows HTCondor's reader so that a hand-edited file
 * means the same to both tools: a field starts at the first character that
 * is neither a space nor other white space and runs to the next space
 * (a tab inside a field stays part of it), then loses trailing white
 * space.
 */
#include "known_hosts.h"

#include <stdio.h>
#include <string.h>

#include "debug.h"
#include "port/port.h"

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Next field of l[*i..n): 1 with *f, *flen set, 0 when none is left. */
static int field(const char *l, size_t n, size_t *i, const char **f, size_t *flen)
{
	size_t s = *i, e;

	while (s < n && is_ws(l[s]))
		s++;
	if (s >= n)
		return 0;
	e = s;
	while (e < n && l[e] != ' ')
		e++;
	*i = e;
	while (e > s && is_ws(l[e - 1]))
		e--;
	*f = l + s;
	*flen = e - s;
	return 1;
}

int known_hosts_next(const char *buf, size_t len, size_t *pos, unsigned *line,
                     struct known_hosts_entry *ent)
{
	while (*pos < len) {
		const char *l = buf + *pos, *nl = memchr(l, '\n', len - *pos);
		size_t n = nl ? (size_t)(nl - l) : len - *pos, i = 0;
		const char *f[3];
		size_t fl[3];
		int k;

		*pos += nl ? n + 1 : n;
		++*line;
		/* trim, then skip blank and comment lines */
		while (n && is_ws(l[n - 1]))
			n--;
		while (i < n && is_ws(l[i]))
			i++;
		if (i == n || l[i] == '#')
			continue;
		if (memchr(l, '\0', n)) {
			dbg(D_SECURITY, "known_hosts line %u: contains a NUL byte; skipped", *line);
			continue;
		}
		for (k = 0; k < 3 && field(l, n, &i, &f[k], &fl[k]); k++)
			;
		if (k < 3) {
			dbg(D_SECURITY, "known_hosts line %u: fewer than 3 fields; skipped", *line);
			continue;
		}
		ent->permitted = f[0][0] != '!';
		ent->host = f[0] + !ent->permitted;
		ent->host_len = fl[0] - !ent->permitted;
		ent->method = f[1];
		ent->method_len = fl[1];
		ent->data = f[2];
		ent->data_len = fl[2];
		ent->line = *line;
		return 1;
	}
	return 0;
}

static int slice_eq(const char *s, size_t n, const char *z)
{
	return strlen(z) == n && memcmp(s, z, n) == 0;
}

int known_hosts_first_match(const char *buf, size_t len, const char *host,
                            struct known_hosts_entry *ent)
{
	size_t pos = 0;
	unsigned line = 0;

	while (known_hosts_next(buf, len, &pos, &line, ent))
		if (slice_eq(ent->host, ent->host_len, host))
			return 1;
	return 0;
}

int known_hosts_any_match(const char *buf, size_t len, const char *host, int permitted,
                          const char *method, const char *data)
{
	struct known_hosts_entry ent;
	size_t pos = 0;
	unsigned line = 0;

	while (known_hosts_next(buf, len, &pos, &line, &ent))
		if (!ent.permitted == !permitted && slice_eq(ent.host, ent.host_len, host) &&
		    slice_eq(ent.method, ent.method_len, method) &&
		    slice_eq(ent.data, ent.data_len, data))
			return 1;
	return 0;
}

static int field_ok(const char *s, const char *what, struct err *e)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!*p) {
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_FIELD, "cannot record an empty %s", what);
		return 0;
	}
	for (; *p; p++)
		if (*p <= ' ' || *p == 0x7f) {
			err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_FIELD,
			         "cannot record a %s containing white space or control characters",
			         what);
			return 0;
		}
	return 1;
}

long known_hosts_format(char *out, size_t cap, const char *host, int permitted,
                        const char *method, const char *data, struct err *e)
{
	int n;

	if (!field_ok(host, "host name", e) || !field_ok(method, "method", e) ||
	    !field_ok(data, "certificate", e))
		return -1;
	if (host[0] == '!') {
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_FIELD,
		         "cannot record host name '%s': it starts with '!'", host);
		return -1;
	}
	n = snprintf(out, cap, "%s%s %s %s\n", permitted ? "" : "!", host, method, data);
	if (n < 0 || (size_t)n >= cap) {
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_BOUND,
		         "known_hosts entry for %s does not fit in %zu bytes", host, cap);
		return -1;
	}
	return n;
}

/* ---- the file ------------------------------------------------------------ */

int known_hosts_path(char *out, size_t cap, const char *sec_known_hosts,
                     const char *system_known_hosts, const char *home, int is_root,
                     struct err *e)
{
	int n;

	if (sec_known_hosts && *sec_known_hosts)
		n = snprintf(out, cap, "%s", sec_known_hosts);
	else if (!is_root && home && *home)
		n = snprintf(out, cap, "%s/.condor/known_hosts", home);
	else if (system_known_hosts && *system_known_hosts)
		n = snprintf(out, cap, "%s", system_known_hosts);
	else {
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_PATH,
		         "no known_hosts file: set SEC_KNOWN_HOSTS");
		return -1;
	}
	if (n < 0 || (size_t)n >= cap) {
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_PATH,
		         "known_hosts path is longer than KNOWN_HOSTS_PATH_MAX - 1 (%zu bytes)",
		         cap ? cap - 1 : 0);
		return -1;
	}
	return 0;
}

int known_hosts_load(struct known_hosts *kh, const char *path, struct err *e)
{
	size_t n = strlen(path);
	int rc;

	kh->len = 0;
	kh->buf[0] = '\0';
	if (n >= sizeof kh->path) {
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_PATH,
		         "known_hosts path is longer than KNOWN_HOSTS_PATH_MAX - 1 (%d bytes)",
		         KNOWN_HOSTS_PATH_MAX - 1);
		return -1;
	}
	memcpy(kh->path, path, n + 1);
	rc = port_file_read(path, kh->buf, sizeof kh->buf, &kh->len, NULL);
	if (rc == PORT_ENOENT) {
		kh->len = 0;
		kh->buf[0] = '\0';
		return 0;
	}
	if (rc == PORT_ETOOBIG) {
		kh->len = 0;
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_BOUND,
		         "known_hosts file %s is larger than KNOWN_HOSTS_FILE_MAX (%d bytes)", path,
		         KNOWN_HOSTS_FILE_MAX);
		return -1;
	}
	if (rc < 0) {
		kh->len = 0;
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_READ, "cannot read known_hosts file %s: %s",
		         path, port_strerror(port_last_errno()));
		return -1;
	}
	return 0;
}

/* mkdir -p of the directories above path (mode 0755). */
static void make_parents(const char *path)
{
	char dir[KNOWN_HOSTS_PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof dir)
		return;
	memcpy(dir, path, n + 1);
	for (i = 1; i < n; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		port_mkdir(dir, 0755); /* existing directories are fine */
		dir[i] = '/';
	}
}

int known_hosts_add(struct known_hosts *kh, const char *host, int permitted,
                    const char *method, const char *data, struct err *e)
{
	size_t room = KNOWN_HOSTS_FILE_MAX - kh->len;
	int need_nl = kh->len && kh->buf[kh->len - 1] != '\n';
	long n;
	int rc;

	if (known_hosts_any_match(kh->buf, kh->len, host, permitted, method, data))
		return 0;
	/* A last line without its newline must not swallow ours. */
	if (need_nl + !permitted + strlen(host) + strlen(method) + strlen(data) + 3 > room) {
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_BOUND,
		         "known_hosts file %s would exceed KNOWN_HOSTS_FILE_MAX (%d bytes)", kh->path,
		         KNOWN_HOSTS_FILE_MAX);
		return -1;
	}
	n = known_hosts_format(kh->buf + kh->len + need_nl, room - need_nl + 1, host, permitted,
	                       method, data, e);
	if (n < 0) {
		kh->buf[kh->len] = '\0';
		return -1;
	}
	if (need_nl)
		kh->buf[kh->len] = '\n';
	make_parents(kh->path);
	/* Appended, as HTCondor appends: tools running at once each add
	 * their line (at worst the same line twice), none loses another's. */
	rc = port_log_open(kh->path, 0644);
	if (rc >= 0) {
		int h = rc;
		rc = port_log_append(h, kh->buf + kh->len, (size_t)need_nl + (size_t)n);
		port_log_close(h);
	}
	if (rc < 0) {
		kh->buf[kh->len] = '\0';
		err_push(e, "KNOWN_HOSTS", KNOWN_HOSTS_ERR_WRITE, "cannot write known_hosts file %s: %s",
		         kh->path, port_strerror(port_last_errno()));
		return -1;
	}
	kh->len += need_nl + (size_t)n;
	return 0;
}
