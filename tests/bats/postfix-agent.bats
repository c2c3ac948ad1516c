#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:mailha:postfix against a real Postfix (and Dovecot SASL) instance.
# Each test starts from a stopped instance; the agent is run as Pacemaker
# runs it: environment variables, one action argument, exit code.

load common

AGENT=$REPO/agents/postfix

setup_file() {
    common_build mailha-probe
    . "$REPO/tests/lib/postfix-instance.sh"
    PF_TMP=$(mktemp -d /tmp/mh-pfagent.XXXXXX)
    export PF_TMP
    pfi_create "$PF_TMP/pf"
    . "$REPO/tests/lib/test-users.sh"
    tu_user mhprobe
    tu_user mhuser1
}

teardown_file() {
    . "$REPO/tests/lib/postfix-instance.sh"
    [ -n "${PF_TMP:-}" ] && PFI_DIR=$PF_TMP/pf PFI_CONF=$PF_TMP/pf/etc \
        PFI_QUEUE=$PF_TMP/pf/queue DVI_DIR=$PF_TMP/pf/dovecot pfi_destroy
    rm -rf "$PF_TMP"
    # the test accounts, if this run added them
    . "$REPO/tests/lib/test-users.sh"
    tu_cleanup
}

setup() {
    . "$REPO/tests/lib/postfix-instance.sh"
    export OCF_ROOT=/usr/lib/ocf
    export OCF_RESOURCE_INSTANCE=mhtest-pf
    export MAILHA_RUNDIR=$PF_TMP/run
    export OCF_RESKEY_config_dir=$PFI_CONF
    export OCF_RESKEY_CRM_meta_timeout=20000
    unset OCF_RESKEY_CRM_meta_interval OCF_CHECK_LEVEL
    mkdir -p "$MAILHA_RUNDIR"
}

teardown() {
    dvi_stop
    OCF_RESKEY_CRM_meta_timeout=10000 "$AGENT" stop >/dev/null 2>&1 || true
    pfi_stop
    # restore anything a test changed
    cp "$PF_TMP/pf/main.cf.orig" "$PFI_CONF/main.cf" 2>/dev/null || true
    cp "$PF_TMP/pf/master.cf.orig" "$PFI_CONF/master.cf" 2>/dev/null || true
}

save_config() {
    cp "$PFI_CONF/main.cf" "$PF_TMP/pf/main.cf.orig"
    cp "$PFI_CONF/master.cf" "$PF_TMP/pf/master.cf.orig"
}

monitor() { # monitor DEPTH [recurring]
    OCF_CHECK_LEVEL=$1 OCF_RESKEY_CRM_meta_interval=${2:-10000} "$AGENT" monitor
}

probe() { OCF_RESKEY_CRM_meta_interval=0 "$AGENT" monitor; }

@test "meta-data and usage answer without any configuration" {
    run env -i PATH="$PATH" MAILHA_LIBDIR="$MAILHA_LIBDIR" "$AGENT" meta-data
    assert_success
    assert_output --partial '<version>1.1</version>'
    assert_output --partial 'depth="10"'
    assert_output --partial 'depth="20"'
    assert_output --partial '<parameter name="flush_on_start" reloadable="1">'
    assert_output --partial '<content type="boolean" default="true"/>'
    run "$AGENT" usage
    assert_success
}

@test "unknown action -> 3" {
    run "$AGENT" frobnicate
    assert_equal "$status" 3
}

@test "validate-all: a good configuration passes" {
    run "$AGENT" validate-all
    assert_success
}

@test "validate-all: missing binary -> 5 with a reason" {
    OCF_RESKEY_binary=/nonexistent/postfix run --separate-stderr "$AGENT" validate-all
    assert_equal "$status" 5
    assert_equal "$(echo "$stderr" | grep -c '^ocf-exit-reason:.*/nonexistent/postfix')" 1
}

@test "validate-all: values wrong on every node -> 6 with a reason" {
    for kv in probe_timeout=abc probe_timeout=0 stop_drain=-1 stop_drain=x \
              endpoint=nocolon endpoint=host: "probe_recipient=a b" \
              config_dir=relative/dir binary=postfix flush_on_start=maybe; do
        run --separate-stderr env "OCF_RESKEY_${kv%%=*}=${kv#*=}" "$AGENT" validate-all
        [ "$status" -eq 6 ] || fail "$kv: status $status, expected 6"
        echo "$stderr" | grep -q '^ocf-exit-reason:' || fail "$kv: no exit reason"
    done
}

@test "validate-all: config_dir wrong on this node -> 2" {
    OCF_RESKEY_config_dir=/nonexistent/pfconf run --separate-stderr "$AGENT" validate-all
    assert_equal "$status" 2
    assert_equal "$(echo "$stderr" | grep -c '^ocf-exit-reason:.*no readable main.cf')" 1
    # a real directory with main.cf, but not in alternate_config_directories
    mkdir -p "$PF_TMP/unlisted"
    cp "$PFI_CONF/main.cf" "$PF_TMP/unlisted/"
    OCF_RESKEY_config_dir=$PF_TMP/unlisted run --separate-stderr "$AGENT" validate-all
    assert_equal "$status" 2
    assert_equal "$(echo "$stderr" | grep -c '^ocf-exit-reason:.*alternate_config_directories')" 1
}

@test "probe before start -> 7, also with the binary or config absent" {
    run probe
    assert_equal "$status" 7
    OCF_RESKEY_binary=/nonexistent/postfix run probe
    assert_equal "$status" 7
    OCF_RESKEY_config_dir=/nonexistent/pfconf run probe
    assert_equal "$status" 7
}

@test "start, monitor at every depth, start again (idempotent)" {
    run --separate-stderr "$AGENT" start
    echo "$stderr"
    assert_success
    run monitor 0
    assert_success
    run monitor 10
    assert_success
    run probe
    assert_success
    run "$AGENT" start
    assert_success
    [ -n "$(pfi_master_pid)" ]
}

@test "probe with the queue directory absent (passive node) -> 7" {
    "$AGENT" start
    "$AGENT" stop
    mv "$PFI_QUEUE" "$PFI_QUEUE.away"
    run probe
    mv "$PFI_QUEUE.away" "$PFI_QUEUE"
    assert_equal "$status" 7
}

