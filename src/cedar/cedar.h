/*
 * cedar.h - HTCondor's CEDAR stream ("ReliSock") over a byte transport.
 *
 * A CEDAR connection carries messages; a message is one or more packets,
 * each a 5-byte header (end flag, 32-bit big-endian payload length) and a
 * payload.  Values inside a message: every integer is 8 bytes big-endian,
 * strings are NUL-terminated in plaintext mode and 8-byte-length-prefixed
 * once encryption is on, doubles are two integers (see cedar.md).
 *
 * The stream is symmetric: a client and the test daemon use the same code.
 * Sending buffers one packet's worth of bytes and flushes full packets with
 * the end flag 0; cedar_end_send() flushes the rest with the end flag 1.
 * Receiving reads a *whole* message into a bounded buffer before the first
 * value is decoded (HTCondor does the same), and cedar_end_recv() fails
 * unless every byte of it was consumed.
 *
 * AES-256-GCM (cedar_crypto_on): every later packet is
 *   [16-byte IV, first packet per direction only] ciphertext tag(16)
 * with per-direction packet counters added to the IV's first 32 bits.  The
 * first encrypted packet in each direction is authenticated against
 * SHA-256 digests of every plaintext byte (headers included) sent and
 * received so far; the stream keeps those digests itself.
 *
 * Memory: struct cedar is large (about 1.1 MiB, dominated by the receive
 * buffer) and caller-owned; give it static storage, not the stack.  No
 * function allocates.
 *
 * Errors go to struct err under subsystem "CEDAR" with HTCondor's codes
 * (CEDAR_ERR_*); every function returns 0 on success, -1 on failure.
 * After any failure the connection is unusable (cedar_failed() is 1):
 * a half-read message or a failed tag leaves no way to resynchronise.
 */
#ifndef TOKENBOX_CEDAR_H
#define TOKENBOX_CEDAR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "port/crypto.h"

/* ---- bounds (all on untrusted input are errors naming the bound) ------ */

/* Header: end flag (1 byte) + payload length (4 bytes, big-endian). */
#define CEDAR_HEADER_LEN 5
/* Largest packet payload a receiver accepts (HTCondor's max_packet_size). */
#define CEDAR_MAX_PACKET (1024 * 1024)
/* Largest whole message we buffer on receive (sum of plaintext payloads).
 * HTCondor has no per-message cap; no token-tool message comes close. */
#define CEDAR_MAX_MESSAGE (1024 * 1024)
/* Payload bytes of a non-final plaintext packet, as HTCondor sends them
 * (4096-byte buffer minus the header).  Only matters for identical bytes. */
#define CEDAR_SEND_CHUNK 4091
/* Largest packet cedar_set_send_chunk() allows (e.g. one big packet for a
 * TLS flight that must not be split before authentication). */
#define CEDAR_SEND_CHUNK_MAX (64 * 1024)
/* Longest string cedar_get_str accepts in encrypted mode (HTCondor: 10e6);
 * in practice bounded by CEDAR_MAX_MESSAGE anyway. */
#define CEDAR_MAX_STRING CEDAR_MAX_MESSAGE

#define CEDAR_KEY_LEN 32 /* AES-256 */
#define CEDAR_IV_LEN 16  /* HTCondor's GCM nonce is 16 bytes, not 12 */
#define CEDAR_TAG_LEN 16

/* Legacy (HTCondor 9.0-9.8, or a server told to prefer 3DES) crypto. */
#define CEDAR_DES3_KEY_LEN 24 /* 3DES-EDE key after folding (getPaddedKeyData) */
/* Longest session key a legacy session accepts; the MAC covers all of it.
 * HTCondor sends 24 bytes for 3DES. */
#define CEDAR_LEGACY_KEY_MAX 32
#define CEDAR_MD_LEN 16 /* MD5 MAC in the extended header */
#define CEDAR_MD_HEADER_LEN (CEDAR_HEADER_LEN + CEDAR_MD_LEN)
/* Payload of a non-final packet with the MAC header (4096 - 21). */
#define CEDAR_MD_SEND_CHUNK (4096 - CEDAR_MD_HEADER_LEN)

