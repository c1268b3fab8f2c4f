/*
 * tokens.h - finding the IDTOKEN to present to a server.
 *
 * Sources, in HTCondor's order: an explicit token given by the caller,
 * then the token files of ONE directory: SEC_TOKEN_DIRECTORY if set, else
 * ~/.condor/tokens.d for a non-root process, else (root)
 * SEC_TOKEN_SYSTEM_DIRECTORY (/etc/condor/tokens.d).  In that directory
 * "<SUBSYS>_auto_generated_token" (case-insensitive) is read first, then
 * every other file in byte order of its name; names HTCondor's default
 * LOCAL_CONFIG_DIR_EXCLUDE_REGEXP excludes (dot files, *.pl, *.py, *.sh,
 * *~, #*, *.rpmsave, *.rpmnew, *.dpkg-old, *.dpkg-dist, *.cfsaved) and
 * subdirectories are skipped.  A file is ignored unless it is a regular
 * file owned by the real uid with no group/other permission bits (HTCondor
 * 24.0+); each ignored file is reported under D_SECURITY.  Lines are
 * trimmed; blank and '#' lines are skipped; the first acceptable token wins.
 *
 * Acceptable (checkToken): parses as a JWT, has "kid" (and, if the server
 * listed IssuerKeys, one of those), has "iss" (equal to the server's
 * TrustDomain if it sent one), and has "sub" or "jti".  Expiry is not
 * checked, as in HTCondor (the server decides).
 */
#ifndef TOKENBOX_TOKENS_H
#define TOKENBOX_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "jwt.h"

/* Largest token file read; a larger file is skipped (and said so). */
#define TOKENS_FILE_MAX 65536
/* Longest directory or file path handled. */
#define TOKENS_PATH_MAX 1024

struct tokens_query {
	const char *dir;            /* the directory to scan (tokens_pick_dir) */
	const char *explicit_token; /* tried first, or NULL */
	const char *trust_domain;   /* the server's TrustDomain, or NULL */
	const char *issuer_keys;    /* the server's IssuerKeys, or NULL */
	const char *subsys;         /* "TOOL" */
	uint32_t uid;               /* required owner (the real uid) */
};

struct token_choice {
	char text[JWT_MAX_LEN + 1]; /* the whole token, NUL-terminated */
	size_t len;
	struct jwt jwt;
	const char *name;           /* jwt.sub, or jwt.jti for capabilities */
	char source[TOKENS_PATH_MAX]; /* file it came from, or "(explicit)" */
	char filebuf[TOKENS_FILE_MAX]; /* scratch for reading files */
};

/* The directory HTCondor would scan.  token_dir: SEC_TOKEN_DIRECTORY or
 * NULL/""; system_dir: SEC_TOKEN_SYSTEM_DIRECTORY or NULL (default
 * /etc/condor/tokens.d); home: the user's home or NULL.  0 or -1. */
int tokens_pick_dir(const char *token_dir, const char *system_dir, const char *home,
                    uint32_t euid, char *out, size_t cap);

/* 1 found (out filled), 0 none acceptable, -1 error (e.g. a path over
 * TOKENS_PATH_MAX).  A missing directory is "none". */
int tokens_find(const struct tokens_query *q, struct token_choice *out, struct err *e);

/* What tokens_walk reports: a file it skipped (line 0, why set), or one
 * token line of a file it read (line >= 1).  For a line: text/len, jwt
 * (NULL when the line is not a JWT), and usable (1 when the handshake
 * would accept it; else why).  file_ok: the file passes the owner and
 * mode checks (a line of a file that does not is never usable). */
struct tokens_seen {
	const char *path;
	int line;
	const char *text;
	size_t len;
	const struct jwt *jwt;
	int file_ok;
	int usable;
	const char *why;
};

/* Visit every file and token line of q->dir in the order tokens_find reads
 * them (the auto-generated file first, then by name), files that fail the
 * owner or mode checks included (flagged), so that a lister and the
 * handshake can never disagree.  fn returns nonzero to stop the walk.
 * scratch holds each file while it is visited.  Returns
 * TOKENS_WALK_STOPPED when fn stopped it, 0 at the end (a missing directory
 * visits nothing), TOKENS_WALK_TRUNCATED at the end of a directory that
 * holds more than PORT_DIR_MAX entries (only the PORT_DIR_MAX smallest
 * names were visited: callers say so, never present that as all). */
#define TOKENS_WALK_STOPPED 1
#define TOKENS_WALK_TRUNCATED 2
int tokens_walk(const struct tokens_query *q, struct token_choice *scratch,
                int (*fn)(void *ctx, const struct tokens_seen *s), void *ctx);
/* The same for one file (condor_token_list -file): its lines, whatever
 * its name. */
int tokens_walk_file(const struct tokens_query *q, const char *path, struct token_choice *scratch,
                     int (*fn)(void *ctx, const struct tokens_seen *s), void *ctx);

/* Is this directory entry name excluded by the default
 * LOCAL_CONFIG_DIR_EXCLUDE_REGEXP? */
int tokens_name_excluded(const char *name);

#endif
