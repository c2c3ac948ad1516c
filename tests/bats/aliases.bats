#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mailha-aliases and ocf:mailha:aliases against a real Postfix instance:
# real postconf, real postalias, real local(8) delivery through mailx.
# One instance for the file (started once); each test writes its own alias
# files and main.cf settings from a saved copy.

load common

AGENT=$REPO/agents/aliases
HELPER=$REPO/build/bin/mailha-aliases
. "$REPO/tests/lib/test-users.sh"

setup_file() {
    common_build mailha-aliases
    . "$REPO/tests/lib/postfix-instance.sh"
    AL_TMP=$(mktemp -d /tmp/mh-aliases.XXXXXX)
    # local(8) opens include files as nobody: the path must be searchable
    chmod 755 "$AL_TMP"
    export AL_TMP
    pfi_create "$AL_TMP/pf"
    for u in mhal1 mhal2 mhal3 mhal4; do tu_user "$u"; done
    cp "$PFI_CONF/main.cf" "$AL_TMP/main.cf.orig"
    pfi_start 3>&-
}

teardown_file() {
    . "$REPO/tests/lib/postfix-instance.sh"
    if [ -n "${AL_TMP:-}" ]; then
        PFI_DIR=$AL_TMP/pf PFI_CONF=$AL_TMP/pf/etc PFI_QUEUE=$AL_TMP/pf/queue pfi_destroy
        rm -rf "$AL_TMP"
    fi
    tu_cleanup
}

setup() {
    . "$REPO/tests/lib/postfix-instance.sh"
    export MAILHA_LIBDIR=$REPO/heartbeat
    export MAILHA_SBINDIR=$REPO/build/bin
    export MAILHA_RUNDIR=$AL_TMP/run
    export OCF_ROOT=/usr/lib/ocf
    export OCF_RESOURCE_INSTANCE=mhtest-aliases
    export OCF_RESKEY_config_dir=$PFI_CONF
    unset OCF_RESKEY_auto_rebuild OCF_CHECK_LEVEL OCF_RESKEY_CRM_meta_interval
    L=$AL_TMP/lists
    mkdir -p "$L"
    cp "$AL_TMP/main.cf.orig" "$PFI_CONF/main.cf"
    two_tables
    write_aliases
}

teardown() {
    pkill -KILL -f "$AL_TMP/postalias-hang" 2>/dev/null || true
    "$AGENT" stop >/dev/null 2>&1 || true
    pkill_reader
    rm -rf "$AL_TMP/lists" "$AL_TMP/big"
    rm -f "$PFI_CONF"/aliases2 "$PFI_CONF"/aliases2.db "$PFI_CONF"/.mailha-* \
        "$PFI_CONF"/aliases.lmdb "$PFI_CONF"/aliases2.lmdb \
        "$PFI_CONF"/aliases.cdb "$PFI_CONF"/aliases2.cdb
    # a test that switched the running instance to other table types
    if [ -f "$AL_TMP/reload" ]; then
        rm -f "$AL_TMP/reload"
        postfix -c "$PFI_CONF" reload >/dev/null 2>&1 || true
    fi
}

# the runbook's layout: two alias files, both in alias_maps and alias_database
two_tables() {
    postconf -c "$PFI_CONF" -e \
        "alias_maps = hash:$PFI_CONF/aliases, hash:$PFI_CONF/aliases2" \
        "alias_database = hash:$PFI_CONF/aliases, hash:$PFI_CONF/aliases2"
}

write_aliases() {
    cat >"$PFI_CONF/aliases" <<EOF
# test aliases
postmaster: root
team: mhal1,
    mhal2
staff: :include:$L/staff
owner-staff: mhal1
staff-request: mhal1
EOF
    printf 'second: mhal3\n' >"$PFI_CONF/aliases2"
    printf '# staff list\nmhal1\nmhal4\n' >"$L/staff"
    chmod 644 "$L/staff"
}

helper() { "$HELPER" -c "$PFI_CONF" "$@"; }

