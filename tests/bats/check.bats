#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mailha-check against config fixtures (tests/fixtures/check/NAME: one
# main.cf + master.cf per finding) read by the real postconf -c DIR.
# Each fixture must give exactly the findings listed here: the one it is
# for, and nothing else.

load common

CHECK=$REPO/build/bin/mailha-check
FIX=$REPO/tests/fixtures/check

setup_file() {
    common_build mailha-check
}

setup() {
    # Alias checks are mailha-aliases' business, tested apart below.
    export MAILHA_ALIASES=/nonexistent/mailha-aliases
    TMP=$(mktemp -d /tmp/mh-check.XXXXXX)
}

teardown() {
    rm -rf "$TMP"
}

# ids DIR [ARGS...] - the finding ids of a fixture, sorted, one line;
# fails as check_json (common.bash) does, never "no findings" on a crash
ids() {
    _json=$(check_json "$@") || return 1
    printf '%s\n' "$_json" | jq -r '[.findings[].id | select(. != "aliases.not-checked")] | sort | join(" ")'
}

# expect FIXTURE ID... - exactly these findings
expect() {
    _f=$1
    shift
    _want=$(printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//')
    run ids "$FIX/$_f"
    assert_success
    assert_output "$_want"
}

@test "good: no findings, exit 0, a readable report" {
    expect good
    run "$CHECK" -c "$FIX/good"
    assert_success
    assert_output --partial "mailha-check: $FIX/good (Postfix "
    assert_output --partial "0 errors, 0 warnings, 1 notes"
    assert_output --partial "aliases.not-checked: aliases: not checked (mailha-aliases missing"
}

@test "relay.open: permit before reject_unauth_destination, and a permitting recipient list" {
    expect relay.open relay.open
    run "$CHECK" -c "$FIX/relay.open"
    assert_failure 1
    assert_output --partial "error   relay.open: open relay: smtpd_relay_restrictions permits unconditionally"
    assert_output --partial "advice: put reject_unauth_destination before"
}

@test "relay.open: empty relay restrictions leave it to recipient restrictions, which fall through" {
    expect relay.open-empty relay.open
    run "$CHECK" -c "$FIX/relay.open-empty"
    assert_output --partial "smtpd_relay_restrictions is empty and smtpd_recipient_restrictions ends without rejecting"
}

@test "relay.open: warn_if_reject reject_unauth_destination only logs" {
    expect relay.open-warn-only relay.open
}

@test "relay: recipient restrictions that reject strangers close the relay" {
    expect relay.recipient-protects
}

@test "relay.class-opaque: a restriction class decides" {
    expect relay.class-opaque relay.class-opaque
    run "$CHECK" -c "$FIX/relay.class-opaque"
    assert_success
    assert_output --partial "cannot see inside class relay_class"
}

@test "sasl.no-permit: AUTH without permit_sasl_authenticated before the reject" {
    expect sasl.no-permit sasl.no-permit
}

@test "sasl.anonymous: security options without noanonymous" {
    expect sasl.anonymous sasl.anonymous
}

@test "sasl.broken-clients: noted" {
    expect sasl.broken-clients sasl.broken-clients
}

@test "sasl.socket-missing: smtpd_sasl_path relative to queue_directory" {
    expect sasl.socket-missing sasl.socket-missing
    run "$CHECK" -c "$FIX/sasl.socket-missing"
    assert_success
    assert_output --partial "stat /nonexistent/mailha-fixture-queue/private/auth (smtpd_sasl_path = private/auth): No such file or directory"
}

@test "sasl.socket-dead: a socket file nobody listens on" {
    cp -r "$FIX/sasl.socket-missing" "$TMP/conf"
    mkdir -p "$TMP/queue/private"
    postconf -c "$TMP/conf" -e "queue_directory = $TMP/queue"
    python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()' "$TMP/queue/private/auth"
    assert [ -S "$TMP/queue/private/auth" ]
    run ids "$TMP/conf"
    assert_success
    assert_output "sasl.socket-dead"
    run "$CHECK" -c "$TMP/conf"
    assert_output --partial "connect $TMP/queue/private/auth: Connection refused"
    # not a socket at all
    rm "$TMP/queue/private/auth"
    echo x > "$TMP/queue/private/auth"
    run "$CHECK" -c "$TMP/conf"
    assert_output --partial "$TMP/queue/private/auth (smtpd_sasl_path = private/auth) is not a socket"
    # an inet: path is not probed
    postconf -c "$TMP/conf" -e "smtpd_sasl_path = inet:127.0.0.1:12345"
    run ids "$TMP/conf"
    assert_success
    assert_output ""
}

@test "limits.message-gt-mailbox: Postfix would refuse delivery" {
    expect limits.message-gt-mailbox limits.message-gt-mailbox
    run "$CHECK" -c "$FIX/limits.message-gt-mailbox"
    assert_failure 1
    assert_output --partial "message_size_limit = 60000000 is larger than mailbox_size_limit = 51200000"
}

@test "limits.message-unlimited: no size limit (and mailbox 0 is not compared)" {
    expect limits.message-unlimited limits.message-unlimited
}

@test "limits.soft-ge-hard, error-sleep-long, recipient-limit, line-length" {
    expect limits.soft-ge-hard limits.soft-ge-hard
    expect limits.error-sleep-long limits.error-sleep-long
    expect limits.recipient-limit limits.recipient-limit
    expect limits.line-length limits.line-length
    run "$CHECK" -c "$FIX/limits.error-sleep-long"
    assert_output --partial "smtpd_error_sleep_time = 1m (60 s) is over 10 s"
}

@test "config.bad-value: a limit that is not a number" {
    expect config.bad-value config.bad-value
    run "$CHECK" -c "$FIX/config.bad-value"
    assert_output --partial "smtpd_hard_error_limit = lots is not a number"
}

@test "config.postconf-fatal: main.cf postconf cannot read" {
    expect config.postconf-fatal config.postconf-fatal
    run --separate-stderr "$CHECK" -c "$FIX/config.postconf-fatal" --ocf
    assert_failure 6
    assert_equal "$output" ""
    [[ "$stderr" == *"ocf-exit-reason:config.postconf-fatal: postconf: $FIX/config.postconf-fatal/main.cf, line 9: missing '=' after attribute name"* ]]
}

@test "config.unused-parameter and config.postconf-warning: postconf -n's warnings" {
    expect config.unused-parameter config.unused-parameter
    expect config.postconf-warning config.postconf-warning
    run "$CHECK" -c "$FIX/config.unused-parameter"
    assert_output --regexp "parameter smtpd_tls_mailha_no_such_parameter is unknown to Postfix [0-9]"
    # and postconf's own stderr does not leak into ours
    run --separate-stderr "$CHECK" -c "$FIX/config.unused-parameter"
    assert_output --regexp "smtpd_tls_mailha_no_such_parameter"
    refute [ -n "$stderr" ]
}

@test "backupmx: relay_domains without relay_recipient_maps; a domain both relayed and local" {
    expect backupmx.no-relay-recipient-maps backupmx.no-relay-recipient-maps
    expect backupmx.relay-is-local backupmx.relay-is-local
    run "$CHECK" -c "$FIX/backupmx.relay-is-local"
    assert_output --partial "mx1.example.com is in both relay_domains and mydestination"
}

@test "backupmx: the old default relay_domains = \$mydestination is not a backup MX" {
    cp -r "$FIX/good" "$TMP/conf"
    postconf -c "$TMP/conf" -e 'relay_domains = $mydestination'
    run ids "$TMP/conf"
    assert_success
    assert_output ""
}

@test "version.config-newer: compatibility_level above the running Postfix" {
    expect version.config-newer version.config-newer
}

@test "version.mismatch: --expect-version against the real mail_version" {
    have=$(postconf -h mail_version)
    run ids "$FIX/good" --expect-version "$have"
    assert_success
    assert_output ""
    run ids "$FIX/good" --expect-version "${have%.*}"
    assert_success
    assert_output ""
    run ids "$FIX/good" --expect-version 2.10.1
    assert_success
    assert_output "version.mismatch"
    run "$CHECK" -c "$FIX/good" --expect-version 2.10.1
    assert_failure 1
    assert_output --partial "mail_version = $have, expected 2.10.1"
}

@test "--ocf: config errors exit 6 with the first error as exit reason, stdout quiet" {
    run --separate-stderr "$CHECK" --ocf -c "$FIX/relay.open"
    assert_failure 6
    assert_equal "$output" ""
    [[ "$stderr" == *"ocf-exit-reason:relay.open: open relay: "* ]]
}

@test "--ocf: warnings only exit 0 and are logged" {
    run --separate-stderr "$CHECK" --ocf -c "$FIX/limits.soft-ge-hard"
    assert_success
    [[ "$stderr" == *"limits.soft-ge-hard: smtpd_soft_error_limit = 20 is not below"* ]]
    [[ "$stderr" != *"ocf-exit-reason:"* ]]
}

@test "--ocf: node errors exit 5 (this node's Postfix, a missing config dir)" {
    run --separate-stderr "$CHECK" --ocf -c "$FIX/good" --expect-version 2.10.1
    assert_failure 5
    [[ "$stderr" == *"ocf-exit-reason:version.mismatch: mail_version = "* ]]
    run --separate-stderr "$CHECK" --ocf -c "$TMP/nonexistent"
    assert_failure 5
    [[ "$stderr" == *"ocf-exit-reason:read $TMP/nonexistent/main.cf: No such file or directory"* ]]
    run "$CHECK" -c "$TMP/nonexistent"
    assert_failure 70
}

@test "--ocf: a config error wins over a node error" {
    run --separate-stderr "$CHECK" --ocf -c "$FIX/relay.open" --expect-version 2.10.1
    assert_failure 6
    [[ "$stderr" == *"ocf-exit-reason:relay.open:"* ]]
}

@test "bad arguments: 64, or OCF_ERR_ARGS with --ocf" {
    run "$CHECK" --format xml
    assert_failure 64
    run "$CHECK" --expect-version banana
    assert_failure 64
    run "$CHECK" --expect-version 3.
    assert_failure 64
    run "$CHECK" extra-argument
    assert_failure 64
    run --separate-stderr "$CHECK" --ocf --expect-version x
    assert_failure 2
    [[ "$stderr" == *"ocf-exit-reason:"* ]]
}

@test "postconf missing: 70, or 5 with --ocf" {
    MAILHA_POSTCONF=/nonexistent/postconf run --separate-stderr "$CHECK" --ocf -c "$FIX/good"
    assert_failure 5
    [[ "$stderr" == *"ocf-exit-reason:run /nonexistent/postconf: No such file or directory"* ]]
    MAILHA_POSTCONF=/nonexistent/postconf run "$CHECK" -c "$FIX/good"
    assert_failure 70
}

@test "json: totals agree with the findings" {
    run "$CHECK" -c "$FIX/relay.open" --format json
    assert_failure 1
    echo "$output" | jq -e '.errors == ([.findings[] | select(.severity == "error")] | length)'
    echo "$output" | jq -e '.findings[0].id == "relay.open" and .findings[0].scope == "config" and (.findings[0].advice | length) > 10'
    echo "$output" | jq -e --arg v "$(postconf -h mail_version)" '.mail_version == $v'
}

@test "aliases: missing helper, failing helper" {
    run ids "$FIX/good"
    assert_success
    assert_output ""
    run "$CHECK" -c "$FIX/good" --format json
    echo "$output" | jq -e '[.findings[].id] == ["aliases.not-checked"]'
    MAILHA_ALIASES=/bin/false run ids "$FIX/good"
    assert_success
    assert_output "aliases.check-failed"
    MAILHA_ALIASES=/bin/false run "$CHECK" -c "$FIX/good"
    assert_output --partial "/bin/false check exited with 1"
}

@test "aliases: the real mailha-aliases check, when it is built" {
    [ -x "$REPO/build/bin/mailha-aliases" ] || skip "mailha-aliases not built"
    unset MAILHA_ALIASES
    cp -r "$FIX/good" "$TMP/conf"
    printf 'postmaster: root\nbroken line without colon\n' > "$TMP/conf/aliases"
    postconf -c "$TMP/conf" -e "alias_maps = hash:$TMP/conf/aliases, nis:mail.aliases" \
        "alias_database = hash:$TMP/conf/aliases"
    # the copy next to mailha-check is found without MAILHA_ALIASES
    run "$CHECK" -c "$TMP/conf" --format json
    assert_failure 1
    # an entry postalias would drop: an error, with file and line
    echo "$output" | jq -e --arg f "$TMP/conf/aliases:2: " \
        '[.findings[] | select(.id == "aliases.error" and (.message | startswith($f)))] | length == 1'
    # no database built yet: a warning; the NIS table: a note
    echo "$output" | jq -e '[.findings[] | select(.id == "aliases.warning")] | length >= 1'
    echo "$output" | jq -e '[.findings[] | select(.id == "aliases.note")] | length >= 1'
    echo "$output" | jq -e '[.findings[].id] | index("aliases.not-checked") == null and index("aliases.check-failed") == null'
    # --ocf: the alias error fails validation
    run --separate-stderr "$CHECK" -c "$TMP/conf" --ocf
    assert_failure 6
    [[ "$stderr" == *"ocf-exit-reason:aliases.error: $TMP/conf/aliases:2: "* ]]
}

@test "every finding id is documented, and has a fixture or a test here" {
    run "$CHECK" --list
    assert_success
    for id in $(echo "$output" | cut -f1); do
        grep -q -- "\`$id\`" "$REPO/doc/mailha-check.md" || fail "$id not in doc/mailha-check.md"
        [ -d "$FIX/$id" ] || grep -q -- "$id" "$BATS_TEST_FILENAME" "$BATS_TEST_DIRNAME"/check*.bats \
            || fail "$id has no fixture and no test"
    done
}

# full_backlog PATH - a unix socket listening with a full queue, until
# the test ends (its pid in $SRV); ready when PATH.ready exists
full_backlog() {
    python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(0)
held = []
while True:
    c = socket.socket(socket.AF_UNIX); c.setblocking(False)
    try:
        c.connect(sys.argv[1])
    except BlockingIOError:
        break
    held.append(c)
open(sys.argv[1] + ".ready", "w").close()
time.sleep(600)' "$1" 3>&- &
    SRV=$!
    for _i in $(seq 100); do [ -e "$1.ready" ] && break; sleep 0.1; done
    [ -e "$1.ready" ]
}

@test "sasl.socket-dead: a Dovecot socket with a full listen queue does not hang the check (issue 15 #8)" {
    cp -r "$FIX/sasl.socket-missing" "$TMP/conf"
    mkdir -p "$TMP/queue/private"
    postconf -c "$TMP/conf" -e "queue_directory = $TMP/queue"
    full_backlog "$TMP/queue/private/auth"
    # timeout only keeps a hang from holding the suite; exit codes decide
    run timeout 60 "$CHECK" -c "$TMP/conf"
    kill "$SRV"
    assert_success
    assert_output --partial "connect $TMP/queue/private/auth: timed out, its listen queue stayed full"
    [[ "$output" == *"sasl.socket-dead"* ]] || [[ "$output" == *"socket"* ]]
}

@test "a FIFO as main.cf: postconf is stopped at its time limit, exit 70 (issue 15 #8)" {
    cp -r "$FIX/good" "$TMP/conf"
    rm "$TMP/conf/main.cf"
    mkfifo "$TMP/conf/main.cf"
    # timeout only keeps a hang from holding the suite; exit codes decide
    run --separate-stderr timeout 60 "$CHECK" -c "$TMP/conf"
    assert_failure 70
    [[ "$stderr" == *"no answer in "*" ms"* ]]
    run --separate-stderr timeout 60 "$CHECK" --ocf -c "$TMP/conf"
    assert_failure 1
    [[ "$stderr" == *"ocf-exit-reason:"*"no answer in "* ]]
}
