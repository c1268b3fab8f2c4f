#!/bin/sh
# make demo: the whole approve flow against the bundled test daemon.
#
# A worker asks the "collector" (the test daemon) for a token; the
# administrator's script approves exactly that request without a prompt,
# checking identity, address, authorizations and lifetime; the worker
# receives its token.  Everything runs on 127.0.0.1.
set -u
B=${1:-build/x86_64}
TB=$B/tokenbox
TESTD=$B/testd
T=$(mktemp -d "${TMPDIR:-/tmp}/tokenbox-demo.XXXXXX")
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
say() { printf '\n== %s\n' "$*"; }
fail() {
	echo "demo: $*" >&2
	[ -f "$T/testd.log" ] && tail -n 20 "$T/testd.log" >&2
	exit 1
}

[ -x "$TB" ] && [ -x "$TESTD" ] || fail "build $TB and $TESTD first (make demo does)"
me=$(id -un 2>/dev/null || echo root)

say "starting the test daemon (a collector with a POOL signing key, FS and IDTOKENS)"
head -c 64 /dev/urandom >"$T/pool_key"
chmod 600 "$T/pool_key"
"$TESTD" -portfile "$T/port" -pool-key "$T/pool_key" -trust-domain demo.local \
	-admin "condor@* $me@demo.local" -log "$T/testd.log" -max-idle 60 &
PIDS="$PIDS $!"
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$T/port" 2>/dev/null) || fail "the test daemon did not start"
echo "test daemon on 127.0.0.1:$PORT"

cat >"$T/condor_config" <<EOC
COLLECTOR_HOST = 127.0.0.1:$PORT
UID_DOMAIN = demo.local
TRUST_DOMAIN = demo.local
SEC_CLIENT_AUTHENTICATION_METHODS = FS
SEC_TOKEN_DIRECTORY = $T/tokens.d
EOC
export CONDOR_CONFIG="$T/condor_config"
echo "CONDOR_CONFIG=$CONDOR_CONFIG:"
sed 's/^/    /' "$CONDOR_CONFIG"

say "worker: condor_token_request -identity worker@demo.local -authz ADVERTISE_STARTD -lifetime 3600"
"$TB" condor_token_request -identity worker@demo.local -authz ADVERTISE_STARTD -lifetime 3600 \
	-file "$T/worker.token" -poll-interval 1 -timeout 60 >"$T/request.out" 2>"$T/request.err" &
REQ_PID=$!
PIDS="$PIDS $REQ_PID"
i=0
while ! grep -q 'approve request' "$T/request.out" 2>/dev/null && [ $i -lt 100 ]; do
	kill -0 "$REQ_PID" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
cat "$T/request.out"
REQID=$(sed -n 's/.*approve request \([0-9]*\)\..*/\1/p' "$T/request.out")
[ -n "$REQID" ] || fail "no request ID: $(cat "$T/request.err")"

say "administrator: list it (the daemon's own view)"
echo no | "$TB" condor_token_request_approve -reqid "$REQID" || true

say "administrator: approve it without a prompt, only if it is what we expect"
"$TB" condor_token_request_approve -reqid "$REQID" -yes \
	-expect-identity worker@demo.local -expect-peer 127.0.0.0/8 \
	-expect-authz ADVERTISE_STARTD,ADVERTISE_MASTER -expect-max-lifetime 86400 ||
	fail "approval failed"

say "worker: waiting for the token"
wait "$REQ_PID" || fail "the requester failed: $(cat "$T/request.err")"
[ -s "$T/worker.token" ] || fail "no token written"
ls -l "$T/worker.token" | awk '{print $1, $NF}'
# Show the claims, never the signature.
payload=$(cut -d. -f2 "$T/worker.token" | tr '_-' '/+')
while [ $(( ${#payload} % 4 )) -ne 0 ]; do payload="$payload="; done
echo "token claims: $(printf '%s' "$payload" | base64 -d 2>/dev/null)"
say "done: request $REQID was approved and the worker holds its token"
