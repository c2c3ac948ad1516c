#!/bin/sh
# mutate.sh - mutation testing: do the tests fail when the code is wrong?
#
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: sh tools/mutate.sh [options] [FILE...]
#   FILE...      the files to mutate (default: every agent, the shell
#                library and every helper's .c file but main.c)
#   -n MAX       at most MAX mutants (after sampling)
#   -s SEED      a pseudo-random sample with this seed (default: in order)
#   -o OPS       only these operators (comma-separated: rc0-7,neg,cmp,...)
#   -m LIST      run the mutants listed in file LIST (lines as --list
#                prints them; # comments), e.g. tools/mutate.sample
#   -t SECONDS   time limit per test command of a mutant (default: five
#                times what the command took unmutated, plus 10 s)
#   -u           C files: unit tests only, not the helper's bats suite
#   -a           C files: the unit tests built and run under AddressSanitizer
#                and UBSan, as make check's asan stage runs them (an
#                off-by-one read is caught where the plain build reads on)
#   -F REGEX     bats suites: only the tests whose name matches (bats -f)
#   -r FILE      also write the results, one line per mutant, to FILE
#   -C DIR       the tree to mutate (default: the one this script is in)
#   --list       print the mutants, run nothing
#
# Each mutant is one small change on one line (tools/mutate.awk lists the
# operators), applied to a copy of the tree in a temporary directory,
# never to this tree.  The tests that cover the file (the map below) run
# against the copy, first unmutated (they must pass, or nothing is
# measured), then once per mutant until one fails: the mutant is killed,
# or it survived every one of them.  A mutant that does not build (C) or
# parse (sh -n) is invalid and not counted; one whose test ran past the
# time limit counts as a timeout (detected: the code hangs).  bats suites
# start real daemons and run under the shared lock, MUTATE_LOCK (default
# /tmp/mailha-systest.lock; empty: no lock, for a caller that holds it).
#
# Mutants listed in tools/mutate.equivalent (as --list prints them, each
# with a comment that says why it cannot change behaviour; file, line,
# operator, number and text must all match) are not run and not counted:
# verdict "equivalent".
#
# The last lines give per file "killed K, timeout T, survived S, invalid I,
# score P%" (P = (K+T) / (K+T+S)); the exit status is 1 if any mutant
# survived (or a baseline failed), 0 otherwise.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
awkprog=$(cd "$(dirname "$0")" && pwd)/mutate.awk
lock=${MUTATE_LOCK-/tmp/mailha-systest.lock}
max=""
seed=""
ops=""
listfile=""
tlimit=""
unit_only=0
asan=0
filter=""
resfile=""
list_only=0
files=""

usage() {
    sed -n '/^# Usage:/,/^#   --list/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
}

while [ $# -gt 0 ]; do
    case $1 in
        -n) max=$2; shift 2 ;;
        -s) seed=$2; shift 2 ;;
        -o) ops=$2; shift 2 ;;
        -m) listfile=$2; shift 2 ;;
        -t) tlimit=$2; shift 2 ;;
        -u) unit_only=1; shift ;;
        -a) asan=1; shift ;;
        -F) filter=$2; shift 2 ;;
        -r) resfile=$2; shift 2 ;;
        -C) top=$(cd "$2" && pwd) || exit 64; shift 2 ;;
        --list) list_only=1; shift ;;
        -h|--help) usage ;;
        -*) usage ;;
        *) files="$files $1"; shift ;;
    esac
done

cd "$top" || exit 70

# lang FILE - sh or c
lang() {
    case $1 in
        *.c) echo c ;;
        *) echo sh ;;
    esac
}

