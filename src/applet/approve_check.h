/*
 * approve_check.h - what the non-interactive approval path checks before it
 * approves anything, and the warnings shown to an interactive approver.
 *
 * Pure functions over the request's attributes, so every rule is unit
 * tested without a network.
 */
#ifndef TOKENBOX_APPROVE_CHECK_H
#define TOKENBOX_APPROVE_CHECK_H

#include <stddef.h>

/* What the caller says it expects (command-line flags).  NULL / -1 mean
 * "not checked"; identity is required for non-interactive approval. */
struct approve_expect {
	const char *identity;   /* RequestedIdentity, exact */
	const char *peer;       /* PeerLocation: address or netblock */
	const char *authz;      /* comma list: LimitAuthorization must be a subset */
	long long max_lifetime; /* TokenLifetime must be present and <= this */
	const char *client_id;  /* ClientId, exact */
};

/* The request as listed by the daemon; NULL when an attribute is absent. */
struct approve_request {
	const char *request_id;
	const char *client_id;
	const char *peer;
	const char *requested_identity;
	const char *authenticated_identity;
	const char *limit_authz;
	int has_lifetime;
	long long lifetime;
	int toolong; /* an attribute was too long to copy out (never approved) */
	int unsafe;  /* control bytes or invalid UTF-8 anywhere in the ad */
};

/* 0 when the request matches every expectation; otherwise -1 and `why`
 * names the first attribute that differed, what was expected and what the
 * request holds (its text terminal-safe, cut at 160 bytes). */
int approve_check(const struct approve_expect *x, const struct approve_request *r,
                  char *why, size_t whylen);

/* Checks the expectation flags themselves (e.g. a netblock that does not
 * parse); 0 or -1 with a message. */
int approve_expect_valid(const struct approve_expect *x, char *why, size_t whylen);

/* 1 if id is a plain "user@domain": one '@', both sides non-empty, made
 * of letters, digits and . _ - + only.  Anything else can be made to look
 * like something it is not on a terminal. */
int approve_identity_plain(const char *id);

/* 1 if id names the condor@ identity, which default policies
 * (ALLOW_ADMINISTRATOR = condor@*, ALLOW_DAEMON = condor@*) trust. */
int approve_identity_is_condor(const char *id);

#endif
