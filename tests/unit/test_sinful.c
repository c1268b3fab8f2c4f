/*
 * test_sinful.c - sinful strings: parsing every form, choosing the
 * address to dial, canonical formatting, and rejection of bad input.
 * Addresses are those of the recorded vectors (V5, V6) plus made-up ones.
 */
#include "sinful.h"
#include "check.h"

#include <string.h>

static struct sinful s, t;

static const char *fmt(const struct sinful *x)
{
	static char buf[SINFUL_MAX];
	struct err e = { 0 };
	if (sinful_format(x, buf, sizeof buf, &e) < 0)
		return "<format error>";
	return buf;
}

static int bad(const char *str, const char *needle)
{
	struct err e = { 0 };
	char buf[1024];
	if (sinful_parse(&s, str, &e) == 0) {
		fprintf(stderr, "  accepted bad sinful: %s\n", str);
		return 0;
	}
	err_text(&e, buf, sizeof buf);
	if (needle && !strstr(buf, needle)) {
		fprintf(stderr, "  error \"%s\" lacks \"%s\"\n", buf, needle);
		return 0;
	}
	return 1;
}

static void test_recorded(void)
{
	struct err e = { 0 };

	/* V5: the schedd's MyAddress */
	CHECK_INT(sinful_parse(&s, "<127.0.0.1:9620?addrs=127.0.0.1-9620&alias=vm>", &e), 0);
	CHECK_STR(s.host, "127.0.0.1");
	CHECK_INT(s.port, 9620);
	CHECK_INT(s.host_v6, 0);
	CHECK_STR(s.alias, "vm");
	CHECK_INT(s.naddrs, 1);
	CHECK_STR(s.addrs[0].ip, "127.0.0.1");
	CHECK_INT(s.addrs[0].port, 9620);
	CHECK(!(s.flags & SINFUL_HAS_SOCK));
	CHECK_STR(fmt(&s), "<127.0.0.1:9620?addrs=127.0.0.1-9620&alias=vm>");

	/* V6: shared port */
	CHECK_INT(sinful_parse(&s, "<127.0.0.1:9628?addrs=127.0.0.1-9628&alias=vm&noUDP&sock=schedd_31465_43f2>", &e), 0);
	CHECK_STR(s.sock, "schedd_31465_43f2");
	CHECK(s.flags & SINFUL_HAS_NOUDP);
	CHECK_STR(fmt(&s), "<127.0.0.1:9628?addrs=127.0.0.1-9628&alias=vm&noUDP&sock=schedd_31465_43f2>");

	/* V6: the same address in v1 form (AddressV1) */
	CHECK_INT(sinful_parse(&s, "{[ p=\"primary\"; a=\"127.0.0.1\"; port=9628; n=\"Internet\"; alias=\"vm\"; spid=\"schedd_31465_43f2\"; noUDP=true; ], [ p=\"IPv4\"; a=\"127.0.0.1\"; port=9628; n=\"Internet\"; alias=\"vm\"; spid=\"schedd_31465_43f2\"; noUDP=true; ]}", &e), 0);
	CHECK_STR(s.host, "127.0.0.1");
	CHECK_INT(s.port, 9628);
	CHECK_STR(s.sock, "schedd_31465_43f2");
	CHECK_STR(s.alias, "vm");
	CHECK_INT(s.naddrs, 1);
	CHECK_STR(fmt(&s), "<127.0.0.1:9628?addrs=127.0.0.1-9628&alias=vm&noUDP&sock=schedd_31465_43f2>");
	CHECK(err_empty(&e));
}

