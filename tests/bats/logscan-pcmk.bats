#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mailha-logscan --attr in a real single-node Pacemaker cluster
# (tests/lib/pcmk-node.sh): #health-mail is set with the real
# attrd_updater and read back with attrd_updater -Q, and with crm_mon's
# node health (crm_mon -A lists no "#" attributes, it shows their effect:
# "online (health is RED)", health="red" in its XML) under
# node-health-strategy=migrate-on-red.

load common

LS=$REPO/build/bin/mailha-logscan

setup_file() {
    common_build mailha-logscan
    . "$REPO/tests/lib/pcmk-node.sh"
    export LP_TMP
    LP_TMP=$(mktemp -d /tmp/mh-logscan-pcmk.XXXXXX)
    chmod 755 "$LP_TMP"
    pcmk_node_start "$LP_TMP/node" 3>&-
    pcmk_exec crm_attribute -t crm_config -n node-health-strategy -v migrate-on-red
}

teardown_file() {
    . "$REPO/tests/lib/pcmk-node.sh"
    if [ -n "${LP_TMP:-}" ] && [ -r "$LP_TMP/node/pid1" ]; then
        PCMK_PID1=$(cat "$LP_TMP/node/pid1") PCMK_UNSHARE="" pcmk_node_stop
    fi
    rm -rf "$LP_TMP"
}

setup() {
    . "$REPO/tests/lib/pcmk-node.sh"
    PCMK_PID1=$(cat "$LP_TMP/node/pid1")
    LOG=$LP_TMP/maillog
    CUR=$LP_TMP/cursor
}

# attr_is NAME VALUE [NODE_HEALTH] - wait until attrd has NAME=VALUE and
# crm_mon shows the node's health as NODE_HEALTH (default VALUE)
attr_is() {
    _h=${3:-$2}
    _i=0
    while [ $_i -lt 100 ]; do
        if pcmk_exec attrd_updater -Q -n "$1" 2>/dev/null | grep -q "value=\"$2\"" &&
           pcmk_exec crm_mon -1 --output-as=xml 2>/dev/null | grep -q "<node name=\"node1\".* health=\"$_h\""; then
            return 0
        fi
        sleep 0.1
        _i=$((_i + 1))
    done
    pcmk_exec attrd_updater -Q -n "$1" >&2 || true
    pcmk_exec crm_mon -1 --output-as=xml | grep '<node name' >&2 || true
    return 1
}

@test "a fatal: line turns #health-mail red, seen by attrd_updater -Q and crm_mon" {
    printf 'Nov 28 10:00:00 mx1 postfix/master[1]: fatal: bind 0.0.0.0 port 25: Address already in use\n' > "$LOG"
    run --separate-stderr pcmk_exec "$LS" --attr --cursor "$CUR" --json "$LOG"
    assert_success
    assert_equal "$(echo "$output" | jq -c '[.health, .published]')" '["red",true]'
    attr_is '#health-mail' red
    run pcmk_exec crm_mon -1
    assert_output --partial "online (health is RED)"
}

@test "unchanged health is not published again until --refresh" {
    run --separate-stderr pcmk_exec "$LS" --attr --cursor "$CUR" --json "$LOG"
    assert_success
    assert_equal "$(echo "$output" | jq -c '[.matched, .health, .published]')" '[0,"red",false]'
    run --separate-stderr pcmk_exec "$LS" --attr --refresh 0 --cursor "$CUR" --json "$LOG"
    assert_equal "$(echo "$output" | jq -c '[.health, .published]')" '["red",true]'
    attr_is '#health-mail' red
}

@test "after the hold, quiet lines bring it back to green" {
    printf 'Nov 28 10:01:00 mx1 postfix/smtpd[2]: connect from x[192.0.2.1]\n' >> "$LOG"
    run --separate-stderr pcmk_exec "$LS" --attr --hold 0 --cursor "$CUR" --json "$LOG"
    assert_success
    assert_equal "$(echo "$output" | jq -c '[.health, .published]')" '["green",true]'
    attr_is '#health-mail' green
}

@test "errors over the threshold: yellow, under another attribute name" {
    for i in 1 2 3; do echo "Nov 28 10:02:0$i mx1 postfix/local[3]: error: open database x.db"; done > "$LOG.2"
    run --separate-stderr pcmk_exec "$LS" --attr --attr-name '#health-mailtest' \
        --thresholds error=3:yellow "$LOG.2"
    assert_success
    assert_output --partial "health=yellow"
    attr_is '#health-mailtest' yellow
    attr_is '#health-mail' green yellow
    pcmk_exec attrd_updater -D -n '#health-mailtest'
    attr_is '#health-mail' green
}
