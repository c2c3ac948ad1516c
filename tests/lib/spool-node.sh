#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# spool-node.sh - a shared disk and cluster "nodes" for the mailspool tests.
#
# The disk is real ext4 on a file-backed loop device.  A node is a process
# tree in its own mount namespace (private propagation, so what it mounts
# is seen by nobody else) and its own PID namespace with its own /proc (so
# whatever the agent's stop ends, it can only be inside the node).  Two
# nodes see the same device and each its own mounts: the active and the
# passive node of a cluster.
#
#   sn_disk_create IMG      SN_DEV := a loop device on a new 64 MiB ext4 image
#   sn_disk_destroy         detach it (after the nodes are gone)
#   sn_node_start           print the node's PID 1 (as seen from the host)
#   sn_in PID CMD...        run CMD inside node PID
#   sn_node_stop PID        end the node (its PID 1, hence all inside)
#   sn_scratch_create IMG T a second disk of type T for one test (SN_SDEV)
#   sn_scratch_destroy      detach the scratch disks
# Source it (bats: `load ../lib/spool-node.sh`).

sn_disk_create() {
    truncate -s 64M "$1" || return 1
    mkfs.ext4 -q -F "$1" || return 1
    SN_DEV=$(losetup --find --show "$1") || return 1
    export SN_DEV
}

sn_disk_destroy() {
    [ -n "${SN_DEV:-}" ] || return 0
    losetup -d "$SN_DEV" 2>/dev/null
    SN_DEV=""
}

sn_node_start() {
    # Every descriptor above 2 is closed first: a node outliving a bats
    # test must not hold bats' pipes open (bats would wait for it).
    perl -e 'use POSIX (); POSIX::close($_) for 3 .. 1023; exec @ARGV or die "exec: $!"' \
        unshare --mount --propagation private --pid --fork --mount-proc \
        sleep 100000 </dev/null >/dev/null 2>&1 &
    _sn_u=$!
    _sn_i=0
    _sn_c=""
    while [ -z "$_sn_c" ] && [ $_sn_i -lt 100 ]; do
        # no newline at the end of that file: read "fails" but assigns
        read -r _sn_c _sn_rest <"/proc/$_sn_u/task/$_sn_u/children" 2>/dev/null || :
        [ -n "$_sn_c" ] || sleep 0.05
        _sn_i=$((_sn_i + 1))
    done
    [ -n "$_sn_c" ] || return 1
    echo "$_sn_c"
}

sn_in() {
    _sn_p=$1
    shift
    nsenter -t "$_sn_p" -m -p -- "$@"
}

sn_node_stop() {
    [ -n "${1:-}" ] || return 0
    # the node's init: the kernel then ends everything in its PID namespace
    kill -KILL "$1" 2>/dev/null
    _sn_i=0
    while [ -d "/proc/$1" ] && [ $_sn_i -lt 100 ]; do
        sleep 0.05
        _sn_i=$((_sn_i + 1))
    done
    return 0
}

# sn_scratch_create IMG FSTYPE - SN_SDEV := a loop device on a new image of
# FSTYPE (ext4: 32 MiB; xfs: 300 MiB sparse, its minimum), recorded in
# $MS_TMP/scratch.devs so that teardown detaches it whatever happens
sn_scratch_create() {
    case $2 in
        xfs) truncate -s 300M "$1" && mkfs.xfs -q -f "$1" || return 1 ;;
        *) truncate -s 32M "$1" && mkfs."$2" -q -F "$1" || return 1 ;;
    esac
    SN_SDEV=$(losetup --find --show "$1") || return 1
    echo "$SN_SDEV" >>"$MS_TMP/scratch.devs"
    export SN_SDEV
}

# sn_scratch_destroy - detach every scratch device (after their unmount)
sn_scratch_destroy() {
    [ -f "$MS_TMP/scratch.devs" ] || return 0
    while read -r _sn_d; do
        losetup -d "$_sn_d" 2>/dev/null
    done <"$MS_TMP/scratch.devs"
    rm -f "$MS_TMP/scratch.devs"
}
