#!/bin/sh
# condor_token_request_approve -expect-file against the test daemon: a
# fleet of 200 pending requests and a manifest of 200 rows with every kind
# of mismatch, missing IDs, an unsafe request and condor@ requests; one
# LIST and resumed APPROVEs; the report, -json, the audit log field by
# field; malformed manifests and unwritable audit logs approve nothing.
# needs: condor_token_request_approve condor_token_request_list FS
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(rid -un 2>/dev/null || echo root)
e2e_pool_key
e2e_applet condor_token_request_approve
A=$T/condor_token_request_approve
TB=$TOKENBOX

start_testd() { # args...
	testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* $ME@testd.local" "$@"
	printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\nSEC_CLIENT_AUTHENTICATION_METHODS = FS\n' \
		"$PORT" >"$T/condor_config"
	export CONDOR_CONFIG="$T/condor_config"
}
# The request IDs still pending, sorted, one per line.
pending() {
	"$TB" condor_token_request_list 2>/dev/null | sed -n 's/^RequestId = "\(.*\)"$/\1/p' | sort
}
rid() { printf '%07d' $((100000 + $1 * 7)); }

# ---- the fleet --------------------------------------------------------------------
# Requests 1..200: worker$i@testd.local from 10.2.0.$i, ADVERTISE_STARTD
# and ADVERTISE_MASTER for 86400 s; a few are special (see below).
: >"$T/seeds"
i=1
while [ $i -le 200 ]; do
	who="worker$i@testd.local"
	authz="ADVERTISE_STARTD,ADVERTISE_MASTER"
	case $i in
	181) who="condor@testd.local" ;;                # asks for condor@, manifest expects worker181
	182) who="condor@testd.local" ;;                # asks for condor@, manifest expects it
	183) who='ev\x1b]0\x3bpwned\x07il@testd.local' ;; # terminal escapes: unsafe
	184) authz="ADVERTISE_STARTD,ADMINISTRATOR" ;;  # more rights than expected
	esac
	printf '%s\n' "RequestId=$(rid $i);ClientId=node$i-77;PeerLocation=10.2.0.$i;RequestedIdentity=$who;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=$authz;TokenLifetime=86400" >>"$T/seeds"
	i=$((i + 1))
done

# The manifest, 200 rows: 1..170 and 185..192 match; 171..184 are
# refused for one attribute each (or unsafe, or condor@); 193..195 are not
# in it (they stay pending); three rows name requests that are not
# pending, one of them 189's ID without its leading zero.
{
	echo "# rack 7, re-imaged 2026-12-07"
	i=1
	while [ $i -le 170 ]; do
		echo "$(rid $i) worker$i@testd.local peer=10.2.0.0/24 authz=ADVERTISE_STARTD,ADVERTISE_MASTER max-lifetime=86400 client-id=node$i-77"
		i=$((i + 1))
	done
	echo "$(rid 171) worker999@testd.local"                          # identity
	echo "$(rid 172) worker172@testd.local peer=10.3.0.0/16"         # peer
	echo "$(rid 173) worker173@testd.local authz=ADVERTISE_STARTD"   # authz
	echo "$(rid 174) worker174@testd.local max-lifetime=3600"        # lifetime
	echo "$(rid 175) worker175@testd.local client-id=node175-78"     # client id
	echo "$(rid 176) worker176@testd.local peer=10.2.0.177"          # peer, one address
	echo "$(rid 177) worker177@testd.local peer=10.2.0.0/24 max-lifetime=86399"
	echo "$(rid 178) Worker178@testd.local"                          # case matters
	echo "$(rid 179) worker179@testd.local authz=READ"
	echo "$(rid 180) worker180@testd.local client-id=node180"
	echo "$(rid 181) worker181@testd.local"                          # request asks condor@
	echo "$(rid 182) condor@testd.local authz=ADVERTISE_STARTD,ADVERTISE_MASTER"
	echo "$(rid 183) evil@testd.local"
	echo "$(rid 184) worker184@testd.local authz=ADVERTISE_STARTD,ADVERTISE_MASTER"
	i=185
	while [ $i -le 192 ]; do
		printf '%s\tworker%d@testd.local\tclient-id=node%d-77\r\n' "$(rid $i)" $i $i
		i=$((i + 1))
	done
	echo "9999999 ghost@testd.local"
	echo "0000001 ghost2@testd.local"
	echo "$(rid 189 | sed 's/^0*//') worker189@testd.local"
	i=196
	while [ $i -le 200 ]; do
		echo "$(rid $i) worker$i@testd.local peer=10.2.0.$i"
		i=$((i + 1))
	done
} >"$T/manifest"
rows=$(grep -c '^[0-9]' "$T/manifest")
if [ "$rows" = 200 ]; then e2e_ok; else e2e_bad "manifest has $rows rows, want 200"; fi

