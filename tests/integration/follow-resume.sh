#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A restarted agent resumes from the sync cookie it stored with the cache (sync.state):
# with nothing changed the directory sends no entry at all, and the cache is current
# (republished) within 2 s of the start.
. "$top_srcdir/tests/integration/slapd-lib.sh"
. "$top_srcdir/tests/integration/resume-lib.sh"
resume_setup
grep -q "no stored sync state; full refresh" "$T/agent.log" || fail "first start not full"
last_refreshes | grep -q "sync refresh full kind=users entries=6 " ||
	{ last_refreshes; fail "the first refresh did not carry the 6 users"; }
state=$T/cache/sync.state
[ -f "$state" ] || fail "no sync.state"
[ "$(stat -c %a "$state")" = 600 ] || fail "sync.state mode $(stat -c %a "$state")"
gen=$(cache_generation)

# Restart, nothing changed: resumed, zero entries from the directory, published again.
ms=$(agent_round "$T/hostiam.conf")
echo "restart -> current: $ms ms"
grep -q "resuming from the stored sync state generation=$gen users=6 groups=5" "$T/agent.log" ||
	{ cat "$T/agent.log"; fail "the stored state was not used"; }
for kind in users groups; do
	last_refreshes | grep -q "sync refresh resumed from the cookie kind=$kind entries=0 deleted=0 " ||
		{ last_refreshes; fail "$kind: not a resumed refresh without entries"; }
done
[ "$(cache_generation)" = $((gen + 1)) ] || fail "not republished: generation $(cache_generation)"
[ "$ms" -le 2000 ] || fail "restart to current took $ms ms"
same_as_full_sync "nothing changed"

# A reconnect inside the running agent resumes too.
: > "$T/agent.log"
agent_start "$T/hostiam.conf"
wait_for 5 'grep -q "following the directory" "$T/agent.log"' || fail "agent did not follow"
slapd_stop
slapd_start || fail "slapd did not restart"
user_ldif frank 10011 10011 Frank | ldap_add || fail "ldapadd"
cache_wait 10 "^user frank:" || { cat "$T/agent.log"; fail "no change after the reconnection"; }
agent_stop 2 || fail "the agent exited with an error"
[ "$(grep -c "sync refresh resumed from the cookie kind=users" "$T/agent.log")" -ge 1 ] ||
	{ cat "$T/agent.log"; fail "the reconnect did not resume"; }
same_as_full_sync "after a reconnect"
echo "PASS"
