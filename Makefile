# SPDX-License-Identifier: GPL-2.0-or-later
# mailha - Pacemaker/OCF resource agents for a highly available Postfix.
#
# Layout conventions the rules below rely on (so a new helper or test needs
# no edit here):
#   helpers/lib/*.c            shared code, in every program
#   helpers/NAME/main.c        main() of program mailha-NAME
#   helpers/NAME/*.c           the rest of that program (also linked into
#                              unit tests and fuzz targets)
#   tests/unit/test_*.c        cmocka unit tests, linked with everything
#   tests/fuzz/fuzz_*.c        libFuzzer targets; corpus in tests/fuzz/corpus/NAME
#   tests/bats/*.bats          bats suites (agents and helper CLIs)
#   agents/*                   OCF agents
#
# Targets: all, deps, check, install, bench, demo, fuzz, mutate, clean, dist,
# rpm, deb.

VERSION     := 0.1.0
prefix      ?= /usr
sbindir     ?= $(prefix)/sbin
libdir      ?= $(prefix)/lib
ocfdir      ?= $(libdir)/ocf
mandir      ?= $(prefix)/share/man
docdir      ?= $(prefix)/share/doc/mailha
localstatedir ?= /var
statedir    ?= $(localstatedir)/lib/mailha
tmpfilesdir ?= $(prefix)/lib/tmpfiles.d
# systemd's unit directory where systemd says (Debian 12: /lib/systemd/system,
# RPM-based systems: /usr/lib/systemd/system)
systemdunitdir ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),$(prefix)/lib/systemd/system)
DESTDIR     ?=

CC          ?= cc
B           ?= build
OPT         ?= -O2 -g
SAN         ?=
PKGS        := libqb libxml-2.0 libcpg libcmap libquorum nettle
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libdl (dlopen of libqb), libanl (getaddrinfo_a) and libpthread are part of libc
# from glibc 2.34 on, separate before (RHEL 8's 2.28, Debian 11's 2.31);
# --as-needed drops them where they are empty stubs.
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl -lanl -pthread
MH_CFLAGS   := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
               -Wformat=2 -Wno-format-nonliteral -Wstrict-prototypes \
               -fstack-protector-strong -Ihelpers/lib $(PKG_CFLAGS)
ALL_CFLAGS   = $(MH_CFLAGS) $(OPT) $(SAN) $(CFLAGS)
ALL_LDFLAGS  = $(SAN) -Wl,--as-needed $(LDFLAGS)

