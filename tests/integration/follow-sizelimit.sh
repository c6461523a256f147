#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# syncprov present, but the refresh of 120 users hits the size limit of 50: the agent falls
# back to paged full syncs and publishes all 120.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
many_users_ldif 120 > "$T/many.ldif"
SLAPD_SIZELIMIT=50 slapd_setup "$T/many.ldif" || fail "slapd did not start"
HOSTIAM_REFRESH=10 hostiam_conf > "$T/hostiam.conf"
agent_start "$T/hostiam.conf"
cache_wait 6 "^users 120$" || { cat "$T/agent.log"; fail "not all 120 users published"; }
grep -q "full sync every" "$T/agent.log" || { cat "$T/agent.log"; fail "no fallback announced"; }
agent_stop 2 || fail "the agent exited with an error"
echo "PASS"
