#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pam_hostiam through the real libpam (pam_start_confdir): account, auth and session
# stacks for sshd, sudo, su and login, with PAM_RHOST and PAM_TTY set, users and groups
# from local files and the directory cache, and every syslog line captured.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
driver=$builddir/tests/pam/pam_driver

write_config "$tmp/hostiam.conf" <<'CONF'
access = {
  mode = "enforce";
  default = "deny";
  exempt = [ "root" ];
  rules = (
    { name = "sudo-step-up"; service = [ "sudo" ]; group = [ "admins" ];
      action = "mfa"; mfa_max_age = 600; },
    { name = "blocked"; user = [ "dave" ]; action = "deny";
      message = "Dave is not allowed on this host."; },
    { name = "office"; service = [ "sshd" ]; from = [ "10.0.0.0/8", "fd00::/8" ];
      action = "allow"; },
    { name = "console"; service = [ "login" ]; from = [ "local" ]; tty = [ "tty1" ];
      action = "allow"; },
    { name = "ops-su"; service = [ "su" ]; group = [ "ops" ]; action = "allow"; },
    { name = "remote-devs"; service = [ "sshd" ]; group = [ "devs" ]; action = "mfa"; }
  );
};
CONF
sed 's/mode = "enforce"/mode = "report"/' "$tmp/hostiam.conf" >"$tmp/report.conf"
# Broken: a bad CIDR on line 9 of the file (the error must name file, line and key).
sed 's|"10.0.0.0/8"|"10.0.0.0/33"|' "$tmp/hostiam.conf" >"$tmp/broken.conf"
# A state directory that is not private: requests fail, exempt accounts still get in.
mkdir -m 0700 "$tmp/insecure"
mkdir -m 0777 "$tmp/insecure/state"
sed 's|exempt = \[ "root" \]|exempt = [ "root", "localop" ]|' "$tmp/hostiam.conf" |
	sed "s|dir = \"$tmp/var\"|dir = \"$tmp/insecure\"|" >"$tmp/insecure.conf"

# confdir DIR CONFIG [OPTIONS]: service files sshd, sudo, su, login using the module,
# and an "other" that denies, as a host should have.
confdir() {
	mkdir -p "$1"
	printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$1/other"
	for svc in sshd sudo su login; do
		cat >"$1/$svc" <<STACK
auth     required $module config=$2 ${3:-}
account  required $module config=$2 ${3:-}
session  optional $module config=$2 ${3:-}
STACK
	done
}
confdir "$tmp/pam.d" "$tmp/hostiam.conf"
confdir "$tmp/pam.d-report" "$tmp/report.conf"
confdir "$tmp/pam.d-broken" "$tmp/broken.conf"
confdir "$tmp/pam.d-missing" "$tmp/no-such.conf"
confdir "$tmp/pam.d-insecure" "$tmp/insecure.conf"
confdir "$tmp/pam.d-debug" "$tmp/hostiam.conf" "debug bogus-option"
# The MFA side of a later release, played by a test module setting the data key.
mkdir -p "$tmp/pam.d-mfaok"
cat >"$tmp/pam.d-mfaok/sudo" <<STACK
auth     required $mfa_ok_module
account  required $module config=$tmp/hostiam.conf
STACK

# pam DIR SERVICE USER [DRIVER-OPTIONS...] -- OPS...: run the driver with a fresh log.
pam() {
	dir=$1 svc=$2 user=$3
	shift 3
	opts=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts="$opts $1"; shift; done
	shift
	: >"$log"
	# shellcheck disable=SC2086 # opts holds separate words on purpose
	LD_PRELOAD="$preload" "$driver" $opts "$tmp/$dir" "$svc" "$user" "$@" 2>"$tmp/stderr" ||
		failed "driver ran" "$(cat "$tmp/stderr")"
}

# expect WHAT EXPECTED-OUTPUT DIR SERVICE USER [OPTIONS] -- OPS...
expect() {
	what=$1 want=$2
	shift 2
	got=$(pam "$@")
	check_output "$what" "$want" "$got"
}

P='authpriv.info pam_hostiam(sshd:account):'
N='authpriv.notice pam_hostiam(sshd:account):'

# --- sshd: from conditions on PAM_RHOST --------------------------------------------------
expect "sshd from 10.x allowed" "account: PAM_SUCCESS" \
	pam.d sshd alice -r 10.1.2.3 -t ssh -- account
log_has "allow line" \
	"$P decision=allow user=alice service=sshd rhost=10.1.2.3 rule=office reason=\"matched rule office: from 10.0.0.0/8, service sshd\""
