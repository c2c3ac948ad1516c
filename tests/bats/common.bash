# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# tests/bats/common.bash - the preamble every bats suite shares, read with
# `load common` as the suite's first line of code: the bats version the
# suites need (run -N, run !), the bats-support, bats-assert and bats-file
# libraries, REPO (the tree the suite is in), the directories the agents
# and the library find the helpers in (the caller's, as tools/check.sh
# exports them, else this tree's), and common_build.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
export MAILHA_LIBDIR=${MAILHA_LIBDIR:-$REPO/heartbeat}
export MAILHA_SBINDIR=${MAILHA_SBINDIR:-$REPO/build/bin}

# common_build PROG... - make the tree's programs (make all) unless every
# PROG (mailha-NAME) is already built in $REPO/build/bin; for setup_file
common_build() {
    local p
    for p in "$@"; do
        if ! [ -x "$REPO/build/bin/$p" ]; then
            make -s -C "$REPO" all >&2
            return
        fi
    done
}

# check_json CONFIG_DIR [ARGS...] - mailha-check's JSON report on the
# Postfix configuration in CONFIG_DIR, on stdout.  Fails unless
# mailha-check gave a JSON report and exited as the report says (1 with
# errors, 0 without): a crash, a usage error or no report at all is never
# taken for "no findings".  $CHECK is the mailha-check to run.
check_json() {
    local dir=$1 rc=0 json errs want
    shift
    json=$("$CHECK" -c "$dir" --format json "$@") || rc=$?
    errs=$(printf '%s\n' "$json" | jq -r '.errors') || return 1
    case $errs in
    '' | *[!0-9]*)
        echo "check_json: mailha-check exited $rc without a report" >&2
        return 1 ;;
    esac
    if [ "$errs" -gt 0 ]; then want=1; else want=0; fi
    if [ "$rc" -ne "$want" ]; then
        echo "check_json: mailha-check exited $rc with $errs errors in its report" >&2
        return 1
    fi
    printf '%s\n' "$json"
}
