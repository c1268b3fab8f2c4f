/*
 * cedar_int.h - private glue between cedar.c (framing, primitives) and
 * cedar_crypt.c (the AES-GCM packet layer) and cedar_legacy.c (3DES, MD5).
 * Not for other modules.
 */
#ifndef TOKENBOX_CEDAR_INT_H
#define TOKENBOX_CEDAR_INT_H

#include "cedar.h"

/* Absolute deadline for one network operation (0 = none). */
int64_t cedar_deadline(const struct cedar *c);
/* Record a transport failure (rc = PORT_E*) in e; marks c failed; -1. */
int cedar_io_error(struct cedar *c, long rc, const char *what, struct err *e);
/* Absorb plaintext wire bytes into the sent (sent=1) or received digest. */
void cedar_transcript_add(struct cedar *c, int sent, const void *p, size_t n);

/* Encrypt the send_len plaintext bytes buffered at
 * send_buf + CEDAR_HEADER_LEN + CEDAR_IV_LEN into a complete packet at the
 * start of send_buf (header included); *wire = bytes to transmit. */
int cedar_gcm_seal(struct cedar *c, int end, size_t *wire, struct err *e);
/* Authenticate and decrypt one received packet payload in place at p
 * (len bytes, header hdr); the plaintext ends up at p, *pt_len long. */
int cedar_gcm_open(struct cedar *c, const uint8_t hdr[CEDAR_HEADER_LEN], uint8_t *p,
                   size_t len, size_t *pt_len, struct err *e);

/* Legacy 3DES / MD5 layer (cedar_legacy.c). */
/* Encrypt (put) or decrypt (get) n bytes in place if the mode is on. */
int cedar_legacy_put(struct cedar *c, uint8_t *p, size_t n, struct err *e);
int cedar_legacy_get(struct cedar *c, uint8_t *p, size_t n, struct err *e);
/* End of message in either direction: restart the CFB states. */
void cedar_legacy_eom(struct cedar *c);
/* MAC header for the send_len payload bytes at
 * send_buf + CEDAR_MD_HEADER_LEN: header and MAC written in front of it;
 * *wire = bytes to transmit. */
int cedar_legacy_md_seal(struct cedar *c, int end, size_t *wire, struct err *e);
/* Check a received packet's MAC (mac = header bytes 5..20). */
int cedar_legacy_md_check(struct cedar *c, const uint8_t mac[CEDAR_MD_LEN], const uint8_t *p,
                          size_t len, struct err *e);

#endif
