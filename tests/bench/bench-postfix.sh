#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-postfix.sh - the monitor's cost, ocf:mailha:postfix against
# ocf:heartbeat:postfix, side by side on the same running Postfix.
#
# Both agents are called as Pacemaker calls a recurring monitor
# (OCF_RESKEY_CRM_meta_interval set).  Wall time from hyperfine (mean and
# median of many runs), processes exec'd per call from strace -f -e
# trace=execve, instructions per call from valgrind --tool=callgrind
# --trace-children=yes (independent of the machine's load).
# Prints a Markdown table; ratios are against the resource-agents monitor.
# A second table splits the depth-10 increment: mailha-probe alone (with
# the arguments the agent gives it) and /bin/true (the cost of any fork
# and exec), measured in the same hyperfine run, and the same SMTP
# dialogue (connect, 220, EHLO, QUIT) timed inside one Python process, so
# with no process start at all.  Load from other work drifts during a
# hyperfine run (it runs one command after the other), so the increment
# is also measured interleaved: 200 rounds, each running depth 0, depth
# 10, the probe and /bin/true once, in turn; medians.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/postfix-instance.sh"

RA_HB=/usr/lib/ocf/resource.d/heartbeat/postfix
export OCF_ROOT=/usr/lib/ocf
export MAILHA_LIBDIR="$top/heartbeat" MAILHA_SBINDIR="$top/build/bin"
tmp=$(mktemp -d /tmp/mh-bench-pf.XXXXXX)
export MAILHA_RUNDIR="$tmp/run"
mkdir -p "$MAILHA_RUNDIR"
cleanup() {
    "$top/agents/postfix" stop >/dev/null 2>&1
    pfi_destroy
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

pfi_create "$tmp/pf"
export OCF_RESOURCE_INSTANCE=bench-pf OCF_RESKEY_config_dir="$PFI_CONF"
export OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=20000
"$top/agents/postfix" start || { echo "bench: start failed"; exit 1; }

# execs CMD... - number of successful execve() in CMD and all its children
execs() {
    strace -f -qq -e trace=execve -e status=successful -o "$tmp/strace" "$@" >/dev/null 2>&1
    grep -c 'execve(' "$tmp/strace"
}

# instrs CMD... - instructions executed by CMD and all its children
instrs() {
    rm -f "$tmp"/cg.*
    valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$tmp/cg.%p" \
        "$@" >/dev/null 2>&1
    cat "$tmp"/cg.* | awk '$1 == "totals:" { s += $2 } END { print s + 0 }'
}

# The probe exactly as the agent runs it at depth 10 (from its state file).
mh_state="$MAILHA_RUNDIR/mailha-postfix-$OCF_RESOURCE_INSTANCE.state"
PF_ENDPOINT=$(sed -n "s/^PF_ENDPOINT='\(.*\)'$/\1/p" "$mh_state")
PF_SIZE=$(sed -n "s/^PF_SIZE='\(.*\)'$/\1/p" "$mh_state")
probe="$top/build/bin/mailha-probe -e $PF_ENDPOINT -t 5000 -s $PF_SIZE"
$probe || { echo "bench: $probe failed"; exit 1; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
json="$tmp/hf.json"
hyperfine -N --warmup 5 --min-runs 50 --export-json "$json" \
    -n "heartbeat-postfix" "env OCF_RESKEY_config_dir=$PFI_CONF $RA_HB monitor" \
    -n "mailha-depth0" "env OCF_CHECK_LEVEL=0 $top/agents/postfix monitor" \
    -n "mailha-depth10" "env OCF_CHECK_LEVEL=10 $top/agents/postfix monitor" \
    -n "probe" "$probe" \
    -n "true" "/bin/true" \
    >"$tmp/hf.out" 2>&1 || { cat "$tmp/hf.out"; exit 1; }
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# counted without env(1): the agent's own exec and what it forks
e_hb=$(execs "$RA_HB" monitor)
e_d0=$(OCF_CHECK_LEVEL=0 execs "$top/agents/postfix" monitor)
e_d10=$(OCF_CHECK_LEVEL=10 execs "$top/agents/postfix" monitor)
i_hb=$(instrs "$RA_HB" monitor)
i_d0=$(OCF_CHECK_LEVEL=0 instrs "$top/agents/postfix" monitor)
i_d10=$(OCF_CHECK_LEVEL=10 instrs "$top/agents/postfix" monitor)
# shellcheck disable=SC2086  # $probe is a command line
i_probe=$(instrs $probe)
i_true=$(instrs /bin/true)

# dialogue HOST PORT N - the probe's SMTP dialogue N times in one process;
# prints the mean and median in ms
dialogue() {
    python3 - "$@" <<'PY'
import socket, statistics, sys, time
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def reply(f):
    while True:
        line = f.readline()
        if line[3:4] != b"-":
            return line
t = []
for i in range(n + 5):
    t0 = time.monotonic_ns()
    s = socket.create_connection((host, port))
    f = s.makefile("rb")
    ok = reply(f).startswith(b"220")
    s.sendall(b"EHLO probe.test\r\n")
    ok = reply(f).startswith(b"250") and ok
    s.sendall(b"QUIT\r\n")
    ok = reply(f).startswith(b"221") and ok
    s.close()
    if not ok:
        sys.exit("dialogue: unexpected reply")
    if i >= 5:
        t.append((time.monotonic_ns() - t0) / 1e6)
print(f"{statistics.mean(t):.2f} {statistics.median(t):.2f}")
PY
}
# interleaved N CMD... - medians of wall and CPU ms per command, in rounds
interleaved() {
    python3 - "$@" <<'PY'
import os, statistics, sys, time
n, cmds = int(sys.argv[1]), [c.split() for c in sys.argv[2:]]
wall, cpu = [[] for _ in cmds], [[] for _ in cmds]
null = os.open(os.devnull, os.O_WRONLY)
acts = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
for r in range(n + 3):
    for i, c in enumerate(cmds):
        t0 = time.monotonic_ns()
        pid = os.posix_spawn(c[0], c, os.environ, file_actions=acts)
        _, st, ru = os.wait4(pid, 0)
        t1 = time.monotonic_ns()
        if os.waitstatus_to_exitcode(st) != 0:
            sys.exit(f"interleaved: {' '.join(c)} failed")
        if r >= 3:
            wall[i].append((t1 - t0) / 1e6)
            cpu[i].append((ru.ru_utime + ru.ru_stime) * 1e3)
print(" ".join(f"{statistics.median(wall[i]):.2f} {statistics.median(cpu[i]):.2f}"
               for i in range(len(cmds))))
PY
}
load_before2=$(cut -d' ' -f1-3 /proc/loadavg)
il=$(interleaved 200 "/usr/bin/env OCF_CHECK_LEVEL=0 $top/agents/postfix monitor" \
    "/usr/bin/env OCF_CHECK_LEVEL=10 $top/agents/postfix monitor" "$probe" /bin/true) ||
    { echo "bench: interleaved run failed"; exit 1; }
load_after2=$(cut -d' ' -f1-3 /proc/loadavg)
dlg=$(dialogue "${PF_ENDPOINT%:*}" "${PF_ENDPOINT##*:}" 200) || { echo "bench: dialogue failed"; exit 1; }

echo "load average before/after the hyperfine run: $load_before / $load_after"
echo "load average before/after the interleaved run: $load_before2 / $load_after2"
# shellcheck disable=SC2086  # $dlg and $il are lists of numbers
python3 - "$json" "$e_hb" "$e_d0" "$e_d10" "$i_hb" "$i_d0" "$i_d10" "$i_probe" "$i_true" $dlg $il <<'EOF'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
e_hb, e_d0, e_d10 = sys.argv[2:5]
i_hb, i_d0, i_d10, i_probe, i_true = (int(x) for x in sys.argv[5:10])
def wall(n): return res[n]["mean"] * 1000
def med(n): return res[n]["median"] * 1000
def cpu(n): return (res[n]["user"] + res[n]["system"]) * 1000
hb = "heartbeat-postfix"
print("| monitor (recurring) | mean wall | median wall | mean CPU (user+sys) | instructions | processes exec'd | wall ratio | CPU ratio |")
print("|---|---|---|---|---|---|---|---|")
print(f"| ocf:heartbeat:postfix | {wall(hb):.2f} ms | {med(hb):.2f} ms | {cpu(hb):.2f} ms | {i_hb/1e6:.2f} M | {e_hb} | 1x | 1x |")
for n, label, e, i in (("mailha-depth0", "depth 0", e_d0, i_d0), ("mailha-depth10", "depth 10", e_d10, i_d10)):
    print(f"| ocf:mailha:postfix {label} | {wall(n):.2f} ms | {med(n):.2f} ms | {cpu(n):.2f} ms | {i/1e6:.2f} M | {e} | "
          f"{wall(hb)/wall(n):.0f}x faster | {cpu(hb)/cpu(n):.0f}x less |")
d0, d10 = "mailha-depth0", "mailha-depth10"
print(f"\ndepth 10 adds {wall(d10)-wall(d0):.2f} ms wall (mean), {med(d10)-med(d0):.2f} ms wall (median), "
      f"{cpu(d10)-cpu(d0):.2f} ms CPU, {(i_d10-i_d0)/1e3:.0f} k instructions over depth 0 (the SMTP dialogue on loopback)")
print("\n| in the same run | mean wall | median wall | mean CPU (user+sys) | instructions |")
print("|---|---|---|---|---|")
print(f"| mailha-probe alone (the agent's arguments) | {wall('probe'):.2f} ms | {med('probe'):.2f} ms | {cpu('probe'):.2f} ms | {i_probe/1e3:.0f} k |")
print(f"| /bin/true (any fork+exec) | {wall('true'):.2f} ms | {med('true'):.2f} ms | {cpu('true'):.2f} ms | {i_true/1e3:.0f} k |")
print(f"| the SMTP dialogue alone, in one process (200 times) | {float(sys.argv[10]):.2f} ms | {float(sys.argv[11]):.2f} ms | - | - |")
il = [float(x) for x in sys.argv[12:20]]
print("\nInterleaved (200 rounds, medians):\n")
print("| command | median wall | median CPU |")
print("|---|---|---|")
for k, label in enumerate(("depth 0", "depth 10", "mailha-probe alone", "/bin/true")):
    print(f"| {label} | {il[2*k]:.2f} ms | {il[2*k+1]:.2f} ms |")
print(f"\ninterleaved: depth 10 adds {il[2]-il[0]:.2f} ms wall, {il[3]-il[1]:.2f} ms CPU over depth 0 (medians)")
EOF
