#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz.sh SECONDS - build every tests/fuzz/fuzz_*.c with libFuzzer, ASan and
# UBSan, replay its corpus, then fuzz it for SECONDS.  Prints "fuzz ok NAME"
# per target that found nothing.  MAILHA_FUZZ_BUILD names the build
# directory (default build-fuzz): two runs at once need two.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
secs=${1:-60}
B=${MAILHA_FUZZ_BUILD:-build-fuzz}
status=0
FZ="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
make -s B="$B" CC=clang OPT="-O1 -g" SAN="$FZ" "$B/libmailha-all.a" || exit 1
# The link libraries are the Makefile's (on glibc < 2.34 they include
# libdl, libanl and libpthread).
libs=$(make -s --no-print-directory print-libs)
cflags=$(pkg-config --cflags libqb libxml-2.0 nettle)
for src in tests/fuzz/fuzz_*.c; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .c)
    bin=$B/fuzz/$name
    mkdir -p "$B/fuzz" "$B/fuzz/$name.work"
    # shellcheck disable=SC2086
    if ! clang -std=gnu11 -D_GNU_SOURCE -Ihelpers/lib $cflags \
        -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -o "$bin" "$src" $B/libmailha-all.a $libs; then
        echo "fuzz FAILED to build $name"
        status=1
        continue
    fi
    corpus=tests/fuzz/corpus/$name
    mkdir -p "$corpus"
    if "$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
        -artifact_prefix="$B/fuzz/$name.work/" "$B/fuzz/$name.work" "$corpus" \
        >"$B/fuzz/$name.log" 2>&1; then
        echo "fuzz ok $name ($(grep -c . "$B/fuzz/$name.log") log lines)"
    else
        tail -n 40 "$B/fuzz/$name.log"
        echo "fuzz FAILED $name: crash input in $B/fuzz/$name.work/"
        status=1
    fi
done
exit $status
