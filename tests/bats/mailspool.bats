#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:mailha:mailspool on real ext4 on a loop device, run as Pacemaker runs
# it, inside "nodes": processes in their own mount and PID namespaces (see
# tests/lib/spool-node.sh).  Node A is the active node, node B the passive
# one; the host never sees the spool mounted.  DRBD roles come from the
# test doubles in tests/doubles, first on PATH.

load common

AGENT=$REPO/agents/mailspool
. "$REPO/tests/lib/test-users.sh"

setup_file() {
    common_build mailha-spool
    . "$REPO/tests/lib/spool-node.sh"
    . "$REPO/tests/lib/postfix-instance.sh"
    MS_TMP=$(mktemp -d /tmp/mh-mailspool.XXXXXX)
    export MS_TMP
    chmod 755 "$MS_TMP"   # postfix and the mail users walk through it
    sn_disk_create "$MS_TMP/disk.img"
    echo "$SN_DEV" >"$MS_TMP/dev"
    sn_node_start >"$MS_TMP/nodeA"
    sn_node_start >"$MS_TMP/nodeB"
    tu_user mhspool1
    tu_user mhspool2
    pfi_create "$MS_TMP/pf"
    echo "$PFI_PORT" >"$MS_TMP/pfport"
}

teardown_file() {
    if [ -z "${MS_TMP:-}" ] || [ ! -d "$MS_TMP" ]; then
        tu_cleanup
        return
    fi
    . "$REPO/tests/lib/spool-node.sh"
    . "$REPO/tests/lib/postfix-instance.sh"
    if [ -f "$MS_TMP/pf/etc/main.cf" ]; then
        PFI_DIR=$MS_TMP/pf PFI_CONF=$MS_TMP/pf/etc PFI_QUEUE=$MS_TMP/pf/queue pfi_destroy
    fi
    sn_node_stop "$(cat "$MS_TMP/nodeA")"
    sn_node_stop "$(cat "$MS_TMP/nodeB")"
    sn_scratch_destroy
    SN_DEV=$(cat "$MS_TMP/dev")
    sn_disk_destroy
    rm -rf "$MS_TMP"
    tu_cleanup
}

setup() {
    . "$REPO/tests/lib/spool-node.sh"
    A=$(cat "$MS_TMP/nodeA")
    B=$(cat "$MS_TMP/nodeB")
    DEV=$(cat "$MS_TMP/dev")
    SPOOL=$MS_TMP/spool
    mkdir -p "$SPOOL" "$MS_TMP/run"
    export PATH="$REPO/tests/doubles:$PATH"
    export OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=mhtest-spool
    export MAILHA_RUNDIR=$MS_TMP/run MAILHA_DRBD_STATE=$MS_TMP/drbd.state
    export OCF_RESKEY_device=$DEV OCF_RESKEY_directory=$SPOOL OCF_RESKEY_format=mbox
    export OCF_RESKEY_uid_min=0 OCF_RESKEY_uid_max=60000 OCF_RESKEY_group=mhspoolers
    export OCF_RESKEY_CRM_meta_timeout=20000
    unset OCF_RESKEY_CRM_meta_interval OCF_CHECK_LEVEL OCF_RESKEY_drbd_resource
    tu_group mhspoolers
    usermod -a -G mhspoolers mhspool1
    usermod -a -G mhspoolers mhspool2
}

teardown() {
    # a hung stand-in the agent failed to kill (issue 13's tests)
    pkill -KILL -f "$MS_TMP/hang-" 2>/dev/null || true
    # whatever a test left mounted in a node goes away here
    for n in "$A" "$B"; do
        sn_in "$n" "$AGENT" stop >/dev/null 2>&1 || true
        sn_in "$n" sh -c "umount '$MS_TMP/pf/queue' 2>/dev/null; umount '$SPOOL' 2>/dev/null; \
            umount '$OCF_RESKEY_directory' 2>/dev/null" || true
    done
    # the scratch disks of the fsck and xfs tests
    sn_scratch_destroy
}

# devid DEV - its MAJ:MIN, as in mountinfo
devid() {
    cat "/sys/class/block/${1##*/}/dev"
}

# dev_mounted_in NODE DEV - DEV is mounted somewhere in NODE
dev_mounted_in() {
    sn_in "$1" awk -v d="$(devid "$2")" '$3 == d { f = 1 } END { exit !f }' /proc/self/mountinfo
}

# pf_env - the Postfix instance made in setup_file
pf_env() {
    . "$REPO/tests/lib/postfix-instance.sh"
    PFI_PORT=$(cat "$MS_TMP/pfport")
    export PFI_DIR=$MS_TMP/pf PFI_CONF=$MS_TMP/pf/etc PFI_QUEUE=$MS_TMP/pf/queue \
        PFI_DATA=$MS_TMP/pf/data PFI_MAIL=$MS_TMP/pf/mail PFI_LOG=$MS_TMP/pf/postfix.log \
        PFI_PORT
}

# ag NODE ACTION - run the agent inside NODE
ag() {
    _n=$1
    shift
    sn_in "$_n" "$AGENT" "$@"
}

mounted_in() { # mounted_in NODE - the spool is mounted in that node
    sn_in "$1" grep -q " $SPOOL " /proc/self/mountinfo
}

# refute_mounted NODE - the spool is not mounted in NODE.  The mounts are
# counted, not negated: a node that cannot be entered (or a grep that
# fails) gives no "0" and fails the test instead of passing for "not
# mounted"; and, unlike "! cmd" in the middle of a test, this is enforced.
refute_mounted() {
    run sn_in "$1" grep -c " $SPOOL " /proc/self/mountinfo
    assert_output "0"
}

# refute_dev_mounted NODE DEV - DEV is mounted nowhere in NODE (counted)
refute_dev_mounted() {
    _id=$(devid "$2")
    [ -n "$_id" ]
    run sn_in "$1" awk -v d="$_id" '$3 == d { n++ } END { print n + 0 }' /proc/self/mountinfo
    assert_output "0"
}

