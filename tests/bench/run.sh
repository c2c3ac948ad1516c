#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - `make bench`: run every tests/bench/bench-*.sh in turn.
# Each prints its figures (ratios against the anchors measured in the same
# run) and writes them under build/bench/.  Set MAILHA_BENCH=NAME to run one.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
mkdir -p build/bench
status=0
for b in tests/bench/bench-*.sh; do
    [ -f "$b" ] || continue
    name=$(basename "$b" .sh)
    name=${name#bench-}
    if [ -n "${MAILHA_BENCH:-}" ] && [ "$MAILHA_BENCH" != "$name" ]; then
        continue
    fi
    echo "=== bench: $name"
    if ! sh "$b" 2>&1 | tee "build/bench/$name.txt"; then
        status=1
    fi
done
exit $status
