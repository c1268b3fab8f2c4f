#!/bin/sh
# bench/fleet.sh - approving a fleet: one -expect-file run against one
# `-reqid -yes` process per request (what a provisioning script must do
# without a manifest).
#
#   sh bench/fleet.sh [N...]        (default: 200 1000; from the repository
#                                    root, after `make ARCH=x86_64 test-progs`)
#
# For each N, the test daemon build/x86_64/testd is seeded with N pending
# requests (1000 is a real daemon's cap) and both ways approve all of them
# over FS authentication with AES-GCM:
#   manifest   tokenbox condor_token_request_approve -expect-file (N rows)
#   per-proc   N x tokenbox condor_token_request_approve -reqid ID -yes
#              -expect-identity ... (a shell loop)
# Reported per way: wall seconds and CPU seconds (user + sys, children
# included) of a timed run; commands the daemon received and new sessions
# (key exchanges) it made, from its log; and the peak resident memory of
# the largest tokenbox process, from a second run with -debug:D_FULLDEBUG,
# whose trace ends with the kernel's VmHWM for the process.  (The %M of
# /usr/bin/time is not used for tokenbox: on Linux it also counts the
# forked copy of `time` itself before exec, about 0.3-0.5 MiB here.)
#
# Against a real pool: with CONDOR_BIN (the stock tools' bin directory) and
# CONDOR_CONFIG (that pool's configuration, in which tokenbox and the stock
# tools run as an administrator, e.g. root with FS on a pool made by
# ../shared/refpool) set, each N is also run against the pool's collector:
# requests are made by N background `tokenbox condor_token_request`
# processes (anonymous SSL, as refpool's token requesters), then approved
# the three ways: manifest, the tokenbox per-process loop, and the stock
# loop (`echo yes | condor_token_request_approve -reqid ID`).  A daemon
# keeps at most 1000 requests, approved ones until their requester fetches
# the token: keep N a little under that.
set -u
cd "$(dirname "$0")/.." || exit 1
TOKENBOX=$(pwd)/build/x86_64/tokenbox
TESTD=$(pwd)/build/x86_64/testd
if [ ! -x "$TOKENBOX" ] || [ ! -x "$TESTD" ]; then
	echo "bench/fleet.sh: build first (make ARCH=x86_64 test-progs)" >&2
	exit 1
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench/fleet.sh: needs /usr/bin/time (Debian package time)" >&2
	exit 1
fi
sizes=${*:-200 1000}
T=$(mktemp -d "${TMPDIR:-/tmp}/tokenbox-fleet.XXXXXX")
TESTD_PID=
cleanup() {
	[ -n "$TESTD_PID" ] && kill "$TESTD_PID" 2>/dev/null
	pkill -f "$T/req" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
ME=$(id -un 2>/dev/null || echo root)
head -c 64 /dev/urandom >"$T/pool_key"
chmod 600 "$T/pool_key"
ln -s "$TOKENBOX" "$T/condor_token_request_approve"
A=$T/condor_token_request_approve

rid() { printf '%07d' $((1000000 + $1)); }

# measure LABEL CMD...: one timed run; prints the row (RSS is the peak
# found by the caller's PEAK, else /usr/bin/time's %M marked "time").
measure() {
	label=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$T/time" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	# (time puts "Command exited with non-zero status N" first)
	read -r wall user sys rss <<EOF
$(tail -n 1 "$T/time")
EOF
	cpu=$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }')
	printf '%-10s %6s  wall %7.2f s  cpu %6s s  peak RSS %5s KiB (time)  exit %s\n' \
		"$label" "$N" "$wall" "$cpu" "$rss" "$rc"
	echo "$wall" >"$T/wall.$label"
}
# peak FILE: the largest "peak resident memory" in a -debug:D_FULLDEBUG trace.
peak() {
	sed -n 's/.*peak resident memory: \([0-9]*\) KiB.*/\1/p' "$1" | sort -n | tail -n 1
}

# COUNTS from the test daemon's log since it was last emptied.
log_counts() {
	new=$(grep -c 'new session' "$T/testd.log")
	res=$(grep -c 'on resumed session' "$T/testd.log")
	COUNTS=$(printf '  commands %5d  key exchanges %5d' $((new + res)) "$new")
}

start_testd() {
	: >"$T/seeds"
	i=1
	while [ "$i" -le "$N" ]; do
		printf 'RequestId=%s;ClientId=node%d-1;PeerLocation=10.2.%d.%d;RequestedIdentity=worker%d@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=ADVERTISE_STARTD,ADVERTISE_MASTER;TokenLifetime=86400\n' \
			"$(rid $i)" $i $((i / 256)) $((i % 256)) $i >>"$T/seeds"
		i=$((i + 1))
	done
	rm -f "$T/port"
	"$TESTD" -portfile "$T/port" -pool-key "$T/pool_key" -trust-domain testd.local \
		-admin "condor@* $ME@testd.local" -log "$T/testd.log" -max-idle 600 -seed-file "$T/seeds" &
	TESTD_PID=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
		"$(cat "$T/port")" >"$T/condor_config"
	: >"$T/testd.log"
}
stop_testd() {
	kill "$TESTD_PID" 2>/dev/null
	wait "$TESTD_PID" 2>/dev/null
	TESTD_PID=
}

