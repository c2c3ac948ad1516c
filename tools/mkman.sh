#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# mkman.sh - generate mailha's man pages into OUTDIR (make all runs it).
#
#   sh tools/mkman.sh OUTDIR
#
# ocf_mailha_AGENT.7   from each agent's meta-data (agents/AGENT meta-data)
#                      through tools/mkman.xsl: parameters, actions and an
#                      example pcs resource create line, so a page cannot
#                      drift from what the agent advertises;
# mailha-NAME.8        for every operator command helpers/NAME/main.c, from
#                      the manual-page comment block that opens that file
#                      (NAME, SUMMARY, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT
#                      STATUS, DIAGNOSTICS ...), so the page is written once,
#                      next to the code; doc/mailha-NAME.md, when it exists,
#                      is named under SEE ALSO;
# doc/man/*.[1-8]      hand-written pages, copied as they are.
#
# The page date is SOURCE_DATE_EPOCH when set (reproducible builds), else
# the source file's modification time.  Any failure ends the script with a
# message naming the page and a non-zero status, leaving OUTDIR as it was.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: mkman.sh OUTDIR}
version=$(sed -n 's/^VERSION[[:space:]]*:*=[[:space:]]*//p' "$top/Makefile")
provider=mailha
: "${MAILHA_DOCDIR:=/usr/share/doc/mailha}"

# page_date FILE - the date a page shows
page_date() {
    if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
        date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d
    else
        date -u -r "$1" +%Y-%m-%d
    fi
}

# die MSG - report and stop
die() {
    echo "mkman: $*" >&2
    exit 1
}

# agent_page AGENT TMPDIR - TMPDIR/pages/ocf_mailha_AGENT.7 from its meta-data
agent_page() {
    _md=$2/$1.xml
    if ! MAILHA_LIBDIR=$top/heartbeat sh "$top/agents/$1" meta-data >"$_md" 2>"$2/err"; then
        die "meta-data of agents/$1 failed: $(cat "$2/err")"
    fi
    # --novalid: the DOCTYPE names ra-api-1.dtd by a relative path that is
    # not here; the page needs no default attributes from it.
    if ! xsltproc --novalid --nonet \
            --stringparam provider "$provider" \
            --stringparam version "$version" \
            --stringparam date "$(page_date "$top/agents/$1")" \
            "$top/tools/mkman.xsl" "$_md" >"$2/pages/ocf_${provider}_$1.7" 2>"$2/err"; then
        die "xsltproc for agents/$1 failed: $(cat "$2/err")"
    fi
}

# command_page NAME PAGEDIR - PAGEDIR/mailha-NAME.8 from helpers/NAME/main.c
command_page() {
    _src=$top/helpers/$1/main.c
    _md=""
    [ -f "$top/doc/mailha-$1.md" ] && _md="$MAILHA_DOCDIR/mailha-$1.md"
    if ! awk -v prog="mailha-$1" -v version="$version" -v date="$(page_date "$_src")" \
            -v mddoc="$_md" -v docdir="$MAILHA_DOCDIR" \
            -f "$top/tools/mkman-c.awk" "$_src" >"$2/mailha-$1.8" 2>"$tmp/err"; then
        die "manual comment of helpers/$1/main.c: $(cat "$tmp/err")"
    fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkman.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/pages"

for a in "$top"/agents/*; do
    [ -f "$a" ] || continue
    agent_page "$(basename "$a")" "$tmp"
done

for m in "$top"/helpers/*/main.c; do
    [ -f "$m" ] || continue
    n=$(basename "$(dirname "$m")")
    [ "$n" != lib ] || continue
    command_page "$n" "$tmp/pages"
done

for p in "$top"/doc/man/*.[1-8]; do
    [ -f "$p" ] || continue
    cp "$p" "$tmp/pages/"
done

mkdir -p "$out"
rm -f "$out"/*.[1-8]
for p in "$tmp"/pages/*; do
    [ -f "$p" ] || continue
    cp "$p" "$out/"
done
echo "mkman: $(find "$out" -name '*.[1-8]' | wc -l) pages in $out"
