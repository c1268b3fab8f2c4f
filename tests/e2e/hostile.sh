#!/bin/sh
# A daemon that completes the handshake and then lies (testd -hostile CASE,
# the cases listed in tests/testd/cmds.c, server.c and hostile.c): in the
# LIST reply, the APPROVE reply, the AES-GCM packets and the answer to a
# resumed session.  Each case runs with FS on an AES-GCM session and (but
# the packet cases) with an IDTOKEN on a plaintext session, and must end
# with the expected exit code and message within TOKENBOX_TIMEOUT plus one
# second, with no raw control byte on the terminal, no approval reported
# that the daemon did not confirm properly, and a peak memory under 4 MiB
# (the shipped build; 64 MiB under ASan).
# needs: condor_token_request_approve FS TOKEN
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
TB=$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")
ln -s "$TB" "$T/condor_token_request_approve"
A=$T/condor_token_request_approve
TIMEOUT=2
# Peak memory allowed a run: the shipped build's bound; the sanitizer build
# (ARCH=host) carries ASan's shadow memory on top.
PEAK_MAX=4096
[ "${ARCH:-}" = host ] && PEAK_MAX=65536
e2e_pool_key
mkdir -m 700 "$T/tokens.d"
"$TESTD" -mint -pool-key "$T/pool_key" -sub "$ME@testd.local" -iss testd.local >"$T/tokens.d/admin"
chmod 600 "$T/tokens.d/admin"
R1='RequestId=0000001;ClientId=c-1;PeerLocation=10.1.1.1;RequestedIdentity=one@testd.local;AuthenticatedIdentity=unauthenticated@unmapped'
R2='RequestId=0000002;ClientId=c-2;PeerLocation=10.1.1.2;RequestedIdentity=two@testd.local;AuthenticatedIdentity=unauthenticated@unmapped'
printf '0000001 one@testd.local\n0000002 two@testd.local\n' >"$T/manifest"

start_testd() { # mode, testd args...
	mode=$1
	shift
	if [ "$mode" = fs ]; then
		testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* $ME@testd.local" \
			-seed-request "$R1" -seed-request "$R2" "$@"
		methods='SEC_CLIENT_AUTHENTICATION_METHODS = FS'
	else
		testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* $ME@testd.local" \
			-seed-request "$R1" -seed-request "$R2" -methods TOKEN -encryption NEVER -integrity NEVER "$@"
		methods="SEC_CLIENT_AUTHENTICATION_METHODS = IDTOKENS
SEC_TOKEN_DIRECTORY = $T/tokens.d"
	fi
	cat >"$T/condor_config" <<EOF
COLLECTOR_HOST = 127.0.0.1:$PORT
UID_DOMAIN = testd.local
TRUST_DOMAIN = testd.local
TOKENBOX_TIMEOUT = $TIMEOUT
$methods
EOF
	export CONDOR_CONFIG="$T/condor_config"
}
# The stall cases keep the daemon asleep: do not wait for it.
kill_testd() {
	kill -KILL "$TESTD_PID" 2>/dev/null
	wait "$TESTD_PID" 2>/dev/null
}
answers() { printf "$@" >"$T/stdin"; E2E_STDIN=$T/stdin; export E2E_STDIN; }
ms() { date +%s%N | cut -c1-13; }

# check MODE CASE HOW RC NEEDLE: run one case; HOW is "prompt" (-reqid
# 0000001 answered yes), "prompt2" (-reqid 0000002), "yes" (-reqid
# 0000001 -yes), "yes-life" (the same with -expect-max-lifetime 3600) or
# "manifest" (both requests by -expect-file).
check() {
	mode=$1 case=$2 how=$3 want_rc=$4 needle=$5
	label="$case ($mode, $how)"
	start_testd "$mode" -hostile "$case"
	answers 'yes\n'
	t0=$(ms)
	case $how in
	prompt) run "$A" -reqid 0000001 -debug:D_FULLDEBUG ;;
	prompt2) run "$A" -reqid 0000002 -debug:D_FULLDEBUG ;;
	yes) run "$A" -reqid 0000001 -yes -expect-identity one@testd.local -debug:D_FULLDEBUG ;;
	yes-life) run "$A" -reqid 0000001 -yes -expect-identity one@testd.local \
		-expect-max-lifetime 3600 -debug:D_FULLDEBUG ;;
	manifest) run "$A" -expect-file "$T/manifest" -debug:D_FULLDEBUG ;;
	esac
	t1=$(ms)
	kill_testd
	expect_rc "$want_rc" "$label"
	# the message, on either stream, among the lines that are not -debug trace
	ERR=$(printf '%s\n%s\n' "$OUT" "$ERR" | grep -v '^[0-9][0-9]/[0-9][0-9]/[0-9][0-9] ')
	expect_err_has "$needle" "$label: message"
	if [ $((t1 - t0)) -le $((TIMEOUT * 1000 + 1000)) ]; then e2e_ok; else
		e2e_bad "$label: took $((t1 - t0)) ms (timeout $TIMEOUT s)"
	fi
	if printf '%s%s' "$OUT" "$ERR" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
		e2e_bad "$label: a raw control byte reached the terminal"
	else e2e_ok; fi
	if printf '%s\n' "$OUT" | grep -Eq '^Request [0-9]+ approved successfully\.$|^[0-9]+ approved$'; then
		e2e_bad "$label: an approval was reported"
	else e2e_ok; fi
	peak=$(cat "$T/err" | sed -n 's/.*peak resident memory: \([0-9]*\) KiB.*/\1/p')
	if [ -n "$peak" ] && [ "$peak" -le $PEAK_MAX ]; then e2e_ok; else e2e_bad "$label: peak memory '${peak}' KiB (bound $PEAK_MAX)"; fi
}

