#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - the mailha cluster tests, as TAP, on a fresh 2-node lab.
#
# Usage: tests/cluster/run.sh [--ci | --matrix] [--stack mailha|ra] [--keep]
#   --ci     the subset CI runs (mailha stack only, at most about 15
#            minutes with the rootfs build); without it the
#            resource-agents stack gets the same fault suite afterwards and
#            the mailha stack also gets the spool-unmounted fault
#            (MHLAB_LOAD_MIN=5000 for a longer load run)
#   --matrix only the fault matrix (issue 13): the guide's stack under
#            load through the matrix_* faults of faults.sh; the table goes
#            to build/cluster/matrix.txt and into the TAP comments
#   --keep   leave the lab running at the end (default: lab.sh down)
# Prints "ok N - ..." / "not ok N - ..." and "1..N" at the end; command
# output goes to build/cluster/run.log.  The whole run is under a watchdog
# (MHLAB_TIMEOUT seconds: 1200 with --ci, 3600 without; the rootfs build
# comes before it, limited to 1800 s); when it fires, the test that was
# running is reported "not ok" and the lab is still torn down.
# Only one lab runs at a time on a machine (flock on $MHLAB_LOCK).
set -u
here=$(cd "$(dirname "$0")" && pwd)
LAB_HERE=$here
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cluster/lab-lib.sh
. "$here/lab-lib.sh"
# shellcheck source=tests/cluster/stack.sh
. "$here/stack.sh"
# shellcheck source=tests/cluster/faults.sh
. "$here/faults.sh"

keep=no
ci=no
matrix=no
inner=no
stacks="mailha ra"
args=""
while [ $# -gt 0 ]; do
    case $1 in
    --ci) stacks=mailha; ci=yes; args="$args --ci" ;;
    --matrix) stacks=mailha; matrix=yes; args="$args --matrix" ;;
    --stack) stacks=$2; args="$args --stack $2"; shift ;;
    --keep) keep=yes; args="$args --keep" ;;
    --inner) inner=yes ;;
    *) echo "usage: run.sh [--ci | --matrix] [--stack mailha|ra] [--keep]" >&2; exit 2 ;;
    esac
    shift
done
: "${MHLAB_LOAD_MIN:=2000}"

out=$top/build/cluster
mkdir -p "$out"
log=$out/run.log
count=$out/tap.count

# The outer run: lock, watchdog, teardown, plan.  The tests run in a child
# under timeout(1), which signals the child's whole process group (never
# the nodes: they run in sessions of their own) when the time is up.
if [ "$inner" = no ]; then
    if [ "$ci" = yes ]; then
        : "${MHLAB_TIMEOUT:=1200}"
    else
        : "${MHLAB_TIMEOUT:=3600}"
    fi
    : > "$log"
    echo 0 > "$count"
    : > "$out/current"
    mkdir -p "${MHLAB_LOCK%/*}"
    exec 8>"$MHLAB_LOCK"
    if ! flock -w 600 8; then
        echo "not ok 1 - another cluster lab run holds $MHLAB_LOCK"
        echo "1..1"
        exit 1
    fi
    t0=$(date +%s)
    # The node rootfs (debootstrap, then the admin guide's apt-get; built
    # once and cached) is made before the watchdog starts: its time depends
    # on the mirror, not on mailha.
    echo "=== rootfs (debootstrap and the guide's apt-get, once; cached after)" >>"$log"
    if ! timeout -k 10 1800 sh "$here/lab.sh" rootfs >>"$log" 2>&1 8>&-; then
        echo "not ok 1 - node rootfs built (debootstrap, the guide's apt-get); see $log"
        echo "1..1"
        exit 0
    fi
    echo "# rootfs ready after $(( $(date +%s) - t0 )) s (not counted by the watchdog)"
    # Interrupted (^C, TERM): the child stops, the teardown below still runs.
    trap 'echo "# interrupted"' INT TERM
    # shellcheck disable=SC2086  # option words
    timeout -k 30 "$MHLAB_TIMEOUT" sh "$0" --inner $args 8>&-
    rc=$?
    read -r n < "$count" || n=0
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        n=$((n + 1))
        echo "not ok $n - watchdog: the run ended within $MHLAB_TIMEOUT s (stopped during: $(cat "$out/current"))"
    elif [ "$rc" -ne 0 ]; then
        n=$((n + 1))
        echo "not ok $n - the run was interrupted (exit $rc, during: $(cat "$out/current"))"
    fi
    if [ "$keep" = no ]; then
        echo "=== teardown (lab.sh down)" >>"$log"
        timeout -k 10 300 sh "$here/lab.sh" down >>"$log" 2>&1 8>&-
    fi
    # Nothing of the lab may be left behind.
    if [ "$keep" = no ]; then
        n=$((n + 1))
        if ! ip netns list 2>/dev/null | grep -q '^mhlab-' && ! lab_loop_dev >/dev/null &&
                ! lab_nspawn_pid mhlab1 >/dev/null; then
            echo "ok $n - lab torn down: no node, namespace or loop device left"
        else
            echo "not ok $n - lab torn down: no node, namespace or loop device left"
        fi
    fi
    echo "# cluster run: $(( $(date +%s) - t0 )) s in all"
    echo "1..$n"
    exit 0
