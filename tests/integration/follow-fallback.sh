#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A server without syncprov: the agent falls back to a full sync every directory.refresh
# seconds (10 here, the minimum), and still stops promptly on SIGTERM.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
SLAPD_SYNCPROV=0 slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
HOSTIAM_REFRESH=10 hostiam_conf > "$T/hostiam.conf"
agent_start "$T/hostiam.conf"
cache_wait 5 "^user alice:" || { cat "$T/agent.log"; fail "the agent published nothing"; }
grep -q "full sync every 10 s" "$T/agent.log" || { cat "$T/agent.log"; fail "no fallback announced"; }
user_ldif gina 10012 10012 Gina | ldap_add || fail "ldapadd"
cache_wait 12 "^user gina:" || { cat "$T/agent.log"; fail "the periodic sync did not pick up the add"; }
agent_stop 2 || fail "the agent exited with an error"
echo "PASS"
