#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check.sh - run every test stage of mailha and end with one summary line.
#
# Stages (MAILHA_CHECK_STAGES picks a subset): build, symbols (no helper
# asks for a glibc symbol version above RHEL 9's 2.34), unit (C unit tests),
# asan (the same under AddressSanitizer + UBSan), fuzz (fuzz targets over
# their corpus and briefly beyond), shellcheck, metadata (OCF 1.1 RNG,
# pcs's RNG, resource-agents' DTD), ocft (the peers' own suites:
# resource-agents' ocft cases for postfix and Filesystem against our
# postfix and mailspool agents, and ocf-tester for every agent;
# tools/ocft.sh), bats (agents and helper CLIs against real Postfix,
# Dovecot and Pacemaker), mutate (a fixed sample of mutants,
# tools/mutate.sample, must all be killed), cluster (the multi-node lab),
# fresh (the README's path on a pristine Debian root, and the demo with a
# fresh lab state directory: tests/fresh/run.sh), bullseye (the same in a
# Debian 11 root, glibc 2.31: make deps, make, make check-quick, make
# install).
# Every stage runs even when an earlier one failed; the last line reads
# "check: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
stages=${MAILHA_CHECK_STAGES:-"build symbols unit asan fuzz shellcheck metadata ocft bats mutate cluster fresh bullseye"}
log=${MAILHA_CHECK_LOG:-$top/build/check}
mkdir -p "$log"
# Agents and helpers from this tree, not from an installed copy.
MAILHA_LIBDIR=$top/heartbeat
MAILHA_SBINDIR=$top/build/bin
export MAILHA_LIBDIR MAILHA_SBINDIR
passed=0
failed=0
skipped=0
failures=""

