#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mailha-spool, the command: audit, create, orphans, policy on a spool in a
# temporary directory, with accounts from a passwd-format file (--passwd)
# so that uids, drift and selection are under the test's control.  The
# attack cases plant what a hostile user of the spool could plant.

# $ARGS is a list of options, split into words on purpose:
# shellcheck disable=SC2086
load common

. "$REPO/tests/lib/test-users.sh"

setup_file() {
    common_build mailha-spool
}

teardown_file() {
    tu_cleanup
}

setup() {
    T=$(mktemp -d /tmp/mh-spoolcli.XXXXXX)
    S=$T/spool
    mkdir "$S"
    chown root:mail "$S"
    chmod 2775 "$S"
    cat >"$T/passwd" <<PW
root:x:0:0:root:/root:/bin/sh
alice:x:4101:4101::/nonexistent:/usr/sbin/nologin
bob:x:4102:4102::/nonexistent:/usr/sbin/nologin
carol:x:4103:4103::/nonexistent:/usr/sbin/nologin
svc:x:200:200::/nonexistent:/usr/sbin/nologin
PW
    SP="$MAILHA_SBINDIR/mailha-spool"
    ARGS="--dir $S --passwd $T/passwd --uid-min 4100 --uid-max 4199"
}

teardown() {
    rm -rf "$T"
}

@test "create mbox: one file per selected account, owner the user, group mail, 0600" {
    run "$SP" create $ARGS --format mbox
    assert_success
    assert_line --partial "created    alice: mbox, uid 4101 gid 8, mode 0600"
    run stat -c '%u %G %a' "$S/bob"
    assert_output "4102 mail 600"
    run stat -c '%u %G %a' "$S/alice"
    assert_output "4101 mail 600"
    run stat -c '%u %G %a' "$S/carol"
    assert_output "4103 mail 600"
    # outside the uid range: no mailbox
    assert_file_not_exists "$S/svc"
    assert_file_not_exists "$S/root"
    # the spool stays as it was: not world-writable
    run stat -c '%a %U %G' "$S"
    assert_output "2775 root mail"
    # a second run has nothing to do, and the audit is clean
    run "$SP" create $ARGS --format mbox
    assert_success
    refute_output --partial created
    run "$SP" audit $ARGS --format mbox
    assert_success
    assert_output --partial "3 mailboxes, 0 problems"
}

@test "create maildir: directory 0700 with cur/ new/ tmp/, all owned by the user" {
    run "$SP" create $ARGS --format maildir
    assert_success
    for d in "" /cur /new /tmp; do
        run stat -c '%u %g %a' "$S/bob$d"
        assert_output "4102 4102 700"
    done
    run "$SP" audit $ARGS --format maildir
    assert_success
    # a maildir missing tmp/ is reported, and create completes it
    rmdir "$S/bob/tmp"
    run "$SP" audit $ARGS --format maildir
    assert_failure 1
    assert_line --partial "incomplete bob: tmp/"
    run "$SP" create $ARGS --format maildir
    assert_success
    assert_line --partial "fixed      bob: added 1 of cur/ new/ tmp/"
    run stat -c '%u %a' "$S/bob/tmp"
    assert_output "4102 700"
}

@test "a symlink planted where a mailbox will be created is not followed" {
    echo "precious" >"$T/target"
    ln -s "$T/target" "$S/alice"
    ln -s "$T/nonexistent" "$S/bob"
    run "$SP" create $ARGS --format mbox
    assert_failure 1
    assert_line --partial "unsafe     alice: symbolic link"
    # neither the target nor a dangling target was touched or created
    run stat -c '%u %a' "$T/target"
    assert_output "0 644"
    run cat "$T/target"
    assert_output "precious"
    assert_file_not_exists "$T/nonexistent"
    run "$SP" audit $ARGS --format mbox
    assert_failure 1
    assert_line --partial "unsafe     alice: symbolic link where a mailbox should be"
    assert_line --partial "unsafe     bob: symbolic link where a mailbox should be"
    # maildir: the same for a planted directory symlink
    rm -f "$S/alice" "$S/bob" "$S/carol"
    mkdir "$T/elsewhere"
    ln -s "$T/elsewhere" "$S/carol"
    run "$SP" create $ARGS --format maildir
    assert_failure 1
    assert_dir_not_exists "$T/elsewhere/cur"
    run stat -c '%u' "$T/elsewhere"
    assert_output "0"
}

