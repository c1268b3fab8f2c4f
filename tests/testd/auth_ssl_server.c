/*
 * auth_ssl_server.c - SSL authentication, server side, as a 25.x daemon
 * runs it (auth-methods.md §2.3 mirrored):
 *
 *   send our status (0, or -1 if the host certificate cannot be loaded),
 *   read the client's; handshake rounds from 0: receive on even rounds,
 *   send on odd ones, the engine stepped first unless HOLDING; stop when
 *   both HOLDING, fail when either QUITTING (no further message);
 *   post-connection check (client certificate optional unless required;
 *   a presented one must verify), on failure one [QUITTING, 0];
 *   key rounds from 0: write 256 random bytes through TLS, send on even
 *   rounds, receive on odd ones, until both HOLDING.
 *
 * Every CertificateRequest-capable handshake asks for a client
 * certificate, as HTCondor's SSL_VERIFY_PEER server context does (the
 * real V4 capture shows the request and the client's empty answer).
 */
#include "auth_ssl_server.h"

#include <stdio.h>
#include <string.h>

#include "auth_ssl.h"
#include "port/crypto.h"
#include "port/port.h"

static struct auth_ssl_io srv_io;

/* Handshake phase.  0, -1 (method failed), -2 (broken). */
static int srv_handshake(struct crypto_tls_server *t, int ss, struct err *e)
{
	int cs = AUTH_SSL_A_OK, round = 0, rc;
	char why[ERR_MSG_LEN] = "";

	for (;;) {
		if (ss != AUTH_SSL_HOLDING) {
			if (round >= AUTH_SSL_HANDSHAKE_ROUNDS_MAX) {
				snprintf(why, sizeof why, "too many handshake rounds");
				ss = AUTH_SSL_QUITTING;
			} else {
				rc = crypto_tls_server_handshake(t, why, sizeof why);
				ss = rc == 0                      ? AUTH_SSL_HOLDING
				     : rc == CRYPTO_TLS_WANT_READ ? AUTH_SSL_RECEIVING
				                                  : AUTH_SSL_QUITTING;
			}
		}
		if (round % 2 == 0)
			rc = auth_ssl_recv_data(&srv_io, &cs, e);
		else
			rc = auth_ssl_send_data(&srv_io, ss, e);
		if (rc < 0)
			return -2;
		round++;
		if (cs == AUTH_SSL_ERROR)
			cs = AUTH_SSL_QUITTING;
		if (cs == AUTH_SSL_HOLDING && ss == AUTH_SSL_HOLDING)
			return 0;
		if (ss == AUTH_SSL_QUITTING) {
			err_push(e, "SSL", 1003, "server TLS handshake failed: %s", why);
			return -1;
		}
		if (cs == AUTH_SSL_QUITTING) {
			err_push(e, "SSL", 1002, "the client aborted the TLS handshake");
			return -1;
		}
	}
}

/* post_connection_check, server role; fills peer.  0 or -1. */
static int srv_check_client(struct crypto_tls_server *t, const struct testd_ssl_opts *o,
                            struct testd_ssl_peer *peer, struct err *e)
{
	unsigned flags = 0;
	int i, rc = crypto_tls_server_peer(t, &flags, peer->name, sizeof peer->name);

	if (rc < 0) {
		err_push(e, "SSL", 1004, "cannot read the client certificate");
		return -1;
	}
	if (rc == 0) {
		if (o->require_client_cert) {
			err_push(e, "SSL", 1004, "Anonymous client is not allowed "
			                         "(AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE)");
			return -1;
		}
		snprintf(peer->name, sizeof peer->name, "unauthenticated");
		snprintf(peer->fqu, sizeof peer->fqu, "unauthenticated@unmapped");
		return 0;
	}
	if (flags != 0) {
		err_push(e, "SSL", 1004, "client certificate %s does not verify (flags 0x%x)",
		         peer->name, flags);
		return -1;
	}
	peer->has_cert = 1;
	for (i = 0; i < o->nmap && i < TESTD_SSL_MAP_MAX; i++) {
		if (o->map[i].dn && o->map[i].fqu && strcmp(o->map[i].dn, peer->name) == 0) {
			snprintf(peer->fqu, sizeof peer->fqu, "%s", o->map[i].fqu);
			peer->mapped = 1;
			return 0;
		}
	}
	snprintf(peer->fqu, sizeof peer->fqu, "ssl@unmapped");
	return 0;
}

