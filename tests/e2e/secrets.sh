#!/bin/sh
# No secret in any output: every applet runs a full flow with -debug:D_ALL
# (FS, TOKEN with a token file, a self-minted token, anonymous SSL, a 9.0
# daemon's 3DES-wrapped key), and nothing they print, on either stream,
# holds a session key or an ECDH secret (the test daemon logs each one it
# derives, -keylog), the pool signing key, or the signature of any token
# involved (the admin token, the tokens issued, a minted one).
# needs: condor_token_fetch condor_token_request condor_token_request_approve condor_token_request_auto_approve condor_token_request_list FS TOKEN SSL LEGACY
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
TB=$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")
D=-debug:D_ALL
e2e_pool_key
mkdir -m 700 "$T/tokens.d" "$T/admin.d" "$T/passwords.d"
cp "$T/pool_key" "$T/passwords.d/POOL"
"$TESTD" -mint -pool-key "$T/pool_key" -sub "$ME@testd.local" -iss testd.local >"$T/admin.d/admin"
chmod 600 "$T/admin.d/admin" "$T/passwords.d/POOL"
: >"$T/all"
# out: keep what a run printed, both streams
out() { cat "$T/o" "$T/e" >>"$T/all"; }
step() { # label, command...: run it, keep its output, expect exit 0
	label=$1
	shift
	"$@" >"$T/o" 2>"$T/e" </dev/null
	rc=$?
	out
	if [ $rc = 0 ]; then e2e_ok; else e2e_bad "$label: exit $rc ($(tail -n 2 "$T/e"))"; fi
}
have_ssl=0
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/host.key" \
		-out "$T/host.pem" -days 2 -subj "/CN=localhost" -addext subjectAltName=DNS:localhost \
		>"$T/openssl.log" 2>&1; then
	have_ssl=1
fi
start() { # testd args...
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* condor_pool@* $ME@testd.local" \
		-keylog "$T/keys" "$@"
	printf '<127.0.0.1:%s>\n$CondorVersion: 25.14.0 2026-11-30 BuildID: 1 $\n' "$PORT" >"$T/schedd_address"
	cat >"$T/config" <<EOF
COLLECTOR_HOST = localhost:$PORT
UID_DOMAIN = testd.local
TRUST_DOMAIN = testd.local
SEC_TOKEN_DIRECTORY = $T/tokens.d
SEC_KNOWN_HOSTS = $T/known_hosts
BOOTSTRAP_SSL_SERVER_TRUST = true
SCHEDD_ADDRESS_FILE = $T/schedd_address
SCHEDD_SUPER_ADDRESS_FILE = $T/schedd_address
SEC_FS_ENFORCE_CHANNEL_BINDING = false
EOF
	export CONDOR_CONFIG="$T/config"
}

# ---- a 25.x daemon ---------------------------------------------------------------------
ssl_args=
[ $have_ssl = 1 ] && ssl_args="-ssl-cert $T/host.pem -ssl-key $T/host.key"
# shellcheck disable=SC2086
start -methods FS,TOKEN,SSL $ssl_args
if [ $have_ssl = 1 ]; then
	# an anonymous SSL requester, approved by root over FS
	_CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS=SSL "$TB" condor_token_request -identity node1 \
		-authz ADVERTISE_STARTD -token node1 -poll-interval 1 -timeout 20 $D >"$T/req.o" 2>"$T/req.e" &
	reqpid=$!
	i=0
	while ! grep -q 'approve request' "$T/req.o" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	id=$(sed -n 's/.*approve request \([0-9]*\)\..*/\1/p' "$T/req.o")
	step "list (FS)" "$TB" condor_token_request_list $D
	step "approve (FS)" "$TB" condor_token_request_approve -reqid "$id" -yes \
		-expect-identity node1@testd.local $D
	wait $reqpid
	cat "$T/req.o" "$T/req.e" >>"$T/all"
	if [ -s "$T/tokens.d/node1" ]; then e2e_ok; else e2e_bad "the SSL requester got no token"; fi