@test "a hard-linked mailbox is refused and reported, never changed" {
    "$SP" create $ARGS --format mbox
    # bob links alice's mailbox under his own name elsewhere in the spool
    ln "$S/alice" "$T/stolen"
    run "$SP" audit $ARGS --format mbox
    assert_failure 1
    assert_line --partial "unsafe     alice: 2 hard links to a mailbox"
    run "$SP" create $ARGS --format mbox
    assert_success
    run stat -c '%u %h' "$S/alice"
    assert_output "4101 2"
}

@test "a mailbox owned by the wrong uid is drift: reported, never chowned" {
    "$SP" create $ARGS --format mbox
    chown 4102 "$S/alice"
    run "$SP" audit $ARGS --format mbox
    assert_failure 1
    assert_line --partial "drift      alice: owned by uid 4102, but alice is uid 4101 on this node"
    run "$SP" create $ARGS --format mbox
    assert_success
    run stat -c '%u' "$S/alice"
    assert_output "4102"
    # JSON for scripts says the same
    run "$SP" audit $ARGS --format mbox --json
    assert_failure 1
    run python3 -c 'import json,sys; d=json.load(sys.stdin); print([f["kind"]+":"+f["name"] for f in d["findings"]])' <<<"$output"
    assert_output "['drift:alice']"
}

@test "orphans: mailboxes whose name is no account; wrong modes and types" {
    "$SP" create $ARGS --format mbox
    : >"$S/deleteduser"
    chmod 0644 "$S/bob"
    mkdir "$S/carol.d"
    run "$SP" orphans $ARGS --format mbox
    assert_failure 1
    assert_line --partial "orphan     deleteduser: no account of that name"
    assert_line --partial "orphan     carol.d"
    refute_line --partial "bob"
    run "$SP" audit $ARGS --format mbox
    assert_line --partial "mode       bob: mode 0644, want 0600"
    # lost+found, dot files and dot-locks are no mailboxes
    mkdir "$S/lost+found"
    : >"$S/.hidden"
    : >"$S/alice.lock"
    run "$SP" orphans $ARGS --format mbox --json
    assert_failure 1
    run python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted(f["name"] for f in d["findings"]))' <<<"$output"
    assert_output "['carol.d', 'deleteduser']"
}

@test "a hostile file name cannot forge output lines" {
    : >"$S/$(printf 'x\nmissing    root: forged')"
    run "$SP" orphans $ARGS --format mbox
    assert_failure 1
    refute_line "missing    root: forged"
    assert_line --partial 'x\x0amissing'
}

@test "reports quote names by the one rule: UTF-8 kept, invalid bytes U+FFFD in JSON, control bytes escaped in text (issue 15 #12)" {
    : >"$S/$(printf 'jos\303\251')"
    : >"$S/$(printf 'bad\377x')"
    : >"$S/$(printf 'esc\033[2Kx')"
    run "$SP" orphans $ARGS --format mbox --json
    assert_failure 1
    # the JSON is valid and a UTF-8 name comes back as itself (it was
    # "jos\u00c3\u00a9", which JSON reads as "josÃ©")
    run python3 -c 'import json,sys; d=json.load(sys.stdin); print(ascii(sorted(f["name"] for f in d["findings"])))' <<<"$output"
    assert_success
    assert_output "['bad\ufffdx', 'esc\x1b[2Kx', 'jos\xe9']"
    run "$SP" orphans $ARGS --format mbox
    assert_failure 1
    assert_line --partial 'josé'
    assert_line --partial 'esc\x1b[2Kx'
    refute_output --partial "$(printf '\033')"
}

