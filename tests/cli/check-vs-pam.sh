#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam check and pam_hostiam agree: every row of cases.txt that runs at the current time
# is replayed through the real libpam (tests/pam/pam_driver, pam_start_confdir) with the
# same user, service, PAM_RHOST and PAM_TTY, in enforce and in report mode. The account
# step's result must be the one check's decision implies, and the decision line the module
# logs must be, byte for byte, the "log line" check prints. Then the fail-closed and offline
# rows below replay the same way on hosts whose configuration is broken, whose state
# directory is insecure, whose cache is older than cache.max_age or missing; and review must
# tell the same fail-closed decision for the broken configuration.
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

# agree DIR CONF LABEL USER SERVICE FROM TTY AT DECISION RULE: replay one row both ways,
# check with CONF, pam_hostiam with the stacks of DIR; check must also decide as the row says.
agree() {
	dir=$1 check_conf=$2 label=$3
	shift 3
	[ "$5" = - ] || return 0
	rows=$((rows + 1))
	what="$label: $1 $2 from $3 tty $4"
	run_case "$1" "$2" "$3" "$4" - --json
	if python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if [d["policy_decision"], d["rule"]] == sys.argv[2:] else 1)' "$tmp/out" "$6" "$7"
	then pass "$what: check decides $6 by $7"
	else failed "$what: check's decision" "  want $6 by $7: $(cat "$tmp/out")"; fi
	want=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
if d["rule"] == "unknown-user": print("PAM_USER_UNKNOWN")
elif d["decision"] == "deny": print("PAM_PERM_DENIED")
elif d["decision"] == "mfa" and not d["mfa_fresh"]: print("PAM_PERM_DENIED")
elif d["terms"] and d["terms"]["needed"] and not d["report_only"]: print("PAM_PERM_DENIED")
else: print("PAM_SUCCESS")' "$tmp/out")
	run_case "$1" "$2" "$3" "$4" -
	check_line=$(sed -n 's/^log line: *//p' "$tmp/out")
	got=$(pam_account "$dir" "$1" "$2" "$3" "$4")
	if [ "$got" != "$want" ]; then
		failed "$what: PAM result" "  pam: $got, check implies: $want ($(cat "$tmp/pam.err"))"
		return
	fi
	pass "$what: $got"
	if grep -q "): $(printf '%s' "$check_line" | sed 's/[][\.*^$]/\\&/g')\$" "$log"; then
		pass "$what: same log line"
	else
		failed "$what: log line" "$(printf '  check: %s\n  pam log:\n%s' "$check_line" "$(cat "$log")")"
	fi
}

each_case agree "$tmp/pam.d" "$conf" enforce
each_case agree "$tmp/pam.d-report" "$report_conf" report
[ "$rows" -gt 40 ] || failed "rows replayed" "  only $rows"

# other_host NAME CONFIG ROWS: replay ROWS (lines as in cases.txt, at the current time)
# through check with CONFIG and pam_hostiam with stacks that name it.
other_host() {
	confdir "$tmp/pam.d-$1" "$2"
	printf '%s\n' "$3" >"$tmp/$1.cases"
	table=$cases
	cases=$tmp/$1.cases
	each_case agree "$tmp/pam.d-$1" "$2" "$1"
	cases=$table
}

