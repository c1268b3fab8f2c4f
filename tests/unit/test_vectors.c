/* needs: LEGACY
 *
 * test_vectors.c - replay the real HTCondor 25.14 and 9.0.19 recordings in
 * tests/vectors/real/ through the CEDAR stream and the handshake builders.
 *
 * For every connection of every file, both sides are replayed: as the
 * client (our packets are the C> ones) and as the server.  Our own packets
 * are rebuilt from their plaintext and must come out byte-identical
 * (framing, and for AES-GCM the recorded IV, so ciphertext and tag prove
 * nonce, AAD and transcript digests right); the peer's packets are fed to
 * the receive path, which must authenticate and decrypt each one to the
 * recorded plaintext.  The transcript digests must equal the recorded
 * ones.  Then: ECDH secret -> session key, TOKEN proofs from the recorded
 * nonces, the V1/V2 client policy ad and the V3 resume ad rebuilt by
 * secman byte for byte (with the recorded ECDH public key, pid and nonce -
 * the only values that are random or per-process), and a client handshake
 * run against V1's recorded server bytes up to the point where the
 * (necessarily different) ECDH key makes the first encrypted packet fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cedar.h"
#include "check.h"
#include "jwt.h"
#include "port/crypto.h"
#include "port/port.h"
#include "secad.h"
#include "secman.h"

#define VDIR "tests/vectors/real/"
#define MAX_PKT 128
#define MAX_PAYLOAD 8192
#define MAX_CONN 4

struct pkt {
	char dir; /* 'C' or 'S' */
	int end;
	size_t len;
	uint8_t payload[MAX_PAYLOAD];
	int enc;
	uint8_t pt[MAX_PAYLOAD];
	size_t pt_len;
	uint8_t iv[16];
	uint8_t aad[69];
	size_t aad_len;
	int shared_port; /* the message is the shared-port connect message */
};

struct conn {
	int id;
	uint8_t key[32];
	int have_key;
	uint8_t secret[32];
	int have_secret;
	uint8_t tr[4][32]; /* client sent, client recv, server sent, server recv */
	int have_tr[4];
	struct pkt *p[MAX_PKT];
	int np;
};

static struct pkt pool[MAX_PKT * MAX_CONN];
static int npool;
static struct conn conns[MAX_CONN];
static int nconn;
static char token_text[JWT_MAX_LEN];
static char cur_label[256];

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (h[0] && h[1] && h[0] != '\n' && h[0] != ' ' && n < cap) {
		unsigned v;
		if (sscanf(h, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		h += 2;
	}
	return n;
}

static int load(const char *name)
{
	static char line[16384];
	char path[256];
	FILE *f;
	struct conn *c = NULL;
	struct pkt *last = NULL;

	snprintf(path, sizeof path, VDIR "%s", name);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the repository root)\n", path);
		return -1;
	}
	npool = 0;
	nconn = 0;
	token_text[0] = '\0';
	memset(conns, 0, sizeof conns);
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "conn ", 5)) {
			c = &conns[nconn++];
			c->id = atoi(line + 5);
		} else if (!strncmp(line, "val token ", 10)) {
			sscanf(line + 10, "%8191s", token_text);
		} else if (!c) {
			continue;
		} else if (!strncmp(line, "key session_key ", 16)) {
			c->have_key = unhex(line + 16, c->key, 32) == 32;
		} else if (!strncmp(line, "key ecdh_shared_secret ", 23)) {
			c->have_secret = unhex(line + 23, c->secret, 32) == 32;
		} else if (!strncmp(line, "val client_transcript_sent_sha256 ", 34)) {
			c->have_tr[0] = unhex(line + 34, c->tr[0], 32) == 32;
		} else if (!strncmp(line, "val client_transcript_recv_sha256 ", 34)) {
			c->have_tr[1] = unhex(line + 34, c->tr[1], 32) == 32;
		} else if (!strncmp(line, "val server_transcript_sent_sha256 ", 34)) {
			c->have_tr[2] = unhex(line + 34, c->tr[2], 32) == 32;
		} else if (!strncmp(line, "val server_transcript_recv_sha256 ", 34)) {
			c->have_tr[3] = unhex(line + 34, c->tr[3], 32) == 32;
		} else if (!strncmp(line, "msg ", 4)) {
			snprintf(cur_label, sizeof cur_label, "%.200s", line);
		} else if ((line[0] == 'C' || line[0] == 'S') && line[1] == '>') {
			int end, off = 0;
			unsigned len;
			struct pkt *p = &pool[npool++];
			memset(p, 0, sizeof *p);
			sscanf(line + 3, "%d %u %n", &end, &len, &off);
			p->dir = line[0];
			p->end = end;
			p->len = unhex(line + 3 + off, p->payload, sizeof p->payload);
			CHECK_INT(p->len, len);
			p->shared_port = strstr(cur_label, "SHARED_PORT_CONNECT") != NULL;
			c->p[c->np++] = p;
			last = p;
		} else if (last && !strncmp(line, "pt ", 3)) {
			last->enc = 1;
			last->pt_len = unhex(line + 3, last->pt, sizeof last->pt);
		} else if (last && !strncmp(line, "iv ", 3)) {
			unhex(line + 3, last->iv, 16);
		} else if (last && !strncmp(line, "aad ", 4)) {
			last->aad_len = unhex(line + 4, last->aad, 69);
		}
	}
	fclose(f);
	return 0;
}

