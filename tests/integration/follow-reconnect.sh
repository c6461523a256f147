#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The directory goes away while the agent follows: the cache keeps answering, a one-shot
# sync fails cleanly without touching it; when slapd is back the agent reconnects by itself
# and changes flow again.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"
agent_start "$T/hostiam.conf"
cache_wait 5 "^user alice:" || { cat "$T/agent.log"; fail "the agent published nothing"; }

slapd_stop
sleep 1.5
kill -0 "$AGENT_PID" || fail "the agent died with the directory"
before=$(md5sum < "$T/cache/nss.cache")
cache_dump | grep -q "^user alice:" || fail "the cache stopped answering"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err" && fail "sync succeeded without slapd"
cat "$T/err"
[ "$(md5sum < "$T/cache/nss.cache")" = "$before" ] || fail "the cache changed while slapd was down"
grep -q "lost the directory" "$T/agent.log" || fail "the agent did not notice"

slapd_start || fail "slapd did not restart"
# Backoff is at most a few seconds at this point.
wait_for 10 '[ "$(grep -c "following the directory" "$T/agent.log")" -ge 2 ]' ||
	{ cat "$T/agent.log"; fail "the agent did not reconnect"; }
user_ldif frank 10011 10011 Frank | ldap_add || fail "ldapadd"
cache_wait 2 "^user frank:" || fail "no change after the reconnection"
agent_stop 2 || fail "the agent exited with an error"
cat "$T/agent.log"
echo "PASS"
