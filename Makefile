# slatrack: one non-recursive Makefile.
#   make            build ./slatrack
#   make check      install missing packages, build, run every test suite
#   make check SAN=1  the same with ASan+UBSan (objects in build-san/)
#   make bench      benchmarks with their figures
#   make demo       build and run slatrack on the shipped calendars
#   make fuzz       libFuzzer target for the .ics loader (clang)
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
CC       ?= cc
# libcurl and libpq are compiled against but not linked: src/dynlib*.c
# loads them at first use, so the commands that never mail, call a web
# API or reach PostgreSQL start without them (and their ~30 libraries).
PKGS_LINKED = sqlite3 libical ncursesw jansson
PKGS_LOADED = libcurl libpq
PKGS      = $(PKGS_LINKED) $(PKGS_LOADED)

ifeq ($(SAN),1)
BUILD    ?= build-san
SANFLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD    ?= build
SANFLAGS  =
endif

# The package flags are asked of pkg-config when a recipe first needs them,
# not when the Makefile is read: `make demo` and `make check` install the
# -dev packages first (deps), and flags read before that would be empty
# (without ncursesw's -D_XOPEN_SOURCE the build fails on wcwidth).  Each is
# computed once, then kept.
PKG_CONFIG ?= pkg-config
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS_LINKED) 2>/dev/null))$(PKG_LIBS)
CRIT_LIBS  = $(eval CRIT_LIBS := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null))$(CRIT_LIBS)
DEPS_SCRIPT ?= scripts/install-deps.sh

WARN      = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -pthread -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
             -Isrc -I$(BUILD) -I. $(PKG_CFLAGS) -DSLATRACK_VERSION='"$(VERSION)"' -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS      = $(PKG_LIBS) -lm -pthread

