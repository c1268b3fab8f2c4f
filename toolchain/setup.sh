#!/bin/sh
# toolchain/setup.sh - prepare everything needed to build tokenbox for the
# given targets (default: all).  Idempotent: finished steps are skipped.
#
#   toolchain/setup.sh [x86_64] [aarch64] [armhf] [host] [ARCH-VARIANT...]
#
# A plain ARCH builds the Mbed TLS that the full tokenbox needs.  A build
# that leaves out SSL or the 9.0-9.8 key path (TOKENBOX_METHODS,
# TOKENBOX_LEGACY) gets an Mbed TLS configured to match, named by what it
# keeps: ARCH-ssl (no legacy key path), ARCH-legacy (no SSL), ARCH-base
# (neither); the Makefile asks for the one it needs.
#
# What it does, per target:
#   - installs missing Debian packages (gcc, the ARM cross compilers,
#     qemu-user, dpkg-dev ...) with apt-get when run as root, else names
#     what is missing and stops;
#   - obtains the Mbed TLS 3.6 LTS and musl 1.2.5 sources through apt
#     (Debian trixie's source packages, from the mirror this machine's apt
#     already uses) or from the files named by MBEDTLS_TARBALL / MUSL_DSC,
#     and checks their pinned SHA-256;
#   - builds musl's static libc (non-PIE) into toolchain/out/musl-<target>/
#     with a gcc specs file pointing at it (x86_64, aarch64, armhf);
#   - builds static Mbed TLS libraries with toolchain/mbedtls_config.h into
#     toolchain/out/<target>/mbedtls/{include,lib}.
#
# Nothing it fetches is committed: all output is under toolchain/out/.
set -eu

MBEDTLS_VERSION=3.6.6
MBEDTLS_SHA256=8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a
MBEDTLS_ORIG=mbedtls_${MBEDTLS_VERSION}.orig.tar.bz2
MUSL_VERSION=1.2.5
MUSL_SHA256=a9a118bbe84d8764da0ea0d28b3ab3fae8477fc7e4085d90102b8596fc7c75e4
MUSL_ORIG=musl_${MUSL_VERSION}.orig.tar.gz
# -Os (musl's configure would pick -O2), -fno-pie: see build_musl.
MUSL_CFLAGS="-Os -fno-pie"

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/toolchain/out
SRCDIR=$OUT/src
JOBS=${JOBS:-2}
# Run from `make ARCH=armhf ...`, the variables given to that make would
# reach the libraries' own makefiles through MAKEFLAGS (musl's has an ARCH).
unset MAKEFLAGS MFLAGS MAKELEVEL

die() {
	echo "toolchain/setup.sh: error: $*" >&2
	exit 1
}
say() { echo "toolchain: $*"; }

specs=${*:-x86_64 aarch64 armhf host}
targets=""
for spec in $specs; do
	t=${spec%%-*}
	case $t in x86_64 | aarch64 | armhf | host) ;; *) die "unknown target '$spec' (x86_64, aarch64, armhf, host, optionally -ssl, -legacy or -base)" ;; esac
	case ${spec#"$t"} in "" | -ssl | -legacy | -base) ;; *) die "unknown Mbed TLS variant in '$spec' (-ssl, -legacy, -base)" ;; esac
	case " $targets " in *" $t "*) ;; *) targets="$targets $t" ;; esac
done

# ---- Debian packages -------------------------------------------------------
need_pkgs="make bzip2 file openssl"
for t in $targets; do
	case $t in
	x86_64) need_pkgs="$need_pkgs gcc dpkg-dev" ;;
	aarch64) need_pkgs="$need_pkgs gcc-aarch64-linux-gnu qemu-user dpkg-dev" ;;
	armhf) need_pkgs="$need_pkgs gcc-arm-linux-gnueabihf qemu-user dpkg-dev" ;;
	host) need_pkgs="$need_pkgs gcc clang libclang-rt-14-dev" ;;
	esac
done
missing=""
for p in $need_pkgs; do
	case " $missing " in *" $p "*) continue ;; esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
apt_updated=""
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		die "missing Debian packages:$missing (install them with: apt-get install$missing)"
	fi
	say "installing:$missing"
	apt-get update -qq || die "apt-get update failed; install$missing by hand"
	apt_updated=1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null ||
		die "apt-get install$missing failed"
fi

# The Debian mirror this machine already uses (never hard-coded here).
mirror() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk '$2 ~ /^[a-z]+$/ { print $1; exit }'
}

