#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# status.bats - mailha-status against crm_mon XML fixtures (states the
# harness cannot easily produce), and against a real single-node Pacemaker
# (tests/lib/pcmk-node.sh) running the real mail stack: ocf:mailha:mailspool
# on a loop-device ext4 volume made here (guard on, the Postfix queue on the
# volume), ocf:mailha:postfix on a private Postfix instance
# (tests/lib/postfix-instance.sh) with the admin guide's constraints
# (Postfix with and after the spool), and the ocf:mailha:drift clone.  The
# agents are this tree's, bind-mounted into the node only.  Real failures
# (the Postfix master killed, a start refused for a bad parameter, Postfix
# or the spool disabled) must show in mailha-status.  Also the drift agent's
# own failure paths, and the node attribute the daemon publishes through the
# real attrd_updater.

load common

STATUS=$REPO/build/bin/mailha-status
DRIFT=$REPO/build/bin/mailha-drift
FIX=$REPO/tests/fixtures/status

setup_file() {
    . "$REPO/tests/lib/pcmk-node.sh"
    . "$REPO/tests/lib/postfix-instance.sh"
    . "$REPO/tests/lib/spool-node.sh"
    common_build mailha-status mailha-drift mailha-spool mailha-probe
    ST_DIR=$(mktemp -d /tmp/mh-status-bats.XXXXXX)
    export ST_DIR
    # Postfix and the mail account walk through it
    chmod 755 "$ST_DIR"
    # the agents and library as `make install` would lay them out, seen
    # only inside the node
    mkdir -p "$ST_DIR/rd" "$ST_DIR/lib"
    cp -a /usr/lib/ocf/resource.d/. "$ST_DIR/rd/"
    cp -a /usr/lib/ocf/lib/. "$ST_DIR/lib/"
    mkdir -p "$ST_DIR/rd/mailha" "$ST_DIR/lib/mailha"
    for a in drift mailspool postfix; do
        cp "$REPO/agents/$a" "$ST_DIR/rd/mailha/$a"
    done
    sed -e "s|^: \"\${MAILHA_SBINDIR:=/usr/sbin}\"|: \"\${MAILHA_SBINDIR:=$REPO/build/bin}\"|" \
        "$REPO/heartbeat/mailha-shellfuncs" > "$ST_DIR/lib/mailha/mailha-shellfuncs"
    grep -q "MAILHA_SBINDIR:=$REPO/build/bin" "$ST_DIR/lib/mailha/mailha-shellfuncs"
    # a Postfix config whose queue has known contents
    mkdir -p "$ST_DIR/pf" "$ST_DIR/queue/active" "$ST_DIR/queue/deferred/A" \
        "$ST_DIR/queue/deferred/B" "$ST_DIR/queue/incoming" "$ST_DIR/queue/hold"
    echo "queue_directory = $ST_DIR/queue" > "$ST_DIR/pf/main.cf"
    : > "$ST_DIR/queue/deferred/A/A1B2C3"
    : > "$ST_DIR/queue/deferred/A/A4B5C6"
    : > "$ST_DIR/queue/deferred/B/B7C8D9"
    : > "$ST_DIR/queue/hold/H1"
    # the spool volume: ext4 on a loop device (teardown detaches it)
    sn_disk_create "$ST_DIR/disk.img"
    echo "$SN_DEV" > "$ST_DIR/dev"
    mkdir -p "$ST_DIR/spool"
    # one mail account the spool agent makes a mailbox for
    . "$REPO/tests/lib/test-users.sh"
    tu_group mhstatus
    tu_user mhstatus1
    usermod -a -G mhstatus mhstatus1
    # the private Postfix instance; its queue will be the volume's .postfix,
    # its spool the volume; a HOLD header check to park a message
    pfi_create "$ST_DIR/pfi"
    echo "$PFI_PORT" > "$ST_DIR/port"
    postconf -c "$PFI_CONF" -e "mail_spool_directory = $ST_DIR/spool" \
        "header_checks = regexp:$PFI_CONF/header_checks"
    echo '/^Subject: mailha-status hold/ HOLD' > "$PFI_CONF/header_checks"
    pcmk_node_start "$ST_DIR/node" node1
    pcmk_exec mount --bind "$ST_DIR/rd" /usr/lib/ocf/resource.d
    pcmk_exec mount --bind "$ST_DIR/lib" /usr/lib/ocf/lib
    # the admin guide's stack, on this node's volume and instance, with the
    # guide's operations and stop_drain (section 11)
    pcmk_exec pcs resource create spool ocf:mailha:mailspool device="$SN_DEV" \
        directory="$ST_DIR/spool" fstype=ext4 options=errors=remount-ro \
        queue_directory="$ST_DIR/spool/.postfix" \
        config_dir="$PFI_CONF" group=mhstatus op monitor interval=10s timeout=20s
    pcmk_exec pcs resource create smtp ocf:mailha:postfix config_dir="$PFI_CONF" stop_drain=30 \
        op monitor interval=10s timeout=20s \
        op monitor interval=30s timeout=30s OCF_CHECK_LEVEL=10 \
        op stop timeout=90s --disabled
    pcmk_exec pcs constraint colocation add smtp with spool INFINITY
    pcmk_exec pcs constraint order start spool 'then' start smtp
    pcmk_exec pcs resource enable smtp
    pcmk_exec pcs resource create drift ocf:mailha:drift interval=2 health=true \
        op monitor interval=3s clone
    pcmk_wait_started smtp 60 || { pcmk_exec crm_mon -1 >&2; return 1; }
}

