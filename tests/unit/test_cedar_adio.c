/*
 * test_cedar_adio.c - ClassAds through the CEDAR stream (struct classad_io).
 */
#include <string.h>

#include "cedar.h"
#include "cedar_adio.h"
#include "check.h"
#include "classad.h"

static struct cedar ca, cb;
static uint8_t wire[65536];
static char arena1[256 * 1024], arena2[256 * 1024];
static struct classad ad1, ad2;

int main(void)
{
	struct cedar_mem ma, mb;
	struct cedar_transport t;
	struct cedar_adio xa, xb;
	struct classad_io ioa, iob;
	struct err e;
	uint8_t key[32];
	char s[64];
	int64_t v;
	static const uint8_t spec72[] = {
		0x01, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 1, 'R', 'e', 'q', 'u', 'e', 's', 't', 'I', 'd',
		' ', '=', ' ', '"', '0', '1', '2', '3', '4', '5', '6', '"', 0, 0, 0
	};

	err_clear(&e);
	memset(key, 7, sizeof key);
	CHECK_INT(classad_init(&ad1, arena1, sizeof arena1), 0);
	CHECK_INT(classad_init(&ad2, arena2, sizeof arena2), 0);

	/* cedar.md §7.2: a one-attribute ad in plaintext mode */
	cedar_mem_init(&ma, NULL, 0, wire, sizeof wire);
	t = cedar_mem_transport(&ma);
	cedar_init(&ca, &t);
	cedar_classad_io(&xa, &ca, &e, &ioa);
	CHECK_INT(classad_set_string(&ad1, "RequestId", "0123456", &e), 0);
	CHECK_INT(classad_put(&ad1, &ioa, 0, NULL, 0, &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, sizeof spec72);
	CHECK_MEM(wire, spec72, sizeof spec72);

	/* encrypted round trip, then a line over the reader's bound */
	cedar_mem_init(&ma, NULL, 0, wire, sizeof wire);
	t = cedar_mem_transport(&ma);
	cedar_init(&ca, &t);
	cedar_classad_io(&xa, &ca, &e, &ioa);
	CHECK_INT(cedar_crypto_on(&ca, key, &e), 0);
	CHECK_INT(classad_set_int(&ad1, "ErrorCode", 42, &e), 0);
	CHECK_INT(classad_put(&ad1, &ioa, 0, NULL, 0, &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);

	cedar_mem_init(&mb, wire, ma.out_len, NULL, 0);
	t = cedar_mem_transport(&mb);
	cedar_init(&cb, &t);
	cedar_classad_io(&xb, &cb, &e, &iob);
	CHECK_INT(cedar_crypto_on(&cb, key, &e), 0);
	CHECK_INT(classad_get(&ad2, &iob, 0, &e), 0);
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
	CHECK(classad_get_string(&ad2, "RequestId", s, sizeof s, NULL) >= 0);
	CHECK_STR(s, "0123456");
	CHECK(classad_get_int(&ad2, "ErrorCode", &v) >= 0);
	CHECK_INT(v, 42);
	CHECK(err_empty(&e));
	return check_done("test_cedar_adio");
}