@test "start mounts in the active node only; probes: 0 there, 7 on the passive node" {
    run --separate-stderr ag "$B" monitor
    assert_failure 7
    run ag "$A" start
    assert_success
    mounted_in "$A"
    refute_mounted "$B"
    # nor on the host
    run grep -c " $SPOOL " /proc/self/mountinfo
    assert_output "0"
    OCF_RESKEY_CRM_meta_interval=0 run --separate-stderr ag "$B" monitor
    assert_failure 7
    assert_equal "$stderr" ""
    run ag "$A" monitor
    assert_success
    # start again: idempotent
    run ag "$A" start
    assert_success
    # recurring monitor on the passive node: not running, with a reason
    OCF_RESKEY_CRM_meta_interval=10000 run --separate-stderr ag "$B" monitor
    assert_failure 7
    assert_equal "$stderr" "ocf-exit-reason:$SPOOL is not mounted"
}

@test "start applies the mode policy and creates the accounts' mailboxes" {
    # the volume was left world-writable, the runbook way
    sn_in "$A" sh -c "mount '$DEV' '$SPOOL' && chmod 0777 '$SPOOL' && chown 0:0 '$SPOOL' && umount '$SPOOL'"
    run ag "$A" start
    assert_success
    run sn_in "$A" stat -c '%a %U %G' "$SPOOL"
    assert_output "2775 root mail"
    run sn_in "$A" stat -c '%U %G %a' "$SPOOL/mhspool1"
    assert_output "mhspool1 mail 600"
    run sn_in "$A" stat -c '%U' "$SPOOL/mhspool2"
    assert_output "mhspool2"
    # not in the group: no mailbox
    run sn_in "$A" test -e "$SPOOL/root"
    assert_failure
}

@test "monitor depth 10 and 20; audit findings are degraded (190) or fail" {
    run ag "$A" start
    assert_success
    OCF_CHECK_LEVEL=10 run ag "$A" monitor
    assert_success
    OCF_CHECK_LEVEL=20 run ag "$A" monitor
    assert_success
    sn_in "$A" sh -c ": > '$SPOOL/departed'; chown mhspool1 '$SPOOL/mhspool2'"
    OCF_CHECK_LEVEL=20 run --separate-stderr ag "$A" monitor
    assert_failure 190
    assert_equal "$(printf '%s' "$stderr" | grep -c 'drift mhspool2')" 1
    OCF_CHECK_LEVEL=20 OCF_RESKEY_monitor_degraded=false run --separate-stderr ag "$A" monitor
    assert_failure 1
    [[ "$stderr" == *"orphan departed: no account of that name"* ]]
    # the drifted mailbox was reported, never chowned back
    run sn_in "$A" stat -c '%U' "$SPOOL/mhspool2"
    assert_output "mhspool1"
    sn_in "$A" sh -c "rm '$SPOOL/departed'; chown mhspool2 '$SPOOL/mhspool2'"
}

@test "stop ends a process holding a mailbox open (in the node) and unmounts" {
    run ag "$A" start
    assert_success
    # a holder inside node A, in the spool's cwd and with a mailbox open
    sn_in "$A" sh -c "cd '$SPOOL' && exec 3<>'$SPOOL/mhspool1' && exec sleep 1000" 3>&- &
    for _ in $(seq 50); do
        sn_in "$A" pgrep -x sleep -P 1 >/dev/null 2>&1 && [ "$(sn_in "$A" pgrep -cx sleep)" -ge 2 ] && break
        sleep 0.1
    done
    holder=$(sn_in "$A" sh -c 'for p in /proc/[0-9]*; do [ "$(readlink $p/cwd)" = "'"$SPOOL"'" ] && echo ${p#/proc/}; done; true')
    [ -n "$holder" ]
    run sn_in "$A" "$MAILHA_SBINDIR/mailha-spool" holders --dir "$SPOOL"
    assert_failure 1
    assert_output --partial "sleep cwd"
    OCF_RESKEY_CRM_meta_timeout=60000 run ag_timed "$A" 60 stop
    assert_success
    refute_mounted "$A"
    run sn_in "$A" test -d "/proc/$holder"
    assert_failure
    # the node's init and the host's processes are untouched
    run kill -0 "$A"
    assert_success
    # stop again: idempotent
    run ag "$A" stop
    assert_success
}

@test "stop with a holder that ignores TERM: KILL inside the timeout" {
    run ag "$A" start
    assert_success
    sn_in "$A" sh -c "trap '' TERM; exec 3<'$SPOOL/mhspool2'; while :; do sleep 0.2; done" 3>&- &
    sleep 0.5
    run sn_in "$A" "$MAILHA_SBINDIR/mailha-spool" holders --dir "$SPOOL" --json
    assert_failure 1
    assert_output --partial '"what":"fd 3"'
    OCF_RESKEY_CRM_meta_timeout=60000 run ag_timed "$A" 60 stop
    assert_success
    refute_mounted "$A"
}

