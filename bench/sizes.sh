#!/bin/sh
# bench/sizes.sh - how big tokenbox is and how much memory one run takes.
#
#   sh bench/sizes.sh            (from the repository root, after `make`
#                                 for the arches you want measured)
#
# 1. For each of build/{x86_64,aarch64,armhf}/tokenbox that exists: the
#    file size (the build strips it; a copy is stripped again here to be
#    sure) and what `size` says per section (text, data, bss), using the
#    cross `size` for ARM when installed, else llvm-size.
# 2. Peak RSS of one `tokenbox condor_token_request_approve` LIST (one
#    handshake with FS authentication and AES-GCM, one pending request
#    listed and shown) against the test daemon build/x86_64/testd, as in
#    tests/e2e/approve.sh.  The tool waits at its "type 'yes'" prompt on a
#    FIFO; its VmHWM is read from /proc then, and /usr/bin/time -v (when
#    present) gives the whole run's maximum resident set size as well.
# 3. The share of each module (our folders), of Mbed TLS and of libc in
#    each build, from its link map (bench/mapshare.awk).
# Prints a small report; exits non-zero only if the RSS run cannot be set
# up.  Arches that were not built are reported as such.
set -u
cd "$(dirname "$0")/.." || exit 1

kib() { echo $((($1 + 1023) / 1024)); }

echo "== binary sizes (stripped)"
# The full builds, then every reduced selection built (build/ARCH-TAG, made
# with TOKENBOX_APPLETS / TOKENBOX_METHODS / TOKENBOX_LEGACY), named by
# what the x86_64 binary of that selection says it holds.
for bin in build/x86_64/tokenbox build/aarch64/tokenbox build/armhf/tokenbox build/*-*/tokenbox; do
	dir=$(basename "$(dirname "$bin")")
	arch=${dir%%-*}
	tag=${dir#"$arch"}
	case $arch in x86_64 | aarch64 | armhf) ;; *) continue ;; esac
	if [ ! -x "$bin" ]; then
		echo "$arch: not built (make ARCH=$arch)"
		continue
	fi
	if [ -n "$tag" ]; then
		sel=$(build/x86_64$tag/tokenbox --version 2>/dev/null | sed -n 's/^applets: \(.*\)/\1/p;s/^authentication methods: \(.*\)/methods \1/p;s/.*9.0-9.8 key path was left out.*/no legacy key path/p' | tr '\n' ';')
		echo "$arch$tag: ${sel:-selection unknown (build the x86_64 one too)}"
	fi
	case $arch in
	x86_64) strip=strip size=size ;;
	aarch64) strip=aarch64-linux-gnu-strip size=aarch64-linux-gnu-size ;;
	armhf) strip=arm-linux-gnueabihf-strip size=arm-linux-gnueabihf-size ;;
	esac
	command -v "$size" >/dev/null 2>&1 || size=llvm-size
	tmp=$(mktemp "${TMPDIR:-/tmp}/tokenbox-size.XXXXXX")
	cp "$bin" "$tmp"
	if command -v "$strip" >/dev/null 2>&1; then
		"$strip" "$tmp" 2>/dev/null
	fi
	bytes=$(wc -c <"$tmp" | tr -d ' ')
	echo "$arch$tag: $bytes bytes ($(kib "$bytes") KiB) stripped"
	if command -v "$size" >/dev/null 2>&1; then
		"$size" "$tmp" | sed -e "s|$tmp|$bin|" -e 's/^/    /'
	fi
	rm -f "$tmp"
done

echo "== where the bytes are (from each build's link map, tokenbox.map)"
# Every folder of ours, each Mbed TLS library, libc: code + read-only data
# + initialised data that the link kept (what stripping leaves, less the
# ELF headers).  A map older than this script's Makefile has none: rebuild.
objmap=$(mktemp "${TMPDIR:-/tmp}/tokenbox-objmap.XXXXXX")
for f in src/main.c src/*/*.c port/*/*.c; do
	d=$(dirname "$f")
	[ "$d" = src ] && d=src/main.c
	echo "$(basename "$f" .c).o $d"
done >"$objmap"
for map in build/x86_64/tokenbox.map build/aarch64/tokenbox.map build/armhf/tokenbox.map build/*-*/tokenbox.map; do
	[ -f "$map" ] || continue
	echo "$(basename "$(dirname "$map")"):"
	awk -v objmap="$objmap" -f bench/mapshare.awk "$map" | sed 's/^/    /'
done
rm -f "$objmap"

echo "== peak RSS of one approve LIST (x86_64, against build/x86_64/testd)"
TOKENBOX=build/x86_64/tokenbox
TESTD=build/x86_64/testd
if [ ! -x "$TOKENBOX" ] || [ ! -x "$TESTD" ]; then
	echo "not built (make ARCH=x86_64 test-progs)"
	exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/tokenbox-rss.XXXXXX")
TESTD_PID=
TOOL_PID=
cleanup() {
	[ -n "$TOOL_PID" ] && kill "$TOOL_PID" 2>/dev/null
	[ -n "$TESTD_PID" ] && kill "$TESTD_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

ME=$(id -un 2>/dev/null || echo root)
head -c 64 /dev/urandom >"$T/pool_key"
chmod 600 "$T/pool_key"
"$TESTD" -portfile "$T/port" -pool-key "$T/pool_key" -trust-domain testd.local \
	-admin "condor@* $ME@testd.local" -log "$T/testd.log" -max-idle 60 \
	-seed-request 'RequestId=0412345;ClientId=node17-1;PeerLocation=10.1.2.3;RequestedIdentity=worker@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=READ;TokenLifetime=3600' &
TESTD_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$T/port" ]; then
	echo "test daemon did not start (see its log)" >&2
	exit 1
fi
printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
	"$(cat "$T/port")" >"$T/condor_config"
export CONDOR_CONFIG="$T/condor_config"
ln -s "$(pwd)/$TOKENBOX" "$T/condor_token_request_approve"

# (a) at the prompt, after the LIST: VmHWM from /proc
mkfifo "$T/in"
"$T/condor_token_request_approve" -reqid 0412345 <"$T/in" >"$T/out" 2>"$T/err" &
TOOL_PID=$!
exec 3>"$T/in" # open the FIFO's write end: the tool can now start
i=0
while ! grep -q "type 'yes'" "$T/out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
if [ -r "/proc/$TOOL_PID/status" ] && grep -q "type 'yes'" "$T/out"; then
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$TOOL_PID/status")
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$TOOL_PID/status")
	echo "at the approval prompt (handshake + LIST done): VmHWM $hwm KiB, VmRSS $rss KiB"
else
	echo "the tool did not reach its prompt: $(head -n 3 "$T/err")" >&2
fi
echo no >&3
exec 3>&-
wait "$TOOL_PID" 2>/dev/null
TOOL_PID=

# (b) the whole run under /usr/bin/time -v
if [ -x /usr/bin/time ]; then
	echo no | /usr/bin/time -v "$T/condor_token_request_approve" -reqid 0412345 >/dev/null 2>"$T/time"
	max=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$T/time")
	echo "whole run (/usr/bin/time -v): maximum resident set size $max KiB"
else
	echo "whole run: /usr/bin/time not installed"
fi