# st_env - the harness's variables of the instance and the node
st_env() {
    PFI_DIR=$ST_DIR/pfi
    PFI_CONF=$PFI_DIR/etc
    PFI_QUEUE=$PFI_DIR/queue
    SPOOL=$ST_DIR/spool
    DEV=$(cat "$ST_DIR/dev" 2>/dev/null)
    PCMK_PID1=$(cat "$ST_DIR/node/pid1" 2>/dev/null)
}

teardown_file() {
    st_teardown
    # the test account and group, if this run added them (after the node
    # is gone: no process of the account is left)
    . "$REPO/tests/lib/test-users.sh"
    tu_cleanup
}

# st_teardown - the node, the instance, the disk and the files, gone
st_teardown() {
    [ -n "${ST_DIR:-}" ] && [ -d "$ST_DIR" ] || return 0
    . "$REPO/tests/lib/pcmk-node.sh"
    . "$REPO/tests/lib/postfix-instance.sh"
    . "$REPO/tests/lib/spool-node.sh"
    st_env
    if [ -n "$PCMK_PID1" ]; then
        # Pacemaker asked to shut down, then the node's PID 1 killed: every
        # process in it ends, and with its mount namespace the spool, the
        # guard and the queue bind go away
        pcmk_node_stop
        st_pid1=$(cat "$ST_DIR/node/pid1")
        n=0
        while [ -d "/proc/$st_pid1" ] && [ $n -lt 100 ]; do
            sleep 0.1
            n=$((n + 1))
        done
    fi
    # Postfix only ever ran inside the node, which is gone with all its
    # processes and mounts: what is left of the instance is its listing in
    # alternate_config_directories and its files (pfi_destroy's stop would
    # only walk /proc for nothing, 10-30 s on a loaded machine)
    if [ -f "$PFI_CONF/main.cf" ]; then
        pfi_unregister "$PFI_CONF"
    fi
    SN_DEV=$DEV sn_disk_destroy
    rm -rf "${ST_DIR:?}"
}

setup() {
    . "$REPO/tests/lib/pcmk-node.sh"
    st_env
}

# wait_status PATTERN [ARGS...] - until mailha-status in the node prints it
wait_status() {
    _pat=$1
    shift
    _t=300
    while [ $_t -gt 0 ]; do
        if pcmk_exec "$STATUS" "$@" 2>/dev/null | grep -q -- "$_pat"; then
            return 0
        fi
        sleep 0.1
        _t=$((_t - 1))
    done
    pcmk_exec "$STATUS" "$@" >&2
    return 1
}

# --- fixtures ----------------------------------------------------------------

@test "fixture: captured single node with a failed monitor is WARNING, reason shown" {
    run "$STATUS" --crm-mon-xml "$FIX/single-node-failed-monitor.xml" --no-attrd --no-queue \
        --drift-state /nonexistent
    assert_failure 1
    assert_line "mailha-status: WARNING"
    assert_line "spool:   spool on node1"
    assert_line "postfix: smtp on node1"
    assert_output --partial "last failure: asyncmon on node1 at 2026-11-28 00:08:43Z: error (exit 1): Simulated failure"
    assert_output --partial "WARNING: node node1 reports drift: 2 items differ"
}

@test "fixture: DRBD promotable clone with the peer in standby" {
    run "$STATUS" --crm-mon-xml "$FIX/two-node-drbd-standby.xml" --no-attrd --no-queue
    assert_failure 1
    assert_output --partial "drbd-mail            ocf:linbit:drbd        Promoted on node1"
    assert_output --partial "drbd:    drbd-mail promotion score 10000 on node1"
    assert_output --partial "WARNING: node node2 is in standby"
    assert_output --partial "WARNING: DRBD drbd-mail has no Secondary"
    refute_output --partial "CRITICAL"
}

