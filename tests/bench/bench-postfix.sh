#!/bin/sh
# bench-postfix.sh - the monitor's cost, ocf:mailha:postfix against
# ocf:heartbeat:postfix, side by side on the same running Postfix.
#
# Both agents are called as Pacemaker calls a recurring monitor
# (OCF_RESKEY_CRM_meta_interval set).  Wall time from hyperfine (mean of
# many runs), processes exec'd per call from strace -f -e trace=execve.
# Prints a Markdown table; ratios are against the resource-agents monitor.
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

json="$tmp/hf.json"
hyperfine -N --warmup 5 --min-runs 50 --export-json "$json" \
    -n "heartbeat-postfix" "env OCF_RESKEY_config_dir=$PFI_CONF $RA_HB monitor" \
    -n "mailha-depth0" "env OCF_CHECK_LEVEL=0 $top/agents/postfix monitor" \
    -n "mailha-depth10" "env OCF_CHECK_LEVEL=10 $top/agents/postfix monitor" \
    >"$tmp/hf.out" 2>&1 || { cat "$tmp/hf.out"; exit 1; }

mean() { # mean NAME FIELD - seconds, from the hyperfine JSON
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
r=[r for r in d["results"] if r["command"]==sys.argv[2]][0]
print(r["mean"] if sys.argv[3]=="wall" else r["user"]+r["system"])' "$json" "$1" "$2"
}
hb=$(mean heartbeat-postfix wall)
d0=$(mean mailha-depth0 wall)
d10=$(mean mailha-depth10 wall)
c_hb=$(mean heartbeat-postfix cpu)
c_d0=$(mean mailha-depth0 cpu)
c_d10=$(mean mailha-depth10 cpu)
# counted without env(1): the agent's own exec and what it forks
e_hb=$(execs "$RA_HB" monitor)
e_d0=$(OCF_CHECK_LEVEL=0 execs "$top/agents/postfix" monitor)
e_d10=$(OCF_CHECK_LEVEL=10 execs "$top/agents/postfix" monitor)

uptime
python3 - "$hb" "$d0" "$d10" "$c_hb" "$c_d0" "$c_d10" "$e_hb" "$e_d0" "$e_d10" <<'EOF'
import sys
hb, d0, d10, c_hb, c_d0, c_d10 = (float(x) for x in sys.argv[1:7])
e_hb, e_d0, e_d10 = sys.argv[7:10]
print("| monitor (recurring) | mean wall | mean CPU (user+sys) | processes exec'd | wall ratio | CPU ratio |")
print("|---|---|---|---|---|---|")
print(f"| ocf:heartbeat:postfix | {hb*1000:.2f} ms | {c_hb*1000:.2f} ms | {e_hb} | 1x | 1x |")
print(f"| ocf:mailha:postfix depth 0 | {d0*1000:.2f} ms | {c_d0*1000:.2f} ms | {e_d0} | {hb/d0:.0f}x faster | {c_hb/c_d0:.0f}x less |")
print(f"| ocf:mailha:postfix depth 10 | {d10*1000:.2f} ms | {c_d10*1000:.2f} ms | {e_d10} | {hb/d10:.0f}x faster | {c_hb/c_d10:.0f}x less |")
print(f"\ndepth 10 adds {(d10-d0)*1000:.2f} ms wall, {(c_d10-c_d0)*1000:.2f} ms CPU over depth 0 (the SMTP dialogue on loopback)")
EOF
