#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mailha-check against a real Postfix instance with Dovecot SASL
# (tests/lib/postfix-instance.sh): AUTH is expected, the auth socket is
# there, then removed, then Dovecot is stopped.

load common

CHECK=$REPO/build/bin/mailha-check

setup_file() {
    common_build mailha-check
    . "$REPO/tests/lib/postfix-instance.sh"
    export CK_TMP
    CK_TMP=$(mktemp -d /tmp/mh-check-sasl.XXXXXX)
    chmod 755 "$CK_TMP"         # postfix must reach its data directory
    pfi_create "$CK_TMP/pf"
    pfi_smtp_auth
    # pfi_smtp_auth leaves smtpd_relay_restrictions at "permit_mynetworks,
    # reject_unauth_destination", which rejects authenticated clients
    # before the recipient restrictions can permit them (sasl.no-permit,
    # tested below): give AUTH a relay list that lets them through.
    postconf -c "$PFI_CONF" -e smtpd_sasl_security_options=noanonymous \
        "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination"
    # One Postfix for the whole file (starting and stopping is slow);
    # Postfix first: it creates queue/private owned by postfix, where
    # Dovecot then puts its socket.
    pfi_start 3>&-
}

teardown_file() {
    . "$REPO/tests/lib/postfix-instance.sh"
    [ -n "${CK_TMP:-}" ] && PFI_DIR=$CK_TMP/pf PFI_CONF=$CK_TMP/pf/etc \
        PFI_QUEUE=$CK_TMP/pf/queue DVI_DIR=$CK_TMP/pf/dovecot pfi_destroy
    rm -rf "$CK_TMP"
}

setup() {
    . "$REPO/tests/lib/postfix-instance.sh"
    export PFI_DIR=$CK_TMP/pf PFI_CONF=$CK_TMP/pf/etc PFI_QUEUE=$CK_TMP/pf/queue
    export DVI_DIR=$CK_TMP/pf/dovecot
    export MAILHA_ALIASES=/nonexistent/mailha-aliases
}

teardown() {
    dvi_stop
}

# sasl_ids - the sasl.* finding ids for the instance; fails as check_json
# (common.bash) does, so that a crash is never taken for "no findings"
sasl_ids() {
    _json=$(check_json "$PFI_CONF") || return 1
    printf '%s\n' "$_json" | jq -r '[.findings[].id | select(startswith("sasl."))] | join(" ")'
}

# ehlo - the instance's EHLO answer
ehlo() {
    exec 5<>"/dev/tcp/127.0.0.1/$PFI_PORT"
    read -r _banner <&5
    printf 'EHLO mailha-check.test\r\n' >&5
    while read -r _l <&5; do
        echo "$_l"
        case $_l in 250\ *) break ;; esac
    done
    printf 'QUIT\r\n' >&5
    exec 5>&-
}

@test "AUTH offered, Dovecot's socket there: no sasl findings, exit 0" {
    dvi_start 3>&-
    run ehlo
    assert_output --partial "250-AUTH PLAIN LOGIN"
    run sasl_ids
    assert_success
    assert_output ""
    run --separate-stderr "$CHECK" --ocf -c "$PFI_CONF"
    assert_success
    [[ "$stderr" != *"ocf-exit-reason:"* ]]
}

@test "auth socket removed: sasl.socket-missing, a node warning that does not fail --ocf" {
    dvi_start 3>&-
    rm -f "$PFI_QUEUE/private/auth"
    run sasl_ids
    assert_success
    assert_output "sasl.socket-missing"
    run "$CHECK" -c "$PFI_CONF"
    assert_success
    assert_output --partial "warning sasl.socket-missing: stat $PFI_QUEUE/private/auth (smtpd_sasl_path = private/auth): No such file or directory"
    run --separate-stderr "$CHECK" --ocf -c "$PFI_CONF"
    assert_success
    [[ "$stderr" == *"sasl.socket-missing"* ]]
}

@test "Dovecot stopped: the socket is gone or dead" {
    dvi_start 3>&-
    dvi_stop
    run sasl_ids
    assert_success
    assert_output --regexp '^sasl\.socket-(missing|dead)$'
}

@test "AUTH without permit_sasl_authenticated on the real instance: sasl.no-permit" {
    cp "$PFI_CONF/main.cf" "$CK_TMP/main.cf.orig"
    # the harness's own pfi_smtp_auth relay list
    postconf -c "$PFI_CONF" -e "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination"
    run sasl_ids
    assert_success
    cp "$CK_TMP/main.cf.orig" "$PFI_CONF/main.cf"
    # (Dovecot is not running in this test: a socket finding may come too)
    assert_output --regexp '^sasl\.no-permit( sasl\.socket-(missing|dead))?$'
}