/* Default timeouts (HTCondor's token tools: 5 s connect, 20 s command). */
#define CEDAR_CONNECT_TIMEOUT_MS 5000
#define CEDAR_COMMAND_TIMEOUT_MS 20000

/* Well-known command numbers the stream layer needs to know. */
#define CEDAR_DC_AUTHENTICATE 60010

/* HTCondor's CEDAR error codes (condor_error_codes.h numbering). */
enum {
	CEDAR_ERR_CONNECT_FAILED = 6001,
	CEDAR_ERR_EOM_FAILED = 6002,
	CEDAR_ERR_PUT_FAILED = 6003,
	CEDAR_ERR_GET_FAILED = 6004,
	CEDAR_ERR_DEADLINE_EXPIRED = 6008
};

/* ---- transport ---------------------------------------------------------- */

/*
 * The bytes underneath.  send() must write all n bytes (0) or fail
 * (negative PORT_E* code).  recv() returns 1..n bytes, PORT_ECLOSED when
 * the peer closed, PORT_ETIMEDOUT, or another negative PORT_E* code.
 * deadline: absolute port_clock_ms() value, 0 = none.
 */
struct cedar_transport {
	void *ctx;
	int (*send)(void *ctx, const void *buf, size_t n, int64_t deadline);
	long (*recv)(void *ctx, void *buf, size_t n, int64_t deadline);
};

/* In-memory transport for tests and fuzzing: recv() serves `in`, send()
 * appends to `out` (fails with PORT_ETOOBIG when full).  Running out of
 * input reads as the peer closing the connection. */
struct cedar_mem {
	const uint8_t *in;
	size_t in_len, in_pos;
	uint8_t *out;
	size_t out_cap, out_len;
};
void cedar_mem_init(struct cedar_mem *m, const void *in, size_t in_len, void *out,
                    size_t out_cap);
struct cedar_transport cedar_mem_transport(struct cedar_mem *m);

/* ---- the stream ------------------------------------------------------ */

/* Per-direction AES-GCM state. */
struct cedar_gcm_dir {
	uint8_t iv[CEDAR_IV_LEN]; /* IV0: ours (random) or learned from the peer */
	uint32_t counter;         /* packets so far in this direction */
};

/* Legacy 3DES session state (cedar_legacy.c).  HTCondor keeps one CFB
 * state for both directions and zeroes it at every end of message; since
 * a message is always finished before the other direction starts, two
 * states reset together at every EOM behave identically. */
struct cedar_legacy {
	int on;      /* a 3DES session key is installed */
	int encrypt; /* encryption mode: data is CFB-encrypted as it is put/got,
	              * strings are length-prefixed */
	int md;      /* every packet carries MD5(key || payload) */
	uint8_t key[CEDAR_LEGACY_KEY_MAX]; /* the session key as agreed (MAC key) */
	size_t key_len;
	crypto_des3_cfb tx, rx;
};

struct cedar {
	struct cedar_transport tr;
	int handle;     /* port TCP handle when opened by cedar_connect, else -1 */
	int timeout_ms; /* per network operation; 0 = wait forever */
	int64_t end_by; /* no operation runs past this port_clock_ms(); 0 = none */
	int failed;     /* sticky: the connection is unusable */
	int closed;     /* the peer closed the connection */

	/* Who we are talking to, as seen on this connection (FS needs it).
	 * Filled by cedar_connect / the accepting side; free-form otherwise. */
	char peer_ip[64];
	unsigned peer_port;

	/* sending */
	size_t send_chunk; /* plaintext bytes per packet (default 4091) */
	size_t send_len;   /* bytes buffered for the next packet */
	int allow_empty;   /* next empty cedar_end_send() is fine, sends nothing */

	/* receiving: the current message, fully buffered */
	size_t recv_len;  /* plaintext bytes of the message */
	size_t recv_pos;  /* consumed so far */
	int recv_ready;   /* a complete message is buffered */

