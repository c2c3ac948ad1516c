#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# make deb: dpkg-buildpackage builds from the make dist tarball, its test
# step runs the unit tests, the package holds exactly what `make install`
# installs (docs and man pages compressed, Debian's copyright and changelog
# added), its Depends name the shared libraries and the cluster and mail
# packages, and lintian finds no error or warning.  Installing it with
# apt-get (real dependency resolution) is done in a pristine root by the
# fresh-machine stage (tests/fresh/run.sh).

load common


setup_file() {
    DEB_TMP=$(mktemp -d /tmp/mh-shipdeb.XXXXXX)
    export DEB_TMP
    VERSION=$(sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*//p' "$REPO/Makefile")
    export VERSION
    make -C "$REPO" deb >"$DEB_TMP/make.log" 2>&1 || { tail -n 40 "$DEB_TMP/make.log" >&2; return 1; }
    grep "/build/deb/.*\.deb$" "$DEB_TMP/make.log" | tail -n 1 >"$DEB_TMP/debpath"
}

teardown_file() {
    rm -rf "$DEB_TMP"
}

setup() {
    DEBFILE=$(cat "$DEB_TMP/debpath")
}

# installed_files - what make install puts in an empty DESTDIR, as the
# package must hold it (Debian compresses docs and man pages)
installed_files() {
    _d=$DEB_TMP/destdir
    rm -rf "$_d"
    make -s -C "$REPO/build/dist/mailha-$VERSION" prefix=/usr DESTDIR="$_d" install \
        >"$DEB_TMP/install.log" 2>&1 || return 1
    (cd "$_d" && find . -mindepth 1 | sed 's|^\.||') |
        sed -e 's|^\(/usr/share/man/.*\.[0-9]\)$|\1.gz|' \
            -e 's|^\(/usr/share/doc/mailha/.*\.md\)$|\1 MD|'
}

@test "make deb builds the binary package and prints its path" {
    assert_file_exists "$DEBFILE"
    assert_equal "$DEBFILE" "$REPO/build/deb/mailha_${VERSION}_$(dpkg --print-architecture).deb"
    run dpkg-deb -f "$DEBFILE" Package Version Architecture
    assert_success
    assert_output "Package: mailha
Version: $VERSION
Architecture: $(dpkg --print-architecture)"
}

@test "the build's test step ran the unit tests and they passed" {
    run grep -E '^check: [0-9]+ passed, 0 failed$' "$REPO/build/deb/build.log"
    assert_success
    run grep -E '^check: 0 passed' "$REPO/build/deb/build.log"
    assert_failure
}

@test "dpkg-deb -c: exactly what make install installs, plus copyright and changelog" {
    # directories every system has are left out on both sides
    common='^/(usr|usr/lib|usr/lib/ocf|usr/sbin|usr/share|usr/share/doc|usr/share/man|usr/share/man/man[0-9]|var|var/lib)$'
    dpkg-deb -c "$DEBFILE" >"$DEB_TMP/contents"
    awk '{ print $NF }' "$DEB_TMP/contents" | sed -e 's|^\./|/|' -e 's|/$||' |
        grep -v '^$' | grep -Ev "$common" | sort -u >"$DEB_TMP/actual"
    installed_files >"$DEB_TMP/installed.raw"
    # Debian compresses a doc over 4 kB; either name is the same file.
    while read -r f mark; do
        if [ "$mark" = MD ] && grep -qx "$f.gz" "$DEB_TMP/actual"; then
            echo "$f.gz"
        else
            echo "$f"
        fi
    done <"$DEB_TMP/installed.raw" >"$DEB_TMP/expected.0"
    {
        cat "$DEB_TMP/expected.0"
        echo /usr/share/doc/mailha/copyright
        echo /usr/share/doc/mailha/changelog.gz
        echo /usr/share/lintian
        echo /usr/share/lintian/overrides
        echo /usr/share/lintian/overrides/mailha
    } | grep -Ev "$common" | sort -u >"$DEB_TMP/expected"
    run diff -u "$DEB_TMP/expected" "$DEB_TMP/actual"
    assert_success
    # and it is not empty: the agents and helpers are there
    run grep -c -e '^/usr/lib/ocf/resource.d/mailha/' -e '^/usr/sbin/mailha-' "$DEB_TMP/actual"
    assert_success
    [ "$output" -ge 11 ]
}

@test "Depends: the helpers' shared libraries, libqb (dlopen), the cluster and Postfix" {
    run dpkg-deb -f "$DEBFILE" Depends
    assert_success
    for p in libc6 libxml2 libcpg4 libcmap4 libqb100 pacemaker pacemaker-cli-utils \
             resource-agents postfix; do
        echo "$output" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$p" ||
            { echo "Depends lacks $p: $output"; return 1; }
    done
    # libc6's version is the highest symbol version the helpers ask for:
    # RHEL 9's 2.34 at most (see the symbols stage of make check)
    run sh -c "dpkg-deb -f '$DEBFILE' Depends | grep -o 'libc6 (>= [0-9.]*)'"
    assert_success
    assert_output "libc6 (>= 2.34)"
}

@test "lintian: no error and no warning (each override explained in debian/)" {
    run --separate-stderr lintian --fail-on error,warning "$DEBFILE"
    assert_success
    run grep -E '^[EW]: ' <<<"$output"
    assert_failure
    # every override carries a comment saying why
    run grep -B1 '^mailha: ' "$REPO/debian/mailha.lintian-overrides"
    assert_success
    assert_line --index 0 --regexp '^#'
}

@test "deb.sh refuses a missing tarball and one whose version is not the Makefile's" {
    run sh "$REPO/tools/deb.sh" "$DEB_TMP/nothing.tar.gz"
    assert_failure
    assert_output --partial "no tarball"
    cp "$REPO/build/mailha-$VERSION.tar.gz" "$DEB_TMP/mailha-9.9.9.tar.gz"
    run sh "$REPO/tools/deb.sh" "$DEB_TMP/mailha-9.9.9.tar.gz"
    assert_failure
    assert_output --partial "not mailha-$VERSION.tar.gz"
}

@test "make uninstall removes every file make install put in DESTDIR; the state directory stays" {
    d=$DEB_TMP/uninst
    rm -rf "$d"
    make -s -C "$REPO/build/dist/mailha-$VERSION" prefix=/usr DESTDIR="$d" install \
        >"$DEB_TMP/uninst.log" 2>&1
    run find "$d" -type f
    assert_success
    assert_line "$d/usr/lib/tmpfiles.d/mailha.conf"
    assert_line --regexp "^$d(/usr)?/lib/systemd/system/mailha-logscan\.timer\$"
    assert_line "$d/usr/lib/ocf/resource.d/mailha/postfix"
    make -s -C "$REPO/build/dist/mailha-$VERSION" prefix=/usr DESTDIR="$d" uninstall \
        >>"$DEB_TMP/uninst.log" 2>&1
    run find "$d" -type f
    assert_success
    assert_output ""
    assert_dir_exists "$d/var/lib/mailha"
    run find "$d" -name '*mailha*' -not -path "$d/var/lib/mailha"
    assert_success
    assert_output ""
}

@test "the log health timer: both units verify, the service runs the installed helper, the package leaves it disabled" {
    d=$DEB_TMP/units
    rm -rf "$d"
    # a prefix of its own, so that ExecStart names a helper that exists
    make -s -C "$REPO/build/dist/mailha-$VERSION" prefix="$d/usr" systemdunitdir="$d/units" \
        statedir="$d/var/lib/mailha" tmpfilesdir="$d/tmpfiles" install >"$DEB_TMP/units.log" 2>&1
    run systemd-analyze verify --man=no "$d/units/mailha-logscan.service" "$d/units/mailha-logscan.timer"
    assert_success
    assert_output ""
    run sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$d/units/mailha-logscan.service"
    assert_output "$d/usr/sbin/mailha-logscan"
    assert_file_executable "$output"
    # the cursor in the state directory systemd makes, the log from MAILLOG
    run grep -c -e '^StateDirectory=mailha$' -e '^ExecStart=.* --cursor /var/lib/mailha/logscan.cursor --attr \${MAILLOG}$' \
        "$d/units/mailha-logscan.service"
    assert_output 2
    # every minute, and wanted by timers.target once enabled
    run grep -c -e '^OnUnitActiveSec=1min$' -e '^WantedBy=timers.target$' "$d/units/mailha-logscan.timer"
    assert_output 2
    # in the .deb: both units; postinst enables the timer only where the
    # admin had it enabled before (an upgrade), never on a first install
    run dpkg-deb -c "$DEBFILE"
    assert_output --regexp '\./lib/systemd/system/mailha-logscan\.service'
    assert_output --regexp '\./lib/systemd/system/mailha-logscan\.timer'
    rm -rf "$DEB_TMP/ctl"
    dpkg-deb -e "$DEBFILE" "$DEB_TMP/ctl"
    run grep -B2 "deb-systemd-helper enable 'mailha-logscan.timer'" "$DEB_TMP/ctl/postinst"
    assert_success
    assert_output --partial "was-enabled 'mailha-logscan.timer'"
    run grep -E 'systemctl .*start|deb-systemd-invoke .*start' "$DEB_TMP/ctl/postinst"
    assert_failure
}