# tests_for FILE - the test commands that cover FILE, one a line, run from
# the top of the copy: "unit NAME..." (cmocka binaries in build/tests) or
# "bats SUITE" (tests/bats/SUITE.bats, under the shared lock)
tests_for() {
    case $1 in
        agents/postfix) echo "bats postfix-agent" ;;
        agents/mailspool) echo "bats mailspool" ;;
        agents/aliases) echo "bats aliases" ;;
        agents/drift) echo "bats drift" ;;
        heartbeat/mailha-shellfuncs) echo "bats postfix-agent"; echo "bats mailspool" ;;
        helpers/aliases/*) echo "unit test_alias_read test_aliases"; echo "bats aliases" ;;
        helpers/check/*) echo "unit test_check"; echo "bats check" ;;
        helpers/drift/*) echo "unit test_drift"; echo "bats drift" ;;
        helpers/logscan/*) echo "unit test_logscan"; echo "bats logscan" ;;
        helpers/spool/spool_lock.c) echo "unit test_spool_lock test_spool test_spool_threads"; echo "bats spool" ;;
        helpers/spool/*) echo "unit test_spool test_spool_lock"; echo "bats spool" ;;
        helpers/status/*) echo "unit test_status"; echo "bats status" ;;
        helpers/lib/mh_clock.c) echo "unit test_mh_clock test_lib" ;;
        helpers/lib/mh_json.c) echo "unit test_mh_json test_lib test_logscan" ;;
        helpers/lib/mh_log.c) echo "unit test_mh_log test_lib" ;;
        helpers/lib/mh_run.c) echo "unit test_mh_run test_lib" ;;
        helpers/probe/*) echo "unit test_probe test_hostile test_authprobe"; echo "bats probe" ;;
        helpers/lib/mh_driftstate.c) echo "unit test_drift test_lib" ;;
        helpers/lib/mh_alias_*.c) echo "unit test_alias_read test_aliases test_alias_access test_mh_alias_priv"; echo "bats aliases" ;;
        helpers/lib/*) echo "unit test_lib test_check test_aliases test_spool" ;;
        *) return 1 ;;
    esac
}

if [ -z "$files" ] && [ -z "$listfile" ]; then
    files="agents/aliases agents/drift agents/mailspool agents/postfix heartbeat/mailha-shellfuncs"
    for f in helpers/*/*.c; do
        case $f in */main.c) ;; *) files="$files $f" ;; esac
    done
fi

work=$(mktemp -d /tmp/mh-mutate.XXXXXX) || exit 70
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
all=$work/mutants

# the mutants: FILE<TAB>LINE<TAB>OP<TAB>N<TAB>TEXT
if [ -n "$listfile" ]; then
    grep -v '^[[:space:]]*#' "$listfile" | grep . >"$all"
else
    : >"$all"
    for f in $files; do
        [ -f "$f" ] || { echo "mutate: no such file: $f" >&2; exit 64; }
        awk -v lang="$(lang "$f")" -v mode=list -v file="$f" -f "$awkprog" "$f" >>"$all"
    done
    if [ -n "$ops" ]; then
        awk -F '\t' -v ops=",$ops," 'index(ops, "," $3 ",") > 0' "$all" >"$all.ops"
        mv "$all.ops" "$all"
    fi
    if [ -n "$seed" ]; then
        awk -v seed="$seed" 'BEGIN { srand(seed) } { printf "%.8f\t%s\n", rand(), $0 }' "$all" \
            | sort -k1,1 | cut -f2- >"$all.s"
        mv "$all.s" "$all"
    fi
fi
if [ -n "$max" ]; then
    head -n "$max" "$all" >"$all.n"
    mv "$all.n" "$all"
fi

if [ "$list_only" -eq 1 ]; then
    cat "$all"
    exit 0
fi
n_all=$(wc -l <"$all")
echo "mutate: $n_all mutants in $(cut -f1 "$all" | sort -u | wc -l) files"
[ "$n_all" -gt 0 ] || exit 0

# the copy: the tree as it is now (tracked files, with their edits), and
# the build directory so that C mutants only recompile their own file
copy=$work/tree
mkdir -p "$copy"
git ls-files -z | xargs -0 tar -cf - 2>/dev/null | tar -xf - -C "$copy" || exit 70
[ -d build ] && cp -a build "$copy/"
ub=build
if [ "$asan" -eq 1 ]; then
    ub=build-asan
    [ -d build-asan ] && cp -a build-asan "$copy/"