@test "fixture: node offline, spool start failed, Postfix monitor failed: CRITICAL" {
    run "$STATUS" --crm-mon-xml "$FIX/two-node-offline-failed.xml" --no-attrd --no-queue
    assert_failure 2
    assert_line "spool:   mail-spool on NO NODE"
    assert_output --partial "not configured (exit 6): mount /dev/drbd0 on /var/spool/mail: wrong fs type"
    assert_output --partial "CRITICAL: the mail spool (ocf:mailha:mailspool) is not running on any node"
    assert_output --partial "CRITICAL: resource mail-postfix (ocf:mailha:postfix) failed on node1"
    assert_output --partial "WARNING: node node2 is offline"
    # the failure of mail-postfix is not pinned on mail-postfix_probe
    refute_output --partial "mail-postfix_probe"
}

@test "fixture: unclean node without quorum is CRITICAL" {
    run "$STATUS" --crm-mon-xml "$FIX/unclean-no-quorum.xml" --no-attrd --no-queue
    assert_failure 2
    assert_output --partial "CRITICAL: this partition has no quorum"
    assert_output --partial "CRITICAL: node node1 is unclean"
    assert_output --partial "WARNING: node node2 is in maintenance"
}

@test "fixture: JSON and XML carry the same facts" {
    run "$STATUS" --crm-mon-xml "$FIX/two-node-offline-failed.xml" --no-attrd --no-queue --json
    assert_failure 2
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "CRITICAL" and d["code"] == 2, d
assert d["spool"] == {"resource": "mail-spool", "node": None}, d["spool"]
r = {x["id"]: x for x in d["resources"]}
assert r["mail-spool"]["last_failure"]["exitcode"] == 6
assert "wrong fs type" in r["mail-spool"]["last_failure"]["exitreason"]
assert any(p["severity"] == "CRITICAL" and "not running" in p["text"] for p in d["problems"])
'
    run "$STATUS" --crm-mon-xml "$FIX/two-node-offline-failed.xml" --no-attrd --no-queue --xml
    assert_failure 2
    echo "$output" > "$BATS_TEST_TMPDIR/s.xml"
    run xmllint --xpath 'string(/mailha-status/resources/resource[@id="mail-spool"]/last-failure/@exitstatus)' \
        "$BATS_TEST_TMPDIR/s.xml"
    assert_output "not configured"
    run xmllint --xpath 'count(/mailha-status/problems/problem[@severity="CRITICAL"])' \
        "$BATS_TEST_TMPDIR/s.xml"
    assert_output "2"
}

@test "fixture: exit reasons double-escaped by crm_mon are shown once-decoded in text, JSON and XML" {
    run "$STATUS" --crm-mon-xml "$FIX/double-escaped-reasons.xml" --no-attrd --no-queue \
        --drift-state /nonexistent
    assert_failure 2
    assert_line "    last failure: start on node1 at 2026-11-27 23:10:05Z: not configured (exit 6): probe_timeout must be a positive integer (seconds), not 'soon'"
    assert_line '  WARNING: failed action other_monitor_10000 on node1: error (exit 1): "a & b, <x>, say "hi", &amp; stays\nnext    tab"'
    refute_output --partial "&apos;"
    refute_output --partial "&quot;"
    run "$STATUS" --crm-mon-xml "$FIX/double-escaped-reasons.xml" --no-attrd --no-queue \
        --drift-state /nonexistent --json
    assert_failure 2
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = {x["id"]: x for x in d["resources"]}
assert r["smtp"]["last_failure"]["exitreason"] == \
    "probe_timeout must be a positive integer (seconds), not \x27soon\x27", r["smtp"]
p = [x["text"] for x in d["problems"] if "other_monitor_10000" in x["text"]]
assert p == ["failed action other_monitor_10000 on node1: error (exit 1): "
             "\"a & b, <x>, say \"hi\", &amp; stays\\nnext    tab\""], p
'
    run "$STATUS" --crm-mon-xml "$FIX/double-escaped-reasons.xml" --no-attrd --no-queue \
        --drift-state /nonexistent --xml
    assert_failure 2
    echo "$output" > "$BATS_TEST_TMPDIR/s.xml"
    run xmllint --xpath 'string(/mailha-status/resources/resource[@id="smtp"]/last-failure/@exitreason)' \
        "$BATS_TEST_TMPDIR/s.xml"
    assert_output "probe_timeout must be a positive integer (seconds), not 'soon'"
}