fi

n=0
last=0
loadpid=""
exec 3>&1

# ok|nok|skip - one TAP line
tap() {
    n=$((n + 1))
    echo "$n" > "$count"
    echo "$1 $n - $2"
}
check() {
    _desc=$1
    shift
    echo "=== $_desc" >>"$log"
    echo "$_desc" > "$out/current"
    _t0=$(date +%s)
    if "$@" >>"$log" 2>&1; then
        last=0
        tap ok "$_desc"
    elif [ -n "${TODO:-}" ]; then
        last=1
        tap "not ok" "$_desc # TODO $TODO"
    else
        last=1
        tap "not ok" "$_desc"
        tail -n 15 "$log" | sed 's/^/# /'
    fi
    echo "# $(( $(date +%s) - _t0 )) s"
    echo "=== ($(( $(date +%s) - _t0 )) s)" >>"$log"
}
skip() { tap ok "$1 # SKIP $2"; }

# finish - stop the load generator (the outer run tears the lab down)
finish() {
    if [ -n "$loadpid" ]; then
        kill "$loadpid" 2>/dev/null
        wait "$loadpid" 2>/dev/null
    fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# t_up - a fresh lab (down first: a previous run may have died)
t_up() {
    lab_down
    lab_up "$top"
}

# t_two_node - pcs wrote a two-node quorum
t_two_node() {
    lab_exec mhlab1 grep -q 'two_node: 1' /etc/corosync/corosync.conf
}

# t_disk_everywhere - the shared block device exists in every node
t_disk_everywhere() {
    _d=$(cat "$MHLAB_DIR/loopdev")
    for _x in $(lab_node_names); do
        lab_exec "$_x" test -b "$_d" || return 1
    done
}

# stack_resources - primitive ids of the stack
stack_resources() {
    stack_xml | xmllint --xpath '//resources//resource[starts-with(@id,"mail-")]/@id' - 2>/dev/null |
        sed 's/ id="\([^"]*\)"/\1\n/g' | sort -u
}

# t_force_check - crm_resource --force-check of every resource where it runs
t_force_check() {
    _a=$(fault_active) || return 1
    for _r in $(stack_resources); do
        lab_exec "$_a" crm_resource --force-check -r "$_r" || return 1
    done
}

# t_validate - crm_resource --validate of every resource's configuration
t_validate() {
    _a=$(fault_active) || return 1
    for _r in $(stack_resources); do
        lab_exec "$_a" crm_resource --validate -r "$_r" || return 1
    done
}

# t_describe - pcs resource describe of every agent without warnings
t_describe() {
    for _ag in $(stack_xml | xmllint --xpath '//resources//resource[starts-with(@id,"mail-")]/@resource_agent' - 2>/dev/null |
            sed 's/ resource_agent="\([^"]*\)"/\1\n/g' | sort -u); do
        _o=$(lab_exec mhlab1 pcs resource describe "$_ag" 2>&1) || { echo "$_o"; return 1; }
        # pcs's own warnings and errors start a line ("Warning: ..."); an
        # agent's text may use the word (flush_on_start's longdesc does)
        if echo "$_o" | grep -qiE '^(warning|error):'; then
            echo "$_o" | grep -iE '^(warning|error):'
            return 1
        fi
    done
}

# lab_other NODE - the other node of the two
lab_other() {
    for _o in $(lab_node_names); do
        [ "$_o" != "$1" ] && { echo "$_o"; return 0; }
    done
    return 1
}

# drift_wait NODE PATTERN - mailha-drift --query on NODE matches PATTERN
drift_wait() {
    _t=90
    while [ "$_t" -gt 0 ]; do
        lab_exec "$1" mailha-drift --query 2>&1 | grep -q -- "$2" && return 0
        sleep 1
        _t=$((_t - 1))
    done
    echo "$1 never showed: $2"
    lab_exec "$1" mailha-drift --query 2>&1
    return 1
}

# t_drift - the drift clone (ocf:mailha:drift, created by the guide's
# block): both daemons in the group and in agreement; a main.cf parameter
# changed on the passive node is named on both nodes, with the node, and
# published as the mailha-drift node attribute; cleared when undone
t_drift() {
    _a=$(fault_active) || return 1
    _p=$(lab_other "$_a") || return 1
    for _n in $_a $_p; do
        drift_wait "$_n" "): ok$" || return 1
    done
    _old=$(lab_exec "$_p" postconf -h recipient_delimiter) || return 1
    lab_exec "$_p" postconf -e "recipient_delimiter = %" || return 1
    _rc=0
    for _n in $_a $_p; do
        drift_wait "$_n" "main.cf:recipient_delimiter: differs between" || _rc=1
    done
    lab_exec "$_a" mailha-drift --query | grep "recipient_delimiter" | grep -q "$_p" || {
        echo "the finding on $_a does not name $_p"; _rc=1; }
    _v=$(lab_exec "$_a" attrd_updater -Q -n mailha-drift -N "$_a" 2>/dev/null |
        sed -n 's/.*value="\([^"]*\)".*/\1/p')
    if [ -z "$_v" ] || [ "$_v" = 0 ]; then
        echo "mailha-drift attribute on $_a: '$_v'"
        _rc=1
    fi
    lab_exec "$_p" postconf -e "recipient_delimiter = $_old" || return 1
    for _n in $_a $_p; do
        drift_wait "$_n" "): ok$" || return 1
    done
    return $_rc
}

# t_status - mailha-status on the passive node names the active node for
# the spool and Postfix, and exits 0 (OK) on a healthy cluster
t_status() {
    _a=$(fault_active) || return 1
    _p=$(lab_other "$_a") || return 1
    _o=$(lab_exec "$_p" mailha-status 2>&1)
    _rc=$?
    echo "$_o"
    [ "$_rc" = 0 ] || { echo "mailha-status exit $_rc"; return 1; }
    echo "$_o" | grep -q "^spool: *mail-spool on $_a\$" || return 1
    echo "$_o" | grep -q "^postfix: *mail-postfix on $_a\$" || return 1
}

# t_no_failed - crm_mon records no failed action (probes included)
t_no_failed() {
    _o=$(lab_crm_mon) || return 1
    echo "$_o"
    ! echo "$_o" | grep -q 'Failed Resource Actions'
}

# t_spool_only_active - only the active node mounts the spool
t_spool_only_active() {
    _a=$(fault_active) || return 1
    for _x in $(lab_node_names); do
        if [ "$_x" = "$_a" ]; then
            stack_spool_on "$_x" || return 1
        else
            ! stack_spool_on "$_x" || return 1
        fi
    done
}

# fetch_mboxes DIR - copy every test mbox from the active node
fetch_mboxes() {
    _a=$(fault_active) || return 1
    rm -rf "$1"
    mkdir -p "$1"
    for _u in alice bob carol dave; do
        lab_exec "$_a" cat "$MHLAB_SPOOL/$_u" > "$1/$_u" 2>/dev/null || :
    done
}

# wait_queue_empty SECONDS - flush and wait until the active node's queue is empty
wait_queue_empty() {
    _t=$1
    while [ "$_t" -gt 0 ]; do
        _a=$(fault_active) || return 1
        if lab_exec "$_a" postqueue -p 2>&1 | grep -q 'Mail queue is empty'; then
            return 0
        fi
        lab_exec "$_a" postqueue -f >/dev/null 2>&1 || :
        sleep 2
        _t=$((_t - 2))
    done
    lab_exec "$_a" postqueue -p | tail -n 5
    return 1
}

# t_mailx - mail sent with mailx on a node through the floating IP arrives
t_mailx() {
    _id="<mhlab-mailx-$$-$(date +%s)@mhlab.test>"
    _a=$(fault_active) || return 1
    _other=$(lab_node_names | tr ' ' '\n' | grep -v "^$_a$" | head -n 1)
    # mailx (s-nail) on the passive node submits over SMTP to the floating IP.
    echo "hello from mailx" | lab_exec "$_other" s-nail -S v15-compat -S smtp-auth=none \
        -S mta="smtp://$MHLAB_VIP:25" -S hostname=client.mhlab.test \
        -C "X-Mhlab-Id: $_id" -s "mailx test" alice@mhlab.test || return 1
    wait_queue_empty 60 || return 1
    lab_exec "$_a" grep -qF "X-Mhlab-Id: $_id" "$MHLAB_SPOOL/alice"
}

# t_stale_alias - an alias DB made stale on the passive node is rebuilt
# there by the aliases clone (its monitor, every 30 s, auto_rebuild), so
# after a failover to that node mail to the new alias is delivered
t_stale_alias() {
    _a=$(fault_active) || return 1
    _pas=$(lab_node_names | tr ' ' '\n' | grep -v "^$_a$" | head -n 1)
    lab_exec "$_pas" sh -c 'echo "staff: bob, dave" >> /etc/aliases' || return 1
    # The clone instance on the passive node, not this test, rebuilds it.
    _t=90
    until lab_exec "$_pas" sh -c '[ /etc/aliases.db -nt /etc/aliases ]'; do
        _t=$((_t - 1))
        [ "$_t" -gt 0 ] || { echo "aliases.db not rebuilt on $_pas in 90 s"; return 1; }
        sleep 1
    done
    echo "aliases.db rebuilt on $_pas after $((90 - _t)) s"
    stack_pcs node standby "$_a" >/dev/null || return 1
    stack_wait 120 "$_a" || return 1
    stack_pcs node unstandby "$_a" >/dev/null || return 1
    _id="<mhlab-staff-$$@mhlab.test>"
    printf 'Subject: staff\nMessage-ID: %s\n\nhi\n' "$_id" |
        ip netns exec mhlab-client python3 -c '
import smtplib, sys
smtplib.SMTP(sys.argv[1], 25, timeout=10).sendmail("root@mhlab.test", ["staff@mhlab.test"], sys.stdin.read())' "$MHLAB_VIP" || return 1
    wait_queue_empty 60 || return 1
    lab_exec "$_pas" grep -qF "Message-ID: $_id" "$MHLAB_SPOOL/bob" &&
        lab_exec "$_pas" grep -qF "Message-ID: $_id" "$MHLAB_SPOOL/dave"
}

# t_queued_failover - mail waiting in the queue at a standby failover is
# delivered by the other node (the queue lives on the shared volume)
t_queued_failover() {
    _dir=$out/queued
    rm -rf "$_dir"
    mkdir -p "$_dir"
    _a=$(fault_active) || return 1
    lab_exec "$_a" postconf -e 'defer_transports = local' || return 1
    lab_exec "$_a" postfix reload || return 1
    touch "$_dir/stop"
    ip netns exec mhlab-client python3 "$here/loadgen.py" send --host "$MHLAB_VIP" \
        --min 30 --until "$_dir/stop" --log "$_dir/accepted.log" --threads 2 || return 1
    _q=$(lab_exec "$_a" postqueue -p | grep -c '^[0-9A-F]')
    echo "queued on $_a before the failover: $_q"
    stack_pcs node standby "$_a" >/dev/null || return 1
    stack_wait 120 "$_a" || return 1
    lab_exec "$_a" postconf -e 'defer_transports =' || return 1
    stack_pcs node unstandby "$_a" >/dev/null || return 1
    [ "$_q" -ge 30 ] || return 1
    wait_queue_empty 120 || return 1
    fetch_mboxes "$_dir/mbox" || return 1
    python3 "$here/loadgen.py" verify --log "$_dir/accepted.log" --mbox-dir "$_dir/mbox"
}

# The no-mail-lost load test, in three parts so that every fault is a test
# of its own: load_start, load_fault (once per fault), load_verify.
# loadgen.py runs in the mhlab-client namespace, sends until at least
# MHLAB_LOAD_MIN messages are answered and load_verify says stop, retries
# refusals like a real client, and logs every 250 with its recipients.

# load_start STACK - start the generator; it must be getting 250s
load_start() {
    ldir=$out/load-$1
    rm -rf "$ldir"
    mkdir -p "$ldir"
    : > "$out/matrix.txt"
    lfaults=0
    lt0=$(date +%s)
    # The count is by this run's Message-IDs, so older mail does not matter.
    ip netns exec mhlab-client python3 "$here/loadgen.py" send --host "$MHLAB_VIP" \
        --min "$MHLAB_LOAD_MIN" --until "$ldir/stop" --log "$ldir/accepted.log" \
        --threads 4 --pause "${MHLAB_LOAD_PAUSE:-0.05}" > "$ldir/send.json" 2>"$ldir/send.err" &
    loadpid=$!
    _t=60
    while [ "$_t" -gt 0 ]; do
        [ "$(wc -l < "$ldir/accepted.log" 2>/dev/null || echo 0)" -ge 20 ] && return 0
        kill -0 "$loadpid" 2>/dev/null || break
        sleep 1
        _t=$((_t - 1))
    done
    echo "no 20 messages accepted in 60 s"
    cat "$ldir/send.err"
    return 1
}

# load_fault FAULT - one fault while the generator sends
load_fault() {
    [ -n "$loadpid" ] || { echo "the load generator is not running"; return 1; }
    sleep 3
    echo "--- load: $1 at +$(( $(date +%s) - lt0 )) s, $(wc -l < "$ldir/accepted.log") accepted" >&2
    $1 || { lab_log "load: $1 did not recover"; return 1; }
    lfaults=$((lfaults + 1))
    echo "--- load: $1 recovered at +$(( $(date +%s) - lt0 )) s" >&2
}

# load_verify STACK - stop sending, drain the queue, count every Message-ID
load_verify() {
    [ -n "$loadpid" ] || { echo "the load generator is not running"; return 1; }
    touch "$ldir/stop"
    # It stops after MHLAB_LOAD_MIN messages; give it 10 minutes at most.
    _t=600
    while [ "$_t" -gt 0 ] && kill -0 "$loadpid" 2>/dev/null; do
        sleep 1
        _t=$((_t - 1))
    done
    if kill -0 "$loadpid" 2>/dev/null; then
        echo "the load generator did not finish in 600 s"
        kill "$loadpid"
    fi
    wait "$loadpid"
    _rc=$?
    loadpid=""
    echo "--- load: sending ended at +$(( $(date +%s) - lt0 )) s"
    cat "$ldir/send.json"
    [ "$_rc" -eq 0 ] || { cat "$ldir/send.err"; return 1; }
    wait_queue_empty 180 || return 1
    echo "--- load: queue empty at +$(( $(date +%s) - lt0 )) s"
    fetch_mboxes "$ldir/mbox" || return 1
    python3 "$here/loadgen.py" verify --log "$ldir/accepted.log" \
        --mbox-dir "$ldir/mbox" > "$ldir/verify.json"
    _v=$?
    cat "$ldir/verify.json"
    _sum="$(cat "$ldir/send.json") $(tail -n 1 "$ldir/verify.json") faults=$lfaults seconds=$(( $(date +%s) - lt0 ))"
    echo "$_sum" > "$ldir/summary"
    echo "# load $1: $_sum" >&3
    [ "$lfaults" -ge 5 ] && [ "$_v" = 0 ]
}

# fault_desc FAULT - what a fault function does, for the TAP line
fault_desc() {
    case $1 in
    fault_standby) echo "pcs node standby of the active node" ;;
    fault_kill_master) echo "kill -9 of the Postfix master" ;;
    fault_umount) echo "spool unmounted under the stack" ;;
    fault_poweroff) echo "active node powered off" ;;
    fault_cluster_restart) echo "pcs cluster stop --all then start --all" ;;
    fault_hung_master) echo "kill -STOP of the Postfix master (hung, never resumed)" ;;
    matrix_hung_master) echo "hung master (SIGSTOP, never resumed)" ;;
    matrix_hung_qmgr) echo "hung queue manager (SIGSTOP of qmgr, never resumed)" ;;
    matrix_smtpd_off) echo "smtpd disabled on the active node (master.cf, postfix reload)" ;;
    matrix_spool_ro) echo "spool read-only after an ext4 error (errors=remount-ro)" ;;
    matrix_spool_full) echo "spool full (ENOSPC) for 20 s" ;;
    matrix_alias_db) echo "alias database deleted on the active node" ;;
    matrix_double_cleanup) echo "kill -9 of the master, two pcs resource cleanup during the recovery" ;;
    matrix_drain_kill) echo "master killed during stop's drain (standby, local(8) deliveries stopped)" ;;
    matrix_dovecot_off) echo "Dovecot (Postfix's SASL server) stopped on the active node" ;;
    *) echo "$1" ;;
    esac
}

