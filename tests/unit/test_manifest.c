#include "check.h"

#include <stdlib.h>

#include "manifest.h"
#include "port/port.h"

static struct manifest m;

/* Parse text (len bytes, NULs allowed) as file "m.txt". */
static int parse(const char *text, size_t len, char *msg, size_t cap)
{
	struct err e;
	int rc;

	err_clear(&e);
	rc = manifest_parse(&m, "m.txt", text, len, &e);
	snprintf(msg, cap, "%s", err_message(&e));
	return rc;
}

static struct approve_expect ex(size_t i)
{
	struct approve_expect x;

	manifest_expect(&m, i, &x);
	return x;
}

static int parse_str(const char *text, char *msg, size_t cap)
{
	return parse(text, strlen(text), msg, cap);
}

static void test_good(void)
{
	char msg[512];
	const char *text =
		"# rack 3, west\n"
		"\n"
		"0412345 worker@pool.example peer=10.1.2.0/24 authz=ADVERTISE_STARTD,ADVERTISE_MASTER "
		"max-lifetime=86400 client-id=node17.example.org-431\n"
		"   \t 412345\tother@pool.example   # same digits without the leading zero\r\n"
		"0000007 condor@pool.example client-id=a#b authz=READ peer=2001:db8::/32\n"
		"1000000 x@y max-lifetime=0";

	CHECK_INT(parse_str(text, msg, sizeof msg), 0);
	CHECK_STR(msg, "");
	CHECK_INT(m.n, 4);
	CHECK_STR(manifest_reqid(&m, 0), "0412345");
	CHECK_INT(m.row[0].line, 3);
	CHECK_STR(ex(0).identity, "worker@pool.example");
	CHECK_STR(ex(0).peer, "10.1.2.0/24");
	CHECK_STR(ex(0).authz, "ADVERTISE_STARTD,ADVERTISE_MASTER");
	CHECK_INT(ex(0).max_lifetime, 86400);
	CHECK_STR(ex(0).client_id, "node17.example.org-431");
	/* Leading zeros are kept: a different request from 0412345. */
	CHECK_STR(manifest_reqid(&m, 1), "412345");
	CHECK_INT(m.row[1].line, 4);
	CHECK_STR(ex(1).identity, "other@pool.example");
	CHECK(ex(1).peer == NULL && ex(1).authz == NULL && ex(1).client_id == NULL);
	CHECK_INT(ex(1).max_lifetime, -1);
	/* '#' inside a field is text, not a comment. */
	CHECK_STR(ex(2).client_id, "a#b");
	CHECK_STR(ex(2).peer, "2001:db8::/32");
	CHECK_STR(manifest_reqid(&m, 3), "1000000");
	CHECK_INT(ex(3).max_lifetime, 0);
	CHECK_INT(m.row[3].line, 6);

	CHECK_INT(manifest_find(&m, "0412345"), 0);
	CHECK_INT(manifest_find(&m, "412345"), 1);
	CHECK_INT(manifest_find(&m, "0000007"), 2);
	CHECK_INT(manifest_find(&m, "1000000"), 3);
	CHECK_INT(manifest_find(&m, "7"), -1);
	CHECK_INT(manifest_find(&m, "04123450"), -1);
	CHECK_INT(manifest_find(&m, ""), -1);
}

struct bad_case {
	const char *text;
	const char *msg;
};