@test "the installed crm_mon escapes exit reasons twice; mailha-status undoes exactly one level" {
    # crm_mon reads the CIB file (no cluster needed) and writes its XML as
    # it would for a live cluster
    TZ=UTC CIB_file=$FIX/exit-reasons.cib.xml run --separate-stderr crm_mon -1 --output-as=xml --inactive
    assert_success
    echo "$output" > "$BATS_TEST_TMPDIR/cm.xml"
    # what libxml2 hands over still holds entities: the double escaping
    # this decoding exists for (if a newer Pacemaker stops doing it, this
    # fails and the decoding must be made conditional on the version)
    run xmllint --xpath 'string(//failure[@op_key="smtp_start_0"]/@exitreason)' "$BATS_TEST_TMPDIR/cm.xml"
    assert_output "probe_timeout must be a positive integer (seconds), not &apos;soon&apos;"
    run xmllint --xpath 'string(//failure[@op_key="other_monitor_10000"]/@exitreason)' "$BATS_TEST_TMPDIR/cm.xml"
    assert_output 'a &amp; b, &lt;x&gt;, say &quot;hi&quot;, &amp;amp; stays\nnext    tab'
    # the stored fixture is what this crm_mon writes, but for the clock
    run diff <(grep -v '<last_update ' "$BATS_TEST_TMPDIR/cm.xml") \
        <(grep -v '<last_update ' "$FIX/double-escaped-reasons.xml")
    assert_success
    run "$STATUS" --crm-mon-xml "$BATS_TEST_TMPDIR/cm.xml" --no-attrd --no-queue \
        --drift-state /nonexistent
    assert_failure 2
    assert_output --partial "not configured (exit 6): probe_timeout must be a positive integer (seconds), not 'soon'"
    assert_output --partial '"a & b, <x>, say "hi", &amp; stays\nnext    tab"'
    refute_output --partial "&apos;"
}

@test "unreadable cluster state is UNKNOWN (3); bad options are usage errors" {
    run "$STATUS" --crm-mon-xml "$FIX/not-connected.xml" --no-attrd --no-queue
    assert_failure 3
    assert_output "mailha-status: UNKNOWN: crm_mon: Not connected (code 102)"
    run "$STATUS" --crm-mon-xml /nonexistent.xml
    assert_failure 3
    assert_output --partial "open /nonexistent.xml"
    printf '<pacemaker-result><nodes>' > "$BATS_TEST_TMPDIR/cut.xml"
    run "$STATUS" --crm-mon-xml "$BATS_TEST_TMPDIR/cut.xml"
    assert_failure 3
    assert_output --partial "not well-formed"
    MAILHA_CRM_MON=/nonexistent/crm_mon run "$STATUS" --no-attrd --no-queue
    assert_failure 3
    assert_output --partial "run /nonexistent/crm_mon"
    run "$STATUS" --deferred-warn -5
    assert_failure 64
    run "$STATUS" --bogus
    assert_failure 64
}

