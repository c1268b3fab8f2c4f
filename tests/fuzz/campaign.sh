#!/bin/sh
# tests/fuzz/campaign.sh DIR SECONDS [TARGET...] - a long fuzzing campaign:
# every target (or those named) runs for SECONDS on a corpus that persists
# between campaigns (DIR/corpus-NAME, seeded from tests/fuzz/corpus/NAME),
# one after another.  A crash stops that target, leaves the input as
# DIR/NAME-crash-* and is reported; keep it as a regression input in
# tests/fuzz/corpus/NAME/ once fixed.  For each target the line
#   NAME: N executions, cov C, ft F, corpus K inputs, SECONDS s[, CRASH]
# is printed and appended to DIR/campaign.txt, then a total.
#
#   make fuzz FUZZ_SECONDS=3600        (host build; every target an hour)
set -u
dir=$1
secs=$2
shift 2
targets=$*
if [ -z "$targets" ]; then
	for f in "$dir"/fuzz_*; do
		[ -x "$f" ] && targets="$targets $(basename "$f")"
	done
fi
total=0
fail=0
for name in $targets; do
	f=$dir/$name
	[ -x "$f" ] || { echo "campaign: no $f" >&2; fail=1; continue; }
	short=${name#fuzz_}
	corpus=$dir/corpus-$short
	mkdir -p "$corpus"
	[ -d "tests/fuzz/corpus/$short" ] && cp -n "tests/fuzz/corpus/$short"/* "$corpus"/ 2>/dev/null
	log=$dir/campaign-$short.log
	"$f" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$dir/$name-" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	n=$(ls "$corpus" | wc -l)
	line="$name: ${execs:-0} executions, ${cov:-cov: ? ft: ?}, corpus $n inputs, $secs s"
	if [ "$rc" -ne 0 ]; then
		line="$line, CRASH (see $log)"
		fail=1
	fi
	echo "$line" | tee -a "$dir/campaign.txt"
	total=$((total + ${execs:-0}))
done
echo "total: $total executions" | tee -a "$dir/campaign.txt"
exit $fail
