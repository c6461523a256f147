#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Terms of use at login, through pamtester's conversation under pam_wrapper: the text is
# shown and "accept" typed on pamtester's standard input; declined, no conversation
# (pam_driver -c none), a service that cannot converse (cron), a new version, the
# reaccept window (an acceptance planted 400 days back in the state record), a terms file
# anyone may write, and the account stack denying while the acceptance is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
. "$here/pamtester-lib.sh"

driver=$builddir/tests/pam/pam_driver
state=$tmp/var/state
mkdir -m 0755 "$tmp/terms"
# Longer than one PAM message (512 bytes): shown in pieces, the last line included.
{
	echo "PRODUCTION ACCEPTABLE USE POLICY"
	i=0
	while [ $i -lt 40 ]; do echo "Rule $i: use this host only for the work it is here for."; i=$((i + 1)); done
	echo "END OF POLICY"
} >"$tmp/terms/prod.txt"
chmod 0644 "$tmp/terms/prod.txt"

# conf VERSION: the policy, with terms prod-aup at that version.
conf() {
	write_config "$tmp/hostiam.conf" <<CONF
terms = ( { name = "prod-aup"; version = "$1"; file = "$tmp/terms/prod.txt";
            reaccept_days = 365; } );
access = {
  default = "deny";
  rules = (
    { name = "prod"; service = [ "sshd", "cron" ]; action = "allow"; terms = "prod-aup";
      message = "You must accept the production AUP."; }
  );
};
CONF
}
conf 2026-12
mkdir "$tmp/pam.d"
for svc in sshd cron; do
	cat >"$tmp/pam.d/$svc" <<STACK
auth     required $module config=$tmp/hostiam.conf
account  required $module config=$tmp/hostiam.conf
STACK
done

# logged WHAT TEXT: a captured line holds TEXT (after the syslog prefix).
logged() {
	if grep -qF -- "$2" "$log"; then pass "$1"
	else failed "$1" "$(printf '  want: %s\n  log:\n%s' "$2" "$(cat "$log")")"; fi
}

# accepted_line USER: the terms line of USER's state record ("" when none).
accepted_line() { grep '^terms=' "$state/users/$1" 2>/dev/null || true; }

# --- account without an acceptance: denied (the auth stack did not run) ------------------
answer=
tester 1 "account before any acceptance: denied" -I rhost=192.0.2.1 sshd alice acct_mgmt
logged "the account denial logged" \
	"terms not accepted (the auth stack did not record them), denied: user=alice terms=prod-aup version=2026-12 service=sshd rhost=192.0.2.1"
if grep -qF "You must accept the production AUP." "$tmp/out"; then pass "the rule's message shown"
else failed "the rule's message shown" "$(cat "$tmp/out")"; fi

# --- declined --------------------------------------------------------------------------
answer=no
tester 1 "declined: denied" -I rhost=192.0.2.1 sshd alice authenticate
if grep -qF "END OF POLICY" "$tmp/out" && grep -qF "PRODUCTION ACCEPTABLE USE POLICY" "$tmp/out"
then pass "the whole text shown"
else failed "the whole text shown" "$(cat "$tmp/out")"; fi
if grep -qF 'Type "accept" to accept the terms prod-aup (version 2026-12):' "$tmp/out"; then
	pass "the question asked"
else failed "the question asked" "$(cat "$tmp/out")"; fi
logged "declined logged" \
	"terms declined, denied: user=alice terms=prod-aup version=2026-12 service=sshd rhost=192.0.2.1"
check_output "declined: nothing recorded" "" "$(accepted_line alice)"

# --- accepted ------------------------------------------------------------------------------
answer=accept
tester 0 "accepted: authenticated, account passes" -I rhost=192.0.2.1 sshd alice authenticate \
	acct_mgmt
logged "acceptance logged" \
	"terms accepted: user=alice terms=prod-aup version=2026-12 service=sshd rhost=192.0.2.1"
