#!/bin/sh
# What a build that left something out says when asked for it (TOKENBOX_APPLETS,
# TOKENBOX_METHODS): the applet by name, and a configured method that was
# left out in the error, whether authentication is optional (nothing could
# be offered) or REQUIRED (no method usable).  In the full build nothing is
# left out: the same requests then work or fail for other reasons, and no
# "left out" text appears.
# needs: condor_token_request_approve FS
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${TESTD:?}"
T=$E2E_TMP
ME=$(id -un 2>/dev/null || echo root)
e2e_pool_key
e2e_applet condor_token_request_approve
A=$T/condor_token_request_approve
R1='RequestId=0412345;ClientId=node17-431;PeerLocation=10.1.2.3;RequestedIdentity=worker@testd.local;AuthenticatedIdentity=unauthenticated@unmapped;LimitAuthorization=READ'
testd_launch -pool-key "$T/pool_key" -trust-domain testd.local -admin "condor@* $ME@testd.local" -seed-request "$R1"
printf 'COLLECTOR_HOST = 127.0.0.1:%s\nUID_DOMAIN = testd.local\nTRUST_DOMAIN = testd.local\n' "$PORT" >"$T/condor_config"
export CONDOR_CONFIG="$T/condor_config"

has() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }

# ---- an applet ------------------------------------------------------------------------
run "$TOKENBOX" --version
expect_rc 0 "--version"
if has condor_ping "$TB_APPLETS"; then
	expect_out_has " condor_ping" "--version lists condor_ping"
else
	expect_out_lacks " condor_ping" "--version does not list condor_ping"
	run "$TOKENBOX" condor_ping
	expect_rc 1 "an applet left out"
	expect_err_has "condor_ping" "an applet left out: named"
	expect_err_has "left out" "an applet left out: says so"
fi

# ---- a method -------------------------------------------------------------------------
for auth in PREFERRED REQUIRED; do
	E2E_STDIN=/dev/null run env _CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS=SSL \
		_CONDOR_SEC_CLIENT_AUTHENTICATION=$auth "$A" -reqid 0412345 -yes -expect-identity worker@testd.local
	if has SSL "$TB_METHODS"; then
		# no certificate trust configured: fails, but not for being left out
		expect_rc 1 "SSL only, $auth, full build"
		case $ERR in *"left out"*) e2e_bad "SSL only, $auth: a full build says 'left out': $ERR" ;; *) e2e_ok ;; esac
	else
		expect_rc 1 "SSL only, $auth, SSL left out"
		expect_err_has "SSL left out of this tokenbox build (TOKENBOX_METHODS)" "SSL only, $auth: the reason is in the error"
	fi
done
# FS still works beside a left-out method
run env _CONDOR_SEC_CLIENT_AUTHENTICATION_METHODS=SSL,FS "$A" -reqid 0412345 -yes -expect-identity worker@testd.local
expect_rc 0 "SSL,FS: FS approves"
testd_stop

e2e_done selection