static struct cedar cs; /* the replaying side */
static uint8_t in_bytes[256 * 1024], out_bytes[256 * 1024];

/* Replay connection c as side `me` ('C' client, 'S' server). */
static void replay(const char *file, struct conn *c, char me)
{
	struct cedar_mem m;
	struct cedar_transport t;
	struct err e;
	size_t in_len = 0, out_pos = 0;
	int crypto_on = 0, failures_before = check_fail;
	uint8_t my_iv[16] = { 0 };

	/* the peer's bytes, in order */
	for (int i = 0; i < c->np; i++) {
		struct pkt *p = c->p[i];
		if (p->dir == me)
			continue;
		in_bytes[in_len] = (uint8_t)p->end;
		in_bytes[in_len + 1] = (uint8_t)(p->len >> 24);
		in_bytes[in_len + 2] = (uint8_t)(p->len >> 16);
		in_bytes[in_len + 3] = (uint8_t)(p->len >> 8);
		in_bytes[in_len + 4] = (uint8_t)p->len;
		memcpy(in_bytes + in_len + 5, p->payload, p->len);
		in_len += 5 + p->len;
	}
	for (int i = 0; i < c->np; i++)
		if (c->p[i]->dir == me && c->p[i]->enc) {
			memcpy(my_iv, c->p[i]->iv, 16);
			break;
		}
	cedar_mem_init(&m, in_bytes, in_len, out_bytes, sizeof out_bytes);
	t = cedar_mem_transport(&m);
	cedar_init(&cs, &t);
	err_clear(&e);

	for (int i = 0; i < c->np; i++) {
		struct pkt *p = c->p[i];
		if (p->enc && !crypto_on) {
			uint8_t s[32], r[32];
			int si = me == 'C' ? 0 : 2;
			CHECK(c->have_key);
			CHECK_INT(cedar_crypto_on_iv(&cs, c->key, my_iv, &e), 0);
			cedar_transcript(&cs, s, r);
			if (c->have_tr[si])
				CHECK_MEM(s, c->tr[si], 32);
			if (c->have_tr[si + 1])
				CHECK_MEM(r, c->tr[si + 1], 32);
			crypto_on = 1;
		}
		if (p->dir == me) {
			const uint8_t *body = p->enc ? p->pt : p->payload;
			size_t n = p->enc ? p->pt_len : p->len;
			CHECK_INT(cedar_put_bytes(&cs, body, n, &e), 0);
			if (p->end)
				CHECK_INT(cedar_end_send(&cs, &e), 0);
			/* byte-identical to what HTCondor sent */
			CHECK_INT(m.out_len - out_pos, 5 + p->len);
			if (m.out_len - out_pos == 5 + p->len)
				CHECK_MEM(out_bytes + out_pos + 5, p->payload, p->len);
			out_pos = m.out_len;
		} else {
			static uint8_t got[MAX_PAYLOAD];
			size_t n = p->enc ? p->pt_len : p->len;
			CHECK_INT(cedar_get_bytes(&cs, got, n, &e), 0);
			CHECK_MEM(got, p->enc ? p->pt : p->payload, n);
			if (p->end)
				CHECK_INT(cedar_end_recv(&cs, &e), 0);
		}
		if (p->shared_port)
			cedar_reset_transcript(&cs); /* HTCondor excludes it from the digests */
	}
	CHECK(err_empty(&e));
	if (check_fail != failures_before) {
		char buf[1024];
		fprintf(stderr, "  ... in %s conn %d as %c: %s\n", file, c->id, me,
		        err_text(&e, buf, sizeof buf));
	}
}

