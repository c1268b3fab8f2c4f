/*
 * test_known_hosts.c - known_hosts parsing, lookup, formatting and the
 * file round trip (src/security/known_hosts.c).
 */
#include "known_hosts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "port/port.h"

static struct known_hosts kh, kh2;

static int first(const char *text, const char *host, struct known_hosts_entry *ent)
{
	return known_hosts_first_match(text, strlen(text), host, ent);
}

static int eq(const char *s, size_t n, const char *z)
{
	return strlen(z) == n && memcmp(s, z, n) == 0;
}

static void test_parse(void)
{
	struct known_hosts_entry ent;
	const char *text = "# comment\n"
	                   "\n"
	                   "   \t\n"
	                   "short SSL\n"
	                   "  cm.example   SSL  AAAA==  extra field\r\n"
	                   "!bad.example SSL QkJC\n"
	                   "cm.example SSL other\n"
	                   "tab\tin SSL x\n"
	                   "last.example FS unknown";
	size_t pos = 0;
	unsigned line = 0;
	int n = 0;

	/* Walk: the malformed line 4 and the comment are skipped. */
	while (known_hosts_next(text, strlen(text), &pos, &line, &ent))
		n++;
	CHECK_INT(n, 5);

	CHECK_INT(first(text, "cm.example", &ent), 1);
	CHECK_INT(ent.permitted, 1);
	CHECK_INT(ent.line, 5);
	CHECK(eq(ent.method, ent.method_len, "SSL"));
	CHECK(eq(ent.data, ent.data_len, "AAAA=="));

	CHECK_INT(first(text, "bad.example", &ent), 1);
	CHECK_INT(ent.permitted, 0);
	CHECK(eq(ent.host, ent.host_len, "bad.example"));
	CHECK(eq(ent.data, ent.data_len, "QkJC"));

	/* "!bad.example" is not a host name to match literally. */
	CHECK_INT(first(text, "!bad.example", &ent), 0);
	/* "short SSL" has two fields only. */
	CHECK_INT(first(text, "short", &ent), 0);
	/* A tab does not split fields (HTCondor splits on spaces only). */
	CHECK_INT(first(text, "tab", &ent), 0);
	CHECK_INT(first(text, "tab\tin", &ent), 1);
	/* A last line without newline still counts. */
	CHECK_INT(first(text, "last.example", &ent), 1);
	CHECK(eq(ent.method, ent.method_len, "FS"));
	CHECK_INT(ent.line, 9);
	/* Prefixes do not match. */
	CHECK_INT(first(text, "cm", &ent), 0);
	CHECK_INT(first(text, "cm.example.org", &ent), 0);

	CHECK_INT(known_hosts_any_match(text, strlen(text), "cm.example", 1, "SSL", "other"), 1);
	CHECK_INT(known_hosts_any_match(text, strlen(text), "cm.example", 0, "SSL", "other"), 0);
	CHECK_INT(known_hosts_any_match(text, strlen(text), "bad.example", 0, "SSL", "QkJC"), 1);
	CHECK_INT(known_hosts_any_match(text, strlen(text), "bad.example", 1, "SSL", "QkJC"), 0);
	CHECK_INT(known_hosts_any_match(text, strlen(text), "cm.example", 1, "SSL", "AAAA"), 0);

	/* A NUL inside a line makes it malformed, not a crash. */
	{
		const char nul[] = "a SSL x\0y\nb SSL z\n";
		CHECK_INT(known_hosts_first_match(nul, sizeof nul - 1, "a", &ent), 0);
		CHECK_INT(known_hosts_first_match(nul, sizeof nul - 1, "b", &ent), 1);
	}
	/* Empty input. */
	CHECK_INT(known_hosts_first_match("", 0, "a", &ent), 0);
}

