#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam_hostiam chauthtok against a real slapd with ppolicy and the real helper: a password
# reset by an administrator (pwdReset) lets the user in only to change it (account says
# PAM_NEW_AUTHTOK_REQD), `pamtester chauthtok` changes it (RFC 3062 as the user) and the new
# password binds while the old does not; the directory's refusals (quality, history) shown
# verbatim; a mistyped retype; a wrong current password; root changing someone else's
# directory password is refused; a grace login changed in time; use_authtok; local users
# left to the local module in the Debian and RHEL password stacks; PAM_USER changed between
# the two passes is refused.
top_srcdir=${top_srcdir:?}
. "$(cd "$(dirname "$0")" && pwd)/test_pam_password.lib"

user_add hal 'hal-Pass-1'
user_add ida 'ida-Pass-1' grace
user_add joe 'joe-Pass-1'
user_add kim 'kim-Pass-1'
for pw in hal-Pass-2 hal-Pass-3 short ida-Pass-2 joe-Pass-2 kim-Pass-2 kim-Pass-3 local-secret-2; do
	printf '%s\n' "$pw" >>"$tmp/secrets"
done

stack login <<'EOF'
auth      required @M password
account   required @M
password  required @M
EOF
EXPIRED='chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK)'

# --- reset by an administrator: log in, then change ----------------------------------------
printf 'dn: %s\nchangetype: modify\nreplace: pwdReset\npwdReset: TRUE\n' "$(user_dn hal)" | ldap_modify
expect "must change: let in, account wants a new password" \
	"$(printf 'prompt: Password: \ninfo: You must change your password now.\nauth: PAM_SUCCESS\naccount: PAM_NEW_AUTHTOK_REQD')" \
	-a 'hal-Pass-1' "$P" login hal auth account
before=$(cat "$(verifier hal)" 2>/dev/null)
tester 0 "pamtester chauthtok: changed" 'hal-Pass-1' 'hal-Pass-2' 'hal-Pass-2' -- login hal "$EXPIRED"
out_has "current password asked" "Current password:"
out_has "new password asked" "New password:"
out_has "retype asked" "Retype new password:"
log_line "change logged" "password change user=hal result=ok"
binds hal 'hal-Pass-2' && pass "the new password binds" || failed "the new password binds" ""
binds hal 'hal-Pass-1' && failed "the old password no longer binds" "" || pass "the old password no longer binds"
after=$(cat "$(verifier hal)" 2>/dev/null)
if [ -n "$after" ] && [ "$after" != "$before" ]; then pass "the verifier follows the change"
else failed "the verifier follows the change" "  before: $before\n  after: $after"; fi
expect "then a normal login" "$(printf 'prompt: Password: \nauth: PAM_SUCCESS\naccount: PAM_SUCCESS')" \
	-a 'hal-Pass-2' "$P" login hal auth account

# --- the directory's refusals, verbatim ----------------------------------------------------
tester 1 "too short: refused" 'hal-Pass-2' 'short' 'short' -- login hal "$EXPIRED"
out_has "the quality message shown verbatim" "Password fails quality checking policy"
log_line "rejected logged" "password change user=hal result=rejected"
tester 1 "a password of the history: refused" 'hal-Pass-2' 'hal-Pass-1' 'hal-Pass-1' -- login hal "$EXPIRED"
out_has "the history message shown verbatim" "Password is in history of old passwords"
binds hal 'hal-Pass-2' && pass "still the same password" || failed "still the same password" ""

# --- mistakes -------------------------------------------------------------------------------
tester 1 "retype differs: refused" 'hal-Pass-2' 'hal-Pass-3' 'hal-Pass-4' -- login hal "$EXPIRED"
out_has "mismatch told" "Sorry, passwords do not match."
printf 'hal-Pass-4\n' >>"$tmp/secrets"
tester 1 "wrong current password: refused" 'hal-wrong' 'hal-Pass-3' 'hal-Pass-3' -- login hal "$EXPIRED"
out_has "wrong current told" "The current password is wrong"
printf 'hal-wrong\n' >>"$tmp/secrets"
binds hal 'hal-Pass-2' && pass "unchanged after the mistakes" || failed "unchanged after the mistakes" ""

# root (this test runs as root) asking to change joe's password: no current password to
# give, no admin bind to use.
tester 1 "root changing another's directory password: refused" -- login joe chauthtok
out_has "root told why" "A directory password can only be changed by its user"

