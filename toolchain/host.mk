# host: glibc gcc with AddressSanitizer + UndefinedBehaviorSanitizer.
# Used only by `make check` for the sanitizer run; never shipped.
CC := gcc
TARGET_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
TARGET_LDFLAGS := -fsanitize=address,undefined
LIBC := glibc
STRIP := true
AR := ar
RUN :=