# t_maint_stop - mail in the queue survives pcs cluster stop --all / start
t_maint_stop() {
    _dir=$out/maint
    rm -rf "$_dir"
    mkdir -p "$_dir"
    _a=$(fault_active) || return 1
    # Hold local delivery on the active node so the mail waits in the queue.
    lab_exec "$_a" postconf -e 'defer_transports = local' || return 1
    lab_exec "$_a" postfix reload || return 1
    touch "$_dir/stop"
    ip netns exec mhlab-client python3 "$here/loadgen.py" send --host "$MHLAB_VIP" \
        --min 60 --until "$_dir/stop" --log "$_dir/accepted.log" --threads 2 || return 1
    _q=$(lab_exec "$_a" postqueue -p | grep -c '^[0-9A-F]')
    echo "queued before stop: $_q"
    [ "$_q" -gt 0 ] || return 1
    guide_in_node maint-stop mhlab1 || return 1
    for _x in $(lab_node_names); do
        lab_exec "$_x" postconf -e 'defer_transports =' || return 1
    done
    guide_in_node maint-start mhlab1 || return 1
    # shellcheck disable=SC2046
    lab_wait_online 120 $(lab_node_names) || return 1
    stack_wait 120 || return 1
    wait_queue_empty 120 || return 1
    fetch_mboxes "$_dir/mbox" || return 1
    python3 "$here/loadgen.py" verify --log "$_dir/accepted.log" --mbox-dir "$_dir/mbox"
}