start_testd -seed-file "$T/seeds"
n=$(pending | wc -l)
if [ "$n" = 200 ]; then e2e_ok; else e2e_bad "testd has $n pending requests, want 200"; fi
: >"$T/testd.log"

run "$A" -expect-file "$T/manifest" -audit-log "$T/audit.log" -debug
expect_rc 3 "fleet: an unsafe row makes the exit 3"
approved=$(printf '%s\n' "$OUT" | grep -c ' approved$')
if [ "$approved" = 184 ]; then e2e_ok; else e2e_bad "fleet: $approved approved, want 184"; fi
lines=$(printf '%s\n' "$OUT" | wc -l)
if [ "$lines" = 200 ]; then e2e_ok; else e2e_bad "fleet: $lines report lines, want one per row (200)"; fi
# The report is in the manifest's order.
if [ "$(printf '%s\n' "$OUT" | awk '{ print $1 }')" = "$(awk '/^[0-9]/ { print $1 }' "$T/manifest")" ]; then e2e_ok; else
	e2e_bad "fleet: report rows are not in the manifest's order"; fi
expect_out_has "$(rid 1) approved" "fleet: first row approved"
expect_out_has "$(rid 171) refused: RequestedIdentity differs: expected 'worker999@testd.local', actual 'worker171@testd.local'" "fleet: identity mismatch names both"
expect_out_has "$(rid 172) refused: PeerLocation differs: expected within '10.3.0.0/16', actual '10.2.0.172'" "fleet: peer mismatch"
expect_out_has "$(rid 173) refused: LimitAuthorization differs: expected a subset of 'ADVERTISE_STARTD', actual 'ADVERTISE_STARTD,ADVERTISE_MASTER'" "fleet: authz mismatch"
expect_out_has "$(rid 174) refused: TokenLifetime differs: expected at most 3600, actual 86400" "fleet: lifetime mismatch"
expect_out_has "$(rid 175) refused: ClientId differs: expected 'node175-78', actual 'node175-77'" "fleet: client id mismatch"
expect_out_has "$(rid 176) refused: PeerLocation differs: expected within '10.2.0.177', actual '10.2.0.176'" "fleet: single-address peer"
expect_out_has "$(rid 177) refused: TokenLifetime differs: expected at most 86399, actual 86400" "fleet: lifetime one second over"
expect_out_has "$(rid 178) refused: RequestedIdentity differs" "fleet: identity compared case-sensitively"
expect_out_has "$(rid 181) refused: RequestedIdentity differs: expected 'worker181@testd.local', actual 'condor@testd.local'" "fleet: condor@ request for a worker row"
expect_out_has "$(rid 182) approved" "fleet: condor@ approved where the manifest expects it"
expect_err_has "WARNING: request $(rid 182) is for the condor@ identity" "fleet: condor@ warning"
expect_out_has "$(rid 183) unsafe: the request contains control characters or invalid UTF-8" "fleet: unsafe row"
expect_out_has "$(rid 184) refused: LimitAuthorization differs: expected a subset of 'ADVERTISE_STARTD,ADVERTISE_MASTER', actual 'ADVERTISE_STARTD,ADMINISTRATOR'" "fleet: extra right refused"
expect_out_has "9999999 not-pending: the daemon lists no such pending request" "fleet: unknown ID"
expect_out_has "0000001 not-pending" "fleet: second unknown ID"
expect_out_has "$(rid 189 | sed 's/^0*//') not-pending" "fleet: an ID without its leading zeros is another ID"
expect_err_has "200 expected: 184 approved, 12 refused, 3 not pending, 1 unsafe, 0 failed, 0 not attempted." "fleet: summary line"
if printf '%s%s' "$OUT" "$ERR" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037]')"; then
	e2e_bad "fleet: a raw control byte reached the terminal"
