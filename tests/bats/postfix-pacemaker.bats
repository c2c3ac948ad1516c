#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:mailha:postfix as users meet it: installed with `make install`, read by
# crm_resource and pcs, checked by ocf-tester, and run by a real single-node
# Pacemaker cluster (in its own namespaces) that recovers a killed master.

load common

RA=/usr/lib/ocf/resource.d/mailha/postfix

setup_file() {
    make -s -C "$REPO" all >&2
    make -s -C "$REPO" install prefix=/usr >/dev/null
    . "$REPO/tests/lib/postfix-instance.sh"
    PC_TMP=$(mktemp -d /tmp/mh-pfpcmk.XXXXXX)
    export PC_TMP
    pfi_create "$PC_TMP/pf"
    echo "$PFI_CONF" > "$PC_TMP/conf"
}

teardown_file() {
    . "$REPO/tests/lib/postfix-instance.sh"
    . "$REPO/tests/lib/pcmk-node.sh"
    if [ -s "$PC_TMP/pcmk/pid1" ]; then
        PCMK_PID1=$(cat "$PC_TMP/pcmk/pid1") pcmk_node_stop
    fi
    PFI_DIR=$PC_TMP/pf PFI_CONF=$PC_TMP/pf/etc PFI_QUEUE=$PC_TMP/pf/queue pfi_destroy
    rm -rf "$PC_TMP"
}

setup() {
    . "$REPO/tests/lib/postfix-instance.sh"
    . "$REPO/tests/lib/pcmk-node.sh"
    PFI_CONF=$(cat "$PC_TMP/conf")
    PFI_QUEUE=$PC_TMP/pf/queue
    [ -s "$PC_TMP/pcmk/pid1" ] && PCMK_PID1=$(cat "$PC_TMP/pcmk/pid1")
    return 0
}

@test "crm_resource --show-metadata reads the installed agent without warnings" {
    run --separate-stderr crm_resource --show-metadata ocf:mailha:postfix
    assert_success
    assert_output --partial '<resource-agent name="postfix"'
    assert_equal "$stderr" ""
}

@test "crm_resource --validate: good parameters 0, bad ones fail with the reason" {
    run --separate-stderr crm_resource --validate --class ocf --provider mailha --agent postfix \
        --option "config_dir=$PFI_CONF"
    assert_success
    run --separate-stderr crm_resource --validate --class ocf --provider mailha --agent postfix \
        --option "config_dir=$PFI_CONF" --option probe_timeout=soon
    assert_failure
    assert_output --partial 'probe_timeout must be a positive integer'
}

@test "pcs resource describe ocf:mailha:postfix, without warnings" {
    run --separate-stderr pcs resource describe ocf:mailha:postfix
    assert_success
    assert_output --partial 'probe_recipient'
    assert_output --partial 'OCF_CHECK_LEVEL=10'
    refute_output --partial 'Warning'
    assert_equal "$stderr" ""
}

@test "ocf-tester passes" {
    run ocf-tester -n mhtest -o "config_dir=$PFI_CONF" "$RA"
    echo "$output"
    assert_success
    pfi_stop || true
}

@test "single-node cluster: pcs resource create, monitor, recovery of a killed master" {
    pcmk_node_start "$PC_TMP/pcmk" node1
    # the admin guide's operations and stop_drain (section 11), not gentler ones
    run pcmk_exec pcs resource create mhpf ocf:mailha:postfix "config_dir=$PFI_CONF" log_health=true \
        stop_drain=30 \
        op monitor interval=10s timeout=20s \
        op monitor interval=30s timeout=30s OCF_CHECK_LEVEL=10 \
        op stop timeout=90s
    assert_success
    pcmk_wait_started mhpf 60
    run pcmk_exec crm_resource --force-check -r mhpf
    assert_success
    # the pid file holds the pid as the node's PID namespace sees it
    pid=$(tr -d ' \n' < "$PFI_QUEUE/pid/master.pid")
    pcmk_exec kill -9 "$pid"
    # Pacemaker notices (monitor 7), stops, starts again: a new master
    n=0
    while :; do
        new=$(tr -d ' \n' < "$PFI_QUEUE/pid/master.pid" 2>/dev/null)
        if [ -n "$new" ] && [ "$new" != "$pid" ] && pcmk_exec crm_resource --force-check -r mhpf >/dev/null 2>&1; then
            break
        fi
        n=$((n + 1))
        [ $n -lt 600 ] || fail "no recovery after 60 s: $(pcmk_exec crm_mon -1)"
        sleep 0.1
    done
    run pcmk_exec crm_mon -1 --include=failcounts
    assert_output --partial 'mhpf'
    run pcmk_exec crm_failcount --query -r mhpf -N node1
    assert_output --regexp 'value=[1-9]'
    # log_health: a fatal: line in the mail log turns the node red
    run pcmk_exec attrd_updater -Q -n '#health-mail' -N node1
    assert_success
    refute_output --partial 'value="red"'
    sleep 4
    echo "$(date '+%b %d %T') mailha-test postfix/smtpd[1]: fatal: mailha test line" >> "$PC_TMP/pf/postfix.log"
    n=0
    until pcmk_exec attrd_updater -Q -n '#health-mail' -N node1 2>/dev/null | grep -q 'value="red"'; do
        n=$((n + 1))
        [ $n -lt 300 ] || fail "#health-mail not red: $(pcmk_exec attrd_updater -Q -n '#health-mail' -N node1 2>&1)"
        sleep 0.1
    done
    run pcmk_exec pcs resource disable mhpf --wait=60
    assert_success
    # no master left: asked inside the node, so a node that cannot be
    # entered fails the test instead of passing it
    run pcmk_exec sh -c '[ ! -s "$1" ] || ! kill -0 "$(tr -d " \n" < "$1")" 2>/dev/null' - "$PFI_QUEUE/pid/master.pid"
    assert_success
}
