/*
 * hostile.c - the test daemon as a liar (-hostile CASE): it completes the
 * handshake honestly, then misbehaves in the command phase.  The cases
 * that change what a command answers live with the command (cmds.c,
 * server.c); this file has the switch and the ones that tamper with the
 * packets themselves, through a transport between the stream and TCP:
 *
 *   gcm-bad-tag    the first packet of the reply has one tag bit flipped
 *   gcm-replay     the first packet of the reply is sent twice
 *   gcm-reorder    the first two packets of the reply change places
 *   gcm-new-iv     the second packet carries a fresh 16-byte IV, as if the
 *                  sender had restarted its cipher
 *   gcm-truncate   the first packet of the reply is cut in half, then the
 *                  connection is closed
 *   gcm-huge       the first packet's header claims 2 GiB
 *   gcm-empty      an empty packet comes before the reply
 *
 * "The reply" starts when the command handler calls testd_hostile_arm().
 */
#include "testd.h"

#include <string.h>

#include "port/port.h"

int testd_hostile(const char *name)
{
	return testd.hostile && strcmp(testd.hostile, name) == 0;
}

/* One connection's outgoing packets, parsed from the byte stream. */
static struct {
	int handle;
	int armed;
	int seen;              /* packets sent since armed */
	int closed;
	size_t have;           /* bytes of the packet being gathered */
	uint8_t pkt[CEDAR_MAX_PACKET + 64];
	size_t held_len;       /* gcm-reorder: the packet held back */
	uint8_t held[CEDAR_MAX_PACKET + 64];
} h;

static uint32_t pkt_len(const uint8_t *p)
{
	return (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
}

static int wire(const void *p, size_t n, int64_t deadline)
{
	if (h.closed)
		return PORT_ECLOSED;
	return port_tcp_send(h.handle, p, n, deadline);
}

/* A whole packet (5-byte header and payload) is ready to go. */
static int packet(int64_t deadline)
{
	size_t n = h.have;

	if (!h.armed)
		return wire(h.pkt, n, deadline);
	h.seen++;
	if (testd_hostile("gcm-bad-tag") && h.seen == 1) {
		h.pkt[n - 1] ^= 0x01;
		testd_log("hostile: flipped a tag bit");
	} else if (testd_hostile("gcm-replay") && h.seen == 1) {
		int rc = wire(h.pkt, n, deadline);
		if (rc != 0)
			return rc;
		testd_log("hostile: packet sent twice");
	} else if (testd_hostile("gcm-reorder") && h.seen == 1) {
		memcpy(h.held, h.pkt, n);
		h.held_len = n;
		return 0;
	} else if (testd_hostile("gcm-reorder") && h.seen == 2) {
		int rc = wire(h.pkt, n, deadline);
		testd_log("hostile: two packets swapped");
		if (rc == 0)
			rc = wire(h.held, h.held_len, deadline);
		h.held_len = 0;
		return rc;
	} else if (testd_hostile("gcm-new-iv") && h.seen == 2) {
		uint8_t iv[16];
		uint32_t len = pkt_len(h.pkt) + 16;
		port_random(iv, sizeof iv);
		memmove(h.pkt + 5 + 16, h.pkt + 5, n - 5);
		memcpy(h.pkt + 5, iv, 16);
		h.pkt[1] = (uint8_t)(len >> 24);
		h.pkt[2] = (uint8_t)(len >> 16);
		h.pkt[3] = (uint8_t)(len >> 8);
		h.pkt[4] = (uint8_t)len;
		n += 16;
		testd_log("hostile: a fresh IV in the second packet");
	} else if (testd_hostile("gcm-huge") && h.seen == 1) {
		h.pkt[1] = 0x7f;
		h.pkt[2] = h.pkt[3] = h.pkt[4] = 0xff;
		testd_log("hostile: a packet header claiming 2 GiB");
		return wire(h.pkt, n, deadline);
	} else if (testd_hostile("gcm-empty") && h.seen == 1) {
		uint8_t empty[5] = {0, 0, 0, 0, 0};
		int rc = wire(empty, sizeof empty, deadline);
		testd_log("hostile: an empty packet first");
		if (rc != 0)
			return rc;
	} else if (testd_hostile("gcm-truncate") && h.seen == 1) {
		wire(h.pkt, 5 + (n - 5) / 2, deadline);
		h.closed = 1; /* nothing more goes out; the handler's failure closes */
		testd_log("hostile: packet cut in half, connection closed");
		return PORT_ECLOSED;
	}
	return wire(h.pkt, n, deadline);
}

static int tamper_send(void *ctx, const void *buf, size_t n, int64_t deadline)
{
	const uint8_t *p = buf;

	(void)ctx;
	while (n > 0) {
		size_t want = h.have < 5 ? 5 - h.have : 5 + pkt_len(h.pkt) - h.have;
		size_t take = n < want ? n : want;

		if (h.have + take > sizeof h.pkt)
			return PORT_EFAIL;
		memcpy(h.pkt + h.have, p, take);
		h.have += take;
		p += take;
		n -= take;
		if (h.have >= 5 && h.have == 5 + pkt_len(h.pkt)) {
			int rc = packet(deadline);
			h.have = 0;
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

static long tamper_recv(void *ctx, void *buf, size_t n, int64_t deadline)
{
	(void)ctx;
	if (h.closed)
		return PORT_ECLOSED;
	return port_tcp_recv(h.handle, buf, n, deadline);
}

void testd_hostile_transport(struct cedar *c, int handle)
{
	struct cedar_transport t = {NULL, tamper_send, tamper_recv};

	h.handle = handle;
	h.armed = h.seen = h.closed = 0;
	h.have = h.held_len = 0;
	cedar_init(c, &t);
	c->handle = handle; /* cedar_close closes it */
}

void testd_hostile_arm(void)
{
	h.armed = 1;
}

void testd_hostile_flush(void)
{
	if (h.held_len && !h.closed)
		wire(h.held, h.held_len, port_clock_ms() + 1000);
	h.held_len = 0;
}
