#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Account state from a real slapd (ppolicy overlay loaded) through `hostiam sync` to PAM's
# account step (pamtester acct_mgmt under pam_wrapper): pwdAccountLockedTime (an admin's
# 000001010000Z and a ppolicy lockout after wrong binds), nsAccountLock TRUE and an
# unreadable value, userAccountControl ACCOUNTDISABLE, accountExpires and shadowExpire in
# the past each deny with their message; shadowExpire in the future allows; an aged
# password gives PAM_NEW_AUTHTOK_REQD; an exempt user and a local user are never affected,
# nor a local user who has the name of a disabled directory user.
# Then what `hostiam check` and `hostiam review` say about the same accounts, and an
# auth.cache of format 1 (left by the previous version): state unknown, nobody locked out;
# report mode enforces the account state all the same.
set -u
. "$top_srcdir/tests/account/account-lib.sh"

PAST_FILETIME=132223104000000000 # 2020-01-01
{
	account_user alice 20001 "shadowLastChange: $((TODAY - 1))\nshadowMax: 99999"
	account_user bob 20002
	account_user carol 20003 "nsAccountLock: TRUE"
	account_user dave 20004 "userAccountControl: 514"
	account_user erin 20005 "accountExpires: $PAST_FILETIME"
	account_user frank 20006 "shadowExpire: $((TODAY - 1))"
	account_user gina 20007 "shadowLastChange: $((TODAY - 100))\nshadowMax: 90"
	account_user henry 20008 "shadowLastChange: $((TODAY - 80))\nshadowMax: 90"
	account_user ivan 20009 "nsAccountLock: maybe"
	account_user jack 20010 "nsAccountLock: TRUE"
	account_user kate 20011 "userAccountControl: 512\naccountExpires: 0\nnsAccountLock: false"
	account_user lena 20012
	account_user mona 20013 "nsAccountLock: TRUE"
} >"$T/people.ldif"
slapd_setup "$T/people.ldif" || fail "slapd did not start"
for u in bob lena; do set_password "$u" "Correct-horse-1" || fail "set_password $u"; done
printf 'dn: %s\nchangetype: modify\nadd: objectClass\nobjectClass: hostiamMfaUser\n-\nadd: hostiamTotpSecret\nhostiamTotpSecret: JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n' \
	"$(user_dn mona)" | ldap_modify || fail "cannot give mona a TOTP secret"
# An administrator's lock, as ppolicy documents it (the rootdn may write the attribute).
printf 'dn: %s\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n' \
	"$(user_dn bob)" | ldap_modify || fail "cannot set pwdAccountLockedTime"
# A ppolicy lockout: three wrong binds (pwdMaxFailure 3), as an attacker would cause.
for i in 1 2 3; do
	ldapwhoami -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$(user_dn lena)" -w wrong >/dev/null 2>&1
done
ldapsearch -x -LLL -H "ldap://127.0.0.1:$LDAP_PORT" -D "$ROOTDN" -w "$ROOTPW" -b "$(user_dn lena)" \
	pwdAccountLockedTime | grep -q '^pwdAccountLockedTime: ' || fail "ppolicy did not lock lena"

hostiam_conf >"$T/hostiam.conf"
cat >>"$T/hostiam.conf" <<'EOF2'
access = {
  exempt = [ "root", "jack" ];
  rules = (
    { name = "ssh"; service = [ "sshd" ]; action = "allow"; }
  );
};
EOF2
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync failed"; }
grep -q "unreadable account state: nsAccountLock value=maybe (treated as denying logins) dn=uid=ivan" \
	"$T/sync.err" && pass "the unreadable nsAccountLock is logged by the sync" ||
	failed "the unreadable nsAccountLock is logged by the sync" "$(cat "$T/sync.err")"
stacks sshd