@test "kill -9 of the master -> depth-0 monitor 7" {
    "$AGENT" start
    pid=$(pfi_master_pid)
    kill -9 "$pid"
    while [ -d "/proc/$pid" ]; do sleep 0.05; done
    run monitor 0
    assert_equal "$status" 7
    # stop cleans up the orphaned children and succeeds
    run "$AGENT" stop
    assert_success
}

@test "smtpd gone from master.cf: depth 0 passes, depth 10 fails with a reason" {
    save_config
    "$AGENT" start
    postconf -c "$PFI_CONF" -MX "127.0.0.1:$PFI_PORT/inet"
    # keep the agent's derived endpoint: master.cf changed, so the state
    # would be refreshed; pin it as an operator would see it configured
    postfix -c "$PFI_CONF" reload
    sleep 1
    run monitor 0
    assert_success
    OCF_RESKEY_endpoint=127.0.0.1:$PFI_PORT run --separate-stderr monitor 10
    assert_equal "$status" 1
    assert_equal "$(echo "$stderr" | grep -c '^ocf-exit-reason:')" 1
}

@test "smtpd answering but wrong SIZE: depth 10 fails naming SIZE" {
    save_config
    "$AGENT" start
    # the agent learnt message_size_limit at start; Postfix changes it
    # behind the agent's back (the state file is newer than main.cf below)
    sleep 1
    "$AGENT" reload-agent
    sed -i '/^message_size_limit/d' "$PFI_CONF/main.cf"
    echo "message_size_limit = 5000000" >> "$PFI_CONF/main.cf"
    touch -d '-1 hour' "$PFI_CONF/main.cf"
    postfix -c "$PFI_CONF" reload
    sleep 1
    run --separate-stderr monitor 10
    assert_equal "$status" 1
    echo "$stderr" | grep -q '^ocf-exit-reason:.*SIZE'
    # touching main.cf (as an edit does) refreshes what the agent expects
    touch "$PFI_CONF/main.cf"
    run monitor 10
    assert_success
}

@test "SASL: AUTH expected and offered passes; auth socket gone fails depth 10" {
    save_config
    pfi_smtp_auth
    dvi_start
    "$AGENT" start
    run monitor 10
    assert_success
    dvi_stop
    rm -f "$PFI_QUEUE/private/auth"
    run --separate-stderr monitor 10
    assert_equal "$status" 1
    echo "$stderr" | grep -qi '^ocf-exit-reason:.*sasl'
    run monitor 0
    assert_success
}

@test "stop, stop again, monitor 7" {
    "$AGENT" start
    run guide_stop
    assert_success
    [ -z "$(pfi_master_pid)" ]
    run guide_stop
    assert_success
    run monitor 0
    assert_equal "$status" 7
}

@test "stop against a Postfix that will not die is done inside the timeout" {
    "$AGENT" start
    pid=$(pfi_master_pid)
    # A stopped process holds SIGTERM pending: postfix stop and abort do nothing.
    kill -STOP "$pid"
    # the guide's settings; timeout(1) fails a stop that outlives its 90 s
    run --separate-stderr guide_stop
    assert_success
    [ ! -d "/proc/$pid" ] || [ "$(cut -d' ' -f3 "/proc/$pid/stat")" = Z ]
    run monitor 0
    assert_equal "$status" 7
}

@test "start fails with a reason, without waiting out the timeout, when the master dies" {
    save_config
    # An address of no interface here: master cannot bind and exits.
    postconf -c "$PFI_CONF" -e "inet_interfaces = 192.0.2.1"
    postconf -c "$PFI_CONF" -MX "127.0.0.1:$PFI_PORT/inet"
    postconf -c "$PFI_CONF" -M "192.0.2.1:$PFI_PORT/inet=192.0.2.1:$PFI_PORT inet n - n - - smtpd"
    start=$(date +%s)
    OCF_RESKEY_CRM_meta_timeout=30000 run --separate-stderr "$AGENT" start
    end=$(date +%s)
    assert_equal "$status" 1
    echo "$stderr" | grep -q '^ocf-exit-reason:'
    [ $((end - start)) -lt 25 ] || fail "start waited $((end - start)) s"
    [ -z "$(pfi_master_pid)" ]
}

@test "depth 20: a probe message is delivered to probe_recipient and removed" {
    "$AGENT" start
    # another message already in the mailbox must survive the probe
    printf 'Subject: keep me\n\nkeep this\n' | MAIL_CONFIG=$PFI_CONF /usr/sbin/sendmail mhprobe@localhost
    pfi_wait_mail "$PFI_MAIL/mhprobe" "keep this" 20
    before=$(cat "$PFI_MAIL/mhprobe")
    OCF_RESKEY_probe_recipient=mhprobe@localhost run --separate-stderr monitor 20
    assert_success
    assert_equal "$(cat "$PFI_MAIL/mhprobe")" "$before"
    grep -q "postfix/local.*to=<mhprobe@localhost>.*status=sent" "$PFI_LOG"
    [ "$(grep -c 'to=<mhprobe@localhost>.*status=sent' "$PFI_LOG")" -ge 2 ]
}

@test "depth 20: a recipient that is not delivered fails with a reason" {
    "$AGENT" start
    OCF_RESKEY_probe_recipient=nosuchuser-mh@localhost OCF_RESKEY_probe_timeout=3 \
        run --separate-stderr monitor 20
    assert_equal "$status" 1
    echo "$stderr" | grep -q '^ocf-exit-reason:'
}

@test "stop with stop_drain flushes the queue: deferred local mail is delivered first" {
    save_config
    "$AGENT" start
    postconf -c "$PFI_CONF" -e "defer_transports = local"
    postfix -c "$PFI_CONF" reload
    printf 'Subject: drained\n\ndrained body\n' | MAIL_CONFIG=$PFI_CONF /usr/sbin/sendmail mhuser1@localhost
    n=0
    until grep -q 'status=deferred (deferred transport)' "$PFI_LOG" || [ $n -gt 100 ]; do
        sleep 0.1; n=$((n + 1))
    done
    run ! grep -qs "drained body" "$PFI_MAIL/mhuser1"
    # postqueue -f delivers even defer_transports: the drain empties the queue
    run guide_stop
    assert_success
    grep -q "drained body" "$PFI_MAIL/mhuser1"
    run find "$PFI_QUEUE/deferred" "$PFI_QUEUE/active" "$PFI_QUEUE/incoming" -type f
    assert_success
    assert_output ""
}

