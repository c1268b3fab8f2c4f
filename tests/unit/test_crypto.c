/*
 * test_crypto.c - every primitive of port/crypto.h against published
 * vectors (GCM spec, RFC 5869, RFC 4231, RFC 2202, FIPS 180, RFC 4648,
 * RFC 5903), an OpenSSL-computed 3DES-CFB64 vector, the illustrative
 * HTCondor packet of security-handshake.md §8.3 and real packets from
 * tests/vectors/real/V1-list-fs.txt.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "port/crypto.h"
#include "check.h"

/* Decode a hex literal into buf; returns the byte count (aborts the test
 * program on a malformed literal: that is a bug in this file). */
/* ---- SHA-256 ------------------------------------------------------------- */

static void test_sha256(void)
{
	static const struct {
		const char *msg, *digest;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	uint8_t want[32], got[32];
	struct crypto_sha256 c, snap;
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		check_unhex(v[i].digest, want, sizeof want);
		crypto_sha256(v[i].msg, strlen(v[i].msg), got);
		CHECK_MEM(got, want, 32);
	}

	/* One million 'a', fed in uneven pieces (FIPS 180-2 appendix B.3). */
	{
		static char block[1000];
		size_t left = 1000000, piece = 1;

		memset(block, 'a', sizeof block);
		crypto_sha256_init(&c);
		while (left) {
			size_t k = piece < left ? piece : left;
			crypto_sha256_update(&c, block, k);
			left -= k;
			piece = piece % 990 + 7; /* 7..996 <= sizeof block */
		}
		crypto_sha256_final(&c, got);
		check_unhex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", want,
		    sizeof want);
		CHECK_MEM(got, want, 32);
	}

	/* Byte-at-a-time equals one shot; a copied state finalises
	 * independently (cedar snapshots transcript digests this way). */
	{
		const char *m = v[2].msg;
		uint8_t g2[32];

		crypto_sha256_init(&c);
		for (i = 0; i < 20; i++)
			crypto_sha256_update(&c, m + i, 1);
		snap = c;
		crypto_sha256_update(&c, m + 20, strlen(m) - 20);
		crypto_sha256_final(&c, got);
		check_unhex(v[2].digest, want, sizeof want);
		CHECK_MEM(got, want, 32);
		crypto_sha256_final(&snap, g2);
		crypto_sha256(m, 20, want);
		CHECK_MEM(g2, want, 32);
	}
}

/* ---- HMAC --------------------------------------------------------------- */

static void test_hmac(void)
{
	uint8_t key[131], want[32], got[32];
	const char *t6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	const char *t7 = "This is a test using a larger than block-size key and a larger "
	                 "than block-size data. The key needs to be hashed before being "
	                 "used by the HMAC algorithm.";

	/* RFC 4231 */
	memset(key, 0x0b, 20);
	CHECK_INT(crypto_hmac_sha256(key, 20, "Hi There", 8, got), 0);
	check_unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", want, 32);
	CHECK_MEM(got, want, 32);
	CHECK_INT(crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, got), 0);
	check_unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", want, 32);
	CHECK_MEM(got, want, 32);
	memset(key, 0xaa, 131);
	CHECK_INT(crypto_hmac_sha256(key, 131, t6, strlen(t6), got), 0);
	check_unhex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", want, 32);
	CHECK_MEM(got, want, 32);
	CHECK_INT(crypto_hmac_sha256(key, 131, t7, strlen(t7), got), 0);
	check_unhex("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", want, 32);
	CHECK_MEM(got, want, 32);

	/* RFC 2202 */
	memset(key, 0x0b, 20);
	CHECK_INT(crypto_hmac_sha1(key, 20, "Hi There", 8, got), 0);
	check_unhex("b617318655057264e28bc0b6fb378c8ef146be00", want, 20);
	CHECK_MEM(got, want, 20);
	CHECK_INT(crypto_hmac_sha1("Jefe", 4, "what do ya want for nothing?", 28, got), 0);
	check_unhex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", want, 20);
	CHECK_MEM(got, want, 20);
	memset(key, 0xaa, 80);
	CHECK_INT(crypto_hmac_sha1(key, 80, t6, strlen(t6), got), 0);
	check_unhex("aa4ae5e15272d00e95705637ce8a3b55ed402112", want, 20);
	CHECK_MEM(got, want, 20);
}

