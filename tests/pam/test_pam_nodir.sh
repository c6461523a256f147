#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A host without a directory section (MFA and access rules for local users only, the
# google-authenticator use): a local user logs in with a TOTP code through the real libpam,
# a wrong code is refused, the login is recorded, `offline` never holds (there is no cache
# to be stale), and the NSS module, with no cache, knows no directory user.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
driver=$builddir/tests/pam/pam_driver
enrol=$builddir/tests/pam/mfa_enrol
[ -f "$enrol" ] || { echo "missing $enrol (build first)"; exit 99; }
[ -n "${OATHTOOL:-}" ] && [ -x "$OATHTOOL" ] || { echo "oathtool not found: skipped"; exit 77; }

mkdir -m 0700 "$tmp/nodir"
conf=$tmp/nodir.conf
cat >"$conf" <<CONF
cache = { dir = "$tmp/nodir"; };
access = {
  default = "deny";
  exempt = [ "root" ];
  rules = (
    { name = "offline"; offline = true; action = "deny"; },
    { name = "remote"; service = "sshd"; action = "mfa"; }
  );
};
CONF
chmod 0644 "$conf"
# No cache at all, as on such a host.
HOSTIAM_NSS_CACHE=$tmp/nodir/nss.cache
export HOSTIAM_NSS_CACHE

P=$tmp/pam.d
mkdir -p "$P"
printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$P/other"
cat >"$P/sshd" <<STACK
auth     required $module config=$conf
account  required $module config=$conf
session  required $module config=$conf
STACK

secret=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJA
"$enrol" "$conf" local localop "$secret" || failed "enrol localop" ""

# code: the current TOTP code, with at least 8 s left in its step.
code() {
	s=$(($(date +%s) % 30))
	[ "$s" -lt 22 ] || sleep $((30 - s))
	"$OATHTOOL" --totp -b -d 6 -s 30 "$secret"
}

# run WHAT EXPECTED DRIVER-ARGS...: one transaction with a fresh log.
run() {
	what=$1 want=$2
	shift 2
	: >"$log"
	got=$(LD_PRELOAD="$preload" "$driver" "$@" 2>"$tmp/stderr") ||
		failed "$what: driver ran" "$(cat "$tmp/stderr")"
	check_output "$what" "$want" "$got"
}
R=203.0.113.7
PROMPT='prompt: Verification code: '

run "local user, right code: auth, account and session pass" "$PROMPT
auth: PAM_SUCCESS
account: PAM_SUCCESS
open: PAM_SUCCESS" -r $R -a "$(code)" "$P" sshd localop auth account open
log_has "decision by the mfa rule, not offline" "authpriv.info pam_hostiam(sshd:auth): decision=mfa user=localop service=sshd rhost=$R rule=remote reason=\"matched rule remote: service sshd\" result=ok"
log_lacks "no configuration error" "configuration error"
grep -q "sshd" "$tmp/nodir/state/users/localop" 2>/dev/null && pass "login recorded" ||
	failed "login recorded" "$(ls -laR "$tmp/nodir")"

run "local user, wrong code: refused" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a 000000 "$P" sshd localop auth
log_has "wrong code logged" "authpriv.notice pam_hostiam(sshd:auth): decision=mfa user=localop service=sshd rhost=$R rule=remote reason=\"matched rule remote: service sshd\" result=wrong"

run "exempt root: no prompt" "auth: PAM_SUCCESS
account: PAM_SUCCESS" -r $R "$P" sshd root auth account

# No cache: a directory user of another host's cache is unknown here, and denied.
run "no cache: a directory name is an unknown user" "auth: PAM_USER_UNKNOWN" -r $R "$P" sshd alice auth
[ ! -e "$tmp/nodir/nss.cache" ] || failed "no cache was made" "$(ls -la "$tmp/nodir")"
exit $fail
