/*
 * test_locate.c - locating daemons without the network: the -type table,
 * COLLECTOR_HOST forms, address files, local vs. queried daemons, and the
 * collector query ad compared with the ads recorded in V5 and V6.
 */
#include "locate.h"
#include "classad.h"
#include "check.h"
#include "tmptree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct config cfg;
static struct locate_plan plan;

static void conf(const char *text)
{
	struct err e = { 0 };
	char buf[4096];
	config_init(&cfg);
	snprintf(buf, sizeof buf, "TMP = %s\nFULL_HOSTNAME = vm\n%s", tmpdir, text);
	if (config_parse_text(&cfg, buf, strlen(buf), "test", &e) < 0) {
		char t[512];
		fprintf(stderr, "config: %s\n", err_text(&e, t, sizeof t));
		exit(2);
	}
}

static int run(enum locate_type type, const char *name, const char *pool, int admin, int super,
               struct err *e)
{
	struct locate_request rq = { type, name, pool, admin, super, NULL, NULL };
	err_clear(e);
	return locate_plan(&cfg, &rq, &plan, e);
}

/* "| attr NAME = VALUE" lines of message msgno of connection 1. */
static int vector_attrs(const char *file, const char *msgtag, char lines[][LOCATE_ATTR_MAX], int max)
{
	static const char *dirs[] = { "tests/vectors/real", "../tests/vectors/real", "../../tests/vectors/real",
		                      "/work/shared/vectors" };
	char path[512], line[8192];
	FILE *f = NULL;
	int n = 0, in = 0;
	size_t i;

	for (i = 0; i < sizeof dirs / sizeof dirs[0] && !f; i++) {
		snprintf(path, sizeof path, "%s/%s", dirs[i], file);
		f = fopen(path, "r");
	}
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "msg ", 4)) {
			if (in)
				break;
			in = strstr(line, msgtag) != NULL;
			continue;
		}
		if (in && !strncmp(line, "| attr ", 7) && n < max)
			snprintf(lines[n++], LOCATE_ATTR_MAX, "%s", line + 7);
	}
	fclose(f);
	return n;
}

static void check_query_matches(const char *vecfile)
{
	char want[16][LOCATE_ATTR_MAX];
	int n = vector_attrs(vecfile, "QUERY_SCHEDD_ADS request ad", want, 16);
	int i, j;
	static unsigned char arena[16384];
	struct classad ad;
	struct err e = { 0 };

	CHECK(n == 6);
	if (n <= 0)
		return;
	CHECK_INT(plan.nattrs, n);
	for (i = 0; i < n; i++) {
		int found = 0;
		for (j = 0; j < plan.nattrs; j++)
			found |= !strcmp(want[i], plan.attr[j]);
		if (!found)
			fprintf(stderr, "  %s: recorded attribute not produced: %s\n", vecfile, want[i]);
		CHECK(found);
	}
	/* in a classad, the attributes come out in the recorded wire order */
	CHECK_INT(classad_init(&ad, arena, sizeof arena), 0);
	CHECK_INT(locate_query_ad(&plan, &ad, &e), 0);
	CHECK_INT(classad_count(&ad), (unsigned)n);
	for (i = 0; i < n && i < (int)classad_count(&ad); i++) {
		size_t len;
		const char *nm = classad_name_at(&ad, (unsigned)i, &len);
		CHECK(strncmp(want[i], nm, len) == 0 && want[i][len] == ' ');
	}
}

static void check_reply(const char *vecfile, const char *expect)
{
	char lines[16][LOCATE_ATTR_MAX], out[SINFUL_MAX];
	static unsigned char arena[16384];
	struct classad ad;
	struct err e = { 0 };
	int n = vector_attrs(vecfile, "QUERY_SCHEDD_ADS reply", lines, 16), i;

	CHECK(n >= 6);
	CHECK_INT(classad_init(&ad, arena, sizeof arena), 0);
	for (i = 0; i < n; i++)
		CHECK_INT(classad_parse_line(&ad, lines[i], strlen(lines[i]), &e), 0);
	CHECK_INT(locate_reply_address(&plan, &ad, out, sizeof out, &e), 0);
	CHECK_STR(out, expect);
	/* no CondorVersion: HTCondor's locate fails */
	classad_delete(&ad, "CondorVersion");
	CHECK_INT(locate_reply_address(&plan, &ad, out, sizeof out, &e), -1);
}