static void test_forms(void)
{
	struct err e = { 0 };

	CHECK_INT(sinful_parse(&s, "cm.example.org", &e), 0);
	CHECK_STR(s.host, "cm.example.org");
	CHECK_INT(s.port, -1);
	CHECK_INT(sinful_parse(&s, "cm.example.org:9619", &e), 0);
	CHECK_INT(s.port, 9619);
	CHECK_INT(sinful_parse(&s, "cm.example.org:9618?sock=collector", &e), 0);
	CHECK_STR(s.sock, "collector");
	CHECK_STR(fmt(&s), "<cm.example.org:9618?sock=collector>");
	CHECK_INT(sinful_parse(&s, "2001:db8::1", &e), 0); /* bare IPv6, no port */
	CHECK_INT(s.host_v6, 1);
	CHECK_INT(s.port, -1);
	CHECK_INT(sinful_parse(&s, "<[2001:db8::1]:9618>", &e), 0);
	CHECK_STR(s.host, "2001:db8::1");
	CHECK_INT(s.port, 9618);
	CHECK_STR(fmt(&s), "<[2001:db8::1]:9618>");
	CHECK_INT(sinful_parse(&s, "<10.0.0.1:0>", &e), 0);
	CHECK_INT(s.port, 0);

	/* every parameter, url-decoding, ';' separator, unknown params kept */
	CHECK_INT(sinful_parse(&s, "<10.0.0.1:9618?sock=startd_1_2;alias=a%2Eb.org&CCBID=<10.0.0.9:9618>#123&PrivNet=lab&PrivAddr=%3C192.168.1.5:9618%3E&zeta=1&flag&addrs=10.0.0.1-9618+[2001-db8--1]-9618>", &e), 0);
	CHECK_STR(s.alias, "a.b.org");
	CHECK_STR(s.ccbid, "<10.0.0.9:9618>#123");
	CHECK_STR(s.privnet, "lab");
	CHECK_STR(s.privaddr, "<192.168.1.5:9618>");
	CHECK_INT(s.naddrs, 2);
	CHECK_STR(s.addrs[1].ip, "2001:db8::1");
	CHECK_INT(s.addrs[1].v6, 1);
	CHECK_INT(s.addrs[1].port, 9618);
	CHECK_INT(s.nextra, 2);
	CHECK_STR(fmt(&s), "<10.0.0.1:9618?CCBID=%3C10.0.0.9:9618%3E#123&PrivAddr=%3C192.168.1.5:9618%3E&PrivNet=lab&addrs=10.0.0.1-9618+[2001-db8--1]-9618&alias=a.b.org&flag&sock=startd_1_2&zeta=1>");
	/* formatting is a fixed point */
	{
		char once[SINFUL_MAX];
		strcpy(once, fmt(&s));
		CHECK_INT(sinful_parse(&t, once, &e), 0);
		CHECK_STR(fmt(&t), once);
	}
	CHECK(err_empty(&e));
}

static void test_valid(void)
{
	CHECK(sinful_is_valid("<127.0.0.1:9618>"));
	CHECK(sinful_is_valid("<127.0.0.1:9618?sock=x>"));
	CHECK(sinful_is_valid("<[::1]:9618>"));
	CHECK(!sinful_is_valid("<cm.example.org:9618>")); /* host names are not valid sinfuls */
	CHECK(!sinful_is_valid("127.0.0.1:9618"));
	CHECK(!sinful_is_valid("<127.0.0.1>"));
	CHECK(!sinful_is_valid("<127.0.0.1:9618"));
	CHECK(!sinful_is_valid("<300.0.0.1:9618>"));
	CHECK(!sinful_is_valid("refschedd@vm"));
	CHECK(!sinful_is_valid(""));
}

static void test_choose(void)
{
	struct err e = { 0 };

	CHECK_INT(sinful_ip_desirability("8.8.8.8"), 5);
	CHECK_INT(sinful_ip_desirability("10.1.2.3"), 4);
	CHECK_INT(sinful_ip_desirability("127.0.0.1"), 2);
	CHECK_INT(sinful_ip_desirability("169.254.7.1"), 3);
	CHECK_INT(sinful_ip_desirability("169.25.7.1"), 5);
	CHECK_INT(sinful_ip_desirability("172.16.0.1"), 4);
	CHECK_INT(sinful_ip_desirability("172.32.0.1"), 5);
	CHECK_INT(sinful_ip_desirability("192.168.1.1"), 4);
	CHECK_INT(sinful_ip_desirability("172.20.0.1"), 4);
	CHECK_INT(sinful_ip_desirability("172.32.0.1"), 5);
	CHECK_INT(sinful_ip_desirability("192.168.0.1"), 4);
	CHECK_INT(sinful_ip_desirability("169.254.1.1"), 3);
	CHECK_INT(sinful_ip_desirability("127.0.0.1"), 2);
	CHECK_INT(sinful_ip_desirability("fe80::1"), 1);
	CHECK_INT(sinful_ip_desirability("::1"), 2);
	CHECK_INT(sinful_ip_desirability("fd00::5"), 4);
	CHECK_INT(sinful_ip_desirability("2001:db8::1"), 5);
	CHECK_INT(sinful_ip_desirability("host.name"), 0);

	CHECK_INT(sinful_parse(&s, "<10.0.0.1:9618?addrs=127.0.0.1-9618+10.0.0.1-9618+[2001-db8--1]-9619+8.8.8.8-9620&sock=x>", &e), 0);
	CHECK_INT(sinful_choose(&s, SINFUL_IPV4_OK | SINFUL_IPV6_OK, &t, &e), 0);
	CHECK_STR(t.host, "2001:db8::1"); /* public, first of the two public */
	CHECK_INT(t.port, 9619);
	CHECK_STR(t.sock, "x");
	CHECK_INT(sinful_choose(&s, SINFUL_IPV4_OK | SINFUL_IPV6_OK | SINFUL_PREFER_IPV4, &t, &e), 0);
	CHECK_STR(t.host, "8.8.8.8");
	CHECK_INT(t.port, 9620);
	CHECK_INT(sinful_choose(&s, SINFUL_IPV6_OK, &t, &e), 0);
	CHECK_STR(t.host, "2001:db8::1");
	CHECK_INT(sinful_parse(&s, "<[2001:db8::1]:9618?addrs=[2001-db8--1]-9618>", &e), 0);
	CHECK_INT(sinful_choose(&s, SINFUL_IPV4_OK, &t, &e), -1);
	CHECK(!err_empty(&e));
	/* without addrs the sinful is used as is */
	err_clear(&e);
	CHECK_INT(sinful_parse(&s, "<127.0.0.1:9618>", &e), 0);
	CHECK_INT(sinful_choose(&s, SINFUL_IPV4_OK, &t, &e), 0);
	CHECK_STR(fmt(&t), "<127.0.0.1:9618>");
}

