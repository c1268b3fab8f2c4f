#!/bin/sh
# CLAIMTOBE as a client method (auth-methods.md section 6): offered only
# when SEC_CLIENT_AUTHENTICATION_METHODS names it; the name claimed (our
# account, the condor account for root, SEC_CLAIMTOBE_USER), with or
# without @UID_DOMAIN; and the stock messages when the daemon does not take
# it (checked by hand against HTCondor 25.13.2 and 9.0.19 daemons with the
# 25.13.2 tools: 25.x "Protocol Error: No auth methods.", 9.0 "Failed to
# authenticate with any method").
# needs: condor_token_request_list CLAIMTOBE FS LEGACY
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
e2e_applet condor_token_request_list
L=$T/condor_token_request_list
R1="RequestId=0000001;ClientId=c-1;RequestedIdentity=alice@testd.local"

start() { # config lines, testd args...
	extra=$1
	shift
	testd_launch -trust-domain testd.local -admin "condor@* $ME@testd.local alice@testd.local" \
		-seed-request "$R1" "$@"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\n%s\n' \
		"$PORT" "$extra" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
believed() { # identity, label
	if grep -q "CLAIMTOBE: believed $1\$" "$T/testd.log"; then e2e_ok; else
		e2e_bad "$2: the daemon did not believe $1 ($(grep CLAIMTOBE "$T/testd.log" | tail -n 1))"; fi
}

start 'SEC_CLIENT_AUTHENTICATION_METHODS = CLAIMTOBE' -methods CLAIMTOBE,FS
run "$L"
expect_rc 0 "CLAIMTOBE accepted"
expect_out_has 'RequestId = "0000001"' "CLAIMTOBE: listed"
if [ "$(id -u)" = 0 ] && id condor >/dev/null 2>&1; then
	believed "condor@testd.local" "root claims the condor account"
else
	believed "$ME@testd.local" "our own account"
fi
printf 'SEC_CLAIMTOBE_USER = alice\n' >>"$T/condor_config"
run "$L" -debug
expect_rc 0 "SEC_CLAIMTOBE_USER"
believed "alice@testd.local" "SEC_CLAIMTOBE_USER"
expect_err_has "SEC_CLAIMTOBE_USER to alice!" "SEC_CLAIMTOBE_USER: the stock trace line"
printf 'SEC_CLAIMTOBE_INCLUDE_DOMAIN = false\nSEC_CLAIMTOBE_USER = alice@elsewhere\n' >>"$T/condor_config"
run "$L"
believed "alice@elsewhere" "no domain appended, the claimed one kept"
testd_stop

# Not accepted: a 25.x daemon answers with empty method lists.
start 'SEC_CLIENT_AUTHENTICATION_METHODS = CLAIMTOBE' -methods FS
run "$L"
expect_rc 1 "25.x daemon without CLAIMTOBE"
expect_err "Failed to list token requests: DAEMON:1:Failed to start command for listing token requests with remote daemon at '<127.0.0.1:$PORT>'.|SECMAN:2005:Protocol Error: No auth methods." \
	"25.x daemon without CLAIMTOBE: the stock message"
testd_stop
# ... a 9.0 daemon sends no AuthMethods: the client offers its own, refused.
start 'SEC_CLIENT_AUTHENTICATION_METHODS = CLAIMTOBE' -methods FS -legacy-version 9.0.0
run "$L"
expect_rc 1 "9.0 daemon without CLAIMTOBE"
expect_err "Failed to list token requests: DAEMON:1:Failed to start command for listing token requests with remote daemon at '<127.0.0.1:$PORT>'.|AUTHENTICATE:1003:Failed to authenticate with any method" \
	"9.0 daemon without CLAIMTOBE: the stock message"
testd_stop
# ... and with FS too, FS is used.
start 'SEC_CLIENT_AUTHENTICATION_METHODS = CLAIMTOBE, FS' -methods FS
run "$L"
expect_rc 0 "CLAIMTOBE, FS against an FS daemon"
testd_stop

e2e_done claimtobe
