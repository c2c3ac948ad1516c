#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# probe.bats - mailha-probe against real Postfix instances
# (tests/lib/postfix-instance.sh): healthy dialogue, SIZE and AUTH
# expectations (Dovecot SASL), nothing listening (TCP, IPv6, unix socket),
# a server that never talks (deadline), malformed and rejecting servers,
# no smtpd error counting after many probes, delivery round trips into an
# mbox and a maildir that leave every other message byte-for-byte, unsafe
# mailboxes, bad arguments, and start-up cost (only libc loaded unless a
# message is logged, in a person's and in Pacemaker's environment).
#
# Instance A: mbox in its spool.  Instance B: maildir spool, SASL.

load common

PROBE=$REPO/build/bin/mailha-probe
MBOX_USER=mhprobembox
MD_USER=mhprobemd
. "$REPO/tests/lib/test-users.sh"

# use_a / use_b - point the harness's PFI_* variables at an instance
# (read by the pfi_* and dvi_* functions of tests/lib/postfix-instance.sh)
# shellcheck disable=SC2034
use_a() {
    PFI_DIR=$A_DIR PFI_CONF=$A_DIR/etc PFI_QUEUE=$A_DIR/queue PFI_DATA=$A_DIR/data
    PFI_MAIL=$A_DIR/mail PFI_LOG=$A_DIR/postfix.log PFI_PORT=$A_PORT DVI_DIR=
}

# shellcheck disable=SC2034
use_b() {
    PFI_DIR=$B_DIR PFI_CONF=$B_DIR/etc PFI_QUEUE=$B_DIR/queue PFI_DATA=$B_DIR/data
    PFI_MAIL=$B_DIR/mail PFI_LOG=$B_DIR/postfix.log PFI_PORT=$B_PORT DVI_DIR=$B_DIR/dovecot
}

# reload - postfix reload (smtpd processes started before it may serve a
# client or two more with the old settings: see eventually)
reload() {
    postfix -c "$PFI_CONF" reload >/dev/null 2>&1
}

# eventually CMD... - CMD until it succeeds, 50 tries 0.2 s apart (for
# settings that reach smtpd only once its old processes are gone)
eventually() {
    _n=50
    while ! "$@" 2>/dev/null; do
        _n=$((_n - 1))
        [ $_n -gt 0 ] || { "$@"; return; }
        sleep 0.2
    done
}

# send_mail RCPT SUBJECT - a plain message through the instance's sendmail
send_mail() {
    printf 'From: someone@example.com\nTo: %s\nSubject: %s\n\nbody of %s\nFrom the middle of a line\n' \
        "$1" "$2" "$2" | /usr/sbin/sendmail -C "$PFI_CONF" -f someone@example.com "$1"
}

# listener MODE PORT - a test double on 127.0.0.1:PORT; MODE silent (accept,
# never write), barelf (a banner ending in LF only), reject (a 554 banner,
# then records what the client sends into $BATS_FILE_TMPDIR/received)
listener() {
    /usr/bin/python3 - "$1" "$2" "$BATS_FILE_TMPDIR/received" 3>&- <<'PY' &
import socket, sys, time
mode, port, rec = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(8)
while True:
    c, _ = s.accept()
    if mode == "silent":
        time.sleep(30)
    elif mode == "noversion":
        # speaks first like Dovecot's auth service, but not its protocol
        c.sendall(b"MECH\tPLAIN\nDONE\n")
        time.sleep(2)
    elif mode == "barelf":
        c.sendall(b"220 fake ESMTP\n")
        time.sleep(2)
    elif mode == "reject":
        c.sendall(b"554 5.7.1 go away\r\n")
        c.settimeout(3)
        data = b""
        try:
            while not data.endswith(b"\r\n"):
                d = c.recv(100)
                if not d:
                    break
                data += d
            c.sendall(b"221 2.0.0 Bye\r\n")
        except OSError:
            pass
        open(rec, "wb").write(data)
    c.close()
PY
    LISTENER_PID=$!
    _i=0
    while ! ss -Htln "sport = :$2" | grep -q .; do
        _i=$((_i + 1))
        [ $_i -gt 100 ] && return 1
        sleep 0.05
    done
}