# --- a grace login, then the change in time ----------------------------------------------
sleep 2 # the grace policy expires the password 1 s after it was set
expect "grace login" \
	"$(printf 'prompt: Password: \ninfo: Password expired: 1 grace login left. Change it now.\nauth: PAM_SUCCESS\naccount: PAM_NEW_AUTHTOK_REQD')" \
	-a 'ida-Pass-1' "$P" login ida auth account
tester 0 "grace: changed with the last grace login" 'ida-Pass-1' 'ida-Pass-2' 'ida-Pass-2' -- login ida "$EXPIRED"
binds ida 'ida-Pass-2' && pass "grace: the new password binds" || failed "grace: the new password binds" ""

# --- use_authtok: both passwords from the items, no prompt ---------------------------------
stack authtok <<'EOF'
password  required @SET
password  required @M use_authtok
EOF
PAM_OLDAUTHTOK='joe-Pass-1' PAM_AUTHTOK='joe-Pass-2' tester 0 "use_authtok: no prompt" -- authtok joe "$EXPIRED"
if grep -q 'password:' "$tmp/out"; then failed "use_authtok: nothing asked" "$(cat "$tmp/out")"
else pass "use_authtok: nothing asked"; fi
binds joe 'joe-Pass-2' && pass "use_authtok: changed" || failed "use_authtok: changed" ""

# --- Debian common-password and RHEL system-auth ----------------------------------------
stack deb <<'EOF'
password  [success=2 user_unknown=ignore default=die]  @M
password  [success=1 default=ignore]                   @MATRIX
password  requisite                                    pam_deny.so
password  required                                     pam_permit.so
EOF
stack rhel <<'EOF'
password  [success=done user_unknown=ignore default=die]  @M
password  sufficient                                      @MATRIX
password  required                                        pam_deny.so
EOF
sed -i 's/:login$/:deb/' "$tmp/passdb"
tester 0 "debian stack: a local user changed by the local module" \
	'local-secret-1' 'local-secret-2' 'local-secret-2' -- deb localop "$EXPIRED"
if grep -q '^localop:local-secret-2:' "$tmp/passdb"; then pass "debian stack: the local password changed"
else failed "debian stack: the local password changed" "$(cat "$tmp/passdb")"; fi
tester 0 "debian stack: a directory user changed in the directory" \
	'kim-Pass-1' 'kim-Pass-2' 'kim-Pass-2' -- deb kim "$EXPIRED"
binds kim 'kim-Pass-2' && pass "debian stack: kim's new password binds" || failed "debian stack: kim's new password binds" ""
tester 1 "debian stack: a refusal dies there" 'kim-Pass-2' 'short' 'short' -- deb kim "$EXPIRED"
tester 0 "rhel stack: a directory user" 'kim-Pass-2' 'kim-Pass-3' 'kim-Pass-3' -- rhel kim "$EXPIRED"
binds kim 'kim-Pass-3' && pass "rhel stack: kim's new password binds" || failed "rhel stack: kim's new password binds" ""

# --- PAM_USER changed between the two passes -----------------------------------------------
# The current password was gathered for joe (PAM_PRELIM_CHECK); pam_set_items then makes
# PAM_USER kim before the update pass. joe's password must not be sent as kim's (nor kim's
# offline verifier deleted when the directory says it is wrong for kim).
stack switch <<'EOF'
password  required @M
password  required @SET
EOF
[ -s "$(verifier kim)" ] || failed "kim has a verifier before the switch" ""
PAM_USER=kim tester 1 "user switched between the passes: refused" \
	'joe-Pass-2' 'joe-Pass-3' 'joe-Pass-3' -- switch joe "$EXPIRED"
log_line "switch: refused, logged" "password change user=kim result=refused-user-changed"
if grep -q 'password change user=kim result=wrong' "$log"; then
	failed "switch: joe's password never sent as kim's" "$(cat "$log")"
else pass "switch: joe's password never sent as kim's"; fi
[ -s "$(verifier kim)" ] && pass "switch: kim's verifier kept" || failed "switch: kim's verifier kept" ""
binds joe 'joe-Pass-2' && pass "switch: joe unchanged" || failed "switch: joe unchanged" ""
printf 'joe-Pass-3\n' >>"$tmp/secrets"

no_secret_logged
exit $fail