expect "sshd from fd00::/8 allowed" "account: PAM_SUCCESS" pam.d sshd alice -r fd00::5 -- account
expect "IPv4-mapped IPv6 matches the IPv4 CIDR" "account: PAM_SUCCESS" \
	pam.d sshd alice -r ::ffff:10.9.8.7 -- account
expect "sshd from 203.0.113.7: devs need MFA" "error: MFA required
account: PAM_PERM_DENIED" pam.d sshd alice -r 203.0.113.7 -- account
expect "a host name in PAM_RHOST matches no CIDR" "error: MFA required
account: PAM_PERM_DENIED" pam.d sshd alice -r host10.example.com -- account
expect "no rule matches: default deny" "error: Access denied by policy (rule default)
account: PAM_PERM_DENIED" pam.d sshd carol -r 203.0.113.7 -- account

# --- deny with the rule's message ------------------------------------------------------
expect "deny with the rule's message" "error: Dave is not allowed on this host.
account: PAM_PERM_DENIED" pam.d sshd dave -r 10.1.2.3 -t ssh -- account
log_has "deny line" \
	"$N decision=deny user=dave service=sshd rhost=10.1.2.3 rule=blocked reason=\"matched rule blocked: user dave\""
expect "PAM_SILENT: denied without a message" "account: PAM_PERM_DENIED" \
	pam.d sshd dave -r 10.1.2.3 -q -- account
expect "auth stack: allow" "auth: PAM_SUCCESS" pam.d sshd alice -r 10.1.2.3 -- auth
expect "auth stack: deny is PAM_AUTH_ERR" "error: Dave is not allowed on this host.
auth: PAM_AUTH_ERR" pam.d sshd dave -r 10.1.2.3 -- auth
expect "auth stack: mfa, not enrolled: how to enrol" \
	"error: MFA is required, and alice has none set up: ask an administrator to run: hostiam enroll alice
auth: PAM_AUTH_ERR" pam.d sshd alice -r 203.0.113.7 -- auth
expect "setcred" "setcred: PAM_SUCCESS" pam.d sshd alice -- setcred

# --- login (tty, local), su (local group holding a directory user) ------------------------
expect "login on tty1 allowed" "account: PAM_SUCCESS" pam.d login carol -t /dev/tty1 -- account
expect "login on tty2 denied" "error: Access denied by policy (rule default)
account: PAM_PERM_DENIED" pam.d login carol -t tty2 -- account
expect "login on tty1 from a remote host denied" "error: Access denied by policy (rule default)
account: PAM_PERM_DENIED" pam.d login carol -t tty1 -r 10.1.2.3 -- account
expect "su: local user in local group" "account: PAM_SUCCESS" pam.d su localop -t pts/0 -- account
expect "su: directory user in local group" "account: PAM_SUCCESS" pam.d su alice -t pts/0 -- account
expect "su: others denied" "error: Access denied by policy (rule default)
account: PAM_PERM_DENIED" pam.d su carol -t pts/0 -- account

# --- mfa: transaction data, fresh MFA record, stale MFA record ----------------------------
expect "sudo step-up without MFA" "error: MFA required
account: PAM_PERM_DENIED" pam.d sudo alice -t pts/1 -- account
"$state_tool" "$tmp/var/state" alice mfa "$((now - 60))" || failed "state_tool mfa" ""
expect "sudo step-up with an MFA 60 s ago (mfa_max_age 600)" "account: PAM_SUCCESS" \
	pam.d sudo alice -t pts/1 -- account
"$state_tool" "$tmp/var/state" alice mfa "$((now - 3600))" || failed "state_tool mfa" ""
expect "sudo step-up with an MFA an hour ago" "error: MFA required
account: PAM_PERM_DENIED" pam.d sudo alice -t pts/1 -- account
expect "MFA earlier in the same transaction" "auth: PAM_SUCCESS
account: PAM_SUCCESS" pam.d-mfaok sudo bob -t pts/1 -- auth account
expect "without it, the same user is denied" "error: MFA required
account: PAM_PERM_DENIED" pam.d sudo bob -t pts/1 -- account

# --- unknown users, exempt root --------------------------------------------------------
expect "unknown user" "account: PAM_USER_UNKNOWN" pam.d sshd nosuchuser -r 10.1.2.3 -- account
expect "root is exempt" "account: PAM_SUCCESS" pam.d sshd root -r 203.0.113.7 -- account
log_has "exempt line" \
	"$P decision=allow user=root service=sshd rhost=203.0.113.7 rule=exempt reason=\"exempt account\""

