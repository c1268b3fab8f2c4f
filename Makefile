# tokenbox - one static multi-call binary of HTCondor token tools.
#
#   make                     build build/x86_64/tokenbox (static, stripped)
#   make ARCH=aarch64|armhf  cross-build (static, musl)
#   make check               every test: unit tests on all three targets (ARM
#                            under qemu-user), end-to-end tests, the ASan+UBSan
#                            run, and a short fuzzing run; ends with
#                            "N passed, N failed"
#   make demo                the approve flow against the bundled test daemon
#   make dist                dist/: tokenbox-VERSION-ARCH for each architecture,
#                            the man pages, SHA256SUMS (reproducible)
#   make install PREFIX=/usr/local DESTDIR=
#   make bench               benchmarks (bench/), results printed
#   make fuzz FUZZ_SECONDS=N  a long fuzzing campaign, N seconds per target
#   make clean
#
# Sources are discovered: src/*.c (the core), port/posix/*.c, port/p256/*.c and
# port/mbedtls/*.c (the port layer), tests/unit/test_*.c (one program each),
# tests/tools/*.c, tests/testd/*.c (the test daemon), tests/fuzz/fuzz_*.c,
# bench/bench_*.c.  Adding a file needs no change here.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ARCH ?= x86_64
ARCHES := x86_64 aarch64 armhf
VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=

ifeq ($(filter $(ARCH),$(ARCHES) host),)
$(error ARCH must be one of: $(ARCHES) host)
endif
# The musl that toolchain/setup.sh builds (one version for every target).
MUSL_VERSION := $(shell sed -n 's/^MUSL_VERSION=//p' $(TOP)/toolchain/setup.sh)
include $(TOP)/toolchain/$(ARCH).mk

# What goes into the binary (busybox/dropbear style), chosen at build time:
#   make TOKENBOX_APPLETS="condor_token_request_approve" TOKENBOX_METHODS="FS TOKEN"
#   make TOKENBOX_LEGACY=no      (no 9.0-9.8 key path: 3DES, the K2 key)
# What is left out is not linked; asking for it says so.  A selection other
# than the default builds in its own directory, build/ARCH-SELECTION.
ALL_APPLETS := condor_token_request_approve condor_token_request condor_token_request_list condor_token_fetch condor_token_request_auto_approve condor_token_create condor_token_list condor_ping config
ALL_METHODS := FS TOKEN SSL CLAIMTOBE
TOKENBOX_APPLETS ?= $(ALL_APPLETS)
TOKENBOX_METHODS ?= $(ALL_METHODS)
TOKENBOX_LEGACY ?= yes
ifneq ($(filter-out $(ALL_APPLETS),$(TOKENBOX_APPLETS)),)
$(error TOKENBOX_APPLETS: unknown applet(s) $(filter-out $(ALL_APPLETS),$(TOKENBOX_APPLETS)); known: $(ALL_APPLETS))
endif
ifneq ($(filter-out $(ALL_METHODS),$(TOKENBOX_METHODS)),)
$(error TOKENBOX_METHODS: unknown method(s) $(filter-out $(ALL_METHODS),$(TOKENBOX_METHODS)); known: $(ALL_METHODS))
endif
ifeq ($(strip $(TOKENBOX_APPLETS)),)
$(error TOKENBOX_APPLETS is empty)
endif
ifeq ($(strip $(TOKENBOX_METHODS)),)
$(error TOKENBOX_METHODS is empty)
endif
ifeq ($(filter $(TOKENBOX_LEGACY),yes no),)
$(error TOKENBOX_LEGACY must be yes or no)
endif
# In the order `tokenbox` lists them, whatever order they were given in.
SEL_APPLETS := $(filter $(TOKENBOX_APPLETS),$(ALL_APPLETS))
SEL_METHODS := $(filter $(TOKENBOX_METHODS),$(ALL_METHODS))
SEL_DEFAULT := $(and $(filter $(SEL_APPLETS),$(ALL_APPLETS)),$(if $(filter-out $(SEL_APPLETS),$(ALL_APPLETS)),,y),$(if $(filter-out $(SEL_METHODS),$(ALL_METHODS)),,y),$(filter yes,$(TOKENBOX_LEGACY)))
SEL_TAG := $(if $(SEL_DEFAULT),,-$(shell printf '%s|%s|%s' '$(SEL_APPLETS)' '$(SEL_METHODS)' '$(TOKENBOX_LEGACY)' | cksum | cut -d' ' -f1))
SEL_DEFS := $(addprefix -DTOKENBOX_APPLET_,$(SEL_APPLETS)) $(addprefix -DTOKENBOX_METHOD_,$(SEL_METHODS)) $(if $(filter yes,$(TOKENBOX_LEGACY)),-DTOKENBOX_LEGACY)

