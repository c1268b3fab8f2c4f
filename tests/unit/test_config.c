/*
 * test_config.c - the HTCondor config reader: syntax, expansion,
 * metaknobs, if blocks, includes, load order, environment, bounds.
 * Builds its config trees under a fresh temporary directory.
 */
#include "config.h"
#include "check.h"
#include "tmptree.h"
#include "config_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int port_euid_is_root(void);

static void mk(const char *rel)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	mkdir(path, 0755);
}

static const char *P(const char *rel)
{
	static char path[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(path[i], sizeof path[i], "%s/%s", tmpdir, rel);
	return path[i];
}

/* Parse text into a fresh config; returns the parse result. */
static int parse(const char *text, struct err *e)
{
	config_init(&cfg);
	err_clear(e);
	return config_parse_text(&cfg, text, strlen(text), "test.conf", e);
}

static void clear_env(void)
{
	unsetenv("CONDOR_CONFIG");
	unsetenv("_CONDOR_FOO");
	unsetenv("_condor_lower");
	unsetenv("_CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS");
	unsetenv("_CONDOR_LOCAL_CONFIG_DIR");
}

static void test_syntax(void)
{
	struct err e;

	CHECK_INT(parse("# comment\n"
	                "A = 1\n"
	                "a = 2\n"                 /* case-insensitive, last wins */
	                "B = x # not a comment\n" /* '#' inside a value is kept */
	                "   C   =   spaced   \n"
	                "D : colon\n"
	                "E = one \\\n"
	                "    two\\\n"
	                "three\n"
	                "F = start \\\n"
	                "# commented out\\\n"
	                "end\n"
	                "[Section]\n"
	                "G = 1\n"
	                "G += 2\n"
	                "H = a\n"
	                "H +,= b\n"
	                "I = x\n"
	                "I +&&= y\n"
	                "J @=END\n"
	                "line one\n"
	                "  line two\n"
	                "@END\n"
	                "K += first\n"
	                "# trailing \\\n"
	                "L = after comment\n",
	                &e),
	          0);
	CHECK_STR(get("A"), "2");
	CHECK_STR(get("B"), "x # not a comment");
	CHECK_STR(get("C"), "spaced");
	CHECK_STR(get("D"), "colon");
	CHECK_STR(get("E"), "one twothree");
	/* a commented line inside a continuation keeps only its last char */
	CHECK_STR(get("F"), "start end");
	CHECK_STR(get("G"), "1 2");
	CHECK_STR(get("H"), "a,b");
	CHECK_STR(get("I"), "x && y");
	CHECK_STR(get("J"), "line one\nline two");
	CHECK_STR(get("K"), "first");
	CHECK_STR(get("L"), "after comment");
	CHECK_STR(get("NOPE"), "<undef>");

	/* errors carry file:line */
	CHECK_INT(parse("A = 1\nB = 2\njust words here\n", &e), -1);
	CHECK(err_has(&e, "test.conf:3"));
	CHECK_INT(parse("A = 1\nbad-name = 2\n", &e), -1);
	CHECK(err_has(&e, "test.conf:2"));
	CHECK(err_has(&e, "Illegal Identifier"));
	CHECK_INT(parse("A B = 2\n", &e), -1);
	CHECK(err_has(&e, "test.conf:1"));
	CHECK_INT(parse("J @=END\nnever closed\n", &e), -1);
	CHECK(err_has(&e, "@END"));
	CHECK_INT(parse("X = 1\nerror : stop here $(X)\nY = 2\n", &e), -1);
	CHECK(err_has(&e, "stop here 1"));
	CHECK(err_has(&e, "test.conf:2"));
	CHECK_INT(parse("warning : just saying\nY = 2\n", &e), 0);
	CHECK_STR(get("Y"), "2");
}

static void test_expansion(void)
{
	struct err e = { 0 };
	char v[64];

	setenv("TB_TEST_ENV", "from-env", 1);
	unsetenv("TB_TEST_UNSET");
	CHECK_INT(parse("A = $(B)/sub\n"
	                "B = early\n"
	                "B = late\n" /* lazy: A sees the final B */
	                "X = 1\n"
	                "X = $(X) 2\n" /* self reference expands at definition */
	                "D1 = $(UNDEF:fallback)\n"
	                "EMPTY =\n"
	                "D2 = $(EMPTY:used)\n"
	                "D3 = $(B:notused)\n"
	                "D4 = $(UNDEF:a-b)\n" /* '-' not allowed in a default: literal */
	                "D5 = $(UNDEF:$(B))\n"
	                "E1 = $ENV(TB_TEST_ENV)\n"
	                "E2 = $ENV(TB_TEST_UNSET)\n"
	                "E3 = $ENV(TB_TEST_UNSET:dflt)\n"
	                "DL = cost $(DOLLAR)5\n"
	                "DD = $$(Memory) kept\n"
	                "FN = $INT(3)\n"
	                "LOOP1 = $(LOOP2)\n"
	                "LOOP2 = x $(LOOP1)\n"
	                "SELF = $(SELF)\n"
	                "NOTREF = $ money (\n"
	                "TOOL.PREF = tool value\n"
	                "PREF = plain value\n",
	                &e),
	          0);
	CHECK_STR(get("A"), "late/sub");
	CHECK_STR(get("X"), "1 2");
	CHECK_STR(get("D1"), "fallback");
	CHECK_STR(get("EMPTY"), "<undef>");
	CHECK_STR(get("D2"), "used");
	CHECK_STR(get("D3"), "late");
	CHECK_STR(get("D4"), "$(UNDEF:a-b)");
	CHECK_STR(get("D5"), "late");
	CHECK_STR(get("E1"), "from-env");
	CHECK_STR(get("E2"), "UNDEFINED");
	CHECK_STR(get("E3"), "dflt");
	CHECK_STR(get("DL"), "cost $5");
	CHECK_STR(get("DD"), "$$(Memory) kept");
	CHECK_STR(get("NOTREF"), "$ money (");
	CHECK_STR(get("SELF"), "<undef>"); /* self ref to nothing is "" */
	CHECK_STR(get("PREF"), "tool value"); /* TOOL.X beats X */

	err_clear(&e);
	CHECK_INT(config_get(&cfg, "FN", v, sizeof v, &e), -1);
	CHECK(err_has(&e, "$INT"));
	err_clear(&e);
	CHECK_INT(config_get(&cfg, "LOOP1", v, sizeof v, &e), -1);
	CHECK(err_has(&e, "macro loop"));

	/* a chain deeper than the bound */
	{
		static char text[8192];
		size_t n = 0;
		int i;
		for (i = 0; i < CONFIG_EXPAND_DEPTH + 5; i++)
			n += (size_t)snprintf(text + n, sizeof text - n, "C%d = $(C%d)\n", i, i + 1);
		snprintf(text + n, sizeof text - n, "C%d = end\n", i);
		CHECK_INT(parse(text, &e), 0);
		err_clear(&e);
		CHECK_INT(config_get(&cfg, "C0", v, sizeof v, &e), -1);
		CHECK(err_has(&e, "CONFIG_EXPAND_DEPTH"));
		CHECK_STR(get("C10"), "end"); /* a shorter chain is fine */
	}

	/* expansion larger than the caller's buffer: a clear error */
	CHECK_INT(parse("BIG = 0123456789012345678901234567890123456789\n", &e), 0);
	err_clear(&e);
	CHECK_INT(config_get(&cfg, "BIG", v, 16, &e), -1);
	CHECK(err_has(&e, "CONFIG_VALUE_MAX"));

	/* typed getters */
	CHECK_INT(parse("T1 = True\nT2 = false  \nT3 = 1\nT4 = maybe\nN1 = 42\nN2 = -7 \nN3 = 4x\n", &e), 0);
	{
		int b = -1;
		long long n = 0;
		CHECK_INT(config_get_bool(&cfg, "T1", 0, &b, &e), 0);
		CHECK_INT(b, 1);
		CHECK_INT(config_get_bool(&cfg, "T2", 1, &b, &e), 0);
		CHECK_INT(b, 0);
		CHECK_INT(config_get_bool(&cfg, "T3", 0, &b, &e), 0);
		CHECK_INT(b, 1);
		CHECK_INT(config_get_bool(&cfg, "UNSET_BOOL", 1, &b, &e), 0);
		CHECK_INT(b, 1);
		err_clear(&e);
		CHECK_INT(config_get_bool(&cfg, "T4", 0, &b, &e), -1);
		CHECK_INT(b, 0);
		CHECK(err_has(&e, "not a valid boolean"));
		CHECK_INT(config_get_int(&cfg, "N1", 0, &n, &e), 0);
		CHECK_INT(n, 42);
		CHECK_INT(config_get_int(&cfg, "N2", 0, &n, &e), 0);
		CHECK_INT(n, -7);
		CHECK_INT(config_get_int(&cfg, "COLLECTOR_PORT", 0, &n, &e), 0);
		CHECK_INT(n, 9618);
		CHECK_INT(config_get_int(&cfg, "N3", 5, &n, &e), -1);
		CHECK_INT(n, 5);
	}
}

static void test_if(void)
{
	struct err e;

	CHECK_INT(parse("if version >= 23.10.0\n"
	                "  V1 = new\n"
	                "else\n"
	                "  V1 = old\n"
	                "endif\n"
	                "if version < 9.0\n"
	                "  V2 = ancient\n"
	                "elif version == 25.14.0\n"
	                "  V2 = exact\n"
	                "else\n"
	                "  V2 = other\n"
	                "endif\n"
	                "SOMETHING = 1\n"
	                "if defined SOMETHING\n"
	                "  if defined NOTHING\n"
	                "    V3 = wrong\n"
	                "  elif false\n"
	                "    V3 = wrong2\n"
	                "  else\n"
	                "    V3 = nested\n"
	                "  endif\n"
	                "endif\n"
	                "if defined use SECURITY:recommended\n"
	                "  V4 = meta known\n"
	                "endif\n"
	                "FLAG = false\n"
	                "if ! $(FLAG)\n"
	                "  V5 = negated\n"
	                "endif\n"
	                "if 0\n"
	                "  if version >= garbage\n" /* not evaluated: skipped */
	                "  endif\n"
	                "  V6 = wrong\n"
	                "endif\n",
	                &e),
	          0);
	CHECK_STR(get("V1"), "new");
	CHECK_STR(get("V2"), "exact");
	CHECK_STR(get("V3"), "nested");
	CHECK_STR(get("V4"), "meta known");
	CHECK_STR(get("V5"), "negated");
	CHECK_STR(get("V6"), "<undef>");

	/* claiming an older version flips the shipped 00-security branch */
	config_init(&cfg);
	cfg.version[0] = 9;
	cfg.version[1] = 0;
	{
		const char *t = "if version >= 23.10.0\nuse security:recommended\nelse\nuse security:recommended_v9_0\nendif\n";
		err_clear(&e);
		CHECK_INT(config_parse_text(&cfg, t, strlen(t), "00-security", &e), 0);
		CHECK_STR(get("SECURITY_MODEL"), "9.0");
		CHECK_STR(get("SEC_READ_INTEGRITY"), "OPTIONAL");
		CHECK_STR(get("SEC_CLIENT_AUTHENTICATION"), "<undef>");
	}

	CHECK_INT(parse("A = 1\nelse\n", &e), -1);
	CHECK(err_has(&e, "else without if"));
	CHECK(err_has(&e, "test.conf:2"));
	CHECK_INT(parse("endif\n", &e), -1);
	CHECK_INT(parse("if true\nA = 1\n", &e), -1);
	CHECK(err_has(&e, "missing endif"));
	CHECK_INT(parse("if $(A) == 3\nendif\n", &e), -1);
	CHECK(err_has(&e, "unsupported if condition"));
	CHECK_INT(parse("if true\nelse\nelse\nendif\n", &e), -1);
	CHECK_INT(parse("if version >= x.y\nendif\n", &e), -1);
	CHECK(err_has(&e, "bad version"));
}

static void test_metaknobs(void)
{
	struct err e;

	CHECK_INT(parse("use SECURITY : recommended\n", &e), 0);
	CHECK_STR(get("SECURITY_MODEL"), "24.0");
	CHECK_STR(get("SEC_CLIENT_AUTHENTICATION"), "OPTIONAL");
	CHECK_STR(get("SEC_READ_AUTHENTICATION"), "OPTIONAL");
	CHECK_STR(get("SEC_DEFAULT_ENCRYPTION"), "required");
	CHECK_STR(get("SEC_DEFAULT_INTEGRITY"), "required");
	CHECK_STR(get("SEC_DEFAULT_AUTHENTICATION"), "required");
	CHECK_STR(get("ALLOW_ADMINISTRATOR"), "condor@* condor@password root@*");
	{
		struct config_origin o;
		CHECK_INT(config_origin(&cfg, "SEC_DEFAULT_ENCRYPTION", &o), 1);
		CHECK_STR(o.file, "test.conf");
		CHECK_INT(o.line, 1); /* the location of the use line */
	}

	CHECK_INT(parse("use security:recommended_v9_0(admin, boss@x, extra1, extra2)\n", &e), 0);
	CHECK_STR(get("ALLOW_ADMINISTRATOR"), "admin@* condor_pool@* boss@x extra1,extra2");
	CHECK_STR(get("SEC_READ_ENCRYPTION"), "OPTIONAL");

	CHECK_INT(parse("CONDOR_HOST = cm.example.org\nuse security:get_htcondor_idtokens\n", &e), 0);
	CHECK_STR(get("TRUST_DOMAIN"), "cm.example.org");
	CHECK_STR(get("SEC_CLIENT_AUTHENTICATION_METHODS"), "FS,IDTOKENS,SSL,ANONYMOUS");

	CHECK_INT(parse("use ROLE: Personal\n", &e), 0);
	CHECK_STR(get("COLLECTOR_HOST"), "127.0.0.1:0");
	CHECK_INT(parse("use role : CentralManager, Submit Execute\n", &e), 0);
	/* $(DAEMON_LIST) was empty: HTCondor keeps the leading space too */
	CHECK_STR(get("DAEMON_LIST"), " COLLECTOR NEGOTIATOR SCHEDD STARTD");

	CHECK_INT(parse("use security:fips\n", &e), 0);
	CHECK_STR(get("SEC_DEFAULT_CRYPTO_METHODS"), "AES,3DES");

	CHECK_INT(parse("CondorIsAdmin = false\nUSERNAME = alice\nUID_DOMAIN = d.org\nuse SECURITY:USER_BASED\n", &e), 0);
	CHECK_STR(get("ALLOW_WRITE"), "alice@d.org");
	CHECK_STR(get("ALLOW_ADMINISTRATOR"), "alice@* condor@password root@*");

	/* other categories are ignored; unknown names in ours are errors */
	CHECK_INT(parse("use FEATURE : GPUs\nuse POLICY:ALWAYS_RUN_JOBS\nA = 1\n", &e), 0);
	CHECK_STR(get("A"), "1");
	CHECK_INT(parse("A = 1\nuse SECURITY:NOSUCH\n", &e), -1);
	CHECK(err_has(&e, "NOSUCH"));
	CHECK(err_has(&e, "test.conf:2"));
	CHECK_INT(parse("use : recommended\n", &e), -1);
}

static void test_include(void)
{
	struct err e = { 0 };
	char text[1024];

	write_file("inc1.conf", "INC1 = one\ninclude : $(INCDIR)/inc2.conf\n");
	write_file("inc2.conf", "INC2 = two\n");
	write_file("bad.conf", "OK = 1\nthis is not config\n");
	write_file("loop.conf", "include : $(INCDIR)/loop.conf\n");

	snprintf(text, sizeof text,
	         "INCDIR = %s\n"
	         "include : $(INCDIR)/inc1.conf\n"
	         "include ifexist : $(INCDIR)/missing.conf\n"
	         "@include : $(INCDIR)/inc2.conf\n"
	         "AFTER = yes\n",
	         tmpdir);
	CHECK_INT(parse(text, &e), 0);
	CHECK_STR(get("INC1"), "one");
	CHECK_STR(get("INC2"), "two");
	CHECK_STR(get("AFTER"), "yes");
	{
		struct config_origin o;
		CHECK_INT(config_origin(&cfg, "INC2", &o), 1);
		CHECK_STR(o.file, P("inc2.conf"));
		CHECK_INT(o.line, 1);
		CHECK_INT(config_origin(&cfg, "INC1", &o), 1);
		CHECK_STR(o.file, P("inc1.conf"));
	}

	snprintf(text, sizeof text, "A = 1\ninclude : %s/missing.conf\n", tmpdir);
	CHECK_INT(parse(text, &e), -1);
	CHECK(err_has(&e, "test.conf:2"));
	CHECK(err_has(&e, "missing.conf"));

	snprintf(text, sizeof text, "include : %s/bad.conf\n", tmpdir);
	CHECK_INT(parse(text, &e), -1);
	CHECK(err_has(&e, "bad.conf:2"));

	snprintf(text, sizeof text, "INCDIR = %s\ninclude : $(INCDIR)/loop.conf\n", tmpdir);
	CHECK_INT(parse(text, &e), -1);
	CHECK(err_has(&e, "CONFIG_INCLUDE_DEPTH"));

	CHECK_INT(parse("include command : /bin/echo A = 1\n", &e), -1);
	CHECK(err_has(&e, "not supported"));
	CHECK_INT(parse("include : /bin/echo A=1 |\n", &e), -1);
	CHECK(err_has(&e, "piped"));
	CHECK_INT(parse("include sometimes : x\n", &e), -1);
	CHECK(err_has(&e, "unexpected keyword"));
}

static void test_load(void)
{
	struct err e = { 0 };
	char root[2048];
	struct config_origin o;

	mk("config.d");
	mk("config.d/subdir");
	write_file("config.d/20-second", "ORDER = $(ORDER) second\nBOTH = dir\n");
	write_file("config.d/10-first", "ORDER = first\nDIRONLY = yes\n");
	write_file("config.d/.hidden", "ORDER = $(ORDER) hidden\n");
	write_file("config.d/30-old.rpmsave", "ORDER = $(ORDER) rpmsave\n");
	write_file("config.d/40-editor~", "ORDER = $(ORDER) backup\n");
	write_file("config.d/50-script.sh", "ORDER = $(ORDER) script\n");
	write_file("config.d/subdir/x", "ORDER = $(ORDER) subdir\n");
	write_file("local1", "BOTH = file\nLOCAL_CONFIG_FILE = $(LOCAL_CONFIG_FILE) $(CONFIG_ROOT)/local2\n");
	write_file("local2", "LOCAL2 = read\n");
	snprintf(root, sizeof root,
	         "ROOTKNOB = root\n"
	         "LOCAL_CONFIG_DIR = $(CONFIG_ROOT)/config.d\n"
	         "LOCAL_CONFIG_FILE = $(CONFIG_ROOT)/local1\n"
	         "FOO = from file\n"
	         "TOOL.SEC_CLIENT_AUTHENTICATION_METHODS = FS\n"
	         "SEC_CLIENT_AUTHENTICATION_METHODS = SSL\n"
	         "use security:recommended\n");
	write_file("condor_config", root);

	clear_env();
	setenv("CONDOR_CONFIG", P("condor_config"), 1);
	setenv("_CONDOR_FOO", "  from env", 1);
	setenv("_condor_lower", "lower ok", 1);
	setenv("_CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS", "TOKEN", 1);
	config_init(&cfg);
	CHECK_INT(config_load(&cfg, &e), 0);
	if (!err_empty(&e))
		err_has(&e, "(no error expected)");
	CHECK_STR(get("ROOTKNOB"), "root");
	CHECK_STR(get("CONFIG_ROOT"), tmpdir);
	CHECK_STR(get("ORDER"), "first second"); /* sorted, exclusions applied */
	CHECK_STR(get("DIRONLY"), "yes");
	CHECK_STR(get("BOTH"), "file"); /* LOCAL_CONFIG_FILE after the dir */
	CHECK_STR(get("LOCAL2"), "read"); /* changed LOCAL_CONFIG_FILE list */
	CHECK_STR(get("FOO"), "from env"); /* env beats files, value trimmed */
	CHECK_STR(get("lower"), "lower ok");
	/* TOOL.X in a file beats _CONDOR_X (only the plain name is set) */
	CHECK_STR(get("SEC_CLIENT_AUTHENTICATION_METHODS"), "FS");
	CHECK_STR(get("SEC_CLIENT_AUTHENTICATION"), "OPTIONAL");
	CHECK_STR(get("SUBSYSTEM"), "TOOL");
	CHECK_STR(get("CondorIsAdmin"), port_euid_is_root() ? "true" : "false");
	CHECK(strcmp(get("FULL_HOSTNAME"), "<undef>") != 0);
	CHECK(strchr(get("HOSTNAME"), '.') == NULL);
	CHECK(strcmp(get("USERNAME"), "<undef>") != 0);

	CHECK_INT(config_origin(&cfg, "FOO", &o), 1);
	CHECK_STR(o.file, "<Environment>");
	CHECK_INT(config_origin(&cfg, "BOTH", &o), 1);
	CHECK_STR(o.file, P("local1"));
	CHECK_INT(o.line, 1);
	CHECK_INT(config_origin(&cfg, "SEC_CLIENT_AUTHENTICATION_METHODS", &o), 1);
	CHECK_STR(o.name_used, "TOOL.SEC_CLIENT_AUTHENTICATION_METHODS");
	CHECK_STR(o.file, P("condor_config"));
	CHECK_INT(o.line, 5);
	CHECK_INT(config_origin(&cfg, "COLLECTOR_PORT", &o), 1);
	CHECK_STR(o.file, "<Default>");
	CHECK_STR(o.raw, "9618");
	CHECK_INT(config_origin(&cfg, "NOT_A_KNOB_AT_ALL", &o), 0);

	/* a syntax error in a directory file is fatal and names file:line */
	write_file("config.d/25-broken", "A = 1\n\nno operator\n");
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), -1);
	CHECK(err_has(&e, "25-broken:3"));
	unlink(P("config.d/25-broken"));

	/* missing LOCAL_CONFIG_FILE: fatal unless REQUIRE_LOCAL_CONFIG_FILE is false */
	write_file("condor_config", "LOCAL_CONFIG_FILE = $(CONFIG_ROOT)/nope\n");
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), -1);
	CHECK(err_has(&e, "Can't read config source"));
	write_file("condor_config", "REQUIRE_LOCAL_CONFIG_FILE = false\nLOCAL_CONFIG_FILE = $(CONFIG_ROOT)/nope\nX = 1\n");
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), 0);
	CHECK_STR(get("X"), "1");

	/* the forbidden placeholder value aborts */
	write_file("condor_config", "CONDOR_HOST = YOU_MUST_CHANGE_THIS_INVALID_CONDOR_CONFIGURATION_VALUE\n");
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), -1);
	CHECK(err_has(&e, "CONDOR_HOST"));

	/* ONLY_ENV: no files, environment still applies */
	setenv("CONDOR_CONFIG", "only_env", 1);
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), 0);
	CHECK_STR(get("ROOTKNOB"), "<undef>");
	CHECK_STR(get("FOO"), "from env");
	CHECK_STR(get("COLLECTOR_HOST"), "<undef>"); /* $(CONDOR_HOST) unset */
	{
		const char *d = get("SEC_TOKEN_SYSTEM_DIRECTORY"); /* $(ETC)/tokens.d, ETC from TILDE */
		CHECK(strlen(d) >= 9 && strcmp(d + strlen(d) - 9, "/tokens.d") == 0);
	}

	/* /dev/null: no root file */
	setenv("CONDOR_CONFIG", "/dev/null", 1);
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), 0);
	CHECK_STR(get("ROOTKNOB"), "<undef>");

	/* a directory, a missing file: HTCondor's messages */
	setenv("CONDOR_CONFIG", tmpdir, 1);
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), -1);
	CHECK(err_has(&e, "is a directory.  Please specify a file."));
	setenv("CONDOR_CONFIG", P("does-not-exist"), 1);
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), -1);
	CHECK(err_has(&e, "File specified in CONDOR_CONFIG environment variable:\n\""));
	CHECK(err_has(&e, "does not exist."));
	clear_env();
}

