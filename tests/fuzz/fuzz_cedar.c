/*
 * fuzz_cedar.c - untrusted bytes into the CEDAR receive path and the
 * handshake-ad reader: packets (plaintext, and AES-GCM after the first
 * byte's low bit says so), strings, ints, secad_get, end of message.
 * Must never crash or read out of bounds; errors are expected.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cedar.h"
#include "secad.h"

static struct cedar c;
static struct secad ad;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cedar_mem m;
	struct cedar_transport t;
	struct err e;
	uint8_t key[32] = { 0 };
	int mode;

	if (size < 1)
		return 0;
	mode = data[0];
	cedar_mem_init(&m, data + 1, size - 1, NULL, 0);
	t = cedar_mem_transport(&m);
	cedar_init(&c, &t);
	err_clear(&e);
	if (mode & 1)
		cedar_crypto_on(&c, key, &e);
	for (int i = 0; i < 8 && !cedar_failed(&c); i++) {
		switch ((mode >> 1) & 3) {
		case 0:
			if (secad_get(&c, &ad, &e) == 0)
				cedar_end_recv(&c, &e);
			break;
		case 1: {
			int64_t v;
			cedar_get_int(&c, &v, &e);
			cedar_end_recv(&c, &e);
			break;
		}
		case 2: {
			const char *s;
			size_t n;
			if (cedar_get_str_ptr(&c, &s, &n, &e) == 0 && s)
				(void)strlen(s);
			break;
		}
		default: {
			char buf[64];
			cedar_get_str(&c, buf, sizeof buf, "fuzz", &e);
			cedar_end_recv(&c, &e);
			break;
		}
		}
		if (!cedar_failed(&c))
			(void)cedar_recv_remaining(&c);
	}
	return 0;
}
