#include "check.h"

#include "reqstore.h"

static struct reqstore s;
static unsigned char arena[64 * 1024];

static void ad_of(struct classad *ad, const char *text)
{
	struct err e;

	err_clear(&e);
	classad_init(ad, arena, sizeof arena);
	CHECK_INT(classad_parse_old(ad, text, strlen(text), &e), 0);
}

static void test_round_trip(void)
{
	struct approve_request r;
	struct classad ad;
	struct err e;
	size_t used;

	reqstore_init(&s);
	err_clear(&e);
	ad_of(&ad, "RequestId = \"0412345\"\nClientId = \"node17-431\"\nPeerLocation = \"10.1.2.3\"\n"
	           "RequestedIdentity = \"worker@pool\"\nAuthenticatedIdentity = \"unauthenticated@unmapped\"\n"
	           "LimitAuthorization = \"ADVERTISE_STARTD\"\nTokenLifetime = 3600\nExtra = \"x\"\n");
	CHECK_INT(reqstore_add(&s, &ad, &e), 0);
	reqstore_get(&s, 0, &r);
	CHECK_STR(r.request_id, "0412345");
	CHECK_STR(r.client_id, "node17-431");
	CHECK_STR(r.peer, "10.1.2.3");
	CHECK_STR(r.requested_identity, "worker@pool");
	CHECK_STR(r.authenticated_identity, "unauthenticated@unmapped");
	CHECK_STR(r.limit_authz, "ADVERTISE_STARTD");
	CHECK_INT(r.has_lifetime, 1);
	CHECK_INT(r.lifetime, 3600);
	CHECK_INT(r.toolong, 0);
	CHECK_INT(r.unsafe, 0);
	used = s.used;

	/* The next request shares the values equal to this one's. */
	ad_of(&ad, "RequestId = \"0412346\"\nClientId = \"node18-1\"\nPeerLocation = \"10.1.2.4\"\n"
	           "RequestedIdentity = \"worker@pool\"\nAuthenticatedIdentity = \"unauthenticated@unmapped\"\n"
	           "LimitAuthorization = \"ADVERTISE_STARTD\"\n");
	CHECK_INT(reqstore_add(&s, &ad, &e), 1);
	CHECK_INT(s.used - used, strlen("0412346") + strlen("node18-1") + strlen("10.1.2.4") + 3);
	reqstore_get(&s, 1, &r);
	CHECK_STR(r.request_id, "0412346");
	CHECK_STR(r.client_id, "node18-1");
	CHECK_STR(r.requested_identity, "worker@pool");
	CHECK_STR(r.limit_authz, "ADVERTISE_STARTD");
	CHECK_INT(r.has_lifetime, 0);
	/* ...and the first is unchanged. */
	reqstore_get(&s, 0, &r);
	CHECK_STR(r.client_id, "node17-431");
	CHECK_STR(r.peer, "10.1.2.3");

	/* Absent, unsafe, too long. */
	ad_of(&ad, "RequestId = \"1\"\nRequestedIdentity = \"ev\\x1b il@pool\"\n");
	{
		static char text[8192];
		int n = snprintf(text, sizeof text, "RequestId = \"2\"\nClientId = \"");
		memset(text + n, 'c', 5000);
		snprintf(text + n + 5000, sizeof text - (size_t)n - 5000, "\"\nPeerLocation = \"p\"\n");
		CHECK_INT(reqstore_add(&s, &ad, &e), 2);
		reqstore_get(&s, 2, &r);
		CHECK(r.client_id == NULL && r.peer == NULL && r.limit_authz == NULL);
		CHECK_STR(r.request_id, "1");
		ad_of(&ad, text);
		CHECK_INT(reqstore_add(&s, &ad, &e), 3);
		reqstore_get(&s, 3, &r);
		CHECK_INT(r.toolong, 1);
		CHECK(r.client_id == NULL);
		CHECK_STR(r.peer, "p");
	}
}

static void test_unsafe_flag(void)
{
	struct approve_request r;
	struct classad ad;
	struct err e;
	const char text[] = "RequestId = \"1\"\nRequestedIdentity = \"ev\x1b[31mil@pool\"\n";

	reqstore_init(&s);
	err_clear(&e);
	ad_of(&ad, text);
	CHECK_INT(reqstore_add(&s, &ad, &e), 0);
	reqstore_get(&s, 0, &r);
	CHECK_INT(r.unsafe, 1);
}

static void test_bounds(void)
{
	struct classad ad;
	struct err e;
	static char text[8192];
	size_t i;
	long k = 0;

	/* The text pool: values of 4000 bytes fill 1 MiB in about 260
	 * requests; the one that does not fit is an error, not a cut. */
	reqstore_init(&s);
	err_clear(&e);
	{
		int n = snprintf(text, sizeof text, "ClientId = \"");
		memset(text + n, 'c', 4000);
		snprintf(text + n + 4000, sizeof text - (size_t)n - 4000, "\"\n");
	}
	for (i = 0; i < 400 && k >= 0; i++) {
		/* Alternate two values so nothing is shared. */
		text[20] = (char)('a' + (i & 1));
		ad_of(&ad, text);
		k = reqstore_add(&s, &ad, &e);
	}
	CHECK_INT(k, -1);
	CHECK(i > 250 && i < 270);
	CHECK(strstr(err_message(&e), "REQSTORE_TEXT_MAX") != NULL);

	/* The count. */
	reqstore_init(&s);
	err_clear(&e);
	ad_of(&ad, "RequestId = \"1\"\n");
	for (i = 0; i < REQSTORE_MAX; i++)
		k = reqstore_add(&s, &ad, &e);
	CHECK_INT(k, REQSTORE_MAX - 1);
	CHECK_INT(reqstore_add(&s, &ad, &e), -1);
	CHECK(strstr(err_message(&e), "REQSTORE_MAX") != NULL);
}

int main(void)
{
	test_round_trip();
	test_unsafe_flag();
	test_bounds();
	return check_done("reqstore");
}
