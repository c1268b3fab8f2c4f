#!/bin/sh
# condor_token_request against the test daemon: tools-cli.md sections 3 and
# 8 (the enqueued line, polling until approval, -token/-file writing and
# modes, the requested identity and UID_DOMAIN, -lifetime parsing like
# std::stol, expired and unknown requests, auto-approval, errors, usage)
# and tokenbox's -poll-interval and -timeout.
# needs: condor_token_request condor_token_request_approve condor_token_request_auto_approve condor_token_request_list FS TOKEN
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
e2e_pool_key
TB=$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")
ln -s "$TB" "$T/condor_token_request"
R=$T/condor_token_request

start_testd() { # args...
	testd_launch -trust-domain testd.local -admin "condor@*" "$@"
	write_config "UID_DOMAIN = testd.local"
}
write_config() { # extra line
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\nSEC_TOKEN_DIRECTORY = %s\n%s\n' \
		"$PORT" "$T/tokens.d" "$1" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
stop_testd() { testd_stop; }
payload() {
	p=$(printf '%s' "$1" | cut -d. -f2 | tr '_-' '/+')
	case $((${#p} % 4)) in 2) p="$p==" ;; 3) p="$p=" ;; esac
	printf '%s' "$p" | base64 -d 2>/dev/null
}
claim() { printf '%s' "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
mode_of() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }
expect_eq() { if [ "$1" = "$2" ]; then e2e_ok; else e2e_bad "$3: got '$1', want '$2'"; fi; }

# The pending request's attribute as the list tool shows it ("" if none).
pending_attr() { # reqid attr
	"$TB" condor_token_request_list -reqid "$1" 2>/dev/null | sed -n "s/^$2 = //p"
}
# Start the requester in the background (stdout/stderr to files), wait for
# request ID $1 to be pending, approve it, and wait for the requester.
request_and_approve() { # reqid args...
	id=$1
	shift
	"$R" -poll-interval 1 "$@" >"$T/bg.out" 2>"$T/bg.err" </dev/null &
	bg=$!
	i=0
	while [ -z "$(pending_attr "$id" RequestId)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	"$TB" condor_token_request_approve -reqid "$id" -yes \
		-expect-identity "$(pending_attr "$id" RequestedIdentity | tr -d '"')" >/dev/null 2>"$T/approve.err" </dev/null ||
		e2e_bad "approving $id failed: $(cat "$T/approve.err")"
	wait $bg
	RC=$?
	OUT=$(cat "$T/bg.out")
	ERR=$(cat "$T/bg.err")
}

usage="Usage: $R [-type TYPE] [-name NAME] [-pool POOL] [-authz AUTHZ] [-lifetime VAL] [-token NAME | -file NAME]

Generates a token from a remote daemon and prints its contents to stdout.

Token options:
    -authz    <authz>                Whitelist one or more authorization
    -lifetime <val>                  Max token lifetime, in seconds
    -identity <val>                  Requested identity in token
Specifying target options:
    -pool    <host>                 Query this collector
    -name    <name>                 Find a daemon with this name
    -type    <subsystem>            Type of daemon to contact (default: COLLECTOR)
If not specified, the pool's collector is targeted.

Other options:
    -token    <NAME>                 Name of token file in tokens.d
    -file     <NAME>                 Token filename
tokenbox options (spelled in full):
    -poll-interval <seconds>        Wait between status polls (default 5)
    -timeout <seconds>              Give up after this long (default: never)"

# ---- usage and argument errors ---------------------------------------------------
printf 'UID_DOMAIN = testd.local\n' >"$T/noconfig"
export CONDOR_CONFIG="$T/noconfig"
for h in -help -h --help; do
	run "$R" "$h"
	expect_rc 1 "$h exits 1"
	expect_err "$usage" "$h usage text"
done
for bad in -key -remote -poll -time --to; do
	run "$R" "$bad" 5
	expect_rc 1 "$bad is invalid"
	expect_err "$R: Invalid command line argument: $bad
$usage" "$bad message"
done
for opt in "-authz|-authz requires an authorization name argument" \
	"-lifetime|-lifetime requires an integer in seconds." "-identity|-identity requires an argument." \
	"-i|-identity requires an argument." "-pool|-pool requires a pool name argument." \
	"-name|-name requires a daemon name argument." "-token|-token requires a file name argument." \
	"-to|-token requires a file name argument." "-file|-file requires a file name argument." \
	"-type|-type requires a daemon type argument." "-t|-type requires a daemon type argument." \
	"-poll-interval|-poll-interval requires a number of seconds." \
	"-timeout|-timeout requires a number of seconds."; do
	o=${opt%%|*}
	run "$R" "$o"
	expect_rc 1 "$o without value"
	expect_err "$R: ${opt#*|}" "$o without value message"
done
for v in abc "" - " x"; do
	run "$R" -lifetime "$v"
	expect_rc 1 "-lifetime '$v'"
	expect_err "$R: Invalid argument for -lifetime: $v." "-lifetime '$v' message"
done
# std::stol throws out_of_range too.
run "$R" -lifetime 99999999999999999999
expect_rc 1 "-lifetime out of range"
expect_err "$R: Invalid argument for -lifetime: 99999999999999999999." "-lifetime out of range message"
for v in "-poll-interval|0" "-poll-interval|x" "-poll-interval|5s" "-timeout|-1" "-timeout|" "--timeout|1e3"; do
	run "$R" "${v%|*}" "${v#*|}"
	expect_rc 1 "${v%|*} '${v#*|}'"
	expect_err "$R: '${v#*|}' is not a valid number of seconds." "${v%|*} '${v#*|}' message"
done
run "$R" -type nosuch
expect_err "ERROR: unrecognized daemon type: nosuch
$usage" "-type nosuch"
run "$R" -type gridmanager
expect_rc 4 "-type gridmanager EXCEPTs"
run "$R"
expect_rc 1 "no collector configured"
expect_err "ERROR: couldn't locate default daemon type." "no collector message"

# ---- enqueue, poll, approve, print --------------------------------------------------
start_testd -pool-key "$T/pool_key" -next-request-id 1234567 -next-request-id 42 \
	-next-request-id 2000001 -next-request-id 2000002 -next-request-id 2000003
request_and_approve 1234567
expect_rc 0 "request approved"
first=$(printf '%s\n' "$OUT" | head -n 1)
expect_eq "$first" "Token request enqueued.  Ask an administrator to please approve request 1234567." "enqueued line"
tok=$(printf '%s\n' "$OUT" | sed -n 2p)
n=$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')
expect_eq "$n" 2 "stdout: the enqueued line and the token"
expect_eq "$(claim sub "$(payload "$tok")")" "condor@testd.local" "no -identity: condor@UID_DOMAIN"
expect_eq "$ERR" "" "request stderr"
# Request IDs are 7 digits, zero-padded.
request_and_approve 0000042 -identity alice -authz ADVERTISE_STARTD -a READ -lifetime 600x -token alice
expect_rc 0 "second request approved"
expect_eq "$OUT" "Token request enqueued.  Ask an administrator to please approve request 0000042." "-token: only the enqueued line on stdout"
f=$T/tokens.d/alice
if [ -f "$f" ]; then e2e_ok; else e2e_bad "-token did not write tokens.d/alice"; fi
expect_eq "$(mode_of "$T/tokens.d")" 700 "token directory created 0700"
expect_eq "$(mode_of "$f")" 600 "token file 0600"
expect_eq "$(wc -l <"$f" | tr -d ' ')" 1 "token file is one line"
pl=$(payload "$(cat "$f")")
expect_eq "$(claim sub "$pl")" "alice@testd.local" "-identity without @ gets UID_DOMAIN"
expect_eq "$(claim scope "$pl")" 'condor:\/ADVERTISE_STARTD condor:\/READ' "-authz accumulates"
expect_eq "$(($(claim exp "$pl") - $(claim iat "$pl")))" 600 "-lifetime 600x is 600"
: >"$T/existing.tok"
chmod 640 "$T/existing.tok"
request_and_approve 2000001 -identity bob@other.example -file "$T/existing.tok"
expect_rc 0 "-file into an existing file"
expect_eq "$(mode_of "$T/existing.tok")" 640 "an existing file keeps its mode"
expect_eq "$(claim sub "$(payload "$(cat "$T/existing.tok")")")" "bob@other.example" "-identity with @ as given"
request_and_approve 2000002 -token never -file "$T/new.tok"
expect_rc 0 "-file after -token"
if [ -f "$T/new.tok" ] && [ ! -e "$T/tokens.d/never" ]; then e2e_ok; else e2e_bad "-file after -token does not win"; fi
expect_eq "$(mode_of "$T/new.tok")" 600 "-file creates 0600"
request_and_approve 2000003 -file "$T/no/such/dir/t"
expect_rc 1 "-file in a missing directory"
expect_eq "$ERR" "Cannot write token to $T/no/such/dir/t: No such file or directory (errno=2)" "write error message"

# What the request carries: lifetime parsing, authz, the client ID.
req_pending() { # reqid args...: request, give up after 1 s, leave it pending
	id=$1
	shift
	run "$R" -poll-interval 1 -timeout 1 "$@"
}
stop_testd
start_testd -pool-key "$T/pool_key" -next-request-id 3000001 -next-request-id 3000002 \
	-next-request-id 3000003 -next-request-id 3000004 -next-request-id 3000005 -next-request-id 3000006
req_pending 3000001 -lifetime " 42"
expect_rc 1 "-timeout gives up"
expect_out "Token request enqueued.  Ask an administrator to please approve request 3000001." "-timeout: enqueued line"
expect_err "Gave up waiting for approval of request 3000001 after 1 seconds." "-timeout message"
expect_eq "$(pending_attr 3000001 TokenLifetime)" 42 "-lifetime ' 42' is 42"
cid=$(pending_attr 3000001 ClientId)
if printf '%s' "$cid" | grep -Eq '^"[^"]+-[0-9]{1,3}"$'; then e2e_ok; else e2e_bad "client ID is not HOST-N: $cid"; fi
req_pending 3000002 -lifetime 0
expect_eq "$(pending_attr 3000002 TokenLifetime)" "" "-lifetime 0 is not sent"
req_pending 3000003 -lifetime -5
expect_eq "$(pending_attr 3000003 TokenLifetime)" "" "-lifetime -5 is not sent"
req_pending 3000004 -lifetime +7 -authz A -authz B,C
expect_eq "$(pending_attr 3000004 TokenLifetime)" 7 "-lifetime +7"
expect_eq "$(pending_attr 3000004 LimitAuthorization)" '"A,B,C"' "-authz joined with commas"
expect_eq "$(pending_attr 3000004 RequestedIdentity)" '"condor@testd.local"' "RequestedIdentity default"
# UID_DOMAIN: the client's; an empty one is an error unless the identity has a domain.
write_config "UID_DOMAIN ="
run "$R" -identity carol
expect_rc 1 "no UID_DOMAIN"
expect_err "Failed to request a new token: DAEMON:1:No UID_DOMAIN set!" "no UID_DOMAIN message"
run "$R"
expect_err "Failed to request a new token: DAEMON:1:No UID_DOMAIN set!" "no UID_DOMAIN, no identity"
req_pending 3000005 -identity carol@d.example
expect_eq "$(pending_attr 3000005 RequestedIdentity)" '"carol@d.example"' "identity with @ needs no UID_DOMAIN"
write_config "UID_DOMAIN = other.example"
req_pending 3000006 -i dave
expect_eq "$(pending_attr 3000006 RequestedIdentity)" '"dave@other.example"' "the client's UID_DOMAIN is used"
stop_testd

# ---- expired and unknown requests ------------------------------------------------------
start_testd -pool-key "$T/pool_key" -request-lifetime 1 -next-request-id 4000001
run "$R" -poll-interval 2
expect_rc 1 "request expires"
expect_out "Token request enqueued.  Ask an administrator to please approve request 4000001." "expiring: enqueued line"
expect_err "Failed to get a status update for token request: DAEMON:5:Request has expired." "expired message"
stop_testd

# A daemon restart forgets pending requests and security sessions.  The
# poll resumes the session of the start, which the new daemon rejects; the
# stock client does not retry either (SecManStartCommand fails the attempt
# on SID_NOT_FOUND).
restart_during_poll() { # reqid testd-args...
	id=$1
	shift
	start_testd -pool-key "$T/pool_key" -next-request-id "$id" "$@"
	"$R" -poll-interval 3 >"$T/bg.out" 2>"$T/bg.err" </dev/null &
	bg=$!
	i=0
	while [ ! -s "$T/bg.out" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	stop_testd
	start_testd -pool-key "$T/pool_key" -port "$PORT" "$@"
	wait $bg
	RC=$?
	stop_testd
}
restart_during_poll 4000002
expect_eq "$RC" 1 "restart: exit code"
expect_eq "$(cat "$T/bg.err")" "Failed to get a status update for token request: DAEMON:1:failed to start command for token request with remote daemon at '<127.0.0.1:$PORT>'.|SECMAN:2004:Server rejected our session id" "restart: session rejected"
# With sessions shorter than the poll interval every poll authenticates
# afresh, and the new daemon does not know the request.
restart_during_poll 4000003 -session-duration 1
expect_eq "$RC" 1 "unknown request exit code"
expect_eq "$(cat "$T/bg.err")" "Failed to get a status update for token request: DAEMON:3:Request ID is not known." "unknown request message"

# ---- auto-approval: the token comes with the start reply ------------------------------
start_testd -pool-key "$T/pool_key"
"$TB" condor_token_request_auto_approve -netblock 127.0.0.1/32 -lifetime 60 >/dev/null 2>&1 ||
	e2e_bad "installing the auto-approval rule failed"
run "$R" -authz ADVERTISE_STARTD -timeout 3
expect_rc 0 "auto-approved"
# No request ID comes back with a token, so no enqueued line.
expect_eq "$(claim sub "$(payload "$OUT")")" "condor@testd.local" "auto-approved: the token alone on stdout"
expect_out_lacks "enqueued" "auto-approved: no enqueued line"
stop_testd

# ---- errors at the start ------------------------------------------------------------------
start_testd -pool-key "$T/pool_key" -disable-token-request
run "$R"
expect_rc 1 "token requests disabled"
expect_err "Failed to request a new token: DAEMON:44:Token request disabled." "disabled message"
stop_testd

start_testd -pool-key "$T/pool_key" -token-request-limits READ
run "$R" -authz WRITE
expect_rc 1 "authorizations eliminated"
expect_err "Failed to request a new token: DAEMON:3:All requested authorizations were eliminated by the SEC_TOKEN_REQUEST_LIMITS setting" "limits message"
stop_testd

start_testd
run "$R"
expect_rc 1 "no signing key"
expect_err_has "Failed to request a new token: DAEMON:4:" "no signing key: the daemon's error"
expect_err_has "Server does not have a signing key configured." "no signing key text"
stop_testd

start_testd -pool-key "$T/pool_key" -methods ANONYMOUS -authentication OPTIONAL
printf 'SEC_CLIENT_AUTHENTICATION_METHODS = ANONYMOUS\n' >>"$T/condor_config"
run "$R"
expect_rc 1 "anonymous requester"
expect_err "Failed to request a new token: DAEMON:7:Request to server was made using ANONYMOUS or no authentication." "anonymous message"
stop_testd

run "$R"
expect_rc 1 "connection refused"
expect_err "Failed to request a new token: DAEMON:1:Failed to connect to remote daemon at '<127.0.0.1:$PORT>'" "connection refused message"

e2e_done request
