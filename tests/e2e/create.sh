#!/bin/sh
# condor_token_create: the stock options, messages and exit codes (compared
# by hand with HTCondor 25.13.2's tool), the stock claims in the stock
# order, where the token goes (stdout, -token NAME in the token directory,
# -file PATH), the key file's checks, and a token the test daemon accepts.
# needs: condor_token_create condor_token_request_list TOKEN
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
e2e_applet condor_token_create
C=$T/condor_token_create
mkdir -m 700 "$T/passwords.d" "$T/tokens.d"
head -c 64 /dev/urandom >"$T/passwords.d/POOL"
head -c 64 /dev/urandom >"$T/passwords.d/OTHER"
chmod 600 "$T/passwords.d/POOL" "$T/passwords.d/OTHER"
cat >"$T/condor_config" <<EOF
UID_DOMAIN = testd.local
TRUST_DOMAIN = testd.local
SEC_PASSWORD_DIRECTORY = $T/passwords.d
SEC_TOKEN_POOL_SIGNING_KEY_FILE = $T/passwords.d/POOL
SEC_TOKEN_DIRECTORY = $T/tokens.d
EOF
export CONDOR_CONFIG="$T/condor_config"
# part N JWT: the decoded JSON of part N (1 header, 2 payload)
part() {
	p=$(printf '%s' "$2" | cut -d. -f"$1" | tr '_-' '/+')
	case $((${#p} % 4)) in 2) p="$p==" ;; 3) p="$p=" ;; esac
	printf '%s' "$p" | base64 -d 2>/dev/null
}
usage="Usage: $C -identity USER@DOMAIN [-key KEYID] [-authz AUTHZ] [-lifetime VAL] [-token NAME | -file NAME]
Generates a token from the local password.

Token options:
    -authz    <authz>                Whitelist one or more authorization
    -lifetime <val>                  Max token lifetime, in seconds
    -identity <USER@DOMAIN>          User identity
    -key      <KEYID>                Key to use for signing

Other options:
    -token    <NAME>                 Name of token file in tokens.d
    -file     <NAME>                 Token filename"

# ---- usage and option errors ----------------------------------------------------------
run "$C"
expect_rc 1 "no arguments"
expect_err "$usage" "no arguments: usage"
run "$C" -identity
expect_rc 1 "one argument"
expect_err "$usage" "one argument: usage"
run "$C" -help x
expect_rc 1 "-help"
expect_err "$usage" "-help: usage"
run "$C" -identity a@b -bogus
expect_rc 1 "unknown option"
expect_err "$C: Invalid command line argument: -bogus
$usage" "unknown option: message and usage"
run "$C" -i a@b
expect_rc 1 "-i is not -identity (two letters)"
run "$C" -identity a@b -lifetime abc
expect_rc 1 "bad lifetime"
expect_err "$C: Invalid argument for -lifetime: abc." "bad lifetime message"
for o in "lifetime|-lifetime requires an integer in seconds." "key|-key requires a key ID as an argument" \
	"authz|-authz requires an authorization name argument" "token|-token requires a file name argument." \
	"file|-file requires a file name argument."; do
	run "$C" -identity a@b "-${o%%|*}"
	expect_rc 1 "-${o%%|*} without a value"
	expect_err "$C: ${o#*|}" "-${o%%|*} without a value: message"
done

# ---- the token -----------------------------------------------------------------------
t0=$(date +%s)
run "$C" -identity alice@testd.local
expect_rc 0 "a token on stdout"
expect_eq() { if [ "$1" = "$2" ]; then e2e_ok; else e2e_bad "$3: got '$1', want '$2'"; fi; }
expect_eq "$(part 1 "$OUT")" '{"alg":"HS256","kid":"POOL"}' "header"
p=$(part 2 "$OUT")
if printf '%s' "$p" | grep -Eq '^\{"iat":[0-9]+,"iss":"testd\.local","jti":"[0-9a-f]{32}","sub":"alice@testd\.local"\}$'; then e2e_ok; else
	e2e_bad "claims without -lifetime/-authz: $p"; fi
iat=$(printf '%s' "$p" | sed -n 's/.*"iat":\([0-9]*\).*/\1/p')
# an empty -token or -file name means standard output, as with the stock tool
for o in -token -file; do
	run "$C" -identity alice@testd.local $o ""
	expect_rc 0 "$o '': exit"
	expect_eq "$(part 1 "$OUT")" '{"alg":"HS256","kid":"POOL"}' "$o '': the token on stdout"
done
if [ "$iat" -ge "$t0" ] && [ "$iat" -le $((t0 + 5)) ]; then e2e_ok; else e2e_bad "iat $iat is not now ($t0)"; fi
run "$C" -identity alice -authz READ -authz "WRITE,X" -lifetime 60 -key OTHER
expect_rc 0 "all the claims"
expect_eq "$(part 1 "$OUT")" '{"alg":"HS256","kid":"OTHER"}' "-key names the kid"
p=$(part 2 "$OUT")
if printf '%s' "$p" | grep -Eq '^\{"exp":[0-9]+,"iat":[0-9]+,"iss":"testd\.local","jti":"[0-9a-f]{32}","scope":"condor:\\/READ condor:\\/WRITE,X","sub":"alice"\}$'; then e2e_ok; else
	e2e_bad "claims with -lifetime/-authz: $p"; fi
exp=$(printf '%s' "$p" | sed -n 's/.*"exp":\([0-9]*\).*/\1/p')
iat=$(printf '%s' "$p" | sed -n 's/.*"iat":\([0-9]*\).*/\1/p')
expect_eq "$((exp - iat))" 60 "exp = iat + lifetime"

# ---- where it goes ---------------------------------------------------------------------
run "$C" -identity alice@testd.local -token mine
expect_rc 0 "-token NAME"
expect_out "" "-token: nothing on stdout"
if [ "$(stat -c %a "$T/tokens.d/mine")" = 600 ] && grep -Eq '^eyJ[^.]+\.[^.]+\.[^.]+$' "$T/tokens.d/mine"; then e2e_ok; else
	e2e_bad "-token: $T/tokens.d/mine is not a 0600 token file"; fi
run "$C" -identity alice@testd.local -file "$T/elsewhere"
expect_rc 0 "-file PATH"
if [ -s "$T/elsewhere" ]; then e2e_ok; else e2e_bad "-file wrote nothing"; fi
run "$C" -identity alice@testd.local -token x/y
expect_rc 1 "-token with a slash"
expect_err "Token name isn't a plain filename" "-token with a slash: message"
run "$C" -identity alice@testd.local -token mine2 -file "$T/f2"
if [ -s "$T/f2" ] && [ ! -e "$T/tokens.d/mine2" ]; then e2e_ok; else e2e_bad "the later of -token/-file wins"; fi

# ---- the signing key --------------------------------------------------------------------
run "$C" -identity a@b -key NOSUCH
expect_rc 2 "no such key"
expect_err "Failed to generate a token.
TOKEN:1:Failed to read file $T/passwords.d/NOSUCH securely." "no such key: message"
chmod 644 "$T/passwords.d/OTHER"
run "$C" -identity a@b -key OTHER
expect_rc 2 "a key others can read"
expect_err "Failed to generate a token.
TOKEN:1:Failed to read file $T/passwords.d/OTHER securely." "a key others can read: message"
chmod 600 "$T/passwords.d/OTHER"
run "$C" -identity a@b -key ../POOL
expect_rc 2 "a key id that leaves the directory"
printf 'SEC_TOKEN_POOL_SIGNING_KEY_FILE =\n' >>"$T/condor_config"
run "$C" -identity a@b
expect_rc 2 "no pool key knob"
expect_err "Failed to generate a token.
TOKEN:1:No master pool token key setup in SEC_TOKEN_POOL_SIGNING_KEY_FILE" "no pool key knob: message"
printf 'SEC_TOKEN_POOL_SIGNING_KEY_FILE = %s/passwords.d/POOL\nTRUST_DOMAIN = bad domain\n' "$T" >>"$T/condor_config"
run "$C" -identity a@b
expect_rc 2 "a trust domain with a space"
expect_err "Failed to generate a token.
PASSWD:1:Issuer namespace may not contain spaces or commas" "bad trust domain: message"
printf 'TRUST_DOMAIN = testd.local\n' >>"$T/condor_config"

# ---- accepted by a daemon that holds the key --------------------------------------------
mkdir -m 700 "$T/bob.d"
"$C" -identity "$ME@testd.local" -authz READ -authz WRITE -lifetime 600 -file "$T/bob.d/tok" ||
	e2e_bad "making the token for the daemon failed"
testd_launch -pool-key "$T/passwords.d/POOL" -trust-domain testd.local -methods TOKEN \
	-admin "condor@*" -seed-request "RequestId=0000001;ClientId=c-1;RequestedIdentity=$ME@testd.local"
printf 'COLLECTOR_HOST = 127.0.0.1:%s\nSEC_CLIENT_AUTHENTICATION_METHODS = IDTOKENS\nSEC_TOKEN_DIRECTORY = %s\n' \
	"$PORT" "$T/bob.d" >>"$T/condor_config"
run "$TOKENBOX" condor_token_request_list
expect_rc 0 "the daemon accepts the created token"
expect_out_has 'RequestId = "0000001"' "listed with the created token (own request)"
if grep -q "new session .* for $ME@testd.local (method IDTOKENS)" "$T/testd.log"; then e2e_ok; else
	e2e_bad "the daemon did not see $ME@testd.local over IDTOKENS"; fi
testd_stop

e2e_done create
