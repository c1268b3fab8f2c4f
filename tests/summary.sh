#!/bin/sh
# tests/summary.sh RESULTS... - add up results files into the closing line.
p=0
f=0
for r in "$@"; do
	[ -f "$r" ] || continue
	while read -r line; do
		lp=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
		lf=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
		p=$((p + ${lp:-0}))
		f=$((f + ${lf:-0}))
	done <"$r"
done
s=$(cat "$@" 2>/dev/null | grep -c 'skipped (needs')
[ "$s" -gt 0 ] && echo "$s tests skipped in reduced builds (each named, with what it needs, above and in build/*/results.txt)"
echo "$p passed, $f failed"
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