static void replay_file(const char *file)
{
	if (load(file) < 0) {
		CHECK(0);
		return;
	}
	CHECK(nconn > 0);
	for (int i = 0; i < nconn; i++) {
		struct conn *c = &conns[i];
		if (c->have_secret && c->have_key) {
			uint8_t k[32];
			CHECK_INT(sec_session_key_from_secret(c->secret, k), 0);
			CHECK_MEM(k, c->key, 32);
		}
		replay(file, c, 'C');
		replay(file, c, 'S');
	}
}

/* Find the packet of conn ci (0-based) whose message label was checked by
 * the caller: simply the k-th packet. */
static struct pkt *pk(int ci, int k)
{
	return ci < nconn && k < conns[ci].np ? conns[ci].p[k] : NULL;
}

/* Decode an ad from a plaintext message (int, ad) with the stream. */
static int ad_of(const uint8_t *payload, size_t n, int skip_int, struct secad *ad)
{
	static uint8_t buf[MAX_PAYLOAD + 5];
	struct cedar_mem m;
	struct cedar_transport t;
	struct err e;
	int64_t v;
	buf[0] = 1;
	buf[1] = (uint8_t)(n >> 24);
	buf[2] = (uint8_t)(n >> 16);
	buf[3] = (uint8_t)(n >> 8);
	buf[4] = (uint8_t)n;
	memcpy(buf + 5, payload, n);
	cedar_mem_init(&m, buf, n + 5, NULL, 0);
	t = cedar_mem_transport(&m);
	cedar_init(&cs, &t);
	err_clear(&e);
	if (skip_int && cedar_get_int(&cs, &v, &e) < 0)
		return -1;
	if (secad_get(&cs, ad, &e) < 0 || cedar_end_recv(&cs, &e) < 0)
		return -1;
	return 0;
}

/* Serialise `ad` after int 60010 as one message; compare with recorded. */
static void check_m1_bytes(const struct secad *ad, const struct pkt *rec)
{
	struct cedar_mem m;
	struct cedar_transport t;
	struct err e;
	err_clear(&e);
	cedar_mem_init(&m, NULL, 0, out_bytes, sizeof out_bytes);
	t = cedar_mem_transport(&m);
	cedar_init(&cs, &t);
	CHECK_INT(cedar_put_int(&cs, CEDAR_DC_AUTHENTICATE, &e), 0);
	CHECK_INT(secad_put(&cs, ad, &e), 0);
	CHECK_INT(cedar_end_send(&cs, &e), 0);
	CHECK_INT(m.out_len, 5 + rec->len);
	if (m.out_len == 5 + rec->len)
		CHECK_MEM(out_bytes + 5, rec->payload, rec->len);
	else
		for (int i = 0; i < ad->n; i++)
			fprintf(stderr, "  built: %s = %s\n", ad->a[i].name, ad->a[i].expr);
}