/* ---- HKDF ----------------------------------------------------------------- */

static void test_hkdf(void)
{
	uint8_t ikm[80], salt[80], info[80], want[82], got[82];
	size_t i;

	/* RFC 5869 A.1 */
	memset(ikm, 0x0b, 22);
	for (i = 0; i < 13; i++)
		salt[i] = (uint8_t)i;
	for (i = 0; i < 10; i++)
		info[i] = (uint8_t)(0xf0 + i);
	CHECK_INT(crypto_hkdf_sha256(salt, 13, ikm, 22, info, 10, got, 42), 0);
	check_unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	    "34007208d5b887185865", want, sizeof want);
	CHECK_MEM(got, want, 42);

	/* RFC 5869 A.2 */
	for (i = 0; i < 80; i++) {
		ikm[i] = (uint8_t)i;
		salt[i] = (uint8_t)(0x60 + i);
		info[i] = (uint8_t)(0xb0 + i);
	}
	CHECK_INT(crypto_hkdf_sha256(salt, 80, ikm, 80, info, 80, got, 82), 0);
	check_unhex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	    "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	    "cc30c58179ec3e87c14c01d5c1f3434f1d87", want, sizeof want);
	CHECK_MEM(got, want, 82);

	/* RFC 5869 A.3: empty salt and info */
	memset(ikm, 0x0b, 22);
	CHECK_INT(crypto_hkdf_sha256(NULL, 0, ikm, 22, NULL, 0, got, 42), 0);
	check_unhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	    "9d201395faa4b61a96c8", want, sizeof want);
	CHECK_MEM(got, want, 42);

	/* The real session key of V1-list-fs.txt from its ECDH secret
	 * (security-handshake.md §7: salt "htcondor", info "keygen"). */
	check_unhex("dd7b5c0d906efb16eb16bdf6b16790b0dbaf47c16ef70d2f29a9d1d8438635f3", ikm, 32);
	CHECK_INT(crypto_hkdf_sha256("htcondor", 8, ikm, 32, "keygen", 6, got, 32), 0);
	check_unhex("914fe4c3c381da8da9efd4d6ae9c1303e9d6a503a105a3f9c52299ce6d02933d", want, 32);
	CHECK_MEM(got, want, 32);

	/* Beyond RFC 5869's 255 blocks: refused, nothing written past out. */
	{
		static uint8_t big[255 * 32 + 1];
		CHECK_INT(crypto_hkdf_sha256(NULL, 0, ikm, 32, NULL, 0, big, sizeof big),
		          CRYPTO_ETOOBIG);
		CHECK_INT(crypto_hkdf_sha256(NULL, 0, ikm, 32, NULL, 0, big, 255 * 32), 0);
	}
}

/* ---- AES-256-GCM ----------------------------------------------------------- */

static const char gcm_k[] =
	"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