# stderr_has TEXT - the last run's stderr contains TEXT
stderr_has() {
    case $stderr in
        *"$1"*) return 0 ;;
    esac
    echo "stderr does not contain: $1" >&2
    echo "stderr: $stderr" >&2
    return 1
}
probe() { OCF_RESKEY_CRM_meta_interval=0 "$AGENT" monitor; }
monitor() { OCF_CHECK_LEVEL=${1:-0} OCF_RESKEY_CRM_meta_interval=30000 "$AGENT" monitor; }

# send_mail RCPT SUBJECT - through the instance's own sendmail
send_mail() {
    echo "body of $2" | MAIL_CONFIG=$PFI_CONF mailx -s "$2" "$1@localhost"
}

# newer FILE - make FILE's mtime one second later than now
newer() { touch -d "@$(( $(date +%s) + 1 ))" "$1"; }

READER_PID=""
pkill_reader() {
    if [ -n "$READER_PID" ]; then
        kill "$READER_PID" 2>/dev/null || true
        wait "$READER_PID" 2>/dev/null || true
        READER_PID=""
    fi
}

@test "mail to an alias, a second file's alias and an :include: list reaches every member" {
    run helper rebuild
    assert_success
    s=mh-$$-$RANDOM
    send_mail team "$s-team"
    send_mail second "$s-second"
    send_mail staff "$s-staff"
    pfi_wait_mail "$PFI_MAIL/mhal1" "$s-team" 20
    pfi_wait_mail "$PFI_MAIL/mhal2" "$s-team" 20
    pfi_wait_mail "$PFI_MAIL/mhal3" "$s-second" 20
    pfi_wait_mail "$PFI_MAIL/mhal1" "$s-staff" 20
    pfi_wait_mail "$PFI_MAIL/mhal4" "$s-staff" 20
    run grep -c "$s-staff" "$PFI_MAIL/mhal2"
    assert_output 0
}

@test "an include file change is live without a rebuild, and is not called stale" {
    run helper rebuild
    assert_success
    printf 'mhal2\n' >>"$L/staff"
    newer "$L/staff"
    run helper stale
    assert_success
    s=mh-$$-$RANDOM
    send_mail staff "$s-inc"
    pfi_wait_mail "$PFI_MAIL/mhal2" "$s-inc" 20
    pfi_wait_mail "$PFI_MAIL/mhal4" "$s-inc" 20
}

@test "check is clean on a good setup; json and text agree" {
    helper rebuild
    run helper check
    assert_success
    assert_output ""
    run helper --format json check
    assert_success
    assert_output --partial '"errors":0,"warnings":0'
    assert_output --partial '"include_files":1'
}

@test "a stale database is found and rebuilt on start" {
    helper rebuild
    echo 'late: mhal2' >>"$PFI_CONF/aliases"
    newer "$PFI_CONF/aliases"
    run helper stale
    assert_failure 1
    assert_output --partial "older than source file $PFI_CONF/aliases"
    run --separate-stderr "$AGENT" start
    assert_success
    run postalias -q late "hash:$PFI_CONF/aliases"
    assert_output mhal2
    run helper stale
    assert_success
}

@test "a stale database is rebuilt by the depth-0 monitor with auto_rebuild, fails without" {
    run "$AGENT" start
    assert_success
    echo 'mon: mhal3' >>"$PFI_CONF/aliases2"
    newer "$PFI_CONF/aliases2"
    OCF_RESKEY_auto_rebuild=false run --separate-stderr monitor 0
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:database $PFI_CONF/aliases2.db is older than source file $PFI_CONF/aliases2 (auto_rebuild is off)"
    run monitor 0
    assert_success
    run postalias -q mon "hash:$PFI_CONF/aliases2"
    assert_output mhal3
}

@test "a missing database is created by start and by the monitor" {
    rm -f "$PFI_CONF/aliases2.db"
    run "$AGENT" start
    assert_success
    assert_file_exists "$PFI_CONF/aliases2.db"
    rm -f "$PFI_CONF/aliases.db"
    run monitor 0
    assert_success
    assert_file_exists "$PFI_CONF/aliases.db"
    run postalias -q team "hash:$PFI_CONF/aliases"
    assert_output "mhal1, mhal2"
}

@test "a broken line keeps the old database byte for byte and names file:line" {
    helper rebuild
    cp "$PFI_CONF/aliases.db" "$AL_TMP/before.db"
    printf 'good: mhal1\nthis line has no colon\n' >>"$PFI_CONF/aliases"
    newer "$PFI_CONF/aliases"
    run --separate-stderr helper rebuild
    assert_failure 1
    assert_output --partial "$PFI_CONF/aliases:9: error: need name:value pair"
    cmp "$PFI_CONF/aliases.db" "$AL_TMP/before.db"
    run --separate-stderr "$AGENT" start
    assert_failure 1
    assert_equal "${stderr_lines[0]}" "ocf-exit-reason:$PFI_CONF/aliases:9: need name:value pair (no ':' after the alias name)"
    OCF_RESKEY_auto_rebuild=true run --separate-stderr monitor 0
    assert_failure 7
    cmp "$PFI_CONF/aliases.db" "$AL_TMP/before.db"
    # and the agent was not started
    run probe
    assert_failure 7
    run --separate-stderr "$AGENT" validate-all
    assert_failure 1
    stderr_has "ocf-exit-reason:$PFI_CONF/aliases:9:"
    ls "$PFI_CONF"/.mailha-* 2>/dev/null && false
    true
}

@test "alias_maps and alias_database that differ are reported" {
    postconf -c "$PFI_CONF" -e "alias_database = hash:$PFI_CONF/aliases"
    helper rebuild
    run helper check
    assert_failure 1
    assert_output "$PFI_CONF/aliases2: warning: table hash:$PFI_CONF/aliases2 is in alias_maps but not in alias_database: newaliases does not rebuild it"
    postconf -c "$PFI_CONF" -e "alias_maps = hash:$PFI_CONF/aliases" \
        "alias_database = hash:$PFI_CONF/aliases, hash:$PFI_CONF/aliases2"
    run helper check
    assert_failure 1
    assert_output --partial "is in alias_database but not in alias_maps"
}

@test "an include loop, a world-writable include and missing owner-/-request are reported" {
    cat >>"$PFI_CONF/aliases" <<EOF
ring: :include:$L/ring
owner-ring: mhal1
ring-request: mhal1
open: :include:$L/open
EOF
    printf 'mhal2\nring\n' >"$L/ring"
    printf 'mhal3\n' >"$L/open"
    chmod 666 "$L/open"
    helper rebuild
    run helper check
    assert_failure 1
    assert_output --partial "warning: include loop: :include:$L/ring <- ring"
    assert_output --partial "include file $L/open is world-writable"
    assert_output --partial "list \"open\" has no owner-open alias"
    assert_output --partial "list \"open\" has no open-request alias"
    # nested: a -> :include:x -> b -> :include:y -> a
    printf 'a1: :include:%s/x\nb1: :include:%s/y\n' "$L" "$L" >>"$PFI_CONF/aliases2"
    printf 'b1\n' >"$L/x"
    printf 'a1\n' >"$L/y"
    run helper check
    assert_output --partial "include loop: :include:$L/x"
}

@test "include files: missing, or unreadable with the rights local(8) uses, are reported; a root-only list of the root-owned table is read, as local(8) does" {
    {
        printf 'gone: :include:%s/nothere\nowner-gone: mhal1\ngone-request: mhal1\n' "$L"
        printf 'secret: :include:%s/secret\nowner-secret: mhal1\nsecret-request: mhal1\n' "$L"
        printf 'locked: :include:%s/locked\nowner-locked: mhal1\nlocked-request: mhal1\n' "$L"
    } >>"$PFI_CONF/aliases"
    printf 'mhal1\n' >"$L/secret"
    chmod 600 "$L/secret"
    # a list owner's file that its owner cannot read: local(8) opens it
    # with the owner's rights, and bounces
    printf 'mhal2\n' >"$L/locked"
    chown mhal1 "$L/locked"
    chmod 000 "$L/locked"
    helper rebuild
    run helper check
    assert_failure 1
    assert_output --partial "include file $L/nothere: No such file or directory"
    assert_output --partial "include file $L/locked is not readable by delivery user mhal1: Permission denied"
    refute_output --partial "$L/secret"
    # and local(8) agrees on the root-only list: it is delivered
    s=mh-$$-$RANDOM
    send_mail secret "$s-secret"
    pfi_wait_mail "$PFI_MAIL/mhal1" "$s-secret" 20
    rm -f "$L/locked"
}