@test "policy: a world-writable spool is reported and fixed; 0777 is refused" {
    chown 0:0 "$S"
    chmod g-s,a=rwx "$S"
    run "$SP" audit $ARGS --format mbox
    assert_failure 1
    assert_line --partial "mode 0777: world-writable without the sticky bit"
    run "$SP" policy --dir "$S"
    assert_success
    run stat -c '%a %U %G' "$S"
    assert_output "2775 root mail"
    run "$SP" policy --dir "$S" --mode 0777
    assert_failure 64
    run --separate-stderr "$SP" policy --dir "$S" --mode 0777 --ocf
    assert_failure 6
    assert_equal "$stderr" "ocf-exit-reason:mode 0777 is world-writable without the sticky bit"
    # 1777 (sticky) is an acceptable policy
    run "$SP" policy --dir "$S" --mode 1777
    assert_success
    run stat -c '%a' "$S"
    assert_output "1777"
}

@test "selection by group: only members within the uid range" {
    tu_group mhspooltest
    tu_user mhspoolcli1
    usermod -a -G mhspooltest mhspoolcli1
    run "$SP" create --dir "$S" --format mbox --group mhspooltest
    assert_success
    assert_file_exists "$S/mhspoolcli1"
    run sh -c "ls '$S' | wc -l"
    assert_output "1"
}

@test "bad usage and missing things give the right codes" {
    run "$SP" frobnicate --dir "$S"
    assert_failure 64
    run "$SP" audit --dir "$S" --format mbx
    assert_failure 64
    run "$SP" audit --dir "$S" --uid-min 10 --uid-max 5
    assert_failure 64
    run --separate-stderr "$SP" audit --dir "$S" --group nosuchgroup-mh --ocf
    assert_failure 5
    assert_equal "$stderr" "ocf-exit-reason:group nosuchgroup-mh: no such group on this node"
    run "$SP" audit --dir "$T/nonexistent" --format mbox
    assert_failure 70
    # holders refuses a directory that is not a mount point: its device
    # would be the parent filesystem's
    run "$SP" holders --dir "$S"
    assert_failure 64
    assert_output --partial "not a mount point"
    run "$SP" holders --dir /
    assert_failure 64
}

@test "rwcheck: round trip in the spool leaves nothing behind; refuses a read-only spool" {
    run "$SP" rwcheck --dir "$S"
    assert_success
    assert_file_not_exists "$S/.mailha-rwcheck"
    # a stale status file (a symlink planted by a group-mail user) is removed, not followed
    ln -s "$T/target" "$S/.mailha-rwcheck"
    run "$SP" rwcheck --dir "$S"
    assert_success
    assert_file_not_exists "$T/target"
    run --separate-stderr "$SP" rwcheck --dir "$T/nonexistent" --ocf
    assert_failure 1
    assert_output ""
    [[ "$stderr" == "ocf-exit-reason:open $T/nonexistent: No such file or directory" ]]
}

# old_locks - wait until every dot-lock made so far is 2 s old (ctime:
# it cannot be set back), so --stale-lock-time 1 judges them stale
old_locks() {
    sleep 2.1
}