LIB_SRCS    := $(wildcard helpers/lib/*.c)
HELPERS     := $(filter-out lib,$(notdir $(patsubst %/,%,$(dir $(wildcard helpers/*/main.c)))))
PROGS       := $(addprefix $(B)/bin/mailha-,$(HELPERS))
HELPER_SRCS := $(filter-out %/main.c,$(foreach h,$(HELPERS),$(wildcard helpers/$(h)/*.c)))
UNIT_SRCS   := $(wildcard tests/unit/test_*.c)
UNIT_TESTS  := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
FUZZ_SRCS   := $(wildcard tests/fuzz/fuzz_*.c)
AGENTS      := $(notdir $(wildcard agents/*))

LIB_OBJS    := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS))
HELPER_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(HELPER_SRCS))

.PHONY: all deps check check-quick install uninstall bench demo fuzz mutate clean dist rpm deb \
        unit asan-unit bats shellcheck metadata man print-libs

all: $(PROGS) man

deps:
	sh tools/deps.sh

$(B)/obj/%.o: %.c $(wildcard helpers/lib/*.h) $(wildcard helpers/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libmailha.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Everything but the main()s, for unit tests and fuzz targets.
$(B)/libmailha-all.a: $(LIB_OBJS) $(HELPER_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# One link rule per helper: mailha-NAME from helpers/NAME/*.c and the library.
define helper_rule
$(B)/bin/mailha-$(1): $(patsubst %.c,$(B)/obj/%.o,$(wildcard helpers/$(1)/*.c)) $(B)/libmailha.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $(B)/libmailha.a $$(PKG_LIBS)
endef
$(foreach h,$(HELPERS),$(eval $(call helper_rule,$(h))))

$(B)/tests/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(B)/libmailha-all.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-unused-parameter $(ALL_LDFLAGS) $(TEST_LDFLAGS) -o $@ $< \
	    $(B)/libmailha-all.a $(PKG_LIBS) -lcmocka

# test_hostile steps the probe's clock itself (a deadline that passes in
# the middle of a scan, the same on every machine)
$(B)/tests/test_hostile: TEST_LDFLAGS = -Wl,--wrap=mh_smtp_now_ms
# test_spool draws the rwcheck's file names and fails its reads itself
# (names already taken, no random bytes, a file that reads back empty)
$(B)/tests/test_spool: TEST_LDFLAGS = -Wl,--wrap=getrandom,--wrap=pread
# test_logscan interrupts the cursor's reads and writes itself (EINTR, a
# write that puts nothing)
$(B)/tests/test_logscan: TEST_LDFLAGS = -Wl,--wrap=read,--wrap=write,--wrap=pread
# test_drift interrupts the state file's reads and fails its close itself
$(B)/tests/test_drift: TEST_LDFLAGS = -Wl,--wrap=read,--wrap=fclose
# test_aliases interrupts and fails the rebuild's copy and its fsync itself
$(B)/tests/test_aliases: TEST_LDFLAGS = -Wl,--wrap=read,--wrap=write,--wrap=fsync
# test_mh_run interrupts and fails its reads, polls and waits itself, and
# takes the pidfd away (the waitpid fallback)
$(B)/tests/test_mh_run: TEST_LDFLAGS = -Wl,--wrap=read,--wrap=poll,--wrap=waitpid,--wrap=mh_sys_pidfd_open

unit: $(UNIT_TESTS) $(PROGS)

# The libraries every program links with (tools/fuzz.sh links the same).
print-libs:
	@echo $(PKG_LIBS)

# Man pages generated from the agents' meta-data and the helpers' sources.
man:
	@if [ -x tools/mkman.sh ]; then sh tools/mkman.sh $(B)/man; fi

# The whole suite: every stage runs, then one summary line.
check: deps
	sh tools/check.sh

# Only the fast stages (no daemons): build, symbol versions, unit,
# sanitizers, shellcheck, metadata, fuzz.
check-quick:
	MAILHA_CHECK_STAGES="build symbols unit asan shellcheck metadata fuzz" sh tools/check.sh

fuzz:
	sh tools/fuzz.sh $${FUZZ_SECONDS:-60}

# Mutation testing (doc/testing.md): MUTATE_ARGS are tools/mutate.sh's
# options and files, e.g. MUTATE_ARGS="-u -s 1 -n 50 helpers/spool/spool_scan.c"
mutate: all unit
	sh tools/mutate.sh $(MUTATE_ARGS)

install: all
	install -d $(DESTDIR)$(ocfdir)/resource.d/mailha $(DESTDIR)$(ocfdir)/lib/mailha \
	    $(DESTDIR)$(sbindir)
	for a in $(AGENTS); do \
	    install -m 0755 agents/$$a $(DESTDIR)$(ocfdir)/resource.d/mailha/$$a; done
	sed -e 's|^: "$${MAILHA_SBINDIR:=/usr/sbin}"|: "$${MAILHA_SBINDIR:=$(sbindir)}"|' \
	    heartbeat/mailha-shellfuncs > $(DESTDIR)$(ocfdir)/lib/mailha/mailha-shellfuncs
	chmod 0644 $(DESTDIR)$(ocfdir)/lib/mailha/mailha-shellfuncs
	for p in $(PROGS); do install -m 0755 $$p $(DESTDIR)$(sbindir)/; done
	@if [ -d $(B)/man ]; then \
	    for f in $(B)/man/*.[0-9]; do s=$${f##*.}; \
	        install -d $(DESTDIR)$(mandir)/man$$s; \
	        install -m 0644 $$f $(DESTDIR)$(mandir)/man$$s/; done; fi
	install -d $(DESTDIR)$(docdir)
	install -m 0644 README.md doc/*.md $(DESTDIR)$(docdir)/
	install -d -m 0755 $(DESTDIR)$(statedir)
	install -d $(DESTDIR)$(tmpfilesdir)
	install -m 0644 systemd/mailha.tmpfiles $(DESTDIR)$(tmpfilesdir)/mailha.conf
	install -d $(DESTDIR)$(systemdunitdir)
	sed -e 's|@SBINDIR@|$(sbindir)|g' systemd/mailha-logscan.service \
	    > $(DESTDIR)$(systemdunitdir)/mailha-logscan.service
	install -m 0644 systemd/mailha-logscan.timer $(DESTDIR)$(systemdunitdir)/
	chmod 0644 $(DESTDIR)$(systemdunitdir)/mailha-logscan.service

# uninstall: what install put there (the state directory and what the
# agents left in it stay: an admin removes those deliberately)
uninstall:
	for a in $(AGENTS); do rm -f $(DESTDIR)$(ocfdir)/resource.d/mailha/$$a; done
	-rmdir $(DESTDIR)$(ocfdir)/resource.d/mailha
	rm -f $(DESTDIR)$(ocfdir)/lib/mailha/mailha-shellfuncs
	-rmdir $(DESTDIR)$(ocfdir)/lib/mailha
	for p in $(PROGS); do rm -f $(DESTDIR)$(sbindir)/$$(basename $$p); done
	rm -f $(DESTDIR)$(mandir)/man7/ocf_mailha_*.7 $(DESTDIR)$(mandir)/man8/mailha-*.8
	rm -rf $(DESTDIR)$(docdir)
	rm -f $(DESTDIR)$(tmpfilesdir)/mailha.conf
	rm -f $(DESTDIR)$(systemdunitdir)/mailha-logscan.service $(DESTDIR)$(systemdunitdir)/mailha-logscan.timer

bench: deps all
	sh tests/bench/run.sh

demo: deps all
	sh tools/demo.sh

dist:
	rm -rf $(B)/dist && mkdir -p $(B)/dist/mailha-$(VERSION)
	git ls-files | tar -cf - -T - | tar -xf - -C $(B)/dist/mailha-$(VERSION)
	tar -czf $(B)/mailha-$(VERSION).tar.gz -C $(B)/dist mailha-$(VERSION)
	@echo $(B)/mailha-$(VERSION).tar.gz

rpm: dist
	sh tools/rpm.sh $(B)/mailha-$(VERSION).tar.gz

deb: dist
	sh tools/deb.sh $(B)/mailha-$(VERSION).tar.gz

clean:
	rm -rf build build-asan build-fuzz
