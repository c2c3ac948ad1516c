#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pcmk-node.sh - a real single-node Corosync + Pacemaker cluster inside its
# own network, mount, UTS, IPC and PID namespaces, for tests.
#
# The node has its own loopback (corosync binds 127.0.0.1; libqb's abstract
# IPC sockets are per network namespace), private /run, /dev/shm,
# /var/lib/pacemaker, /var/lib/corosync, /etc/corosync and /var/log, and its
# own PID namespace, so several test files can each run one at once and
# nothing in a node can signal a process outside it.  The rest of the file
# system is the host's: agents are the ones installed on the host.
#
#   pcmk_node_start DIR [NAME]   boot it; returns once the node is online
#   pcmk_exec CMD...             run CMD inside the node
#   pcmk_wait_started RSC [SECS] wait until crm_mon shows RSC Started
#   pcmk_node_stop               shut down pacemaker, corosync; end the node
#
# Needs: corosync, pacemaker, pacemaker-cli-utils, tini, util-linux.

# pcmk_node_start DIR [NAME]
pcmk_node_start() {
    PCMK_DIR=$1
    PCMK_NAME=${2:-node1}
    export PCMK_DIR PCMK_NAME
    mkdir -p "$PCMK_DIR/lib-pacemaker/cib" "$PCMK_DIR/lib-pacemaker/pengine" \
        "$PCMK_DIR/lib-pacemaker/blackbox" "$PCMK_DIR/lib-pacemaker/cores" \
        "$PCMK_DIR/lib-corosync" "$PCMK_DIR/etc-corosync" "$PCMK_DIR/log/pacemaker" \
        "$PCMK_DIR/log/cluster"
    cat > "$PCMK_DIR/etc-corosync/corosync.conf" <<EOF
totem {
    version: 2
    cluster_name: mhtest
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: 1000
}
nodelist {
    node {
        ring0_addr: 127.0.0.1
        name: $PCMK_NAME
        nodeid: 1
    }
}
quorum {
    provider: corosync_votequorum
}
logging {
    to_logfile: yes
    logfile: /var/log/cluster/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: on
}
EOF
    # A CIB seeded with a short dc-deadtime: online in seconds, not ~20 s.
    cibadmin --empty > "$PCMK_DIR/lib-pacemaker/cib/cib.xml"
    CIB_file="$PCMK_DIR/lib-pacemaker/cib/cib.xml" crm_attribute -t crm_config -n dc-deadtime -v 2s
    CIB_file="$PCMK_DIR/lib-pacemaker/cib/cib.xml" crm_attribute -t crm_config -n stonith-enabled -v false
    CIB_file="$PCMK_DIR/lib-pacemaker/cib/cib.xml" crm_attribute -t crm_config -n cluster-recheck-interval -v 30s
    chown -R hacluster:haclient "$PCMK_DIR/lib-pacemaker" "$PCMK_DIR/log/pacemaker"
    chmod 750 "$PCMK_DIR/lib-pacemaker/cib"

    cat > "$PCMK_DIR/init.sh" <<EOF
#!/bin/sh
# PID 1's child inside the node: private mounts, then the cluster stack.
hostname $PCMK_NAME
ip link set lo up
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir -p /run/lock /run/resource-agents /run/crm /run/pacemaker
mount --bind $PCMK_DIR/lib-pacemaker /var/lib/pacemaker
mount --bind $PCMK_DIR/lib-corosync /var/lib/corosync
mount --bind $PCMK_DIR/etc-corosync /etc/corosync
mount --bind $PCMK_DIR/log /var/log
corosync -f >/var/log/cluster/corosync.out 2>&1 &
i=0
while ! corosync-cfgtool -s >/dev/null 2>&1 && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done
exec pacemakerd >/var/log/pacemaker/pacemakerd.out 2>&1
EOF
    unshare --net --mount --uts --ipc --pid --fork --mount-proc --propagation private \
        tini -s -- sh "$PCMK_DIR/init.sh" </dev/null >"$PCMK_DIR/node.out" 2>&1 3>&- &
    PCMK_UNSHARE=$!
    export PCMK_UNSHARE
    PCMK_PID1=""
    _i=0
    while [ -z "$PCMK_PID1" ] && [ $_i -lt 100 ]; do
        PCMK_PID1=$(tr -d ' ' <"/proc/$PCMK_UNSHARE/task/$PCMK_UNSHARE/children" 2>/dev/null)
        [ -n "$PCMK_PID1" ] || sleep 0.05
        _i=$((_i + 1))
    done
    export PCMK_PID1
    echo "$PCMK_PID1" > "$PCMK_DIR/pid1"
    [ -n "$PCMK_PID1" ] || { echo "pcmk node did not start" >&2; return 1; }
    _i=0
    until pcmk_exec crm_mon -1 2>/dev/null | grep -q "Online: \[ $PCMK_NAME \]"; do
        _i=$((_i + 1))
        if [ $_i -gt 600 ]; then
            echo "pcmk node $PCMK_NAME did not come online" >&2
            cat "$PCMK_DIR/node.out" >&2
            return 1
        fi
        sleep 0.1
    done
}

# pcmk_exec CMD... - run a command inside the node
pcmk_exec() {
    nsenter -t "$PCMK_PID1" -m -u -i -n -p -- "$@"
}

# pcmk_wait_started RSC [SECONDS] - until `crm_mon -1` shows RSC Started
pcmk_wait_started() {
    _n=$(( ${2:-30} * 10 ))
    while [ "$_n" -gt 0 ]; do
        if pcmk_exec crm_resource --locate -r "$1" 2>/dev/null | grep -q "is running on" &&
           pcmk_exec crm_mon -1 2>/dev/null | grep -E "^[[:space:]]*\*? ?$1[[:space:]].*Started" >/dev/null; then
            return 0
        fi
        sleep 0.1
        _n=$((_n - 1))
    done
    return 1
}

pcmk_node_stop() {
    [ -n "${PCMK_PID1:-}" ] || return 0
    if [ -d "/proc/$PCMK_PID1" ]; then
        timeout 60 nsenter -t "$PCMK_PID1" -m -u -i -n -p -- pacemakerd --shutdown >/dev/null 2>&1
        timeout 10 nsenter -t "$PCMK_PID1" -m -u -i -n -p -- corosync-cfgtool -H --force >/dev/null 2>&1
        # PID 1 of the node gone: the kernel ends everything in its namespace.
        kill -9 "$PCMK_PID1" 2>/dev/null
    fi
    wait "$PCMK_UNSHARE" 2>/dev/null
    PCMK_PID1=""
    return 0
}