static void test_types(void)
{
	struct err e;

	CHECK_INT(locate_type_from_name("schedd"), LOCATE_SCHEDD);
	CHECK_INT(locate_type_from_name("SCHEDD"), LOCATE_SCHEDD);
	CHECK_INT(locate_type_from_name("Collector"), LOCATE_COLLECTOR);
	CHECK_INT(locate_type_from_name("view_collector"), LOCATE_VIEW_COLLECTOR);
	CHECK_INT(locate_type_from_name("generic"), LOCATE_GENERIC);
	CHECK_INT(locate_type_from_name("none"), LOCATE_NONE);
	CHECK_INT(locate_type_from_name("sched"), LOCATE_NONE);
	CHECK_INT(locate_type_from_name(""), LOCATE_NONE);
	CHECK_INT(locate_type_info(LOCATE_SCHEDD)->query_cmd, 6);
	CHECK_INT(locate_type_info(LOCATE_STARTD)->query_cmd, 5);
	CHECK_INT(locate_type_info(LOCATE_MASTER)->query_cmd, 7);
	CHECK_INT(locate_type_info(LOCATE_NEGOTIATOR)->query_cmd, 50);
	CHECK_INT(locate_type_info(LOCATE_HAD)->query_cmd, 56);
	CHECK_INT(locate_type_info(LOCATE_CREDD)->query_cmd, 74);
	CHECK_STR(locate_type_info(LOCATE_CREDD)->target_type, "CredD");
	CHECK_STR(locate_type_info(LOCATE_MASTER)->target_type, "DaemonMaster");
	/* types that pass parsing but make the stock tool EXCEPT (exit 4) */
	conf("");
	{
		static const char *ex[] = { "dagman", "shadow", "starter", "gridmanager", "lease_manager" };
		size_t i;
		for (i = 0; i < 5; i++) {
			enum locate_type t = locate_type_from_name(ex[i]);
			CHECK(t != LOCATE_NONE);
			CHECK_INT(locate_type_info(t)->located, 0);
			CHECK_INT(run(t, NULL, NULL, 0, 0, &e), 0);
			CHECK_INT(plan.kind, LOCATE_EXCEPT);
			CHECK(strstr(err_message(&e), "Unknown daemon type") != NULL);
		}
	}
	CHECK_INT(run(LOCATE_NONE, NULL, NULL, 0, 0, &e), -1);
	CHECK_INT(run(LOCATE_ANY, NULL, NULL, 0, 0, &e), -1);
}