# t_guide_uids - the guide's section-4 loop over the nodes (ssh) printed
# each account once per node, with the same uid on every node
t_guide_uids() {
    _f=$MHLAB_DIR/guide-uids.out
    cat "$_f"
    [ "$(wc -l <"$_f")" -eq $((2 * MHLAB_NODES)) ] || return 1
    [ "$(sort -u "$_f" | wc -l)" -eq 2 ] || return 1
    grep -q '^user1:x:2001:2001:' "$_f" && grep -q '^user2:x:2002:2002:' "$_f"
}

# t_guide_spool_link - the guide's section-3 check: on every node both
# names of the spool are one directory, Debian's real one
t_guide_spool_link() {
    _f=$MHLAB_DIR/guide-spool-link.out
    cat "$_f"
    [ "$(wc -l <"$_f")" -eq "$MHLAB_NODES" ] || return 1
    [ "$(sort -u "$_f")" = /var/mail ]
}

# t_guide_status - the guide's "pcs status --full" (section 11) shows the stack
t_guide_status() {
    guide_in_node status mhlab1 >"$out/guide-status.out" || return 1
    cat "$out/guide-status.out"
    grep -q 'mail-postfix.*Started' "$out/guide-status.out"
}

# t_guide_logscan - the guide's timer (section 13) enabled on every node:
# the timer is enabled and waiting, one pass of its service (started as
# the timer starts it) succeeds and publishes #health-mail, and the cursor
# is where the service keeps it
t_guide_logscan() {
    for _x in $(lab_node_names); do
        guide_in_node logscan-timer "$_x" || return 1
        lab_exec "$_x" systemctl is-enabled mailha-logscan.timer || return 1
        lab_exec "$_x" systemctl is-active mailha-logscan.timer || return 1
        lab_exec "$_x" systemctl start mailha-logscan.service || {
            lab_exec "$_x" journalctl -u mailha-logscan.service -n 20 --no-pager
            return 1
        }
        _res=$(lab_exec "$_x" systemctl show -p Result --value mailha-logscan.service) || return 1
        echo "$_x: mailha-logscan.service Result=$_res"
        [ "$_res" = success ] || return 1
        _v=$(lab_exec "$_x" attrd_updater -Q -n '#health-mail' -N "$_x") || return 1
        echo "$_x: $_v"
        case $_v in
        *'value="green"'* | *'value="yellow"'* | *'value="red"'*) ;;
        *) return 1 ;;
        esac
        lab_exec "$_x" test -s /var/lib/mailha/logscan.cursor || return 1
    done
}

