#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# lab-lib.sh - shared functions of the mailha cluster lab (sourced).
#
# The lab is N Debian 12 nodes booted with systemd as PID 1 by
# systemd-nspawn, each on an overlay over one rootfs built once with
# debootstrap, joined by a bridge that lives in a network namespace of its
# own (nothing is added to the host's network namespace), with a
# file-backed loop device holding ext4 as the shared spool volume.  Every
# name the lab creates starts with "mhlab": containers mhlab1..N, network
# namespaces mhlab-*, state under /var/lib/mhlab, the loop device's backing
# file /var/lib/mhlab/shared.img.
#
# One lab at a time on a machine, whatever its MHLAB_DIR: the names above
# are the machine's, so every lab user (run.sh, demo.sh, bench-cluster.sh)
# takes the one lock $MHLAB_LOCK.
#
# Safety: the lab only ever signals the nspawn processes whose pids it
# recorded itself (and checks /proc/PID/comm before doing so); everything
# inside a node runs in that node's PID namespace.

: "${MHLAB_NODES:=2}"
: "${MHLAB_DIR:=/var/lib/mhlab}"
: "${MHLAB_CACHE:=/var/cache/mailha-lab}"
: "${MHLAB_LOCK:=/var/lib/mhlab.lock}"
: "${MHLAB_NET:=10.231.0}"            # /24 inside the lab's namespaces only
: "${MHLAB_VIP:=$MHLAB_NET.50}"
: "${MHLAB_CLIENT_IP:=$MHLAB_NET.100}"
: "${MHLAB_PASSWORD:=mhlab-hacluster}"
: "${MHLAB_SPOOL:=/var/spool/mail}"   # mount point of the shared volume
: "${MHLAB_QUEUE:=/var/spool/postfix}" # bound from $MHLAB_SPOOL/.postfix
: "${MHLAB_IMG_MB:=512}"

# Packages of the node rootfs.  python3-cffi-backend is named because
# debootstrap does not resolve the virtual package pcs depends on.
MHLAB_PKGS="systemd systemd-sysv dbus iproute2 pacemaker pacemaker-cli-utils
 corosync pcs resource-agents postfix dovecot-core bsd-mailx s-nail openssl kmod
 procps psmisc e2fsprogs util-linux iputils-ping python3-cffi-backend
 libqb100 libxml2 libcpg4 libcmap4 libquorum5 libcorosync-common4"

lab_log() { echo "lab: $*" >&2; }
lab_die() { echo "lab: $*" >&2; exit 1; }

# lab_mirror - the Debian mirror apt uses on this machine
lab_mirror() {
    _m=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/*$/\1/p' \
        /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
    [ -n "$_m" ] || _m=$(sed -n 's/^deb \(http[^ ]*debian\)\/* bookworm main.*/\1/p' \
        /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null | head -n 1)
    echo "${_m:-http://deb.debian.org/debian}"
}

# lab_guide_apt - the admin guide's apt-get command (section 1, Debian)
lab_guide_apt() {
    guide_cmds packages-deb | grep '^apt-get '
}

# lab_rootfs_path - the cached rootfs for the current package list and the
# guide's apt-get command
lab_rootfs_path() {
    _h=$(echo "$MHLAB_PKGS v3 $(lab_guide_apt)" | tr -s ' \n' '  ' | sha256sum | cut -c1-12)
    echo "$MHLAB_CACHE/rootfs-$_h"
}

# lab_rootfs - build the node rootfs once (debootstrap), reuse it after
# (one builder at a time: labs with other MHLAB_DIRs and the fresh-machine
# stage share the cache, and a second builder must not remove the first
# one's half-made root under it)
lab_rootfs() {
    _root=$(lab_rootfs_path)
    if [ ! -f "$_root/.mhlab-complete" ]; then
        mkdir -p "$MHLAB_CACHE" || return 1
        (
            flock -w 3600 7 || lab_die "another rootfs build holds $MHLAB_CACHE/build.lock"
            lab_rootfs_build "$_root"
        ) 7>"$MHLAB_CACHE/build.lock" || return 1
    fi
    echo "$_root"
}

