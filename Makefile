# pwb: patch-series regression workbench.  `make check` and `make demo`
# install what is missing (ci/deps.sh), build, and run.

CC      ?= gcc
PKGS    := libgit2 libcurl sqlite3 gmime-3.0 zlib jansson libarchive libelf
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

CFLAGS  ?= -O2 -g
# A developer build (the default) turns warnings into errors.
DEVELOPER ?= 1
WARN    := -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation \
           -Wno-missing-field-initializers \
           -Wmissing-prototypes -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(DEVELOPER),1)
WARN    += -Werror
endif
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DPWB_SRCDIR=\"$(CURDIR)\" $(WARN) $(PKG_CFLAGS) -Isrc $(CFLAGS) $(SAN)
ALL_LDFLAGS = $(LDFLAGS) $(SAN)

# One short line per step (as kbuild and git's QUIET_CC); V=1 for the
# full commands.
ifeq ($(V),1)
QUIET_CC   =
QUIET_LINK =
QUIET_AR   =
QUIET_GEN  =
else
QUIET_CC   = @echo "  CC      $<";
QUIET_LINK = @echo "  LINK    $@";
QUIET_AR   = @echo "  AR      $@";
QUIET_GEN  = @echo "  GEN     $@";
endif

BUILD   ?= build
BIN     ?= bin/pwb
SRCS    := $(wildcard src/*.c src/util/*.c src/exec/*.c src/cli/*.c)
# The layers (docs/design.md): src/cli/ (pwb.c, cmd-*.c, the option
# parser) turns argv into library calls and prints; the library (libpwb.a:
# src/*.c, src/exec/ the executor and its backends, src/util/) never calls
# into it.
CMD_SRCS := $(wildcard src/cli/*.c)
CMD_OBJS := $(patsubst src/%.c,$(BUILD)/%.o,$(CMD_SRCS))
LIB_SRCS := $(filter-out $(CMD_SRCS),$(SRCS))
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_SRCS)) $(BUILD)/migrations.gen.o
MIGRATIONS := $(sort $(wildcard db/*.sql))
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

# make install: git's and the GNU conventions, DESTDIR and prefix (or
# PREFIX).  The binary finds its data (bench/suites, bench/configs) at
# $(prefix)/share/pwb beside $(prefix)/bin/pwb, wherever the prefix is
# moved (src/ctx.c); a layout other than bin/ and share/pwb under one
# prefix needs config core.datadir.  docs/install.md.
PREFIX  ?= /usr/local
prefix  ?= $(PREFIX)
bindir  = $(prefix)/bin
datarootdir = $(prefix)/share
pwbdatadir = $(datarootdir)/pwb
mandir  ?= $(datarootdir)/man
man1dir ?= $(mandir)/man1
bashcompdir ?= $(datarootdir)/bash-completion/completions
INSTALL ?= install
# the data pwb reads at run time (db/ is compiled in)
DATA_FILES = $(sort $(shell find bench/suites bench/configs -type f ! -name '*~'))
DOC_DIR = $(BUILD)/doc

.PHONY: all san fuzz fuzz-build fuzz-bins deps check check-fast check-matrix check-layers check-cycles unit demo demo-intake clean bench kernel-tree docs doc install uninstall
all: $(BIN) $(UNIT_BINS)

# The same with AddressSanitizer and UBSan: build-san/, bin/pwb-san.
san:
	@$(MAKE) --no-print-directory BUILD=build-san BIN=bin/pwb-san \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		CFLAGS="-O1 -g" all

deps:
	@sh ci/deps.sh

$(BIN): $(CMD_OBJS) $(BUILD)/libpwb.a
	@mkdir -p bin
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The man pages (pwb.1, pwb-CMD.1) and the bash completion, generated
# from the binary's command and option tables (ci/gen-doc.sh): what
# --help says, in man's form.
doc: $(DOC_DIR)/man1/.stamp $(DOC_DIR)/pwb.bash

$(DOC_DIR)/man1/.stamp: $(BIN) ci/gen-doc.sh
	@rm -rf $(DOC_DIR)/man1
	$(QUIET_GEN)sh ci/gen-doc.sh man $(BIN) $(DOC_DIR)/man1 && touch $@

$(DOC_DIR)/pwb.bash: $(BIN) ci/gen-doc.sh
	@mkdir -p $(DOC_DIR)
	$(QUIET_GEN)sh ci/gen-doc.sh completion $(BIN) $@.tmp && mv $@.tmp $@

install: $(BIN) doc
	$(INSTALL) -d -m 755 '$(DESTDIR)$(bindir)' '$(DESTDIR)$(man1dir)' \
		'$(DESTDIR)$(bashcompdir)' '$(DESTDIR)$(pwbdatadir)'
	$(INSTALL) -m 755 $(BIN) '$(DESTDIR)$(bindir)/pwb'
	$(INSTALL) -m 644 $(DOC_DIR)/man1/*.1 '$(DESTDIR)$(man1dir)'
	$(INSTALL) -m 644 $(DOC_DIR)/pwb.bash '$(DESTDIR)$(bashcompdir)/pwb'
	@for f in $(DATA_FILES); do \
		$(INSTALL) -D -m 644 "$$f" '$(DESTDIR)$(pwbdatadir)'/"$$f" || exit 1; \
	done
	@echo "  INSTALL $(DESTDIR)$(pwbdatadir)/bench ($(words $(DATA_FILES)) files)"

# Removes what install put there (the directories of share/pwb too, the
# shared ones such as bin/ and man1/ are left).
uninstall: doc
	rm -f '$(DESTDIR)$(bindir)/pwb' '$(DESTDIR)$(bashcompdir)/pwb'
	@for f in $(notdir $(wildcard $(DOC_DIR)/man1/*.1)); do \
		rm -f '$(DESTDIR)$(man1dir)'/"$$f"; \
	done
	@for f in $(DATA_FILES); do rm -f '$(DESTDIR)$(pwbdatadir)'/"$$f"; done
	@if [ -d '$(DESTDIR)$(pwbdatadir)' ]; then \
		find '$(DESTDIR)$(pwbdatadir)' -depth -type d -empty -delete; \
	fi
	@echo "  UNINST  $(DESTDIR)$(prefix)"

# Fails when a library object refers to a symbol a command file defines.
check-layers: $(CMD_OBJS) $(LIB_OBJS)
	@sh ci/check-layers.sh $(BUILD)
	@sh ci/check-cycles.sh $(BUILD)

# Fails when the library's modules form a cycle.
check-cycles: $(LIB_OBJS)
	@sh ci/check-cycles.sh $(BUILD)

$(BUILD)/libpwb.a: $(LIB_OBJS)
	@rm -f $@
	$(QUIET_AR)$(AR) rcs $@ $^

$(BUILD)/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/migrations.gen.c: $(MIGRATIONS) ci/embed-sql.sh
	@mkdir -p $(BUILD)
	$(QUIET_GEN)sh ci/embed-sql.sh $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/migrations.gen.o: $(BUILD)/migrations.gen.c src/db.h
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libpwb.a
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libpwb.a $(PKG_LIBS) -lcmocka $(ALL_LDFLAGS)

# A unit test of a command-layer file, tests/unit/test-X.c for src/cli/X.c,
# links that one object beside the library (listed here; the rest of
# src/cli/ is never linked into a unit test).
UNIT_CLI := parse-options progress
UNIT_CLI_BINS := $(patsubst %,$(BUILD)/tests/test-%,$(UNIT_CLI))
$(UNIT_CLI_BINS): $(BUILD)/tests/test-%: tests/unit/test-%.c $(BUILD)/cli/%.o $(BUILD)/libpwb.a
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/cli/$*.o $(BUILD)/libpwb.a $(PKG_LIBS) -lcmocka $(ALL_LDFLAGS)

# libFuzzer targets (clang): build-fuzz/fuzz/fuzz-*; ci/fuzz.sh runs them.
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang DEVELOPER=0 \
		SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
		CFLAGS="-O1 -g" fuzz-bins
fuzz-bins: $(FUZZ_BINS)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libpwb.a
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libpwb.a $(PKG_LIBS) $(ALL_LDFLAGS)
fuzz: fuzz-build
	@sh ci/fuzz.sh

# Every test: unit (cmocka) and end-to-end (tests/t*.sh).
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check-layers
	@$(MAKE) --no-print-directory san
	@$(MAKE) --no-print-directory fuzz-build
	@PWB_SANITIZE=1 sh ci/run-tests.sh

# The loop for developers: no kernel tier (tests t9xxx skip themselves).
# The fuzz targets are built when clang is there (make deps installs it), so
# that t0950 replays their seeds and saved crashes; without clang t0950
# says why it skips.
check-fast: all check-layers
	@if command -v clang >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory fuzz-build; \
	fi
	@PWB_FAST=1 sh ci/run-tests.sh

# The generated docs: docs/config.md from the table of config keys
# (src/ctx.c); tests/t0010-docs.sh fails when it is not regenerated.  The
# man pages and completion too (make doc: build/doc/, for make install).
docs: $(BIN) doc
	$(QUIET_GEN)./$(BIN) help config --markdown >docs/config.md.tmp && \
		mv docs/config.md.tmp docs/config.md

unit: all
	@sh ci/run-tests.sh --unit

# tests/t9400 over the full cross product of the axes: 2 trees x 2 arches x
# 2 toolchains x (plain, debug) = 16 cells, each a cold kernel build (5 to 10
# minutes here) before its boots, with every fixture series on each; it
# prints a table of cells x series x verdicts x seconds.  The whole product
# takes longer than a working day's session here (hours on 2 cores), so it
# can be run in parts, e.g.
#   make check-matrix MATRIX_TREES=v6.12-debian MATRIX_ARCHES=arm64
#   make check-matrix MATRIX_SERIES="mmn-kasan-oob mmn-3-series"
# make check covers every axis in t9400's two default cells (one cold build
# beside the 6.1 x86_64 one the kernel tier shares).
MATRIX_TREES := v6.1-debian v6.12-debian
MATRIX_ARCHES := x86_64 arm64
MATRIX_TOOLCHAINS := gcc clang
MATRIX_SERIES := mmn-kasan-oob mmn-3-series list-sort-unstable hmm-zero-page \
	mmn-undo-removal mmn-doc-fix mmn-big-hammer
MATRIX_CELLS := $(strip $(foreach b,$(MATRIX_TREES),$(foreach a,$(MATRIX_ARCHES),\
	$(foreach t,$(MATRIX_TOOLCHAINS),$(foreach c,qemu-$(a) qemu-$(a)-debug,$(b):$(a):$(t):$(c))))))
check-matrix: deps all
	@PWB_CELLS="$(MATRIX_CELLS)" PWB_SERIES="$(strip $(MATRIX_SERIES))" \
		PWB_TESTS=t9400 sh ci/run-tests.sh

# The main job on every fixture series in patches/ (about 20 minutes: the
# first 6.1 build, then two suites on base and candidate per series).
demo: deps
	@$(MAKE) --no-print-directory all
	@sh ci/demo.sh

# Only the intake half (seconds): fetch, assemble, export, git am.
demo-intake: deps
	@$(MAKE) --no-print-directory all
	@sh ci/demo-intake.sh

bench: all
	@sh bench/perf/intake.sh
	@sh bench/perf/apply.sh
	@sh bench/perf/build-boot.sh
	@sh bench/perf/check.sh

# The reference tree: Debian's linux-source-6.1 as a git repository with
# one commit tagged v6.1-debian (cached in $XDG_CACHE_HOME/pwb, ~/.cache/pwb without it; reused).
kernel-tree:
	@sh ci/kernel-tree.sh

clean:
	rm -rf $(BUILD) build-san build-fuzz bin