@test "stop with stop_drain: bounded when mail cannot leave, and the queued mail is kept" {
    save_config
    # mail for remote.example goes to a relay that refuses: it stays deferred
    postconf -c "$PFI_CONF" -e "default_transport = smtp" "relayhost = [127.0.0.1]:1"
    "$AGENT" start
    printf 'Subject: queued\n\nqueued body\n' | MAIL_CONFIG=$PFI_CONF /usr/sbin/sendmail mhuser1@remote.example
    n=0
    until grep -q 'to=<mhuser1@remote.example>.*status=deferred' "$PFI_LOG" || [ $n -gt 100 ]; do
        sleep 0.1; n=$((n + 1))
    done
    run guide_stop
    assert_success
    [ -z "$(pfi_master_pid)" ]
    [ -n "$(find "$PFI_QUEUE/deferred" "$PFI_QUEUE/active" "$PFI_QUEUE/incoming" -type f)" ]
    # started again with remote.example now local: the kept message arrives
    postconf -c "$PFI_CONF" -e "mydestination = \$myhostname, localhost, remote.example"
    "$AGENT" start
    postqueue -c "$PFI_CONF" -f
    pfi_wait_mail "$PFI_MAIL/mhuser1" "queued body" 20
}

@test "reload and reload-agent" {
    "$AGENT" start
    pid=$(pfi_master_pid)
    run "$AGENT" reload
    assert_success
    assert_equal "$(pfi_master_pid)" "$pid"
    OCF_RESKEY_probe_timeout=7 run "$AGENT" reload-agent
    assert_success
    grep -q "PF_P_RECIPIENT" "$MAILHA_RUNDIR/mailha-postfix-$OCF_RESOURCE_INSTANCE.state"
    OCF_RESKEY_probe_timeout=bad run "$AGENT" reload-agent
    assert_equal "$status" 6
}

@test "a postfix reload, postconf -M or getent that never returns: reload, start and reload-agent end inside their timeout" {
    save_config
    # Stand-ins that hang stand for programs blocked on a wedged master
    # (postfix(1) logs through postlogd with maillog_file set) or on a
    # hung NSS source: what is under test is the agent's bound; timeout(1)
    # turns a hang into status 124.
    mkdir -p "$PF_TMP/hang"
    printf '#!/bin/sh\ncase " $* " in *" reload "*) exec sleep 600 ;; esac\nexec /usr/sbin/postfix "$@"\n' >"$PF_TMP/hang/postfix"
    printf '#!/bin/sh\ncase " $* " in *" -M "*) exec sleep 600 ;; esac\nexec /usr/sbin/postconf "$@"\n' >"$PF_TMP/hang/postconf"
    printf '#!/bin/sh\nexec sleep 600\n' >"$PF_TMP/hang/getent"
    chmod 755 "$PF_TMP/hang/postfix" "$PF_TMP/hang/postconf" "$PF_TMP/hang/getent"
    "$AGENT" start
    OCF_RESKEY_binary=$PF_TMP/hang/postfix OCF_RESKEY_CRM_meta_timeout=5000 \
        run --separate-stderr timeout 30 "$AGENT" reload
    assert_equal "$status" 1
    assert_equal "$(echo "$stderr" | grep -c 'postfix reload failed: killed when its time ran out')" 1
    "$AGENT" stop
    # postconf -M hanging at start: the start is over inside its timeout
    PATH=$PF_TMP/hang:/usr/bin:/bin OCF_RESKEY_CRM_meta_timeout=6000 \
        run --separate-stderr timeout 30 "$AGENT" start
    [ "$status" -ne 124 ] || fail "start hung on postconf -M"
    "$AGENT" stop
    # getent passwd hanging while the probe mailbox is worked out
    postconf -c "$PFI_CONF" -e home_mailbox=Maildir/
    OCF_RESKEY_probe_recipient=mhprobe PATH=$PF_TMP/hang:/usr/bin:/bin OCF_RESKEY_CRM_meta_timeout=5000 \
        run --separate-stderr timeout 30 "$AGENT" reload-agent
    [ "$status" -ne 124 ] || fail "reload-agent hung on getent"
    run pgrep -f "$PF_TMP/hang"
    assert_failure
}

@test "tracing with OCF_TRACE_RA keeps the exit reason on stderr" {
    OCF_TRACE_RA=1 OCF_TRACE_FILE=$PF_TMP/trace OCF_RESKEY_probe_timeout=x \
        run --separate-stderr "$AGENT" validate-all
    assert_equal "$status" 6
    echo "$stderr" | grep -q '^ocf-exit-reason:probe_timeout'
    grep -q 'pf_validate' "$PF_TMP/trace"
}

@test "validate-all at OCF_CHECK_LEVEL=10 audits the configuration (open relay -> 6)" {
    save_config
    run env OCF_CHECK_LEVEL=10 "$AGENT" validate-all
    assert_success
    postconf -c "$PFI_CONF" -e "smtpd_relay_restrictions = permit" "smtpd_recipient_restrictions = permit"
    run --separate-stderr env OCF_CHECK_LEVEL=10 "$AGENT" validate-all
    assert_equal "$status" 6
    echo "$stderr" | grep -q '^ocf-exit-reason:relay.open'
    # level 0 does not run the audit
    run "$AGENT" validate-all
    assert_success
}

# fresh_aliases - alias_maps/alias_database on a file of this test's own
# (teardown restores main.cf), with a current database
fresh_aliases() {
    save_config
    A=$PF_TMP/aliases-fresh
    printf 'mhold: mhuser1\n' >"$A"
    postconf -c "$PFI_CONF" -e "alias_maps = hash:$A" "alias_database = hash:$A"
    postalias -c "$PFI_CONF" "hash:$A"
}

