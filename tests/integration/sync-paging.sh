#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# More entries than the server's size limit (120 users, 60 groups, limit 50): paged results
# read them all, anonymously and as a bound reader.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
many_users_ldif 120 > "$T/many.ldif"
for i in $(seq 1 60); do
	printf 'dn: cn=g%03d,ou=groups,dc=example,dc=com\nobjectClass: posixGroup\ncn: g%03d\ngidNumber: %d\nmemberUid: u%03d\n\n' \
		"$i" "$i" $((40000 + i)) "$i"
done >> "$T/many.ldif"
SLAPD_SIZELIMIT=50 slapd_setup "$T/many.ldif" || fail "slapd did not start"
ldapsearch -x -H "ldap://127.0.0.1:$LDAP_PORT" -b "ou=people,$SUFFIX" uid >/dev/null 2>&1 &&
	fail "the size limit is not in force"

HOSTIAM_PAGE_SIZE=25 hostiam_conf > "$T/anon.conf"
"$HOSTIAM" --config "$T/anon.conf" sync 2>"$T/err" || { cat "$T/err"; fail "paged sync failed"; }
cache_dump > "$T/dump"
[ "$(grep -c '^user ' "$T/dump")" = 120 ] || fail "$(grep -c '^user ' "$T/dump") users, not 120"
[ "$(grep -c '^group ' "$T/dump")" = 60 ] || fail "not 60 groups"
grep -qx "group g060:40060:u060" "$T/dump" || fail "g060 wrong"

printf '%s' "$READERPW" > "$T/bind.pw"; chmod 600 "$T/bind.pw"
HOSTIAM_PAGE_SIZE=500 hostiam_conf "bind_dn = \"$READERDN\"; bind_password_file = \"$T/bind.pw\";" \
	> "$T/bind.conf"
# A page larger than the limit: the server caps pages, paging still completes.
"$HOSTIAM" --config "$T/bind.conf" sync 2>"$T/err" || { cat "$T/err"; fail "bound paged sync failed"; }
[ "$(cache_dump | grep -c '^user ')" = 120 ] || fail "bound: not 120 users"
echo "PASS"
