#!/bin/sh
# hostiam check and pam_hostiam agree: every row of cases.txt that runs at the current time
# is replayed through the real libpam (tests/pam/pam_driver, pam_start_confdir) with the
# same user, service, PAM_RHOST and PAM_TTY, in enforce and in report mode. The account
# step's result must be the one check's decision implies, and the decision line the module
# logs must be, byte for byte, the "log line" check prints.
set -u
. "${top_srcdir:-.}/tests/cli/cli-lib.sh"
driver=$builddir/tests/pam/pam_driver
module=$builddir/.libs/pam_hostiam.so
shim=$builddir/tests/pam/.libs/syslog_shim.so
for f in "$driver" "$module" "$shim"; do
	[ -f "$f" ] || { echo "missing $f (build first)"; exit 99; }
done
log=$tmp/syslog
HOSTIAM_TEST_SYSLOG=$log
export HOSTIAM_TEST_SYSLOG
rows=0

# confdir DIR CONFIG: an account stack for every service of the table, "other" denying.
confdir() {
	mkdir -p "$1"
	printf 'account required pam_deny.so\n' >"$1/other"
	for svc in sshd sudo login; do
		printf 'account required %s config=%s\n' "$module" "$2" >"$1/$svc"
	done
}
confdir "$tmp/pam.d" "$conf"
confdir "$tmp/pam.d-report" "$report_conf"

# pam_account DIR USER SERVICE FROM TTY: the account step's result, e.g. PAM_SUCCESS.
pam_account() {
	set -- "$1" "$3" "$2" "$4" "$5"
	opts=
	[ "$4" = - ] || opts="-r $4"
	[ "$5" = - ] || opts="$opts -t $5"
	: >"$log"
	# shellcheck disable=SC2086 # opts holds separate words on purpose
	LD_PRELOAD="$shim" "$wrap" "$tmp/var/nss.cache" "$driver" $opts "$1" "$2" "$3" account \
		2>"$tmp/pam.err" | sed -n 's/^account: //p'
}

# agree DIR MODE USER SERVICE FROM TTY AT DECISION RULE: replay one row both ways.
agree() {
	dir=$1 mode=$2
	shift 2
	[ "$5" = - ] || return 0
	rows=$((rows + 1))
	what="$mode: $1 $2 from $3 tty $4"
	check_conf=$conf
	[ "$mode" = enforce ] || check_conf=$report_conf
	run_case "$1" "$2" "$3" "$4" - --json
	want=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
if d["rule"] == "unknown-user": print("PAM_USER_UNKNOWN")
elif d["decision"] == "deny": print("PAM_PERM_DENIED")
elif d["decision"] == "mfa" and not d["mfa_fresh"]: print("PAM_PERM_DENIED")
else: print("PAM_SUCCESS")' "$tmp/out")
	run_case "$1" "$2" "$3" "$4" -
	check_line=$(sed -n 's/^log line: *//p' "$tmp/out")
	got=$(pam_account "$dir" "$1" "$2" "$3" "$4")
	if [ "$got" != "$want" ]; then
		failed "$what: PAM result" "  pam: $got, check implies: $want ($(cat "$tmp/pam.err"))"
		return
	fi
	pass "$what: $got"
	# An unknown user has no engine decision for check to print; the module logs its own.
	[ "$7" != unknown-user ] || return 0
	if grep -q "): $(printf '%s' "$check_line" | sed 's/[][\.*^$]/\\&/g')\$" "$log"; then
		pass "$what: same log line"
	else
		failed "$what: log line" "$(printf '  check: %s\n  pam log:\n%s' "$check_line" "$(cat "$log")")"
	fi
}

each_case agree "$tmp/pam.d" enforce
each_case agree "$tmp/pam.d-report" report
echo "$rows rows replayed"
[ "$rows" -gt 40 ] || failed "rows replayed" "  only $rows"
exit $fail