# t_guide_standby - the guide's standby/unstandby of node1 (section 14)
t_guide_standby() {
    guide_in_node standby mhlab1
}

# t_guide_upgrade - the guide's rolling upgrade of node2 (section 15), on
# node2; the service ends there
t_guide_upgrade() {
    guide_in_node upgrade mhlab2 || return 1
    [ "$(stack_where)" = mhlab2 ]
}

# t_guide_troubleshoot - the guide's troubleshooting commands (section 16)
# on the active node
t_guide_troubleshoot() {
    _a=$(fault_active) || return 1
    guide_in_node troubleshoot "$_a"
}

# t_agent_logs - the agents' messages are where a Pacemaker admin looks, in
# resource-agents' shape "AGENT(RESOURCE)[PID]: LEVEL: text": in the
# cluster log Pacemaker passes to its agents (PCMK_logfile, Debian's
# /var/log/pacemaker/pacemaker.log), with the date and the node's name in
# front, and in the journal under the tag AGENT(RESOURCE) with the agent's
# PID; the postfix start's "Postfix started" on the active node
t_agent_logs() {
    _a=$(fault_active) || return 1
    # shellcheck disable=SC2016  # expanded by the node's shell
    _lf=$(lab_exec "$_a" sh -c '. /etc/default/pacemaker 2>/dev/null; echo "${PCMK_logfile:-/var/log/pacemaker/pacemaker.log}"') || return 1
    _l=$(lab_exec "$_a" grep -E "^[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} $_a postfix\\(mail-postfix\\)\\[[0-9]+\\]: INFO: Postfix started" "$_lf" | tail -n 1)
    echo "$_lf: ${_l:-nothing}"
    [ -n "$_l" ] || return 1
    _pid=$(echo "$_l" | sed 's/.*postfix(mail-postfix)\[\([0-9]*\)\].*/\1/')
    _j=$(lab_exec "$_a" journalctl -t 'postfix(mail-postfix)' -o export --no-pager |
        awk -v p="$_pid" '/^SYSLOG_PID=/ { pid = substr($0, 12) }
            /^MESSAGE=INFO: Postfix started/ && pid == p { f = 1 }
            /^$/ { pid = "" } END { exit !f }' && echo yes)
    echo "journal, tag postfix(mail-postfix), SYSLOG_PID $_pid, INFO: Postfix started: ${_j:-no}"
    [ "$_j" = yes ]
}

# t_guide_all - every block the guide marks for the lab ran in this run
t_guide_all() {
    _m=$(guide_not_ran)
    echo "ran: $(sort -u "$MHLAB_DIR/guide-ran" | tr '\n' ' ')"
    [ -z "$_m" ] || { echo "not run: $_m"; return 1; }
}

# suite STACK - the whole sequence against one stack
suite() {
    sname=$1
    check "$sname: stack created with pcs, every resource Started, SMTP on $MHLAB_VIP" stack_create "$sname"
    check "$sname: spool mounted on the active node only" t_spool_only_active
    check "$sname: crm_resource --force-check on every resource" t_force_check
    check "$sname: crm_resource --validate on every resource" t_validate
    check "$sname: pcs resource describe of every agent without warnings" t_describe
    check "$sname: no failed actions (probes on the passive node included)" t_no_failed
    check "$sname: mailx through the floating IP delivers" t_mailx
    if [ "$sname" = mailha ]; then
        check "$sname: drift clone: a main.cf change on the passive node named on both, then cleared" t_drift
        check "$sname: mailha-status on the passive node: OK, spool and Postfix on the active node" t_status
        check "$sname: agent messages in the cluster log and the journal, in resource-agents' shape" t_agent_logs
        check "guide 11: pcs status --full shows the stack" t_guide_status
        check "guide 13: the logscan timer on every node; a pass of its service publishes #health-mail" t_guide_logscan
        check "guide 14: pcs node standby node1, then unstandby; the stack serves mail" t_guide_standby
        check "guide 15: rolling upgrade of node2 (standby, install, crm_resource --validate, move, clear)" t_guide_upgrade
        check "guide 16: the troubleshooting commands on the active node" t_guide_troubleshoot
    fi
    # --ci: these faults are tested once each, under load, below.
    if [ "$ci" = no ]; then
        for flt in fault_standby fault_kill_master fault_hung_master fault_umount fault_poweroff fault_cluster_restart; do
            [ "$flt" = fault_hung_master ] && [ "$sname" = ra ] && continue
            check "$sname: fault: $(fault_desc "$flt")" "$flt"
        done
    fi
    check "$sname: fault: maintenance-mode on and off, nothing restarted" fault_maintenance
    if [ "$sname" = mailha ] && stack_have aliases; then
        check "$sname: fault: stale alias DB on the passive node rebuilt there, delivered after failover" t_stale_alias
    elif [ "$sname" = mailha ]; then
        skip "$sname: stale alias DB on the passive node" "ocf:mailha:aliases not written yet"
    else
        skip "$sname: stale alias DB on the passive node" "resource-agents has no alias agent"
    fi
    check "$sname: fault: mail queued at a standby failover delivered by the other node" t_queued_failover
    check "$sname: load: SMTP generator sending to $MHLAB_VIP" load_start "$sname"
    for flt in $load_faults; do
        if [ "$flt" = matrix_hung_master ] && [ "$sname" = ra ]; then
            skip "$sname: fault under load: $(fault_desc "$flt")" "the resource-agents anchor is measured on the other faults only"
            continue
        fi
        check "$sname: fault under load: $(fault_desc "$flt")" load_fault "$flt"
    done
    # the fault matrix (issue 13), in the same load run: mailha's stack
    # only (the anchor has no depth-0 check of qmgr or of a read-only
    # spool: those faults would not end)
    if [ "$sname" = mailha ]; then
        for flt in $matrix_faults; do
            [ "$flt" = matrix_hung_master ] && continue   # in load_faults above
            check "$sname: matrix under load: $(fault_desc "$flt")" load_fault "$flt"
        done
    fi
    if [ "$sname" = ra ]; then
        # the anchor is measured, not judged: resource-agents' stack loses
        # the mail local(8) writes under the mount point while the spool is
        # unmounted under it (doc/cluster-lab.md); TAP TODO records that
        # without failing the run
        TODO="resource-agents anchor: no guard under the mount point"
        check "$sname: no mail lost: >= $MHLAB_LOAD_MIN messages through $nfaults faults, every 250 in every mailbox" load_verify "$sname"
        TODO=""
    else
        check "$sname: no mail lost: >= $MHLAB_LOAD_MIN messages through $nfaults faults and the rest of the fault matrix, every 250 in every mailbox" load_verify "$sname"
        matrix_table
    fi
    check "$sname: maintenance stop with mail queued loses nothing (the guide's section 14 commands)" t_maint_stop
    if [ "$sname" = mailha ]; then
        check "guide: every block the guide marks for the lab ran" t_guide_all
    fi
    check "$sname: no failed actions at the end" t_no_failed
    check "$sname: stack deleted, spool unmounted everywhere" stack_delete
}

# The faults the load test goes through, in this order (--ci included),
# then for the mailha stack the fault matrix's (matrix_* in faults.sh).
load_faults="fault_standby fault_kill_master matrix_hung_master fault_umount fault_poweroff fault_standby fault_cluster_restart"
matrix_faults="matrix_hung_qmgr matrix_smtpd_off matrix_spool_ro matrix_spool_full matrix_alias_db matrix_drain_kill matrix_dovecot_off matrix_double_cleanup matrix_hung_master"
# shellcheck disable=SC2086  # a word list
nfaults=$(set -- $load_faults; echo $#)
# shellcheck disable=SC2086  # a word list
nmatrix=$(set -- $matrix_faults; echo $#)

# matrix_table - the fault matrix's rows so far, as TAP comments
matrix_table() {
    [ -s "$out/matrix.txt" ] || return 0
    echo "# fault matrix: fault | the cluster | longest without a 250 (s) | stack healthy after (s) | failed stops | blocked"
    sed 's/^/# /' "$out/matrix.txt"
}

# matrix_suite - the fault matrix (--matrix): the guide's stack, the load
# generator, every matrix fault, then the loss count and the table
matrix_suite() {
    sname=mailha
    check "mailha: stack created with pcs, every resource Started, SMTP on $MHLAB_VIP" stack_create mailha
    check "mailha: load: SMTP generator sending to $MHLAB_VIP" load_start mailha
    for flt in $matrix_faults; do
        check "mailha: matrix under load: $(fault_desc "$flt")" load_fault "$flt"
    done
    check "mailha: no mail lost: >= $MHLAB_LOAD_MIN messages through the $nmatrix matrix faults, every 250 in every mailbox" load_verify mailha
    matrix_table
    check "mailha: no failed actions at the end" t_no_failed
    check "mailha: stack deleted, spool unmounted everywhere" stack_delete
}

check "lab up: rootfs, ${MHLAB_NODES} systemd nodes, the guide's set-up (packages, DRBD init, accounts, pcs host auth/setup/start/enable)" t_up
[ "$last" = 0 ] || exit 0
check "guide 4: the ssh loop over the nodes shows user1 and user2 with the same uids" t_guide_uids
check "guide 3: /var/spool/mail and /var/mail are one directory on every node, Debian's /var/mail (the link kept)" t_guide_spool_link
check "corosync.conf has two_node" t_two_node
check "shared disk visible in every node" t_disk_everywhere
if [ "$matrix" = yes ]; then
    matrix_suite
else
    for s in $stacks; do
        suite "$s"
    done
fi
# the inner run succeeds; its TAP lines say what passed
:
