#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# postfix-instance.sh - private, real Postfix (and Dovecot SASL) instances
# for tests.
#
# Each instance has its own config dir, queue, data dir, mail spool, log
# and SMTP port on 127.0.0.1, so test files can run side by side and never
# touch the machine's default instance beyond listing the config dir in its
# alternate_config_directories (postfix -c requires that; done under a lock,
# undone on destroy).
#
#   pfi_create DIR        set PFI_* and write main.cf/master.cf (not started)
#   pfi_start / pfi_stop  start, and stop hard (stop, abort, kill by pid)
#   pfi_destroy           stop, unregister, remove DIR
#   pfi_wait_mail FILE PATTERN [SECONDS]  wait for PATTERN in a mailbox
#   dvi_start             Dovecot auth only, socket at $PFI_QUEUE/private/auth
#   dvi_stop
# Source it (bats: `load ../lib/postfix-instance.sh`).

PFI_LOCK=/run/lock/mailha-test-postfix.lock

# pfi_free_port - print a TCP port nobody listens on
pfi_free_port() {
    _p=$(( ( $$ * 7 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') ) % 20000 + 20000 ))
    while ss -Htln "sport = :$_p" | grep -q .; do
        _p=$((_p + 1))
    done
    echo "$_p"
}

# pfi_register DIR / pfi_unregister DIR - edit alternate_config_directories
pfi_register() {
    (
        flock 8
        _cur=$(postconf -h alternate_config_directories)
        case " $_cur " in
            *" $1 "*) ;;
            *) postconf -e "alternate_config_directories = ${_cur:+$_cur }$1" ;;
        esac
    ) 8>"$PFI_LOCK"
}

pfi_unregister() {
    (
        flock 8
        _new=""
        for _d in $(postconf -h alternate_config_directories | tr ',' ' '); do
            [ "$_d" = "$1" ] || _new="${_new:+$_new }$_d"
        done
        postconf -e "alternate_config_directories = $_new"
    ) 8>"$PFI_LOCK"
}

pfi_create() {
    PFI_DIR=$1
    PFI_CONF=$PFI_DIR/etc
    PFI_QUEUE=$PFI_DIR/queue
    PFI_DATA=$PFI_DIR/data
    PFI_MAIL=$PFI_DIR/mail
    PFI_LOG=$PFI_DIR/postfix.log
    PFI_PORT=${PFI_PORT:-$(pfi_free_port)}
    export PFI_DIR PFI_CONF PFI_QUEUE PFI_DATA PFI_MAIL PFI_LOG PFI_PORT
    mkdir -p "$PFI_CONF" "$PFI_QUEUE" "$PFI_DATA" "$PFI_MAIL"
    # Postfix daemons run as postfix: every directory above the queue must
    # be searchable by them (mktemp -d makes 0700 ones).
    chmod 755 "$PFI_DIR" "$(dirname "$PFI_DIR")"
    chown postfix "$PFI_DATA"
    chown root:mail "$PFI_MAIL"
    chmod 2775 "$PFI_MAIL"
    cp /etc/postfix/master.cf "$PFI_CONF/master.cf"
    : > "$PFI_CONF/aliases"
    cat > "$PFI_CONF/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PFI_QUEUE
data_directory = $PFI_DATA
mail_spool_directory = $PFI_MAIL
maillog_file = $PFI_LOG
maillog_file_prefixes = $PFI_DIR
myhostname = mailha-test.localdomain
mydomain = localdomain
myorigin = \$myhostname
mydestination = \$myhostname, localhost.localdomain, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtp_dns_support_level = disabled
default_transport = error
relay_transport = error
alias_maps = hash:$PFI_CONF/aliases
alias_database = hash:$PFI_CONF/aliases
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
biff = no
EOF
    # No chroot: the queue is a scratch directory, not set up as a jail.
    postconf -c "$PFI_CONF" -F '*/*/chroot = n'
    postconf -c "$PFI_CONF" -MX smtp/inet
    postconf -c "$PFI_CONF" -M "127.0.0.1:$PFI_PORT/inet=127.0.0.1:$PFI_PORT inet n - n - - smtpd"
    postalias -c "$PFI_CONF" "$PFI_CONF/aliases"
    pfi_register "$PFI_CONF"
}

pfi_start() {
    postfix -c "$PFI_CONF" start >/dev/null 2>&1 || postfix -c "$PFI_CONF" start
    _i=0
    while ! ss -Htln "sport = :$PFI_PORT" | grep -q .; do
        _i=$((_i + 1))
        [ $_i -gt 100 ] && { echo "postfix on port $PFI_PORT did not listen" >&2; return 1; }
        sleep 0.1
    done
}

# pfi_master_pid - the running master's pid, or nothing
pfi_master_pid() {
    _pf=$PFI_QUEUE/pid/master.pid
    [ -r "$_pf" ] || return 1
    _pid=$(tr -d ' \n' < "$_pf")
    # A zombie is dead (here orphans are reaped late, if at all).
    [ -n "$_pid" ] && [ -d "/proc/$_pid" ] && [ "$(cat "/proc/$_pid/comm" 2>/dev/null)" = master ] \
        && [ "$(cut -d' ' -f3 "/proc/$_pid/stat" 2>/dev/null)" != Z ] && echo "$_pid"
}

pfi_stop() {
    [ -n "${PFI_CONF:-}" ] || return 0
    postfix -c "$PFI_CONF" stop >/dev/null 2>&1
    _i=0
    while pfi_master_pid >/dev/null && [ $_i -lt 50 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    if _pid=$(pfi_master_pid); then
        postfix -c "$PFI_CONF" abort >/dev/null 2>&1
        sleep 0.5
        _pid=$(pfi_master_pid) && kill -9 "$_pid" 2>/dev/null
    fi
    # Children of a SIGKILLed master are left behind: end those that
    # belong to this instance (their cwd is its queue directory).
    # (-ef compares device and inode, no fork per process; not in POSIX,
    # but in every shell that runs this: dash, bash, busybox sh)
    # shellcheck disable=SC3013
    for _p in /proc/[0-9]*; do
        if [ "$_p/cwd" -ef "$PFI_QUEUE" ] || [ "$_p/root" -ef "$PFI_QUEUE" ]; then
            kill -9 "${_p#/proc/}" 2>/dev/null
        fi
    done
    return 0
}

pfi_destroy() {
    [ -n "${PFI_DIR:-}" ] || return 0
    dvi_stop
    pfi_stop
    pfi_unregister "$PFI_CONF"
    rm -rf "$PFI_DIR"
}

# pfi_wait_mail FILE PATTERN [SECONDS] - true once PATTERN is in FILE
pfi_wait_mail() {
    _n=$(( ${3:-10} * 10 ))
    while [ "$_n" -gt 0 ]; do
        grep -qs -- "$2" "$1" && return 0
        sleep 0.1
        _n=$((_n - 1))
    done
    return 1
}

# pfi_smtp_auth - enable Dovecot SASL in the instance (main.cf only)
pfi_smtp_auth() {
    postconf -c "$PFI_CONF" -e smtpd_sasl_auth_enable=yes smtpd_sasl_type=dovecot \
        smtpd_sasl_path=private/auth \
        "smtpd_relay_restrictions=permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination" \
        "smtpd_recipient_restrictions=permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination"
}

dvi_start() {
    DVI_DIR=$PFI_DIR/dovecot
    mkdir -p "$DVI_DIR/run"
    # private/ as Postfix makes it: created by root it stops postfix start.
    [ -d "$PFI_QUEUE/private" ] || install -d -o postfix -g root -m 0700 "$PFI_QUEUE/private"
    if [ ! -f "$DVI_DIR/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mailha-test \
            -keyout "$DVI_DIR/key.pem" -out "$DVI_DIR/cert.pem" >/dev/null 2>&1
    fi
    echo "probe:{PLAIN}secret" > "$DVI_DIR/passwd"
    cat > "$DVI_DIR/dovecot.conf" <<EOF
protocols =
base_dir = $DVI_DIR/run
log_path = $DVI_DIR/dovecot.log
ssl = no
ssl_cert = <$DVI_DIR/cert.pem
ssl_key = <$DVI_DIR/key.pem
auth_mechanisms = plain login
auth_failure_delay = 0
disable_plaintext_auth = no
passdb {
  driver = passwd-file
  args = $DVI_DIR/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
service auth {
  unix_listener $PFI_QUEUE/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
    dovecot -c "$DVI_DIR/dovecot.conf"
    _i=0
    while [ ! -S "$PFI_QUEUE/private/auth" ]; do
        _i=$((_i + 1))
        [ $_i -gt 100 ] && { echo "dovecot auth socket did not appear" >&2; return 1; }
        sleep 0.1
    done
}

dvi_stop() {
    [ -n "${DVI_DIR:-}" ] && [ -f "$DVI_DIR/dovecot.conf" ] || return 0
    doveadm -c "$DVI_DIR/dovecot.conf" stop >/dev/null 2>&1
    if [ -r "$DVI_DIR/run/master.pid" ]; then
        _pid=$(cat "$DVI_DIR/run/master.pid")
        kill -9 "$_pid" 2>/dev/null
    fi
    return 0
}
