/*
 * sec_config_ssl.h - the SSL part of the client security policy, read from
 * the configuration (auth-methods.md §2.5).  Called by
 * sec_policy_from_config() after sec_policy_defaults().
 */
#ifndef TOKENBOX_SEC_CONFIG_SSL_H
#define TOKENBOX_SEC_CONFIG_SSL_H

#include "config.h"
#include "err.h"
#include "secman.h"

/*
 * Fill the ssl_* fields of p from AUTH_SSL_CLIENT_CAFILE, _CADIR,
 * _USE_DEFAULT_CAS, _CERTFILE, _KEYFILE, AUTH_SSL_USE_CLIENT_PROXY_ENV_VAR
 * (+ $X509_USER_PROXY), AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE,
 * SSL_SKIP_HOST_CHECK and BOOTSTRAP_SSL_SERVER_TRUST.  A value longer than
 * its field (SEC_PATH_MAX - 1) is an error (SECMAN:2002) naming the knob,
 * and so is a non-boolean where a boolean belongs (CONFIG).  0 or -1.
 */
int sec_policy_ssl_from_config(const struct config *cfg, struct sec_policy *p, struct err *e);

/*
 * Server trust bootstrapping knobs (known_hosts.h), read by the same call:
 * SEC_KNOWN_HOSTS, SEC_SYSTEM_KNOWN_HOSTS and
 * BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER.  They belong in struct
 * sec_policy; until secman.h grows the fields they are kept here, set by
 * the last sec_policy_ssl_from_config() (defaults when never called:
 * paths unset, prompt on).
 */
struct sec_ssl_trust {
	char known_hosts[SEC_PATH_MAX];        /* SEC_KNOWN_HOSTS ("" = unset) */
	char system_known_hosts[SEC_PATH_MAX]; /* SEC_SYSTEM_KNOWN_HOSTS */
	int no_prompt_user;                    /* !BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER */
};
const struct sec_ssl_trust *sec_ssl_trust_get(void);

#endif