got=$(accepted_line alice | cut -d' ' -f1,2,4,5)
check_output "acceptance recorded" "terms=prod-aup 2026-12 sshd 192.0.2.1" "$got"
mode=$(stat -c %a "$state/users/alice")
check_output "the record is root-only" "600" "$mode"
answer=
tester 0 "accepted once: not asked again" -I rhost=192.0.2.1 sshd alice authenticate acct_mgmt
if grep -qF "PRODUCTION" "$tmp/out"; then failed "no text the second time" "$(cat "$tmp/out")"
else pass "no text the second time"; fi

# --- no conversation, a service that cannot converse --------------------------------------
: >"$log"
out=$(LD_PRELOAD="$preload" "$driver" -c none "$tmp/pam.d" sshd bob auth account)
check_output "no conversation: denied" "auth: PAM_AUTH_ERR
account: PAM_PERM_DENIED" "$out"
logged "no conversation logged" \
	"terms not accepted and no conversation to show them, denied: user=bob terms=prod-aup version=2026-12 service=sshd rhost=-"
answer=accept
tester 1 "cron without an acceptance: denied, not asked" cron bob authenticate
if grep -qF "PRODUCTION" "$tmp/out"; then failed "cron shows nothing" "$(cat "$tmp/out")"
else pass "cron shows nothing"; fi
if grep -qF 'decision=deny user=bob service=cron rhost=- rule=prod reason="matched rule prod: service cron; terms prod-aup version 2026-12 not accepted and service cron cannot show them"' "$log"
then pass "cron denial logged"
else failed "cron denial logged" "$(cat "$log")"; fi
answer=
tester 0 "cron after alice accepted: allowed" cron alice authenticate acct_mgmt

# --- a new version asks again --------------------------------------------------------------
conf 2027-01
answer=
tester 1 "new version: account denies" -I rhost=192.0.2.1 sshd alice acct_mgmt
answer=accept
tester 0 "new version: asked and accepted" -I rhost=192.0.2.1 sshd alice authenticate acct_mgmt
if grep -qF '(version 2027-01)' "$tmp/out"; then pass "the new version asked"
else failed "the new version asked" "$(cat "$tmp/out")"; fi
got=$(accepted_line alice | cut -d' ' -f1,2)
check_output "one line per terms, the new version" "terms=prod-aup 2027-01" "$got"

# --- the reaccept window: an acceptance 400 days old asks again, 300 days does not --------
for days in 300 400; do
	when=$(($(date +%s) - days * 86400))
	sed -i "s/^terms=prod-aup 2027-01 [0-9]* /terms=prod-aup 2027-01 $when /" "$state/users/alice"
	want=0
	[ "$days" = 400 ] && want=1
	answer=
	tester $want "accepted $days days ago (reaccept_days 365)" -I rhost=192.0.2.1 sshd alice \
		acct_mgmt
done

# --- a terms file others may write: refused, denied ------------------------------------
chmod 0666 "$tmp/terms/prod.txt"
answer=accept
tester 1 "world-writable terms file: denied" -I rhost=192.0.2.1 sshd carol authenticate
logged "the refusal logged" \
	"terms file refused: must be owned by root and not writable by group or others, is uid 0 mode 0666 terms=prod-aup file=$tmp/terms/prod.txt"
if grep -qF "PRODUCTION" "$tmp/out"; then failed "refused text not shown" "$(cat "$tmp/out")"
else pass "refused text not shown"; fi
check_output "refused: nothing recorded" "" "$(accepted_line carol)"
rm "$tmp/terms/prod.txt"
ln -s /etc/hostname "$tmp/terms/prod.txt"
tester 1 "a symlinked terms file: denied" -I rhost=192.0.2.1 sshd carol authenticate

