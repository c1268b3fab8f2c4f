/*
 * cedar_crypt.c - HTCondor's AES-256-GCM packet layer.
 *
 * Per direction: a 16-byte IV0 (ours random, the peer's read from its first
 * packet) and a packet counter n over the whole connection; packet n uses
 * the nonce BE32(BE32(IV0[0..3]) + n) || IV0[4..15].  The AAD is the 5-byte
 * header, except for the first packet in each direction, whose AAD also
 * binds the whole plaintext handshake: SHA256(what the sender sent) ||
 * SHA256(what the sender received) || header.  That is what makes the
 * unauthenticated ECDH exchange safe, so a tag failure is always fatal.
 */
#include <string.h>

#include "cedar_int.h"
#include "debug.h"
#include "port/crypto.h"
#include "port/port.h"

static void nonce_for(const struct cedar_gcm_dir *d, uint8_t out[CEDAR_IV_LEN])
{
	uint32_t w = (uint32_t)d->iv[0] << 24 | (uint32_t)d->iv[1] << 16 |
	             (uint32_t)d->iv[2] << 8 | d->iv[3];
	w += d->counter; /* 32-bit wrap-around, as HTCondor */
	memcpy(out, d->iv, CEDAR_IV_LEN);
	out[0] = (uint8_t)(w >> 24);
	out[1] = (uint8_t)(w >> 16);
	out[2] = (uint8_t)(w >> 8);
	out[3] = (uint8_t)w;
}

/* AAD for packet `first` or not; `mine` = digest of what the packet's
 * sender sent. */
static size_t make_aad(struct cedar *c, int sending, int first,
                       const uint8_t hdr[CEDAR_HEADER_LEN], uint8_t aad[69])
{
	uint8_t sent[32], recvd[32];
	if (!first) {
		memcpy(aad, hdr, CEDAR_HEADER_LEN);
		return CEDAR_HEADER_LEN;
	}
	cedar_transcript(c, sent, recvd);
	if (sending) {
		memcpy(aad, sent, 32);
		memcpy(aad + 32, recvd, 32);
	} else {
		memcpy(aad, recvd, 32);
		memcpy(aad + 32, sent, 32);
	}
	memcpy(aad + 64, hdr, CEDAR_HEADER_LEN);
	return 69;
}

int cedar_gcm_seal(struct cedar *c, int end, size_t *wire, struct err *e)
{
	uint8_t *hdr = c->send_buf;
	uint8_t *pt = c->send_buf + CEDAR_HEADER_LEN + CEDAR_IV_LEN;
	uint8_t *ct;
	uint8_t nonce[CEDAR_IV_LEN], aad[69];
	size_t n = c->send_len, aadlen, plen;
	int first = c->tx.counter == 0;

	if (c->tx.counter == UINT32_MAX) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED, "AES-GCM packet counter exhausted");
		return -1;
	}
	if (first) {
		memcpy(c->send_buf + CEDAR_HEADER_LEN, c->tx.iv, CEDAR_IV_LEN);
		ct = pt;
	} else {
		/* No IV on the wire: the ciphertext starts right after the
		 * header, so slide the plaintext down over the IV slot. */
		ct = c->send_buf + CEDAR_HEADER_LEN;
		memmove(ct, pt, n);
	}
	plen = (first ? CEDAR_IV_LEN : 0) + n + CEDAR_TAG_LEN;
	hdr[0] = (uint8_t)end;
	hdr[1] = (uint8_t)(plen >> 24);
	hdr[2] = (uint8_t)(plen >> 16);
	hdr[3] = (uint8_t)(plen >> 8);
	hdr[4] = (uint8_t)plen;
	nonce_for(&c->tx, nonce);
	aadlen = make_aad(c, 1, first, hdr, aad);
	if (crypto_aes256gcm_encrypt(c->key, nonce, CEDAR_IV_LEN, aad, aadlen, ct, n, ct,
	                             ct + n) < 0) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED, "AES-GCM encryption failed");
		return -1;
	}
	c->tx.counter++;
	*wire = CEDAR_HEADER_LEN + plen;
	return 0;
}

int cedar_gcm_open(struct cedar *c, const uint8_t hdr[CEDAR_HEADER_LEN], uint8_t *p,
                   size_t len, size_t *pt_len, struct err *e)
{
	int first = c->rx.counter == 0;
	size_t over = (first ? CEDAR_IV_LEN : 0) + CEDAR_TAG_LEN, n, aadlen;
	uint8_t nonce[CEDAR_IV_LEN], aad[69], tag[CEDAR_TAG_LEN];
	int rc;

	if (len <= over) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Encrypted packet too short (%lu bytes, need more than %lu)",
		         (unsigned long)len, (unsigned long)over);
		return -1;
	}
	if (c->rx.counter == UINT32_MAX) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED, "AES-GCM packet counter exhausted");
		return -1;
	}
	n = len - over;
	if (first) {
		memcpy(c->rx.iv, p, CEDAR_IV_LEN);
		memmove(p, p + CEDAR_IV_LEN, n + CEDAR_TAG_LEN);
	}
	memcpy(tag, p + n, CEDAR_TAG_LEN);
	nonce_for(&c->rx, nonce);
	aadlen = make_aad(c, 0, first, hdr, aad);
	rc = crypto_aes256gcm_decrypt(c->key, nonce, CEDAR_IV_LEN, aad, aadlen, p, n, p, tag);
	if (rc < 0) {
		c->failed = 1;
		if (first)
			err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
			         "AES-GCM authentication failed on the first encrypted packet "
			         "(wrong session key or handshake transcript mismatch); "
			         "closing connection");
		else
			err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
			         "AES-GCM authentication failed on encrypted packet %lu "
			         "(data corrupted or tampered); closing connection",
			         (unsigned long)c->rx.counter);
		return -1;
	}
	c->rx.counter++;
	*pt_len = n;
	return 0;
}

int cedar_crypto_on_iv(struct cedar *c, const uint8_t key[CEDAR_KEY_LEN],
                       const uint8_t iv[CEDAR_IV_LEN], struct err *e)
{
	if (c->send_len > 0 || c->recv_ready) {
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED,
		         "Cannot turn on encryption in the middle of a message");
		return -1;
	}
	if (c->crypto || c->legacy.on) {
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED, "Encryption is already on");
		return -1;
	}
	memcpy(c->key, key, CEDAR_KEY_LEN);
	memcpy(c->tx.iv, iv, CEDAR_IV_LEN);
	c->tx.counter = 0;
	memset(&c->rx, 0, sizeof c->rx);
	c->crypto = 1;
	dbg(D_NETWORK, "CEDAR: AES-256-GCM on (plaintext so far: %llu bytes sent, %llu received)",
	    (unsigned long long)c->sent_bytes, (unsigned long long)c->recv_bytes);
	return 0;
}

int cedar_crypto_on(struct cedar *c, const uint8_t key[CEDAR_KEY_LEN], struct err *e)
{
	uint8_t iv[CEDAR_IV_LEN];
	if (port_random(iv, sizeof iv) < 0) {
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED, "No randomness for the AES-GCM IV");
		return -1;
	}
	return cedar_crypto_on_iv(c, key, iv, e);
}

int cedar_crypto_active(const struct cedar *c)
{
	return c->crypto;
}
