# x86_64: Debian's gcc with the musl that toolchain/setup.sh builds, fully
# static and not position-independent (-fno-pie, -no-pie: Debian's gcc makes
# PIE code by default, which a static binary only pays for in size).
# -Oz (gcc 12); no unwind tables (nothing unwinds a C program of ours;
# .eh_frame was a tenth of the binary); no page-aligned gaps between code
# and data in the file (-z noseparate-code, -z common-page-size=64: the
# data segment starts right after the code instead of on the next 4 KiB
# boundary); no RELRO (musl applies it only when a dynamic linker runs, so
# in a static binary it only cost padding); memcpy through port/posix/fastcopy.c (musl's
# `rep movsq` is slow for the small copies of bignum code; --undefined pulls
# it from libtokenbox.a before libc, whose own memcpy calls come last).
CC := gcc -specs=$(TOP)/toolchain/out/musl-x86_64/musl-gcc.specs
TARGET_CFLAGS := -Oz -fno-pie -fno-asynchronous-unwind-tables -fno-unwind-tables -DTOKENBOX_WRAP_MEMCPY
TARGET_LDFLAGS := -static -no-pie -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=64 -Wl,--wrap=memcpy -Wl,--undefined=__wrap_memcpy
LIBC := musl $(MUSL_VERSION)
TARGET_LTO := -flto=auto -ffat-lto-objects
STRIP := strip
AR := ar
RUN :=
