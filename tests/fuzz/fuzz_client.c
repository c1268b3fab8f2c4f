/*
 * fuzz_client.c - the whole client side of a token command against a
 * fuzzed server: sec_start_command (DC_AUTHENTICATE: policy ads, method
 * negotiation, TOKEN proofs, key exchange, AES-GCM, post-auth ad, session
 * cache and resumption), then the command's request ad and the reply ads
 * through cedar_adio + classad_get, as the approve applet reads them.
 *
 * Random data cannot get past AES-GCM or the TOKEN proofs, so the harness
 * plays a thin server.  The input is a list of records
 *
 *   kind (1 byte)  length (2 bytes, big-endian)  payload
 *
 * and kind % 4 says what the client reads next:
 *   0  the payload as raw bytes (headers, garbage, real wire packets);
 *   1  the payload as one message: a plaintext packet before the client
 *      turned AES-GCM on, else sealed by a server-side stream that shares
 *      the client's session key and transcript digests, so the client's
 *      tag checks pass and the plaintext is what gets fuzzed;
 *   2  as 1, but a TOKEN server_send message first gets the nonce the
 *      client really sent and the hkt proof computed from the token the
 *      client holds (when the record has that message's shape);
 *   3  the connection ends here; the next command starts a new one (on
 *      the cached session when the first one established it).
 * Up to three connections run per input: LIST, APPROVE, LIST.  Seeds are
 * the server sides of real recordings (make_seeds.py).
 *
 * The policy is TOKEN only with an explicit token and a token directory
 * that does not exist: the client touches no files (FS would mkdir paths
 * the server names).  Everything is static and reset per input; the run
 * must never crash, leak, or read past its bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cedar.h"
#include "cedar_adio.h"
#include "classad.h"
#include "jwt.h"
#include "port/port.h"
#include "secman.h"

/* The admin token of the reference pool (tests/vectors/real/V2): a
 * published throwaway secret. */
static const char token[] =
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.eyJpYXQiOjE3OTYwMjcyMzEsImlzcyI6InJlZnBvb2wubG9jYWwiLCJq"
	"dGkiOiJjNjIxMTY2NTQ5NjEzNjU2MjY4MzQ0M2UxMmRmOWNlMSIsInN1YiI6ImNvbmRvckByZWZwb29sLmxvY2FsIn0."
	"j9gHt-3glHrPDi2PQoSezYJfPiObiaFB2w-S3-9z06E";
static const char target_sinful[] = "<127.0.0.1:9618>";

#define MAX_CONNS 3
#define MAX_REPLIES 256
/* bytes waiting for the client: one record, sealed, with packet overhead */
#define QUEUE_MAX (2 * 65536)

static struct cedar cl, sv;
static struct sec_client work;
static struct sec_session_cache cache;
static struct sec_policy pol;
static uint8_t ka[32];
static unsigned char arena_req[CLASSAD_ARENA_SMALL], arena_rep[CLASSAD_ARENA_BYTES];

static struct feed {
	const uint8_t *d;
	size_t n, pos;
	uint8_t q[QUEUE_MAX];
	size_t qlen, qpos;
	int sv_on;                   /* server-side sealer set up */
	uint8_t last[8192];          /* the client's last packet (TOKEN-1 has ra) */
	size_t last_len;
} f;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the server-side sealer ------------------------------------------- */

static int sv_send(void *ctx, const void *buf, size_t n, int64_t deadline)
{
	(void)ctx;
	(void)deadline;
	if (n > sizeof f.q - f.qlen)
		return PORT_ETOOBIG;
	memcpy(f.q + f.qlen, buf, n);
	f.qlen += n;
	return 0;
}

static long sv_recv(void *ctx, void *buf, size_t n, int64_t deadline)
{
	(void)ctx;
	(void)buf;
	(void)n;
	(void)deadline;
	return PORT_ECLOSED; /* the sealer never reads */
}

/* The client just turned AES-GCM on: make sv its mirror image (same key,
 * digests swapped: what the client sent is what sv "received"). */
static void sv_clone(void)
{
	static const uint8_t iv[CEDAR_IV_LEN] = { 0x5e, 0xed, 1, 2, 3, 4, 5, 6,
		                                  7, 8, 9, 10, 11, 12, 13, 14 };
	struct cedar_transport t = { NULL, sv_send, sv_recv };
	uint8_t sent[32], recvd[32];
	struct err e;

	err_clear(&e);
	cedar_transcript(&cl, sent, recvd);
	cedar_init(&sv, &t);
	if (cedar_crypto_on_iv(&sv, cl.key, iv, &e) < 0)
		abort();
	sv.have_final_md = 1;
	memcpy(sv.final_sent, recvd, 32);
	memcpy(sv.final_recv, sent, 32);
	f.sv_on = 1;
}

