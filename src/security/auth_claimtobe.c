/*
 * auth_claimtobe.c - CLAIMTOBE (auth-methods.md section 6): the client
 * states a name and the server believes it.  No proof at all: pools that
 * still accept it do so for READ at most (9.0-10.x defaults) or not at all
 * (23.0 and later); tokenbox offers it only when SEC_CLIENT_AUTHENTICATION_-
 * METHODS names it, as the stock tools do.
 *
 *   C->S  INT 1, STR "<user>[@<UID_DOMAIN>]", EOM   (INT 0, EOM: no name)
 *   S->C  INT 1, EOM
 *
 * The name: SEC_CLAIMTOBE_USER, else ours while in condor priv (a root
 * tool claims the condor account's name, as HTCondor's does), plus
 * "@UID_DOMAIN" unless SEC_CLAIMTOBE_INCLUDE_DOMAIN is false.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "debug.h"
#include "port/port.h"

static int claim_usable(struct auth_ctx *a, struct err *e)
{
	(void)a;
	(void)e;
	return 1;
}

/* The name to claim into out; 0, or -1 when there is none. */
static int claim_name(const struct sec_policy *p, char *out, size_t cap)
{
	char user[SEC_STR_MAX];
	uint32_t uid = port_euid();
	int n;

	if (p->claimtobe_user[0]) {
		snprintf(user, sizeof user, "%s", p->claimtobe_user);
		dbg(D_ALWAYS, "SEC_CLAIMTOBE_USER to %s!", user);
	} else {
		if (uid == 0 && p->have_condor_ids)
			uid = p->condor_uid;
		if (port_user_name(uid, user, sizeof user) != 0)
			return -1;
	}
	if (p->claimtobe_include_domain) {
		if (!p->uid_domain[0])
			return -1;
		n = snprintf(out, cap, "%s@%s", user, p->uid_domain);
	} else {
		n = snprintf(out, cap, "%s", user);
	}
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int claim_client(struct auth_ctx *a, struct err *e)
{
	char name[SEC_STR_MAX];
	int64_t answer = 0;

	if (claim_name(a->pol, name, sizeof name) != 0) {
		/* the stock client sends 0 and gives up on this method */
		dbg(D_SECURITY, "CLAIMTOBE: no user name to claim");
		if (cedar_put_int(a->c, 0, e) < 0 || cedar_end_send(a->c, e) < 0)
			return -2;
		return -1;
	}
	dbg(D_SECURITY, "CLAIMTOBE: claiming to be %s", name);
	if (cedar_put_int(a->c, 1, e) < 0 || cedar_put_str(a->c, name, e) < 0 ||
	    cedar_end_send(a->c, e) < 0 || cedar_get_int(a->c, &answer, e) < 0 ||
	    cedar_end_recv(a->c, e) < 0)
		return -2;
	if (answer != 1) {
		err_push(e, "CLAIMTOBE", 1, "the server did not accept the claimed name");
		return -1;
	}
	snprintf(a->identity, sizeof a->identity, "%s", name);
	return 0;
}

const struct auth_method auth_method_claimtobe = { "CLAIMTOBE", 2, claim_usable, claim_client };
