#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Unit-style tests of heartbeat/mailha-shellfuncs functions, each run in a
# plain POSIX sh (dash on Debian) that sources the library.

load common

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

# drift_agent ACTION [VAR=VALUE...] - the drift agent's validate-all and
# monitor need no cluster: only the helper's path (and a state file)
drift_agent() {
    local action=$1
    shift
    env MAILHA_LIBDIR="$REPO/heartbeat" MAILHA_SBINDIR="$REPO/build/bin" \
        "$@" sh "$REPO/agents/drift" "$action"
}

@test "drift agent: health and allow_uidgid must be booleans (mh_check_bool)" {
    [ -x "$REPO/build/bin/mailha-drift" ] || make -s -C "$REPO" all >&2
    run -0 drift_agent validate-all OCF_RESKEY_health=yes OCF_RESKEY_allow_uidgid=off
    run -6 --separate-stderr drift_agent validate-all OCF_RESKEY_health=maybe
    assert_equal "$stderr" "ocf-exit-reason:health must be a boolean: maybe"
    run -6 --separate-stderr drift_agent validate-all OCF_RESKEY_allow_uidgid=2
    assert_equal "$stderr" "ocf-exit-reason:allow_uidgid must be a boolean: 2"
}

# zombie NAME - ZPID := a zombie whose comm is NAME (its parent, a sleep,
# never waits for it: it exits 0.3 s after that exec); ZPARENT := that parent, for teardown
zombie() {
    local dir
    dir=$(mktemp -d "$BATS_TEST_TMPDIR/z.XXXXXX")
    printf '#!/bin/sh\nsleep 0.3\nexit 0\n' >"$dir/$1"
    chmod +x "$dir/$1"
    sh -c '"$1" & echo $! >"$2"; exec sleep 30' sh "$dir/$1" "$dir/pid" 3>&- &
    ZPARENT=$!
    for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        [ -s "$dir/pid" ] && read -r ZPID <"$dir/pid" &&
            grep -q '^State:.Z' "/proc/$ZPID/status" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

teardown() {
    [ -z "${ZPARENT:-}" ] || kill "$ZPARENT" 2>/dev/null || true
}

@test "mh_running: a live process is running, a zombie and a missing pid are not" {
    run -0 shf "mh_running $$"
    zombie mh-zombie
    run -1 shf "mh_running $ZPID"
    run -0 shf "mh_proc_state $ZPID && [ \"\$MH_PSTATE\" = Z ]"
    run -1 shf "mh_running 999999999"
}

@test "drift agent: a zombie mailha-drift in the state file is not running (monitor 7)" {
    zombie mailha-drift
    printf 'pid %s\njoined 1\nuptime_cs 0\ninterval 10\n' "$ZPID" >"$BATS_TEST_TMPDIR/st"
    run -7 drift_agent monitor OCF_RESKEY_state="$BATS_TEST_TMPDIR/st" OCF_RESKEY_CRM_meta_interval=0
}
