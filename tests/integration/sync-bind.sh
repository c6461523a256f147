#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Simple bind with bind_password_file: works at 0600, refused at 0644 (and as a symlink),
# a wrong password fails; the cache is never touched by a failure.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
printf '%s\n' "$READERPW" > "$T/bind.pw"
chmod 600 "$T/bind.pw"
hostiam_conf "bind_dn = \"$READERDN\"; bind_password_file = \"$T/bind.pw\";" > "$T/bind.conf"
"$HOSTIAM" --config "$T/bind.conf" sync 2>"$T/err" || { cat "$T/err"; fail "bind sync failed"; }
cache_dump | grep -q "^user alice:" || fail "alice missing"
before=$(md5sum < "$T/cache/nss.cache")

chmod 644 "$T/bind.pw"
"$HOSTIAM" --config "$T/bind.conf" sync 2>"$T/err" && fail "a 0644 password file was accepted"
cat "$T/err"
grep -q "group or world" "$T/err" || fail "unclear refusal"
grep -q "$READERPW" "$T/err" && fail "the password reached the log"

chmod 600 "$T/bind.pw"
ln -s "$T/bind.pw" "$T/link.pw"
hostiam_conf "bind_dn = \"$READERDN\"; bind_password_file = \"$T/link.pw\";" > "$T/link.conf"
"$HOSTIAM" --config "$T/link.conf" sync 2>"$T/err" && fail "a symlinked password file was accepted"
cat "$T/err"

printf 'wrong\n' > "$T/wrong.pw"
chmod 600 "$T/wrong.pw"
hostiam_conf "bind_dn = \"$READERDN\"; bind_password_file = \"$T/wrong.pw\";" > "$T/wrong.conf"
"$HOSTIAM" --config "$T/wrong.conf" sync 2>"$T/err" && fail "a wrong password was accepted"
cat "$T/err"
grep -qi "invalid credentials" "$T/err" || fail "unclear bind failure"
[ "$(md5sum < "$T/cache/nss.cache")" = "$before" ] || fail "the cache changed"
echo "PASS"