else e2e_ok; fi

# One LIST, one new session; every APPROVE on the resumed session.
n=$(grep -c 'command 60049: new session' "$T/testd.log")
if [ "$n" = 1 ]; then e2e_ok; else e2e_bad "fleet: $n LIST commands on new sessions, want 1"; fi
n=$(grep -c 'new session' "$T/testd.log")
if [ "$n" = 1 ]; then e2e_ok; else e2e_bad "fleet: $n new sessions (key exchanges), want 1"; fi
n=$(grep -c 'command 60050 on resumed session' "$T/testd.log")
if [ "$n" = 184 ]; then e2e_ok; else e2e_bad "fleet: $n resumed APPROVEs, want 184"; fi
n=$(printf '%s\n' "$ERR" | grep -c 'command 60050 to .*: resumed session')
if [ "$n" = 184 ]; then e2e_ok; else e2e_bad "fleet: -debug shows $n resumed APPROVEs, want 184"; fi
n=$(printf '%s\n' "$ERR" | grep -c 'ECDH key exchange done')
if [ "$n" = 1 ]; then e2e_ok; else e2e_bad "fleet: -debug shows $n key exchanges, want 1"; fi

# Exactly the matching rows were approved: what is still pending is the
# refused rows, the unsafe one, and the requests outside the manifest.
pending >"$T/left"
{
	for i in 171 172 173 174 175 176 177 178 179 180 181 183 184; do rid $i; echo; done
	i=193
	while [ $i -le 195 ]; do rid $i; echo; i=$((i + 1)); done
} | sort >"$T/want_left"
if cmp -s "$T/left" "$T/want_left"; then e2e_ok; else
	e2e_bad "fleet: pending after the run differs from the refused + unlisted rows"
	diff "$T/want_left" "$T/left" | head -n 10 >&2
fi

# The audit log: 0600, one JSON line per row, field by field.
perm=$(stat -c %a "$T/audit.log")
if [ "$perm" = 600 ]; then e2e_ok; else e2e_bad "audit log mode $perm, want 600"; fi
if python3 - "$T/audit.log" "$T/manifest" "$PORT" "$ME" <<'EOF'; then e2e_ok; else e2e_bad "audit log lines do not hold what was decided"; fi
import json, sys
log, manifest, port, me = sys.argv[1:]
rows = []
for n, line in enumerate(open(manifest), 1):
    if line[:1].isdigit():
        rows.append((n, line.split()[0]))
lines = [json.loads(l) for l in open(log)]
assert len(lines) == len(rows), (len(lines), len(rows))
want = ["Time", "Epoch", "Tool", "User", "Uid", "Host", "Daemon", "DaemonName", "Method",
        "AuthenticatedAs", "Mode", "Source", "RequestId", "Request", "Decision", "Reason"]
for (n, reqid), d in zip(rows, lines):
    assert list(d) == want, list(d)
    assert d["Daemon"] == "<127.0.0.1:%s>" % port, d["Daemon"]
    assert d["Method"] == "FS" and d["AuthenticatedAs"] == "condor@testd.local", d
    assert d["User"] == me and d["Mode"] == "manifest", d
    assert d["Source"] == "%s:%d" % (manifest, n), (d["Source"], n)
    assert d["RequestId"] == reqid and d["Time"].endswith("Z"), d
    i = None
    if d["Request"] is not None:
        i = int(d["Request"]["ClientId"].split("-")[0][4:])
        assert d["Request"]["PeerLocation"] == "10.2.0.%d" % i
        assert d["Request"]["TokenLifetime"] == 86400
    if i is not None and (i <= 170 or i == 182 or 185 <= i <= 192 or i >= 196):
        assert d["Decision"] == "approve" and d["Reason"] == "matches the manifest row", d
        assert d["Request"]["AuthenticatedIdentity"] == "unauthenticated@unmapped"
    elif d["Request"] is None:
        assert d["Decision"] == "refuse" and d["Reason"] == "not pending", d
    else:
        assert d["Decision"] == "refuse" and d["Reason"], d
        if i == 183:
            assert "\u001b]0;pwned\u0007" in d["Request"]["RequestedIdentity"], d
            assert "control characters" in d["Reason"], d
        else:
            assert "differs" in d["Reason"], d