# --- report mode ----------------------------------------------------------------------
expect "report mode: would deny, allowed" "account: PAM_SUCCESS" \
	pam.d-report sshd dave -r 10.1.2.3 -t ssh -- account
log_has "report line" \
	"$N decision=deny mode=report user=dave service=sshd rhost=10.1.2.3 rule=blocked reason=\"matched rule blocked: user dave\""
expect "report mode: MFA not enforced either" "account: PAM_SUCCESS" \
	pam.d-report sshd alice -r 203.0.113.7 -- account
log_has "report line for mfa" \
	"$P decision=mfa mode=report user=alice service=sshd rhost=203.0.113.7 rule=remote-devs reason=\"matched rule remote-devs: group devs, service sshd\""

# --- broken and missing configuration: fail closed, root gets in ---------------------------
expect "broken config: root allowed" "account: PAM_SUCCESS" \
	pam.d-broken sshd root -r 203.0.113.7 -- account
log_has "broken config: the error names file, line and key" \
	"authpriv.err pam_hostiam(sshd:account): configuration error: $tmp/broken.conf:12: access.rules.[2].from: \"10.0.0.0/33\": prefix length must be a number from 0 to 32"
log_has "broken config: break-glass line" \
	"$P decision=allow user=root service=sshd rhost=203.0.113.7 rule=break-glass reason=\"configuration unusable, built-in break-glass account\""
expect "broken config: everyone else denied" "error: Access denied: the access policy of this host cannot be read.
account: PAM_PERM_DENIED" pam.d-broken sshd alice -r 10.1.2.3 -- account
log_has "broken config: deny line" \
	"$N decision=deny user=alice service=sshd rhost=10.1.2.3 rule=config-error reason=\"configuration unusable\""
expect "missing config: denied" "error: Access denied: the access policy of this host cannot be read.
account: PAM_PERM_DENIED" pam.d-missing sshd alice -r 10.1.2.3 -- account
log_has "missing config: logged" \
	"authpriv.err pam_hostiam(sshd:account): configuration error: $tmp/no-such.conf: cannot open: No such file or directory"
expect "missing config: root allowed" "account: PAM_SUCCESS" pam.d-missing sshd root -- account
expect "broken config: auth fails closed too" "error: Access denied: the access policy of this host cannot be read.
auth: PAM_AUTH_ERR" pam.d-broken sshd alice -r 10.1.2.3 -- auth
expect "broken config: a session still opens" "open: PAM_SUCCESS" \
	pam.d-broken sshd root -- open

# --- insecure state directory: errors deny, exempt accounts pass ----------------------------
expect "insecure state dir: denied" "error: Access denied: the access policy could not be applied.
account: PAM_PERM_DENIED" pam.d-insecure sshd alice -r 10.1.2.3 -- account
expect "insecure state dir: exempt allowed" "account: PAM_SUCCESS" \
	pam.d-insecure sshd localop -r 10.1.2.3 -- account

# --- session records the login -------------------------------------------------------------
expect "full sshd transaction" "account: PAM_SUCCESS
open: PAM_SUCCESS
close: PAM_SUCCESS" pam.d sshd carol -r fd00::7 -t ssh -- account open close
expect "session for a denied rule still opens (account decides)" "open: PAM_SUCCESS" \
	pam.d sshd carol -r 203.0.113.7 -- open
got=$("$state_tool" "$tmp/var/state" carol show)
case $got in
"last_login="*" service=sshd rhost=203.0.113.7 last_mfa=0")
	t=${got#last_login=}
	t=${t%% *}
	if [ "$t" -ge "$now" ] && [ "$t" -le "$(date +%s)" ]; then pass "last login recorded"
	else failed "last login time" "$got"; fi ;;
*) failed "last login recorded" "$got" ;;
esac
expect "local login recorded" "open: PAM_SUCCESS" pam.d login carol -t tty1 -- open
check_output "local login: no remote host" "service=login rhost= last_mfa=0" \
	"$("$state_tool" "$tmp/var/state" carol show | cut -d' ' -f2-)"

# --- options -------------------------------------------------------------------------
expect "debug and an unknown option" "account: PAM_SUCCESS" \
	pam.d-debug sshd alice -r 10.1.2.3 -- account
log_has "unknown option logged" \
	"authpriv.err pam_hostiam(sshd:account): unknown option ignored: bogus-option"
log_has "debug: trace of the deciding rule" \
	"authpriv.debug pam_hostiam(sshd:account): trace: rule office (line 12): matched: from 10.0.0.0/8, service sshd"
exit $fail