# lab_rootfs_build ROOT - debootstrap, the guide's apt-get, node settings
# (nothing when a builder that held the lock before made it meanwhile)
lab_rootfs_build() {
    [ -f "$1/.mhlab-complete" ] && return 0
    lab_rm_tree "$1.tmp" || lab_die "cannot remove an earlier half-made $1.tmp"
    _inc=$(echo "$MHLAB_PKGS" | tr -s ' \n' ',,' | sed 's/^,//; s/,$//')
    lab_log "building rootfs $1 (debootstrap, about 2 minutes)"
    if ! debootstrap --variant=minbase --include="$_inc" bookworm "$1.tmp" \
            "$(lab_mirror)" >"$MHLAB_CACHE/debootstrap.log" 2>&1; then
        tail -n 20 "$MHLAB_CACHE/debootstrap.log" >&2
        lab_die "debootstrap failed (log: $MHLAB_CACHE/debootstrap.log)"
    fi
    lab_rootfs_guide_apt "$1.tmp" || lab_die "the guide's apt-get failed in the rootfs"
    lab_rootfs_customize "$1.tmp" || lab_die "customize rootfs failed"
    touch "$1.tmp/.mhlab-complete"
    mv "$1.tmp" "$1"
}

# lab_rm_tree DIR - remove a directory tree a killed debootstrap or chroot
# may have left file systems mounted in (its /proc): unmount them first,
# and never remove through a mount that is still there
lab_rm_tree() {
    [ -e "$1" ] || return 0
    for _m in $(lab_mounts_under "$1" | sort -r); do
        umount "$_m" 2>/dev/null || umount -l "$_m" 2>/dev/null || :
    done
    if [ -n "$(lab_mounts_under "$1")" ]; then
        lab_log "$1 still has mounts in it; not removed"
        return 1
    fi
    rm -rf --one-file-system "$1"
}

# lab_mounts_under DIR - mount points below DIR (none has a blank: the
# lab's and the stage's own names)
lab_mounts_under() {
    awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo
}

# lab_rootfs_guide_apt DIR - the guide's apt-get command, as written, in
# the new rootfs (its package lists fetched first; no service started)
lab_rootfs_guide_apt() {
    _apt=$(lab_guide_apt) || { lab_log "no apt-get command in the guide's packages-deb block"; return 1; }
    printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
    chmod 755 "$1/usr/sbin/policy-rc.d"
    echo "+ [rootfs] $_apt" >>"$MHLAB_CACHE/debootstrap.log"
    if ! chroot "$1" sh -ec "apt-get update -q && DEBIAN_FRONTEND=noninteractive $_apt" \
            </dev/null >>"$MHLAB_CACHE/debootstrap.log" 2>&1; then
        tail -n 20 "$MHLAB_CACHE/debootstrap.log" >&2
        return 1
    fi
    chroot "$1" apt-get clean
    rm -f "$1/usr/sbin/policy-rc.d"
    # which command made this rootfs (lab_node_prepare records the block ran)
    echo "$_apt" >"$1/.mhlab-guide-apt"
}

# lab_rootfs_customize DIR - node settings shared by every node (the
# hacluster password is set by the guide's passwd, postfix disabled by the
# guide's systemctl, in the booted nodes)
lab_rootfs_customize() {
    _r=$1
    # pcsd may hang for a minute on stop (pcs issue #780).
    mkdir -p "$_r/etc/systemd/system/pcsd.service.d"
    printf '[Service]\nTimeoutStopSec=10s\n' \
        > "$_r/etc/systemd/system/pcsd.service.d/mhlab.conf"
    # Nothing in a node may need the outside world.
    for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
             fstrim.timer man-db.timer systemd-timesyncd.service; do
        chroot "$_r" systemctl disable "$u" >/dev/null 2>&1 || :
        chroot "$_r" systemctl mask "$u" >/dev/null 2>&1 || :
    done
    chroot "$_r" systemctl enable pcsd.service >/dev/null 2>&1 || return 1
    # Test mail accounts, same uids on every node (one rootfs).
    for u in alice bob carol dave; do
        chroot "$_r" useradd -m -s /bin/sh "$u" || return 1
    done
    return 0
}

# lab_node_names - mhlab1 .. mhlabN
lab_node_names() {
    _i=1
    while [ "$_i" -le "$MHLAB_NODES" ]; do
        printf 'mhlab%s ' "$_i"
        _i=$((_i + 1))
    done
}

# lab_node_ip NODE - the node's fixed address on the lab network
lab_node_ip() { echo "$MHLAB_NET.1${1#mhlab}"; }

