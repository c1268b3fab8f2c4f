#!/bin/sh
# condor_token_request_list against the test daemon: tools-cli.md section 4
# byte for byte (long form, JSON, -reqid, empty list, errors, usage), the
# non-administrator view, and hostile request contents.
# needs: condor_token_request_list FS
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
e2e_pool_key
e2e_applet condor_token_request_list
L=$T/condor_token_request_list

start_testd() { # args...
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@*" "$@"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
		"$PORT" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
stop_testd() { testd_stop; }

R1='RequestId=0412345;ClientId=node17.example.org-431;PeerLocation=10.1.2.3;RequestedIdentity=worker@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=ADVERTISE_STARTD;TokenLifetime=3600'
R2='RequestId=0000007;ClientId=node18-9;PeerLocation=10.1.2.4;RequestedIdentity=condor@testd.local;AuthenticatedIdentity=unauthenticated@unmapped'

long1='AuthenticatedIdentity = "unauthenticated@unmapped"
ClientId = "node17.example.org-431"
LimitAuthorization = "ADVERTISE_STARTD"
PeerLocation = "10.1.2.3"
RequestedIdentity = "worker@testd.local"
RequestId = "0412345"
TokenLifetime = 3600'
long2='AuthenticatedIdentity = "unauthenticated@unmapped"
ClientId = "node18-9"
PeerLocation = "10.1.2.4"
RequestedIdentity = "condor@testd.local"
RequestId = "0000007"'
json1='{
  "AuthenticatedIdentity": "unauthenticated@unmapped",
  "ClientId": "node17.example.org-431",
  "LimitAuthorization": "ADVERTISE_STARTD",
  "PeerLocation": "10.1.2.3",
  "RequestedIdentity": "worker@testd.local",
  "RequestId": "0412345",
  "TokenLifetime": 3600
}'
json2='{
  "AuthenticatedIdentity": "unauthenticated@unmapped",
  "ClientId": "node18-9",
  "PeerLocation": "10.1.2.4",
  "RequestedIdentity": "condor@testd.local",
  "RequestId": "0000007"
}'

# ---- usage and argument errors (no daemon needed) -----------------------------
printf 'UID_DOMAIN = testd.local\n' >"$T/noconfig"
export CONDOR_CONFIG="$T/noconfig"
usage="Usage: $L [-type TYPE] [-name NAME] [-pool POOL] [-reqid ID] [-json]

Generates a token from a remote daemon and prints its contents to stdout.

Token options:
    -reqid <val>                    Token request identity

Output options:
    -json                           Print out tokens as JSON, line-delimited (RFC 7464)
Specifying target options:
    -pool    <host>                 Query this collector
    -name    <name>                 Find a daemon with this name
    -type    <subsystem>            Type of daemon to contact (default: COLLECTOR)
If not specified, the pool's collector is targeted."
for h in -help -h --help -he; do
	run "$L" "$h"
	expect_rc 1 "$h exits 1"
	expect_err "$usage" "$h usage text"
	expect_out "" "$h prints nothing on stdout"
done
# -json is compared exactly: no prefix, no double dash.
for bad in -j -js --json -jsonx -Json --deb --h -; do
	run "$L" "$bad"
	expect_rc 1 "$bad is invalid"
	expect_err "$L: Invalid command line argument: $bad
$usage" "$bad message"
done
for opt in "-pool|-pool requires a pool name argument." "-name|-name requires a daemon name argument." \
	"-type|-type requires a daemon type argument." "-reqid|-reqid requires a request ID argument." \
	"-p|-pool requires a pool name argument." "-r|-reqid requires a request ID argument."; do
	o=${opt%%|*}
	run "$L" "$o"
	expect_rc 1 "$o without value"
	expect_err "$L: ${opt#*|}" "$o without value message"
done
run "$L" -type nosuch
expect_rc 1 "-type nosuch"
expect_err "ERROR: unrecognized daemon type: nosuch
$usage" "-type nosuch message"
run "$L" -type none
expect_err "ERROR: unrecognized daemon type: none
$usage" "-type none is unrecognized"
run "$L" -type shadow
expect_rc 4 "-type shadow EXCEPTs"
run "$L"
expect_rc 1 "no collector configured"
expect_err "ERROR: couldn't locate default daemon type." "no collector message"
run "$L" -name somewhere.invalid
expect_err "ERROR: couldn't locate daemon somewhere.invalid!" "named daemon not located"
run "$L" -pool nowhere.invalid
expect_rc 1 "unresolvable -pool"
expect_err "ERROR: unknown host nowhere.invalid" "unresolvable -pool message"

# ---- listing -------------------------------------------------------------------
start_testd -seed-request "$R1" -seed-request "$R2"
run "$L"
expect_rc 0 "list all"
# Each ad is followed by an empty line (the command substitution in run
# drops only the last one).
expect_out "$long1

$long2" "list all, long form"
expect_err "" "list all stderr"
run "$L" -json
expect_rc 0 "list -json"
expect_out "[
$json1
,
$json2
]" "list -json, the stock list writer's layout"
if command -v python3 >/dev/null 2>&1; then
	if printf '%s\n' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [a["RequestId"] for a in d]==["0412345","0000007"] and d[0]["TokenLifetime"]==3600' 2>/dev/null; then
		e2e_ok
	else e2e_bad "list -json does not parse as the two requests"; fi
fi
run "$L" -reqid 0412345
expect_rc 0 "list -reqid"
expect_out "$long1" "list -reqid shows one request"
run "$L" -r 0000007 -json -debug
expect_rc 0 "list -r -json -debug"
expect_out "[
$json2
]" "list -reqid -json"
run "$L" --reqid 0000007 -d:D_SECURITY
expect_rc 0 "--reqid and -d:FLAGS"
expect_out "$long2" "--reqid output"
# An empty -reqid lists everything, as the stock tool does.
run "$L" -reqid ""
expect_out "$long1