# setup_a / setup_b - create and start each instance (run side by side)
setup_a() {
    PFI_PORT=$A_PORT
    pfi_create "$A_DIR"
    # an extra smtpd on a unix socket, and one on [::1] when it exists
    postconf -c "$PFI_CONF" -M "probesock/unix=probesock unix n - n - - smtpd"
    if [ -n "$A_PORT6" ]; then
        postconf -c "$PFI_CONF" -e inet_protocols=all inet_interfaces=127.0.0.1,::1
        postconf -c "$PFI_CONF" -M "[::1]:$A_PORT6/inet=[::1]:$A_PORT6 inet n - n - - smtpd"
    fi
    pfi_start
}

setup_b() {
    # shellcheck disable=SC2034  # pfi_create reads it
    PFI_PORT=$B_PORT
    pfi_create "$B_DIR"
    # maildir in the spool; local(8) does not create the top-level maildir
    postconf -c "$PFI_CONF" -e "mail_spool_directory = $PFI_MAIL/"
    for d in "" /new /cur /tmp; do
        mkdir -p "$PFI_MAIL/$MD_USER$d"
    done
    chown -R "$MD_USER" "$PFI_MAIL/$MD_USER"
    chmod -R 0700 "$PFI_MAIL/$MD_USER"
    pfi_start
}

setup_file() {
    . "$REPO/tests/lib/postfix-instance.sh"
    common_build mailha-probe
    tu_user "$MBOX_USER"
    tu_user "$MD_USER"
    A_DIR=$(mktemp -d /tmp/mh-probe-a.XXXXXX)
    B_DIR=$(mktemp -d /tmp/mh-probe-b.XXXXXX)
    A_PORT=$(pfi_free_port)
    B_PORT=$(pfi_free_port)
    while [ "$B_PORT" = "$A_PORT" ]; do
        B_PORT=$(pfi_free_port)
    done
    A_PORT6=
    if ip -6 addr show dev lo 2>/dev/null | grep -q '::1/128'; then
        A_PORT6=$(pfi_free_port)
    fi
    export A_DIR B_DIR A_PORT B_PORT A_PORT6
    (setup_b) 3>&- &
    b_pid=$!
    (setup_a) 3>&- || { wait "$b_pid"; return 1; }
    wait "$b_pid"
}

teardown_file() {
    . "$REPO/tests/lib/postfix-instance.sh"
    (use_b; pfi_destroy) 3>&- &
    b_pid=$!
    (use_a; pfi_destroy)
    wait "$b_pid"
    tu_cleanup
}

setup() {
    . "$REPO/tests/lib/postfix-instance.sh"
    LISTENER_PID=
    use_a
}

teardown() {
    if [ -n "$LISTENER_PID" ]; then
        kill "$LISTENER_PID" 2>/dev/null
        wait "$LISTENER_PID" 2>/dev/null || true
    fi
}

@test "a healthy Postfix: exit 0, nothing on stderr; -v shows the transcript" {
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -t 5000
    assert_success
    assert_equal "$stderr" ""
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -v -H probe.test
    assert_success
    [[ "$stderr" == *"> EHLO probe.test"* ]]
    [[ "$stderr" == *"< 250-SIZE 10240000"* ]]
    [[ "$stderr" == *"< 221 2.0.0 Bye"* ]]
    [[ "$stderr" != *"ocf-exit-reason"* ]]
}

@test "--expect-size: the right size passes, a wrong one fails with the reason" {
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -s 10240000
    assert_success
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" --expect-size 5000000
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SMTP 127.0.0.1:$A_PORT: EHLO advertises SIZE 10240000, expected 5000000"
    OCF_EXIT_REASON_PREFIX="why:" run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -s 0
    assert_failure 1
    assert_equal "$stderr" "why:SMTP 127.0.0.1:$A_PORT: EHLO advertises SIZE 10240000, expected SIZE with no number (no limit)"
}

