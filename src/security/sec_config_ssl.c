/*
 * sec_config_ssl.c - SSL knobs of the client policy.
 *
 * Values are stored as configured; which entry of a comma list is used is
 * decided when the method runs (auth_ssl.c), because HTCondor decides by
 * trying to open the files at that moment.
 */
#include "sec_config_ssl.h"
#include "sec_config.h"

#include <stdlib.h>
#include <string.h>

static int str_knob(const struct config *cfg, const char *knob, char *dst, size_t cap,
                    struct err *e)
{
	char v[CONFIG_VALUE_MAX];
	int rc = config_get(cfg, knob, v, sizeof v, e);

	if (rc < 0)
		return -1;
	return sec_config_copy(dst, cap, rc > 0 ? v : "", knob, e);
}

static int bool_knob(const struct config *cfg, const char *knob, int def, int *out,
                     struct err *e)
{
	/* config_get_bool names the knob and the value in its error. */
	return config_get_bool(cfg, knob, def, out, e) < 0 ? -1 : 0;
}

int sec_policy_ssl_from_config(const struct config *cfg, struct sec_policy *p, struct err *e)
{
	int use_default_cas, use_proxy, prompt_user;
	const char *proxy;

	if (str_knob(cfg, "SEC_KNOWN_HOSTS", p->ssl_known_hosts, sizeof p->ssl_known_hosts, e) ||
	    str_knob(cfg, "SEC_SYSTEM_KNOWN_HOSTS", p->ssl_system_known_hosts,
	             sizeof p->ssl_system_known_hosts, e) ||
	    bool_knob(cfg, "BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER", 1, &prompt_user, e))
		return -1;
	p->ssl_no_prompt_user = !prompt_user;

	if (str_knob(cfg, "AUTH_SSL_CLIENT_CAFILE", p->ssl_ca_files, sizeof p->ssl_ca_files, e) ||
	    str_knob(cfg, "AUTH_SSL_CLIENT_CADIR", p->ssl_ca_dir, sizeof p->ssl_ca_dir, e) ||
	    bool_knob(cfg, "AUTH_SSL_CLIENT_USE_DEFAULT_CAS", 1, &use_default_cas, e) ||
	    bool_knob(cfg, "AUTH_SSL_USE_CLIENT_PROXY_ENV_VAR", 0, &use_proxy, e) ||
	    bool_knob(cfg, "AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE", 0, &p->ssl_require_client_cert,
	              e) ||
	    bool_knob(cfg, "SSL_SKIP_HOST_CHECK", 0, &p->ssl_skip_host_check, e) ||
	    bool_knob(cfg, "BOOTSTRAP_SSL_SERVER_TRUST", 0, &p->ssl_bootstrap_trust, e))
		return -1;
	p->ssl_no_default_cas = !use_default_cas;

	/* The proxy replaces the configured pair (setup_ssl_ctx). */
	proxy = use_proxy ? getenv("X509_USER_PROXY") : NULL;
	if (proxy && *proxy)
		return sec_config_copy(p->ssl_cert_files, sizeof p->ssl_cert_files, proxy, "X509_USER_PROXY",
		           e) ||
		       sec_config_copy(p->ssl_key_files, sizeof p->ssl_key_files, proxy, "X509_USER_PROXY", e)
		       ? -1 : 0;
	if (str_knob(cfg, "AUTH_SSL_CLIENT_CERTFILE", p->ssl_cert_files,
	             sizeof p->ssl_cert_files, e) ||
	    str_knob(cfg, "AUTH_SSL_CLIENT_KEYFILE", p->ssl_key_files, sizeof p->ssl_key_files, e))
		return -1;
	return 0;
}
