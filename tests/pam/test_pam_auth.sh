#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pam_hostiam auth through the real libpam (pam_start_confdir): the TOTP prompt with codes
# from oathtool, the skew window, replay, two logins racing with one code, lockout and
# unlock, recovery codes, step-up with mfa_max_age, the enrol_by grace period, a secret
# from the directory (auth.cache; nothing at login talks to the network), insecure
# enrolment files, every conversation edge case, and the `enrolled` condition. Enrolments
# are made through the core's API (tests/pam/mfa_enrol). No code or secret may reach a log.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
driver=$builddir/tests/pam/pam_driver
enrol=$builddir/tests/pam/mfa_enrol
[ -f "$enrol" ] || { echo "missing $enrol (build first)"; exit 99; }
[ -n "${OATHTOOL:-}" ] && [ -x "$OATHTOOL" ] || { echo "oathtool not found: skipped"; exit 77; }

# More local accounts, one per scenario, so that replay floors and lockouts stay apart.
for u in erin:1701 frank:1702 gina:1703 henry:1704 ivan:1705 jack:1706 kate:1707 lena:1708 \
	mia:1709 nora:1710 pia:1711; do
	name=${u%:*} id=${u#*:}
	echo "$name:x:$id:$id:$name:/home/$name:/bin/sh" >>"$tmp/passwd"
	echo "$name:x:$id:" >>"$tmp/group"
done

write_config "$tmp/hostiam.conf" <<'CONF'
mfa = { issuer = "Test"; algorithm = "sha1"; digits = 6; period = 30; window = 1;
        max_failures = 3; lockout = 300; };
access = {
  mode = "enforce";
  default = "deny";
  exempt = [ "root" ];
  # The driver runs as root: su here stands for a user's su, which prompts.
  root_switch = [ ];
  rules = (
    { name = "console-enrolled-only"; service = [ "login" ]; enrolled = false;
      action = "deny"; message = "Enrol in MFA first."; },
    { name = "console"; service = [ "login" ]; action = "allow"; },
    { name = "sudo-step-up"; service = [ "sudo" ]; action = "mfa"; mfa_max_age = 300; },
    { name = "su-always"; service = [ "su" ]; action = "mfa"; mfa_max_age = 0; },
    { name = "grace-open"; user = [ "carol" ]; action = "mfa"; enrol_by = "2099-12-31"; },
    { name = "grace-over"; user = [ "dave" ]; action = "mfa"; enrol_by = "2020-01-31"; },
    { name = "office"; service = [ "sshd" ]; from = [ "10.0.0.0/8" ]; action = "allow"; },
    { name = "remote"; service = [ "sshd" ]; action = "mfa"; }
  );
};
CONF
sed 's/mode = "enforce"/mode = "report"/' "$tmp/hostiam.conf" >"$tmp/report.conf"

# confdir DIR CONFIG: auth and account stacks with the module, and a denying "other".
confdir() {
	mkdir -p "$1"
	printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$1/other"
	for svc in sshd sudo su login; do
		cat >"$1/$svc" <<STACK
auth     required $module config=$2
account  required $module config=$2
STACK
	done
}
confdir "$tmp/pam.d" "$tmp/hostiam.conf"
confdir "$tmp/pam.d-report" "$tmp/report.conf"

# Secrets (base32, 160 bits): one per user. Every secret and code used is collected in
# $tmp/secrets, to check the log against at the end.
: >"$tmp/secrets"
i=0
for u in alice bob erin frank gina henry ivan jack kate lena mia nora pia; do
	i=$((i + 1))
	s=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJ$(printf 'ABCDEFGHIJKLM' | cut -c"$i")
	printf '%s\n' "$s" >>"$tmp/secrets"
	eval "secret_$u=$s"
done

# fresh_step: wait for the next 30 s step when less than 8 s of this one are left, so that
# a code and the check of it fall into the same step.
fresh_step() {
	s=$(($(date +%s) % 30))
	[ "$s" -lt 22 ] || sleep $((30 - s))
}

# code USER [OFFSET-SECONDS]: the TOTP code of USER's secret at now+OFFSET, from oathtool,
# with at least 8 s left in the step.
code() {
	fresh_step
	eval "s=\$secret_$1"
	c=$("$OATHTOOL" --totp -b -d 6 -s 30 -N "@$(($(date +%s) + ${2:-0}))" "$s")
	printf '%s\n' "$c" >>"$tmp/secrets"
	printf '%s' "$c"
}

# pam [DRIVER-OPTIONS...] CONFDIR SERVICE USER OPS...: run the driver with a fresh log;
# every log is also kept in $tmp/all-log.
pam() {
	: >"$log"
	LD_PRELOAD="$preload" "$driver" "$@" 2>"$tmp/stderr" || failed "driver ran" "$(cat "$tmp/stderr")"
	cat "$log" >>"$tmp/all-log"
}

# expect WHAT EXPECTED-OUTPUT [DRIVER-OPTIONS...] CONFDIR SERVICE USER OPS...
expect() {
	what=$1 want=$2
	shift 2
	got=$(pam "$@")
	check_output "$what" "$want" "$got"
}

# line SERVICE STACK USER RULE REASON RESULT: the decision line of auth with its result.
line() {
	printf 'pam_hostiam(%s:%s): decision=mfa user=%s service=%s rhost=%s rule=%s reason="%s" %s' \
		"$1" "$2" "$3" "$1" "$4" "$5" "$6" "$7"
}
REMOTE='matched rule remote: service sshd'
P=$tmp/pam.d
R=203.0.113.7
PROMPT='prompt: Verification code: '

for u in alice erin frank gina henry ivan jack lena mia nora pia; do
	eval "s=\$secret_$u"
	"$enrol" "$tmp/hostiam.conf" local "$u" "$s" || failed "enrol $u" ""
done

# --- right and wrong codes, the auth line, account after auth ------------------------------
expect "right code: auth and account pass" "$PROMPT
auth: PAM_SUCCESS
account: PAM_SUCCESS" -r $R -a "$(code alice)" "$P" sshd alice auth account
log_has "ok line" "authpriv.info $(line sshd auth alice $R remote "$REMOTE" result=ok)"
expect "wrong code: PAM_AUTH_ERR, failure delay, account denies" "$PROMPT
delay: requested
auth: PAM_AUTH_ERR
error: MFA required
account: PAM_PERM_DENIED" -D -r $R -a 000000 "$P" sshd alice auth account
log_has "wrong line" "authpriv.notice $(line sshd auth alice $R remote "$REMOTE" result=wrong)"
expect "no prompt when the policy allows" "auth: PAM_SUCCESS" -r 10.1.2.3 "$P" sshd alice auth
expect "exempt root: no prompt" "auth: PAM_SUCCESS" -r $R "$P" sshd root auth
expect "report mode: no prompt" "auth: PAM_SUCCESS" -r $R "$tmp/pam.d-report" sshd alice auth

# --- skew window and replay (window = 1) -----------------------------------------------------
expect "two steps back: refused" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a "$(code erin -60)" "$P" sshd erin auth
expect "two steps ahead: refused" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a "$(code erin 60)" "$P" sshd erin auth
expect "previous step: accepted" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "$(code erin -30)" "$P" sshd erin auth
c=$(code erin)
expect "current step: accepted" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "$c" "$P" sshd erin auth
expect "the same code again: refused (replay)" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a "$c" "$P" sshd erin auth
expect "next step: accepted" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "$(code erin 30)" "$P" sshd erin auth
expect "current step after the next one: refused (replay floor)" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a "$c" "$P" sshd erin auth

# --- two logins racing with one code: exactly one wins ----------------------------------------
c=$(code lena)
for i in 1 2 3 4; do
	LD_PRELOAD="$preload" "$driver" -r $R -a "$c" "$P" sshd lena auth >"$tmp/race.$i" 2>&1 &
done
wait
wins=$(cat "$tmp"/race.* | grep -c '^auth: PAM_SUCCESS$')
losses=$(cat "$tmp"/race.* | grep -c '^auth: PAM_AUTH_ERR$')
check_output "racing logins: one success, three refusals" "1 3" "$wins $losses"

# --- the MFA mark is for the user it was earned for, and a failed auth takes it back ----------
expect "PAM_USER changed after auth: account for the new user denies" "$PROMPT
auth: PAM_SUCCESS
user=bob: PAM_SUCCESS
error: MFA required
account: PAM_PERM_DENIED
user=mia: PAM_SUCCESS
account: PAM_SUCCESS" -r $R -a "$(code mia)" "$P" sshd mia auth user=bob account user=mia account
expect "auth passes, a second auth fails: account denies" "$PROMPT
auth: PAM_SUCCESS
$PROMPT
auth: PAM_AUTH_ERR
error: MFA required
account: PAM_PERM_DENIED" -r $R -a "$(code mia 30)" -a 000000 "$P" sshd mia auth auth account
expect "auth passes, a second auth's conversation fails: account denies" "$PROMPT
auth: PAM_SUCCESS
$PROMPT
auth: PAM_CONV_ERR
error: MFA required
account: PAM_PERM_DENIED" -r $R -a "$(code pia)" "$P" sshd pia auth auth account

# --- a used code submitted again and again (16 at once) is refused, and locks nobody -----------
c=$(code nora)
expect "nora: the code, once" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "$c" "$P" sshd nora auth
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	LD_PRELOAD="$preload" "$driver" -r $R -a "$c" "$P" sshd nora auth >"$tmp/replay.$i" 2>&1 &
done
wait
wins=$(cat "$tmp"/replay.* | grep -c '^auth: PAM_SUCCESS$')
losses=$(cat "$tmp"/replay.* | grep -c '^auth: PAM_AUTH_ERR$')
check_output "16 replays of a used code: all refused" "0 16" "$wins $losses"
if grep -q 'MFA locked user=nora' "$log"; then failed "replays lock nobody" "$(cat "$log")"
else pass "replays lock nobody"; fi
log_has "replayed line" "authpriv.notice $(line sshd auth nora $R remote "$REMOTE" result=replay)"
cat "$log" >>"$tmp/all-log"
expect "after 16 replays: the next code is accepted (no lockout)" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "$(code nora 30)" "$P" sshd nora auth

# --- lockout after max_failures (3), unlock ----------------------------------------------------
for i in 1 2 3; do
	expect "wrong code $i" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a 11111$i "$P" sshd frank auth
done
expect "locked: even the right code is refused, with a message" "$PROMPT
error: Too many failed codes; try again later or ask an administrator to unlock.
auth: PAM_AUTH_ERR" -r $R -a "$(code frank)" "$P" sshd frank auth
log_has "locked line" "authpriv.notice $(line sshd auth frank $R remote "$REMOTE" result=locked)"
"$enrol" "$tmp/hostiam.conf" unlock frank || failed "unlock frank" ""
expect "after unlock: the right code is accepted" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "$(code frank 30)" "$P" sshd frank auth

# --- recovery codes: accepted once, at the same prompt ------------------------------------------
"$enrol" "$tmp/hostiam.conf" local gina "$secret_gina" k7m2p-9qx4t h3n8w-r5z6c ||
	failed "enrol gina with recovery codes" ""
printf 'k7m2p-9qx4t\nh3n8w-r5z6c\n' >>"$tmp/secrets"
expect "recovery code accepted" "$PROMPT
auth: PAM_SUCCESS
account: PAM_SUCCESS" -r $R -a k7m2p-9qx4t "$P" sshd gina auth account
log_has "recovery line" "authpriv.notice $(line sshd auth gina $R remote "$REMOTE" result=recovery)"
expect "recovery code refused the second time" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a k7m2p-9qx4t "$P" sshd gina auth
expect "the other recovery code still works" "$PROMPT
auth: PAM_SUCCESS" -r $R -a h3n8w-r5z6c "$P" sshd gina auth

# --- step-up: mfa_max_age = 300 (sudo), 0 (su) --------------------------------------------------
"$state_tool" "$tmp/var/state" henry mfa "$(($(date +%s) - 60))" || failed "state_tool mfa" ""
expect "sudo, MFA 60 s ago: no prompt" "auth: PAM_SUCCESS
account: PAM_SUCCESS" -t pts/1 "$P" sudo henry auth account
log_has "fresh line" "authpriv.info $(line sudo auth henry - sudo-step-up \
	"matched rule sudo-step-up: service sudo" result=fresh)"
"$state_tool" "$tmp/var/state" henry mfa "$(($(date +%s) - 3600))" || failed "state_tool mfa" ""
expect "sudo, MFA an hour ago: prompt" "$PROMPT
auth: PAM_SUCCESS" -t pts/1 -a "$(code henry)" "$P" sudo henry auth
expect "sudo right after: no prompt (the success was recorded)" "auth: PAM_SUCCESS" \
	-t pts/1 "$P" sudo henry auth
expect "su, mfa_max_age = 0: prompt although MFA just succeeded" "$PROMPT
auth: PAM_SUCCESS" -t pts/1 -a "$(code henry 30)" "$P" su henry auth

# --- grace period (enrol_by) ----------------------------------------------------------------
expect "not enrolled, enrol_by ahead: let in with a warning" \
	"info: MFA will be required from 2100-01-01: enrol with \"hostiam enroll carol\" (ask an administrator).
auth: PAM_SUCCESS
account: PAM_SUCCESS" -r $R "$P" sshd carol auth account
log_has "grace line" "authpriv.notice $(line sshd auth carol $R grace-open \
	"matched rule grace-open: user carol" "result=grace enrol_by=2099-12-31")"
expect "grace in account alone (sshd public key): warned, let in" \
	"info: MFA will be required from 2100-01-01: enrol with \"hostiam enroll carol\" (ask an administrator).
account: PAM_SUCCESS" -r $R "$P" sshd carol account
log_has "account grace line" \
	"authpriv.notice pam_hostiam(sshd:account): MFA not enrolled, let in until enrol_by: user=carol enrol_by=2099-12-31"
expect "not enrolled, enrol_by passed: denied with how to enrol" \
	"error: MFA is required, and dave has none set up: ask an administrator to run: hostiam enroll dave
auth: PAM_AUTH_ERR" -r $R "$P" sshd dave auth
log_has "not-enrolled line" "authpriv.notice $(line sshd auth dave $R grace-over \
	"matched rule grace-over: user dave" result=not-enrolled)"
expect "enrol_by passed: account denies too" "error: MFA required
account: PAM_PERM_DENIED" -r $R "$P" sshd dave account
expect "not enrolled, no enrol_by: denied" \
	"error: MFA is required, and kate has none set up: ask an administrator to run: hostiam enroll kate
auth: PAM_AUTH_ERR" -r $R "$P" sshd kate auth

# --- the enrolled condition --------------------------------------------------------------------
expect "login: enrolled user allowed" "auth: PAM_SUCCESS" -t tty1 "$P" login alice auth
expect "login: unenrolled user denied by enrolled = false" "error: Enrol in MFA first.
auth: PAM_AUTH_ERR" -t tty1 "$P" login kate auth

# --- a secret from the directory (auth.cache) ----------------------------------------------------
"$enrol" "$tmp/hostiam.conf" auth-cache "bob=$secret_bob" "nosuch=$secret_kate" ||
	failed "write auth.cache" ""
expect "directory secret: right code accepted" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "$(code bob)" "$P" sshd bob auth
expect "directory secret: wrong code refused" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a "$(code alice)" "$P" sshd bob auth
expect "directory secret: the enrolled condition sees it" "auth: PAM_SUCCESS" \
	-t tty1 "$P" login bob auth

# --- conversation edge cases: a clean PAM_CONV_ERR or PAM_AUTH_ERR, never a crash ------------
expect "no conversation function" "auth: PAM_CONV_ERR" -r $R -c none "$P" sshd jack auth
expect "conversation fails" "$PROMPT
auth: PAM_CONV_ERR" -r $R -c fail -a 123456 "$P" sshd jack auth
expect "conversation fails, yet hands over a reply" "$PROMPT
auth: PAM_CONV_ERR" -r $R -c fail-resp -a 123456 "$P" sshd jack auth
expect "no response array" "$PROMPT
auth: PAM_CONV_ERR" -r $R -c null -a 123456 "$P" sshd jack auth
expect "a response without text" "$PROMPT
auth: PAM_CONV_ERR" -r $R -c null-text -a 123456 "$P" sshd jack auth
log_has "conv-error line" "authpriv.err $(line sshd auth jack $R remote "$REMOTE" result=conv-error)"
expect "empty reply" "$PROMPT
delay: requested
auth: PAM_AUTH_ERR" -D -r $R -a "" "$P" sshd jack auth
log_has "empty line" "authpriv.notice $(line sshd auth jack $R remote "$REMOTE" result=empty)"
expect "only spaces" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a "  	 " "$P" sshd jack auth
expect "1 MiB reply" "$PROMPT
delay: requested
auth: PAM_AUTH_ERR" -D -r $R -c huge "$P" sshd jack auth
log_has "too-long line" "authpriv.notice $(line sshd auth jack $R remote "$REMOTE" result=too-long)"
expect "non-digits (a wrong code)" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a "12a456" "$P" sshd jack auth
expect "a code with a space inside (a wrong code)" "$PROMPT
auth: PAM_AUTH_ERR" -r $R -a "123 456" "$P" sshd jack auth
expect "surrounding whitespace stripped" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "  $(code jack) 	" "$P" sshd jack auth
expect "PAM_SILENT: refused without a message" "auth: PAM_AUTH_ERR" -q -r $R "$P" sshd dave auth

# --- insecure enrolment files: refused with a log line, before any prompt --------------------
enrolment=$tmp/var/state/mfa/ivan
[ -f "$enrolment" ] || failed "the local enrolment is state/mfa/USER" "$(ls -lR "$tmp/var/state")"
REFUSED="error: Access denied: the second factor could not be checked.
auth: PAM_AUTH_ERR"

# insecure WHAT WHY USER [FILE]: USER's auth is refused; the core says WHY about FILE.
insecure() {
	expect "$1: refused" "$REFUSED" -r $R "$P" sshd "$3" auth
	if [ -z "${4:-}" ] || grep -q "MFA .* refused: $2 .* path=$4\$" "$log"; then
		pass "$1: logged"
	else failed "$1: logged" "$(cat "$log")"; fi
}
chmod 0644 "$enrolment"
insecure "enrolment readable by others" "mode 0644" ivan "$enrolment"
log_has "error line" "authpriv.err $(line sshd auth ivan $R remote "$REMOTE" \
	'result=error error="insecure file ownership or permissions"')"
chmod 0600 "$enrolment"
mv "$enrolment" "$tmp/var/ivan.real"
ln -s "$tmp/var/ivan.real" "$enrolment"
insecure "enrolment through a symlink" "a symlink" ivan "$enrolment"
rm "$enrolment"
mv "$tmp/var/ivan.real" "$enrolment"
expect "the enrolment put back: accepted" "$PROMPT
auth: PAM_SUCCESS" -r $R -a "$(code ivan)" "$P" sshd ivan auth
# A malformed enrolment: refused, and the error line says what is wrong with it.
cp "$enrolment" "$tmp/var/ivan.good"
printf 'digits=9\n' >"$enrolment"
expect "malformed enrolment: refused" "$REFUSED" -r $R "$P" sshd ivan auth
log_has "malformed enrolment: a true error line" "authpriv.err $(line sshd auth ivan $R remote \
	"$REMOTE" 'result=error error="MFA enrolment file malformed"')"
cp "$tmp/var/ivan.good" "$enrolment"
rm "$tmp/var/ivan.good"
chmod 0644 "$tmp/var/auth.cache"
# auth.cache also holds bob's account state: the whole decision fails closed.
REFUSED="error: Access denied: the access policy could not be applied.
auth: PAM_AUTH_ERR"
insecure "auth.cache readable by others" "" bob
chmod 0600 "$tmp/var/auth.cache"

# --- no code, secret or recovery code in any log line ----------------------------------------
if grep -F -f "$tmp/secrets" "$tmp/all-log" >"$tmp/leaks"; then
	failed "no secret or code logged" "$(cat "$tmp/leaks")"
else pass "no secret or code in $(wc -l <"$tmp/all-log") log lines"; fi
exit $fail
