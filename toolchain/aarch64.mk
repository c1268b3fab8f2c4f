# aarch64: Debian's cross gcc with the unpacked musl-dev:arm64 sysroot.
CC := aarch64-linux-gnu-gcc -specs=$(TOP)/toolchain/out/sysroot-arm64/musl-gcc.specs
TARGET_CFLAGS := -Os
TARGET_LDFLAGS := -static -no-pie
STRIP := aarch64-linux-gnu-strip
AR := aarch64-linux-gnu-ar
RUN := qemu-aarch64
