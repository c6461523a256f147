#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam_hostiam password: the directory password as the first factor, against a real slapd
# with ppolicy and the real helper. Right password + TOTP code in one auth call (pam_driver
# and pamtester); wrong and empty passwords; a local user (also one whose name a directory
# user shares) is PAM_USER_UNKNOWN without a prompt, and
# pam_unix-like fallthrough (pam_matrix) in the Debian and RHEL stacks; use_first_pass and
# try_first_pass; ppolicy lockout (the directory's reason shown); an expired password;
# "expires in N days" and grace logins, which make account say PAM_NEW_AUTHTOK_REQD.
# No password or code in any log line.
top_srcdir=${top_srcdir:?}
. "$(cd "$(dirname "$0")" && pwd)/test_pam_password.lib"

secret=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJA
secret2=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJB
secret3=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJC
user_add ann 'ann-Pass-1'
user_add gus 'gus-Pass-1'
user_add ole 'ole-Pass-1'
user_add ben 'ben-Pass-1'
user_add cat 'cat-Pass-1'
user_add dan 'dan-Pass-1' expiring
user_add eve 'eve-Pass-1' grace
user_add fay 'fay-Pass-1' nograce
"$enrol" "$conf" local ann "$secret" || failed "enrol ann" ""
"$enrol" "$conf" local gus "$secret2" || failed "enrol gus" ""
"$enrol" "$conf" local ole "$secret3" || failed "enrol ole" ""

stack sshd <<'EOF'
auth     required @M password
account  required @M
EOF
stack login <<'EOF'
auth     required @M password
account  required @M
EOF

# --- password + code in one auth call ------------------------------------------------
c=$(code "$secret")
expect "sshd: password, then the code, in one auth" \
	"$(printf 'prompt: Password: \nprompt: Verification code: \nauth: PAM_SUCCESS\naccount: PAM_SUCCESS')" \
	-a 'ann-Pass-1' -a "$c" -r 203.0.113.7 "$P" sshd ann auth account
log_line "the password line" \
	"pam_hostiam(sshd:auth): password user=ann service=sshd rhost=203.0.113.7 password=ok"
if grep -q 'decision=mfa user=ann service=sshd rhost=203.0.113.7 rule=remote .* password=ok result=ok$' "$log"; then
	pass "the decision line says password=ok result=ok"
else failed "the decision line says password=ok result=ok" "$(cat "$log")"; fi
if [ "$(stat -c %a "$(verifier ann)" 2>/dev/null)" = 600 ]; then pass "verifier stored, mode 0600"
else failed "verifier stored, mode 0600" "$(ls -l "$tmp/var/state/password" 2>&1)"; fi
# The audit trail: the password step, the code, and account's decision with both factors.
audit_count() { python3 "$(dirname "$0")/audit-check.py" count "$tmp/var/state/audit.jsonl" "$@"; }
check_output "audit: the password event, factor password" 1 \
	"$(audit_count event=password user=ann result=ok factors=password)"
check_output "audit: the mfa event, factors password and totp" 1 \
	"$(audit_count event=mfa user=ann result=ok factors=password,totp rule=remote)"
check_output "audit: account's decision carries both factors" 1 \
	"$(audit_count event=decision user=ann decision=mfa factors=password,totp)"

# The same through pamtester, an unmodified application.
c=$(code "$secret2")
tester 0 "pamtester: password + code" 'gus-Pass-1' "$c" -- -I rhost=203.0.113.7 sshd gus authenticate acct_mgmt
out_has "pamtester: code prompt shown" "Verification code:"

# common-auth with the password line, then the service's own line for local users' codes:
# a directory user is asked the code once; a second pam_authenticate asks everything again.
stack sshd2 <<'EOF'
auth     [success=1 user_unknown=ignore default=die] @M password
auth     requisite pam_deny.so
auth     required @M
account  required @M
EOF
c=$(code "$secret3")
expect "password line + plain line: one code; a second auth asks both again" \
	"$(printf 'prompt: Password: \nprompt: Verification code: \nauth: PAM_SUCCESS\naccount: PAM_SUCCESS\nprompt: Password: \nprompt: Verification code: \nauth: PAM_AUTH_ERR')" \
	-a 'ole-Pass-1' -a "$c" -a 'ole-Pass-1' -a "$c" "$P" sshd2 ole auth account auth
log_line "the password line: password=ok result=ok" "password=ok result=ok"
log_line "the plain line: result=met" "result=met"
log_line "the second auth: the spent code refused" "password=ok result=replay"

# No MFA rule for login: the password alone.
expect "login: password only" "$(printf 'prompt: Password: \nauth: PAM_SUCCESS')" \
	-a 'ben-Pass-1' "$P" login ben auth