static void test_bad(void)
{
	static char huge[SINFUL_MAX + 10];

	CHECK(bad("", "empty"));
	CHECK(bad(NULL, NULL));
	CHECK(bad("<127.0.0.1:9618", "'>'"));
	CHECK(bad("<>", NULL));
	CHECK(bad("<127.0.0.1:99999>", "port"));
	CHECK(bad("<127.0.0.1:96a8>", "port"));
	CHECK(bad("<[2001:db8::1:9618>", "IPv6"));
	CHECK(bad("<[zz]:9618>", "IPv6"));
	CHECK(bad("<ho st:9618>", "character"));
	CHECK(bad("<1.2.3.4:1?addrs=1.2.3.4>", "addrs"));
	CHECK(bad("<1.2.3.4:1?addrs=1.2.3.4-70000>", "addrs"));
	CHECK(bad("<1.2.3.4:1?addrs=[1-2-3-4]-5>", "addrs"));
	CHECK(bad("<1.2.3.4:1?alias=%zz>", "escape"));
	CHECK(bad("<1.2.3.4:1?alias=%4>", "escape"));
	CHECK(bad("<1.2.3.4:1?alias=%00>", "NUL"));
	CHECK(bad("<1.2.3.4:1?=x>", "empty parameter"));
	CHECK(bad("<1.2.3.4:1?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9>", "SINFUL_MAX_EXTRA"));
	CHECK(bad("<1.2.3.4:1?addrs=1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1+1.1.1.1-1>", "SINFUL_MAX_ADDRS"));
	CHECK(bad("{[ p=\"IPv4\"; a=\"1.2.3.4\"; port=1; n=\"Internet\"; ]}", "primary"));
	CHECK(bad("{[ p=\"primary\"; a=\"1.2.3.4\"; ]}", "port"));
	CHECK(bad("{[ p=\"primary\" ]", "'}'"));
	CHECK(bad("{[ p=\"primary; ]}", NULL));
	/* a v1 address with ':' that is not IPv6 (formatted, it would read
	 * back as the IPv6 host 10::962) */
	CHECK(bad("{[ p=\"primary\"; a=\"10:\"; port=962; ]}", "character"));
	memset(huge, 'a', sizeof huge - 1);
	huge[0] = '<';
	CHECK(bad(huge, "SINFUL_MAX"));
	/* a long host */
	memset(huge, 'a', 400);
	huge[0] = '<';
	strcpy(huge + 400, ":1>");
	CHECK(bad(huge, "SINFUL_HOST_MAX"));
	/* formatting into a small buffer is an error, not truncation */
	{
		struct err e = { 0 };
		char small[8];
		CHECK_INT(sinful_parse(&s, "<127.0.0.1:9618>", &e), 0);
		CHECK_INT(sinful_format(&s, small, sizeof small, &e), -1);
		CHECK_STR(small, "");
	}
	/* %-escaping three values of 500 '"' gives ~4.5 KB: parseable input,
	 * but the canonical text would be over SINFUL_MAX, which is refused */
	{
		static char in[SINFUL_MAX], out[4 * SINFUL_MAX];
		struct err e = { 0 };
		char buf[512];
		size_t n = (size_t)snprintf(in, sizeof in, "<127.0.0.1:9618");
		for (int k = 0; k < 3; k++) {
			n += (size_t)snprintf(in + n, sizeof in - n, "%ca%d=", k ? '&' : '?', k);
			memset(in + n, '"', 500);
			n += 500;
		}
		snprintf(in + n, sizeof in - n, ">");
		CHECK_INT(sinful_parse(&s, in, &e), 0);
		CHECK_INT(sinful_format(&s, out, sizeof out, &e), -1);
		CHECK(strstr(err_text(&e, buf, sizeof buf), "SINFUL_MAX") != NULL);
		CHECK_STR(out, "");
	}
}

int main(void)
{
	test_recorded();
	test_forms();
	test_valid();
	test_choose();
	test_bad();
	return check_done("test_sinful");
}
