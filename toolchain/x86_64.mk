# x86_64: Debian's musl-gcc wrapper, fully static.
# (-static-pie silently yields a dynamic binary with this musl, so plain -static.)
CC := musl-gcc
TARGET_CFLAGS := -Os
TARGET_LDFLAGS := -static
STRIP := strip
AR := ar
RUN :=
