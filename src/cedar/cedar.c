/*
 * cedar.c - CEDAR packets, primitives and end-of-message rules over a
 * transport; the AES-GCM packet layer is in cedar_crypt.c.
 */
#include <math.h>
#include <string.h>

#include "cedar.h"
#include "cedar_int.h"
#include "debug.h"
#include "port/port.h"

/* ---- transports -------------------------------------------------------- */

static int mem_send(void *ctx, const void *buf, size_t n, int64_t deadline)
{
	struct cedar_mem *m = ctx;
	(void)deadline;
	if (n > m->out_cap - m->out_len)
		return PORT_ETOOBIG;
	memcpy(m->out + m->out_len, buf, n);
	m->out_len += n;
	return 0;
}

static long mem_recv(void *ctx, void *buf, size_t n, int64_t deadline)
{
	struct cedar_mem *m = ctx;
	size_t left = m->in_len - m->in_pos;
	(void)deadline;
	if (left == 0)
		return PORT_ECLOSED;
	if (n > left)
		n = left;
	memcpy(buf, m->in + m->in_pos, n);
	m->in_pos += n;
	return (long)n;
}

void cedar_mem_init(struct cedar_mem *m, const void *in, size_t in_len, void *out,
                    size_t out_cap)
{
	m->in = in;
	m->in_len = in ? in_len : 0;
	m->in_pos = 0;
	m->out = out;
	m->out_cap = out ? out_cap : 0;
	m->out_len = 0;
}

struct cedar_transport cedar_mem_transport(struct cedar_mem *m)
{
	struct cedar_transport t = { m, mem_send, mem_recv };
	return t;
}

/* A port TCP handle stored in the pointer-sized ctx. */
static int tcp_send(void *ctx, const void *buf, size_t n, int64_t deadline)
{
	return port_tcp_send((int)(intptr_t)ctx, buf, n, deadline);
}

static long tcp_recv(void *ctx, void *buf, size_t n, int64_t deadline)
{
	return port_tcp_recv((int)(intptr_t)ctx, buf, n, deadline);
}

/* ---- setup ------------------------------------------------------------- */

void cedar_init(struct cedar *c, const struct cedar_transport *t)
{
	/* Only the bookkeeping is cleared: the two big buffers need no
	 * initialisation and clearing 1 MiB per connection is wasted time. */
	c->tr = *t;
	c->handle = -1;
	c->timeout_ms = CEDAR_COMMAND_TIMEOUT_MS;
	c->end_by = 0;
	c->failed = 0;
	c->closed = 0;
	c->peer_ip[0] = '\0';
	c->peer_port = 0;
	c->send_chunk = CEDAR_SEND_CHUNK;
	c->send_len = 0;
	c->allow_empty = 0;
	c->recv_len = 0;
	c->recv_pos = 0;
	c->recv_ready = 0;
	c->crypto = 0;
	memset(c->key, 0, sizeof c->key);
	memset(&c->tx, 0, sizeof c->tx);
	memset(&c->rx, 0, sizeof c->rx);
	memset(&c->legacy, 0, sizeof c->legacy);
	cedar_reset_transcript(c);
}

void cedar_init_handle(struct cedar *c, int handle)
{
	struct cedar_transport t = { (void *)(intptr_t)handle, tcp_send, tcp_recv };
	cedar_init(c, &t);
	c->handle = handle;
}

int cedar_connect(struct cedar *c, const char *host, unsigned port,
                  int connect_timeout_ms, struct err *e)
{
	char why[160] = "";
	char ip[64] = "";
	int h;

	if (connect_timeout_ms <= 0)
		connect_timeout_ms = CEDAR_CONNECT_TIMEOUT_MS;
	dbg(D_NETWORK, "CEDAR: connecting to %s:%u (timeout %d ms)", host, port,
	    connect_timeout_ms);
	h = port_tcp_connect(host, port, connect_timeout_ms, ip, sizeof ip, why, sizeof why);
	if (h < 0) {
		err_push(e, "CEDAR", CEDAR_ERR_CONNECT_FAILED,
		         "Failed to connect to %s:%u%s%s", host, port, why[0] ? ": " : "", why);
		return -1;
	}
	cedar_init_handle(c, h);
	memcpy(c->peer_ip, ip, sizeof c->peer_ip);
	c->peer_ip[sizeof c->peer_ip - 1] = '\0';
	c->peer_port = port;
	return 0;
}

