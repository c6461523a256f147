#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The agent never loops forever without publishing:
#  - a refresh whose first entry takes longer than directory.timeout is waited for (the
#    refresh has its own, longer limit);
#  - a server whose refreshes keep failing gets periodic full syncs after 3 attempts;
#  - a server that ends refreshAndPersist with success after the refresh gets it published.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require

# Run the agent against fake-ldap.py in mode $1 (delay $2) until the cache holds fakeuser.
agent_against() {
	fake_ldap_start "$1" "${2:-0}" || fail "the fake server did not start"
	rm -rf "$T/cache" "$T/agent.log"
	HOSTIAM_TIMEOUT=1 HOSTIAM_REFRESH=10 hostiam_conf > "$T/hostiam.conf"
	agent_start "$T/hostiam.conf"
}

# Stop the agent and the fake server.
agent_done() {
	agent_stop 2 || fail "the agent exited with an error"
	kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=
}

echo "refresh silent for 3 s with timeout = 1 s"
agent_against sync-slow 3
cache_wait 12 "^user fakeuser:" || { cat "$T/agent.log"; fail "the slow refresh was cut off"; }
grep -q "following the directory" "$T/agent.log" || { cat "$T/agent.log"; fail "not following"; }
grep -q "full sync every" "$T/agent.log" && fail "fell back instead of waiting for the refresh"
agent_done

echo "refreshes that fail (busy)"
agent_against sync-busy
cache_wait 10 "^user fakeuser:" || { cat "$T/agent.log"; fail "no full sync after failed refreshes"; }
grep -q "syncrepl failed 3 times in a row" "$T/agent.log" || { cat "$T/agent.log"; fail "not logged"; }
grep -q "full sync every 10 s" "$T/agent.log" || { cat "$T/agent.log"; fail "no fallback"; }
agent_done

echo "refreshAndPersist ended with success after the refresh"
agent_against sync-done
cache_wait 5 "^group fakegroup:20001:fakeuser$" || { cat "$T/agent.log"; fail "the refresh was not published"; }
# The agent publishes first and logs the end of the sync after: wait for the line.
wait_for 5 'grep -q "ended the sync after its refresh" "$T/agent.log"' ||
	{ cat "$T/agent.log"; fail "not logged"; }
agent_done
echo "PASS"
