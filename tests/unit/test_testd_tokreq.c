/*
 * test_testd_tokreq.c - the test daemon's token-request rules: codes and
 * texts of every command, admin vs same-identity, scope/lifetime limits on
 * approvers, auto-approval, expiry, netblocks.
 * Built standalone: it includes the testd sources it tests.
 */
#include "tests/testd/jwt.c"
#include "tests/testd/tokreq.c"

#include "tests/unit/check.h"

static struct tokreq_store st;
static struct testd_key key;
static struct tokreq_cfg cfg;

static void setup(void)
{
	static const uint8_t file[] = "not a real key";
	struct err e;
	tokreq_init(&st);
	testd_key_from_file_bytes(&key, "POOL", 1, file, sizeof file - 1, &e);
	memset(&cfg, 0, sizeof cfg);
	cfg.trust_domain = "pool.test";
	cfg.admin = "condor@* root@*";
	cfg.key = &key;
	cfg.request_lifetime = 3600;
	cfg.enable_request = 1;
	cfg.enable_fetch = 1;
	cfg.auto_max_lifetime = 3600;
	cfg.fetch_keys = "POOL";
}

static struct tokreq_peer peer(const char *fqu, const char *method)
{
	struct tokreq_peer p;
	memset(&p, 0, sizeof p);
	p.fqu = fqu;
	p.mapped = strcmp(fqu, "unauthenticated@unmapped") != 0;
	p.method = method;
	p.ip = "127.0.0.1";
	p.encrypted = 1;
	p.authz = "";
	return p;
}

