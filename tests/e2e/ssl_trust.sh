#!/bin/sh
# SSL server trust bootstrapping against the test daemon (auth-methods.md
# section 2.5): a server certificate no configured CA vouches for is looked
# up in known_hosts (SEC_KNOWN_HOSTS); unknown hosts are refused and
# recorded as untrusted, or trusted on first use with
# BOOTSTRAP_SSL_SERVER_TRUST = true, or after a 'yes' at the terminal
# prompt; a pinned host is accepted later without the knob, a changed
# certificate is refused; a CA-verified server is recorded as @trusted; a
# server sending its CA pins the CA.  Certificates are made with openssl.
# needs: condor_token_request SSL
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
if ! command -v openssl >/dev/null 2>&1; then
	echo "ssl_trust: SKIP (no openssl)"
	e2e_done ssl_trust
	exit
fi
TB=$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")
ln -s "$TB" "$T/condor_token_request"
R=$T/condor_token_request
e2e_pool_key
KH=$T/kh/known_hosts # in a directory that does not exist yet

# ---- certificates ------------------------------------------------------------------
mkca() { # name CN
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$1.key" -out "$T/$1.pem" -days 2 -subj "/CN=$2" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
mkself() { # name: a self-signed host certificate for localhost
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$1.key" -out "$T/$1.pem" -days 2 -subj "/CN=localhost" \
		-addext subjectAltName=DNS:localhost
}
mkleaf() { # name subject ca extfile
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$1.key" -out "$T/$1.csr" -subj "$2" &&
		openssl x509 -req -in "$T/$1.csr" -CA "$T/$3.pem" -CAkey "$T/$3.key" \
			-CAcreateserial -days 2 -out "$T/$1.pem" -extfile "$T/$4"
}
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$T/host.ext"
if ! { mkca ca "trust e2e CA" && mkca other "trust e2e other CA" && mkself self1 && mkself self2 &&
	mkleaf host "/CN=localhost" ca host.ext; } >"$T/openssl.log" 2>&1; then
	e2e_bad "openssl could not make the test certificates: $(tail -n 3 "$T/openssl.log")"
	e2e_done ssl_trust
	exit
fi
cat "$T/host.pem" "$T/ca.pem" >"$T/chain.pem"
b64() { openssl x509 -in "$1" -outform DER | base64 | tr -d '\n'; }
fpr() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//' | tr 'A-F' 'a-f'; }
SELF1=$(b64 "$T/self1.pem")
SELF2=$(b64 "$T/self2.pem")
CA=$(b64 "$T/ca.pem")

start_testd() { # cert key
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -methods FS,TOKEN,SSL \
		-ssl-cert "$1" -ssl-key "$2"
}
# cfg [extra lines]: an SSL-only client trusting only an unrelated CA
# (so the system CAs are not used either).
cfg() {
	printf 'COLLECTOR_HOST = localhost:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = SSL\nAUTH_SSL_CLIENT_CAFILE = %s\nSEC_TOKEN_DIRECTORY = %s\nSEC_KNOWN_HOSTS = %s\n%s\n' \
		"$PORT" "$T/other.pem" "$T/tokens.d" "$KH" "${1:-}" >"$T/config"
	CONDOR_CONFIG=$T/config
	export CONDOR_CONFIG
}
kh() { cat "$KH" 2>/dev/null; }
expect_eq() { if [ "$1" = "$2" ]; then e2e_ok; else e2e_bad "$3: got '$1', want '$2'"; fi; }
enqueued() { # label: the requester got through authentication
	expect_out_has "Token request enqueued." "$1"
}
AUTHFAIL="AUTHENTICATE:1004:Failed to authenticate using SSL|SSL:1004:"

# ---- unknown self-signed server, no bootstrap: refused and recorded -----------------
start_testd "$T/self1.pem" "$T/self1.key"
cfg
run "$R" -timeout 1
expect_rc 1 "unknown server without BOOTSTRAP_SSL_SERVER_TRUST"
expect_err_has "${AUTHFAIL}server certificate /CN=localhost rejected: " "refusal names the certificate"
expect_err_has "recorded as untrusted in $KH" "refusal names the known_hosts file"
expect_out "" "refused: nothing enqueued"
expect_eq "$(kh)" "!localhost SSL $SELF1" "the refusal is recorded as HTCondor does"
if [ "$(stat -c %a "$KH" 2>/dev/null)" = 644 ]; then e2e_ok; else e2e_bad "known_hosts mode is not 0644"; fi

# A recorded refusal wins over BOOTSTRAP_SSL_SERVER_TRUST.
cfg "BOOTSTRAP_SSL_SERVER_TRUST = true"
run "$R" -timeout 1
expect_rc 1 "a '!host' entry is not bootstrapped over"
expect_err_has "${AUTHFAIL}host localhost is marked untrusted ('!localhost') at $KH line 1" \
	"refusal names the entry"
expect_eq "$(kh)" "!localhost SSL $SELF1" "nothing added to a refused host"

# ---- trust on first use -------------------------------------------------------------
rm -rf "$T/kh"
run "$R" -timeout 1 -poll-interval 1
expect_rc 1 "bootstrap: enqueued, then -timeout"
enqueued "BOOTSTRAP_SSL_SERVER_TRUST = true trusts an unknown server"
expect_eq "$(kh)" "localhost SSL $SELF1" "bootstrap records the server certificate"

# Later runs accept the pinned certificate without the knob, and add nothing.
cfg
run "$R" -timeout 1 -poll-interval 1
enqueued "a known host is accepted without BOOTSTRAP_SSL_SERVER_TRUST"
expect_eq "$(kh)" "localhost SSL $SELF1" "a known host adds no line"
# ... but still gets the host-name check.
printf 'COLLECTOR_HOST = 127.0.0.1:%s\n' "$PORT" >>"$T/config"
run "$R" -timeout 1
expect_err_has "${AUTHFAIL}" "a pinned certificate still needs a host name"

# Comments, blank lines and other hosts do not disturb the lookup.
{ printf '# hand edited\n\nother.example SSL QUJD\n'; kh; } >"$T/kh.new" && mv "$T/kh.new" "$KH"
cfg
run "$R" -timeout 1 -poll-interval 1
enqueued "entry found after comments and other hosts"
testd_stop

# ---- the server's certificate changed ---------------------------------------------------
start_testd "$T/self2.pem" "$T/self2.key"
cfg "BOOTSTRAP_SSL_SERVER_TRUST = true"
run "$R" -timeout 1
expect_rc 1 "a changed certificate is refused, even with bootstrap on"
expect_err_has "${AUTHFAIL}server certificate /CN=localhost rejected: it differs from the one trusted for localhost at $KH line 4 (now SHA-256 $(fpr "$T/self2.pem"))" \
	"mismatch names the fingerprint and the entry"
expect_out "" "mismatch: nothing enqueued"
expect_eq "$(tail -n 1 "$KH")" "!localhost SSL $SELF2" "the refused certificate is recorded"
expect_eq "$(grep -c . "$KH")" 4 "one line added"
run "$R" -timeout 1
expect_eq "$(grep -c . "$KH")" 4 "the same refusal is not recorded twice"
testd_stop

# ---- a CA-verified server is recorded as @trusted ---------------------------------------
start_testd "$T/host.pem" "$T/host.key"
rm -rf "$T/kh"
cfg "AUTH_SSL_CLIENT_CAFILE = $T/ca.pem"
run "$R" -timeout 1 -poll-interval 1
enqueued "CA-verified server"
expect_eq "$(kh)" "localhost SSL @trusted" "CA-verified server recorded as @trusted"
run "$R" -timeout 1 -poll-interval 1
expect_eq "$(kh)" "localhost SSL @trusted" "@trusted recorded once"
# Without the CA it no longer matches its @trusted entry.
cfg "BOOTSTRAP_SSL_SERVER_TRUST = true"
run "$R" -timeout 1
expect_rc 1 "a @trusted host whose CA is gone is refused"
expect_err_has "(check AUTH_SSL_CLIENT_CAFILE / AUTH_SSL_CLIENT_CADIR); localhost was CA-verified before ($KH line 1)" \
	"@trusted is not a pin"
testd_stop

# ---- a server that sends its CA: the CA is pinned --------------------------------------
start_testd "$T/chain.pem" "$T/host.key"
rm -rf "$T/kh"
cfg "BOOTSTRAP_SSL_SERVER_TRUST = true"
run "$R" -timeout 1 -poll-interval 1
enqueued "bootstrap with a CA in the chain"
expect_eq "$(kh)" "localhost SSL $CA" "the top of the server's chain (its CA) is recorded"

# ---- the terminal prompt (needs script(1) for a pseudo-terminal) -----------------------
if command -v script >/dev/null 2>&1 && script -qc true /dev/null </dev/null >/dev/null 2>&1; then
	rm -rf "$T/kh"
	cfg
	printf 'maybe\nyes\n' | script -qfec "$R -timeout 1 -poll-interval 1" /dev/null \
		>"$T/tty.out" 2>&1
	OUT=$(tr -d '\r' <"$T/tty.out")
	expect_out_has "The remote host localhost presented an untrusted CA certificate with the following fingerprint:
SHA-256: $(fpr "$T/ca.pem")" "prompt names host and fingerprint"
	expect_out_has "Subject: /CN=trust e2e CA" "prompt names the CA certificate's subject"
	expect_out_has "Would you like to trust this server for current and future communications?
Please type 'yes' or 'no':" "prompt question"
	enqueued "answering yes trusts the server"
	expect_eq "$(kh)" "localhost SSL $CA" "the answer is recorded"
	rm -rf "$T/kh"
	printf 'no\n' | script -qfec "$R -timeout 1" /dev/null >"$T/tty.out" 2>&1
	OUT=$(tr -d '\r' <"$T/tty.out")
	expect_out_lacks "Token request enqueued." "answering no refuses"
	expect_eq "$(kh)" "!localhost SSL $CA" "the refusal is recorded"
	rm -rf "$T/kh"
	cfg "BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER = false"
	printf 'yes\n' | script -qfec "$R -timeout 1" /dev/null >"$T/tty.out" 2>&1
	OUT=$(tr -d '\r' <"$T/tty.out")
	expect_out_lacks "Please type" "no prompt with BOOTSTRAP_SSL_SERVER_TRUST_PROMPT_USER = false"
else
	echo "ssl_trust: prompt cases skipped (no usable script(1))"
fi
testd_stop
e2e_done ssl_trust
