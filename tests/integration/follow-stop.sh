#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# SIGTERM stops the agent within a second or two even in the middle of a fallback full sync
# whose server does not answer (timeout 20 s), or one that never ends (pages forever).
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
fake_ldap_start stall || fail "the fake server did not start"
HOSTIAM_TIMEOUT=20 HOSTIAM_REFRESH=10 hostiam_conf > "$T/hostiam.conf"
agent_start "$T/hostiam.conf"
wait_for 5 'grep -q "full sync every" "$T/agent.log"' || { cat "$T/agent.log"; fail "no fallback"; }
sleep 1
agent_stop 2 || fail "the agent exited with an error"
grep -q "agent stopped" "$T/agent.log" || { cat "$T/agent.log"; fail "no clean stop logged"; }
kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=

fake_ldap_start endless || fail "the fake server did not start"
rm -f "$T/agent.log"
HOSTIAM_TIMEOUT=20 HOSTIAM_REFRESH=10 hostiam_conf > "$T/hostiam.conf"
agent_start "$T/hostiam.conf"
wait_for 5 'grep -q "full sync every" "$T/agent.log"' || { cat "$T/agent.log"; fail "no fallback"; }
sleep 1
agent_stop 2 || fail "the agent exited with an error"
echo "PASS"