@test "bad parameters: the right codes and reasons" {
    OCF_RESKEY_device="" run --separate-stderr ag "$A" start
    assert_failure 6
    assert_equal "$stderr" "ocf-exit-reason:parameter device is required"
    OCF_RESKEY_mode=0777 run --separate-stderr ag "$A" start
    assert_failure 6
    [[ "$stderr" == *"world-writable without the sticky bit"* ]]
    OCF_RESKEY_mode=1777 run ag "$A" validate-all
    assert_success
    OCF_RESKEY_format=mbx run --separate-stderr ag "$A" start
    assert_failure 6
    OCF_RESKEY_directory=relative/path run --separate-stderr ag "$A" start
    assert_failure 6
    OCF_RESKEY_directory="$SPOOL/a b" run --separate-stderr ag "$A" start
    assert_failure 6
    OCF_RESKEY_uid_min=10 OCF_RESKEY_uid_max=5 run --separate-stderr ag "$A" start
    assert_failure 6
    OCF_RESKEY_queue_directory=/elsewhere run --separate-stderr ag "$A" start
    assert_failure 6
    [[ "$stderr" == *"must live on the volume"* ]]
    OCF_RESKEY_device=/dev/mailha-no-such-disk run --separate-stderr ag "$A" start
    assert_failure 5
    assert_equal "$stderr" "ocf-exit-reason:device /dev/mailha-no-such-disk is not a block device on this node"
    # a probe with a device absent on this node: not running, not an error
    OCF_RESKEY_device=/dev/mailha-no-such-disk run ag "$B" monitor
    assert_failure 7
    MAILHA_SBINDIR=/nonexistent run --separate-stderr ag "$A" start
    assert_failure 5
    OCF_RESKEY_group=mh-no-such-group run --separate-stderr ag "$A" start
    assert_failure 5
    [[ "$stderr" == *"no such group on this node"* ]]
    # a start that fails after its mount (the group check above) leaves
    # the spool mounted; Pacemaker's stop after a failed start unmounts it
    run ag "$A" stop
    assert_success
    refute_mounted "$A"
}

@test "DRBD: Secondary refuses, Primary proceeds, 8.4 output, bad disk, drbdadm missing" {
    export OCF_RESKEY_drbd_resource=r0
    printf 'resource=r0\nrole=Secondary\npeer=Primary\ndisk=UpToDate\n' >"$MAILHA_DRBD_STATE"
    run --separate-stderr ag "$A" start
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:DRBD resource r0 is Secondary on this node, not Primary: refusing to mount $DEV"
    refute_mounted "$A"
    printf 'resource=r0\nrole=Primary\npeer=Secondary\ndisk=Inconsistent\n' >"$MAILHA_DRBD_STATE"
    run --separate-stderr ag "$A" start
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:DRBD resource r0: local disk is Inconsistent, not UpToDate"
    OCF_RESKEY_drbd_resource=r9 run --separate-stderr ag "$A" start
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:drbdadm role r9 failed (exit 10): r9: Unknown resource"
    printf 'resource=r0\nrole=Primary\npeer=Secondary\ndisk=UpToDate\nversion=8.4\n' >"$MAILHA_DRBD_STATE"
    run ag "$A" start
    assert_success
    mounted_in "$A"
    run ag "$A" stop
    assert_success
    printf 'resource=r0\nrole=Primary\npeer=Secondary\ndisk=UpToDate\n' >"$MAILHA_DRBD_STATE"
    run ag "$A" start
    assert_success
    run ag "$A" stop
    assert_success
    # a PATH with everything the agent needs except drbdadm
    mkdir -p "$MS_TMP/bin"
    for t in sh mount umount e2fsck stat mkdir chown mv printf tail sleep cat postconf; do
        ln -sf "$(command -v "$t")" "$MS_TMP/bin/$t"
    done
    run --separate-stderr sn_in "$A" /usr/bin/env PATH="$MS_TMP/bin" "$AGENT" start
    assert_failure 5
    assert_equal "$stderr" "ocf-exit-reason:drbdadm not found on this node, needed for drbd_resource=r0"
    refute_mounted "$A"
}

@test "queue_directory on the volume is bound onto Postfix's queue_directory" {
    pf_env
    export OCF_RESKEY_config_dir=$MS_TMP/pf/etc OCF_RESKEY_queue_directory=$SPOOL/.postfix
    run ag "$A" start
    assert_success
    run sn_in "$A" awk -v q="$MS_TMP/pf/queue" '$5 == q { print $4 }' /proc/self/mountinfo
    assert_output "/.postfix"
    run sn_in "$A" stat -c '%U %a' "$SPOOL/.postfix"
    assert_output "root 755"
    run ag "$A" monitor
    assert_success
    # the queue bind lost: the monitor says so
    sn_in "$A" umount "$MS_TMP/pf/queue"
    OCF_RESKEY_CRM_meta_interval=10000 run --separate-stderr ag "$A" monitor
    assert_failure 1
    [[ "$stderr" == *"is not bound on $MS_TMP/pf/queue"* ]]
    run ag "$A" start
    assert_success
    run ag "$A" stop
    assert_success
    run sn_in "$A" grep -c " $MS_TMP/pf/queue " /proc/self/mountinfo
    assert_output "0"
    refute_mounted "$A"
    # the spool unmounted by hand under the stack, the queue bind left
    # behind: that still pins the device, so the monitor fails (not 7)
    # and stop undoes the bind before it reports success
    run ag "$A" start
    assert_success
    sn_in "$A" umount -l "$SPOOL"
    OCF_RESKEY_CRM_meta_interval=10000 run --separate-stderr ag "$A" monitor
    assert_failure 1
    [[ "$stderr" == *"still bound on $MS_TMP/pf/queue"* ]]
    run ag "$A" stop
    assert_success
    run sn_in "$A" grep -c " $MS_TMP/pf/queue " /proc/self/mountinfo
    assert_output "0"
    refute_mounted "$A"
}