@test "start after a failover: an alias file changed since the aliases clone's monitor is rebuilt first, mail to the new alias is delivered" {
    fresh_aliases
    printf 'mhnew: mhuser1\n' >>"$A"
    touch -d "@$(( $(date +%s) + 1 ))" "$A"
    run "$MAILHA_SBINDIR/mailha-aliases" -c "$PFI_CONF" stale
    assert_failure 1
    run --separate-stderr "$AGENT" start
    assert_success
    assert_equal "$(echo "$stderr" | grep -c "notice: alias databases rebuilt before start: stale: database $A.db is older than source file $A")" 1
    run postalias -q mhnew "hash:$A"
    assert_output mhuser1
    run "$MAILHA_SBINDIR/mailha-aliases" -c "$PFI_CONF" stale
    assert_success
    s=mhfresh-$$-$RANDOM
    printf 'Subject: %s\n\n%s\n' "$s" "$s" | MAIL_CONFIG=$PFI_CONF /usr/sbin/sendmail mhnew@localhost
    pfi_wait_mail "$PFI_MAIL/mhuser1" "$s" 20
    # current databases: start says nothing about aliases
    "$AGENT" stop
    run --separate-stderr "$AGENT" start
    assert_success
    refute [ "$(echo "$stderr" | grep -c alias)" -gt 0 ]
}

@test "start with a broken alias file: a stale database keeps serving and Postfix starts; a missing one fails start with file:line" {
    fresh_aliases
    cp "$A.db" "$PF_TMP/before.db"
    printf 'mhnew: mhuser1\nthis line has no colon\n' >>"$A"
    touch -d "@$(( $(date +%s) + 1 ))" "$A"
    run --separate-stderr "$AGENT" start
    assert_success
    assert_equal "$(echo "$stderr" | grep -c "err: alias databases left stale, the last good build serves: $A:3: need name:value pair")" 1
    cmp "$A.db" "$PF_TMP/before.db"
    run postalias -q mhold "hash:$A"
    assert_output mhuser1
    run monitor 0
    assert_success
    "$AGENT" stop
    # no database at all: local delivery could only defer here
    rm -f "$A.db"
    run --separate-stderr "$AGENT" start
    assert_failure 1
    assert_equal "$(echo "$stderr" | grep -c "^ocf-exit-reason:alias database missing and not built: $A:3: need name:value pair")" 1
    [ -z "$(pfi_master_pid)" ]
    run probe
    assert_failure 7
    ls "$PF_TMP"/.mailha-* 2>/dev/null && false
    # fixed source: start builds the missing database and starts
    printf 'mhold: mhuser1\n' >"$A"
    run "$AGENT" start
    assert_success
    [ -f "$A.db" ]
}

# --- flush_on_start ------------------------------------------------------------
#
# The instance retries deferred mail only after 3600 s (minimal and maximal
# backoff, queue_run_delay), so within these tests nothing but a flush can
# deliver a deferred message: qmgr's own scan at start skips deferred queue
# files that are not yet due.

# queue_files - the files of every queue a message can wait in
queue_files() {
    find "$PFI_QUEUE/deferred" "$PFI_QUEUE/active" "$PFI_QUEUE/incoming" \
        "$PFI_QUEUE/maildrop" -type f 2>/dev/null
}

# defer_one BODY - a message for mhuser1@localhost deferred by local(8)'s
# transport being on defer_transports, with the 3600 s backoff; Postfix is
# left stopped by the agent and defer_transports cleared (the cause gone).
defer_one() {
    save_config
    postsuper -c "$PFI_CONF" -d ALL >/dev/null 2>&1 || true
    postconf -c "$PFI_CONF" -e "minimal_backoff_time = 3600s" \
        "maximal_backoff_time = 3600s" "queue_run_delay = 3600s" \
        "defer_transports = local"
    "$AGENT" start 2>/dev/null
    printf 'Subject: %s\n\n%s\n' "$1" "$1" | MAIL_CONFIG=$PFI_CONF /usr/sbin/sendmail mhuser1@localhost
    n=0
    until [ -n "$(find "$PFI_QUEUE/deferred" -type f)" ] || [ $n -gt 200 ]; do
        sleep 0.1; n=$((n + 1))
    done
    [ -n "$(find "$PFI_QUEUE/deferred" -type f)" ] || fail "message not deferred"
    "$AGENT" stop 2>/dev/null
    [ -z "$(pfi_master_pid)" ] || fail "Postfix still runs after stop"
    if grep -qs -- "$1" "$PFI_MAIL/mhuser1"; then fail "delivered although deferred"; fi
    postconf -c "$PFI_CONF" -X defer_transports
}

@test "start flushes the queue: mail deferred before the failover is delivered without waiting for the backoff" {
    body=mhflush-$$-$RANDOM
    defer_one "$body"
    run --separate-stderr "$AGENT" start
    assert_success
    assert_equal "$(echo "$stderr" | grep -c 'info: queue flushed at start (postqueue -f)')" 1
    pfi_wait_mail "$PFI_MAIL/mhuser1" "$body" 30 || fail "not delivered within 30 s"
    n=0
    until [ -z "$(queue_files)" ] || [ $n -gt 100 ]; do sleep 0.1; n=$((n + 1)); done
    assert_equal "$(queue_files)" ""
    grep -q "to=<mhuser1@localhost>.*status=sent" "$PFI_LOG"
}

@test "flush_on_start=false: the deferred message stays deferred after start" {
    body=mhnoflush-$$-$RANDOM
    defer_one "$body"
    OCF_RESKEY_flush_on_start=false run --separate-stderr "$AGENT" start
    assert_success
    refute [ "$(echo "$stderr" | grep -c 'flush')" -gt 0 ]
    # 8 s is enough to see that start alone does not deliver: qmgr scans
    # the incoming and deferred queues as soon as it starts (well inside
    # 8 s) and skips this file, which is due only 3600 s after it was
    # deferred; queue_run_delay is 3600 s too, so no later scan comes
    # within the test.  The flush test above delivers within this time.
    sleep 8
    if grep -qs -- "$body" "$PFI_MAIL/mhuser1"; then fail "delivered without a flush"; fi
    [ -n "$(find "$PFI_QUEUE/deferred" -type f)" ] || fail "the message left the deferred queue"
    # the cause is gone: an explicit flush delivers it (the test above
    # measured the flush, not a still-broken delivery)
    postqueue -c "$PFI_CONF" -f
    pfi_wait_mail "$PFI_MAIL/mhuser1" "$body" 30 || fail "not delivered by postqueue -f"
}