static void test_defaults(void)
{
	struct err e;

	CHECK_INT(parse("LOCAL_DIR = /var\nETC = /etc/condor\n", &e), 0);
	CHECK_STR(get("SEC_TOKEN_SYSTEM_DIRECTORY"), "/etc/condor/tokens.d");
	CHECK_STR(get("SEC_PASSWORD_FILE"), "/etc/condor/passwords.d/POOL");
	CHECK_STR(get("SEC_TOKEN_POOL_SIGNING_KEY_FILE"), "/etc/condor/passwords.d/POOL");
	CHECK_STR(get("COLLECTOR_ADDRESS_FILE"), "/var/log/.collector_address");
	CHECK_STR(get("SCHEDD_ADDRESS_FILE"), "/var/spool/.schedd_address");
	CHECK_STR(get("SEC_DEFAULT_AUTHENTICATION_METHODS"), "FS,IDTOKENS,SSL");
	CHECK_STR(get("SEC_TOKEN_DIRECTORY"), "<undef>"); /* empty default */
	CHECK_STR(get("SEC_CLIENT_AUTHENTICATION"), "<undef>"); /* code default only */
	CHECK_STR(get("AUTH_SSL_CLIENT_USE_DEFAULT_CAS"), "true");
	CHECK_STR(get("TRUST_DOMAIN"), "<undef>"); /* $(UID_DOMAIN) -> $(FULL_HOSTNAME) unset here */
	CHECK_INT(config_set(&cfg, "FULL_HOSTNAME", "h.example.org"), 0);
	CHECK_STR(get("TRUST_DOMAIN"), "h.example.org");
}

