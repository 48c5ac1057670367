# vet — build, test and install.
#
# Sources are found by wildcard so that a new lib/ module, cmd/ tool or
# tests/unit/test_*.c needs no change here:
#   lib/*.c            -> $(B)/libvet.a
#   cmd/vet-*.c        -> bin/vet-*         (each links libvet.a)
#   bench/vet-gen.c    -> bin/vet-gen       (the synthetic data generator)
#   bench/csv2xlsx.c   -> bin/csv2xlsx      (a CSV as a workbook; not installed)
#   tests/unit/test_*.c -> $(B)/tests/test_* (Criterion)
#
# SAN=1 builds everything with AddressSanitizer and UndefinedBehaviorSanitizer
# into build-san/ and bin-san/, so both builds can live side by side.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/vet
# Where Debian's bash-completion loads a command's completion from, by name.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install
PKG_CONFIG ?= pkg-config

CC      ?= cc
OPT     ?= -O2
WERROR  ?=
CFLAGS  ?= $(OPT) -g
VET_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter $(WERROR) -Iinclude -pthread \
	$(shell $(PKG_CONFIG) --cflags yaml-0.1 zlib minizip expat freexl xlsxwriter) \
	-DVET_VERSION='"$(VERSION)"' -DVET_DATADIR='"$(DATADIR)"'
# POSIX threads: vet-intake --threads (no package: part of the C library).
# Every other library is loaded by its soname when first needed, not
# linked, because most runs need none of them and each linked library cost
# every start its mapping, relocations and page faults (lib/*_impl.h say
# how much): libyaml for a policy or mapping file (the built-in policy is
# compiled by make), zlib for gzip, minizip and expat to read .xlsx,
# freexl to read .xls, libxlsxwriter to write a workbook.  Each soname is
# read off the .so the headers came with.
LIBS    = -pthread
SONAME  = $(shell readelf -d $(shell $(CC) -print-file-name=$(1)) \
	2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
# The unit tests and fuzz targets unzip, zip and inflate themselves (what
# the tools wrote, the inputs they make).
TEST_LIBS = $(shell $(PKG_CONFIG) --libs zlib minizip expat freexl)
CRIT_CFLAGS = $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
CRIT_LIBS   = $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null || echo -lcriterion)
VERSION ?= 0.1.0

ifeq ($(FUZZ),1)
CC   = clang
B    = build-fuzz
BIN  = bin-fuzz
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
else ifeq ($(SAN),1)
B    = build-san
BIN  = bin-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
B    = build
BIN  = bin
SANFLAGS =
endif

