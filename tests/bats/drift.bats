#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# drift.bats - mailha-drift on a real two-node corosync cluster
# (tests/lib/ns-cluster.sh): drift injected on one node through the real
# paths (/etc/postfix/main.cf via postconf -e, /etc/passwd, /etc/aliases,
# an :include: list file) is reported on both nodes naming the item and
# the node, and clears when fixed; a node leaving and rejoining, corosync
# restarted, the daemon killed; bad options and bad state files.

load common

DRIFT=${MAILHA_DRIFT:-$REPO/build/bin/mailha-drift}

# drift_start I - the daemon in node I, checking every second
drift_start() {
    nsc_bg "$1" /var/log/drift.log "$DRIFT" --interval 1 -v >/dev/null
}

# query I - mailha-drift --query in node I
query() {
    nsc_exec "$1" "$DRIFT" --query
}

# wait_query I PATTERN - until node I's query output matches (20 s at most)
wait_query() {
    _t=200
    while [ $_t -gt 0 ]; do
        if query "$1" 2>/dev/null | grep -q -- "$2"; then
            return 0
        fi
        sleep 0.1
        _t=$((_t - 1))
    done
    echo "node$1 never showed: $2" >&2
    query "$1" >&2
    return 1
}

# wait_ok I - until node I reports no drift with both nodes in the group
wait_ok() {
    wait_query "$1" "): ok$" && wait_query "$1" "members: .*(1).*(2)\|members: .*(2).*(1)"
}

setup_file() {
    . "$REPO/tests/lib/ns-cluster.sh"
    common_build mailha-drift
    NSC_KEEP_DIR=$(mktemp -d /tmp/mh-drift-bats.XXXXXX)
    export NSC_KEEP_DIR
    # the same account and list on both nodes before they boot
    nsc_start "$NSC_KEEP_DIR/lab" 2 || { nsc_stop; return 1; }
    for i in 1 2; do
        r=$(nsc_root "$i")
        echo "mhdrift:x:7701:7701::/nonexistent:/usr/sbin/nologin" >> "$r/passwd"
        echo "staff: :include:/etc/postfix/list-staff" >> "$r/aliases"
        printf 'alice\nbob\n' > "$r/etc-postfix/list-staff"
        nsc_exec "$i" postconf -e "alias_maps = hash:/etc/aliases" "relayhost ="
    done
    drift_start 1
    drift_start 2
    env | grep '^NSC_' > "$NSC_KEEP_DIR/env"
}

teardown_file() {
    if [ -f "${NSC_KEEP_DIR:-/nonexistent}/env" ]; then
        . "$REPO/tests/lib/ns-cluster.sh"
        set -a
        # shellcheck source=/dev/null  # written by setup_file
        . "$NSC_KEEP_DIR/env"
        set +a
        nsc_stop
    fi
    rm -rf "${NSC_KEEP_DIR:?}"
}

setup() {
    . "$REPO/tests/lib/ns-cluster.sh"
    set -a
    # shellcheck source=/dev/null  # written by setup_file
    . "$NSC_KEEP_DIR/env"
    set +a
}

@test "both nodes join, see each other and find no drift" {
    wait_ok 1
    wait_ok 2
    run query 1
    assert_success
    assert_output --partial "mailha-drift on node1 (nodeid 1): ok"
}

@test "a main.cf parameter changed on node2 is reported on both nodes, and clears" {
    nsc_exec 2 postconf -e "relayhost = [mx.example.net]"
    wait_query 1 "main.cf:relayhost: differs between node1 and node2"
    wait_query 2 "main.cf:relayhost: differs between node2 and node1"
    run query 1
    assert_failure 1
    assert_output --partial "drift, 1 item differs"
    refute_output --partial "account:"
    nsc_exec 2 postconf -e "relayhost ="
    wait_ok 1
    wait_ok 2
}

@test "an account with a different uid on node1 is named on both nodes" {
    r=$(nsc_root 1)
    # in place: /etc/passwd is a bind mount in the node, rename would fail
    sed 's/^mhdrift:x:7701:/mhdrift:x:7702:/' "$r/passwd" > "$r/passwd.new"
    cat "$r/passwd.new" > "$r/passwd"
    nsc_exec 1 grep -q '^mhdrift:x:7702:' /etc/passwd
    wait_query 2 "account:mhdrift: differs between node2 and node1"
    wait_query 1 "account:mhdrift: differs between node1 and node2"
    sed 's/^mhdrift:x:7702:/mhdrift:x:7701:/' "$r/passwd" > "$r/passwd.new"
    cat "$r/passwd.new" > "$r/passwd"
    wait_ok 1
    wait_ok 2
}

