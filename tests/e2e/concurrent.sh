#!/bin/sh
# Many clients at once against the test daemon: 50 approvals, 50 listings,
# 50 SSL requesters bootstrapping trust into one known_hosts file and
# writing one token name, 50 token fetches writing one token name.  Every
# run succeeds with its own session, and no shared file is left half
# written: known_hosts holds only whole lines, each token file one whole
# token.  (tokenbox keeps its session cache in memory: no file to share.)
# needs: condor_token_fetch condor_token_request condor_token_request_approve condor_token_request_auto_approve condor_token_request_list FS TOKEN SSL
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
N=50
ME=$(id -un 2>/dev/null || echo root)
TB=$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")
e2e_pool_key
mkdir -p "$T/tokens.d"
chmod 700 "$T/tokens.d"
rid() { printf '%07d' $((2000000 + $1)); }

# Every request of the fleet, and a self-signed host certificate for SSL.
i=1
while [ $i -le 60 ]; do
	printf 'RequestId=%s;ClientId=c%d-1;PeerLocation=10.3.0.%d;RequestedIdentity=w%d@testd.local;LimitAuthorization=ADVERTISE_STARTD;TokenLifetime=600\n' \
		"$(rid $i)" $i $i $i
	i=$((i + 1))
done >"$T/seeds"
have_ssl=0
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/host.key" \
		-out "$T/host.pem" -days 2 -subj "/CN=localhost" -addext subjectAltName=DNS:localhost \
		>"$T/openssl.log" 2>&1 &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/other.key" \
		-out "$T/other.pem" -days 2 -subj "/CN=unrelated CA" \
		-addext basicConstraints=critical,CA:TRUE >>"$T/openssl.log" 2>&1; then
	have_ssl=1
else
	e2e_bad "openssl could not make a host certificate: $(tail -n 2 "$T/openssl.log")"
fi
ssl_args=
[ $have_ssl = 1 ] && ssl_args="-ssl-cert $T/host.pem -ssl-key $T/host.key"
# shellcheck disable=SC2086
testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* $ME@testd.local" \
	-methods FS,TOKEN,SSL -seed-file "$T/seeds" $ssl_args
printf '<127.0.0.1:%s>\n$CondorVersion: 25.14.0 2026-11-30 BuildID: 1 $\n' "$PORT" >"$T/schedd_address"
printf 'COLLECTOR_HOST = localhost:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\nSEC_TOKEN_DIRECTORY = %s\nSCHEDD_ADDRESS_FILE = %s\nSCHEDD_SUPER_ADDRESS_FILE = %s\n' \
	"$PORT" "$T/tokens.d" "$T/schedd_address" "$T/schedd_address" >"$T/config"
export CONDOR_CONFIG="$T/config"

