#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guide-sandbox.sh - run the admin guide's commands on a sandboxed "node".
#
#   sh tools/guide-sandbox.sh GUIDE.md WORKDIR
#
# The sandbox is one set of namespaces (mount, UTS, network) that looks to
# the guide's commands like a freshly installed mail node called node1:
#   /etc                  a private copy of this machine's /etc (useradd,
#                         chpasswd, /etc/aliases, /etc/drbd.d ... edit it)
#   /etc/postfix          the copy's Postfix config, made a loopback-only
#                         instance that delivers locally and relays nowhere
#   /var/spool/postfix, /var/lib/postfix, /var/mail, /var/log   empty, private
#   /usr/lib/ocf          this machine's agents plus mailha's, installed from
#                         this tree (make install DESTDIR=...)
#   /usr/local/sbin, /usr/local/share/man   mailha's helpers and man pages
#   network               its own loopback only; nothing reaches outside
# Nothing the guide does there touches the machine's own configuration,
# users, mail or daemons.  {backup} blocks (the backup MX host of section
# 8) run on a second sandbox host, "backup", set up the same way (its own
# /etc copy, queue, log and loopback, no mailha) with its Postfix running,
# as on a mail host that is in service.
#
# Blocks (see tools/guide-blocks.sh) run in guide order: {file=PATH} blocks
# are written to PATH, {test} blocks run with sh -e, {pcs} blocks run with
# sh -e where `pcs` means `pcs -f CIB` on a scratch CIB (cibadmin --empty),
# {cluster} blocks (real multi-node cluster or real DRBD only) are checked
# with sh -n.  Finally the scratch CIB the {pcs} blocks built must pass
# crm_verify.  Output is TAP; exit 0 when every line is ok.  Everything
# started in the sandbox is killed and WORKDIR removed at the end, also on
# failure, unless MAILHA_GUIDE_KEEP=1.
#
# SC2317: cleanup and sb_procs run from the EXIT trap; SC2016: the single-
# quoted scripts are meant for the sandbox's shell, unexpanded here.
# shellcheck disable=SC2317,SC2016
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
guide=${1:?usage: guide-sandbox.sh GUIDE.md WORKDIR}
w=${2:?usage: guide-sandbox.sh GUIDE.md WORKDIR}
guide=$(cd "$(dirname "$guide")" && pwd)/$(basename "$guide")
mkdir -p "$w"
w=$(cd "$w" && pwd)
sbpid=""
bkpid=""

# sb_procs [PID] - pids of the processes living in the mount namespace of
# PID (default: the node1 sandbox)
sb_procs() {
    _ns=$(readlink "/proc/${1:-$sbpid}/ns/mnt" 2>/dev/null) || return 0
    for _p in /proc/[0-9]*; do
        [ "$(readlink "$_p/ns/mnt" 2>/dev/null)" = "$_ns" ] && echo "${_p#/proc/}"
    done
    return 0
}

