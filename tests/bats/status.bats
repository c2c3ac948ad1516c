#!/usr/bin/env bats
# status.bats - mailha-status against crm_mon XML fixtures (states the
# harness cannot easily produce), and against a real single-node Pacemaker
# (tests/lib/pcmk-node.sh) running the ocf:mailha:drift clone for real and
# two stand-in resources of types ocf:mailha:mailspool and ocf:mailha:postfix
# (copies of ocf:pacemaker:Dummy, bind-mounted inside the node only: what is
# tested here is mailha-status's reading of the cluster, not those agents).
# Also the drift agent's own failure paths, and the node attribute the
# daemon publishes through the real attrd_updater.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
STATUS=$REPO/build/bin/mailha-status
DRIFT=$REPO/build/bin/mailha-drift
FIX=$REPO/tests/fixtures/status

setup_file() {
    load ../lib/pcmk-node.sh
    [ -x "$STATUS" ] && [ -x "$DRIFT" ] || make -C "$REPO" -s
    ST_DIR=$(mktemp -d /tmp/mh-status-bats.XXXXXX)
    export ST_DIR
    # the agents and library as `make install` would lay them out, seen
    # only inside the node
    mkdir -p "$ST_DIR/rd" "$ST_DIR/lib"
    cp -a /usr/lib/ocf/resource.d/. "$ST_DIR/rd/"
    cp -a /usr/lib/ocf/lib/. "$ST_DIR/lib/"
    mkdir -p "$ST_DIR/rd/mailha" "$ST_DIR/lib/mailha"
    cp "$REPO/agents/drift" "$ST_DIR/rd/mailha/drift"
    cp /usr/lib/ocf/resource.d/pacemaker/Dummy "$ST_DIR/rd/mailha/mailspool"
    cp /usr/lib/ocf/resource.d/pacemaker/Dummy "$ST_DIR/rd/mailha/postfix"
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
    pcmk_node_start "$ST_DIR/node" node1 || { pcmk_node_stop; return 1; }
    pcmk_exec mount --bind "$ST_DIR/rd" /usr/lib/ocf/resource.d
    pcmk_exec mount --bind "$ST_DIR/lib" /usr/lib/ocf/lib
    pcmk_exec pcs resource create spool ocf:mailha:mailspool
    pcmk_exec pcs resource create smtp ocf:mailha:postfix
    pcmk_exec pcs resource create drift ocf:mailha:drift interval=2 health=true \
        op monitor interval=3s clone
    pcmk_wait_started smtp 60
    env | grep '^PCMK_' > "$ST_DIR/env"
}

teardown_file() {
    if [ -f "${ST_DIR:-/nonexistent}/env" ]; then
        load ../lib/pcmk-node.sh
        set -a
        . "$ST_DIR/env"
        set +a
        pcmk_node_stop
    fi
    rm -rf "${ST_DIR:?}"
}

setup() {
    load ../lib/pcmk-node.sh
    set -a
    . "$ST_DIR/env"
    set +a
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

@test "live: spool, Postfix and the drift clone started; drift attribute published" {
    wait_status "drift (seen from node1): alone" --no-queue
    run pcmk_exec "$STATUS" --no-queue
    assert_success
    assert_line "mailha-status: OK"
    assert_line "spool:   spool on node1"
    assert_line "postfix: smtp on node1"
    assert_output --partial "drift                ocf:mailha:drift       Started on node1"
    assert_output --partial "problems: none"
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

@test "live: the spool stopped is CRITICAL, and OK again once started" {
    pcmk_exec pcs resource disable spool
    wait_status "CRITICAL: the mail spool (ocf:mailha:mailspool) is not running on any node" --no-queue
    run pcmk_exec "$STATUS" --no-queue --json
    assert_failure 2
    pcmk_exec pcs resource enable spool
    wait_status "mailha-status: OK" --no-queue
}