# A private apt configuration: its own lists and sources, so the system's
# architectures and indexes are left untouched.
private_apt() { # dir, sources line...
	dir=$1
	shift
	mkdir -p "$dir/lists/partial" "$dir/archives/partial"
	printf '%s\n' "$@" >"$dir/sources.list"
	APTOPT="-o Dir::Etc::SourceList=$dir/sources.list -o Dir::Etc::SourceParts=/dev/null
	 -o Dir::State::Lists=$dir/lists -o Dir::Cache::Archives=$dir/archives
	 -o Dir::State::Status=/dev/null -o APT::Sandbox::User=root
	 -o APT::Architectures::=amd64 -o APT::Architectures::=arm64 -o APT::Architectures::=armhf"
	# shellcheck disable=SC2086
	apt-get $APTOPT update -qq >/dev/null 2>&1 || return 1
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
# pinned FILE SHA256: stop unless FILE is the pinned one (a wrong one is
# removed, so the next run fetches it again).
pinned() {
	got=$(sha256_of "$1")
	if [ "$got" != "$2" ]; then
		rm -f "$1"
		die "SHA-256 mismatch for $(basename "$1"): got $got, want $2 (file removed)"
	fi
}

# ---- sources: Debian trixie's source packages ------------------------------
mkdir -p "$SRCDIR"
apt_src_ready=""
# fetch_source PACKAGE: download trixie's source package PACKAGE into
# $SRCDIR, from the mirror this machine's apt already uses (apt takes no
# version pattern here); the callers check that it is the upstream version
# they pin, by SHA-256.
fetch_source() {
	m=$(mirror)
	[ -n "$m" ] || return 1
	if [ -z "$apt_src_ready" ]; then
		private_apt "$SRCDIR/apt-src" "deb-src $m trixie main" || return 1
		apt_src_ready=1
	fi
	# shellcheck disable=SC2086
	(cd "$SRCDIR" && apt-get $APTOPT source --download-only -qq "$1" >/dev/null 2>&1)
}

# Mbed TLS: the upstream tarball alone (Debian's packaging is not applied).
tarball=$SRCDIR/$MBEDTLS_ORIG
if [ -n "${MBEDTLS_TARBALL:-}" ]; then
	[ -f "$MBEDTLS_TARBALL" ] || die "MBEDTLS_TARBALL=$MBEDTLS_TARBALL does not exist"
	cp "$MBEDTLS_TARBALL" "$tarball.tmp" && mv "$tarball.tmp" "$tarball"
fi
if [ ! -f "$tarball" ]; then
	say "fetching Mbed TLS $MBEDTLS_VERSION source (Debian trixie source package)"
	fetch_source mbedtls && [ -f "$tarball" ] ||
		die "cannot fetch trixie's mbedtls $MBEDTLS_VERSION source from this machine's Debian mirror; download mbedtls-$MBEDTLS_VERSION source and run again with MBEDTLS_TARBALL=/path/to/$MBEDTLS_ORIG"
fi
pinned "$tarball" "$MBEDTLS_SHA256"

# musl: Debian's source package with its patches applied (dpkg-source),
# as Debian ships it: among them a qsort fix that musl 1.2.5 lacks.  Only
# the musl targets need it (host is glibc).
musl_dsc() { ls "$SRCDIR"/musl_"$MUSL_VERSION"-*.dsc 2>/dev/null | sort | tail -n 1; }
case " $targets " in
*" x86_64 "* | *" aarch64 "* | *" armhf "*)
	if [ -n "${MUSL_DSC:-}" ]; then
		[ -f "$MUSL_DSC" ] || die "MUSL_DSC=$MUSL_DSC does not exist"
		d=$(dirname "$MUSL_DSC")
		for f in "$MUSL_DSC" "$d/$MUSL_ORIG" "$d"/musl_"$MUSL_VERSION"-*.debian.tar.*; do
			[ -f "$f" ] || die "MUSL_DSC: $f is missing beside it"
			cp "$f" "$SRCDIR/"
		done
	fi
	if [ -z "$(musl_dsc)" ]; then
		say "fetching musl $MUSL_VERSION source (Debian trixie source package)"
		fetch_source musl && [ -n "$(musl_dsc)" ] ||
			die "cannot fetch trixie's musl $MUSL_VERSION source from this machine's Debian mirror; download that source package (.dsc, .orig.tar.gz, .debian.tar.xz) and run again with MUSL_DSC=/path/to/musl_$MUSL_VERSION-N.dsc"
	fi
	pinned "$SRCDIR/$MUSL_ORIG" "$MUSL_SHA256"
	;;
esac

# ---- musl per target -------------------------------------------------------
# Built from source rather than taken from Debian's musl-dev: that libc.a is
# position-independent code (GOT-relative loads and calls), which a static
# non-PIE binary only pays for, 13 KB of it on armhf.  Installed into
# toolchain/out/musl-<target>/ with a gcc specs file pointing at it.
build_musl() { # target musl-triplet tool-prefix musl-arch-name
	t=$1
	triplet=$2
	pre=$3
	cc=${pre}gcc
	ldso=/lib/ld-musl-$4.so.1
	dest=$OUT/musl-$t
	dsc=$(musl_dsc)
	want="$(sha256_of "$dsc") $(sha256_of "$0") $cc $MUSL_CFLAGS"
	if [ -f "$dest/.stamp" ] && [ "$(cat "$dest/.stamp")" = "$want" ]; then
		return 0
	fi
	say "building musl $(basename "$dsc" .dsc | sed 's/^musl_//') for $t"
	work=$OUT/musl-$t-build
	rm -rf "$work" "$dest"
	mkdir -p "$OUT"
	dpkg-source -x "$dsc" "$work" >"$OUT/musl-$t-extract.log" 2>&1 ||
		{
			tail -n 20 "$OUT/musl-$t-extract.log" >&2
			die "unpacking $dsc failed"
		}
	(cd "$work" && ./configure --target="$triplet" --prefix="$dest" --disable-shared --disable-wrapper \
		CC="$cc" CFLAGS="$MUSL_CFLAGS" >build.log 2>&1 &&
		make -j"$JOBS" AR="${pre}ar" RANLIB="${pre}ranlib" >>build.log 2>&1 &&
		make install AR="${pre}ar" RANLIB="${pre}ranlib" >>build.log 2>&1) ||
		{
			tail -n 30 "$work/build.log" >&2
			die "musl build for $t failed (log: $work/build.log)"
		}
	sh "$work/tools/musl-gcc.specs.sh" "$dest/include" "$dest/lib" "$ldso" >"$dest/musl-gcc.specs"
	rm -rf "$work" "$OUT/musl-$t-extract.log"
	echo "$want" >"$dest/.stamp"
}