static int count_cb(const struct tokreq *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int list_count(const struct tokreq_peer *p, const char *filter, struct tokreq_out *o)
{
	struct tokreq_in in;
	int n = 0;
	memset(&in, 0, sizeof in);
	in.request_id = filter;
	tokreq_list(&st, &cfg, p, &in, count_cb, &n, o);
	return n;
}

static void test_ids(void)
{
	char t[8];
	long long v;
	tokreq_id_text(42137, t);
	CHECK_STR(t, "0042137");
	CHECK_INT(tokreq_id_parse("0042137", &v), 0);
	CHECK_INT(v, 42137);
	CHECK_INT(tokreq_id_parse(" 12", &v), 0);
	CHECK_INT(tokreq_id_parse("12x", &v), -1);
	CHECK_INT(tokreq_id_parse("", &v), -1);
	CHECK_INT(tokreq_id_parse("99999999999", &v), -1);
}

static void test_start_finish_approve(void)
{
	struct tokreq_peer req = peer("unauthenticated@unmapped", "SSL");
	struct tokreq_peer admin = peer("condor@pool.test", "FS");
	struct tokreq_peer alice = peer("alice@pool.test", "IDTOKENS");
	struct tokreq_peer bob = peer("bob@pool.test", "IDTOKENS");
	struct tokreq_in in;
	struct tokreq_out o;
	char id[8];
	struct testd_jwt j;
	struct err e;

	setup();
	memset(&in, 0, sizeof in);
	/* Missing both: the later check's text wins. */
	tokreq_start(&st, &cfg, &req, &in, 1000, &o);
	CHECK(o.has_error && o.code == 2);
	CHECK_STR(o.error, "No identity request.");
	in.user = "alice@pool.test";
	tokreq_start(&st, &cfg, &req, &in, 1000, &o);
	CHECK_STR(o.error, "No client ID provided.");
	in.client_id = "vm-938";
	st.forced_id[st.nforced++] = 2230207;
	tokreq_start(&st, &cfg, &req, &in, 1000, &o);
	CHECK(!o.has_error && o.has_request_id && !o.has_token);
	CHECK_STR(o.request_id, "2230207");
	snprintf(id, sizeof id, "%s", o.request_id);
	CHECK_INT(st.n, 1);

	/* Unencrypted and unauthenticated requests are refused and dropped. */
	req.encrypted = 0;
	tokreq_start(&st, &cfg, &req, &in, 1000, &o);
	CHECK(o.code == 7 && !o.has_request_id);
	CHECK_STR(o.error, "Request to server was not encrypted.");
	req.encrypted = 1;
	req.method = "";
	tokreq_start(&st, &cfg, &req, &in, 1000, &o);
	CHECK_STR(o.error, "Request to server was made using ANONYMOUS or no authentication.");
	req.method = "SSL";
	CHECK_INT(st.n, 1);

	/* FINISH while pending: Token = "". */
	memset(&in, 0, sizeof in);
	in.client_id = "vm-938";
	in.request_id = id;
	tokreq_finish(&st, &cfg, &in, 1001, &o);
	CHECK(o.has_token && !o.has_error);
	CHECK_STR(o.token, "");
	in.client_id = "other";
	tokreq_finish(&st, &cfg, &in, 1001, &o);
	CHECK_STR(o.error, "Client ID is incorrect.");
	in.request_id = "zz";
	tokreq_finish(&st, &cfg, &in, 1001, &o);
	CHECK(o.code == 3);
	CHECK_STR(o.error, "Request ID is not known.");

	/* LIST: admin sees it, bob does not, alice (same identity) does. */
	CHECK_INT(list_count(&admin, NULL, &o), 1);
	CHECK(o.has_code && o.code == 0 && !o.has_error);
	CHECK_INT(list_count(&bob, NULL, &o), 0);
	CHECK_INT(list_count(&alice, NULL, &o), 1);
	CHECK_INT(list_count(&admin, "2230207", &o), 1);
	CHECK_INT(list_count(&admin, "0", &o), 0);
	CHECK_INT(list_count(&admin, "x1", &o), 0);
	CHECK(o.code == 2);
	CHECK_STR(o.error, "Unable to convert request ID to integer.");

	/* APPROVE error table. */
	memset(&in, 0, sizeof in);
	tokreq_approve(&st, &cfg, &admin, &in, 1002, &o);
	CHECK(o.code == 1);
	CHECK_STR(o.error, "Request ID not provided.");
	in.request_id = "abc";
	tokreq_approve(&st, &cfg, &admin, &in, 1002, &o);
	CHECK(o.code == 2);
	in.request_id = "1234567";
	in.client_id = "vm-938";
	tokreq_approve(&st, &cfg, &admin, &in, 1002, &o);
	CHECK(o.code == 5);
	CHECK_STR(o.error, "Request unknown.");
	in.request_id = id;
	in.client_id = "";
	tokreq_approve(&st, &cfg, &admin, &in, 1002, &o);
	CHECK_STR(o.error, "Client ID not provided.");
	in.client_id = "wrong";
	tokreq_approve(&st, &cfg, &admin, &in, 1002, &o);
	CHECK(o.code == 5);
	CHECK_STR(o.error, "Request unknown.");
	in.client_id = "vm-938";
	tokreq_approve(&st, &cfg, &bob, &in, 1002, &o);
	CHECK(o.code == 6);
	CHECK_STR(o.error, "Insufficient privilege to approve request.");
	/* An admin whose token scope lacks ADMINISTRATOR is not an admin. */
	admin.bounded = 1;
	admin.authz = "READ";
	tokreq_approve(&st, &cfg, &admin, &in, 1002, &o);
	CHECK(o.code == 6);
	admin.bounded = 0;
	admin.authz = "";
	/* alice limited by a token scope: request has no bound -> 7 */
	alice.bounded = 1;
	alice.authz = "READ,WRITE";
	tokreq_approve(&st, &cfg, &alice, &in, 1002, &o);
	CHECK(o.code == 7);
	alice.bounded = 0;
	alice.token_exp = 5000;
	tokreq_approve(&st, &cfg, &alice, &in, 1002, &o);
	CHECK(o.code == 8);
	CHECK_STR(o.error, "Insufficient privilege to approve request (lifetime).");
	alice.token_exp = 0;
	/* alice approves her own request. */
	tokreq_approve(&st, &cfg, &alice, &in, 1002, &o);
	CHECK(o.has_code && o.code == 0 && !o.has_error);
	tokreq_approve(&st, &cfg, &alice, &in, 1002, &o);
	CHECK_STR(o.error, "Request in incorrect state.");
	CHECK_INT(list_count(&admin, NULL, &o), 0);

	/* FINISH delivers once, then forgets. */
	memset(&in, 0, sizeof in);
	in.client_id = "vm-938";
	in.request_id = id;
	tokreq_finish(&st, &cfg, &in, 1003, &o);
	CHECK(o.has_token && o.token[0]);
	err_clear(&e);
	CHECK_INT(testd_jwt_decode(o.token, strlen(o.token), &j, &e), 0);
	CHECK_STR(j.sub, "alice@pool.test");
	CHECK_STR(j.iss, "pool.test");
	CHECK(j.iat == 1002 && !j.has_exp && !j.has_scope);
	CHECK(testd_jwt_verify(&key, &j));
	tokreq_finish(&st, &cfg, &in, 1003, &o);
	CHECK_STR(o.error, "Request ID is not known.");
	CHECK_INT(st.n, 0);
}

static void test_limits_lifetime_expiry(void)
{
	struct tokreq_peer req = peer("unauthenticated@unmapped", "SSL");
	struct tokreq_peer admin = peer("condor@pool.test", "FS");
	struct tokreq_in in;
	struct tokreq_out o;
	struct tokreq *r;

	setup();
	cfg.request_limits = "ADVERTISE_STARTD,READ";
	cfg.issued_expiration = 100;
	memset(&in, 0, sizeof in);
	in.client_id = "c";
	in.user = "condor@pool.test";
	in.authz = "WRITE";
	tokreq_start(&st, &cfg, &req, &in, 0, &o);
	CHECK(o.code == 3);
	in.authz = "WRITE,READ";
	in.has_lifetime = 1;
	in.lifetime = 5000;
	tokreq_start(&st, &cfg, &req, &in, 0, &o);
	CHECK(!o.has_error && o.has_request_id);
	r = &st.req[0];
	CHECK_STR(r->authz, "READ");
	CHECK_INT(r->lifetime, 100);
	in.authz = NULL;
	in.has_lifetime = 0;
	tokreq_start(&st, &cfg, &req, &in, 0, &o);
	r = tokreq_find(&st, (uint32_t)atoi(o.request_id));
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->authz, "ADVERTISE_STARTD,READ");
		CHECK_INT(r->lifetime, 100);
	}
	/* Expiry: pending -> expired after the lifetime, deleted an hour later. */
	tokreq_cleanup(&st, &cfg, 3601);
	CHECK_INT(list_count(&admin, NULL, &o), 0);
	CHECK_INT(st.n, 2);
	memset(&in, 0, sizeof in);
	in.client_id = "c";
	in.request_id = o.request_id; /* unused after list; reuse buffer below */
	{
		char idt[8];
		tokreq_id_text(st.req[0].id, idt);
		in.request_id = idt;
		tokreq_finish(&st, &cfg, &in, 3601, &o);
		CHECK(o.code == 5);
		CHECK_STR(o.error, "Request has expired.");
	}
	tokreq_cleanup(&st, &cfg, 3600 + 3601);
	CHECK_INT(st.n, 0);

	/* Disabled feature. */
	cfg.enable_request = 0;
	tokreq_start(&st, &cfg, &req, &in, 0, &o);
	CHECK(o.code == 44 && o.close_after);
	CHECK_STR(o.error, "Token request disabled.");

	/* More than 1000 stored: an empty reply. */
	setup();
	{
		int i;
		for (i = 0; i < TOKREQ_LIMIT + 1; i++)
			CHECK(tokreq_insert(&st, (uint32_t)i, 0) != NULL);
		CHECK(tokreq_insert(&st, 99999, 0) == NULL);
		memset(&in, 0, sizeof in);
		in.client_id = "c";
		in.user = "u@d";
		tokreq_start(&st, &cfg, &req, &in, 0, &o);
		CHECK(o.empty && !o.has_error && !o.has_request_id);
	}
	/* No signing key: the request is stored, the reply says why. */
	setup();
	cfg.key = NULL;
	memset(&in, 0, sizeof in);
	in.client_id = "c";
	in.user = "u@d";
	tokreq_start(&st, &cfg, &req, &in, 0, &o);
	CHECK(o.has_request_id && o.code == 4);
	CHECK_STR(o.error, "TOKEN_UTILS:4:Server does not have a signing key configured.");
	CHECK_INT(st.n, 1);
}