void cedar_close(struct cedar *c)
{
	if (c->handle >= 0)
		port_tcp_close(c->handle);
	c->handle = -1;
	crypto_wipe(c->key, sizeof c->key);
	crypto_wipe(&c->legacy, sizeof c->legacy);
	c->crypto = 0;
	c->failed = 1;
}

void cedar_set_timeout(struct cedar *c, int timeout_ms)
{
	c->timeout_ms = timeout_ms < 0 ? 0 : timeout_ms;
}

int cedar_set_send_chunk(struct cedar *c, size_t n)
{
	if (n == 0 || n > CEDAR_SEND_CHUNK_MAX || c->send_len > 0)
		return -1;
	c->send_chunk = n;
	return 0;
}

int cedar_failed(const struct cedar *c)
{
	return c->failed;
}

void cedar_set_end_by(struct cedar *c, int64_t end_by)
{
	c->end_by = end_by;
}

int64_t cedar_deadline(const struct cedar *c)
{
	int64_t d = c->timeout_ms > 0 ? port_clock_ms() + c->timeout_ms : 0;

	if (c->end_by && (!d || c->end_by < d))
		d = c->end_by;
	return d;
}

/* Map a transport failure onto an error entry; marks the stream failed. */
int cedar_io_error(struct cedar *c, long rc, const char *what, struct err *e)
{
	c->failed = 1;
	if (rc == PORT_ECLOSED) {
		c->closed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Connection closed by peer while %s", what);
	} else if (rc == PORT_ETIMEDOUT && c->end_by && port_clock_ms() >= c->end_by) {
		err_push(e, "CEDAR", CEDAR_ERR_DEADLINE_EXPIRED,
		         "The command did not finish in time (still %s)", what);
	} else if (rc == PORT_ETIMEDOUT) {
		err_push(e, "CEDAR", CEDAR_ERR_DEADLINE_EXPIRED,
		         "Timed out after %d ms while %s", c->timeout_ms, what);
	} else {
		err_push(e, "CEDAR", strstr(what, "send") ? CEDAR_ERR_PUT_FAILED : CEDAR_ERR_GET_FAILED,
		         "Network error %ld while %s", rc, what);
	}
	return -1;
}

/* ---- transcript ---------------------------------------------------------- */

/* HTCondor stops absorbing plaintext into the digests after 1 MiB per
 * direction; mirror it so the AAD agrees even on odd peers. */
#define TRANSCRIPT_CAP (1024 * 1024)

void cedar_reset_transcript(struct cedar *c)
{
	c->sent_bytes = 0;
	c->recv_bytes = 0;
	crypto_sha256_init(&c->sent_md);
	crypto_sha256_init(&c->recv_md);
	c->have_final_md = 0;
}

void cedar_transcript_add(struct cedar *c, int sent, const void *p, size_t n)
{
	if (c->have_final_md)
		return;
	if (sent) {
		if (c->sent_bytes < TRANSCRIPT_CAP)
			crypto_sha256_update(&c->sent_md, p, n);
		c->sent_bytes += n;
	} else {
		if (c->recv_bytes < TRANSCRIPT_CAP)
			crypto_sha256_update(&c->recv_md, p, n);
		c->recv_bytes += n;
	}
}

void cedar_transcript(struct cedar *c, uint8_t sent[32], uint8_t recvd[32])
{
	if (!c->have_final_md) {
		/* A direction that never carried plaintext has no digest
		 * context in HTCondor: it contributes 32 zero bytes. */
		if (c->sent_bytes)
			crypto_sha256_final(&c->sent_md, c->final_sent);
		else
			memset(c->final_sent, 0, 32);
		if (c->recv_bytes)
			crypto_sha256_final(&c->recv_md, c->final_recv);
		else
			memset(c->final_recv, 0, 32);
		c->have_final_md = 1;
	}
	memcpy(sent, c->final_sent, 32);
	memcpy(recvd, c->final_recv, 32);
}

/* ---- sending ------------------------------------------------------------- */

