#!/bin/sh
# A daemon that completes the handshake and then lies (testd -hostile):
# nothing is approved that the daemon did not show and confirm properly,
# no raw control byte reaches the terminal, every exceeded bound fails
# closed.
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
head -c 64 /dev/urandom >"$T/pool_key"
chmod 600 "$T/pool_key"
ln -s "$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")" "$T/condor_token_request_approve"
A=$T/condor_token_request_approve
R1='RequestId=0000001;ClientId=c-1;PeerLocation=10.1.1.1;RequestedIdentity=one@testd.local;AuthenticatedIdentity=unauthenticated@unmapped'
R2='RequestId=0000002;ClientId=c-2;PeerLocation=10.1.1.2;RequestedIdentity=two@testd.local;AuthenticatedIdentity=unauthenticated@unmapped'

start_testd() { # args...
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* $ME@testd.local" \
		-seed-request "$R1" -seed-request "$R2" "$@"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
		"$PORT" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
answers() { printf "$@" >"$T/stdin"; E2E_STDIN=$T/stdin; export E2E_STDIN; }
no_raw_controls() { # label
	if printf '%s%s' "$OUT" "$ERR" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
		e2e_bad "$1: a raw control byte reached the terminal"
	else e2e_ok; fi
}
approved_in_log() { grep -c 'command 60050 on resumed session' "$T/testd.log"; }

# LIST -reqid answered with another request: "yes" must not approve the
# request asked about, which was never shown.
start_testd -hostile list-other-reqid
answers 'yes\n'
run "$A" -reqid 0000002
expect_rc 1 "other reqid: prompt path refuses"
expect_err_has "Request was NOT approved: RequestId differs: expected '0000002', actual '0000001'." "other reqid: message"
expect_out_lacks "approved successfully" "other reqid: nothing approved"
expect_out_lacks "To approve" "other reqid: no prompt for a request not asked about"
run "$A" -reqid 0000002 -yes -expect-identity two@testd.local
expect_rc 2 "other reqid: -yes refuses"
n=$(approved_in_log)
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "other reqid: $n APPROVE commands sent"; fi
testd_stop

# An error text with terminal escapes and a forged success line.
start_testd -hostile list-error-escapes
run "$A" -reqid 0000001
expect_rc 1 "escapes in a LIST error: exit 1"
no_raw_controls "LIST error"
expect_err "Failed to locate request corresponding to ID 0000001: DAEMON:3:bad\\x1b]0;owned\\x07\\x1b[2J\\r\\nRequest 0000001 approved successfully." "LIST error shown escaped"
printf '0000001 one@testd.local\n' >"$T/m"
run "$A" -expect-file "$T/m"
expect_rc 1 "escapes in a LIST error: manifest exit 1"
no_raw_controls "LIST error, manifest"
expect_out "" "LIST error: no row reported"
testd_stop

start_testd -hostile approve-error-escapes
answers 'yes\n'
run "$A" -reqid 0000001
expect_rc 1 "escapes in an APPROVE error: exit 1"
no_raw_controls "APPROVE error"
expect_err_has "Failed to approve token request: DAEMON:5:bad\\x1b]0;owned" "APPROVE error shown escaped"
n=$(printf '%s\n' "$OUT" | grep -c 'approved successfully')
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "APPROVE error: a success line was printed"; fi
run "$A" -expect-file "$T/m"
expect_rc 1 "APPROVE error: manifest exit 1"
expect_out "0000001 failed: DAEMON:5:bad\\x1b]0;owned\\x07\\x1b[2J\\r\\nRequest 0000001 approved successfully." "APPROVE error: manifest row failed, escaped"
no_raw_controls "APPROVE error, manifest"
testd_stop

# An error string longer than any buffer: an error, not the end of an
# empty (or partial) list.
start_testd -hostile list-long-error
run "$A"
expect_rc 1 "long LIST error: exit 1"
expect_err "Failed to locate request corresponding to ID : DAEMON:3:ErrorString from the remote daemon is longer than 319 bytes" "long LIST error named"
run "$TOKENBOX" condor_token_request_list
expect_rc 1 "long LIST error: list fails too"
testd_stop

# A resumed session DENIED with a ReturnCode longer than the buffer it is
# read into: the APPROVE must not be sent.
start_testd -hostile resume-long-code
answers 'yes\n'
run "$A" -reqid 0000001
expect_rc 1 "long DENIED ReturnCode: exit 1"
expect_err_has "Server's ReturnCode is not a string of at most 63 bytes" "long ReturnCode fails closed"
expect_out_lacks "approved successfully" "long ReturnCode: nothing approved"
run "$A" -expect-file "$T/m"
expect_rc 1 "long ReturnCode: manifest exit 1"
expect_out_has "0000001 failed:" "long ReturnCode: manifest row failed"
n=$(grep -c 'hostile DENIED' "$T/testd.log")
if [ "$n" = 2 ]; then e2e_ok; else e2e_bad "long ReturnCode: $n resumptions refused, want 2"; fi
n=$(grep -c 'command 60050 by' "$T/testd.log")
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "long ReturnCode: the daemon received $n APPROVE commands"; fi
run "$TOKENBOX" condor_token_request_list
expect_out_has 'RequestId = "0000001"' "long ReturnCode: the request is still pending"
testd_stop

e2e_done hostile
