#!/bin/bash
# Options of hostiam sync: --follow --force is refused (the shrink guard must not be off
# for the agent's whole lifetime).
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"

for args in "--follow --force" "--force --follow" "-f --force"; do
	timeout 5 "$HOSTIAM" --config "$T/hostiam.conf" sync $args 2>"$T/err"
	rc=$?
	[ "$rc" = 2 ] || fail "sync $args: exit status $rc, not 2"
	grep -q -- "--force cannot be combined with --follow" "$T/err" || fail "sync $args: $(cat "$T/err")"
done
[ -e "$T/cache/nss.cache" ] && fail "a refused command published"
echo "PASS"
