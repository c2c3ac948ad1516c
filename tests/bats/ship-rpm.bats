#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# make rpm: the spec builds from the make dist tarball (rpmbuild --nodeps on
# Debian, see tools/rpm.sh), %check runs the unit tests, the package holds
# exactly the files the tree says it should, and it installs into (and
# erases from) an empty root with rpm --root.

load common


setup_file() {
    RPM_TMP=$(mktemp -d /tmp/mh-shiprpm.XXXXXX)
    export RPM_TMP
    VERSION=$(sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*//p' "$REPO/Makefile")
    export VERSION
    make -C "$REPO" rpm >"$RPM_TMP/build.log" 2>&1 || { tail -n 40 "$RPM_TMP/build.log" >&2; return 1; }
    grep "/build/rpm/RPMS/.*\.rpm$" "$RPM_TMP/build.log" | tail -n 1 >"$RPM_TMP/rpmpath"
}

teardown_file() {
    rm -rf "$RPM_TMP"
}

setup() {
    RPMFILE=$(cat "$RPM_TMP/rpmpath")
}

# expected_files - what the package must hold, from the released tree
expected_files() {
    _src=$REPO/build/dist/mailha-$VERSION
    echo /usr/lib/ocf/resource.d/mailha
    for a in "$_src"/agents/*; do
        echo "/usr/lib/ocf/resource.d/mailha/$(basename "$a")"
        echo "/usr/share/man/man7/ocf_mailha_$(basename "$a").7"
    done
    echo /usr/lib/ocf/lib/mailha
    echo /usr/lib/ocf/lib/mailha/mailha-shellfuncs
    for m in "$_src"/helpers/*/main.c; do
        n=$(basename "$(dirname "$m")")
        echo "/usr/sbin/mailha-$n"
        echo "/usr/share/man/man8/mailha-$n.8"
    done
    echo /var/lib/mailha
    echo /usr/lib/tmpfiles.d/mailha.conf
    echo /usr/lib/systemd/system/mailha-logscan.service
    echo /usr/lib/systemd/system/mailha-logscan.timer
    echo /usr/share/licenses/mailha
    echo /usr/share/licenses/mailha/LICENSE
    echo /usr/share/doc/mailha
    echo /usr/share/doc/mailha/README.md
    for d in "$_src"/doc/*.md; do
        echo "/usr/share/doc/mailha/$(basename "$d")"
    done
}

@test "make rpm builds a binary and a source package and prints the path" {
    assert_file_exists "$RPMFILE"
    run rpm -qp --qf '%{NAME} %{VERSION} %{ARCH}\n' "$RPMFILE"
    assert_success
    assert_output "mailha $VERSION $(uname -m)"
    run find "$REPO/build/rpm/SRPMS" -name "mailha-$VERSION-*.src.rpm"
    assert_output --regexp 'src\.rpm$'
}

@test "%check ran the unit tests and they passed" {
    run grep -E '^check: [0-9]+ passed, 0 failed$' "$RPM_TMP/build.log"
    assert_success
    run grep -E '^check: 0 passed' "$RPM_TMP/build.log"
    assert_failure
}

@test "rpm -qlp: exactly the agents, helpers, library, man pages and docs" {
    # Man pages are compressed where the distribution's rpm does that
    # (brp-compress on Fedora), plain on Debian's rpm: compare without .gz.
    # rpm adds /usr/lib/.build-id links for ELF files where it makes
    # debuginfo (as on Fedora): one per helper program, checked below.
    expected_files | sort >"$RPM_TMP/expected"
    rpm -qlp "$RPMFILE" | grep -v '^/usr/lib/\.build-id' | sed 's/\.gz$//' | sort >"$RPM_TMP/actual"
    links=$(rpm -qlp "$RPMFILE" | grep -c '^/usr/lib/\.build-id/../.' || true)
    if [ "$links" -ne 0 ]; then
        set -- "$REPO"/build/dist/mailha-"$VERSION"/helpers/*/main.c
        assert_equal "$links" "$#"
    fi
    run diff "$RPM_TMP/expected" "$RPM_TMP/actual"
    assert_success
    assert_output ""
}

@test "licence: GPL-2.0-or-later in the package, the GPL text as %license" {
    run rpm -qp --qf '%{LICENSE}\n' "$RPMFILE"
    assert_success
    assert_output "GPL-2.0-or-later"
    run rpm -qp --licensefiles "$RPMFILE"
    assert_success
    assert_output "/usr/share/licenses/mailha/LICENSE"
    run grep -c 'GNU GENERAL PUBLIC LICENSE' "$REPO/build/dist/mailha-$VERSION/LICENSE"
    assert_success
    run grep -q 'Version 2, June 1991' "$REPO/build/dist/mailha-$VERSION/LICENSE"
    assert_success
}

@test "owned like resource-agents: the provider directories, not /usr/lib/ocf" {
    run rpm -qlp "$RPMFILE"
    assert_line /usr/lib/ocf/resource.d/mailha
    refute_line /usr/lib/ocf
    refute_line /usr/lib/ocf/resource.d
    refute_line /usr/lib/ocf/lib
    run rpm -qlvp "$RPMFILE"
    assert_line --regexp '^-rwxr-xr-x .* /usr/lib/ocf/resource.d/mailha/postfix$'
    assert_line --regexp '^-rw-r--r-- .* /usr/lib/ocf/lib/mailha/mailha-shellfuncs$'
    assert_line --regexp '^-rwxr-xr-x .* /usr/sbin/mailha-probe$'
}

@test "Requires: pacemaker, resource-agents, postfix, e2fsprogs and the helpers' libraries" {
    run rpm -qp --requires "$RPMFILE"
    for r in pacemaker resource-agents postfix e2fsprogs libqb corosynclib libxml2; do
        assert_line "$r"
    done
    # and the sonames the helpers really link to, found by rpm itself
    assert_line --regexp '^libqb\.so\.[0-9]+'
    assert_line --regexp '^libxml2\.so\.[0-9]+'
}

@test "rpm -i --nodeps into an empty root: agents work, rpm -V clean, rpm -e removes all" {
    root=$RPM_TMP/root
    mkdir -p "$root"
    run rpm -i --nodeps --root "$root" "$RPMFILE"
    assert_success
    run rpm -q --root "$root" mailha
    assert_output --regexp "^mailha-$VERSION-"
    run rpm -V --nodeps --root "$root" mailha
    assert_success
    assert_output ""
    # The installed library finds the installed helpers in /usr/sbin.
    run grep -c '^: "${MAILHA_SBINDIR:=/usr/sbin}"' "$root/usr/lib/ocf/lib/mailha/mailha-shellfuncs"
    assert_output 1
    # The installed agent answers meta-data from its own library, and it is
    # valid OCF 1.1.
    OCF_ROOT=$root/usr/lib/ocf sh "$root/usr/lib/ocf/resource.d/mailha/postfix" meta-data \
        >"$RPM_TMP/md.xml"
    run xmllint --noout --relaxng /usr/share/pcs/data/ocf-1.1.rng "$RPM_TMP/md.xml"
    assert_success
    # The installed helper runs: bad arguments are exit 2 with a reason.
    run --separate-stderr "$root/usr/sbin/mailha-probe" -t notanumber
    assert_equal "$status" 2
    assert_equal "$(printf '%s\n' "$stderr" | grep -c 'ocf-exit-reason:')" 1
    run env MANPATH="$root/usr/share/man" man -w ocf_mailha_postfix
    assert_output "$root/usr/share/man/man7/ocf_mailha_postfix.7"
    run rpm -e --nodeps --root "$root" mailha
    assert_success
    run find "$root/usr" -path '*mailha*'
    assert_output ""
}

@test "rpm.sh refuses a missing tarball and one whose version is not the Makefile's" {
    run sh "$REPO/tools/rpm.sh" "$RPM_TMP/mailha-$VERSION.tar.gz"
    assert_failure
    assert_output --partial "no tarball"
    cp "$REPO/build/mailha-$VERSION.tar.gz" "$RPM_TMP/mailha-9.9.9.tar.gz"
    run sh "$REPO/tools/rpm.sh" "$RPM_TMP/mailha-9.9.9.tar.gz"
    assert_failure
    assert_output --partial "is version 9.9.9, the Makefile says $VERSION"
}

@test "the spec refuses to build without a version" {
    run rpmspec -P "$REPO/rpm/mailha.spec"
    assert_failure
    assert_output --partial "mh_version is not defined"
}