assert b"\x1b" not in open(log, "rb").read()
EOF

# Run again: the approved rows are no longer pending, nothing new approved.
run "$A" -expect-file "$T/manifest" -audit-log "$T/audit.log"
expect_rc 3 "second run: still the unsafe row"
n=$(printf '%s\n' "$OUT" | grep -c ' approved$')
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "second run approved $n rows"; fi
n=$(printf '%s\n' "$OUT" | grep -c ' not-pending:')
if [ "$n" = 187 ]; then e2e_ok; else e2e_bad "second run: $n not pending, want 187"; fi
n=$(wc -l <"$T/audit.log")
if [ "$n" = 400 ]; then e2e_ok; else e2e_bad "audit log appended: $n lines, want 400"; fi
testd_stop

# ---- exit codes and -json ---------------------------------------------------------------
start_testd -seed-file "$T/seeds"
printf '%s worker1@testd.local\n%s worker2@testd.local peer=10.2.0.2\n' "$(rid 1)" "$(rid 2)" >"$T/m_ok"
run "$A" -expect-file "$T/m_ok"
expect_rc 0 "all rows approved: exit 0"
expect_out "$(rid 1) approved
$(rid 2) approved" "all approved report"
expect_err "2 expected: 2 approved, 0 refused, 0 not pending, 0 unsafe, 0 failed, 0 not attempted." "all approved summary"
printf '%s worker3@testd.local\n%s worker4@testd.local authz=READ\n' "$(rid 3)" "$(rid 4)" >"$T/m_mis"
run "$A" -expect-file "$T/m_mis" -json
expect_rc 2 "a mismatch: exit 2"
if printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [x["Outcome"] for x in d] == ["approved", "refused"], d
assert d[0]["Approved"] is True and d[1]["Approved"] is False
assert d[0]["RequestId"] == sys.argv[1] and d[0]["Line"] == 1 and d[1]["Line"] == 2
assert d[1]["Reason"].startswith("LimitAuthorization differs"), d[1]["Reason"]
assert d[1]["Request"]["RequestedIdentity"] == "worker4@testd.local"
' "$(rid 3)"; then e2e_ok; else e2e_bad "-json: one object per row"; fi
expect_err_has "$(rid 3) approved" "-json: the report goes to stderr"
printf '%s worker5@testd.local\n4242424 nobody@testd.local\n' "$(rid 5)" >"$T/m_np"
run "$A" -expect-file "$T/m_np" -json
expect_rc 2 "not pending: exit 2"
if printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d[1]["Outcome"] == "not-pending" and d[1]["Request"] is None, d
'; then e2e_ok; else e2e_bad "-json: a not-pending row has a null Request"; fi
# Standard input, CR LF line ends, the audit knob from the configuration.
printf '# from stdin\r\n%s worker6@testd.local\r\n%s worker7@testd.local client-id=node7-77\r\n' "$(rid 6)" "$(rid 7)" >"$T/stdin"
printf 'TOKENBOX_AUDIT_LOG = $(LOCAL_DIR)/approvals.log\nLOCAL_DIR = %s\n' "$T" >>"$T/condor_config"
E2E_STDIN=$T/stdin run "$A" -expect-file -
expect_rc 0 "manifest on standard input with CR LF"
expect_out "$(rid 6) approved
$(rid 7) approved" "stdin report"
n=$(grep -c '"Decision":"approve"' "$T/approvals.log" 2>/dev/null)
if [ "$n" = 2 ]; then e2e_ok; else e2e_bad "TOKENBOX_AUDIT_LOG: $n approve lines, want 2"; fi
if grep -q '"Source":"-:2"' "$T/approvals.log"; then e2e_ok; else e2e_bad "stdin rows are named -:LINE"; fi
testd_stop

