#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-logscan.sh - mailha-logscan against the runbook's egrep.
#
# A 1 GiB synthetic maillog (realistic Postfix lines, ~3% of them matching)
# under /var/tmp, scanned side by side in the same hyperfine run:
#   count: grep -c -E RE LOG            vs  mailha-logscan LOG
#   print: grep -E RE LOG               vs  mailha-logscan --print LOG
#   incremental: mailha-logscan --cursor after 1 MiB was appended to the
#   1 GiB log, vs grep -c and a full mailha-logscan over that 1 MiB alone.
# Output goes to a pipe (hyperfine --output=pipe): GNU grep stops at the
# first match when its stdout is /dev/null, which would flatter it.
# Figures are ratios against grep in the same run.  MAILHA_BENCH_MIB sets
# the log size (default 1024).  The log is deleted at the end.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
LS=$top/build/bin/mailha-logscan
RE='(reject|warning|error|fatal|panic):'
MIB=${MAILHA_BENCH_MIB:-1024}
out=$top/build/bench
mkdir -p "$out"

if [ ! -x "$LS" ]; then
    make -s build/bin/mailha-logscan || exit 1
fi
command -v hyperfine >/dev/null || { echo "bench-logscan: hyperfine missing" >&2; exit 1; }

work=$(mktemp -d /var/tmp/mailha-bench-logscan.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
log=$work/maillog
chunk=$work/chunk

# chunk - 1 MiB of log lines, made once, repeated into the big log
awk -v seed=7 'BEGIN {
    srand(seed)
    n = 0
    while (n < 1048576) {
        r = rand(); t = sprintf("Nov 28 %02d:%02d:%02d mx1", int(rand()*24), int(rand()*60), int(rand()*60))
        if (r < 0.35)      l = t " postfix/smtpd[" int(rand()*30000) "]: connect from unknown[192.0.2." int(rand()*255) "]"
        else if (r < 0.60) l = t " postfix/qmgr[812]: 4F1A2B" int(rand()*99999) ": from=<user" int(rand()*500) "@example.com>, size=" int(rand()*90000) ", nrcpt=1 (queue active)"
        else if (r < 0.85) l = t " postfix/local[" int(rand()*30000) "]: 4F1A2C" int(rand()*99999) ": to=<user" int(rand()*500) "@mx1.example.com>, relay=local, delay=0.12, delays=0.05/0.01/0/0.06, dsn=2.0.0, status=sent (delivered to mailbox)"
        else if (r < 0.97) l = t " postfix/smtpd[" int(rand()*30000) "]: disconnect from unknown[192.0.2." int(rand()*255) "] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"
        else if (r < 0.985) l = t " postfix/smtpd[" int(rand()*30000) "]: NOQUEUE: reject: RCPT from unknown[192.0.2." int(rand()*255) "]: 554 5.7.1 <x@example.net>: Relay access denied; proto=ESMTP helo=<h>"
        else if (r < 0.995) l = t " postfix/smtpd[" int(rand()*30000) "]: warning: hostname h" int(rand()*999) ".example does not resolve to address 192.0.2.1"
        else if (r < 0.999) l = t " postfix/local[" int(rand()*30000) "]: error: open database /etc/postfix/aliases.db: No such file or directory"
        else l = t " postfix/master[1]: fatal: bind 0.0.0.0 port 25: Address already in use"
        print l
        n += length(l) + 1
    }
}' > "$chunk"
i=0
: > "$log"
while [ $i -lt "$MIB" ]; do
    cat "$chunk"
    i=$((i + 1))
done >> "$log"
size=$(stat -c %s "$log")
echo "log: $size bytes ($MIB x 1 MiB chunk), $(grep -c -E "$RE" "$chunk") matching lines per MiB"

# the two must agree before they race
g=$(grep -c -E "$RE" "$log")
m=$("$LS" "$log" | tr ' ' '\n' | sed -n 's/^matched=//p')
if [ "$g" != "$m" ]; then
    echo "bench-logscan: grep counts $g lines, mailha-logscan $m" >&2
    exit 1
fi

hf() { # hf NAME CMD... - hyperfine, results as JSON
    _name=$1
    shift
    hyperfine --style basic --output=pipe --warmup 1 --min-runs 5 \
        --export-json "$out/logscan-$_name.json" "$@" >"$out/logscan-$_name.txt" 2>&1 || {
        cat "$out/logscan-$_name.txt" >&2
        return 1
    }
}

# mean NAME INDEX - mean seconds of command INDEX
mean() {
    jq -r ".results[$2].mean" "$out/logscan-$1.json"
}

ratio() { # ratio A B - A/B with 2 decimals
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

status=0
hf count -n grep-c "grep -c -E '$RE' $log" -n logscan "$LS $log" || status=1
hf print -n grep "grep -E '$RE' $log" -n logscan-print "$LS --print $log" || status=1

# incremental: a cursor at the end of the big log, 1 MiB appended
"$LS" --cursor "$work/cursor.base" "$log" >/dev/null
cat "$chunk" >> "$log"
hf incr -n incremental-1MiB-after-1GiB \
    --prepare "cp $work/cursor.base $work/cursor" "$LS --cursor $work/cursor $log" \
    -n logscan-1MiB-file "$LS $chunk" -n grep-c-1MiB-file "grep -c -E '$RE' $chunk" || status=1
[ $status -eq 0 ] || exit 1

gc=$(mean count 0); lc=$(mean count 1)
gp=$(mean print 0); lp=$(mean print 1)
li=$(mean incr 0); l1=$(mean incr 1); g1=$(mean incr 2)
mib=$((size / 1048576))
printf 'count  grep -c %.3fs (%s MiB/s)  mailha-logscan %.3fs (%s MiB/s)  logscan/grep time %s\n' \
    "$gc" "$(ratio "$mib" "$gc" | cut -d. -f1)" "$lc" "$(ratio "$mib" "$lc" | cut -d. -f1)" "$(ratio "$lc" "$gc")"
printf 'print  grep %.3fs  mailha-logscan --print %.3fs  logscan/grep time %s\n' "$gp" "$lp" "$(ratio "$lp" "$gp")"
printf 'incr   --cursor after +1 MiB on %s MiB: %.4fs; full scan of a 1 MiB file %.4fs (ratio %s); grep -c 1 MiB %.4fs\n' \
    "$mib" "$li" "$l1" "$(ratio "$li" "$l1")" "$g1"
printf 'incr/full-1GiB ratio %s\n' "$(ratio "$li" "$lc")"
