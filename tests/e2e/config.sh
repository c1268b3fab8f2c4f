#!/bin/sh
# tokenbox config: condor_config_val's output for the knobs asked for
# (compared by hand with HTCondor 25.13.2's condor_config_val on the same
# file): every knob is looked at, an undefined one is named on stderr and
# makes the exit code 1, and -v says where each value comes from.
# needs: config
. tests/e2e/lib.sh
: "${TOKENBOX:?}"
T=$E2E_TMP
e2e_applet config
C=$T/config
cat >"$T/condor_config" <<EOF2
COLLECTOR_HOST = 127.0.0.1:9618
TRUST_DOMAIN = refpool.local
EOF2
export CONDOR_CONFIG="$T/condor_config"

run "$C" COLLECTOR_HOST trust_domain
expect_rc 0 "two defined knobs"
expect_out "127.0.0.1:9618
refpool.local" "two defined knobs: one value a line, in order"
expect_err "" "two defined knobs: nothing on stderr"

run "$C" COLLECTOR_HOST SEC_TOKEN_DIRECTORY TRUST_DOMAIN no_a
expect_rc 1 "an undefined knob makes the exit code 1"
expect_out "127.0.0.1:9618
refpool.local" "the knobs after an undefined one are still printed"
expect_err "Not defined: SEC_TOKEN_DIRECTORY
Not defined: NO_A" "each undefined knob named, upper case"

run "$C" NO_A NO_B COLLECTOR_HOST
expect_rc 1 "undefined knobs first"
expect_out "127.0.0.1:9618" "undefined knobs first: the defined one still printed"
expect_err "Not defined: NO_A
Not defined: NO_B" "undefined knobs first: both named"

run "$C" -v COLLECTOR_HOST SEC_TOKEN_DIRECTORY NO_A
expect_rc 1 "-v with undefined knobs"
expect_out "COLLECTOR_HOST = 127.0.0.1:9618
 # at: $T/condor_config, line 1
 # raw: COLLECTOR_HOST = 127.0.0.1:9618

 # at: <Default>
 # raw: SEC_TOKEN_DIRECTORY = " "-v: where a value was set; an empty default still shows its entry, an unknown knob an empty line"
# the shell drops the trailing empty lines: count them from the file
if [ "$(tail -c 3 "$T/out" | od -An -c | tr -d ' ')" = '\n\n\n' ]; then e2e_ok; else
	e2e_bad "-v: the raw line of the empty default, its empty line and the unknown knob's empty line end the output"
fi
expect_err "Not defined: SEC_TOKEN_DIRECTORY
Not defined: NO_A" "-v: undefined knobs named on stderr"

_CONDOR_TRUST_DOMAIN=env.example run "$C" -v TRUST_DOMAIN
expect_rc 0 "-v with an environment override"
expect_out "TRUST_DOMAIN = env.example
 # at: <Environment>
 # raw: TRUST_DOMAIN = env.example" "-v: a value from the environment"

run "$C" -h
expect_rc 1 "-h"
expect_err_has "Usage: $C [-v] [-debug[:FLAGS]] KNOB [KNOB...]" "-h: the usage names the applet once"
run "$C"
expect_rc 1 "no knob"
expect_err_has "Usage: $C [-v]" "no knob: the usage"
run "$C" -bogus X
expect_rc 1 "an unknown option"
expect_err_has "$C: Invalid command line argument: -bogus" "an unknown option: named"

e2e_done config
