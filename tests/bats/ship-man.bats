#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Man pages: generated at build time (tools/mkman.sh) from every agent's
# meta-data and every helper's manual comment; they render without a single
# groff/man warning, carry every parameter and a pcs example that pcs
# accepts, and make install puts them in place.

load common


setup_file() {
    MAN_TMP=$(mktemp -d /tmp/mh-shipman.XXXXXX)
    export MAN_TMP
    make -s -C "$REPO" all >/dev/null
    sh "$REPO/tools/mkman.sh" "$MAN_TMP/man" >/dev/null
}

teardown_file() {
    rm -rf "$MAN_TMP"
}

# render PAGE - the warnings of man and groff for PAGE, nothing when clean
render() {
    # man's warnings (stderr) to our stdout, the rendered page dropped
    # shellcheck disable=SC2069
    MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null
    groff -ww -z -man "$1" 2>&1
}

@test "a page per agent and per operator command" {
    for a in "$REPO"/agents/*; do
        assert_file_exists "$MAN_TMP/man/ocf_mailha_$(basename "$a").7"
    done
    for m in "$REPO"/helpers/*/main.c; do
        n=$(basename "$(dirname "$m")")
        assert_file_exists "$MAN_TMP/man/mailha-$n.8"
    done
}

@test "every page renders with man -l and groff -ww without a warning" {
    n=0
    for p in "$MAN_TMP"/man/*.[78]; do
        run render "$p"
        assert_success
        assert_output ""
        MANWIDTH=80 man -l "$p" | grep -q .
        n=$((n + 1))
    done
    [ "$n" -ge 2 ]
}

@test "the warning check itself catches a broken page" {
    printf '.TH BAD 8\n.SH NAME\nbad \\- page\n.XX undefined macro\n' >"$MAN_TMP/bad.8"
    run render "$MAN_TMP/bad.8"
    assert_output --partial "macro 'XX' not defined"
}

@test "each agent page lists every parameter and every action of its meta-data" {
    for a in "$REPO"/agents/*; do
        name=$(basename "$a")
        page=$(MANWIDTH=200 man -l "$MAN_TMP/man/ocf_mailha_$name.7")
        md=$(MAILHA_LIBDIR="$REPO/heartbeat" sh "$a" meta-data)
        for p in $(printf '%s\n' "$md" | sed -n 's/.*<parameter name="\([^"]*\)".*/\1/p'); do
            printf '%s\n' "$page" | grep -Eq "^ +$p - " || fail "ocf_mailha_$name.7 lacks parameter $p"
        done
        for act in $(printf '%s\n' "$md" | sed -n 's/.*<action name="\([^"]*\)".*/\1/p' | sort -u); do
            printf '%s\n' "$page" | grep -Eq "^ +$act( |$)" || fail "ocf_mailha_$name.7 lacks action $act"
        done
        for d in $(printf '%s\n' "$md" | sed -n 's/.*<action name="monitor" depth="\([1-9][0-9]*\)".*/\1/p'); do
            printf '%s\n' "$page" | grep -q "OCF_CHECK_LEVEL=$d" || fail "ocf_mailha_$name.7 lacks depth $d"
        done
    done
}

@test "each agent page has a pcs resource create example that pcs accepts" {
    make -s -C "$REPO" install prefix=/usr >/dev/null
    for a in "$REPO"/agents/*; do
        name=$(basename "$a")
        ex=$(MANWIDTH=200 man -l "$MAN_TMP/man/ocf_mailha_$name.7" |
            sed -n '/^EXAMPLE/,/^SEE ALSO/p' |
            sed -n '/pcs resource create/,/^ *$/p' | sed 's/\\$//' | tr -s ' \n' ' ')
        case $ex in
            *"pcs resource create $name ocf:mailha:$name"*) ;;
            *) fail "no pcs example in ocf_mailha_$name.7: $ex" ;;
        esac
        cibadmin --empty >"$MAN_TMP/cib-$name.xml"
        # the example's words, split on purpose
        # shellcheck disable=SC2046,SC2086
        run pcs -f "$MAN_TMP/cib-$name.xml" $(printf '%s' "$ex" | sed 's/^ *pcs //; s/VALUE/\/dev\/null/g')
        assert_success
        run grep "<primitive id=\"$name\"" "$MAN_TMP/cib-$name.xml"
        assert_output --partial 'provider="mailha"'
        assert_output --partial "type=\"$name\""
        # one op per advertised monitor depth
        run grep -c "name=\"monitor\"" "$MAN_TMP/cib-$name.xml"
        assert_output "$(MAILHA_LIBDIR="$REPO/heartbeat" sh "$a" meta-data | grep -c '<action name="monitor"')"
    done
}

@test "helper pages come from the manual comment: name, synopsis, exit status" {
    for m in "$REPO"/helpers/*/main.c; do
        n=$(basename "$(dirname "$m")")
        run env MANWIDTH=200 man -l "$MAN_TMP/man/mailha-$n.8"
        assert_success
        assert_output --partial "mailha-$n - "
        assert_output --partial "SYNOPSIS"
        assert_line --regexp "^(EXIT STATUS|DIAGNOSTICS)$"
    done
}

@test "mkman refuses a helper whose manual comment has no SUMMARY" {
    printf '/*\n * NAME\n *\tmailha-x 8\n * SYNOPSIS\n *\tmailha-x\n */\nint main(void) { return 0; }\n' \
        >"$MAN_TMP/bad.c"
    run awk -v prog=mailha-x -v version=0 -v date=d -f "$REPO/tools/mkman-c.awk" "$MAN_TMP/bad.c"
    assert_failure
    assert_output --partial "no SUMMARY"
}

@test "mkman fails, naming the agent, when an agent's meta-data fails" {
    mkdir -p "$MAN_TMP/tree/agents" "$MAN_TMP/tree/tools" "$MAN_TMP/tree/heartbeat"
    cp "$REPO/Makefile" "$MAN_TMP/tree/"
    cp "$REPO/tools/mkman.sh" "$REPO/tools/mkman.xsl" "$REPO/tools/mkman-c.awk" "$MAN_TMP/tree/tools/"
    printf '#!/bin/sh\necho "broken on purpose" >&2\nexit 1\n' >"$MAN_TMP/tree/agents/broken"
    run sh "$MAN_TMP/tree/tools/mkman.sh" "$MAN_TMP/tree/out"
    assert_failure
    assert_output --partial "meta-data of agents/broken failed: broken on purpose"
}

@test "make install puts the pages under mandir" {
    make -s -C "$REPO" install DESTDIR="$MAN_TMP/root" prefix=/usr >/dev/null
    for p in "$MAN_TMP"/man/*.7; do
        assert_file_exists "$MAN_TMP/root/usr/share/man/man7/$(basename "$p")"
    done
    for p in "$MAN_TMP"/man/*.8; do
        assert_file_exists "$MAN_TMP/root/usr/share/man/man8/$(basename "$p")"
    done
    run env MANPATH="$MAN_TMP/root/usr/share/man" man -w ocf_mailha_postfix
    assert_success
    assert_output "$MAN_TMP/root/usr/share/man/man7/ocf_mailha_postfix.7"
}