static void test_auto_approve(void)
{
	struct tokreq_peer req = peer("unauthenticated@unmapped", "");
	struct tokreq_in in, ain;
	struct tokreq_out o;
	char id[8];

	setup();
	memset(&ain, 0, sizeof ain);
	ain.subnet = "127.0.0.1/32";
	tokreq_auto_approve(&st, &cfg, &ain, 100, &o);
	CHECK(o.code == -1);
	CHECK_STR(o.error, "DAEMON:-1:Auto-approval rule lifetimes must be greater than zero.");
	ain.has_rule_lifetime = 1;
	ain.rule_lifetime = 60;
	ain.subnet = "127.0.0.300/8";
	tokreq_auto_approve(&st, &cfg, &ain, 100, &o);
	CHECK(o.code == -2);
	CHECK_STR(o.error, "DAEMON:-2:Auto-approval rule netblock invalid.");

	/* A pending request that qualifies, then the rule approves it. */
	memset(&in, 0, sizeof in);
	in.client_id = "c";
	in.user = "condor@pool.test";
	in.authz = "ADVERTISE_STARTD,ADVERTISE_MASTER";
	req.method = "SSL";
	tokreq_start(&st, &cfg, &req, &in, 100, &o);
	CHECK(o.has_request_id && !o.has_token);
	snprintf(id, sizeof id, "%s", o.request_id);
	ain.subnet = "127.0.0.0/255.0.0.0";
	ain.rule_lifetime = 99999; /* capped to 3600 */
	tokreq_auto_approve(&st, &cfg, &ain, 130, &o);
	CHECK(o.has_code && o.code == 0 && !o.has_error);
	CHECK_INT(st.rule[0].expiry, 130 + 3600);
	memset(&in, 0, sizeof in);
	in.client_id = "c";
	in.request_id = id;
	tokreq_finish(&st, &cfg, &in, 131, &o);
	CHECK(o.has_token && o.token[0]);

	/* At START, a matching request gets its token at once, even without
	 * authentication or encryption (host-based trust). */
	req.method = "";
	req.encrypted = 0;
	memset(&in, 0, sizeof in);
	in.client_id = "c2";
	in.user = "condor@pool.test";
	in.authz = "ADVERTISE_SCHEDD";
	tokreq_start(&st, &cfg, &req, &in, 200, &o);
	CHECK(o.has_token && o.token[0] && o.has_request_id);
	CHECK_INT(st.n, 0);
	/* Not for non-condor identities, other authorisations or other hosts. */
	in.user = "alice@pool.test";
	tokreq_start(&st, &cfg, &req, &in, 200, &o);
	CHECK(!o.has_token && o.code == 7);
	in.user = "condor@pool.test";
	in.authz = "ADMINISTRATOR";
	tokreq_start(&st, &cfg, &req, &in, 200, &o);
	CHECK(!o.has_token);
	in.authz = "ADVERTISE_SCHEDD";
	req.ip = "10.1.2.3";
	tokreq_start(&st, &cfg, &req, &in, 200, &o);
	CHECK(!o.has_token);
	/* Expired rule. */
	req.ip = "127.0.0.1";
	tokreq_cleanup(&st, &cfg, 130 + 3601);
	CHECK_INT(st.nrules, 0);
}

