#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-drift.sh - mailha-drift and ocf:mailha:drift, side by side with
# their anchors in the same run, on a two-node corosync lab
# (tests/lib/ns-cluster.sh):
#
#   monitor     ocf:mailha:drift monitor (fork-free, daemon joined)
#               vs ocf:heartbeat:Dummy monitor
#   collect     mailha-drift --digest (postconf + alias files + accounts)
#               vs the one postconf -x call it makes
#   detection   seconds from `postconf -e` on node2 until node1's
#               mailha-drift --query names the item (--interval 1), and
#               until it clears again
#
# Figures go to stdout and build/bench/drift.json.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
runs=${MAILHA_BENCH_RUNS:-20}
drift=$top/build/bin/mailha-drift
[ -x "$drift" ] || make -s all || exit 1
command -v hyperfine >/dev/null || { echo "bench-drift: hyperfine missing" >&2; exit 1; }
# shellcheck source=tests/lib/ns-cluster.sh
. "$top/tests/lib/ns-cluster.sh"

work=$(mktemp -d /tmp/mh-bench-drift.XXXXXX)
cleanup() {
    nsc_stop
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
nsc_start "$work/lab" 2 || exit 1
for i in 1 2; do
    nsc_bg "$i" /var/log/drift.log "$drift" --interval 1 >/dev/null
done
t=200
until nsc_exec 1 "$drift" --query 2>/dev/null | grep -q '): ok$'; do
    t=$((t - 1))
    [ $t -gt 0 ] || { echo "bench-drift: daemons did not agree" >&2; exit 1; }
    sleep 0.1
done

# monitor: the agent as Pacemaker runs it, inside node1
env="MAILHA_LIBDIR=$top/heartbeat MAILHA_SBINDIR=$top/build/bin OCF_ROOT=/usr/lib/ocf"
env="$env OCF_RESOURCE_INSTANCE=bench OCF_RESKEY_CRM_meta_interval=30000"
env="$env OCF_RESKEY_state=/run/mailha/drift.state HA_RSCTMP=/run"
# shellcheck disable=SC2086  # $env is a list of assignments
nsc_exec 1 env $env sh "$top/agents/drift" monitor ||
    { echo "bench-drift: monitor does not succeed" >&2; exit 1; }
# Dummy's monitor says 7 (not running): hyperfine -i keeps the timing
nsc_exec 1 hyperfine -N -i -w 3 -r "$runs" --export-json "$work/monitor.json" \
    -n drift-monitor "env $env sh $top/agents/drift monitor" \
    -n anchor-Dummy-monitor "env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=bench HA_RSCTMP=/run sh /usr/lib/ocf/resource.d/heartbeat/Dummy monitor" \
    >/dev/null

params=$(sed -n '/^static const char \*const drift_default_params/,/^};/p' helpers/drift/main.c |
    tr -d '",' | sed '1d;$d' | tr -s ' \n' ' ')
nsc_exec 1 hyperfine -N -w 2 -r "$runs" --export-json "$work/collect.json" \
    -n drift-digest "$drift --digest" \
    -n anchor-postconf "postconf -x $params mail_version alias_maps" >/dev/null

# detection: a parameter changed on node2, seen on node1
now_ms() { date +%s%3N; }
t0=$(now_ms)
nsc_exec 2 postconf -e "relayhost = [bench.example]"
until nsc_exec 1 "$drift" --query | grep -q "main.cf:relayhost: differs"; do sleep 0.05; done
t1=$(now_ms)
nsc_exec 2 postconf -e "relayhost ="
until nsc_exec 1 "$drift" --query | grep -q '): ok$'; do sleep 0.05; done
t2=$(now_ms)

python3 - "$work/monitor.json" "$work/collect.json" "$((t1 - t0))" "$((t2 - t1))" \
    "$top/build/bench/drift.json" <<'PY'
import json, sys
mon = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
col = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}
m, ma = mon["drift-monitor"]["mean"], mon["anchor-Dummy-monitor"]["mean"]
c, ca = col["drift-digest"]["mean"], col["anchor-postconf"]["mean"]
out = {
    "monitor_ms": round(m * 1000, 2), "anchor_dummy_monitor_ms": round(ma * 1000, 2),
    "monitor_ratio": round(m / ma, 2),
    "digest_ms": round(c * 1000, 2), "anchor_postconf_ms": round(ca * 1000, 2),
    "digest_ratio": round(c / ca, 2),
    "detect_ms": int(sys.argv[3]), "clear_ms": int(sys.argv[4]),
}
print("monitor   ocf:mailha:drift %.2f ms  vs ocf:heartbeat:Dummy %.2f ms  ratio %.2f"
      % (out["monitor_ms"], out["anchor_dummy_monitor_ms"], out["monitor_ratio"]))
print("collect   mailha-drift --digest %.2f ms  vs postconf -x %.2f ms  ratio %.2f"
      % (out["digest_ms"], out["anchor_postconf_ms"], out["digest_ratio"]))
print("detection change seen on the other node in %d ms, cleared in %d ms (interval 1 s)"
      % (out["detect_ms"], out["clear_ms"]))
json.dump(out, open(sys.argv[5], "w"), indent=1)
PY