static void policy_like_reference(struct sec_policy *p)
{
	/* the reference pool: security:recommended (client authentication
	 * OPTIONAL, encryption and integrity REQUIRED), all three crypto
	 * methods, root could read the POOL key */
	sec_policy_defaults(p);
	p->encryption = SEC_REQ_REQUIRED;
	p->integrity = SEC_REQ_REQUIRED;
	snprintf(p->crypto_methods, sizeof p->crypto_methods, "AES,BLOWFISH,3DES");
	snprintf(p->trust_domain, sizeof p->trust_domain, "refpool.local");
	snprintf(p->issuer_keys, sizeof p->issuer_keys, "POOL");
	snprintf(p->version, sizeof p->version,
	         "$CondorVersion: 25.14.0 2026-11-30 PRE-RELEASE-UWCS $");
}

/* V1 / V2: the whole new-session policy ad.  Random or per-process values
 * taken from the recording: ECDHPublicKey (ephemeral key) and ServerPid. */
static void test_client_ad(const char *file, const int *methods, int nm)
{
	static struct secad rec, built;
	struct sec_policy p;
	struct err e;
	char pub[128];
	int64_t pid = 0;
	err_clear(&e);
	CHECK_INT(load(file), 0);
	CHECK_INT(ad_of(pk(0, 0)->payload, pk(0, 0)->len, 1, &rec), 0);
	CHECK_INT(rec.n, 20);
	CHECK_INT(secad_get_str(&rec, SEC_ATTR_ECDH_PUBLIC_KEY, pub, sizeof pub), 1);
	CHECK_INT(secad_get_int(&rec, SEC_ATTR_SERVER_PID, &pid), 1);
	policy_like_reference(&p);
	CHECK_INT(sec_build_client_ad(&p, methods, nm, 60049, "<127.0.0.1:9618>", pub, (long)pid,
	                              &built, &e), 0);
	CHECK_INT(built.n, rec.n);
	for (int i = 0; i < built.n && i < rec.n; i++) {
		CHECK_STR(built.a[i].name, rec.a[i].name);
		CHECK_STR(built.a[i].expr, rec.a[i].expr);
	}
	check_m1_bytes(&built, pk(0, 0));
}

/* V3: the resume ad.  Random values from the recording: Nonce. */
static void test_resume_ad(void)
{
	static struct secad rec, built;
	struct sec_policy p;
	struct sec_session s;
	struct err e;
	char nonce[128];
	err_clear(&e);
	CHECK_INT(load("V3-approve-token-resume.txt"), 0);
	CHECK_INT(nconn, 2);
	CHECK_INT(ad_of(pk(1, 0)->payload, pk(1, 0)->len, 1, &rec), 0);
	CHECK_INT(rec.n, 8);
	CHECK_INT(secad_get_str(&rec, SEC_ATTR_NONCE, nonce, sizeof nonce), 1);
	CHECK_INT(strlen(nonce), 44); /* base64 of 33 bytes */
	policy_like_reference(&p);
	memset(&s, 0, sizeof s);
	snprintf(s.sid, sizeof s.sid, "vm:1316:1796028816:47");
	snprintf(s.server_version, sizeof s.server_version, "%s", p.version);
	CHECK_INT(sec_build_resume_ad(&p, &s, 60050, "<127.0.0.1:9618>", nonce,
	                              sec_version_at_least(s.server_version, 9, 9, 0), &built, &e), 0);
	CHECK_INT(built.n, rec.n);
	for (int i = 0; i < built.n && i < rec.n; i++) {
		CHECK_STR(built.a[i].name, rec.a[i].name);
		CHECK_STR(built.a[i].expr, rec.a[i].expr);
	}
	check_m1_bytes(&built, pk(1, 0));
	/* the resume reply parses and says AUTHORIZED */
	CHECK_INT(ad_of(pk(1, 1)->payload, pk(1, 1)->len, 0, &rec), 0);
	{
		char rc[32];
		CHECK_INT(secad_get_str(&rec, SEC_ATTR_RETURN_CODE, rc, sizeof rc), 1);
		CHECK_STR(rc, "AUTHORIZED");
	}
}

