#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The shrink guard: a directory that lost more than half of its users is not published
# (exit 1, the old cache untouched) unless --force.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>/dev/null || fail "first sync failed"
before=$(md5sum < "$T/cache/nss.cache")

# 5 users -> 2: more than half lost.
ldap_delete "uid=alice,ou=people,$SUFFIX" "uid=bob,ou=people,$SUFFIX" "uid=carol,ou=people,$SUFFIX"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err"
rc=$?
cat "$T/err"
[ "$rc" = 1 ] || fail "exit status $rc, not 1"
grep -q "refusing to publish" "$T/err" && grep -q -- "--force" "$T/err" || fail "unclear refusal"
[ "$(md5sum < "$T/cache/nss.cache")" = "$before" ] || fail "the cache changed"
grep -qx "result=error" "$T/cache/sync.status" || fail "sync.status does not record the refusal"

"$HOSTIAM" --config "$T/hostiam.conf" sync --force 2>"$T/err" || { cat "$T/err"; fail "--force failed"; }
[ "$(cache_dump | grep -c '^user ')" = 2 ] || fail "not 2 users after --force"
[ "$(cache_generation)" = 2 ] || fail "generation not 2"
echo "PASS"
