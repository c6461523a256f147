#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pamtester, an unmodified PAM application, under pam_wrapper: the module decides on the
# PAM_RHOST and PAM_TTY that pamtester sets with -I, and shows its message to the user; the
# TOTP prompt is answered on pamtester's standard input (codes from oathtool).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
. "$here/pamtester-lib.sh"

write_config "$tmp/hostiam.conf" <<'CONF'
access = {
  default = "deny";
  rules = (
    { name = "blocked"; user = [ "dave" ]; action = "deny"; message = "Not you, Dave."; },
    { name = "office"; service = [ "sshd" ]; from = [ "10.0.0.0/8" ]; action = "allow"; },
    { name = "console"; service = [ "login" ]; tty = [ "tty1" ]; action = "allow"; },
    { name = "remote"; service = [ "sshd" ]; action = "mfa"; }
  );
};
CONF
mkdir "$tmp/pam.d"
for svc in sshd login; do
	cat >"$tmp/pam.d/$svc" <<STACK
auth     required $module config=$tmp/hostiam.conf
account  required $module config=$tmp/hostiam.conf
session  optional $module config=$tmp/hostiam.conf
STACK
done

tester 0 "sshd from 10.x: allowed" -I rhost=10.1.2.3 sshd alice acct_mgmt
tester 1 "sshd from 203.0.113.7: MFA required" -I rhost=203.0.113.7 sshd alice acct_mgmt
tester 1 "denied with the rule's message" -I rhost=10.1.2.3 sshd dave acct_mgmt
if grep -qF "Not you, Dave." "$tmp/out"; then pass "message shown"
else failed "message shown" "$(cat "$tmp/out")"; fi
if grep -qF "decision=deny user=dave service=sshd rhost=10.1.2.3 rule=blocked" "$log"; then
	pass "decision logged"
else failed "decision logged" "$(cat "$log")"; fi
tester 0 "login on tty1: allowed" -I tty=tty1 login carol acct_mgmt
tester 1 "login on tty2: denied" -I tty=tty2 login carol acct_mgmt
tester 0 "session opens" -I rhost=10.1.2.3 sshd alice open_session close_session
got=$("$state_tool" "$tmp/var/state" alice show | cut -d' ' -f2-)
check_output "session recorded the login" "service=sshd rhost=10.1.2.3 last_mfa=0" "$got"

# --- the TOTP prompt -----------------------------------------------------------------------
if [ -n "${OATHTOOL:-}" ] && [ -x "$OATHTOOL" ]; then
	secret=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJZ
	"$builddir/tests/pam/mfa_enrol" "$tmp/hostiam.conf" local alice "$secret" ||
		failed "enrol alice" ""
	# A code and its check in the same 30 s step.
	[ $(($(date +%s) % 30)) -lt 22 ] || sleep 9
	answer=$("$OATHTOOL" --totp -b "$secret")
	tester 0 "right code: authenticated, account passes" -I rhost=203.0.113.7 sshd alice \
		authenticate acct_mgmt
	if grep -qF "Verification code:" "$tmp/out"; then pass "prompt shown"
	else failed "prompt shown" "$(cat "$tmp/out")"; fi
	if grep -qF "decision=mfa user=alice service=sshd rhost=203.0.113.7 rule=remote" "$log" &&
		grep -q "result=ok\$" "$log"; then pass "ok logged"
	else failed "ok logged" "$(cat "$log")"; fi
	if grep -qF "$answer" "$log"; then failed "code not logged" "$(cat "$log")"
	else pass "code not logged"; fi
	tester 1 "the same code again: refused" -I rhost=203.0.113.7 sshd alice authenticate
	answer=000000
	tester 1 "wrong code: refused" -I rhost=203.0.113.7 sshd alice authenticate
	if grep -q "result=wrong\$" "$log"; then pass "wrong logged"
	else failed "wrong logged" "$(cat "$log")"; fi
else
	echo "oathtool not found: TOTP cases skipped"
fi
exit $fail
