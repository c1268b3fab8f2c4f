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
#   - installs missing Debian packages (musl-tools, cross gcc, qemu-user ...)
#     with apt-get when run as root, else names what is missing and stops;
#   - obtains the Mbed TLS 3.6 LTS source through apt (Debian trixie's source
#     package, from the mirror this machine's apt already uses) or from the
#     tarball named by MBEDTLS_TARBALL, and checks its pinned SHA-256;
#   - for aarch64/armhf, unpacks Debian's musl-dev .debs into a sysroot and
#     writes a gcc specs file pointing at it (no dpkg --add-architecture);
#   - builds static Mbed TLS libraries with toolchain/mbedtls_config.h into
#     toolchain/out/<target>/mbedtls/{include,lib}.
#
# Nothing it fetches is committed: all output is under toolchain/out/.
set -eu

MBEDTLS_VERSION=3.6.6
MBEDTLS_SHA256=8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a
MBEDTLS_ORIG=mbedtls_${MBEDTLS_VERSION}.orig.tar.bz2
MUSL_DEB_SUITE=bookworm

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/toolchain/out
SRCDIR=$OUT/src
JOBS=${JOBS:-2}

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
	x86_64) need_pkgs="$need_pkgs musl-tools gcc" ;;
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

# ---- Mbed TLS source ---------------------------------------------------------
mkdir -p "$SRCDIR"
tarball=$SRCDIR/$MBEDTLS_ORIG
if [ -n "${MBEDTLS_TARBALL:-}" ]; then
	[ -f "$MBEDTLS_TARBALL" ] || die "MBEDTLS_TARBALL=$MBEDTLS_TARBALL does not exist"
	cp "$MBEDTLS_TARBALL" "$tarball.tmp" && mv "$tarball.tmp" "$tarball"
fi
if [ ! -f "$tarball" ]; then
	m=$(mirror)
	[ -n "$m" ] || die "no Debian mirror found in apt's configuration; download mbedtls-$MBEDTLS_VERSION source and run again with MBEDTLS_TARBALL=/path/to/$MBEDTLS_ORIG"
	say "fetching Mbed TLS $MBEDTLS_VERSION source (Debian trixie source package)"
	private_apt "$SRCDIR/apt-src" "deb-src $m trixie main" ||
		die "cannot read trixie's source index from $m; provide MBEDTLS_TARBALL=/path/to/$MBEDTLS_ORIG"
	# shellcheck disable=SC2086
	(cd "$SRCDIR" && apt-get $APTOPT source --download-only -qq "mbedtls=$MBEDTLS_VERSION-*" >/dev/null 2>&1 ||
		apt-get $APTOPT source --download-only -qq mbedtls >/dev/null 2>&1) ||
		die "apt-get source mbedtls failed; provide MBEDTLS_TARBALL=/path/to/$MBEDTLS_ORIG"
	[ -f "$tarball" ] || die "the mirror's mbedtls source is not version $MBEDTLS_VERSION; provide MBEDTLS_TARBALL=/path/to/$MBEDTLS_ORIG"
fi
got=$(sha256_of "$tarball")
if [ "$got" != "$MBEDTLS_SHA256" ]; then
	rm -f "$tarball"
	die "SHA-256 mismatch for $MBEDTLS_ORIG: got $got, want $MBEDTLS_SHA256 (file removed)"
fi

# ---- musl sysroots for the ARM targets ----------------------------------------
musl_sysroot() { # debarch gcc-triplet
	debarch=$1
	triplet=$2
	root=$OUT/sysroot-$debarch
	[ -f "$root/.done" ] && return 0
	m=$(mirror)
	[ -n "$m" ] || die "no Debian mirror found in apt's configuration (needed for musl-dev:$debarch)"
	say "fetching musl-dev:$debarch"
	private_apt "$OUT/apt-$debarch" "deb [arch=$debarch] $m $MUSL_DEB_SUITE main" ||
		die "cannot read the $MUSL_DEB_SUITE $debarch index from $m"
	# shellcheck disable=SC2086
	(cd "$OUT/apt-$debarch" && apt-get $APTOPT download -qq "musl:$debarch" "musl-dev:$debarch" >/dev/null 2>&1) ||
		die "apt-get download musl-dev:$debarch failed"
	rm -rf "$root"
	mkdir -p "$root"
	for d in "$OUT/apt-$debarch"/musl*.deb; do dpkg-deb -x "$d" "$root"; done
	lib=$root/usr/lib/$triplet
	inc=$root/usr/include/$triplet
	[ -f "$lib/libc.a" ] && [ -d "$inc" ] || die "musl-dev:$debarch did not provide $lib/libc.a"
	# Debian's musl-gcc.specs names absolute paths of an installed musl;
	# point them at the unpacked sysroot instead.
	sed -e "s|/usr/lib/$triplet|$lib|g" -e "s|/usr/include/$triplet|$inc|g" \
		"$lib/musl-gcc.specs" >"$root/musl-gcc.specs"
	touch "$root/.done"
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
	want="$MBEDTLS_SHA256 $(sha256_of "$cfg") $(sha256_of "$0") $cc $cflags | $defs"
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
OPT="-Oz -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables -flto -ffat-lto-objects"
for spec in $specs; do
	t=${spec%%-*}
	v=${spec#"$t"}
	case $t in
	x86_64)
		command -v musl-gcc >/dev/null || die "musl-gcc not found (apt-get install musl-tools)"
		AR_FOR=ar build_mbedtls x86_64 "$v" musl-gcc "$OPT"
		;;
	aarch64)
		musl_sysroot arm64 aarch64-linux-musl
		AR_FOR=aarch64-linux-gnu-ar build_mbedtls aarch64 "$v" \
			"aarch64-linux-gnu-gcc -specs=$OUT/sysroot-arm64/musl-gcc.specs" "$OPT"
		;;
	armhf)
		musl_sysroot armhf arm-linux-musleabihf
		AR_FOR=arm-linux-gnueabihf-ar build_mbedtls armhf "$v" \
			"arm-linux-gnueabihf-gcc -specs=$OUT/sysroot-armhf/musl-gcc.specs" "$OPT"
		;;
	host)
		# glibc build used for the ASan/UBSan and fuzzing runs
		AR_FOR=ar build_mbedtls host "$v" gcc "-O1 -g -fPIC"
		;;
	esac
	say "$spec ready"
done
