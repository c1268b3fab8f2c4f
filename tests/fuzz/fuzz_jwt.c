/*
 * fuzz_jwt.c - untrusted bytes as an IDTOKEN: jwt_parse directly, then the
 * token finder (tokens_find) reading the same bytes as the text of a token
 * file and as an explicitly given token.
 *
 * Invariants checked: a parsed token keeps every claim NUL-terminated
 * inside JWT_FIELD_MAX, t_len ends at the second '.', the signature fits
 * JWT_SIG_MAX; a token the finder accepts is a line of the file, its name
 * is its sub or jti, and its kid/iss passed the query's filters.
 *
 * The token file lives in a private directory made once per process
 * (mkdtemp under $TMPDIR or /tmp, mode 0700, file mode 0600); nothing else
 * touches the file system.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jwt.h"
#include "tokens.h"

static struct jwt j;
static struct token_choice tc;
static char dir[256], path[512];
static char text[TOKENS_FILE_MAX + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_jwt(const struct jwt *t, const char *tok, size_t len)
{
	const char *const f[] = { t->kid, t->alg, t->iss, t->sub, t->jti };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (!memchr(f[i], '\0', JWT_FIELD_MAX))
			abort();
	if (t->t_len >= len || tok[t->t_len] != '.' || !memchr(tok, '.', t->t_len))
		abort();
	if (t->sig_len > JWT_SIG_MAX)
		abort();
}

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/fuzz_jwt.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/TOOL_auto_generated_token", dir);
}

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

/* Is [tok, tok+len) exactly one trimmed line of the file text? */
static int is_line_of(const char *tok, size_t len, const uint8_t *data, size_t size)
{
	const char *p = memchr(data, tok[0], size);
	while (p) {
		size_t off = (size_t)(p - (const char *)data);
		if (size - off >= len && memcmp(p, tok, len) == 0)
			return 1;
		p = off + 1 < size ? memchr(p + 1, tok[0], size - off - 1) : NULL;
	}
	return 0;
}

static void check_choice(const struct tokens_query *q, const uint8_t *data, size_t size)
{
	if (tc.len == 0 || tc.len > JWT_MAX_LEN || tc.text[tc.len] != '\0' || !tc.name)
		abort();
	if (!is_line_of(tc.text, tc.len, data, size))
		abort();
	check_jwt(&tc.jwt, tc.text, tc.len);
	if (tc.name != tc.jwt.sub && tc.name != tc.jwt.jti)
		abort();
	if (!tc.jwt.has_kid || !tc.jwt.has_iss)
		abort();
	if (q->trust_domain && strcmp(tc.jwt.iss, q->trust_domain) != 0)
		abort();
	if (q->issuer_keys && !strstr(q->issuer_keys, tc.jwt.kid))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tokens_query q;
	struct err e;
	char why[160];
	int fd, rc;

	if (!dir[0]) {
		make_dir();
		atexit(cleanup);
	}
	if (jwt_parse((const char *)data, size, &j, why, sizeof why) == 0)
		check_jwt(&j, (const char *)data, size);
	else if (!memchr(why, '\0', sizeof why))
		abort();
	if (size > TOKENS_FILE_MAX)
		return 0;

	/* the server's filters follow from the length, so every input is
	 * also tried both with and without them */
	memset(&q, 0, sizeof q);
	q.dir = dir;
	q.subsys = "TOOL";
	q.uid = (uint32_t)getuid();
	if (size & 1) {
		q.trust_domain = "refpool.local";
		q.issuer_keys = "POOL, other";
	}

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) < 0)
		abort();
	err_clear(&e);
	rc = tokens_find(&q, &tc, &e);
	if (rc < 0)
		abort(); /* the directory path is short: no bound can be hit */
	if (rc == 1) {
		check_choice(&q, data, size);
		if (strcmp(tc.source, path) != 0)
			abort();
	}

	/* the same bytes as the explicit token (up to the first NUL) */
	memcpy(text, data, size);
	text[size] = '\0';
	q.dir = NULL;
	q.explicit_token = text;
	err_clear(&e);
	rc = tokens_find(&q, &tc, &e);
	if (rc == 1) {
		check_choice(&q, data, size);
		if (tc.len != strlen(text))
			abort();
	}
	return 0;
}
