#!/bin/sh
# Applet selection, usage texts, option matching and their exit codes:
# everything that happens before the network.
# needs: condor_token_request_approve
. tests/e2e/lib.sh
: "${TOKENBOX:?}"
export CONDOR_CONFIG=/dev/null
unset _CONDOR_COLLECTOR_HOST

# The multi-call binary.
run "$TOKENBOX"
expect_rc 0 "tokenbox alone"
expect_out_has "condor_token_request_approve" "tokenbox lists applets"
run "$TOKENBOX" --list
expect_rc 0 "tokenbox --list"
# (the build's selection when the Makefile says, else every applet)
want=$(printf '%s\n' ${TB_APPLETS:-$(sed -n 's/^ALL_APPLETS := //p' Makefile)})
expect_out "$want" "applet list matches the Makefile's APPLETS"
run "$TOKENBOX" --version
expect_rc 0 "tokenbox --version"
version=$(sed -n 's/^VERSION := //p' Makefile)
expect_out_has "tokenbox $version
applets: $(printf '%s' "$want" | tr '\n' ' ')
authentication methods: ${TB_METHODS:-FS TOKEN SSL CLAIMTOBE}
session keys: " "--version: version first, then what the binary holds"
expect_out_has "built for: $ARCH, with Mbed TLS 3." "--version: the target and the TLS library"
case $ARCH in
host) libc="glibc" ;;
*) libc="musl $(sed -n 's/^MUSL_VERSION=//p' toolchain/setup.sh)" ;;
esac
case $(printf '%s\n' "$OUT" | tail -n 1) in
*", with Mbed TLS 3."*" and $libc") e2e_ok ;;
*) e2e_bad "--version: the last line does not end with ' and $libc': $(printf '%s\n' "$OUT" | tail -n 1)" ;;
esac
run "$TOKENBOX" no_such_applet
expect_rc 1 "unknown applet"
expect_err_has "unknown applet 'no_such_applet'" "unknown applet message"

ln -s "$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")" "$E2E_TMP/condor_token_request_approve"
A=$E2E_TMP/condor_token_request_approve

usage() { # argv0
	cat <<EOT
Usage: $1 [-type TYPE] [-name NAME] [-pool POOL] [-reqid ID]

Generates a token from a remote daemon and prints its contents to stdout.

Token options:
    -reqid <val>                    Token request identity
Specifying target options:
    -pool    <host>                 Query this collector
    -name    <name>                 Find a daemon with this name
    -type    <subsystem>            Type of daemon to contact (default: COLLECTOR)
If not specified, the pool's collector is targeted.
EOT
}

for h in -help -h -he --help; do
	run "$A" $h
	expect_rc 1 "approve $h"
	first=$(printf "%s\n" "$ERR" | head -n 11)
	if [ "$first" = "$(usage "$A")" ]; then e2e_ok; else e2e_bad "approve $h: usage text differs"; fi
	expect_out "" "approve $h prints nothing on stdout"
done
run "$TOKENBOX" condor_token_request_approve -help
first=$(printf "%s\n" "$ERR" | head -n 1)
if [ "$first" = "Usage: condor_token_request_approve [-type TYPE] [-name NAME] [-pool POOL] [-reqid ID]" ]; then e2e_ok; else e2e_bad "usage via tokenbox APPLET: $first"; fi

# Missing values, in the stock texts.
run "$A" -reqid
expect_rc 1 "-reqid without value"
expect_err "$A: -reqid requires a request ID argument." "-reqid message"
run "$A" -r
expect_err "$A: -reqid requires a request ID argument." "-r is -reqid"
run "$A" -pool
expect_err "$A: -pool requires a pool name argument." "-pool message"
run "$A" -p
expect_err "$A: -pool requires a pool name argument." "-p is -pool"
run "$A" -name
expect_err "$A: -name requires a daemon name argument." "-name message"
run "$A" -type
expect_err "$A: -type requires a daemon type argument." "-type message"
run "$A" -t
expect_err "$A: -type requires a daemon type argument." "-t is -type"

# Matching rules: --full only, no over-long prefixes, case matters.
run "$A" --req 1
expect_rc 1 "--req"
expect_err_has "$A: Invalid command line argument: --req" "--req is not a prefix match"
run "$A" -reqidx 1
expect_err_has "Invalid command line argument: -reqidx" "-reqidx too long"
run "$A" -REQID 1
expect_err_has "Invalid command line argument: -REQID" "case-sensitive"
run "$A" -
expect_err_has "Invalid command line argument: -" "- alone"
run "$A" --
expect_err_has "Invalid command line argument: --" "-- alone"
run "$A" --deb
expect_err_has "Invalid command line argument: --deb" "--deb"
run "$A" -bogus
expect_rc 1 "-bogus"
first=$(printf "%s\n" "$ERR" | head -n 1)
if [ "$first" = "$A: Invalid command line argument: -bogus" ]; then e2e_ok; else e2e_bad "invalid arg line: $first"; fi
second=$(printf "%s\n" "$ERR" | sed -n 2p)
if [ "$second" = "Usage: $A [-type TYPE] [-name NAME] [-pool POOL] [-reqid ID]" ]; then e2e_ok; else e2e_bad "usage after invalid arg: $second"; fi

# A value is taken even when it starts with a dash.
run "$A" -reqid -help -type none
expect_rc 1 "-type none"
first=$(printf "%s\n" "$ERR" | head -n 1)
if [ "$first" = "ERROR: unrecognized daemon type: none" ]; then e2e_ok; else e2e_bad "-type none: $first"; fi
run "$A" -type Bogus
first=$(printf "%s\n" "$ERR" | head -n 1)
if [ "$first" = "ERROR: unrecognized daemon type: Bogus" ]; then e2e_ok; else e2e_bad "-type Bogus: $first"; fi

# Our additions: exact spelling, and -yes only with -reqid and -expect-identity.
run "$A" -ye
expect_err_has "Invalid command line argument: -ye" "-ye is not -yes"
run "$A" -yes
expect_rc 1 "-yes alone"
expect_err_has "-yes requires -reqid and -expect-identity" "-yes alone message"
run "$A" -yes -reqid 0000001
expect_rc 1 "-yes without -expect-identity"
run "$A" -reqid 0000001 -expect-identity a@b
expect_rc 1 "-expect-* without -yes"
expect_err_has "only used with -yes" "-expect-* without -yes message"
run "$A" -yes -reqid 0000001 -expect-identity a@b -expect-peer 10.0.0.0/99
expect_rc 1 "bad -expect-peer"
expect_err_has "not an address or netblock" "bad -expect-peer message"
run "$A" -yes -reqid 0000001 -expect-identity a@b -expect-max-lifetime 12x
expect_rc 1 "bad -expect-max-lifetime"

e2e_done cli