CORE_SRCS = $(sort $(wildcard src/*.c))
CLI_SRCS  = $(sort $(wildcard src/cli/*.c))
TUI_SRCS  = $(sort $(wildcard tui/*.c))
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))

MIGRATIONS = $(sort $(wildcard db/migrations/*.sql))
PG_MIGRATIONS = $(sort $(wildcard db/postgresql/*.sql))
CORE_OBJS = $(CORE_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/db_sql.o $(BUILD)/db_pg_sql.o
CLI_OBJS  = $(CLI_SRCS:%.c=$(BUILD)/%.o)
TUI_OBJS  = $(TUI_SRCS:%.c=$(BUILD)/%.o)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
LIBCORE   = $(BUILD)/libslatrack.a
BIN       = $(BUILD)/slatrack

ifeq ($(V),1)
Q =
else
Q = @
endif

.PHONY: all deps pkgcheck check check-unit check-layering check-man lint bench demo fuzz install clean
all: slatrack

slatrack: $(BIN)
ifneq ($(SAN),1)
	$(Q)cp $(BIN) slatrack
endif

# Without the packages, say so once instead of a page of compiler errors.
pkgcheck:
	@$(PKG_CONFIG) --exists $(PKGS) 2>/dev/null || { \
		echo "slatrack: the build needs the -dev packages of: $(PKGS)" >&2; \
		echo "slatrack: run 'make deps' (as root it installs them with apt-get)" >&2; \
		exit 1; }

$(BUILD)/%.o: %.c | pkgcheck
	@mkdir -p $(dir $@)
	@[ "$(V)" = 1 ] || echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# db/migrations/*.sql (SQLite) and db/postgresql/*.sql compiled into the
# binary
$(BUILD)/db_sql.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	$(Q)sh scripts/embed-sql.sh $@ store_migrations $(MIGRATIONS)

$(BUILD)/db_pg_sql.c: $(PG_MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	$(Q)sh scripts/embed-sql.sh $@ store_pg_migrations $(PG_MIGRATIONS)

$(BUILD)/db_sql.o: $(BUILD)/db_sql.c
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/db_pg_sql.o: $(BUILD)/db_pg_sql.c
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCORE): $(CORE_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJS) $(TUI_OBJS) $(LIBCORE)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(TUI_OBJS) $(LIBCORE) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBCORE)
	@mkdir -p $(dir $@)
	@echo "  CC/LD   $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< $(LIBCORE) $(LIBS) $(CRIT_LIBS)

# tests/unit/test_tui_rows.c covers tui/rows.c (pure view-models): it links
# rows.o besides the core
$(BUILD)/tests/test_tui_rows: tests/unit/test_tui_rows.c $(BUILD)/tui/rows.o $(LIBCORE)
	@mkdir -p $(dir $@)
	@echo "  CC/LD   $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< \
		$(BUILD)/tui/rows.o $(LIBCORE) $(LIBS) $(CRIT_LIBS)

deps:
	@sh $(DEPS_SCRIPT)

# Every suite runs; tests/run.sh prints one closing "N passed, N failed".
# The build runs in a make of its own, started after deps installed the
# packages, so a fresh machine builds the first time.
check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@$(MAKE) --no-print-directory lint check-layering check-man
	@SLATRACK_BIN=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) sh tests/run.sh

check-unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do $$t || exit 1; done

# The core stays free of the terminal, of exit() and of the front ends.
check-layering:
	@! grep -ln '#include *[<"]n\?curses' src/*.c src/*.h || { echo "layering: curses in the core"; exit 1; }
	@! grep -n '\bexit *(' src/*.c || { echo "layering: exit() in the core"; exit 1; }
	@! grep -ln '#include *"\(cli\|tui\)/' src/*.c src/*.h || { echo "layering: core includes a front end"; exit 1; }
	@! grep -ln '#include *<libical\|#include *<ical.h>' $$(ls src/*.c | grep -v '^src/ical\.c$$') || { echo "layering: libical outside src/ical.c"; exit 1; }
	@! grep -ln '\b\(localtime\|gmtime\|mktime\|time\) *(' src/*.c || { echo "layering: the core reads the clock or libc zones"; exit 1; }
	@! grep -ln '#include *<curl/' $$(ls src/*.c src/*.h src/cli/*.c tui/*.c 2>/dev/null | grep -v '^src/\(fetch\|mail\|webhook\|http-json\|dynlib-curl\)\.c$$') || { echo "layering: libcurl outside src/fetch.c, src/mail.c, src/webhook.c, src/http-json.c, src/dynlib-curl.c"; exit 1; }
	@! grep -ln '#include *<libpq' $$(ls src/*.c src/*.h src/cli/*.c tui/*.c 2>/dev/null | grep -v '^src/\(db-pg\|dynlib-pq\)\.c$$') || { echo "layering: libpq outside src/db-pg.c, src/dynlib-pq.c"; exit 1; }
	@! grep -ln '\bdlopen *(' $$(ls src/*.c src/cli/*.c tui/*.c | grep -v '^src/dynlib\.c$$') || { echo "layering: dlopen outside src/dynlib.c"; exit 1; }

# Man pages render cleanly.
check-man:
	@for m in man/*.[0-9]; do [ -f "$$m" ] || continue; \
		out=$$(mandoc -Tlint -W warning "$$m" 2>&1); \
		[ -z "$$out" ] || { echo "$$out"; exit 1; }; done

# Banned libc calls (curl's checksrc idea).
lint:
	@! grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets|strncpy|gmtime|localtime|ctime)[ ]*\(' \
		src/*.c src/*.h src/cli/*.c tui/*.c tests/unit/*.c 2>/dev/null || { echo "lint: banned call"; exit 1; }

bench: all $(BUILD)/bench/bench
	@sh bench/run.sh $(CURDIR)/$(BIN) $(CURDIR)/$(BUILD)/bench/bench

$(BUILD)/bench/bench: bench/bench.c $(LIBCORE)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< $(LIBCORE) $(LIBS)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(abspath $(BIN))

FUZZ_CC = clang
fuzz: $(BUILD)/fuzz/fuzz_ical
	@mkdir -p $(BUILD)/fuzz/corpus
	$(BUILD)/fuzz/fuzz_ical -max_total_time=$${FUZZ_SECONDS:-600} -max_len=8192 \
		-timeout=10 $(BUILD)/fuzz/corpus tests/fuzz/corpus

$(BUILD)/fuzz/fuzz_ical: tests/fuzz/fuzz_ical.c $(CORE_SRCS) $(BUILD)/db_sql.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_DEFAULT_SOURCE -g -O1 -Isrc $(PKG_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -o $@ tests/fuzz/fuzz_ical.c $(CORE_SRCS) \
		$(BUILD)/db_sql.c $(LIBS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 slatrack $(DESTDIR)$(BINDIR)/slatrack
	install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/

clean:
	rm -rf build build-san slatrack

-include $(wildcard $(BUILD)/src/*.d $(BUILD)/src/cli/*.d $(BUILD)/tui/*.d)
