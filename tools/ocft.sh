#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ocft.sh - the peers' own test suites against mailha's agents, as TAP.
#
# 1. resource-agents' ocft cases for postfix and Filesystem, generated now
#    from the installed configs with only Agent and AgentRoot changed,
#    run against ocf:mailha:postfix and ocf:mailha:mailspool.  The cases
#    where mailha deliberately answers otherwise are listed in
#    doc/testing.md ("Peers' suites (ocft)"): such a case that fails is
#    ok (an expected difference); one that passes is not ok (the list is
#    out of date), and so is any unlisted case that fails.
# 2. ocf-tester for every agent in agents/, with the parameters each needs.
#
# Needs root; touches system-wide state (ocft's cases directory, a loop
# device, Postfix's default instance, a private Postfix instance): run it
# under /tmp/mailha-systest.lock, as tools/check.sh's stage "ocft" is.
# Everything that mounts runs in a private mount namespace; the agents
# come from this tree (MAILHA_LIBDIR, MAILHA_SBINDIR), through a scratch
# provider directory <tmp>/resource.d/mailha, never installed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
configs=${MAILHA_OCFT_CONFIGS:-/usr/share/resource-agents/ocft/configs}
cases_dir=/var/lib/resource-agents/ocft/cases
listfile=$top/doc/testing.md
: "${MAILHA_LIBDIR:=$top/heartbeat}"
: "${MAILHA_SBINDIR:=$top/build/bin}"
export MAILHA_LIBDIR MAILHA_SBINDIR

