/*
 * mbedtls_config.h - the trimmed Mbed TLS 3.6 configuration tokenbox is
 * built with (passed as -DMBEDTLS_CONFIG_FILE="<this file>" both when
 * building the Mbed TLS libraries and when compiling port/mbedtls/).
 *
 * It enables exactly what port/crypto.h needs:
 *   - AES-256-GCM (HTCondor session crypto, 16-byte IVs), 3DES (legacy key
 *     wrap; CFB64 is built by the facade over the ECB block function),
 *   - SHA-1 / SHA-256 / HMAC / HKDF (TOKEN proofs, transcript digests),
 *   - SHA-384 / SHA-512 (TLS 1.3 TLS_AES_256_GCM_SHA384, cert signatures),
 *   - P-256 and P-384 for TLS: ECDHE and ECDSA certificates (common
 *     public CA intermediates are P-384); the session keys' P-256 ECDH is
 *     tokenbox's own (port/p256/p256.c), not Mbed TLS's,
 *   - RSA with PKCS#1 v1.5 and PSS (TLS 1.3 requires rsa_pss_rsae),
 *   - X.509 + PEM parsing and chain verification, CA files via FS_IO,
 *   - a TLS 1.2 + 1.3 client, no session tickets, no renegotiation, no
 *     SNI (HTCondor's own client sends none),
 *   - the TLS server too, for the test daemon's SSL method only: the
 *     tokenbox link wraps its two entry points away (tls_no_server.c),
 *   - PSA crypto, which TLS 1.3 requires in 3.6.
 *
 * That is the full build.  A build that leaves out SSL or the 9.0-9.8 key
 * path gets a library configured to match (toolchain/setup.sh builds one per
 * variant, with the same TOKENBOX_METHOD_SSL / TOKENBOX_LEGACY defines the
 * Makefile gives tokenbox's sources): without SSL there is no TLS, X.509,
 * RSA, ECDSA, bignum, ECP, SHA-384/512 or PSA code at all, and randomness comes
 * from a CTR_DRBG the facade owns (port/mbedtls/crypto_init.c); without the
 * legacy key path there is no 3DES and no MD5.
 * Entropy comes only from mbedtls_hardware_poll() (port/mbedtls/entropy.c,
 * getrandom): musl's platform source falls back to /dev/random, which does
 * not exist in an empty chroot.
 */
#ifndef TOKENBOX_MBEDTLS_CONFIG_H
#define TOKENBOX_MBEDTLS_CONFIG_H

/* ---- system support ---------------------------------------------------- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT

/* ---- every build: HTCondor 9.9+ session keys and TOKEN ------------------ */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES    /* tables in .rodata, no init-time work */
#define MBEDTLS_AES_FEWER_TABLES  /* 2 KiB instead of 8 KiB of tables */
#define MBEDTLS_GCM_C /* over Mbed TLS's small block-cipher layer when there is no CIPHER_C */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA1_C            /* TOKEN proofs (HMAC-SHA1) */
#define MBEDTLS_SHA1_PROCESS_ALT  /* its block function rolled up, 4 KB less: port/mbedtls/hash_small.c */
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA256_SMALLER  /* 2 KB less; hashing is never the hot path */
#define MBEDTLS_HKDF_C
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C

/* ---- the 9.0-9.8 key path ------------------------------------------------ */
#if defined(TOKENBOX_LEGACY)
#define MBEDTLS_DES_C /* legacy key wrap; CFB64 is built by the facade over ECB */
#define MBEDTLS_MD5_C /* legacy per-packet MAC (cedar_legacy.c) */
#define MBEDTLS_MD5_PROCESS_ALT /* rolled up too (hash_small.c) */
#endif

/* ---- SSL ------------------------------------------------------------------ */
#if defined(TOKENBOX_METHOD_SSL)
#define MBEDTLS_CIPHER_C       /* the generic cipher layer TLS records go through */
#define MBEDTLS_HAVE_TIME      /* X.509 validity periods */
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_FS_IO          /* CA bundles, CA dirs, client cert/key files */
#define MBEDTLS_SHA224_C /* sha224WithRSA certificates; shares SHA-256 code */
#define MBEDTLS_SHA384_C /* TLS 1.3 TLS_AES_256_GCM_SHA384, cert signatures */
#define MBEDTLS_SHA512_C
#define MBEDTLS_SHA512_SMALLER
#define MBEDTLS_OID_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C /* ECDSA signature format conversion */
/* ECDHE and ECDSA in TLS (HTCondor's session keys use port/p256 instead) */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED /* common public CA intermediates */
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC /* client-cert signatures without RNG bias */
#define MBEDTLS_HMAC_DRBG_C         /* required by deterministic ECDSA */
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21 /* TLS 1.3 requires rsa_pss_rsae */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_PARSE_EC_COMPRESSED
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_REMOVE_INFO /* no descriptions in the OID tables: we print none */
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT
/* PSA is mandatory for TLS 1.3 in 3.6 */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_USE_PSA_CRYPTO
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
/* Only tests/testd and the unit tests run a server; see tls_no_server.c
 * for how the shipped binary leaves it out. */
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_2 /* 9.0 on OpenSSL 1.0.2 speaks no TLS 1.3 */
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE /* OpenSSL middlebox-compat CCS */
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE /* fingerprint, known_hosts, subject */
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
/* Records from the server can be full size (certificate chains);
 * client flights may carry a proxy certificate chain, so keep both. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 16384
#endif

#endif