@test "--expect-size 0: Postfix 3.7 with message_size_limit = 0 advertises a bare SIZE" {
    use_b
    postconf -c "$PFI_CONF" -e message_size_limit=0
    reload
    eventually "$PROBE" -e "127.0.0.1:$B_PORT" -s 0
    run --separate-stderr "$PROBE" -e "127.0.0.1:$B_PORT" -v -s 0
    out0=$stderr st0=$status
    run --separate-stderr "$PROBE" -e "127.0.0.1:$B_PORT" -s 1
    postconf -c "$PFI_CONF" -X message_size_limit
    reload
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SMTP 127.0.0.1:$B_PORT: EHLO advertises SIZE with no number, expected 1"
    [ "$st0" -eq 0 ]
    [[ "$out0" == *"< 250-SIZE"$'\n'* ]]
    run eventually "$PROBE" -e "127.0.0.1:$B_PORT" -s 10240000
    assert_success
}

@test "--expect-auth with Dovecot SASL passes; without AUTH, and with the socket gone, it fails" {
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -a
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SMTP 127.0.0.1:$A_PORT: EHLO does not advertise AUTH"

    use_b
    dvi_start
    pfi_smtp_auth
    reload
    sock=$PFI_QUEUE/private/auth
    run eventually "$PROBE" -e "127.0.0.1:$B_PORT" -a -S "$sock"
    assert_success
    run --separate-stderr "$PROBE" -e "127.0.0.1:$B_PORT" -v --expect-auth
    assert_success
    [[ "$stderr" == *"< 250-AUTH PLAIN LOGIN"* ]]

    dvi_stop
    rm -f "$sock"
    run --separate-stderr "$PROBE" -e "127.0.0.1:$B_PORT" -a -S "$sock"
    postconf -c "$PFI_CONF" -e smtpd_sasl_auth_enable=no
    reload
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SMTP 127.0.0.1:$B_PORT: SASL socket $sock missing"
}

@test "--auth-server: Dovecot's auth service answers its handshake; gone, silent, not Dovecot: exit 1 naming it" {
    use_b
    dvi_start
    sock=$PFI_QUEUE/private/auth
    run --separate-stderr "$PROBE" -A "$sock" -N -v
    assert_success
    assert_output "auth server $sock: PLAIN LOGIN"
    # checked before the SMTP dialogue, whose other checks still run
    run --separate-stderr "$PROBE" -e "127.0.0.1:$B_PORT" -A "$sock"
    assert_success
    dvi_stop
    run --separate-stderr "$PROBE" -A "$sock" -N
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SASL auth server $sock: nothing listening"
    # the SMTP dialogue is not even tried: the cause is named
    run --separate-stderr "$PROBE" -e "127.0.0.1:$B_PORT" -A "$sock"
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SASL auth server $sock: nothing listening"
    port=$(pfi_free_port)
    run --separate-stderr "$PROBE" -A "inet:127.0.0.1:$port" -N
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SASL auth server inet:127.0.0.1:$port: nothing listening"
    listener silent "$port"
    run --separate-stderr "$PROBE" -A "inet:127.0.0.1:$port" -N -t 1000
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SASL auth server inet:127.0.0.1:$port: no handshake before the deadline (0 lines)"
    # an SMTP server (a fake one: a real smtpd would count the VERSION
    # line as an error, which the error-counter test below looks for),
    # and a peer without VERSION, are not Dovecot
    kill "$LISTENER_PID"; wait "$LISTENER_PID" 2>/dev/null || true
    port=$(pfi_free_port)
    listener reject "$port"
    run --separate-stderr "$PROBE" -A "inet:127.0.0.1:$port" -N -t 3000
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SASL auth server inet:127.0.0.1:$port: not a Dovecot auth server (its first line is not VERSION 1)"
    kill "$LISTENER_PID"; wait "$LISTENER_PID" 2>/dev/null || true
    port=$(pfi_free_port)
    listener noversion "$port"
    run --separate-stderr "$PROBE" -A "inet:127.0.0.1:$port" -N -t 3000
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SASL auth server inet:127.0.0.1:$port: not a Dovecot auth server (its first line is not VERSION 1)"
    run --separate-stderr "$PROBE" -A "relative/path" -N
    assert_failure 2
    run --separate-stderr "$PROBE" -N
    assert_failure 2
}