# deliver FORMAT - real Postfix in node A delivers into the agent's mailbox
deliver() {
    pf_env
    if [ "$1" = maildir ]; then
        postconf -c "$PFI_CONF" -e "mail_spool_directory = $SPOOL/"
    else
        postconf -c "$PFI_CONF" -e "mail_spool_directory = $SPOOL"
    fi
    # format from Postfix's own mail_spool_directory
    export OCF_RESKEY_format="" OCF_RESKEY_config_dir=$PFI_CONF
    run ag "$A" start
    assert_success
    run sn_in "$A" stat -c '%a' "$SPOOL"
    assert_output "2775"
    sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_start" 3>&-
    printf 'Subject: mailha spool %s\n\nhello\n' "$1" \
        | sn_in "$A" env MAIL_CONFIG="$PFI_CONF" /usr/sbin/sendmail -f root mhspool1
    run sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; \
        if [ $1 = maildir ]; then for i in \$(seq 100); do grep -qs 'mailha spool' '$SPOOL'/mhspool1/new/* && exit 0; sleep 0.1; done; exit 1; \
        else pfi_wait_mail '$SPOOL/mhspool1' 'mailha spool $1' 10; fi"
    status_delivered=$status
    sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_stop"
    [ "$status_delivered" -eq 0 ] || { cat "$PFI_LOG" >&2; false; }
}

@test "real Postfix delivers into an mbox the agent created (spool 2775)" {
    deliver mbox
    run sn_in "$A" stat -c '%U %G %a' "$SPOOL/mhspool1"
    assert_output "mhspool1 mail 600"
    run ag "$A" stop
    assert_success
}

@test "real Postfix delivers into a maildir the agent created (spool 2775)" {
    sn_in "$A" sh -c "mount '$DEV' '$SPOOL' && rm -rf '$SPOOL'/mhspool* && umount '$SPOOL'"
    deliver maildir
    run sn_in "$A" stat -c '%U %a' "$SPOOL/mhspool1" "$SPOOL/mhspool1/new"
    assert_output "mhspool1 700
mhspool1 700"
    run ag "$A" stop
    assert_success
}

@test "fsck: damage e2fsck -p cannot repair (exit 4) fails start; nothing mounted, nothing half-done" {
    sn_scratch_create "$MS_TMP/bad.img" ext4
    export OCF_RESKEY_device=$SN_SDEV
    # the root directory's inode cleared, the filesystem marked not clean
    debugfs -w -R "clri <2>" "$SN_SDEV"
    debugfs -w -R "ssv state 0" "$SN_SDEV"
    # a mount point that does not exist yet, and a queue on the volume
    pf_env
    export OCF_RESKEY_directory=$MS_TMP/fresh-mnt OCF_RESKEY_config_dir=$PFI_CONF \
        OCF_RESKEY_queue_directory=$MS_TMP/fresh-mnt/.postfix
    rm -f "$MS_TMP/run/mailha-mailspool-mhtest-spool.state"   # an earlier test's
    run --separate-stderr ag "$A" start
    assert_failure 1
    [[ "$stderr" == "ocf-exit-reason:e2fsck -p $SN_SDEV: exit 4, errors left uncorrected, not mounted: run e2fsck $SN_SDEV by hand: "*"Root inode is not a directory"*"UNEXPECTED INCONSISTENCY"* ]]
    assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
    # not mounted anywhere in the node, no queue bind, no mount point, no state
    refute_dev_mounted "$A" "$SN_SDEV"
    run sn_in "$A" grep -c " $MS_TMP/pf/queue " /proc/self/mountinfo
    assert_output "0"
    assert_dir_not_exists "$MS_TMP/fresh-mnt"
    assert_file_not_exists "$MS_TMP/run/mailha-mailspool-mhtest-spool.state"
    # the damage is still there for the operator (e2fsck -p did not "fix" it)
    run e2fsck -n "$SN_SDEV"
    [ $((status & 4)) -ne 0 ]
    # Pacemaker's view: a probe says stopped, stop succeeds
    run --separate-stderr ag "$A" monitor
    assert_failure 7
    run ag "$A" stop
    assert_success

    # a superblock that is no superblock: e2fsck cannot even check (exit 8)
    dd if=/dev/zero of="$SN_SDEV" bs=1024 seek=1 count=1 conv=notrunc status=none
    run --separate-stderr ag "$A" start
    assert_failure 1
    [[ "$stderr" == "ocf-exit-reason:e2fsck -p $SN_SDEV: exit 8, could not check the filesystem, not mounted: "*"Bad magic number in super-block"* ]]
    refute_dev_mounted "$A" "$SN_SDEV"
    assert_dir_not_exists "$MS_TMP/fresh-mnt"
}

@test "fsck: errors e2fsck -p corrects (exit 1) are logged and start proceeds" {
    sn_scratch_create "$MS_TMP/fixable.img" ext4
    export OCF_RESKEY_device=$SN_SDEV
    # a file's block marked free in the bitmap, the filesystem not clean
    debugfs -w -R "write /etc/services services" "$SN_SDEV"
    blk=$(debugfs -R "bmap services 0" "$SN_SDEV" 2>/dev/null)
    [ "$blk" -gt 0 ]
    debugfs -w -R "freeb $blk" "$SN_SDEV"
    debugfs -w -R "ssv state 0" "$SN_SDEV"
    run e2fsck -n "$SN_SDEV"
    assert_failure 4
    run --separate-stderr ag "$A" start
    assert_success
    [[ "$stderr" == *"mailspool(mhtest-spool) warning: e2fsck -p $SN_SDEV corrected errors (exit 1): "* ]]
    dev_mounted_in "$A" "$SN_SDEV"
    run sn_in "$A" cmp "$SPOOL/services" /etc/services
    assert_success
    run sn_in "$A" stat -c '%U %a' "$SPOOL/mhspool1"
    assert_output "mhspool1 600"
    run ag "$A" stop
    assert_success
    refute_dev_mounted "$A" "$SN_SDEV"
    # really repaired: a forced read-only check finds nothing
    run e2fsck -fn "$SN_SDEV"
    assert_success
}

# real Postfix delivery of SUBJECT to mhspool1 in node A, spool already started
deliver_started() {
    pf_env
    postconf -c "$PFI_CONF" -e "mail_spool_directory = $SPOOL"
    sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_start" 3>&-
    printf 'Subject: %s\n\nhello\n' "$1" \
        | sn_in "$A" env MAIL_CONFIG="$PFI_CONF" /usr/sbin/sendmail -f root mhspool1
    run sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_wait_mail '$SPOOL/mhspool1' '$1' 10"
    _st=$status
    sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_stop"
    [ "$_st" -eq 0 ] || { cat "$PFI_LOG" >&2; false; }
}

@test "xfs: start, mailboxes, delivery, audit; a crash leaves a dirty log, the next node's start replays it" {
    grep -qw xfs /proc/filesystems || modprobe xfs 2>/dev/null \
        || skip "no xfs in this kernel (/proc/filesystems, modprobe xfs)"
    command -v mkfs.xfs >/dev/null || skip "xfsprogs not installed (make deps)"
    sn_scratch_create "$MS_TMP/xfs.img" xfs
    export OCF_RESKEY_device=$SN_SDEV OCF_RESKEY_fstype=xfs
    run ag "$A" start
    assert_success
    # the topmost mount on the spool (the agent's guard, a tmpfs, lies under it)
    run sn_in "$A" awk -v d="$SPOOL" '$5 == d { sub(/.* - /, ""); t = $1 } END { print t }' /proc/self/mountinfo
    assert_output "xfs"
    run sn_in "$A" stat -c '%a %U %G' "$SPOOL"
    assert_output "2775 root mail"
    run sn_in "$A" stat -c '%U %G %a' "$SPOOL/mhspool1" "$SPOOL/mhspool2"
    assert_output "mhspool1 mail 600
mhspool2 mail 600"
    deliver_started "mailha xfs before the crash"
    OCF_CHECK_LEVEL=20 run ag "$A" monitor
    assert_success
    # node A dies: the filesystem is shut down with its log not checkpointed
    run sn_in "$A" xfs_io -x -c "shutdown -f" "$SPOOL"
    assert_success
    sn_in "$A" umount "$SPOOL"
    # a dirty log: xfs_repair -n complains, which is why start does not run it
    run xfs_repair -n "$SN_SDEV"
    assert_failure
    assert_output --partial "valuable metadata changes in a log"
    # node B takes over: the mount replays the log, the mail is there
    run ag "$B" start
    assert_success
    run sn_in "$B" grep -c "^Subject: mailha xfs before the crash" "$SPOOL/mhspool1"
    assert_output "1"
    OCF_CHECK_LEVEL=20 run ag "$B" monitor
    assert_success
    run ag "$B" stop
    assert_success
    refute_dev_mounted "$B" "$SN_SDEV"
    run xfs_repair -n "$SN_SDEV"
    assert_success
    # a volume the kernel cannot mount (its superblock zeroed): start fails
    dd if=/dev/zero of="$SN_SDEV" bs=4096 count=1 conv=notrunc status=none
    run --separate-stderr ag "$B" start
    assert_failure 1
    [[ "$stderr" == "ocf-exit-reason:mount $SN_SDEV on $SPOOL: "* ]]
    refute_dev_mounted "$B" "$SN_SDEV"
}

@test "start removes a dead node's stale dot-locks, never unsafe ones (stale_locks postfix, keep, mount)" {
    # Postfix's stale_lock_time, from a configuration directory of our own
    mkdir -p "$MS_TMP/pflock"
    : >"$MS_TMP/pflock/main.cf"
    : >"$MS_TMP/pflock/master.cf"
    postconf -c "$MS_TMP/pflock" -e 'stale_lock_time = 1s'
    export OCF_RESKEY_config_dir=$MS_TMP/pflock
    echo "precious" >"$MS_TMP/target"
    run ag "$A" start
    assert_success
    # node A dies in the middle of a delivery to mhspool1 (local(8) in a
    # group-writable spool makes the lock as the user, group mail); a
    # symlink planted as mhspool2's lock
    sn_in "$A" sh -c ": > '$SPOOL/mhspool1.lock' && chown mhspool1:mail '$SPOOL/mhspool1.lock' \
        && ln -s '$MS_TMP/target' '$SPOOL/mhspool2.lock'"
    run ag "$A" stop
    assert_success
    sleep 2.1
    run --separate-stderr ag "$B" start
    assert_success
    [[ "$stderr" == *"mailha-spool: mhspool1.lock: stale dot-lock removed: "*" (stale_lock_time 1 s), owner uid $(id -u mhspool1)"* ]]
    [[ "$stderr" == *"mailha-spool: dot-lock left: unsafe mhspool2.lock: symbolic link where a dot-lock should be; left alone"* ]]
    run sn_in "$B" test -e "$SPOOL/mhspool1.lock"
    assert_failure
    run sn_in "$B" readlink "$SPOOL/mhspool2.lock"
    assert_output "$MS_TMP/target"
    run cat "$MS_TMP/target"
    assert_output "precious"
    sn_in "$B" rm "$SPOOL/mhspool2.lock"
    # keep: a stale lock stays, is logged, and the deep monitor reports it
    sn_in "$B" sh -c ": > '$SPOOL/mhspool1.lock'"
    sleep 2.1
    OCF_RESKEY_stale_locks=keep run --separate-stderr ag "$B" start
    assert_success
    [[ "$stderr" == *"mailha-spool: dot-lock left: stale mhspool1.lock: stale dot-lock: "* ]]
    OCF_CHECK_LEVEL=20 run --separate-stderr ag "$B" monitor
    assert_failure 190
    [[ "$stderr" == *"stale mhspool1.lock: stale dot-lock"* ]]
    run ag "$B" stop
    assert_success
    # mount: a young lock goes too, but only at the start that mounts
    postconf -c "$MS_TMP/pflock" -e 'stale_lock_time = 500s'
    export OCF_RESKEY_stale_locks=mount
    run --separate-stderr ag "$A" start
    assert_success
    [[ "$stderr" == *"mailha-spool: mhspool1.lock: stale dot-lock removed: "*" (stale_lock_time 0 s)"* ]]
    sn_in "$A" sh -c ": > '$SPOOL/mhspool1.lock'"
    run --separate-stderr ag "$A" start
    assert_success
    [[ "$stderr" == *"mailha-spool: dot-lock left: locked mhspool1.lock: in use"* ]]
    run sn_in "$A" test -f "$SPOOL/mhspool1.lock"
    assert_success
    sn_in "$A" rm "$SPOOL/mhspool1.lock"
    # a bad value is a configuration error
    OCF_RESKEY_stale_locks=sometimes run --separate-stderr ag "$A" start
    assert_failure 6
    assert_equal "$stderr" "ocf-exit-reason:stale_locks \"sometimes\" is none of postfix, mount, keep"
}

# lazy_umount_delivery GUARD - the spool (and the queue's bind) mounted in
# node A by the agent with guard=GUARD, real Postfix running on it; the
# spool then unmounted lazily under Postfix (a fault the cluster lab also
# injects) and a mail sent.  Leaves Postfix stopped and the agent stopped.
lazy_umount_delivery() {
    pf_env
    postconf -c "$PFI_CONF" -e "mail_spool_directory = $SPOOL"
    export OCF_RESKEY_format="" OCF_RESKEY_config_dir=$PFI_CONF
    export OCF_RESKEY_queue_directory=$SPOOL/.postfix OCF_RESKEY_guard=$1
    run ag "$A" start
    assert_success
    sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_start" 3>&-
    sn_in "$A" umount -l "$SPOOL"
    : >"$PFI_LOG.mark"
    printf 'Subject: mailha guard %s\n\nhello\n' "$1" \
        | sn_in "$A" env MAIL_CONFIG="$PFI_CONF" /usr/sbin/sendmail -f root mhspool2
    # wait for local(8)'s verdict on it
    for _i in $(seq 100); do
        grep -q "to=<mhspool2@.*status=" "$PFI_LOG" && break
        sleep 0.1
    done
    grep "to=<mhspool2@" "$PFI_LOG" | tail -n 1 >"$MS_TMP/verdict"
    sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_stop"
    run ag "$A" stop
    assert_success
}

@test "guard: the spool unmounted under Postfix: delivery defers (ENOSPC), nothing lands on the node's disk, delivered after restart" {
    sn_in "$A" sh -c "mount '$DEV' '$SPOOL' && rm -rf '$SPOOL'/mhspool2 && umount '$SPOOL'"
    lazy_umount_delivery true
    run cat "$MS_TMP/verdict"
    assert_output --partial "status=deferred"
    assert_output --partial "No space left on device"
    # nothing under the mount point on the node's own disk; the guard is gone
    run sn_in "$A" ls -A "$SPOOL"
    assert_output ""
    run sn_in "$A" grep -c "mailha-guard" /proc/self/mountinfo
    assert_output "0"
    # the mail waits in the queue on the volume: mounted again, delivered
    run ag "$A" start
    assert_success
    sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_start" 3>&-
    sn_in "$A" postqueue -c "$PFI_CONF" -f
    run sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_wait_mail '$SPOOL/mhspool2' 'mailha guard true' 20"
    status_delivered=$status
    sn_in "$A" sh -c ". '$REPO/tests/lib/postfix-instance.sh'; pfi_stop"
    [ "$status_delivered" -eq 0 ] || { tail -n 20 "$PFI_LOG" >&2; false; }
    run ag "$A" stop
    assert_success
}

@test "guard=false: the same fault delivers onto the node's own disk, under the mount point (what the guard prevents)" {
    lazy_umount_delivery false
    run cat "$MS_TMP/verdict"
    assert_output --partial "status=sent"
    run sn_in "$A" grep -c "mailha guard false" "$SPOOL/mhspool2"
    assert_output "1"
    sn_in "$A" rm -f "$SPOOL/mhspool2" "$SPOOL/mhspool2.lock"
    run sn_in "$A" ls -A "$SPOOL"
    assert_output ""
}

# devmounts NODE - the mount points of the test disk in NODE, one a line
devmounts() {
    sn_in "$1" awk -v d="$(devid "$DEV")" '$3 == d { print $5 }' /proc/self/mountinfo
}

@test "directory through a symlink like Debian's /var/spool/mail -> ../mail: monitor 0, start idempotent, stop unmounts" {
    pf_env
    # a scratch copy of Debian's layout, and Postfix's queue_directory
    # named through a symlink too
    mkdir -p "$MS_TMP/var/mail" "$MS_TMP/var/spool"
    ln -sfn ../mail "$MS_TMP/var/spool/mail"
    ln -sfn pf/queue "$MS_TMP/pfq"
    postconf -c "$PFI_CONF" -e "queue_directory = $MS_TMP/pfq"
    export OCF_RESKEY_directory=$MS_TMP/var/spool/mail
    export OCF_RESKEY_config_dir=$PFI_CONF OCF_RESKEY_queue_directory=$MS_TMP/var/spool/mail/.postfix
    run ag "$A" validate-all
    assert_success
    run ag "$A" start
    status_start=$status
    postconf -c "$PFI_CONF" -e "queue_directory = $PFI_QUEUE"
    [ "$status_start" -eq 0 ] || { echo "$output"; false; }
    # the kernel lists both mounts under their real names
    run devmounts "$A"
    assert_output "$MS_TMP/var/mail
$PFI_QUEUE"
    run ag "$A" monitor
    assert_success
    OCF_RESKEY_CRM_meta_interval=10000 OCF_CHECK_LEVEL=10 run ag "$A" monitor
    assert_success
    run ag "$A" start
    assert_success
    run devmounts "$A"
    assert_output "$MS_TMP/var/mail
$PFI_QUEUE"
    run ag "$A" stop
    assert_success
    run devmounts "$A"
    assert_output ""
    run sn_in "$A" grep -c mailha-guard /proc/self/mountinfo
    assert_output "0"
    OCF_RESKEY_CRM_meta_interval=10000 run ag "$A" monitor
    assert_failure 7
    run ag "$A" stop
    assert_success
}

@test "validate-all refuses a directory whose real path the kernel would list escaped (white space)" {
    mkdir -p "$MS_TMP/sp ace"
    ln -sfn "sp ace" "$MS_TMP/spacelink"
    OCF_RESKEY_directory=$MS_TMP/spacelink run --separate-stderr ag "$A" validate-all
    assert_failure 6
    [[ "$stderr" == *"resolves to \"$MS_TMP/sp ace\""* ]]
}

@test "stop never returns 0 with the volume still mounted: stop through another name, and a second mount elsewhere" {
    run ag "$A" start
    assert_success
    # the same directory named through a symlink at stop
    ln -sfn spool "$MS_TMP/spool-link"
    OCF_RESKEY_directory=$MS_TMP/spool-link run ag "$A" stop
    assert_success
    run devmounts "$A"
    assert_output ""
    run sn_in "$A" grep -c mailha-guard /proc/self/mountinfo
    assert_output "0"
    # the volume mounted a second time, under another name, with a holder
    run ag "$A" start
    assert_success
    sn_in "$A" mkdir -p "$MS_TMP/other"
    sn_in "$A" mount "$DEV" "$MS_TMP/other"
    sn_in "$A" sh -c "cd '$MS_TMP/other' && exec sleep 1000" 3>&- &
    for _ in $(seq 50); do
        [ "$(sn_in "$A" pgrep -cx sleep)" -ge 2 ] && break
        sleep 0.1
    done
    OCF_RESKEY_CRM_meta_timeout=60000 run ag_timed "$A" 60 stop
    assert_success
    run devmounts "$A"
    assert_output ""
    run sn_in "$A" grep -c mailha-guard /proc/self/mountinfo
    assert_output "0"
}

@test "stop fails while a mount of the volume cannot be undone; the next stop finishes" {
    run ag "$A" start
    assert_success
    # a bind of the spool elsewhere, pinned by a foreign mount inside it
    # (umount says busy; the agent does not unmount what is not its)
    sn_in "$A" mkdir -p "$MS_TMP/other"
    sn_in "$A" mount --bind "$SPOOL" "$MS_TMP/other"
    sn_in "$A" mkdir -p "$MS_TMP/other/sub"
    sn_in "$A" mount -t tmpfs mhtest-pin "$MS_TMP/other/sub"
    OCF_RESKEY_CRM_meta_timeout=6000 run --separate-stderr ag "$A" stop
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"still mounted"* ]]
    run devmounts "$A"
    refute_output ""
    sn_in "$A" umount "$MS_TMP/other/sub"
    run ag "$A" stop
    assert_success
    run devmounts "$A"
    assert_output ""
}

# --- issue 13: a read-only spool or queue is seen by the depth-0 monitor,
# from the options in the mountinfo line it already reads (no fork)

@test "depth-0 monitor: spool or queue mount remounted read-only -> 1 with a reason; rw again -> 0" {
    pf_env
    export OCF_RESKEY_config_dir=$MS_TMP/pf/etc OCF_RESKEY_queue_directory=$SPOOL/.postfix
    export OCF_RESKEY_options=errors=remount-ro OCF_RESKEY_CRM_meta_interval=10000
    run ag "$A" start
    assert_success
    run ag "$A" monitor
    assert_success
    sn_in "$A" mount -o remount,ro "$SPOOL"
    run --separate-stderr ag "$A" monitor
    assert_failure 1
    [[ "$stderr" == *"ocf-exit-reason:$SPOOL is mounted read-only (ro)"* ]]
    sn_in "$A" mount -o remount,rw "$SPOOL"
    run ag "$A" monitor
    assert_success
    # the queue's bind alone made read-only
    sn_in "$A" mount -o remount,bind,ro "$MS_TMP/pf/queue"
    run --separate-stderr ag "$A" monitor
    assert_failure 1
    [[ "$stderr" == *"ocf-exit-reason:queue $MS_TMP/pf/queue is mounted read-only (ro)"* ]]
    sn_in "$A" mount -o remount,bind,rw "$MS_TMP/pf/queue"
    run ag "$A" monitor
    assert_success
    run ag "$A" stop
    assert_success
    refute_mounted "$A"
}

@test "depth-0 monitor: an ext4 error on a spool mounted errors=remount-ro -> 1 with a reason; stop unmounts" {
    sn_scratch_create "$MS_TMP/fserror.img" ext4
    export OCF_RESKEY_device=$SN_SDEV OCF_RESKEY_options=errors=remount-ro
    export OCF_RESKEY_CRM_meta_interval=10000
    run ag "$A" start
    assert_success
    run ag "$A" monitor
    assert_success
    trig=/sys/fs/ext4/${SN_SDEV##*/}/trigger_fs_error
    [ -w "$trig" ] || skip "this kernel has no $trig"
    echo "mailha test: simulated error" > "$trig"
    # the kernel turns it read-only on its own (maybe from a work queue)
    n=0
    until sn_in "$A" awk -v m="$SPOOL" '$5 == m && ($6 ~ /(^|,)ro(,|$)/ || $NF ~ /(^|,)(emergency_)?ro(,|$)/) { f = 1 } END { exit !f }' /proc/self/mountinfo \
            || [ $n -gt 100 ]; do
        sleep 0.1; n=$((n + 1))
    done
    run --separate-stderr ag "$A" monitor
    assert_failure 1
    [[ "$stderr" == *"ocf-exit-reason:$SPOOL is mounted read-only ("*")"* ]]
    run ag "$A" stop
    assert_success
    refute_dev_mounted "$A" "$SN_SDEV"
}