fi
# approvals over TOKEN with the admin token (a request made over FS)
"$TB" condor_token_request -identity node2 -token node2 -poll-interval 1 -timeout 20 $D >"$T/req2.o" 2>"$T/req2.e" &
reqpid=$!
i=0
while ! grep -q 'approve request' "$T/req2.o" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
id=$(sed -n 's/.*approve request \([0-9]*\)\..*/\1/p' "$T/req2.o")
printf '%s node2@testd.local\n' "$id" >"$T/manifest"
step "approve -expect-file (TOKEN)" env _CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS=IDTOKENS \
	_CONDOR_SEC_TOKEN_DIRECTORY="$T/admin.d" "$TB" condor_token_request_approve \
	-expect-file "$T/manifest" -audit-log "$T/audit.log" $D
wait $reqpid
cat "$T/req2.o" "$T/req2.e" "$T/audit.log" >>"$T/all"
step "fetch (FS)" "$TB" condor_token_fetch -token fetched $D
step "auto-approve (FS)" "$TB" condor_token_request_auto_approve -netblock 10.0.0.0/8 -lifetime 60 $D
step "config" "$TB" config -v $D SEC_TOKEN_POOL_SIGNING_KEY_FILE SEC_PASSWORD_DIRECTORY
if [ "$(id -u)" = 0 ]; then
	# root on the central manager: a self-minted token
	step "list (self-minted token)" env _CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS=IDTOKENS \
		_CONDOR_SEC_PASSWORD_DIRECTORY="$T/passwords.d" _CONDOR_SEC_TOKEN_DIRECTORY="$T/none" \
		_CONDOR_SEC_TOKEN_SYSTEM_DIRECTORY="$T/none" "$TB" condor_token_request_list $D
fi
testd_stop

# ---- a 9.0 daemon: the key comes 3DES-wrapped after TOKEN ------------------------------
start -methods TOKEN -legacy-version 9.0.0 -seed-request 'RequestId=0412345;ClientId=c-1;PeerLocation=10.1.1.1;RequestedIdentity=w@testd.local'
step "approve on a 9.0 daemon (TOKEN)" env _CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS=IDTOKENS \
	_CONDOR_SEC_TOKEN_DIRECTORY="$T/admin.d" "$TB" condor_token_request_approve -reqid 0412345 \
	-yes -expect-identity w@testd.local $D
testd_stop

# ---- what must not be there ------------------------------------------------------------
: >"$T/secrets"
while read -r what hex; do
	printf '%s %s\n' "$what" "$hex" >>"$T/secrets"
done <"$T/keys"
printf 'pool_key %s\n' "$(od -An -tx1 "$T/pool_key" | tr -d ' \n')" >>"$T/secrets"
printf 'pool_key_b64 %s\n' "$(base64 -w0 <"$T/pool_key")" >>"$T/secrets"
for f in "$T"/admin.d/admin "$T"/tokens.d/*; do
	[ -f "$f" ] || continue
	printf 'signature_of_%s %s\n' "$(basename "$f")" "$(cut -d. -f3 <"$f" | tr -d '\n')" >>"$T/secrets"
done
printf 'minted_signature %s\n' "$("$TESTD" -mint -pool-key "$T/pool_key" -sub x -iss testd.local | cut -d. -f3)" >>"$T/secrets"
n=$(grep -c '^session_key ' "$T/secrets")
if [ "$n" -ge 5 ]; then e2e_ok; else e2e_bad "only $n session keys were logged: the search would prove little"; fi
n=$(grep -c '^ecdh_secret ' "$T/secrets")
if [ "$n" -ge 4 ]; then e2e_ok; else e2e_bad "only $n ECDH secrets were logged"; fi
n=$(grep -c '^signature_of_' "$T/secrets")
if [ "$n" -ge 3 ]; then e2e_ok; else e2e_bad "only $n token files to look for"; fi
if [ "$(wc -c <"$T/all")" -gt 10000 ]; then e2e_ok; else e2e_bad "the traces are too short to mean anything"; fi
while read -r what s; do
	[ -n "$s" ] || continue
	up=$(printf '%s' "$s" | tr 'a-f' 'A-F')
	# also the first 24 bytes (HTCondor's KEYPRINTF prints that much)
	short=$(printf '%s' "$s" | cut -c1-48)
	if grep -qiF -e "$s" -e "$short" "$T/all" || grep -qF "$up" "$T/all"; then
		e2e_bad "$what appears in the output"
	else
		e2e_ok
	fi
done <"$T/secrets"

e2e_done secrets