@test "locks: a stale dot-lock is reported, then removed; one in use is kept" {
    "$SP" create $ARGS --format mbox
    # left by a dead node's local(8): the user's (group-writable spool) or root's
    : >"$S/alice.lock"
    chown 4101:mail "$S/alice.lock"
    printf '12345\n' >"$S/bob.lock"     # liblockfile writes a pid
    # not a managed account: never judged, never removed
    : >"$S/svc.lock"
    : >"$S/nosuchuser.lock"
    old_locks
    : >"$S/carol.lock"               # a delivery in progress
    chown 4103 "$S/carol.lock"
    run "$SP" locks $ARGS --format mbox --stale-lock-time 1
    assert_failure 1
    assert_line --regexp '^stale      alice\.lock: stale dot-lock: [0-9]+ s old \(stale_lock_time 1 s\), owner uid 4101; mail to alice waits until it is broken$'
    assert_line --partial "stale      bob.lock: stale dot-lock"
    assert_line --regexp '^locked     carol\.lock: in use: [01] s old, stale after 1 s$'
    refute_line --partial "svc.lock"
    refute_line --partial "nosuchuser.lock"
    # the audit reports the stale ones (problems), not the one in use
    run "$SP" audit $ARGS --format mbox --stale-lock-time 1
    assert_failure 1
    assert_line --partial "stale      alice.lock"
    refute_line --partial "carol.lock"
    assert_line --partial "3 mailboxes, 2 problems"
    # Postfix's default (500 s): nothing here is stale
    run "$SP" locks $ARGS --format mbox --remove
    assert_success
    assert_file_exists "$S/alice.lock"
    run "$SP" locks $ARGS --format mbox --stale-lock-time 1 --remove
    assert_success
    assert_line --regexp '^removed    alice\.lock: stale dot-lock removed: [0-9]+ s old \(stale_lock_time 1 s\), owner uid 4101$'
    assert_line --partial "removed    bob.lock"
    assert_file_not_exists "$S/alice.lock"
    assert_file_not_exists "$S/bob.lock"
    assert_file_exists "$S/carol.lock"
    assert_file_exists "$S/svc.lock"
    assert_file_exists "$S/nosuchuser.lock"
    # the mailboxes themselves are untouched
    run stat -c '%n %u %a' "$S/alice" "$S/bob"
    assert_output "$S/alice 4101 600
$S/bob 4102 600"
    # a maildir spool has no dot-locks: nothing is judged or removed
    run "$SP" locks $ARGS --format maildir --stale-lock-time 0 --remove
    assert_success
    assert_line --partial ": 0 dot-locks, 0 problems"
    assert_file_exists "$S/carol.lock"
    run "$SP" audit $ARGS --format mbox --stale-lock-time 1
    assert_success
}

@test "locks: symlinks, hard links, foreign owners, directories, FIFOs and big files are left alone" {
    "$SP" create $ARGS --format mbox
    echo "precious" >"$T/target"
    ln -s "$T/target" "$S/alice.lock"
    echo "also precious" >"$T/linked"
    ln "$T/linked" "$S/bob.lock"
    : >"$S/carol.lock"
    chown 4102 "$S/carol.lock"       # bob planted a lock in carol's name
    old_locks
    run "$SP" locks $ARGS --format mbox --stale-lock-time 1 --remove
    assert_failure 1
    assert_line "unsafe     alice.lock: symbolic link where a dot-lock should be; left alone"
    assert_line "unsafe     bob.lock: 2 hard links to a dot-lock; left alone"
    assert_line "unsafe     carol.lock: dot-lock owned by uid 4102, neither carol (uid 4103) nor root; left alone"
    refute_line --partial "removed"
    assert_link_exists "$S/alice.lock"
    run cat "$T/target" "$S/bob.lock"
    assert_output "precious
also precious"
    run stat -c '%h' "$T/linked"
    assert_output "2"
    assert_file_exists "$S/carol.lock"
    # a symlink to a directory, a directory, a FIFO, a file too big to be a lock
    rm -f "$S/alice.lock" "$S/bob.lock" "$S/carol.lock"
    mkdir "$T/dir"
    ln -s "$T/dir" "$S/alice.lock"
    mkdir "$S/bob.lock"
    mkfifo "$S/carol.lock"
    old_locks
    run "$SP" locks $ARGS --format mbox --stale-lock-time 1 --remove
    assert_failure 1
    assert_line "unsafe     alice.lock: symbolic link where a dot-lock should be; left alone"
    assert_line "unsafe     bob.lock: directory where a dot-lock should be; left alone"
    assert_line "unsafe     carol.lock: special file where a dot-lock should be; left alone"
    assert_dir_exists "$T/dir"
    assert_dir_exists "$S/bob.lock"
    assert_fifo_exist "$S/carol.lock"
    rm -rf "$S/alice.lock" "$S/bob.lock" "$S/carol.lock"
    head -c 100 /dev/zero >"$S/alice.lock"
    chown 4101 "$S/alice.lock"
    old_locks
    run "$SP" locks $ARGS --format mbox --stale-lock-time 1 --remove
    assert_failure 1
    assert_line "unsafe     alice.lock: 100 bytes: too big for a dot-lock; left alone"
    run stat -c '%s' "$S/alice.lock"
    assert_output "100"
}

