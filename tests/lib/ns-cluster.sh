#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ns-cluster.sh - a light multi-node corosync lab on one machine, for tests.
#
# Each node is a network namespace (a veth into a bridge that lives in a
# private "switch" namespace: nothing is added to the host's network) and,
# inside it, its own mount, UTS, IPC and PID namespaces under tini.  A node
# has private /run, /dev/shm, /etc/corosync, /var/lib/corosync, /var/log,
# and its own copies of /etc/postfix, /etc/passwd, /etc/group and
# /etc/aliases bind-mounted over the real paths, so programs in a node read
# the usual paths and see that node's configuration.  Addresses are
# 10.213.0.N/24, reachable only between the namespaces.  Corosync (knet)
# runs in every node; Pacemaker does not (use tests/lib/pcmk-node.sh).
#
#   nsc_start DIR N         boot N nodes (node1..nodeN) and wait for a
#                           corosync membership of N
#   nsc_exec I CMD...       run CMD inside node I
#   nsc_bg I LOG CMD...     start CMD in the background inside node I
#   nsc_root I              node I's private root for its copies (files
#                           under it: etc-postfix/, passwd, group, aliases)
#   nsc_corosync_stop I / nsc_corosync_start I
#   nsc_link I down|up      cut or restore node I's network
#   nsc_members I           corosync's member count seen from node I
#   nsc_stop                end every node and remove what nsc_start made
#
# Needs: iproute2, util-linux (unshare, nsenter), tini, corosync.

NSC_NET=10.213.0

# nsc_start DIR N
nsc_start() {
    NSC_DIR=$1
    NSC_N=$2
    NSC_TAG=mh$$
    NSC_SW=${NSC_TAG}sw
    export NSC_DIR NSC_N NSC_TAG NSC_SW
    mkdir -p "$NSC_DIR"
    ip netns add "$NSC_SW" || return 1
    ip -n "$NSC_SW" link add br0 type bridge
    ip -n "$NSC_SW" link set br0 up
    ip -n "$NSC_SW" link set lo up

    _nodes=""
    _i=1
    while [ "$_i" -le "$NSC_N" ]; do
        _nodes="$_nodes
    node {
        ring0_addr: $NSC_NET.$_i
        name: node$_i
        nodeid: $_i
    }"
        _i=$((_i + 1))
    done
    _two=""
    [ "$NSC_N" -eq 2 ] && _two="two_node: 1"

    _i=1
    while [ "$_i" -le "$NSC_N" ]; do
        _r=$NSC_DIR/node$_i
        mkdir -p "$_r/etc-corosync" "$_r/lib-corosync" "$_r/log/cluster" "$_r/etc-postfix"
        cp -a /etc/postfix/. "$_r/etc-postfix/"
        cp /etc/passwd "$_r/passwd"
        cp /etc/group "$_r/group"
        cp /etc/aliases "$_r/aliases" 2>/dev/null || : > "$_r/aliases"
        cat > "$_r/etc-corosync/corosync.conf" <<CONF
totem {
    version: 2
    cluster_name: mhdrift
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: 1000
}
nodelist {$_nodes
}
quorum {
    provider: corosync_votequorum
    $_two
}
logging {
    to_logfile: yes
    logfile: /var/log/cluster/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: on
}
CONF
        ip netns add "${NSC_TAG}n$_i"
        ip -n "$NSC_SW" link add "s$_i" type veth peer name eth0 netns "${NSC_TAG}n$_i"
        ip -n "$NSC_SW" link set "s$_i" master br0
        ip -n "$NSC_SW" link set "s$_i" up
        cat > "$_r/init.sh" <<INIT
#!/bin/sh
# node$_i: private mounts and network, then corosync; then wait.
hostname node$_i
ip link set lo up
ip addr add $NSC_NET.$_i/24 dev eth0
ip link set eth0 up
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir -p /run/lock /run/mailha
mount --bind $_r/lib-corosync /var/lib/corosync
mount --bind $_r/etc-corosync /etc/corosync
mount --bind $_r/log /var/log
mount --bind $_r/etc-postfix /etc/postfix
mount --bind $_r/passwd /etc/passwd
mount --bind $_r/group /etc/group
mount --bind $_r/aliases /etc/aliases
corosync -f >/var/log/cluster/corosync.out 2>&1 &
exec sleep infinity
INIT
        ip netns exec "${NSC_TAG}n$_i" unshare --mount --uts --ipc --pid --fork --mount-proc \
            --propagation private tini -s -- sh "$_r/init.sh" </dev/null >"$_r/node.out" 2>&1 3>&- &
        echo $! > "$_r/unshare.pid"
        _i=$((_i + 1))
    done

    _i=1
    while [ "$_i" -le "$NSC_N" ]; do
        _r=$NSC_DIR/node$_i
        _u=$(cat "$_r/unshare.pid")
        _p=""
        _t=0
        while [ -z "$_p" ] && [ $_t -lt 100 ]; do
            _p=$(tr -d ' ' <"/proc/$_u/task/$_u/children" 2>/dev/null)
            [ -n "$_p" ] || sleep 0.05
            _t=$((_t + 1))
        done
        [ -n "$_p" ] || { echo "node$_i did not start" >&2; return 1; }
        echo "$_p" > "$_r/pid1"
        _i=$((_i + 1))
    done
    nsc_wait_members 1 "$NSC_N" 30
}