# lab_net_up - bridge namespace, one namespace per node, one for clients
lab_net_up() {
    ip netns add mhlab-net || return 1
    ip -n mhlab-net link set lo up
    ip -n mhlab-net link add mhlab-br0 type bridge || return 1
    ip -n mhlab-net link set mhlab-br0 up
    for _n in $(lab_node_names) client; do
        _ns=mhlab-$_n
        [ "$_n" = client ] && _ns=mhlab-client
        ip netns add "$_ns" || return 1
        ip -n mhlab-net link add "v-$_n" type veth peer name eth0 netns "$_ns" || return 1
        ip -n mhlab-net link set "v-$_n" master mhlab-br0 up
        ip -n "$_ns" link set lo up
        if [ "$_n" = client ]; then
            ip -n "$_ns" addr add "$MHLAB_CLIENT_IP/24" dev eth0
        else
            ip -n "$_ns" addr add "$(lab_node_ip "$_n")/24" dev eth0
        fi
        ip -n "$_ns" link set eth0 up
    done
}

# lab_net_down - remove every lab namespace (their veths and bridge go too)
lab_net_down() {
    for _ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        case $_ns in
        mhlab-*) ip netns del "$_ns" ;;
        esac
    done
}

# lab_loop_dev - the loop device of the shared volume, if attached
lab_loop_dev() {
    [ -f "$MHLAB_DIR/shared.img" ] || return 1
    losetup -j "$MHLAB_DIR/shared.img" -O NAME -n 2>/dev/null | head -n 1
}

# lab_disk_up ROOTFS - file-backed loop device with ext4, spool + queue laid out
lab_disk_up() {
    _img=$MHLAB_DIR/shared.img
    rm -f "$_img"
    truncate -s "${MHLAB_IMG_MB}M" "$_img" || return 1
    mkfs.ext4 -q -F -L mhlab-spool "$_img" || return 1
    _dev=$(losetup --find --show "$_img") || return 1
    echo "$_dev" > "$MHLAB_DIR/loopdev"
    # The file system and its layout: the admin guide's section 3, on the
    # host, with the drbdadm test double (no DRBD kernel module here) and
    # the loop device for /dev/drbd0.  The volume's root is the spool,
    # .postfix the queue the mailspool agent binds onto $MHLAB_QUEUE; their
    # owners and modes are the agents' business at start.
    mkdir -p "$MHLAB_DIR/mnt"
    printf 'resource=mail\nrole=Unknown\ndisk=Diskless\n' >"$MHLAB_DIR/drbd.state"
    (
        PATH=$LAB_HERE/../doubles:$PATH
        MAILHA_DRBD_STATE=$MHLAB_DIR/drbd.state
        export PATH MAILHA_DRBD_STATE
        guide_on_host drbd-init "s| /mnt| $MHLAB_DIR/mnt|g"
    ) >&2 || return 1
    echo "$_dev"
}

# lab_disk_down - detach the loop device and remove its file
lab_disk_down() {
    if mountpoint -q "$MHLAB_DIR/mnt" 2>/dev/null; then
        umount "$MHLAB_DIR/mnt"
    fi
    for _d in $(losetup -j "$MHLAB_DIR/shared.img" -O NAME -n 2>/dev/null); do
        losetup -d "$_d"
    done
    rm -f "$MHLAB_DIR/shared.img"
}

