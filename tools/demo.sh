#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh - `make demo`: mailha doing its job on a real 2-node cluster.
#
# Boots the lab (tests/cluster/lab.sh: two Debian 12 nodes with systemd,
# pcsd, Corosync and Pacemaker in systemd-nspawn containers, a shared
# loop-device volume in place of DRBD), creates the mail stack with pcs,
# sends mail with mailx through the floating IP, shows crm_mon, fails the
# service over with `pcs node standby`, shows that the mail is still there,
# and leaves the lab running.  `make demo` has built mailha and installed
# the packages first (make deps all); the nodes get mailha with
# `make install DESTDIR=<node>`.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/tests/cluster
LAB_HERE=$here
# shellcheck source=tests/cluster/lab-lib.sh
. "$here/lab-lib.sh"
# shellcheck source=tests/cluster/stack.sh
. "$here/stack.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
teardown_hint() {
    echo "demo: the lab may still be (partly) up: 'sh tests/cluster/lab.sh down' removes it," >&2
    echo "demo: and 'make demo' again starts over from whatever is left" >&2
}
die() {
    echo "demo: $*" >&2
    teardown_hint
    exit 1
}
# Ctrl-C or a kill in the middle: say what is left and how to remove it
# (the next `make demo` tears down whatever it finds first).
interrupted() {
    trap - INT TERM
    echo >&2
    echo "demo: interrupted" >&2
    teardown_hint
    exit 130
}
trap interrupted INT TERM

[ "$(id -u)" -eq 0 ] || die "must run as root"
# One lab per machine: wait for a test run or benchmark to finish.
mkdir -p "${MHLAB_LOCK%/*}"
exec 8>"$MHLAB_LOCK"
flock -w 1200 8 || die "another lab run holds $MHLAB_LOCK"

say "1. Two cluster nodes (first run builds their Debian rootfs, about 2 minutes)"
# A lab left running by an earlier demo or test run, or half made by an
# interrupted one (Ctrl-C, a crash), is removed first.
if lab_traces; then
    echo "a lab is left from an earlier run: tearing it down first"
    lab_down
    if lab_traces; then
        die "the earlier lab could not be removed"
    fi
fi
if ! lab_up "$top"; then
    lab_down
    die "the lab did not come up (see $MHLAB_DIR/*/console.log)"
fi

say "2. The mail stack, created with pcs as the admin guide shows it"
for a in mailspool aliases postfix; do
    if stack_have "$a"; then
        echo "ocf:mailha:$a: installed"
    else
        echo "ocf:mailha:$a: not written yet, the demo uses the resource-agents counterpart"
    fi
done
stack_create mailha || die "the stack did not start"
lab_crm_mon

active=$(stack_where)
passive=$(lab_node_names | tr ' ' '\n' | grep -v "^$active$" | head -n 1)
id="<demo-$(date +%s)@mhlab.test>"

say "3. mailx on $passive sends mail to alice through the floating IP $MHLAB_VIP"
echo "+ echo 'Hello Alice' | s-nail -S v15-compat -S smtp-auth=none -S mta=smtp://$MHLAB_VIP:25 -s 'mailha demo' alice@mhlab.test"
echo "Hello Alice, this mail survives a failover." | lab_exec "$passive" s-nail \
    -S v15-compat -S smtp-auth=none -S mta="smtp://$MHLAB_VIP:25" -S hostname=client.mhlab.test \
    -C "X-Mhlab-Id: $id" -s "mailha demo" alice@mhlab.test || die "mailx failed"
t=30
while [ "$t" -gt 0 ] && ! lab_exec "$active" grep -qF "$id" "$MHLAB_SPOOL/alice" 2>/dev/null; do
    sleep 1
    t=$((t - 1))
done
echo "alice's mailbox on $active ($MHLAB_SPOOL/alice, on the shared volume):"
lab_exec "$active" grep -E '^(From:|Subject:|X-Mhlab-Id:)' "$MHLAB_SPOOL/alice" | tail -n 3

say "4. Failover: pcs node standby $active"
start=$(date +%s)
stack_pcs node standby "$active" || die "standby failed"
stack_wait 120 "$active" || die "the stack did not move"
now=$(stack_where)
echo "the service answers SMTP on $MHLAB_VIP again, now from $now, after $(( $(date +%s) - start )) s"
lab_crm_mon
echo "alice's mail, read on $now:"
lab_exec "$now" grep -E '^(Subject:|X-Mhlab-Id:)' "$MHLAB_SPOOL/alice" | grep -F -B1 "$id" ||
    die "the mail is not there"
stack_pcs node unstandby "$active" >/dev/null

say "The lab keeps running"
cat <<MSG
  status:          sh tests/cluster/lab.sh status
  a shell in it:   sh tests/cluster/lab.sh exec $now bash
  crm_mon:         sh tests/cluster/lab.sh exec $now crm_mon -1
  tear it down:    sh tests/cluster/lab.sh down
MSG
