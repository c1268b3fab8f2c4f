#include "check.h"

#include <sys/stat.h>

#include "audit.h"
#include "port/port.h"

static char buf[1 << 17];

static void test_utc(void)
{
	char t[32];

	audit_utc(0, t, sizeof t);
	CHECK_STR(t, "1970-01-01T00:00:00Z");
	audit_utc(951782400, t, sizeof t); /* leap day of a century leap year */
	CHECK_STR(t, "2000-02-29T00:00:00Z");
	audit_utc(1796633912, t, sizeof t);
	CHECK_STR(t, "2026-12-07T08:58:32Z");
	audit_utc(4107542399LL, t, sizeof t);
	CHECK_STR(t, "2100-02-28T23:59:59Z");
	audit_utc(-1, t, sizeof t);
	CHECK_STR(t, "1969-12-31T23:59:59Z");
}

static void fill(struct dc_target *t, struct dc_client *c)
{
	memset(t, 0, sizeof *t);
	snprintf(t->sinful, sizeof t->sinful, "<127.0.0.1:9618>");
	snprintf(t->name, sizeof t->name, "collector@pool");
	memset(c, 0, sizeof *c);
	snprintf(c->method, sizeof c->method, "FS");
	snprintf(c->user, sizeof c->user, "condor@pool.example");
}

static void test_file(void)
{
	static struct dc_client client;
	struct dc_target target;
	struct approve_request r;
	struct audit a;
	struct audit_entry en;
	struct port_stat st;
	struct err e;
	char path[64], dir[64], huge[3000];
	size_t len;

	snprintf(dir, sizeof dir, "/tmp/test_audit.%ld", port_pid());
	snprintf(path, sizeof path, "%s/audit.log", dir);
	port_mkdir(dir, 0700);
	port_file_unlink(path);
	fill(&target, &client);
	memset(&r, 0, sizeof r);
	r.request_id = "0412345";
	r.client_id = "node17-431";
	r.peer = "10.1.2.3";
	r.requested_identity = "ev\x1b[31mil\n@pool.example";
	r.limit_authz = "READ";
	r.has_lifetime = 1;
	r.lifetime = 3600;
	en.mode = "manifest";
	en.source = "m.txt:3";
	en.target = &target;
	en.client = &client;
	en.reqid = "0412345";
	en.req = &r;
	en.decision = "refuse";
	en.reason = "RequestedIdentity differs";

	/* Created 0600 whatever the umask. */
	umask(0);
	err_clear(&e);
	CHECK_INT(audit_open(&a, path, &e), 0);
	CHECK(a.fd >= 0);
	CHECK_INT(port_file_stat(path, &st), 0);
	CHECK_INT(st.mode, 0600);
	CHECK_INT(audit_write(&a, &en, &e), 0);
	en.req = NULL;
	en.source = NULL;
	en.decision = "approve";
	en.reason = "";
	CHECK_INT(audit_write(&a, &en, &e), 0);
	audit_close(&a);
	umask(022);

	CHECK_INT(port_file_read(path, buf, sizeof buf, &len, NULL), 0);
	/* Two whole lines; control bytes escaped; absent values null. */
	CHECK(strchr(buf, '\n') != NULL && strchr(strchr(buf, '\n') + 1, '\n') == buf + len - 1);
	CHECK(strstr(buf, "\"Daemon\":\"<127.0.0.1:9618>\",\"DaemonName\":\"collector@pool\","
	                  "\"Method\":\"FS\",\"AuthenticatedAs\":\"condor@pool.example\","
	                  "\"Mode\":\"manifest\",\"Source\":\"m.txt:3\",\"RequestId\":\"0412345\","
	                  "\"Request\":{\"ClientId\":\"node17-431\",\"PeerLocation\":\"10.1.2.3\","
	                  "\"RequestedIdentity\":\"ev\\u001B[31mil\\n@pool.example\","
	                  "\"AuthenticatedIdentity\":null,\"LimitAuthorization\":\"READ\","
	                  "\"TokenLifetime\":3600},\"Decision\":\"refuse\","
	                  "\"Reason\":\"RequestedIdentity differs\"}\n") != NULL);
	CHECK(strstr(buf, "\"Source\":null,\"RequestId\":\"0412345\",\"Request\":null,"
	                  "\"Decision\":\"approve\",\"Reason\":\"\"}\n") != NULL);
	CHECK(strncmp(buf, "{\"Time\":\"", 9) == 0);
	CHECK(strchr(buf, '\x1b') == NULL);

	/* An existing file is appended to and keeps its mode. */
	CHECK_INT(chmod(path, 0640), 0);
	err_clear(&e);
	CHECK_INT(audit_open(&a, path, &e), 0);
	r.requested_identity = huge;
	memset(huge, 'x', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	en.req = &r;
	CHECK_INT(audit_write(&a, &en, &e), 0);
	audit_close(&a);
	CHECK_INT(port_file_stat(path, &st), 0);
	CHECK_INT(st.mode, 0640);
	CHECK_INT(port_file_read(path, buf, sizeof buf, &len, NULL), 0);
	/* A long value is cut, and the line says so. */
	CHECK(strstr(buf, "\"Truncated\":true}\n") != NULL);
	CHECK(strstr(buf, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") != NULL);
	CHECK(len < 2 * 1024 + 3000);

	/* No path: no log, and writing succeeds (nothing to write). */
	err_clear(&e);
	CHECK_INT(audit_open(&a, "", &e), 0);
	CHECK_INT(a.fd, -1);
	CHECK_INT(audit_write(&a, &en, &e), 0);

	/* A directory, a missing directory: errors that name the file. */
	err_clear(&e);
	CHECK_INT(audit_open(&a, dir, &e), -1);
	CHECK(strstr(err_message(&e), "cannot open the audit log") != NULL);
	err_clear(&e);
	snprintf(huge, sizeof huge, "%s/no/such/dir/log", dir);
	CHECK_INT(audit_open(&a, huge, &e), -1);
	CHECK(strstr(err_message(&e), "No such file or directory") != NULL);

	port_file_unlink(path);
	port_rmdir(dir);
}

int main(void)
{
	test_utc();
	test_file();
	return check_done("audit");
}
