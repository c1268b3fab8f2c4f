# armhf (ARMv7, hard float): Debian's cross gcc with musl-dev:armhf.
CC := arm-linux-gnueabihf-gcc -specs=$(TOP)/toolchain/out/sysroot-armhf/musl-gcc.specs
TARGET_CFLAGS := -Os
TARGET_LDFLAGS := -static -no-pie
STRIP := arm-linux-gnueabihf-strip
AR := arm-linux-gnueabihf-ar
RUN := qemu-arm
