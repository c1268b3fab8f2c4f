/*
 * sec_config.h - the client security policy from the site's configuration.
 *
 * Tools negotiate at the CLIENT level: every SEC_<X> setting is looked up
 * as SEC_CLIENT_<X>, then SEC_DEFAULT_<X>, then the built-in default.
 * Methods tokenbox does not implement are dropped from the list (and the
 * -debug trace says so), as HTCondor drops methods it was built without.
 */
#ifndef TOKENBOX_SEC_CONFIG_H
#define TOKENBOX_SEC_CONFIG_H

#include "config.h"
#include "err.h"
#include "secman.h"
#include "token_mint.h"

/* Copy a knob's value into a policy field; too long is an error naming
 * the knob (SECMAN:2002), never a silently shortened path. */
int sec_config_copy(char *dst, size_t cap, const char *v, const char *knob, struct err *e);

/* Where the signing keys named by policy p are (for minting, and for
 * listing them in IssuerKeys); key files must be owned by the real uid. */
void sec_policy_mint_keys(const struct sec_policy *p, struct token_mint_keys *kc);
/* The token directory this process reads (tokens_pick_dir with the
 * policy's knobs, our home and effective uid).  0, or -1 when the path is
 * over TOKENS_PATH_MAX. */
int sec_policy_token_dir(const struct sec_policy *p, char *dir, size_t cap);

int sec_policy_from_config(const struct config *cfg, struct sec_policy *p, struct err *e);

/* The configured method list (before filtering) for messages. */
int sec_config_methods(const struct config *cfg, char *out, size_t cap);

#endif
