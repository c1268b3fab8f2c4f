/*
 * bench_handshake.c - the crypto cost of one new DC_AUTHENTICATE session
 * with TOKEN authentication, client side.
 *
 * A full handshake cannot be replayed against recorded server bytes (the
 * ECDH key is fresh every time), so this times the pieces the client
 * computes, then their sum as one "handshake":
 *
 *   keygen   P-256 key pair + base64 of the public point (M1)
 *   ecdh     base64-decode the server's point + P-256 ECDH + HKDF-SHA256
 *            session key (sec_session_key_from_ecdh)
 *   jwt      parse the IDTOKEN (base64url + JSON claims)
 *   token    Ka = HKDF-SHA256(sig, SEED_KA || T), hkt (HMAC-SHA1, to
 *            check the server), hk (HMAC-SHA1, our proof)
 *   random   the 256-byte TOKEN nonce and the 16-byte GCM IV
 *
 * Inputs are the real values of recording V2 (the admin token and the
 * server's ECDH point).  Exits non-zero only if an operation fails.
 */
#include "auth.h"
#include "jwt.h"
#include "port/crypto.h"
#include "port/port.h"
#include "secman.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define MIN_SECONDS 0.5

static const char token[] =
	"eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.eyJpYXQiOjE3OTYwMjcyMzEsImlzcyI6InJlZnBvb2wubG9jYWwiLCJq"
	"dGkiOiJjNjIxMTY2NTQ5NjEzNjU2MjY4MzQ0M2UxMmRmOWNlMSIsInN1YiI6ImNvbmRvckByZWZwb29sLmxvY2FsIn0."
	"j9gHt-3glHrPDi2PQoSezYJfPiObiaFB2w-S3-9z06E";
static const char server_pub[] =
	"BL+KnNnjS3daHrufUXOgWHYSh/Y8tbqLNNfGjStuWEdaRmgt2AlOuwhKdv/Bcfp35jC+h9zO73RkwWqsVoqJfJ4=";

static uint8_t priv[32], pub[65], key[CEDAR_KEY_LEN], ra[AUTH_TOKEN_NONCE_LEN],
	rb[AUTH_TOKEN_NONCE_LEN], ka[32], mac[20], iv[16];
static char pub_b64[128];
static struct jwt j;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int op_keygen(void)
{
	return crypto_p256_keygen(priv, pub) < 0 || sec_encode_pubkey(pub, pub_b64, sizeof pub_b64) < 0
	               ? -1
	               : 0;
}

static int op_ecdh(void)
{
	struct err e;
	err_clear(&e);
	return sec_session_key_from_ecdh(priv, server_pub, key, &e);
}

static int op_jwt(void)
{
	char why[160];
	return jwt_parse(token, sizeof token - 1, &j, why, sizeof why);
}

static int op_token(void)
{
	if (auth_token_derive(j.sig, j.sig_len, token, j.t_len, 0, ka) < 0 ||
	    auth_token_hkt(ka, "condor@refpool.local", "condor@password", ra, rb, mac) < 0 ||
	    auth_token_hk(ka, "condor@refpool.local", rb, mac) < 0)
		return -1;
	return 0;
}

static int op_random(void)
{
	return port_random(ra, sizeof ra) < 0 || port_random(iv, sizeof iv) < 0 ? -1 : 0;
}

static int op_all(void)
{
	return op_keygen() || op_ecdh() || op_jwt() || op_token() || op_random() ? -1 : 0;
}

static int run(const char *name, int (*op)(void))
{
	unsigned long n = 0;
	double t0 = now(), t;

	do {
		for (int k = 0; k < 8; k++, n++)
			if (op() != 0) {
				fprintf(stderr, "bench_handshake: %s failed\n", name);
				return 1;
			}
		t = now() - t0;
	} while (t < MIN_SECONDS);
	printf("bench_handshake: %-9s %10.0f /s  %9.1f us each\n", name, (double)n / t,
	       t / (double)n * 1e6);
	return 0;
}

int main(void)
{
	int rc = 0;

	/* keys and token in place before the pieces that need them */
	if (op_keygen() || op_jwt() || port_random(rb, sizeof rb) < 0) {
		fprintf(stderr, "bench_handshake: set-up failed\n");
		return 1;
	}
	rc |= run("keygen", op_keygen);
	rc |= run("ecdh", op_ecdh);
	rc |= run("jwt", op_jwt);
	rc |= run("token", op_token);
	rc |= run("random", op_random);
	rc |= run("handshake", op_all);
	return rc;
}