@test "locks: stale_lock_time comes from the Postfix instance; bad values are refused" {
    "$SP" create $ARGS --format mbox
    mkdir "$T/pf"
    : >"$T/pf/main.cf"
    : >"$T/pf/master.cf"
    postconf -c "$T/pf" -e 'stale_lock_time = 1s'
    : >"$S/alice.lock"
    old_locks
    run "$SP" locks $ARGS --format mbox --config-dir "$T/pf" --remove
    assert_success
    assert_line --partial "removed    alice.lock: stale dot-lock removed"
    assert_line --partial "(stale_lock_time 1 s)"
    # units as Postfix writes them
    postconf -c "$T/pf" -e 'stale_lock_time = 2h'
    : >"$S/alice.lock"
    run "$SP" locks $ARGS --format mbox --config-dir "$T/pf"
    assert_success
    assert_line --partial "stale after 7200 s"
    # --stale-lock-time wins over the instance
    old_locks
    run "$SP" locks $ARGS --format mbox --config-dir "$T/pf" --stale-lock-time 1
    assert_failure 1
    assert_line --partial "stale      alice.lock"
    run --separate-stderr "$SP" locks $ARGS --format mbox --stale-lock-time 5x
    assert_failure 64
    assert_equal "$stderr" 'mailha-spool: bad value for option --stale-lock-time: "5x"'
    run --separate-stderr "$SP" locks $ARGS --format mbox --stale-lock-time -1 --ocf
    assert_failure 6
    postconf -c "$T/pf" -e 'stale_lock_time = soon'
    run --separate-stderr "$SP" locks $ARGS --format mbox --config-dir "$T/pf" --ocf
    assert_failure 6
    assert_equal "$stderr" "ocf-exit-reason:stale_lock_time of $T/pf: not a time value: \"soon\""
    assert_file_exists "$S/alice.lock"
}

@test "rwcheck: a name a user planted in a 1777 spool (a directory) neither fails it nor is touched (issue 15 #3)" {
    chmod 755 "$T"
    chmod 1777 "$S"
    setpriv --reuid=nobody --regid=nogroup --clear-groups mkdir "$S/.mailha-rwcheck"
    setpriv --reuid=nobody --regid=nogroup --clear-groups touch "$S/.mailha-rwcheck/x"
    for _ in 1 2; do
        run --separate-stderr "$SP" rwcheck --dir "$S" --ocf
        assert_success
    done
    # the user's directory is as it was, and rwcheck left nothing
    run stat -c '%U %F' "$S/.mailha-rwcheck"
    assert_output "nobody directory"
    assert_file_exists "$S/.mailha-rwcheck/x"
    run ls -A "$S"
    assert_output ".mailha-rwcheck"
}