$long2" "empty -reqid lists all"
# IDs compare as strings.
run "$L" -reqid 7
expect_rc 1 "-reqid 7 does not match 0000007"
expect_err "Remote daemon did not provide information for request ID 7." "-reqid 7 message"
expect_out "" "-reqid 7 prints nothing"
run "$L" -reqid abc
expect_rc 1 "-reqid abc"
expect_err "Failed to locate request corresponding to ID abc: DAEMON:2:Unable to convert request ID to integer." "-reqid abc message"
# Locating: -type schedd asks the collector; -pool overrides COLLECTOR_HOST.
run "$L" -type schedd -name "schedd@testd" -reqid 0412345
expect_rc 0 "-type schedd -name via the collector"
expect_out "$long1" "-type schedd output"
printf 'COLLECTOR_HOST = 127.0.0.1:1\nUID_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' >"$T/wrongpool"
CONDOR_CONFIG=$T/wrongpool run "$L" -pool "127.0.0.1:$PORT" -reqid 0000007
expect_rc 0 "-pool overrides COLLECTOR_HOST"
expect_out "$long2" "-pool output"
stop_testd

# ---- what a non-administrator sees ----------------------------------------------
start_testd -admin "nobody@nowhere" -seed-request "$R1" -seed-request "$R2"
run "$L"
expect_rc 0 "non-admin list"
expect_out "$long2" "non-admin sees only requests for its own identity"
run "$L" -reqid 0412345
expect_rc 1 "non-admin -reqid of someone else's request"
expect_err "Remote daemon did not provide information for request ID 0412345." "non-admin -reqid message"
stop_testd

# ---- empty list -----------------------------------------------------------------
start_testd
run "$L"
expect_rc 0 "empty list exits 0"
expect_out "" "empty list stdout"
expect_err "Remote daemon reports no requests pending." "empty list message"
run "$L" -json
expect_rc 0 "empty list -json exits 0"
expect_out "" "empty list -json prints no brackets"
run "$L" -reqid 1234567
expect_rc 1 "-reqid on an empty list"
expect_err "Remote daemon did not provide information for request ID 1234567." "-reqid on empty list message"
stop_testd

# ---- errors talking to the daemon ----------------------------------------------------
run "$L"
expect_rc 1 "connection refused"
expect_err "Failed to list token requests: DAEMON:1:Failed to connect to remote daemon at '<127.0.0.1:$PORT>'" "connection refused message"
run "$L" -reqid 0000001
expect_err "Failed to locate request corresponding to ID 0000001: DAEMON:1:Failed to connect to remote daemon at '<127.0.0.1:$PORT>'" "connection refused message with -reqid"

start_testd -disable-token-request
# The daemon answers with one error ad without Owner and hangs up: the
# stock client reads it as a result and then fails on the next ad.
run "$L"
expect_rc 1 "token requests disabled"
expect_err_has "Failed to list token requests: DAEMON:2:Failed to receive response ClassAd from remote daemon at '<127.0.0.1:$PORT>'" "disabled: receive failure"
stop_testd

# Authentication that cannot succeed: the handshake's own errors.
start_testd -methods TOKEN
printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' "$PORT" >"$T/fsonly"
CONDOR_CONFIG=$T/fsonly run "$L"
expect_rc 1 "no common authentication method"
expect_err_has "Failed to list token requests: DAEMON:1:Failed to start command for listing token requests with remote daemon at '<127.0.0.1:$PORT>'.|" "handshake failure prefix"
stop_testd

# ---- hostile request contents ------------------------------------------------------
HOSTILE='RequestId=0066666;ClientId=evil-1;PeerLocation=10.6.6.6;AuthenticatedIdentity=unauthenticated@unmapped;RequestedIdentity=ev\x1b[31mil\x0aX = 1\x09q\\\x01@refpool.local'
start_testd -seed-request "$HOSTILE" \
	-seed-request 'RequestId=0077777;ClientId=c-7;PeerLocation=10.7.7.7;AuthenticatedIdentity=unauthenticated@unmapped;RequestedIdentity=q"uo\\te \xc3\xbc@testd.local'
run "$L" -reqid 0066666
expect_rc 0 "hostile request listed"
if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '[\001\033]')"; then
	e2e_bad "raw control bytes reached stdout"
else e2e_ok; fi
expect_out_has 'RequestedIdentity = "ev\x1b[31mil\nX = 1\tq\\\x01@refpool.local"' "hostile identity shown escaped"
n=$(printf "%s\n" "$OUT" | grep -c '^X = 1')
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "an injected line appeared as an attribute"; fi
expect_err_has "WARNING: 1 request(s) above contain control characters or invalid UTF-8" "hostile warning"
run "$L" -reqid 0066666 -json
expect_rc 0 "hostile request listed as JSON"
# (the hex digits' case is the JSON printer's business)
expect_out_has '"RequestedIdentity": "ev\u001' "hostile identity as JSON: ESC escaped"
expect_out_has '[31mil\nX = 1\tq\\\u0001@refpool.local"' "hostile identity as JSON escapes"
expect_err_has "WARNING: 1 request(s)" "hostile JSON warning"
# A clean but unusual identity prints exactly as the stock tool: only " escaped.
run "$L" -reqid 0077777
expect_out_has "RequestedIdentity = \"q\\\"uo\\te $(printf '\303\274')@testd.local\"" "quote escaped, backslash and UTF-8 raw"
expect_err "" "clean request: no warning"
stop_testd

e2e_done list
