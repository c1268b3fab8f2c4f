/*
 * bench_cedar.c - CEDAR stream throughput over an in-memory transport.
 *
 *  1. Bulk: one side puts a message of N bytes (cedar_put_bytes +
 *     cedar_end_send), the other reads it back (cedar_get_bytes +
 *     cedar_end_recv); MB/s of payload, plaintext and AES-256-GCM, for a
 *     few message sizes.  Every byte is sealed and opened once, so the GCM
 *     figure is encrypt + decrypt.
 *  2. Round trips: a token-command-sized request (int + string) and reply
 *     (int + string) per iteration, plaintext and AES-GCM; round trips/s
 *     measures the per-message cost (framing, AAD, tag, buffering).
 *
 * No network and no handshake: both ends get the same key, and with no
 * plaintext traffic before it both transcripts are empty, as HTCondor's
 * AAD rules allow.  Exits non-zero only if a transfer fails.
 */
#include "cedar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define BULK_MAX (512 * 1024)
/* payload + per-packet header, IV and tag at the default 4091-byte packets */
#define PIPE_MAX (BULK_MAX + BULK_MAX / 64 + 4096)
#define MIN_SECONDS 0.5

struct pipe {
	unsigned char buf[PIPE_MAX];
	size_t len, pos;
};

struct end {
	struct pipe *out, *in;
};

static struct cedar a, b;
static struct pipe ab, ba;
static struct end ea = { &ab, &ba }, eb = { &ba, &ab };
static unsigned char payload[BULK_MAX], got[BULK_MAX];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int end_send(void *ctx, const void *p, size_t n, int64_t deadline)
{
	struct pipe *q = ((struct end *)ctx)->out;
	(void)deadline;
	if (q->pos == q->len)
		q->pos = q->len = 0; /* drained: start over */
	if (n > sizeof q->buf - q->len)
		return -7; /* PORT_ETOOBIG */
	memcpy(q->buf + q->len, p, n);
	q->len += n;
	return 0;
}

static long end_recv(void *ctx, void *p, size_t n, int64_t deadline)
{
	struct pipe *q = ((struct end *)ctx)->in;
	size_t k = q->len - q->pos;
	(void)deadline;
	if (k == 0)
		return -3; /* PORT_ECLOSED */
	if (k > n)
		k = n;
	memcpy(p, q->buf + q->pos, k);
	q->pos += k;
	return (long)k;
}

static int setup(int gcm, struct err *e)
{
	static const uint8_t key[CEDAR_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
	struct cedar_transport ta = { &ea, end_send, end_recv };
	struct cedar_transport tb = { &eb, end_send, end_recv };

	ab.len = ab.pos = ba.len = ba.pos = 0;
	cedar_init(&a, &ta);
	cedar_init(&b, &tb);
	if (gcm && (cedar_crypto_on(&a, key, e) < 0 || cedar_crypto_on(&b, key, e) < 0))
		return -1;
	return 0;
}

static int bulk(int gcm, size_t n)
{
	struct err e;
	double t0, t;
	unsigned long iters = 0;

	err_clear(&e);
	if (setup(gcm, &e) < 0)
		goto fail;
	t0 = now();
	do {
		for (int k = 0; k < 16; k++, iters++) {
			if (cedar_put_bytes(&a, payload, n, &e) < 0 || cedar_end_send(&a, &e) < 0 ||
			    cedar_get_bytes(&b, got, n, &e) < 0 || cedar_end_recv(&b, &e) < 0)
				goto fail;
		}
		t = now() - t0;
	} while (t < MIN_SECONDS);
	if (memcmp(payload, got, n) != 0) {
		fprintf(stderr, "bench_cedar: payload corrupted\n");
		return 1;
	}
	printf("bench_cedar: bulk %-9s %7zu-byte messages: %8.1f MB/s\n", gcm ? "AES-GCM" : "plaintext",
	       n, (double)n * (double)iters / t / 1e6);
	return 0;
fail: {
	char buf[512];
	fprintf(stderr, "bench_cedar: bulk transfer failed: %s\n", err_text(&e, buf, sizeof buf));
	return 1;
}
}

static int round_trips(int gcm)
{
	static const char req[] = "RequestId = \"9242885\"";
	static const char rep[] = "ErrorCode = 0";
	struct err e;
	char s[64];
	int64_t v;
	double t0, t;
	unsigned long iters = 0;

	err_clear(&e);
	if (setup(gcm, &e) < 0)
		goto fail;
	t0 = now();
	do {
		for (int k = 0; k < 256; k++, iters++) {
			if (cedar_put_int(&a, 60049, &e) < 0 || cedar_put_str(&a, req, &e) < 0 ||
			    cedar_end_send(&a, &e) < 0 || cedar_get_int(&b, &v, &e) < 0 ||
			    cedar_get_str(&b, s, sizeof s, "request", &e) < 0 || cedar_end_recv(&b, &e) < 0 ||
			    cedar_put_int(&b, 0, &e) < 0 || cedar_put_str(&b, rep, &e) < 0 ||
			    cedar_end_send(&b, &e) < 0 || cedar_get_int(&a, &v, &e) < 0 ||
			    cedar_get_str(&a, s, sizeof s, "reply", &e) < 0 || cedar_end_recv(&a, &e) < 0)
				goto fail;
		}
		t = now() - t0;
	} while (t < MIN_SECONDS);
	printf("bench_cedar: round trips %-9s (int+string each way): %9.0f /s (%.2f us each)\n",
	       gcm ? "AES-GCM" : "plaintext", (double)iters / t, t / (double)iters * 1e6);
	return 0;
fail: {
	char buf[512];
	fprintf(stderr, "bench_cedar: round trip failed: %s\n", err_text(&e, buf, sizeof buf));
	return 1;
}
}

int main(void)
{
	static const size_t sizes[] = { 256, 4096, 65536, BULK_MAX };
	int rc = 0;

	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (unsigned char)(i * 131 + 7);
	for (int gcm = 0; gcm <= 1; gcm++)
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
			rc |= bulk(gcm, sizes[i]);
	rc |= round_trips(0);
	rc |= round_trips(1);
	return rc;
}
