#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# rpm.sh - build mailha's RPMs from the `make dist` tarball (make rpm).
#
#   sh tools/rpm.sh build/mailha-VERSION.tar.gz
#
# rpmbuild's tree (_topdir) is build/rpm, so nothing lands in ~/rpmbuild;
# the binary package ends up in build/rpm/RPMS/ARCH/ and its path is the
# last line printed.  The spec is rpm/mailha.spec from the tarball itself,
# so the package is built from exactly what was released.
#
# On an RPM distribution rpmbuild checks the BuildRequires as usual.  On a
# Debian machine (no RPM database of installed packages; the build tools
# come from .deb packages) they can never be found as RPMs, so rpmbuild
# runs with --nodeps there; make deps installs the real build tools.  Where
# rpm's find-debuginfo is missing (Debian), no debuginfo package is made,
# and no /usr/lib/.build-id links either (they belong with debuginfo).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tarball=${1:?usage: rpm.sh build/mailha-VERSION.tar.gz}
[ -f "$tarball" ] || { echo "rpm.sh: no tarball $tarball (run make dist)" >&2; exit 1; }
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")

base=$(basename "$tarball" .tar.gz)
version=${base#mailha-}
mkversion=$(sed -n 's/^VERSION[[:space:]]*:*=[[:space:]]*//p' "$top/Makefile")
if [ "$version" = "$base" ] || [ -z "$version" ]; then
    echo "rpm.sh: cannot tell the version from $tarball (want mailha-VERSION.tar.gz)" >&2
    exit 1
fi
if [ "$version" != "$mkversion" ]; then
    echo "rpm.sh: $tarball is version $version, the Makefile says $mkversion" >&2
    exit 1
fi

topdir=$top/build/rpm
rm -rf "$topdir"
mkdir -p "$topdir/SOURCES" "$topdir/SPECS" "$topdir/BUILD" "$topdir/RPMS" \
    "$topdir/SRPMS" "$topdir/BUILDROOT"
cp "$tarball" "$topdir/SOURCES/"
tar -xzOf "$tarball" "$base/rpm/mailha.spec" >"$topdir/SPECS/mailha.spec"

set -- --define "_topdir $topdir" --define "mh_version $version"
if [ -f /etc/debian_version ] || ! rpm -q rpm >/dev/null 2>&1; then
    set -- "$@" --nodeps
fi
if [ ! -x /usr/bin/find-debuginfo ] && [ ! -x /usr/lib/rpm/find-debuginfo.sh ]; then
    set -- "$@" --define "debug_package %{nil}" --define "mh_no_debuginfo 1"
fi

rpmbuild -ba "$@" "$topdir/SPECS/mailha.spec"

rpmfile=$(find "$topdir/RPMS" -name "mailha-$version-*.rpm" | head -n 1)
[ -n "$rpmfile" ] || { echo "rpm.sh: rpmbuild made no binary package" >&2; exit 1; }
echo "$rpmfile"