@test "nothing listening: a free TCP port, a missing unix socket -> 7" {
    port=$(pfi_free_port)
    run --separate-stderr "$PROBE" -e "127.0.0.1:$port"
    assert_failure 7
    assert_equal "$stderr" "ocf-exit-reason:SMTP 127.0.0.1:$port: nothing listening: connect 127.0.0.1: Connection refused"
    run --separate-stderr "$PROBE" -e "unix:$BATS_TEST_TMPDIR/no-such-socket"
    assert_failure 7
    [[ "$stderr" == "ocf-exit-reason:SMTP unix:$BATS_TEST_TMPDIR/no-such-socket: nothing listening: "* ]]
    # a service name for the port: whatever "smtp" is, an unused port 25 -> 7
    if ! ss -Htln "sport = :25" | grep -q .; then
        run --separate-stderr "$PROBE" -e "127.0.0.1:smtp"
        assert_failure 7
    fi
}

@test "unix socket and IPv6 endpoints of a real smtpd" {
    run --separate-stderr "$PROBE" -e "unix:$A_DIR/queue/public/probesock" -s 10240000
    assert_success
    [ -n "${A_PORT6:-}" ] || skip "no ::1 on this machine"
    run --separate-stderr "$PROBE" -e "[::1]:$A_PORT6" -s 10240000
    assert_success
    # a name resolving to both families: one of them answers
    run --separate-stderr "$PROBE" -e "localhost:$A_PORT" -t 3000
    assert_success
}

@test "a server that accepts and never talks: exit 1 with a timeout, within the deadline" {
    port=$(pfi_free_port)
    listener silent "$port"
    t0=$(date +%s%N)
    run --separate-stderr "$PROBE" -e "127.0.0.1:$port" -t 1500
    t1=$(date +%s%N)
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SMTP 127.0.0.1:$port: banner: timed out waiting for a reply"
    # a correctness bound (the deadline is never exceeded), not a speed target
    [ $(( (t1 - t0) / 1000000 )) -lt 3500 ]
}

@test "a banner with a bare LF is malformed: exit 1 naming it" {
    port=$(pfi_free_port)
    listener barelf "$port"
    run --separate-stderr "$PROBE" -e "127.0.0.1:$port" -t 3000
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SMTP 127.0.0.1:$port: banner: bare LF (no CR) in reply"
}

@test "a 554 banner: exit 1 with the reply, and the session still ends in QUIT" {
    port=$(pfi_free_port)
    listener reject "$port"
    run --separate-stderr "$PROBE" -e "127.0.0.1:$port" -t 3000
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:SMTP 127.0.0.1:$port: banner: unexpected reply 554 5.7.1 go away"
    assert_equal "$(cat "$BATS_FILE_TMPDIR/received")" $'QUIT\r'
}

@test "30 probes leave smtpd's error counters alone" {
    clean='disconnect from [^ ]*\[127\.0\.0\.1\] ehlo=1 quit=1 commands=2$'
    n0=$(grep -c "$clean" "$PFI_LOG" || true)
    for _ in $(seq 30); do
        "$PROBE" -e "127.0.0.1:$A_PORT" -s 10240000
    done
    # wait (bounded) for postlogd to have written all 30 disconnects
    for _ in $(seq 200); do
        [ "$(grep -c "$clean" "$PFI_LOG")" -ge $((n0 + 30)) ] && break
        sleep 0.1
    done
    run grep -c "$clean" "$PFI_LOG"
    [ "$output" -ge $((n0 + 30)) ] || { tail -n 40 "$PFI_LOG"; false; }
    # an error would show as ehlo=0/1 etc.; and none of smtpd's complaints
    run grep -E 'disconnect from .*=[0-9]+/[0-9]+|too many errors|improper command pipelining|unknown command|lost connection' "$PFI_LOG"
    assert_failure
}

