#!/bin/sh
# run.sh - the mailha cluster tests, as TAP, on a fresh 2-node lab.
#
# Usage: tests/cluster/run.sh [--ci] [--stack mailha|ra] [--keep]
#   --ci     the subset CI runs (mailha stack only, about 10 minutes with
#            the rootfs build); without it the resource-agents stack gets
#            the same fault suite afterwards (MHLAB_LOAD_MIN=5000 for a
#            longer load run)
#   --keep   leave the lab running at the end (default: lab.sh down)
# Prints "ok N - ..." / "not ok N - ..." and "1..N" at the end; command
# output goes to build/cluster/run.log.
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
stacks="mailha ra"
while [ $# -gt 0 ]; do
    case $1 in
    --ci) stacks=mailha ;;
    --stack) stacks=$2; shift ;;
    --keep) keep=yes ;;
    *) echo "usage: run.sh [--ci] [--stack mailha|ra] [--keep]" >&2; exit 2 ;;
    esac
    shift
done
: "${MHLAB_LOAD_MIN:=2000}"

out=$top/build/cluster
mkdir -p "$out"
log=$out/run.log
: > "$log"
n=0
last=0
loadpid=""
exec 3>&1

# ok|nok|skip - one TAP line
tap() {
    n=$((n + 1))
    echo "$1 $n - $2"
}
check() {
    _desc=$1
    shift
    echo "=== $_desc" >>"$log"
    if "$@" >>"$log" 2>&1; then
        last=0
        tap ok "$_desc"
    else
        last=1
        tap "not ok" "$_desc"
        tail -n 15 "$log" | sed 's/^/# /'
    fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

finish() {
    if [ -n "$loadpid" ]; then
        kill "$loadpid" 2>/dev/null
        wait "$loadpid" 2>/dev/null
    fi
    if [ "$keep" = no ]; then
        lab_down >>"$log" 2>&1
    fi
    echo "1..$n"
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
        if echo "$_o" | grep -qi 'warning'; then
            echo "$_o" | grep -i warning
            return 1
        fi
    done
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
            lab_exec "$_x" mountpoint -q "$MHLAB_SPOOL" || return 1
        else
            ! lab_exec "$_x" mountpoint -q "$MHLAB_SPOOL" || return 1
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

# t_stale_alias - an alias DB stale on the passive node is rebuilt there
# before it takes over, and mail to the new alias is delivered
t_stale_alias() {
    _a=$(fault_active) || return 1
    _p=$(lab_node_names | tr ' ' '\n' | grep -v "^$_a$" | head -n 1)
    lab_exec "$_p" sh -c 'echo "staff: bob, dave" >> /etc/aliases' || return 1
    stack_pcs node standby "$_a" >/dev/null || return 1
    stack_wait 120 "$_a" || return 1
    stack_pcs node unstandby "$_a" >/dev/null || return 1
    _id="<mhlab-staff-$$@mhlab.test>"
    printf 'Subject: staff\nMessage-ID: %s\n\nhi\n' "$_id" |
        ip netns exec mhlab-client python3 -c '
import smtplib, sys
smtplib.SMTP(sys.argv[1], 25, timeout=10).sendmail("root@mhlab.test", ["staff@mhlab.test"], sys.stdin.read())' "$MHLAB_VIP" || return 1
    wait_queue_empty 60 || return 1
    lab_exec "$_p" grep -qF "Message-ID: $_id" "$MHLAB_SPOOL/bob" &&
        lab_exec "$_p" grep -qF "Message-ID: $_id" "$MHLAB_SPOOL/dave"
}

# t_load STACK - >= MHLAB_LOAD_MIN messages while 5+ faults happen; none lost
t_load() {
    _dir=$out/load-$1
    rm -rf "$_dir"
    mkdir -p "$_dir"
    # The count is by this run's Message-IDs, so older mail does not matter.
    ip netns exec mhlab-client python3 "$here/loadgen.py" send --host "$MHLAB_VIP" \
        --min "$MHLAB_LOAD_MIN" --until "$_dir/stop" --log "$_dir/accepted.log" \
        --threads 4 --pause 0.02 > "$_dir/send.json" 2>"$_dir/send.err" &
    loadpid=$!
    _faults=0
    for _f in fault_standby fault_kill_master fault_umount fault_poweroff \
              fault_standby fault_cluster_restart; do
        sleep 3
        echo "--- load: $_f" >&2
        $_f || { lab_log "load: $_f did not recover"; touch "$_dir/stop"; return 1; }
        _faults=$((_faults + 1))
    done
    touch "$_dir/stop"
    wait "$loadpid"
    _rc=$?
    loadpid=""
    cat "$_dir/send.json"
    [ "$_rc" -eq 0 ] || { cat "$_dir/send.err"; return 1; }
    wait_queue_empty 120 || return 1
    fetch_mboxes "$_dir/mbox" || return 1
    python3 "$here/loadgen.py" verify --log "$_dir/accepted.log" \
        --mbox-dir "$_dir/mbox" > "$_dir/verify.json"
    _v=$?
    cat "$_dir/verify.json"
    echo "# load $1: $(cat "$_dir/send.json") $(tail -n 1 "$_dir/verify.json") faults=$_faults" >&3
    [ "$_faults" -ge 5 ] && [ "$_v" = 0 ]
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
    stack_pcs cluster stop --all >/dev/null || return 1
    for _x in $(lab_node_names); do
        lab_exec "$_x" postconf -e 'defer_transports =' || return 1
    done
    stack_pcs cluster start --all --wait=120 >/dev/null || return 1
    # shellcheck disable=SC2046
    lab_wait_online 120 $(lab_node_names) || return 1
    stack_wait 120 || return 1
    wait_queue_empty 120 || return 1
    fetch_mboxes "$_dir/mbox" || return 1
    python3 "$here/loadgen.py" verify --log "$_dir/accepted.log" --mbox-dir "$_dir/mbox"
}

# suite STACK - the whole sequence against one stack
suite() {
    _s=$1
    check "$_s: stack created with pcs, every resource Started, SMTP on $MHLAB_VIP" stack_create "$_s"
    check "$_s: spool mounted on the active node only" t_spool_only_active
    check "$_s: crm_resource --force-check on every resource" t_force_check
    check "$_s: crm_resource --validate on every resource" t_validate
    check "$_s: pcs resource describe of every agent without warnings" t_describe
    check "$_s: no failed actions (probes on the passive node included)" t_no_failed
    check "$_s: mailx through the floating IP delivers" t_mailx
    check "$_s: fault: pcs node standby of the active node" fault_standby
    check "$_s: fault: kill -9 of the Postfix master" fault_kill_master
    check "$_s: fault: spool unmounted under the stack" fault_umount
    check "$_s: fault: active node powered off" fault_poweroff
    check "$_s: fault: pcs cluster stop --all then start --all" fault_cluster_restart
    check "$_s: fault: maintenance-mode on and off, nothing restarted" fault_maintenance
    if [ "$_s" = mailha ] && stack_have aliases; then
        check "$_s: fault: stale alias DB on the passive node, rebuilt at failover" t_stale_alias
    elif [ "$_s" = mailha ]; then
        skip "$_s: stale alias DB on the passive node" "ocf:mailha:aliases not written yet"
    else
        skip "$_s: stale alias DB on the passive node" "resource-agents has no alias agent"
    fi
    check "$_s: no mail lost: >= $MHLAB_LOAD_MIN messages through 6 faults" t_load "$_s"
    check "$_s: maintenance stop with mail queued loses nothing" t_maint_stop
    check "$_s: no failed actions at the end" t_no_failed
    check "$_s: stack deleted, spool unmounted everywhere" stack_delete
}

check "lab up: rootfs, ${MHLAB_NODES} systemd nodes, pcs host auth/setup/start" t_up
[ "$last" = 0 ] || exit 1
check "corosync.conf has two_node" t_two_node
check "shared disk visible in every node" t_disk_everywhere
for s in $stacks; do
    suite "$s"
done