static void test_session_token(void)
{
	struct tokreq_peer p = peer("condor@pool.test", "FS");
	struct tokreq_in in;
	struct tokreq_out o;
	struct testd_jwt j;
	struct err e;

	setup();
	memset(&in, 0, sizeof in);
	in.has_lifetime = 1;
	in.lifetime = 600;
	tokreq_session_token(&cfg, &p, &in, 1000, &o);
	CHECK(o.has_token);
	CHECK_INT(testd_jwt_decode(o.token, strlen(o.token), &j, &e), 0);
	CHECK(j.exp == 1600 && j.iat == 1000);
	CHECK_STR(j.sub, "condor@pool.test");
	in.requested_key = "OTHER";
	tokreq_session_token(&cfg, &p, &in, 1000, &o);
	CHECK(o.code == 3);
	CHECK_STR(o.error, "Server will not sign with requested key.");
	in.requested_key = NULL;
	p.token_exp = 900;
	tokreq_session_token(&cfg, &p, &in, 1000, &o);
	CHECK_STR(o.error, "Cannot create new session as original one expired.");
	p.token_exp = 1300;
	tokreq_session_token(&cfg, &p, &in, 1000, &o);
	CHECK_INT(testd_jwt_decode(o.token, strlen(o.token), &j, &e), 0);
	CHECK(j.exp == 1300);
	p.token_exp = 0;
	p.bounded = 1;
	p.authz = "READ";
	in.authz = "WRITE";
	tokreq_session_token(&cfg, &p, &in, 1000, &o);
	CHECK(o.code == 4);
	in.authz = NULL;
	tokreq_session_token(&cfg, &p, &in, 1000, &o);
	CHECK_INT(testd_jwt_decode(o.token, strlen(o.token), &j, &e), 0);
	CHECK_STR(j.scope, "condor:/READ");
	p = peer("unauthenticated@unmapped", "");
	tokreq_session_token(&cfg, &p, &in, 1000, &o);
	CHECK(o.code == 2);
	p = peer("condor@pool.test", "FS");
	cfg.key = NULL;
	tokreq_session_token(&cfg, &p, &in, 1000, &o);
	CHECK(o.code == 1);
}

