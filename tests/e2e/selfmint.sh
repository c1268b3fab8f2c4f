#!/bin/sh
# IDTOKENS without a token file: a tool whose real uid owns one of the
# server's signing keys (root on a central manager) mints itself a
# 60-second token (auth-methods.md 3.2) and is condor@password.  Also: the
# key must be owner-only, the trust domains must agree, a token file still
# wins, a wrong key fails cleanly, pre-23.9 servers get condor_pool@.
# needs: condor_token_request_list TOKEN
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
if [ "$(id -u)" != 0 ]; then
	# The key files below would be ours, so this would work as any user
	# (HTCondor only asks for owner = real uid); the case that matters is
	# root's, so keep to it.
	echo "SKIP: selfmint.sh needs root (self-minting is root's path on a central manager)"
	e2e_done selfmint
	exit $?
fi
T=$E2E_TMP
e2e_pool_key
mkdir -m 700 "$T/passwords.d" "$T/tokens.d"
cp "$T/pool_key" "$T/passwords.d/POOL"
chmod 600 "$T/passwords.d/POOL"
e2e_applet condor_token_request_list
L=$T/condor_token_request_list
R1='RequestId=0412345;ClientId=node17-431;PeerLocation=10.1.2.3;RequestedIdentity=worker@testd.local;AuthenticatedIdentity=unauthenticated@unmapped'

start_testd() { # extra testd args...
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* condor_pool@*" \
		-methods TOKEN -seed-request "$R1" "$@"
	cat >"$T/condor_config" <<EOF
COLLECTOR_HOST = 127.0.0.1:$PORT
UID_DOMAIN = testd.local
TRUST_DOMAIN = testd.local
SEC_CLIENT_AUTHENTICATION_METHODS = IDTOKENS
SEC_PASSWORD_DIRECTORY = $T/passwords.d
SEC_TOKEN_SYSTEM_DIRECTORY = $T/tokens.d
EOF
	export CONDOR_CONFIG="$T/condor_config"
}

# ---- the path itself -----------------------------------------------------
start_testd
run "$L" -debug
expect_rc 0 "LIST with a self-minted token"
expect_out_has 'RequestId = "0412345"' "LIST shows the request"
expect_err_has "minting a token with key POOL for condor@password" "-debug names the key and identity"
expect_err_has "as condor@password" "-debug shows the identity"
if grep -q "new session .* for condor@password (method IDTOKENS)" "$T/testd.log"; then e2e_ok; else
	e2e_bad "daemon did not see condor@password over IDTOKENS: $(tail -n 3 "$T/testd.log")"
fi
# neither the key nor a signature is printed
sig=$("$TESTD" -mint -pool-key "$T/pool_key" -sub x -iss testd.local | cut -d. -f3)
keyhex=$(od -An -tx1 "$T/pool_key" | tr -d ' \n')
if contains "$ERR" "$keyhex" || contains "$ERR" "$sig"; then e2e_bad "-debug leaks key material"; else e2e_ok; fi

# the same with the default SEC_TOKEN_POOL_SIGNING_KEY_FILE spelled out elsewhere
printf 'SEC_TOKEN_POOL_SIGNING_KEY_FILE = %s/pool_key\nSEC_PASSWORD_DIRECTORY = %s/nonexistent\n' "$T" "$T" >>"$T/condor_config"
run "$L"
expect_rc 0 "POOL key from SEC_TOKEN_POOL_SIGNING_KEY_FILE"
expect_out_has 'RequestId = "0412345"' "LIST with the key file knob"
testd_stop

# ---- a usable token file wins over minting -------------------------------
start_testd
"$TESTD" -mint -pool-key "$T/pool_key" -sub alice@testd.local -iss testd.local >"$T/tokens.d/tok"
chmod 600 "$T/tokens.d/tok"
run "$L" -debug
expect_err_has "presenting token of 'alice@testd.local'" "token file used first"
if contains "$ERR" "minting a token"; then e2e_bad "minted although a token file fits"; else e2e_ok; fi
rm -f "$T/tokens.d/tok"
testd_stop

# ---- key files that must not be used ----------------------------------------
start_testd
chmod 640 "$T/passwords.d/POOL"
run "$L" -debug
expect_rc 1 "group-readable key: no token"
expect_err_has "has mode 0640" "-debug says why the key is skipped"
if contains "$ERR" "minting a token"; then e2e_bad "minted with a group-readable key"; else e2e_ok; fi
chmod 600 "$T/passwords.d/POOL"
chown 1:1 "$T/passwords.d/POOL"
run "$L" -debug
expect_rc 1 "key owned by another uid: no token"
expect_err_has "owned by uid 1, not by uid 0" "-debug names the owner"
chown 0:0 "$T/passwords.d/POOL"
: >"$T/empty"
cp "$T/empty" "$T/passwords.d/POOL"
run "$L" -debug
expect_rc 1 "empty key: no token"
expect_err_has "is empty" "-debug says the key is empty"
cp "$T/pool_key" "$T/passwords.d/POOL"

# trust domains must agree
sed -i 's/^TRUST_DOMAIN = .*/TRUST_DOMAIN = elsewhere.local/' "$T/condor_config"
run "$L" -debug
expect_rc 1 "other TRUST_DOMAIN: no token"
expect_err_has "trust domain 'testd.local' is not ours ('elsewhere.local')" "-debug says why"
testd_stop

# ---- a key that is not the server's: the server's proof fails -------------
start_testd
head -c 64 /dev/urandom >"$T/passwords.d/POOL"
run "$L" -debug
expect_rc 1 "wrong key: authentication fails"
expect_err_has "hkt mismatch" "client sees the server cannot prove the key"
cp "$T/pool_key" "$T/passwords.d/POOL"
testd_stop

# ---- a pre-23.9 server: subject condor_pool@ ---------------------------------
start_testd -version '$CondorVersion: 23.0.0 2023-09-29 BuildID: 1 $'
run "$L" -debug
expect_rc 0 "LIST against a 23.0 server"
expect_err_has "for condor_pool@ (issuer testd.local" "old subject for an old server"
if grep -q "for condor_pool@ (method IDTOKENS)" "$T/testd.log"; then e2e_ok; else
	e2e_bad "daemon did not see condor_pool@: $(tail -n 3 "$T/testd.log")"
fi
testd_stop

e2e_done selfmint