@test "targets that are neither alias, account nor address; duplicates" {
    printf 'ghost: nosuchuser-mh\nteam: mhal3\nok: mhal1@example.org, "|/bin/true", /tmp/x, team\n' >>"$PFI_CONF/aliases"
    run helper check
    assert_failure 1
    assert_output --partial "$PFI_CONF/aliases:8: warning: destination \"nosuchuser-mh\" is neither an alias, a local account nor an address"
    assert_output --partial "$PFI_CONF/aliases:9: warning: duplicate alias \"team\" (first defined at $PFI_CONF/aliases:3, which wins)"
    refute_output --partial "aliases:10"
}

@test "hostile input: a very long line, NUL bytes, a FIFO, never hangs or crashes" {
    head -c 2000000 /dev/zero | tr '\0' 'a' >"$AL_TMP/long"
    { printf 'long: '; cat "$AL_TMP/long"; printf '\n'; } >>"$PFI_CONF/aliases2"
    printf 'nul: mh\000al1\n' >>"$PFI_CONF/aliases"
    run helper check
    assert_failure 1
    assert_output --partial "$PFI_CONF/aliases2:2: error: entry longer than 1048576 bytes"
    assert_output --partial "$PFI_CONF/aliases:8: error: NUL byte in the entry"
    # an include file that is a FIFO: reported, not read (no hang)
    rm -f "$L/staff"
    mkfifo "$L/staff"
    run timeout 10 "$HELPER" -c "$PFI_CONF" check
    assert_failure 1
    assert_output --partial "include file $L/staff is not a regular file"
    rm -f "$AL_TMP/long"
}

@test "hostile input: a deep include chain is followed to a bound, a long include line is fine" {
    printf 'deep: :include:%s/d0\nowner-deep: mhal1\ndeep-request: mhal1\n' "$L" >>"$PFI_CONF/aliases"
    i=0
    while [ $i -lt 40 ]; do
        printf ':include:%s/d%d\n' "$L" $((i + 1)) >"$L/d$i"
        i=$((i + 1))
    done
    printf 'mhal1\n' >"$L/d40"
    helper rebuild
    run helper check
    assert_failure 1
    assert_output --partial "include files nest deeper than 16"
    { printf 'mhal1'; i=0; while [ $i -lt 2000 ]; do printf ', mhal2'; i=$((i + 1)); done; echo; } >"$L/d0"
    run helper check
    assert_success
}

@test "unreadable alias source: an error, and rebuild leaves the database alone" {
    helper rebuild
    cp "$PFI_CONF/aliases2.db" "$AL_TMP/before2.db"
    rm -f "$PFI_CONF/aliases2"
    mkdir "$PFI_CONF/aliases2"
    run helper check
    assert_failure 1
    assert_output --partial "$PFI_CONF/aliases2: error: read $PFI_CONF/aliases2: not a regular file"
    run --separate-stderr helper --ocf rebuild
    assert_failure 1
    cmp "$PFI_CONF/aliases2.db" "$AL_TMP/before2.db"
    rmdir "$PFI_CONF/aliases2"
}

@test "digest: stable, changes with a source or an include file" {
    run helper digest
    assert_success
    d1=$output
    run helper digest
    assert_equal "$output" "$d1"
    printf 'mhal2\n' >>"$L/staff"
    run helper digest
    assert_success
    refute [ "$output" = "$d1" ]
    write_aliases
    run helper digest
    assert_equal "$output" "$d1"
    echo 'x: mhal1' >>"$PFI_CONF/aliases2"
    run helper digest
    assert_success
    refute [ "$output" = "$d1" ]
    run helper --format json digest
    assert_output --partial "\"path\":\"$L/staff\""
}

@test "digest -v: an include file name with a control byte is escaped, one line per file" {
    esc=$(printf '\033')
    printf 'mhal1\n' >"$L/es${esc}c"
    printf 'esc: :include:%s/es%sc\n' "$L" "$esc" >>"$PFI_CONF/aliases"
    run -0 helper -v digest
    assert_line --regexp "^[0-9a-f]{64} $L/es\\\\x1bc\$"
    refute_output --partial "$esc"
    rm -f "$L/es${esc}c"
    write_aliases
}

