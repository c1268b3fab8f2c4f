/*
 * legacy.c - what the test daemon does differently when it plays an
 * HTCondor 9.0-9.8 daemon (-legacy-version), and the 3DES session crypto
 * any version may negotiate (-crypto-methods):
 *
 *   - no ECDH: the client's ECDHPublicKey is ignored; when authentication
 *     ran, the server makes a random session key (32 bytes for AES, 24 for
 *     3DES) and sends it after the method: K1 = 1, then K2 = [keyLength,
 *     protocol, duration 0, wrappedLen, wrapped], wrapped in clear by FS
 *     and ANONYMOUS, 3DES-CFB under W by TOKEN (Condor_Auth_Passwd::wrap);
 *   - no authentication, no key: Encryption/Integrity YES then fail;
 *   - the first method of the reconciled CryptoMethods list wins; 3DES
 *     sessions run cedar_legacy (CFB reset at every EOM, MD5 MAC header
 *     with Integrity YES), AES sessions AES-GCM as always;
 *   - TOKEN names the server condor_pool@UID_DOMAIN whatever the client's
 *     version, FS sends the old <dir>/FS_XXXabc123 names (auth_*.c);
 *   - no resume reply (the client only asks 9.9+).
 */
#include "testd.h"

#include <string.h>
#include <strings.h>

#include "port/crypto.h"
#include "port/port.h"

int testd_crypto_pick(const char *list)
{
	const char *p = list;
	while (p && *p) {
		size_t l;
		p += strspn(p, ", ");
		l = strcspn(p, ", ");
		if (l == 3 && !strncasecmp(p, "AES", 3))
			return TESTD_CRYPTO_AES;
		if ((l == 4 && !strncasecmp(p, "3DES", 4)) || (l == 9 && !strncasecmp(p, "TRIPLEDES", 9)))
			return TESTD_CRYPTO_3DES;
		if (l == 8 && !strncasecmp(p, "BLOWFISH", 8))
			return TESTD_CRYPTO_BLOWFISH;
		p += l;
	}
	return TESTD_CRYPTO_NONE;
}

const char *testd_crypto_name(int proto)
{
	switch (proto) {
	case TESTD_CRYPTO_AES: return "AES";
	case TESTD_CRYPTO_3DES: return "3DES";
	case TESTD_CRYPTO_BLOWFISH: return "BLOWFISH";
	default: return "";
	}
}

int testd_legacy_send_key(struct testd_conn *k, int proto, uint8_t key[32], size_t *len,
                          struct err *e)
{
	uint8_t wrapped[32];
	size_t n = proto == TESTD_CRYPTO_AES ? 32 : 24;
	/* Condor_Auth_Base::wrap is a copy; TOKEN and SSL override it (SSL's
	 * server half must leave its key in k->wrap_key for that) */
	int clear = !strcmp(k->method, "FS") || !strcmp(k->method, "FS_REMOTE") ||
	            !strcmp(k->method, "ANONYMOUS") || !strcmp(k->method, "CLAIMTOBE");

	if (port_random(key, 32) != 0) {
		err_push(e, "TESTD", 1, "no randomness for the session key");
		return -1;
	}
	if (clear) {
		memcpy(wrapped, key, n);
	} else {
		if (!k->have_wrap_key) {
			err_push(e, "TESTD", 1, "method %s left no wrap key", k->method);
			return -1;
		}
		if (cedar_des3_wrap(k->wrap_key, sizeof k->wrap_key, 1, key, wrapped, n) != 0) {
			err_push(e, "TESTD", 1, "3DES wrap failed");
			return -1;
		}
	}
	crypto_wipe(k->wrap_key, sizeof k->wrap_key);
	k->have_wrap_key = 0;
	*len = n;
	testd_log("9.x key transport: %s key of %zu bytes, %s", testd_crypto_name(proto), n,
	          clear ? "sent in clear (FS/ANONYMOUS wrap)" : "3DES-wrapped under the method's key");
	if (cedar_put_int(k->c, 1, e) != 0 || cedar_end_send(k->c, e) != 0 ||
	    cedar_put_int(k->c, (int64_t)n, e) != 0 || cedar_put_int(k->c, proto, e) != 0 ||
	    cedar_put_int(k->c, 0, e) != 0 || cedar_put_int(k->c, (int64_t)n, e) != 0 ||
	    cedar_put_bytes(k->c, wrapped, n, e) != 0 || cedar_end_send(k->c, e) != 0) {
		crypto_wipe(wrapped, sizeof wrapped);
		return -1;
	}
	crypto_wipe(wrapped, sizeof wrapped);
	return 0;
}

int testd_crypto_start(struct testd_conn *k, int proto, const uint8_t *key, size_t len,
                       int enc, int integ, struct err *e)
{
	if (proto == TESTD_CRYPTO_AES) {
		if (cedar_crypto_on(k->c, key, e) != 0)
			return -1;
	} else if (proto == TESTD_CRYPTO_3DES) {
		if (cedar_legacy_on(k->c, key, len, enc, integ, e) != 0)
			return -1;
		testd_log("3DES session: encryption %s, integrity %s", enc ? "on" : "off",
		          integ ? "MD5" : "off");
	} else {
		err_push(e, "TESTD", 1, "crypto method %s is not implemented by the test daemon",
		         testd_crypto_name(proto));
		return -1;
	}
	k->encrypted = cedar_encrypting(k->c);
	return 0;
}
