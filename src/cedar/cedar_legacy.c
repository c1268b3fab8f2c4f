/*
 * cedar_legacy.c - the crypto HTCondor 9.0-9.8 daemons use when the
 * session's method is 3DES (security-handshake.md §8.4, cedar.md §1.1,
 * §2, §3.7): 3DES-CFB64 applied to the bytes as they are put and read,
 * restarted at every end of message, and the optional per-packet MD5 MAC
 * header.  Also the one-shot 3DES wrap the TOKEN and SSL methods use for a
 * pre-9.9 server's session key.
 *
 * Mbed TLS 3.6 has no Blowfish, so HTCondor's other legacy method is not
 * here; secman never offers it.
 */
#include <string.h>

#include "cedar_int.h"
#include "debug.h"
#include "port/crypto.h"

/* The MAC travels where AES-GCM's first-packet IV would: send_area() keeps
 * that slot free in front of every packet, so a MAC packet is built in
 * place exactly like a GCM one. */
_Static_assert(CEDAR_MD_LEN == CEDAR_IV_LEN, "MAC slot must equal the IV slot");

void cedar_des3_key(const uint8_t *key, size_t n, uint8_t out[CEDAR_DES3_KEY_LEN])
{
	size_t i;
	if (n == 0) {
		memset(out, 0, CEDAR_DES3_KEY_LEN);
		return;
	}
	if (n >= CEDAR_DES3_KEY_LEN) {
		memcpy(out, key, CEDAR_DES3_KEY_LEN);
		/* Keys longer than 24 bytes are folded in, so two keys that
		 * share a prefix still give different 3DES keys. */
		for (i = CEDAR_DES3_KEY_LEN; i < n; i++)
			out[i % CEDAR_DES3_KEY_LEN] ^= key[i];
		return;
	}
	for (i = 0; i < CEDAR_DES3_KEY_LEN; i++)
		out[i] = key[i % n];
}

int cedar_des3_wrap(const uint8_t *wrap_key, size_t wlen, int encrypt, const uint8_t *in,
                    uint8_t *out, size_t n)
{
	uint8_t k[CEDAR_DES3_KEY_LEN];
	crypto_des3_cfb s;
	int r;

	if (wlen == 0)
		return -1;
	cedar_des3_key(wrap_key, wlen, k);
	crypto_des3_cfb_init(&s, k);
	r = encrypt ? crypto_des3_cfb_encrypt(&s, in, out, n) : crypto_des3_cfb_decrypt(&s, in, out, n);
	crypto_wipe(k, sizeof k);
	crypto_wipe(&s, sizeof s);
	return r < 0 ? -1 : 0;
}

int cedar_legacy_on(struct cedar *c, const uint8_t *key, size_t key_len, int encrypt,
                    int integrity, struct err *e)
{
	uint8_t k[CEDAR_DES3_KEY_LEN];

	if (c->send_len > 0 || c->recv_ready) {
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED,
		         "Cannot turn on encryption in the middle of a message");
		return -1;
	}
	if (c->crypto || c->legacy.on) {
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED, "Encryption is already on");
		return -1;
	}
	if (key_len == 0 || key_len > CEDAR_LEGACY_KEY_MAX) {
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED,
		         "Legacy session key of %lu bytes (must be 1..CEDAR_LEGACY_KEY_MAX=%d)",
		         (unsigned long)key_len, CEDAR_LEGACY_KEY_MAX);
		return -1;
	}
	memcpy(c->legacy.key, key, key_len);
	c->legacy.key_len = key_len;
	cedar_des3_key(key, key_len, k);
	crypto_des3_cfb_init(&c->legacy.tx, k);
	crypto_des3_cfb_init(&c->legacy.rx, k);
	crypto_wipe(k, sizeof k);
	c->legacy.encrypt = encrypt != 0;
	c->legacy.md = integrity != 0;
	c->legacy.on = 1;
	/* HTCondor's MAC packets come from the same 4096-byte buffer, of
	 * which the MAC now takes sixteen bytes (identical packets only). */
	if (c->legacy.md && c->send_chunk == CEDAR_SEND_CHUNK)
		c->send_chunk = CEDAR_MD_SEND_CHUNK;
	dbg(D_NETWORK, "CEDAR: legacy 3DES-CFB session key installed (encryption %s, MD5 integrity %s)",
	    c->legacy.encrypt ? "on" : "off (secrets only)", c->legacy.md ? "on" : "off");
	return 0;
}