static void queue_message(const uint8_t *p, size_t n)
{
	struct err e;

	if (f.sv_on) {
		err_clear(&e);
		if (n == 0)
			return; /* an empty sealed message cannot be sent */
		if (cedar_put_bytes(&sv, p, n, &e) < 0 || cedar_end_send(&sv, &e) < 0)
			f.sv_on = 0; /* sealer broken: later records go raw */
		return;
	}
	if (n > sizeof f.q - CEDAR_HEADER_LEN)
		return;
	f.q[0] = 1;
	f.q[1] = (uint8_t)(n >> 24);
	f.q[2] = (uint8_t)(n >> 16);
	f.q[3] = (uint8_t)(n >> 8);
	f.q[4] = (uint8_t)n;
	memcpy(f.q + CEDAR_HEADER_LEN, p, n);
	f.qlen = CEDAR_HEADER_LEN + n;
}

/* ---- TOKEN server_send fix-up ---------------------------------------- */

struct rd {
	const uint8_t *p;
	size_t n, off;
};

static int rd_int(struct rd *r, int64_t *v)
{
	uint64_t u = 0;
	if (r->n - r->off < 8)
		return -1;
	for (int i = 0; i < 8; i++)
		u = u << 8 | r->p[r->off + i];
	r->off += 8;
	*v = (int64_t)u;
	return 0;
}

static int rd_str(struct rd *r, const char **s)
{
	const uint8_t *z = memchr(r->p + r->off, 0, r->n - r->off);
	if (!z)
		return -1;
	*s = (const char *)r->p + r->off;
	r->off = (size_t)(z - r->p) + 1;
	return 0;
}

static int rd_field(struct rd *r, size_t want, const uint8_t **b)
{
	int64_t len;
	if (rd_int(r, &len) < 0 || len != (int64_t)want || r->n - r->off < want)
		return -1;
	*b = r->p + r->off;
	r->off += want;
	return 0;
}

/* status, |A|, A, |B|, B, |ra| ra, |rb| rb, |hkt| hkt: give it the ra the
 * client sent (the end of its TOKEN-1 packet) and a correct hkt.  Records
 * of another shape pass unchanged. */
static void token_fixup(const uint8_t *p, size_t n)
{
	static uint8_t out[65536];
	struct rd r = { p, n, 0 };
	int64_t status, la, lb;
	const char *a, *b;
	const uint8_t *ra, *rb, *hkt;
	size_t o;

	if (rd_int(&r, &status) < 0 || rd_int(&r, &la) < 0 || rd_str(&r, &a) < 0 ||
	    rd_int(&r, &lb) < 0 || rd_str(&r, &b) < 0 ||
	    rd_field(&r, AUTH_TOKEN_NONCE_LEN, &ra) < 0 ||
	    rd_field(&r, AUTH_TOKEN_NONCE_LEN, &rb) < 0 || rd_field(&r, 20, &hkt) < 0 ||
	    f.last_len < CEDAR_HEADER_LEN + AUTH_TOKEN_NONCE_LEN || n > sizeof out) {
		queue_message(p, n);
		return;
	}
	memcpy(out, p, n);
	o = (size_t)(ra - p);
	memcpy(out + o, f.last + f.last_len - AUTH_TOKEN_NONCE_LEN, AUTH_TOKEN_NONCE_LEN);
	if (auth_token_hkt(ka, a, b, out + o, rb, out + (hkt - p)) < 0)
		abort();
	queue_message(out, n);
}

/* ---- the client's transport ------------------------------------------- */

/* Take the next record; -1 at the end of the input or of the connection. */
static int refill(void)
{
	size_t len;
	int kind;

	if (f.n - f.pos < 3)
		return -1;
	kind = f.d[f.pos] & 3;
	if (kind == 3)
		return -1;
	len = (size_t)f.d[f.pos + 1] << 8 | f.d[f.pos + 2];
	f.pos += 3;
	if (len > f.n - f.pos)
		len = f.n - f.pos;
	f.qlen = f.qpos = 0;
	if (cl.crypto && !f.sv_on)
		sv_clone();
	if (kind == 0) {
		memcpy(f.q, f.d + f.pos, len);
		f.qlen = len;
	} else if (kind == 1) {
		queue_message(f.d + f.pos, len);
	} else {
		token_fixup(f.d + f.pos, len);
	}
	f.pos += len;
	return 0;
}

static long cl_recv(void *ctx, void *buf, size_t n, int64_t deadline)
{
	size_t k;
	(void)ctx;
	(void)deadline;
	while (f.qpos == f.qlen)
		if (refill() < 0)
			return PORT_ECLOSED;
	k = f.qlen - f.qpos < n ? f.qlen - f.qpos : n;
	memcpy(buf, f.q + f.qpos, k);
	f.qpos += k;
	return (long)k;
}

static int cl_send(void *ctx, const void *buf, size_t n, int64_t deadline)
{
	(void)ctx;
	(void)deadline;
	if (n <= sizeof f.last) {
		memcpy(f.last, buf, n);
		f.last_len = n;
	}
	return 0;
}

/* ---- one connection ----------------------------------------------------- */