# lab_node_prepare NODE ROOTFS LOOPDEV TOP - overlay + per-node configuration
lab_node_prepare() {
    _d=$MHLAB_DIR/$1
    _r=$_d/root
    mkdir -p "$_d/upper" "$_d/work" "$_r"
    mount -t overlay "overlay-$1" \
        -o "lowerdir=$2,upperdir=$_d/upper,workdir=$_d/work" "$_r" || return 1
    echo "$1" > "$_r/etc/hostname"
    {
        echo "127.0.0.1 localhost"
        for _n in $(lab_node_names); do
            echo "$(lab_node_ip "$_n") $_n"
        done
        echo "$MHLAB_VIP mail.mhlab.test"
    } > "$_r/etc/hosts"
    rm -f "$_r/etc/machine-id"
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$_r/etc/machine-id"
    echo >> "$_r/etc/machine-id"
    # The shared disk: a device node made at boot, not a bind mount.
    _minor=${3#/dev/loop}
    echo "b $3 0660 root disk - 7:$_minor" > "$_r/etc/tmpfiles.d/mhlab-disk.conf"
    # Debian's /var/spool/mail -> ../mail stays as Debian made it, as the
    # admin guide says (section 3, block spool-link): ocf:mailha:mailspool
    # resolves it and mounts the volume on /var/mail.
    # The cluster is set up with pcs; nothing starts it at boot.
    systemctl --root="$_r" disable corosync.service pacemaker.service \
        >/dev/null 2>&1 || :
    rm -f "$_r/etc/corosync/corosync.conf"
    lab_node_postfix "$_r" || return 1
    lab_node_dovecot "$_r" || return 1
    # mailha, installed the way the guide's section 1 says, from the tree
    # in $4 into the node's root (DESTDIR)
    lab_node_install "$1" "$4" || return 1
}

# lab_node_install NODE TOP - the guide's make command (packages-deb) in
# TOP with DESTDIR the node's root; the block counts as run when the node's
# rootfs was made by the guide's apt-get command too
lab_node_install() {
    _mk=$(guide_cmds packages-deb | grep '^make') || { lab_log "no make command in the guide's packages-deb block"; return 1; }
    echo "+ [$1, DESTDIR] $_mk" >&2
    (
        cd "$2" || exit 1
        DESTDIR=$MHLAB_DIR/$1/root
        export DESTDIR
        eval "$_mk"
    ) >>"$MHLAB_DIR/install.log" 2>&1 || { tail -n 20 "$MHLAB_DIR/install.log" >&2; return 1; }
    if [ "$(cat "$MHLAB_DIR/$1/root/.mhlab-guide-apt" 2>/dev/null)" = "$(lab_guide_apt)" ]; then
        guide_ran packages-deb
    fi
}

# lab_source TOP - the mailha tree the nodes get: the committed HEAD,
# exported and built apart (other work in progress in the working tree
# must not break the lab); MHLAB_SRC=worktree installs the working tree.
lab_source() {
    if [ "${MHLAB_SRC:-head}" = worktree ]; then
        echo "$1"
        return 0
    fi
    # A checkout with nothing changed (CI) is HEAD already: no second build.
    if [ -z "$(git -C "$1" status --porcelain -- agents heartbeat helpers Makefile tools 2>/dev/null)" ] &&
            git -C "$1" rev-parse --verify -q HEAD >/dev/null; then
        echo "$1"
        return 0
    fi
    _src=$MHLAB_DIR/src
    rm -rf "$_src"
    mkdir -p "$_src"
    git -C "$1" archive HEAD | tar -xf - -C "$_src" || return 1
    git -C "$1" rev-parse --short HEAD > "$_src/.mhlab-commit"
    make -s -C "$_src" all >"$MHLAB_DIR/build.log" 2>&1 || {
        tail -n 20 "$MHLAB_DIR/build.log" >&2
        return 1
    }
    echo "$_src"
}

# lab_node_postfix ROOT - Postfix with queue and spool on the shared volume
lab_node_postfix() {
    _pc=$1/etc/postfix
    [ -f "$_pc/main.cf" ] || cp "$1/usr/share/postfix/main.cf.debian" "$_pc/main.cf"
    postconf -c "$_pc" -e \
        "myhostname = mail.mhlab.test" \
        "mydomain = mhlab.test" \
        "myorigin = mhlab.test" \
        "mydestination = mhlab.test, mail.mhlab.test, localhost" \
        "inet_interfaces = all" \
        "inet_protocols = ipv4" \
        "mynetworks = 127.0.0.0/8 $MHLAB_NET.0/24" \
        "relayhost =" \
        "default_transport = error:the mhlab lab has no outside world" \
        "smtp_dns_support_level = disabled" \
        "queue_directory = $MHLAB_QUEUE" \
        "mail_spool_directory = $MHLAB_SPOOL" \
        "alias_maps = hash:/etc/aliases" \
        "alias_database = hash:/etc/aliases" \
        "smtpd_sasl_auth_enable = yes" \
        "smtpd_sasl_type = dovecot" \
        "smtpd_sasl_path = inet:127.0.0.1:12345" \
        "smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination" \
        "stale_lock_time = 30s" \
        "maillog_file = /var/log/mail.log" \
        "compatibility_level = 3.6" || return 1
    # stale_lock_time: a node that dies during a local delivery leaves
    # SPOOL/USER.lock on the shared volume; with the default (500 s) the
    # next node defers that user's mail for over 8 minutes.
    # Chrooted daemons would need copies of /etc in the shared queue.
    postconf -c "$_pc" -F '*/*/chroot = n' || return 1
    mkdir -p "$_pc/lists"
    printf 'alice\nbob\ncarol\n' > "$_pc/lists/team"
    cat > "$1/etc/aliases" <<'ALIASES'
postmaster: root
root: dave
team: :include:/etc/postfix/lists/team
ALIASES
    chroot "$1" postalias /etc/aliases
}

# lab_node_dovecot ROOT - Dovecot as the SASL server of Postfix, on loopback
lab_node_dovecot() {
    [ -d "$1/etc/dovecot/conf.d" ] || return 0
    cat > "$1/etc/dovecot/conf.d/99-mhlab.conf" <<'DOVECOT'
# mhlab: Dovecot only as Postfix's SASL server, on 127.0.0.1:12345.
protocols =
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n /etc/dovecot/mhlab.passwd
}
service auth {
  inet_listener {
    address = 127.0.0.1
    port = 12345
  }
}
DOVECOT
    : > "$1/etc/dovecot/mhlab.passwd"
    for _u in alice bob carol dave; do
        echo "$_u:{PLAIN}secret-$_u" >> "$1/etc/dovecot/mhlab.passwd"
    done
    chmod 0640 "$1/etc/dovecot/mhlab.passwd"
    chroot "$1" chgrp dovecot /etc/dovecot/mhlab.passwd
}

