#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Unit-style tests of heartbeat/mailha-shellfuncs functions, each run in a
# plain POSIX sh (dash on Debian) that sources the library.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# shf CODE - run CODE in sh after sourcing the library
shf() {
    sh -c '. "$1/heartbeat/mailha-shellfuncs"; eval "$2"' sh "$REPO" "$1"
}

@test "mh_check_bool: every OCF spelling of true and false, in any case" {
    for v in yes YES Yes y Y true TRUE True 1 on ON On \
             no NO No n N false FALSE False 0 off OFF Off; do
        run -0 shf "mh_check_bool '$v'"
    done
}

@test "mh_check_bool: anything else is not a boolean" {
    for v in "" maybe 2 yess " yes" "yes " "tru" "o" "of" "-1" "y*"; do
        run -1 shf "mh_check_bool '$v'"
    done
}

@test "mh_check_bool: agrees with mh_is_true on the true side" {
    for v in yes Y true 1 On; do
        run -0 shf "mh_is_true '$v' && mh_check_bool '$v'"
    done
    for v in no N false 0 Off; do
        run -1 shf "mh_is_true '$v'"
        run -0 shf "mh_check_bool '$v'"
    done
}

# The drift agent's validate-all needs no cluster: only the helper's path.
drift_validate() {
    env MAILHA_LIBDIR="$REPO/heartbeat" MAILHA_SBINDIR="$REPO/build/bin" \
        "$@" sh "$REPO/agents/drift" validate-all
}

@test "drift agent: health and allow_uidgid must be booleans (mh_check_bool)" {
    [ -x "$REPO/build/bin/mailha-drift" ] || make -s -C "$REPO" all >&2
    run -0 drift_validate OCF_RESKEY_health=yes OCF_RESKEY_allow_uidgid=off
    run -6 --separate-stderr drift_validate OCF_RESKEY_health=maybe
    assert_equal "$stderr" "ocf-exit-reason:health must be a boolean: maybe"
    run -6 --separate-stderr drift_validate OCF_RESKEY_allow_uidgid=2
    assert_equal "$stderr" "ocf-exit-reason:allow_uidgid must be a boolean: 2"
}