# wait_all PREFIX: wait for the background runs, count non-zero exits.
pids=
spawn() { # name command...: run in the background, output in $T/NAME.{out,err,rc}
	name=$1
	shift
	("$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null; echo $? >"$T/$name.rc") &
	pids="$pids $!"
}
wait_all() {
	for p in $pids; do wait "$p"; done
	pids=
}
failed() { # prefix: how many runs did not exit 0
	n=0
	for f in "$T/$1".*.rc; do [ "$(cat "$f")" = 0 ] || n=$((n + 1)); done
	echo $n
}

# ---- 50 approvals at once -------------------------------------------------------------
: >"$T/testd.log"
i=1
while [ $i -le $N ]; do
	spawn "approve.$i" "$TB" condor_token_request_approve -reqid "$(rid $i)" -yes \
		-expect-identity "w$i@testd.local" -expect-authz ADVERTISE_STARTD
	i=$((i + 1))
done
wait_all
n=$(failed approve)
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "$n of $N concurrent approvals failed: $(cat "$T"/approve.*.err | sort | uniq -c | head -n 3)"; fi
n=$(cat "$T"/approve.*.out | grep -c 'approved successfully')
if [ "$n" = $N ]; then e2e_ok; else e2e_bad "$n of $N approvals reported"; fi
# each its own session: 50 key exchanges, 50 APPROVEs each on its own session
n=$(grep -c 'command 60049: new session' "$T/testd.log")
if [ "$n" = $N ]; then e2e_ok; else e2e_bad "$n new LIST sessions, want $N"; fi
n=$(sed -n 's/.*command 60050 on resumed session \([^ ]*\) .*/\1/p' "$T/testd.log" | sort -u | wc -l)
if [ "$n" = $N ]; then e2e_ok; else e2e_bad "$n distinct sessions resumed by the APPROVEs, want $N"; fi
left=$("$TB" condor_token_request_list 2>/dev/null | grep -c '^RequestId')
if [ "$left" = 10 ]; then e2e_ok; else e2e_bad "$left requests left pending, want 10"; fi

# ---- 50 listings at once ---------------------------------------------------------------
i=1
while [ $i -le $N ]; do
	spawn "list.$i" "$TB" condor_token_request_list
	i=$((i + 1))
done
wait_all
n=$(failed list)
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "$n of $N concurrent listings failed"; fi
n=$(for f in "$T"/list.*.out; do md5sum <"$f"; done | sort -u | wc -l)
if [ "$n" = 1 ]; then e2e_ok; else e2e_bad "concurrent listings disagree ($n different outputs)"; fi

# ---- 50 SSL requesters: one known_hosts file, one token name ---------------------------
if [ $have_ssl = 1 ]; then
	"$TB" condor_token_request_auto_approve -netblock 127.0.0.1/32 -lifetime 600 >/dev/null 2>&1 ||
		e2e_bad "installing the auto-approval rule failed"
	KH=$T/kh/known_hosts
	printf 'COLLECTOR_HOST = localhost:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = SSL\nAUTH_SSL_CLIENT_CAFILE = %s\nSEC_TOKEN_DIRECTORY = %s\nSEC_KNOWN_HOSTS = %s\nBOOTSTRAP_SSL_SERVER_TRUST = true\n' \
		"$PORT" "$T/other.pem" "$T/tokens.d" "$KH" >"$T/ssl_config"
	i=1
	while [ $i -le $N ]; do
		spawn "req.$i" env CONDOR_CONFIG="$T/ssl_config" "$TB" condor_token_request \
			-authz ADVERTISE_STARTD -token shared -timeout 10
		i=$((i + 1))
	done
	wait_all
	n=$(failed req)
	if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "$n of $N concurrent SSL requesters failed: $(cat "$T"/req.*.err | sort | uniq -c | head -n 3)"; fi
	want="localhost SSL $(openssl x509 -in "$T/host.pem" -outform DER | base64 | tr -d '\n')"
	bad=$(grep -cvxF "$want" "$KH")
	lines=$(wc -l <"$KH")
	if [ "$bad" = 0 ] && [ "$lines" -ge 1 ] && [ "$(tail -c 1 "$KH" | od -An -c | tr -d ' ')" = '\n' ]; then e2e_ok; else
		e2e_bad "known_hosts after $N concurrent bootstraps: $lines lines, $bad not the whole entry"
	fi
	tok=$(cat "$T/tokens.d/shared")
	if printf '%s' "$tok" | grep -Eq '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'; then e2e_ok; else
		e2e_bad "the token file written by $N requesters at once is not one whole token"
	fi
	# ... and it is one of the tokens issued (the requested condor identity)
	sub=$(printf '%s' "$tok" | cut -d. -f2 | tr '_-' '/+' | { read -r p; case $((${#p} % 4)) in 2) p="$p==" ;; 3) p="$p=" ;; esac; printf '%s' "$p" | base64 -d 2>/dev/null; } | sed -n 's/.*"sub":"\([^"]*\)".*/\1/p')
	case $sub in condor@testd.local) e2e_ok ;; *) e2e_bad "shared token subject $sub" ;; esac
	n=$(ls "$T/tokens.d" | grep -c '\.tmp-')
	if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "$n temporary files left in the token directory"; fi
fi

# ---- 50 token fetches writing one token name -------------------------------------------
i=1
while [ $i -le $N ]; do
	spawn "fetch.$i" "$TB" condor_token_fetch -lifetime $((600 + i)) -token fetched
	i=$((i + 1))
done
wait_all
n=$(failed fetch)
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "$n of $N concurrent fetches failed: $(cat "$T"/fetch.*.err | sort | uniq -c | head -n 3)"; fi
tok=$(cat "$T/tokens.d/fetched")
if printf '%s' "$tok" | grep -Eq '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' &&
	[ "$(wc -l <"$T/tokens.d/fetched")" -le 1 ]; then e2e_ok; else
	e2e_bad "the token file written by $N fetches at once is not one whole token"
fi
mode=$(stat -c %a "$T/tokens.d/fetched")
if [ "$mode" = 600 ]; then e2e_ok; else e2e_bad "fetched token mode $mode"; fi
testd_stop

e2e_done concurrent
