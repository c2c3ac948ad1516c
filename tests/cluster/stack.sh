#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# stack.sh - the mail stack of the lab, created with pcs (sourced).
#
# Two stacks, the same resource names so tests do not care which one runs:
#   ra      the resource-agents anchor: a group of ocf:heartbeat:Filesystem,
#           ocf:heartbeat:postfix and ocf:heartbeat:IPaddr2.
#   mailha  ocf:mailha:mailspool -> ocf:mailha:aliases (clone) ->
#           ocf:mailha:postfix -> ocf:heartbeat:IPaddr2 with order and
#           colocation constraints; an agent not yet written is replaced by
#           its resource-agents counterpart (and the stack says so).
# The pcs commands are the ones doc/cluster-lab.md shows the admin.

# stack_pcs CMD... - run pcs on the first running node, echo it for the record
stack_pcs() {
    echo "+ pcs $*" >&2
    for _sn in $(lab_node_names); do
        if lab_nspawn_pid "$_sn" >/dev/null; then
            # pcs waits at most 120 s (--wait=120) where it waits at all
            lab_exec_t 240 "$_sn" pcs "$@"
            return $?
        fi
    done
    return 1
}

# stack_have AGENT - is ocf:mailha:AGENT installed in the nodes
stack_have() {
    [ -f "$MHLAB_DIR/mhlab1/root/usr/lib/ocf/resource.d/mailha/$1" ]
}

# stack_kind - the stack now in the CIB (ra, mailha, or none)
stack_kind() {
    cat "$MHLAB_DIR/stack" 2>/dev/null || echo none
}

# The guide whose stack the lab creates (doc/admin-guide.md, the {pcs}
# blocks between "<!-- lab: stack begins -->" and "<!-- lab: stack ends -->").
: "${MHLAB_GUIDE:=$top/doc/admin-guide.md}"

# stack_guide_cmds - the guide's stack commands, one a line, with the lab's
# substitutions (guide_subst: the loop device for /dev/drbd0, the lab's
# floating IP for 10.0.0.25) and no DRBD (there is no kernel module here:
# drbd_resource= is dropped, and the two constraints naming
# mail-drbd-clone are skipped)
stack_guide_cmds() {
    awk '/^<!-- lab: stack begins -->/ { on = 1; next }
         /^<!-- lab: stack ends -->/ { on = 0 }
         on && /^```sh \{pcs\}/ { inb = 1; next }
         inb && /^```/ { inb = 0; next }
         inb { print }' "$MHLAB_GUIDE" | guide_join |
        sed -e '/mail-drbd/d' -e 's| drbd_resource=[^ ]*||g' | guide_subst
}

# stack_ra_policy DEVICE - the spool policy on the volume's root for the
# resource-agents anchor, which has none of its own: Debian's root:mail
# 2775, set by hand as that stack's admin would (ocf:mailha:mailspool sets
# it at every start).  Only while no node has the volume mounted.
stack_ra_policy() {
    for _sn in $(lab_node_names); do
        if stack_spool_on "$_sn"; then
            lab_log "the volume is mounted on $_sn; not touching it"
            return 1
        fi
    done
    _mailgid=$(awk -F: '$1 == "mail" { print $3 }' "$MHLAB_DIR/mhlab1/root/etc/group")
    [ -n "$_mailgid" ] || return 1
    mkdir -p "$MHLAB_DIR/mnt"
    mount "$1" "$MHLAB_DIR/mnt" || return 1
    chown "0:$_mailgid" "$MHLAB_DIR/mnt" && chmod 2775 "$MHLAB_DIR/mnt"
    _rc=$?
    umount "$MHLAB_DIR/mnt" || return 1
    return $_rc
}

# stack_create ra|mailha - create the stack and wait until it serves mail
stack_create() {
    _dev=$(cat "$MHLAB_DIR/loopdev") || return 1
    _vip="ip=$MHLAB_VIP cidr_netmask=24 nic=eth0"
    case $1 in
    ra)
        stack_ra_policy "$_dev" || return 1
        stack_pcs resource create mail-spool ocf:heartbeat:Filesystem \
            device="$_dev" directory="$MHLAB_SPOOL" fstype=ext4 \
            op monitor interval=10s timeout=40s --group mail || return 1
        stack_pcs resource create mail-queue ocf:heartbeat:Filesystem \
            device="$MHLAB_SPOOL/.postfix" directory="$MHLAB_QUEUE" fstype=none \
            options=bind op monitor interval=10s timeout=40s --group mail || return 1
        stack_pcs resource create mail-postfix ocf:heartbeat:postfix \
            config_dir=/etc/postfix op monitor interval=10s timeout=20s \
            --group mail || return 1
        # shellcheck disable=SC2086
        stack_pcs resource create mail-ip ocf:heartbeat:IPaddr2 $_vip \
            op monitor interval=10s timeout=20s --group mail || return 1
        ;;
    mailha)
        # the admin guide's own commands (stack_guide_cmds)
        stack_guide_cmds >"$MHLAB_DIR/stack.pcs" || return 1
        [ -s "$MHLAB_DIR/stack.pcs" ] || { lab_log "no stack block in $MHLAB_GUIDE"; return 1; }
        while IFS= read -r _c; do
            case $_c in
            "pcs "*) eval "stack_pcs ${_c#pcs }" </dev/null || return 1 ;;
            *) lab_log "guide stack block: not a pcs command: $_c"; return 1 ;;
            esac
        done <"$MHLAB_DIR/stack.pcs"
        ;;
    *)
        lab_log "unknown stack '$1' (ra or mailha)"
        return 1 ;;
    esac
    echo "$1" > "$MHLAB_DIR/stack"
    stack_wait 120
}