n=0
# tap OK|NOTOK DESCRIPTION [DIAGNOSTIC] - one TAP line (and # lines)
tap() {
    n=$((n + 1))
    if [ "$1" = ok ]; then
        echo "ok $n $2"
    else
        echo "not ok $n $2"
    fi
    [ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/# /'
}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..1"
    echo "ok 1 ocft and ocf-tester # skip needs root"
    exit 0
fi
# as root, make check has run make deps: a missing ocft is a failure, not
# a skip (a stage that skips itself cannot fail)
if ! command -v ocft >/dev/null 2>&1 || [ ! -r "$configs/postfix" ] || [ ! -r "$configs/Filesystem" ]; then
    echo "1..1"
    echo "not ok 1 ocft and ocf-tester: resource-agents' ocft or its configs ($configs) missing; make deps installs them"
    exit 1
fi

t0=$(date +%s)
tmp=$(mktemp -d /tmp/mh-ocft.XXXXXX)
chmod 755 "$tmp"
pf_made=""
cleanup() {
    for _s in mailha-postfix mailha-mailspool; do
        rm -f "$cases_dir"/*_"$_s".sh "$cases_dir"/*_"$_s".retest "$cases_dir/logs/$_s.log"
    done
    if [ -n "$pf_made" ]; then
        # shellcheck disable=SC1091
        . "$top/tests/lib/postfix-instance.sh"
        pfi_destroy
    fi
    [ -z "${loopdev:-}" ] || losetup -d "$loopdev" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# the provider directory: our agents, by name, from this tree
root=$tmp/resource.d/mailha
mkdir -p "$root" "$tmp/cfg" "$tmp/run"
for a in "$top"/agents/*; do
    ln -s "$a" "$root/${a##*/}"
done
export MAILHA_RUNDIR="$tmp/run"

# expected NAME CASE - true when doc/testing.md lists that case as an
# expected difference: a line "- ocft `NAME`: `CASE` ..." in its section
expected() {
    awk -v want="- ocft \`$1\`: \`$2\`" '
        /^## / { in_s = ($0 == "## Peers'"'"' suites (ocft)") }
        in_s && index($0, want) == 1 { found = 1 }
        END { exit !found }' "$listfile" 2>/dev/null
}

# gen SRC AGENT NAME - configs/SRC with Agent AGENT and AgentRoot ours
gen() {
    sed -e "s|^\\([[:blank:]]*Agent[[:blank:]][[:blank:]]*\\).*|\\1$2|" \
        -e "s|^\\([[:blank:]]*AgentRoot[[:blank:]][[:blank:]]*\\).*|\\1$root|" \
        "$configs/$1" >"$tmp/cfg/$3"
    # both lines are there, and no other line differs (postfix keeps its
    # Agent line: our agent has the same name)
    _d=$(diff "$configs/$1" "$tmp/cfg/$3" | grep '^>' \
        | grep -cv "^> [[:blank:]]*Agent\(Root\)\{0,1\}[[:blank:]]")
    grep -q "^[[:blank:]]*Agent[[:blank:]][[:blank:]]*$2\$" "$tmp/cfg/$3" \
        && grep -q "^[[:blank:]]*AgentRoot[[:blank:]][[:blank:]]*$root\$" "$tmp/cfg/$3" \
        && [ "$_d" -eq 0 ]
}

# suite SRC AGENT NAME - make and run one ocft suite; a TAP line per case
suite() {
    if ! gen "$1" "$2" "$3"; then
        tap notok "ocft $3: generate from $configs/$1" "Agent/AgentRoot lines not found as expected"
        return
    fi
    if ! _out=$(ocft make -d "$tmp/cfg" "$3" 2>&1); then
        tap notok "ocft $3: ocft make" "$_out"
        return
    fi
    # A private mount namespace: whatever a case leaves mounted is gone
    # with it (the stage checks below that nothing was left all the same).
    # ocft's get_rundir takes any mount point ending in /run (mount | grep
    # '/run '), such as another test's chroot's: those are unmounted in
    # this namespace only, so that the cases use /var/run as written.
    # shellcheck disable=SC2016  # expanded by the inner sh
    unshare --mount --propagation private sh -c '
        awk '\''$5 ~ /\/run$/ && $5 != "/run" { print $5 }'\'' /proc/self/mountinfo | sort -r |
            while read -r m; do umount -l "$m"; done
        if mount | grep "/run " | grep -qv " on /run "; then
            echo "ERROR: mount points ending in /run left: $(mount | grep "/run ")"; exit 1
        fi
        ocft test "$1"
        echo "== mountinfo"; cat /proc/self/mountinfo' sh "$3" \
        </dev/null >"$tmp/$3.out" 2>&1
    sed 's/\x1b\[[0-9;]*m//g' "$tmp/$3.out" >"$tmp/$3.txt"
    [ -z "${MAILHA_OCFT_KEEP:-}" ] || cp "$tmp/$3.txt" "$MAILHA_OCFT_KEEP/ocft-$3.log"
    # every CASE of the config, in order
    sed -n 's/^CASE "\(.*\)"[[:blank:]]*$/\1/p' "$tmp/cfg/$3" >"$tmp/$3.cases"
    while IFS= read -r _c; do
        _line=$(awk -v p="$3: $_c - " 'index($0, p) == 1 { print substr($0, length(p) + 1); exit }' "$tmp/$3.txt")
        if [ -z "$_line" ]; then
            _res=missing
        elif [ "${_line#OK.}" != "$_line" ]; then
            _res=pass
        else
            _res=fail
        fi
        if expected "$3" "$_c"; then
            case $_res in
                fail) tap ok "ocft $3: $_c # expected difference (doc/testing.md): $_line" ;;
                pass) tap notok "ocft $3: $_c" "listed in doc/testing.md as an expected difference, but it passes: update the list" ;;
                *) tap notok "ocft $3: $_c" "no result in ocft's output" ;;
            esac
        else
            case $_res in
                pass) tap ok "ocft $3: $_c" ;;
                fail) tap notok "ocft $3: $_c" "$(awk -v p="$3: $_c - " '
                        index($0, p) == 1 { on = 1; print; next }
                        on && /^[^ ]*: .* - / { exit }
                        on && /^== mountinfo/ { exit }
                        on { print }' "$tmp/$3.txt" | head -n 20)" ;;
                *) tap notok "ocft $3: $_c" "no result in ocft's output: $(sed '/^== mountinfo/,$d' "$tmp/$3.txt" | head -n 15)" ;;
            esac
        fi
    done <"$tmp/$3.cases"
    # nothing of the suite left mounted in its namespace
    if sed -n '/^== mountinfo/,$p' "$tmp/$3.out" | grep -q 'ocft-Filesystem-mnt'; then
        tap notok "ocft $3: nothing left mounted after the suite" \
            "$(sed -n '/^== mountinfo/,$p' "$tmp/$3.out" | grep 'ocft-Filesystem-mnt')"
    else
        tap ok "ocft $3: nothing left mounted after the suite"
    fi
}