# cleanup - end the sandbox (every process in it), remove WORKDIR
cleanup() {
    for _sp in $sbpid $bkpid; do
        [ -d "/proc/$_sp" ] || continue
        for _try in 1 2 3 4 5; do
            _pids=$(sb_procs "$_sp")
            [ -n "$_pids" ] || break
            # shellcheck disable=SC2086
            kill -9 $_pids 2>/dev/null
            sleep 0.2
        done
    done
    if [ "${MAILHA_GUIDE_KEEP:-0}" != 1 ]; then
        rm -rf "$w"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# sb_exec CMD... - run CMD in the sandbox as root with a clean environment
sb_exec() {
    sb_exec_in "$sbpid" "$@"
}

# sb_exec_in PID CMD... - run CMD in the sandbox host whose first process is PID
sb_exec_in() {
    _in=$1
    shift
    nsenter -t "$_in" -m -u -n -- env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM=dumb MANPAGER=cat PAGER=cat \
        MAILHA_GUIDE_CIB="$w/cib.xml" "$@"
}

n=0
# tap OK|FAIL TEXT - one TAP line
tap() {
    n=$((n + 1))
    if [ "$1" = OK ]; then
        echo "ok $n $2"
    else
        echo "not ok $n $2"
        failed=1
    fi
}
failed=0

# --- the blocks --------------------------------------------------------------
if ! sh "$top/tools/guide-blocks.sh" "$guide" "$w/blocks" >"$w/blocks.list" 2>"$w/blocks.err"; then
    echo "1..1"
    echo "not ok 1 extract the guide's blocks"
    sed 's/^/# /' "$w/blocks.err"
    exit 1
fi

# --- the sandbox's file system -----------------------------------------------
setup() {
    make -s -C "$top" install DESTDIR="$w/inst" prefix=/usr sbindir=/usr/local/sbin \
        mandir=/usr/local/share/man >"$w/install.log" 2>&1 || return 1
    mkdir -p "$w/ocf" && cp -a /usr/lib/ocf/. "$w/ocf/" &&
        cp -a "$w/inst/usr/lib/ocf/." "$w/ocf/" || return 1
    mkdir -p "$w/man" "$w/sbin"
    cp -a "$w/inst/usr/local/sbin/." "$w/sbin/" &&
        cp -a "$w/inst/usr/local/share/man/." "$w/man/" || return 1
    cibadmin --empty >"$w/cib.xml" || return 1
    sb_host "$w" node1 || return 1
    sbpid=$newpid
}

# sb_host DIR NAME - set up a sandbox host NAME in DIR and start its first
# process (its pid in newpid); mailha's files are bound in when DIR has them
sb_host() {
    _d=$1
    cp -a /etc "$_d/etc" || return 1
    mkdir -p "$_d/spool-postfix" "$_d/lib-postfix" "$_d/mail" "$_d/log"
    chown postfix:postfix "$_d/lib-postfix"
    chown root:mail "$_d/mail" && chmod 2775 "$_d/mail"
    # A fresh node's Postfix, loopback only: local delivery, no relaying,
    # no DNS, its log in a file (no syslog here), no chroot (the private
    # queue is not set up as a jail).
    pc="$_d/etc/postfix"
    postconf -c "$pc" -e "alternate_config_directories =" "multi_instance_directories =" \
        "inet_interfaces = loopback-only" "inet_protocols = ipv4" \
        "maillog_file = /var/log/mail.log" "smtp_dns_support_level = disabled" \
        "default_transport = error" "relay_transport = error" \
        "myhostname = $2.localdomain" "mydestination = \$myhostname, localhost" \
        "alias_maps = hash:/etc/aliases" "alias_database = hash:/etc/aliases" \
        "queue_directory = /var/spool/postfix" "data_directory = /var/lib/postfix" \
        "mail_spool_directory = /var/mail" || return 1
    postconf -c "$pc" -F '*/*/chroot = n' || return 1
    printf 'postmaster: root\n' >"$_d/etc/aliases"
    {
        echo '#!/bin/sh'
        echo '# The sandbox host'"'"'s first process: private mounts, then wait to be killed.'
        echo "hostname $2"
        echo 'ip link set lo up'
        echo "mount --bind $_d/etc /etc"
        echo "mount --bind $_d/spool-postfix /var/spool/postfix"
        echo "mount --bind $_d/lib-postfix /var/lib/postfix"
        echo "mount --bind $_d/mail /var/mail"
        echo "mount --bind $_d/log /var/log"
        if [ -d "$_d/ocf" ]; then
            echo "mount --bind $_d/ocf /usr/lib/ocf"
            echo "mount --bind $_d/sbin /usr/local/sbin"
            echo 'mkdir -p /usr/local/share/man'
            echo "mount --bind $_d/man /usr/local/share/man"
        fi
        echo 'mount -t tmpfs tmpfs /run'
        echo 'mkdir -p /run/lock /run/dovecot /run/resource-agents'
        echo "touch $_d/ready"
        echo 'exec sleep 86400'
    } >"$_d/init.sh"
    unshare --mount --uts --net --propagation private sh "$_d/init.sh" \
        </dev/null >"$_d/init.log" 2>&1 3>&- &
    newpid=$!
    _i=0
    while [ ! -f "$_d/ready" ]; do
        _i=$((_i + 1))
        [ -d "/proc/$newpid" ] && [ $_i -lt 100 ] || return 1
        sleep 0.1
    done
    return 0
}

# backup_host - the backup MX sandbox host, once, with its Postfix running
backup_host() {
    [ -n "$bkpid" ] && return 0
    mkdir -p "$w/backup"
    sb_host "$w/backup" backup || return 1
    bkpid=$newpid
    sb_exec_in "$bkpid" postfix start
}

nblocks=$(wc -l <"$w/blocks.list")
echo "1..$((nblocks + 2))"
if setup; then
    tap OK "sandbox node1 set up"
else
    tap FAIL "sandbox node1 set up"
    sed 's/^/# /' "$w/install.log" "$w/init.log" 2>/dev/null
    exit 1
fi

while read -r num tag line path; do
    b=$w/blocks/$num
    case $tag in
    file)
        what="{file=$path} (guide line $line)"
        sb_exec sh -c 'mkdir -p "$(dirname "$1")" && cat >"$1"' sh "$path" \
            <"$b.file" >"$w/out" 2>&1 ;;
    test)
        what="{test} block (guide line $line)"
        sb_exec sh -e "$b.sh" >"$w/out" 2>&1 ;;
    pcs)
        what="{pcs} block on the scratch CIB (guide line $line)"
        { echo 'pcs() { command pcs -f "$MAILHA_GUIDE_CIB" "$@"; }'; cat "$b.sh"; } >"$b.run"
        sb_exec sh -e "$b.run" >"$w/out" 2>&1 ;;
    cluster)
        what="{cluster} block, syntax only here; the cluster lab runs it (guide line $line)"
        sh -n "$b.sh" >"$w/out" 2>&1 ;;
    backup)
        what="{backup} block on the sandbox backup MX host (guide line $line)"
        if backup_host >"$w/out" 2>&1; then
            sb_exec_in "$bkpid" sh -e "$b.sh" >"$w/out" 2>&1
        else
            sed 's/^/# /' "$w/backup/init.log" 2>/dev/null
            false
        fi ;;
    esac
    rc=$?
    if [ $rc -eq 0 ]; then
        tap OK "$what"
    else
        tap FAIL "$what: exit $rc"
        sed 's/^/#   | /' "$b".*
        sed 's/^/# /' "$w/out"
    fi
    [ "${MAILHA_GUIDE_VERBOSE:-0}" = 1 ] && sed 's/^/#   > /' "$w/out"
done <"$w/blocks.list"

if sb_exec crm_verify -V -x "$w/cib.xml" >"$w/out" 2>&1; then
    tap OK "crm_verify accepts the CIB the guide's pcs blocks built"
else
    tap FAIL "crm_verify accepts the CIB the guide's pcs blocks built"
    sed 's/^/# /' "$w/out"
fi
exit "$failed"
