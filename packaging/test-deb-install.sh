#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install the hostiam .debs on this machine and walk an administrator's life cycle:
#   install -> sync a real slapd's users into the cache -> a typo in an access rule
#   (authorized-keys still answers) -> pam_hostiam in /etc/pam.d/sudo and the profile on:
#   removing libpam-hostiam is refused and sudo keeps working for a local admin; lines out:
#   removal goes through, sudo still works -> remove hostiam and libnss-hostiam (cache and
#   nsswitch entry kept / taken out), reinstall (entry back) -> the admin takes "hostiam"
#   out of nsswitch.conf, an upgrade leaves it out -> purge (/etc/hostiam, /var/lib/hostiam
#   gone, nsswitch.conf and /etc/pam.d byte-identical) -> reinstall (no stale directory user).
# Whatever happens, the trap puts back /etc/nsswitch.conf, /etc/pam.d, /var/lib/pam and
# removes the packages, the test user and its sudoers file. Needs root (exit 77 otherwise).
# Usage: packaging/test-deb-install.sh [DIR]   (DIR holds the .debs; default build-packages/)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build-packages}
# apt-get takes a path only when it starts with / or ./: make it absolute.
dir=$(cd "$dir" && pwd) || { echo "FAIL: no directory $1"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v apt-get >/dev/null || { echo "SKIP: not a Debian system"; exit 77; }
for c in /usr/sbin/slapd ldapsearch sudo runuser useradd chpasswd pamtester python3; do
	command -v $c >/dev/null || { echo "SKIP: no $c"; exit 77; }
done
for p in hostiam libnss-hostiam libpam-hostiam; do
	ls "$dir"/${p}_*.deb >/dev/null 2>&1 || { echo "FAIL: no $p .deb in $dir"; exit 1; }
	st=$(dpkg-query -W -f='${db:Status-Status}' $p 2>/dev/null || true)
	case $st in ''|not-installed) ;; *)
		echo "SKIP: $p is already on this machine ($st); not touching it"; exit 77 ;;
	esac
done
admin=hostiam-t-admin
if getent passwd $admin >/dev/null || getent passwd alice >/dev/null; then
	echo "SKIP: a local $admin or alice exists"; exit 77
fi

# A real slapd with tests/integration/sample.ldif (alice has two SSH keys).
# shellcheck disable=SC2034 # read by slapd-lib.sh
top_srcdir=$top top_builddir=$top
. "$top/tests/integration/slapd-lib.sh"
unset HOSTIAM_TEST_PASSWD HOSTIAM_TEST_GROUP

export DEBIAN_FRONTEND=noninteractive
debs="$dir/hostiam_*.deb $dir/libnss-hostiam_*.deb $dir/libpam-hostiam_*.deb"
backup=$(mktemp -d /tmp/hostiam-debtest.XXXXXX)
cp -a /etc/nsswitch.conf "$backup/nsswitch.conf"
cp -a /etc/pam.d "$backup/pam.d"
[ -d /var/lib/pam ] && cp -a /var/lib/pam "$backup/var-lib-pam"
had_etc_hostiam=; [ -e /etc/hostiam ] && had_etc_hostiam=1
had_var_hostiam=; [ -e /var/lib/hostiam ] && had_var_hostiam=1
rc=0
fail() { echo "FAIL: $*"; rc=1; }
ok() { echo "ok: $*"; }

# Make directory $2 hold what $1 holds, never leaving $2 missing (it may be /etc/pam.d).
restore_dir() {
	for f in "$2"/* "$2"/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		[ -e "$1/${f##*/}" ] || [ -L "$1/${f##*/}" ] || rm -rf "$f"
	done
	cp -a "$1/." "$2/"
}

