#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Incremental publishes give exactly what a full sync gives. The agent follows a directory
# of users, memberUid groups, a group with member DNs and a nested group while random
# batches of adds, modifies, renames, id changes, deletes and membership changes land;
# after each batch the agent's cache (base + delta: users, groups and every member's gid
# list) must equal a fresh one-shot full sync of the same directory, line for line. Most
# batches must have gone out as deltas, the rest (member DNs, duplicates) in full.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
ROUNDS=${INCR_ROUNDS:-40}
RANDOM=${INCR_SEED:-4242}

# 30 users, 6 memberUid groups, a group with member DNs that nests another.
directory_ldif() {
	local i g
	for i in $(seq 1 30); do user_ldif "$(printf 'u%03d' "$i")" $((30000 + i)) 30000; done
	for g in 1 2 3 4 5 6; do
		printf 'dn: cn=g%d,ou=groups,%s\nobjectClass: posixGroup\ncn: g%d\ngidNumber: %d\n' \
			"$g" "$SUFFIX" "$g" $((40000 + g))
		for i in $(seq "$g" 5 30); do printf 'memberUid: u%03d\n' "$i"; done
		echo
	done
	printf 'dn: cn=dngroup,ou=groups,%s\nobjectClass: groupOfNames\nobjectClass: hostiamPosixGroupAux\ncn: dngroup\ngidNumber: 40100\nmember: uid=u001,ou=people,%s\nmember: cn=inner,ou=groups,%s\n\n' \
		"$SUFFIX" "$SUFFIX" "$SUFFIX"
	printf 'dn: cn=inner,ou=groups,%s\nobjectClass: groupOfNames\ncn: inner\nmember: uid=u002,ou=people,%s\n\n' \
		"$SUFFIX" "$SUFFIX"
}
directory_ldif > "$T/dir.ldif"
slapd_setup "$T/dir.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"
sed "s#dir = \"$T/cache\"#dir = \"$T/full\"#" "$T/hostiam.conf" > "$T/full.conf"
mkdir -p "$T/full"

# On a failure: the agent's last lines, or the whole sanitizer report when it aborted.
agent_log_tail() {
	if grep -q 'Sanitizer' "$T/agent.log"; then
		sed -n '/ERROR: .*Sanitizer/,$p' "$T/agent.log" | head -80
	else
		tail -10 "$T/agent.log"
	fi
}

# The cache at $1 as sorted text, without its generation.
dump_sorted() {
	"$top_builddir/tests/integration/cache-dump" "$1" --members | grep -v '^generation ' |
		LC_ALL=C sort -u
}

agent_start "$T/hostiam.conf"
cache_wait 10 "^user u030:" || { cat "$T/agent.log"; fail "the agent published nothing"; }

# Wait until the agent's cache equals a fresh full sync of the directory; fail with $1.
expect_full_sync() {
	"$HOSTIAM" --config "$T/full.conf" sync --force >/dev/null 2>"$T/full.err" ||
		{ cat "$T/full.err"; fail "$1: the full sync failed"; }
	dump_sorted "$T/full/nss.cache" > "$T/want"
	wait_for 5 'dump_sorted "$T/cache/nss.cache" > "$T/got" 2>/dev/null && cmp -s "$T/want" "$T/got"' || {
		diff "$T/want" "$T/got" | head -20
		agent_log_tail
		fail "$1: the agent's cache differs from a full sync"
	}
}

# A new group with three members: each one's gid list grows in the same delta (the
# delta's gid lists once overran their buffer here; the sanitizer build caught it).
printf 'dn: cn=g9,ou=groups,%s\nobjectClass: posixGroup\ncn: g9\ngidNumber: 40009\nmemberUid: u002\nmemberUid: u003\nmemberUid: u004\n\n' \
	"$SUFFIX" | ldap_add >/dev/null || fail "ldapadd"
expect_full_sync "a new group of three"
grep -q "sync published generation=2 delta " "$T/agent.log" ||
	{ agent_log_tail; fail "a new group of three: not published as a delta"; }

next=100 # numbers for new users and groups
user_name() { printf 'u%03d' $((RANDOM % 34 + 1)); } # some do not exist
group_name() { printf 'g%d' $((RANDOM % 8 + 1)); }    # g7, g8 may not exist

