#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# test-users.sh - users and groups a bats suite adds to this machine, and
# takes away again when it is done.  Sourced (bats: `. "$REPO/tests/lib/
# test-users.sh"`); POSIX sh.
#
#   tu_user NAME    the user NAME (no home, no login shell), added if missing
#   tu_group NAME   the group NAME, added if missing
#   tu_cleanup      in teardown_file: delete what tu_user and tu_group added
#                   in this run of the file; false if a deletion failed
#
# Only what this run added is deleted: a user or group that existed before
# (the machine's own, or one a test of another developer relies on) stays.
# The list is kept in $BATS_FILE_TMPDIR, which setup_file, every test and
# teardown_file of one .bats file share; set TU_LIST to use another file.

# tu_list - the file naming what this run added, one "user|group NAME" a line
tu_list() {
    if [ -n "${TU_LIST:-}" ]; then
        printf '%s\n' "$TU_LIST"
    else
        printf '%s\n' "${BATS_FILE_TMPDIR:?tu_list: BATS_FILE_TMPDIR is not set}/mailha-test-users"
    fi
}

# tu_user NAME - the user NAME, added (and listed) when it does not exist
tu_user() {
    id -u "$1" >/dev/null 2>&1 && return 0
    _tu_list=$(tu_list) || return 1
    useradd -M -d /nonexistent -s /usr/sbin/nologin "$1" || return 1
    printf 'user %s\n' "$1" >>"$_tu_list"
}

# tu_group NAME - the group NAME, added (and listed) when it does not exist
tu_group() {
    getent group "$1" >/dev/null 2>&1 && return 0
    _tu_list=$(tu_list) || return 1
    groupadd "$1" || return 1
    printf 'group %s\n' "$1" >>"$_tu_list"
}

# tu_cleanup - delete the users, then the groups, this run added
tu_cleanup() {
    _tu_rc=0
    _tu_list=$(tu_list) || return 1
    [ -f "$_tu_list" ] || return 0
    # users first: a group cannot go while it is a user's primary group
    # (userdel also deletes the user's own group that useradd made)
    for _tu_want in user group; do
        while read -r _tu_kind _tu_name; do
            [ "$_tu_kind" = "$_tu_want" ] || continue
            if [ "$_tu_kind" = user ]; then
                if id -u "$_tu_name" >/dev/null 2>&1; then
                    userdel "$_tu_name" || _tu_rc=1
                fi
            elif getent group "$_tu_name" >/dev/null 2>&1; then
                groupdel "$_tu_name" || _tu_rc=1
            fi
        done <"$_tu_list"
    done
    [ "$_tu_rc" -ne 0 ] || rm -f "$_tu_list"
    return "$_tu_rc"
}
