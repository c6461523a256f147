#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# An agent killed between publishing the cache and recording sync.status (here SIGKILL
# right after the rename, from an LD_PRELOAD shim) leaves the previous status, a failure,
# beside a newer cache: `hostiam status` must report the cache as the last good sync.
. "$top_srcdir/tests/integration/slapd-lib.sh"
shim=$top_builddir/tests/integration/.libs/kill_shim.so
[ -f "$shim" ] || { echo "missing $shim (build first)"; exit 99; }
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"
HOSTIAM_URIS="\"ldap://127.0.0.1:$(free_port)\"" hostiam_conf > "$T/nobody.conf"

# Generation 1, then a failed attempt: sync.status says error.
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync"; }
"$HOSTIAM" --config "$T/nobody.conf" sync 2>/dev/null && fail "a sync without a server succeeded"
grep -qx "result=error" "$T/cache/sync.status" || fail "sync.status: $(cat "$T/cache/sync.status")"

# The agent publishes generation 2 and dies at once.
asan=$(ldd "$HOSTIAM" 2>/dev/null | awk '/libasan/ { print $3; exit }')
LD_PRELOAD="${asan:+$asan:}$shim" HOSTIAM_LOG_STDERR=1 \
	"$HOSTIAM" --config "$T/hostiam.conf" sync --follow 2>"$T/agent.log" &
AGENT_PID=$!
wait_for 10 '! kill -0 $AGENT_PID 2>/dev/null' || fail "the agent was not killed by the shim"
wait "$AGENT_PID"
rc=$?
AGENT_PID=
[ "$rc" = 137 ] || { cat "$T/agent.log"; fail "the agent exited $rc, not by SIGKILL"; }
[ "$(cache_generation)" = 2 ] || fail "generation $(cache_generation), not 2"
# The window was hit: the status is the failure from before.
grep -qx "result=error" "$T/cache/sync.status" || fail "the status was written: $(cat "$T/cache/sync.status")"

"$HOSTIAM" --config "$T/hostiam.conf" status >"$T/status" 2>&1
rc=$?
cat "$T/status"
grep -q "^result: *ok: published generation 2 " "$T/status" || fail "status does not report generation 2"
[ "$rc" = 0 ] || fail "status exit $rc with a fresh cache and a good last sync"

# The next sync's status is its own again.
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>/dev/null || fail "third sync"
grep -qx "generation=3" "$T/cache/sync.status" || fail "sync.status: $(cat "$T/cache/sync.status")"
"$HOSTIAM" --config "$T/hostiam.conf" status | grep -q "^result: *ok: published generation 3$" ||
	fail "status after a complete sync"
echo "ok"
