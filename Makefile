# Kith — build, run, test, bench, image.
#
# Modules are found by folder, so adding a .c file never needs a Makefile edit:
#   firmware/common, firmware/store, firmware/nfc/ndef.c,
#   firmware/venue/poly.c                                 -> libkith.a (shared with tools/)
#   the rest of firmware/ (minus main.c)                   -> libkiosk.a  -> build/kiosk
#   tools/kioskctl (minus main.c)                          -> libkioskctl.a -> build/kioskctl
#   tools/pn532-sim                                        -> build/pn532-sim
#   tests/unit/test_*.c                                    -> build/tests/test_* (cmocka)
#   tests/fuzz/*_fuzzer.c                                  -> build/fuzz/* (clang libFuzzer)
#   tests/bench/*.c                                        -> build/bench/* (make bench drivers)
# `make SANITIZE=1` builds the same tree with ASan+UBSan into build/asan/, and
# `make SANITIZE=thread` with ThreadSanitizer into build/tsan/.

BUILD    ?= build
SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD    := build/asan
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SANITIZE),thread)
BUILD    := build/tsan
SANFLAGS := -fsanitize=thread -fno-omit-frame-pointer
endif

CC       ?= cc
PKG_CONFIG ?= pkg-config
PKGS     := sdl2 SDL2_ttf libnfc sqlite3 libxml-2.0 json-c fontconfig fribidi harfbuzz libsodium espeak-ng
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(SANFLAGS) -MMD -MP \
            -Ifirmware -DKITH_VERSION='"$(VERSION)"'
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lpthread -lm
LDFLAGS  += $(SANFLAGS)

CORE_SRC     := $(sort $(wildcard firmware/common/*.c firmware/store/*.c) $(wildcard firmware/nfc/ndef.c firmware/venue/poly.c))
KIOSK_ALL    := $(sort $(wildcard firmware/*.c firmware/*/*.c firmware/*/*/*.c))
KIOSK_SRC    := $(filter-out $(CORE_SRC) firmware/main.c,$(KIOSK_ALL))
KIOSKCTL_SRC := $(filter-out tools/kioskctl/main.c,$(sort $(wildcard tools/kioskctl/*.c)))
SIM_SRC      := $(sort $(wildcard tools/pn532-sim/*.c))
UNIT_SRC     := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/*_fuzzer.c))
BENCH_SRC    := $(sort $(wildcard tests/bench/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIBKITH     := $(BUILD)/libkith.a
LIBKIOSK    := $(BUILD)/libkiosk.a
LIBKIOSKCTL := $(BUILD)/libkioskctl.a
UNIT_BIN    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FUZZ_BIN    := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
BENCH_BIN   := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

PROGRAMS := $(BUILD)/kiosk $(BUILD)/kioskctl $(BUILD)/pn532-sim

.PHONY: all deps run run-fleet test test-unit fuzz bench screenshots image image-test deb clean
# Objects of test and bench drivers are intermediate to make: keep them, or every make rebuilds.
.SECONDARY:
all: $(PROGRAMS) $(UNIT_BIN) $(BENCH_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(LIBKITH): $(call obj,$(CORE_SRC))
$(LIBKIOSK): $(call obj,$(KIOSK_SRC))
$(LIBKIOSKCTL): $(call obj,$(KIOSKCTL_SRC))
$(LIBKITH) $(LIBKIOSK) $(LIBKIOSKCTL):
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/kiosk: $(call obj,firmware/main.c) $(LIBKIOSK) $(LIBKITH)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
$(BUILD)/kioskctl: $(call obj,tools/kioskctl/main.c) $(LIBKIOSKCTL) $(LIBKITH)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
$(BUILD)/pn532-sim: $(call obj,$(SIM_SRC)) $(LIBKITH)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -lutil -o $@

$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(LIBKIOSKCTL) $(LIBKIOSK) $(LIBKITH)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -o $@

# Benchmark drivers (tests/bench/*.c): built with everything so they never rot.
$(BUILD)/bench/%: $(call obj,tests/bench/%.c) $(LIBKIOSKCTL) $(LIBKIOSK) $(LIBKITH)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# libFuzzer harnesses: clang only, each compiled with the parser sources it exercises.
FUZZ_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -Ifirmware $(PKG_CFLAGS) \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -DKITH_VERSION='"fuzz"'
# FUZZ_KIOSK_SRC: the parsers outside libkith that a harness reaches.
FUZZ_KIOSK_SRC := firmware/app/config.c firmware/sync/mountinfo.c firmware/sync/exchange.c \
		  firmware/sync/stickfile.c firmware/sync/syncthing_api.c
build/fuzz/%: tests/fuzz/%.c $(CORE_SRC) $(KIOSKCTL_SRC) $(FUZZ_KIOSK_SRC)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $< $(CORE_SRC) $(KIOSKCTL_SRC) $(FUZZ_KIOSK_SRC) $(LDLIBS) -o $@
fuzz: $(FUZZ_BIN)

deps:
	@tools/install-deps.sh build test

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run-demo.sh

# Two kiosks side by side, each with its own Syncthing on loopback (issue 12, LAN sync).
run-fleet: deps
	@$(MAKE) --no-print-directory all
	@tools/run-fleet.sh

# The four builds use every core (CI's 45 minutes); the tests run one at a time.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The whole suite on the normal build, then the sanitizer builds of the same tree (the TSan one
# runs only the threaded tests: tests/run.sh).
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@$(MAKE) --no-print-directory -j$(JOBS) SANITIZE=1 all
	@$(MAKE) --no-print-directory -j$(JOBS) SANITIZE=thread all
	@$(MAKE) --no-print-directory -j$(JOBS) fuzz
	@tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/run.sh

screenshots: deps
	@$(MAKE) --no-print-directory all
	@tests/screenshots.sh

clean:
	rm -rf build image/out

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
-include image/image.mk

# ---- Long runs (issue 15): never part of `make test`, niced so they share a machine politely.
#   make soak       1000 SIGKILLs, 100 reader replugs, 1,000,000 taps (tests/soak/run.sh)
#   make fuzz-long  every harness for 10M executions or KITH_FUZZ_SECONDS each (tests/soak/fuzz-long.sh)
#   make image-soak 20 random power cuts of the image in QEMU (image/image-soak.py; image/image.mk)
LONG_NICE := nice -n 19 ionice -c3
.PHONY: soak fuzz-long image-soak
soak: deps
	@$(MAKE) --no-print-directory all
	@$(LONG_NICE) tests/soak/run.sh
fuzz-long: deps
	@$(MAKE) --no-print-directory fuzz
	@$(LONG_NICE) tests/soak/fuzz-long.sh