# Put back what the test changed; the PAM files first, so that no prerm refuses the purge.
cleanup() {
	restore_dir "$backup/pam.d" /etc/pam.d
	[ -d "$backup/var-lib-pam" ] && restore_dir "$backup/var-lib-pam" /var/lib/pam
	dpkg --purge hostiam libnss-hostiam libpam-hostiam >/dev/null 2>&1
	cmp -s "$backup/nsswitch.conf" /etc/nsswitch.conf || cp -a "$backup/nsswitch.conf" /etc/nsswitch.conf
	rm -f /etc/sudoers.d/hostiam-test
	getent passwd $admin >/dev/null && userdel $admin
	[ -n "$had_etc_hostiam" ] || rm -rf /etc/hostiam
	[ -n "$had_var_hostiam" ] || rm -rf /var/lib/hostiam
	rm -rf /var/lib/libnss-hostiam "$backup"
	slapd_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

status() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null; }
has_hostiam_entry() {
	grep -Eq "^[[:space:]]*passwd[[:space:]]*:.*[[:space:]]hostiam([[:space:]]|\$)" /etc/nsswitch.conf
}
# sudo run by the local admin, non-interactively (NOPASSWD): succeeds, no PAM error.
sudo_works() {
	out=$(runuser -u $admin -- sudo -n -u root true 2>&1)
	r=$?
	case $out in *"Module is unknown"*) echo "$out"; return 1 ;; esac
	[ $r -eq 0 ] || { echo "$out"; return 1; }
}

echo "== install"
# shellcheck disable=SC2086 # $debs are globs
if ! apt-get install -y -q --no-install-recommends $debs; then
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
[ -f /lib/systemd/system/hostiam-sync.service ] || [ -f /usr/lib/systemd/system/hostiam-sync.service ] ||
	fail "no systemd unit"
# The example configuration's tls_ca_file comes with the dependency on ca-certificates.
dpkg-query -W -f='${Depends}' hostiam | grep -q ca-certificates || fail "hostiam lacks Depends: ca-certificates"
[ -f /etc/ssl/certs/ca-certificates.crt ] || fail "no /etc/ssl/certs/ca-certificates.crt"
[ -f /usr/share/bash-completion/completions/hostiam ] || fail "no bash completion"
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

echo "== sync a directory into the cache"
slapd_setup "$top/tests/integration/sample.ldif" || { echo "FAIL: slapd"; exit 1; }
cat > "$T/good.conf" <<EOF
directory = {
  uri = [ "ldap://127.0.0.1:$LDAP_PORT" ];
  base = "$SUFFIX";
  timeout = 3;
  users  = { base = "ou=people,$SUFFIX"; };
  groups = { base = "ou=groups,$SUFFIX"; };
  min_uid = 1000;  min_gid = 1000;
};
access = { mode = "report"; default = "allow"; };
EOF
cp "$T/good.conf" /etc/hostiam/hostiam.conf
/usr/sbin/hostiam sync || fail "hostiam sync"
getent passwd alice | grep -q '^alice:[^:]*:10001:' || fail "alice does not resolve after the sync"

echo "== a typo in an access rule: authorized-keys still answers"
{ sed '/^access/d' "$T/good.conf"; echo 'access = { mode = "report"; rules = ('
  echo '  { name = "typo"; acton = "allow"; } ); };'; } > /etc/hostiam/hostiam.conf
/usr/sbin/hostiam config-check >/dev/null 2>&1 && fail "config-check accepts the typo"
# As sshd runs it: AuthorizedKeysCommandUser nobody.
keys=$(runuser -u nobody -- /usr/sbin/hostiam authorized-keys alice 2>"$T/ak.err")
r=$?
if [ $r -eq 0 ] && echo "$keys" | grep -q 'AAAAIAlicekey1 alice@one'; then
	ok "authorized-keys answers with a broken access section"
else
	fail "authorized-keys alice with a typo in an access rule: exit $r: $keys $(cat "$T/ak.err")"
fi
cp "$T/good.conf" /etc/hostiam/hostiam.conf

echo "== directory passwords through pam-auth-update: common-auth with the real pam_unix"
set_password alice 'Alice-Pw-77' || fail "set_password alice"
useradd -M -s /bin/sh $admin || fail "useradd"
echo "$admin:Local-Pw-1" | chpasswd || fail "chpasswd $admin"
pam-auth-update --package --enable hostiam-password
# After pam_unix (Primary, priority 256), reusing the password it asked for.
awk '/^[^#].*pam_unix.so/ { u = NR } /^[^#].*pam_hostiam.so password use_first_pass/ { h = NR }
	END { exit !(u && h && u < h) }' /etc/pam.d/common-auth ||
	fail "common-auth: no pam_hostiam password line after pam_unix: $(grep -v '^#' /etc/pam.d/common-auth)"