static void test_bad(void)
{
	static const struct bad_case cases[] = {
		{"0412345 a@b bogus=1\n", "m.txt:1: unknown key 'bogus' (peer, authz, max-lifetime, client-id)"},
		{"0412345 a@b peer=10.1.2.300\n", "m.txt:1: expected peer '10.1.2.300' is not an address or netblock"},
		{"0412345 a@b peer=10.0.0.0/33\n", "m.txt:1: expected peer '10.0.0.0/33' is not an address or netblock"},
		{"1 a@b\n\n# c\n2 c@d\n1 e@f\n", "m.txt:5: request 1 is already expected on line 1"},
		{"0412345 a@b peer=1.2.3.4 peer=1.2.3.4\n", "m.txt:1: peer= given twice"},
		{"0412345 a@b authz=READ authz=WRITE\n", "m.txt:1: authz= given twice"},
		{"0412345 a@b max-lifetime=1 max-lifetime=1\n", "m.txt:1: max-lifetime= given twice"},
		{"0412345 a@b client-id=x client-id=x\n", "m.txt:1: client-id= given twice"},
		{"0412345\n", "m.txt:1: request 0412345 has no expected identity"},
		{"0412345 condor\n", "m.txt:1: the identity of request 0412345 is not a plain user@domain (letters, digits, . _ - +)"},
		{"0412345 a@b@c\n", "m.txt:1: the identity of request 0412345 is not a plain user@domain (letters, digits, . _ - +)"},
		{"04123x5 a@b\n", "m.txt:1: the request ID must be 1 to 19 digits"},
		{"-1 a@b\n", "m.txt:1: the request ID must be 1 to 19 digits"},
		{"12345678901234567890 a@b\n", "m.txt:1: the request ID must be 1 to 19 digits"},
		{"1 a@b\r2 c@d\n", "m.txt:1: carriage return inside a line (only LF or CR LF end a line)"},
		{"1 a@b\n2 c@d\r", "m.txt:2: carriage return inside a line (only LF or CR LF end a line)"},
		{"1 a@b\n2 c@d \x1b[31m\n", "m.txt:2: control character 0x1b"},
		{"1 a@b\x7f\n", "m.txt:1: control character 0x7f"},
		{"", "m.txt: no expected request in the file"},
		{"# only a comment\n\n   \n", "m.txt: no expected request in the file"},
		{"1 a@b peer=1.2.3.4 authz=READ max-lifetime=1 client-id=x extra=1\n", "m.txt:1: more than 6 fields"},
		{"1 a@b max-lifetime=3155760001\n", "m.txt:1: max-lifetime= wants a number of seconds from 0 to 3155760000"},
		{"1 a@b max-lifetime=-5\n", "m.txt:1: max-lifetime= wants a number of seconds from 0 to 3155760000"},
		{"1 a@b max-lifetime=12s\n", "m.txt:1: max-lifetime= wants a number of seconds from 0 to 3155760000"},
		{"1 a@b authz=READ,,WRITE\n", "m.txt:1: authz= wants a comma list of authorization names (letters, digits, '_'), without spaces"},
		{"1 a@b authz=READ,\n", "m.txt:1: authz= wants a comma list of authorization names (letters, digits, '_'), without spaces"},
		{"1 a@b authz=condor:/READ\n", "m.txt:1: authz= wants a comma list of authorization names (letters, digits, '_'), without spaces"},
		{"1 a@b client-id=caf\xc3\xa9\n", "m.txt:1: client-id= must be printable ASCII"},
		{"1 a@b peer=\n", "m.txt:1: peer= has no value"},
		{"1 a@b =x\n", "m.txt:1: expected KEY=VALUE after the identity, found a field without '=' (field 3)"},
		{"1 a@b 10.0.0.1\n", "m.txt:1: expected KEY=VALUE after the identity, found a field without '=' (field 3)"},
		{"1 a@b k\xc3\xa9y=1\n", "m.txt:1: unknown key (peer, authz, max-lifetime, client-id)"},
	};
	size_t i;
	char msg[512];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse_str(cases[i].text, msg, sizeof msg);
		CHECK_INT(rc, -1);
		CHECK_INT(m.n, 0);
		CHECK_STR(msg, cases[i].msg);
	}
}

static void test_bounds(void)
{
	static char big[MANIFEST_MAX_BYTES + 64];
	char msg[512];
	size_t len, i;

	/* A NUL byte stops nothing silently. */
	CHECK_INT(parse("1 a@b\n2 c\0d@e\n", 15, msg, sizeof msg), -1);
	CHECK_STR(msg, "m.txt:2: NUL byte");
	CHECK_INT(m.n, 0);

	/* The longest line is accepted, one byte more is not (with or
	 * without CR LF). */
	memset(big, ' ', MANIFEST_LINE_MAX);
	memcpy(big, "1 a@b", 5);
	big[MANIFEST_LINE_MAX] = '\n';
	CHECK_INT(parse(big, MANIFEST_LINE_MAX + 1, msg, sizeof msg), 0);
	CHECK_INT(m.n, 1);
	big[MANIFEST_LINE_MAX] = '\r';
	big[MANIFEST_LINE_MAX + 1] = '\n';
	CHECK_INT(parse(big, MANIFEST_LINE_MAX + 2, msg, sizeof msg), 0);
	big[MANIFEST_LINE_MAX] = ' ';
	big[MANIFEST_LINE_MAX + 1] = '\n';
	CHECK_INT(parse(big, MANIFEST_LINE_MAX + 2, msg, sizeof msg), -1);
	CHECK_STR(msg, "m.txt:1: line longer than 1024 bytes");

	/* MANIFEST_MAX_ROWS rows fit; one more is an error, never a cut. */
	len = 0;
	for (i = 0; i < MANIFEST_MAX_ROWS + 1; i++)
		len += (size_t)snprintf(big + len, sizeof big - len, "%07zu w%zu@pool.example\n", i, i);
	CHECK_INT(parse(big, len, msg, sizeof msg), -1);
	CHECK_INT(m.n, 0);
	CHECK_STR(msg, "m.txt:4097: more than 4096 rows");
	len = 0;
	for (i = 0; i < MANIFEST_MAX_ROWS; i++)
		len += (size_t)snprintf(big + len, sizeof big - len, "%07zu w%zu@pool.example\r\n", i, i);
	CHECK_INT(parse(big, len, msg, sizeof msg), 0);
	CHECK_INT(m.n, MANIFEST_MAX_ROWS);
	CHECK_INT(manifest_find(&m, "0004095"), 4095);
	CHECK_INT(manifest_find(&m, "0000000"), 0);
	CHECK_STR(ex(4095).identity, "w4095@pool.example");
}