fi
# umake ARGS - make for the unit tests (plain, or as check.sh's asan stage)
umake() {
    if [ "$asan" -eq 1 ]; then
        make -s B=build-asan OPT="-O1 -g" \
            SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" "$@"
    else
        make -s "$@"
    fi
}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
(cd "$copy" && make -s all unit && umake unit) >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    echo "mutate: the copy does not build unmutated" >&2
    exit 70
}

# limit_for CMD DEFAULT - the time limit for CMD: -t, or from its baseline
limit_for() {
    if [ -n "$tlimit" ]; then
        echo "$tlimit"
        return
    fi
    if [ ! -f "$work/base.times" ]; then
        echo "$2"
        return
    fi
    awk -F '\t' -v c="$1" -v d="$2" '$1 == c { t = $2 * 5 + 10 } END { print (t ? t : d) }' \
        "$work/base.times"
}

# run_tests CMD - run one test command in the copy; 0 passed, 1 failed,
# 2 timed out
run_tests() {
    _kind=${1%% *}
    _args=${1#* }
    case $_kind in
    unit)
        _t=$(limit_for "$1" 300)
        # the binaries' names, one word each, split on purpose
        # shellcheck disable=SC2046
        (cd "$copy" && umake $(for _u in $_args; do printf '%s/tests/%s ' "$ub" "$_u"; done)) \
            >"$work/make.log" 2>&1 || return 3
        for _u in $_args; do
            timeout -k 5 "$_t" "$copy/$ub/tests/$_u" >"$work/test.log" 2>&1
            case $? in
                0) ;;
                124|137) return 2 ;;
                *) return 1 ;;
            esac
        done
        return 0 ;;
    bats)
        _t=$(limit_for "$1" 1800)
        (cd "$copy" && make -s all) >"$work/make.log" 2>&1 || return 3
        # The suite stops at its first failure (the mutant is killed): INT,
        # on which bats still runs teardown and teardown_file (daemons,
        # mounts); the time limit sends INT too.
        rm -f "$work/bats.pid"
        # shellcheck disable=SC2016  # $$ and $@ are the inner shell's
        ${lock:+flock "$lock"} env MAILHA_LIBDIR="$copy/heartbeat" \
            MAILHA_SBINDIR="$copy/build/bin" MUTATE_PIDFILE="$work/bats.pid" \
            sh -c 'echo $$ >"$MUTATE_PIDFILE"; exec timeout -s INT -k 120 "$@"' sh \
            "$_t" bats --tap ${filter:+-f "$filter"} "$copy/tests/bats/$_args.bats" \
            >"$work/test.log" 2>&1 &
        _bg=$!
        while kill -0 "$_bg" 2>/dev/null; do
            if grep -q '^not ok' "$work/test.log" && [ -s "$work/bats.pid" ]; then
                kill -INT "$(cat "$work/bats.pid")" 2>/dev/null
                wait "$_bg"
                return 1
            fi
            sleep 1
        done
        wait "$_bg"
        case $? in
            0) return 0 ;;
            124|137) return 2 ;;
            *) return 1 ;;
        esac ;;
    esac
    return 1
}

# cmds_for FILE - tests_for, less the bats suites of C files with -u
cmds_for() {
    tests_for "$1" || { echo "mutate: no tests mapped for $1" >&2; return 1; }
}
if [ "$unit_only" -eq 1 ]; then
    cmds_for() {
        tests_for "$1" | { if [ "$(lang "$1")" = c ]; then grep -v '^bats '; else cat; fi; }
    }
fi

# the baseline: every command the selected files need, unmutated
cut -f1 "$all" | sort -u | while read -r f; do
    cmds_for "$f"
done | sort -u | while read -r cmd; do
    t0=$(date +%s)
    run_tests "$cmd" </dev/null
    rc=$?
    printf '%s\t%s\n' "$cmd" "$(($(date +%s) - t0))" >>"$work/base.times"
    if [ $rc -ne 0 ]; then
        echo "mutate: baseline FAILED (status $rc): $cmd" >&2
        tail -n 30 "$work/test.log" >&2
        echo fail >"$work/baseline.fail"
    else
        echo "mutate: baseline ok: $cmd"
    fi
