#!/bin/sh
# condor_ping against the test daemon: DC_SEC_QUERY naming the TOKEN's
# command (AuthCommand), one fresh session per TOKEN, the four output modes,
# a refused level, the stock usage errors, and TOKENs refused before any
# network traffic.  Layouts and messages were compared by hand with
# HTCondor 25.13.2's condor_ping against 25.13.2 and 9.0.19 daemons.
# needs: condor_ping FS
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
e2e_applet condor_ping
P=$T/condor_ping
if [ "$(id -u)" = 0 ]; then WHO=condor@testd.local; else WHO=$ME@testd.local; fi

start() { # testd args...
	testd_launch -trust-domain testd.local -methods FS "$@"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
		"$PORT" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
queries() { grep -cE "DC_SEC_QUERY for (unregistered )?command $1(\$|:)" "$T/testd.log"; }

# ---- an administrator --------------------------------------------------------
start -admin "condor@* $ME@testd.local"
run "$P" -type collector WRITE
expect_rc 0 "default mode, WRITE"
expect_out "WRITE command using (AES, AES, and FS) succeeded as $WHO to local collector." "default mode sentence"
[ "$(queries 60021)" = 1 ] && e2e_ok || e2e_bad "one DC_SEC_QUERY naming DC_NOP_WRITE (60021)"

run "$P" -type collector -table READ ADMINISTRATOR NEGOTIATOR 60026
expect_rc 1 "table: a TOKEN the daemon does not know fails the run"
expect_out "         Instruction Authentication Encryption Integrity Decision Identity
                READ           none        AES       AES    ALLOW unauthenticated@unmapped
       ADMINISTRATOR             FS        AES       AES    ALLOW $WHO
          NEGOTIATOR           FAIL       FAIL      FAIL     FAIL FAIL  (use -verbose for more info)
               60026             FS        AES       AES    ALLOW $WHO" "table rows"
[ "$(queries 60022)" = 1 ] && e2e_ok || e2e_bad "the unknown command was asked about"

run "$P" -type collector -verbose READ
expect_rc 0 "verbose READ"
expect_out_has "Destination:                 local collector
Remote Version:              \$CondorVersion: 25.14.0 2026-11-30 BuildID: tokenbox-testd \$
Local  Version:              \$CondorVersion: " "verbose: destination and versions"
expect_out_has "Instruction:                 READ
Command:                     60020
Encryption:                  AES
Integrity:                   AES
Authentication:              none
Remote Mapping:              unauthenticated@unmapped
Authorized:                  TRUE" "verbose: the negotiated session"

run "$P" -type collector -verbose dc_nop_write dc_nop_write
expect_rc 0 "verbose, a command name twice"
expect_out_has "Authenticated using:         FS
All authentication methods:  FS
Remote Mapping:              $WHO" "verbose: method and methods list"
n=$(printf '%s\n' "$OUT" | grep -c '^Session ID:')
u=$(printf '%s\n' "$OUT" | grep '^Session ID:' | sort -u | wc -l)
[ "$n" = 2 ] && [ "$u" = 2 ] && e2e_ok || e2e_bad "each TOKEN gets its own session ($n ids, $u distinct)"

run "$P" -type collector -table query_schedd_ads DC_LIST_TOKEN_REQUEST
expect_rc 0 "command names"
expect_out "         Instruction Authentication Encryption Integrity Decision Identity
    query_schedd_ads           none        AES       AES    ALLOW unauthenticated@unmapped
DC_LIST_TOKEN_REQUEST             FS        AES       AES    ALLOW $WHO" "command names, as typed, in the table"
[ "$(queries 6)" = 1 ] && [ "$(queries 60049)" = 1 ] && e2e_ok || e2e_bad "command names sent as their numbers"

run "$P" -address "<127.0.0.1:$PORT?alias=localhost>" -type schedd ALLOW
expect_rc 0 "-address"
expect_out "ALLOW command using (AES, AES, and FS) succeeded as $WHO to daemon at <127.0.0.1:$PORT>." "-address: daemon at the sinful without parameters"

run "$P" -pool "127.0.0.1:$PORT" -type collector -quiet ALL
expect_rc 1 "quiet ALL: the levels this daemon lacks fail"
expect_out "" "quiet prints nothing"
expect_err "" "quiet prints nothing on stderr either"
testd_stop

# ---- not an administrator ----------------------------------------------------
start -admin "someone@elsewhere"
run "$P" -type collector -verbose ADMINISTRATOR
expect_rc 1 "a refused level"
expect_out "ADMINISTRATOR failed!
SECMAN:2010:Received \"DENIED\" from server for user $WHO using method FS." "verbose: the daemon's refusal"
run "$P" -type collector ADMINISTRATOR WRITE
expect_rc 1 "one refused TOKEN fails the run"
expect_out "ADMINISTRATOR failed!  Use -verbose for more information.
WRITE command using (AES, AES, and FS) succeeded as $WHO to local collector." "default mode: the next TOKEN still runs"
run "$P" -pool "127.0.0.1:$PORT" -type collector -table
expect_rc 0 "table with no TOKEN"
expect_err "WARNING: Missing <authz-level | command-name | command-int> argument, defaulting to WRITE." "table warns of the default TOKEN"
expect_out_has "    WRITE             FS        AES       AES    ALLOW $WHO" "the default TOKEN is WRITE"
testd_stop

# ---- a daemon whose texts would drive the terminal --------------------------
start -admin "condor@* $ME@testd.local" -hostile auth-user-escapes
run "$P" -type collector -verbose WRITE
expect_rc 0 "hostile mapped name: still a result"
expect_out_has 'Remote Mapping:              ev\x1b]0;owned\x07\x1b[2Jil@testd.local' "the mapped name shown escaped"
if printf '%s' "$OUT" | grep -q "$(printf '\033')"; then e2e_bad "a raw ESC reached the terminal"; else e2e_ok; fi
testd_stop

# ---- refused before the network ---------------------------------------------
before=$(wc -l <"$T/testd.log")
for tok in FOO SOAP DEFAULT 060021 -; do
	run "$P" -address "<127.0.0.1:$PORT>" "$tok"
	expect_rc 1 "TOKEN $tok"
	expect_err "ERROR: Could not understand TOKEN \"$tok\"." "TOKEN $tok: the stock message"
done
run "$P" -address "<127.0.0.1:$PORT>" -quiet FOO
expect_err "" "-quiet hides the TOKEN error"
[ "$(wc -l <"$T/testd.log")" = "$before" ] && e2e_ok || e2e_bad "refused TOKENs reached the daemon"

run "$P" -t READ
expect_rc 1 "-t is neither -table nor -type"
expect_err_has "ERROR: Unknown argument: -t

Usage: $P [options] TOKEN [TOKEN [TOKEN [...]]]" "usage error layout"
expect_err_has "    DAEMON               Daemon to daemon communcation" "usage error lists the levels"
run "$P" -q -q
expect_err_has "ERROR: only one output mode may be specified." "two output modes"
run "$P" -address "<127.0.0.1:1>" -pool x READ
expect_err_has "ERROR: -address cannot be used with -pool or -name." "-address with -pool"
run "$P" -type
expect_err_has "ERROR: (null) requires an argument." "-type without a value"
run "$P" -type nosuch READ
expect_err_has "ERROR: unrecognized daemon type: nosuch" "bad daemon type"
run "$P" -address garbage READ
expect_rc 1 "unparsable -address"
expect_err "ERROR: unable to parse sinful string: garbage" "unparsable -address message"
run "$P" -address "<127.0.0.1:1>" READ
expect_rc 1 "nothing listening"
expect_err "ERROR: failed to make connection to <127.0.0.1:1>" "connection refused"
run "$P" -long READ
expect_rc 1 "-long is refused"
expect_err "ERROR: -long is not supported by tokenbox's condor_ping." "-long: what tokenbox lacks, said plainly"
run "$P" -help levels
expect_rc 0 "-help levels"
expect_out_has "Where <authorization-level> is one of:
    ALLOW                Open to everyone" "-help levels lists the levels"
run "$P" -help
expect_out_lacks "Where <authorization-level>" "plain -help has no levels"

e2e_done ping