@test "flush refused by Postfix (no queue manager): start succeeds with a warning, the mail stays queued" {
    body=mhflushfail-$$-$RANDOM
    defer_one "$body"
    # A master.cf without qmgr: Postfix runs and answers SMTP, but
    # postqueue -f finds no queue manager ("mail system is down").
    postconf -c "$PFI_CONF" -MX qmgr/unix
    run --separate-stderr "$AGENT" start
    assert_success
    assert_equal "$(echo "$stderr" | grep -c 'warning: queue flush at start failed (postqueue -f exit [1-9][0-9]*): .*Cannot flush mail queue - mail system is down')" 1
    refute [ "$(echo "$stderr" | grep -c '^ocf-exit-reason:')" -gt 0 ]
    [ -n "$(pfi_master_pid)" ]
    run monitor 10
    assert_success
    [ -n "$(find "$PFI_QUEUE/deferred" -type f)" ] || fail "the deferred message is gone"
    run ! grep -qs -- "$body" "$PFI_MAIL/mhuser1"
    assert_equal "$(find "$MAILHA_RUNDIR" -name '*.flush')" "" || fail "flush output file left behind"
}

@test "a flush that cannot run or does not finish: start succeeds with a warning in the cluster log" {
    save_config
    # postqueue not in PATH (postconf is: validation needs it)
    mkdir -p "$PF_TMP/nopq"
    ln -sf /usr/sbin/postconf "$PF_TMP/nopq/postconf"
    # as under Pacemaker: messages go to HA_LOGFILE (no syslog here)
    PATH=$PF_TMP/nopq:/usr/bin:/bin OCF_RESKEY_crm_feature_set=3.19.0 \
        HA_LOGFACILITY=none HA_LOGFILE=$PF_TMP/ha.log run --separate-stderr "$AGENT" start
    assert_success
    # resource-agents' shape: date, node, AGENT(RESOURCE)[PID]: LEVEL: text
    assert_equal "$(grep -cE '^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [^ ]+ postfix\(mhtest-pf\)\[[0-9]+\]: WARNING: queue flush at start skipped: postqueue not found in PATH; ' "$PF_TMP/ha.log")" 1
    run grep -cE ' postfix\(mhtest-pf\)\[[0-9]+\]: INFO: Postfix started' "$PF_TMP/ha.log"
    assert_output 1
    [ -n "$(pfi_master_pid)" ]
    rm -f "$PF_TMP/ha.log"
    "$AGENT" stop 2>/dev/null

    # A postqueue that never returns stands in for one blocked on a wedged
    # mail system (real Postfix gives no reliable way to wedge it): what is
    # under test is the agent's bound, which must kill it and still start.
    mkdir -p "$PF_TMP/stuckpq"
    ln -sf /usr/sbin/postconf "$PF_TMP/stuckpq/postconf"
    printf '#!/bin/sh\necho $$ >"%s"\nexec sleep 600\n' "$PF_TMP/stuckpq.pid" >"$PF_TMP/stuckpq/postqueue"
    chmod 755 "$PF_TMP/stuckpq/postqueue"
    rm -f "$PF_TMP/stuckpq.pid"
    PATH=$PF_TMP/stuckpq:/usr/bin:/bin OCF_RESKEY_CRM_meta_timeout=8000 \
        run --separate-stderr "$AGENT" start
    assert_success
    assert_equal "$(echo "$stderr" | grep -c 'warning: queue flush at start: postqueue -f did not finish within [0-9]* s and was killed')" 1
    pid=$(cat "$PF_TMP/stuckpq.pid")
    [ ! -d "/proc/$pid" ] || fail "the stuck postqueue $pid still runs"
    [ -n "$(pfi_master_pid)" ]
    run monitor 0
    assert_success

    # The same stuck postqueue in stop's drain: bounded by stop_drain, then
    # Postfix stops (timeout(1) turns a hang into a failure here)
    rm -f "$PF_TMP/stuckpq.pid"
    PATH=$PF_TMP/stuckpq:/usr/bin:/bin OCF_RESKEY_stop_drain=30 OCF_RESKEY_CRM_meta_timeout=90000 \
        run --separate-stderr timeout 90 "$AGENT" stop
    assert_success
    [ -z "$(pfi_master_pid)" ]
    pid=$(cat "$PF_TMP/stuckpq.pid")
    [ ! -d "/proc/$pid" ] || fail "the stuck postqueue $pid of the drain still runs"
}

@test "config_dir naming the default instance (/etc/postfix, /etc/postfix/) is the default instance: accepted, started, stopped" {
    for d in /etc/postfix /etc/postfix/; do
        OCF_RESKEY_config_dir=$d run --separate-stderr "$AGENT" validate-all
        [ "$status" -eq 0 ] || fail "config_dir=$d: validate-all $status: $stderr"
    done
    # the default instance itself, as ocft's postfix cases run it
    # (loopback-only on this machine); nothing else may run it meanwhile
    [ "$(postconf -h inet_interfaces)" = loopback-only ] || skip "the default instance is not loopback-only here"
    q=$(postconf -h queue_directory)
    export OCF_RESOURCE_INSTANCE=mhtest-pf-default
    OCF_RESKEY_config_dir=/etc/postfix run "$AGENT" monitor
    [ "$status" -eq 7 ] || skip "the default Postfix instance is already running here"
    OCF_RESKEY_config_dir=/etc/postfix/ run "$AGENT" start
    st=$status out=$output
    OCF_RESKEY_config_dir=/etc/postfix run "$AGENT" monitor
    mon=$status
    read -r pid <"$q/pid/master.pid" || true
    [ -n "$pid" ] && cwd=$(readlink "/proc/$pid/cwd")
    OCF_RESKEY_config_dir=/etc/postfix/ OCF_RESKEY_CRM_meta_timeout=15000 run "$AGENT" stop
    assert_success
    [ "$st" -eq 0 ] || fail "start: $st: $out"
    assert_equal "$mon" 0
    assert_equal "$cwd" "${q%/}"
    OCF_RESKEY_config_dir=/etc/postfix/ run "$AGENT" monitor
    assert_failure 7
}

