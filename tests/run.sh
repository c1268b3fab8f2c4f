#!/bin/sh
# tests/run.sh ARCH "RUN-PREFIX" [BUILD-DIR] - run one build's tests.
#
# Every program in BUILD-DIR/tests/ (default build/ARCH) and every
# tests/e2e/*.sh (only for x86_64, the shipped binary, and host, the
# sanitizer build) ends with a line "NAME: N passed, N failed".  This script
# adds them up into BUILD-DIR/results.txt.  A program that crashes or exits
# non-zero without reporting a failure counts as one failure: a crash is
# never a pass.
#
# A build may leave applets, methods or the 9.0-9.8 key path out (the
# Makefile passes TB_APPLETS, TB_METHODS, TB_LEGACY).  A test says what it
# needs in a line "needs: WORD..." near its top (an applet name, FS, TOKEN,
# SSL, CLAIMTOBE or LEGACY); one that needs something left out is not run
# and is recorded as skipped, by name.
set -u
arch=$1
run=${2:-}
B=${3:-build/$arch}
logs=$B/logs
mkdir -p "$logs"
res=$B/results.txt
: >"$res"
tot_p=0
tot_f=0
tot_s=0

# missing FILE: what FILE's "needs:" line names that this build lacks.
missing() {
	want=$(head -n 20 "$1" | sed -n 's/.*needs: *\([A-Za-z0-9_ ]*\).*/\1/p' | head -n 1)
	out=""
	for w in $want; do
		case $w in
		FS | TOKEN | SSL | CLAIMTOBE) have=" ${TB_METHODS:-FS TOKEN SSL CLAIMTOBE} " ;;
		LEGACY) [ "${TB_LEGACY:-yes}" = yes ] && have=" LEGACY " || have=" " ;;
		*) have=" ${TB_APPLETS:-$w} " ;;
		esac
		case $have in *" $w "*) ;; *) out="$out $w" ;; esac
	done
	echo "${out# }"
}
skip() { # name what-is-missing
	tot_s=$((tot_s + 1))
	echo "$arch $1: skipped (needs $2, left out of this build)" >>"$res"
}

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
	m=$(missing "tests/unit/$name.c")
	if [ -n "$m" ]; then
		skip "$name" "$m"
		continue
	fi
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
		m=$(missing "$s")
		if [ -n "$m" ]; then
			skip "e2e-$name" "$m"
			continue
		fi
		TOKENBOX=$B/tokenbox TESTD=$B/testd TOOLS=$B/tools ARCH=$arch \
			timeout 600 sh "$s" >"$logs/e2e-$name.log" 2>&1
		record "e2e-$name" $? "$logs/e2e-$name.log"
	done
	;;
esac

if [ "$tot_s" -gt 0 ]; then
	echo "$arch ($B): $tot_s skipped, needing what this build left out:"
	grep 'skipped (needs' "$res" | sed 's/^/    /'
fi
echo "$arch: $tot_p passed, $tot_f failed"
[ "$tot_f" -eq 0 ]