static void test_net_authz(void)
{
	struct tokreq_net n;
	CHECK_INT(tokreq_net_parse("*", &n), 0);
	CHECK(tokreq_net_match(&n, "10.0.0.1"));
	CHECK_INT(tokreq_net_parse("127.0.0.1/32", &n), 0);
	CHECK(tokreq_net_match(&n, "127.0.0.1"));
	CHECK(!tokreq_net_match(&n, "127.0.0.2"));
	CHECK(tokreq_net_match(&n, "::ffff:127.0.0.1"));
	CHECK_INT(tokreq_net_parse("10.*", &n), 0);
	CHECK(tokreq_net_match(&n, "10.9.8.7"));
	CHECK(!tokreq_net_match(&n, "11.0.0.1"));
	CHECK_INT(tokreq_net_parse("fd00::/8", &n), 0);
	CHECK(tokreq_net_match(&n, "fd12::1"));
	CHECK(!tokreq_net_match(&n, "fe80::1"));
	CHECK(!tokreq_net_match(&n, "10.0.0.1"));
	CHECK_INT(tokreq_net_parse("::1", &n), 0);
	CHECK(tokreq_net_match(&n, "::1"));
	CHECK_INT(tokreq_net_parse("", &n), -1);
	CHECK_INT(tokreq_net_parse("1.2.3.4/33", &n), -1);
	CHECK_INT(tokreq_net_parse("1.2.3.4/255.0.255.0", &n), -1);
	CHECK_INT(tokreq_net_parse("1.2.3/8", &n), -1);
	CHECK_INT(tokreq_net_parse("1:2:3:4:5:6:7:8:9", &n), -1);
	CHECK_INT(tokreq_net_parse("1::2::3", &n), -1);
	CHECK_INT(tokreq_net_parse("bogus", &n), -1);

	CHECK(tokreq_authz_match("condor@* root@*", "condor@pool.test", "127.0.0.1"));
	CHECK(tokreq_authz_match("condor@* root@*", "ROOT@x", "127.0.0.1"));
	CHECK(!tokreq_authz_match("condor@* root@*", "alice@pool.test", "127.0.0.1"));
	CHECK(!tokreq_authz_match("condor@*", "unauthenticated@unmapped", "127.0.0.1"));
	CHECK(tokreq_authz_match("alice@pool.test/127.*", "alice@pool.test", "127.0.0.1"));
	CHECK(!tokreq_authz_match("alice@pool.test/10.*", "alice@pool.test", "127.0.0.1"));
	CHECK(tokreq_authz_match("*", "anyone@x", "1.2.3.4"));
	CHECK(!tokreq_authz_match("", "anyone@x", "1.2.3.4"));
}

int main(void)
{
	test_ids();
	test_start_finish_approve();
	test_limits_lifetime_expiry();
	test_auto_approve();
	test_session_token();
	test_net_authz();
	return check_done("test_testd_tokreq");
}
