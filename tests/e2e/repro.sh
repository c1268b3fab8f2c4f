#!/bin/sh
# make dist is reproducible: a second copy of the sources, in another
# directory and built at another time (another time zone, umask and
# locale too), gives a tokenbox byte-identical to the one under test, and
# dist/ holds it as tokenbox-VERSION-ARCH with the man pages and a
# SHA256SUMS that checks.  The Mbed TLS libraries are shared with this
# tree (toolchain/out, read only here), so this is about tokenbox's own
# build; the shipped (stripped, static) x86_64 binary is the one compared.
. tests/e2e/lib.sh
: "${TOKENBOX:?}" "${ARCH:?}"
T=$E2E_TMP
if [ "$ARCH" != x86_64 ]; then
	echo "repro: not run for ARCH=$ARCH (the release build is x86_64, aarch64, armhf)"
	e2e_done repro
	exit $?
fi
TOP=$(pwd)
W=$T/elsewhere/tokenbox-src
mkdir -p "$W/toolchain"
# cp -p keeps the times, so the shared Mbed TLS stamp stays newer than its
# inputs and nothing in toolchain/out is rebuilt.
cp -p Makefile "$W/" && cp -Rp src port docs "$W/" &&
	cp -p toolchain/*.mk toolchain/setup.sh toolchain/mbedtls_config.h "$W/toolchain/" &&
	ln -s "$TOP/toolchain/out" "$W/toolchain/out"
# the same selection as the build under test (the Makefile passes it)
(cd "$W" && umask 077 && TZ=Pacific/Kiritimati LC_ALL=C make -s -j2 dist DIST_ARCHES=x86_64 \
	${TB_APPLETS:+TOKENBOX_APPLETS="$TB_APPLETS"} ${TB_METHODS:+TOKENBOX_METHODS="$TB_METHODS"} \
	${TB_LEGACY:+TOKENBOX_LEGACY="$TB_LEGACY"}) >"$T/make.log" 2>&1
RC=$?
ERR=$(tail -n 5 "$T/make.log")
expect_rc 0 "make dist in a second tree"

version=$(sed -n 's/^VERSION := //p' Makefile)
f=$W/dist/tokenbox-$version-x86_64
if [ -f "$f" ] && cmp -s "$f" "$TOKENBOX"; then e2e_ok; else
	e2e_bad "dist/tokenbox-$version-x86_64 differs from $TOKENBOX (built elsewhere: $(sha256sum "$f" 2>/dev/null | cut -c1-16), here: $(sha256sum "$TOKENBOX" | cut -c1-16))"
fi
if cmp -s "$(dirname "$f")/../build/$(basename "$(dirname "$TOKENBOX")")/tokenbox.debug" \
	"$(dirname "$TOKENBOX")/tokenbox.debug"; then e2e_ok; else
	e2e_bad "the unstripped binaries differ too: a path or date inside?"
fi
run sh -c "cd '$W/dist' && sha256sum -c SHA256SUMS"
expect_rc 0 "SHA256SUMS checks"
for m in docs/*.1; do
	expect_out_has "$(basename "$m"): OK" "SHA256SUMS covers $(basename "$m")"
done
expect_out_has "tokenbox-$version-x86_64: OK" "SHA256SUMS covers the binary"
run ls -l "$f"
case $OUT in -rwxr-xr-x*) e2e_ok ;; *) e2e_bad "release binary mode: $OUT" ;; esac
run strings -a "$f"
expect_out_lacks "$T" "no build path in the binary"
expect_out_lacks "$TOP" "no source path in the binary"
e2e_done repro