# ---- malformed manifests approve nothing (and contact nobody) ----------------------------
start_testd -seed-file "$T/seeds"
before=$(pending | wc -l)
: >"$T/testd.log"
bad_case() { # label, expected error line, file contents (printf format)...
	label=$1 want=$2
	shift 2
	# shellcheck disable=SC2059
	printf "$@" >"$T/bad"
	run "$A" -expect-file "$T/bad" -audit-log "$T/bad_audit.log"
	expect_rc 1 "malformed ($label): exit 1"
	expect_err "ERROR: $T/bad:$want
Nothing was approved." "malformed ($label): message"
	expect_out "" "malformed ($label): no report"
}
G="$(rid 10) worker10@testd.local"
bad_case "unknown key" "2: unknown key 'peers' (peer, authz, max-lifetime, client-id)" '%s\n%s peers=10.0.0.0/8\n' "$G" "$(rid 11) worker11@testd.local"
bad_case "bad netblock" "2: expected peer '10.0.0.0/99' is not an address or netblock" '%s\n%s peer=10.0.0.0/99\n' "$G" "$(rid 11) worker11@testd.local"
bad_case "duplicate ID" "3: request $(rid 10) is already expected on line 1" '%s\n\n%s\n' "$G" "$(rid 10) worker11@testd.local"
bad_case "NUL byte" "2: NUL byte" '%s\n%s\000x\n' "$G" "$(rid 11) worker11@testd.local"
bad_case "lone CR" "1: carriage return inside a line (only LF or CR LF end a line)" '%s\r%s\n' "$G" "$(rid 11) worker11@testd.local"
bad_case "long line" "2: line longer than 1024 bytes" '%s\n%s %01100d\n' "$G" "$(rid 11) worker11@testd.local" 0
bad_case "no identity" "1: request $(rid 10) has no expected identity" '%s\n' "$(rid 10)"
bad_case "escape in a row" "2: control character 0x1b" '%s\n%s \033[2J\n' "$G" "$(rid 11) worker11@testd.local"
awk -v g="$G" 'BEGIN { print g; for (i = 0; i < 100000; i++) printf "%07d w%d@testd.local\n", 2000000 + i, i }' >"$T/big"
run "$A" -expect-file "$T/big"
expect_rc 1 "100k rows: exit 1"
expect_err "ERROR: $T/big:4097: more than 4096 rows
Nothing was approved." "100k rows: the row bound"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "# %060d\n", i }' >"$T/huge"
run "$A" -expect-file "$T/huge"
expect_rc 1 "1.2 MB of comments: exit 1"
expect_err "ERROR: $T/huge: larger than 1048576 bytes
Nothing was approved." "1.2 MB of comments: the size bound"
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "%d w@t\n", i }' >"$T/rows"
run "$A" -expect-file "$T/rows"
expect_err "ERROR: $T/rows:4097: more than 4096 rows
Nothing was approved." "5000 short rows: the row bound"
run "$A" -expect-file "$T/none"
expect_err "ERROR: $T/none: cannot read: No such file or directory
Nothing was approved." "missing manifest"
n=$(grep -c 'command' "$T/testd.log")
if [ "$n" = 0 ]; then e2e_ok; else e2e_bad "malformed manifests reached the daemon ($n commands)"; fi
if [ ! -e "$T/bad_audit.log" ] || [ ! -s "$T/bad_audit.log" ]; then e2e_ok; else e2e_bad "malformed manifests wrote audit lines"; fi
after=$(pending | wc -l)
if [ "$before" = 200 ] && [ "$after" = 200 ]; then e2e_ok; else e2e_bad "malformed manifests changed the pending set ($before -> $after)"; fi

# Options that would be a second source of expectations.
run "$A" -expect-file "$T/m_ok" -reqid "$(rid 1)"
expect_rc 1 "-expect-file with -reqid"
expect_err_has "-expect-file cannot be combined with -reqid, -yes or the -expect-* options" "conflict message"
run "$A" -expect-file "$T/m_ok" -yes
expect_rc 1 "-expect-file with -yes"
run "$A" -expect-file "$T/m_ok" -expect-peer 10.0.0.0/8
expect_rc 1 "-expect-file with -expect-peer"
run "$A" -expect-fil "$T/m_ok"
expect_rc 1 "our options are spelled in full"