static int flush_packet(struct cedar *c, int end, struct err *e)
{
	uint8_t *hdr = c->send_buf;
	size_t n = c->send_len, wire;
	int rc;

	if (c->crypto) {
		if (cedar_gcm_seal(c, end, &wire, e) < 0)
			return -1;
#ifdef TOKENBOX_LEGACY
	} else if (c->legacy.md) {
		/* legacy MAC header: fills the IV slot, nothing moves */
		if (cedar_legacy_md_seal(c, end, &wire, e) < 0)
			return -1;
#endif
	} else {
		/* Plaintext packets are built in place, so slide the payload
		 * over the IV slot that send_area() keeps free for AES-GCM. */
		memmove(c->send_buf + CEDAR_HEADER_LEN, c->send_buf + CEDAR_HEADER_LEN + CEDAR_IV_LEN, n);
		hdr[0] = (uint8_t)end;
		hdr[1] = (uint8_t)(n >> 24);
		hdr[2] = (uint8_t)(n >> 16);
		hdr[3] = (uint8_t)(n >> 8);
		hdr[4] = (uint8_t)n;
		wire = CEDAR_HEADER_LEN + n;
		cedar_transcript_add(c, 1, c->send_buf, wire);
	}
	rc = c->tr.send(c->tr.ctx, c->send_buf, wire, cedar_deadline(c));
	if (rc < 0)
		return cedar_io_error(c, rc, "sending a packet", e);
	c->send_len = 0;
	return 0;
}

/* Where plaintext for the next packet goes: after header (and the IV slot,
 * reserved always so a packet never has to move). */
static uint8_t *send_area(struct cedar *c)
{
	return c->send_buf + CEDAR_HEADER_LEN + CEDAR_IV_LEN;
}

int cedar_put_bytes(struct cedar *c, const void *p, size_t n, struct err *e)
{
	const uint8_t *b = p;
	if (c->failed) {
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED, "Connection already failed");
		return -1;
	}
	while (n > 0) {
		size_t room = c->send_chunk - c->send_len, k = n < room ? n : room;
		memcpy(send_area(c) + c->send_len, b, k);
#ifdef TOKENBOX_LEGACY
		if (cedar_legacy_put(c, send_area(c) + c->send_len, k, e) < 0)
			return -1;
#endif
		c->send_len += k;
		b += k;
		n -= k;
		/* A full packet goes out only when more data follows, so a
		 * message that is an exact multiple of the chunk ends with a
		 * full final packet rather than an (illegal) empty one. */
		if (c->send_len == c->send_chunk && n > 0 && flush_packet(c, 0, e) < 0)
			return -1;
	}
	return 0;
}

int cedar_put_int(struct cedar *c, int64_t v, struct err *e)
{
	uint8_t b[8];
	uint64_t u = (uint64_t)v;
	for (int i = 7; i >= 0; i--) {
		b[i] = (uint8_t)u;
		u >>= 8;
	}
	return cedar_put_bytes(c, b, 8, e);
}

int cedar_put_str(struct cedar *c, const char *s, struct err *e)
{
	size_t n;
	if (!s)
		s = "";
	n = strlen(s) + 1;
	if (cedar_encrypting(c) && cedar_put_int(c, (int64_t)n, e) < 0)
		return -1;
	return cedar_put_bytes(c, s, n, e);
}

int cedar_put_double(struct cedar *c, double d, struct err *e)
{
	/* HTCondor: frac = (int)(frexp(d) * INT_MAX), then frac and exp as
	 * two ints; ~31 bits of mantissa survive. */
	int ex = 0;
	double m = frexp(d, &ex);
	int32_t frac = (int32_t)(m * 2147483647.0);
	if (cedar_put_int(c, frac, e) < 0)
		return -1;
	return cedar_put_int(c, ex, e);
}

void cedar_allow_empty(struct cedar *c)
{
	c->allow_empty = 1;
}

int cedar_end_send(struct cedar *c, struct err *e)
{
	/* HTCondor restarts the legacy cipher at every EOM call, even one
	 * that sends nothing (the data is already encrypted as put). */
#ifdef TOKENBOX_LEGACY
	cedar_legacy_eom(c);
#endif
	if (c->failed) {
		err_push(e, "CEDAR", CEDAR_ERR_EOM_FAILED, "Connection already failed");
		return -1;
	}
	if (c->send_len == 0) {
		if (c->allow_empty) {
			c->allow_empty = 0;
			return 0;
		}
		err_push(e, "CEDAR", CEDAR_ERR_EOM_FAILED,
		         "End of message with no data (empty packets are not allowed)");
		return -1;
	}
	c->allow_empty = 0;
	return flush_packet(c, 1, e);
}

