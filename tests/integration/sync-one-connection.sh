#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The one-shot sync reads users and groups at once on two connections to the same server.
# A server that takes one connection only (out of slots) still gets a whole sync, the
# reads one after the other on that connection: the second connection is never tried on
# another configured server (here one that answers a byte a second), nothing waits for
# it, and nothing is logged as a failed server.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require

python3 "$top_srcdir/tests/integration/fake-ldap.py" trickle "$T/slow.port" 1 2>>"$T/fake.log" &
SLOW_PID=$!
trap 'kill "$SLOW_PID" 2>/dev/null; slapd_cleanup' EXIT
wait_for 30 '[ -s "$T/slow.port" ]' || fail "the slow server did not start"
fake_ldap_start one-connection || fail "the fake server did not start"
HOSTIAM_URIS="\"ldap://127.0.0.1:$LDAP_PORT\", \"ldap://127.0.0.1:$(cat "$T/slow.port")\"" \
	hostiam_conf > "$T/hostiam.conf"
start=$(now_us)
timeout 60 "$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err" || { cat "$T/err"; fail "sync failed"; }
ms=$(( ($(now_us) - start) / 1000 ))
echo "one connection only: synced in $ms ms: $(tail -1 "$T/err")"
"$top_builddir/tests/integration/cache-dump" "$T/cache/nss.cache" --members > "$T/dump"
grep -q "^user fakeuser:" "$T/dump" || { cat "$T/dump"; fail "the user is missing"; }
grep -q "^group fakegroup:20001:fakeuser" "$T/dump" || { cat "$T/dump"; fail "the group is missing"; }
! grep -q "failed" "$T/err" || { cat "$T/err"; fail "a server was logged as failed"; }
# Trying the slow server would take directory.timeout (3 s here).
[ "$ms" -lt 2500 ] || fail "the sync waited for another server ($ms ms)"
echo PASS
