#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The agent follows the directory (syncrepl): an add, a modify, a delete and a membership
# change each reach the cache within 2 s; SIGTERM stops it promptly.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"
agent_start "$T/hostiam.conf"
cache_wait 5 "^user alice:" || { cat "$T/agent.log"; fail "the agent published nothing"; }
# Each session names its server (the groups session prefers the users' one).
grep -qF "following the directory users_server=ldap://127.0.0.1:$LDAP_PORT groups_server=ldap://127.0.0.1:$LDAP_PORT" \
	"$T/agent.log" || { cat "$T/agent.log"; fail "the servers of the sessions are not logged"; }

ldap_add <<EOF2 || fail "ldapadd"
dn: uid=erin,ou=people,$SUFFIX
objectClass: account
objectClass: posixAccount
uid: erin
cn: Erin
uidNumber: 10010
gidNumber: 10010
homeDirectory: /home/erin
loginShell: /bin/sh
EOF2
cache_wait 2 "^user erin:10010:10010:Erin:/home/erin:/bin/sh" || fail "add not seen within 2 s"

ldap_modify <<EOF2 || fail "ldapmodify"
dn: uid=erin,ou=people,$SUFFIX
changetype: modify
replace: loginShell
loginShell: /bin/bash
EOF2
cache_wait 2 "^user erin:.*:/bin/bash keys" || fail "modify not seen within 2 s"

ldap_modify <<EOF2 || fail "ldapmodify group"
dn: cn=ops,ou=groups,$SUFFIX
changetype: modify
add: member
member: uid=erin,ou=people,$SUFFIX
EOF2
cache_wait 2 "^group ops:20002:.*erin" || fail "membership change not seen within 2 s"

ldap_delete "uid=erin,ou=people,$SUFFIX" || fail "ldapdelete"
cache_wait 2 "^user erin:" absent || fail "delete not seen within 2 s"
cache_wait 1 "^group ops:20002:alice,bob,carol,jsmith,localadmin$" ||
	fail "the deleted user is still a member"

# A burst of changes is published together, not one file per change.
gen=$(cache_generation)
for i in 1 2 3 4 5 6 7 8 9; do
	printf 'dn: uid=burst%d,ou=people,%s\nobjectClass: account\nobjectClass: posixAccount\nuid: burst%d\ncn: b\nuidNumber: %d\ngidNumber: 10020\nhomeDirectory: /h\n\n' \
		"$i" "$SUFFIX" "$i" $((10020 + i))
done | ldap_add
cache_wait 2 "^user burst9:" || fail "burst not seen within 2 s"
sleep 0.5
echo "burst of 9 adds: generation $gen -> $(cache_generation)"

agent_stop 2 || fail "the agent exited with an error"
grep -q "agent stopped" "$T/agent.log" || fail "no clean stop logged"
echo "PASS"
