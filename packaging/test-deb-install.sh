#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install the hostiam .debs on this machine, check that they work, purge them, and check
# that /etc/nsswitch.conf is byte-for-byte what it was. Restores nsswitch.conf and removes
# the packages whatever happens. Needs root (exit 77, "skipped", otherwise).
# Usage: packaging/test-deb-install.sh [DIR]   (DIR holds the .debs; default build-packages/)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build-packages}
# apt-get takes a path only when it starts with / or ./: make it absolute.
dir=$(cd "$dir" && pwd) || { echo "FAIL: no directory $1"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v apt-get >/dev/null || { echo "SKIP: not a Debian system"; exit 77; }
for p in hostiam libnss-hostiam libpam-hostiam; do
	ls "$dir"/${p}_*.deb >/dev/null 2>&1 || { echo "FAIL: no $p .deb in $dir"; exit 1; }
	st=$(dpkg-query -W -f='${db:Status-Status}' $p 2>/dev/null || true)
	case $st in ''|not-installed) ;; *)
		echo "SKIP: $p is already on this machine ($st); not touching it"; exit 77 ;;
	esac
done

export DEBIAN_FRONTEND=noninteractive
backup=$(mktemp -d /tmp/hostiam-debtest.XXXXXX)
cp -a /etc/nsswitch.conf "$backup/nsswitch.conf"
for f in common-auth common-account common-session common-session-noninteractive common-password; do
	[ -f /etc/pam.d/$f ] && cp -a /etc/pam.d/$f "$backup/pam.$f"
done
had_etc_hostiam=; [ -e /etc/hostiam ] && had_etc_hostiam=1
had_var_hostiam=; [ -e /var/lib/hostiam ] && had_var_hostiam=1
rc=0
fail() { echo "FAIL: $*"; rc=1; }

cleanup() {
	dpkg --purge hostiam libnss-hostiam libpam-hostiam >/dev/null 2>&1
	cmp -s "$backup/nsswitch.conf" /etc/nsswitch.conf || cp -a "$backup/nsswitch.conf" /etc/nsswitch.conf
	for f in "$backup"/pam.*; do
		[ -f "$f" ] || continue
		t=/etc/pam.d/${f##*/pam.}
		cmp -s "$f" "$t" || cp -a "$f" "$t"
	done
	[ -n "$had_etc_hostiam" ] || rm -rf /etc/hostiam
	[ -n "$had_var_hostiam" ] || rm -rf /var/lib/hostiam
	rm -rf "$backup"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

echo "== install"
if ! apt-get install -y -q --no-install-recommends \
		"$dir"/hostiam_*.deb "$dir"/libnss-hostiam_*.deb "$dir"/libpam-hostiam_*.deb; then
	echo "FAIL: apt-get install"; exit 1
fi

echo "== checks"
for l in passwd group; do
	grep -Eq "^[[:space:]]*$l[[:space:]]*:.*[[:space:]]hostiam([[:space:]]|\$)" /etc/nsswitch.conf ||
		fail "nsswitch.conf $l line has no hostiam"
done
# Only the passwd, group and initgroups lines changed.
diff "$backup/nsswitch.conf" /etc/nsswitch.conf | grep '^[<>]' |
	grep -Ev '^[<>][[:space:]]*(passwd|group|initgroups)[[:space:]]*:' && fail "other nsswitch lines changed"
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
[ -f /usr/lib/$ma/libnss_hostiam.so.2 ] || fail "libnss_hostiam.so.2 not in /usr/lib/$ma"
[ -f /usr/lib/$ma/security/pam_hostiam.so ] || fail "pam_hostiam.so not in /usr/lib/$ma/security"
[ -f /usr/share/pam-configs/hostiam ] || fail "no pam-auth-update profile"
# Default: no -- installing must not put pam_hostiam in any stack.
grep -l pam_hostiam /etc/pam.d/* 2>/dev/null && fail "pam_hostiam switched on in a PAM stack"
[ -f /etc/hostiam/hostiam.conf ] || fail "no /etc/hostiam/hostiam.conf"
[ -d /var/lib/hostiam ] || fail "no /var/lib/hostiam"
[ -f /usr/lib/systemd/system/hostiam-sync.service ] || fail "no systemd unit"
/usr/sbin/hostiam --version || fail "hostiam --version"
# glibc loads the installed module (nothing cached yet: local users still resolve).
getent passwd root >/dev/null || fail "getent passwd root"
getent group root >/dev/null || fail "getent group root"
n=$(getent passwd | wc -l); [ "$n" -gt 0 ] || fail "getent passwd enumerates nothing"
id root >/dev/null || fail "id root"
# A miss goes through every source: glibc must have loaded the installed module.
LD_DEBUG=files getent passwd hostiam-no-such-user-$$ 2>&1 | grep -q "file=libnss_hostiam.so.2 .*dynamically loaded" ||
	fail "glibc did not load libnss_hostiam.so.2"
if command -v ldd >/dev/null; then
	ldd /usr/lib/$ma/libnss_hostiam.so.2 | grep -q 'not found' && fail "libnss_hostiam.so.2 has missing libraries"
fi

echo "== purge"
apt-get purge -y -q hostiam libnss-hostiam libpam-hostiam || fail "apt-get purge"
if cmp "$backup/nsswitch.conf" /etc/nsswitch.conf; then
	echo "nsswitch.conf byte-identical after purge"
else
	diff "$backup/nsswitch.conf" /etc/nsswitch.conf; fail "nsswitch.conf differs after purge"
fi
[ ! -e /etc/hostiam/hostiam.conf ] || fail "/etc/hostiam/hostiam.conf left after purge"
for f in "$backup"/pam.*; do
	[ -f "$f" ] || continue
	cmp -s "$f" /etc/pam.d/${f##*/pam.} || fail "/etc/pam.d/${f##*/pam.} changed"
done
getent passwd root >/dev/null || fail "getent passwd root after purge"

[ $rc -eq 0 ] && echo "PASS: deb install/purge" || echo "FAIL: deb install/purge"
exit $rc