@test "-d into an mbox: the probe arrives, is removed, other messages stay byte-for-byte" {
    mbox=$PFI_MAIL/$MBOX_USER
    send_mail "$MBOX_USER@localhost" "first"
    send_mail "$MBOX_USER@localhost" "second"
    pfi_wait_mail "$mbox" "Subject: second" 20
    cp -p "$mbox" "$BATS_TEST_TMPDIR/before"
    before=$(stat -c '%U:%G %a' "$mbox")
    sent=$(grep -c "to=<$MBOX_USER@localhost>.*status=sent" "$PFI_LOG")

    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -t 10000 -H probe.test \
        -d "$MBOX_USER@localhost" -m "$mbox"
    assert_success
    assert_equal "$stderr" ""
    # it was really delivered (one more status=sent), and is gone again
    run grep -c "to=<$MBOX_USER@localhost>.*status=sent" "$PFI_LOG"
    [ "$output" -eq $((sent + 1)) ]
    cmp "$BATS_TEST_TMPDIR/before" "$mbox"
    assert_equal "$(stat -c '%U:%G %a' "$mbox")" "$before"
    assert_file_not_exists "$mbox.lock"
    run grep -c "from=<mailha-probe@probe.test>" "$PFI_LOG"
    [ "$output" -ge 1 ]

    # twice more, with -f: still nothing left behind
    "$PROBE" -e "127.0.0.1:$A_PORT" -t 10000 -d "$MBOX_USER@localhost" -m "$mbox" -f "probe@localhost"
    "$PROBE" -e "127.0.0.1:$A_PORT" -t 10000 -d "$MBOX_USER@localhost" -m "$mbox"
    cmp "$BATS_TEST_TMPDIR/before" "$mbox"
}

@test "-d into a maildir: only the probe's file is removed" {
    use_b
    md=$PFI_MAIL/$MD_USER/
    send_mail "$MD_USER@localhost" "kept"
    for _ in $(seq 200); do
        [ -n "$(ls -A "$md/new")" ] && break
        sleep 0.1
    done
    (cd "$md" && find new cur -type f -exec sha256sum {} + | sort) > "$BATS_TEST_TMPDIR/before"
    [ "$(wc -l < "$BATS_TEST_TMPDIR/before")" -eq 1 ]

    run --separate-stderr "$PROBE" -e "127.0.0.1:$B_PORT" -t 10000 -d "$MD_USER@localhost" -m "$md"
    assert_success
    run grep -c "to=<$MD_USER@localhost>.*status=sent" "$PFI_LOG"
    [ "$output" -eq 2 ]
    (cd "$md" && find new cur -type f -exec sha256sum {} + | sort) > "$BATS_TEST_TMPDIR/after"
    cmp "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
}

@test "-d: a rejected recipient fails with the 5xx reply and a clean QUIT" {
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -d "nosuchuser@localhost" -m "$PFI_MAIL/nosuchuser"
    assert_failure 1
    [[ "$stderr" == "ocf-exit-reason:SMTP 127.0.0.1:$A_PORT: RCPT TO:<nosuchuser@localhost>: unexpected reply 550 "* ]]
    for _ in $(seq 200); do
        grep -q 'disconnect from .* rcpt=0/1 quit=1' "$PFI_LOG" && break
        sleep 0.1
    done
    grep -q 'disconnect from .* rcpt=0/1 quit=1' "$PFI_LOG"
}

@test "-d: a message that never shows up in the given mailbox -> 1, not seen in time" {
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -t 2000 -d "$MBOX_USER@localhost" \
        -m "$PFI_MAIL/elsewhere"
    assert_failure 1
    [[ "$stderr" == "ocf-exit-reason:SMTP 127.0.0.1:$A_PORT: probe message "*" not seen in $PFI_MAIL/elsewhere in time" ]]
}

@test "-d: a symlinked or hard-linked mailbox is refused and left alone" {
    victim=$BATS_TEST_TMPDIR/victim
    printf 'From x\nSubject: not yours\n\n' > "$victim"
    ln -s "$victim" "$PFI_MAIL/mhlinked"
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -d "$MBOX_USER@localhost" -m "$PFI_MAIL/mhlinked"
    rm -f "$PFI_MAIL/mhlinked"
    assert_failure 1
    [[ "$stderr" == *"mhlinked: is a symbolic link" ]]

    ln "$victim" "$PFI_MAIL/mhlinked"
    run --separate-stderr "$PROBE" -e "127.0.0.1:$A_PORT" -d "$MBOX_USER@localhost" -m "$PFI_MAIL/mhlinked"
    rm -f "$PFI_MAIL/mhlinked"
    assert_failure 1
    [[ "$stderr" == *"mhlinked: has 2 hard links" ]]
    assert_equal "$(cat "$victim")" "$(printf 'From x\nSubject: not yours\n')"
}