static const char gcm_p[] =
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
static const char gcm_a[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

struct gcm_case {
	const char *name, *key, *iv, *pt, *aad, *ct, *tag;
	size_t ptlen; /* 0: all of pt */
};

static void gcm_one(const struct gcm_case *g)
{
	uint8_t key[32], iv[64], pt[64], aad[32], ct[64], tag[16];
	uint8_t out[64], back[64], otag[16];
	size_t ivl, ptl, aadl, ctl;

	memset(key, 0, sizeof key);
	if (g->key)
		check_unhex(g->key, key, sizeof key);
	ivl = check_unhex(g->iv, iv, sizeof iv);
	ptl = g->pt ? check_unhex(g->pt, pt, sizeof pt) : 0;
	if (g->ptlen)
		ptl = g->ptlen;
	aadl = g->aad ? check_unhex(g->aad, aad, sizeof aad) : 0;
	ctl = g->ct ? check_unhex(g->ct, ct, sizeof ct) : 0;
	check_unhex(g->tag, tag, sizeof tag);
	CHECK_INT(ctl, ptl);

	CHECK_INT(crypto_aes256gcm_encrypt(key, iv, ivl, aadl ? aad : NULL, aadl,
	                                   ptl ? pt : NULL, ptl, out, otag), 0);
	if (ctl && memcmp(out, ct, ctl) != 0)
		fprintf(stderr, "GCM %s: ciphertext differs\n", g->name);
	CHECK_MEM(out, ct, ctl);
	CHECK_MEM(otag, tag, 16);

	CHECK_INT(crypto_aes256gcm_decrypt(key, iv, ivl, aadl ? aad : NULL, aadl,
	                                   ctl ? ct : NULL, ctl, back, tag), 0);
	CHECK_MEM(back, pt, ptl);

	/* A flipped tag bit must fail and leave no plaintext behind. */
	tag[15] ^= 0x01;
	memset(back, 0x5a, sizeof back);
	CHECK_INT(crypto_aes256gcm_decrypt(key, iv, ivl, aadl ? aad : NULL, aadl,
	                                   ctl ? ct : NULL, ctl, back, tag), CRYPTO_EAUTH);
	if (ptl) {
		static const uint8_t zero[64];
		CHECK_MEM(back, zero, ptl);
	}
	tag[15] ^= 0x01;
	/* So must a flipped ciphertext or AAD bit. */
	if (ctl) {
		ct[0] ^= 0x80;
		CHECK_INT(crypto_aes256gcm_decrypt(key, iv, ivl, aadl ? aad : NULL, aadl, ct,
		                                   ctl, back, tag), CRYPTO_EAUTH);
		ct[0] ^= 0x80;
	}
	if (aadl) {
		aad[aadl - 1] ^= 0x01;
		CHECK_INT(crypto_aes256gcm_decrypt(key, iv, ivl, aad, aadl, ct, ctl, back, tag),
		          CRYPTO_EAUTH);
		aad[aadl - 1] ^= 0x01;
	}
	/* In place. */
	if (ptl) {
		memcpy(back, pt, ptl);
		CHECK_INT(crypto_aes256gcm_encrypt(key, iv, ivl, aad, aadl, back, ptl, back, otag),
		          0);
		CHECK_MEM(back, ct, ctl);
		CHECK_INT(crypto_aes256gcm_decrypt(key, iv, ivl, aad, aadl, back, ctl, back, tag),
		          0);
		CHECK_MEM(back, pt, ptl);
	}
}

static void test_gcm_spec(void)
{
	/* The AES-256 cases of McGrew & Viega, "The Galois/Counter Mode of
	 * Operation", appendix B: test cases 13-18.  17 and 18 use 64-bit and
	 * 480-bit IVs (J0 through GHASH), as HTCondor's 128-bit IV does. */
	static const struct gcm_case c[] = {
		{ "13", NULL, "000000000000000000000000", NULL, NULL, NULL,
		  "530f8afbc74536b9a963b4f1c4cb738b", 0 },
		{ "14", NULL, "000000000000000000000000", "00000000000000000000000000000000",
		  NULL, "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919", 0 },
		{ "15", gcm_k, "cafebabefacedbaddecaf888", gcm_p, NULL,
		  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
		  "b094dac5d93471bdec1a502270e3cc6c", 0 },
		{ "16", gcm_k, "cafebabefacedbaddecaf888", gcm_p, gcm_a,
		  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		  "76fc6ece0f4e1768cddf8853bb2d551b", 60 },
		{ "17", gcm_k, "cafebabefacedbad", gcm_p, gcm_a,
		  "c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0"
		  "feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f",
		  "3a337dbf46a792c45e454913fe2ea8f2", 60 },
		{ "18", gcm_k,
		  "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"
		  "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
		  gcm_p, gcm_a,
		  "5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf4"
		  "0fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f",
		  "a44a8266ee1c8eb0c8b5d4cf5ae9f19a", 60 },
	};
	size_t i;
	uint8_t key[32] = { 0 }, tag[16];

	for (i = 0; i < sizeof c / sizeof c[0]; i++)
		gcm_one(&c[i]);
	/* An empty IV is meaningless: refused. */
	CHECK_INT(crypto_aes256gcm_encrypt(key, key, 0, NULL, 0, NULL, 0, NULL, tag),
	          CRYPTO_EFAIL);
}

/* security-handshake.md §8.3: the first encrypted packet with the
 * transcript-digest AAD, 16-byte IV. */
static void test_gcm_htcondor_example(void)
{
	uint8_t key[32], iv[16], sent[13], recv[13], aad[69], pt[26], out[26], tag[16];
	uint8_t want[16 + 26 + 16];
	size_t i;

	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 16; i++)
		iv[i] = (uint8_t)(0xa0 + i);
	check_unhex("01000000080000000000000804", sent, sizeof sent);
	check_unhex("01000000080000000000000800", recv, sizeof recv);
	crypto_sha256(sent, sizeof sent, aad);
	crypto_sha256(recv, sizeof recv, aad + 32);
	check_unhex("9324f2c1", want, 4);
	CHECK_MEM(aad, want, 4);
	check_unhex("05bcc504", want, 4);
	CHECK_MEM(aad + 28, want, 4);
	check_unhex("3bb1fbeb", want, 4);
	CHECK_MEM(aad + 32, want, 4);
	check_unhex("a5b755f0", want, 4);
	CHECK_MEM(aad + 60, want, 4);
	check_unhex("010000003a", aad + 64, 5);
	/* int 0, int 1, "", int 1, "" in encrypted-mode encoding. */
	check_unhex("0000000000000000" "0000000000000001" "00" "0000000000000001" "00", pt, sizeof pt);
	check_unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
	    "2aa323bc18cdcd76c39e1fb1ed148d91824543797e3451acfc12"
	    "bccb814ce049afd58ce7a88a86a842d0", want, sizeof want);
	CHECK_INT(crypto_aes256gcm_encrypt(key, iv, 16, aad, 69, pt, 26, out, tag), 0);
	CHECK_MEM(out, want + 16, 26);
	CHECK_MEM(tag, want + 42, 16);
}