@test "relative binary or config_dir (ocft's no_such): 6 at validate-all and start, 7 on a probe" {
    # A relative name is wrong on every node: OCF 1.1's 6 (inherently
    # invalid parameters), not 5 (ocft expects 5; see doc/testing.md)
    for kv in binary=no_such config_dir=no_such; do
        for action in validate-all start; do
            run --separate-stderr env "OCF_RESKEY_${kv%%=*}=${kv#*=}" "$AGENT" "$action"
            [ "$status" -eq 6 ] || fail "$kv $action: status $status, expected 6"
            [[ "$stderr" == *"ocf-exit-reason:${kv%%=*} must be an absolute path, not 'no_such'"* ]] \
                || fail "$kv $action: reason: $stderr"
        done
        run env "OCF_RESKEY_${kv%%=*}=${kv#*=}" OCF_RESKEY_CRM_meta_interval=0 "$AGENT" monitor
        [ "$status" -eq 7 ] || fail "$kv probe: status $status, expected 7"
    done
}

# --- issue 13: stop bounded by construction, under the admin guide's settings
# (doc/admin-guide.md: op stop timeout=90s, stop_drain=30, maillog_file set;
# this suite's instance logs through postlogd to maillog_file, as the
# guide's does).  timeout(1) turns a stop that overruns its op timeout into
# a failure (status 124) instead of a stuck suite.

guide_stop() {
    OCF_RESKEY_stop_drain=30 OCF_RESKEY_CRM_meta_timeout=90000 timeout -k 5 90 "$AGENT" stop
}

# instance_procs - pids (not zombies) whose cwd or root is the instance's
# queue directory, and the master if it still runs
instance_procs() {
    # shellcheck disable=SC3013
    for p in /proc/[0-9]*; do
        if [ "$p/cwd" -ef "$PFI_QUEUE" ] || [ "$p/root" -ef "$PFI_QUEUE" ]; then
            echo "${p#/proc/}"
        fi
    done
    pfi_master_pid || true
}

# stopped PID - wait until PID is in state T (kill -STOP only queues the
# signal: the process stops when it next runs); fails after 10 s
stopped() {
    n=0
    until [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = T ]; do
        [ $n -lt 200 ] || return 1
        sleep 0.05; n=$((n + 1))
    done
}

@test "hung master (SIGSTOP) with postlogd gone, guide's settings: stop returns 0 inside its timeout, nothing of the instance left" {
    "$AGENT" start
    pid=$(pfi_master_pid)
    postlogd=$(ps -o pid= -o comm= --ppid "$pid" | awk '$2 == "postlogd" { print $1 }')
    [ -n "$postlogd" ] || fail "no postlogd under master $pid"
    kill -STOP "$pid"
    stopped "$pid"
    # postlogd exits when idle (max_idle) and only a running master starts it
    # again; end it now.  From then on every postlog (and so every $INFO
    # line of postfix stop/abort) blocks once the socket's queue is full.
    kill -9 "$postlogd"
    blocked=no
    for i in $(seq 1 2000); do
        if ! timeout 2 postlog -c "$PFI_CONF" -p info -t mhtest "fill $i" 2>/dev/null; then
            blocked=yes
            break
        fi
    done
    [ "$blocked" = yes ] || fail "postlog never blocked: the fault is not in place"
    run --separate-stderr guide_stop
    rc=$status
    left=$(instance_procs)
    state=$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null || echo gone)
    # Only now, the results taken: a stop that failed must not leave the
    # master to block teardown's postfix stop in postlog as well.
    kill -9 "-$pid" "$pid" 2>/dev/null || true
    echo "$stderr"
    assert_equal "$rc" 0
    [ -z "$left" ] || fail "left: $left"
    [ "$state" = gone ] || [ "$state" = Z ] || fail "master $pid in state $state"
    echo "$stderr" | grep -q 'stop_drain skipped: master [0-9]* is stopped (state T)'
    run monitor 0
    assert_equal "$status" 7
}

@test "hung qmgr (SIGSTOP of qmgr only), guide's settings: the drain is skipped with a log line, stop returns 0, nothing left" {
    "$AGENT" start
    pid=$(pfi_master_pid)
    qmgr=$(ps -o pid= -o comm= --ppid "$pid" | awk '$2 == "qmgr" { print $1 }')
    [ -n "$qmgr" ] || fail "no qmgr under master $pid"
    kill -STOP "$qmgr"
    stopped "$qmgr"
    # mail waits in incoming: nobody moves it, a drain could only wait
    printf 'Subject: held\n\nheld body\n' | MAIL_CONFIG=$PFI_CONF /usr/sbin/sendmail mhuser1@localhost
    n=0
    until [ -n "$(find "$PFI_QUEUE/incoming" -type f)" ] || [ $n -gt 100 ]; do
        sleep 0.1; n=$((n + 1))
    done
    [ -n "$(find "$PFI_QUEUE/incoming" -type f)" ] || fail "the message did not reach incoming"
    run --separate-stderr guide_stop
    echo "$stderr"
    assert_equal "$status" 0
    echo "$stderr" | grep -q "stop_drain skipped: queue manager $qmgr is stopped (state T)"
    [ -z "$(instance_procs)" ] || fail "left: $(instance_procs)"
    # the message is kept for the next start
    [ -n "$(find "$PFI_QUEUE/incoming" "$PFI_QUEUE/active" -type f)" ]
}

