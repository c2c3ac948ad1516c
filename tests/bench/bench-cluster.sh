#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-cluster.sh - failover time and cluster start/stop cost in the lab.
#
# On the 2-node lab (tests/cluster/lab.sh), for the mailha stack and for the
# resource-agents anchor (ocf:heartbeat:Filesystem + ocf:heartbeat:postfix
# + IPaddr2), measures MHLAB_BENCH_RUNS (5) failovers each: from
# `pcs node standby <active>` issued until the floating IP answers SMTP 220
# from the other node with the spool mounted there.  Then the cost of one
# `pcs cluster stop --all` and of `pcs cluster start --all` until the
# mailha stack serves mail again.  Prints medians and the mailha/anchor
# ratio; the lab is torn down at the end.  Figures: doc/bench-cluster.md.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/cluster
LAB_HERE=$here
# shellcheck source=tests/cluster/lab-lib.sh
. "$here/lab-lib.sh"
# shellcheck source=tests/cluster/stack.sh
. "$here/stack.sh"
# shellcheck source=tests/cluster/timeline.sh
. "$here/timeline.sh"
: "${MHLAB_BENCH_RUNS:=5}"
out=$top/build/bench/cluster
mkdir -p "$out"
blog=$out/bench.log
: > "$blog"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One lab per machine: wait for a test run or the demo to finish.
mkdir -p "${MHLAB_LOCK%/*}"
exec 8>"$MHLAB_LOCK"
flock -w 1200 8 || { echo "bench-cluster: another lab run holds $MHLAB_LOCK"; exit 1; }
trap 'lab_down >>"$blog" 2>&1' EXIT
trap 'exit 130' INT TERM

# served_by NODE - NODE holds the floating IP and the spool, and SMTP answers
served_by() {
    stack_spool_on "$1" &&
        lab_exec "$1" sh -c "ip -o addr show dev eth0 | grep -q 'inet $MHLAB_VIP/'" 2>/dev/null &&
        stack_smtp_ok
}

# failover_once FILE - one standby failover, seconds on stdout, its
# timeline (Pacemaker's records, timeline.sh) in FILE
failover_once() {
    _a=$(stack_where)
    _b=$(lab_node_names | tr ' ' '\n' | grep -v "^$_a$" | head -n 1)
    _t0=$(now)
    stack_pcs node standby "$_a" >>"$blog" 2>&1 || return 1
    _n=0
    until served_by "$_b"; do
        sleep 0.05
        _n=$((_n + 1))
        [ "$_n" -lt 2400 ] || return 1
    done
    _t1=$(now)
    timeline "$_t0" "$_t1" >"$1"
    stack_pcs node unstandby "$_a" >>"$blog" 2>&1 || return 1
    stack_wait 60 >>"$blog" 2>&1 || return 1
    elapsed "$_t0" "$_t1"
}

lab_down >>"$blog" 2>&1
echo "bringing the lab up (log: $blog)"
lab_up "$top" >>"$blog" 2>&1 || { echo "bench-cluster: lab up failed"; exit 1; }

for s in ra mailha; do
    stack_create "$s" >>"$blog" 2>&1 || { echo "bench-cluster: stack $s did not start"; exit 1; }
    : > "$out/failover-$s.txt"
    : > "$out/failover-$s.runs"
    i=0
    while [ "$i" -lt "$MHLAB_BENCH_RUNS" ]; do
        t=$(failover_once "$out/timeline-$s-$i.txt") || { echo "bench-cluster: failover of $s failed"; exit 1; }
        echo "$t" >> "$out/failover-$s.txt"
        echo "$t $i" >> "$out/failover-$s.runs"
        i=$((i + 1))
    done
    echo "failover $s: $(tr '\n' ' ' < "$out/failover-$s.txt")s; median $(median < "$out/failover-$s.txt") s"
    # the timeline of the run nearest the median, step by step
    _mi=$(sort -n "$out/failover-$s.runs" | awk '{ r[NR] = $2 } END { print r[int((NR + 1) / 2)] }')
    echo "timeline of $s's median failover (pcs node standby issued = +0):"
    cat "$out/timeline-$s-$_mi.txt"
    [ "$s" = mailha ] || stack_delete >>"$blog" 2>&1
done
ra=$(median < "$out/failover-ra.txt")
mh=$(median < "$out/failover-mailha.txt")
echo "failover median: mailha $mh s, resource-agents $ra s, ratio mailha/anchor $(awk -v a="$mh" -v b="$ra" 'BEGIN { printf "%.2f", a / b }')"

# The cost of a maintenance stop and start of the whole cluster.
: > "$out/stop.txt"
: > "$out/start.txt"
i=0
while [ "$i" -lt 3 ]; do
    t0=$(now)
    stack_pcs cluster stop --all >>"$blog" 2>&1 || exit 1
    t1=$(now)
    stack_pcs cluster start --all >>"$blog" 2>&1 || exit 1
    # shellcheck disable=SC2046
    lab_wait_online 120 $(lab_node_names) >>"$blog" 2>&1 || exit 1
    stack_wait 120 >>"$blog" 2>&1 || exit 1
    t2=$(now)
    elapsed "$t0" "$t1" >> "$out/stop.txt"; echo >> "$out/stop.txt"
    elapsed "$t1" "$t2" >> "$out/start.txt"; echo >> "$out/start.txt"
    i=$((i + 1))
done
echo "pcs cluster stop --all: median $(median < "$out/stop.txt") s ($(tr '\n' ' ' < "$out/stop.txt"))"
echo "pcs cluster start --all until mailha serves SMTP: median $(median < "$out/start.txt") s ($(tr '\n' ' ' < "$out/start.txt"))"
