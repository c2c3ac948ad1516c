#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeline.sh - one failover, step by step, from Pacemaker's own records
# (sourced by tests/bench/bench-cluster.sh; issue 21).
#
# timeline T0 T1 - the cluster log lines of every lab node between T0 and
# T1 (epoch seconds with fractions: the standby issued, SMTP 220 seen from
# the client) as rows "+OFFSET  what  [duration]", offsets from T0:
#   the CIB change the command made (pacemaker-based, the standby nvpair),
#   each transition the scheduler computed, and what aborted one,
#   each start/stop/promote/demote (and recurring monitor) the controller
#   initiated, with the execution time pacemaker-execd logged for it,
#   and at the end the SMTP answer seen by the client.
# Between two rows is where the time went: the command's own start-up
# before the CIB change, the controller's wait for a result, an action on
# the critical path.  Pacemaker's log has no year and no zone: the lab's
# nodes and the host share the clock and the zone (times of day compared;
# a run across midnight is not handled).
#
# The log is the lab node's PCMK_logfile (Debian's default path), read from
# the node's root on the host: no process in the node is run.

# timeline_secs EPOCH - seconds since local midnight, with fractions
timeline_secs() {
    _tls=${1%.*}
    _tlf=${1#*.}
    [ "$_tlf" = "$1" ] && _tlf=0
    echo "$(date -d "@$_tls" +%H:%M:%S).$_tlf"
}

timeline() {
    _tl0=$(timeline_secs "$1")
    _tl1=$(timeline_secs "$2")
    for _tln in $(lab_node_names); do
        _tlf=$MHLAB_DIR/$_tln/root/var/log/pacemaker/pacemaker.log
        [ -f "$_tlf" ] || continue
        # the last 20000 lines are more than one failover writes
        tail -n 20000 "$_tlf" | sed "s/^/$_tln /"
    done | awk -v t0="$_tl0" -v t1="$_tl1" '
        function secs(hms,   a) { split(hms, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
        BEGIN { s0 = secs(t0); s1 = secs(t1) }
        {
            s = secs($4) - s0
            if (s < 0 || secs($4) > s1 + 0.5) next
            line = $0
            if (line ~ /pacemaker-based.*cib_perform_op.*name="standby"/) {
                v = line; sub(/.*value="/, "", v); sub(/".*/, "", v)
                # each node logs the change to its CIB: once is enough
                if (!(v in cib)) printf "%08.3f %-40s\n", s, "CIB: standby=" v " written"
                cib[v] = 1
            } else if (line ~ /pacemaker-controld.*State transition S_IDLE -> S_POLICY_ENGINE/) {
                printf "%08.3f %-40s\n", s, "controller: scheduler called (" $1 ")"
            } else if (line ~ /pacemaker-controld.*abort_transition_graph.*aborted/) {
                r = line; sub(/.*\(abort_transition_graph\)[ \t]*[a-z]+: /, "", r)
                printf "%08.3f %-40s\n", s, "controller: " substr(r, 1, 120)
            } else if (line ~ /pacemaker-controld.*State transition S_POLICY_ENGINE -> S_TRANSITION_ENGINE/) {
                printf "%08.3f %-40s\n", s, "controller: transition computed"
            } else if (line ~ /execute_rsc_action.*Initiating (start|stop|promote|demote|monitor) operation/) {
                k = line; sub(/.*Initiating [a-z]+ operation /, "", k)
                key = k; sub(/ .*/, "", key)
                on = k; sub(/.* on /, "", on); sub(/ .*/, "", on)
                printf "%08.3f %-40s\n", s, key " on " on " initiated"
            } else if (line ~ /pacemaker-execd.*log_finished.*exited with status/) {
                # "RSC OP (call N, PID P) exited with status S (execution time X)"
                m = line; sub(/.*\(log_finished\)[ \t]*info: /, "", m)
                split(m, w, " ")
                x = m; sub(/.*execution time /, "", x); sub(/\).*/, "", x)
                st = m; sub(/.*exited with status /, "", st); sub(/ .*/, "", st)
                printf "%08.3f %-40s exec %s, status %s\n", s, w[1] " " w[2] " done on " $1, x, st
            }
        }
        END { printf "%08.3f %-40s\n", s1 - s0, "client: SMTP 220 on the floating IP" }' |
        sort -n | awk '{ o = $1 + 0; $1 = ""; printf "  +%6.3f s %s\n", o, substr($0, 2) }'
}
