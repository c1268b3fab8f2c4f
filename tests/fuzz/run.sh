#!/bin/sh
# tests/fuzz/run.sh DIR SECONDS - run every fuzz target briefly on its seed
# corpus (tests/fuzz/corpus/<name>/).  Found crashes fail the run; the
# inputs are left in build/fuzz/ for reproduction.  Results go to
# build/fuzz/results.txt in the suite's "passed/failed" form.
#
# SECONDS is per target, but the whole run is kept within FUZZ_TOTAL
# seconds (default 75, so that `make check` stays short): with many
# targets each gets FUZZ_TOTAL / count (at least 2).  FUZZ_TOTAL=0 lifts
# the cap for long runs:  make ARCH=host check-fuzz FUZZ_SECONDS=600 FUZZ_TOTAL=0
set -u
dir=$1
secs=$2
total=${FUZZ_TOTAL:-75}
res=$dir/results.txt
: >"$res"
count=0
for f in "$dir"/fuzz_*; do
	[ -x "$f" ] && count=$((count + 1))
done
if [ "$total" -gt 0 ] && [ "$count" -gt 0 ] && [ $((secs * count)) -gt "$total" ]; then
	secs=$((total / count))
	[ "$secs" -lt 2 ] && secs=2
	echo "fuzz: $count targets, $secs s each (FUZZ_TOTAL=$total)" >&2
fi
for f in "$dir"/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	corpus=tests/fuzz/corpus/${name#fuzz_}
	work=$dir/work-${name#fuzz_}
	rm -rf "$work"
	mkdir -p "$work"
	[ -d "$corpus" ] && cp "$corpus"/* "$work"/ 2>/dev/null
	if "$f" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 \
		-artifact_prefix="$dir/$name-" "$work" >"$dir/$name.log" 2>&1; then
		echo "fuzz $name: 1 passed, 0 failed" >>"$res"
	else
		echo "fuzz $name: 0 passed, 1 failed" >>"$res"
		tail -n 30 "$dir/$name.log" >&2
	fi
done
cat "$res"