for mode in fs token; do
	# ---- LIST ----------------------------------------------------------------------
	check $mode list-other-reqid prompt2 1 "Request was NOT approved: RequestId differs: expected '0000002', actual '0000001'."
	check $mode list-error-escapes prompt 1 "DAEMON:3:bad\\x1b]0;owned\\x07\\x1b[2J\\r\\nRequest 0000001 approved successfully."
	check $mode list-error-escapes manifest 1 "Nothing was approved."
	check $mode list-long-error prompt 1 "DAEMON:3:ErrorString from the remote daemon is longer than 319 bytes"
	check $mode list-flood prompt 1 "more than"
	check $mode list-flood manifest 2 "2 expected: 0 approved, 0 refused, 2 not pending"
	check $mode list-escapes yes 3 "Request was NOT approved: its contents are not safe to approve without a prompt."
	check $mode list-escapes manifest 3 "0000001 unsafe: the request contains control characters"
	check $mode list-no-clientid prompt 1 "Remote host did not provide a client ID."
	check $mode list-no-clientid manifest 3 "the request has no ClientId"
	check $mode list-no-reqid prompt 1 "Request was NOT approved: RequestId differs: expected '0000001', actual (none)."
	check $mode list-int-reqid prompt 1 "Request was NOT approved: RequestId differs: expected '0000001', actual (none)."
	check $mode list-int-reqid manifest 2 "2 not pending"
	check $mode list-dup manifest 3 "0000001 unsafe: the daemon listed this request ID more than once"
	check $mode list-bad-utf8 yes 3 "its contents are not safe to approve without a prompt."
	check $mode list-bidi manifest 3 "0000001 unsafe: the request contains control characters or invalid UTF-8"
	check $mode list-big-value yes 1 "exceeds the reader's limit of 131072"
	check $mode list-big-value manifest 1 "Nothing was approved."
	check $mode list-long-value yes 3 "its contents are not safe to approve without a prompt."
	check $mode list-long-value manifest 3 "0000001 unsafe: an attribute of the request is longer than 4095 bytes"
	check $mode list-many-attrs manifest 1 "Nothing was approved."
	check $mode list-lifetime-string yes-life 2 "TokenLifetime differs: expected at most 3600, actual (none)"
	check $mode list-lifetime-negative yes-life 2 "TokenLifetime differs: expected at most 3600, actual negative"
	check $mode list-owner-string prompt 1 "Failed to receive response ClassAd"
	check $mode list-no-end prompt 1 "Failed to receive response ClassAd"
	check $mode list-no-end manifest 1 "Nothing was approved."
	check $mode list-slow prompt 1 "The command did not finish in time"
	check $mode list-slow manifest 1 "Nothing was approved."
	check $mode list-stall prompt 1 "The command did not finish in time"
	# ---- APPROVE ---------------------------------------------------------------------
	check $mode approve-error-escapes prompt 1 "Failed to approve token request: DAEMON:5:bad\\x1b]0;owned\\x07\\x1b[2J\\r\\nRequest 0000001 approved successfully."
	check $mode approve-error-escapes manifest 1 "0000001 failed: DAEMON:5:bad\\x1b]0;owned"
	check $mode approve-garbage prompt 1 "Failed to approve token request: "
	check $mode approve-junk-after prompt 1 "Failed to read end-of-message"
	check $mode approve-junk-after manifest 1 "0000001 failed: "
	check $mode approve-no-errorcode prompt 1 "did not return a result."
	check $mode approve-errorcode-string prompt 1 "did not return a result."
	check $mode approve-errorcode-negative prompt 1 "Failed to approve token request: DAEMON:-1:no"
	check $mode approve-huge prompt 1 "Failed to approve token request: "
	check $mode approve-stall prompt 1 "Failed to approve token request: "
	check $mode approve-stall manifest 1 "0000002 skipped: not attempted: the run stopped"
	check $mode approve-close prompt 1 "Failed to approve token request: "
	# ---- resuming the session ----------------------------------------------------------
	check $mode resume-long-code prompt 1 "Server's ReturnCode is not a string of at most 63 bytes"
	check $mode resume-unknown prompt 1 "Server rejected our session id"
	check $mode resume-denied prompt 1 "Received \"DENIED\" from server"
	check $mode resume-no-reply prompt 1 "Failed to approve token request: "
done
# ---- AES-GCM packets (FS sessions) ---------------------------------------------------
for case in gcm-bad-tag gcm-replay gcm-reorder gcm-new-iv gcm-truncate gcm-huge gcm-empty; do
	check fs $case prompt 1 "Failed to locate request corresponding to ID 0000001: "
	check fs $case manifest 1 "Nothing was approved."
done

e2e_done hostile