static void test_bounds(void)
{
	struct err e = { 0 };
	static char text[CONFIG_LINE_MAX + 64];
	int i, r = 0;

	/* too many knobs */
	config_init(&cfg);
	for (i = 0; i <= CONFIG_MAX_KNOBS && r == 0; i++) {
		char name[32];
		snprintf(name, sizeof name, "K%d", i);
		r = config_define(&cfg, name, "v", CONFIG_SRC_SET, 0, &e);
	}
	CHECK_INT(r, -1);
	CHECK(err_has(&e, "CONFIG_MAX_KNOBS"));

	/* an over-long line */
	memset(text, 'x', sizeof text - 1);
	memcpy(text, "A = ", 4);
	text[sizeof text - 1] = '\0';
	CHECK_INT(parse(text, &e), -1);
	CHECK(err_has(&e, "CONFIG_LINE_MAX"));

	/* text pool exhaustion through redefinitions */
	config_init(&cfg);
	err_clear(&e);
	memset(text, 'y', 4000);
	text[4000] = '\0';
	for (i = 0, r = 0; i < CONFIG_TEXT_MAX / 4000 + 2 && r == 0; i++) {
		text[0] = (char)('a' + i % 26);
		text[1] = (char)('a' + i / 26);
		r = config_define(&cfg, "BIGVAL", text, CONFIG_SRC_SET, 0, &e);
	}
	CHECK_INT(r, -1);
	CHECK(err_has(&e, "CONFIG_TEXT_MAX"));

	/* NUL bytes and odd input do not crash */
	{
		static const char odd[] = "A = 1\0hidden\nB = 2\n\\\n\\\n=\n";
		config_init(&cfg);
		err_clear(&e);
		config_parse_text(&cfg, odd, sizeof odd - 1, "odd", &e);
		CHECK_STR(get("A"), "1");
	}
}

static int port_euid_is_root(void)
{
	return geteuid() == 0;
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tb_test_config.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	clear_env();
	test_syntax();
	test_expansion();
	test_if();
	test_metaknobs();
	test_include();
	test_load();
	test_defaults();
	test_bounds();
	check_rmtree(tmpdir);
	return check_done("test_config");
}
