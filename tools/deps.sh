#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh - install everything mailha's build, tests, benchmarks and demo need.
#
# Idempotent; needs root and Debian's apt.  Daemons are kept from starting
# during the install (policy-rc.d), because the tests start the ones they
# need themselves, with their own configuration.
set -eu

if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: must run as root (apt-get)" >&2
    exit 1
fi

PKGS="build-essential pkg-config clang libclang-rt-14-dev
 libqb-dev libcpg-dev libcmap-dev libquorum-dev libcorosync-common-dev
 libxml2-dev libxml2-utils xsltproc libcmocka-dev nettle-dev
 bats bats-assert bats-support bats-file shellcheck
 postfix postfix-lmdb postfix-cdb dovecot-core dovecot-imapd bsd-mailx openssl
 pacemaker pacemaker-cli-utils corosync pcs resource-agents drbd-utils fence-agents
 kmod tini e2fsprogs xfsprogs util-linux mount iproute2 psmisc procps
 rpm debhelper lintian strace hyperfine valgrind groff-base man-db python3
 systemd-container debootstrap"

# Debian 11 (bullseye, the closest this machine gets to RHEL 8/9's
# libraries): what builds mailha and runs `make check-quick`; these are
# Debian 12's only (the bats suites and benchmarks need Debian 12).
release=$(sed -n 's/^VERSION_ID="*\([0-9]*\).*/\1/p' /etc/os-release 2>/dev/null)
if [ "$release" = 11 ]; then
    only12="libclang-rt-14-dev bats-assert bats-support bats-file hyperfine"
    echo "deps: Debian 11: without $only12 (Debian 12 only)"
    kept=""
    for p in $PKGS; do
        case " $only12 " in
        *" $p "*) ;;
        *) kept="$kept $p" ;;
        esac
    done
    PKGS=$kept
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "deps: all packages present"
    exit 0
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
printf '%s\n' \
    "postfix postfix/main_mailer_type select Local only" \
    "postfix postfix/mailname string example.com" | debconf-set-selections

# Keep package scripts from starting daemons during the install.
policy=/usr/sbin/policy-rc.d
created_policy=no
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    created_policy=yes
fi
# The script's status is apt-get's: the trap keeps it (under set -e a
# failing last command of the trap would become the exit status, as the
# `[ ... ] && rm` did when this machine's image already had a policy-rc.d).
cleanup() {
    _rc=$?
    if [ "$created_policy" = yes ]; then
        rm -f "$policy"
    fi
    exit "$_rc"
}
trap cleanup EXIT

apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
echo "deps: done"
