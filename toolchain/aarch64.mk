# aarch64: Debian's cross gcc with the unpacked musl-dev:arm64 sysroot.
CC := aarch64-linux-gnu-gcc -specs=$(TOP)/toolchain/out/sysroot-arm64/musl-gcc.specs
TARGET_CFLAGS := -Os -fno-asynchronous-unwind-tables -fno-unwind-tables
TARGET_LDFLAGS := -static -no-pie -Wl,-z,noseparate-code -Wl,-z,norelro
TARGET_LTO := -flto=auto -ffat-lto-objects
STRIP := aarch64-linux-gnu-strip
AR := aarch64-linux-gnu-ar
RUN := qemu-aarch64