# stack_spool_on NODE - the shared volume is mounted on the spool in NODE
# (ocf:mailha:mailspool's guard, an empty tmpfs under it, does not count)
#
# The kernel lists the mount under the spool's real name (Debian's
# /var/spool/mail is a link to ../mail, left as it is: doc/admin-guide.md).
stack_spool_on() {
    _ssd=$(lab_exec "$1" readlink -f "$MHLAB_SPOOL" 2>/dev/null) || return 1
    # shellcheck disable=SC2016  # awk's fields, not the shell's
    lab_exec "$1" awk -v d="$_ssd" '$5 == d && $0 !~ / - tmpfs mailha-guard / { f = 1 }
        END { exit !f }' /proc/self/mountinfo 2>/dev/null
}

# stack_delete - stop the stack in order, then remove its resources (their
# constraints go too).  Deleting running resources at once would leave
# Pacemaker stopping orphans with no order between them (the spool before
# Postfix); an admin disables first, and so do we.
stack_delete() {
    _ids=$(stack_pcs cluster cib scope=resources 2>/dev/null |
        xmllint --xpath '/resources/*/@id' - 2>/dev/null | sed 's/ *id="\([^"]*\)"/\1/g' | tr '\n' ' ')
    # the CIB unreadable: try every name
    [ -n "$_ids" ] || _ids="mail mail-volume mail-ip mail-postfix mail-aliases-clone mail-queue mail-spool mail-drift-clone"
    _top=""
    for _r in mail mail-volume mail-ip mail-postfix mail-aliases-clone mail-queue mail-spool mail-drift-clone; do
        case " $_ids " in
        *" $_r "*) _top="$_top $_r" ;;
        esac
    done
    if [ -n "$_top" ]; then
        # shellcheck disable=SC2086  # a word list
        stack_pcs resource disable $_top --wait=120 ||
            lab_log "pcs resource disable$_top: failed (deleting anyway)"
    fi
    for _r in mail-ip mail-postfix mail-aliases mail-queue mail-spool mail mail-volume mail-drift; do
        case " $_ids " in
        *" $_r "* | *" $_r-clone "*)
            stack_pcs resource delete "$_r" --force || lab_log "pcs resource delete $_r: failed" ;;
        esac
    done
    rm -f "$MHLAB_DIR/stack"
    # wait for the spool to be unmounted everywhere
    _t=60
    while [ "$_t" -gt 0 ]; do
        _busy=""
        for _sn in $(lab_node_names); do
            stack_spool_on "$_sn" && _busy="$_busy $_sn"
        done
        [ -z "$_busy" ] && return 0
        sleep 1
        _t=$((_t - 1))
    done
    lab_log "spool still mounted on:$_busy"
    lab_crm_mon 2>&1 | tail -n 30 >&2
    return 1
}

# stack_xml - crm_mon's XML status
stack_xml() {
    lab_crm_mon --output-as=xml 2>/dev/null
}

# stack_where - the node where mail-ip is started (empty if none)
stack_where() {
    stack_xml | xmllint --xpath \
        'string(//resource[@id="mail-ip"][@role="Started"][@failed="false"]/node/@name)' - 2>/dev/null
}

# stack_started - mail-spool, mail-postfix and mail-ip Started; nothing of
# the stack failed or in transition (clone instances on a node in standby
# are Stopped, which is fine)
stack_started() {
    _x=$(stack_xml) || return 1
    [ -n "$_x" ] || return 1
    _bad=$(echo "$_x" | xmllint --xpath \
        'count(//resources//resource[starts-with(@id,"mail-")][@failed="true" or (@role!="Started" and @role!="Stopped")])' - 2>/dev/null)
    _good=$(echo "$_x" | xmllint --xpath \
        'count(//resources//resource[@id="mail-spool" or @id="mail-postfix" or @id="mail-ip"][@role="Started"][@failed="false"])' - 2>/dev/null)
    [ "$_bad" = 0 ] && [ "${_good:-0}" -eq 3 ]
}

# stack_smtp_ok - the floating IP answers SMTP with 220 (from the client netns)
stack_smtp_ok() {
    ip netns exec mhlab-client python3 "$LAB_HERE/loadgen.py" probe \
        --host "$MHLAB_VIP" >/dev/null 2>&1
}

# stack_wait SECONDS [NOT_NODE] - wait until the stack is started (not on
# NOT_NODE if given) and SMTP answers on the floating IP
stack_wait() {
    _t=$(($1 * 2))
    while [ "$_t" -gt 0 ]; do
        if stack_started; then
            _w=$(stack_where)
            if [ -n "$_w" ] && [ "$_w" != "${2:-}" ] && stack_smtp_ok; then
                return 0
            fi
        fi
        sleep 0.5
        _t=$((_t - 1))
    done
    lab_log "stack not started after $1 s"
    lab_crm_mon >&2 || :
    return 1
}

# The guide's {cluster} blocks, run by the lab (guide_in_node, guide_on_host)
# shellcheck source=tests/cluster/guide.sh
. "$LAB_HERE/guide.sh"