printf '%s\n' '@include common-auth' '@include common-account' '@include common-password' \
	> /etc/pam.d/hostiam-test
# pamtester, an unmodified application: misc_conv reads the answers from stdin.
pt() { # ANSWERS USER OPERATION...
	a=$1 u=$2; shift 2
	printf '%b' "$a" | pamtester hostiam-test "$u" "$@" > "$T/pt.out" 2>&1
}
if pt 'Alice-Pw-77\n' alice authenticate acct_mgmt; then
	ok "alice (directory) logs in with her directory password through common-auth"
else
	fail "alice's directory password refused: $(cat "$T/pt.out")"
fi
pt 'Alice-Pw-00\n' alice authenticate && fail "alice's wrong password accepted"
if pt 'Local-Pw-1\n' $admin authenticate acct_mgmt; then
	ok "$admin (local) still logs in through pam_unix"
else
	fail "the local $admin refused: $(cat "$T/pt.out")"
fi
pt 'Alice-Pw-77\n' $admin authenticate && fail "$admin got in with a directory password"
# The real passwd (setuid root, PAM service passwd: @include common-password), run by alice.
if printf 'Alice-Pw-77\nAlice-Pw-88\nAlice-Pw-88\n' | runuser -u alice -- passwd > "$T/passwd.out" 2>&1 &&
	pt 'Alice-Pw-88\n' alice authenticate; then
	ok "passwd run by alice changes her password in the directory"
else
	fail "passwd for alice: $(cat "$T/passwd.out") / $(cat "$T/pt.out")"
fi
grep -rqs 'Alice-Pw-' /var/log/auth.log /var/log/syslog && fail "a password in the system log"
rm -f /etc/pam.d/hostiam-test
pam-auth-update --package --disable hostiam-password

echo "== remove libpam-hostiam while /etc/pam.d/sudo names it"
echo "$admin ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/hostiam-test
chmod 0440 /etc/sudoers.d/hostiam-test
sudo_works || fail "sudo for $admin before anything"
# The lines of /usr/share/doc/libpam-hostiam/examples/sudo, where that file says.
awk '{ print }
	/^@include common-auth/ { print "auth     required  pam_hostiam.so" }
	/^@include common-account/ { print "account  required  pam_hostiam.so" }
	/^@include common-session-noninteractive/ { print "session  optional  pam_hostiam.so" }' \
	"$backup/pam.d/sudo" > /etc/pam.d/sudo
grep -q pam_hostiam /etc/pam.d/sudo || fail "no pam_hostiam line put in /etc/pam.d/sudo"
pam-auth-update --package --enable hostiam
grep -q pam_hostiam /etc/pam.d/common-account || fail "the profile did not enable"
sudo_works || fail "sudo with pam_hostiam in the stack (report mode)"
apt-get remove -y -q libpam-hostiam > "$T/remove.out" 2>&1
r=$?
cat "$T/remove.out"
[ $r -ne 0 ] || fail "removal went through while /etc/pam.d/sudo names pam_hostiam"
grep -q '/etc/pam.d/sudo:[0-9]*: account  *required  *pam_hostiam.so' "$T/remove.out" ||
	fail "the refusal does not name /etc/pam.d/sudo:LINE"
grep -q 'common-account' "$T/remove.out" && fail "the refusal names the profile's own line"
[ "$(status libpam-hostiam)" = installed ] || fail "libpam-hostiam is $(status libpam-hostiam) after the refusal"
[ -f /usr/lib/$ma/security/pam_hostiam.so ] || fail "pam_hostiam.so gone after the refusal"
grep -q pam_hostiam /etc/pam.d/common-account || fail "the refused removal disabled the profile"
if sudo_works; then ok "removal refused, sudo works"; else fail "sudo after the refused removal"; fi

