# OpenAIMS build. Plain GNU Make + pkg-config.
#   make            build ./aims (release build in build/rel)
#   make run        install what running needs, build, create ./aims.db on first
#                   run, serve on 127.0.0.1:$(PORT) (or LISTEN=ADDR:PORT)
#   make test       install the test tools; unit tests (test build + ASan/UBSan),
#                   end-to-end, browser and tamper
#                   (tests/security/) tests, fuzz smoke
#   make fuzz       build libFuzzer harnesses (clang)
#   make bench      run the benchmarks in bench/
#
# Build modes (MODE=...), each in build/MODE:
#   rel   the release binary: no test hooks
#   test  the release flags plus AIMS_TEST_HOOKS (AIMS_FAKE_NOW, AIMS_FAST_HASH),
#         which the unit and end-to-end tests use
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer, with the test hooks

MODE	?= rel
B	:= build/$(MODE)
GEN	:= build/gen
NPROC	:= $(shell nproc 2>/dev/null || echo 1)

# One compile job per core. Only the top-level make sets it: sub-makes share
# its job slots. A -j on the command line wins.
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(NPROC)
endif

PORT	?= 8042
LISTEN	?= 127.0.0.1:$(PORT)

# Libraries the binary calls; each one is used by some file in src/.
# libseccomp: the system-call allow-list of `aims serve` (src/util/sandbox.c),
# built by the library rather than as hand-written BPF.
# libarchive: the audit pack zip, written and read as a stream (src/io/pack*.c).
# liboath: TOTP codes (src/core/totp.c); libqrencode: the QR code of its set-up page,
# drawn as SVG by src/web/qr.c. libcurl: requests to an organisation's OpenID
# provider (src/util/fetch.c); libcrypto (OpenSSL, which libcurl links anyway):
# the RS256 and ES256 signatures of its ID tokens, which libsodium lacks (src/core/oidc.c).
PKGS	:= libmicrohttpd sqlite3 libsodium jansson libcmark-gfm libmagic xlsxwriter libseccomp libarchive \
	   liboath libqrencode libcurl libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CC	?= cc
WARN	:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wformat=2 -Wno-format-nonliteral -Wvla -Wno-missing-field-initializers
HARDEN	:= -fstack-protector-strong -fPIE
CFLAGS_rel  := -O2 -g -D_FORTIFY_SOURCE=2
CFLAGS_test := $(CFLAGS_rel) -DAIMS_TEST_HOOKS
CFLAGS_asan := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	       -fno-sanitize-recover=undefined -DAIMS_TEST_HOOKS
CFLAGS	:= -std=c17 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS_$(MODE)) -Isrc -I$(GEN) $(PKG_CFLAGS)
LDFLAGS_rel  := -pie -Wl,-z,relro,-z,now
LDFLAGS_test := $(LDFLAGS_rel)
LDFLAGS_asan := -fsanitize=address,undefined
LDLIBS	:= $(PKG_LIBS) -lcmark-gfm-extensions -lcsv -lpthread -lm

SRC	:= $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
OBJ	:= $(SRC:%.c=$(B)/%.o) $(B)/gen/schema_files.o $(B)/gen/catalog_files.o \
	   $(B)/gen/web_assets.o