/* ---- receiving ----------------------------------------------------------- */

static int read_full(struct cedar *c, uint8_t *p, size_t n, const char *what,
                     struct err *e)
{
	int64_t deadline = cedar_deadline(c);
	while (n > 0) {
		long r = c->tr.recv(c->tr.ctx, p, n, deadline);
		if (r <= 0)
			return cedar_io_error(c, r == 0 ? PORT_ECLOSED : r, what, e);
		if ((size_t)r > n)
			r = (long)n;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Read one packet and append its plaintext to the message buffer. */
static int read_packet(struct cedar *c, int *end, struct err *e)
{
	uint8_t hdr[CEDAR_HEADER_LEN], mac[CEDAR_MD_LEN];
	uint32_t len;
	uint8_t *dst = c->recv_buf + c->recv_len;
	size_t room = sizeof c->recv_buf - c->recv_len;

	if (read_full(c, hdr, sizeof hdr, "reading a packet header", e) < 0)
		return -1;
	len = (uint32_t)hdr[1] << 24 | (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 8 | hdr[4];
	if (hdr[0] > 10) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Incoming packet header unrecognized (end flag %u)", hdr[0]);
		return -1;
	}
	if (len == 0 || len > CEDAR_MAX_PACKET) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Incoming packet improperly sized (%lu bytes; must be 1..CEDAR_MAX_PACKET=%d)",
		         (unsigned long)len, CEDAR_MAX_PACKET);
		return -1;
	}
	if (len > room) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Incoming message larger than CEDAR_MAX_MESSAGE (%d bytes)",
		         CEDAR_MAX_MESSAGE);
		return -1;
	}
	/* With the legacy MAC on, 16 more header bytes (read only once the
	 * first five look sane, as HTCondor reads its header). */
	if (c->legacy.md && read_full(c, mac, sizeof mac, "reading a packet MAC", e) < 0)
		return -1;
	if (read_full(c, dst, len, "reading a packet", e) < 0)
		return -1;
#ifdef TOKENBOX_LEGACY
	if (c->legacy.md && cedar_legacy_md_check(c, mac, dst, len, e) < 0)
		return -1;
#endif
	if (c->crypto) {
		size_t pt_len;
		if (cedar_gcm_open(c, hdr, dst, len, &pt_len, e) < 0)
			return -1;
		len = (uint32_t)pt_len;
	} else {
		cedar_transcript_add(c, 0, hdr, sizeof hdr);
		cedar_transcript_add(c, 0, dst, len);
	}
	if (c->recv_len + len > CEDAR_MAX_MESSAGE) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Incoming message larger than CEDAR_MAX_MESSAGE (%d bytes)",
		         CEDAR_MAX_MESSAGE);
		return -1;
	}
	c->recv_len += len;
	*end = hdr[0] != 0;
	return 0;
}

int cedar_recv_message(struct cedar *c, struct err *e)
{
	int end = 0;
	if (c->recv_ready)
		return 0;
	if (c->failed) {
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED, "Connection already failed");
		return -1;
	}
	if (c->send_len > 0) {
		/* Reading while our own message is unfinished would deadlock
		 * both sides; it is always a programming error. */
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Receive attempted before the outgoing message was ended");
		return -1;
	}
	c->recv_len = 0;
	c->recv_pos = 0;
	while (!end)
		if (read_packet(c, &end, e) < 0)
			return -1;
	c->recv_ready = 1;
	return 0;
}

size_t cedar_recv_remaining(const struct cedar *c)
{
	return c->recv_ready ? c->recv_len - c->recv_pos : 0;
}

static int take(struct cedar *c, size_t n, const uint8_t **p, const char *what,
                struct err *e)
{
	if (cedar_recv_message(c, e) < 0)
		return -1;
	if (n > c->recv_len - c->recv_pos) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Message too short reading %s (%lu bytes wanted, %lu left)", what,
		         (unsigned long)n, (unsigned long)(c->recv_len - c->recv_pos));
		return -1;
	}
	*p = c->recv_buf + c->recv_pos;
	c->recv_pos += n;
	/* legacy encryption: decrypt as read, in place (each byte once) */
#ifdef TOKENBOX_LEGACY
	return cedar_legacy_get(c, c->recv_buf + c->recv_pos - n, n, e);