@test "an account only on node2 is reported as missing on node1" {
    nsc_exec 2 sh -c 'echo "mhonly:x:7703:7703::/nonexistent:/usr/sbin/nologin" >> /etc/passwd'
    wait_query 1 "account:mhonly: only on node2, not on node1"
    wait_query 2 "account:mhonly: only on node2, not on node1"
    r=$(nsc_root 2)
    grep -v '^mhonly:' "$r/passwd" > "$r/passwd.new"
    cat "$r/passwd.new" > "$r/passwd"
    wait_ok 1
    wait_ok 2
}

@test "an alias added on node1 names the alias file" {
    nsc_exec 1 sh -c 'echo "sales: root" >> /etc/aliases'
    wait_query 2 "alias_file:/etc/aliases: differs between node2 and node1"
    wait_query 1 "alias_file:/etc/aliases: differs between node1 and node2"
    r=$(nsc_root 1)
    grep -v '^sales:' "$r/aliases" > "$r/aliases.new"
    cat "$r/aliases.new" > "$r/aliases"
    wait_ok 1
    wait_ok 2
}

@test "a list file edited on node2 names the :include: file, not the alias file" {
    nsc_exec 2 sh -c 'echo carol >> /etc/postfix/list-staff'
    wait_query 1 "include:/etc/postfix/list-staff: differs between node1 and node2"
    wait_query 2 "include:/etc/postfix/list-staff: differs between node2 and node1"
    run -1 query 1
    refute_output --partial "alias_file:"
    printf 'alice\nbob\n' > "$(nsc_root 2)/etc-postfix/list-staff"
    wait_ok 1
    wait_ok 2
}

@test "a node that leaves and rejoins: peer forgotten, then compared again" {
    nsc_link 2 down
    wait_query 1 "): alone$"
    run query 1
    assert_success
    refute_output --partial "node2"
    nsc_link 2 up
    wait_ok 1
    wait_ok 2
    # and drift is still seen after the rejoin
    nsc_exec 1 postconf -e "message_size_limit = 1234567"
    wait_query 2 "main.cf:message_size_limit: differs between node2 and node1"
    nsc_exec 1 postconf -e "message_size_limit = 10240000"
    wait_ok 2
}

@test "corosync restarted on node1: the daemon notices, rejoins, compares again" {
    nsc_corosync_stop 1
    wait_query 1 "): disconnected$"
    run query 1
    assert_failure 2
    assert_output --partial "reason:"
    wait_query 2 "): alone$"
    nsc_corosync_start 1
    wait_ok 1
    wait_ok 2
    nsc_exec 2 postconf -e "recipient_delimiter = -"
    wait_query 1 "main.cf:recipient_delimiter: differs between node1 and node2"
    nsc_exec 2 postconf -e "recipient_delimiter = +"
    wait_ok 1
}

@test "the daemon killed on node2: node1 drops it, query on node2 says not running" {
    pid=$(nsc_exec 2 sed -n 's/^pid //p' /run/mailha/drift.state)
    [ -n "$pid" ]
    nsc_exec 2 kill -9 "$pid"
    wait_query 1 "): alone$"
    run query 2
    assert_failure 3
    assert_output --partial "not running (pid $pid is gone)"
    drift_start 2
    wait_ok 1
    wait_ok 2
}

@test "SIGTERM: the daemon leaves the group and removes its state file" {
    pid=$(nsc_exec 2 sed -n 's/^pid //p' /run/mailha/drift.state)
    nsc_exec 2 kill -TERM "$pid"
    wait_query 1 "): alone$"
    t=50
    while nsc_exec 2 test -e /run/mailha/drift.state && [ $t -gt 0 ]; do
        sleep 0.1
        t=$((t - 1))
    done
    run nsc_exec 2 test -e /run/mailha/drift.state
    assert_failure
    grep -q "signal 15: leaving group" "$(nsc_root 2)/log/drift.log"
    drift_start 2
    wait_ok 1
}

@test "a second daemon on the same state file refuses to start" {
    run nsc_exec 1 "$DRIFT" --interval 1
    assert_failure 70
    assert_output --partial "another mailha-drift runs"
    wait_ok 1
}

@test "bad options are usage errors" {
    run "$DRIFT" --interval 0
    assert_failure 64
    assert_output --partial "bad interval"
    run "$DRIFT" --uid-min abc
    assert_failure 64
    run "$DRIFT" stray-argument
    assert_failure 64
}

@test "--query refuses missing, foreign-owned and garbled state files" {
    d=$(mktemp -d)
    run "$DRIFT" --query --state "$d/none"
    assert_failure 3
    assert_output --partial "not running"
    printf 'mailha-drift-state 1\nstatus ok\n' > "$d/foreign"
    chown nobody "$d/foreign"
    run "$DRIFT" --query --state "$d/foreign"
    assert_failure 3
    assert_output --partial "owned by root"
    printf 'mailha-drift-state 1\npid 1\nbogus line\n' > "$d/garbled"
    run "$DRIFT" --query --state "$d/garbled"
    assert_failure 3
    assert_output --partial "line 3: cannot parse"
    rm -rf "$d"
}
