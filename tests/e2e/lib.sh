# tests/e2e/lib.sh - helpers for end-to-end scripts (sourced).
#
# Scripts run from the repository root with TOKENBOX, TESTD and TOOLS set
# by tests/run.sh.  Each check prints a line only when it fails; the
# script ends with e2e_done, which prints "NAME: N passed, N failed".
E2E_PASS=0
E2E_FAIL=0
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tokenbox-e2e.XXXXXX")
E2E_PIDS=""
trap 'e2e_cleanup' EXIT INT TERM

e2e_cleanup() {
	[ -n "${E2E_KEEP:-}" ] && { echo "kept $E2E_TMP" >&2; return; }
	for p in $E2E_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$E2E_TMP"
}

e2e_ok() { E2E_PASS=$((E2E_PASS + 1)); }
e2e_bad() {
	E2E_FAIL=$((E2E_FAIL + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

# run CMD...: runs with stdin from $E2E_STDIN (default /dev/null); sets
# OUT, ERR (file contents) and RC.
run() {
	"$@" <"${E2E_STDIN:-/dev/null}" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	RC=$?
	OUT=$(cat "$E2E_TMP/out")
	ERR=$(cat "$E2E_TMP/err")
}

expect_rc() { # want, label
	if [ "$RC" = "$1" ]; then e2e_ok; else e2e_bad "$2: exit $RC, want $1 (stderr: $(printf "%s\n" "$ERR" | head -n 3))"; fi
}
expect_out() { # exact stdout, label
	if [ "$OUT" = "$1" ]; then e2e_ok; else
		e2e_bad "$2: stdout differs"
		printf -- '--- got\n%s\n--- want\n%s\n' "$OUT" "$1" >&2
	fi
}
expect_err() { # exact stderr, label
	if [ "$ERR" = "$1" ]; then e2e_ok; else
		e2e_bad "$2: stderr differs"
		printf -- '--- got\n%s\n--- want\n%s\n' "$ERR" "$1" >&2
	fi
}
# contains TEXT NEEDLE: byte-exact substring test.  (Shell patterns treat
# backslashes specially in some shells, and our needles are full of them.)
contains() {
	printf '%s' "$1" | NEEDLE=$2 awk 'BEGIN { RS = "\001" } index($0, ENVIRON["NEEDLE"]) { f = 1 } END { exit !f }'
}
expect_err_has() { # substring, label
	if contains "$ERR" "$1"; then e2e_ok; else e2e_bad "$2: stderr lacks '$1' (got: $(printf "%s\n" "$ERR" | head -n 5))"; fi
}
expect_out_has() { # substring, label
	if contains "$OUT" "$1"; then e2e_ok; else e2e_bad "$2: stdout lacks '$1' (got: $(printf "%s\n" "$OUT" | head -n 5))"; fi
}
expect_out_lacks() { # substring, label
	if contains "$OUT" "$1"; then e2e_bad "$2: stdout has '$1'"; else e2e_ok; fi
}

# A fresh pool signing key for the test daemon: $T/pool_key, mode 600.
e2e_pool_key() {
	head -c 64 /dev/urandom >"$T/pool_key" && chmod 600 "$T/pool_key"
}
# $T/NAME: a link to $TOKENBOX under an applet's name (argv[0] picks the applet).
e2e_applet() {
	ln -s "$(cd "$(dirname "$TOKENBOX")" && pwd)/$(basename "$TOKENBOX")" "$T/$1"
}

# testd_launch ARGS...: start the test daemon on a free loopback port (a
# fresh log in $E2E_TMP/testd.log); sets TESTD_PID and PORT.
testd_launch() {
	rm -f "$E2E_TMP/port"
	: >"$E2E_TMP/testd.log"
	"$TESTD" -portfile "$E2E_TMP/port" -log "$E2E_TMP/testd.log" -max-idle 60 "$@" &
	TESTD_PID=$!
	E2E_PIDS="$E2E_PIDS $TESTD_PID"
	i=0
	while [ ! -s "$E2E_TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	PORT=$(cat "$E2E_TMP/port" 2>/dev/null)
}
testd_stop() {
	kill -TERM "$TESTD_PID" 2>/dev/null
	wait "$TESTD_PID" 2>/dev/null
}

e2e_done() {
	echo "$1: $E2E_PASS passed, $E2E_FAIL failed"
	[ "$E2E_FAIL" -eq 0 ]
}