# One random change (errors of ldap* ignored: deleting what is not there is fine).
random_change() {
	local u=$(user_name) g=$(group_name) dn
	dn="uid=$u,ou=people,$SUFFIX"
	case $((RANDOM % 14)) in
	0 | 1) next=$((next + 1)); user_ldif "n$next" $((31000 + next)) 30000 | ldap_add ;;
	2) ldap_delete "$dn" ;;
	3) printf 'dn: %s\nchangetype: modify\nreplace: loginShell\nloginShell: /bin/sh%d\n' "$dn" $RANDOM | ldap_modify ;;
	4) printf 'dn: %s\nchangetype: modify\nreplace: gecos\ngecos: G %d\n' "$dn" $RANDOM | ldap_modify ;;
	5) printf 'dn: %s\nchangetype: modify\nreplace: uidNumber\nuidNumber: %d\n' "$dn" $((32000 + RANDOM % 500)) | ldap_modify ;;
	6) next=$((next + 1)); printf 'dn: %s\nchangetype: modrdn\nnewrdn: uid=r%d\ndeleteoldrdn: 1\n' "$dn" "$next" | ldap_modify ;;
	7 | 8) printf 'dn: cn=%s,ou=groups,%s\nchangetype: modify\nadd: memberUid\nmemberUid: %s\n' "$g" "$SUFFIX" "$u" | ldap_modify ;;
	9) printf 'dn: cn=%s,ou=groups,%s\nchangetype: modify\ndelete: memberUid\nmemberUid: %s\n' "$g" "$SUFFIX" "$u" | ldap_modify ;;
	10) printf 'dn: cn=%s,ou=groups,%s\nobjectClass: posixGroup\ncn: %s\ngidNumber: %d\nmemberUid: %s\nmemberUid: bad/name\n\n' "$g" "$SUFFIX" "$g" $((40000 + RANDOM % 12)) "$u" | ldap_add
	    [ $((RANDOM % 2)) = 0 ] && ldap_delete "cn=$g,ou=groups,$SUFFIX" ;;
	11) printf 'dn: cn=%s,ou=groups,%s\nchangetype: modify\nreplace: gidNumber\ngidNumber: %d\n' "$g" "$SUFFIX" $((40000 + RANDOM % 12)) | ldap_modify ;;
	12) printf 'dn: cn=inner,ou=groups,%s\nchangetype: modify\nadd: member\nmember: %s\n' "$SUFFIX" "$dn" | ldap_modify ;;
	13) printf 'dn: %s\nchangetype: modify\nreplace: uidNumber\nuidNumber: 30001\n' "$dn" | ldap_modify ;; # a duplicate
	esac
} >/dev/null 2>&1

for round in $(seq 1 "$ROUNDS"); do
	for k in $(seq 1 $((RANDOM % 3 + 1))); do random_change; done
	expect_full_sync "round $round"
done
deltas=$(grep -c "sync published generation=.* delta " "$T/agent.log")
fulls=$(grep -c "sync published generation=[0-9]* users=" "$T/agent.log")
echo "$ROUNDS rounds: $deltas delta publishes, $fulls full publishes; every round equal to a full sync"
grep -o "publishing in full: .*" "$T/agent.log" | sort | uniq -c
[ "$deltas" -ge $((ROUNDS / 3)) ] || { cat "$T/agent.log" | tail -30; fail "too few delta publishes"; }
[ "$fulls" -ge 2 ] || fail "no full publish: the member DN and duplicate cases were not exercised"
agent_stop 2 || fail "the agent exited with an error"

# A restart after deltas resumes from the cookie of the last full cache (sync.state is
# written with full publishes only), gets the changes since again, plus one made while
# the agent was down, and ends equal to a full sync.
random_change
user_ldif whiledown 33333 30000 | ldap_add >/dev/null || fail "ldapadd"
agent_start "$T/hostiam.conf"
"$HOSTIAM" --config "$T/full.conf" sync --force >/dev/null 2>"$T/full.err" || fail "full sync"
dump_sorted "$T/full/nss.cache" > "$T/want"
wait_for 10 'dump_sorted "$T/cache/nss.cache" > "$T/got" 2>/dev/null && cmp -s "$T/want" "$T/got"' || {
	diff "$T/want" "$T/got" | head; fail "after a restart: the cache differs from a full sync"; }
grep -q "resuming from the stored sync state" "$T/agent.log" || { tail "$T/agent.log"; fail "the restart did not resume"; }
grep "sync refresh resumed from the cookie kind=users" "$T/agent.log" | tail -1
[ ! -e "$T/cache/nss.cache.delta" ] || fail "the full publish after the restart left the delta"
agent_stop 2 || fail "the agent exited with an error"
echo PASS
