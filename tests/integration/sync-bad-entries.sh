#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Bad entries never stop a sync: each is skipped and logged once with its DN; the rest syncs.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
# -s: load what the schema would refuse, as directories fed by other tools sometimes hold.
SLAPADD_FLAGS=-s slapd_setup "$top_srcdir/tests/integration/sample.ldif" \
	"$top_srcdir/tests/integration/bad-entries.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err" || { cat "$T/err"; fail "sync failed"; }
cat "$T/err"
cache_dump > "$T/dump"

logged() { grep -F "skipping entry: $1" "$T/err" | grep -qF "dn=$2" || fail "not logged: $1 $2"; }
logged "no uidNumber" "uid=nouidnumber,ou=people,dc=example,dc=com"
logged "uidNumber is not a number" "uid=nonnumeric,ou=people,dc=example,dc=com"
logged "duplicate user name name=dupname" "cn=dup one,ou=people,dc=example,dc=com"
logged "duplicate user name name=dupname" "cn=dup two,ou=people,dc=example,dc=com"
logged "duplicate uidNumber uid=10103" "uid=sameid1,ou=people,dc=example,dc=com"
logged "duplicate uidNumber uid=10103" "uid=sameid2,ou=people,dc=example,dc=com"
logged "invalid user name" "uid=bad:name,ou=people,dc=example,dc=com"
logged "no homeDirectory" "uid=nohome,ou=people,dc=example,dc=com"
logged "value is not valid UTF-8 attr=sshPublicKey" "uid=nonutf8,ou=people,dc=example,dc=com"
logged "gidNumber is not a number" "cn=badgid,ou=groups,dc=example,dc=com"
logged "duplicate gidNumber gid=20101" "cn=samegid,ou=groups,dc=example,dc=com"
logged "duplicate gidNumber gid=20101" "cn=samegid2,ou=groups,dc=example,dc=com"
[ "$(grep -c 'skipping entry' "$T/err")" = 12 ] || fail "not exactly one line per bad entry"

grep -q "^user good:10100:10100:" "$T/dump" || fail "good user missing"
grep -q "^user alice:" "$T/dump" || fail "alice missing"
for n in nouidnumber nonnumeric dupname sameid1 sameid2 "bad:name" nohome nonutf8; do
	grep -q "^user $n:" "$T/dump" && fail "$n was cached"
done
grep -qx "group goodgroup:20100:dupname,good" "$T/dump" || fail "goodgroup: $(grep goodgroup "$T/dump")"
grep -q "^group badgid:\|^group samegid" "$T/dump" && fail "a bad group was cached"
grep -qx "skipped=12" "$T/cache/sync.status" || fail "sync.status skipped count"
echo "PASS"