static int null_write(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

static void check_result(const struct sec_result *res)
{
	if (!memchr(res->method, 0, sizeof res->method) || !memchr(res->user, 0, sizeof res->user) ||
	    !memchr(res->sid, 0, sizeof res->sid) || !res->sid[0])
		abort();
	if (res->encrypted != cedar_encrypting(&cl))
		abort();
}

static int trace; /* FUZZ_CLIENT_TRACE=1: say how far each connection got */

static void say(int cmd, const char *what, const struct err *e)
{
	char buf[1024];
	if (trace)
		fprintf(stderr, "fuzz_client: command %d: %s%s%s\n", cmd, what, e ? ": " : "",
		        e ? err_text(e, buf, sizeof buf) : "");
}

static void run_conn(int cmd)
{
	int replies = 0;
	struct cedar_transport t = { NULL, cl_send, cl_recv };
	struct sec_target tg = { target_sinful, NULL, 0 };
	struct sec_result res;
	struct cedar_adio glue;
	struct classad_io io;
	struct classad req, rep;
	struct classad_sink sink = { null_write, NULL };
	struct err e;

	f.qlen = f.qpos = 0;
	f.sv_on = 0;
	f.last_len = 0;
	cedar_init(&cl, &t);
	snprintf(cl.peer_ip, sizeof cl.peer_ip, "127.0.0.1");
	cl.peer_port = 9618;
	err_clear(&e);
	if (sec_start_command(&cl, &pol, &cache, &tg, cmd, &work, &res, &e) < 0) {
		if (err_empty(&e))
			abort(); /* a failure always says why */
		say(cmd, "handshake failed", &e);
		goto done;
	}
	check_result(&res);
	say(cmd, res.resumed ? "session resumed" : "session established", NULL);

	cedar_classad_io(&glue, &cl, &e, &io);
	classad_init(&req, arena_req, sizeof arena_req);
	classad_init(&rep, arena_rep, sizeof arena_rep);
	if (classad_set_string(&req, "RequestId", "9999999", &e) != 0)
		abort();
	if (cmd == 60050 && classad_set_string(&req, "ClientId", "fuzz", &e) != 0)
		abort();
	if (classad_put(&req, &io, 0, NULL, 0, &e) != 0 || cedar_end_send(&cl, &e) != 0) {
		say(cmd, "sending the request failed", &e);
		goto done;
	}
	for (int i = 0; i < MAX_REPLIES; i++) {
		int64_t owner;
		classad_clear(&rep);
		if (classad_get(&rep, &io, 0, &e) != 0 || cedar_end_recv(&cl, &e) != 0) {
			say(cmd, "reading a reply failed", &e);
			break;
		}
		replies++;
		/* the approve tool shows what it got: safe form only */
		if (classad_print(&rep, CLASSAD_FORM_OLD, CLASSAD_PRINT_SAFE, &sink, &e) != 0)
			abort();
		if (cmd == 60050 ||
		    (classad_get_int(&rep, "Owner", &owner) == CLASSAD_OK && owner == 0))
			break;
	}
	if (trace) {
		char what[64];
		snprintf(what, sizeof what, "%d reply ad(s) read", replies);
		say(cmd, what, NULL);
	}
done:
	cedar_close(&cl);
}

static void init_once(void)
{
	struct jwt j;
	char why[160];

	sec_policy_defaults(&pol);
	pol.methods[0] = SEC_AUTH_TOKEN;
	pol.nmethods = 1;
	pol.explicit_token = token;
	snprintf(pol.token_dir, sizeof pol.token_dir, "/nonexistent/fuzz_client/tokens.d");
	snprintf(pol.token_system_dir, sizeof pol.token_system_dir, "/nonexistent/fuzz_client/sys");
	if (jwt_parse(token, strlen(token), &j, why, sizeof why) < 0 ||
	    auth_token_derive(j.sig, j.sig_len, token, j.t_len, 0, ka) < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int cmds[MAX_CONNS] = { 60049, 60050, 60049 };
	static int ready;

	if (!ready) {
		const char *tr = getenv("FUZZ_CLIENT_TRACE");
		trace = tr && *tr == '1';
		init_once();
		ready = 1;
	}
	sec_cache_init(&cache);
	f.d = data;
	f.n = size;
	f.pos = 0;
	for (int k = 0; k < MAX_CONNS; k++) {
		run_conn(cmds[k]);
		/* skip to just past the next connection break */
		while (f.n - f.pos >= 3 && (f.d[f.pos] & 3) != 3) {
			size_t len = (size_t)f.d[f.pos + 1] << 8 | f.d[f.pos + 2];
			f.pos += 3 + (len < f.n - f.pos - 3 ? len : f.n - f.pos - 3);
		}
		if (f.n - f.pos < 3)
			break;
		f.pos += 3 + ((size_t)f.d[f.pos + 1] << 8 | f.d[f.pos + 2]);
		if (f.pos > f.n)
			break;
	}
	sec_cache_clear(&cache);
	return 0;
}