#else
	return 0;
#endif
}

int cedar_get_bytes(struct cedar *c, void *out, size_t n, struct err *e)
{
	const uint8_t *p;
	if (take(c, n, &p, "bytes", e) < 0)
		return -1;
	memcpy(out, p, n);
	return 0;
}

int cedar_get_int(struct cedar *c, int64_t *v, struct err *e)
{
	const uint8_t *p;
	uint64_t u = 0;
	if (take(c, 8, &p, "an integer", e) < 0)
		return -1;
	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	*v = (int64_t)u;
	return 0;
}

int cedar_get_double(struct cedar *c, double *d, struct err *e)
{
	int64_t frac, ex;
	if (cedar_get_int(c, &frac, e) < 0 || cedar_get_int(c, &ex, e) < 0)
		return -1;
	/* Both are C ints in HTCondor; anything else is garbage. */
	if (frac < INT32_MIN || frac > INT32_MAX || ex < -2000 || ex > 2000) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED, "Malformed double (%lld, %lld)",
		         (long long)frac, (long long)ex);
		return -1;
	}
	*d = ldexp((double)frac / 2147483647.0, (int)ex);
	return 0;
}

int cedar_get_str_ptr(struct cedar *c, const char **s, size_t *len, struct err *e)
{
	const uint8_t *p;
	size_t n;

	if (cedar_recv_message(c, e) < 0)
		return -1;
	if (cedar_encrypting(c)) {
		int64_t l;
		if (cedar_get_int(c, &l, e) < 0)
			return -1;
		if (l < 1 || l > CEDAR_MAX_STRING) {
			c->failed = 1;
			err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
			         "Bad string length %lld (must be 1..CEDAR_MAX_STRING=%d)",
			         (long long)l, CEDAR_MAX_STRING);
			return -1;
		}
		if (take(c, (size_t)l, &p, "a string", e) < 0)
			return -1;
		if (p[0] == 0xff && l == 1) {
			*s = NULL;
			if (len)
				*len = 0;
			return 0;
		}
		/* HTCondor does not check the terminator; we insist on exactly
		 * one, at the end, so the pointer we hand out is a C string
		 * of the advertised length. */
		if (p[l - 1] != 0 || memchr(p, 0, (size_t)l - 1)) {
			c->failed = 1;
			err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
			         "String of length %lld is not a NUL-terminated string", (long long)l);
			return -1;
		}
		n = (size_t)l - 1;
	} else {
		const uint8_t *start = c->recv_buf + c->recv_pos, *nul;
		size_t left = c->recv_len - c->recv_pos;
		if (left > 0 && start[0] == 0xff) {
			c->recv_pos++;
			*s = NULL;
			if (len)
				*len = 0;
			return 0;
		}
		nul = memchr(start, 0, left);
		if (!nul) {
			c->failed = 1;
			err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
			         "Message ends inside a string (no NUL in %lu bytes)",
			         (unsigned long)left);
			return -1;
		}
		n = (size_t)(nul - start);
		p = start;
		c->recv_pos += n + 1;
	}
	*s = (const char *)p;
	if (len)
		*len = n;
	return 0;
}

int cedar_get_str(struct cedar *c, char *buf, size_t cap, const char *what,
                  struct err *e)
{
	const char *s;
	size_t n;
	if (cedar_get_str_ptr(c, &s, &n, e) < 0)
		return -1;
	if (!s) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED, "Unexpected NULL string for %s", what);
		return -1;
	}
	if (n + 1 > cap) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "String for %s too long (%lu bytes, limit %lu)", what,
		         (unsigned long)n, (unsigned long)(cap ? cap - 1 : 0));
		return -1;
	}
	memcpy(buf, s, n + 1);
	return 0;
}

int cedar_end_recv(struct cedar *c, struct err *e)
{
	size_t left;
#ifdef TOKENBOX_LEGACY
	cedar_legacy_eom(c);
#endif
	if (cedar_recv_message(c, e) < 0)
		return -1;
	left = c->recv_len - c->recv_pos;
	c->recv_ready = 0;
	c->recv_len = 0;
	c->recv_pos = 0;
	if (left) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_EOM_FAILED,
		         "Failed to read end of message: %lu untouched bytes", (unsigned long)left);
		return -1;
	}
	return 0;
}