/* Any split of the bytes gives the same rows and the same errors. */
static void test_pieces(void)
{
	static const char *const texts[] = {
		"# c\r\n0412345 worker@pool.example peer=10.1.2.0/24 authz=READ\r\n"
		"0412346 worker@pool.example peer=10.1.2.0/24 authz=READ client-id=n-1\n7 x@y",
		"1 a@b\n2 c@d\r",
		"1 a@b\n1 c@d\n",
	};
	size_t t, step;

	for (t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		const char *text = texts[t];
		size_t len = strlen(text), i, n;
		char want[512], got[512];
		int rc_want, rc;
		struct err e;

		rc_want = parse_str(text, want, sizeof want);
		n = m.n;
		for (step = 1; step <= 7; step++) {
			err_clear(&e);
			manifest_begin(&m, "m.txt");
			rc = 0;
			for (i = 0; i < len && rc == 0; i += step)
				rc = manifest_feed(&m, text + i, len - i < step ? len - i : step, &e);
			if (rc == 0)
				rc = manifest_end(&m, &e);
			snprintf(got, sizeof got, "%s", err_message(&e));
			CHECK_INT(rc, rc_want);
			CHECK_STR(got, want);
			CHECK_INT(m.n, n);
			if (rc == 0 && m.n == 3) {
				CHECK_STR(manifest_reqid(&m, 2), "7");
				CHECK_STR(ex(1).client_id, "n-1");
				CHECK_STR(ex(1).authz, "READ");
			}
		}
	}
	/* A feed after an error fails too, and leaves no rows. */
	{
		struct err e;
		err_clear(&e);
		manifest_begin(&m, "m.txt");
		CHECK_INT(manifest_feed(&m, "x\n", 2, &e), -1);
		CHECK_INT(manifest_feed(&m, "1 a@b\n", 6, &e), -1);
		CHECK_INT(manifest_end(&m, &e), -1);
		CHECK_INT(m.n, 0);
	}
}

/* Values equal to the previous row's are stored once. */
static void test_sharing(void)
{
	static char big[128 * 1024];
	size_t len = 0, i;
	char msg[256];

	for (i = 0; i < 1000; i++)
		len += (size_t)snprintf(big + len, sizeof big - len,
		                        "%07zu condor@pool.example peer=10.7.0.0/16 "
		                        "authz=ADVERTISE_STARTD,ADVERTISE_MASTER\n", i);
	CHECK_INT(parse(big, len, msg, sizeof msg), 0);
	CHECK_INT(m.n, 1000);
	/* 1000 request IDs and one copy of each shared value. */
	CHECK_INT(m.used, 1000 * 8 + strlen("condor@pool.example") + 1 + strlen("10.7.0.0/16") + 1 +
	                  strlen("ADVERTISE_STARTD,ADVERTISE_MASTER") + 1);
	CHECK_STR(ex(999).peer, "10.7.0.0/16");
	CHECK_STR(ex(999).identity, "condor@pool.example");
	CHECK_STR(manifest_reqid(&m, 999), "0000999");
}

static void test_load(void)
{
	static char big[MANIFEST_MAX_BYTES + 2];
	char path[64], msg[512];
	struct err e;

	snprintf(path, sizeof path, "/tmp/test_manifest.%ld", port_pid());
	port_file_unlink(path);
	CHECK_INT(port_file_write_new(path, "0412345 a@b\n", 12, 0600), 0);
	err_clear(&e);
	CHECK_INT(manifest_load(&m, path, &e), 0);
	CHECK_INT(m.n, 1);
	CHECK_STR(m.name, path);
	port_file_unlink(path);

	/* Over the file bound: an error, not the first megabyte. */
	/* Comment lines only: the byte bound, not the row bound, is hit. */
	memset(big, '#', sizeof big);
	{
		size_t i;
		for (i = 63; i < sizeof big; i += 64)
			big[i] = '\n';
	}
	CHECK_INT(port_file_write_new(path, big, sizeof big, 0600), 0);
	err_clear(&e);
	CHECK_INT(manifest_load(&m, path, &e), -1);
	CHECK_INT(m.n, 0);
	snprintf(msg, sizeof msg, "%s: larger than 1048576 bytes", path);
	CHECK_STR(err_message(&e), msg);
	port_file_unlink(path);

	err_clear(&e);
	CHECK_INT(manifest_load(&m, path, &e), -1);
	snprintf(msg, sizeof msg, "%s: cannot read: No such file or directory", path);
	CHECK_STR(err_message(&e), msg);
}

int main(void)
{
	test_good();
	test_bad();
	test_bounds();
	test_pieces();
	test_sharing();
	test_load();
	return check_done("manifest");
}