echo "== fleet approval against the test daemon (FS, AES-GCM; $(nproc) CPUs)"
for N in $sizes; do
	# The manifest way.
	start_testd
	i=1
	while [ "$i" -le "$N" ]; do
		echo "$(rid $i) worker$i@testd.local peer=10.2.0.0/16 authz=ADVERTISE_STARTD,ADVERTISE_MASTER max-lifetime=86400"
		i=$((i + 1))
	done >"$T/manifest"
	CONDOR_CONFIG=$T/condor_config measure manifest "$A" -expect-file "$T/manifest"
	log_counts
	approved=$(grep -c ' approved$' "$T/out")
	stop_testd
	start_testd
	CONDOR_CONFIG=$T/condor_config "$A" -expect-file "$T/manifest" -debug:D_FULLDEBUG >/dev/null 2>"$T/trace"
	printf '%-10s %6s  %s approved%s  peak RSS %s KiB (VmHWM)\n' "" "" "$approved" "$COUNTS" "$(peak "$T/trace")"
	stop_testd

	# One process per request.
	start_testd
	cat >"$T/loop.sh" <<EOF
i=1
while [ "\$i" -le $N ]; do
	"$A" -reqid "\$(printf '%07d' \$((1000000 + i)))" -yes -expect-identity "worker\$i@testd.local" \
		-expect-peer 10.2.0.0/16 -expect-authz ADVERTISE_STARTD,ADVERTISE_MASTER \
		-expect-max-lifetime 86400 \$DEBUG >/dev/null || echo "request \$i: exit \$?" >&2
	i=\$((i + 1))
done
EOF
	CONDOR_CONFIG=$T/condor_config DEBUG= measure per-proc sh "$T/loop.sh"
	log_counts
	failed=$(grep -c exit "$T/err")
	stop_testd
	start_testd
	CONDOR_CONFIG=$T/condor_config DEBUG=-debug:D_FULLDEBUG sh "$T/loop.sh" 2>"$T/trace"
	printf '%-10s %6s  %s failed%s  peak RSS %s KiB (VmHWM, largest process)\n' "" "" "$failed" "$COUNTS" "$(peak "$T/trace")"
	stop_testd
	awk -v a="$(cat "$T/wall.manifest")" -v b="$(cat "$T/wall.per-proc")" \
		'BEGIN { if (b > 0) printf "           %6s  manifest wall / per-process wall = %.3f\n", "", a / b }' </dev/null
done

[ -n "${CONDOR_BIN:-}" ] || exit 0
echo "== against the pool of CONDOR_CONFIG=${CONDOR_CONFIG:?}, stock tools in $CONDOR_BIN"
"$CONDOR_BIN/condor_version" 2>/dev/null | head -n 1
# make_requests N: N pending requests from background requesters; "ID I"
# in $T/ids for each request made (I: its requester, identity benchI).
make_requests() {
	: >"$T/ids"
	i=1
	while [ "$i" -le "$1" ]; do
		_CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS=SSL \
			"$TOKENBOX" condor_token_request -identity "bench$i" -authz ADVERTISE_STARTD \
			-lifetime 3600 -token "bench-$$-$i" -timeout 120 >"$T/req.$i" 2>&1 &
		i=$((i + 1))
	done
	i=0
	while [ "$(cat "$T"/req.* 2>/dev/null | grep -c 'approve request')" -lt "$1" ] && [ $i -lt 600 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	i=1
	while [ "$i" -le "$1" ]; do
		sed -n "s/.*approve request \([0-9]*\)\..*/\1 $i/p" "$T/req.$i" >>"$T/ids"
		i=$((i + 1))
	done
}
domain=$("$TOKENBOX" config UID_DOMAIN)
# done_requests: the requesters of a round fetch their tokens and exit;
# any left (a request the daemon refused) are stopped.
done_requests() {
	i=0
	while pgrep -f "bench-$$-" >/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i + 1)); done
	pkill -f "bench-$$-" 2>/dev/null
	wait
	rm -f "$T"/req.*
}
for N in $sizes; do
	make_requests "$N"
	awk -v d="$domain" '{ printf "%s bench%d@%s authz=ADVERTISE_STARTD max-lifetime=3600\n", $1, $2, d }' "$T/ids" >"$T/manifest"
	measure manifest "$A" -expect-file "$T/manifest"
	printf '%-10s %6s  %s approved of %s requests made\n' "" "" "$(grep -c ' approved$' "$T/out")" "$(wc -l <"$T/ids")"
	done_requests
	make_requests "$N"
	awk -v a="$A" -v d="$domain" '{ printf "\"%s\" -reqid %s -yes -expect-identity bench%d@%s >/dev/null\n", a, $1, $2, d }' "$T/ids" >"$T/loop.sh"
	measure per-proc sh "$T/loop.sh"
	done_requests
	make_requests "$N"
	awk -v b="$CONDOR_BIN" '{ printf "echo yes | \"%s/condor_token_request_approve\" -reqid %s >/dev/null\n", b, $1 }' "$T/ids" >"$T/loop.sh"
	measure stock sh "$T/loop.sh"
	done_requests
done
