#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - the fresh-machine stage: what a new user does, as TAP.
#
# Usage: tests/fresh/run.sh [--no-demo | --demo-only] [--suite bullseye]
#
# 1. A pristine Debian 12 root that has never seen mailha: debootstrap's
#    minbase with what this machine image ships for the README's path
#    (make, git, the archive keyring, CA certificates, and a policy-rc.d that
#    exits 101, as this image has), built once and cached under
#    $MHLAB_CACHE; every run works on an overlay over it, so each run starts
#    pristine.  The host's apt sources and settings are copied in and the
#    host's apt archive cache is bind-mounted, so the root reaches the
#    package mirror the way the host does, and fast.
#    With --suite bullseye the root is Debian 11 (glibc 2.31, libqb 2.0.3,
#    corosync 3.1.2, libxml2 2.9.10: the closest this machine gets to RHEL
#    8/9), with Debian 11's own sources, the host's apt settings and an
#    archive cache of its own; steps 1 and 2 only.
# 2. A clean clone of this tree (MAILHA_FRESH_REV, default HEAD) copied in,
#    then in the root, each step on its first try: `make deps`, `make`,
#    `make check-quick` (which must run tests and fail none), `make deb`,
#    `apt-get install ./mailha_*.deb` (the agents answer crm_resource),
#    `apt-get purge mailha` (nothing left), `make install` (the agents
#    answer crm_resource).
# 3. Unless --no-demo: the demo's lab with a fresh, empty MHLAB_DIR (the
#    node rootfs cache may stay), run from a clean clone of the same
#    revision on the host (so MAILHA_FRESH_REV=OLD runs OLD's demo.sh and
#    lab files too): a `make demo` interrupted with SIGINT once its nodes
#    boot, then `make demo` again, which must clear what the first left and
#    run to the end; then `lab.sh down` leaves nothing behind.
#
# Output: TAP on stdout; command output in build/fresh/*.log.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
LAB_HERE=$top/tests/cluster
# shellcheck source=tests/cluster/lab-lib.sh
. "$LAB_HERE/lab-lib.sh"

demo=yes
root_steps=yes
suite=bookworm
while [ $# -gt 0 ]; do
    case $1 in
    --no-demo) demo=no ;;
    --demo-only) root_steps=no ;;
    --suite) suite=${2:-}; shift ;;
    *) echo "usage: run.sh [--no-demo | --demo-only] [--suite bullseye]" >&2; exit 2 ;;
    esac
    shift
done
case $suite in
bookworm) release=12 ;;
bullseye) release=11; demo=no ;;
*) echo "run.sh: suite bookworm or bullseye" >&2; exit 2 ;;
esac

out=$top/build/fresh
[ "$suite" = bookworm ] || out=$top/build/fresh-$suite
mkdir -p "$out"
rev=${MAILHA_FRESH_REV:-HEAD}
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
# since T0 - seconds since T0
since() { echo $(( $(date +%s) - $1 )); }

[ "$(id -u)" -eq 0 ] || { echo "not ok 1 - must run as root"; echo "1..1"; exit 1; }

# The pristine root: everything a fresh machine of this kind has before
# mailha, nothing more.  The hash names what went into it.
PRISTINE_PKGS="make,git,ca-certificates,debian-archive-keyring"
pristine=$MHLAB_CACHE/pristine-$(echo "$suite minbase $PRISTINE_PKGS v1" |
    sha256sum | cut -c1-12)

# pristine_build - debootstrap the pristine root once (under the lab's
# cache lock: the node rootfs build shares the cache)
pristine_build() {
    [ -f "$pristine/.mailha-pristine" ] && return 0
    mkdir -p "$MHLAB_CACHE" || return 1
    (
        flock -w 3600 7 || exit 1
        pristine_debootstrap
    ) 7>"$MHLAB_CACHE/build.lock"
}

pristine_debootstrap() {
    [ -f "$pristine/.mailha-pristine" ] && return 0
    lab_rm_tree "$pristine.tmp" || return 1
    debootstrap --variant=minbase --include="$PRISTINE_PKGS" "$suite" \
        "$pristine.tmp" "$(lab_mirror)" >"$out/debootstrap.log" 2>&1 || return 1
    # As on this machine image: package installs never start daemons.
    printf '#!/bin/sh\nexit 101\n' >"$pristine.tmp/usr/sbin/policy-rc.d"
    chmod 755 "$pristine.tmp/usr/sbin/policy-rc.d"
    chroot "$pristine.tmp" apt-get clean
    touch "$pristine.tmp/.mailha-pristine"
    mv "$pristine.tmp" "$pristine"
}

work=""
root=""
# fresh_down - unmount and remove this run's root, after killing what still
# runs in it (only processes whose root directory is this root)
fresh_down() {
    [ -n "$root" ] || return 0
    if [ -d "$root" ]; then
        # (-ef: not POSIX, but dash, bash and busybox test have it)
        for _p in /proc/[0-9]*; do
            # shellcheck disable=SC3013
            [ "$_p/root" -ef "$root" ] && kill -9 "${_p#/proc/}" 2>/dev/null
        done
    fi
    # The root has the host's /dev and /sys bound into it: lab_rm_tree
    # unmounts first and never removes through a mount.
    lab_rm_tree "$work" || echo "# left $work in place: still mounted"
    root=""
}