/* V2: TOKEN proofs from the recorded token and nonces. */
static void test_token_proofs(void)
{
	struct jwt j;
	char why[128];
	uint8_t ka[32], kb[32], mac[20], w[32], want[32];
	const struct pkt *ta, *tb, *tc;
	const uint8_t *ra, *rb;
	CHECK_INT(load("V2-list-token.txt"), 0);
	CHECK(token_text[0] != '\0');
	CHECK_INT(jwt_parse(token_text, strlen(token_text), &j, why, sizeof why), 0);
	CHECK_STR(j.kid, "POOL");
	CHECK_STR(j.iss, "refpool.local");
	CHECK_STR(j.sub, "condor@refpool.local");
	CHECK(j.has_jti && !j.has_exp && j.has_iat);
	CHECK_INT(j.sig_len, 32);
	unhex("8fd807b7ede0947acf0e2d8f42849ecd825f3e239b89a141db0f92dfef73d3a1", want, 32);
	CHECK_MEM(j.sig, want, 32);
	CHECK_INT(auth_token_derive(j.sig, j.sig_len, token_text, j.t_len, 0, ka), 0);
	unhex("e317af67dce5877314e59300aa97181c235a3751faef49c11edf1118eec24268", want, 32);
	CHECK_MEM(ka, want, 32);
	CHECK_INT(auth_token_derive(j.sig, j.sig_len, token_text, j.t_len, 1, kb), 0);
	unhex("6f36d005799d359572c3b900408c0ba0b729de7b012e8ae4dd2602e40f230d26", want, 32);
	CHECK_MEM(kb, want, 32);

	/* messages 5, 6, 7 of the connection: TA, TB, TC */
	ta = pk(0, 4);
	tb = pk(0, 5);
	tc = pk(0, 6);
	CHECK(ta && tb && tc && ta->dir == 'C' && tb->dir == 'S' && tc->dir == 'C');
	if (!ta || !tb || !tc)
		return;
	/* TA: status, len, "condor@refpool.local\0", T\0, 256, ra */
	CHECK_MEM(ta->payload + 16, "condor@refpool.local", 21);
	CHECK_MEM(ta->payload + 37, token_text, j.t_len);
	CHECK_INT(ta->payload[37 + j.t_len], 0);
	ra = ta->payload + 37 + j.t_len + 1 + 8;
	CHECK_INT(ta->len, 37 + j.t_len + 1 + 8 + 256);
	/* TB: ... ra echo, rb, hkt at the end */
	rb = tb->payload + tb->len - 20 - 8 - 256;
	CHECK_MEM(tb->payload + tb->len - 20 - 8 - 256 - 8 - 256, ra, 256);
	CHECK_INT(auth_token_hkt(ka, "condor@refpool.local", "condor@password", ra, rb, mac), 0);
	CHECK_MEM(mac, tb->payload + tb->len - 20, 20);
	CHECK_INT(auth_token_hk(ka, "condor@refpool.local", rb, mac), 0);
	CHECK_MEM(mac, tc->payload + tc->len - 20, 20);
	CHECK_INT(auth_token_session_w(rb, w), 0);
	unhex("6a9d7b101b5fdf7e31f484ffcd8ee87130e15bd8d24495082dac11e6571acfd8", want, 32);
	CHECK_MEM(w, want, 32);
}

/* The server's packets of connection c, as they came on the wire, into
 * in_bytes; returns their length. */