	/* transcript of plaintext traffic (headers included) for the AAD */
	uint64_t sent_bytes, recv_bytes;
	struct crypto_sha256 sent_md, recv_md;
	int have_final_md;
	uint8_t final_sent[32], final_recv[32];

	/* AES-GCM */
	int crypto;       /* 0 plaintext, 1 AES-256-GCM */
	uint8_t key[CEDAR_KEY_LEN];
	struct cedar_gcm_dir tx, rx;

	/* legacy 3DES-CFB / MD5 (never together with AES-GCM) */
	struct cedar_legacy legacy;

	uint8_t send_buf[CEDAR_HEADER_LEN + CEDAR_IV_LEN + CEDAR_SEND_CHUNK_MAX + CEDAR_TAG_LEN];
	uint8_t recv_buf[CEDAR_MAX_MESSAGE + CEDAR_IV_LEN + CEDAR_TAG_LEN];
};

/* Set up c over transport t (copied).  Timeout: CEDAR_COMMAND_TIMEOUT_MS. */
void cedar_init(struct cedar *c, const struct cedar_transport *t);
/* Connect over TCP with port_tcp_connect (connect_timeout_ms; 0 = the
 * default 5 s) and set up c on the handle.  Fills peer_ip/peer_port. */
int cedar_connect(struct cedar *c, const char *host, unsigned port,
                  int connect_timeout_ms, struct err *e);
/* Set up c on an already-connected port TCP handle (the test daemon). */
void cedar_init_handle(struct cedar *c, int handle);
/* Close the TCP handle if we own one and wipe key material. */
void cedar_close(struct cedar *c);

void cedar_set_timeout(struct cedar *c, int timeout_ms);
/* A bound on the whole exchange, whatever each operation's timeout: a
 * peer that trickles bytes (each read within its timeout) still ends at
 * end_by (absolute port_clock_ms(); 0 = none). */
void cedar_set_end_by(struct cedar *c, int64_t end_by);
/* Packet size used when sending (1..CEDAR_SEND_CHUNK_MAX). */
int cedar_set_send_chunk(struct cedar *c, size_t n);
int cedar_failed(const struct cedar *c);

/* ---- sending ----------------------------------------------------------- */

int cedar_put_int(struct cedar *c, int64_t v, struct err *e);
/* NULL is sent as "" (as HTCondor does). */
int cedar_put_str(struct cedar *c, const char *s, struct err *e);
/* n raw bytes, no length prefix. */
int cedar_put_bytes(struct cedar *c, const void *p, size_t n, struct err *e);
int cedar_put_double(struct cedar *c, double d, struct err *e);
/* Flush the message with the end flag.  An empty message is an error
 * (empty packets are illegal) unless cedar_allow_empty() was called. */
int cedar_end_send(struct cedar *c, struct err *e);
/* The next cedar_end_send() with nothing buffered succeeds silently. */
void cedar_allow_empty(struct cedar *c);

/* ---- receiving ------------------------------------------------------- */

/* Each getter reads the next whole message first if none is buffered.
 * Reading past the end of the message is an error. */
int cedar_get_int(struct cedar *c, int64_t *v, struct err *e);
/* A string as a pointer into the message buffer (valid until
 * cedar_end_recv), NUL-terminated, *len = strlen.  HTCondor's special
 * NULL string (0xFF) yields *s = NULL.  len may be NULL. */
int cedar_get_str_ptr(struct cedar *c, const char **s, size_t *len, struct err *e);
/* Copy a string into buf (cap bytes incl. NUL); too long is an error naming
 * the caller's bound `what`.  A NULL string is an error. */
int cedar_get_str(struct cedar *c, char *buf, size_t cap, const char *what,
                  struct err *e);
int cedar_get_bytes(struct cedar *c, void *p, size_t n, struct err *e);
int cedar_get_double(struct cedar *c, double *d, struct err *e);
/* Make sure a whole message is buffered (reads it if needed). */
int cedar_recv_message(struct cedar *c, struct err *e);
/* Bytes of the buffered message not consumed yet (0 if none buffered). */
size_t cedar_recv_remaining(const struct cedar *c);
/* End of the received message: fails unless every byte was consumed;
 * the message is discarded either way. */
