#include "sec_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"
#include "port/port.h"
#include "token_mint.h"
#include "sec_config_ssl.h"

/* SEC_CLIENT_<x>, else SEC_DEFAULT_<x>.  1 when found. */
static int sec_knob(const struct config *cfg, const char *x, char *out, size_t cap,
                    struct err *e)
{
	char name[128];
	int rc;

	snprintf(name, sizeof name, "SEC_CLIENT_%s", x);
	rc = config_get(cfg, name, out, cap, e);
	if (rc != 0)
		return rc;
	snprintf(name, sizeof name, "SEC_DEFAULT_%s", x);
	return config_get(cfg, name, out, cap, e);
}

int sec_config_copy(char *dst, size_t cap, const char *v, const char *knob, struct err *e)
{
	size_t n = strlen(v);

	if (n >= cap) {
		err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY, "%s is longer than %zu bytes", knob,
		         cap - 1);
		return -1;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

static int sec_req_knob(const struct config *cfg, const char *x, enum sec_req def,
                        enum sec_req *out, struct err *e)
{
	char v[64];
	int rc = sec_knob(cfg, x, v, sizeof v, e);
	int r;

	*out = def;
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 0;
	r = sec_req_parse(v);
	if (r < 0) {
		err_push(e, "SECMAN", SEC_ERR_INVALID_POLICY,
		         "SEC_CLIENT_%s / SEC_DEFAULT_%s has the value '%s', which is not one of "
		         "REQUIRED, PREFERRED, OPTIONAL, NEVER",
		         x, x, v);
		return -1;
	}
	*out = (enum sec_req)r;
	return 0;
}

static int offers_token(const struct sec_policy *p)
{
	for (int i = 0; i < p->nmethods; i++)
		if (p->methods[i] == SEC_AUTH_TOKEN)
			return 1;
	return 0;
}

/* Like a stock tool, name the signing keys we hold in IssuerKeys (only
 * sent with TOKEN); the server does not need them, so a list too long for
 * the ad is left out rather than failing the command. */
void sec_policy_mint_keys(const struct sec_policy *p, struct token_mint_keys *kc)
{
	memset(kc, 0, sizeof *kc);
	kc->password_dir = p->password_dir;
	kc->pool_key_file = p->pool_key_file;
	kc->pool_key_is_password = p->pool_key_is_password;
	kc->uid = port_uid();
}

int sec_policy_token_dir(const struct sec_policy *p, char *dir, size_t cap)
{
	char home[SEC_PATH_MAX];
	uint32_t euid = port_euid();

	if (euid == 0 || port_user_home(home, sizeof home) < 0)
		home[0] = '\0';
	return tokens_pick_dir(p->token_dir, p->token_system_dir, home, euid, dir, cap);
}

static void advertise_keys(struct sec_policy *p)
{
	struct token_mint_keys kc;

	sec_policy_mint_keys(p, &kc);
	if (token_mint_key_names(&kc, p->issuer_keys, sizeof p->issuer_keys) < 0)
		dbg(D_SECURITY, "TOKEN: the names of our signing keys exceed SEC_STR_MAX (%d); "
		                "not sending IssuerKeys", SEC_STR_MAX);
}

int sec_config_methods(const struct config *cfg, char *out, size_t cap)
{
	struct err e;

	err_clear(&e);
	return sec_knob(cfg, "AUTHENTICATION_METHODS", out, cap, &e);
}

int sec_policy_from_config(const struct config *cfg, struct sec_policy *p, struct err *e)
{
	char v[CONFIG_VALUE_MAX];
	const char *s;
	long long n;
	int rc;

	sec_policy_defaults(p);

	rc = sec_knob(cfg, "AUTHENTICATION_METHODS", v, sizeof v, e);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		p->nmethods = 0;
		p->left_out[0] = '\0';
		for (s = v; *s;) {
			char word[64];
			size_t len = strcspn(s, ", \t");
			int bit;

			if (len > 0 && len < sizeof word) {
				int k, dup = 0;
				memcpy(word, s, len);
				word[len] = '\0';
				bit = sec_auth_bit(word);
				for (k = 0; k < p->nmethods; k++)
					dup |= p->methods[k] == bit;
				if (!bit)
					dbg(D_SECURITY, "ignoring unknown authentication method %s", word);
				else if (sec_auth_left_out(bit)) {
					dbg(D_ALWAYS, "authentication method %s was left out of this tokenbox "
					              "build (TOKENBOX_METHODS); not offered", word);
					size_t n = strlen(p->left_out);
					if (!strstr(p->left_out, word))
						snprintf(p->left_out + n, sizeof p->left_out - n, "%s%s",
						         n ? "," : "", word);
				}
				else if (!sec_auth_supported(bit))
					dbg(D_SECURITY, "authentication method %s is not supported by tokenbox; "
					                "not offered", word);
				else if (!dup && p->nmethods < SEC_MAX_METHODS)
					p->methods[p->nmethods++] = bit;
			}
			s += len;
			s += strspn(s, ", \t");
		}
	}
	if (sec_req_knob(cfg, "AUTHENTICATION", SEC_REQ_OPTIONAL, &p->authentication, e) ||
	    sec_req_knob(cfg, "ENCRYPTION", SEC_REQ_OPTIONAL, &p->encryption, e) ||
	    sec_req_knob(cfg, "INTEGRITY", SEC_REQ_OPTIONAL, &p->integrity, e) ||
	    sec_req_knob(cfg, "NEGOTIATION", SEC_REQ_PREFERRED, &p->negotiation, e))
		return -1;

	rc = sec_knob(cfg, "CRYPTO_METHODS", v, sizeof v, e);
	if (rc < 0)
		return -1;
	if (rc > 0 && sec_config_copy(p->crypto_methods, sizeof p->crypto_methods, v,
	                         "SEC_CLIENT_CRYPTO_METHODS", e))
		return -1;

	if (config_get(cfg, "TRUST_DOMAIN", v, sizeof v, e) < 0 ||
	    sec_config_copy(p->trust_domain, sizeof p->trust_domain, v, "TRUST_DOMAIN", e))
		return -1;
	if (config_get(cfg, "SEC_TOKEN_DIRECTORY", v, sizeof v, e) < 0 ||
	    sec_config_copy(p->token_dir, sizeof p->token_dir, v, "SEC_TOKEN_DIRECTORY", e))
		return -1;
	if (config_get(cfg, "SEC_TOKEN_SYSTEM_DIRECTORY", v, sizeof v, e) < 0 ||
	    sec_config_copy(p->token_system_dir, sizeof p->token_system_dir, v,
	               "SEC_TOKEN_SYSTEM_DIRECTORY", e))
		return -1;

	if (config_get(cfg, "SEC_PASSWORD_DIRECTORY", v, sizeof v, e) < 0 ||
	    sec_config_copy(p->password_dir, sizeof p->password_dir, v, "SEC_PASSWORD_DIRECTORY", e))
		return -1;
	if (config_get(cfg, "SEC_TOKEN_POOL_SIGNING_KEY_FILE", v, sizeof v, e) < 0 ||
	    sec_config_copy(p->pool_key_file, sizeof p->pool_key_file, v,
	               "SEC_TOKEN_POOL_SIGNING_KEY_FILE", e))
		return -1;
	if (config_get_bool(cfg, "SEC_TOKEN_POOL_SIGNING_KEY_IS_PASSWORD", 0,
	                    &p->pool_key_is_password, e) < 0)
		return -1;
	if (offers_token(p))
		advertise_keys(p);

	if (config_get_bool(cfg, "SEC_FS_ENFORCE_CHANNEL_BINDING", 1,
	                    &p->fs_enforce_channel_binding, e) < 0)
		return -1;
	if (config_get(cfg, "SEC_CLAIMTOBE_USER", v, sizeof v, e) < 0 ||
	    sec_config_copy(p->claimtobe_user, sizeof p->claimtobe_user, v, "SEC_CLAIMTOBE_USER", e) ||
	    config_get_bool(cfg, "SEC_CLAIMTOBE_INCLUDE_DOMAIN", 1, &p->claimtobe_include_domain, e) < 0 ||
	    config_get(cfg, "UID_DOMAIN", v, sizeof v, e) < 0 ||
	    sec_config_copy(p->uid_domain, sizeof p->uid_domain, v, "UID_DOMAIN", e))
		return -1;

	rc = sec_knob(cfg, "AUTHENTICATION_TIMEOUT", v, sizeof v, e);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		char *end;
		n = strtoll(v, &end, 10);
		if (*end == '\0' && n > 0 && n < 86400)
			p->auth_timeout_ms = (int)(n * 1000);
	}

	/* CONDOR_IDS=uid.gid (environment first, as HTCondor reads it). */
	s = getenv("CONDOR_IDS");
	if (!s || !*s) {
		if (config_get(cfg, "CONDOR_IDS", v, sizeof v, e) > 0)
			s = v;
		else
			s = NULL;
	}
	if (s) {
		unsigned long uid, gid;
		char *end;
		uid = strtoul(s, &end, 10);
		if (*end == '.' && end != s) {
			gid = strtoul(end + 1, &end, 10);
			if (*end == '\0') {
				p->have_condor_ids = 1;
				p->condor_uid = (uint32_t)uid;
				p->condor_gid = (uint32_t)gid;
			}
		}
		if (!p->have_condor_ids)
			dbg(D_ALWAYS, "CONDOR_IDS '%s' is not of the form uid.gid; ignored", s);
	}

	s = getenv("CONDOR_PARENT_ID");
	if (s && *s && strlen(s) < sizeof p->parent_id)
		memcpy(p->parent_id, s, strlen(s) + 1);
	return sec_policy_ssl_from_config(cfg, p, e);
}