static size_t server_bytes(const struct conn *c)
{
	size_t n = 0;

	for (int i = 0; i < c->np; i++) {
		const struct pkt *pp = c->p[i];
		if (pp->dir != 'S')
			continue;
		in_bytes[n] = (uint8_t)pp->end;
		in_bytes[n + 1] = (uint8_t)(pp->len >> 24);
		in_bytes[n + 2] = (uint8_t)(pp->len >> 16);
		in_bytes[n + 3] = (uint8_t)(pp->len >> 8);
		in_bytes[n + 4] = (uint8_t)pp->len;
		memcpy(in_bytes + n + 5, pp->payload, pp->len);
		n += 5 + pp->len;
	}
	return n;
}

/* Run our client against V1's recorded server bytes.  Everything up to
 * the ECDH key is deterministic given the server's messages; our ECDH key
 * is fresh, so the first encrypted packet (P1) must then fail its tag. */
static void test_client_against_v1(void)
{
	static struct sec_client w;
	static struct sec_session_cache cache;
	struct sec_policy p;
	struct sec_target t = { "<127.0.0.1:9618>", NULL, 0 };
	struct sec_result res;
	struct cedar_mem m;
	struct cedar_transport tr;
	struct err e;
	size_t in_len = 0;
	int rc;
	char buf[2048];

	CHECK_INT(load("V1-list-fs.txt"), 0);
	in_len = server_bytes(&conns[0]);
	policy_like_reference(&p);
	p.methods[0] = SEC_AUTH_FS;
	p.nmethods = 1;
	p.have_condor_ids = 0;
	cedar_mem_init(&m, in_bytes, in_len, out_bytes, sizeof out_bytes);
	tr = cedar_mem_transport(&m);
	cedar_init(&cs, &tr);
	snprintf(cs.peer_ip, sizeof cs.peer_ip, "127.0.0.1");
	cs.peer_port = 9618;
	sec_cache_init(&cache);
	err_clear(&e);
	rc = sec_start_command(&cs, &p, &cache, &t, 60049, &w, &res, &e);
	CHECK_INT(rc, -1);
	/* the first encrypted packet fails its tag (said in the trace); the
	 * error stack ends as HTCondor's does */
	CHECK_STR(err_text(&e, buf, sizeof buf), "SECMAN:2007:Failed to received post-auth ClassAd");
	CHECK(cedar_crypto_active(&cs));
	/* what we sent before that: M1 (with our key), mask 4, FS result + ext */
	{
		static const uint8_t mask[] = { 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 4 };
		uint32_t m1len = (uint32_t)out_bytes[1] << 24 | (uint32_t)out_bytes[2] << 16 |
		                 (uint32_t)out_bytes[3] << 8 | out_bytes[4];
		const struct pkt *fs2 = pk(0, 5);
		CHECK_MEM(out_bytes + 5 + m1len, mask, sizeof mask);
		CHECK(fs2 && fs2->dir == 'C');
		if (fs2) {
			CHECK_INT(m.out_len, 5 + m1len + 13 + 5 + fs2->len);
			CHECK_MEM(out_bytes + 5 + m1len + 13 + 5, fs2->payload, fs2->len);
		}
	}
	/* the FS directory was removed again */
	{
		struct port_stat st;
		CHECK(port_file_stat("/tmp/FS_127.0.0.1_9618_XXX4abulF_127.0.0.1:9618", &st) < 0);
	}
	/* nothing was cached from a failed handshake */
	CHECK(sec_cache_lookup(&cache, t.sinful, 60049, port_time_now()) == NULL);
}

/* V5 conn 1: a READ query with Authentication "NO" but encryption: the
 * client must still do ECDH and expect an encrypted post-auth ad right
 * after M2 (no method handshake).  Our key differs, so P1 fails its tag;
 * before that we must have sent exactly M1. */