@test "a concurrent reader never sees a missing or partial database during rebuilds" {
    mkdir -p "$AL_TMP/big"
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "user%d: mhal1, u%d@example.org\n", i, i;
                 print "zzlast: mhal2" }' >"$PFI_CONF/aliases2"
    helper rebuild
    # reader: query the last and a middle key in a loop, log any miss
    (
        while [ ! -f "$AL_TMP/big/stop" ]; do
            v=$(postalias -q zzlast "hash:$PFI_CONF/aliases2" 2>&1) || echo "miss zzlast: $v"
            [ "$v" = mhal2 ] || echo "wrong zzlast: $v"
            v=$(postalias -q user50000 "hash:$PFI_CONF/aliases2" 2>&1) || echo "miss user50000: $v"
        done >"$AL_TMP/big/reader.log" 2>&1
        echo "done" >>"$AL_TMP/big/reader.log"
    ) 3>&- &
    READER_PID=$!
    n=0
    while [ $n -lt 2 ]; do
        run helper --force rebuild
        assert_success
        n=$((n + 1))
    done
    touch "$AL_TMP/big/stop"
    wait "$READER_PID"
    READER_PID=""
    run cat "$AL_TMP/big/reader.log"
    assert_output "done"
}

@test "OCF: probe before start 7, after start 0, stop idempotent, probe after stop 7" {
    run probe
    assert_failure 7
    run "$AGENT" start
    assert_success
    assert_file_exists "$MAILHA_RUNDIR/mailha-aliases-mhtest-aliases.state"
    run probe
    assert_success
    run monitor 10
    assert_success
    run "$AGENT" stop
    assert_success
    run "$AGENT" stop
    assert_success
    run probe
    assert_failure 7
}

@test "OCF: bad parameters and a node without Postfix or helper give the right codes" {
    OCF_RESKEY_auto_rebuild=maybe run --separate-stderr "$AGENT" validate-all
    assert_failure 6
    assert_equal "$stderr" 'ocf-exit-reason:auto_rebuild must be a boolean, not "maybe"'
    OCF_RESKEY_config_dir=relative/dir run "$AGENT" start
    assert_failure 6
    OCF_RESKEY_config_dir=$AL_TMP/nothere run --separate-stderr "$AGENT" start
    assert_failure 5
    stderr_has "no main.cf in $AL_TMP/nothere"
    MAILHA_SBINDIR=$AL_TMP/nobin run "$AGENT" start
    assert_failure 5
    # a probe on a node where it never started says 7, whatever the parameters
    OCF_RESKEY_auto_rebuild=maybe run probe
    assert_failure 7
    run "$AGENT" frobnicate
    assert_failure 3
    run "$AGENT" meta-data
    assert_success
    assert_output --partial 'depth="10"'
}

@test "CLI: usage errors and --ocf codes" {
    run "$HELPER" frobnicate
    assert_failure 64
    run "$HELPER" --ocf
    assert_failure 2
    run "$HELPER" --format xml check
    assert_failure 64
    MAILHA_POSTALIAS=/nonexistent/postalias run --separate-stderr "$HELPER" -c "$PFI_CONF" --ocf --force rebuild
    assert_failure 5
    stderr_has "/nonexistent/postalias"
    MAILHA_POSTCONF=/nonexistent/postconf run "$HELPER" -c "$PFI_CONF" --ocf check
    assert_failure 5
}

# --- lmdb: and cdb: tables ----------------------------------------------------

# typed_tables TYPE - both alias files as TYPE tables; the running instance
# is reloaded so that local(8) uses them (teardown reloads it back)
typed_tables() {
    postconf -c "$PFI_CONF" -e \
        "alias_maps = $1:$PFI_CONF/aliases, $1:$PFI_CONF/aliases2" \
        "alias_database = $1:$PFI_CONF/aliases, $1:$PFI_CONF/aliases2"
    touch "$AL_TMP/reload"
}