echo "== README's steps: take the lines out, then remove"
cp -a "$backup/pam.d/sudo" /etc/pam.d/sudo
apt-get remove -y -q libpam-hostiam || fail "removal with no hand-made line left"
[ "$(status libpam-hostiam)" = installed ] && fail "libpam-hostiam still installed"
grep -l pam_hostiam /etc/pam.d/* && fail "a PAM stack still names pam_hostiam after removal"
if sudo_works; then ok "removed, sudo works"; else fail "sudo after removing libpam-hostiam"; fi

echo "== remove (not purge) keeps the cache; reinstalling puts the nsswitch entry back"
apt-get remove -y -q hostiam libnss-hostiam || fail "apt-get remove"
[ -f /var/lib/hostiam/nss.cache ] || fail "remove deleted the cache"
[ -f /etc/hostiam/hostiam.conf ] || fail "remove deleted the configuration"
has_hostiam_entry && fail "nsswitch.conf names hostiam after removing libnss-hostiam"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $debs || fail "reinstall after remove"
has_hostiam_entry || fail "reinstalling after remove did not put the nsswitch entry back"
getent passwd alice >/dev/null || fail "the kept cache no longer answers after remove + reinstall"

echo "== another architecture's copy keeps the nsswitch entry"
mkdir -p "$T/fakebin"
printf '#!/bin/sh\nprintf "%%s installed\\n" %s foreignarch\n' "$(dpkg --print-architecture)" \
	> "$T/fakebin/dpkg-query"
chmod +x "$T/fakebin/dpkg-query"
cp -a /etc/nsswitch.conf "$T/nsswitch.before"
postrm=$(ls /var/lib/dpkg/info/libnss-hostiam*.postrm)
PATH=$T/fakebin:$PATH DPKG_MAINTSCRIPT_ARCH=$(dpkg --print-architecture) "$postrm" remove ||
	fail "postrm remove with another architecture installed"
cmp -s "$T/nsswitch.before" /etc/nsswitch.conf || fail "postrm took the entry out with another architecture installed"
[ ! -e /var/lib/libnss-hostiam ] || fail "postrm left a marker with another architecture installed"

echo "== the admin takes hostiam out of nsswitch.conf; an upgrade leaves it out"
sed -i -E '/^[[:space:]]*(passwd|group|initgroups)[[:space:]]*:/s/[[:space:]]+hostiam([[:space:]]|$)/\1/' \
	/etc/nsswitch.conf
has_hostiam_entry && fail "could not take hostiam out of nsswitch.conf"
cp -a /etc/nsswitch.conf "$T/nsswitch.admin"
# shellcheck disable=SC2086
dpkg -i $debs >/dev/null || fail "dpkg -i (upgrade to the same version)"
if cmp -s "$T/nsswitch.admin" /etc/nsswitch.conf; then
	ok "upgrade left the admin's nsswitch.conf alone"
else
	diff "$T/nsswitch.admin" /etc/nsswitch.conf; fail "upgrade changed nsswitch.conf"
fi

echo "== purge"
apt-get purge -y -q hostiam libnss-hostiam libpam-hostiam || fail "apt-get purge"
if cmp "$backup/nsswitch.conf" /etc/nsswitch.conf; then
	echo "nsswitch.conf byte-identical after purge"
else
	diff "$backup/nsswitch.conf" /etc/nsswitch.conf; fail "nsswitch.conf differs after purge"
fi
[ ! -e /etc/hostiam ] || fail "/etc/hostiam left after purge: $(ls -A /etc/hostiam)"
[ ! -e /var/lib/hostiam ] || fail "/var/lib/hostiam left after purge: $(ls -A /var/lib/hostiam)"
[ ! -e /var/lib/libnss-hostiam ] || fail "/var/lib/libnss-hostiam left after purge"
diff -r "$backup/pam.d" /etc/pam.d >/dev/null || { diff -r "$backup/pam.d" /etc/pam.d; fail "/etc/pam.d changed"; }
getent passwd root >/dev/null || fail "getent passwd root after purge"

echo "== reinstall after purge: no user from before"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $debs || fail "reinstall after purge"
has_hostiam_entry || fail "first install after purge did not add the nsswitch entry"
if getent passwd alice; then fail "alice resolves from a cache that predates the purge"; else
	ok "no stale directory user"; fi
cmp -s /etc/hostiam/hostiam.conf "$T/good.conf" && fail "the purged configuration came back"

[ $rc -eq 0 ] && echo "PASS: deb install/remove/purge" || echo "FAIL: deb install/remove/purge"
exit $rc