@test "master killed during the drain, guide's settings: the drain ends, stop returns 0, nothing left, the mail stays queued" {
    save_config
    # A relay that takes the connection and never answers: the message
    # sits in the active queue (smtp waits for the banner), so the drain waits.
    lport=$(pfi_free_port)
    python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); time.sleep(600)' "$lport" &
    listener=$!
    postconf -c "$PFI_CONF" -e "default_transport = smtp" "relayhost = [127.0.0.1]:$lport"
    "$AGENT" start
    printf 'Subject: slow\n\nslow body\n' | MAIL_CONFIG=$PFI_CONF /usr/sbin/sendmail mhuser1@remote.example
    n=0
    until [ -n "$(find "$PFI_QUEUE/active" -type f)" ] || [ $n -gt 100 ]; do
        sleep 0.1; n=$((n + 1))
    done
    pid=$(pfi_master_pid)
    guide_stop 2>"$PF_TMP/drain.err" &
    stopper=$!
    n=0
    until grep -q 'stop_drain: waiting' "$PF_TMP/drain.err" || [ $n -gt 300 ]; do
        sleep 0.1; n=$((n + 1))
    done
    grep -q 'stop_drain: waiting' "$PF_TMP/drain.err" || { kill "$listener"; fail "the drain did not begin: $(cat "$PF_TMP/drain.err")"; }
    kill -9 "$pid"
    rc=0
    wait "$stopper" || rc=$?
    kill "$listener" 2>/dev/null || true
    cat "$PF_TMP/drain.err"
    assert_equal "$rc" 0
    grep -q "stop_drain ended: master $pid exited during the drain" "$PF_TMP/drain.err"
    [ -z "$(instance_procs)" ] || fail "left: $(instance_procs)"
    [ -n "$(find "$PFI_QUEUE/deferred" "$PFI_QUEUE/active" "$PFI_QUEUE/incoming" -type f)" ]
    rm -f "$PF_TMP/drain.err"
}

@test "depth-0 monitor: a stopped master (SIGSTOP) has failed (1 with a reason), not running fine" {
    "$AGENT" start
    pid=$(pfi_master_pid)
    kill -STOP "$pid"
    stopped "$pid"
    run --separate-stderr monitor 0
    assert_equal "$status" 1
    echo "$stderr" | grep -q "^ocf-exit-reason:Postfix master $pid is stopped (state T)"
    run guide_stop
    assert_equal "$status" 0
    [ -z "$(instance_procs)" ] || fail "left: $(instance_procs)"
}

@test "read-only queue (its volume remounted read-only), guide's settings: the drain is skipped with a log line, stop returns 0, nothing left" {
    "$AGENT" start
    # the queue made read-only under the running Postfix, as an ext4 error
    # with errors=remount-ro does to the volume that holds it
    mount --bind "$PFI_QUEUE" "$PFI_QUEUE"
    mount -o remount,bind,ro "$PFI_QUEUE"
    run --separate-stderr guide_stop
    rc=$status
    left=$(instance_procs)
    umount "$PFI_QUEUE"
    echo "$stderr"
    assert_equal "$rc" 0
    [ -z "$left" ] || fail "left: $left"
    echo "$stderr" | grep -q "stop_drain skipped: the queue $PFI_QUEUE/active is not writable"
}

@test "depth-0 monitor: a stopped queue manager (SIGSTOP of qmgr) has failed (1 with a reason): mail would be accepted, never delivered" {
    "$AGENT" start
    pid=$(pfi_master_pid)
    qmgr=$(ps -o pid= -o comm= --ppid "$pid" | awk '$2 == "qmgr" { print $1 }')
    [ -n "$qmgr" ] || fail "no qmgr under master $pid"
    run monitor 0
    assert_success
    kill -STOP "$qmgr"
    stopped "$qmgr"
    run --separate-stderr monitor 0
    assert_equal "$status" 1
    assert_equal "$stderr" "ocf-exit-reason:Postfix queue manager $qmgr (master $pid) is stopped (state T): mail is accepted but not delivered"
    run guide_stop
    assert_equal "$status" 0
    [ -z "$(instance_procs)" ] || fail "left: $(instance_procs)"
}

# queue_deferred_mail BODY - a message for mhuser1 held in the deferred
# queue (defer_transports = local), which a drain's postqueue -f delivers
queue_deferred_mail() {
    postconf -c "$PFI_CONF" -e "defer_transports = local"
    postfix -c "$PFI_CONF" reload
    printf 'Subject: held\n\n%s\n' "$1" | MAIL_CONFIG=$PFI_CONF /usr/sbin/sendmail mhuser1@localhost
    n=0
    until grep -q 'status=deferred (deferred transport)' "$PFI_LOG" || [ $n -gt 100 ]; do
        sleep 0.1; n=$((n + 1))
    done
    grep -q 'status=deferred (deferred transport)' "$PFI_LOG"
}

@test "smtpd gone, the depth-10 monitor failed: the recovery's stop skips stop_drain (guide's settings) with a log line, the mail stays queued" {
    save_config
    "$AGENT" start
    queue_deferred_mail "held for the next node"
    postconf -c "$PFI_CONF" -MX "127.0.0.1:$PFI_PORT/inet"
    postfix -c "$PFI_CONF" reload
    sleep 1
    OCF_RESKEY_endpoint=127.0.0.1:$PFI_PORT run monitor 10
    assert_equal "$status" 1
    # the depth-0 monitor runs beside it and still passes (the master
    # lives): it must not clear the depth-10 failure (in the lab it did,
    # and the recovery's stop drained for 30 s)
    OCF_RESKEY_endpoint=127.0.0.1:$PFI_PORT run monitor 0
    assert_success
    run --separate-stderr guide_stop
    echo "$stderr"
    assert_equal "$status" 0
    echo "$stderr" | grep -q 'stop_drain skipped: the last monitor failed (its depth-10 check); mail stays queued for the node that takes over'
    run grep -c 'stop_drain: waiting' <<<"$stderr"
    assert_output 0
    [ -z "$(instance_procs)" ] || fail "left: $(instance_procs)"
    run ! grep -qs "held for the next node" "$PFI_MAIL/mhuser1"
    [ -n "$(find "$PFI_QUEUE/deferred" "$PFI_QUEUE/active" "$PFI_QUEUE/incoming" -type f)" ]
}