# --- wrong password ---------------------------------------------------------------------
expect "wrong password: refused, no code asked" "$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" \
	-a 'not-bens-password' "$P" login ben auth
log_line "wrong logged" "pam_hostiam(login:auth): password user=ben service=login rhost=- password=wrong"
printf 'not-bens-password\n' >>"$tmp/secrets"

expect "empty password: refused" "$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" \
	-a '' "$P" login ann auth
log_line "empty logged" "password user=ann service=login rhost=- password=empty"
[ -e "$(verifier ann)" ] && pass "empty password: the verifier stays" ||
	failed "empty password: the verifier stays" ""

# --- local users: not ours ---------------------------------------------------------------
expect "local user: PAM_USER_UNKNOWN, nothing asked" "auth: PAM_USER_UNKNOWN" \
	-a 'x' "$P" login localop auth
expect "root: PAM_USER_UNKNOWN" "auth: PAM_USER_UNKNOWN" "$P" login root auth
# A local account that shares its name with a directory one comes first in NSS: it is the
# local account that logs in, so its password never goes to the directory.
user_add pia 'pia-Pass-1'
echo "pia:x:1800:1800:local pia:/home/pia:/bin/sh" >>"$tmp/passwd"
expect "a local account shadowing a directory one: PAM_USER_UNKNOWN" "auth: PAM_USER_UNKNOWN" \
	-a 'pia-Pass-1' "$P" login pia auth

# Debian common-auth: pam_hostiam first, local users fall through to pam_unix (pam_matrix).
stack deb <<'EOF'
auth  [success=2 user_unknown=ignore default=die]  @M password
auth  [success=1 default=ignore]                   @MATRIX
auth  requisite                                    pam_deny.so
auth  required                                     pam_permit.so
EOF
expect "debian stack: local user by the local module" \
	"$(printf 'prompt: Password: \nauth: PAM_SUCCESS')" -a 'local-secret-1' "$P" deb localop auth
expect "debian stack: local user, wrong password" \
	"$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" -a 'nope' "$P" deb localop auth
expect "debian stack: directory user, one prompt" \
	"$(printf 'prompt: Password: \nauth: PAM_SUCCESS')" -a 'ben-Pass-1' "$P" deb ben auth
expect "debian stack: directory user, wrong: dies, the local module never asked" \
	"$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" -a 'wrong-ben' "$P" deb ben auth
printf 'wrong-ben\n' >>"$tmp/secrets"
# RHEL system-auth (authselect order): done on success, pam_unix sufficient after it.
stack rhel <<'EOF'
auth  [success=done user_unknown=ignore default=die]  @M password
auth  sufficient                                      @MATRIX
auth  required                                        pam_deny.so
EOF
expect "rhel stack: local user" "$(printf 'prompt: Password: \nauth: PAM_SUCCESS')" \
	-a 'local-secret-1' "$P" rhel localop auth
expect "rhel stack: directory user" "$(printf 'prompt: Password: \nauth: PAM_SUCCESS')" \
	-a 'ben-Pass-1' "$P" rhel ben auth
expect "rhel stack: directory user, wrong" "$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" \
	-a 'wrong-ben' "$P" rhel ben auth

# --- use_first_pass / try_first_pass --------------------------------------------------
# pam_set_items puts $PAM_AUTHTOK into the item, as a first module that asked would.
stack first <<'EOF'
auth  required  @SET
auth  required  @M password use_first_pass
EOF
stack try <<'EOF'
auth  required  @SET
auth  required  @M password try_first_pass
EOF
stack pass_on <<'EOF'
auth  required  @M password
auth  required  @M password use_first_pass
EOF
got=$(PAM_AUTHTOK='cat-Pass-1' drive "$P" first cat auth)
check_output "use_first_pass: the item, no prompt" "auth: PAM_SUCCESS" "$got"
got=$(drive "$P" first cat auth)
check_output "use_first_pass without an item: refused, no prompt" "auth: PAM_AUTH_ERR" "$got"
got=$(PAM_AUTHTOK='cat-wrong-1' drive -a 'cat-Pass-1' "$P" try cat auth)
check_output "try_first_pass: a wrong item, then the prompt" \
	"$(printf 'prompt: Password: \nauth: PAM_SUCCESS')" "$got"
got=$(PAM_AUTHTOK='cat-Pass-1' drive "$P" try cat auth)
check_output "try_first_pass: a right item, no prompt" "auth: PAM_SUCCESS" "$got"
printf 'cat-wrong-1\n' >>"$tmp/secrets"
# A verified password is handed on in PAM_AUTHTOK: a use_first_pass module after it needs
# no prompt of its own.
expect "PAM_AUTHTOK set for the modules after it (one prompt)" \
	"$(printf 'prompt: Password: \nauth: PAM_SUCCESS')" -a 'cat-Pass-1' "$P" pass_on cat auth

