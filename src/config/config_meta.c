/*
 * config_meta.c - the SECURITY: and ROLE: metaknobs of HTCondor 25.x.
 *
 * Each body is ordinary config text, parsed when a "use" line names it;
 * $(1), $(2:default), $(1+) are the metaknob's arguments.  Only these two
 * categories are carried: they are the ones that set knobs a token tool
 * reads (config.md section 5).  Other categories (POLICY, FEATURE, ...)
 * are accepted and ignored by the parser.
 */
#include "config.h"

#include <stddef.h>
#include <strings.h>

struct meta {
	const char *category, *name, *body;
};

static const struct meta metas[] = {
	{ "ROLE", "Personal",
	  "CONDOR_HOST = 127.0.0.1\n"
	  "COLLECTOR_HOST = $(CONDOR_HOST):0\n"
	  "DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR STARTD SCHEDD\n"
	  "RunBenchmarks = 0\n" },
	{ "ROLE", "Execute", "DAEMON_LIST = $(DAEMON_LIST) STARTD\n" },
	{ "ROLE", "Submit", "DAEMON_LIST = $(DAEMON_LIST) SCHEDD\n" },
	{ "ROLE", "CentralManager", "DAEMON_LIST = $(DAEMON_LIST) COLLECTOR NEGOTIATOR\n" },
	{ "ROLE", "get_htcondor_central_manager",
	  "use security:get_htcondor_idtokens\nuse role:CentralManager\n" },
	{ "ROLE", "get_htcondor_submit", "use security:get_htcondor_idtokens\nuse role:submit\n" },
	{ "ROLE", "get_htcondor_execute", "use security:get_htcondor_idtokens\nuse role:execute\n" },

	{ "SECURITY", "HOST_BASED",
	  "ALLOW_ADMINISTRATOR = $(CONDOR_HOST)\n"
	  "ALLOW_READ = *\n"
	  "ALLOW_WRITE = $(FULL_HOSTNAME) $(IPV4_ADDRESS) $(IPV6_ADDRESS)\n"
	  "ALLOW_DAEMON = $(FULL_HOSTNAME) $(IPV4_ADDRESS) $(IPV6_ADDRESS)\n"
	  "ALLOW_NEGOTIATOR = $(CONDOR_HOST)\n"
	  "ALLOW_NEGOTIATOR_SCHEDD = $(ALLOW_NEGOTIATOR) $(FLOCK_NEGOTIATOR_HOSTS)\n"
	  "ALLOW_WRITE_COLLECTOR = $(ALLOW_WRITE) $(FLOCK_FROM)\n"
	  "ALLOW_WRITE_STARTD = $(ALLOW_WRITE) $(FLOCK_FROM)\n"
	  "ALLOW_READ_COLLECTOR = $(ALLOW_READ) $(FLOCK_FROM)\n"
	  "ALLOW_READ_STARTD = $(ALLOW_READ) $(FLOCK_FROM)\n"
	  "LEGACY_ALLOW_SEMANTICS = TRUE\n" },
	{ "SECURITY", "WITH_AUTHENTICATION",
	  "SEC_DEFAULT_AUTHENTICATION = required\n"
	  "SEC_DEFAULT_INTEGRITY = required\n" },
	{ "SECURITY", "STRONG",
	  "SEC_DEFAULT_ENCRYPTION = required\n"
	  "SEC_DEFAULT_INTEGRITY = required\n"
	  "SEC_DEFAULT_AUTHENTICATION = required\n" },
	{ "SECURITY", "USER_BASED",
	  "if $(CondorIsAdmin)\n"
	  "  authuser = condor\n"
	  "else\n"
	  "  authuser = $(USERNAME)\n"
	  "endif\n"
	  "use security:recommended($(authuser))\n"
	  "if ! $(CondorIsAdmin)\n"
	  "  ALLOW_WRITE = $(authuser)@$(UID_DOMAIN)\n"
	  "endif\n" },
	{ "SECURITY", "get_htcondor_idtokens",
	  "use security:recommended\n"
	  "SEC_READ_AUTHENTICATION_METHODS = $(SEC_DEFAULT_AUTHENTICATION_METHODS),ANONYMOUS\n"
	  "SEC_CLIENT_AUTHENTICATION_METHODS = $(SEC_DEFAULT_AUTHENTICATION_METHODS),ANONYMOUS\n"
	  "TRUST_DOMAIN = $(CONDOR_HOST)\n" },
	{ "SECURITY", "recommended_v9_0",
	  "SECURITY_MODEL = 9.0\n"
	  "use security:strong\n"
	  "SEC_READ_AUTHENTICATION = OPTIONAL\n"
	  "SEC_READ_ENCRYPTION = OPTIONAL\n"
	  "SEC_READ_INTEGRITY = OPTIONAL\n"
	  "ALLOW_ADMINISTRATOR = $(1:condor)@* condor_pool@* $(2:root@*) $(3+)\n"
	  "ALLOW_DAEMON = $(1:condor)@*  condor_pool@*\n"
	  "ALLOW_NEGOTIATOR = $(1:condor)@* condor_pool@*\n"
	  "ALLOW_WRITE = *\n"
	  "ALLOW_READ = *\n" },
	{ "SECURITY", "recommended_v24_0",
	  "SECURITY_MODEL = 24.0\n"
	  "use security:strong\n"
	  "SEC_READ_AUTHENTICATION = OPTIONAL\n"
	  "SEC_CLIENT_AUTHENTICATION = OPTIONAL\n"
	  "ALLOW_ADMINISTRATOR = $(1:condor)@* condor@password $(2:root@*) $(3+)\n"
	  "ALLOW_DAEMON = $(1:condor)@*  condor@password\n"
	  "ALLOW_NEGOTIATOR = $(1:condor)@* condor@password\n"
	  "ALLOW_WRITE = *\n"
	  "ALLOW_READ = *\n" },
	{ "SECURITY", "recommended", "use security:recommended_v24_0($(1+))\n" },
	{ "SECURITY", "FIPS",
	  "FIPS = True\n"
	  "use security:strong\n"
	  "SEC_DEFAULT_CRYPTO_METHODS = AES,3DES\n" },
};

const char *config_meta_body(const char *category, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof metas / sizeof metas[0]; i++) {
		if (strcasecmp(metas[i].category, category) != 0)
			continue;
		/* name NULL: "is this a category we carry?" */
		if (!name)
			return metas[i].body;
		if (strcasecmp(metas[i].name, name) == 0)
			return metas[i].body;
	}
	return NULL;
}
