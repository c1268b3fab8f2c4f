#!/bin/sh
# The SSL method end to end against the test daemon (auth-methods.md
# section 2): the V4 flow (a certificate-less requester over SSL is
# unauthenticated@unmapped, still method SSL, so its request is accepted
# and its FINISH polls resume the session), approval over SSL with a mapped
# client certificate, LIST/APPROVE refused to unmapped SSL clients (the
# daemon closes after authentication), the client's CA and host checks,
# SSL_SKIP_HOST_CHECK, TLS 1.2, a required client certificate, and a daemon
# without a host certificate not offering SSL.  Certificates are made here
# with openssl.
# needs: condor_token_request condor_token_request_approve condor_token_request_list SSL LEGACY
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
if ! command -v openssl >/dev/null 2>&1; then
	echo "ssl: SKIP (no openssl)"
	e2e_done ssl
	exit
fi
TB=$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")
ln -s "$TB" "$T/condor_token_request"
R=$T/condor_token_request
e2e_pool_key

# ---- certificates ------------------------------------------------------------------
mkca() { # name CN
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$1.key" -out "$T/$1.pem" -days 2 -subj "/CN=$2" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
mkleaf() { # name subject ca extfile
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$1.key" -out "$T/$1.csr" -subj "$2" &&
		openssl x509 -req -in "$T/$1.csr" -CA "$T/$3.pem" -CAkey "$T/$3.key" \
			-CAcreateserial -days 2 -out "$T/$1.pem" -extfile "$T/$4"
}
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$T/host.ext"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:other.example\n' >"$T/other.ext"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >"$T/cli.ext"
if ! { mkca ca "tokenbox e2e CA" && mkca wrong "tokenbox e2e wrong CA" &&
	mkleaf host "/CN=localhost" ca host.ext && mkleaf other "/CN=other.example" ca other.ext &&
	mkleaf admin "/O=tokenbox e2e/CN=admin" ca cli.ext &&
	mkleaf stranger "/CN=stranger" ca cli.ext; } >"$T/openssl.log" 2>&1; then
	e2e_bad "openssl could not make the test certificates: $(tail -n 3 "$T/openssl.log")"
	e2e_done ssl
	exit
fi

start_testd() { # args...
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* certadmin@testd.local" "$@"
	# The administrator's side: FS, as a local admin would be.
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
		"$PORT" >"$T/fs_config"
}
stop_testd() { testd_stop; }
# ssl_config FILE HOST CA [extra lines]: an SSL-only client config.
ssl_config() {
	printf 'COLLECTOR_HOST = %s:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = SSL\nAUTH_SSL_CLIENT_CAFILE = %s\nSEC_TOKEN_DIRECTORY = %s\nSEC_KNOWN_HOSTS = %s\n%s\n' \
		"$2" "$PORT" "$T/$3.pem" "$T/tokens.d" "$T/known_hosts" "${4:-}" >"$T/$1"
}
as_admin() { CONDOR_CONFIG=$T/fs_config "$@"; }
with() { # config-name cmd...: run with that config
	CONDOR_CONFIG=$T/$1
	export CONDOR_CONFIG
	shift
	run "$@"
}
pending_attr() { # reqid attr
	as_admin "$TB" condor_token_request_list -reqid "$1" 2>/dev/null | sed -n "s/^$2 = //p"
}
payload() {
	p=$(printf '%s' "$1" | cut -d. -f2 | tr '_-' '/+')
	case $((${#p} % 4)) in 2) p="$p==" ;; 3) p="$p=" ;; esac
	printf '%s' "$p" | base64 -d 2>/dev/null
}
claim() { printf '%s' "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
expect_eq() { if [ "$1" = "$2" ]; then e2e_ok; else e2e_bad "$3: got '$1', want '$2'"; fi; }
log_has() { # text label
	if grep -F -q -- "$1" "$T/testd.log"; then e2e_ok; else e2e_bad "$2: testd log lacks '$1'"; fi
}
CLIENT_CERT="AUTH_SSL_CLIENT_CERTFILE = $T/admin.pem
AUTH_SSL_CLIENT_KEYFILE = $T/admin.key"
STRANGER_CERT="AUTH_SSL_CLIENT_CERTFILE = $T/stranger.pem
AUTH_SSL_CLIENT_KEYFILE = $T/stranger.key"
SSLD="-methods FS,TOKEN,SSL -ssl-cert $T/host.pem -ssl-key $T/host.key -ssl-ca $T/ca.pem"
MAP="/O=tokenbox e2e/CN=admin=certadmin@testd.local"

# ---- V4: request over SSL without a client certificate, approved over FS ----------
# shellcheck disable=SC2086
start_testd $SSLD -ssl-map "$MAP" -next-request-id 2230207
ssl_config req_config localhost ca
CONDOR_CONFIG=$T/req_config "$R" -identity alice@testd.local -poll-interval 1 -timeout 30 \
	-file "$T/alice.tok" >"$T/bg.out" 2>"$T/bg.err" </dev/null &
bg=$!
i=0
while [ -z "$(pending_attr 2230207 RequestId)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "$(pending_attr 2230207 AuthenticatedIdentity)" '"unauthenticated@unmapped"' \
	"a certificate-less SSL requester is unauthenticated@unmapped"
expect_eq "$(pending_attr 2230207 RequestedIdentity)" '"alice@testd.local"' "requested identity"
with fs_config "$TB" condor_token_request_approve -reqid 2230207 -yes -expect-identity alice@testd.local
expect_rc 0 "FS admin approves the SSL request"
expect_out_has "Request 2230207 approved successfully." "approval message"
wait $bg
RC=$?
OUT=$(cat "$T/bg.out")
ERR=$(cat "$T/bg.err")
expect_rc 0 "SSL requester receives the token"
expect_out "Token request enqueued.  Ask an administrator to please approve request 2230207." \
	"SSL requester stdout"
expect_err "" "SSL requester stderr"
tok=$(cat "$T/alice.tok" 2>/dev/null)
expect_eq "$(claim sub "$(payload "$tok")")" "alice@testd.local" "token subject"
expect_eq "$(claim iss "$(payload "$tok")")" "testd.local" "token issuer"
log_has "SSL: unauthenticated@unmapped over TLSv1.3, client certificate none" "SSL without a certificate"
log_has "command 60047: new session" "START on a new session"
log_has "(method SSL)" "session method SSL"
if grep -q 'command 60048 on resumed session .* for unauthenticated@unmapped' "$T/testd.log"; then
	e2e_ok
else
	e2e_bad "FINISH polls do not resume the SSL session"
fi
n=$(grep -c 'SSL: ' "$T/testd.log")
expect_eq "$n" 1 "one TLS handshake for START and every FINISH"

# ---- approval over SSL with a mapped client certificate ----------------------------
ssl_config admin_config localhost ca "$CLIENT_CERT"
CONDOR_CONFIG=$T/req_config "$R" -identity bob@testd.local -poll-interval 1 -timeout 30 \
	-file "$T/bob.tok" >"$T/bg.out" 2>"$T/bg.err" </dev/null &
bg=$!
id=""
i=0
while [ -z "$id" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
	id=$(sed -n 's/.*approve request \([0-9]*\)\.$/\1/p' "$T/bg.out")
done
with admin_config "$TB" condor_token_request_list -reqid "$id"
expect_rc 0 "list over SSL with a mapped certificate"
expect_out_has 'RequestedIdentity = "bob@testd.local"' "list over SSL shows the request"
with admin_config "$TB" condor_token_request_approve -reqid "$id" -yes \
	-expect-identity bob@testd.local
expect_rc 0 "approve over SSL with a mapped certificate"
expect_out_has "Request $id approved successfully." "SSL approval message"
log_has "SSL: certadmin@testd.local over TLSv1.3, client certificate /O=tokenbox e2e/CN=admin (mapped)" \
	"client certificate mapped by -ssl-map"
wait $bg
RC=$?
expect_rc 0 "requester gets the token approved over SSL"
expect_eq "$(claim sub "$(payload "$(cat "$T/bob.tok" 2>/dev/null)")")" "bob@testd.local" \
	"token approved over SSL"

# ---- LIST/APPROVE need a mapped identity: the daemon closes after K1 ------------------
with req_config "$R" -identity carol@testd.local -timeout 1 -poll-interval 1
cid=$(printf '%s\n' "$OUT" | sed -n 's/.*approve request \([0-9]*\)\.$/\1/p')
listfail="Failed to list token requests: DAEMON:1:Failed to start command for listing token requests with remote daemon at '<localhost:$PORT?alias=localhost>'.|SECMAN:2007:Failed to received post-auth ClassAd"
with req_config "$TB" condor_token_request_list
expect_rc 1 "list as unauthenticated@unmapped over SSL"
expect_err_has "$listfail" "list refused to an unmapped SSL client"
expect_out "" "nothing listed to an unmapped SSL client"
log_has "command 60049 requires a mapped identity, got unauthenticated@unmapped: closing" \
	"daemon closes LIST for unauthenticated@unmapped"
ssl_config stranger_config localhost ca "$STRANGER_CERT"
with stranger_config "$TB" condor_token_request_list
expect_rc 1 "list with an unmapped client certificate"
expect_err_has "$listfail" "list refused to ssl@unmapped"
log_has "command 60049 requires a mapped identity, got ssl@unmapped: closing" \
	"daemon closes LIST for ssl@unmapped"
with req_config "$TB" condor_token_request_approve -reqid "$cid" -yes \
	-expect-identity carol@testd.local
expect_rc 1 "approve as unauthenticated@unmapped over SSL"
expect_err_has "SECMAN:2007:Failed to received post-auth ClassAd" "approve refused to an unmapped SSL client"
expect_out_lacks "approved successfully" "nothing approved by an unmapped SSL client"
expect_eq "$(pending_attr "$cid" RequestId)" "\"$cid\"" "the request is still pending"
stop_testd

# ---- the client's certificate checks ------------------------------------------------
# shellcheck disable=SC2086
start_testd $SSLD
ssl_config wrong_config localhost wrong
with wrong_config "$R" -timeout 1
expect_rc 1 "server certificate from an untrusted CA"
expect_err_has "Failed to request a new token: DAEMON:1:failed to start command for token request with remote daemon at '<localhost:$PORT?alias=localhost>'.|AUTHENTICATE:1003:Failed to authenticate with any method|AUTHENTICATE:1004:Failed to authenticate using SSL|SSL:1004:server certificate /CN=localhost rejected: " \
	"wrong CA: AUTHENTICATE error naming the certificate"
expect_err_has "(check AUTH_SSL_CLIENT_CAFILE / AUTH_SSL_CLIENT_CADIR)" "wrong CA hint"
expect_out "" "wrong CA: nothing enqueued"

# COLLECTOR_HOST as a bare IP: no host name to check against.
ssl_config ip_config 127.0.0.1 ca
with ip_config "$R" -timeout 1
expect_rc 1 "bare IP without SSL_SKIP_HOST_CHECK"
expect_err_has "AUTHENTICATE:1004:Failed to authenticate using SSL|SSL:1004:No SSL host name specified" \
	"bare IP: no SSL host name"
expect_out "" "bare IP: nothing enqueued"
ssl_config ip_config 127.0.0.1 ca "SSL_SKIP_HOST_CHECK = True"
with ip_config "$R" -timeout 1 -poll-interval 1
expect_rc 1 "bare IP with SSL_SKIP_HOST_CHECK enqueues (then -timeout)"
expect_out_has "Token request enqueued." "SSL_SKIP_HOST_CHECK = True connects"
expect_err_has "Gave up waiting for approval of request" "SSL_SKIP_HOST_CHECK: pending, not refused"
# Every FS client still works next to SSL.
with fs_config "$TB" condor_token_request_list
expect_rc 0 "FS next to SSL"
expect_out_has 'AuthenticatedIdentity = "unauthenticated@unmapped"' "SKIP_HOST_CHECK request listed"
stop_testd

# A certificate for another name.
start_testd -methods FS,TOKEN,SSL -ssl-cert "$T/other.pem" -ssl-key "$T/other.key"
ssl_config req_config localhost ca
with req_config "$R" -timeout 1
expect_rc 1 "host name mismatch"
expect_err_has "AUTHENTICATE:1004:Failed to authenticate using SSL|SSL:1004:host name 'localhost' does not match the server certificate /CN=other.example" \
	"host name mismatch message"
ssl_config req_config localhost ca "SSL_SKIP_HOST_CHECK = true"
with req_config "$R" -timeout 1 -poll-interval 1
expect_out_has "Token request enqueued." "host name mismatch with SSL_SKIP_HOST_CHECK"
stop_testd

# ---- daemon-side options -------------------------------------------------------------------
# TLS 1.2 only.
# shellcheck disable=SC2086
start_testd $SSLD -ssl-tls-version 12
ssl_config req_config localhost ca
with req_config "$R" -timeout 1 -poll-interval 1
expect_out_has "Token request enqueued." "request over TLS 1.2"
log_has "SSL: unauthenticated@unmapped over TLSv1.2" "daemon ran TLS 1.2"
stop_testd

# A 9.0 daemon: no ECDH; its session key comes after SSL, 3DES-wrapped under
# the 256 bytes sent through TLS.
# shellcheck disable=SC2086
start_testd $SSLD -legacy-version 9.0.0
ssl_config req_config localhost ca
with req_config "$R" -timeout 2 -poll-interval 1
expect_out_has "Token request enqueued." "request over SSL to a 9.0 daemon"
expect_err_has "Gave up waiting for approval" "9.0 daemon: FINISH polls on the SSL session"
log_has "3DES-wrapped under the method's key" "9.0 daemon wraps the key under SSL's"
log_has "command 60048 on resumed session" "9.0 daemon: FINISH resumes the SSL session"
stop_testd

# AUTH_SSL_REQUIRE_CLIENT_CERTIFICATE on the daemon.
# shellcheck disable=SC2086
start_testd $SSLD -ssl-require-client-cert -ssl-map "$MAP"
ssl_config req_config localhost ca
ssl_config admin_config localhost ca "$CLIENT_CERT"
with req_config "$R" -timeout 1
expect_rc 1 "no client certificate while the daemon requires one"
expect_err_has "AUTHENTICATE:1003:Failed to authenticate with any method|AUTHENTICATE:1004:Failed to authenticate using SSL" \
	"required client certificate missing"
log_has "Anonymous client is not allowed" "daemon refuses the certificate-less client"
with admin_config "$TB" condor_token_request_list
expect_rc 0 "a mapped certificate passes the requirement"
stop_testd

# No host certificate (or one that cannot be loaded): SSL is not offered.
start_testd -methods FS,TOKEN,SSL -ssl-cert "$T/no-such.pem"
log_has "SSL not offered: cannot load the host certificate $T/no-such.pem" "unloadable host certificate logged"
ssl_config req_config localhost ca
with req_config "$R" -timeout 1
expect_rc 1 "SSL-only client, daemon without a host certificate"
expect_err_has "Failed to request a new token: DAEMON:1:failed to start command for token request with remote daemon at '<localhost:$PORT?alias=localhost>'." \
	"SSL-only client: the handshake fails, not the connection"
expect_out "" "nothing enqueued without SSL"
if grep -q 'SSL: ' "$T/testd.log"; then e2e_bad "SSL ran without a host certificate"; else e2e_ok; fi
with fs_config "$TB" condor_token_request_list
expect_rc 0 "FS still served without a host certificate"
stop_testd
run "$TESTD" -ssl-ca "$T/ca.pem"
expect_rc 2 "-ssl-ca without -ssl-cert"
expect_err "testd: -ssl-* options need -ssl-cert" "-ssl-* without -ssl-cert message"
run "$TESTD" -ssl-cert "$T/host.pem" -ssl-map "no-equals-sign"
expect_rc 2 "-ssl-map without '='"

e2e_done ssl