# --- issue 13: every command of start, stop and the depth-10 monitor is
# bounded by the action's timeout.  The timeouts are the meta-data's (the
# admin guide's stack keeps them): start 60 s, stop 60 s, depth-10 monitor
# 30 s.  Each action runs under timeout(1) with that timeout, as Pacemaker
# would end it: a hang is then exit 124 (fails the test), never a pass.

# hang_script FILE PIDFILE - a program that records its pid and then
# neither ends nor heeds TERM.  The stand-ins let go of their output at
# once: one the agent fails to kill then cannot keep bats's "run" waiting
# for the end of its output (the test fails instead of hanging), and
# teardown kills what is left.
hang_script() {
    cat >"$1" <<EOF
#!/bin/sh
exec >/dev/null 2>&1
echo \$\$ >'$2'
trap '' TERM
while :; do sleep 1; done
EOF
    chmod 755 "$1"
}

# ag_timed NODE SECONDS ACTION - the agent in NODE, ended at SECONDS
ag_timed() {
    timeout -k 1 "$2" nsenter -t "$1" -m -p -- "$AGENT" "$3"
}

@test "start under a hung e2fsck: fails inside its 60 s timeout with a reason, nothing mounted; stop, then a clean start" {
    mkdir -p "$MS_TMP/hang-bin"
    hang_script "$MS_TMP/hang-bin/e2fsck" "$MS_TMP/e2fsck.pid"
    PATH=$MS_TMP/hang-bin:$PATH OCF_RESKEY_CRM_meta_timeout=60000 \
        run --separate-stderr ag_timed "$A" 60 start
    assert_failure 1
    [[ "$stderr" == *"ocf-exit-reason:e2fsck -p $DEV did not finish inside the start's 60 s timeout and was killed; not mounted"* ]]
    # it did run, and it is gone (the agent killed it, not timeout(1))
    [ -s "$MS_TMP/e2fsck.pid" ]
    run sn_in "$A" test -d "/proc/$(cat "$MS_TMP/e2fsck.pid")"
    assert_failure
    refute_dev_mounted "$A" "$DEV"
    refute_mounted "$A"
    run ag "$A" stop
    assert_success
    # nothing was left behind: the real e2fsck, then the mount
    run ag "$A" start
    assert_success
    run mounted_in "$A"
    assert_success
}

