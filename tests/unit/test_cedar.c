/*
 * test_cedar.c - CEDAR framing, primitives, end-of-message rules, AES-GCM.
 */
#include <stdlib.h>
#include <string.h>

#include "cedar.h"
#include "check.h"
#include "port/port.h"

static struct cedar ca, cb; /* ~1 MiB each: static, never on the stack */
static uint8_t wire[3 * 1024 * 1024];
static uint8_t wire2[64 * 1024];

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;
	while (h[0] && h[1]) {
		if (h[0] == ' ') {
			h++;
			continue;
		}
		unsigned v;
		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
		h += 2;
	}
	return n;
}

/* Set up ca to write into `wire` and read from `in`. */
static struct cedar_mem ma, mb;
static void setup_a(const void *in, size_t in_len)
{
	struct cedar_transport t;
	cedar_mem_init(&ma, in, in_len, wire, sizeof wire);
	t = cedar_mem_transport(&ma);
	cedar_init(&ca, &t);
}
static void setup_b(const void *in, size_t in_len)
{
	struct cedar_transport t;
	cedar_mem_init(&mb, in, in_len, wire2, sizeof wire2);
	t = cedar_mem_transport(&mb);
	cedar_init(&cb, &t);
}

static void test_int_message(void)
{
	struct err e;
	uint8_t want[13];
	err_clear(&e);
	setup_a(NULL, 0);
	CHECK_INT(cedar_put_int(&ca, 2052, &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 13);
	unhex("01 00000008 0000000000000804", want);
	CHECK_MEM(wire, want, 13);

	/* negative ints are sign-extended to 8 bytes */
	setup_a(NULL, 0);
	cedar_put_int(&ca, -1, &e);
	cedar_end_send(&ca, &e);
	unhex("01 00000008 ffffffffffffffff", want);
	CHECK_MEM(wire, want, 13);
}

static void test_ad_plain_and_encrypted_strings(void)
{
	struct err e;
	uint8_t want[64];
	size_t n;
	err_clear(&e);
	setup_a(NULL, 0);
	cedar_put_int(&ca, 1, &e);
	cedar_put_str(&ca, "RequestId = \"0123456\"", &e);
	cedar_put_str(&ca, "", &e);
	cedar_put_str(&ca, NULL, &e); /* NULL goes out as "" */
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	n = unhex("0100000020 0000000000000001"
	          "52657175657374496420 3d 2022303132333435362200 00 00",
	          want);
	CHECK_INT(n, 37);
	CHECK_INT(ma.out_len, 37);
	CHECK_MEM(wire, want, 37);

	/* and read it back */
	setup_b(wire, ma.out_len);
	{
		int64_t v;
		char s[64];
		const char *p;
		size_t l;
		CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
		CHECK_INT(v, 1);
		CHECK_INT(cedar_get_str(&cb, s, sizeof s, "attr", &e), 0);
		CHECK_STR(s, "RequestId = \"0123456\"");
		CHECK_INT(cedar_get_str_ptr(&cb, &p, &l, &e), 0);
		CHECK(p && l == 0);
		CHECK_INT(cedar_recv_remaining(&cb), 1);
		CHECK_INT(cedar_get_str_ptr(&cb, &p, &l, &e), 0);
		CHECK_INT(cedar_end_recv(&cb, &e), 0);
	}
}

static void test_doubles(void)
{
	struct err e;
	uint8_t want[16];
	double d;
	err_clear(&e);
	setup_a(NULL, 0);
	cedar_put_double(&ca, 1.5, &e);
	cedar_put_double(&ca, -0.1, &e);
	cedar_end_send(&ca, &e);
	unhex("000000005fffffff0000000000000001", want);
	CHECK_MEM(wire + 5, want, 16);
	unhex("ffffffff9999999bfffffffffffffffd", want);
	CHECK_MEM(wire + 21, want, 16);
	setup_b(wire, ma.out_len);
	CHECK_INT(cedar_get_double(&cb, &d, &e), 0);
	CHECK(d > 1.4999999 && d < 1.5000001);
	CHECK_INT(cedar_get_double(&cb, &d, &e), 0);
	CHECK(d < -0.0999999 && d > -0.1000001);
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
}

/* Packets of 4091 bytes, end flag only on the last; exact multiples end with
 * a full packet, never an empty one. */
static void test_chunking(void)
{
	static uint8_t big[4091 * 3];
	struct err e;
	err_clear(&e);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 7);

	setup_a(NULL, 0);
	CHECK_INT(cedar_put_bytes(&ca, big, 4091 * 2 + 10, &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 3 * 5 + 4091 * 2 + 10);
	CHECK_INT(wire[0], 0);
	CHECK_INT(wire[1] << 24 | wire[2] << 16 | wire[3] << 8 | wire[4], 4091);
	CHECK_INT(wire[5 + 4091], 0);
	CHECK_INT(wire[2 * (5 + 4091)], 1);
	CHECK_INT(wire[2 * (5 + 4091) + 4], 10);

	setup_a(NULL, 0);
	CHECK_INT(cedar_put_bytes(&ca, big, 4091 * 2, &e), 0);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 2 * (5 + 4091));
	CHECK_INT(wire[5 + 4091], 1);

	/* receive across packet boundaries: values straddle packets */
	setup_b(NULL, 0);
	{
		uint8_t back[4091 * 2];
		setup_b(wire, ma.out_len);
		CHECK_INT(cedar_get_bytes(&cb, back, 4000, &e), 0);
		CHECK_INT(cedar_get_bytes(&cb, back + 4000, sizeof back - 4000, &e), 0);
		CHECK_MEM(back, big, sizeof back);
		CHECK_INT(cedar_end_recv(&cb, &e), 0);
	}

	/* a custom chunk size: one big packet */
	setup_a(NULL, 0);
	CHECK_INT(cedar_set_send_chunk(&ca, 10000), 0);
	CHECK_INT(cedar_set_send_chunk(&ca, CEDAR_SEND_CHUNK_MAX + 1), -1);
	cedar_put_bytes(&ca, big, 9000, &e);
	cedar_end_send(&ca, &e);
	CHECK_INT(ma.out_len, 9005);
	CHECK_INT(wire[0], 1);
}

