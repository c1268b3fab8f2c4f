/*
 * fuzz_cedar_legacy.c - untrusted bytes into the legacy (HTCondor 9.0-9.8)
 * receive path: 3DES-CFB decryption as values are read, the 21-byte MD5
 * MAC header, secrets, end of message.  The first input byte picks the
 * modes (bit 0 encryption, bit 1 MAC, bits 2-3 what to read); the MAC key
 * is fixed, so the corpus can carry packets that pass it.  Must never
 * crash or read out of bounds; errors are expected.
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
	static const uint8_t key[24] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		                         0xf1, 0xe0, 0xd3, 0xc2, 0xb5, 0xa4, 0x97, 0x86,
		                         0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };
	struct cedar_mem m;
	struct cedar_transport t;
	struct err e;
	int mode;

	if (size < 1)
		return 0;
	mode = data[0];
	cedar_mem_init(&m, data + 1, size - 1, NULL, 0);
	t = cedar_mem_transport(&m);
	cedar_init(&c, &t);
	err_clear(&e);
	if (cedar_legacy_on(&c, key, sizeof key, mode & 1, (mode >> 1) & 1, &e) != 0)
		return 0;
	for (int i = 0; i < 8 && !cedar_failed(&c); i++) {
		switch ((mode >> 2) & 3) {
		case 0:
			if (secad_get(&c, &ad, &e) == 0)
				cedar_end_recv(&c, &e);
			break;
		case 1: {
			int64_t v;
			double d;
			cedar_get_int(&c, &v, &e);
			cedar_get_double(&c, &d, &e);
			cedar_end_recv(&c, &e);
			break;
		}
		case 2: {
			char buf[64];
			cedar_get_secret(&c, buf, sizeof buf, "fuzz secret", &e);
			cedar_end_recv(&c, &e);
			break;
		}
		default: {
			char buf[64];
			cedar_get_str(&c, buf, sizeof buf, "fuzz", &e);
			cedar_end_recv(&c, &e);
			break;
		}
		}
	}
	return 0;
}