/* Real 25.14 packets (tests/vectors/real/V1-list-fs.txt, messages 10, 11). */
static void test_gcm_real(void)
{
	uint8_t key[32], iv[16], aad[69], pay[88], pt[66], out[66];
	size_t pl, ptl;

	check_unhex("914fe4c3c381da8da9efd4d6ae9c1303e9d6a503a105a3f9c52299ce6d02933d", key, 32);

	/* msg 10, client's first encrypted packet: IV in front, 69-byte AAD. */
	pl = check_unhex("060bc5b49b085f4bc12c71282c737f8160bab7c6a03029b5bf6190d366870371"
	         "f888359c7e2b5939b0edca45417c84924f585667a2b509808dd0a97c35eb6284"
	         "798049e06958021e17bf56ed23157dfffa6a7257e79ab804", pay, sizeof pay);
	CHECK_INT(pl, 88);
	check_unhex("339b690a4132ef702c7d8c99eac2e08ff94ed4b5b5319194a316409b6168d6c3"
	    "6ea5dbaf73ed553185000c6df151726060db5afc50ce46833216a13fe5d7d77a"
	    "0100000058", aad, sizeof aad);
	ptl = check_unhex("00000000000000010000000000000016526571756573744964203d2022393939"
	          "393939392200000000000000000100000000000000000100", pt, sizeof pt);
	CHECK_INT(ptl, 56);
	CHECK_INT(crypto_aes256gcm_decrypt(key, pay, 16, aad, 69, pay + 16, 56, out,
	                                   pay + 72), 0);
	CHECK_MEM(out, pt, 56);

	/* msg 11, server's second packet: counter 1 in the IV, header AAD. */
	pl = check_unhex("0224b2baefaa69e37c9e9468daff8c0d76355bc8712accfd9b02335241830233"
	         "c4e2e3b15bcc8047ceaaff6ecdf83b45da3f63d9ffec7cf67c9f80970941544818"
	         "f97ddb3e397135696f92220fa7001fd0b3", pay, sizeof pay);
	CHECK_INT(pl, 82);
	check_unhex("07277af93e977b235ba716328265e61f", iv, 16);
	check_unhex("0100000052", aad, 5);
	ptl = check_unhex("0000000000000002000000000000000a4f776e6572203d20300000000000000000"
	          "0e4572726f72436f6465203d203000000000000000000100000000000000000100",
	          pt, sizeof pt);
	CHECK_INT(ptl, 66);
	CHECK_INT(crypto_aes256gcm_decrypt(key, iv, 16, aad, 5, pay, 66, out, pay + 66), 0);
	CHECK_MEM(out, pt, 66);
	/* Encrypting the plaintext reproduces the wire bytes. */
	CHECK_INT(crypto_aes256gcm_encrypt(key, iv, 16, aad, 5, pt, 66, out, aad + 16), 0);
	CHECK_MEM(out, pay, 66);
	CHECK_MEM(aad + 16, pay + 66, 16);
	/* The wrong counter (IV of packet 0) must not verify. */
	iv[3] ^= 0x01;
	CHECK_INT(crypto_aes256gcm_decrypt(key, iv, 16, aad, 5, pay, 66, out, pay + 66),
	          CRYPTO_EAUTH);
}

