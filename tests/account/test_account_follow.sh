#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# With the agent following a real slapd (syncrepl): locking a user in the directory
# (pwdAccountLockedTime, an operational attribute of the ppolicy overlay) denies their
# next PAM account step within 2 s, and unlocking lets them back; a cron job of a user
# whose policy says mfa runs without a prompt, and stops once the user is disabled
# (nsAccountLock); a deny rule still denies cron; su run by root is not prompted (the
# driver runs as root) while `hostiam check --caller` shows a user's su is.
set -u
. "$top_srcdir/tests/account/account-lib.sh"

{
	account_user mia 21001
	account_user nick 21002
	account_user olga 21003
} >"$T/people.ldif"
slapd_setup "$T/people.ldif" || fail "slapd did not start"
hostiam_conf >"$T/hostiam.conf"
cat >>"$T/hostiam.conf" <<'EOF2'
access = {
  rules = (
    { name = "ssh"; service = [ "sshd" ]; action = "allow"; },
    { name = "no-olga"; user = [ "olga" ]; action = "deny"; },
    { name = "everyone"; action = "mfa"; }
  );
};
EOF2
stacks sshd cron su
agent_start "$T/hostiam.conf"
wait_for 10 '[ -s "$T/cache/nss.cache" ] && [ -s "$T/cache/auth.cache" ] || cache_dump 2>/dev/null | grep -q "^user mia"' ||
	fail "the agent published no cache: $(cat "$T/agent.log")"
cache_wait 10 'mia' >/dev/null || fail "mia not in the cache: $(cat "$T/agent.log")"
tester 0 "mia before the lock: allowed" sshd mia acct_mgmt

# until_status WANT SECONDS SERVICE USER: poll pamtester until it exits WANT; print the time.
until_status() {
	local want=$1 limit=$2 start status
	shift 2
	start=$(now_us)
	while :; do
		status=0
		LD_PRELOAD="$preload:$pam_wrapper" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$T/pam.d" \
			"$PAMTESTER" "$@" acct_mgmt </dev/null >"$T/out" 2>&1 || status=$?
		[ "$status" = "$want" ] && break
		[ $(($(now_us) - start)) -lt $((limit * 1000000)) ] || return 1
		sleep 0.05
	done
	echo "  $* acct_mgmt exited $want after $((($(now_us) - start) / 1000)) ms"
}

lock() { # USER: lock as an administrator does
	printf 'dn: %s\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n' \
		"$(user_dn "$1")" | ldap_modify
}
lock mia || fail "cannot set pwdAccountLockedTime"
until_status 1 2 sshd mia && pass "mia locked in the directory: denied within 2 s" ||
	failed "mia locked in the directory: denied within 2 s" "$(cat "$T/out"; tail -5 "$T/agent.log")"
out_has "mia is told" "Access denied: your account is locked in the directory."
printf 'dn: %s\nchangetype: modify\ndelete: pwdAccountLockedTime\n' "$(user_dn mia)" | ldap_modify ||
	fail "cannot clear pwdAccountLockedTime"
until_status 0 2 sshd mia && pass "mia unlocked: allowed again within 2 s" ||
	failed "mia unlocked: allowed again within 2 s" "$(cat "$T/out")"

# cron cannot prompt: the mfa decision lets it through, unprompted, and says so.
tester 0 "cron, policy mfa: account allowed" cron nick acct_mgmt
log_has "cron: the decision line says prompt=none" \
	"authpriv.info pam_hostiam(cron:account): decision=allow prompt=none user=nick service=cron rhost=- rule=everyone reason=\"matched rule everyone: no conditions; service cron cannot prompt: mfa not asked\""
tester 0 "cron, policy mfa: auth passes without a prompt" cron nick authenticate
if grep -q "Verification code" "$T/out"; then failed "cron: no prompt" "$(cat "$T/out")"
else pass "cron: no prompt"; fi
tester 1 "cron, a deny rule: still denied" cron olga acct_mgmt
printf 'dn: %s\nchangetype: modify\nreplace: nsAccountLock\nnsAccountLock: TRUE\n' \
	"$(user_dn nick)" | ldap_modify || fail "cannot set nsAccountLock"
until_status 1 2 cron nick && pass "nick disabled: his cron jobs denied within 2 s" ||
	failed "nick disabled: his cron jobs denied within 2 s" "$(cat "$T/out")"
out_has "nick is told" "Access denied: your account is disabled in the directory."

# su: pamtester runs as root here, as su run by root does: no prompt.
tester 0 "su by root, policy mfa: auth without a prompt" su mia authenticate
if grep -q "Verification code" "$T/out"; then failed "su by root: no prompt" "$(cat "$T/out")"
else pass "su by root: no prompt"; fi
check_decision() { # WHAT WANT ARGS...
	local what=$1 want=$2 got
	shift 2
	got=$(hostiam check "$@" 2>&1 | sed -n 's/^decision: *//p')
	check_output "$what" "$want" "$got"
}
check_decision "check su --caller root: allowed, says why" \
	"allow (service su run by root: mfa not asked)" mia --service su --caller root
check_decision "check su --caller localop (a user's su): mfa" \
	"mfa (a TOTP code is required)" mia --service su --caller localop
check_decision "check su without --caller: mfa" "mfa (a TOTP code is required)" mia --service su
check_decision "check cron: allowed, says why" "allow (service cron cannot prompt: mfa not asked)" \
	mia --service cron
hostiam check mia --service su --caller nobody-here >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "no such user: nobody-here" "$T/err" && pass "check --caller: unknown user is a usage error" ||
	failed "check --caller: unknown user is a usage error" "$(cat "$T/err")"
hostiam check mia --service cron --json >"$T/check.json"
python3 - "$T/check.json" <<'PY' && pass "check --json: prompt and note" || failed "check --json: prompt and note" "$(cat "$T/check.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["decision"] == "allow" and d["prompt"] == "none", d
assert d["note"] == "service cron cannot prompt: mfa not asked", d
PY
agent_stop >/dev/null || true
exit $fail
