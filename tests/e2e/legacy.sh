#!/bin/sh
# condor_token_request_approve against the test daemon playing an HTCondor
# 9.0-9.8 daemon (-legacy-version): no ECDH, the session key sent after
# authentication (in clear after FS, 3DES-wrapped under TOKEN's W), AES-GCM
# or legacy 3DES-CFB (+ MD5 MAC) sessions, resumption of both.
#
# The test daemon's 9.0 ads carry the attributes of a real 9.0.19 daemon in
# its order (checked below against the recordings V8a/V8b); the rest rests
# on the protocol notes, HTCondor's 9.0/9.8 source and the recordings.
# needs: condor_token_request_approve FS TOKEN LEGACY
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
e2e_pool_key
e2e_applet condor_token_request_approve
A=$T/condor_token_request_approve
mkdir -p "$T/tokens.d"
chmod 700 "$T/tokens.d"
"$TESTD" -mint -pool-key "$T/pool_key" -sub "$ME@testd.local" -iss testd.local >"$T/tokens.d/admin"
chmod 600 "$T/tokens.d/admin"

R1='RequestId=0412345;ClientId=node17-431;PeerLocation=10.1.2.3;RequestedIdentity=worker@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=ADVERTISE_STARTD'

start_testd() { # config-lines, testd args...
	extra=$1
	shift
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* $ME@testd.local" -seed-request "$R1" "$@"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_TOKEN_DIRECTORY = %s\n%s\n' \
		"$PORT" "$T/tokens.d" "$extra" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
stop_testd() { testd_stop; }
log_has() { # needle, label
	if grep -qF -- "$1" "$T/testd.log"; then e2e_ok; else e2e_bad "$2: testd log lacks '$1' ($(tail -n 3 "$T/testd.log"))"; fi
}
approve() { # label: approve R1 non-interactively with -debug, expect success
	run "$A" -reqid 0412345 -yes -expect-identity worker@testd.local -debug
	expect_rc 0 "$1: approve"
	expect_out_has "Request 0412345 approved successfully." "$1: approved"
	expect_err_has 'CondorVersion: 9.' "$1: server claims 9.x"
	expect_err_has "pre-9.9 key transport" "$1: key sent by the server"
	expect_err_has "resuming session" "$1: second command resumed the session"
}

FS_OLD='SEC_CLIENT_AUTHENTICATION_METHODS = FS
SEC_FS_ENFORCE_CHANNEL_BINDING = false'

# ---- FS, default crypto (a 9.0 server picks AES) ---------------------------------
start_testd "$FS_OLD" -legacy-version 9.0.0
approve "9.0 FS AES"
expect_err_has "AES, 32 bytes, in clear" "9.0 FS AES: key in clear after FS"
expect_err_has "AES-256-GCM on" "9.0 FS AES: AES-GCM session"
log_has "AES key of 32 bytes, sent in clear" "9.0 FS AES"
log_has "on resumed session" "9.0 FS AES resume"
stop_testd

# ---- what the 9.0 test daemon sends, against the real 9.0.19 bytes ----------------
# The attribute names of a recorded message, in wire order (V8a/V8b).
real_names() { # file, message label
	awk -v label="$2" '
		/^msg / { on = index($0, label) > 0; next }
		on && /^\| attr / { n = n (n ? "," : "") $3 }
		on && /^\| adtypes/ { print n; exit }' "tests/vectors/real/$1"
}
start_testd "$FS_OLD" -legacy-version 9.0.0 -methods FS,TOKEN
approve "9.0 wire order"
for m in "policy reply|V8a-9.0-list-fs.txt|M2 server security policy" \
	"post-auth ad|V8a-9.0-list-fs.txt|P1 post-authentication ad" \
	"list end|V8a-9.0-list-fs.txt|end-of-list" \
	"list reply|V8b-9.0-approve-fs-resume.txt|R1 DC_LIST_TOKEN_REQUEST reply ad"; do
	what=${m%%|*}
	rest=${m#*|}
	want=$(real_names "${rest%%|*}" "${rest#*|}")
	if [ -n "$want" ]; then e2e_ok; else e2e_bad "no attribute names for '$what' in ${rest%%|*}"; fi
	log_has "$what attributes: $want" "9.0 $what: the real daemon's attributes and order"
done
stop_testd

# ---- FS against a 9.x server with channel binding enforced (the default) ----------
start_testd 'SEC_CLIENT_AUTHENTICATION_METHODS = FS' -legacy-version 9.0.0
run "$A" -reqid 0412345 -yes -expect-identity worker@testd.local
expect_rc 1 "9.0 FS with channel binding"
expect_err_has "Directory name doesn't match server's network address." "9.0 FS channel binding refused"
stop_testd

# ---- FS, 3DES with MD5 integrity --------------------------------------------------
start_testd "$FS_OLD" -legacy-version 9.8.0 -crypto-methods 3DES,AES
approve "9.8 FS 3DES"
expect_err_has "3DES, 24 bytes, in clear" "9.8 FS 3DES: 24-byte key"
expect_err_has "legacy 3DES-CFB session key installed (encryption on, MD5 integrity on)" "9.8 FS 3DES: modes"
log_has "3DES session: encryption on, integrity MD5" "9.8 FS 3DES"
log_has "on resumed session" "9.8 FS 3DES resume"
stop_testd

# ---- FS, 3DES, encryption without integrity -----------------------------------------
start_testd "$FS_OLD
SEC_CLIENT_INTEGRITY = OPTIONAL" -legacy-version 9.0.0 -crypto-methods 3DES -integrity OPTIONAL
approve "9.0 FS 3DES no MAC"
expect_err_has "(encryption on, MD5 integrity off)" "9.0 FS 3DES no MAC: modes"
log_has "3DES session: encryption on, integrity off" "9.0 FS 3DES no MAC"
stop_testd

# ---- TOKEN: the key comes 3DES-wrapped under W --------------------------------------
start_testd 'SEC_CLIENT_AUTHENTICATION_METHODS = TOKEN' -legacy-version 9.0.0 -methods TOKEN
approve "9.0 TOKEN AES"
expect_err_has "AES, 32 bytes, 3DES-wrapped by the method" "9.0 TOKEN AES: wrapped key"
expect_err_has "with server 'condor_pool@testd.local'" "9.0 TOKEN: pre-23.9 server name"
log_has "3DES-wrapped under the method's key" "9.0 TOKEN AES"
stop_testd

# (HTCondor's default client list names BLOWFISH; we drop it, so a server
# preferring BLOWFISH meets us on 3DES)
start_testd 'SEC_CLIENT_AUTHENTICATION_METHODS = TOKEN
SEC_CLIENT_CRYPTO_METHODS = AES,BLOWFISH,3DES' -legacy-version 9.4.0 -methods TOKEN -crypto-methods BLOWFISH,3DES
approve "9.4 TOKEN 3DES"
expect_err_has "3DES, 24 bytes, 3DES-wrapped by the method" "9.4 TOKEN 3DES: wrapped key"
expect_err_has "not offering crypto method BLOWFISH" "BLOWFISH never offered"
log_has "3DES session: encryption on, integrity MD5" "9.4 TOKEN 3DES"
stop_testd

# ---- FS falls through to TOKEN (channel binding) ----------------------------------------
start_testd 'SEC_CLIENT_AUTHENTICATION_METHODS = FS,TOKEN' -legacy-version 9.0.0 -methods FS,TOKEN
approve "9.0 FS->TOKEN"
expect_err_has "authenticated with TOKEN" "9.0 FS->TOKEN: TOKEN used"
stop_testd

# ---- a client that can only offer BLOWFISH -------------------------------------------
start_testd "$FS_OLD
SEC_CLIENT_CRYPTO_METHODS = BLOWFISH" -legacy-version 9.0.0
run "$A" -reqid 0412345 -yes -expect-identity worker@testd.local
expect_rc 1 "BLOWFISH-only client"
log_has "no AES or 3DES in common" "BLOWFISH-only client refused by the server"
stop_testd

# ---- a modern server told to use 3DES: ECDH-derived 24-byte key ------------------------
start_testd 'SEC_CLIENT_AUTHENTICATION_METHODS = FS' -crypto-methods 3DES
run "$A" -reqid 0412345 -yes -expect-identity worker@testd.local -debug
expect_rc 0 "25.x 3DES: approve"
expect_err_has "ECDH key exchange done; 3DES session key derived" "25.x 3DES: ECDH key"
log_has "3DES session: encryption on, integrity MD5" "25.x 3DES"
stop_testd

# ---- the test daemon only plays 9.0-9.8 -------------------------------------------------
run "$TESTD" -legacy-version 9.9.0
expect_rc 2 "testd -legacy-version 9.9.0 refused"

e2e_done legacy
