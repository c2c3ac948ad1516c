#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# doc/admin-guide.md: every command block is tagged and run
# (tools/guide-sandbox.sh): {test} blocks for real on a sandboxed node1,
# {backup} blocks on a second sandbox host, {pcs} blocks against a scratch
# CIB that crm_verify must accept, {cluster} blocks syntax-checked here and
# run by the cluster lab (tests/cluster/guide.sh; this file checks that the
# lab knows every one of them).  The runner itself must catch a failing
# block and an untagged one.

load common


setup_file() {
    GUIDE_TMP=$(mktemp -d /tmp/mh-shipguide.XXXXXX)
    export GUIDE_TMP
    make -s -C "$REPO" all >/dev/null
}

teardown_file() {
    rm -rf "$GUIDE_TMP"
}

@test "every shell block of the guide is tagged, and each kind is present" {
    run sh "$REPO/tools/guide-blocks.sh" "$REPO/doc/admin-guide.md" "$GUIDE_TMP/blocks"
    assert_success
    for tag in test pcs cluster backup file; do
        assert_line --regexp "^[0-9]{3} $tag [0-9]+"
    done
}

@test "the guide's commands run: sandboxed node, scratch CIB, crm_verify" {
    run sh "$REPO/tools/guide-sandbox.sh" "$REPO/doc/admin-guide.md" "$GUIDE_TMP/w"
    echo "$output"
    assert_success
    refute_line --regexp '^not ok'
    assert_line --regexp '^ok [0-9]+ crm_verify accepts'
    # the sandbox is gone: no process left in it, its directory removed
    assert_not_exist "$GUIDE_TMP/w"
}

@test "the runner fails on a failing block, and names its guide line" {
    printf '# g\n\n```sh {test}\ntrue\n```\n\n```sh {test}\nfalse\n```\n' >"$GUIDE_TMP/bad.md"
    run sh "$REPO/tools/guide-sandbox.sh" "$GUIDE_TMP/bad.md" "$GUIDE_TMP/w2"
    assert_failure
    assert_line --regexp '^ok 2 \{test\} block \(guide line 3\)$'
    assert_line --regexp '^not ok 3 \{test\} block \(guide line 7\): exit 1$'
}

@test "the runner refuses an untagged shell block and an unknown tag" {
    printf '```sh\nrm -rf /tmp/x\n```\n\n```sh {maybe}\ntrue\n```\n' >"$GUIDE_TMP/untagged.md"
    run sh "$REPO/tools/guide-blocks.sh" "$GUIDE_TMP/untagged.md" "$GUIDE_TMP/b2"
    assert_failure
    assert_output --partial "untagged.md:1: shell block without a test tag"
    assert_output --partial "untagged.md:5: unknown block tag {maybe}"
}

@test "the sandbox keeps the guide off this machine: no user1, /etc/postfix untouched" {
    run getent passwd mailha-probe
    if [ "$status" -eq 0 ]; then
        skip "this machine has a mailha-probe account of its own"
    fi
    run getent passwd user1
    [ "$status" -ne 0 ] || [ "$(id -u user1)" != 2001 ]
    # /etc/postfix/aliases may not exist here (Debian's is /etc/aliases);
    # where it does, no line of the guide's is in it
    if [ -e /etc/postfix/aliases ]; then
        run -1 grep -q 'mail_list/staff' /etc/postfix/aliases
    fi
}

@test "a {cluster} block needs a lab marker line before it" {
    printf '# g\n\n```sh {cluster}\npcs status\n```\n\n<!-- lab: status -->\n```sh {cluster}\npcs status\n```\n' >"$GUIDE_TMP/nomark.md"
    run sh "$REPO/tools/guide-blocks.sh" "$GUIDE_TMP/nomark.md" "$GUIDE_TMP/b3"
    assert_failure
    assert_output --partial 'nomark.md:3: {cluster} block without a "<!-- lab: NAME -->"'
    refute_output --partial 'nomark.md:8:'
}

@test "every {cluster} block is run by the cluster lab, or its marker says why not" {
    # the marker before each {cluster} block: a name, or "not run: REASON"
    run awk '/^```sh \{cluster\}/ {
                 if (prev ~ /^<!-- lab: not run: .+ -->$/) { print "not-run" }
                 else if (prev ~ /^<!-- lab: [a-z0-9-]+ -->$/) { split(prev, f, " "); print f[3] }
                 else { print "UNMARKED:" NR } }
             !/^[ \t]*$/ { prev = $0 }' "$REPO/doc/admin-guide.md"
    assert_success
    refute_output --partial UNMARKED
    # the RPM installation is the one block the Debian lab cannot run
    [ "$(echo "$output" | grep -c '^not-run$')" -eq 1 ]
    names=$(echo "$output" | grep -v '^not-run$')
    [ "$(echo "$names" | wc -l)" -ge 12 ]
    for n in $names; do
        # the lab runs it: guide_in_node NAME, guide_on_host NAME or guide_cmds NAME
        run grep -rlE "guide_(in_node|on_host|cmds) $n( |\$|\"|\))" "$REPO/tests/cluster"
        assert_success
    done
}