# st_big_xml N FILE - crm_mon XML with N stopped resources and 0.6 N failed
# monitors, each failure naming its own resource
st_big_xml() {
    python3 - "$1" >"$2" <<'PY'
import sys
n = int(sys.argv[1])
out = ['<?xml version="1.0"?>', '<pacemaker-result api-version="2.30" request="crm_mon --output-as=xml">',
       '<nodes><node name="node1" id="1" online="true" standby="false" maintenance="false" '
       'pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="true" '
       'resources_running="0" type="member"/></nodes>', '<resources>']
out += ['<resource id="rsc_%d" resource_agent="ocf:heartbeat:Dummy" role="Stopped" active="false" '
        'orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" '
        'nodes_running_on="0"/>' % i for i in range(n)]
out.append('</resources><failures>')
out += ['<failure op_key="rsc_%d_monitor_10000" node="node1" exitstatus="error" exitreason="x" '
        'exitcode="1" call="%d" status="complete" queued="0" exec="0" interval="10000" '
        'task="monitor"/>' % (i, i) for i in range(n * 6 // 10)]
out.append('</failures><status code="0" message="OK"/></pacemaker-result>')
print("\n".join(out))
PY
}

# st_irefs FILE - the instructions mailha-status executes on FILE, counted
# by valgrind (cachegrind, no cache simulation): a count, not a time, the
# same on a loaded machine as on an idle one
st_irefs() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        --log-file="$BATS_TEST_TMPDIR/vg.log" \
        "$STATUS" --crm-mon-xml "$1" --no-attrd --no-queue >/dev/null || true
    sed -n 's/.*I *refs: *//p' "$BATS_TEST_TMPDIR/vg.log" | tr -d ,
}

@test "failures x resources is not quadratic: 8 times the input costs at most 12 times the instructions (issue 15 #10)" {
    # the old lookups scanned every resource for every failure: from 1000
    # to 8000 resources it executed 23.7 times the instructions (83 M ->
    # 1967 M; 100k resources with 60k failures took 54-116 s); the index
    # makes it 7.7 times, n log n plus the XML parse
    command -v valgrind >/dev/null || fail "valgrind is not installed (make deps installs it)"
    st_big_xml 1000 "$BATS_TEST_TMPDIR/s.xml"
    st_big_xml 8000 "$BATS_TEST_TMPDIR/l.xml"
    run -2 "$STATUS" --crm-mon-xml "$BATS_TEST_TMPDIR/l.xml" --no-attrd --no-queue
    assert_line --partial "failed action rsc_4799_monitor_10000 on node1"
    small=$(st_irefs "$BATS_TEST_TMPDIR/s.xml")
    large=$(st_irefs "$BATS_TEST_TMPDIR/l.xml")
    echo "instructions: $small for 1000 resources, $large for 8000"
    [ "$small" -gt 1000000 ]
    [ "$large" -le $((small * 12)) ]
}

# --- the drift agent on its own --------------------------------------------

@test "drift agent: validate-all refuses bad parameters with an exit reason" {
    export MAILHA_LIBDIR=$REPO/heartbeat MAILHA_SBINDIR=$REPO/build/bin
    OCF_RESKEY_interval=0 run --separate-stderr sh "$REPO/agents/drift" validate-all
    assert_failure 6
    assert_equal "$stderr" "ocf-exit-reason:interval must be a positive integer: 0"
    OCF_RESKEY_health_attribute=health run --separate-stderr sh "$REPO/agents/drift" validate-all
    assert_failure 6
    [[ "$stderr" == *"must start with #health"* ]]
    OCF_RESKEY_config_dir=/nonexistent run --separate-stderr sh "$REPO/agents/drift" validate-all
    assert_failure 6
    MAILHA_SBINDIR=/nonexistent run --separate-stderr sh "$REPO/agents/drift" validate-all
    assert_failure 5
    run sh "$REPO/agents/drift" validate-all
    assert_success
}

@test "drift agent: a daemon that ignores SIGTERM is killed inside the stop timeout, and stop returns 0 only once it is gone" {
    export MAILHA_LIBDIR=$REPO/heartbeat MAILHA_SBINDIR=$REPO/build/bin
    # a stand-in with the daemon's name (its comm), deaf to SIGTERM
    mkdir -p "$BATS_TEST_TMPDIR/sb"
    printf '#!/bin/sh\ntrap "" TERM\nwhile :; do sleep 0.2; done\n' > "$BATS_TEST_TMPDIR/sb/mailha-drift"
    chmod 755 "$BATS_TEST_TMPDIR/sb/mailha-drift"
    "$BATS_TEST_TMPDIR/sb/mailha-drift" 3>&- &
    pid=$!
    n=0
    until [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mailha-drift ] || [ $n -gt 50 ]; do
        sleep 0.1; n=$((n + 1))
    done
    printf 'pid %s\njoined 1\nuptime_cs 100\ninterval 10\nstatus ok\n' "$pid" > "$BATS_TEST_TMPDIR/drift.state"
    OCF_RESKEY_state=$BATS_TEST_TMPDIR/drift.state OCF_RESKEY_CRM_meta_timeout=8000 \
        run --separate-stderr timeout 8 sh "$REPO/agents/drift" stop
    state=$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null || echo gone)
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    assert_success
    [ "$state" = gone ] || [ "$state" = Z ] || fail "the stand-in is in state $state after stop"
    assert_file_not_exists "$BATS_TEST_TMPDIR/drift.state"
    [[ "$stderr" == *"ignored SIGTERM; killing it"* ]]
}

@test "drift agent: probe without a daemon is 7; start without corosync fails with a reason" {
    export MAILHA_LIBDIR=$REPO/heartbeat MAILHA_SBINDIR=$REPO/build/bin
    export OCF_RESKEY_state=$BATS_TEST_TMPDIR/drift.state
    OCF_RESKEY_CRM_meta_interval=0 run sh "$REPO/agents/drift" monitor
    assert_failure 7
    # in a network namespace of its own there is no corosync to talk to
    OCF_RESKEY_CRM_meta_timeout=5000 run --separate-stderr \
        unshare --net sh "$REPO/agents/drift" start
    assert_failure 1
    [[ "$stderr" == *"did not join group mailha-drift: connect to corosync"* ]]
    run sh "$REPO/agents/drift" stop
    assert_success
    run pgrep -f "$BATS_TEST_TMPDIR/drift.state"
    assert_failure
}

# --- a real cluster ---------------------------------------------------------

# master_pid - the running Postfix master's pid, read inside the node (the
# pid file is in the queue, on the volume mounted there only)
master_pid() {
    pcmk_exec sh -c 'read -r p _ < "$1/pid/master.pid" && kill -0 "$p" && echo "$p"' \
        - "$PFI_QUEUE" 2>/dev/null
}

