#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Two agents that lose the same server in the same instant do not come back in the same
# instant: each reconnection waits a random delay in [ceiling/2, ceiling], the ceiling
# doubling up to 30 s. Only what cannot flake is asserted: the delays differ between the
# agents and stay within their bounds; and both resume from their cookies once slapd is back.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
PIDS=
trap 'for p in $PIDS; do kill -9 "$p" 2>/dev/null; done; slapd_cleanup' EXIT
for n in 1 2; do
	hostiam_conf | sed "s|$T/cache|$T/cache$n|" > "$T/agent$n.conf"
	HOSTIAM_LOG_STDERR=1 "$HOSTIAM" --config "$T/agent$n.conf" sync --follow 2>"$T/agent$n.log" &
	PIDS="$PIDS $!"
done
for n in 1 2; do
	wait_for 10 'grep -q "sync published" "$T/agent'$n'.log"' || fail "agent $n did not publish"
done

slapd_stop
for n in 1 2; do
	wait_for 15 '[ "$(grep -c "reconnecting in" "$T/agent'$n'.log")" -ge 3 ]' ||
		{ cat "$T/agent$n.log"; fail "agent $n did not retry 3 times"; }
done
# "reconnecting in MS ms (backoff up to S s)": the first three of each agent.
delays() { grep -o "reconnecting in [0-9]* ms (backoff up to [0-9]* s)" "$T/agent$1.log" | head -3; }
for n in 1 2; do
	echo "agent $n:"; delays "$n"
	delays "$n" | while read -r _ _ ms _ _ _ _ s _; do
		[ "$ms" -ge $((s * 500)) ] && [ "$ms" -le $((s * 1000)) ] && [ "$ms" -le 30000 ] ||
			fail "agent $n: $ms ms is outside [$((s * 500)), $((s * 1000))]"
	done || exit 1
done
[ "$(delays 1)" != "$(delays 2)" ] || fail "both agents waited exactly the same delays"

slapd_start || fail "slapd did not restart"
for n in 1 2; do
	wait_for 20 'grep -q "sync refresh resumed from the cookie kind=groups" "$T/agent'$n'.log"' ||
		{ cat "$T/agent$n.log"; fail "agent $n did not resume after slapd came back"; }
done
for p in $PIDS; do kill -TERM "$p"; wait "$p" || fail "an agent exited with an error"; done
PIDS=
echo "PASS"
