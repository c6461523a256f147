#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The stored sync state is used only when it is surely the cache's own: a changed directory
# configuration, a cache published by someone else since (a one-shot sync), a damaged file
# or one that group or others can read all mean a full refresh, and say why.
. "$top_srcdir/tests/integration/slapd-lib.sh"
. "$top_srcdir/tests/integration/resume-lib.sh"
resume_setup
state=$T/cache/sync.state

# Start the agent once more; its refresh must be full, for the reason $1 (a grep pattern).
expect_full() {
	agent_round "$T/hostiam.conf" >/dev/null
	grep "stored sync state" "$T/agent.log" | tail -1 | grep -q "not used ($1); full refresh" ||
		{ cat "$T/agent.log"; fail "no full refresh for: $1"; }
	last_refreshes | grep -q "sync refresh full kind=users entries=6 " ||
		{ last_refreshes; fail "not a full refresh ($1)"; }
}

# Another users filter (the same entries, another configuration).
sed -i 's|users  = { base = "ou=people,dc=example,dc=com"; };|users = { base = "ou=people,dc=example,dc=com"; filter = "(\&(objectClass=posixAccount)(uid=*))"; };|' \
	"$T/hostiam.conf"
grep -q 'uid=\*' "$T/hostiam.conf" || fail "the configuration was not changed"
expect_full "the directory configuration changed"

"$HOSTIAM" --config "$T/hostiam.conf" sync 2>/dev/null || fail "one-shot sync"
gen=$(cache_generation)
expect_full "written with generation $((gen - 1)), the cache is generation $gen"

printf '\377' | dd of="$state" bs=1 seek=100 conv=notrunc status=none
expect_full "damaged or of another format"

chmod 0640 "$state"
expect_full "insecure file ownership or permissions"

# And the state the last full refresh wrote is good again.
agent_round "$T/hostiam.conf" >/dev/null
last_refreshes | grep -q "resumed from the cookie kind=users entries=0 " || fail "no resume after"
echo "PASS"
