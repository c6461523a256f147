#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# hostiam-auth when the directory cannot or may not be asked: plain ldap:// off-host
# refused without a connection, failover past it, no directory section, a broken
# configuration, a stopped slapd (unreachable at once), a SIGSTOPped one (unreachable
# within directory.timeout + 1 s), and never a hang.
. "$top_srcdir/tests/password/password-lib.sh"
add_user right 40021 'Right-pw-1'

# 192.0.2.1 (TEST-NET-1) answers nothing: a connection attempt would last the timeout
HOSTIAM_URIS='"ldap://192.0.2.1"' hostiam_conf > "$T/clear.conf"
timed verify right 'Right-pw-1' "$T/clear.conf"
expect "plain ldap:// off-host" "$OUT" \
	"refused|ldap://192.0.2.1: plain ldap:// to another host: a password is not sent in clear (use ldaps:// or starttls = true)"
[ "$MS" -lt 1000 ] || expect "refused at once (no connection)" "${MS} ms" "under 1000 ms"
# the same host name spelled as a name and with a port
HOSTIAM_URIS='"ldap://ldap.example.com:389/"' hostiam_conf > "$T/clear2.conf"
expect "plain ldap:// to a name" "$(verify right 'Right-pw-1' "$T/clear2.conf" | cut -d'|' -f1)" \
	"refused"

# skipped, not fatal: the next server (loopback) answers
HOSTIAM_URIS="\"ldap://192.0.2.1\", \"ldap://127.0.0.1:$LDAP_PORT\"" hostiam_conf > "$T/mixed.conf"
timed verify right 'Right-pw-1' "$T/mixed.conf"
expect "failover past the cleartext server" "$OUT" "ok"
[ "$MS" -lt 1000 ] || expect "no time spent on it" "${MS} ms" "under 1000 ms"
grep -q "user=right result=ok uri=ldap://127.0.0.1:$LDAP_PORT\$" "$SYSLOG" ||
	expect "log names the server that answered" "$(tail -1 "$SYSLOG")" "uri=ldap://127.0.0.1:$LDAP_PORT"

# no directory section; a configuration that does not parse; none at all
printf 'cache = { dir = "%s"; };\n' "$T/cache" > "$T/nodir.conf"
expect "no directory section" "$(verify right 'Right-pw-1' "$T/nodir.conf")" \
	"refused|no directory section in the configuration"
printf 'directory = { uri = [ "ldap://127.0.0.1" ]\n' > "$T/broken.conf"
expect "configuration syntax error" "$(verify right 'Right-pw-1' "$T/broken.conf" | cut -d'|' -f1)" \
	"error"
expect "no configuration file" "$(verify right 'Right-pw-1' "$T/missing.conf" | cut -d'|' -f1)" \
	"error"

# usage errors: no reply, a non-zero status (the PAM side reads that as error)
printf 'x' | helper verify >/dev/null 2>&1
expect "usage error status" "$?" "2"

# slapd frozen: TCP connects (the kernel accepts), nothing answers
HOSTIAM_TIMEOUT=2 hostiam_conf > "$T/t2.conf"
kill -STOP "$SLAPD_PID"
timed verify right 'Right-pw-1' "$T/t2.conf"
kill -CONT "$SLAPD_PID"
expect "SIGSTOPped slapd" "${OUT%%|*}" "unreachable"
[ "$MS" -le 3000 ] || expect "within directory.timeout + 1 s" "${MS} ms" "at most 3000 ms"
echo "  (answered in $MS ms, timeout 2 s: $OUT)"
expect "answers again after SIGCONT" "$(verify right 'Right-pw-1' "$T/t2.conf")" "ok"

# both of two servers down: unreachable, naming each
port2=$(free_port)
HOSTIAM_URIS="\"ldap://127.0.0.1:$port2\", \"ldap://127.0.0.1:$LDAP_PORT\"" hostiam_conf > "$T/two.conf"
slapd_stop
timed verify right 'Right-pw-1' "$T/two.conf"
expect "slapd stopped" "${OUT%%|*}" "unreachable"
case $OUT in
*"ldap://127.0.0.1:$port2: "*"; ldap://127.0.0.1:$LDAP_PORT: "*) ;;
*) expect "the reason names both servers" "$OUT" "unreachable|ldap://127.0.0.1:$port2: ...; ldap://127.0.0.1:$LDAP_PORT: ..." ;;
esac
[ "$MS" -lt 1000 ] || expect "unreachable at once" "${MS} ms" "under 1000 ms"
grep -q '^authpriv.warning hostiam: password verify user=right result=unreachable ' "$SYSLOG" ||
	expect "log line of unreachable" "$(grep unreachable "$SYSLOG")" "authpriv.warning ... result=unreachable"

# Servers that bind at once, then stall the search for the user's entry, or trickle it a
# byte at a time (libldap's own timeout restarts with each byte): the deadline holds.
for mode in stall trickle-search; do
	fake_ldap_start "$mode" 0.3 || fail "fake-ldap.py $mode did not start"
	HOSTIAM_TIMEOUT=2 hostiam_conf > "$T/fake.conf"
	timed verify fakeuser 'Fake-pw-1' "$T/fake.conf"
	expect "$mode: the search for the entry" "${OUT%%|*}" "unreachable"
	[ "$MS" -le 3000 ] || expect "$mode: within directory.timeout + 1 s" "${MS} ms" "at most 3000 ms"
	kill "$FAKE_PID" && wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
done
finish
