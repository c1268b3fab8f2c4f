/*
 * bench_classad.c - ClassAd parse + print throughput on realistic ads.
 *
 * Builds three ads in old syntax: a token request as LIST returns it, a
 * client security-policy ad, and a busy schedd's collector ad (~300
 * attributes, ~64 KiB: strings, integers, reals, booleans, expressions,
 * lists).  For each it times classad_parse_old + classad_print (old form)
 * and classad_print JSON, and reports MB/s of ad text.  No assertions on
 * speed; it exits non-zero only if parsing fails.
 */
#include "classad.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static unsigned char arena[CLASSAD_ARENA_BYTES];
static char text[256 * 1024];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t add(size_t n, const char *fmt, const char *name, unsigned i)
{
	int w = snprintf(text + n, sizeof text - n, fmt, name, i, i, i);
	return w > 0 ? n + (size_t)w : n;
}

static size_t build_request(void)
{
	const char *t = "ClientId = \"vm-14\"\nRequestId = \"9242885\"\nPeerLocation = \"127.0.0.1\"\n"
	                "TokenLifetime = 4242\nRequestedIdentity = \"q\\\"uo\\te \xc3\xbc@refpool.local\"\n"
	                "LimitAuthorization = \"READ,WRITE\"\nAuthenticatedIdentity = \"unauthenticated@unmapped\"\n";
	strcpy(text, t);
	return strlen(t);
}

static size_t build_policy(void)
{
	const char *t =
		"Enact = \"NO\"\nCommand = 60049\nSubsystem = \"TOOL\"\nServerPid = 4009\n"
		"AuthMethods = \"FS,TOKEN,SSL\"\nIntegrity = \"REQUIRED\"\nEncryption = \"REQUIRED\"\n"
		"NewSession = \"YES\"\nSessionDuration = \"60\"\nSessionLease = 3600\n"
		"CryptoMethods = \"AES,BLOWFISH,3DES\"\nAuthentication = \"REQUIRED\"\n"
		"ConnectSinful = \"<127.0.0.1:9618>\"\nOutgoingNegotiation = \"REQUIRED\"\n"
		"RemoteVersion = \"$CondorVersion: 25.14.0 2026-11-30 PRE-RELEASE-UWCS $\"\n"
		"TrustDomain = \"refpool.local\"\nNegotiatedSession = true\n"
		"ECDHPublicKey = \"BACd2U67+PUJGlnkN+yuaOc1/bk8uYedXhQUeVY+rBkG3ocYA3ITriYjHv9MSu1XhSnOwADl97lutu26rU9QaLs=\"\n";
	strcpy(text, t);
	return strlen(t);
}

static size_t build_schedd(void)
{
	static const char *const kinds[] = {
		"%sStr%u = \"<127.0.0.1:9620?addrs=127.0.0.1-9620&alias=vm&noUDP&sock=schedd_%u_43f2> some more text to make it %u bytes\"\n",
		"%sInt%u = %u%u\n",
		"%sReal%u = %u.%u5\n",
		"%sBool%u = true\n",
		"%sExpr%u = (TotalRunningJobs > %u) && (MY.Slot%u =?= undefined || TARGET.Memory >= %u)\n",
		"%sList%u = { \"a%u\",\"b%u\",%u }\n",
	};
	size_t n = 0;
	unsigned i;

	for (i = 0; i < 300; i++) {
		n = add(n, kinds[i % 6], i % 2 ? "Schedd" : "Num", i);
		/* every sixth attribute is a long string (config dumps,
		 * submitter lists, ...) so the ad reaches ~64 KiB */
		if (i % 6 == 0) {
			unsigned k;
			n += (size_t)snprintf(text + n, sizeof text - n, "Long%u = \"", i);
			for (k = 0; k < 24; k++)
				n += (size_t)snprintf(text + n, sizeof text - n, "user%u@pool.example.org,", k);
			n += (size_t)snprintf(text + n, sizeof text - n, "end\"\n");
		}
	}
	n = add(n, "%sAddressV1 = \"{[ p=\\\"primary\\\"; a=\\\"127.0.0.1\\\"; port=9620; ], [ p=\\\"IPv4\\\" ]}\"\n", "", 0);
	return n;
}

static int null_write(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

static int run(const char *label, size_t len)
{
	struct classad ad;
	struct err e = { 0 };
	struct classad_sink s = { null_write, NULL };
	double t0, t1, t2, mb;
	unsigned iters = (unsigned)(50u * 1024 * 1024 / (len + 1)) + 1, i;

	classad_init(&ad, arena, sizeof arena);
	if (classad_parse_old(&ad, text, len, &e) != 0) {
		fprintf(stderr, "bench_classad: %s does not parse\n", label);
		return 1;
	}
	t0 = now();
	for (i = 0; i < iters; i++) {
		classad_clear(&ad);
		classad_parse_old(&ad, text, len, &e);
		classad_print(&ad, CLASSAD_FORM_OLD, 0, &s, &e);
	}
	t1 = now();
	for (i = 0; i < iters; i++)
		classad_print(&ad, CLASSAD_FORM_JSON, CLASSAD_PRINT_SAFE, &s, &e);
	t2 = now();
	mb = (double)len * iters / (1024.0 * 1024.0);
	printf("bench_classad: %-8s %3u attrs %6zu bytes: parse+print %7.1f MB/s, json(safe) %7.1f MB/s\n",
	       label, classad_count(&ad), len, mb / (t1 - t0), mb / (t2 - t1));
	return 0;
}

int main(void)
{
	int rc = 0;

	rc |= run("request", build_request());
	rc |= run("policy", build_policy());
	rc |= run("schedd", build_schedd());
	return rc;
}