static void test_address_files(void)
{
	struct locate_addrfile af;
	struct err e = { 0 };
	static const char positional[] =
		"<127.0.0.1:9620?addrs=127.0.0.1-9620&alias=vm>\n"
		"$CondorVersion: 25.14.0 2026-11-30 PRE-RELEASE-UWCS $\n"
		"$CondorPlatform: X86_64-Debian_12 $\n";
	static const char keyed[] =
		"# written by the schedd\n"
		"MyAddress = \"<127.0.0.1:9628?addrs=127.0.0.1-9628&alias=vm&noUDP&sock=schedd_31465_43f2>\"\n"
		"CondorVersion = \"$CondorVersion: 25.14.0 $\"\n"
		"Name = \"spschedd@vm\"\n"
		"Machine = \"vm\"\n";
	static const char adfile[] =
		"MyType = \"Scheduler\"\n"
		"Name = \"refschedd@vm\"\n"
		"MyAddress = \"<10.0.0.1:9620>\"\n"
		"ScheddIpAddr = \"<127.0.0.1:9620?alias=vm>\"\n"
		"TotalRunningJobs = 0\n";

	CHECK_INT(locate_parse_address_file(positional, strlen(positional), NULL, &af, &e), 0);
	CHECK_STR(af.addr, "<127.0.0.1:9620?addrs=127.0.0.1-9620&alias=vm>");
	CHECK_STR(af.version, "$CondorVersion: 25.14.0 2026-11-30 PRE-RELEASE-UWCS $");
	CHECK_STR(af.platform, "$CondorPlatform: X86_64-Debian_12 $");
	CHECK_INT(locate_parse_address_file(keyed, strlen(keyed), NULL, &af, &e), 0);
	CHECK_STR(af.addr, "<127.0.0.1:9628?addrs=127.0.0.1-9628&alias=vm&noUDP&sock=schedd_31465_43f2>");
	CHECK_STR(af.name, "spschedd@vm");
	CHECK_STR(af.machine, "vm");
	CHECK_INT(locate_parse_address_file(adfile, strlen(adfile), "ScheddIpAddr", &af, &e), 0);
	CHECK_STR(af.addr, "<127.0.0.1:9620?alias=vm>");
	CHECK_INT(locate_parse_address_file(adfile, strlen(adfile), NULL, &af, &e), 0);
	CHECK_STR(af.addr, "<10.0.0.1:9620>");
	/* junk */
	CHECK_INT(locate_parse_address_file("", 0, NULL, &af, &e), -1);
	CHECK_INT(locate_parse_address_file("cm.example.org:9618\n", 20, NULL, &af, &e), -1);
	CHECK_INT(locate_parse_address_file("\n\n# only comments\n", 18, NULL, &af, &e), -1);
	CHECK_INT(locate_parse_address_file("MyAddress = 7\n", 14, NULL, &af, &e), -1);
	CHECK_INT(locate_parse_address_file("A = \"x\"\nnot keyed\nMyAddress = \"<1.2.3.4:5>\"\n", 44, NULL, &af, &e), -1);

	write_file("addr", positional);
	{
		char p[512];
		snprintf(p, sizeof p, "%s/addr", tmpdir);
		CHECK_INT(locate_read_address_file(p, NULL, &af, &e), 1);
		snprintf(p, sizeof p, "%s/missing", tmpdir);
		CHECK_INT(locate_read_address_file(p, NULL, &af, &e), 0);
	}
}

