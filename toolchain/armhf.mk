# armhf (ARMv7, hard float): Debian's cross gcc with musl-dev:armhf.
CC := arm-linux-gnueabihf-gcc -specs=$(TOP)/toolchain/out/sysroot-armhf/musl-gcc.specs
TARGET_CFLAGS := -Os -fno-asynchronous-unwind-tables -fno-unwind-tables
TARGET_LDFLAGS := -static -no-pie -Wl,-z,noseparate-code -Wl,-z,norelro
TARGET_LTO := -flto=auto -ffat-lto-objects
STRIP := arm-linux-gnueabihf-strip
AR := arm-linux-gnueabihf-ar
RUN := qemu-arm