# lab_nspawn_pid NODE - pid of the node's systemd-nspawn, if it runs
lab_nspawn_pid() {
    _f=$MHLAB_DIR/$1/nspawn.pid
    [ -f "$_f" ] || return 1
    read -r _p < "$_f" || return 1
    [ -r "/proc/$_p/comm" ] || return 1
    read -r _c < "/proc/$_p/comm" || return 1
    [ "$_c" = systemd-nspawn ] || return 1
    echo "$_p"
}

# lab_leader NODE - host pid of the node's PID 1 (systemd)
lab_leader() {
    _p=$(lab_nspawn_pid "$1") || return 1
    _l=$(cat "/proc/$_p/task/$_p/children" 2>/dev/null)
    _l=${_l%% *}
    [ -n "$_l" ] || return 1
    echo "$_l"
}

# lab_node_boot NODE - boot the node with systemd-nspawn, in its own cgroup
# (fd 8, the lab lock of run.sh, demo.sh and bench-cluster.sh, is closed
# for it: a node left running must not hold the lock)
lab_node_boot() {
    _r=$MHLAB_DIR/$1/root
    # The host's /run is on disk; nspawn must be able to clean its dir.
    mkdir -p /run/systemd/nspawn
    mountpoint -q /run/systemd/nspawn || mount -t tmpfs mhlab-nspawn /run/systemd/nspawn
    for _h in systemd unified; do
        [ -d "/sys/fs/cgroup/$_h" ] && mkdir -p "/sys/fs/cgroup/$_h/machine/$1"
    done
    # shellcheck disable=SC2016  # expanded by the inner shell
    setsid sh -c '
        for h in systemd unified; do
            f=/sys/fs/cgroup/$h/machine/$1/cgroup.procs
            [ -f "$f" ] && echo $$ > "$f"
        done
        exec systemd-nspawn -D "$2" -M "$1" --hostname="$1" --boot \
            --register=no --keep-unit --network-namespace-path="/run/netns/mhlab-$1" \
            --capability=CAP_NET_ADMIN,CAP_IPC_LOCK --console=read-only \
            --link-journal=no --resolv-conf=off --timezone=off' \
        mhlab-boot "$1" "$_r" </dev/null >"$MHLAB_DIR/$1/console.log" 2>&1 8>&- &
    echo $! > "$MHLAB_DIR/$1/nspawn.pid"
}

# lab_node_wait NODE SECONDS - wait until the node's systemd is up
lab_node_wait() {
    _t=$2
    while [ "$_t" -gt 0 ]; do
        _s=$(lab_exec "$1" systemctl is-system-running 2>/dev/null)
        case $_s in
        running|degraded) return 0 ;;
        esac
        sleep 1
        _t=$((_t - 1))
    done
    lab_log "node $1 did not boot (state '$_s'); see $MHLAB_DIR/$1/console.log"
    return 1
}