static void test_collectors(void)
{
	struct locate_collectors cl;
	struct err e = { 0 };
	char buf[SINFUL_MAX];

	conf("COLLECTOR_HOST = cm1.example.org, cm2.example.org:9619 <10.0.0.3:9618?sock=collector>\n");
	CHECK_INT(locate_collector_list(&cfg, NULL, &cl, &e), 0);
	CHECK_INT(cl.n, 3);
	CHECK_STR(cl.entry[1], "cm2.example.org:9619");
	CHECK_STR(cl.entry[2], "<10.0.0.3:9618?sock=collector>");
	CHECK_INT(locate_collector_list(&cfg, "pool.example.org:1234", &cl, &e), 0);
	CHECK_INT(cl.n, 1);
	CHECK_STR(cl.entry[0], "pool.example.org:1234");

	/* the first entry is the collector; a name gets port 9618 and its alias */
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_DIRECT);
	CHECK_INT(plan.needs_resolve, 1);
	CHECK_STR(plan.target.host, "cm1.example.org");
	CHECK_INT(plan.target.port, 9618);
	CHECK_STR(plan.target.alias, "cm1.example.org");

	conf("CONDOR_HOST = cm.example.org\nCOLLECTOR_PORT = 9700\n"); /* COLLECTOR_HOST defaults to it */
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, NULL, 0, 0, &e), 0);
	CHECK_STR(plan.target.host, "cm.example.org");
	CHECK_INT(plan.target.port, 9700);

	conf("COLLECTOR_IP_ADDR = 10.1.1.1:9618\n");
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.needs_resolve, 0);
	CHECK_INT(sinful_format(&plan.target, buf, sizeof buf, &e), 0);
	CHECK_STR(buf, "<10.1.1.1:9618>");

	/* -pool, and -name for a collector, are the collector itself */
	conf("");
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, "127.0.0.1:9628", 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_DIRECT);
	CHECK_INT(plan.target.port, 9628);
	CHECK_INT(run(LOCATE_COLLECTOR, "<127.0.0.1:9618>", NULL, 0, 0, &e), 0);
	CHECK_INT(plan.target.port, 9618);
	CHECK_INT(run(LOCATE_COLLECTOR, "cm.example.org", "<10.0.0.1:9618>", 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_EXCEPT);
	CHECK(strstr(err_message(&e), "conflict for COLLECTOR") != NULL);

	/* nothing configured: the address file, else HTCondor's message */
	conf("LOG = $(TMP)/nolog\n");
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, NULL, 0, 0, &e), -1);
	CHECK(strstr(err_message(&e), "COLLECTOR address or hostname not specified in config file") != NULL);
	write_file("collector_address", "<127.0.0.1:40001?addrs=127.0.0.1-40001>\n$CondorVersion: 25.14.0 $\n$CondorPlatform: x $\n");
	write_file("collector_address.super", "<127.0.0.1:40002>\n");
	conf("COLLECTOR_ADDRESS_FILE = $(TMP)/collector_address\nCOLLECTOR_SUPER_ADDRESS_FILE = $(TMP)/collector_address.super\n");
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.from_file, 1);
	CHECK_INT(plan.target.port, 40001);
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, NULL, 0, 1, &e), 0);
	CHECK_INT(plan.target.port, 40002);

	/* ROLE:Personal: port 0 means "read the address file" */
	conf("use ROLE:Personal\nCOLLECTOR_ADDRESS_FILE = $(TMP)/collector_address\n");
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.from_file, 1);
	CHECK_INT(plan.target.port, 40001);
	conf("use ROLE:Personal\nCOLLECTOR_ADDRESS_FILE = $(TMP)/none\n");
	CHECK_INT(run(LOCATE_COLLECTOR, NULL, NULL, 0, 0, &e), -1);
}