done
if [ -f "$work/baseline.fail" ]; then
    echo "mutate: the tests fail without any mutant: nothing measured" >&2
    exit 1
fi

# the equivalent mutants, keyed by file, line, operator, number and text
# (a listed line that moved no longer matches: its mutant runs again and
# shows up until the list is brought up to date; nothing is hidden)
equiv=$work/equivalent
grep -v '^[[:space:]]*#' "$(dirname "$awkprog")/mutate.equivalent" 2>/dev/null \
    | awk -F '\t' 'NF >= 5' >"$equiv"

results=$work/results
: >"$results"
i=0
while IFS='	' read -r f line op n text; do
    i=$((i + 1))
    if printf '%s\t%s\t%s\t%s\t%s\n' "$f" "$line" "$op" "$n" "$text" | grep -qxFf - "$equiv"; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' equivalent "$f" "$line" "$op" "$n" "$text" >>"$results"
        printf '[%d/%d] %-8s %s:%s %s#%s: %s\n' "$i" "$n_all" equivalent "$f" "$line" "$op" "$n" "$text"
        continue
    fi
    # the file as the copy has it (not this tree's, which may change while
    # the run goes on), kept aside to restore it after each mutant
    if [ ! -f "$work/pristine/$f" ]; then
        mkdir -p "$work/pristine/$(dirname "$f")"
        cp "$copy/$f" "$work/pristine/$f"
    fi
    # apply it: the line is found by its text (the line number breaks ties)
    if ! MUTATE_TEXT=$text awk -v lang="$(lang "$f")" -v mode=apply -v want_op="$op" \
            -v want_n="$n" -v want_line="$line" -f "$awkprog" "$work/pristine/$f" \
            >"$work/mutant" 2>"$work/at"; then
        verdict=stale
        at=$line
        new="(line not found: the file changed; update the list)"
    else
        at=$(cat "$work/at")
        new=$(sed -n "${at}p" "$work/mutant")
        cp "$work/mutant" "$copy/$f"
        verdict=survived
        if [ "$(lang "$f")" = sh ] && ! sh -n "$copy/$f" 2>/dev/null; then
            verdict=invalid
        else
            cmds_for "$f" >"$work/cmds"
            while read -r cmd; do
                run_tests "$cmd" </dev/null
                case $? in
                    0) ;;
                    1) verdict=killed; break ;;
                    2) verdict=timeout; break ;;
                    3) verdict=invalid; break ;;
                esac
            done <"$work/cmds"
        fi
        # back to the original (a newer mtime: make rebuilds it)
        cp "$work/pristine/$f" "$copy/$f"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$verdict" "$f" "$at" "$op" "$n" "$text" >>"$results"
    printf '[%d/%d] %-8s %s:%s %s#%s: %s\n' "$i" "$n_all" "$verdict" "$f" "$at" "$op" "$n" "$text"
    case $verdict in
        survived|stale) printf '          mutant: %s\n' "$(printf '%s' "$new" | sed 's/^[[:space:]]*//')" ;;
    esac
done <"$all"

[ -n "$resfile" ] && cp "$results" "$resfile"
echo "mutate: per file"
awk -F '\t' '
    { f[$2] = 1; c[$2, $1]++ }
    END {
        for (x in f) {
            k = c[x, "killed"] + 0; t = c[x, "timeout"] + 0; s = c[x, "survived"] + 0
            v = c[x, "invalid"] + 0; st = c[x, "stale"] + 0; e = c[x, "equivalent"] + 0
            d = k + t + s
            printf "  %s: killed %d, timeout %d, survived %d, invalid %d, equivalent %d%s, score %s\n",
                x, k, t, s, v, e, (st ? ", stale " st : ""), (d ? sprintf("%d%%", int(100 * (k + t) / d)) : "-")
        }
    }' "$results" | sort
if grep -q '^survived	\|^stale	' "$results"; then
    echo "mutate: survivors:"
    grep '^survived	\|^stale	' "$results" | awk -F '\t' '{ printf "  %s %s:%s %s#%s: %s\n", $1, $2, $3, $4, $5, $6 }'
    exit 1
fi
exit 0