@test "bad arguments -> 2 with one reason line" {
    for args in "-x" "-t abc" "-t 0" "-t" "-e 127.0.0.1" "-e ::1:25" "-e unix:relative" \
                "-s -1" "-s 12k" "-d user@localhost" "-m /var/mail/x" "-S /tmp/sock" \
                "-a -S relative" "-H bad<name>" "extra" "-d a@b -m relative"; do
        # shellcheck disable=SC2086
        run --separate-stderr "$PROBE" $args
        assert_failure 2
        [[ "$stderr" == "ocf-exit-reason:mailha-probe: "* ]]
        [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    done
    run --separate-stderr "$PROBE" -d "a b@c" -m /x
    assert_failure 2
    assert_equal "$stderr" 'ocf-exit-reason:mailha-probe: bad --deliver "a b@c": want a mail address'
}

# opened_libs CMD... - the shared libraries CMD opened (strace), one a line
opened_libs() {
    strace -f -qq -e trace=openat -e status=successful -o "$BATS_TEST_TMPDIR/strace" "$@" \
        >/dev/null 2>"$BATS_TEST_TMPDIR/stderr"
    _rc=$?
    grep -o '/[^"]*\.so[.0-9]*"' "$BATS_TEST_TMPDIR/strace" | tr -d '"' | sed 's|.*/||'
    return $_rc
}

@test "start-up: linked with libc only; a healthy probe opens no other library" {
    run objdump -p "$PROBE"
    assert_success
    assert_line --partial "NEEDED               libc.so.6"
    refute_line --partial "libqb"
    refute_line --partial "libsystemd"
    run opened_libs "$PROBE" -e "127.0.0.1:$A_PORT" -s 10240000
    assert_success
    assert_output "libc.so.6"
    # the same under Pacemaker, where messages would go to syslog
    OCF_RESKEY_crm_feature_set=3.16.2 run opened_libs "$PROBE" -e "127.0.0.1:$A_PORT"
    assert_success
    assert_output "libc.so.6"
}

@test "start-up: libqb is loaded when there is something to log, and logs as before" {
    # -v: the transcript goes through libqb to stderr, "mailha-probe: ..."
    run opened_libs "$PROBE" -e "127.0.0.1:$A_PORT" -v
    assert_success
    assert_line "libqb.so.100"
    run cat "$BATS_TEST_TMPDIR/stderr"
    assert_line --index 0 "mailha-probe: connect 127.0.0.1 port $A_PORT: connected"
    assert_line "mailha-probe: > QUIT"
    # a failure by hand: the reason only (errors-only stderr), no libqb
    run opened_libs "$PROBE" -e "127.0.0.1:$A_PORT" -s 1
    assert_failure 1
    refute_line "libqb.so.100"
    run cat "$BATS_TEST_TMPDIR/stderr"
    assert_output "ocf-exit-reason:SMTP 127.0.0.1:$A_PORT: EHLO advertises SIZE 10240000, expected 1"
    # a failure under Pacemaker: the reason on stderr, and the error logged
    # to syslog through libqb (loaded for it)
    OCF_RESKEY_crm_feature_set=3.16.2 run opened_libs "$PROBE" -e "127.0.0.1:$A_PORT" -s 1
    assert_failure 1
    assert_line "libqb.so.100"
    run cat "$BATS_TEST_TMPDIR/stderr"
    assert_output "ocf-exit-reason:SMTP 127.0.0.1:$A_PORT: EHLO advertises SIZE 10240000, expected 1"
    # HA_LOGFACILITY=none: nothing to log, so libqb stays out
    HA_LOGFACILITY=none OCF_RESKEY_crm_feature_set=3.16.2 \
        run opened_libs "$PROBE" -e "127.0.0.1:$A_PORT" -s 1
    assert_failure 1
    refute_line "libqb.so.100"
}

@test "--help prints the usage on stdout and exits 0" {
    run --separate-stderr "$PROBE" --help
    assert_success
    assert_line --index 0 "usage: mailha-probe [options]"
    assert_output --partial "exit: 0 healthy, 1 unhealthy, 2 bad arguments, 7 nothing listening"
}