B := build/$(ARCH)$(SEL_TAG)
# Mbed TLS configured to match (toolchain/mbedtls_config.h): the full
# library, or one without SSL (-legacy), without the legacy key path (-ssl),
# or without both (-base).  The session keys' P-256 is our own (port/p256).
MBED_VARIANT := $(if $(filter SSL,$(SEL_METHODS)),$(if $(filter yes,$(TOKENBOX_LEGACY)),,-ssl),$(if $(filter yes,$(TOKENBOX_LEGACY)),-legacy,-base))
MBED := toolchain/out/$(ARCH)/mbedtls$(MBED_VARIANT)
MBED_STAMP := $(MBED)/.stamp
MBED_LIBS := $(MBED)/lib/libmbedtls.a $(MBED)/lib/libmbedx509.a $(MBED)/lib/libmbedcrypto.a
# Mbed TLS calls back into the port layer (mbedtls_hardware_poll): one group.
LIBS = -Wl,--start-group $(B)/libtokenbox.a $(MBED_LIBS) -Wl,--end-group

# Applets built, in the order `tokenbox` lists them (checked by tests/e2e/cli.sh).
APPLETS := $(SEL_APPLETS)

# snprintf into a fixed buffer is the deliberate idiom for messages (which may
# be cut); gcc's truncation warning depends on the optimisation level, so it
# is off.  Values that must not be cut (paths, keys) are length-checked.
WARN := -std=c11 -Wall -Wextra -Werror -Wvla -Wno-format-truncation
# The core is one folder per step of the data path (src/cli, src/config,
# src/locate, src/cedar, src/security, src/command, src/classad, src/applet,
# src/util); each is on the include path so headers are named plainly.
SRC_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard src/*/*.c src/*/*.h))))
CPPFLAGS := -I. -Isrc $(addprefix -I,$(SRC_DIRS)) -D_DEFAULT_SOURCE -D_GNU_SOURCE -DTOKENBOX_VERSION='"$(VERSION)"' $(SEL_DEFS)
CFLAGS := $(WARN) $(TARGET_CFLAGS) -ffunction-sections -fdata-sections -MMD -MP
LDFLAGS := $(TARGET_LDFLAGS) -Wl,--gc-sections