# ---- an audit log that cannot be written approves nothing -------------------------------
printf '%s worker20@testd.local\n%s worker21@testd.local\n' "$(rid 20)" "$(rid 21)" >"$T/m_audit"
run "$A" -expect-file "$T/m_audit" -audit-log "$T/no/such/dir/audit.log"
expect_rc 1 "audit log in a missing directory"
expect_err "ERROR: cannot open the audit log $T/no/such/dir/audit.log: No such file or directory" "unopenable audit log message"
run "$A" -expect-file "$T/m_audit" -audit-log "$T"
expect_rc 1 "audit log that is a directory"
# The file opens but no byte can be written (file size limit 0): the
# first decision fails to reach the disk and the run stops.
: >"$T/full.log"
# Output goes through pipes: the limit applies to every regular file.
limited() { # command...: runs it under "ulimit -f 0"; sets OUT, ERR, RC
	{ { (trap '' XFSZ; ulimit -f 0; exec "$@") <"${E2E_STDIN:-/dev/null}"; echo $? >"$T/rc"; } |
		cat >"$T/out"; } 2>&1 | cat >"$T/err"
	RC=$(cat "$T/rc")
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
limited "$A" -expect-file "$T/m_audit" -audit-log "$T/full.log"
expect_rc 1 "audit log write fails: exit 1"
expect_err_has "ERROR: cannot write the audit log $T/full.log: File too large" "audit write failure named"
expect_out "$(rid 20) failed: not approved: the audit log could not be written
$(rid 21) skipped: not attempted: the run stopped" "audit write failure report"
# The prompt path fails closed the same way.
answers() { printf "$@" >"$T/stdin"; E2E_STDIN=$T/stdin; export E2E_STDIN; }
answers 'yes\n'
limited "$A" -reqid "$(rid 22)" -audit-log "$T/full.log"
expect_rc 1 "prompt path: audit write fails: exit 1"
expect_err_has "ERROR: cannot write the audit log" "prompt path: audit failure named"
left=$(pending)
for i in 20 21 22; do
	if printf '%s\n' "$left" | grep -q "^$(rid $i)\$"; then e2e_ok; else e2e_bad "request $i approved although its audit line was not written"; fi
done

# ---- the prompt and -yes paths write audit lines too ------------------------------------
answers 'yes\n'
run "$A" -reqid "$(rid 30)" -audit-log "$T/prompt.log"
expect_rc 0 "prompt approve with an audit log"
answers 'no\n'
run "$A" -reqid "$(rid 31)" -audit-log "$T/prompt.log"
expect_rc 1 "prompt refusal with an audit log"
E2E_STDIN=/dev/null
run "$A" -reqid "$(rid 32)" -yes -expect-identity worker32@testd.local -audit-log "$T/prompt.log"
expect_rc 0 "-yes approve with an audit log"
run "$A" -reqid "$(rid 33)" -yes -expect-identity nobody@testd.local -audit-log "$T/prompt.log"
expect_rc 2 "-yes refusal with an audit log"
if python3 - "$T/prompt.log" "$(rid 30)" "$(rid 31)" "$(rid 32)" "$(rid 33)" <<'EOF'; then e2e_ok; else e2e_bad "prompt/-yes audit lines"; fi
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
got = [(x["Mode"], x["RequestId"], x["Decision"], x["Reason"]) for x in d]
want = [("prompt", sys.argv[2], "approve", "confirmed at the prompt"),
        ("prompt", sys.argv[3], "refuse", "not confirmed"),
        ("yes", sys.argv[4], "approve", "matches every expectation"),
        ("yes", sys.argv[5], "refuse", "RequestedIdentity differs: expected 'nobody@testd.local', actual 'worker33@testd.local'")]
assert got == want, got
assert all(x["Source"] is None and x["Request"]["ClientId"] for x in d)
EOF
testd_stop

e2e_done fleet