# refute_master - no live master in the node; fails when the node cannot be
# entered (an empty master_pid would pass then)
refute_master() {
    run pcmk_exec sh -c 'if read -r p _ < "$1/pid/master.pid" 2>/dev/null && kill -0 "$p" 2>/dev/null; then
        echo "master $p runs"; else echo "no master"; fi' - "$PFI_QUEUE"
    assert_success
    assert_output "no master"
}

@test "live: real spool and Postfix started with the drift clone: OK, both on node1; drift attribute published" {
    wait_status "drift (seen from node1): alone" --no-queue
    run pcmk_exec "$STATUS" --no-queue
    assert_success
    assert_line "mailha-status: OK"
    assert_line "spool:   spool on node1"
    assert_line "postfix: smtp on node1"
    assert_output --partial "spool                ocf:mailha:mailspool   Started on node1"
    assert_output --partial "smtp                 ocf:mailha:postfix     Started on node1"
    assert_output --partial "drift                ocf:mailha:drift       Started on node1"
    assert_output --partial "problems: none"
    run pcmk_exec "$STATUS" --no-queue --json
    assert_success
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "OK" and d["code"] == 0, d
assert d["spool"] == {"resource": "spool", "node": "node1"}, d["spool"]
assert d["postfix"] == {"resource": "smtp", "node": "node1"}, d["postfix"]
'
    # what the agents did is real: inside the node the volume is mounted on
    # the spool over the guard, the queue is bound from the volume, the
    # account has its mailbox, and SMTP answers; the host sees none of it
    run pcmk_exec findmnt -n -o SOURCE,FSTYPE -M "$SPOOL"
    assert_line --regexp "^$DEV +ext4\$"
    assert_line --regexp "^mailha-guard +tmpfs\$"
    run pcmk_exec findmnt -n -o SOURCE -M "$PFI_QUEUE"
    assert_output "${DEV}[/.postfix]"
    run pcmk_exec stat -c '%U %G %a' "$SPOOL/mhstatus1"
    assert_output "mhstatus1 mail 600"
    run pcmk_exec "$REPO/build/bin/mailha-probe" -e "127.0.0.1:$(cat "$ST_DIR/port")"
    assert_success
    run findmnt -n -M "$SPOOL"
    assert_failure
    run pcmk_exec attrd_updater -Q -n mailha-drift
    assert_output --partial 'value="0"'
    run pcmk_exec attrd_updater -Q -n '#health-mailha-drift'
    assert_output --partial 'value="green"'
}

@test "live: queue sizes from the Postfix config's queue_directory" {
    run pcmk_exec "$STATUS" -c "$ST_DIR/pf"
    assert_success
    assert_output --partial "queue $ST_DIR/queue: active 0, deferred 3, incoming 0, hold 1"
    run pcmk_exec "$STATUS" -c "$ST_DIR/pf" --deferred-warn 2
    assert_failure 1
    assert_output --partial "WARNING: 3 messages deferred in $ST_DIR/queue (threshold 2)"
}

@test "live: the running instance's queue, on the volume: a held message is counted there" {
    run pcmk_exec "$STATUS" -c "$PFI_CONF"
    assert_success
    assert_output --partial "queue $PFI_QUEUE: active 0, deferred 0, incoming 0, hold 0"
    printf 'Subject: mailha-status hold\n\nparked\n' |
        pcmk_exec env MAIL_CONFIG="$PFI_CONF" /usr/sbin/sendmail -f root mhstatus1
    wait_status "queue $PFI_QUEUE: active 0, deferred 0, incoming 0, hold 1" -c "$PFI_CONF"
    run pcmk_exec find "$SPOOL/.postfix/hold" -type f
    assert_equal "${#lines[@]}" 1
    # the host has no volume mounted: no queue there
    run "$STATUS" -c "$PFI_CONF" --crm-mon-xml "$FIX/single-node-failed-monitor.xml" --no-attrd \
        --drift-state /nonexistent
    assert_line "queue: read $PFI_QUEUE: no Postfix queue here"
    pcmk_exec postsuper -c "$PFI_CONF" -d ALL hold
    wait_status "queue $PFI_QUEUE: active 0, deferred 0, incoming 0, hold 0" -c "$PFI_CONF"
}