CORE_SRC := $(sort $(wildcard src/*/*.c)) $(sort $(wildcard port/posix/*.c)) $(sort $(wildcard port/p256/*.c)) $(sort $(wildcard port/mbedtls/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(B)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)
TESTD_SRC := $(wildcard tests/testd/*.c)
TESTD_OBJ := $(TESTD_SRC:%.c=$(B)/obj/%.o)
TESTD_BIN := $(if $(TESTD_SRC),$(B)/testd)
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

.PHONY: all toolchain check check-arch check-fuzz fuzz demo dist install bench bench-sizes clean test-progs
.DEFAULT_GOAL := all

all: $(B)/tokenbox $(B)/tokenbox.map

toolchain: $(MBED_STAMP)

$(MBED_STAMP): toolchain/setup.sh toolchain/mbedtls_config.h
	sh toolchain/setup.sh $(ARCH)$(MBED_VARIANT)

# `tokenbox --version` names the target it was built for.
$(B)/obj/src/main.o: CPPFLAGS += -DTOKENBOX_ARCH='"$(ARCH)"' -DTOKENBOX_LIBC='"$(LIBC)"'

# Only the Mbed TLS facade may see Mbed TLS headers.
$(B)/obj/port/mbedtls/%.o: CPPFLAGS += -I$(MBED)/include -DMBEDTLS_CONFIG_FILE='<mbedtls_config.h>'

# An object depends on its target's flags (toolchain/ARCH.mk) too.
# TARGET_LTO (toolchain/ARCH.mk): objects carry both machine code and GCC's
# intermediate code ("fat"): test programs link the machine code as usual,
# the shipped binary is optimised as one program at link time.
$(B)/obj/%.o: %.c $(MBED_STAMP) toolchain/$(ARCH).mk
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(TARGET_LTO) -c $< -o $@

$(B)/libtokenbox.a: $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The TLS server engine exists for the test daemon; wrapping Mbed TLS's
# server state machines to stubs (port/mbedtls/tls_no_server.c) keeps its
# code out of the shipped binary.
# (--undefined: with link-time optimisation the stubs must be asked for by
# name, or they are not pulled from the archive before the wrapping.)
NO_TLS_SERVER := -Wl,--wrap=mbedtls_ssl_handshake_server_step -Wl,--wrap=mbedtls_ssl_tls13_handshake_server_step \
	-Wl,--undefined=__wrap_mbedtls_ssl_handshake_server_step -Wl,--undefined=__wrap_mbedtls_ssl_tls13_handshake_server_step

$(B)/tokenbox.debug: $(B)/obj/src/main.o $(B)/libtokenbox.a
	$(CC) $(CFLAGS) $(TARGET_LTO) $(LDFLAGS) $(NO_TLS_SERVER) -o $@ $(B)/obj/src/main.o $(LIBS)

# bench/sizes.sh reads the share of each module, of Mbed TLS and of libc
# from a link map.  Link-time optimisation merges modules, so the map comes
# from the same link without it (the machine code of the fat objects); its
# total is a few per cent above the shipped binary's.
$(B)/tokenbox.map: $(B)/obj/src/main.o $(B)/libtokenbox.a
	$(CC) $(CFLAGS) -fno-lto $(LDFLAGS) $(NO_TLS_SERVER) -Wl,-Map=$@.tmp -o $(B)/tokenbox.nolto $(B)/obj/src/main.o $(LIBS)
	rm -f $(B)/tokenbox.nolto && mv $@.tmp $@

$(B)/tokenbox: $(B)/tokenbox.debug
	cp $< $@.tmp && $(STRIP) $@.tmp && mv $@.tmp $@

$(B)/tests/%: tests/unit/%.c $(B)/libtokenbox.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

$(B)/tools/%: tests/tools/%.c $(B)/libtokenbox.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

$(B)/testd: $(TESTD_OBJ) $(B)/libtokenbox.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TESTD_OBJ) $(LIBS)

$(B)/bench/%: bench/%.c $(B)/libtokenbox.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

test-progs: $(B)/tokenbox $(UNIT_BIN) $(TOOL_BIN) $(TESTD_BIN)

# Run this architecture's tests; results go to $(B)/results.txt.
# What this build holds goes to the runner: a test whose "needs:" line names
# something left out is skipped and counted as skipped, never as passed.
check-arch: test-progs
	TB_APPLETS="$(SEL_APPLETS)" TB_METHODS="$(SEL_METHODS)" TB_LEGACY=$(TOKENBOX_LEGACY) \
		sh tests/run.sh $(ARCH) "$(RUN)" $(B)

# --- fuzzing (clang + libFuzzer, host only) -------------------------------
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FZ := build/fuzz
FUZZ_CORE_OBJ := $(CORE_SRC:%.c=$(FZ)/obj/%.o)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FZ)/%)
FUZZ_CFLAGS := -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=fuzzer-no-link,address,undefined
FUZZ_SECONDS ?= 10
HOST_MBED := toolchain/out/host/mbedtls

$(FZ)/obj/port/mbedtls/%.o: CPPFLAGS += -I$(HOST_MBED)/include -DMBEDTLS_CONFIG_FILE='<mbedtls_config.h>'
# fuzz_p256 compares port/p256 with Mbed TLS's ECP, so it sees Mbed TLS too.
$(FZ)/fuzz_p256: CPPFLAGS += -I$(HOST_MBED)/include -DMBEDTLS_CONFIG_FILE='<mbedtls_config.h>'
$(FZ)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -c $< -o $@
$(FZ)/%: tests/fuzz/%.c $(FUZZ_CORE_OBJ)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< -Wl,--start-group $(FUZZ_CORE_OBJ) $(HOST_MBED)/lib/libmbedtls.a $(HOST_MBED)/lib/libmbedx509.a $(HOST_MBED)/lib/libmbedcrypto.a -Wl,--end-group

# Keep the instrumented core objects between runs (make would delete them
# as intermediates and recompile everything with clang each time).
.SECONDARY: $(FUZZ_CORE_OBJ)

check-fuzz: $(FUZZ_BIN)
	sh tests/fuzz/run.sh $(FZ) $(FUZZ_SECONDS)

# A long campaign: every target FUZZ_SECONDS on a corpus kept in build/fuzz
# between runs (FUZZ_TARGETS="fuzz_x fuzz_y" to choose).
fuzz:
	sh toolchain/setup.sh host
	$(MAKE) ARCH=host $(FUZZ_BIN)
	sh tests/fuzz/campaign.sh $(FZ) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# --- the whole suite -------------------------------------------------------
# The full build on every architecture, then the smallest useful one (approve
# only, FS and TOKEN), whose tests needing what it lacks are skipped by name.
SMALLEST := TOKENBOX_APPLETS=condor_token_request_approve TOKENBOX_METHODS="FS TOKEN"

# The builds use CHECK_JOBS compilers at once (the tests themselves run one
# after another): CI has two cores.
CHECK_JOBS ?= 2
check:
	sh toolchain/setup.sh $(ARCHES) host
	@rm -f build/*/results.txt
	$(MAKE) -j$(CHECK_JOBS) ARCH=x86_64 check-arch
	$(MAKE) -j$(CHECK_JOBS) ARCH=aarch64 check-arch
	$(MAKE) -j$(CHECK_JOBS) ARCH=armhf check-arch
	$(MAKE) -j$(CHECK_JOBS) ARCH=x86_64 $(SMALLEST) check-arch
	$(MAKE) -j$(CHECK_JOBS) ARCH=aarch64 $(SMALLEST) check-arch
	$(MAKE) -j$(CHECK_JOBS) ARCH=armhf $(SMALLEST) check-arch
	$(MAKE) -j$(CHECK_JOBS) ARCH=host check-arch
	$(MAKE) -j$(CHECK_JOBS) ARCH=host check-fuzz
	sh tests/summary.sh build/*/results.txt

demo: $(B)/tokenbox $(TESTD_BIN)
	sh tests/e2e/demo.sh $(B)

# bench/sizes.sh: binary sizes of every built arch, and the peak RSS of
# one approve LIST against the test daemon (x86_64 builds).
SIZES_DEPS := $(if $(filter x86_64,$(ARCH)),$(B)/tokenbox $(TESTD_BIN))

bench: $(BENCH_BIN) $(SIZES_DEPS)
	@for b in $(BENCH_BIN); do $(RUN) $$b || exit 1; done
	@sh bench/sizes.sh

bench-sizes: $(SIZES_DEPS)
	@sh bench/sizes.sh

# dist/: what admins copy to nodes -- tokenbox-VERSION-ARCH for each
# architecture, the man pages, and SHA256SUMS over them.  The binaries hold
# nothing of the place or time of the build (no paths, dates or host
# names; sources in a fixed order), so two builds of one commit give the
# same files: tests/e2e/repro.sh builds a second tree and compares.
DIST_ARCHES ?= $(ARCHES)

dist:
	for a in $(DIST_ARCHES); do $(MAKE) ARCH=$$a build/$$a$(SEL_TAG)/tokenbox || exit 1; done
	rm -rf dist && mkdir dist
	for a in $(DIST_ARCHES); do cp build/$$a$(SEL_TAG)/tokenbox dist/tokenbox-$(VERSION)-$$a; done
	cp docs/*.1 dist/
	chmod 0755 dist/tokenbox-* && chmod 0644 dist/*.1
	cd dist && LC_ALL=C sha256sum tokenbox-* *.1 >SHA256SUMS

install: $(B)/tokenbox
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(B)/tokenbox $(DESTDIR)$(PREFIX)/bin/tokenbox
	# "config" is reached as "tokenbox config" only: no generic name on PATH.
	for a in $(filter condor_%,$(APPLETS)); do ln -sf tokenbox $(DESTDIR)$(PREFIX)/bin/$$a; done
	for m in $(wildcard docs/*.1); do install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man1/; done

clean:
	rm -rf build dist

-include $(shell find $(B)/obj $(FZ)/obj -name '*.d' 2>/dev/null)
