#!/bin/sh
# testd_smoke.sh - the test daemon starts on port 0, writes its port file,
# mints verifiable tokens, stops on SIGTERM and when idle; and, when the
# tokenbox binary has the approve applet, one approval of a seeded request
# whose identity holds hostile bytes, end to end over FS as root or over an
# admin IDTOKEN otherwise.
# needs: condor_token_request_approve
. tests/e2e/lib.sh

T=$E2E_TMP
head -c 64 /dev/urandom >"$T/pool_key"

# -mint: a token the daemon itself can check later.
run "$TESTD" -mint -pool-key "$T/pool_key" -sub condor@testd.local -iss testd.local -lifetime 600
expect_rc 0 "mint"
case "$OUT" in eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.*.*) e2e_ok ;; *) e2e_bad "mint: not a POOL JWT: $OUT" ;; esac
ADMIN_TOKEN=$OUT
run "$TESTD" -mint -pool-key "$T/no_such_file" -sub a@b -iss b
expect_rc 1 "mint without key file"

start_testd() { # extra args...
	rm -f "$T/port"
	"$TESTD" -portfile "$T/port" -pool-key "$T/pool_key" -log "$T/testd.log" "$@" &
	TESTD_PID=$!
	E2E_PIDS="$E2E_PIDS $TESTD_PID"
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	PORT=$(cat "$T/port" 2>/dev/null)
}

# Port 0 -> a real port in the port file; SIGTERM -> exit 0, file removed.
start_testd -max-idle 30
case "$PORT" in [1-9]*) e2e_ok ;; *) e2e_bad "no port in the port file" ;; esac
kill -TERM "$TESTD_PID"
wait "$TESTD_PID"
RC=$?
expect_rc 0 "exit status after SIGTERM"
if [ -e "$T/port" ]; then e2e_bad "port file left behind"; else e2e_ok; fi

# Idle exit.
start_testd -max-idle 1
i=0
while kill -0 "$TESTD_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$TESTD_PID" 2>/dev/null; then e2e_bad "testd did not exit when idle"; else e2e_ok; fi

# Bad command lines are refused.
run "$TESTD" -type startd
expect_rc 2 "bad -type"
run "$TESTD" -seed-request 'Bogus=1'
expect_rc 2 "bad -seed-request key"

# End to end with the approve applet, when the binary has it.
if "$TOKENBOX" --list 2>/dev/null | grep -qx condor_token_request_approve; then
	start_testd -max-idle 30 -trust-domain testd.local \
		-seed-request 'RequestId=0042137;ClientId=vm-1;RequestedIdentity=q"uo\\te \x1b[31m\x01 \xc3\xbc@testd.local;TokenLifetime=42'
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_TOKEN_DIRECTORY = %s/tokens.d\n' \
		"$PORT" "$T" >"$T/condor_config"
	mkdir -p "$T/tokens.d" && chmod 700 "$T/tokens.d"
	printf '%s\n' "$ADMIN_TOKEN" >"$T/tokens.d/admin" && chmod 600 "$T/tokens.d/admin"
	echo yes >"$T/yes"
	E2E_STDIN="$T/yes" CONDOR_CONFIG="$T/condor_config" run "$TOKENBOX" condor_token_request_approve -reqid 0042137
	expect_rc 0 "approve of a seeded request"
	expect_out_has "Request 0042137 approved successfully." "approve success line"
	CONDOR_CONFIG="$T/condor_config" run "$TOKENBOX" condor_token_request_approve -reqid 0042137
	expect_rc 1 "second approve finds nothing pending"
	kill -TERM "$TESTD_PID"
	wait "$TESTD_PID" 2>/dev/null
fi

e2e_done testd_smoke