# --- 1. ocft ------------------------------------------------------------------

echo "# ocft: $configs/postfix against ocf:mailha:postfix"
# The postfix cases start and stop the default instance: only when it is
# not running (someone else's) and listens on loopback only.
if postfix status >/dev/null 2>&1; then
    tap ok "ocft mailha-postfix # skip the default Postfix instance is running here: the cases would stop it"
elif [ "$(postconf -h inet_interfaces)" != loopback-only ]; then
    tap ok "ocft mailha-postfix # skip the default Postfix instance is not loopback-only here"
else
    suite postfix postfix mailha-postfix
    if postfix status >/dev/null 2>&1; then
        tap notok "ocft mailha-postfix: the default instance is stopped after the suite"
        postfix stop >/dev/null 2>&1
    else
        tap ok "ocft mailha-postfix: the default instance is stopped after the suite"
    fi
fi

echo "# ocft: $configs/Filesystem against ocf:mailha:mailspool"
suite Filesystem mailspool mailha-mailspool

# --- 2. ocf-tester --------------------------------------------------------------

# ocf_tester NAME AGENT [-o k=v]... - one TAP line
ocf_tester() {
    _name=$1
    _agent=$2
    shift 2
    if _out=$(unshare --mount --propagation private \
            ocf-tester -n "$_name" "$@" "$root/$_agent" </dev/null 2>&1); then
        tap ok "ocf-tester $_agent"
    else
        tap notok "ocf-tester $_agent" "$(printf '%s\n' "$_out" | tail -n 25)"
    fi
}

# a private Postfix instance for postfix and aliases
# shellcheck disable=SC1091
. "$top/tests/lib/postfix-instance.sh"
pfi_create "$tmp/pf" >/dev/null && pf_made=1
ocf_tester mhocft-postfix postfix -o "config_dir=$PFI_CONF"
ocf_tester mhocft-aliases aliases -o "config_dir=$PFI_CONF"

# mailspool on a scratch ext4 loop device
truncate -s 32M "$tmp/disk.img" && mkfs.ext4 -q -F "$tmp/disk.img" \
    && loopdev=$(losetup --find --show "$tmp/disk.img")
if [ -n "${loopdev:-}" ]; then
    ocf_tester mhocft-mailspool mailspool -o "device=$loopdev" -o "directory=$tmp/spool" \
        -o "config_dir=$PFI_CONF"
else
    tap notok "ocf-tester mailspool" "could not make a loop device"
fi

# drift needs a corosync cluster: in a one-node namespace cluster
if [ -r "$top/tests/lib/ns-cluster.sh" ] && [ -n "${MAILHA_OCFT_DRIFT:-1}" ]; then
    # shellcheck disable=SC1091
    . "$top/tests/lib/ns-cluster.sh"
    if nsc_start "$tmp/nsc" 1 >"$tmp/nsc.log" 2>&1; then
        if _out=$(nsc_exec 1 env MAILHA_LIBDIR="$MAILHA_LIBDIR" MAILHA_SBINDIR="$MAILHA_SBINDIR" \
                MAILHA_RUNDIR="$tmp/run" ocf-tester -n mhocft-drift -o interval=1 "$root/drift" 2>&1); then
            tap ok "ocf-tester drift"
        else
            tap notok "ocf-tester drift" "$(printf '%s\n' "$_out" | tail -n 25)"
        fi
        nsc_stop >/dev/null 2>&1
    else
        tap notok "ocf-tester drift" "one-node corosync in a namespace did not start: $(tail -n 5 "$tmp/nsc.log")"
    fi
fi

echo "# ocft and ocf-tester took $(($(date +%s) - t0)) s"
echo "1..$n"
