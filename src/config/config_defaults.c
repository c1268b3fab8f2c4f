/*
 * config_defaults.c - built-in defaults of the knobs the token tools read.
 *
 * Values are those of an HTCondor 25.x tool on Linux (param table, see
 * config.md sections 6-8).  A knob whose default lives only in code (for
 * example SEC_CLIENT_AUTHENTICATION, OPTIONAL unless set) is deliberately
 * absent, so "tokenbox config" reports it "Not defined" exactly like
 * condor_config_val; the code that reads it applies the code default.
 *
 * SEC_DEFAULT_AUTHENTICATION_METHODS: a 25.x build lists every method it
 * was compiled with (FS,IDTOKENS,KERBEROS,SCITOKENS,SSL); tokenbox has no
 * Kerberos or SciTokens, so its list is what such a build without them
 * shows.
 */
#include "config.h"

#include <stddef.h>
#include <strings.h>

struct def {
	const char *name, *value;
};

static const struct def defs[] = {
	/* layout */
	{ "RELEASE_DIR", "/usr" },
	{ "LOCAL_DIR", "$(TILDE)" },
	{ "LOG", "$(LOCAL_DIR)/log" },
	{ "SPOOL", "$(LOCAL_DIR)/spool" },
	{ "LOCK", "$(LOG)" },
	{ "ETC", "$(LOCAL_DIR)" },
	{ "BIN", "$(RELEASE_DIR)/bin" },
	{ "SBIN", "$(RELEASE_DIR)/sbin" },
	{ "LIB", "$(RELEASE_DIR)/lib" },
	{ "LIBEXEC", "$(RELEASE_DIR)/libexec" },
	{ "LOCAL_CONFIG_FILE", "" },
	{ "LOCAL_CONFIG_DIR", "" },
	{ "REQUIRE_LOCAL_CONFIG_FILE", "true" },
	{ "USER_CONFIG_FILE", "user_config" },
	{ "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP",
	  "^((\\..*)|(.*\\.pl)|(.*\\.py)|(.*\\.sh)|(.*~)|(#.*)|(.*\\.rpmsave)|(.*\\.rpmnew)|"
	  "(.*\\.dpkg-old)|(.*\\.dpkg-dist)|(.*\\.cfsaved))$" },
	{ "UID_DOMAIN", "$(FULL_HOSTNAME)" },
	{ "FILESYSTEM_DOMAIN", "$(FULL_HOSTNAME)" },
	{ "TRUST_DOMAIN", "$(UID_DOMAIN)" },
	{ "CONDOR_ADMIN", "root@$(FULL_HOSTNAME)" },
	{ "DEFAULT_DOMAIN_NAME", "" },
	{ "NO_DNS", "false" },

	/* security, client side */
	{ "SEC_DEFAULT_AUTHENTICATION_METHODS", "FS,IDTOKENS,SSL" },
	{ "SEC_DEFAULT_AUTHENTICATION_TIMEOUT", "20" },
	{ "SEC_TOKEN_DIRECTORY", "" },
	{ "SEC_TOKEN_SYSTEM_DIRECTORY", "$(ETC)/tokens.d" },
	{ "SEC_PASSWORD_DIRECTORY", "$(ETC)/passwords.d" },
	{ "SEC_PASSWORD_FILE", "$(SEC_PASSWORD_DIRECTORY)/POOL" },
	{ "SEC_TOKEN_POOL_SIGNING_KEY_FILE", "$(SEC_PASSWORD_FILE)" },
	{ "SEC_TOKEN_ISSUER_KEY", "POOL" },
	{ "SEC_TOKEN_FETCH_ALLOWED_SIGNING_KEYS", "POOL AP" },
	{ "SEC_CLAIMTOBE_USER", "" },
	{ "SEC_CLAIMTOBE_INCLUDE_DOMAIN", "true" },
	{ "SEC_SYSTEM_KNOWN_HOSTS", "$(ETC)/known_hosts" },
	{ "SEC_DEBUG_PRINT_KEYS", "false" },
	{ "SEC_ENABLE_MATCH_PASSWORD_AUTHENTICATION", "true" },
	{ "SEC_USE_FAMILY_SESSION", "true" },
	{ "AUTH_SSL_CLIENT_CAFILE", "" },
	{ "AUTH_SSL_CLIENT_CADIR", "" },
	{ "AUTH_SSL_CLIENT_USE_DEFAULT_CAS", "true" },
	{ "AUTH_SSL_USE_CLIENT_PROXY_ENV_VAR", "false" },
	{ "AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE", "false" },
	{ "SSL_SKIP_HOST_CHECK", "false" },
	{ "BOOTSTRAP_SSL_SERVER_TRUST", "false" },
	{ "BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER", "true" },
	{ "USE_COLLECTOR_HOST_CNAME", "true" },

	/* finding daemons */
	{ "COLLECTOR_HOST", "$(CONDOR_HOST)" },
	{ "COLLECTOR_PORT", "9618" },
	{ "COLLECTOR_ADDRESS_FILE", "$(LOG)/.collector_address" },
	{ "COLLECTOR_SUPER_ADDRESS_FILE", "$(LOG)/.collector_address.super" },
	{ "MASTER_ADDRESS_FILE", "$(LOG)/.master_address" },
	{ "STARTD_ADDRESS_FILE", "$(LOG)/.startd_address" },
	{ "SCHEDD_ADDRESS_FILE", "$(SPOOL)/.schedd_address" },
	{ "SCHEDD_SUPER_ADDRESS_FILE", "$(SPOOL)/.schedd_address.super" },
	{ "SCHEDD_DAEMON_AD_FILE", "$(SPOOL)/.schedd_classad" },
	{ "CREDD_ADDRESS_FILE", "$(LOG)/.credd_address" },
	{ "QUERY_TIMEOUT", "60" },
	{ "HAD_USE_PRIMARY", "false" },
	{ "PRIVATE_NETWORK_NAME", "$(FULL_HOSTNAME)" },
	{ "COLLECTOR_USES_SHARED_PORT", "true" },
	{ "USE_SHARED_PORT", "true" },
	{ "SHARED_PORT_PORT", "9618" },
	{ "SHARED_PORT_DEFAULT_ID", "" },
	{ "CCB_ADDRESS", "" },

	/* networking and debug */
	{ "BIND_ALL_INTERFACES", "true" },
	{ "NETWORK_INTERFACE", "*" },
	{ "ENABLE_IPV4", "auto" },
	{ "ENABLE_IPV6", "auto" },
	{ "PREFER_IPV4", "true" },
	{ "IGNORE_TARGET_PROTOCOL_PREFERENCE", "$(PREFER_IPV4)" },
	{ "PREFER_OUTBOUND_IPV4", "$(PREFER_IPV4)" },
	{ "OUTBOUND_CCB_ADDRESS", "" },
	{ "OUT_LOWPORT", "" },
	{ "LOWPORT", "" },
	{ "ALL_DEBUG", "" },
	{ "FULL_HOSTNAME", "" },
};

const char *config_default(const char *knob)
{
	size_t i;

	for (i = 0; i < sizeof defs / sizeof defs[0]; i++)
		if (strcasecmp(defs[i].name, knob) == 0)
			return defs[i].value;
	return NULL;
}
