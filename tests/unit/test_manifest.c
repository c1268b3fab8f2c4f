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
	memcpy(m.text, text, len);
	rc = manifest_parse(&m, "m.txt", len, &e);
	snprintf(msg, cap, "%s", err_message(&e));
	return rc;
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
	CHECK_STR(m.row[0].reqid, "0412345");
	CHECK_INT(m.row[0].line, 3);
	CHECK_STR(m.row[0].x.identity, "worker@pool.example");
	CHECK_STR(m.row[0].x.peer, "10.1.2.0/24");
	CHECK_STR(m.row[0].x.authz, "ADVERTISE_STARTD,ADVERTISE_MASTER");
	CHECK_INT(m.row[0].x.max_lifetime, 86400);
	CHECK_STR(m.row[0].x.client_id, "node17.example.org-431");
	/* Leading zeros are kept: a different request from 0412345. */
	CHECK_STR(m.row[1].reqid, "412345");
	CHECK_INT(m.row[1].line, 4);
	CHECK_STR(m.row[1].x.identity, "other@pool.example");
	CHECK(m.row[1].x.peer == NULL && m.row[1].x.authz == NULL && m.row[1].x.client_id == NULL);
	CHECK_INT(m.row[1].x.max_lifetime, -1);
	/* '#' inside a field is text, not a comment. */
	CHECK_STR(m.row[2].x.client_id, "a#b");
	CHECK_STR(m.row[2].x.peer, "2001:db8::/32");
	CHECK_STR(m.row[3].reqid, "1000000");
	CHECK_INT(m.row[3].x.max_lifetime, 0);
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
	CHECK_STR(m.row[4095].x.identity, "w4095@pool.example");
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
	memset(big, '#', sizeof big);
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
	test_load();
	return check_done("manifest");
}
