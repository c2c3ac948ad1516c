#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guide.sh - the lab runs the admin guide's {cluster} blocks (sourced).
#
# doc/admin-guide.md names each block that needs a real cluster with a
# marker line just before it:
#
#   <!-- lab: NAME -->              the lab runs this block (guide_run NAME)
#   <!-- lab: not run: REASON -->   the lab cannot run it, and says why
#
# tools/guide-blocks.sh refuses a {cluster} block without a marker, and
# tests/bats/ship-guide.bats checks that every NAME is run somewhere in
# tests/cluster/.  The lab runs a block's commands as written, one command
# a line (continuations joined, comments dropped), with these
# substitutions and no others (guide_subst):
#
#   guide                      lab
#   node1, node2               mhlab1, mhlab2
#   10.0.0.1, 10.0.0.2         the nodes' lab addresses
#   10.0.0.25                  $MHLAB_VIP
#   mailcluster                mhlab
#   /dev/drbd0                 the lab's loop device
#   /mnt (drbd-init only)      $MHLAB_DIR/mnt, on the host
#   ssh "$n" CMD (uids only)   CMD run inside node $n
#   dnf upgrade (upgrade only) mailha installed again into the node from
#                              this tree (the nodes have no package mirror)
#
# Every block run is recorded in $MHLAB_DIR/guide-ran; run.sh checks at the
# end that every marker of the guide was run.

# guide_block NAME - the commands of the block after "<!-- lab: NAME -->",
# one a line, before substitution
guide_block() {
    awk -v m="<!-- lab: $1 -->" '
        $0 == m { want = 1; next }
        want && /^```sh \{(cluster|test)\}/ { inb = 1; want = 0; next }
        want && /^```/ { exit 1 }
        inb && /^```/ { found = 1; exit }
        inb { print }
        END { exit !found }' "$MHLAB_GUIDE" | guide_join
}

# guide_join - a block's text as commands, one a line: continuation lines
# joined, blank lines and comments dropped (a sed filter)
guide_join() {
    sed -e ':a' -e '/\\$/{N' -e 's/\\\n */ /' -e 'ba' -e '}' |
        sed -e '/^[ \t]*$/d' -e '/^[ \t]*#/d'
}

# guide_subst - the lab's substitutions (see above), a sed filter
guide_subst() {
    sed -e 's/\bnode1\b/mhlab1/g' -e 's/\bnode2\b/mhlab2/g' \
        -e "s/\\b10\\.0\\.0\\.25\\b/$MHLAB_VIP/g" \
        -e "s/\\b10\\.0\\.0\\.1\\b/$(lab_node_ip mhlab1)/g" \
        -e "s/\\b10\\.0\\.0\\.2\\b/$(lab_node_ip mhlab2)/g" \
        -e 's/\bmailcluster\b/mhlab/g' \
        -e "s|/dev/drbd0|$(cat "$MHLAB_DIR/loopdev" 2>/dev/null || echo /dev/drbd0)|g"
}

# guide_cmds NAME - the block's commands with the substitutions, or fail
# (and say so) when the guide has no such block
# (a pure read: it writes nothing, so it works before the lab's state
# directory exists, as on a machine that never ran the lab)
guide_cmds() {
    if ! _gc_raw=$(guide_block "$1") || [ -z "$_gc_raw" ]; then
        lab_log "guide: no block marked '<!-- lab: $1 -->' in $MHLAB_GUIDE"
        return 1
    fi
    printf '%s\n' "$_gc_raw" | guide_subst
}

# guide_ran NAME - record that the block ran (all its commands succeeded)
guide_ran() {
    echo "$1" >>"$MHLAB_DIR/guide-ran"
}

# guide_markers - the names of the blocks the lab must run
guide_markers() {
    sed -n 's/^<!-- lab: \([a-z0-9-]*\) -->$/\1/p' "$MHLAB_GUIDE" |
        grep -v -x -e 'stack begins' -e 'stack ends' | sort -u
}

# guide_not_ran - markers of the guide whose block did not run (empty: all)
guide_not_ran() {
    sort -u "$MHLAB_DIR/guide-ran" 2>/dev/null >"$MHLAB_DIR/guide-ran.sorted"
    guide_markers | comm -23 - "$MHLAB_DIR/guide-ran.sorted"
}

# guide_in_node NAME NODE [STDIN_FILE] - run the block's commands one by
# one inside NODE (sh -ec each), echoing each; a failing command fails the
# block.  STDIN_FILE feeds every command (the hacluster password).
guide_in_node() {
    _gn=$1
    _gnode=$2
    _gin=${3:-/dev/null}
    guide_cmds "$_gn" >"$MHLAB_DIR/guide-$_gn.sh" || return 1
    while IFS= read -r _gc; do
        case $_gc in
        "dnf upgrade "*)
            # the lab's substitution: no package mirror in the nodes
            echo "+ [$_gnode] (lab: mailha installed again from this tree for: $_gc)" >&2
            lab_node_install "$_gnode" "$(cat "$MHLAB_DIR/srcdir")" </dev/null || return 1
            continue ;;
        esac
        echo "+ [$_gnode] $_gc" >&2
        lab_exec_t 240 "$_gnode" sh -ec "$_gc" <"$_gin" || {
            lab_log "guide block $_gn: '$_gc' failed in $_gnode"
            return 1
        }
        guide_settle "$_gc" </dev/null || {
            lab_log "guide block $_gn: the stack did not settle after '$_gc'"
            return 1
        }
    done <"$MHLAB_DIR/guide-$_gn.sh"
    guide_ran "$_gn"
}

# guide_settle CMD - after a command of the guide that moves the stack (and
# a stack exists), wait as the admin would until it serves mail again: not
# on a node put in standby, on the node a resource was moved to
guide_settle() {
    [ -s "$MHLAB_DIR/stack" ] || return 0
    case $1 in
    "pcs node standby "*)
        stack_wait 120 "${1##* }" ;;
    "pcs resource move "*)
        _gto=${1##* }
        _gt=240
        while [ "$_gt" -gt 0 ]; do
            stack_started && [ "$(stack_where)" = "$_gto" ] && stack_smtp_ok && return 0
            sleep 0.5
            _gt=$((_gt - 1))
        done
        lab_log "the stack did not move to $_gto"
        lab_crm_mon >&2
        return 1 ;;
    "pcs node unstandby "* | "pcs resource clear "* | "pcs cluster start "*)
        stack_wait 120 ;;
    esac
}

# guide_on_host NAME [SED] - run the block's commands one by one on the
# host (eval in a subshell), with ssh meaning "run inside that lab node";
# SED, if given, is one more substitution for this block only.  A failing
# command fails the block.
guide_on_host() {
    guide_cmds "$1" >"$MHLAB_DIR/guide-$1.sh" || return 1
    if [ -n "${2:-}" ]; then
        sed -i -e "$2" "$MHLAB_DIR/guide-$1.sh" || return 1
    fi
    (
        # shellcheck disable=SC2317  # called by the guide's commands
        ssh() {
            _sh=$1
            shift
            lab_exec "$_sh" sh -ec "$*"
        }
        while IFS= read -r _gc; do
            echo "+ [host] $_gc" >&2
            eval "$_gc" </dev/null || {
                lab_log "guide block $1: '$_gc' failed on the host"
                exit 1
            }
        done
    ) <"$MHLAB_DIR/guide-$1.sh" || return 1
    guide_ran "$1"
}
