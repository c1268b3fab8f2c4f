/*
 * test_config_exclude.c - LOCAL_CONFIG_DIR_EXCLUDE_REGEXP: the default
 * and a site's own pattern decide which LOCAL_CONFIG_DIR files are read
 * (config_name_excluded, and config_load end to end); a pattern tokenbox
 * cannot match as PCRE would is an error naming it, never a silent guess.
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


static int excluded(const char *name)
{
	struct err e = { 0 };
	return config_name_excluded(&cfg, name, &e);
}

static void test_default(void)
{
	static const char *const out[] = { ".hidden", ".swp", "foo~", "#foo#", "x.rpmsave",
	                                   "x.rpmnew", "x.dpkg-old", "x.dpkg-dist", "x.cfsaved",
	                                   "run.sh", "gen.py", "gen.pl" };
	static const char *const in[] = { "00-main", "10-local.conf", "x.rpmsave.conf", "foo~bar",
	                                  "a#b", "x.RPMNEW", "x-dpkg-old", "sh" };
	size_t i;

	config_init(&cfg);
	/* HTCondor's default, from param_info.in */
	CHECK_STR(config_default("LOCAL_CONFIG_DIR_EXCLUDE_REGEXP"),
	          "^((\\..*)|(.*\\.pl)|(.*\\.py)|(.*\\.sh)|(.*~)|(#.*)|(.*\\.rpmsave)|(.*\\.rpmnew)|"
	          "(.*\\.dpkg-old)|(.*\\.dpkg-dist)|(.*\\.cfsaved))$");
	for (i = 0; i < sizeof out / sizeof out[0]; i++) {
		if (excluded(out[i]) != 1)
			fprintf(stderr, "  %s not excluded\n", out[i]);
		CHECK_INT(excluded(out[i]), 1);
	}
	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		if (excluded(in[i]) != 0)
			fprintf(stderr, "  %s excluded\n", in[i]);
		CHECK_INT(excluded(in[i]), 0);
	}
}

static void test_site(void)
{
	struct err e = { 0 };

	/* a site's pattern replaces the default */
	config_init(&cfg);
	CHECK_INT(config_set(&cfg, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP", "\\.(bak|orig)$|^[0-9]+-disabled-"), 0);
	CHECK_INT(excluded("x.bak"), 1);
	CHECK_INT(excluded("x.orig"), 1);
	CHECK_INT(excluded("20-disabled-ssl"), 1);
	CHECK_INT(excluded("x.bak.conf"), 0);
	CHECK_INT(excluded(".hidden"), 0);
	CHECK_INT(excluded("foo~"), 0);

	/* the value is expanded first, like any knob */
	config_init(&cfg);
	CHECK_INT(config_set(&cfg, "SKIP_SUFFIX", "\\.old"), 0);
	CHECK_INT(config_set(&cfg, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP", "$(SKIP_SUFFIX)$"), 0);
	CHECK_INT(excluded("a.old"), 1);
	CHECK_INT(excluded("a.older"), 0);

	/* empty: nothing is excluded (param() treats "" as unset) */
	config_init(&cfg);
	CHECK_INT(config_set(&cfg, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP", ""), 0);
	CHECK_INT(excluded(".hidden"), 0);
	CHECK_INT(excluded("foo~"), 0);

	/* PCRE syntax outside the subset, and a broken pattern: an error
	 * with the existing message, not a guess */
	config_init(&cfg);
	CHECK_INT(config_set(&cfg, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP", "(?i)\\.BAK$"), 0);
	err_clear(&e);
	CHECK_INT(config_name_excluded(&cfg, "x.bak", &e), -1);
	CHECK(err_has(&e, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP '(?i)\\.BAK$' is not a regular expression tokenbox understands"));
	CHECK_INT(config_set(&cfg, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP", "^(\\..*|.*~"), 0);
	err_clear(&e);
	CHECK_INT(config_name_excluded(&cfg, "x", &e), -1);
	CHECK(err_has(&e, "'^(\\..*|.*~' is not a regular expression tokenbox understands"));
	CHECK_INT(config_set(&cfg, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP", "x{1000}"), 0);
	err_clear(&e);
	CHECK_INT(config_name_excluded(&cfg, "x", &e), -1);
	CHECK(err_has(&e, "is not a regular expression tokenbox understands"));
}

/* config_load: which LOCAL_CONFIG_DIR files are read. */
static void test_load(void)
{
	struct err e = { 0 };
	char path[512];

	snprintf(path, sizeof path, "%s/config.d", tmpdir);
	mkdir(path, 0755);
	write_file("config.d/10-a", "ORDER = a\n");
	write_file("config.d/20-b.rpmnew", "ORDER = $(ORDER) rpmnew\n");
	write_file("config.d/30-c", "ORDER = $(ORDER) c\n");
	write_file("config.d/40-skip-d", "ORDER = $(ORDER) skip\n");
	write_file("config.d/.e", "HIDDEN = read\n"); /* sorts first */

	/* the default */
	write_file("condor_config", "LOCAL_CONFIG_DIR = $(CONFIG_ROOT)/config.d\n");
	snprintf(path, sizeof path, "%s/condor_config", tmpdir);
	setenv("CONDOR_CONFIG", path, 1);
	config_init(&cfg);
	CHECK_INT(config_load(&cfg, &e), 0);
	CHECK_STR(get("ORDER"), "a c skip");
	CHECK_STR(get("HIDDEN"), "<undef>");

	/* the root file's own pattern, set before the directory is read */
	write_file("condor_config", "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP = -skip-|[.]rpm(new|save)$\n"
	                            "LOCAL_CONFIG_DIR = $(CONFIG_ROOT)/config.d\n");
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), 0);
	CHECK_STR(get("ORDER"), "a c");
	CHECK_STR(get("HIDDEN"), "read");

	/* a pattern tokenbox cannot honour stops the load, as HTCondor's
	 * config() stops on one PCRE cannot compile */
	write_file("condor_config", "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP = (?<!x)\\.rpmnew$\n"
	                            "LOCAL_CONFIG_DIR = $(CONFIG_ROOT)/config.d\n");
	config_init(&cfg);
	err_clear(&e);
	CHECK_INT(config_load(&cfg, &e), -1);
	CHECK(err_has(&e, "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP '(?<!x)\\.rpmnew$' is not a regular expression tokenbox understands"));
	unsetenv("CONDOR_CONFIG");
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tb_test_config_exclude.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	unsetenv("CONDOR_CONFIG");
	unsetenv("_CONDOR_LOCAL_CONFIG_DIR");
	unsetenv("_CONDOR_LOCAL_CONFIG_DIR_EXCLUDE_REGEXP");
	unsetenv("_CONDOR_LOCAL_CONFIG_FILE");
	test_default();
	test_site();
	test_load();
	check_rmtree(tmpdir);
	return check_done("test_config_exclude");
}
