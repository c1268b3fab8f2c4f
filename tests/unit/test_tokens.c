#include "check.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "port/port.h"
#include "token_mint.h"
#include "tokens.h"

static char dir[128];
static struct token_choice scratch, choice;

static void mint_to(const char *name, const char *sub, const char *iss, const char *kid,
                    unsigned mode, const char *before, const char *after)
{
	struct token_mint_key k;
	struct token_mint_claims c;
	char tok[2048], path[256], buf[4096];
	struct err e;
	int n;

	memset(&k, 0, sizeof k);
	snprintf(k.name, sizeof k.name, "%s", kid);
	memset(&c, 0, sizeof c);
	c.sub = sub;
	c.iss = iss;
	c.iat = 1000;
	c.lifetime = -1;
	c.jti = "0123456789abcdef0123456789abcdef";
	err_clear(&e);
	CHECK_INT(token_mint_sign(&k, &c, tok, sizeof tok, &e), 0);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	n = snprintf(buf, sizeof buf, "%s%s\n%s", before, tok, after);
	port_file_unlink(path);
	CHECK_INT(port_file_write_new(path, buf, (size_t)n, mode), 0);
}

struct seen_log {
	char text[4096];
	size_t len;
};

static int log_seen(void *ctx, const struct tokens_seen *s)
{
	struct seen_log *l = ctx;
	const char *base = strrchr(s->path, '/');
	int n;

	base = base ? base + 1 : s->path;
	n = snprintf(l->text + l->len, sizeof l->text - l->len, "%s:%d:%s:%s%s;", base, s->line,
	             s->jwt ? (s->jwt->has_sub ? s->jwt->sub : "-") : "notjwt",
	             s->usable ? "use" : "skip", s->usable ? "" : (s->file_ok ? "" : "(file)"));
	if (n > 0)
		l->len += (size_t)n;
	return 0;
}

static void test_walk(void)
{
	struct tokens_query q;
	struct seen_log l;
	struct err e;
	char path[256];

	mint_to("b", "b@pool", "pool", "POOL", 0600, "# comment\n\n", "junk line\n");
	mint_to("a", "a@pool", "pool", "POOL", 0644, "", "");
	mint_to("TOOL_auto_generated_token", "auto@pool", "pool", "POOL", 0600, "", "");
	mint_to("c", "c@other", "other", "POOL", 0600, "", "");
	mint_to("d", "d@pool", "pool", "KEY2", 0600, "  ", "");
	mint_to(".hidden", "h@pool", "pool", "POOL", 0600, "", "");
	mint_to("e~", "t@pool", "pool", "POOL", 0600, "", "");
	snprintf(path, sizeof path, "%s/sub", dir);
	CHECK_INT(port_mkdir(path, 0700), 0);

	memset(&q, 0, sizeof q);
	q.dir = dir;
	q.subsys = "TOOL";
	q.uid = port_uid();
	memset(&l, 0, sizeof l);
	CHECK_INT(tokens_walk(&q, &scratch, log_seen, &l), 0);
	/* the auto-generated file first, then by name; excluded names and
	 * the subdirectory skipped; a loose file flagged, its token listed */
	CHECK_STR(l.text, "TOOL_auto_generated_token:1:auto@pool:use;a:1:a@pool:skip(file);"
	                  "b:3:b@pool:use;b:4:notjwt:skip;c:1:c@other:use;d:1:d@pool:use;");

	/* the server's trust domain and keys narrow it */
	q.trust_domain = "pool";
	q.issuer_keys = "POOL";
	memset(&l, 0, sizeof l);
	tokens_walk(&q, &scratch, log_seen, &l);
	CHECK_STR(l.text, "TOOL_auto_generated_token:1:auto@pool:use;a:1:a@pool:skip(file);"
	                  "b:3:b@pool:use;b:4:notjwt:skip;c:1:c@other:skip;d:1:d@pool:skip;");

	/* tokens_find: the first usable one; the explicit one before all */
	err_clear(&e);
	CHECK_INT(tokens_find(&q, &choice, &e), 1);
	CHECK_STR(choice.name, "auto@pool");
	snprintf(path, sizeof path, "%s/TOOL_auto_generated_token", dir);
	CHECK_STR(choice.source, path);
	port_file_unlink(path);
	CHECK_INT(tokens_find(&q, &choice, &e), 1);
	CHECK_STR(choice.name, "b@pool");
	CHECK(choice.len > 0 && strchr(choice.text, '\n') == NULL);

	/* one file, whatever its name */
	snprintf(path, sizeof path, "%s/.hidden", dir);
	memset(&l, 0, sizeof l);
	tokens_walk_file(&q, path, &scratch, log_seen, &l);
	CHECK_STR(l.text, ".hidden:1:h@pool:use;");
	snprintf(path, sizeof path, "%s/missing", dir);
	memset(&l, 0, sizeof l);
	tokens_walk_file(&q, path, &scratch, log_seen, &l);
	CHECK_STR(l.text, "missing:0:notjwt:skip(file);");

	/* a missing directory: nothing, and nothing found */
	q.dir = "/nonexistent/tokens.d";
	memset(&l, 0, sizeof l);
	CHECK_INT(tokens_walk(&q, &scratch, log_seen, &l), 0);
	CHECK_INT(l.len, 0);
	CHECK_INT(tokens_find(&q, &choice, &e), 0);
}

static void test_pick_dir(void)
{
	char out[256];

	CHECK_INT(tokens_pick_dir("/set", "/sys", "/home/u", 1000, out, sizeof out), 0);
	CHECK_STR(out, "/set");
	CHECK_INT(tokens_pick_dir(NULL, "/sys", "/home/u", 1000, out, sizeof out), 0);
	CHECK_STR(out, "/home/u/.condor/tokens.d");
	CHECK_INT(tokens_pick_dir("", "/sys", "/home/u", 0, out, sizeof out), 0);
	CHECK_STR(out, "/sys");
	CHECK_INT(tokens_pick_dir(NULL, NULL, NULL, 0, out, sizeof out), 0);
	CHECK_STR(out, "/etc/condor/tokens.d");
	CHECK(tokens_name_excluded(".x") && tokens_name_excluded("x~") && tokens_name_excluded("a.rpmnew"));
	CHECK(!tokens_name_excluded("pool") && !tokens_name_excluded("a.token"));
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_tokens.%ld", port_pid());
	CHECK_INT(port_mkdir(dir, 0700), 0);
	test_walk();
	test_pick_dir();
	check_rmtree(dir);
	return check_done("tokens");
}
