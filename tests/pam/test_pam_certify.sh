#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Access recertification through pamtester, an unmodified PAM application, under
# pam_wrapper: a campaign run with the real hostiam command (start, decide, close) decides
# what pam_hostiam's account step does — bob kept: in; carol revoked: out at once with the
# revocation message; dave undecided: out by the certified_within rule with its message;
# alice kept 100 days ago (a record as close writes it): lapsed, out; the reviewer's own
# access refused. The decision lines keep a hostile note out of the log.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
. "$here/pamtester-lib.sh"
hostiam=$builddir/hostiam
[ -x "$hostiam" ] || { echo "missing $hostiam (build first)"; exit 99; }

write_config "$tmp/hostiam.conf" <<'CONF'
access = {
  default = "deny";
  rules = (
    { name = "uncertified"; certified_within = 90; action = "deny";
      message = "Your access was not re-certified."; },
    { name = "devs"; group = [ "devs", "contractors" ]; action = "allow"; }
  );
};
CONF
mkdir "$tmp/pam.d"
printf 'account required %s config=%s\n' "$module" "$tmp/hostiam.conf" >"$tmp/pam.d/sshd"

# certify ARGS...: the real command, users and groups through nss_wrapper and our module.
certify() {
	LD_PRELOAD="$preload" "$hostiam" --config "$tmp/hostiam.conf" certify "$@" \
		>"$tmp/cout" 2>"$tmp/cerr"
}

certify start --reviewer localop --service sshd || failed "certify start" "$(cat "$tmp/cerr")"
printf 'bob,keep,on call\ncarol,revoke,"left \033[2J ""user=carol decision=keep"""\n' >"$tmp/d.csv"
certify decide "$tmp/d.csv" && pass "decide" || failed "decide" "$(cat "$tmp/cerr")"
printf 'localop,keep\n' >"$tmp/self.csv"
if certify decide "$tmp/self.csv"; then failed "localop certifying localop" "$(cat "$tmp/cout")"
else pass "localop cannot certify their own access"; fi
certify close && pass "close" || failed "close" "$(cat "$tmp/cerr")"
mkdir -p -m 0700 "$tmp/var/state/users"
printf 'certify=1 %s keep localop\n' $((now - 100 * 86400)) >"$tmp/var/state/users/alice"
chmod 0600 "$tmp/var/state/users/alice"

tester 0 "bob, kept: allowed" -I rhost=10.1.2.3 sshd bob acct_mgmt
log_has "bob's decision line" \
	"authpriv.info pam_hostiam(sshd:account): decision=allow user=bob service=sshd rhost=10.1.2.3 rule=devs reason=\"matched rule devs: group devs\""
tester 1 "carol, revoked: denied at once" -I rhost=10.1.2.3 sshd carol acct_mgmt
if grep -qF "Your access to this host was revoked in an access review." "$tmp/out"; then
	pass "carol is told why"
else failed "carol is told why" "$(cat "$tmp/out")"; fi
log_has "carol's decision line" \
	"authpriv.notice pam_hostiam(sshd:account): decision=deny user=carol service=sshd rhost=10.1.2.3 rule=revoked reason=\"access revoked in review campaign 1 by localop\""
tester 1 "dave, undecided: denied by the rule" -I rhost=10.1.2.3 sshd dave acct_mgmt
if grep -qF "Your access was not re-certified." "$tmp/out"; then pass "dave is told why"
else failed "dave is told why" "$(cat "$tmp/out")"; fi
tester 1 "alice, kept 100 days ago: lapsed" -I rhost=10.1.2.3 sshd alice acct_mgmt
log_has "alice's decision line says since when" \
	"authpriv.notice pam_hostiam(sshd:account): decision=deny user=alice service=sshd rhost=10.1.2.3 rule=uncertified reason=\"matched rule uncertified: certified_within 90 (kept in campaign 1, 100 days ago)\""
tester 1 "localop, the reviewer, not certified" -I tty=tty1 sshd localop acct_mgmt
log_lacks "the note never reaches the module's log" "user=carol decision=keep"
exit $fail
