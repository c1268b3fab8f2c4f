# armhf (ARMv7, hard float, Thumb-2): Debian's cross gcc with the musl that
# toolchain/setup.sh builds.
CC := arm-linux-gnueabihf-gcc -specs=$(TOP)/toolchain/out/musl-armhf/musl-gcc.specs
# -Oz, not position-independent (16 KB less on armhf), no unwind tables, no RELRO and no page-aligned gaps in the file:
# see x86_64.mk (on aarch64 RELRO padded the file to a 64 KiB boundary).
TARGET_CFLAGS := -Oz -fno-pie -fno-asynchronous-unwind-tables -fno-unwind-tables
TARGET_LDFLAGS := -static -no-pie -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=64
LIBC := musl $(MUSL_VERSION)
TARGET_LTO := -flto=auto -ffat-lto-objects
STRIP := arm-linux-gnueabihf-strip
AR := arm-linux-gnueabihf-ar
RUN := qemu-arm