@test "audit and create agree on account names no mailbox can have: .., ../../x, evil.lock (issue 15 #13)" {
    cat >>"$T/passwd" <<PW
..:x:4111:4111::/nonexistent:/usr/sbin/nologin
../../x:x:4112:4112::/nonexistent:/usr/sbin/nologin
evil.lock:x:4113:4113::/nonexistent:/usr/sbin/nologin
.hidden:x:4114:4114::/nonexistent:/usr/sbin/nologin
lost+found:x:4115:4115::/nonexistent:/usr/sbin/nologin
PW
    set -o pipefail
    bad='["..", "../../x", ".hidden", "evil.lock", "lost+found"]'
    # create: each reported (not skipped in silence), nothing made for them
    run "$SP" create $ARGS --format mbox --json
    assert_failure 1
    echo "$output" | jq -e --argjson bad "$bad" \
        '[.findings[] | select(.kind == "unsafe") | .name] | sort == $bad'
    echo "$output" | jq -e '[.findings[] | select(.kind == "created") | .name] | sort == ["alice", "bob", "carol"]'
    run ls -A "$S"
    assert_output "$(printf 'alice\nbob\ncarol')"
    assert_file_not_exists "$T/x"
    # audit: the same names, the same way, and not as missing mailboxes
    run "$SP" audit $ARGS --format mbox --json
    assert_failure 1
    echo "$output" | jq -e --argjson bad "$bad" \
        '[.findings[] | select(.kind == "unsafe") | .name] | sort == $bad'
    echo "$output" | jq -e '[.findings[] | select(.kind == "missing")] == []'
    run "$SP" audit $ARGS --format mbox
    assert_line --partial 'unsafe     ../../x: account name cannot name a mailbox in the spool'
}

@test "start: policy, mailboxes and stale dot-locks in one run, one read of Postfix; --ocf logs its findings" {
    mkdir "$T/pf"
    : >"$T/pf/main.cf"
    : >"$T/pf/master.cf"
    postconf -c "$T/pf" -e 'stale_lock_time = 1s' 'mail_spool_directory = /var/mail'
    chmod 0755 "$S"
    : >"$S/alice.lock"
    ln -s "$T/passwd" "$S/bob.lock"
    old_locks
    run --separate-stderr "$SP" start $ARGS --config-dir "$T/pf" --remove --ocf
    assert_success
    run stat -c '%a' "$S"
    assert_output "2775"
    run stat -c '%u %G %a' "$S/carol"
    assert_output "4103 mail 600"
    assert_file_not_exists "$S/alice.lock"
    run readlink "$S/bob.lock"
    assert_output "$T/passwd"
    # the report on stdout, the findings in the log (stderr off the cluster)
    run --separate-stderr "$SP" start $ARGS --config-dir "$T/pf" --ocf
    assert_success
    assert_line --partial "create $S: 3 mailboxes, 0 problems"
    [[ "$stderr" == *"mailha-spool: dot-lock left: unsafe bob.lock: symbolic link where a dot-lock should be; left alone"* ]]
    : >"$S/alice.lock"
    old_locks
    run --separate-stderr "$SP" start $ARGS --config-dir "$T/pf" --remove --ocf
    assert_success
    [[ "$stderr" == *"mailha-spool: alice.lock: stale dot-lock removed: "*"(stale_lock_time 1 s)"* ]]
    # a bad stale_lock_time spoils the dot-locks only, not the start
    postconf -c "$T/pf" -e 'stale_lock_time = soon'
    rm "$S/carol"
    run --separate-stderr "$SP" start $ARGS --config-dir "$T/pf" --remove --ocf
    assert_success
    assert_file_exists "$S/carol"
    [[ "$stderr" == *"mailha-spool: stale dot-locks not looked at: stale_lock_time of $T/pf: not a time value: \"soon\""* ]]
    # a policy that cannot be applied fails it, with a reason
    run --separate-stderr "$SP" start $ARGS --config-dir "$T/pf" --owner nosuchuser --ocf
    assert_failure 5
    [[ "$stderr" == *"ocf-exit-reason:user nosuchuser: no such user on this node"* ]]
}