# typed_lifecycle TYPE SUFFIX - check, rebuild, agent start/monitor, stale,
# missing, broken source, delivery, for one table type
typed_lifecycle() {
    t=$1 sfx=$2
    typed_tables "$t"
    rm -f "$PFI_CONF/aliases$sfx" "$PFI_CONF/aliases2$sfx"
    run helper tables
    assert_output "$t $PFI_CONF/aliases $PFI_CONF/aliases$sfx
$t $PFI_CONF/aliases2 $PFI_CONF/aliases2$sfx"
    run helper stale
    assert_failure 1
    assert_output "missing: database $PFI_CONF/aliases$sfx: No such file or directory
missing: database $PFI_CONF/aliases2$sfx: No such file or directory"
    run helper check
    assert_failure 1
    assert_output --partial "$PFI_CONF/aliases$sfx"
    # start creates both databases, with the real postalias of that type
    run --separate-stderr "$AGENT" start
    assert_success
    assert_file_exists "$PFI_CONF/aliases$sfx"
    assert_file_exists "$PFI_CONF/aliases2$sfx"
    run postalias -q team "$t:$PFI_CONF/aliases"
    assert_output "mhal1, mhal2"
    run postalias -q second "$t:$PFI_CONF/aliases2"
    assert_output mhal3
    run helper stale
    assert_success
    run helper check
    assert_success
    assert_output ""
    # stale: found by stat and rebuilt by the depth-0 monitor
    echo 'late: mhal4' >>"$PFI_CONF/aliases2"
    newer "$PFI_CONF/aliases2"
    run helper stale
    assert_failure 1
    assert_output "stale: database $PFI_CONF/aliases2$sfx is older than source file $PFI_CONF/aliases2"
    OCF_RESKEY_auto_rebuild=false run --separate-stderr monitor 0
    assert_failure 1
    assert_equal "$stderr" "ocf-exit-reason:database $PFI_CONF/aliases2$sfx is older than source file $PFI_CONF/aliases2 (auto_rebuild is off)"
    run monitor 0
    assert_success
    run postalias -q late "$t:$PFI_CONF/aliases2"
    assert_output mhal4
    # missing: found and created by the monitor
    rm -f "$PFI_CONF/aliases$sfx"
    run monitor 0
    assert_success
    run postalias -q staff "$t:$PFI_CONF/aliases"
    assert_output ":include:$L/staff"
    # a broken source keeps the database byte for byte, names file:line
    cp "$PFI_CONF/aliases$sfx" "$AL_TMP/before$sfx"
    printf 'no colon here\n' >>"$PFI_CONF/aliases"
    newer "$PFI_CONF/aliases"
    run --separate-stderr monitor 0
    assert_failure 1
    stderr_has "ocf-exit-reason:$PFI_CONF/aliases:8: need name:value pair (no ':' after the alias name) (alias databases left unchanged)"
    cmp "$PFI_CONF/aliases$sfx" "$AL_TMP/before$sfx"
    # nothing left aside (cdb's .tmp, copies, databases)
    run ls -A "$PFI_CONF"
    refute_output --partial .mailha-
    refute_output --partial .tmp
    # delivery through the running instance's local(8) uses the table
    write_aliases
    run helper rebuild
    assert_success
    postfix -c "$PFI_CONF" reload 2>/dev/null
    s=mh-$t-$$-$RANDOM
    send_mail second "$s"
    pfi_wait_mail "$PFI_MAIL/mhal3" "$s" 20
}

@test "lmdb: tables: check, stale and missing found, start/monitor rebuild, broken source kept, delivery" {
    typed_lifecycle lmdb .lmdb
}

@test "cdb: tables: check, stale and missing found, start/monitor rebuild, broken source kept, delivery" {
    typed_lifecycle cdb .cdb
}