# lab_exec NODE CMD... - run CMD inside the node (all its namespaces)
lab_exec() {
    _node=$1
    shift
    _l=$(lab_leader "$_node") || { lab_log "node $_node is not running"; return 255; }
    nsenter -t "$_l" -a -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 TERM=dumb "$@"
}

# lab_exec_t SECONDS NODE CMD... - lab_exec with a time limit (exit 124)
lab_exec_t() {
    _secs=$1
    _node=$2
    shift 2
    _l=$(lab_leader "$_node") || { lab_log "node $_node is not running"; return 255; }
    timeout -k 5 "$_secs" nsenter -t "$_l" -a -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

# lab_node_poweroff NODE SECONDS - clean power-off, killed after SECONDS
lab_node_poweroff() {
    _p=$(lab_nspawn_pid "$1") || return 0
    lab_exec "$1" systemctl poweroff --no-block >/dev/null 2>&1 || :
    _t=$(($2 * 5))
    while [ "$_t" -gt 0 ] && [ -d "/proc/$_p" ]; do
        sleep 0.2
        _t=$((_t - 1))
    done
    lab_node_kill "$1"
}

# lab_node_kill NODE - power cut: SIGKILL to the node's PID 1 (which takes
# every process of the node's PID namespace with it), then nspawn exits
lab_node_kill() {
    _p=$(lab_nspawn_pid "$1") || return 0
    _l=$(lab_leader "$1") && kill -KILL "$_l" 2>/dev/null
    _t=50
    while [ "$_t" -gt 0 ] && [ -d "/proc/$_p" ]; do
        sleep 0.2
        _t=$((_t - 1))
    done
    if [ -d "/proc/$_p" ]; then
        kill -KILL "$_p" 2>/dev/null
        sleep 1
    fi
    rm -f "$MHLAB_DIR/$1/nspawn.pid"
}

# lab_crm_mon - crm_mon -1 from the first running node
lab_crm_mon() {
    for _n in $(lab_node_names); do
        if lab_nspawn_pid "$_n" >/dev/null; then
            lab_exec "$_n" crm_mon -1 "$@"
            return $?
        fi
    done
    return 1
}

# lab_wait_online SECONDS NODE... - wait until the named nodes are online
# with a DC and quorum
lab_wait_online() {
    _t=$1
    shift
    _want="Online: \[ $* \]"
    while [ "$_t" -gt 0 ]; do
        _o=$(lab_crm_mon -1 2>/dev/null)
        if echo "$_o" | grep -q "$_want" && echo "$_o" | grep -q "partition with quorum"; then
            return 0
        fi
        sleep 1
        _t=$((_t - 1))
    done
    lab_log "nodes $* not online after $1 s"
    return 1
}

# lab_pcsd_wait NODE SECONDS - wait until pcsd answers in the node
lab_pcsd_wait() {
    _t=$2
    while [ "$_t" -gt 0 ]; do
        _l=$(lab_exec "$1" ss -Hltn 'sport = :2224' 2>/dev/null)
        if [ -n "$_l" ]; then
            return 0
        fi
        sleep 1
        _t=$((_t - 1))
    done
    lab_log "pcsd did not start in $1"
    return 1
}

# lab_cluster_setup - the admin's pcs workflow: auth, setup, start, properties
lab_cluster_setup() {
    _nodes=$(lab_node_names)
    _first=mhlab1
    _spec=""
    for _n in $_nodes; do
        lab_pcsd_wait "$_n" 90 || return 1
        _spec="$_spec $_n addr=$(lab_node_ip "$_n")"
    done
    # The guide's section 11 on the first node: passwd hacluster (on every
    # node: pcs host auth logs in to each), pcs host auth, cluster setup,
    # start, enable.  The password is their standard input.
    printf '%s\n%s\n' "$MHLAB_PASSWORD" "$MHLAB_PASSWORD" >"$MHLAB_DIR/password"
    for _n in $_nodes; do
        [ "$_n" = "$_first" ] && continue
        printf '%s\n%s\n' "$MHLAB_PASSWORD" "$MHLAB_PASSWORD" |
            lab_exec_t 60 "$_n" passwd hacluster >&2 || return 1
    done
    guide_in_node cluster-setup "$_first" "$MHLAB_DIR/password" || return 1
    # shellcheck disable=SC2086
    lab_wait_online 120 $_nodes || return 1
    # Lab only: no fencing device exists here (the admin guide shows one).
    lab_exec_t 240 "$_first" pcs property set stonith-enabled=false dc-deadtime=5s || return 1
    # Services stay where they run when a node comes back (the guide's
    # resource defaults).
    guide_in_node defaults "$_first" || return 1
}

# lab_up TOP - everything from nothing to an online cluster
lab_up() {
    if [ -e "$MHLAB_DIR/up" ]; then
        lab_log "the lab is already up (tests/cluster/lab.sh down first)"
        return 1
    fi
    mkdir -p "$MHLAB_DIR" || return 1
    _root=$(lab_rootfs) || return 1
    echo "$_root" > "$MHLAB_DIR/up"
    lab_net_up || { lab_log "network setup failed"; return 1; }
    rm -f "$MHLAB_DIR/guide-ran"
    _dev=$(lab_disk_up "$_root") || { lab_log "shared disk setup failed"; return 1; }
    _src=$(lab_source "$1") || { lab_log "build of mailha failed"; return 1; }
    echo "$_src" > "$MHLAB_DIR/srcdir"
    for _n in $(lab_node_names); do
        lab_node_prepare "$_n" "$_root" "$_dev" "$_src" || { lab_log "prepare $_n failed"; return 1; }
    done
    for _n in $(lab_node_names); do
        lab_node_boot "$_n"
    done
    for _n in $(lab_node_names); do
        lab_node_wait "$_n" 60 || return 1
    done
    # The guide's sections 1 and 4 in every node: Postfix not started by
    # the init system; the mail accounts, with the same uids everywhere.
    for _n in $(lab_node_names); do
        guide_in_node postfix-disable "$_n" || return 1
        guide_in_node accounts "$_n" || return 1
    done
    guide_on_host uids >"$MHLAB_DIR/guide-uids.out" || return 1
    guide_on_host spool-link >"$MHLAB_DIR/guide-spool-link.out" || return 1
    lab_cluster_setup || { lab_log "cluster setup failed"; return 1; }
    lab_log "up: nodes $(lab_node_names)on $MHLAB_NET.0/24, floating IP $MHLAB_VIP, shared disk $_dev"
}

# lab_traces - true when anything of a lab is left on this machine: a lab
# marked up, a node still running or mounted, a lab network namespace, the
# shared volume attached (what an interrupted up or down leaves behind)
lab_traces() {
    [ -e "$MHLAB_DIR/up" ] && return 0
    for _n in $(lab_node_names); do
        lab_nspawn_pid "$_n" >/dev/null && return 0
        mountpoint -q "$MHLAB_DIR/$_n/root" 2>/dev/null && return 0
    done
    ip netns list 2>/dev/null | grep -q '^mhlab-' && return 0
    [ -n "$(lab_loop_dev 2>/dev/null)" ] && return 0
    return 1
}

# lab_down - tear everything down, also after a failed or partial up
lab_down() {
    _running=""
    for _n in $(lab_node_names); do
        lab_nspawn_pid "$_n" >/dev/null && _running="$_running $_n"
    done
    if [ -n "$_running" ]; then
        # shellcheck disable=SC2086
        set -- $_running
        timeout 60 nsenter -t "$(lab_leader "$1")" -a -- pcs cluster stop --all \
            >/dev/null 2>&1 || :
        for _n in $_running; do
            lab_node_poweroff "$_n" 20 &
        done
        wait
    fi
    for _n in $(lab_node_names); do
        _r=$MHLAB_DIR/$_n/root
        if mountpoint -q "$_r" 2>/dev/null; then
            umount "$_r" 2>/dev/null || umount -l "$_r"
        fi
        for _h in systemd unified; do
            rmdir "/sys/fs/cgroup/$_h/machine/$_n" 2>/dev/null || :
        done
        rm -rf "${MHLAB_DIR:?}/$_n"
    done
    lab_disk_down
    lab_net_down
    rm -rf "$MHLAB_DIR/up" "$MHLAB_DIR/loopdev" "$MHLAB_DIR/src" "$MHLAB_DIR/stack" \
        "${MHLAB_DIR:?}/mnt" "$MHLAB_DIR/drbd.state" "$MHLAB_DIR/password" \
        "$MHLAB_DIR/srcdir" "$MHLAB_DIR"/guide-*
}
