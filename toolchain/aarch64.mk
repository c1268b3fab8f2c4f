# aarch64: Debian's cross gcc with the musl that toolchain/setup.sh builds.
CC := aarch64-linux-gnu-gcc -specs=$(TOP)/toolchain/out/musl-aarch64/musl-gcc.specs
# -Oz, not position-independent (5 KB less), no unwind tables, no RELRO and
# no page-aligned gaps in the file:
# see x86_64.mk (on aarch64 RELRO padded the file to a 64 KiB boundary).
TARGET_CFLAGS := -Oz -fno-pie -fno-asynchronous-unwind-tables -fno-unwind-tables
TARGET_LDFLAGS := -static -no-pie -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=64
LIBC := musl $(MUSL_VERSION)
TARGET_LTO := -flto=auto -ffat-lto-objects
STRIP := aarch64-linux-gnu-strip
AR := aarch64-linux-gnu-ar
RUN := qemu-aarch64
