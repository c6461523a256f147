#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# hostiam-auth verify against slapd with the password policy overlay: every reply the
# PAM module acts on, from the directory's own answers (bind + ppolicy response control).
. "$top_srcdir/tests/password/password-lib.sh"

add_user right 40001 'Right-pw-1'
expect "right password" "$(verify right 'Right-pw-1')" "ok"
expect "wrong password" "$(verify right 'Wrong-pw-1')" "wrong"
got=$(printf '\0' | helper --config "$T/h.conf" verify right | joined)
expect "empty password (no anonymous bind)" "$got" "wrong"
expect "nothing on stdin" "$(verify right '')" "error|no password on standard input"
got=$(printf 'Right-pw-1\0ignored' | helper --config "$T/h.conf" verify right | joined)
expect "NUL-ended password" "$got" "ok"
expect "unknown user" "$(verify nosuchuser 'Right-pw-1')" "unknown"
expect "not a user name" "$(verify 'a:b' 'Right-pw-1')" "unknown|not a valid user name"
long=$(head -c 513 /dev/zero | tr '\0' x)
expect "513-byte password" "$(verify right "$long")" "error|password longer than 512 bytes"
# a password of 512 bytes is taken (and wrong)
expect "512-byte password" "$(verify right "${long%x}")" "wrong"
# the name is escaped in the filter (RFC 4515): unescaped, these would find "right"
expect "uid wildcard" "$(verify 'righ*' 'Right-pw-1')" "unknown"
expect "filter injection" "$(verify 'x)(|(uid=right)' 'Right-pw-1')" "unknown"

# pwdMaxFailure 3: the fourth bind, right password or not, says locked
add_user locker 40002 'Locker-pw-1'
for i in 1 2 3; do
	expect "wrong bind $i" "$(verify locker "bad-$i")" "wrong"
done
expect "locked after 3 wrong binds" "$(verify locker 'Locker-pw-1')" "locked|Account locked"

# an administrator's reset (pwdReset TRUE, pwdMustChange): ok, but change it now
add_user resetme 40003 'Reset-pw-1'
printf 'dn: %s\nchangetype: modify\nreplace: pwdReset\npwdReset: TRUE\n' "$(user_dn resetme)" |
	ldap_modify || fail "cannot set pwdReset"
expect "reset password" "$(verify resetme 'Reset-pw-1')" "ok must_change=1"

# policy "expiring": every bind warns, 30 days ahead
add_user warned 40004 'Warned-pw-1'
set_policy warned expiring && set_password warned 'Warned-pw-1'
got=$(verify warned 'Warned-pw-1')
case $got in
ok\ expires_in=259[0-9][0-9][0-9][0-9]) expect "expiry warning" "$got" "$got" ;;
*) expect "expiry warning" "$got" "ok expires_in=2592000 (or a little less)" ;;
esac

# policies "grace" and "nograce": the password expires 1 s after it was set
add_user graced 40005 'Graced-pw-1'
add_user expired 40006 'Expired-pw-1'
set_policy graced grace && set_password graced 'Graced-pw-1'
set_policy expired nograce && set_password expired 'Expired-pw-1'
sleep 2
expect "first grace login" "$(verify graced 'Graced-pw-1')" "ok grace=1 must_change=1"
expect "last grace login" "$(verify graced 'Graced-pw-1')" "ok grace=0 must_change=1"
expect "grace logins used up" "$(verify graced 'Graced-pw-1')" "expired|Password expired"
expect "expired, no grace" "$(verify expired 'Expired-pw-1')" "expired|Password expired"
expect "expired, wrong password" "$(verify expired 'nope')" "wrong"

# the one log line per run
grep -q "password verify user=right result=ok uri=ldap://127.0.0.1:$LDAP_PORT\$" "$SYSLOG" ||
	expect "log line of a success" "$(grep 'user=right' "$SYSLOG" | head -1)" \
		"authpriv.info hostiam: password verify user=right result=ok uri=ldap://127.0.0.1:$LDAP_PORT"
grep -q '^authpriv.notice hostiam: password verify user=locker result=locked uri=[^ ]* reason="Account locked"$' \
	"$SYSLOG" || expect "log line of a lockout" "$(grep 'result=locked' "$SYSLOG")" "reason=\"Account locked\""
finish
