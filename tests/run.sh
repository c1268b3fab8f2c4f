#!/bin/sh
# tests/run.sh ARCH "RUN-PREFIX" - run one architecture's tests.
#
# Every program in build/ARCH/tests/ and every tests/e2e/*.sh (only for
# x86_64, the shipped binary, and host, the sanitizer build) ends with a line
# "NAME: N passed, N failed".  This script adds them up into
# build/ARCH/results.txt.  A program that crashes or exits non-zero without
# reporting a failure counts as one failure: a crash is never a pass.
set -u
arch=$1
run=${2:-}
B=build/$arch
logs=$B/logs
mkdir -p "$logs"
res=$B/results.txt
: >"$res"
tot_p=0
tot_f=0

record() { # name exit-status log
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$3" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=0
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "$arch $1: exited with status $2 (see $3)" >&2
		tail -n 20 "$3" >&2
	elif [ "$f" -ne 0 ]; then
		echo "$arch $1: $f failed (see $3)" >&2
		grep -E 'FAIL' "$3" | head -n 20 >&2
	fi
	tot_p=$((tot_p + p))
	tot_f=$((tot_f + f))
	echo "$arch $1: $p passed, $f failed" >>"$res"
}

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	# shellcheck disable=SC2086
	timeout 600 $run "$t" >"$logs/$name.log" 2>&1
	record "$name" $? "$logs/$name.log"
done

case $arch in
x86_64 | host)
	for s in tests/e2e/*.sh; do
		[ -f "$s" ] || continue
		name=$(basename "$s" .sh)
		[ "$name" = demo ] && continue
		TOKENBOX=$B/tokenbox TESTD=$B/testd TOOLS=$B/tools ARCH=$arch \
			timeout 600 sh "$s" >"$logs/e2e-$name.log" 2>&1
		record "e2e-$name" $? "$logs/e2e-$name.log"
	done
	;;
esac

echo "$arch: $tot_p passed, $tot_f failed"
[ "$tot_f" -eq 0 ]
