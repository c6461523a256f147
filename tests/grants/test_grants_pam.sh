#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pamtester under pam_wrapper: a rule `group = [ "breakglass" ]` lets localop in only while
# a grant makes them a member, the decision line says grant=ID, a revocation ends it; a role
# with mfa = true asks for a TOTP code at the first login through the grant, not after.
set -u
. "$(dirname "$0")/../pam/pam-lib.sh"
. "$(dirname "$0")/grants-lib.sh"

[ -n "${PAMTESTER:-}" ] && [ -x "$PAMTESTER" ] || { echo "pamtester not found: skipped"; exit 77; }
pam_wrapper=${PAM_WRAPPER_LIB:-$(find_lib libpam_wrapper.so)}
[ -n "$pam_wrapper" ] || { echo "pam_wrapper not found: skipped"; exit 77; }
[ -z "$asan" ] || ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"
export ASAN_OPTIONS
mkdir "$tmp/pam.d"
cat >"$tmp/pam.d/sshd" <<STACK
auth     required $module config=$conf
account  required $module config=$conf
STACK

answer=
tester() {
	want=$1 what=$2
	shift 2
	: >"$log"
	status=0
	printf '%s\n' "$answer" | LD_PRELOAD="$preload:$pam_wrapper" PAM_WRAPPER=1 \
		PAM_WRAPPER_USE_SYSLOG=1 PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" \
		"$PAMTESTER" "$@" >"$tmp/out" 2>&1 || status=$?
	if [ "$status" = "$want" ]; then pass "$what"
	else failed "$what" "$(printf '  exit %s, want %s\n%s\n%s' "$status" "$want" "$(cat "$tmp/out")" "$(cat "$log")")"; fi
}

tester 1 "no grant: denied" -I rhost=10.1.2.3 sshd localop acct_mgmt
hi localop request breakglass --for 1h --reason INC-9 >/dev/null
tester 1 "pending: denied" -I rhost=10.1.2.3 sshd localop acct_mgmt
hi bob approve 1 >/dev/null
tester 0 "granted: allowed" -I rhost=10.1.2.3 sshd localop acct_mgmt
log_has "decision line names the grant" \
	"authpriv.info pam_hostiam(sshd:account): decision=allow user=localop service=sshd rhost=10.1.2.3 rule=break-glass grant=1 reason=\"matched rule break-glass: group breakglass\""
# alice's standing membership of admins is no grant: no grant= on her line.
tester 0 "standing membership: allowed" -I rhost=10.1.2.3 sshd alice acct_mgmt
log_lacks "standing membership: no grant=" "grant="
hi bob revoke 1 >/dev/null
tester 1 "revoked: denied" -I rhost=10.1.2.3 sshd localop acct_mgmt

# mfa = true (the admins role): the first login through the grant asks for a code.
if [ -n "${OATHTOOL:-}" ] && [ -x "$OATHTOOL" ]; then
	secret=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJZ
	"$builddir/tests/pam/mfa_enrol" "$conf" local localop "$secret" || failed "enrol" ""
	hi localop request admins --for 30m >/dev/null && hi bob approve 2 >/dev/null
	sleep 1 # the code's step must come after the grant's start, not in the same second
	tester 1 "first use, no code: refused" -I rhost=10.1.2.3 sshd localop acct_mgmt
	if grep -qF "decision=mfa user=localop service=sshd rhost=10.1.2.3 rule=admins grant=2" "$log" &&
		grep -qF "first use of grant 2: mfa" "$log"; then pass "first use: mfa logged"
	else failed "first use: mfa logged" "$(cat "$log")"; fi
	[ $(($(date +%s) % 30)) -lt 22 ] || sleep 9
	answer=$("$OATHTOOL" --totp -b "$secret")
	tester 0 "first use with a code: in" -I rhost=10.1.2.3 sshd localop authenticate acct_mgmt
	answer=
	tester 0 "second use: no code asked" -I rhost=10.1.2.3 sshd localop authenticate acct_mgmt
	if grep -qF "Verification code:" "$tmp/out"; then failed "no prompt the second time" "$(cat "$tmp/out")"
	else pass "no prompt the second time"; fi
else
	echo "oathtool not found: mfa cases skipped"
fi
exit $fail