skips=""
pass() { passed=$((passed + 1)); }
# skip WHY - a check this machine cannot make, counted and listed at the end
skip() { skipped=$((skipped + 1)); skips="$skips
  $1"; echo "SKIPPED: $1"; }
fail() { failed=$((failed + 1)); failures="$failures
  $1"; echo "FAILED: $1"; }

# count_tap FILE STAGE - add a TAP stream's ok / not ok lines to the totals
count_tap() {
    _ok=$(grep -c '^ok ' "$1")
    _skip=$(grep -c '^ok .* # skip' "$1")
    _nok=$(grep -c '^not ok ' "$1")
    skipped=$((skipped + _skip))
    passed=$((passed + _ok - _skip))
    failed=$((failed + _nok))
    if [ "$_nok" -gt 0 ]; then
        failures="$failures
$(grep '^not ok ' "$1" | sed "s/^/  $2: /")"
    fi
}

# run_unit BUILDDIR LABEL - run every cmocka test binary in BUILDDIR/tests
run_unit() {
    _ran=0
    for t in "$1"/tests/test_*; do
        [ -x "$t" ] || continue
        _ran=$((_ran + 1))
        name="$2:$(basename "$t")"
        out="$log/$2-$(basename "$t").log"
        if "$t" >"$out" 2>&1; then
            n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
            passed=$((passed + ${n:-1}))
            echo "ok: $name (${n:-1} tests)"
        else
            n=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
            ok=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
            passed=$((passed + ${ok:-0}))
            failed=$((failed + ${n:-1}))
            failures="$failures
  $name (see $out)"
            echo "FAILED: $name"
            tail -n 30 "$out"
        fi
    done
    # No binary means the stage ran before the build, not that all passed.
    if [ "$_ran" -eq 0 ]; then
        fail "$2: no unit test binaries in $1/tests (build stage not run?)"
    fi
}

asan_make() {
    make -s B=build-asan OPT="-O1 -g" \
        SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" "$@"
}

for stage in $stages; do
    echo "=== stage: $stage"
    case $stage in
    build)
        if make -s all >"$log/build.log" 2>&1 && make -s unit >>"$log/build.log" 2>&1; then
            pass
        else
            cat "$log/build.log"
            fail "build"
        fi ;;
    symbols)
        # RHEL 9 has glibc 2.34: a binary built here that asks for a newer
        # symbol version (pidfd_open@GLIBC_2.36) would not run there.
        for b in build/bin/mailha-*; do
            [ -x "$b" ] || continue
            v=$(objdump -T "$b" | sed -n 's/.*GLIBC_\([0-9][0-9.]*\).*/\1/p' | sort -V | tail -n 1)
            if [ -z "$v" ]; then
                fail "symbols $b: objdump -T found no glibc symbol version"
            elif [ "$(printf '%s\n2.34\n' "$v" | sort -V | tail -n 1)" = 2.34 ]; then
                pass
            else
                objdump -T "$b" | grep -E "GLIBC_$v\b" | sed 's/^/  /'
                fail "symbols $b: needs GLIBC_$v, above RHEL 9's 2.34"
            fi
        done ;;
    unit)
        run_unit build unit ;;
    asan)
        if asan_make unit >"$log/asan-build.log" 2>&1; then
            ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
                run_unit build-asan asan
        else
            cat "$log/asan-build.log"
            fail "asan build"
        fi ;;
    fuzz)
        if sh tools/fuzz.sh "${MAILHA_FUZZ_SECONDS:-10}" >"$log/fuzz.log" 2>&1; then
            grep '^fuzz ok' "$log/fuzz.log"
            n=$(grep -c '^fuzz ok' "$log/fuzz.log")
            passed=$((passed + n))
        else
            tail -n 40 "$log/fuzz.log"
            n=$(grep -c '^fuzz ok' "$log/fuzz.log")
            passed=$((passed + n))
            fail "fuzz (see $log/fuzz.log)"
        fi ;;
    shellcheck)
        # The lint is a property of the source, judged by the reference
        # linter (Debian 12's 0.9); 0.7 (Debian 11) uses retired codes and
        # flags read's placeholder variables, so its verdict is not ours.
        scv=$(shellcheck --version | sed -n 's/^version: //p')
        if [ "$(printf '%s\n0.8\n' "$scv" | sort -V | head -n 1)" != 0.8 ]; then
            skip "shellcheck: version $scv is older than 0.8, the reference linter is Debian 12's 0.9"
            continue
        fi
        for f in agents/* heartbeat/mailha-shellfuncs tools/*.sh tests/lib/*.sh \
                 tests/bench/*.sh tests/cluster/*.sh tests/fresh/*.sh .ci/run; do
            [ -f "$f" ] || continue
            if shellcheck -s sh -x -P heartbeat "$f" >"$log/shellcheck.log" 2>&1; then
                pass
            else
                cat "$log/shellcheck.log"
                fail "shellcheck $f"
            fi
        done
        # the bats suites, in shellcheck's bats mode (from their shebang):
        # SC2314/SC2315 catch a "! cmd" that asserts nothing mid-test;
        # tests/bats/.shellcheckrc lists the bats false positives left out
        for f in tests/bats/*.bats; do
            [ -f "$f" ] || continue
            if shellcheck -x -P heartbeat "$f" >"$log/shellcheck.log" 2>&1; then
                pass
            else
                cat "$log/shellcheck.log"
                fail "shellcheck $f"
            fi
        done ;;
    metadata)
        # the licence (GPL-2.0-or-later): an SPDX line in every source
        # file git knows, code, tests, tools and packaging alike (the
        # documents, fixtures, fuzz corpus and Debian's own formats aside)
        nospdx=$(git ls-files 2>/dev/null | grep -vE '^(doc/|tests/fixtures/|tests/fuzz/corpus/|README|LICENSE|\.|debian/(changelog|control|copyright|source/|mailha\.lintian-overrides))' \
            | grep -vE '\.(md|xml|txt|json|rng|sample|equivalent)$|/\.shellcheckrc$' \
            | while read -r f; do grep -q 'SPDX-License-Identifier: GPL-2.0-or-later' "$f" || echo "$f"; done)
        if ! git rev-parse --git-dir >/dev/null 2>&1; then
            skip "SPDX lines: not a git checkout"
        elif [ -z "$nospdx" ]; then
            pass
        else
            echo "$nospdx" | sed 's/^/  no SPDX line: /'
            fail "SPDX-License-Identifier missing in $(echo "$nospdx" | wc -l) files"
        fi
        # the agents' version is the package's
        mkver=$(sed -n 's/^VERSION *:= *//p' Makefile)
        for a in agents/*; do
            [ -f "$a" ] || continue
            v=$(sh "$a" meta-data 2>/dev/null | sed -n 's/^<resource-agent name="[a-z]*" version="\([^"]*\)">$/\1/p')
            if [ -n "$mkver" ] && [ "$v" = "$mkver" ]; then
                pass
            else
                fail "meta-data $a: version '$v', the Makefile's VERSION is '$mkver'"
            fi
        done
        rng_spec="$top/../shared/docs/ocf-spec-1.1/ra-api.rng"
        [ -f "$rng_spec" ] || rng_spec=""
        for a in agents/*; do
            [ -f "$a" ] || continue
            md="$log/$(basename "$a").metadata.xml"
            if ! sh "$a" meta-data >"$md" 2>"$log/md.err"; then
                fail "meta-data $a"
                continue
            fi
            # The DTD check is ocf-tester's: --valid in the DTD's folder, so
            # the DOCTYPE's internal subset (OCF 1.1 additions) applies.
            for schema in "$rng_spec" /usr/share/pcs/data/ocf-1.1.rng dtd; do
                [ -n "$schema" ] || continue
                # pcs before 0.10.9 (Debian 11) has no OCF 1.1 schema
                if [ "$schema" != dtd ] && [ ! -f "$schema" ]; then
                    skip "meta-data $a against $schema: not installed"
                    continue
                fi
                case $schema in
                dtd) args="--valid" ;;
                *)   args="--relaxng $schema" ;;
                esac
                # shellcheck disable=SC2086
                if (cd /usr/share/resource-agents && xmllint --noout $args - <"$md") \
                        >"$log/md.err" 2>&1 && ! grep -q 'error' "$log/md.err"; then
                    pass
                else
                    cat "$log/md.err"
                    fail "meta-data $a against $schema"
                fi
            done
        done ;;
    ocft)
        MAILHA_OCFT_KEEP=$log sh tools/ocft.sh >"$log/ocft.tap" 2>&1
        cat "$log/ocft.tap"
        count_tap "$log/ocft.tap" ocft
        # a run that died before its plan, or lost lines, is a failure
        _plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log/ocft.tap")
        _lines=$(grep -c '^\(not \)\{0,1\}ok ' "$log/ocft.tap")
        if [ -z "$_plan" ] || [ "$_plan" -ne "$_lines" ]; then
            fail "ocft: plan ${_plan:-missing}, $_lines results (see $log/ocft.tap)"
        fi ;;
    bats)
        if [ -n "$(ls tests/bats/*.bats 2>/dev/null)" ]; then
            bats --tap tests/bats >"$log/bats.tap" 2>&1
            cat "$log/bats.tap"
            count_tap "$log/bats.tap" bats
        fi ;;
    mutate)
        # C mutants against their unit tests, agent mutants against a few
        # quick bats tests (the lock, as for the bats stage, is the caller's)
        if MUTATE_LOCK="" sh tools/mutate.sh -u -F "${MAILHA_MUTATE_FILTER:-validate-all|bad parameters}" \
                -m tools/mutate.sample >"$log/mutate.log" 2>&1; then
            grep '^  .*score' "$log/mutate.log"
            pass
        else
            tail -n 40 "$log/mutate.log"
            fail "mutate: a sampled mutant survived (see $log/mutate.log)"
        fi ;;
    cluster)
        if [ -x tests/cluster/run.sh ]; then
            sh tests/cluster/run.sh --ci >"$log/cluster.tap" 2>&1
            cat "$log/cluster.tap"
            count_tap "$log/cluster.tap" cluster
        fi ;;
    fresh)
        sh tests/fresh/run.sh >"$log/fresh.tap" 2>&1
        cat "$log/fresh.tap"
        count_tap "$log/fresh.tap" fresh ;;
    bullseye)
        sh tests/fresh/run.sh --suite bullseye >"$log/bullseye.tap" 2>&1
        cat "$log/bullseye.tap"
        count_tap "$log/bullseye.tap" bullseye ;;
    *)
        fail "unknown stage $stage" ;;
    esac
done

if [ -n "$failures" ]; then
    echo "failures:$failures"
fi
if [ "$skipped" -gt 0 ]; then
    echo "skipped (each says why in its stage's output):$skips"
    grep -h '^ok .* # skip' "$log"/*.tap 2>/dev/null | sed 's/^/  /'
    echo "check: $passed passed, $failed failed, $skipped skipped"
else
    echo "check: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
