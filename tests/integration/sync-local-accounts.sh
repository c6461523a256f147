#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Directory entries never shadow the host's own accounts: a user named or numbered like a
# local user, a group named or numbered like a local group, and a primary gidNumber below
# min_gid are skipped and logged with their DN. Groups that are not cached (no gidNumber,
# below min_gid, local names) still pass their members on to the groups that nest them.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" \
	"$top_srcdir/tests/integration/local-accounts.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err" || { cat "$T/err"; fail "sync failed"; }
cat "$T/err"
cache_dump > "$T/dump"
cat "$T/dump"

logged() { grep -F "skipping entry: $1" "$T/err" | grep -qF "dn=$2" || fail "not logged: $1 $2"; }
logged "a local user has this name name=root" "uid=root,ou=people,dc=example,dc=com"
logged "a local user has this uidNumber uid=1500" "uid=svcclash,ou=people,dc=example,dc=com"
logged "gidNumber below min_gid gid=27" "uid=sudoprimary,ou=people,dc=example,dc=com"
logged "gidNumber below min_gid gid=0" "uid=rootprimary,ou=people,dc=example,dc=com"
logged "a local group has this name name=sudo" "cn=sudo,ou=groups,dc=example,dc=com"
logged "a local group has this gidNumber gid=1600" "cn=gidclash,ou=groups,dc=example,dc=com"
for n in root svcclash sudoprimary rootprimary; do
	grep -q "^user $n:" "$T/dump" && fail "$n was cached"
done
grep -q "^group sudo:\|^group gidclash:\|^group opsteam:\|^group lowgroup:\|^group nest-" \
	"$T/dump" && fail "a group that is not a POSIX group here was cached"
[ -z "$("$HOSTIAM" --config "$T/hostiam.conf" authorized-keys root 2>/dev/null)" ] ||
	fail "the directory's root has keys"
grep -q "^user erin:10033:10033:" "$T/dump" || fail "erin missing"
# Nesting through opsteam (no gidNumber), lowgroup (gid 50), sudo (local name) and a cycle.
grep -qx "group admins:20030:alice,bob,dave,erin" "$T/dump" ||
	fail "admins: $(grep '^group admins' "$T/dump")"
# memberUid naming a local account is a member, not a user entry: still fine.
grep -qx "group developers:20001:alice,bob,localadmin" "$T/dump" || fail "developers"
grep -qx "skipped=6" "$T/cache/sync.status" || fail "sync.status: $(cat "$T/cache/sync.status")"

# Without the test variables the host's real files are read; root is in every /etc/passwd.
env -u HOSTIAM_TEST_PASSWD -u HOSTIAM_TEST_GROUP \
	"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err2" || { cat "$T/err2"; fail "sync 2"; }
grep -F "a local user has this name name=root" "$T/err2" | grep -qF "dn=uid=root,ou=people" ||
	fail "the real /etc/passwd was not read"
cache_dump | grep -q "^user root:" && fail "root was cached with the real /etc/passwd"

# An unreadable local file fails the sync: shadowing could not be ruled out.
HOSTIAM_TEST_PASSWD="$T/missing" "$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err3" &&
	fail "sync succeeded without the local passwd file"
grep -q "cannot read the local accounts" "$T/err3" || { cat "$T/err3"; fail "unclear error"; }
echo "PASS"