LOCKED="Access denied: your account is locked in the directory."
DISABLED="Access denied: your account is disabled in the directory."
EXPIRED="Access denied: your account has expired."
tester 0 "alice: ok" sshd alice acct_mgmt
tester 1 "bob (pwdAccountLockedTime 000001010000Z): denied" sshd bob acct_mgmt
out_has "bob is told" "$LOCKED"
log_has "bob: the decision line names the attribute" \
	"authpriv.notice pam_hostiam(sshd:account): decision=deny user=bob service=sshd rhost=- rule=account reason=\"locked in the directory by an administrator (pwdAccountLockedTime)\""
tester 1 "lena (ppolicy lockout): denied" sshd lena acct_mgmt
out_has "lena is told" "$LOCKED"
tester 1 "carol (nsAccountLock TRUE): denied" sshd carol acct_mgmt
out_has "carol is told" "$DISABLED"
tester 1 "dave (userAccountControl 514): denied" sshd dave acct_mgmt
out_has "dave is told" "$DISABLED"
tester 1 "erin (accountExpires 2020): denied" sshd erin acct_mgmt
out_has "erin is told" "$EXPIRED"
tester 1 "frank (shadowExpire yesterday): denied" sshd frank acct_mgmt
out_has "frank is told" "$EXPIRED"
tester 1 "ivan (nsAccountLock unreadable): denied" sshd ivan acct_mgmt
out_has "ivan is told" "$DISABLED"
tester 0 "jack (exempt, nsAccountLock TRUE): allowed" sshd jack acct_mgmt
tester 0 "kate (512, accountExpires 0, nsAccountLock false): allowed" sshd kate acct_mgmt
tester 0 "localop (a local user): allowed" sshd localop acct_mgmt
# A local mona made after the sync (which skips names the host has, but has not run since):
# NSS gives the local account, and the directory's mona, disabled, must not reach it.
printf 'mona:x:1990:1990:Local Mona:/home/mona:/bin/sh\n' >>"$tmp/passwd"
tester 0 "mona (local, a disabled directory mona of the same name): allowed" sshd mona acct_mgmt
# Nor does the directory mona's TOTP secret: the local mona is not enrolled.
if hostiam check mona --service sshd 2>&1 | grep -qE '^ *MFA enrolled: *no$'; then
	pass "mona (local): the directory mona's TOTP secret does not apply"
else
	failed "mona (local): the directory mona's TOTP secret does not apply" \
		"$(hostiam check mona --service sshd 2>&1)"
fi
tester 1 "gina (password aged out): new password required" sshd gina acct_mgmt
out_has "gina: PAM_NEW_AUTHTOK_REQD" "Authentication token is no longer valid; new one required"
tester 0 "henry (password 10 days left): allowed" sshd henry acct_mgmt
# auth is refused too: a password + MFA login of a locked user never gets to a prompt.
tester 1 "bob: auth refused as well" sshd bob authenticate
out_has "bob is told at auth" "$LOCKED"

# shadowExpire moved to tomorrow: frank is back after the next sync.
printf 'dn: %s\nchangetype: modify\nreplace: shadowExpire\nshadowExpire: %s\n' \
	"$(user_dn frank)" $((TODAY + 1)) | ldap_modify || fail "modify frank"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>>"$T/sync.err" || fail "second sync failed"
tester 0 "frank (shadowExpire tomorrow): allowed" sshd frank acct_mgmt

# hostiam check: the state and the attribute that decided.
check_line() { # WHAT USER FIELD WANT [SERVICE]
	local got
	got=$(hostiam check "$2" --service "${5:-sshd}" 2>&1 | sed -n "s/^$3: *//p")
	check_output "$1" "$4" "$got"
}
check_line "check bob: account" bob account \
	"locked in the directory by an administrator (pwdAccountLockedTime)"
check_line "check bob: rule" bob rule "account (the directory's account state, before any rule)"
check_line "check bob: message" bob message "$LOCKED"
check_line "check ivan: account" ivan account "disabled in the directory (nsAccountLock: unreadable value)"
check_line "check henry: account" henry account "ok, password expires in 10 days (shadowMax)"
check_line "check gina: account" gina account "password expired (shadowMax)"
check_line "check localop: account" localop account "local (not in the directory cache)"
check_line "check jack: account" jack account "not looked up (exempt account)"
check_line "check lena: decision" lena decision deny
hostiam check erin --service sshd >/dev/null 2>&1 && failed "check erin exits 1" "" ||
	pass "check erin exits 1"
