#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/lib/test-users.sh, the suites' test users: what a run adds is
# deleted by tu_cleanup, what existed before is left, a failed deletion is
# reported and kept for another try, and nothing is added without a list.

load common

. "$REPO/tests/lib/test-users.sh"

setup() {
    # names of this run only; each test keeps its own list
    U1=mhtu$$a
    U2=mhtu$$b
    G1=mhtu$$g
    export TU_LIST=$BATS_TEST_TMPDIR/users
    SLEEPER=
}

teardown() {
    [ -z "$SLEEPER" ] || kill "$SLEEPER" 2>/dev/null
    [ -z "$SLEEPER" ] || wait "$SLEEPER" 2>/dev/null
    # whatever a failed test left behind
    for u in "$U1" "$U2"; do
        if id -u "$u" >/dev/null 2>&1; then userdel "$u"; fi
    done
    if getent group "$G1" >/dev/null; then groupdel "$G1"; fi
}

@test "a user and a group added by the run are deleted by tu_cleanup, the user's own group too" {
    run ! id -u "$U1"
    tu_user "$U1"
    tu_group "$G1"
    usermod -a -G "$G1" "$U1"
    run id -nG "$U1"
    assert_output "$U1 $G1"
    run getent passwd "$U1"
    assert_output --regexp "^$U1:x:[0-9]+:[0-9]+::/nonexistent:/usr/sbin/nologin\$"
    assert_file_not_exists /nonexistent
    # asking again adds nothing and lists nothing twice
    tu_user "$U1"
    tu_group "$G1"
    run cat "$TU_LIST"
    assert_output "user $U1
group $G1"
    run tu_cleanup
    assert_success
    run ! id -u "$U1"
    run ! getent group "$U1"
    run ! getent group "$G1"
    assert_file_not_exists "$TU_LIST"
}

@test "users and groups that existed before are left in place" {
    useradd -M -d /nonexistent -s /usr/sbin/nologin "$U2"
    groupadd "$G1"
    tu_user "$U2"
    tu_group "$G1"
    tu_user root
    tu_group mail
    assert_file_not_exists "$TU_LIST"
    run tu_cleanup
    assert_success
    run id -u "$U2"
    assert_success
    run getent group "$G1"
    assert_success
    run id -u root
    assert_output 0
}

@test "only what this run added goes, next to a user that existed" {
    useradd -M -d /nonexistent -s /usr/sbin/nologin "$U2"
    tu_user "$U1"
    tu_user "$U2"
    run cat "$TU_LIST"
    assert_output "user $U1"
    run tu_cleanup
    assert_success
    run ! id -u "$U1"
    run id -u "$U2"
    assert_success
}

@test "a user still running a process is not deleted: failure, the list kept for another try" {
    tu_user "$U1"
    setpriv --reuid="$U1" --regid=nogroup --clear-groups sleep 600 3>&- &
    SLEEPER=$!
    # wait until the process runs as the user (setpriv has switched)
    n=100
    until [ "$(stat -c %u "/proc/$SLEEPER" 2>/dev/null)" = "$(id -u "$U1")" ] || [ "$n" -eq 0 ]; do
        sleep 0.1
        n=$((n - 1))
    done
    run --separate-stderr tu_cleanup
    assert_failure
    assert_regex "$stderr" "userdel: user $U1 is currently used by process"
    run id -u "$U1"
    assert_success
    assert_file_exists "$TU_LIST"
    kill "$SLEEPER"
    wait "$SLEEPER" || true
    SLEEPER=
    run tu_cleanup
    assert_success
    run ! id -u "$U1"
}

@test "a listed user already gone, or nothing listed: tu_cleanup succeeds" {
    run tu_cleanup
    assert_success
    tu_user "$U1"
    userdel "$U1"
    run tu_cleanup
    assert_success
    assert_file_not_exists "$TU_LIST"
}

@test "without a list to record in, no user is added" {
    run --separate-stderr env -u TU_LIST -u BATS_FILE_TMPDIR sh -c \
        ". '$REPO/tests/lib/test-users.sh'; tu_user '$U1'"
    assert_failure
    assert_regex "$stderr" "BATS_FILE_TMPDIR is not set"
    run ! id -u "$U1"
    run --separate-stderr env -u TU_LIST -u BATS_FILE_TMPDIR sh -c \
        ". '$REPO/tests/lib/test-users.sh'; tu_group '$G1'"
    assert_failure
    run ! getent group "$G1"
}

@test "a name useradd refuses: failure, nothing listed" {
    run --separate-stderr tu_user "Bad:Name"
    assert_failure
    assert_file_not_exists "$TU_LIST"
    run --separate-stderr tu_group "bad group"
    assert_failure
    assert_file_not_exists "$TU_LIST"
}