@test "depth-10 monitor under a hung write check: 1 with a reason inside its 30 s timeout; depth 0 unaffected" {
    run ag "$A" start
    assert_success
    mkdir -p "$MS_TMP/hang-sbin"
    cat >"$MS_TMP/hang-sbin/mailha-spool" <<EOF
#!/bin/sh
case \$1 in
    rwcheck) exec >/dev/null 2>&1; echo \$\$ >'$MS_TMP/rwcheck.pid'; trap '' TERM; while :; do sleep 1; done ;;
esac
exec '$MAILHA_SBINDIR/mailha-spool' "\$@"
EOF
    chmod 755 "$MS_TMP/hang-sbin/mailha-spool"
    MAILHA_SBINDIR=$MS_TMP/hang-sbin OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=60000 \
        OCF_RESKEY_CRM_meta_timeout=30000 run --separate-stderr ag_timed "$A" 30 monitor
    assert_failure 1
    [[ "$stderr" == *"ocf-exit-reason:write check on $SPOOL (mailha-spool rwcheck) did not finish inside the monitor's 30 s timeout and was killed"* ]]
    [ -s "$MS_TMP/rwcheck.pid" ]
    run sn_in "$A" test -d "/proc/$(cat "$MS_TMP/rwcheck.pid")"
    assert_failure
    # depth 0 runs no helper; the real helper's depth 10 passes
    MAILHA_SBINDIR=$MS_TMP/hang-sbin OCF_RESKEY_CRM_meta_interval=10000 run ag_timed "$A" 20 monitor
    assert_success
    OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=60000 OCF_RESKEY_CRM_meta_timeout=30000 \
        run ag_timed "$A" 30 monitor
    assert_success
}