# typed_concurrent TYPE SUFFIX - a reader querying a 50k-entry table in a
# loop never misses a key or sees a wrong value while it is rebuilt
typed_concurrent() {
    t=$1 sfx=$2
    typed_tables "$t"
    mkdir -p "$AL_TMP/big"
    awk 'BEGIN { for (i = 0; i < 50000; i++) printf "user%d: mhal1, u%d@example.org\n", i, i;
                 print "zzlast: mhal2" }' >"$PFI_CONF/aliases2"
    run helper rebuild
    assert_success
    ino1=$(stat -c %i "$PFI_CONF/aliases2$sfx")
    # a second name keeps the first database's inode allocated, so a later
    # build cannot be given the same inode number by the filesystem
    ln "$PFI_CONF/aliases2$sfx" "$AL_TMP/big/held$sfx" 2>/dev/null ||
        ln "$PFI_CONF/aliases2$sfx" "$PFI_CONF/.held$sfx"
    (
        n=0
        while [ ! -f "$AL_TMP/big/stop" ]; do
            v=$(postalias -q zzlast "$t:$PFI_CONF/aliases2" 2>&1) || echo "miss zzlast: $v"
            [ "$v" = mhal2 ] || echo "wrong zzlast: $v"
            v=$(postalias -q user25000 "$t:$PFI_CONF/aliases2" 2>&1) || echo "miss user25000: $v"
            [ "$v" = "mhal1, u25000@example.org" ] || echo "wrong user25000: $v"
            n=$((n + 1))
        done
        echo "done $n"
    ) >"$AL_TMP/big/reader.log" 2>&1 3>&- &
    READER_PID=$!
    for n in 1 2 3; do
        run helper --force rebuild
        assert_success
    done
    # the database really was replaced (a new file renamed in each time)
    refute [ "$(stat -c %i "$PFI_CONF/aliases2$sfx")" = "$ino1" ]
    rm -f "$AL_TMP/big/held$sfx" "$PFI_CONF/.held$sfx"
    touch "$AL_TMP/big/stop"
    wait "$READER_PID"
    READER_PID=""
    run cat "$AL_TMP/big/reader.log"
    assert_output --regexp '^done [1-9][0-9]*$'
    run postalias -q user49999 "$t:$PFI_CONF/aliases2"
    assert_output "mhal1, u49999@example.org"
}

@test "lmdb: a concurrent reader never sees a missing or partial database during rebuilds" {
    typed_concurrent lmdb .lmdb
}

@test "cdb: a concurrent reader never sees a missing or partial database during rebuilds" {
    typed_concurrent cdb .cdb
}

# count_ctl TEXT - how many lines of TEXT hold an ESC or a CR byte
count_ctl() {
    printf '%s\n' "$1" | LC_ALL=C grep -c "$(printf '[\033\r]')" || true
}

@test "control bytes and invalid UTF-8 from alias text: escaped in text and exit reasons, valid JSON (issue 15 #12)" {
    # an alias name with ESC and CR (it could rewrite the operator's
    # terminal line), one with a byte that is not UTF-8
    printf 'ev\033[2Kil\r:\nbad\377name:\n' >>"$PFI_CONF/aliases2"
    run --separate-stderr helper check
    assert_failure 1
    # the escapes show what was there (Postfix folds names to lower
    # case; the trailing CR is a blank), and no raw control byte is left
    [[ "$output" == *'alias "ev\x1b[2kil" has no destination'* ]]
    run count_ctl "$output"
    assert_output 0
    run --separate-stderr helper --ocf check
    assert_failure
    [ "$(printf '%s\n' "$stderr" | grep -c '^ocf-exit-reason:')" -eq 1 ]
    [[ "$stderr" == *'ocf-exit-reason:'*'alias "ev\x1b[2kil" has no destination'* ]]
    run count_ctl "$stderr"
    assert_output 0
    # JSON: valid UTF-8 (a strict decoder), the bad byte as U+FFFD
    helper --format json check > "$AL_TMP/report.json" || true
    run python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
msgs = [f["message"] for f in doc["findings"]]
assert any("bad\ufffdname" in m for m in msgs), msgs
assert any("ev\x1b[2kil" in m for m in msgs), msgs
' "$AL_TMP/report.json"
    assert_success
}

