/* needs: LEGACY
 *
 * test_cedar_legacy.c - the HTCondor 9.0-9.8 legacy stream crypto:
 * 3DES-CFB64 as data is put/read, restart at every end of message, the
 * MD5 MAC header, secrets, the 3DES key fold and wrap; tampering and bad
 * input.
 *
 * Expected bytes were computed independently with the OpenSSL 3.0 command
 * line (legacy provider):
 *   P = 000000000000002a 0000000000000006 68656c6c6f00  (int 42, "hello"
 *       in encrypted-mode string encoding)
 *   openssl enc -des-ede3-cfb -K <K> -iv 0000000000000000 < P
 *   (K || ciphertext) | openssl md5
 */
#include <stdio.h>
#include <string.h>

#include "cedar.h"
#include "check.h"
#include "port/crypto.h"

static struct cedar ca, cb; /* ~1 MiB each: static, never on the stack */
static uint8_t wire[256 * 1024];
static uint8_t wire2[64 * 1024];
static struct cedar_mem ma, mb;

static size_t hex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (h[0] && h[1] && n < cap) {
		unsigned v;
		if (h[0] == ' ') {
			h++;
			continue;
		}
		if (sscanf(h, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		h += 2;
	}
	return n;
}

static const char *KEY_HEX = "0123456789abcdeff1e0d3c2b5a49786fedcba9876543210";
static uint8_t key[24];

/* ca writes into wire; cb reads `in` and writes into wire2. */
static void setup_a(void)
{
	struct cedar_transport t;
	cedar_mem_init(&ma, NULL, 0, wire, sizeof wire);
	t = cedar_mem_transport(&ma);
	cedar_init(&ca, &t);
}
static void setup_b(const void *in, size_t n)
{
	struct cedar_transport t;
	cedar_mem_init(&mb, in, n, wire2, sizeof wire2);
	t = cedar_mem_transport(&mb);
	cedar_init(&cb, &t);
}

static int has(const struct err *e, const char *needle)
{
	char buf[1024];
	return strstr(err_text(e, buf, sizeof buf), needle) != NULL;
}

static void test_md5(void)
{
	uint8_t d[16], want[16];
	hex("900150983cd24fb0d6963f7d28e17f72", want, 16); /* RFC 1321 "abc" */
	CHECK_INT(crypto_md5("a", 1, "bc", 2, d), 0);
	CHECK_MEM(d, want, 16);
	CHECK_INT(crypto_md5("abc", 3, NULL, 0, d), 0);
	CHECK_MEM(d, want, 16);
	hex("d41d8cd98f00b204e9800998ecf8427e", want, 16); /* "" */
	CHECK_INT(crypto_md5(NULL, 0, NULL, 0, d), 0);
	CHECK_MEM(d, want, 16);
}

static void test_key_fold_and_wrap(void)
{
	uint8_t k32[32], out[24], p[22], c[22], want[22], back[22];
	size_t i;

	/* longer keys: XOR the rest onto the start */
	for (i = 0; i < 32; i++)
		k32[i] = (uint8_t)(i * 7 + 1);
	cedar_des3_key(k32, 32, out);
	for (i = 0; i < 8; i++)
		CHECK_INT(out[i], (uint8_t)(k32[i] ^ k32[24 + i]));
	CHECK_MEM(out + 8, k32 + 8, 16);
	/* 24 bytes: unchanged; shorter: repeated */
	cedar_des3_key(k32, 24, out);
	CHECK_MEM(out, k32, 24);
	cedar_des3_key(k32, 5, out);
	for (i = 0; i < 24; i++)
		CHECK_INT(out[i], k32[i % 5]);

	/* wrap == OpenSSL des-ede3-cfb from a zero IV */
	hex(KEY_HEX, key, sizeof key);
	hex("000000000000002a000000000000000668656c6c6f00", p, sizeof p);
	hex("a21de4671d4561123dd86a333b0df02b573e8a759fc3", want, sizeof want);
	CHECK_INT(cedar_des3_wrap(key, 24, 1, p, c, sizeof p), 0);
	CHECK_MEM(c, want, sizeof want);
	CHECK_INT(cedar_des3_wrap(key, 24, 0, c, back, sizeof c), 0);
	CHECK_MEM(back, p, sizeof p);
	/* every wrap starts from a zero IV again */
	CHECK_INT(cedar_des3_wrap(key, 24, 1, p, c, sizeof p), 0);
	CHECK_MEM(c, want, sizeof want);
	/* a 32-byte wrap key (TOKEN's W) is folded: K || 1122334455667788
	 * -> key 10017623dccdba67 f1e0... */
	memcpy(k32, key, 24);
	hex("1122334455667788", k32 + 24, 8);
	hex("ce3127c54c488f94a9e5a912062c8554321e4db8105c", want, sizeof want);
	CHECK_INT(cedar_des3_wrap(k32, 32, 1, p, c, sizeof p), 0);
	CHECK_MEM(c, want, sizeof want);
	/* in place */
	CHECK_INT(cedar_des3_wrap(k32, 32, 0, c, c, sizeof c), 0);
	CHECK_MEM(c, p, sizeof p);
	/* no key */
	CHECK_INT(cedar_des3_wrap(k32, 0, 1, p, c, sizeof p), -1);
}

/* int 42, "hello", EOM under encryption + MAC: the exact packet. */
static void test_packet_bytes(void)
{
	struct err e;
	uint8_t want[43];
	err_clear(&e);
	hex(KEY_HEX, key, sizeof key);
	hex("01 00000016 cd087252597c6ee081121a5928c0a25b"
	    "a21de4671d4561123dd86a333b0df02b573e8a759fc3",
	    want, sizeof want);

	setup_a();
	CHECK_INT(cedar_legacy_on(&ca, key, 24, 1, 1, &e), 0);
	CHECK_INT(cedar_legacy_active(&ca), 1);
	CHECK_INT(cedar_encrypting(&ca), 1);
	CHECK_INT(cedar_crypto_active(&ca), 0);
	CHECK_INT(cedar_put_int(&ca, 42, &e), 0);
	CHECK_INT(cedar_put_str(&ca, "hello", &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 43);
	CHECK_MEM(wire, want, 43);
	/* EOM restarted the cipher: the same message gives the same bytes */
	CHECK_INT(cedar_put_int(&ca, 42, &e), 0);
	CHECK_INT(cedar_put_str(&ca, "hello", &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 86);
	CHECK_MEM(wire + 43, want, 43);
	CHECK(err_empty(&e));

	/* the reader: both messages decode (its cipher restarts at EOM too) */
	setup_b(wire, 86);
	CHECK_INT(cedar_legacy_on(&cb, key, 24, 1, 1, &e), 0);
	for (int m = 0; m < 2; m++) {
		int64_t v = 0;
		char s[16] = "";
		CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
		CHECK_INT(v, 42);
		CHECK_INT(cedar_get_str(&cb, s, sizeof s, "greeting", &e), 0);
		CHECK_STR(s, "hello");
		CHECK_INT(cedar_end_recv(&cb, &e), 0);
	}
	CHECK(err_empty(&e));

	/* encryption without the MAC: 5-byte header, same ciphertext */
	setup_a();
	CHECK_INT(cedar_legacy_on(&ca, key, 24, 1, 0, &e), 0);
	CHECK_INT(cedar_put_int(&ca, 42, &e), 0);
	CHECK_INT(cedar_put_str(&ca, "hello", &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 27);
	CHECK_MEM(wire, want, 5);
	CHECK_MEM(wire + 5, want + 21, 22);
}

/* MAC without encryption: plaintext payload (strings NUL-terminated),
 * MAC = MD5(key || payload). */
static void test_md_only(void)
{
	struct err e;
	uint8_t mac[16];
	static const uint8_t pay[] = { 0, 0, 0, 0, 0, 0, 0, 42, 'h', 'i', 0 };
	int64_t v;
	char s[8];

	err_clear(&e);
	hex(KEY_HEX, key, sizeof key);
	setup_a();
	CHECK_INT(cedar_legacy_on(&ca, key, 24, 0, 1, &e), 0);
	CHECK_INT(cedar_encrypting(&ca), 0);
	CHECK_INT(cedar_put_int(&ca, 42, &e), 0);
	CHECK_INT(cedar_put_str(&ca, "hi", &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 21 + sizeof pay);
	CHECK_INT(wire[0], 1);
	CHECK_INT(wire[4], sizeof pay);
	CHECK_MEM(wire + 21, pay, sizeof pay);
	CHECK_INT(crypto_md5(key, 24, pay, sizeof pay, mac), 0);
	CHECK_MEM(wire + 5, mac, 16);

	setup_b(wire, ma.out_len);
	CHECK_INT(cedar_legacy_on(&cb, key, 24, 0, 1, &e), 0);
	CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
	CHECK_INT(v, 42);
	CHECK_INT(cedar_get_str(&cb, s, sizeof s, "s", &e), 0);
	CHECK_STR(s, "hi");
	CHECK_INT(cedar_end_recv(&cb, &e), 0);

	/* the MAC covers the whole session key: a 32-byte key is MACed with
	 * all 32 bytes, while 3DES uses the folded 24 */
	{
		uint8_t k32[32];
		for (int i = 0; i < 32; i++)
			k32[i] = (uint8_t)(0xa0 + i);
		setup_a();
		CHECK_INT(cedar_legacy_on(&ca, k32, 32, 0, 1, &e), 0);
		CHECK_INT(cedar_put_int(&ca, 42, &e), 0);
		CHECK_INT(cedar_put_str(&ca, "hi", &e), 0);
		CHECK_INT(cedar_end_send(&ca, &e), 0);
		CHECK_INT(crypto_md5(k32, 32, pay, sizeof pay, mac), 0);
		CHECK_MEM(wire + 5, mac, 16);
	}
}

/* Messages larger than one packet: 4075-byte MAC packets, each MACed. */
static void test_multi_packet(void)
{
	static uint8_t big[10000], back[10000];
	struct err e;
	size_t off = 0, npk = 0;

	err_clear(&e);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 31 + 7);
	hex(KEY_HEX, key, sizeof key);
	setup_a();
	CHECK_INT(cedar_legacy_on(&ca, key, 24, 1, 1, &e), 0);
	CHECK_INT(cedar_put_bytes(&ca, big, sizeof big, &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	while (off < ma.out_len) {
		size_t len = (size_t)wire[off + 1] << 24 | (size_t)wire[off + 2] << 16 |
		             (size_t)wire[off + 3] << 8 | wire[off + 4];
		uint8_t mac[16];
		CHECK_INT(crypto_md5(key, 24, wire + off + 21, len, mac), 0);
		CHECK_MEM(wire + off + 5, mac, 16);
		if (npk < 2) {
			CHECK_INT(len, CEDAR_MD_SEND_CHUNK);
			CHECK_INT(wire[off], 0);
		} else {
			CHECK_INT(len, sizeof big - 2 * CEDAR_MD_SEND_CHUNK);
			CHECK_INT(wire[off], 1);
		}
		off += 21 + len;
		npk++;
	}
	CHECK_INT(npk, 3);
	CHECK_INT(off, ma.out_len);
	/* the cipher runs across packet boundaries within the message */
	CHECK(memcmp(wire + 21, big, 64) != 0);

	setup_b(wire, ma.out_len);
	CHECK_INT(cedar_legacy_on(&cb, key, 24, 1, 1, &e), 0);
	CHECK_INT(cedar_get_bytes(&cb, back, sizeof back, &e), 0);
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
	CHECK_MEM(back, big, sizeof big);
	CHECK(err_empty(&e));
}

/* Secrets with the mode off: only that string is encrypted. */
static void test_secret(void)
{
	struct err e;
	uint8_t want[15];
	char s[16];

	err_clear(&e);
	hex(KEY_HEX, key, sizeof key);
	/* int 7, "secret\0" under 3DES from a zero IV */
	hex("a21de4671d45613f60485454c02a74", want, sizeof want);
	setup_a();
	CHECK_INT(cedar_legacy_on(&ca, key, 24, 0, 0, &e), 0);
	CHECK_INT(cedar_put_str(&ca, "ZKM", &e), 0);
	CHECK_INT(cedar_put_secret(&ca, "secret", &e), 0);
	CHECK_INT(cedar_encrypting(&ca), 0); /* mode restored */
	CHECK_INT(cedar_put_str(&ca, "after", &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 5 + 4 + 15 + 6);
	CHECK_MEM(wire + 5, "ZKM", 4);
	CHECK_MEM(wire + 9, want, 15);
	CHECK_MEM(wire + 24, "after", 6);

	setup_b(wire, ma.out_len);
	CHECK_INT(cedar_legacy_on(&cb, key, 24, 0, 0, &e), 0);
	CHECK_INT(cedar_get_str(&cb, s, sizeof s, "marker", &e), 0);
	CHECK_STR(s, "ZKM");
	CHECK_INT(cedar_get_secret(&cb, s, sizeof s, "secret", &e), 0);
	CHECK_STR(s, "secret");
	CHECK_INT(cedar_get_str(&cb, s, sizeof s, "after", &e), 0);
	CHECK_STR(s, "after");
	CHECK_INT(cedar_end_recv(&cb, &e), 0);

	/* without any key a secret is plain */
	setup_a();
	CHECK_INT(cedar_put_secret(&ca, "x", &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 7);
	CHECK_MEM(wire + 5, "x", 2);

	/* set_encrypt toggles the default mode */
	setup_a();
	CHECK_INT(cedar_legacy_set_encrypt(&ca, 1), -1); /* no key */
	CHECK_INT(cedar_legacy_on(&ca, key, 24, 0, 0, &e), 0);
	CHECK_INT(cedar_legacy_set_encrypt(&ca, 1), 0);
	CHECK_INT(cedar_encrypting(&ca), 1);
	CHECK_INT(cedar_put_str(&ca, "secret", &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_MEM(wire + 5, want, 15);
	CHECK(err_empty(&e));
}

/* Tampering, wrong keys, misuse and hostile input. */
static void test_bad(void)
{
	struct err e;
	uint8_t msg[43], bad[43], k2[24];
	int64_t v;
	char s[16];

	hex(KEY_HEX, key, sizeof key);
	hex("01 00000016 cd087252597c6ee081121a5928c0a25b"
	    "a21de4671d4561123dd86a333b0df02b573e8a759fc3",
	    msg, sizeof msg);

	/* one flipped ciphertext bit: the MAC catches it */
	memcpy(bad, msg, sizeof bad);
	bad[30] ^= 0x01;
	err_clear(&e);
	setup_b(bad, sizeof bad);
	CHECK_INT(cedar_legacy_on(&cb, key, 24, 1, 1, &e), 0);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(has(&e, "MAC verification failed"));
	CHECK_INT(cedar_failed(&cb), 1);

	/* a flipped MAC bit */
	memcpy(bad, msg, sizeof bad);
	bad[5] ^= 0x80;
	err_clear(&e);
	setup_b(bad, sizeof bad);
	CHECK_INT(cedar_legacy_on(&cb, key, 24, 1, 1, &e), 0);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(has(&e, "MAC verification failed"));

	/* the wrong session key */
	memcpy(k2, key, 24);
	k2[23] ^= 1;
	err_clear(&e);
	setup_b(msg, sizeof msg);
	CHECK_INT(cedar_legacy_on(&cb, k2, 24, 1, 1, &e), 0);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(has(&e, "MAC verification failed"));

	/* without the MAC a flipped bit goes undetected by the stream (CFB
	 * garbles that byte and the next block): the value changes */
	{
		uint8_t plain[27];
		memcpy(plain, msg, 5);
		memcpy(plain + 5, msg + 21, 22);
		plain[5 + 7] ^= 0x01; /* last byte of the int */
		err_clear(&e);
		setup_b(plain, sizeof plain);
		CHECK_INT(cedar_legacy_on(&cb, key, 24, 1, 0, &e), 0);
		CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
		CHECK_INT(v, 42 ^ 1);
	}

	/* a 5-byte header where the MAC header is expected: the stream runs
	 * out reading the MAC, a clean error */
	{
		uint8_t shortpk[9] = { 1, 0, 0, 0, 4, 1, 2, 3, 4 };
		err_clear(&e);
		setup_b(shortpk, sizeof shortpk);
		CHECK_INT(cedar_legacy_on(&cb, key, 24, 1, 1, &e), 0);
		CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
		CHECK(has(&e, "MAC"));
	}

	/* an encrypted string whose length decrypts to garbage: refused by
	 * the string bound, not read past the message */
	{
		uint8_t pk[5 + 9];
		pk[0] = 1;
		pk[1] = pk[2] = pk[3] = 0;
		pk[4] = 9;
		memset(pk + 5, 0xee, 9);
		err_clear(&e);
		setup_b(pk, sizeof pk);
		CHECK_INT(cedar_legacy_on(&cb, key, 24, 1, 0, &e), 0);
		CHECK_INT(cedar_get_str(&cb, s, sizeof s, "s", &e), -1);
		CHECK(has(&e, "string length") || has(&e, "Message too short"));
	}

	/* key length bounds */
	err_clear(&e);
	setup_a();
	CHECK_INT(cedar_legacy_on(&ca, key, 0, 1, 1, &e), -1);
	CHECK(has(&e, "CEDAR_LEGACY_KEY_MAX"));
	{
		uint8_t k40[40] = { 0 };
		err_clear(&e);
		CHECK_INT(cedar_legacy_on(&ca, k40, sizeof k40, 1, 1, &e), -1);
		CHECK(has(&e, "CEDAR_LEGACY_KEY_MAX"));
		CHECK_INT(cedar_legacy_active(&ca), 0);
	}

	/* not twice, not mixed with AES-GCM, not mid-message */
	{
		uint8_t k32[32] = { 1 };
		err_clear(&e);
		setup_a();
		CHECK_INT(cedar_legacy_on(&ca, key, 24, 1, 1, &e), 0);
		CHECK_INT(cedar_legacy_on(&ca, key, 24, 1, 1, &e), -1);
		CHECK_INT(cedar_crypto_on(&ca, k32, &e), -1);
		CHECK(has(&e, "already on"));
		err_clear(&e);
		setup_a();
		CHECK_INT(cedar_crypto_on(&ca, k32, &e), 0);
		CHECK_INT(cedar_legacy_on(&ca, key, 24, 1, 1, &e), -1);
		CHECK(has(&e, "already on"));
		/* set_encrypt is a harmless no-op under AES-GCM */
		CHECK_INT(cedar_legacy_set_encrypt(&ca, 0), 0);
		CHECK_INT(cedar_encrypting(&ca), 1);
		err_clear(&e);
		setup_a();
		CHECK_INT(cedar_put_int(&ca, 1, &e), 0);
		CHECK_INT(cedar_legacy_on(&ca, key, 24, 1, 1, &e), -1);
		CHECK(has(&e, "middle of a message"));
	}

	/* cedar_close wipes the key */
	err_clear(&e);
	setup_a();
	CHECK_INT(cedar_legacy_on(&ca, key, 24, 1, 1, &e), 0);
	cedar_close(&ca);
	{
		static const uint8_t zero[CEDAR_LEGACY_KEY_MAX];
		CHECK_MEM(ca.legacy.key, zero, sizeof zero);
		CHECK_INT(cedar_legacy_active(&ca), 0);
	}
}

/* Both ends over one buffer: a request/reply exchange in both modes. */
static void test_round_trips(void)
{
	for (int mode = 0; mode < 4; mode++) {
		int enc = mode & 1, md = (mode >> 1) & 1;
		struct err e;
		char s[64];
		int64_t v;
		double d;

		err_clear(&e);
		hex(KEY_HEX, key, sizeof key);
		setup_a();
		CHECK_INT(cedar_legacy_on(&ca, key, 24, enc, md, &e), 0);
		for (int m = 0; m < 3; m++) {
			char t[32];
			snprintf(t, sizeof t, "message %d", m);
			CHECK_INT(cedar_put_int(&ca, -m, &e), 0);
			CHECK_INT(cedar_put_str(&ca, t, &e), 0);
			CHECK_INT(cedar_put_double(&ca, 1.5 * m, &e), 0);
			CHECK_INT(cedar_end_send(&ca, &e), 0);
		}
		setup_b(wire, ma.out_len);
		CHECK_INT(cedar_legacy_on(&cb, key, 24, enc, md, &e), 0);
		for (int m = 0; m < 3; m++) {
			char t[32];
			snprintf(t, sizeof t, "message %d", m);
			CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
			CHECK_INT(v, -m);
			CHECK_INT(cedar_get_str(&cb, s, sizeof s, "s", &e), 0);
			CHECK_STR(s, t);
			CHECK_INT(cedar_get_double(&cb, &d, &e), 0);
			CHECK(d > 1.5 * m - 1e-6 && d < 1.5 * m + 1e-6); /* ~31-bit mantissa */
			CHECK_INT(cedar_end_recv(&cb, &e), 0);
		}
		CHECK(err_empty(&e));
	}
}

int main(void)
{
	test_md5();
	test_key_fold_and_wrap();
	test_packet_bytes();
	test_md_only();
	test_multi_packet();
	test_secret();
	test_bad();
	test_round_trips();
	return check_done("cedar_legacy");
}