static void test_daemons(void)
{
	struct err e = { 0 };

	/* V5: -pool 127.0.0.1:9618 -type schedd -name refschedd@vm */
	conf("COLLECTOR_HOST = 127.0.0.1:9618\n");
	CHECK_INT(run(LOCATE_SCHEDD, "refschedd@vm", "127.0.0.1:9618", 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_QUERY);
	CHECK_INT(plan.command, 6);
	CHECK_INT(plan.collectors.n, 1);
	CHECK_STR(plan.collectors.entry[0], "127.0.0.1:9618");
	check_query_matches("V5-locate-schedd-query.txt");
	check_reply("V5-locate-schedd-query.txt", "<127.0.0.1:9620?addrs=127.0.0.1-9620&alias=vm>");

	/* V6: shared-port pool */
	CHECK_INT(run(LOCATE_SCHEDD, "spschedd@vm", "127.0.0.1:9628", 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_QUERY);
	CHECK_STR(plan.collectors.entry[0], "127.0.0.1:9628");
	check_query_matches("V6-shared-port.txt");
	check_reply("V6-shared-port.txt",
	            "<127.0.0.1:9628?addrs=127.0.0.1-9628&alias=vm&noUDP&sock=schedd_31465_43f2>");

	/* admin locate asks for private attributes, no projection */
	CHECK_INT(run(LOCATE_SCHEDD, "refschedd@vm", NULL, 1, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_QUERY);
	CHECK_INT(plan.nattrs, 4);
	CHECK_STR(plan.attr[3], "SendPrivateAttributes = true");

	/* startd without '@' matches Machine; quotes are escaped */
	CHECK_INT(run(LOCATE_STARTD, "node\"1", NULL, 0, 0, &e), 0);
	CHECK_STR(plan.attr[2], "Requirements = ((Machine == \"node\\\"1\"))");
	CHECK_STR(plan.attr[3], "Projection = \"CondorVersion CondorPlatform MyAddress AddressV1 Name Machine _condor_PrivRemoteAdminCapability\"");
	/* negotiator: always queried, even without a name */
	CHECK_INT(run(LOCATE_NEGOTIATOR, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_QUERY);
	CHECK_INT(plan.command, 50);
	CHECK_STR(plan.attr[2], "Requirements = true");

	/* direct forms: a sinful -name, host:port, SCHEDD_HOST */
	CHECK_INT(run(LOCATE_SCHEDD, "<127.0.0.1:9620>", NULL, 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_DIRECT);
	CHECK_INT(plan.target.port, 9620);
	CHECK_INT(run(LOCATE_SCHEDD, "sub.example.org:9620", NULL, 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_DIRECT);
	CHECK_INT(plan.needs_resolve, 1);
	CHECK_STR(plan.target.alias, "sub.example.org");
	conf("COLLECTOR_HOST = 127.0.0.1:9618\nSCHEDD_HOST = 10.0.0.7:9620\n");
	CHECK_INT(run(LOCATE_SCHEDD, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_DIRECT);
	CHECK_STR(plan.target.host, "10.0.0.7");

	/* the local schedd: address files; super port for root */
	write_file(".schedd_address", "<127.0.0.1:9620?addrs=127.0.0.1-9620&alias=vm>\n$CondorVersion: 25.14.0 $\n");
	write_file(".schedd_address.super", "<127.0.0.1:9621?addrs=127.0.0.1-9621&alias=vm>\n");
	conf("COLLECTOR_HOST = 127.0.0.1:9618\nSPOOL = $(TMP)\n");
	CHECK_INT(run(LOCATE_SCHEDD, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_DIRECT);
	CHECK_INT(plan.from_file, 1);
	CHECK_INT(plan.target.port, 9620);
	CHECK_STR(plan.name, "vm");
	CHECK_INT(run(LOCATE_SCHEDD, NULL, NULL, 0, 1, &e), 0);
	CHECK_INT(plan.target.port, 9621);
	/* the daemon ad file comes first for non-root */
	write_file("schedd_classad", "MyAddress = \"<127.0.0.1:9700>\"\nScheddIpAddr = \"<127.0.0.1:9701>\"\n");
	conf("COLLECTOR_HOST = 127.0.0.1:9618\nSPOOL = $(TMP)\nSCHEDD_DAEMON_AD_FILE = $(TMP)/schedd_classad\n");
	CHECK_INT(run(LOCATE_SCHEDD, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.target.port, 9701);
	/* -name equal to the local name (SCHEDD_NAME@FULL_HOSTNAME) is local */
	conf("COLLECTOR_HOST = 127.0.0.1:9618\nSPOOL = $(TMP)\nSCHEDD_NAME = refschedd\n");
	CHECK_INT(run(LOCATE_SCHEDD, "REFSCHEDD@vm", NULL, 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_DIRECT);
	CHECK_INT(plan.from_file, 1);
	/* ... unless -pool is given: then the collector is asked */
	CHECK_INT(run(LOCATE_SCHEDD, "refschedd@vm", "127.0.0.1:9618", 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_QUERY);
	/* no local file, no name to ask for -> query with the local name */
	conf("COLLECTOR_HOST = 127.0.0.1:9618\nSPOOL = $(TMP)/nothing\n");
	CHECK_INT(run(LOCATE_SCHEDD, NULL, NULL, 0, 0, &e), 0);
	CHECK_INT(plan.kind, LOCATE_QUERY);
	CHECK_STR(plan.attr[2], "Requirements = ((Name == \"vm\"))");
	/* nothing to query either */
	conf("SPOOL = $(TMP)/nothing\n");
	CHECK_INT(run(LOCATE_SCHEDD, "x@y", NULL, 0, 0, &e), -1);
	CHECK(strstr(err_message(&e), "COLLECTOR address") != NULL);
}

static int fake_fqdn(const char *host, char *out, size_t cap, void *arg)
{
	(void)arg;
	if (!strcmp(host, "bad"))
		return -1;
	snprintf(out, cap, "%s.example.org", host);
	return 0;
}

/* The real hook: dots kept, the resolver's canonical name, then
 * DEFAULT_DOMAIN_NAME; NO_DNS skips the resolver. */
static void test_locate_fqdn(void)
{
	char out[256];

	conf("COLLECTOR_HOST = 127.0.0.1:9618\n");
	CHECK_INT(locate_fqdn("sched1.example.org", out, sizeof out, &cfg), 0);
	CHECK_STR(out, "sched1.example.org");
	CHECK_INT(locate_fqdn("", out, sizeof out, &cfg), -1);
	CHECK_INT(locate_fqdn("sched1.example.org", out, 5, &cfg), -1);
	conf("NO_DNS = true\n");
	CHECK_INT(locate_fqdn("nosuchhost", out, sizeof out, &cfg), -1);
	conf("NO_DNS = true\nDEFAULT_DOMAIN_NAME = example.org\n");
	CHECK_INT(locate_fqdn("nosuchhost", out, sizeof out, &cfg), 0);
	CHECK_STR(out, "nosuchhost.example.org");
	CHECK_INT(locate_fqdn("trailing.", out, sizeof out, &cfg), 0);
	CHECK_STR(out, "trailing.");
	/* localhost resolves everywhere; its canonical name may or may not
	 * have a dot (localhost.localdomain) */
	conf("DEFAULT_DOMAIN_NAME = example.org\n");
	CHECK_INT(locate_fqdn("localhost", out, sizeof out, &cfg), 0);
	CHECK(strncmp(out, "localhost", 9) == 0 && strchr(out, '.') != NULL);
}

static void test_fqdn(void)
{
	struct err e = { 0 };
	struct locate_request rq = { LOCATE_SCHEDD, "sub1", NULL, 0, 0, fake_fqdn, NULL };

	conf("COLLECTOR_HOST = 127.0.0.1:9618\n");
	CHECK_INT(locate_plan(&cfg, &rq, &plan, &e), 0);
	CHECK_STR(plan.name, "sub1.example.org");
	CHECK_STR(plan.attr[2], "Requirements = ((Name == \"sub1.example.org\"))");
	rq.name = "bad";
	CHECK_INT(locate_plan(&cfg, &rq, &plan, &e), -1);
	CHECK(strstr(err_message(&e), "unknown host bad") != NULL);
	rq.name = "a@bad"; /* names with '@' are kept as written */
	err_clear(&e);
	CHECK_INT(locate_plan(&cfg, &rq, &plan, &e), 0);
	CHECK_STR(plan.name, "a@bad");
}

/* Over-long fields are errors naming the field, not shortened values. */
static void test_addrfile_bounds(void)
{
	static char text[4096];
	struct locate_addrfile af;
	struct err e;
	size_t n;

	n = (size_t)snprintf(text, sizeof text, "<127.0.0.1:9618>\n$CondorVersion: ");
	memset(text + n, 'v', 300);
	strcpy(text + n + 300, " $\n$CondorPlatform: x $\n");
	err_clear(&e);
	CHECK_INT(locate_parse_address_file(text, strlen(text), NULL, &af, &e), -1);
	CHECK(strstr(err_message(&e), "CondorVersion") != NULL);

	n = (size_t)snprintf(text, sizeof text, "MyAddress = \"<127.0.0.1:9618>\"\nName = \"");
	memset(text + n, 'n', 600);
	strcpy(text + n + 600, "\"\n");
	err_clear(&e);
	CHECK_INT(locate_parse_address_file(text, strlen(text), NULL, &af, &e), -1);
	CHECK(strstr(err_message(&e), "Name") != NULL);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tb_test_locate.XXXXXX");
	if (!mkdtemp(tmpdir))
		return 2;
	test_types();
	test_addrfile_bounds();
	test_address_files();
	test_collectors();
	test_daemons();
	test_fqdn();
	test_locate_fqdn();
	check_rmtree(tmpdir);
	return check_done("test_locate");
}