/* ---- 3DES-CFB64 -------------------------------------------------------------- */

/* RFC 1321 appendix A.5, split between the two inputs in several ways. */
static void __attribute__((unused)) test_md5(void)
{
	static const char *rfc[][2] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890123456789012345678901234567890123456"
		  "7890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	uint8_t md[CRYPTO_MD5_LEN], want[CRYPTO_MD5_LEN];
	size_t i, n;

	for (i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
		n = strlen(rfc[i][0]);
		check_unhex(rfc[i][1], want, sizeof want);
		CHECK_INT(crypto_md5(rfc[i][0], n, NULL, 0, md), 0);
		CHECK_MEM(md, want, sizeof md);
		CHECK_INT(crypto_md5(rfc[i][0], n / 3, rfc[i][0] + n / 3, n - n / 3, md), 0);
		CHECK_MEM(md, want, sizeof md);
	}
}

static void __attribute__((unused)) test_des3(void)
{
	/* Reference: printf 'Now is the time for all .' | openssl enc
	 * -des-ede3-cfb -K 0123456789abcdeff1e0d3c2b5a49786fedcba9876543210
	 * -iv 0000000000000000 (OpenSSL 3.0, legacy provider). */
	const char *msg = "Now is the time for all .";
	uint8_t key[24], want[25], out[25], back[25];
	crypto_des3_cfb c;
	size_t n = strlen(msg), i;

	check_unhex("0123456789abcdeff1e0d3c2b5a49786fedcba9876543210", key, sizeof key);
	check_unhex("ec7293477436414c7b8f0a18b3c025948147467583758fc948", want, sizeof want);
	crypto_des3_cfb_init(&c, key);
	CHECK_INT(crypto_des3_cfb_encrypt(&c, (const uint8_t *)msg, out, n), 0);
	CHECK_MEM(out, want, n);
	crypto_des3_cfb_init(&c, key);
	CHECK_INT(crypto_des3_cfb_decrypt(&c, want, back, n), 0);
	CHECK_MEM(back, msg, n);

	/* Streaming in odd pieces gives the same bytes. */
	crypto_des3_cfb_init(&c, key);
	for (i = 0; i < n;) {
		size_t k = (i % 5) + 1;
		if (k > n - i)
			k = n - i;
		CHECK_INT(crypto_des3_cfb_encrypt(&c, (const uint8_t *)msg + i, out + i, k), 0);
		i += k;
	}
	CHECK_MEM(out, want, n);
	/* In place decryption. */
	crypto_des3_cfb_init(&c, key);
	CHECK_INT(crypto_des3_cfb_decrypt(&c, out, out, 3), 0);
	CHECK_INT(crypto_des3_cfb_decrypt(&c, out + 3, out + 3, n - 3), 0);
	CHECK_MEM(out, msg, n);
	/* init resets the IV: a second message starts from zero again. */
	crypto_des3_cfb_init(&c, key);
	CHECK_INT(crypto_des3_cfb_encrypt(&c, (const uint8_t *)msg, out, 8), 0);
	CHECK_MEM(out, want, 8);
	/* A corrupted stream position is refused rather than read out of bounds. */
	c.off = 9;
	CHECK_INT(crypto_des3_cfb_encrypt(&c, (const uint8_t *)msg, out, 1), CRYPTO_EFAIL);
}