static void test_client_against_v5(void)
{
	static struct sec_client w;
	struct sec_policy p;
	struct sec_target t = { "<127.0.0.1:9618>", NULL, 0 };
	struct sec_result res;
	struct cedar_mem m;
	struct cedar_transport tr;
	struct err e;
	size_t in_len = 0;
	char buf[2048];
	uint32_t m1len;

	CHECK_INT(load("V5-locate-schedd-query.txt"), 0);
	in_len = server_bytes(&conns[0]);
	sec_policy_defaults(&p);
	p.have_condor_ids = 0;
	p.nmethods = 1; /* FS only: nothing that needs a token */
	cedar_mem_init(&m, in_bytes, in_len, out_bytes, sizeof out_bytes);
	tr = cedar_mem_transport(&m);
	cedar_init(&cs, &tr);
	err_clear(&e);
	CHECK_INT(sec_start_command(&cs, &p, NULL, &t, 6, &w, &res, &e), -1);
	CHECK_STR(err_text(&e, buf, sizeof buf), "SECMAN:2007:Failed to received post-auth ClassAd");
	m1len = (uint32_t)out_bytes[1] << 24 | (uint32_t)out_bytes[2] << 16 |
	        (uint32_t)out_bytes[3] << 8 | out_bytes[4];
	CHECK_INT(m.out_len, 5 + m1len);
	CHECK(cedar_crypto_active(&cs));
}

/* The hex of the first line starting with prefix in file, decoded. */
static size_t vec_hex(const char *file, const char *prefix, uint8_t *out, size_t cap)
{
	static char line[16384];
	char path[256];
	size_t n = 0, pl = strlen(prefix);
	FILE *f;

	snprintf(path, sizeof path, VDIR "%s", file);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, prefix, pl)) {
			n = unhex(line + pl, out, cap);
			break;
		}
	fclose(f);
	return n;
}

/* 9.0 (V8c): the server chose the session key and sent it in K2, wrapped
 * by TOKEN with 3DES-CFB64 under W = HKDF(rb); our unwrap must give the
 * key that decrypted every packet, and our hkt must match with the 9.0
 * server name condor_pool@. */
static void test_v8c_unwrap(void)
{
	const char *f = "V8c-9.0-list-token.txt";
	uint8_t rb[256], w[32], w_rec[32], wrapped[64], unwrapped[64], key[32], out[64];

	CHECK_INT(vec_hex(f, "| bytes 256 ", rb, sizeof rb), 256); /* first: TB's ra echo? */
	/* TB carries ra (echo) then rb: take the second 256-byte field. */
	{
		static char line[16384];
		FILE *fp = fopen(VDIR "V8c-9.0-list-token.txt", "r");
		int seen = 0;
		CHECK(fp != NULL);
		while (fp && fgets(line, sizeof line, fp))
			if (strstr(line, "# len(rb)")) {
				if (fgets(line, sizeof line, fp) && !strncmp(line, "| bytes 256 ", 12)) {
					CHECK_INT(unhex(line + 12, rb, sizeof rb), 256);
					seen = 1;
				}
				break;
			}
		if (fp)
			fclose(fp);
		CHECK(seen);
	}
	CHECK_INT(vec_hex(f, "key W ", w_rec, sizeof w_rec), 32);
	CHECK_INT(vec_hex(f, "key k2_wrapped ", wrapped, sizeof wrapped), 32);
	CHECK_INT(vec_hex(f, "key k2_unwrapped ", unwrapped, sizeof unwrapped), 32);
	CHECK_INT(vec_hex(f, "key session_key ", key, sizeof key), 32);
	CHECK_INT(auth_token_session_w(rb, w), 0);
	CHECK_MEM(w, w_rec, 32);
	CHECK_INT(cedar_des3_wrap(w, sizeof w, 0, wrapped, out, 32), 0);
	CHECK_MEM(out, unwrapped, 32);
	CHECK_MEM(out, key, 32);
	/* and wrapping it again gives the recorded bytes */
	CHECK_INT(cedar_des3_wrap(w, sizeof w, 1, key, out, 32), 0);
	CHECK_MEM(out, wrapped, 32);
}

