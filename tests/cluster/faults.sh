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

# --- the fault matrix (issue 13): the guide's stack and settings, under load
#
# Each matrix_* fault is injected while loadgen.py sends (load_fault), and
# appends one row to $out/matrix.txt: what the cluster did, the longest
# time the clients got no 250 from the fault on (loadgen.py gap, from the
# generator's own log), the time until the stack was started and SMTP
# answered again, and whether any stop failed (ran past its timeout) or a
# resource was left blocked.  Loss is counted once for the whole load run
# (load_verify): 0 lost there means 0 lost in every fault.

# fault_now - the time, in seconds with a fraction (the clients' clock)
fault_now() { date +%s.%N | cut -c1-14; }

# fault_since T0 - seconds from T0 until now, one decimal
fault_since() { awk -v a="$1" -v b="$(fault_now)" 'BEGIN { printf "%.1f", b - a }'; }

# fault_failures - failed actions crm_mon records (a monitor, start or stop)
fault_failures() {
    stack_xml | xmllint --xpath 'count(//failures/failure)' - 2>/dev/null
}

# fault_stop_failures - failed stops (a stop past its timeout among them)
fault_stop_failures() {
    stack_xml | xmllint --xpath 'count(//failures/failure[@task="stop"])' - 2>/dev/null
}

# fault_until_noticed SECONDS - until the cluster records a failure
fault_until_noticed() {
    _mn=$(($1 * 2))
    while [ "$_mn" -gt 0 ]; do
        [ "$(fault_failures)" != 0 ] && return 0
        sleep 0.5
        _mn=$((_mn - 1))
    done
    lab_log "no failure recorded within $1 s"
    return 1
}

# matrix_ready - no failure recorded, the stack serving: a clean start
# for the next fault (fault_until_noticed counts from 0)
matrix_ready() {
    _mn=60
    while [ "$_mn" -gt 0 ]; do
        [ "$(fault_failures)" = 0 ] && stack_started && return 0
        stack_pcs resource cleanup >/dev/null 2>&1 || :
        sleep 1
        _mn=$((_mn - 1))
    done
    lab_log "failures still recorded before the fault"
    return 1
}

# matrix_timeline T0 - what the controllers and the agents logged since
# T0 on every node (to run.log): the per-step record of the recovery
matrix_timeline() {
    for _x in $(lab_node_names); do
        lab_exec "$_x" journalctl -q --no-pager -o short-precise --since "@${1%.*}" 2>/dev/null |
            grep -E 'pacemaker-controld.*(Initiating|Result of)|\(mail-[a-z-]*\)' |
            head -n 60 | sed "s/^/  $_x: /" >&2
    done
}

# matrix_row FAULT NODE T0 [NOTE] - the stack is healthy again: one row
# shellcheck disable=SC2154  # out and ldir are run.sh's (load_start)
matrix_row() {
    _healthy=$(fault_since "$3")
    _now=$(stack_where)
    if [ "$_now" = "$2" ]; then
        _did="recovered in place on $2"
    else
        _did="moved $2 -> $_now"
    fi
    # a few more 250s, so that the gap's end is in the log
    sleep 3
    _gap=$(python3 "$LAB_HERE/loadgen.py" gap --log "$ldir/accepted.log" --from "$3" | cut -d' ' -f1)
    _sf=$(fault_stop_failures)
    _bl=ok
    fault_no_blocked || _bl=BLOCKED
    echo "| $1 | ${4:-$_did} | $_gap | $_healthy | ${_sf:-?} | $_bl |" >> "$out/matrix.txt"
    echo "matrix: $1: ${4:-$_did}; longest without a 250 ${_gap} s; healthy after ${_healthy} s; failed stops ${_sf:-?}; $_bl" >&2
    matrix_timeline "$3"
    [ "${_sf:-1}" = 0 ] && [ "$_bl" = ok ]
}

# matrix_hung_master - kill -STOP of the Postfix master (never resumed)
matrix_hung_master() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    _mt0=$(fault_now)
    # shellcheck disable=SC2016  # runs in the node
    lab_exec "$_a" sh -c 'read -r p < "$1/pid/master.pid" && kill -STOP "$p"' \
        sh "$MHLAB_QUEUE" || return 1
    fault_until_noticed 60 || return 1
    stack_wait 150 || return 1
    matrix_row "hung master (SIGSTOP)" "$_a" "$_mt0" || return 1
    fault_cleanup
}