# nsc_pid1 I - PID 1 (tini) of node I, as the host sees it
nsc_pid1() {
    cat "$NSC_DIR/node$1/pid1"
}

# nsc_root I - the directory with node I's private copies
nsc_root() {
    echo "$NSC_DIR/node$1"
}

# nsc_exec I CMD... - run CMD inside node I
nsc_exec() {
    _n=$1
    shift
    nsenter -t "$(nsc_pid1 "$_n")" -m -u -i -n -p -- "$@"
}

# nsc_bg I LOG CMD... - start CMD in node I in the background; its pid
# inside the node goes to stdout
nsc_bg() {
    _n=$1
    _log=$2
    shift 2
    # shellcheck disable=SC2016  # expanded by the inner shell
    nsc_exec "$_n" sh -c '"$@" </dev/null >>"$0" 2>&1 & echo $!' "$_log" "$@" 3>&-
}

# nsc_members I - how many nodes corosync on node I has as members
nsc_members() {
    nsc_exec "$1" corosync-cmapctl -b runtime.members 2>/dev/null |
        grep -c '\.status (str) = joined'
}

# nsc_wait_members I COUNT SECS - until node I sees COUNT members
nsc_wait_members() {
    _t=$(($3 * 10))
    while [ "$_t" -gt 0 ]; do
        [ "$(nsc_members "$1")" = "$2" ] && return 0
        sleep 0.1
        _t=$((_t - 1))
    done
    echo "node$1: corosync did not reach $2 members" >&2
    return 1
}

# nsc_corosync_stop I - stop corosync in node I (as an operator would)
nsc_corosync_stop() {
    nsc_exec "$1" corosync-cfgtool -H --force >/dev/null 2>&1
    # gone means the process, not only its IPC: a corosync started while
    # the old one still shuts down dies, and the node stays without one
    _t=300
    while nsc_exec "$1" pgrep -x corosync >/dev/null 2>&1 && [ $_t -gt 0 ]; do
        sleep 0.1
        _t=$((_t - 1))
    done
    if nsc_exec "$1" pgrep -x corosync >/dev/null 2>&1; then
        echo "nsc: corosync on node $1 still running after 30 s: killed" >&2
        nsc_exec "$1" pkill -KILL -x corosync
        sleep 0.5
    fi
}

# nsc_corosync_start I - start it again
nsc_corosync_start() {
    nsc_bg "$1" /var/log/cluster/corosync.out corosync -f >/dev/null
    _t=300
    while ! nsc_exec "$1" corosync-cfgtool -s >/dev/null 2>&1 && [ $_t -gt 0 ]; do
        sleep 0.1
        _t=$((_t - 1))
    done
    nsc_exec "$1" corosync-cfgtool -s >/dev/null 2>&1 ||
        { echo "nsc: corosync on node $1 not answering 30 s after its start" >&2; return 1; }
}

# nsc_link I down|up - cut or restore node I's only network link
nsc_link() {
    ip -n "$NSC_SW" link set "s$1" "$2"
}

# nsc_stop - end every node (killing PID 1 ends its namespace), clean up
nsc_stop() {
    [ -n "${NSC_DIR:-}" ] || return 0
    _i=1
    while [ "$_i" -le "${NSC_N:-0}" ]; do
        _r=$NSC_DIR/node$_i
        if [ -f "$_r/pid1" ]; then
            kill -9 "$(cat "$_r/pid1")" 2>/dev/null
        fi
        if [ -f "$_r/unshare.pid" ]; then
            _u=$(cat "$_r/unshare.pid")
            _t=50
            while [ -d "/proc/$_u" ] && [ $_t -gt 0 ]; do
                sleep 0.1
                _t=$((_t - 1))
            done
        fi
        ip netns del "${NSC_TAG}n$_i" 2>/dev/null
        _i=$((_i + 1))
    done
    ip netns del "$NSC_SW" 2>/dev/null
    rm -rf "$NSC_DIR"
    NSC_DIR=""
}
