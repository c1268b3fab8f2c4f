#!/bin/sh
# condor_token_request_approve against the test daemon: every path of
# tools-cli.md section 2 byte for byte, the non-interactive path, JSON, and
# hostile request contents.
# needs: condor_token_request_approve FS TOKEN
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
e2e_pool_key
e2e_applet condor_token_request_approve
A=$T/condor_token_request_approve

start_testd() { # args...
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* $ME@testd.local" "$@"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
		"$PORT" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
stop_testd() { testd_stop; }
answers() { printf "$@" >"$T/stdin"; E2E_STDIN=$T/stdin; export E2E_STDIN; }

R1='RequestId=0412345;ClientId=node17.example.org-431;PeerLocation=10.1.2.3;RequestedIdentity=worker@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=ADVERTISE_STARTD;TokenLifetime=3600'
R2='RequestId=0000007;ClientId=node18-9;PeerLocation=10.1.2.4;RequestedIdentity=other@testd.local;AuthenticatedIdentity=unauthenticated@unmapped'
R3='RequestId=1000000;ClientId=node19-1;PeerLocation=192.168.7.7;RequestedIdentity=third@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=READ,WRITE'

contents1='Request contents:
ClientId = "node17.example.org-431"
RequestId = "0412345"
PeerLocation = "10.1.2.3"
TokenLifetime = 3600
RequestedIdentity = "worker@testd.local"
LimitAuthorization = "ADVERTISE_STARTD"
AuthenticatedIdentity = "unauthenticated@unmapped"

To approve, please type '"'yes'"

# ---- interactive, one request ------------------------------------------------
start_testd -seed-request "$R1" -seed-request "$R2"
answers 'yes\n'
run "$A" -reqid 0412345
expect_rc 0 "approve -reqid, yes"
expect_out "$contents1
Request 0412345 approved successfully." "approve -reqid stdout"
expect_err "" "approve -reqid stderr"
run "$A" -reqid 0412345
expect_rc 1 "approved request is no longer listed"
expect_err "Remote daemon did not provide information for request ID 0412345." "no info message"

for ans in 'no\n' 'yes \n' 'YES\n' 'yes\r\n' '\n' ''; do
	answers "$ans"
	run "$A" -reqid 0000007
	expect_rc 1 "answer '$ans' does not approve"
	expect_err "Request was NOT approved." "answer '$ans' message"
	expect_out_has "To approve, please type 'yes'" "answer '$ans' prompt"
done
E2E_STDIN=/dev/null run "$A" -reqid 0000007
expect_err "Request was NOT approved." "EOF does not approve"
# IDs compare as strings: 7 is not 0000007.
run "$A" -reqid 7
expect_err "Remote daemon did not provide information for request ID 7." "-reqid 7 vs 0000007"
run "$A" -reqid abc
expect_rc 1 "-reqid abc"
expect_err "Failed to locate request corresponding to ID abc: DAEMON:2:Unable to convert request ID to integer." "non-numeric ID"
stop_testd

# ---- iterate over every request ---------------------------------------------------
start_testd -seed-request "$R1" -seed-request "$R2" -seed-request "$R3"
answers 'yes\nyes\nyes\n'
run "$A"
expect_rc 0 "iterate all, yes to each"
n=$(printf "%s\n" "$OUT" | grep -c '^Request contents:$')
if [ "$n" = 3 ]; then e2e_ok; else e2e_bad "iterate all showed $n requests"; fi
for id in 0412345 0000007 1000000; do
	expect_out_has "Request $id approved successfully." "iterate all approved $id"
done
run "$A"
expect_rc 1 "nothing left"
expect_err "Remote daemon has no request to approve." "no requests message"
stop_testd

start_testd -seed-request "$R1" -seed-request "$R2" -seed-request "$R3"
answers 'yes\nno\nyes\n'
run "$A"
expect_rc 1 "iterate all, second refused"
n=$(printf "%s\n" "$OUT" | grep -c '^Request contents:$')
if [ "$n" = 2 ]; then e2e_ok; else e2e_bad "stopped after the refusal: showed $n requests"; fi
n=$(printf "%s\n" "$OUT" | grep -c 'approved successfully')
if [ "$n" = 1 ]; then e2e_ok; else e2e_bad "one approval before the refusal, got $n"; fi
expect_err "Request was NOT approved." "iterate refusal message"
stop_testd

# ---- non-interactive --------------------------------------------------------------
start_testd -seed-request "$R1" -seed-request "$R3" \
	-seed-request 'RequestId=0000042;ClientId=c-42;PeerLocation=10.9.9.9;RequestedIdentity=condor@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=ADVERTISE_MASTER;TokenLifetime=600'
E2E_STDIN=/dev/null
for bad in "-expect-identity Worker@testd.local|RequestedIdentity" \
	"-expect-identity worker@testd.local -expect-peer 10.1.3.0/24|PeerLocation" \
	"-expect-identity worker@testd.local -expect-authz READ|LimitAuthorization" \
	"-expect-identity worker@testd.local -expect-max-lifetime 3599|TokenLifetime" \
	"-expect-identity worker@testd.local -expect-client-id node17|ClientId"; do
	args=${bad%|*}
	what=${bad#*|}
	# shellcheck disable=SC2086
	run "$A" -reqid 0412345 -yes $args
	expect_rc 2 "mismatch $what"
	expect_err_has "Request was NOT approved: $what differs" "mismatch $what message"
	expect_out_lacks "To approve" "no prompt with -yes ($what)"
done
run "$A" -reqid 0412345 -yes -expect-identity worker@testd.local -expect-peer 10.1.2.0/24 \
	-expect-authz ADVERTISE_STARTD,ADVERTISE_MASTER -expect-max-lifetime 3600 \
	-expect-client-id node17.example.org-431
expect_rc 0 "non-interactive match"
expect_out_has "Request 0412345 approved successfully." "non-interactive success line"
expect_out_lacks "To approve" "no prompt when non-interactive"
run "$A" -reqid 1000000 -yes -expect-identity third@testd.local -expect-authz READ
expect_rc 2 "authz superset refused"
run "$A" -reqid 0000042 -yes -expect-identity condor@testd.local
expect_rc 0 "condor@ approved when expected"
expect_err_has "WARNING: this request is for the condor@ identity" "condor@ warning"
stop_testd

# ---- hostile request contents ----------------------------------------------------
HOSTILE='RequestId=0066666;ClientId=evil-1;PeerLocation=10.6.6.6;AuthenticatedIdentity=unauthenticated@unmapped;RequestedIdentity=ev\x1b[31mil\x0aX = 1\x09q\\\x01@refpool.local'
start_testd -seed-request "$HOSTILE" \
	-seed-request 'RequestId=0077777;ClientId=c-7;PeerLocation=10.7.7.7;AuthenticatedIdentity=unauthenticated@unmapped;RequestedIdentity=q"uo\\te \xc3\xbc@testd.local'
answers 'no\n'
run "$A" -reqid 0066666
expect_rc 1 "hostile request not approved on 'no'"
if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '[\001\033]')"; then
	e2e_bad "raw control bytes reached stdout"
else e2e_ok; fi
expect_out_has 'RequestedIdentity = "ev\x1b[31mil\nX = 1\tq\\\x01@refpool.local"' "hostile identity shown escaped"
expect_err_has "WARNING: this request contains control characters" "control character warning"
expect_err_has "not of the plain user@domain form" "identity form warning"
n=$(printf "%s\n" "$OUT" | grep -c '^X = 1')
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "an injected line appeared as an attribute"; fi
run "$A" -reqid 0066666 -yes -expect-identity "$(printf 'ev\033[31mil\nX = 1\tq\\\\\001@refpool.local')"
expect_rc 3 "hostile request refused non-interactively"
expect_err_has "not safe to approve without a prompt" "unsafe refusal message"
# A clean but unusual identity prints exactly as the stock tool: only " escaped.
answers 'no\n'
run "$A" -reqid 0077777
expect_out_has "RequestedIdentity = \"q\\\"uo\\te $(printf '\303\274')@testd.local\"" "quote escaped, backslash and UTF-8 raw"
run "$A" -reqid 0077777 -yes -expect-identity 'q"uo\te ü@testd.local'
expect_rc 3 "non-plain identity refused non-interactively"
stop_testd

# ---- JSON ------------------------------------------------------------------------------
start_testd -seed-request "$R1"
run "$A" -reqid 0412345 -json -yes -expect-identity nobody@testd.local
expect_rc 2 "json mismatch"
first=$(printf "%s\n" "$OUT" | head -n 1)
last=$(printf "%s\n" "$OUT" | tail -n 1)
if [ "$first" = "[" ] && [ "$last" = "]" ]; then e2e_ok; else e2e_bad "json output is not an array: $first ... $last"; fi
expect_out_has '"Approved": false' "json outcome false"
expect_out_has '"RequestedIdentity": "worker@testd.local"' "json request attribute"
run "$A" -reqid 0412345 -json -yes -expect-identity worker@testd.local
expect_rc 0 "json approve"
expect_out_has '"Approved": true' "json outcome true"
expect_out_lacks "Request contents:" "json keeps human text off stdout"
if command -v python3 >/dev/null 2>&1; then
	if printf '%s\n' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[0]["Approved"] is True and d[0]["Request"]["RequestId"]=="0412345"' 2>/dev/null; then
		e2e_ok
	else e2e_bad "json output does not parse as expected"; fi
fi
stop_testd

# ---- errors talking to the daemon --------------------------------------------------------
start_testd
stop_testd
run "$A" -reqid 0000001
expect_rc 1 "connection refused"
expect_err "Failed to locate request corresponding to ID 0000001: DAEMON:1:Failed to connect to remote daemon at '<127.0.0.1:$PORT>'" "connection refused message"
run "$A"
expect_err "Failed to locate request corresponding to ID : DAEMON:1:Failed to connect to remote daemon at '<127.0.0.1:$PORT>'" "connection refused message without -reqid"

printf 'UID_DOMAIN = testd.local\n' >"$T/noconfig"
CONDOR_CONFIG=$T/noconfig run "$A"
expect_rc 1 "no collector configured"
expect_err "ERROR: couldn't locate default daemon type." "no collector message"
CONDOR_CONFIG=$T/noconfig run "$A" -name somewhere.invalid
expect_err "ERROR: couldn't locate daemon somewhere.invalid!" "couldn't locate named daemon"
CONDOR_CONFIG=$T/noconfig run "$A" -type shadow
expect_rc 4 "-type shadow EXCEPTs like the stock tool"

# ---- locating: -pool, -type schedd via the collector ---------------------------------------
start_testd -seed-request "$R1"
printf 'COLLECTOR_HOST = 127.0.0.1:1\nUID_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' >"$T/wrongpool"
answers 'no\n'
CONDOR_CONFIG=$T/wrongpool run "$A" -pool "127.0.0.1:$PORT" -reqid 0412345
expect_out_has 'RequestId = "0412345"' "-pool overrides COLLECTOR_HOST"
CONDOR_CONFIG=$T/wrongpool run "$A" -pool nowhere.invalid
expect_rc 1 "unresolvable -pool"
expect_err "ERROR: unknown host nowhere.invalid" "unresolvable -pool message"
stop_testd

# ---- shared port: -type schedd through sock=; FS binds ?sock= only for 25.14+ ----
for v in 25.13.2 25.14.0; do
	start_testd -seed-request "$R1" -shared-port schedd_77_ab -version "\$CondorVersion: $v 2026-11-30 \$"
	answers 'no\n'
	run "$A" -type schedd -name schedd@testd -reqid 0412345 -debug
	expect_out_has 'RequestId = "0412345"' "schedd through shared port ($v)"
	expect_err_has "sending shared-port connect for id schedd_77_ab" "shared-port message sent ($v)"
	if [ "$v" = 25.14.0 ]; then
		expect_err_has "_127.0.0.1:$PORT?sock=schedd_77_ab" "FS name bound to the shared-port id ($v)"
	else
		expect_err_has "_127.0.0.1:$PORT
" "FS name without the shared-port id ($v)"
	fi
	stop_testd
done

e2e_done approve
