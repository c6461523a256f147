#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Only sync/ (libhostiam_sync.la) and the programs linking it may reference libldap; no
# function of ours lives in libldap's ldap_/ber_ namespace; the modules never load libldap.
set -eu
b=${top_builddir:-.}
fail=0
syms() { nm "$@" 2>/dev/null | awk '{ print $NF }' | grep -E '^(ldap|ber)_' | sort -u || true; }

# Parts that must not reference libldap at all: the core, the command's own objects (named
# after their target, so objects left from older builds are not read) and the modules.
check_none() {
	[ -n "$2" ] || { echo "nothing built for $1"; exit 1; }
	found=$(syms $2)
	[ -z "$found" ] || { echo "$1 references libldap:"; echo "$found"; fail=1; }
}
check_none common/ "$b/.libs/libhostiam.a"
check_none tools/ "$(find "$b/tools" -name 'hostiam-*.o')"
check_none pam_module/ "-D $b/.libs/pam_hostiam.so"
check_none nss_module/ "-D $b/.libs/libnss_hostiam.so.2"

# sync/ uses libldap (if it did not, this test would prove nothing) but defines nothing there.
objs=$b/.libs/libhostiam_sync.a
[ -n "$(nm -u "$objs" | grep -E ' (ldap|ber)_')" ] || { echo "sync/ references no ldap_*"; exit 1; }
defined=$(nm --defined-only "$objs" | awk '{ print $NF }' | grep -E '^(ldap|ber)_' || true)
[ -z "$defined" ] || { echo "sync/ defines names in libldap's namespace:"; echo "$defined"; fail=1; }

# The modules loaded into sshd, sudo, login and every process never pull libldap in.
for so in "$b/.libs/pam_hostiam.so" "$b/.libs/libnss_hostiam.so.2"; do
	[ -f "$so" ] || { echo "missing $so"; exit 1; }
	if objdump -p "$so" | awk '$1 == "NEEDED" { print $2 }' | grep -qE '^lib(ldap|lber)'; then
		echo "$so links libldap"; fail=1
	fi
done
objdump -p "$b/hostiam" 2>/dev/null | grep -q 'NEEDED.*libldap' ||
	objdump -p "$b/.libs/hostiam" 2>/dev/null | grep -q 'NEEDED.*libldap' ||
	{ echo "hostiam does not link libldap (stale build?)"; exit 1; }
[ "$fail" -eq 0 ] && echo "ok: only sync/ speaks LDAP"
exit "$fail"
