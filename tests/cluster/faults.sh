#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# faults.sh - fault injection against the lab's mail stack (sourced).
#
# Each fault_* function injects one fault the way it happens in real life,
# waits until the stack serves SMTP on the floating IP again (with the
# spool mounted where Postfix runs), clears the failure history with
# `pcs resource cleanup` and returns 0, or 1 if the stack did not recover.
# Every signal goes to a process inside a node, found inside that node.

# fault_active - node running the stack, or fail
fault_active() {
    _fa=$(stack_where)
    [ -n "$_fa" ] || { lab_log "no active node"; return 1; }
    echo "$_fa"
}

# fault_cleanup - forget failures the fault caused (as an admin would)
fault_cleanup() {
    stack_pcs resource cleanup >/dev/null 2>&1 || :
    stack_wait 60
}

# fault_standby - pcs node standby of the active node, then unstandby
fault_standby() {
    _a=$(fault_active) || return 1
    stack_pcs node standby "$_a" >/dev/null || return 1
    stack_wait 120 "$_a" || return 1
    stack_pcs node unstandby "$_a" >/dev/null || return 1
    stack_wait 60
}

# fault_kill_master - kill -9 of the Postfix master on the active node
fault_kill_master() {
    _a=$(fault_active) || return 1
    # shellcheck disable=SC2016  # runs in the node
    lab_exec "$_a" sh -c 'read -r p < "$1/pid/master.pid" && kill -KILL "$p"' \
        sh "$MHLAB_QUEUE" || return 1
    # Wait until the cluster has noticed, then until it has recovered.
    _t=60
    while [ "$_t" -gt 0 ] && stack_started && stack_smtp_ok; do
        sleep 0.5
        _t=$((_t - 1))
    done
    stack_wait 120 && fault_cleanup
}

# fault_no_blocked - no mail- resource is blocked (a stop that ran out
# its timeout without fencing leaves it so) or unmanaged
fault_no_blocked() {
    _x=$(stack_xml) || return 1
    _n=$(echo "$_x" | xmllint --xpath \
        'count(//resources//resource[starts-with(@id,"mail-")][@blocked="true" or @managed="false"])' - 2>/dev/null)
    [ "${_n:-1}" = 0 ] || { lab_log "blocked or unmanaged resources: $_n"; return 1; }
}

# fault_hung_master - kill -STOP of the Postfix master on the active node
#
# A hung master keeps its listening sockets but serves nothing and holds
# SIGTERM pending.  Nothing here resumes it: the depth-0 monitor must see
# it stopped (state T), the stop must kill it inside its timeout (the
# guide's 90 s, with stop_drain=30), and the service must come back; the
# time until SMTP answers on the floating IP again is printed.
fault_hung_master() {
    _a=$(fault_active) || return 1
    _t0=$(date +%s)
    # shellcheck disable=SC2016  # runs in the node
    lab_exec "$_a" sh -c 'read -r p < "$1/pid/master.pid" && kill -STOP "$p"' \
        sh "$MHLAB_QUEUE" || return 1
    _t=120
    while [ "$_t" -gt 0 ] && stack_started && stack_smtp_ok; do
        sleep 0.5
        _t=$((_t - 1))
    done
    stack_wait 150 || return 1
    echo "hung master on $_a: SMTP on $MHLAB_VIP again after $(( $(date +%s) - _t0 )) s, on $(stack_where)" >&2
    fault_no_blocked || return 1
    fault_cleanup
}

# fault_umount - the spool unmounted (lazily) under the running stack
fault_umount() {
    _a=$(fault_active) || return 1
    lab_exec "$_a" umount -l "$MHLAB_SPOOL" || return 1
    _t=60
    while [ "$_t" -gt 0 ] && stack_started; do
        sleep 0.5
        _t=$((_t - 1))
    done
    stack_wait 120 && fault_cleanup
}

# fault_poweroff - power cut of the active node; it boots and rejoins
fault_poweroff() {
    _a=$(fault_active) || return 1
    lab_node_kill "$_a"
    stack_wait 120 "$_a" || return 1
    lab_node_boot "$_a" && lab_node_wait "$_a" 60 || return 1
    lab_pcsd_wait "$_a" 60 || return 1
    stack_pcs cluster start "$_a" --wait=120 >/dev/null || return 1
    # shellcheck disable=SC2046
    lab_wait_online 120 $(lab_node_names) || return 1
    fault_cleanup
}

# fault_cluster_restart - pcs cluster stop --all, then start --all
fault_cluster_restart() {
    stack_pcs cluster stop --all >/dev/null || return 1
    stack_pcs cluster start --all --wait=120 >/dev/null || return 1
    # shellcheck disable=SC2046
    lab_wait_online 120 $(lab_node_names) || return 1
    stack_wait 120
}

# fault_maintenance - maintenance-mode on and off; nothing may restart
fault_maintenance() {
    _a=$(fault_active) || return 1
    _before=$(lab_exec "$_a" cat "$MHLAB_QUEUE/pid/master.pid" | tr -d ' ')
    stack_pcs property set maintenance-mode=true >/dev/null || return 1
    stack_smtp_ok || return 1
    stack_pcs property set maintenance-mode=false >/dev/null || return 1
    stack_wait 60 || return 1
    _after=$(lab_exec "$(fault_active)" cat "$MHLAB_QUEUE/pid/master.pid" | tr -d ' ')
    if [ "$_before" != "$_after" ]; then
        lab_log "Postfix restarted across maintenance mode ($_before -> $_after)"
        return 1
    fi
}