# matrix_hung_qmgr - kill -STOP of the queue manager only: smtpd accepts,
# nothing is delivered (depth 0 of ocf:mailha:postfix)
matrix_hung_qmgr() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    _mt0=$(fault_now)
    # shellcheck disable=SC2016  # runs in the node
    lab_exec "$_a" sh -c 'read -r p < "$1/pid/master.pid" || exit 1
        for k in $(cat "/proc/$p/task/$p/children"); do
            [ "$(cat "/proc/$k/comm")" = qmgr ] && exec kill -STOP "$k"
        done
        exit 1' sh "$MHLAB_QUEUE" || return 1
    fault_until_noticed 60 || return 1
    stack_wait 150 || return 1
    matrix_row "hung qmgr (SIGSTOP)" "$_a" "$_mt0" || return 1
    fault_cleanup
}

# matrix_smtpd_off - the smtp inet service commented out in master.cf on
# the active node only, postfix reload (depth 10 of ocf:mailha:postfix)
matrix_smtpd_off() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    lab_exec "$_a" cp /etc/postfix/master.cf /etc/postfix/master.cf.mhlab || return 1
    _mt0=$(fault_now)
    lab_exec "$_a" postconf -M# smtp/inet || return 1
    lab_exec "$_a" postfix reload >/dev/null 2>&1 || return 1
    _rc=0
    { fault_until_noticed 90 && stack_wait 180 "$_a"; } || _rc=1
    # the node's master.cf as it was (Postfix no longer runs there)
    lab_exec "$_a" mv /etc/postfix/master.cf.mhlab /etc/postfix/master.cf || return 1
    [ "$_rc" = 0 ] || return 1
    matrix_row "smtpd disabled on the active node (master.cf, reload)" "$_a" "$_mt0" || return 1
    fault_cleanup
}

# matrix_spool_ro - an ext4 error on the spool (mounted errors=remount-ro,
# as the guide says): the kernel makes it read-only (depth 0 of
# ocf:mailha:mailspool).  The volume is one device for every node and the
# kernel is the host's, so the error is triggered in the host's sysfs.
matrix_spool_ro() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    _dev=$(cat "$MHLAB_DIR/loopdev") || return 1
    _sys=/sys/fs/ext4/${_dev#/dev/}/trigger_fs_error
    [ -w "$_sys" ] || { lab_log "no $_sys"; return 1; }
    _mt0=$(fault_now)
    echo mhlab > "$_sys" || return 1
    fault_until_noticed 60 || return 1
    stack_wait 150 || return 1
    matrix_row "spool read-only after an ext4 error (errors=remount-ro)" "$_a" "$_mt0" || return 1
    fault_cleanup
}

# matrix_spool_full - the spool (and queue) volume full for 20 s.  Nothing
# fails over (the other node has the same volume): Postfix refuses mail
# with 452 while there is no room, local(8) defers; the outage is the fill.
# shellcheck disable=SC2154  # ldir is run.sh's (load_start)
matrix_spool_full() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    _f0=$(fault_failures)
    _mt0=$(fault_now)
    # shellcheck disable=SC2016  # runs in the node
    lab_exec "$_a" sh -c 'fallocate -l "$(df --output=avail -B1 "$1" | tail -n 1)" "$1/.mhlab-fill"' \
        sh "$MHLAB_SPOOL" || return 1
    lab_exec "$_a" df -h "$MHLAB_SPOOL" >&2
    sleep 20
    _tf=$(fault_now)
    lab_exec "$_a" rm -f "$MHLAB_SPOOL/.mhlab-fill" || return 1
    stack_wait 60 || return 1
    _after=$(python3 "$LAB_HERE/loadgen.py" gap --log "$ldir/accepted.log" --from "$_tf" | cut -d' ' -f2)
    _f1=$(fault_failures)
    _note="nothing failed over (failures $_f0 -> $_f1); 250 again ${_after} s after the space was freed"
    matrix_row "spool full (ENOSPC) for 20 s" "$_a" "$_mt0" "$_note" || return 1
    [ "$_f0" = "$_f1" ] || { lab_log "a full spool made something fail"; return 1; }
    fault_cleanup
}