/* Key phase: write the 256 bytes (kept in key).  0, -1, -2. */
static int srv_send_key(struct crypto_tls_server *t, uint8_t key[AUTH_SSL_SESSION_KEY_LEN],
                        struct err *e)
{
	int cs = AUTH_SSL_RECEIVING, ss = AUTH_SSL_RECEIVING, round = 0, rc = 0;

	if (port_random(key, AUTH_SSL_SESSION_KEY_LEN) != 0) {
		err_push(e, "SSL", 1005, "no randomness for the session key");
		return auth_ssl_send_empty(&srv_io, AUTH_SSL_QUITTING, e) < 0 ? -2 : -1;
	}
	for (;;) {
		if (round > AUTH_SSL_KEY_ROUNDS_MAX) {
			ss = AUTH_SSL_QUITTING;
			break;
		}
		if (ss != AUTH_SSL_HOLDING)
			ss = crypto_tls_server_write(t, key, AUTH_SSL_SESSION_KEY_LEN) ==
			                     AUTH_SSL_SESSION_KEY_LEN
			             ? AUTH_SSL_HOLDING
			             : AUTH_SSL_QUITTING;
		if (round % 2 == 0)
			rc = auth_ssl_send_data(&srv_io, ss, e);
		else
			rc = auth_ssl_recv_data(&srv_io, &cs, e);
		if (rc < 0)
			break;
		round++;
		if ((cs == AUTH_SSL_HOLDING && ss == AUTH_SSL_HOLDING) || cs == AUTH_SSL_QUITTING ||
		    cs == AUTH_SSL_ERROR || ss == AUTH_SSL_QUITTING)
			break;
	}
	if (rc < 0)
		return -2;
	if (cs != AUTH_SSL_HOLDING || ss != AUTH_SSL_HOLDING) {
		err_push(e, "SSL", 1005, "SSL key exchange failed (client %d, server %d)", cs, ss);
		return -1;
	}
	return 0;
}

int testd_ssl_server(struct cedar *c, const struct testd_ssl_opts *o,
                     struct testd_ssl_peer *peer, struct err *e)
{
	struct crypto_tls_server_opts so;
	struct crypto_tls_server *t;
	char why[ERR_MSG_LEN] = "";
	int ss, cs, rc = -1;

	memset(peer, 0, sizeof *peer);
	auth_ssl_io_init(&srv_io, c);
	memset(&so, 0, sizeof so);
	so.cert_file = o->cert_file;
	so.key_file = o->key_file;
	so.ca_file = o->ca_file;
	so.version = o->version;
	t = crypto_tls_server_new(&so, auth_ssl_io_send, auth_ssl_io_recv, &srv_io, why,
	                          sizeof why);
	ss = t ? AUTH_SSL_A_OK : AUTH_SSL_ERROR;

	if (auth_ssl_send_status(c, ss, e) < 0 || auth_ssl_recv_status(c, &cs, e) < 0) {
		rc = -2;
		goto out;
	}
	if (ss != AUTH_SSL_A_OK) {
		err_push(e, "SSL", 1001, "server SSL setup failed: %s", why);
		goto out;
	}
	if (cs != AUTH_SSL_A_OK) {
		err_push(e, "SSL", 1002, "the client could not set up SSL (status %d)", cs);
		goto out;
	}
	rc = srv_handshake(t, ss, e);
	if (rc < 0)
		goto out;
	snprintf(peer->tls_version, sizeof peer->tls_version, "%s", crypto_tls_server_version(t));
	if (srv_check_client(t, o, peer, e) < 0) {
		rc = auth_ssl_send_empty(&srv_io, AUTH_SSL_QUITTING, e) < 0 ? -2 : -1;
		goto out;
	}
	rc = srv_send_key(t, peer->key, e);
	if (rc < 0)
		crypto_wipe(peer->key, sizeof peer->key);
out:
	if (t)
		crypto_tls_server_free(t);
	auth_ssl_io_init(&srv_io, NULL);
	return rc;
}
