#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# deb.sh - build mailha's Debian package from the `make dist` tarball (make deb).
#
#   sh tools/deb.sh build/mailha-VERSION.tar.gz
#
# The tarball is unpacked in build/deb and built there with
# dpkg-buildpackage (binary only, unsigned; debian/ from the tarball
# itself, so the package is built from exactly what was released); the
# .deb lands in build/deb and its path is the last line printed.  The
# version in debian/changelog must be the Makefile's.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tarball=${1:?usage: deb.sh build/mailha-VERSION.tar.gz}
[ -f "$tarball" ] || { echo "deb.sh: no tarball $tarball (run make dist)" >&2; exit 1; }
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
base=$(basename "$tarball" .tar.gz)
version=${base#mailha-}
mkversion=$(sed -n 's/^VERSION[[:space:]]*:*=[[:space:]]*//p' "$top/Makefile")
if [ "$version" = "$base" ] || [ "$version" != "$mkversion" ]; then
    echo "deb.sh: $tarball is not mailha-$mkversion.tar.gz (the Makefile's version)" >&2
    exit 1
fi

out=$top/build/deb
rm -rf "$out"
mkdir -p "$out"
tar -xzf "$tarball" -C "$out"
src=$out/$base
chversion=$(cd "$src" && dpkg-parsechangelog -S Version)
if [ "$chversion" != "$version" ]; then
    echo "deb.sh: debian/changelog says $chversion, the Makefile $version" >&2
    exit 1
fi
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
    tail -n 40 "$out/build.log" >&2
    echo "deb.sh: dpkg-buildpackage failed (log: $out/build.log)" >&2
    exit 1
}
deb=$out/mailha_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { echo "deb.sh: no $deb after the build" >&2; exit 1; }
echo "$deb"