/* 9.0 (V8a): our client against the recorded 9.0 server.  The server
 * ignores our ECDH key and sends the session key in K2, in clear after
 * FS; the server's first encrypted packet was sealed with the 9.0
 * client's transcript, so ours (another M1) fails it, and nothing before
 * that may fail: M2 without NegotiatedSession, the old FS directory name,
 * the key in K2.  The old name carries no server address, so this needs
 * SEC_FS_ENFORCE_CHANNEL_BINDING = false, as it does for the stock
 * 24.0.22+ tools; with the default the client refuses the name (FS:1004)
 * before creating anything. */
static void test_client_against_v8a_binding(int enforce)
{
	static struct sec_client w;
	static struct sec_session_cache cache;
	struct sec_policy p;
	struct sec_target t = { "<127.0.0.1:9648>", NULL, 0 };
	struct sec_result res;
	struct cedar_mem m;
	struct cedar_transport tr;
	struct port_stat st;
	struct err e;
	size_t in_len = 0;
	char buf[2048];

	CHECK_INT(load("V8a-9.0-list-fs.txt"), 0);
	in_len = server_bytes(&conns[0]);
	policy_like_reference(&p);
	p.methods[0] = SEC_AUTH_FS;
	p.nmethods = 1;
	p.have_condor_ids = 0;
	p.fs_enforce_channel_binding = enforce;
	cedar_mem_init(&m, in_bytes, in_len, out_bytes, sizeof out_bytes);
	tr = cedar_mem_transport(&m);
	cedar_init(&cs, &tr);
	snprintf(cs.peer_ip, sizeof cs.peer_ip, "127.0.0.1");
	cs.peer_port = 9648;
	sec_cache_init(&cache);
	err_clear(&e);
	CHECK_INT(sec_start_command(&cs, &p, &cache, &t, 60049, &w, &res, &e), -1);
	err_text(&e, buf, sizeof buf);
	if (enforce)
		CHECK(strstr(buf, "FS:1004:Directory name doesn't match server's network address.") != NULL);
	else {
		CHECK_STR(buf, "SECMAN:2007:Failed to received post-auth ClassAd");
		CHECK(cedar_crypto_active(&cs));
	}
	if (check_fail)
		fprintf(stderr, "  client vs V8a (binding %d): %s\n", enforce, buf);
	/* the 9.0 FS directory (no ip:port in its name) was removed again */
	CHECK(port_file_stat("/tmp/FS_XXX9aJUFi", &st) < 0);
	CHECK(sec_cache_lookup(&cache, t.sinful, 60049, port_time_now()) == NULL);
}

int main(void)
{
	static const char *files[] = { "V1-list-fs.txt",
		                       "V2-list-token.txt",
		                       "V3-approve-token-resume.txt",
		                       "V4-request-ssl-poll.txt",
		                       "V5-locate-schedd-query.txt",
		                       "V6-shared-port.txt",
		                       "V7a-auto-approve.txt",
		                       "V7b-token-fetch.txt",
		                       "V8a-9.0-list-fs.txt",
		                       "V8b-9.0-approve-fs-resume.txt",
		                       "V8c-9.0-list-token.txt" };
	static const int v1_methods[] = { SEC_AUTH_FS, SEC_AUTH_TOKEN, SEC_AUTH_SSL };
	static const int v2_methods[] = { SEC_AUTH_TOKEN };

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		replay_file(files[i]);
	test_client_ad("V1-list-fs.txt", v1_methods, 3);
	test_client_ad("V2-list-token.txt", v2_methods, 1);
	test_resume_ad();
	test_token_proofs();
	test_client_against_v1();
	test_client_against_v5();
	test_v8c_unwrap();
	test_client_against_v8a_binding(0);
	test_client_against_v8a_binding(1);
	return check_done("test_vectors");
}
