/*
 * p256.h - ECDH on NIST P-256 (secp256r1), tokenbox's own.
 *
 * The one curve operation HTCondor 9.9+ session keys need, in plain C with
 * no allocation and no library: a scalar times a point, constant-time in
 * the scalar.  Mbed TLS's ECP did this through its generic bignum layer at
 * about three times the cost (bench/README.md); a build without SSL links
 * no bignum or ECP code at all now.
 *
 * Scalars are 32 bytes big-endian and must lie in [1, n-1]; points are
 * SEC1: 04 || X || Y, or 02/03 || X (compressed) on input.  Every function
 * returns 0 or -1 and never reads past the lengths it is given.
 */
#ifndef TOKENBOX_P256_H
#define TOKENBOX_P256_H

#include <stddef.h>
#include <stdint.h>

#define P256_SCALAR_LEN 32
#define P256_POINT_LEN 65 /* 04 || X || Y */
#define P256_SECRET_LEN 32

/* pub = priv * G.  -1 if priv is 0 or not below the group order n. */
int p256_public_key(uint8_t pub[P256_POINT_LEN], const uint8_t priv[P256_SCALAR_LEN]);

/* secret = X coordinate of priv * peer.  -1 for a bad scalar, a malformed
 * encoding, a coordinate >= p or a point not on the curve (so a hostile
 * peer cannot steer us onto a weaker curve). */
int p256_shared_secret(uint8_t secret[P256_SECRET_LEN], const uint8_t priv[P256_SCALAR_LEN],
                       const uint8_t *peer, size_t peer_len);

#endif
