#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Publishes are serialised by an flock on cache.dir/.sync.lock: a one-shot sync waits for
# the holder (and says so), reads the directory only once it holds the lock, and gives up
# with exit 1 after 2 x timeout + 30 s; the agent takes the lock around each publish.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
HOSTIAM_TIMEOUT=1 hostiam_conf > "$T/hostiam.conf"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>/dev/null || fail "first sync failed"
LOCK="$T/cache/.sync.lock"
[ -f "$LOCK" ] || fail "no lock file"
[ "$(stat -c %a "$LOCK")" = 600 ] || fail "lock file mode $(stat -c %a "$LOCK")"

# Hold the lock for $1 seconds in the background; returns once it is held.
HOLDER=
hold_lock() {
	rm -f "$T/held"
	# The subshell becomes the sleep: killing $HOLDER releases the lock.
	( exec 9<"$LOCK" && flock -x 9 && touch "$T/held" && exec sleep "$1" ) &
	HOLDER=$!
	wait_for 2 '[ -f "$T/held" ]' || fail "could not take the lock"
}

# A one-shot sync waits, announces it, and reads what the directory holds once it may.
hold_lock 3
start=$(now_us)
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err" &
SYNC=$!
wait_for 2 'grep -q "another sync is publishing; waiting" "$T/err"' ||
	{ cat "$T/err"; fail "the sync did not say it waits"; }
user_ldif frank 10011 10011 Frank | ldap_add || fail "ldapadd"
wait "$SYNC" || { cat "$T/err"; fail "the waiting sync failed"; }
waited=$(( ($(now_us) - start) / 1000 ))
echo "waited $waited ms"
[ "$waited" -ge 2000 ] || fail "the sync did not wait for the lock"
wait "$HOLDER"
cache_dump | grep -q "^user frank:" || fail "the sync read the directory before it held the lock"
[ "$(cache_generation)" = 2 ] || fail "generation $(cache_generation), not 2"

# The agent publishes only while it holds the lock.
agent_start "$T/hostiam.conf"
cache_wait 5 "^generation 3$" || { cat "$T/agent.log"; fail "the agent published nothing"; }
hold_lock 3
user_ldif gina 10012 10012 Gina | ldap_add || fail "ldapadd"
sleep 1.5
cache_dump | grep -q "^user gina:" && fail "the agent published while another sync held the lock"
wait "$HOLDER"
cache_wait 2 "^user gina:" || { cat "$T/agent.log"; fail "the agent did not publish after the lock"; }
[ "$(cache_generation)" = 4 ] || fail "generation $(cache_generation), not 4"
agent_stop 2 || fail "the agent exited with an error"

# A holder that never lets go: the one-shot sync gives up after 2 x 1 + 30 s, exit 1.
hold_lock 60
start=$(now_us)
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err"
rc=$?
waited=$(( ($(now_us) - start) / 1000 ))
kill "$HOLDER" 2>/dev/null
cat "$T/err"
echo "gave up after $waited ms"
[ "$rc" = 1 ] || fail "exit status $rc, not 1"
[ "$waited" -ge 31000 ] && [ "$waited" -le 40000 ] || fail "gave up after $waited ms"
grep -q "gave up waiting" "$T/err" || fail "unclear message"
[ "$(cache_generation)" = 4 ] || fail "the cache changed"
echo "PASS"