LIB_SRC   = $(sort $(wildcard lib/*.c))
LIB_OBJ   = $(LIB_SRC:%.c=$(B)/%.o)
CMD_SRC   = $(sort $(wildcard cmd/vet-*.c))
TOOLS     = $(CMD_SRC:cmd/%.c=$(BIN)/%)
GEN       = $(if $(wildcard bench/vet-gen.c),$(BIN)/vet-gen)
# Built for the tests and benchmarks, not installed.
TESTTOOLS = $(if $(wildcard bench/csv2xlsx.c),$(BIN)/csv2xlsx)
TEST_SRC  = $(sort $(wildcard tests/unit/test_*.c))
TESTS     = $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
POLICY_C  = $(if $(wildcard policy/beijing-2023.yaml),$(B)/gen/policy_builtin.c)
MANPAGES  = $(sort $(wildcard man/*.[1-9]))

all: $(TOOLS) $(GEN) $(TESTTOOLS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(VET_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) -MMD -MP -c -o $@ $<

# The built-in policy is loaded, checked and compiled by make: gen/policy2c
# loads policy/beijing-2023.yaml with the library's own loader and writes
# the loaded policy, rules compiled, as const C data, beside the file's
# bytes (for --dump-policy and the tests --check-policy runs), so that the
# binary and the file can never disagree and a run parses no YAML and
# compiles no rule: that was three quarters of a one-record run.  It links
# the library without policy_builtin.o, the one object that needs its
# output.
GEN_OBJ = $(filter-out $(B)/lib/policy_builtin.o,$(LIB_OBJ))

$(B)/gen/libvet-gen.a: $(GEN_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/gen/policy2c: gen/policy2c.c $(B)/gen/libvet-gen.a
	@mkdir -p $(@D)
	$(CC) $(VET_CFLAGS) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ \
	    $(LIBS) -lm

$(B)/gen/policy_builtin.c: policy/beijing-2023.yaml $(B)/gen/policy2c
	@mkdir -p $(@D)
	$(B)/gen/policy2c $< > $@.tmp && mv $@.tmp $@

$(B)/gen/policy_builtin.o: $(B)/gen/policy_builtin.c
	$(CC) $(VET_CFLAGS) $(CPPFLAGS) -Ilib $(CFLAGS) $(SANFLAGS) -c -o $@ $<

$(B)/lib/xlsxout_load.o: CPPFLAGS += -DVET_XLSX_SONAME='"$(call SONAME,libxlsxwriter.so)"'
$(B)/lib/zlib_load.o: CPPFLAGS += -DVET_ZLIB_SONAME='"$(call SONAME,libz.so)"'
$(B)/lib/yaml_load.o: CPPFLAGS += -DVET_YAML_SONAME='"$(call SONAME,libyaml.so)"'
$(B)/lib/expat_load.o: CPPFLAGS += -DVET_EXPAT_SONAME='"$(call SONAME,libexpat.so)"'
$(B)/lib/minizip_load.o: CPPFLAGS += -DVET_MINIZIP_SONAME='"$(call SONAME,libminizip.so)"'
$(B)/lib/freexl_load.o: CPPFLAGS += -DVET_FREEXL_SONAME='"$(call SONAME,libfreexl.so)"'

$(B)/libvet.a: $(LIB_OBJ) $(POLICY_C:.c=.o)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN)/%: $(B)/cmd/%.o $(B)/libvet.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lm

$(BIN)/vet-gen: $(B)/bench/vet-gen.o $(B)/libvet.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lm

# csv2xlsx: a CSV as an .xlsx, for the workbook cases and benchmarks.
$(BIN)/csv2xlsx: $(B)/bench/csv2xlsx.o $(B)/libvet.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) \
	    $(shell $(PKG_CONFIG) --libs minizip) -lm

$(B)/tests/%: tests/unit/%.c $(B)/libvet.a
	@mkdir -p $(@D)
	$(CC) $(VET_CFLAGS) $(CRIT_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) -MMD -MP \
	  -DVET_TEST_DATA='"$(CURDIR)/tests/data"' -o $@ $< $(B)/libvet.a \
	  $(CRIT_LIBS) $(LIBS) $(TEST_LIBS) -lm

# check: every unit test binary, the table-driven command-line cases, then
# make install and uninstall into scratch directories (tests/install/run).
check: all $(TESTS)
	@fail=0; for t in $(TESTS); do \
	  echo "== $$t"; $$t --jobs=2 || fail=1; \
	done; \
	VET_BIN=$(CURDIR)/$(BIN) sh tests/cli/run || fail=1; \
	sh tests/install/run "$(MAKE)" || fail=1; \
	for t in $(TOOLS); do \
	  for l in xlsxout:libxlsxwriter zlib:libz yaml:libyaml \
	      minizip:libminizip expat:libexpat freexl:libfreexl; do \
	    if readelf -d $$t | grep -q "NEEDED.*\[$${l#*:}[.-]"; then \
	      echo "$$t links $${l#*:}: a call made past" \
	        "lib/$${l%%:*}_impl.h"; fail=1; fi; \
	  done; \
	done; \
	exit $$fail

# demo: the README's pipeline on examples/data with the built-in policy.
demo: all
	VET_BIN=$(BIN) OUT=$(B)/demo sh examples/demo.sh

# check-san: the same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
# LeakSanitizer is asked for by name (it is ASan's default on x86-64 Linux,
# not everywhere): a leak on an early error return fails the case.
check-san:
	ASAN_OPTIONS=detect_leaks=1:$${ASAN_OPTIONS:-} $(MAKE) SAN=1 OPT=-O1 check

# install: the eight tools (not vet-gen: it makes synthetic people for tests
# and benchmarks, and an office's machine has no use for records that look
# real and are not), their pages and vet-policy(5), the policies, the
# examples (cron, scale-out, the demo and its data) and the bash completion.
# The crontab, the cron script and the man pages name the installed paths:
# install writes them with $(BINDIR) and $(DATADIR) in place of the
# /usr/local defaults.
# uninstall removes exactly the files of INST_FILES, then the directories
# that are vet's own ($(DATADIR) and below) once empty.
INST_TOOLS  = $(CMD_SRC:cmd/%.c=%)
INST_MAN    = $(filter-out man/vet-gen.1,$(MANPAGES))
INST_POLICY = $(wildcard policy/*.yaml examples/policy/*.yaml)
INST_EX     = examples/demo.sh examples/cron/crontab \
	examples/cron/quarterly-report.sh $(wildcard examples/scale-out/*) \
	$(wildcard examples/data/*)
INST_FILES  = $(INST_TOOLS:%=$(BINDIR)/%) \
	$(foreach m,$(INST_MAN),$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
	$(addprefix $(DATADIR)/,$(notdir $(INST_POLICY))) \
	$(INST_EX:%=$(DATADIR)/%) $(INST_TOOLS:%=$(BASHCOMPDIR)/%)
INST_DIRS   = $(sort $(DATADIR)/ $(dir $(INST_EX:%=$(DATADIR)/%)))
PATHS_SED   = -e 's|/usr/local/share/vet|$(DATADIR)|g' \
	-e 's|/usr/local/bin|$(BINDIR)|g'

install: $(TOOLS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(BASHCOMPDIR) \
	  $(INST_DIRS:%=$(DESTDIR)%)
	$(INSTALL) -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	for m in $(INST_MAN); do \
	  s=$${m##*.}; $(INSTALL) -d $(DESTDIR)$(MANDIR)/man$$s && \
	  sed $(PATHS_SED) $$m > $(DESTDIR)$(MANDIR)/man$$s/$${m##*/} && \
	  chmod 644 $(DESTDIR)$(MANDIR)/man$$s/$${m##*/} || exit 1; done
	$(INSTALL) -m 644 $(INST_POLICY) $(DESTDIR)$(DATADIR)/
	for f in $(INST_EX); do \
	  m=644; [ -x $$f ] && m=755; \
	  case $$f in examples/cron/*) \
	    sed $(PATHS_SED) $$f > $(DESTDIR)$(DATADIR)/$$f && \
	    chmod $$m $(DESTDIR)$(DATADIR)/$$f ;; \
	  *) $(INSTALL) -m $$m $$f $(DESTDIR)$(DATADIR)/$$f ;; esac || exit 1; \
	done
	$(INSTALL) -m 644 completion/vet $(DESTDIR)$(BASHCOMPDIR)/vet-intake
	for t in $(filter-out vet-intake,$(INST_TOOLS)); do \
	  ln -sf vet-intake $(DESTDIR)$(BASHCOMPDIR)/$$t || exit 1; done

uninstall:
	rm -f $(INST_FILES:%=$(DESTDIR)%)
	for d in $$(printf '%s\n' $(INST_DIRS:%=$(DESTDIR)%) | sort -r); do \
	  [ ! -d $$d ] || [ -n "$$(ls -A $$d)" ] || rmdir $$d || exit 1; \
	done

# installcheck: installs into a scratch DESTDIR and PREFIX, checks the file
# list, runs the cron recipe from the installed paths and uninstalls.
installcheck: $(TOOLS)
	sh tests/install/run $(MAKE)

clean:
	rm -rf build build-san bin bin-san

.PHONY: all check check-san demo install uninstall installcheck clean
.SECONDARY:

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Fault injection (issue 18): tests/fault/shim.c, preloaded, fails the Nth
# malloc/read/write/rename/close/fsync of a tool; tests/fault/run checks
# that every such run ends cleanly (tests/fault/run says what "clean" is).
# check-faults, part of check (and so of check-san, on the sanitized
# tools), tries FAULT_BUDGET values of N per scenario and family; faults
# tries every N, one fault and then persistent faults: hours, not minutes.
FAULT_BUDGET ?= 3
FAULT_SHIM = $(B)/fault/libvetfault.so

# The shim is never sanitized: it sits under the sanitizer's allocator.
$(FAULT_SHIM): tests/fault/shim.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -g -fPIC -shared -Wall -Wextra $(WERROR) \
	  -o $@ $< -ldl

check-faults: all $(FAULT_SHIM)
	VET_BIN=$(CURDIR)/$(BIN) VET_FAULT_SHIM=$(CURDIR)/$(FAULT_SHIM) \
	  sh tests/fault/run -b $(FAULT_BUDGET)

check: check-faults

faults: all $(FAULT_SHIM)
	VET_BIN=$(CURDIR)/$(BIN) VET_FAULT_SHIM=$(CURDIR)/$(FAULT_SHIM) \
	  nice sh tests/fault/run -b 0
	VET_BIN=$(CURDIR)/$(BIN) VET_FAULT_SHIM=$(CURDIR)/$(FAULT_SHIM) \
	  nice sh tests/fault/run -b 0 -p

.PHONY: check-faults faults

# models: the independent Python models of tests/model (report, reconcile)
# against the built tools, MODEL_SEEDS seeds each; not in check: 40 seeds
# took about 2 min for the report and 2 min for the reconcile on a shared
# two-core machine (load 11; under 0.5 s of CPU a seed).
MODEL_SEEDS ?= 40
models: all
	VET_BIN=$(CURDIR)/$(BIN) nice python3 tests/model/run all -n $(MODEL_SEEDS)
.PHONY: models

# fuzz: builds libvet.a and the libFuzzer targets of tests/fuzz/ with clang
# (FUZZ=1 puts them in build-fuzz/) and runs each for FUZZ_SECONDS, seeded
# from tests/data.  Not part of check: it is open ended by nature; run it
# after touching a parser.
FUZZ_SECONDS ?= 60
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS  = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

$(B)/fuzz/%: tests/fuzz/%.c $(B)/libvet.a
	@mkdir -p $(@D)
	$(CC) $(VET_CFLAGS) $(CFLAGS) -fsanitize=fuzzer,address,undefined \
	  -o $@ $< $(B)/libvet.a $(LIBS) $(TEST_LIBS) -lm

fuzz:
	$(MAKE) FUZZ=1 OPT=-O1 fuzz-run

# Seeds: the paths in tests/fuzz/TARGET.seeds and tests/fuzz/corpus/TARGET/
# (read only); what the fuzzer finds goes to $(B)/corpus/TARGET.
# fuzz-smoke (in CI): the same for FUZZ_SMOKE seconds each, a minute.
# FUZZ_CONTAINED: targets of code vet runs in a contained child process
# (fuzz_xls: libfreexl, which has known crashes, tests/fuzz/known/): they
# run in libFuzzer's fork mode and go on past a crash, which is kept as
# $(B)/crash-TARGET-* and listed, not failed on; what vet trusts of that
# child is fuzz_xls_frames, which fails on any crash like the others.
# Fork mode exits with the status of its last job, so a contained crash
# in the last job would fail the run: a contained target fails only when
# the fork loop itself did not end ("INFO: exiting:").  Leaks are not
# looked for there: freexl leaks on a failed open, and the child exits.
# Each target's output is in $(B)/fuzz-TARGET.log (its tail is shown).
FUZZ_SMOKE ?= 60
FUZZ_CONTAINED = fuzz_xls
fuzz-run: $(FUZZERS)
	@for f in $(FUZZERS); do \
	  n=$${f##*/}; mkdir -p $(B)/corpus/$$n; \
	  echo "== $$n ($(FUZZ_SECONDS) s)"; \
	  x=; case " $(FUZZ_CONTAINED) " in *" $$n "*) \
	    x="-fork=1 -ignore_crashes=1 -detect_leaks=0 \
	       -artifact_prefix=$(B)/crash-$$n-";; \
	  esac; \
	  nice $$f $$x -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -rss_limit_mb=2048 -print_final_stats=1 $(B)/corpus/$$n \
	    $$(cat tests/fuzz/$$n.seeds 2>/dev/null) \
	    $$(ls -d tests/fuzz/corpus/$$n 2>/dev/null) \
	    >$(B)/fuzz-$$n.log 2>&1; s=$$?; \
	  tail -n 4 $(B)/fuzz-$$n.log; \
	  if [ $$s -ne 0 ] && { [ -z "$$x" ] || \
	      ! tail -n 1 $(B)/fuzz-$$n.log | grep -q '^INFO: exiting: '; }; \
	  then tail -n 80 $(B)/fuzz-$$n.log; exit 1; fi; \
	  [ -z "$$x" ] || ls $(B)/crash-$$n-* 2>/dev/null | \
	    sed 's/^/   contained crash: /'; \
	done

fuzz-smoke:
	$(MAKE) FUZZ=1 OPT=-O1 FUZZ_SECONDS=$(FUZZ_SMOKE) fuzz-run

# check-fuzz-replay: every target built with $(CC) and tests/fuzz/replay.c
# instead of libFuzzer (so without clang) and run once over its seeds and
# corpus, so that what fuzzing found stays fixed.  Part of check, and so
# of check-san under the sanitizers.
REPLAYS = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz-replay/%)

$(B)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(B)/libvet.a
	@mkdir -p $(@D)
	$(CC) $(VET_CFLAGS) $(CFLAGS) $(SANFLAGS) -o $@ $< \
	  tests/fuzz/replay.c $(B)/libvet.a $(LIBS) $(TEST_LIBS) -lm

check-fuzz-replay: $(REPLAYS)
	@for f in $(REPLAYS); do \
	  n=$${f##*/}; \
	  $$f $$(cat tests/fuzz/$$n.seeds 2>/dev/null) \
	    $$(ls -d tests/fuzz/corpus/$$n 2>/dev/null) || exit 1; \
	done

check: check-fuzz-replay

.PHONY: fuzz fuzz-run fuzz-smoke check-fuzz-replay
