#!/bin/sh
# condor_token_request_auto_approve against the test daemon: tools-cli.md
# section 6 byte for byte (the rule, the lifetime in hours, the listing of
# what remains), the client-side checks, daemon errors, usage.
# needs: condor_token_request_auto_approve condor_token_request_approve FS
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
e2e_pool_key
e2e_applet condor_token_request_auto_approve
AA=$T/condor_token_request_auto_approve

start_testd() { # args...
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local "$@"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
		"$PORT" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
stop_testd() { testd_stop; }

# Auto-approvable from 127.0.0.1 (condor@, ADVERTISE_* only) ...
OK1='RequestId=0000001;ClientId=c-1;PeerLocation=127.0.0.1;RequestedIdentity=condor@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=ADVERTISE_STARTD,ADVERTISE_MASTER;TokenLifetime=600'
# ... and three that are not: another user, a wider scope, another network.
NO1='RequestId=0412345;ClientId=node17-431;PeerLocation=127.0.0.1;RequestedIdentity=worker@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=ADVERTISE_STARTD;TokenLifetime=3600'
NO2='RequestId=0000002;ClientId=c-2;PeerLocation=127.0.0.1;RequestedIdentity=condor@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=READ,WRITE'
NO3='RequestId=0000003;ClientId=c-3;PeerLocation=10.9.9.9;RequestedIdentity=condor@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=ADVERTISE_SCHEDD'

old1='ClientId = "node17-431"
RequestId = "0412345"
PeerLocation = "127.0.0.1"
TokenLifetime = 3600
RequestedIdentity = "worker@testd.local"
LimitAuthorization = "ADVERTISE_STARTD"
AuthenticatedIdentity = "unauthenticated@unmapped"'
old2='ClientId = "c-2"
RequestId = "0000002"
PeerLocation = "127.0.0.1"
RequestedIdentity = "condor@testd.local"
LimitAuthorization = "READ,WRITE"
AuthenticatedIdentity = "unauthenticated@unmapped"'
old3='ClientId = "c-3"
RequestId = "0000003"
PeerLocation = "10.9.9.9"
RequestedIdentity = "condor@testd.local"
LimitAuthorization = "ADVERTISE_SCHEDD"
AuthenticatedIdentity = "unauthenticated@unmapped"'
bar='==================================================' # 50

usage="Usage: $AA [-type TYPE] [-name NAME] [-pool POOL] [-lifetime LIFETIME] [-netblock NETBLOCK]

Generates a new rule at specified daemon to automatically approve requests.

Options:
    -netblock <netblock>            Approve requests coming from this network
                                    Example: 192.168.0.0/24
    -lifetime <val>                 Auto-approval lifetime in seconds
Specifying target options:
    -pool    <host>                 Query this collector
    -name    <name>                 Find a daemon with this name
    -type    <subsystem>            Type of daemon to contact (default: COLLECTOR)
If not specified, the pool's collector is targeted."

# ---- usage and argument errors ----------------------------------------------------
printf 'UID_DOMAIN = testd.local\n' >"$T/noconfig"
export CONDOR_CONFIG="$T/noconfig"
for h in -help -h --help; do
	run "$AA" "$h"
	expect_rc 1 "$h exits 1"
	expect_err "$usage" "$h usage text"
done
run "$AA" -bogus
expect_err "$AA: Invalid command line argument: -bogus
$usage" "invalid argument"
for a in "" "-lifetime 60" "-netblock ''"; do
	eval "run \"\$AA\" $a"
	expect_rc 1 "no netblock ($a)"
	expect_err "$AA: -netblock argument is required.
Example: $AA -netblock 192.168.0.0/24" "no netblock message ($a)"
done
for opt in "-lifetime|-lifetime requires an argument." "-netblock|-netblock request an argument." \
	"-ne|-netblock request an argument." "-pool|-pool requires a pool name argument." \
	"-name|-name requires a daemon name argument." "-n|-name requires a daemon name argument." \
	"-type|-type requires a daemon type argument."; do
	o=${opt%%|*}
	run "$AA" "$o"
	expect_rc 1 "$o without value"
	expect_err "$AA: ${opt#*|}" "$o without value message"
done
for v in x "" 99999999999999999999; do
	run "$AA" -lifetime "$v" -netblock 127.0.0.1
	expect_rc 1 "-lifetime '$v'"
	expect_err "$AA: Invalid argument for -lifetime: $v." "-lifetime '$v' message"
done
run "$AA" -type nosuch -netblock 127.0.0.1
expect_err "ERROR: unrecognized daemon type: nosuch
$usage" "-type nosuch"
run "$AA" -netblock 127.0.0.1 -type dagman
expect_rc 4 "-type dagman EXCEPTs"
run "$AA" -netblock 127.0.0.1
expect_rc 1 "no collector configured"
expect_err "ERROR: couldn't locate default daemon type." "no collector message"
# -n is -name, not -netblock.
run "$AA" -n nowhere.invalid -ne 127.0.0.1
expect_err "ERROR: couldn't locate daemon nowhere.invalid!" "-n means -name"

# ---- the client's own checks (before any connection) --------------------------------
start_testd -seed-request "$NO1"
for v in 0 -5; do
	run "$AA" -netblock 127.0.0.1 -lifetime "$v"
	expect_rc 1 "-lifetime $v"
	expect_err "Failed to create new auto-approval rule: DAEMON:2:Auto-approval rule lifetimes must be greater than zero." "-lifetime $v message"
done
for nb in bogus 10.0.0.0/33 1.2.3 '10.*.1.2' 300.1.1.1/8; do
	run "$AA" -netblock "$nb"
	expect_rc 1 "-netblock $nb"
	expect_err "Failed to create new auto-approval rule: DAEMON:2:Auto-approval rule netblock invalid." "-netblock $nb message"
done
# The netblock is checked before the lifetime.
run "$AA" -netblock bogus -lifetime 0
expect_err "Failed to create new auto-approval rule: DAEMON:2:Auto-approval rule netblock invalid." "netblock checked first"
stop_testd

# ---- installing a rule ------------------------------------------------------------------
start_testd -seed-request "$OK1" -seed-request "$NO1" -seed-request "$NO2" -seed-request "$NO3"
run "$AA" -netblock 127.0.0.1/32 -lifetime 600
expect_rc 0 "rule installed"
expect_out "Successfully installed auto-approval rule for netblock 127.0.0.1/32 with lifetime of 0.17 hours
The following requests remain after auto-approval rule was installed:
$bar
$old1

$old2

$old3

$bar
To approve these requests, please run condor_token_request_approve manually." "rule and remaining requests"
expect_err "" "rule installed stderr"
# A second rule, for every address, with the default lifetime of one
# hour: now the 10.9.9.9 request is approved too.
run "$AA" -ne '*' -d
expect_rc 0 "second rule, default lifetime"
expect_out "Successfully installed auto-approval rule for netblock * with lifetime of 1.00 hours
The following requests remain after auto-approval rule was installed:
$bar
$old1

$old2

$bar
To approve these requests, please run condor_token_request_approve manually." "second rule: two remain"
stop_testd

# The hours are printed as the stock tool computes them: in float, then
# %.2f (18 s and 162 s round differently in double: 0.01, 0.04).
start_testd
for v in "5400|1.50" "1|0.00" "18|0.00" "162|0.05" "86400|24.00" "100000001|27777.78" "60x|0.02"; do
	run "$AA" -netblock 10.0.0.0/8 -lifetime "${v%|*}"
	expect_rc 0 "-lifetime ${v%|*}"
	expect_out "Successfully installed auto-approval rule for netblock 10.0.0.0/8 with lifetime of ${v#*|} hours" "-lifetime ${v%|*} in hours"
	expect_err "Remote daemon reports no un-approved requests pending." "-lifetime ${v%|*}: nothing pending"
done
for nb in 192.168.0.0/24 192.168.0.0/255.255.255.0 '192.168.*' '*/*' ::1 'fe80::/64'; do
	run "$AA" -netblock "$nb"
	expect_rc 0 "netblock form $nb accepted"
done
# Locating for an administrator: by -pool, and a schedd by name through the collector.
run "$AA" -netblock 127.0.0.1 -pool "127.0.0.1:$PORT"
expect_rc 0 "-pool"
run "$AA" -netblock 127.0.0.1 -type schedd -name schedd@testd
expect_rc 0 "-type schedd -name (LOCATE_FOR_ADMIN query)"
stop_testd

# ---- errors from the daemon ------------------------------------------------------------
start_testd -disable-token-request
run "$AA" -netblock 127.0.0.1
expect_rc 1 "token requests disabled"
expect_err "Failed to create new auto-approval rule: DAEMON:44:Token request disabled." "disabled message"
stop_testd

# Not an administrator: the daemon refuses the command during the handshake.
start_testd -admin "nobody@nowhere"
run "$AA" -netblock 127.0.0.1
expect_rc 1 "not an administrator"
expect_err 'Failed to create new auto-approval rule: SECMAN:2010:Received "DENIED" from server for user condor@testd.local using method FS.' "not an administrator message"
expect_out "" "not an administrator: nothing on stdout"
stop_testd

run "$AA" -netblock 127.0.0.1
expect_rc 1 "connection refused"
expect_err "Failed to create new auto-approval rule: DAEMON:1:Failed to connect to remote daemon at '<127.0.0.1:$PORT>'" "connection refused message"

# ---- ground truth: the stock tool's output in vector V7a ------------------------------
# The same three pending requests as on the reference pool; the stdout the
# real 25.14 tool printed is taken from the recording itself.
V7A=tests/vectors/real/V7a-auto-approve.txt
QI='q"uo\\te \xc3\xbc@refpool.local'
start_testd -trust-domain refpool.local \
	-seed-request "RequestId=1041065;ClientId=vm-640;PeerLocation=127.0.0.1;TokenLifetime=42;RequestedIdentity=$QI;AuthenticatedIdentity=unauthenticated@unmapped" \
	-seed-request "RequestId=8429020;ClientId=vm-406;PeerLocation=127.0.0.1;TokenLifetime=42;RequestedIdentity=$QI;AuthenticatedIdentity=unauthenticated@unmapped" \
	-seed-request "RequestId=9242885;ClientId=vm-14;PeerLocation=127.0.0.1;TokenLifetime=4242;RequestedIdentity=$QI;LimitAuthorization=READ,WRITE;AuthenticatedIdentity=unauthenticated@unmapped"
run "$AA" -netblock 127.0.0.1/32 -lifetime 60
expect_rc 0 "V7a command"
# (the recording writes bytes >= 0x80 as \xNN; this one has only c3 bc)
want=$(sed -n '/^#   stdout:/,/^#   stderr/p' "$V7A" | sed '1d;$d' | sed 's/^#     //; s/^#$//' |
	sed "s/\\\\xc3\\\\xbc/$(printf '\303\274')/g")
if [ "$(printf '%s\n' "$want" | wc -l)" -gt 20 ]; then e2e_ok; else e2e_bad "could not read V7a's stdout"; fi
expect_out "$want" "V7a: stdout byte for byte as the real tool's"
expect_err "" "V7a: stderr empty"
stop_testd

# ---- hostile remaining requests ------------------------------------------------------------
HOSTILE='RequestId=0066666;ClientId=evil-1;PeerLocation=10.6.6.6;AuthenticatedIdentity=unauthenticated@unmapped;RequestedIdentity=ev\x1b[31mil\x0aX = 1\x09q\\\x01@refpool.local'
start_testd -seed-request "$HOSTILE"
run "$AA" -netblock 127.0.0.1
expect_rc 0 "rule with a hostile request pending"
if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '[\001\033]')"; then
	e2e_bad "raw control bytes reached stdout"
else e2e_ok; fi
expect_out_has 'RequestedIdentity = "ev\x1b[31mil\nX = 1\tq\\\x01@refpool.local"' "hostile identity shown escaped"
expect_err_has "WARNING: 1 request(s) above contain control characters" "hostile warning"
stop_testd

e2e_done auto_approve
