#!/bin/sh
# condor_token_fetch against the test daemon: tools-cli.md sections 5 and 8
# (locating the schedd, the request ad, -lifetime parsing, token writing
# and its file modes, every error message we can reach, usage).
# needs: condor_token_fetch condor_token_request FS TOKEN
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
e2e_pool_key
e2e_applet condor_token_fetch
F=$T/condor_token_fetch

start_testd() { # args...
	testd_launch -trust-domain testd.local -admin "condor@*" "$@"
	# The local schedd is found through its address file (the super one
	# when we are root); the collector is the same daemon.
	printf '<127.0.0.1:%s>\n$CondorVersion: 25.14.0 2026-11-30 BuildID: 1 $\n$CondorPlatform: X86_64-Debian_12 $\n' \
		"$PORT" >"$T/schedd_address"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\nSCHEDD_ADDRESS_FILE = %s\nSCHEDD_SUPER_ADDRESS_FILE = %s\nSEC_TOKEN_DIRECTORY = %s\n' \
		"$PORT" "$T/schedd_address" "$T/schedd_address" "$T/tokens.d" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
stop_testd() { testd_stop; }
# payload JWT: the decoded JSON payload of a token.
payload() {
	p=$(printf '%s' "$1" | cut -d. -f2 | tr '_-' '/+')
	case $((${#p} % 4)) in 2) p="$p==" ;; 3) p="$p=" ;; esac
	printf '%s' "$p" | base64 -d 2>/dev/null
}
# claim NAME JSON: a number or string claim's raw value.
claim() {
	printf '%s' "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}
mode_of() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }

usage="Usage: $F [-type TYPE] [-name NAME] [-remote] [-pool POOL] [-authz AUTHZ] [-lifetime VAL] [-token NAME | -file NAME]

Generates a token from a remote daemon and prints its contents to stdout.

Token options:
    -authz    <authz>                Whitelist one or more authorization
    -lifetime <val>                  Max token lifetime, in seconds
    -key      <key>                  Request an alternate signing key
Specifying target options:
    -pool    <host>                  Query this collector
    -remote                          Have collector fetch token remotely
    -name    <name>                  Find a daemon with this name
    -type    <subsystem>             Type of daemon to contact (default: SCHEDD)

Other options:
    -token    <NAME>                 Name of token file in tokens.d
    -file     <NAME>                 Token filename"

# ---- usage and argument errors ---------------------------------------------------
printf 'UID_DOMAIN = testd.local\n' >"$T/noconfig"
export CONDOR_CONFIG="$T/noconfig"
for h in -help -h --help; do
	run "$F" "$h"
	expect_rc 1 "$h exits 1"
	expect_err "$usage" "$h usage text"
done
# -identity belongs to condor_token_request, not to fetch.
for bad in -identity --tok -x; do
	run "$F" "$bad" value
	expect_rc 1 "$bad is invalid"
	expect_err "$F: Invalid command line argument: $bad
$usage" "$bad message"
done
for opt in "-authz|-authz requires an authorization name argument" \
	"-lifetime|-lifetime requires an integer in seconds." "-pool|-pool requires a pool name argument." \
	"-name|-name requires a daemon name argument." "-key|-key requires a key name argument." \
	"-token|-token requires a file name argument." "-to|-token requires a file name argument." \
	"-file|-file requires a file name argument." "-type|-type requires a daemon type argument." \
	"-t|-type requires a daemon type argument." "-k|-key requires a key name argument."; do
	o=${opt%%|*}
	run "$F" "$o"
	expect_rc 1 "$o without value"
	expect_err "$F: ${opt#*|}" "$o without value message"
done
for v in abc "" " " - +; do
	run "$F" -lifetime "$v"
	expect_rc 1 "-lifetime '$v'"
	expect_err "$F: Invalid argument for -lifetime: $v." "-lifetime '$v' message"
done
run "$F" -lifetime 99999999999999999999
expect_rc 1 "-lifetime out of range"
expect_err "$F: Invalid argument for -lifetime: 99999999999999999999." "-lifetime out of range message"
run "$F" -type nosuch
expect_err "ERROR: unrecognized daemon type: nosuch
$usage" "-type nosuch"
run "$F" -type starter
expect_rc 4 "-type starter EXCEPTs"
run "$F" -remote -type collector
expect_rc 1 "-remote with a collector"
expect_err "$F: Remote fetch (-remote) is only valid with the schedd." "-remote type message"
run "$F" -r -type Schedd
expect_rc 1 "-remote is not implemented"
expect_err_has "$F: Remote fetch (-remote) is not supported by tokenbox" "-remote unsupported message"
run "$F"
expect_rc 1 "no schedd known"
expect_err "ERROR: couldn't locate default daemon type." "no schedd message"
run "$F" -name schedd@nowhere
expect_err "ERROR: couldn't locate daemon schedd@nowhere!" "named schedd not located"

# ---- fetching ----------------------------------------------------------------------
start_testd -pool-key "$T/pool_key"
run "$F"
expect_rc 0 "fetch from the local schedd"
expect_err "" "fetch stderr"
tok=$OUT
n=$(printf '%s\n' "$tok" | wc -l)
if [ "$n" -eq 1 ] && [ "$(printf '%s' "$tok" | tr -cd . | wc -c)" -eq 2 ]; then e2e_ok; else e2e_bad "stdout is not one JWT line: $tok"; fi
pl=$(payload "$tok")
expect_eq() { if [ "$1" = "$2" ]; then e2e_ok; else e2e_bad "$3: got '$1', want '$2'"; fi; }
expect_eq "$(claim sub "$pl")" "condor@testd.local" "token sub is the identity we authenticated as"
expect_eq "$(claim iss "$pl")" "testd.local" "token iss"
expect_eq "$(claim exp "$pl")" "" "no -lifetime: no exp"
expect_eq "$(claim scope "$pl")" "" "no -authz: no scope"
run "$F" -lifetime 600 -authz READ -a WRITE -type schedd -name schedd@testd
expect_rc 0 "fetch -lifetime -authz, schedd by name via the collector"
pl=$(payload "$OUT")
expect_eq "$(($(claim exp "$pl") - $(claim iat "$pl")))" 600 "-lifetime 600"
expect_eq "$(claim scope "$pl")" 'condor:\/READ condor:\/WRITE' "-authz accumulates"
# std::stol: blanks and a sign before, junk after.
for v in "600x|600" " 42|42" "+7|7"; do
	run "$F" -lifetime "${v%|*}" -type collector
	pl=$(payload "$OUT")
	expect_eq "$(($(claim exp "$pl") - $(claim iat "$pl")))" "${v#*|}" "-lifetime '${v%|*}'"
done
# Zero and negative lifetimes are not sent: no exp.
for v in 0 -5; do
	run "$F" -lifetime "$v" -type collector
	expect_rc 0 "-lifetime $v"
	expect_eq "$(claim exp "$(payload "$OUT")")" "" "-lifetime $v sends none"
done
# The stock client passes the lifetime through an int: 2^32 + 600 is 600.
run "$F" -lifetime 4294967896 -type collector
expect_eq "$(($(claim exp "$(payload "$OUT")") - $(claim iat "$(payload "$OUT")")))" 600 "-lifetime wraps at 32 bits"
run "$F" -pool "127.0.0.1:$PORT" -type collector
expect_rc 0 "-pool"

# ---- writing the token ----------------------------------------------------------
run "$F" -token mytok
expect_rc 0 "-token NAME"
expect_out "" "-token prints nothing"
if [ -f "$T/tokens.d/mytok" ]; then e2e_ok; else e2e_bad "-token did not create tokens.d/mytok"; fi
expect_eq "$(mode_of "$T/tokens.d")" 700 "token directory created 0700"
expect_eq "$(mode_of "$T/tokens.d/mytok")" 600 "token file created 0600"
expect_eq "$(wc -l <"$T/tokens.d/mytok" | tr -d ' ')" 1 "token file is one line"
expect_eq "$(claim sub "$(payload "$(cat "$T/tokens.d/mytok")")")" "condor@testd.local" "token file content"
first=$(cat "$T/tokens.d/mytok")
run "$F" -to mytok
second=$(cat "$T/tokens.d/mytok")
if [ "$first" != "$second" ] && [ "$(wc -l <"$T/tokens.d/mytok" | tr -d ' ')" = 1 ]; then e2e_ok; else e2e_bad "-token again does not replace the file"; fi
run "$F" -token sub/dir
expect_rc 1 "-token with a slash"
expect_err "Token name isn't a plain filename" "-token with a slash message"
run "$F" -file "$T/out.tok"
expect_rc 0 "-file PATH"
expect_eq "$(mode_of "$T/out.tok")" 600 "-file created 0600"
: >"$T/open.tok"
chmod 644 "$T/open.tok"
run "$F" -file "$T/open.tok"
expect_rc 0 "-file existing"
expect_eq "$(mode_of "$T/open.tok")" 644 "an existing file keeps its mode"
if [ -s "$T/open.tok" ]; then e2e_ok; else e2e_bad "existing file not written"; fi
# The later of -token and -file wins.
run "$F" -file "$T/never.tok" -token last
if [ -f "$T/tokens.d/last" ] && [ ! -e "$T/never.tok" ]; then e2e_ok; else e2e_bad "-token after -file does not win"; fi
run "$F" -token never -file "$T/last.tok"
if [ -f "$T/last.tok" ] && [ ! -e "$T/tokens.d/never" ]; then e2e_ok; else e2e_bad "-file after -token does not win"; fi
# An empty name means stdout, as in the stock tool.
run "$F" -file ""
expect_rc 0 "-file ''"
expect_out_has "eyJ" "-file '' prints the token"
run "$F" -file "$T/no/such/dir/t"
expect_rc 1 "-file in a missing directory"
expect_err "Cannot write token to $T/no/such/dir/t: No such file or directory (errno=2)" "-file write error message"

# ---- errors from the daemon -----------------------------------------------------
run "$F" -key OTHER
expect_rc 1 "-key not allowed"
expect_err "Failed to request a session token: DAEMON:3:Server will not sign with requested key." "-key message"
run "$F" -key POOL -type collector
expect_rc 0 "-key POOL"
stop_testd

start_testd -pool-key "$T/pool_key" -disable-token-fetch
run "$F"
expect_rc 1 "token fetch disabled"
expect_err "Failed to request a session token: DAEMON:44:Token fetch disabled." "disabled message"
stop_testd

start_testd
run "$F"
expect_rc 1 "no signing key"
expect_err "Failed to request a session token: DAEMON:1:Server does not have access to configured key." "no signing key message"
stop_testd

# Anonymous sessions carry no mapped identity.
start_testd -pool-key "$T/pool_key" -methods ANONYMOUS -authentication OPTIONAL
printf 'SEC_CLIENT_AUTHENTICATION_METHODS = ANONYMOUS\n' >>"$T/condor_config"
run "$F"
expect_rc 1 "anonymous session"
expect_err "Failed to request a session token: DAEMON:2:Server did not successfully authenticate session." "anonymous message"
stop_testd

run "$F"
expect_rc 1 "connection refused"
expect_err "Failed to request a session token: DAEMON:1:Failed to connect to remote daemon at '<127.0.0.1:$PORT>'" "connection refused message"

# No common method: the handshake's errors only, no DAEMON entry of its own.
start_testd -pool-key "$T/pool_key" -methods TOKEN
run "$F"
expect_rc 1 "no common authentication method"
expect_err_has "Failed to request a session token: " "handshake failure prefix"
if contains "$ERR" "DAEMON:"; then e2e_bad "handshake failure got a DAEMON entry: $ERR"; else e2e_ok; fi
stop_testd

e2e_done fetch