@test "live: a differing peer raises the node attribute and names the item" {
    mkdir -p "$BATS_TEST_TMPDIR/pf2"
    printf 'relayhost = [elsewhere.example]\n' > "$BATS_TEST_TMPDIR/pf2/main.cf"
    # a second daemon in the same group, as if it were another node whose
    # relayhost differs (no --attrd: only the clone publishes)
    pid=$(pcmk_exec sh -c '"$0" --node node1b -c "$1" --state "$2" --interval 1 </dev/null >/dev/null 2>&1 & echo $!' \
        "$DRIFT" "$BATS_TEST_TMPDIR/pf2" "$BATS_TEST_TMPDIR/d2.state" 3>&-)
    wait_status "main.cf:relayhost: differs node1b" --no-queue
    run pcmk_exec "$DRIFT" --query
    assert_failure 1
    assert_output --partial "main.cf:relayhost: differs between node1 and node1b"
    t=100
    until pcmk_exec attrd_updater -Q -n mailha-drift | grep -q 'value="[1-9]'; do
        t=$((t - 1)); [ $t -gt 0 ]; sleep 0.1
    done
    wait_status "WARNING: node node1 reports drift" --no-queue
    run pcmk_exec attrd_updater -Q -n '#health-mailha-drift'
    assert_output --partial 'value="yellow"'
    pcmk_exec kill -TERM "$pid"
    wait_status "mailha-status: OK" --no-queue
}

@test "live: #health-mail yellow is WARNING, red is CRITICAL" {
    pcmk_exec attrd_updater -n '#health-mail' -U yellow
    wait_status "WARNING: mail log health on node1 is yellow" --no-queue
    pcmk_exec attrd_updater -n '#health-mail' -U red
    wait_status "CRITICAL: mail log health on node1 is red" --no-queue
    run pcmk_exec "$STATUS" --no-queue
    assert_failure 2
    pcmk_exec attrd_updater -n '#health-mail' -D
    wait_status "mailha-status: OK" --no-queue
}

@test "live: the drift daemon killed: monitor notices, Pacemaker restarts it, failure shown" {
    pid=$(pcmk_exec sed -n 's/^pid //p' /run/mailha/drift.state)
    [ -n "$pid" ]
    pcmk_exec kill -9 "$pid"
    wait_status "failed action drift_monitor_3000 on node1: not running (exit 7)" --no-queue
    wait_status "drift (seen from node1): alone" --no-queue
    newpid=$(pcmk_exec sed -n 's/^pid //p' /run/mailha/drift.state)
    [ "$newpid" != "$pid" ]
    pcmk_exec crm_resource --cleanup -r drift-clone >/dev/null
    wait_status "mailha-status: OK" --no-queue
}

@test "live: the Postfix master killed -9: the monitor's failure is shown, Pacemaker restarts it, OK after cleanup" {
    pid=$(master_pid)
    [ -n "$pid" ]
    pcmk_exec kill -9 "$pid"
    wait_status "failed action smtp_monitor_10000 on node1: not running (exit 7)" --no-queue
    # recovered in place, with the spool: a new master; the failure stays
    # in the history, so not OK
    pcmk_wait_started smtp 60
    wait_status "smtp                 ocf:mailha:postfix     Started on node1\$" --no-queue
    newpid=$(master_pid)
    [ -n "$newpid" ]
    [ "$newpid" != "$pid" ]
    run pcmk_exec "$STATUS" --no-queue
    assert_failure 1
    assert_line "mailha-status: WARNING"
    assert_line "postfix: smtp on node1"
    assert_line --regexp "^    last failure: monitor on node1 at [0-9-]+ [0-9:]+Z: not running \(exit 7\)\$"
    assert_line "  WARNING: failed action smtp_monitor_10000 on node1: not running (exit 7)"
    pcmk_exec crm_resource --cleanup -r smtp >/dev/null
    wait_status "mailha-status: OK" --no-queue
    run pcmk_exec "$STATUS" --no-queue
    assert_success
    refute_output --partial "last failure"
}

@test "live: Postfix disabled shows as stopped: CRITICAL, the spool still on node1; OK once enabled" {
    pcmk_exec pcs resource disable smtp
    wait_status "CRITICAL: Postfix (ocf:mailha:postfix) is not running on any node" --no-queue
    run pcmk_exec "$STATUS" --no-queue
    assert_failure 2
    assert_line "mailha-status: CRITICAL"
    assert_line "spool:   spool on node1"
    assert_line "postfix: smtp on NO NODE"
    assert_line --regexp "^  smtp +ocf:mailha:postfix +Stopped\$"
    refute_output --partial "last failure"
    run pcmk_exec "$STATUS" --no-queue --json
    assert_failure 2
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "CRITICAL" and d["code"] == 2, d
assert d["postfix"] == {"resource": "smtp", "node": None}, d["postfix"]
assert d["spool"] == {"resource": "spool", "node": "node1"}, d["spool"]
'
    # really stopped: no master in the node
    refute_master
    pcmk_exec pcs resource enable smtp
    pcmk_wait_started smtp 60
    wait_status "mailha-status: OK" --no-queue
}

