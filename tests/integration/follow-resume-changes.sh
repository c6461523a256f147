#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Adds, modifies and deletes made while the agent was down reach the cache through the
# resumed refresh (only the changes), and the result answers exactly as a fresh full sync:
# once through slapd's present phase (no session log: unchanged entries named, the rest
# deleted) and once through its delete phase (syncprov-sessionlog: deletions named).
. "$top_srcdir/tests/integration/slapd-lib.sh"
. "$top_srcdir/tests/integration/resume-lib.sh"
resume_setup

# Round 1, while the agent is down: users and groups added, modified, deleted; nesting.
user_ldif frank 10011 10011 Frank | ldap_add || fail "add frank"
ldap_delete "uid=bob,ou=people,$SUFFIX" || fail "delete bob"
ldap_modify <<EOF || fail "modify"
dn: uid=carol,ou=people,$SUFFIX
changetype: modify
replace: loginShell
loginShell: /bin/zsh

dn: uid=alice,ou=people,$SUFFIX
changetype: modify
delete: sshPublicKey
sshPublicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAlicekey2 alice@two

dn: cn=developers,ou=groups,$SUFFIX
changetype: modify
delete: memberUid
memberUid: bob
-
add: memberUid
memberUid: frank

dn: cn=platform,ou=groups,$SUFFIX
changetype: add
objectClass: groupOfNames
objectClass: hostiamPosixGroupAux
cn: platform
gidNumber: 20010
member: cn=ops,ou=groups,$SUFFIX
member: uid=frank,ou=people,$SUFFIX
EOF
ldap_delete "cn=cycle-b,ou=groups,$SUFFIX" || fail "delete cycle-b"

agent_round "$T/hostiam.conf" >/dev/null
last_refreshes
last_refreshes | grep -q "resumed from the cookie kind=users entries=3 " ||
	fail "users: not resumed with the 3 changed entries"
last_refreshes | grep -q "resumed from the cookie kind=groups entries=2 " ||
	fail "groups: not resumed with the 2 changed entries"
cache_dump | grep -q "^user bob:" && fail "bob is still there"
cache_dump | grep -q "^group cycle-b:" && fail "cycle-b is still there"
cache_dump | grep -q "^group platform:.*frank" || fail "platform is missing"
same_as_full_sync "present phase"

# Round 2, with a session log: the server names the deletions itself.
slapd_restart_with "syncprov-sessionlog 100"
agent_round "$T/hostiam.conf" >/dev/null
ldap_delete "uid=dave,ou=people,$SUFFIX" "cn=cycle-a,ou=groups,$SUFFIX" || fail "deletes"
user_ldif grace 10012 10012 Grace | ldap_add || fail "add grace"
ldap_modify <<EOF || fail "modify"
dn: cn=ops,ou=groups,$SUFFIX
changetype: modify
delete: member
member: uid=carol,ou=people,$SUFFIX
-
add: member
member: uid=grace,ou=people,$SUFFIX
EOF
agent_round "$T/hostiam.conf" >/dev/null
last_refreshes
last_refreshes | grep -q "resumed from the cookie kind=users entries=1 deleted=1 " ||
	fail "users: the delete phase did not carry 1 change and 1 deletion"
cache_dump | grep -q "^user dave:" && fail "dave is still there"
cache_dump | grep -q "^group ops:.*grace" || fail "grace is not in ops"
same_as_full_sync "delete phase"
echo "PASS"