@test "stop under a hung holders scan: unmounts when nothing holds the spool; fails inside its 60 s timeout, with a reason, when something does" {
    mkdir -p "$MS_TMP/hang-sbin2"
    cat >"$MS_TMP/hang-sbin2/mailha-spool" <<EOF
#!/bin/sh
case \$1 in
    holders) exec >/dev/null 2>&1; echo \$\$ >>'$MS_TMP/holders.pids'; trap '' TERM; while :; do sleep 1; done ;;
esac
exec '$MAILHA_SBINDIR/mailha-spool' "\$@"
EOF
    chmod 755 "$MS_TMP/hang-sbin2/mailha-spool"
    run ag "$A" start
    assert_success
    # nothing holds it: the scan is given up, umount works, stop succeeds
    MAILHA_SBINDIR=$MS_TMP/hang-sbin2 OCF_RESKEY_CRM_meta_timeout=60000 \
        run --separate-stderr ag_timed "$A" 60 stop
    assert_success
    refute_mounted "$A"
    [ -s "$MS_TMP/holders.pids" ]
    # a holder, and the scan that would end it hangs: stop must fail, in
    # time, with the spool still mounted named
    run ag "$A" start
    assert_success
    sn_in "$A" sh -c "exec 3<'$SPOOL/mhspool1'; exec sleep 1000" 3>&- &
    sleep 0.5
    MAILHA_SBINDIR=$MS_TMP/hang-sbin2 OCF_RESKEY_CRM_meta_timeout=60000 \
        run --separate-stderr ag_timed "$A" 60 stop
    assert_failure 1
    [[ "$stderr" == *"ocf-exit-reason:$DEV is still mounted on $SPOOL at the end of the stop timeout (the holders scan of $SPOOL (mailha-spool holders) hung and was killed)"* ]]
    run mounted_in "$A"
    assert_success
    # no scan outlived the stop
    while read -r p; do
        run sn_in "$A" test -d "/proc/$p"
        assert_failure
    done <"$MS_TMP/holders.pids"
    # the real helper's stop ends the holder and unmounts
    run ag "$A" stop
    assert_success
    refute_mounted "$A"
}
