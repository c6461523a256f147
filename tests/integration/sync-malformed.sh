#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A reply that breaks off in the middle of an entry's attributes (here, right where the
# loginShell /usr/sbin/nologin would come) fails the whole sync: an entry missing its later
# attributes must never be published (an empty shell means /bin/sh).
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
fake_ldap_start malformed || fail "the fake server did not start"
hostiam_conf > "$T/hostiam.conf"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err"
rc=$?
cat "$T/err"
[ "$rc" = 1 ] || fail "exit status $rc, not 1"
grep -F "cannot decode an entry" "$T/err" | grep -qF "dn=uid=fakeuser,ou=people" ||
	fail "the decoding error was not logged with the DN"
[ -e "$T/cache/nss.cache" ] && { cache_dump; fail "a cache was published"; }
grep -qx "result=error" "$T/cache/sync.status" || fail "sync.status does not record the failure"
echo "PASS"