@test "list files: read with the rights local(8) uses, never quoted when not world-readable; their errors do not stop rebuild (issue 15 #1 #2)" {
    # a root-only file named in the root-owned table, and a symlink to it:
    # local(8) reads it as root, so it is read, but no line of it quoted
    printf 'password = hunter2\n' >"$L/secret"
    chmod 600 "$L/secret"
    ln -s "$L/secret" "$L/link"
    printf 'sec: :include:%s/secret\nowner-sec: mhal1\nsec-request: mhal1\n' "$L" >>"$PFI_CONF/aliases2"
    printf 'lnk: :include:%s/link\nowner-lnk: mhal1\nlnk-request: mhal1\n' "$L" >>"$PFI_CONF/aliases2"
    # a list owner's file naming another root-only file: read with the
    # owner's rights, which cannot read it (each include path is checked
    # once, with the rights of its first reference)
    printf 'password = hunter3\n' >"$L/secret2"
    chmod 600 "$L/secret2"
    printf 'mhal1\n:include:%s/secret2\n' "$L" >"$L/owned"
    chown mhal1 "$L/owned"
    printf 'own: :include:%s/owned\nowner-own: mhal1\nown-request: mhal1\n' "$L" >>"$PFI_CONF/aliases2"
    run --separate-stderr helper check
    [[ "$output" != *hunter2* ]]
    [[ "$stderr" != *hunter2* ]]
    assert_output --partial "$L/secret:1: warning: a line local(8) cannot use (not shown: the file is not world-readable)"
    [[ "$output" != *hunter3* ]]
    assert_output --partial "include file $L/secret2 is not readable by delivery user mhal1: Permission denied"
    run --separate-stderr helper --ocf check
    [[ "$stderr" != *hunter2* ]]
    rm -f "$L/owned" "$L/secret2"
    # one NUL byte in a list file: a warning; the databases are built
    rm -f "$L/secret" "$L/link"
    printf 'mhal1\nbad\000byte\n' >"$L/staff"
    rm -f "$PFI_CONF/aliases.db" "$PFI_CONF/aliases2.db"
    run --separate-stderr helper rebuild
    assert_success
    assert_file_exists "$PFI_CONF/aliases.db"
    assert_file_exists "$PFI_CONF/aliases2.db"
    run --separate-stderr helper check
    assert_output --partial "$L/staff:2: warning: NUL byte in the line (in a list file: mail to the list bounces; the alias database is not affected)"
    run --separate-stderr helper --ocf check
    [[ "$stderr" != *"ocf-exit-reason:"*"$L/staff"* ]]
}

# issue 13: the helper is bounded by the action's timeout.  The guide's
# stack keeps the meta-data's timeouts: the depth-0 monitor's is 60 s, and
# timeout(1) ends the agent there, as Pacemaker would (a hang is 124).
@test "a rebuild that hangs (postalias never returns): the monitor fails inside its 60 s timeout with a reason, the old database intact, nothing left running" {
    run "$AGENT" start
    assert_success
    cp "$PFI_CONF/aliases2.db" "$AL_TMP/aliases2.db.before"
    echo 'mon: mhal3' >>"$PFI_CONF/aliases2"
    newer "$PFI_CONF/aliases2"
    cat >"$AL_TMP/postalias-hang" <<EOF
#!/bin/sh
exec >/dev/null 2>&1
echo \$\$ >'$AL_TMP/postalias.pid'
trap '' TERM
while :; do sleep 1; done
EOF
    chmod 755 "$AL_TMP/postalias-hang"
    rm -f "$AL_TMP/postalias.pid"
    MAILHA_POSTALIAS=$AL_TMP/postalias-hang OCF_RESKEY_CRM_meta_interval=30000 \
        OCF_RESKEY_CRM_meta_timeout=60000 run --separate-stderr timeout -k 1 60 "$AGENT" monitor
    assert_failure 1
    stderr_has "ocf-exit-reason:mailha-aliases -q rebuild did not finish inside the monitor's 60 s timeout and was killed; the alias databases are as they were"
    [ -s "$AL_TMP/postalias.pid" ]
    # killed with the helper's process group: gone, or a zombie until its
    # new parent reaps it
    pid=$(cat "$AL_TMP/postalias.pid")
    n=0
    while [ -e "/proc/$pid" ] && [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ] && [ $n -lt 20 ]; do
        sleep 0.1; n=$((n + 1))
    done
    run awk '{ print $3 }' "/proc/$pid/stat"
    [ "$status" -ne 0 ] || assert_output Z
    cmp "$AL_TMP/aliases2.db.before" "$PFI_CONF/aliases2.db"
    run postalias -q second "hash:$PFI_CONF/aliases2"
    assert_output mhal3
    # with a postalias that works, the next monitor rebuilds
    run monitor 0
    assert_success
    run postalias -q mon "hash:$PFI_CONF/aliases2"
    assert_output mhal3
}