SCHEMA	:= $(sort $(wildcard src/store/schema/*.sql))
CATALOG	:= $(sort $(wildcard catalog/*.json))
WEB_ASSETS := $(sort $(wildcard src/web/assets/*.css src/web/assets/*.js src/web/assets/*.svg))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all run test unit unit-asan e2e deps deps-run deps-test fuzz fuzz-smoke bench bench-run clean FORCE
all: aims

aims: $(B)/aims
	@if [ "$(MODE)" = rel ]; then cp $(B)/aims aims; fi

$(B)/aims: $(B)/src/main.o $(B)/libaims.a
	@echo "LD $@"
	@$(CC) $(LDFLAGS_$(MODE)) -o $@ $^ $(LDLIBS)

$(B)/libaims.a: $(OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $(MODE) $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/gen/%.o: $(GEN)/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -c -o $@ $<

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	@cc -O2 -o $@ $<

$(GEN)/schema_files.c: build/tools/embed $(SCHEMA)
	@mkdir -p $(GEN)
	@build/tools/embed $@ schema_files src/store/schema/ $(SCHEMA)

$(GEN)/catalog_files.c: build/tools/embed $(CATALOG)
	@mkdir -p $(GEN)
	@build/tools/embed $@ catalog_files catalog/ $(CATALOG)

$(GEN)/web_assets.c: build/tools/embed $(WEB_ASSETS)
	@mkdir -p $(GEN)
	@build/tools/embed $@ web_assets src/web/assets/ $(WEB_ASSETS)

ifeq ($(MODE),rel)
# The unit tests need the test hooks, which the release library leaves out:
# a test asked for as build/rel/tests/NAME is the test build's, copied.
build/rel/tests/%: FORCE
	@$(MAKE) --no-print-directory MODE=test build/test/tests/$*
	@mkdir -p $(dir $@)
	@cp build/test/tests/$* $@
FORCE:
else
$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libaims.a
	@mkdir -p $(dir $@)
	@echo "CC $(MODE) $<"
	@$(CC) $(CFLAGS) $(LDFLAGS_$(MODE)) -Itests/unit -o $@ $< $(B)/libaims.a $(LDLIBS) -lcmocka
endif

deps: deps-test
deps-run:
	@scripts/install-deps run
deps-test:
	@scripts/install-deps test

# The tests need the test hooks: in the release mode they run against the
# test build, so the release binary never carries them.
TEST_MODE := $(if $(filter rel,$(MODE)),test,$(MODE))

# Unit tests; each test binary runs in its own temp dir, one after the other
# so that the output reads in order.
ifeq ($(MODE),rel)
unit:
	@$(MAKE) --no-print-directory MODE=$(TEST_MODE) unit
else
unit: $(UNIT_BIN) $(B)/aims
	@fail=0; for t in $(UNIT_BIN); do \
		d=$$(mktemp -d); \
		( cd $$d && AIMS_TEST_BIN=$(CURDIR)/$(B)/aims AIMS_SRC=$(CURDIR) $(CURDIR)/$$t ) || fail=1; \
		rm -rf $$d; \
	done; exit $$fail
endif

unit-asan:
	@$(MAKE) --no-print-directory MODE=asan unit

# End-to-end and tamper tests run the test build; AIMS_RELEASE_BIN is the
# release binary, which one test checks ignores the test hooks. The background
# verification test fills a large log with bench/ledger_fill.
e2e:
	@$(MAKE) --no-print-directory MODE=rel build/rel/aims
	@$(MAKE) --no-print-directory MODE=$(TEST_MODE) build/$(TEST_MODE)/aims \
	    build/$(TEST_MODE)/bench/ledger_fill
	@if ls tests/e2e/*.test.mjs >/dev/null 2>&1; then \
		AIMS_BIN=$(CURDIR)/build/$(TEST_MODE)/aims AIMS_RELEASE_BIN=$(CURDIR)/build/rel/aims \
		    node --test --test-concurrency=1 tests/e2e/ tests/security/; \
	fi

test: deps-test
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory unit-asan
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory fuzz-smoke FUZZ_SECONDS=5

run: deps-run
	@$(MAKE) --no-print-directory MODE=rel aims
	@if [ ! -f aims.db ]; then ./aims init --demo --db aims.db; fi
	./aims serve --db aims.db --listen $(LISTEN)

fuzz: all
	@$(MAKE) --no-print-directory -f tests/fuzz/Makefile all

fuzz-smoke: all
	@$(MAKE) --no-print-directory -f tests/fuzz/Makefile smoke

# Helpers the bench scripts run, built against the library.
BENCH_BIN := $(B)/bench/ledger_fill $(B)/bench/gen $(B)/bench/readings_raw
$(B)/bench/%: bench/%.c $(B)/libaims.a
	@mkdir -p $(dir $@)
	@echo "CC $(MODE) $<"
	@$(CC) $(CFLAGS) $(LDFLAGS_$(MODE)) -o $@ $< $(B)/libaims.a $(LDLIBS)

bench:
	@scripts/install-deps bench
	@$(MAKE) --no-print-directory aims $(BENCH_BIN)
	@$(MAKE) --no-print-directory bench-run

bench-run:
	@for s in bench/*.sh; do echo "== $$s"; sh $$s || exit 1; done

clean:
	rm -rf build aims

-include $(OBJ:.o=.d) $(B)/src/main.d
