#!/bin/sh
# tests/fuzz/run.sh DIR SECONDS - run every fuzz target briefly on its seed
# corpus (tests/fuzz/corpus/<name>/).  Found crashes fail the run; the
# inputs are left in build/fuzz/ for reproduction.  Results go to
# build/fuzz/results.txt in the suite's "passed/failed" form.
set -u
dir=$1
secs=$2
res=$dir/results.txt
: >"$res"
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
