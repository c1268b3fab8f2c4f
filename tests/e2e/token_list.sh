#!/bin/sh
# condor_token_list: the stock output and options (compared by hand with
# HTCondor 25.13.2's tool on the same directories), the directory rules,
# and tokenbox's -why against what the handshake really does.
# needs: condor_token_list condor_token_request_list TOKEN
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
e2e_applet condor_token_list
L=$T/condor_token_list
e2e_pool_key
mint() { "$TESTD" -mint -pool-key "$T/pool_key" -iss testd.local "$@"; }
mkdir -m 700 "$T/tokens.d"
mint -sub "a@testd.local" >"$T/tokens.d/a"
mint -sub "b@testd.local" >"$T/tokens.d/b_loose"
{ echo "# two tokens"; echo; mint -sub "c@testd.local"; echo "not a token"; printf '  %s  \r\n' "$(mint -sub d@testd.local)"; } >"$T/tokens.d/c_multi"
mint -sub "x@testd.local" >"$T/tokens.d/.hidden"
mint -sub "y@testd.local" >"$T/tokens.d/y~"
mkdir "$T/tokens.d/sub"
mint -sub "e@other.domain" -iss other.domain >"$T/tokens.d/d_other"
mint -sub "f@testd.local" -lifetime 1 -iat 1000 >"$T/tokens.d/e_expired"
chmod 600 "$T/tokens.d"/*
chmod 644 "$T/tokens.d/b_loose"
cat >"$T/condor_config" <<EOF2
UID_DOMAIN = testd.local
TRUST_DOMAIN = testd.local
SEC_TOKEN_DIRECTORY = $T/tokens.d
EOF2
export CONDOR_CONFIG="$T/condor_config"
line() { # file: the expected list line of every token in it
	grep -v '^#' "$1" | tr -d ' \r' | grep -E '^[^.]+\.[^.]+\.[^.]+$' | while read -r tok; do
		h=$(printf '%s' "$tok" | cut -d. -f1 | tr '_-' '/+')
		p=$(printf '%s' "$tok" | cut -d. -f2 | tr '_-' '/+')
		case $((${#h} % 4)) in 2) h="$h==" ;; 3) h="$h=" ;; esac
		case $((${#p} % 4)) in 2) p="$p==" ;; 3) p="$p=" ;; esac
		printf 'Header: %s Payload: %s File: %s\n' "$(printf '%s' "$h" | base64 -d)" "$(printf '%s' "$p" | base64 -d)" "$1"
	done
}
want=$(for f in a b_loose c_multi d_other e_expired; do line "$T/tokens.d/$f"; done)

run "$L"
expect_rc 0 "list"
expect_out "$want" "every token, in the walk's order, as the stock tool prints it"
expect_err "" "list: nothing on stderr"
run "$L" -dir "$T/tokens.d"
expect_out "$want" "-dir"
run "$L" -file "$T/tokens.d/c_multi" -bogus
expect_rc 0 "-file, later options ignored"
expect_out "$(line "$T/tokens.d/c_multi")" "-file lists that file"
run "$L" -dir "$T/nothing"
expect_rc 0 "a missing directory"
expect_out "" "a missing directory lists nothing"

usage="Usage: $L [-dir PATH]
Lists the tokens available to the current user.

Token options:
    -dir  <path>  Look in the given directory for tokens
    -file  <filename>  Look in the given file for a token
Daemon query options:
    -capability                      Query a daemon for capability token details
    -pool    <host>                  Use this collector to locate daemon
    -name    <name>                  Find a daemon with this name
    -type    <subsystem>             Type of daemon to contact (default: SCHEDD)
    -help         print this message

If no -dir agument is supplied, tokens are located by using the condor config files.
Ordinary users will use SEC_TOKEN_DIRECTORY or ~/tokens.d, The root user will use SEC_TOKEN_SYSTEM_DIRECTORY."
run "$L" -help
expect_rc 0 "-help"
expect_out "$usage" "-help on stdout"
run "$L" -dir
expect_rc 1 "-dir without a path"
expect_err "$L: -dir requires path argument.
$usage" "-dir without a path: message"
run "$L" -bogus
expect_rc 1 "unknown option"
expect_err "$L: Invalid command line argument: -bogus
$usage" "unknown option: message"
run "$L" -type bogus
expect_rc 1 "bad -type"
expect_err "ERROR: unrecognized daemon type: bogus
$usage" "bad -type: message"
run "$L" -pool
expect_rc 1 "-pool without a value"
expect_err "$L: -pool requires a pool name argument." "-pool without a value: message"

# ---- -why ---------------------------------------------------------------------------
run "$L" -why
expect_rc 0 "-why"
expect_out_has "File: $T/tokens.d/a
    tokenbox: presented first" "-why: the first usable token"
expect_out_has "File: $T/tokens.d/b_loose
    tokenbox: not used: file mode 0644 allows group/other access (must be 0600 or stricter)" "-why: a loose file"
expect_out_has "    (tokenbox: $T/tokens.d/c_multi line 4 is not a token: " "-why: a line that is not a token"
expect_out_has "    tokenbox: usable, but an earlier token is presented first" "-why: later usable tokens"
expect_out_has "    tokenbox: not used: issuer 'other.domain' is not the server's trust domain 'testd.local'" "-why: another trust domain"
expect_out_has "it expired at 1970-01-01T00:16:41Z: the daemon will refuse it" "-why: an expired token"
# ... and the handshake agrees: it presents a's token.
testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -methods TOKEN -admin "condor@*"
printf 'COLLECTOR_HOST = 127.0.0.1:%s\nSEC_CLIENT_AUTHENTICATION_METHODS = IDTOKENS\n' "$PORT" >>"$T/condor_config"
run "$TOKENBOX" condor_token_request_list -debug
expect_err_has "TOKEN: using token from $T/tokens.d/a line 1 (subject 'a@testd.local'" "the handshake presents the token -why put first"
testd_stop

# ---- a directory past PORT_DIR_MAX (1024) entries -----------------------------------
# Only the first 1024 names are read; the list says so and fails rather than
# pass for the whole directory, and a failed handshake says why a token
# further on was not seen.
mkdir -m 700 "$T/many.d"
i=0
while [ $i -lt 1030 ]; do : >"$T/many.d/f$(printf '%04d' $i)"; i=$((i + 1)); done
mint -sub "z@testd.local" >"$T/many.d/zz_last"
chmod 600 "$T/many.d"/*
run "$L" -dir "$T/many.d"
expect_rc 1 "more than 1024 entries: not presented as the whole list"
expect_err "ERROR: $T/many.d holds more than 1024 entries; only the tokens of the first 1024 by name are listed" "more than 1024 entries: message"
expect_out_lacks "z@testd.local" "more than 1024 entries: the token past them is not read"
rm "$T/many.d/f1029" "$T/many.d/f1028" "$T/many.d/f1027" "$T/many.d/f1026" "$T/many.d/f1025" "$T/many.d/f1024" "$T/many.d/f1023"
run "$L" -dir "$T/many.d"
expect_rc 0 "exactly 1024 entries"
expect_out_has "z@testd.local" "exactly 1024 entries: all read"
: >"$T/many.d/f1023"
testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -methods TOKEN -admin "condor@*"
printf 'COLLECTOR_HOST = 127.0.0.1:%s\nSEC_CLIENT_AUTHENTICATION_METHODS = IDTOKENS\nSEC_TOKEN_DIRECTORY = %s\n' "$PORT" "$T/many.d" >"$T/condor_config.many"
run env CONDOR_CONFIG="$T/condor_config.many" "$TOKENBOX" condor_token_request_list
expect_rc 1 "handshake with more than 1024 entries"
expect_err_has "SECMAN:2008:No authentication method offered: $T/many.d holds more than 1024 entries; only the first 1024 by name were read" "handshake with more than 1024 entries: says why"
testd_stop

e2e_done token_list