int cedar_legacy_active(const struct cedar *c)
{
	return c->legacy.on;
}

int cedar_legacy_set_encrypt(struct cedar *c, int on)
{
	if (c->crypto)
		return 0;
	if (!c->legacy.on)
		return -1;
	c->legacy.encrypt = on != 0;
	return 0;
}

int cedar_encrypting(const struct cedar *c)
{
	return c->crypto || (c->legacy.on && c->legacy.encrypt);
}

int cedar_legacy_put(struct cedar *c, uint8_t *p, size_t n, struct err *e)
{
	if (!c->legacy.on || !c->legacy.encrypt || n == 0)
		return 0;
	if (crypto_des3_cfb_encrypt(&c->legacy.tx, p, p, n) < 0) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED, "3DES encryption failed");
		return -1;
	}
	return 0;
}

int cedar_legacy_get(struct cedar *c, uint8_t *p, size_t n, struct err *e)
{
	if (!c->legacy.on || !c->legacy.encrypt || n == 0)
		return 0;
	if (crypto_des3_cfb_decrypt(&c->legacy.rx, p, p, n) < 0) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED, "3DES decryption failed");
		return -1;
	}
	return 0;
}

void cedar_legacy_eom(struct cedar *c)
{
	if (!c->legacy.on)
		return;
	/* Zero IV, start of a block: the state of a fresh key. */
	memset(c->legacy.tx.iv, 0, sizeof c->legacy.tx.iv);
	c->legacy.tx.off = 0;
	memset(c->legacy.rx.iv, 0, sizeof c->legacy.rx.iv);
	c->legacy.rx.off = 0;
}

int cedar_legacy_md_seal(struct cedar *c, int end, size_t *wire, struct err *e)
{
	uint8_t *hdr = c->send_buf;
	const uint8_t *payload = c->send_buf + CEDAR_MD_HEADER_LEN;
	size_t n = c->send_len;

	hdr[0] = (uint8_t)end;
	hdr[1] = (uint8_t)(n >> 24);
	hdr[2] = (uint8_t)(n >> 16);
	hdr[3] = (uint8_t)(n >> 8);
	hdr[4] = (uint8_t)n;
	/* The MAC covers the payload as sent (ciphertext when encrypting),
	 * not the header: HTCondor's Buf::computeMD. */
	if (crypto_md5(c->legacy.key, c->legacy.key_len, payload, n, hdr + CEDAR_HEADER_LEN) < 0) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_PUT_FAILED, "MD5 computation failed");
		return -1;
	}
	*wire = CEDAR_MD_HEADER_LEN + n;
	return 0;
}

int cedar_legacy_md_check(struct cedar *c, const uint8_t mac[CEDAR_MD_LEN], const uint8_t *p,
                          size_t len, struct err *e)
{
	uint8_t want[CEDAR_MD_LEN];
	uint8_t diff = 0;

	if (crypto_md5(c->legacy.key, c->legacy.key_len, p, len, want) < 0) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED, "MD5 computation failed");
		return -1;
	}
	for (size_t i = 0; i < CEDAR_MD_LEN; i++)
		diff |= (uint8_t)(want[i] ^ mac[i]);
	if (diff) {
		c->failed = 1;
		err_push(e, "CEDAR", CEDAR_ERR_GET_FAILED,
		         "Message Digest/MAC verification failed (packet corrupted, tampered "
		         "with, or a different session key); closing connection");
		return -1;
	}
	return 0;
}

int cedar_put_secret(struct cedar *c, const char *s, struct err *e)
{
	int was = c->legacy.encrypt, r;
	/* Only a legacy key with the mode off changes anything: AES-GCM is
	 * always on, and without a key HTCondor sends the secret as is. */
	if (c->legacy.on)
		c->legacy.encrypt = 1;
	r = cedar_put_str(c, s, e);
	c->legacy.encrypt = was;
	return r;
}

int cedar_get_secret(struct cedar *c, char *buf, size_t cap, const char *what,
                     struct err *e)
{
	int was = c->legacy.encrypt, r;
	if (c->legacy.on)
		c->legacy.encrypt = 1;
	r = cedar_get_str(c, buf, cap, what, e);
	c->legacy.encrypt = was;
	return r;
}
