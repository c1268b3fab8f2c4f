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
 * SSL_SKIP_HOST_CHECK, BOOTSTRAP_SSL_SERVER_TRUST(_PROMPT_USER), SEC_KNOWN_HOSTS
 * and SEC_SYSTEM_KNOWN_HOSTS.  A value longer than
 * its field (SEC_PATH_MAX - 1) is an error (SECMAN:2002) naming the knob,
 * and so is a non-boolean where a boolean belongs (CONFIG).  0 or -1.
 */
int sec_policy_ssl_from_config(const struct config *cfg, struct sec_policy *p, struct err *e);

#endif