@test "a monitor that passes again clears the failure: the next stop drains (guide's settings)" {
    save_config
    "$AGENT" start
    queue_deferred_mail "drained after all"
    cp "$PFI_CONF/master.cf" "$PF_TMP/master.cf.smtpd"
    postconf -c "$PFI_CONF" -MX "127.0.0.1:$PFI_PORT/inet"
    postfix -c "$PFI_CONF" reload
    sleep 1
    OCF_RESKEY_endpoint=127.0.0.1:$PFI_PORT run monitor 10
    assert_equal "$status" 1
    cp "$PF_TMP/master.cf.smtpd" "$PFI_CONF/master.cf"
    postfix -c "$PFI_CONF" reload
    sleep 1
    OCF_RESKEY_endpoint=127.0.0.1:$PFI_PORT run monitor 10
    assert_success
    run --separate-stderr guide_stop
    echo "$stderr"
    assert_equal "$status" 0
    run grep -c 'stop_drain skipped' <<<"$stderr"
    assert_output 0
    grep -q "drained after all" "$PFI_MAIL/mhuser1"
}

@test "no smtpd in master.cf on this node: start fails at once with a reason (Pacemaker moves the service), nothing started" {
    save_config
    postconf -c "$PFI_CONF" -MX "127.0.0.1:$PFI_PORT/inet"
    run --separate-stderr "$AGENT" start
    assert_equal "$status" 1
    assert_equal "$(echo "$stderr" | grep '^ocf-exit-reason:')" \
        "ocf-exit-reason:master.cf in $PFI_CONF has no smtpd or postscreen inet service: this node cannot receive mail (set endpoint if SMTP is served otherwise)"
    run pfi_master_pid
    assert_output ""
    run probe
    assert_equal "$status" 7
}

@test "queue on ext4 after a real file system error (errors=remount-ro: emergency_ro, access(2) still says writable), guide's settings: the drain is skipped, stop returns 0" {
    command -v mkfs.ext4 >/dev/null || fail "mkfs.ext4 missing (make deps installs e2fsprogs)"
    "$AGENT" start
    "$AGENT" stop
    # the queue moved onto a small ext4 volume mounted with the guide's
    # errors=remount-ro, as the spool volume holds it in the guide's stack
    truncate -s 64M "$PF_TMP/q.img"
    mkfs.ext4 -q -F "$PF_TMP/q.img"
    qdev=$(losetup -f --show "$PF_TMP/q.img")
    mkdir -p "$PF_TMP/qmnt"
    mount -o errors=remount-ro "$qdev" "$PF_TMP/qmnt"
    cp -a "$PFI_QUEUE/." "$PF_TMP/qmnt/"
    mount --bind "$PF_TMP/qmnt" "$PFI_QUEUE"
    qcleanup() {
        # lazily: a file system that went emergency_ro can stay busy a
        # moment, and neither mount nor the loop device may outlive the test
        umount -l "$PFI_QUEUE" 2>/dev/null || true
        umount -l "$PF_TMP/qmnt" 2>/dev/null || true
        losetup -d "$qdev" 2>/dev/null || true
        rm -f "$PF_TMP/q.img"
    }
    "$AGENT" start || { qcleanup; fail "start on the ext4 queue failed"; }
    # the ext4 error, the way the kernel raises one
    echo mailha > "/sys/fs/ext4/${qdev#/dev/}/trigger_fs_error"
    n=0
    until ! : 2>/dev/null > "$PFI_QUEUE/pid/.mhtest" || [ $n -gt 50 ]; do
        sleep 0.1; n=$((n + 1))
    done
    writable=no
    [ -w "$PFI_QUEUE/active" ] && writable=yes
    run --separate-stderr guide_stop
    rc=$status
    left=$(instance_procs)
    qcleanup
    echo "$stderr"
    [ "$writable" = yes ] || echo "note: access(2) called the queue read-only on this kernel"
    assert_equal "$rc" 0
    [ -z "$left" ] || fail "left: $left"
    echo "$stderr" | grep -q "stop_drain skipped: the queue $PFI_QUEUE cannot be written"
    run grep -c 'stop_drain: waiting' <<<"$stderr"
    assert_output 0
}

@test "state directory read-only (/run remounted, full): a passing monitor still returns 0, not the shell's 2 from a failed redirection" {
    save_config
    "$AGENT" start
    postconf -c "$PFI_CONF" -MX "127.0.0.1:$PFI_PORT/inet"
    postfix -c "$PFI_CONF" reload
    sleep 1
    OCF_RESKEY_endpoint=127.0.0.1:$PFI_PORT run monitor 10
    assert_equal "$status" 1
    cp "$PF_TMP/pf/master.cf.orig" "$PFI_CONF/master.cf"
    postfix -c "$PFI_CONF" reload
    sleep 1
    # the state is refreshed (master.cf changed) before /run goes read-only
    OCF_RESKEY_endpoint=127.0.0.1:$PFI_PORT run monitor 0
    assert_success
    mount --bind "$MAILHA_RUNDIR" "$MAILHA_RUNDIR"
    mount -o remount,bind,ro "$MAILHA_RUNDIR"
    OCF_RESKEY_endpoint=127.0.0.1:$PFI_PORT run monitor 10
    rc=$status
    umount "$MAILHA_RUNDIR"
    assert_equal "$rc" 0
}

@test "Dovecot's auth service down on this node: start fails at once naming it (Pacemaker moves the service); depth 10 names it when it goes" {
    save_config
    pfi_smtp_auth
    dvi_start
    "$AGENT" start
    run monitor 10
    assert_success
    dvi_stop
    rm -f "$PFI_QUEUE/private/auth"
    run --separate-stderr monitor 10
    assert_equal "$status" 1
    assert_equal "$stderr" "ocf-exit-reason:SASL auth server $PFI_QUEUE/private/auth: nothing listening"
    run guide_stop
    assert_success
    # with the auth service down, smtpd greets no client: start does not
    # wait out its timeout for a 220, it fails with the cause
    run --separate-stderr "$AGENT" start
    assert_equal "$status" 1
    assert_equal "$(echo "$stderr" | grep '^ocf-exit-reason:' | tail -n 1)" \
        "ocf-exit-reason:SASL auth server $PFI_QUEUE/private/auth: nothing listening: smtpd would greet no client on this node (smtpd_sasl_type = dovecot)"
    run pfi_master_pid
    assert_output ""
    # back: start succeeds
    dvi_start
    run "$AGENT" start
    assert_success
}