# A configuration that cannot be loaded: root (built in) passes, even access.exempt does not.
sed 's|"10.0.0.0/8"|"10.1.2.3/8"|' "$conf" >"$tmp/broken.conf"
other_host broken-config "$tmp/broken.conf" "\
root       sshd    203.0.113.9  -     -  allow  break-glass
breakglass sudo    -            -     -  deny   config-error
alice      sshd    10.1.2.3     pts/0 -  deny   config-error
nosuchuser sshd    10.0.0.1     -     -  deny   config-error"
# The engine cannot be asked (a state directory others may write): access.exempt passes.
mkdir -m 0700 "$tmp/insecure"
mkdir -m 0777 "$tmp/insecure/state"
cp "$tmp/var/nss.cache" "$tmp/insecure/nss.cache"
sed "s|dir = \"$tmp/var\"|dir = \"$tmp/insecure\"|" "$conf" >"$tmp/insecure.conf"
other_host insecure-state "$tmp/insecure.conf" "\
breakglass sudo    -            -     -  allow  exempt
dave       sshd    10.0.0.1     -     -  deny   error
nosuchuser sshd    10.0.0.1     -     -  deny   unknown-user"
# Offline now: the cache (synced 2026-01-01) is older than max_age, or there is none.
sed 's|max_age = [0-9]*;|max_age = 60;|' "$conf" >"$tmp/offline.conf"
offline_rows="\
carol      sshd    10.0.0.1     -     -  deny   offline-contractors
bob        sshd    10.0.0.1     -     -  allow  office
dave       sshd    203.0.113.9  -     -  deny   default"
other_host offline "$tmp/offline.conf" "$offline_rows"
mkdir -m 0700 "$tmp/nocache"
sed "s|dir = \"$tmp/var\"|dir = \"$tmp/nocache\"|" "$conf" >"$tmp/nocache.conf"
other_host missing-cache "$tmp/nocache.conf" "$offline_rows"
# Access recertification (hostiam certify): a host whose policy starts with a
# certified_within rule, and decisions of closed campaigns in the state records — bob kept
# 10 days ago, localop 100 days ago, alice never; dave and root revoked (root is exempt).
mkdir -m 0700 "$tmp/certhost"
cp "$tmp/var/nss.cache" "$tmp/certhost/nss.cache"
cp -a "$tmp/var/state" "$tmp/certhost/state"
printf 'certify=3 %s keep rita\n' $((now - 10 * 86400)) >>"$tmp/certhost/state/users/bob"
printf 'certify=3 %s revoke rita\n' $((now - 86400)) >"$tmp/certhost/state/users/dave"
printf 'certify=2 %s keep rita\n' $((now - 100 * 86400)) >"$tmp/certhost/state/users/localop"
printf 'certify=3 %s revoke rita\n' $((now - 86400)) >"$tmp/certhost/state/users/root"
chmod 0600 "$tmp/certhost/state/users/"*
sed -e "s|dir = \"$tmp/var\"|dir = \"$tmp/certhost\"|" -e 's|^  rules = ($|&\
    { name = "uncertified"; user = [ "alice", "bob", "dave", "localop" ]; certified_within = 90; action = "deny"; },|' \
	"$conf" >"$tmp/certify.conf"
grep -q 'name = "uncertified"' "$tmp/certify.conf" || failed "certify host" "  rule not inserted"
other_host certify "$tmp/certify.conf" "\
bob        sshd    10.0.0.1     -     -  allow  office
alice      sshd    10.1.2.3     -     -  deny   uncertified
localop    login   -            tty1  -  deny   uncertified
dave       sshd    10.0.0.1     -     -  deny   revoked
root       sshd    203.0.113.9  -     -  allow  exempt"
echo "$rows rows replayed"

# review names the same fail-closed decision for the broken configuration, and the same
# definition of offline.
run --config "$tmp/broken.conf" review
if [ "$status" = 2 ] && grep -q "^hostiam: review: configuration unusable: pam_hostiam decides deny (rule config-error) for every account, allow (rule break-glass) for root\$" "$tmp/err"
then pass "review, broken configuration: deny by config-error, root by break-glass"
else failed "review, broken configuration" "  exit $status: $(cat "$tmp/err")"; fi
run --config "$tmp/offline.conf" review --format json
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
u = {x["name"]: x for x in d["users"]}
cells = [c for s in u["carol"]["decisions"].values() for c in s.values()]
sys.exit(0 if d["cache"]["state"] == "offline" and
         all(c["decision"] == "deny" and c["rule"] == "offline-contractors" for c in cells) else 1)' \
	"$tmp/out" && pass "review, cache older than max_age: offline, carol denied by offline-contractors" ||
	failed "review, offline" "$(cat "$tmp/out" "$tmp/err")"
exit $fail