/* ---- P-256 ECDH -------------------------------------------------------------- */

/* A build without the 9.0-9.8 key path has no 3DES: the facade refuses. */
static void __attribute__((unused)) test_des3_left_out(void)
{
	static const uint8_t key[24] = { 1, 2, 3 };
	uint8_t in[8] = { 0 }, out[8], md[CRYPTO_MD5_LEN];
	crypto_des3_cfb c;

	crypto_des3_cfb_init(&c, key);
	CHECK_INT(crypto_des3_cfb_encrypt(&c, in, out, sizeof in), CRYPTO_EFAIL);
	CHECK_INT(crypto_des3_cfb_decrypt(&c, in, out, sizeof in), CRYPTO_EFAIL);
	CHECK_INT(crypto_md5("a", 1, NULL, 0, md), CRYPTO_EFAIL);
}

static void test_p256(void)
{
	/* RFC 5903 §8.1 */
	uint8_t i_priv[32], r_priv[32], gi[65], gr[65], z[32], pub[65], sec[32], bad[65];
	uint8_t p2[32], q2[65], s1[32], s2[32], comp[33];

	check_unhex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433", i_priv, 32);
	check_unhex("04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
	    "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3", gi, 65);
	check_unhex("c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53", r_priv, 32);
	check_unhex("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
	    "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab", gr, 65);
	check_unhex("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de", z, 32);

	CHECK_INT(crypto_p256_pub_from_priv(i_priv, pub), 0);
	CHECK_MEM(pub, gi, 65);
	CHECK_INT(crypto_p256_pub_from_priv(r_priv, pub), 0);
	CHECK_MEM(pub, gr, 65);
	CHECK_INT(crypto_p256_shared(i_priv, gr, 65, sec), 0);
	CHECK_MEM(sec, z, 32);
	CHECK_INT(crypto_p256_shared(r_priv, gi, 65, sec), 0);
	CHECK_MEM(sec, z, 32);
	/* The compressed form of g^r (y odd -> 03) gives the same secret. */
	comp[0] = (uint8_t)(0x02 | (gr[64] & 1));
	memcpy(comp + 1, gr + 1, 32);
	CHECK_INT(crypto_p256_shared(i_priv, comp, 33, sec), 0);
	CHECK_MEM(sec, z, 32);

	/* Invalid peer points. */
	memcpy(bad, gr, 65);
	bad[64] ^= 0x01; /* off the curve */
	CHECK_INT(crypto_p256_shared(i_priv, bad, 65, sec), CRYPTO_EFAIL);
	memcpy(bad, gr, 65);
	bad[0] = 0x05; /* unknown format byte */
	CHECK_INT(crypto_p256_shared(i_priv, bad, 65, sec), CRYPTO_EFAIL);
	CHECK_INT(crypto_p256_shared(i_priv, gr, 64, sec), CRYPTO_EFAIL); /* truncated */
	CHECK_INT(crypto_p256_shared(i_priv, gr, 0, sec), CRYPTO_EFAIL);
	bad[0] = 0x00; /* the point at infinity */
	CHECK_INT(crypto_p256_shared(i_priv, bad, 1, sec), CRYPTO_EFAIL);
	memset(bad, 0xff, 65); /* coordinates >= p */
	bad[0] = 0x04;
	CHECK_INT(crypto_p256_shared(i_priv, bad, 65, sec), CRYPTO_EFAIL);
	memset(bad, 0, 65); /* (0, 0) */
	bad[0] = 0x04;
	CHECK_INT(crypto_p256_shared(i_priv, bad, 65, sec), CRYPTO_EFAIL);

	/* Invalid private scalars: 0 and >= n. */
	memset(p2, 0, 32);
	CHECK_INT(crypto_p256_pub_from_priv(p2, pub), CRYPTO_EFAIL);
	CHECK_INT(crypto_p256_shared(p2, gr, 65, sec), CRYPTO_EFAIL);
	memset(p2, 0xff, 32);
	CHECK_INT(crypto_p256_pub_from_priv(p2, pub), CRYPTO_EFAIL);

	/* Fresh key pairs agree with each other and match pub_from_priv. */
	CHECK_INT(crypto_p256_keygen(p2, q2), 0);
	CHECK_INT(q2[0], 0x04);
	CHECK_INT(crypto_p256_pub_from_priv(p2, pub), 0);
	CHECK_MEM(pub, q2, 65);
	CHECK_INT(crypto_p256_shared(p2, gi, 65, s1), 0);
	CHECK_INT(crypto_p256_shared(i_priv, q2, 65, s2), 0);
	CHECK_MEM(s1, s2, 32);
	CHECK(memcmp(p2, i_priv, 32) != 0);
	{
		uint8_t p3[32], q3[65];
		CHECK_INT(crypto_p256_keygen(p3, q3), 0);
		CHECK(memcmp(p2, p3, 32) != 0); /* the RNG is not stuck */
	}
}