hostiam check dave --service sshd --json >"$T/check.json" 2>&1
python3 - "$T/check.json" <<'PY' && pass "check --json: account" || failed "check --json: account" "$(cat "$T/check.json")"
import json, sys
d = json.load(open(sys.argv[1]))
a = d["account"]
assert d["decision"] == "deny" and d["decided_by"] == "account" and d["rule"] == "account", d
assert a["state"] == "disabled" and a["attribute"] == "userAccountControl", a
assert d["message"] == "Access denied: your account is disabled in the directory.", d
PY

# hostiam review: the flags, in all three formats.
hostiam review --format json >"$T/review.json" 2>"$T/review.err" || failed "review" "$(cat "$T/review.err")"
python3 - "$T/review.json" <<'PY' && pass "review --format json: flags" || failed "review --format json: flags" "$(cat "$T/review.json")"
import json, sys
users = {u["name"]: u for u in json.load(open(sys.argv[1]))["users"]}
want = {"alice": [], "bob": ["account-locked"], "lena": ["account-locked"],
        "carol": ["account-disabled"], "dave": ["account-disabled"], "ivan": ["account-disabled"],
        "erin": ["account-expired"], "frank": [], "gina": ["password-expired"],
        "henry": ["password-expires-soon"], "jack": ["exempt"], "kate": []}
for name, flags in want.items():
    got = [f for f in users[name]["flags"] if f != "stale"]
    assert got == flags, (name, got, flags)
assert users["henry"]["account"]["password_expires_in_days"] == 10, users["henry"]
assert users["bob"]["account"]["attribute"] == "pwdAccountLockedTime", users["bob"]
assert users["bob"]["decisions"]["sshd"]["remote"]["rule"] == "account", users["bob"]
PY
hostiam review >"$T/review.txt" 2>&1
grep -Eq '^bob .* account-locked ' "$T/review.txt" && grep -Eq '^henry .* password-expires-soon ' "$T/review.txt" &&
	pass "review text: flags" || failed "review text: flags" "$(cat "$T/review.txt")"
hostiam review --format csv >"$T/review.csv" 2>&1
grep -q '^carol,.*,account-disabled,' "$T/review.csv" && grep -q '^gina,.*,password-expired,' "$T/review.csv" &&
	pass "review csv: flags" || failed "review csv: flags" "$(cat "$T/review.csv")"

# Just after an upgrade, before the agent rewrites it: auth.cache of format 1 (secrets
# only). Logins go on as before the upgrade (the state is unknown, logged), never locked out.
printf 'hostiam-auth-cache 1\n' >"$T/cache/auth.cache"
tester 0 "format 1 auth.cache: bob's state unknown, allowed as before the upgrade" sshd bob acct_mgmt
grep -q "account state unknown: auth.cache has none (format 1); run 'hostiam sync' user=bob" "$log" &&
	pass "format 1: logged with what to do" || failed "format 1: logged with what to do" "$(cat "$log")"
check_line "check bob, format 1: account" bob account \
	"unknown (auth.cache has no account state: run 'hostiam sync')"
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>>"$T/sync.err" || fail "third sync failed"
head -1 "$T/cache/auth.cache" | grep -Eqx 'hostiam-auth-cache 3 sorted' && pass "sync writes format 3" ||
	failed "sync writes format 3" "$(head -1 "$T/cache/auth.cache")"
tester 1 "after the sync: bob denied again" sshd bob acct_mgmt

# Report mode softens this host's rules, not the directory's lock.
sed -i 's/^access = {/access = {\n  mode = "report";/' "$T/hostiam.conf"
check_line "report mode is on: a rule's deny is let through" localop decision \
	"would deny (report mode: allowed)" sudo
tester 1 "report mode: bob still denied" sshd bob acct_mgmt
tester 1 "report mode: gina still must change her password" sshd gina acct_mgmt
exit $fail