# --- ppolicy ------------------------------------------------------------------------------
# Three wrong binds lock cat (pwdMaxFailure 3, until an administrator clears it).
for i in 1 2 3; do drive -a "cat-guess-$i" "$P" login cat auth >/dev/null; printf 'cat-guess-%s\n' "$i" >>"$tmp/secrets"; done
got=$(drive -a 'cat-Pass-1' "$P" login cat auth)
case $got in
*"error: Your account is locked in the directory"*"auth: PAM_AUTH_ERR"*) pass "locked: refused with the reason" ;;
*) failed "locked: refused with the reason" "$got" ;;
esac
log_line "locked logged" "pam_hostiam(login:auth): password user=cat service=login rhost=- password=locked"
[ ! -e "$(verifier cat)" ] && pass "locked: no verifier kept" || failed "locked: no verifier kept" ""

got=$(drive -a 'dan-Pass-1' "$P" login dan auth)
check_output "expiring: told, let in" \
	"$(printf 'prompt: Password: \ninfo: Your password will expire in 30 days.\nauth: PAM_SUCCESS')" "$got"

sleep 2 # the grace and nograce policies expire a password 1 s after it was set
got=$(drive -a 'eve-Pass-1' "$P" login eve auth account)
check_output "grace login: told, let in, account wants a new password" \
	"$(printf 'prompt: Password: \ninfo: Password expired: 1 grace login left. Change it now.\nauth: PAM_SUCCESS\naccount: PAM_NEW_AUTHTOK_REQD')" "$got"
got=$(drive -a 'fay-Pass-1' "$P" login fay auth)
check_output "expired, no grace: refused, told to ask an administrator" \
	"$(printf 'prompt: Password: \nerror: Your password has expired: ask an administrator to reset it.\nauth: PAM_AUTH_ERR')" "$got"
# pamtester shows the same.
tester 1 "pamtester: expired" 'fay-Pass-1' -- login fay authenticate
out_has "pamtester: the expired message" "ask an administrator to reset it"

# A user in the cache but gone from the directory: unknown there too.
ldap_delete "$(user_dn ben)"
expect "deleted in the directory: PAM_USER_UNKNOWN" "$(printf 'prompt: Password: \nauth: PAM_USER_UNKNOWN')" \
	-a 'ben-Pass-1' "$P" login ben auth

# --- passwords at the limits ---------------------------------------------------------------
# 512 bytes go to the directory (and are wrong); 513 are refused before the helper runs; a
# newline is part of the password, never an end to it (ann's password and a newline is not
# ann's password).
long=$(head -c 513 /dev/zero | tr '\0' x)
drive -a "${long%x}" "$P" login ann auth >/dev/null
log_line "512 bytes: sent, wrong" "password user=ann service=login rhost=- password=wrong"
got=$(drive -a "$long" "$P" login ann auth)
check_output "513 bytes: refused" "$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" "$got"
log_line "513 bytes: not sent" "password user=ann service=login rhost=- password=too-long"
drive -a "$(printf 'ann-Pass-1\nx')" "$P" login ann auth >/dev/null
log_line "a newline inside: the whole is the password" "password user=ann service=login rhost=- password=wrong"

# --- marks belong to the user they were set for -------------------------------------------
# hop's password was reset (must change); in the same handle the application then switches
# to gus, who authenticates: gus's account must not inherit hop's "must change", and hop's
# stays hop's.
user_add hop 'hop-Pass-1'
printf 'dn: %s\nchangetype: modify\nreplace: pwdReset\npwdReset: TRUE\n' "$(user_dn hop)" | ldap_modify
got=$(drive -a 'hop-Pass-1' -a 'gus-Pass-1' "$P" login hop auth user=gus auth account user=hop account)
check_output "switched user: gus does not inherit hop's must-change" \
	"$(printf 'prompt: Password: \ninfo: You must change your password now.\nauth: PAM_SUCCESS\nuser=gus: PAM_SUCCESS\nprompt: Password: \nauth: PAM_SUCCESS\naccount: PAM_SUCCESS\nuser=hop: PAM_SUCCESS\naccount: PAM_NEW_AUTHTOK_REQD')" "$got"

check_output "audit: a wrong password, no factor" 1 \
	"$(audit_count event=password user=ben service=login result=wrong factors=)"
# The audit trail holds no password or code either.
cat "$tmp/var/state/audit.jsonl" >>"$tmp/all-log"
no_secret_logged
exit $fail