# ---- Mbed TLS per target -----------------------------------------------------------
# The features a variant keeps, as the defines toolchain/mbedtls_config.h
# reads (the same names the Makefile gives tokenbox's own sources).
variant_defs() {
	case $1 in
	"") echo "-DTOKENBOX_METHOD_SSL -DTOKENBOX_LEGACY" ;;
	-ssl) echo "-DTOKENBOX_METHOD_SSL" ;;
	-legacy) echo "-DTOKENBOX_LEGACY" ;;
	-base) echo "" ;;
	esac
}

build_mbedtls() { # target variant cc cflags
	t=$1
	v=$2
	cc=$3
	cflags=$4
	defs=$(variant_defs "$v")
	dest=$OUT/$t/mbedtls$v
	cfg=$TOP/toolchain/mbedtls_config.h
	stamp=$dest/.stamp
	# compiled against that target's musl headers: rebuilt with it
	want="$MBEDTLS_SHA256 $(sha256_of "$cfg") $(sha256_of "$0") $cc $cflags | $defs | $(cat "$OUT/musl-$t/.stamp" 2>/dev/null || true)"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		return 0
	fi
	say "building Mbed TLS $MBEDTLS_VERSION for $t${v:+ (variant ${v#-})}"
	work=$OUT/$t/mbedtls$v-build
	rm -rf "$work" "$dest"
	mkdir -p "$work" "$dest/lib"
	tar -xjf "$tarball" -C "$work" --strip-components=1
	mcflags="$cflags $defs -I$TOP/toolchain -DMBEDTLS_CONFIG_FILE='<mbedtls_config.h>'"
	make -s -C "$work/library" -j"$JOBS" CC="$cc" AR="${AR_FOR:-ar}" CFLAGS="$mcflags" \
		libmbedcrypto.a libmbedx509.a libmbedtls.a >"$work/build.log" 2>&1 ||
		{
			tail -n 30 "$work/build.log" >&2
			die "Mbed TLS build for $t failed (log: $work/build.log)"
		}
	cp "$work/library/libmbedcrypto.a" "$work/library/libmbedx509.a" "$work/library/libmbedtls.a" "$dest/lib/"
	cp -R "$work/include" "$dest/include"
	cp "$TOP/toolchain/mbedtls_config.h" "$dest/include/"
	rm -rf "$work"
	echo "$want" >"$stamp"
}

[ -f "$TOP/toolchain/mbedtls_config.h" ] || die "toolchain/mbedtls_config.h is missing"
# For size (-Oz, as tokenbox's own code: see toolchain/x86_64.mk), no unwind
# tables (nothing in a C program of ours unwinds), fat LTO objects (the
# tokenbox link optimises across Mbed TLS and our code).
OPT="-Oz -fno-pie -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables -flto -ffat-lto-objects"
for spec in $specs; do
	t=${spec%%-*}
	v=${spec#"$t"}
	case $t in
	x86_64)
		build_musl x86_64 x86_64-linux-musl "" x86_64
		AR_FOR=ar build_mbedtls x86_64 "$v" "gcc -specs=$OUT/musl-x86_64/musl-gcc.specs" "$OPT"
		;;
	aarch64)
		build_musl aarch64 aarch64-linux-musl aarch64-linux-gnu- aarch64
		AR_FOR=aarch64-linux-gnu-ar build_mbedtls aarch64 "$v" \
			"aarch64-linux-gnu-gcc -specs=$OUT/musl-aarch64/musl-gcc.specs" "$OPT"
		;;
	armhf)
		build_musl armhf arm-linux-musleabihf arm-linux-gnueabihf- armhf
		AR_FOR=arm-linux-gnueabihf-ar build_mbedtls armhf "$v" \
			"arm-linux-gnueabihf-gcc -specs=$OUT/musl-armhf/musl-gcc.specs" "$OPT"
		;;
	host)
		# glibc build used for the ASan/UBSan and fuzzing runs
		AR_FOR=ar build_mbedtls host "$v" gcc "-O1 -g -fPIC"
		;;
	esac
	say "$spec ready"
done
