#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-aliases.sh - mailha-aliases and ocf:mailha:aliases on 100k aliases
# and 1k mailing lists, side by side with their anchors in the same run:
#
#   stale check  agent depth-0 monitor and `mailha-aliases stale`
#                vs ocf:heartbeat:Dummy monitor          (target <= 10 ms)
#   validation   `mailha-aliases check`, lines per second (target >= 1M/s)
#   rebuild      `mailha-aliases --force rebuild` vs raw `postalias` on
#                the same file                            (target <= 1.2x)
#
# A scratch config directory (main.cf with alias_maps/alias_database only)
# is used through postconf -c / postalias -c; no Postfix daemon runs and the
# default instance is not touched.  Figures go to stdout and
# build/bench/aliases.json.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
runs=${MAILHA_BENCH_RUNS:-10}
helper=$top/build/bin/mailha-aliases
[ -x "$helper" ] || make -s all || exit 1
command -v hyperfine >/dev/null || { echo "bench-aliases: hyperfine missing" >&2; exit 1; }

work=$(mktemp -d /tmp/mh-bench-aliases.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
chmod 755 "$work"
conf=$work/etc
mkdir -p "$conf" "$work/lists" "$work/run"
cp /etc/postfix/master.cf "$conf/master.cf"
cat >"$conf/main.cf" <<EOF
compatibility_level = 3.6
alias_maps = hash:$conf/aliases
alias_database = hash:$conf/aliases
EOF

# 100k aliases, 1k lists (list, owner-list, list-request), 10 members each.
awk -v L="$work/lists" -v C="$conf" 'BEGIN {
    print "postmaster: root"
    for (i = 0; i < 100000; i++)
        printf "user%06d: u%06d@example.org, root\n", i, i
    for (j = 0; j < 1000; j++) {
        printf "list%04d: :include:%s/list%04d\n", j, L, j
        printf "owner-list%04d: root\n", j
        printf "list%04d-request: root\n", j
        f = sprintf("%s/list%04d", L, j)
        print "# members" > f
        for (k = 0; k < 10; k++)
            printf "user%06d\n", (j * 10 + k) % 100000 > f
        close(f)
    }
}' >"$conf/aliases"
chmod 644 "$work"/lists/*
postalias -c "$conf" "hash:$conf/aliases"
lines=$(cat "$conf/aliases" "$work"/lists/* | wc -l)

# the agent, started once so that its state file (the table list) exists
export MAILHA_LIBDIR="$top/heartbeat" MAILHA_SBINDIR="$top/build/bin" MAILHA_RUNDIR="$work/run"
export OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=bench OCF_RESKEY_config_dir="$conf"
export OCF_RESKEY_CRM_meta_interval=30000 OCF_CHECK_LEVEL=0
sh agents/aliases start || { echo "bench-aliases: agent start failed" >&2; exit 1; }

# load average before and after: wall times and the rebuild ratio depend on it
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
export OCF_RESKEY_state="$work/run/dummy.state"
sh "$OCF_ROOT/resource.d/heartbeat/Dummy" start
hyperfine -N --warmup 3 --runs $((runs * 5)) --export-json "$work/stale.json" \
    -n agent-monitor-depth0 "sh agents/aliases monitor" \
    -n helper-stale "$helper -c $conf stale" \
    -n anchor-Dummy-monitor "sh $OCF_ROOT/resource.d/heartbeat/Dummy monitor" \
    >"$work/stale.txt" 2>&1 || { cat "$work/stale.txt"; exit 1; }

hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/check.json" \
    -n check "$helper -c $conf check" \
    -n anchor-postalias "postalias -c $conf hash:$conf/aliases" \
    -n config-read "postconf -c $conf -x alias_maps alias_database default_database_type default_privs allow_mail_to_commands allow_mail_to_files recipient_delimiter" \
    >"$work/check.txt" 2>&1 || { cat "$work/check.txt"; exit 1; }

hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/rebuild.json" \
    -n rebuild "$helper -c $conf --force -q rebuild" \
    -n anchor-postalias "postalias -c $conf hash:$conf/aliases" \
    >"$work/rebuild.txt" 2>&1 || { cat "$work/rebuild.txt"; exit 1; }

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$work" "$lines" "$top/build/bench/aliases.json" "$load_before" "$load_after" <<'EOF'
import json, sys
work, lines, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
load_before, load_after = sys.argv[4], sys.argv[5]
def load(name):
    return {r["command"]: r for r in json.load(open(f"{work}/{name}.json"))["results"]}
st, ck, rb = load("stale"), load("check"), load("rebuild")
ms = lambda r: r["mean"] * 1000
cpu = lambda r: (r["user"] + r["system"]) * 1000
res = {
    "lines": lines,
    "loadavg_before": load_before,
    "loadavg_after": load_after,
    "stale_agent_ms": ms(st["agent-monitor-depth0"]),
    "stale_agent_cpu_ms": cpu(st["agent-monitor-depth0"]),
    "anchor_dummy_monitor_cpu_ms": cpu(st["anchor-Dummy-monitor"]),
    "stale_helper_ms": ms(st["helper-stale"]),
    "stale_helper_cpu_ms": cpu(st["helper-stale"]),
    "check_cpu_ms": cpu(ck["check"]),
    "anchor_dummy_monitor_ms": ms(st["anchor-Dummy-monitor"]),
    "check_ms": ms(ck["check"]),
    "check_lines_per_s": lines / ck["check"]["mean"],
    "check_cpu_lines_per_s": lines / (cpu(ck["check"]) / 1000),
    "config_read_ms": ms(ck["config-read"]),
    "config_read_cpu_ms": cpu(ck["config-read"]),
    "validation_cpu_lines_per_s": lines / ((cpu(ck["check"]) - cpu(ck["config-read"])) / 1000),
    "rebuild_cpu_ms": cpu(rb["rebuild"]),
    "postalias_cpu_ms": cpu(rb["anchor-postalias"]),
    "check_over_postalias": ck["check"]["mean"] / ck["anchor-postalias"]["mean"],
    "rebuild_ms": ms(rb["rebuild"]),
    "postalias_ms": ms(rb["anchor-postalias"]),
    "rebuild_over_postalias": rb["rebuild"]["mean"] / rb["anchor-postalias"]["mean"],
}
json.dump(res, open(out, "w"), indent=1)
print(f"aliases: {lines} lines (100k aliases, 1k lists of 10); load average {load_before}"
      f" before, {load_after} after")
print(f"stale check, agent depth-0 monitor: {res['stale_agent_ms']:.2f} ms wall, "
      f"{res['stale_agent_cpu_ms']:.2f} ms CPU (target <= 10; ocf:heartbeat:Dummy monitor "
      f"{res['anchor_dummy_monitor_ms']:.2f} ms wall, {res['anchor_dummy_monitor_cpu_ms']:.2f} ms CPU; "
      f"ratio {res['stale_agent_ms'] / res['anchor_dummy_monitor_ms']:.2f}x)")
print(f"stale check, mailha-aliases stale: {res['stale_helper_ms']:.2f} ms wall, "
      f"{res['stale_helper_cpu_ms']:.2f} ms CPU (includes one postconf run)")
print(f"validation: {res['check_ms']:.1f} ms wall ({res['check_cpu_ms']:.1f} ms CPU) = "
      f"{res['check_lines_per_s'] / 1e6:.2f} M lines/s "
      f"(target >= 1.0; {res['check_over_postalias']:.2f}x raw postalias)")
print(f"validation without the config read (postconf, {res['config_read_cpu_ms']:.1f} ms CPU): "
      f"{res['validation_cpu_lines_per_s'] / 1e6:.2f} M lines/s CPU "
      f"(whole command {res['check_cpu_lines_per_s'] / 1e6:.2f} M lines/s CPU)")
print(f"rebuild: {res['rebuild_ms']:.1f} ms vs raw postalias {res['postalias_ms']:.1f} ms = "
      f"{res['rebuild_over_postalias']:.2f}x (target <= 1.2; CPU {res['rebuild_cpu_ms']:.0f} vs "
      f"{res['postalias_cpu_ms']:.0f} ms)")
EOF
status=$?
sh agents/aliases stop
sh "$OCF_ROOT/resource.d/heartbeat/Dummy" stop
exit $status
