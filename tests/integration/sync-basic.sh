#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Full sync: RFC 2307 and 2307bis groups, nesting with a cycle, escaped DNs, UTF-8,
# min_uid/min_gid, SSH keys, then lookups through the cache (and NSS when available).
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"

"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync failed"; }
cache_dump > "$T/dump" || fail "no cache"
cat "$T/dump"

expect() { grep -qxF -- "$1" "$T/dump" || fail "missing line: $1"; }
expect "generation 1"
expect "user alice:10001:10001:Alice Liddell,,,:/home/alice:/bin/bash keys=2"
expect "key alice ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAlicekey1 alice@one"
expect "user bob:10002:10001:Bob Builder:/home/bob:/bin/zsh keys=0"
expect "user carol:10003:10003:Carol:/home/carol: keys=0"
expect "user jsmith:10004:10004:Smith, John:/home/jsmith:/bin/bash keys=0"
expect "user dave:10005:10005:Dévid Dévê:/home/dave: keys=0"
# RFC 2307: names, including a local account that is not in the directory.
expect "group developers:20001:alice,bob,localadmin"
# RFC 2307bis: carol by DN, "Smith\, John" written differently, developers nested; the
# ghost and the service account are neither users nor groups here.
expect "group ops:20002:alice,bob,carol,jsmith,localadmin"
# A cycle: each side sees both.
expect "group cycle-a:20003:alice,bob,dave"
expect "group cycle-b:20004:alice,bob,dave"
# Below min_uid / min_gid: left out, quietly.
grep -q daemon2 "$T/dump" && fail "daemon2 (uid 2) was cached"
grep -q sysgroup "$T/dump" && fail "sysgroup (gid 5) was cached"
grep -q "skipping entry" "$T/sync.err" && { cat "$T/sync.err"; fail "clean data logged skips"; }

# sync.status records the result.
grep -qx "result=ok" "$T/cache/sync.status" || fail "sync.status: $(cat "$T/cache/sync.status")"

# A second sync publishes the next generation.
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>/dev/null || fail "second sync failed"
[ "$(cache_generation)" = 2 ] || fail "generation is not 2"

# Through glibc's NSS path when the wrapper exists.
NSSWRAP="$top_srcdir/tests/nss/nsswrap.sh"
if [ -x "$NSSWRAP" ] || [ -f "$NSSWRAP" ]; then
	out=$(bash "$NSSWRAP" "$T/cache/nss.cache" getent passwd alice) || fail "getent passwd alice"
	[ "$out" = "alice:*:10001:10001:Alice Liddell,,,:/home/alice:/bin/bash" ] ||
		[ "$out" = "alice:x:10001:10001:Alice Liddell,,,:/home/alice:/bin/bash" ] ||
		fail "getent passwd alice: $out"
	out=$(bash "$NSSWRAP" "$T/cache/nss.cache" getent group ops) || fail "getent group ops"
	case "$out" in ops:*:20002:alice,bob,carol,jsmith,localadmin) ;; *) fail "getent group ops: $out" ;; esac
	bash "$NSSWRAP" "$T/cache/nss.cache" id -Gn jsmith 2>/dev/null | grep -qw ops || fail "initgroups jsmith"
fi
# authorized-keys reads the same cache; it checks through NSS that the name is the
# directory's account, as sshd will see it.
[ "$(bash "$NSSWRAP" "$T/cache/nss.cache" "$HOSTIAM" --config "$T/hostiam.conf" \
	authorized-keys alice | wc -l)" = 2 ] || fail "authorized-keys alice"
echo "PASS"
