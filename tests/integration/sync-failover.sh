#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Failover: a first URI that is down (closed port) is passed over quickly; with every
# server down the sync fails within the timeout and the cache keeps answering.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
DEAD=$(free_port)   # nothing listens there

HOSTIAM_URIS="\"ldap://127.0.0.1:$DEAD\", \"ldap://127.0.0.1:$LDAP_PORT\"" hostiam_conf > "$T/fo.conf"
start=$(now_us)
"$HOSTIAM" --config "$T/fo.conf" sync 2>"$T/err" || { cat "$T/err"; fail "failover sync failed"; }
took=$(( ($(now_us) - start) / 1000 ))
echo "failover sync took ${took} ms"
[ "$took" -lt 2000 ] || fail "failover took ${took} ms"
grep -q "server=ldap://127.0.0.1:$DEAD" "$T/err" || fail "the dead server was not logged"
grep -q "server=ldap://127.0.0.1:$LDAP_PORT" "$T/cache/sync.status" ||
	fail "sync.status does not name the server that answered"
before=$(md5sum < "$T/cache/nss.cache")

# Everything down: a clean failure, quickly, cache untouched and still readable.
slapd_stop
start=$(now_us)
"$HOSTIAM" --config "$T/fo.conf" sync 2>"$T/err" && fail "sync succeeded with no server"
rc=$?
took=$(( ($(now_us) - start) / 1000 ))
cat "$T/err"
[ "$rc" = 1 ] || fail "exit status $rc, not 1"
[ "$took" -lt 4000 ] || fail "a sync with every server down took ${took} ms"
[ "$(md5sum < "$T/cache/nss.cache")" = "$before" ] || fail "the cache changed"
cache_dump | grep -q "^user alice:" || fail "the cache no longer answers"
grep -qx "result=error" "$T/cache/sync.status" || fail "sync.status does not say error"

# A server that accepts connections but never answers: bounded by the timeout.
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' "$DEAD" &
SILENT=$!
sleep 0.3
HOSTIAM_TIMEOUT=2 HOSTIAM_URIS="\"ldap://127.0.0.1:$DEAD\"" hostiam_conf > "$T/silent.conf"
start=$(now_us)
"$HOSTIAM" --config "$T/silent.conf" sync 2>"$T/err" && fail "sync succeeded against a mute server"
took=$(( ($(now_us) - start) / 1000 ))
kill "$SILENT"; wait "$SILENT" 2>/dev/null
cat "$T/err"
echo "mute server: gave up after ${took} ms (timeout 2 s)"
[ "$took" -lt 5000 ] || fail "a mute server held the sync for ${took} ms"
[ "$(md5sum < "$T/cache/nss.cache")" = "$before" ] || fail "the cache changed"
echo "PASS"
