#include "check.h"

#include "approve_check.h"
#include "netblock.h"

static struct approve_request base_request(void)
{
	struct approve_request r = {
		.request_id = "0412345",
		.client_id = "node17.example.org-431",
		.peer = "10.1.2.3",
		.requested_identity = "condor@example.org",
		.authenticated_identity = "unauthenticated@unmapped",
		.limit_authz = "ADVERTISE_STARTD,ADVERTISE_MASTER",
		.has_lifetime = 1,
		.lifetime = 3600,
	};
	return r;
}

static struct approve_expect no_expect(void)
{
	struct approve_expect x = {NULL, NULL, NULL, -1, NULL};
	return x;
}

static void test_identity_forms(void)
{
	CHECK(approve_identity_plain("condor@example.org"));
	CHECK(approve_identity_plain("alice+x@pool.local"));
	CHECK(!approve_identity_plain("condor"));
	CHECK(!approve_identity_plain("@example.org"));
	CHECK(!approve_identity_plain("a@"));
	CHECK(!approve_identity_plain("a@b@c"));
	CHECK(!approve_identity_plain("ev\x1b[31mil@refpool.local"));
	CHECK(!approve_identity_plain("evil\n@x"));
	CHECK(!approve_identity_plain("caf\xc3\xa9@x"));
	CHECK(!approve_identity_plain("a b@c"));
	CHECK(!approve_identity_plain(""));
	CHECK(!approve_identity_plain(NULL));
	CHECK(approve_identity_is_condor("condor@example.org"));
	CHECK(!approve_identity_is_condor("condorx@example.org"));
	CHECK(!approve_identity_is_condor("xcondor@example.org"));
}

static void test_checks(void)
{
	struct approve_request r = base_request();
	struct approve_expect x = no_expect();
	char why[256];

	CHECK_INT(approve_check(&x, &r, why, sizeof why), 0);

	x.identity = "condor@example.org";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), 0);
	x.identity = "Condor@example.org"; /* the server compares case-sensitively */
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);
	CHECK(strstr(why, "RequestedIdentity") != NULL);
	x.identity = "condor@example.org";

	x.peer = "10.1.2.0/24";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), 0);
	x.peer = "10.1.3.0/24";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);
	CHECK(strstr(why, "PeerLocation") != NULL);
	x.peer = "10.1.2.3";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), 0);
	x.peer = NULL;

	x.authz = "ADVERTISE_MASTER, ADVERTISE_STARTD,ADVERTISE_SCHEDD";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), 0);
	x.authz = "ADVERTISE_STARTD";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);
	CHECK(strstr(why, "ADVERTISE_MASTER") != NULL);
	r.limit_authz = NULL; /* unlimited is never a subset */
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);
	CHECK(strstr(why, "not limited") != NULL);
	r.limit_authz = "READ,\x1b[2J";
	x.authz = "READ";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);
	CHECK(strchr(why, '\x1b') == NULL);
	r = base_request();
	x.authz = NULL;

	x.max_lifetime = 3600;
	CHECK_INT(approve_check(&x, &r, why, sizeof why), 0);
	x.max_lifetime = 3599;
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);
	CHECK(strstr(why, "TokenLifetime") != NULL);
	r.has_lifetime = 0;
	x.max_lifetime = 100000;
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);
	r = base_request();
	x.max_lifetime = -1;

	x.client_id = "node17.example.org-431";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), 0);
	x.client_id = "node17.example.org-432";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);
	CHECK(strstr(why, "ClientId") != NULL);

	r.requested_identity = NULL;
	x = no_expect();
	x.identity = "condor@example.org";
	CHECK_INT(approve_check(&x, &r, why, sizeof why), -1);

	x = no_expect();
	x.peer = "10.1.2.300/24";
	CHECK_INT(approve_expect_valid(&x, why, sizeof why), -1);
	x.peer = "fe80::/10";
	CHECK_INT(approve_expect_valid(&x, why, sizeof why), 0);
	x.authz = " , ";
	CHECK_INT(approve_expect_valid(&x, why, sizeof why), -1);
}

static void test_netblocks(void)
{
	struct netblock nb;
	uint8_t a[16];

	CHECK_INT(netblock_parse_addr("127.0.0.1", a), 4);
	CHECK_INT(netblock_parse_addr("::1", a), 6);
	CHECK_INT(a[15], 1);
	CHECK_INT(netblock_parse_addr("[2001:db8::7]", a), 6);
	CHECK_INT(a[0], 0x20);
	CHECK_INT(a[15], 7);
	CHECK_INT(netblock_parse_addr("1.2.3", a), 0);
	CHECK_INT(netblock_parse_addr("1.2.3.4.5", a), 0);
	CHECK_INT(netblock_parse_addr("256.1.1.1", a), 0);
	CHECK_INT(netblock_parse_addr("1::2::3", a), 0);
	CHECK_INT(netblock_parse_addr("12345::", a), 0);
	CHECK_INT(netblock_parse_addr("", a), 0);

	CHECK_INT(netblock_parse("127.0.0.1/32", &nb), 0);
	CHECK(netblock_match(&nb, "127.0.0.1"));
	CHECK(!netblock_match(&nb, "127.0.0.2"));
	CHECK(netblock_match(&nb, "::ffff:127.0.0.1"));
	CHECK_INT(netblock_parse("10.0.0.0/255.255.0.0", &nb), 0);
	CHECK_INT(nb.bits, 16);
	CHECK(netblock_match(&nb, "10.0.200.1"));
	CHECK(!netblock_match(&nb, "10.1.0.1"));
	CHECK_INT(netblock_parse("10.0.0.0/255.0.255.0", &nb), -1);
	CHECK_INT(netblock_parse("192.168.*", &nb), 0);
	CHECK(netblock_match(&nb, "192.168.44.3"));
	CHECK(!netblock_match(&nb, "192.169.44.3"));
	CHECK_INT(netblock_parse("10.0.0.0/12", &nb), 0);
	CHECK(netblock_match(&nb, "10.15.255.255"));
	CHECK(!netblock_match(&nb, "10.16.0.0"));
	CHECK_INT(netblock_parse("2001:db8::/32", &nb), 0);
	CHECK(netblock_match(&nb, "2001:db8:ffff::1"));
	CHECK(!netblock_match(&nb, "2001:db9::1"));
	CHECK(!netblock_match(&nb, "10.0.0.1"));
	CHECK_INT(netblock_parse("*", &nb), 0);
	CHECK(netblock_match(&nb, "anything"));
	CHECK_INT(netblock_parse("10.0.0.0/33", &nb), -1);
	CHECK_INT(netblock_parse("10.0.0.0/", &nb), -1);
	CHECK_INT(netblock_parse("/8", &nb), -1);
	CHECK_INT(netblock_parse("10.*/8", &nb), -1);
}

int main(void)
{
	test_identity_forms();
	test_checks();
	test_netblocks();
	return check_done("approve_check");
}