@test "live: a start refused for a bad parameter: CRITICAL with the agent's exit reason (a quote in it decoded); OK once fixed" {
    pcmk_exec pcs resource disable smtp
    wait_status "postfix: smtp on NO NODE" --no-queue
    pcmk_exec pcs resource update smtp binary=/nonexistent/postfix
    pcmk_exec pcs resource enable smtp
    wait_status "failed action smtp_start_0 on node1" --no-queue
    # the failed start is recorded before Pacemaker has stopped what it
    # left ("Stopping on node1 FAILED"): wait for the settled state
    wait_status "postfix: smtp on NO NODE" --no-queue
    run pcmk_exec "$STATUS" --no-queue
    assert_failure 2
    assert_line "mailha-status: CRITICAL"
    assert_line "spool:   spool on node1"
    assert_line "postfix: smtp on NO NODE"
    assert_line --regexp "^  smtp +ocf:mailha:postfix +Stopped\$"
    assert_line --regexp "^    last failure: start on node1 at [0-9-]+ [0-9:]+Z: not installed \(exit 5\): postfix command /nonexistent/postfix not found or not executable\$"
    assert_line "  CRITICAL: Postfix (ocf:mailha:postfix) is not running on any node"
    assert_line '  WARNING: failed action smtp_start_0 on node1: not installed (exit 5): "postfix command /nonexistent/postfix not found or not executable"'
    run pcmk_exec "$STATUS" --no-queue --json
    assert_failure 2
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "CRITICAL" and d["code"] == 2, d
r = {x["id"]: x for x in d["resources"]}
f = r["smtp"]["last_failure"]
assert f["exitcode"] == 5, f
assert f["exitreason"] == "postfix command /nonexistent/postfix not found or not executable", f
'
    refute_master
    # a start refused with a quote in the reason: crm_mon hands over
    # "not &apos;soon&apos;", mailha-status shows it decoded
    pcmk_exec pcs resource update smtp binary=
    pcmk_exec crm_resource -r smtp --set-parameter probe_timeout --parameter-value soon >/dev/null
    pcmk_exec crm_resource --cleanup -r smtp >/dev/null
    wait_status "probe_timeout must be a positive integer (seconds), not 'soon'" --no-queue
    # as above: the reason shows while the stop after the failed start
    # still runs (CI saw "Stopping on node1 FAILED" here)
    wait_status "postfix: smtp on NO NODE" --no-queue
    run pcmk_exec crm_mon -1 --output-as=xml --inactive
    assert_output --partial "not &amp;apos;soon&amp;apos;"
    run pcmk_exec "$STATUS" --no-queue
    assert_failure 2
    assert_line "postfix: smtp on NO NODE"
    assert_line --regexp "^    last failure: start on node1 at [0-9-]+ [0-9:]+Z: not configured \(exit 6\): probe_timeout must be a positive integer \(seconds\), not 'soon'\$"
    refute_output --partial "&apos;"
    run pcmk_exec "$STATUS" --no-queue --json
    assert_failure 2
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
f = {x["id"]: x for x in d["resources"]}["smtp"]["last_failure"]
assert f["exitcode"] == 6, f
assert f["exitreason"] == "probe_timeout must be a positive integer (seconds), not \x27soon\x27", f
'
    # fixed and cleaned up: Postfix starts, and nothing is left to report
    pcmk_exec crm_resource -r smtp --delete-parameter probe_timeout >/dev/null
    pcmk_exec crm_resource --cleanup -r smtp >/dev/null
    pcmk_wait_started smtp 60
    wait_status "mailha-status: OK" --no-queue
    run pcmk_exec "$STATUS" --no-queue
    assert_success
    refute_output --partial "last failure"
}

@test "live: the spool stopped is CRITICAL (Postfix stopped before it, the volume unmounted), and OK again once started" {
    pcmk_exec pcs resource disable spool
    wait_status "CRITICAL: the mail spool (ocf:mailha:mailspool) is not running on any node" --no-queue
    run pcmk_exec "$STATUS" --no-queue --json
    assert_failure 2
    # the order constraint took Postfix down first; the volume is gone
    wait_status "postfix: smtp on NO NODE" --no-queue
    run pcmk_exec "$STATUS" -c "$PFI_CONF"
    assert_failure 2
    assert_line "spool:   spool on NO NODE"
    assert_line --regexp "^  spool +ocf:mailha:mailspool +Stopped\$"
    assert_line "queue: read $PFI_QUEUE: no Postfix queue here"
    assert_line "  CRITICAL: Postfix (ocf:mailha:postfix) is not running on any node"
    run pcmk_exec findmnt -n -M "$SPOOL"
    assert_failure
    pcmk_exec pcs resource enable spool
    pcmk_wait_started smtp 60
    wait_status "mailha-status: OK" --no-queue
    run pcmk_exec findmnt -n -o SOURCE -M "$PFI_QUEUE"
    assert_output "${DEV}[/.postfix]"
}
