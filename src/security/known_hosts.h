/*
 * known_hosts.h - the store of server certificates a user chose to trust
 * (auth-methods.md §2.5): what SSL consults when the server's certificate
 * does not chain to a configured CA.
 *
 * File format (HTCondor's, so both tools share one file): one entry per
 * line, blank lines and lines starting with '#' ignored,
 *
 *     [!]<host alias> <METHOD> <data>
 *
 * fields separated by runs of spaces (each field trimmed of surrounding
 * white space; fields after the third are ignored); a leading '!' marks
 * the host as NOT trusted.  For SSL, <data> is the base64 (one line, with
 * padding) DER certificate that was accepted or refused, or "@trusted"
 * when the server was verified by a CA.  A line with fewer than three
 * fields is skipped (traced under D_SECURITY), as HTCondor does.  Only
 * the first line naming a host counts for a lookup.
 *
 * Memory: the whole file is held in a caller-owned struct (no malloc);
 * entries point into it.
 */
#ifndef TOKENBOX_KNOWN_HOSTS_H
#define TOKENBOX_KNOWN_HOSTS_H

#include <stddef.h>

#include "err.h"

/* Largest known_hosts file read (an SSL entry is 1-3 KiB, so this holds
 * hundreds).  A larger file is an error naming this bound. */
#define KNOWN_HOSTS_FILE_MAX (256 * 1024)
/* Longest path of the file, NUL included. */
#define KNOWN_HOSTS_PATH_MAX 1024
/* Largest certificate (DER bytes) that can be recorded or compared; its
 * base64 form fits KNOWN_HOSTS_CERT_B64_MAX.  A larger server certificate
 * is an error naming this bound. */
#define KNOWN_HOSTS_CERT_MAX 8192
#define KNOWN_HOSTS_CERT_B64_MAX ((KNOWN_HOSTS_CERT_MAX + 2) / 3 * 4 + 1)

/* Error codes under subsystem "KNOWN_HOSTS". */
enum {
	KNOWN_HOSTS_ERR_READ = 1,   /* cannot read the file */
	KNOWN_HOSTS_ERR_BOUND = 2,  /* the file or a new line exceeds KNOWN_HOSTS_FILE_MAX */
	KNOWN_HOSTS_ERR_FIELD = 3,  /* a field to record is empty or holds white space */
	KNOWN_HOSTS_ERR_WRITE = 4,  /* cannot write the file */
	KNOWN_HOSTS_ERR_PATH = 5    /* no file name (no home directory) or too long */
};

/* One entry: slices of the caller's buffer (not NUL-terminated). */
struct known_hosts_entry {
	int permitted;              /* 0 when the line starts with '!' */
	const char *host, *method, *data;
	size_t host_len, method_len, data_len;
	unsigned line;              /* 1-based line number */
};

/*
 * Walk the entries of buf[0..len): start with *pos = 0 and *line = 0.
 * 1 with *ent filled, 0 at the end.  Malformed lines are skipped.
 */
int known_hosts_next(const char *buf, size_t len, size_t *pos, unsigned *line,
                     struct known_hosts_entry *ent);

/* The first entry for host ("!host" or "host").  1 found, 0 not. */
int known_hosts_first_match(const char *buf, size_t len, const char *host,
                            struct known_hosts_entry *ent);

/* Is there a line with exactly this host, trust, method and data? */
int known_hosts_any_match(const char *buf, size_t len, const char *host, int permitted,
                          const char *method, const char *data);

/*
 * "[!]host method data\n" into out.  Each field must be non-empty and
 * free of white space and control characters (so a record can never
 * become two lines or change meaning), host must not start with '!'.
 * Returns the length, or -1 (KNOWN_HOSTS:3, or :2 if out is too small).
 */
long known_hosts_format(char *out, size_t cap, const char *host, int permitted,
                        const char *method, const char *data, struct err *e);

/* ---- the file ------------------------------------------------------------ */

struct known_hosts {
	char path[KNOWN_HOSTS_PATH_MAX];
	size_t len;
	char buf[KNOWN_HOSTS_FILE_MAX + 1];
};

/*
 * Which file (htcondor::get_known_hosts_filename): sec_known_hosts
 * (SEC_KNOWN_HOSTS) when set; else, for a non-root user,
 * <home>/.condor/known_hosts; for root (HTCondor tools run as root may
 * switch ids) system_known_hosts (SEC_SYSTEM_KNOWN_HOSTS).  home may be
 * NULL (then only the other two apply).  0 or -1 (KNOWN_HOSTS:5).
 */
int known_hosts_path(char *out, size_t cap, const char *sec_known_hosts,
                     const char *system_known_hosts, const char *home, int is_root,
                     struct err *e);

/* Read path into kh; a missing file reads as empty.  0 or -1. */
int known_hosts_load(struct known_hosts *kh, const char *path, struct err *e);

/*
 * Record an entry unless an identical line exists (add_known_hosts):
 * appends to kh->buf and rewrites the file, creating its directory (0755)
 * and the file (0644) when missing.  0 (added or already there) or -1.
 */
int known_hosts_add(struct known_hosts *kh, const char *host, int permitted,
                    const char *method, const char *data, struct err *e);

#endif