# --- hostile PAM items: escaped in the log line, one field in the record -------------------
chmod 0644 "$tmp/terms/prod.txt" 2>/dev/null
rm -f "$tmp/terms/prod.txt"
echo "Short terms." >"$tmp/terms/prod.txt"
chmod 0644 "$tmp/terms/prod.txt"
: >"$log"
out=$(LD_PRELOAD="$preload" "$driver" -a accept -r 'evil" host
x=1' "$tmp/pam.d" sshd dave auth)
check_output "hostile rhost: accepted" "auth: PAM_SUCCESS" "$(printf '%s\n' "$out" | grep '^auth:')"
logged "hostile rhost escaped in the log line" \
	'terms accepted: user=dave terms=prod-aup version=2027-01 service=sshd rhost="evil\" host\x0ax=1"'
check_output "hostile rhost: one terms line, no forged line" "1 0" \
	"$(grep -c '^terms=' "$state/users/dave") $(grep -c '^x=1' "$state/users/dave")"
got=$(accepted_line dave | cut -d' ' -f5-)
check_output "hostile rhost: one token in the record" 'evil"?host?x=1' "$got"

# --- one line longer than a PAM message: cut into pieces of at most 511 bytes, none lost ---
rm -f "$tmp/terms/prod.txt"
long=$(printf '%01200d' 7)
printf '%s\nlast line\n' "$long" >"$tmp/terms/prod.txt"
chmod 0644 "$tmp/terms/prod.txt"
LD_PRELOAD="$preload" "$driver" -a no "$tmp/pam.d" sshd bob auth >"$tmp/driver.out"
sizes=$(sed -n 's/^info: //p' "$tmp/driver.out" | awk '{ printf "%d ", length($0) }')
check_output "a 1200-byte line in pieces of 511, 511, 178 (the next line with the last)" \
	"511 511 178 " "$sizes"
if grep -qx "last line" "$tmp/driver.out"; then pass "the line after it shown"
else failed "the line after it shown" "$(cat "$tmp/driver.out")"; fi
joined=$(sed -n 's/^info: //p' "$tmp/driver.out" | head -n 3 | tr -d '\n')
check_output "the pieces join to the line" "$long" "$joined"

# --- MFA first, then the terms (oathtool) -------------------------------------------------
if [ -n "${OATHTOOL:-}" ] && [ -x "$OATHTOOL" ]; then
	write_config "$tmp/hostiam.conf" <<CONF
terms = ( { name = "prod-aup"; version = "2027-01"; file = "$tmp/terms/prod.txt"; } );
access = { default = "deny";
  rules = ( { name = "remote"; service = "sshd"; action = "mfa"; terms = "prod-aup"; } ); };
CONF
	secret=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJZ
	for u in bob carol; do
		"$builddir/tests/pam/mfa_enrol" "$tmp/hostiam.conf" local $u "$secret" ||
			failed "enrol $u" ""
	done
	[ $(($(date +%s) % 30)) -lt 22 ] || sleep 9
	answer=$(printf '%s\naccept' "$("$OATHTOOL" --totp -b "$secret")")
	tester 0 "mfa rule: code, then terms, then account passes" -I rhost=192.0.2.9 sshd bob \
		authenticate acct_mgmt
	order=$(grep -o 'Verification code:\|Type "accept"' "$tmp/out" | tr '\n' '|')
	check_output "the code is asked before the terms" 'Verification code:|Type "accept"|' "$order"
	[ $(($(date +%s) % 30)) -lt 22 ] || sleep 9
	answer=000000
	tester 1 "mfa rule, wrong code: the terms are never shown" -I rhost=192.0.2.9 sshd carol \
		authenticate
	if grep -qF 'Verification code:' "$tmp/out"; then pass "carol was asked for a code"
	else failed "carol was asked for a code" "$(cat "$tmp/out")"; fi
	if grep -qF 'Type "accept"' "$tmp/out"; then failed "no terms after a refused code" "$(cat "$tmp/out")"
	else pass "no terms after a refused code"; fi
else
	echo "oathtool not found: MFA cases skipped"
fi
exit $fail