static void test_format(void)
{
	char out[64];
	struct err e;

	err_clear(&e);
	CHECK_INT(known_hosts_format(out, sizeof out, "h.example", 1, "SSL", "QUJD", &e), 19);
	CHECK_STR(out, "h.example SSL QUJD\n");
	CHECK_INT(known_hosts_format(out, sizeof out, "h.example", 0, "SSL", "@trusted", &e), 24);
	CHECK_STR(out, "!h.example SSL @trusted\n");
	CHECK(err_empty(&e));

	/* Fields that would change the file's meaning are refused. */
	CHECK_INT(known_hosts_format(out, sizeof out, "h x", 1, "SSL", "QUJD", &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_FIELD);
	CHECK_INT(known_hosts_format(out, sizeof out, "h", 1, "SSL", "QU\nJD", &e), -1);
	CHECK_INT(known_hosts_format(out, sizeof out, "", 1, "SSL", "QUJD", &e), -1);
	CHECK_INT(known_hosts_format(out, sizeof out, "!h", 1, "SSL", "QUJD", &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_FIELD);
	/* Too small a buffer is a bound error, never a truncated line. */
	err_clear(&e);
	CHECK_INT(known_hosts_format(out, 10, "h.example", 1, "SSL", "QUJD", &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_BOUND);
}

static void test_path(void)
{
	char out[KNOWN_HOSTS_PATH_MAX];
	struct err e;

	err_clear(&e);
	CHECK_INT(known_hosts_path(out, sizeof out, "/x/kh", "/etc/kh", "/home/u", 0, &e), 0);
	CHECK_STR(out, "/x/kh");
	CHECK_INT(known_hosts_path(out, sizeof out, "", "/etc/kh", "/home/u", 0, &e), 0);
	CHECK_STR(out, "/home/u/.condor/known_hosts");
	CHECK_INT(known_hosts_path(out, sizeof out, "", "/etc/kh", "/root", 1, &e), 0);
	CHECK_STR(out, "/etc/kh");
	CHECK_INT(known_hosts_path(out, sizeof out, NULL, "/etc/kh", NULL, 0, &e), 0);
	CHECK_STR(out, "/etc/kh");
	CHECK_INT(known_hosts_path(out, sizeof out, "", "", NULL, 0, &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_PATH);
	err_clear(&e);
	CHECK_INT(known_hosts_path(out, 8, "/a/long/path", "", NULL, 0, &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_PATH);
}

static void test_file(void)
{
	char dir[] = "/tmp/test_known_hostsXXXXXX", path[256], sub[256], buf[512];
	struct known_hosts_entry ent;
	struct port_stat st;
	struct err e;
	size_t len;
	FILE *f;

	err_clear(&e);
	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	/* Missing file (and directory): empty; adding creates both. */
	snprintf(path, sizeof path, "%s/sub/.condor/known_hosts", dir);
	CHECK_INT(known_hosts_load(&kh, path, &e), 0);
	CHECK_INT(kh.len, 0);
	CHECK_INT(known_hosts_add(&kh, "cm.example", 1, "SSL", "QUJD", &e), 0);
	CHECK_INT(known_hosts_add(&kh, "cm.example", 1, "SSL", "QUJD", &e), 0); /* no duplicate */
	CHECK_INT(known_hosts_add(&kh, "cm.example", 0, "SSL", "REVG", &e), 0);
	CHECK(err_empty(&e));
	CHECK_INT(port_file_read(path, buf, sizeof buf, &len, &st), 0);
	CHECK_STR(buf, "cm.example SSL QUJD\n!cm.example SSL REVG\n");
	CHECK_INT(st.mode & 0777, 0644);
	snprintf(sub, sizeof sub, "%s/sub/.condor", dir);
	CHECK_INT(port_file_stat(sub, &st), 0);
	CHECK(st.is_dir);

	/* Reload: the first entry wins. */
	CHECK_INT(known_hosts_load(&kh2, path, &e), 0);
	CHECK_INT(known_hosts_first_match(kh2.buf, kh2.len, "cm.example", &ent), 1);
	CHECK_INT(ent.permitted, 1);
	CHECK(eq(ent.data, ent.data_len, "QUJD"));

	/* A hand-edited last line without newline is not glued to ours. */
	f = fopen(path, "w");
	if (f) {
		fputs("# mine\nold.example SSL @trusted", f);
		fclose(f);
	}
	CHECK_INT(known_hosts_load(&kh, path, &e), 0);
	CHECK_INT(known_hosts_add(&kh, "new.example", 1, "SSL", "QUJD", &e), 0);
	CHECK_INT(port_file_read(path, buf, sizeof buf, &len, NULL), 0);
	CHECK_STR(buf, "# mine\nold.example SSL @trusted\nnew.example SSL QUJD\n");

	/* A bad field is refused and nothing is written. */
	CHECK_INT(known_hosts_add(&kh, "bad host", 1, "SSL", "QUJD", &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_FIELD);
	CHECK_INT(port_file_read(path, buf, sizeof buf, &len, NULL), 0);
	CHECK_STR(buf, "# mine\nold.example SSL @trusted\nnew.example SSL QUJD\n");
	CHECK_INT(kh.len, len);

	/* A file over KNOWN_HOSTS_FILE_MAX is an error naming the bound. */
	err_clear(&e);
	f = fopen(path, "w");
	if (f) {
		size_t i;
		for (i = 0; i < KNOWN_HOSTS_FILE_MAX / 17 + 1; i++)
			fputs("h SSL 0123456789\n", f);
		fclose(f);
	}
	CHECK_INT(known_hosts_load(&kh, path, &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_BOUND);
	CHECK(strstr(err_message(&e), "KNOWN_HOSTS_FILE_MAX") != NULL);

	/* A file just under the bound cannot grow past it. */
	err_clear(&e);
	f = fopen(path, "w");
	if (f) {
		size_t i;
		for (i = 0; i < (KNOWN_HOSTS_FILE_MAX - 20) / 17; i++)
			fputs("h SSL 0123456789\n", f);
		fclose(f);
	}
	CHECK_INT(known_hosts_load(&kh, path, &e), 0);
	CHECK_INT(known_hosts_add(&kh, "other.example", 1, "SSL", "QUJDREVG", &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_BOUND);

	/* A directory where the file should be cannot be read. */
	err_clear(&e);
	CHECK_INT(known_hosts_load(&kh, dir, &e), -1);
	CHECK_INT(err_code(&e), KNOWN_HOSTS_ERR_READ);

	port_file_unlink(path);
	port_rmdir(sub);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	port_rmdir(sub);
	port_rmdir(dir);
}

int main(void)
{
	test_parse();
	test_format();
	test_path();
	test_file();
	return check_done("known_hosts");
}