/* ---- base64 ------------------------------------------------------------------ */

static void test_base64(void)
{
	static const char *rfc[][2] = {
		{ "", "" },         { "f", "Zg==" },         { "fo", "Zm8=" },
		{ "foo", "Zm9v" },  { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	static const char *rfc_url[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE",
		                         "Zm9vYmFy" };
	char enc[64];
	uint8_t dec[64];
	size_t i, n;
	static const uint8_t odd[] = { 0xfb, 0xff, 0xbf };

	for (i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
		size_t len = strlen(rfc[i][0]);

		CHECK_INT(crypto_base64_encode(rfc[i][0], len, enc, sizeof enc, &n), 0);
		CHECK_STR(enc, rfc[i][1]);
		CHECK_INT(n, strlen(rfc[i][1]));
		CHECK_INT(crypto_base64_decode(rfc[i][1], strlen(rfc[i][1]), dec, sizeof dec, &n),
		          0);
		CHECK_INT(n, len);
		CHECK_MEM(dec, rfc[i][0], len);

		CHECK_INT(crypto_base64url_encode(rfc[i][0], len, enc, sizeof enc, &n), 0);
		CHECK_STR(enc, rfc_url[i]);
		CHECK_INT(crypto_base64url_decode(rfc_url[i], strlen(rfc_url[i]), dec, sizeof dec,
		                                  &n), 0);
		CHECK_INT(n, len);
		CHECK_MEM(dec, rfc[i][0], len);
		/* base64url also takes the padded form. */
		CHECK_INT(crypto_base64url_decode(rfc[i][1], strlen(rfc[i][1]), dec, sizeof dec,
		                                  &n), 0);
		CHECK_INT(n, len);
	}

	/* The two alphabets differ in the last two symbols. */
	CHECK_INT(crypto_base64_encode(odd, 3, enc, sizeof enc, &n), 0);
	CHECK_STR(enc, "+/+/");
	CHECK_INT(crypto_base64url_encode(odd, 3, enc, sizeof enc, &n), 0);
	CHECK_STR(enc, "-_-_");
	CHECK_INT(crypto_base64_decode("-_-_", 4, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64url_decode("+/+/", 4, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64url_decode("-_-_", 4, dec, sizeof dec, &n), 0);
	CHECK_MEM(dec, odd, 3);

	/* Malformed input. */
	CHECK_INT(crypto_base64_decode("Zg", 2, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64_decode("Zg=", 3, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64_decode("Zg==Zg==", 8, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64_decode("Z===", 4, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64_decode("====", 4, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64_decode("Zm9v\n", 5, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64_decode("Zm 9", 4, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64url_decode("Z", 1, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64url_decode("Zg=", 3, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64url_decode("Zm9vY", 5, dec, sizeof dec, &n), CRYPTO_EFAIL);
	CHECK_INT(crypto_base64_decode("Zm\0v", 4, dec, sizeof dec, &n), CRYPTO_EFAIL);

	/* Capacity: exact fits succeed, one short is ETOOBIG. */
	CHECK_INT(crypto_base64_encode("foob", 4, enc, 9, &n), 0);
	CHECK_INT(crypto_base64_encode("foob", 4, enc, 8, &n), CRYPTO_ETOOBIG);
	CHECK_INT(crypto_base64url_encode("foob", 4, enc, 7, &n), 0);
	CHECK_INT(crypto_base64url_encode("foob", 4, enc, 6, &n), CRYPTO_ETOOBIG);
	CHECK_INT(crypto_base64_decode("Zm9vYmFy", 8, dec, 6, &n), 0);
	CHECK_INT(crypto_base64_decode("Zm9vYmFy", 8, dec, 5, &n), CRYPTO_ETOOBIG);
	CHECK_INT(crypto_base64url_decode("Zm9vYmE", 7, dec, 5, &n), 0);
	CHECK_INT(crypto_base64url_decode("Zm9vYmE", 7, dec, 4, &n), CRYPTO_ETOOBIG);

	/* Round trip of every byte value through both codecs. */
	{
		uint8_t all[256], back[256];
		char e[400];

		for (i = 0; i < 256; i++)
			all[i] = (uint8_t)i;
		for (i = 0; i <= 256; i += 37) {
			size_t len = i < 256 ? i : 256;
			CHECK_INT(crypto_base64_encode(all, len, e, sizeof e, &n), 0);
			CHECK_INT(crypto_base64_decode(e, n, back, sizeof back, &n), 0);
			CHECK_INT(n, len);
			CHECK_MEM(back, all, len);
			CHECK_INT(crypto_base64url_encode(all, len, e, sizeof e, &n), 0);
			CHECK(strchr(e, '=') == NULL);
			CHECK_INT(crypto_base64url_decode(e, n, back, sizeof back, &n), 0);
			CHECK_INT(n, len);
			CHECK_MEM(back, all, len);
		}
	}
}

static void test_wipe(void)
{
	uint8_t b[16];
	static const uint8_t z[16];

	memset(b, 0xa5, sizeof b);
	crypto_wipe(b, sizeof b);
	CHECK_MEM(b, z, sizeof b);
}

int main(void)
{
	test_sha256();
	test_hmac();
	test_hkdf();
	test_gcm_spec();
	test_gcm_htcondor_example();
	test_gcm_real();
#if defined(TOKENBOX_LEGACY)
	test_md5();
	test_des3();
#else
	test_des3_left_out();
#endif
	test_p256();
	test_base64();
	test_wipe();
	return check_done("test_crypto");
}