# fresh_up - this run's root: an overlay over the pristine one, with
# /proc, /sys, /dev, the host's apt settings and archive cache
fresh_up() {
    work=$(mktemp -d /var/tmp/mailha-fresh.XXXXXX) || return 1
    root=$work/root
    mkdir -p "$work/upper" "$work/work" "$root"
    mount -t overlay mailha-fresh \
        -o "lowerdir=$pristine,upperdir=$work/upper,workdir=$work/work" "$root" || return 1
    mount -t proc proc "$root/proc" || return 1
    mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys" || return 1
    mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" || return 1
    mount -t tmpfs tmpfs "$root/run" || return 1
    mkdir -p "$root/run/lock"
    chmod 1777 "$root/run/lock"
    rm -rf "$root/etc/apt/apt.conf.d"
    cp -a /etc/apt/apt.conf.d "$root/etc/apt/" || return 1
    if [ "$suite" = bookworm ]; then
        mount --bind /var/cache/apt/archives "$root/var/cache/apt/archives" || return 1
        rm -rf "$root/etc/apt/sources.list.d"
        cp -a /etc/apt/sources.list.d "$root/etc/apt/" || return 1
        rm -f "$root/etc/apt/sources.list"
        [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/"
    else
        # debootstrap's sources.list for the suite; its own archive cache
        mkdir -p "$MHLAB_CACHE/apt-$suite/partial"
        mount --bind "$MHLAB_CACHE/apt-$suite" "$root/var/cache/apt/archives" || return 1
    fi
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || :
    # A clean clone of the tree, as a new user makes one.
    git clone -q --no-local "$top" "$root/root/mailha" >"$out/clone.log" 2>&1 &&
        git -C "$root/root/mailha" checkout -q "$(git -C "$top" rev-parse "$rev")" \
            >>"$out/clone.log" 2>&1
}

# in_root SECONDS LOG CMD - run CMD (a shell command) in the root's clone,
# as root with a login-like environment, under a time limit
in_root() {
    _secs=$1
    _log=$2
    shift 2
    timeout -k 10 "$_secs" chroot "$root" /usr/bin/env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM=dumb \
        sh -c "cd /root/mailha && $*" </dev/null >"$_log" 2>&1
}

trap 'fresh_down' EXIT
trap 'exit 130' INT TERM

# root_stage - the README's steps in a fresh root, one test each
root_stage() {
    t0=$(date +%s)
    if pristine_build; then
        ok "pristine Debian $release root ($pristine, ready after $(since "$t0") s)"
    else
        not_ok "pristine Debian $release root: debootstrap failed (see $out/debootstrap.log)"
        return 1
    fi
    t0=$(date +%s)
    if ! fresh_up; then
        not_ok "fresh root with a clean clone (see $out/clone.log)"
        return 1
    fi
    ok "fresh root with a clean clone of $(git -C "$top" rev-parse --short "$rev") ($(since "$t0") s)"
    stop=no
    step "make deps" 1500 "make deps"
    step "make" 900 "make"
    if step "make check-quick" 1800 "make check-quick"; then
        # It must have run tests, and its summary must say none failed.
        _sum=$(tail -n 1 "$out/make_check-quick.log")
        case $_sum in
        "check: 0 passed"*) not_ok "make check-quick ran no test: '$_sum'" ;;
        "check: "*" passed, 0 failed"*) ok "make check-quick summary: $_sum" ;;
        *) not_ok "make check-quick summary: '$_sum'" ;;
        esac
    fi
    # The Debian package, installed as a Debian admin installs it (apt-get
    # resolves its Depends from the mirror), then purged without a trace.
    if step "make deb" 900 "make deb"; then
        step "apt-get install ./mailha.deb" 600 \
            "DEBIAN_FRONTEND=noninteractive apt-get install -y ./build/deb/mailha_*.deb" &&
            installed_check "the .deb's agents and helpers"
        step "apt-get purge mailha" 300 \
            "DEBIAN_FRONTEND=noninteractive apt-get purge -y mailha &&
             ! dpkg -s mailha >/dev/null 2>&1 &&
             [ ! -e /usr/lib/ocf/resource.d/mailha ] && [ ! -e /usr/sbin/mailha-probe ]"
    fi
    if step "make install" 600 "make install"; then
        installed_check "make install's agents and helpers"
    fi
}

# installed_check WHAT - the installed agents answer crm_resource, the
# helpers are in /usr/sbin
installed_check() {
    # shellcheck disable=SC2016  # expanded in the root's shell
    if in_root 120 "$out/installed.log" \
            'for a in postfix mailspool aliases drift; do
                 crm_resource --show-metadata "ocf:mailha:$a" | grep -q "<resource-agent" || exit 1
             done
             for p in probe spool aliases check logscan drift status; do
                 [ -x "/usr/sbin/mailha-$p" ] || exit 1
             done'; then
        ok "$1 answer crm_resource --show-metadata in the fresh Debian $release root"
    else
        not_ok "$1 in the fresh Debian $release root (see $out/installed.log)"
    fi
}

