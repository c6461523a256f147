#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# hostiam-auth change: RFC 3062 Password Modify as the user, against slapd's password
# policy (pwdMinLength 8, pwdInHistory 3): the directory's refusals come back verbatim.
. "$top_srcdir/tests/password/password-lib.sh"

add_user changer 40011 'Changer-pw-1'
expect "change" "$(change changer 'Changer-pw-1' 'Changer-pw-2')" "ok"
expect "bind with the new password" "$(verify changer 'Changer-pw-2')" "ok"
expect "the old one is gone" "$(verify changer 'Changer-pw-1')" "wrong"
# a simple bind by ldapwhoami, not the helper, sees the new password too
printf '%s' 'Changer-pw-2' > "$T/pwfile"
ldapwhoami -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$(user_dn changer)" -y "$T/pwfile" \
	>/dev/null 2>&1 || expect "ldapwhoami with the new password" "failed" "ok"

expect "too short (pwdMinLength 8)" "$(change changer 'Changer-pw-2' 'short')" \
	"rejected|Password fails quality checking policy"
expect "in history (pwdInHistory 3)" "$(change changer 'Changer-pw-2' 'Changer-pw-1')" \
	"rejected|Password is in history of old passwords"
expect "wrong old password" "$(change changer 'not-it' 'Changer-pw-3')" "wrong"
expect "empty new password" "$(change changer 'Changer-pw-2' '')" \
	"rejected|The new password is empty"
expect "unknown user" "$(change nosuchuser 'Changer-pw-2' 'Changer-pw-3')" "unknown"
expect "still the second password" "$(verify changer 'Changer-pw-2')" "ok"

# only the old password, no new one: an error, nothing changed
got=$(printf 'Changer-pw-2\0' | helper --config "$T/h.conf" change changer | joined)
expect "no new password" "$got" "error|no password on standard input"

# a reset password: the bind says must_change, the change clears it
add_user resetme 40012 'Reset-pw-1'
printf 'dn: %s\nchangetype: modify\nreplace: pwdReset\npwdReset: TRUE\n' "$(user_dn resetme)" |
	ldap_modify || fail "cannot set pwdReset"
expect "reset: must change" "$(verify resetme 'Reset-pw-1')" "ok must_change=1"
expect "reset: change" "$(change resetme 'Reset-pw-1' 'Reset-pw-2')" "ok"
expect "reset: done" "$(verify resetme 'Reset-pw-2')" "ok"

# an expired password in its grace logins can be changed (that is what they are for)
add_user graced 40013 'Graced-pw-1'
set_policy graced grace && set_password graced 'Graced-pw-1'
sleep 2
expect "grace: change" "$(change graced 'Graced-pw-1' 'Graced-pw-2')" "ok"
expect "grace: the new one" "$(verify graced 'Graced-pw-2')" "ok"

grep -q '^authpriv.notice hostiam: password change user=changer result=rejected uri=[^ ]* reason="Password fails quality checking policy"$' \
	"$SYSLOG" || expect "log line of a refused change" "$(grep 'result=rejected' "$SYSLOG" | head -1)" \
	'reason="Password fails quality checking policy"'
finish