int cedar_end_recv(struct cedar *c, struct err *e);

/* ---- crypto ------------------------------------------------------------ */

/* Switch both directions to AES-256-GCM with key; a fresh random send IV,
 * counters at 0.  Once on it stays on for the connection.  Call it only
 * between messages (nothing buffered in either direction). */
int cedar_crypto_on(struct cedar *c, const uint8_t key[CEDAR_KEY_LEN], struct err *e);
/* Same with a given send IV (tests and recorded-vector replay only). */
int cedar_crypto_on_iv(struct cedar *c, const uint8_t key[CEDAR_KEY_LEN],
                       const uint8_t iv[CEDAR_IV_LEN], struct err *e);
int cedar_crypto_active(const struct cedar *c);
/* Forget the plaintext transcript so far (after the shared-port connect
 * message, whose bytes HTCondor excludes from the digests). */
void cedar_reset_transcript(struct cedar *c);
/* ---- legacy crypto (cedar_legacy.c) ------------------------------------
 *
 * What HTCondor 9.0-9.8 runs when the session's method is 3DES (its
 * BLOWFISH cannot be offered: Mbed TLS 3.6 has no Blowfish):
 *   - 3DES-EDE in CFB-64 mode, zero IV, key = the session key folded to
 *     24 bytes; bytes are encrypted as they are put and decrypted as they
 *     are read, so packet sizes do not change; the cipher state restarts
 *     at every end of message, in both directions;
 *   - encryption is a mode that can be off while the key is installed
 *     (Encryption = NO): then only secrets are encrypted (put_secret);
 *   - with Integrity = YES every packet header grows to 21 bytes: end flag,
 *     length, MD5(session key || payload as sent).  A wrong MAC is fatal.
 * There is no replay or reordering protection beyond TCP's; this mode is
 * for old peers only.
 */

/* Install a legacy session key: key_len (1..CEDAR_LEGACY_KEY_MAX) bytes;
 * encrypt = start in encryption mode; integrity = MAC every packet from
 * now on.  Only between messages, and not after cedar_crypto_on. */
int cedar_legacy_on(struct cedar *c, const uint8_t *key, size_t key_len, int encrypt,
                    int integrity, struct err *e);
int cedar_legacy_active(const struct cedar *c);
/* Encryption mode of a legacy session from the next byte on (HTCondor's
 * set_crypto_mode; the token-request client forces it on).  -1 if no
 * legacy key is installed; a no-op returning 0 under AES-GCM, which is
 * always on. */
int cedar_legacy_set_encrypt(struct cedar *c, int on);
/* 1 while strings go length-prefixed: AES-GCM, or legacy encryption on. */
int cedar_encrypting(const struct cedar *c);
/* One string encrypted even when the mode is off (HTCondor's
 * put_secret/get_secret); plaintext if there is no key at all. */
int cedar_put_secret(struct cedar *c, const char *s, struct err *e);
int cedar_get_secret(struct cedar *c, char *buf, size_t cap, const char *what,
                     struct err *e);

/* HTCondor's KeyInfo::getPaddedKeyData(24): copy the first 24 bytes and
 * XOR every further byte i into out[i % 24]; a shorter key repeats. */
void cedar_des3_key(const uint8_t *key, size_t n, uint8_t out[CEDAR_DES3_KEY_LEN]);
/* A method's key wrap (TOKEN/PASSWORD/SSL wrap()/unwrap()): 3DES-CFB64
 * from a zero IV under wrap_key folded as above; out may equal in. */
int cedar_des3_wrap(const uint8_t *wrap_key, size_t wlen, int encrypt, const uint8_t *in,
                    uint8_t *out, size_t n);

/* The digests the first encrypted packets use (computed now if needed):
 * sent = our plaintext bytes, recvd = the peer's.  32 zero bytes for a
 * direction with no plaintext traffic. */
void cedar_transcript(struct cedar *c, uint8_t sent[32], uint8_t recvd[32]);

#endif