# step NAME SECONDS CMD - one README step in the root, a test of its own;
# a step that fails stops the ones after it (they would only fail too)
step() {
    if [ "$stop" = yes ]; then
        not_ok "$1 in the fresh Debian $release root # not run: an earlier step failed"
        return 1
    fi
    _t=$(date +%s)
    # the log's name: the step's, with no blank or slash
    _lf=$out/$(echo "$1" | tr ' /' '__').log
    in_root "$2" "$_lf" "$3"
    _rc=$?
    if [ "$_rc" -eq 0 ]; then
        ok "$1 in the fresh Debian $release root, first try ($(since "$_t") s)"
        return 0
    fi
    not_ok "$1 in the fresh Debian $release root (exit $_rc; last lines of $_lf:)"
    tail -n 15 "$_lf" | sed 's/^/# /'
    stop=yes
    return 1
}

if [ "$root_steps" = yes ]; then
    root_stage
fi
fresh_down

if [ "$demo" = no ]; then
    echo "1..$n"
    exit 0
fi

# The demo with a state directory that does not exist yet (torn down on
# any exit from here on).
MHLAB_DIR=$(mktemp -u /var/lib/mhlab-fresh.XXXXXX)
export MHLAB_DIR
# the demo's own tree: a clean clone of the revision under test, as a new
# user has it (its build happens in `make demo`, as the user's would)
dtree=$out/demo-tree
rm -rf "$dtree"
t0=$(date +%s)
if git clone -q --no-local "$top" "$dtree" >"$out/demo-clone.log" 2>&1 &&
    git -C "$dtree" checkout -q "$(git -C "$top" rev-parse "$rev")" >>"$out/demo-clone.log" 2>&1; then
    ok "a clean clone of $(git -C "$top" rev-parse --short "$rev") on the host for the demo ($(since "$t0") s)"
else
    not_ok "a clean clone on the host for the demo (see $out/demo-clone.log)"
    echo "1..$n"
    exit 1
fi
demo_down() {
    sh "$dtree/tests/cluster/lab.sh" down >>"$out/demo-down.log" 2>&1
    rm -rf "${MHLAB_DIR:?}" "$dtree"
}
trap 'demo_down' EXIT
: >"$out/demo-down.log"

# demo_interrupted - `make demo`, then SIGINT to its process group, as
# Ctrl-C on a terminal sends it, once a node of its lab has booted; true
# when the demo stopped there, by its INT trap, saying how to clean up.
# (A background job of a non-interactive shell starts with SIGINT ignored,
# and a shell cannot trap a signal ignored at its start: python3 puts
# SIGINT back to default and makes the process group a terminal would.)
demo_interrupted() {
    _log=$out/demo-interrupted.log
    python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp(sys.argv[1], sys.argv[1:])' make -C "$dtree" -s demo >"$_log" 2>&1 </dev/null &
    _pid=$!
    _t=600
    while [ "$_t" -gt 0 ] && kill -0 "$_pid" 2>/dev/null; do
        lab_nspawn_pid mhlab1 >/dev/null 2>&1 && break
        sleep 1
        _t=$((_t - 1))
    done
    sleep 3
    kill -INT "-$_pid" 2>/dev/null || echo "# the demo ended before the SIGINT"
    _t=120
    while [ "$_t" -gt 0 ] && kill -0 "$_pid" 2>/dev/null; do
        sleep 1
        _t=$((_t - 1))
    done
    if kill -0 "$_pid" 2>/dev/null; then
        kill -KILL "-$_pid" 2>/dev/null
        echo "# the interrupted demo did not stop within 120 s"
        return 1
    fi
    wait "$_pid"
    _rc=$?
    if [ "$_rc" -eq 0 ] || grep -q 'The lab keeps running' "$_log"; then
        echo "# the demo was not interrupted (exit $_rc)"
        return 1
    fi
    grep -q '^demo: interrupted' "$_log" && grep -q 'lab.sh down' "$_log"
}

t0=$(date +%s)
if demo_interrupted && lab_traces; then
    ok "make demo interrupted with SIGINT after its nodes booted: it stops, says how to tear down, leaves a lab ($(since "$t0") s)"
else
    not_ok "make demo interrupted with SIGINT (see $out/demo-interrupted.log)"
fi

t0=$(date +%s)
if make -C "$dtree" -s demo >"$out/demo.log" 2>&1 </dev/null; then
    ok "make demo after the interrupted one, fresh MHLAB_DIR, runs to the end ($(since "$t0") s)"
else
    not_ok "make demo after the interrupted one (last lines of $out/demo.log:)"
    tail -n 20 "$out/demo.log" | sed 's/^/# /'
fi

sh "$dtree/tests/cluster/lab.sh" down >>"$out/demo-down.log" 2>&1
if lab_traces; then
    not_ok "lab.sh down leaves nothing of the demo's lab"
else
    ok "lab.sh down leaves nothing of the demo's lab"
fi
rm -rf "${MHLAB_DIR:?}" "$dtree"
echo "1..$n"
