#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guide-blocks.sh - split a Markdown guide's tagged code blocks into files.
#
#   sh tools/guide-blocks.sh GUIDE.md OUTDIR
#
# A block opens with a fence and a tag in braces after the language:
#
#   ```sh {test}        run as is in the guide sandbox (tests/bats/ship-guide.bats)
#   ```sh {pcs}         pcs commands, run against a scratch CIB (pcs -f)
#   ```sh {cluster}     only on a real multi-node cluster or real DRBD: checked
#                       with sh -n here; the line before it must be a marker,
#                       "<!-- lab: NAME -->" (the cluster lab runs the block,
#                       tests/cluster/guide.sh) or "<!-- lab: not run: REASON -->"
#   ```sh {backup}      on the backup MX host: run in a second sandbox host
#   ```text {file=PATH} a file's contents; the sandbox writes it to PATH
#
# Every sh block must carry one of these tags, so no command of the guide
# escapes its test: an untagged ```sh block is an error.  Blocks in other
# languages without a tag (output shown to the reader) are left alone.
#
# Writes OUTDIR/NNN.sh (or NNN.file) per tagged block, in guide order, and
# prints one line per block: "NNN TAG LINE [PATH]", LINE being the guide
# line of the opening fence.  Exit 0, or 1 with "GUIDE:LINE: reason" on
# stderr for an untagged or unknown-tagged sh block or an unclosed fence.
set -eu

guide=${1:?usage: guide-blocks.sh GUIDE.md OUTDIR}
out=${2:?usage: guide-blocks.sh GUIDE.md OUTDIR}
mkdir -p "$out"

awk -v out="$out" -v guide="$guide" '
function fail(msg) {
    printf "%s:%d: %s\n", guide, NR, msg > "/dev/stderr"
    bad = 1
}
BEGIN {
    inblock = 0
    n = 0
    bad = 0
}
inblock && /^```[ \t]*$/ {
    close(file)
    inblock = 0
    next
}
inblock {
    if (file != "") {
        print > file
    }
    next
}
/^```/ {
    info = substr($0, 4)
    lang = info
    sub(/[ \t{].*/, "", lang)
    tag = ""
    path = ""
    if (match(info, /\{[^}]*\}/)) {
        tag = substr(info, RSTART + 1, RLENGTH - 2)
    }
    if (tag ~ /^file=/) {
        path = substr(tag, 6)
        tag = "file"
    }
    inblock = 1
    start = NR
    file = ""
    if (tag == "") {
        if (lang == "sh" || lang == "shell" || lang == "bash" || lang == "console") {
            fail("shell block without a test tag ({test}, {pcs}, {cluster} or {backup})")
        }
        next
    }
    if (tag != "test" && tag != "pcs" && tag != "cluster" && tag != "backup" && tag != "file") {
        fail("unknown block tag {" tag "}")
        next
    }
    if (tag == "cluster" && prev !~ /^<!-- lab: [^ ].* -->$/) {
        fail("{cluster} block without a \"<!-- lab: NAME -->\" or \"<!-- lab: not run: REASON -->\" line before it")
        next
    }
    if (tag == "file" && path !~ /^\//) {
        fail("{file=PATH} needs an absolute PATH")
        next
    }
    n++
    file = sprintf("%s/%03d.%s", out, n, tag == "file" ? "file" : "sh")
    printf "" > file
    printf "%03d %s %d%s\n", n, tag, start, path == "" ? "" : " " path
    next
}
!/^[ \t]*$/ {
    prev = $0
}
END {
    if (inblock) {
        printf "%s:%d: code block not closed\n", guide, start > "/dev/stderr"
        bad = 1
    }
    exit bad
}
' "$guide"
