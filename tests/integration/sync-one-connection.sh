#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The one-shot sync reads users and groups at once on two connections to the same server;
# a server that takes one connection only (out of slots) still gets a whole sync, the
# reads one after the other on that connection, and nothing waits for the second one.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require

fake_ldap_start one-connection || fail "the fake server did not start"
hostiam_conf > "$T/hostiam.conf"
start=$(now_us)
timeout 60 "$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err" || { cat "$T/err"; fail "sync failed"; }
ms=$(( ($(now_us) - start) / 1000 ))
echo "one connection only: synced in $ms ms"
"$top_builddir/tests/integration/cache-dump" "$T/cache/nss.cache" --members > "$T/dump"
grep -q "^user fakeuser:" "$T/dump" || { cat "$T/dump"; fail "the user is missing"; }
grep -q "^group fakegroup:20001:fakeuser" "$T/dump" || { cat "$T/dump"; fail "the group is missing"; }
# Waiting out a connection the server refused would take directory.timeout (5 s here).
[ "$ms" -lt 4000 ] || fail "the sync waited for the refused connection ($ms ms)"
echo PASS
