#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# lab.sh - the mailha multi-node cluster lab.
#
# Usage:
#   tests/cluster/lab.sh up               build (once) and boot the nodes, set up
#                                          the cluster with pcs
#   tests/cluster/lab.sh down             power everything off and remove it
#   tests/cluster/lab.sh status           nodes, disk, network, crm_mon
#   tests/cluster/lab.sh exec NODE CMD... run CMD inside a node
#   tests/cluster/lab.sh stack mailha|ra  create the mail stack with pcs
#   tests/cluster/lab.sh unstack          delete the mail stack
#   tests/cluster/lab.sh kill NODE        power cut of a node
#   tests/cluster/lab.sh boot NODE        boot a node again (then pcs cluster start)
#   tests/cluster/lab.sh rootfs           only build the node rootfs
#
# Environment: MHLAB_NODES (2), MHLAB_DIR (/var/lib/mhlab), MHLAB_CACHE
# (/var/cache/mailha-lab).  See doc/cluster-lab.md.
set -u
here=$(cd "$(dirname "$0")" && pwd)
LAB_HERE=$here
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cluster/lab-lib.sh
. "$here/lab-lib.sh"
# shellcheck source=tests/cluster/stack.sh
. "$here/stack.sh"

[ "$(id -u)" -eq 0 ] || lab_die "must run as root"
cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
up)
    if ! lab_up "$top"; then
        lab_log "up failed; tearing down"
        lab_down
        exit 1
    fi ;;
down)
    lab_down ;;
status)
    for n in $(lab_node_names); do
        if p=$(lab_leader "$n"); then
            echo "$n: running (PID 1 = host pid $p, $(lab_node_ip "$n"))"
        else
            echo "$n: not running"
        fi
    done
    echo "shared disk: $(lab_loop_dev || echo none)"
    echo "namespaces: $(ip netns list | awk '/^mhlab-/ {printf "%s ", $1}')"
    lab_crm_mon || : ;;
exec)
    [ $# -ge 2 ] || lab_die "usage: lab.sh exec NODE CMD..."
    lab_exec "$@" ;;
stack)
    stack_create "${1:-mailha}" ;;
unstack)
    stack_delete ;;
kill)
    lab_node_kill "${1:?node}" ;;
boot)
    n=${1:?node}
    lab_node_boot "$n" && lab_node_wait "$n" 60 ;;
rootfs)
    lab_rootfs ;;
*)
    sed -n 's/^#   //p' "$0" >&2
    exit 2 ;;
esac