static void test_eom_rules(void)
{
	struct err e;
	uint8_t in[64];
	size_t n;
	int64_t v;

	err_clear(&e);
	setup_a(NULL, 0);
	CHECK_INT(cedar_end_send(&ca, &e), -1);
	CHECK_INT(err_code(&e), CEDAR_ERR_EOM_FAILED);
	CHECK_INT(ma.out_len, 0);

	err_clear(&e);
	setup_a(NULL, 0);
	cedar_allow_empty(&ca);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 0);
	CHECK_INT(cedar_end_send(&ca, &e), -1); /* only once */

	/* unconsumed bytes make the receive EOM fail */
	err_clear(&e);
	n = unhex("0100000010 0000000000000001 0000000000000002", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
	CHECK_INT(cedar_end_recv(&cb, &e), -1);
	CHECK_INT(err_code(&e), CEDAR_ERR_EOM_FAILED);
	CHECK(strstr(err_message(&e), "8 untouched") != NULL);
	CHECK(cedar_failed(&cb));

	/* reading past the end of the message */
	err_clear(&e);
	setup_b(in, n);
	CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
	CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
	CHECK_INT(v, 2);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK_INT(err_code(&e), CEDAR_ERR_GET_FAILED);

	/* two messages back to back */
	err_clear(&e);
	n = unhex("0100000008 0000000000000007 0a00000008 0000000000000009", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
	CHECK_INT(v, 7);
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
	CHECK_INT(cedar_get_int(&cb, &v, &e), 0); /* end flag 10 is also "end" */
	CHECK_INT(v, 9);
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
	/* then the peer closes */
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(cb.closed);
}

static void test_bad_input(void)
{
	struct err e;
	uint8_t in[64];
	size_t n;
	int64_t v;
	char s[8];

	/* zero-length packet */
	err_clear(&e);
	n = unhex("0100000000", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(strstr(err_message(&e), "improperly sized") != NULL);

	/* oversized packet */
	err_clear(&e);
	n = unhex("0100100001 00", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(strstr(err_message(&e), "CEDAR_MAX_PACKET") != NULL);

	/* bad end flag */
	err_clear(&e);
	n = unhex("0b00000008 0000000000000001", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(strstr(err_message(&e), "unrecognized") != NULL);

	/* truncated header and payload: the peer hung up */
	err_clear(&e);
	n = unhex("010000", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(cb.closed);
	err_clear(&e);
	n = unhex("0100000008 00000000", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK(cb.closed);
	CHECK(strstr(err_message(&e), "closed") != NULL);

	/* a string without NUL */
	err_clear(&e);
	n = unhex("0100000003 414243", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_str(&cb, s, sizeof s, "x", &e), -1);

	/* a string longer than the caller's bound names the bound */
	err_clear(&e);
	n = unhex("010000000a 414243444546474849 00", in);
	setup_b(in, n);
	CHECK_INT(cedar_get_str(&cb, s, sizeof s, "the test name", &e), -1);
	CHECK(strstr(err_message(&e), "the test name") != NULL);
	CHECK(strstr(err_message(&e), "limit 7") != NULL);

	/* the NULL string (0xff) */
	err_clear(&e);
	n = unhex("0100000001 ff", in);
	setup_b(in, n);
	{
		const char *p = "x";
		CHECK_INT(cedar_get_str_ptr(&cb, &p, NULL, &e), 0);
		CHECK(p == NULL);
		CHECK_INT(cedar_end_recv(&cb, &e), 0);
	}

	/* a message that grows past CEDAR_MAX_MESSAGE */
	{
		static uint8_t huge[2 * (5 + 600000)];
		size_t off = 0;
		for (int k = 0; k < 2; k++) {
			huge[off] = 0;
			huge[off + 1] = 0;
			huge[off + 2] = (600000 >> 16) & 0xff;
			huge[off + 3] = (600000 >> 8) & 0xff;
			huge[off + 4] = 600000 & 0xff;
			off += 5 + 600000;
		}
		err_clear(&e);
		setup_b(huge, sizeof huge);
		CHECK_INT(cedar_recv_message(&cb, &e), -1);
		CHECK(strstr(err_message(&e), "CEDAR_MAX_MESSAGE") != NULL);
	}
}

/* A transport that never delivers: it must be given a deadline. */
static int64_t seen_deadline;
static long stall_recv(void *ctx, void *buf, size_t n, int64_t deadline)
{
	(void)ctx;
	(void)buf;
	(void)n;
	seen_deadline = deadline;
	return PORT_ETIMEDOUT;
}
static int stall_send(void *ctx, const void *buf, size_t n, int64_t deadline)
{
	(void)ctx;
	(void)buf;
	(void)n;
	seen_deadline = deadline;
	return PORT_ETIMEDOUT;
}

static void test_deadline(void)
{
	struct cedar_transport t = { NULL, stall_send, stall_recv };
	struct err e;
	int64_t v, now;
	err_clear(&e);
	cedar_init(&cb, &t);
	cedar_set_timeout(&cb, 1500);
	now = port_clock_ms();
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK_INT(err_code(&e), CEDAR_ERR_DEADLINE_EXPIRED);
	CHECK(seen_deadline >= now + 1500 && seen_deadline < now + 3000);
	CHECK(cedar_failed(&cb));

	err_clear(&e);
	cedar_init(&cb, &t);
	cedar_set_timeout(&cb, 0); /* no timeout: deadline 0 */
	cedar_put_int(&cb, 1, &e);
	CHECK_INT(cedar_end_send(&cb, &e), -1);
	CHECK_INT(seen_deadline, 0);
	CHECK_INT(err_code(&e), CEDAR_ERR_DEADLINE_EXPIRED);
}

/* security-handshake.md §8.3 illustrative vector */
static void test_gcm_spec_vector(void)
{
	struct err e;
	uint8_t key[32], iv[16], in[64], want[128];
	size_t n, wn;
	err_clear(&e);
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 16; i++)
		iv[i] = (uint8_t)(0xa0 + i);

	/* plaintext exchange: we send int 2052 (FS|TOKEN), receive int 2048 */
	n = unhex("0100000008 0000000000000800", in);
	setup_a(in, n);
	cedar_put_int(&ca, 2052, &e);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	{
		int64_t v;
		CHECK_INT(cedar_get_int(&ca, &v, &e), 0);
		CHECK_INT(cedar_end_recv(&ca, &e), 0);
	}
	{
		uint8_t s[32], r[32];
		cedar_transcript(&ca, s, r);
		CHECK_INT(s[0], 0x93);
		CHECK_INT(s[31], 0x04);
		CHECK_INT(r[0], 0x3b);
		CHECK_INT(r[31], 0xf0);
	}
	CHECK_INT(cedar_crypto_on_iv(&ca, key, iv, &e), 0);
	CHECK(cedar_crypto_active(&ca));
	/* empty ClassAd in encrypted mode: int 0, "", "" (strings length-prefixed) */
	ma.out_len = 0;
	cedar_put_int(&ca, 0, &e);
	cedar_put_str(&ca, "", &e);
	cedar_put_str(&ca, "", &e);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	wn = unhex("010000003a a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
	           "2aa323bc18cdcd76c39e1fb1ed148d9182454379 7e3451acfc12"
	           "bccb814ce049afd58ce7a88a86a842d0",
	           want);
	CHECK_INT(ma.out_len, wn);
	CHECK_MEM(wire, want, wn);

	/* second packet: no IV on the wire, nonce a0a1a2a4... */
	ma.out_len = 0;
	cedar_put_int(&ca, 5, &e);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	CHECK_INT(ma.out_len, 5 + 8 + 16);
	CHECK_INT(wire[4], 24);
}

/* Two streams talking to each other through memory, then tampering. */
static void test_gcm_roundtrip_and_tamper(void)
{
	static uint8_t a_out[200000];
	static uint8_t big[20000];
	struct err e;
	uint8_t key[32];
	int64_t v;
	const char *s;
	size_t l, len;
	err_clear(&e);
	memset(key, 0x42, sizeof key);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i ^ (i >> 8));

	/* A: plaintext hello, then encryption; B mirrors it */
	setup_a(NULL, 0);
	cedar_put_int(&ca, 60010, &e);
	cedar_put_str(&ca, "hello", &e);
	cedar_end_send(&ca, &e);
	CHECK_INT(cedar_crypto_on(&ca, key, &e), 0);
	cedar_put_str(&ca, "secret string", &e);
	cedar_put_int(&ca, -77, &e);
	cedar_put_bytes(&ca, big, sizeof big, &e); /* several packets */
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	cedar_put_str(&ca, "second message", &e);
	CHECK_INT(cedar_end_send(&ca, &e), 0);
	len = ma.out_len;
	memcpy(a_out, wire, len);
	/* the string is length-prefixed once encrypted: not visible either way */
	CHECK(memmem(a_out, len, "secret", 6) == NULL);

	setup_b(a_out, len);
	CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
	CHECK_INT(v, 60010);
	CHECK_INT(cedar_get_str_ptr(&cb, &s, &l, &e), 0);
	CHECK_STR(s, "hello");
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
	CHECK_INT(cedar_crypto_on(&cb, key, &e), 0);
	CHECK_INT(cedar_get_str_ptr(&cb, &s, &l, &e), 0);
	CHECK_STR(s, "secret string");
	CHECK_INT(l, 13);
	CHECK_INT(cedar_get_int(&cb, &v, &e), 0);
	CHECK_INT(v, -77);
	{
		static uint8_t back[sizeof big];
		CHECK_INT(cedar_get_bytes(&cb, back, sizeof back, &e), 0);
		CHECK_MEM(back, big, sizeof big);
	}
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
	CHECK_INT(cedar_get_str_ptr(&cb, &s, &l, &e), 0);
	CHECK_STR(s, "second message");
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
	CHECK(err_empty(&e));

	/* flip one ciphertext bit in the last packet: fatal tag failure */
	a_out[len - 20] ^= 1;
	setup_b(a_out, len);
	cedar_get_int(&cb, &v, &e);
	cedar_get_str_ptr(&cb, &s, &l, &e);
	cedar_end_recv(&cb, &e);
	cedar_crypto_on(&cb, key, &e);
	{
		static uint8_t back[sizeof big];
		cedar_get_str_ptr(&cb, &s, &l, &e);
		cedar_get_int(&cb, &v, &e);
		cedar_get_bytes(&cb, back, sizeof back, &e);
		CHECK_INT(cedar_end_recv(&cb, &e), 0);
	}
	err_clear(&e);
	CHECK_INT(cedar_get_str_ptr(&cb, &s, &l, &e), -1);
	CHECK(strstr(err_message(&e), "authentication failed") != NULL);
	CHECK(cedar_failed(&cb));
	a_out[len - 20] ^= 1;

	/* a different plaintext transcript makes the first packet fail */
	setup_b(a_out, len);
	cedar_get_int(&cb, &v, &e);
	cedar_get_str_ptr(&cb, &s, &l, &e);
	cedar_end_recv(&cb, &e);
	cedar_reset_transcript(&cb); /* as if the hello was a shared-port prefix */
	cedar_crypto_on(&cb, key, &e);
	err_clear(&e);
	CHECK_INT(cedar_get_str_ptr(&cb, &s, &l, &e), -1);
	CHECK(strstr(err_message(&e), "first encrypted packet") != NULL);

	/* a wrong key */
	setup_b(a_out, len);
	cedar_get_int(&cb, &v, &e);
	cedar_get_str_ptr(&cb, &s, &l, &e);
	cedar_end_recv(&cb, &e);
	key[0] ^= 1;
	cedar_crypto_on(&cb, key, &e);
	err_clear(&e);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);

	/* an encrypted packet too short to hold IV and tag */
	{
		uint8_t in[40];
		size_t n = unhex("0100000010 00112233445566778899aabbccddeeff", in);
		setup_b(in, n);
		cedar_crypto_on(&cb, key, &e);
		err_clear(&e);
		CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
		CHECK(strstr(err_message(&e), "too short") != NULL);
	}
}

/* Encrypted-mode strings: bad lengths, missing terminator, NULL string. */
static void test_encrypted_string_rules(void)
{
	static uint8_t a_out[4096];
	struct err e;
	uint8_t key[32] = { 1 };
	const char *s;
	size_t len;
	err_clear(&e);

	/* build an encrypted message containing raw (non-string) bytes that
	 * the receiver will try to read as strings */
	setup_a(NULL, 0);
	cedar_crypto_on(&ca, key, &e);
	cedar_put_int(&ca, 4, &e);
	cedar_put_bytes(&ca, "abcd", 4, &e); /* length 4, no NUL */
	cedar_end_send(&ca, &e);
	cedar_put_int(&ca, 0, &e); /* length 0 */
	cedar_end_send(&ca, &e);
	cedar_put_int(&ca, 1, &e);
	cedar_put_bytes(&ca, "\xff", 1, &e); /* NULL string */
	cedar_end_send(&ca, &e);
	len = ma.out_len;
	memcpy(a_out, wire, len);

	setup_b(a_out, len);
	cedar_crypto_on(&cb, key, &e);
	CHECK_INT(cedar_get_str_ptr(&cb, &s, NULL, &e), -1);
	CHECK(strstr(err_message(&e), "NUL-terminated") != NULL);

	/* the next messages need a fresh reader positioned after message 1:
	 * replay and skip the first message as bytes */
	setup_b(a_out, len);
	cedar_crypto_on(&cb, key, &e);
	{
		uint8_t skip[12];
		CHECK_INT(cedar_get_bytes(&cb, skip, 12, &e), 0);
		CHECK_INT(cedar_end_recv(&cb, &e), 0);
	}
	err_clear(&e);
	CHECK_INT(cedar_get_str_ptr(&cb, &s, NULL, &e), -1);
	CHECK(strstr(err_message(&e), "Bad string length 0") != NULL);

	setup_b(a_out, len);
	cedar_crypto_on(&cb, key, &e);
	{
		uint8_t skip[12];
		int64_t v;
		cedar_get_bytes(&cb, skip, 12, &e);
		cedar_end_recv(&cb, &e);
		cedar_get_int(&cb, &v, &e);
		cedar_end_recv(&cb, &e);
	}
	err_clear(&e);
	s = "x";
	CHECK_INT(cedar_get_str_ptr(&cb, &s, NULL, &e), 0);
	CHECK(s == NULL);
	CHECK_INT(cedar_end_recv(&cb, &e), 0);
}

static void test_misuse(void)
{
	struct err e;
	uint8_t key[32] = { 0 };
	int64_t v;
	err_clear(&e);
	/* receiving with an unfinished outgoing message */
	setup_a(NULL, 0);
	cedar_put_int(&ca, 1, &e);
	CHECK_INT(cedar_get_int(&ca, &v, &e), -1);
	/* crypto in the middle of a message */
	err_clear(&e);
	setup_a(NULL, 0);
	cedar_put_int(&ca, 1, &e);
	CHECK_INT(cedar_crypto_on(&ca, key, &e), -1);
	/* a failed stream refuses further use */
	err_clear(&e);
	setup_b(NULL, 0);
	CHECK_INT(cedar_get_int(&cb, &v, &e), -1);
	CHECK_INT(cedar_put_int(&cb, 1, &e), -1);
}

int main(void)
{
	test_int_message();
	test_ad_plain_and_encrypted_strings();
	test_doubles();
	test_chunking();
	test_eom_rules();
	test_bad_input();
	test_deadline();
	test_gcm_spec_vector();
	test_gcm_roundtrip_and_tamper();
	test_encrypted_string_rules();
	test_misuse();
	return check_done("test_cedar");
}