# matrix_alias_db - the alias database deleted on the active node: mail
# to aliases defers until the aliases clone's monitor rebuilds it
matrix_alias_db() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    _mt0=$(fault_now)
    lab_exec "$_a" rm -f /etc/aliases.db || return 1
    _mn=240
    until lab_exec "$_a" test -s /etc/aliases.db; do
        _mn=$((_mn - 1))
        [ "$_mn" -gt 0 ] || { lab_log "aliases.db not rebuilt on $_a in 120 s"; return 1; }
        sleep 0.5
    done
    _back=$(fault_since "$_mt0")
    stack_wait 60 || return 1
    matrix_row "alias database deleted on the active node" "$_a" "$_mt0" \
        "rebuilt by the aliases clone after ${_back} s; Postfix not restarted" || return 1
    fault_cleanup
}

# matrix_drain_kill - the master killed during stop's drain: local(8)
# deliveries on the active node stopped (SIGSTOP) so that the active queue
# cannot empty, pcs node standby of that node (stop_drain=30 begins), then
# kill -9 of the master a few seconds into the drain: the drain ends, the
# stop kills what is left (the stopped deliveries too) inside its timeout,
# the other node takes over with the queue
matrix_drain_kill() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    _mn=0
    until lab_exec "$_a" pkill -STOP -x local; do
        _mn=$((_mn + 1))
        [ "$_mn" -lt 100 ] || { lab_log "no local(8) delivery to stop on $_a"; return 1; }
        sleep 0.1
    done
    # shellcheck disable=SC2016  # runs in the node
    _mp=$(lab_exec "$_a" sh -c 'read -r p < "$1/pid/master.pid" && echo "$p"' sh "$MHLAB_QUEUE") || return 1
    _mt0=$(fault_now)
    stack_pcs node standby "$_a" >/dev/null || return 1
    # the address stops first, then Postfix's stop drains: kill it then
    sleep 4
    lab_exec "$_a" kill -KILL "$_mp" || lab_log "master $_mp already gone on $_a"
    stack_wait 150 "$_a" || return 1
    _rc=0
    matrix_row "master killed during stop's drain (standby, local(8) stopped)" "$_a" "$_mt0" || _rc=1
    stack_pcs node unstandby "$_a" >/dev/null || return 1
    [ "$_rc" = 0 ] || return 1
    fault_cleanup
}

# matrix_dovecot_off - Dovecot (Postfix's SASL server, outside the
# cluster in the lab: inet 127.0.0.1:12345) stopped on the active node;
# started again once the stack serves (wherever it then runs)
matrix_dovecot_off() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    _mf0=$(fault_failures)
    _mt0=$(fault_now)
    lab_exec "$_a" systemctl stop dovecot || return 1
    _rc=0
    if fault_until_noticed 75; then
        stack_wait 150 || _rc=1
        _note=""
    else
        # nothing failed: then mail must still be accepted there
        stack_smtp_ok || _rc=1
        _note="nothing failed (failures $_mf0 -> $(fault_failures)) in 75 s"
    fi
    lab_exec "$_a" systemctl start dovecot || return 1
    [ "$_rc" = 0 ] || return 1
    matrix_row "Dovecot (SASL) stopped on the active node" "$_a" "$_mt0" ${_note:+"$_note"} || return 1
    fault_cleanup
}

# matrix_double_cleanup - kill -9 of the master, then two pcs resource
# cleanups in the middle of the recovery
matrix_double_cleanup() {
    matrix_ready || return 1
    _a=$(fault_active) || return 1
    _mt0=$(fault_now)
    # shellcheck disable=SC2016  # runs in the node
    lab_exec "$_a" sh -c 'read -r p < "$1/pid/master.pid" && kill -KILL "$p"' \
        sh "$MHLAB_QUEUE" || return 1
    fault_until_noticed 60 || return 1
    stack_pcs resource cleanup >/dev/null 2>&1 || return 1
    sleep 1
    stack_pcs resource cleanup >/dev/null 2>&1 || return 1
    stack_wait 150 || return 1
    matrix_row "kill -9 of the master, two pcs resource cleanup during the recovery" "$_a" "$_mt0" || return 1
    fault_cleanup
}
