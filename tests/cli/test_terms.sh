#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Terms of use in hostiam check, review and terms status/revoke, and check agreeing with
# pam_hostiam (tests/pam/pam_driver, the real libpam): before an acceptance check says what
# a login needs and the account step denies; pam_hostiam's auth takes "accept"; then both
# allow; with --at 400 days on (reaccept_days 365), check asks again; cron is denied by
# both; revoke makes both ask again. The host is cli-lib.sh's, with its own policy.
set -u
. "${top_srcdir:-.}/tests/cli/cli-lib.sh"
driver=$builddir/tests/pam/pam_driver
module=$builddir/.libs/pam_hostiam.so
shim=$builddir/tests/pam/.libs/syslog_shim.so
for f in "$driver" "$module" "$shim"; do
	[ -f "$f" ] || { echo "missing $f (build first)"; exit 99; }
done
HOSTIAM_TEST_SYSLOG=$tmp/syslog
export HOSTIAM_TEST_SYSLOG

mkdir -m 0755 "$tmp/terms"
printf 'Production acceptable use policy.\nBe careful.\n' >"$tmp/terms/prod.txt"
chmod 0644 "$tmp/terms/prod.txt"
tconf=$tmp/terms.conf
cat >"$tconf" <<CONF
directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; min_uid = 1000; };
cache = { dir = "$tmp/var"; max_age = 1576800000; };
terms = ( { name = "prod-aup"; version = "2026-12"; file = "$tmp/terms/prod.txt";
            reaccept_days = 365; } );
access = {
  timezone = "UTC";
  default = "deny";
  rules = (
    { name = "prod"; service = [ "sshd", "cron" ]; action = "allow"; terms = "prod-aup";
      message = "Accept the production AUP first."; }
  );
};
CONF
chmod 0644 "$tconf"
mkdir "$tmp/pam.d"
printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$tmp/pam.d/other"
for svc in sshd cron; do
	printf 'auth required %s config=%s\naccount required %s config=%s\n' \
		"$module" "$tconf" "$module" "$tconf" >"$tmp/pam.d/$svc"
done

# pam USER SERVICE OPS...: the driver's result lines, answering "accept" to any question.
pam() {
	u=$1 s=$2
	shift 2
	LD_PRELOAD="$shim" "$wrap" "$tmp/var/nss.cache" "$driver" -a accept "$tmp/pam.d" "$s" "$u" \
		"$@" 2>"$tmp/pam.err" | grep -E '^(auth|account): '
}

# terms_of FIELD: check's JSON "terms" FIELD of $tmp/out.
terms_of() {
	python3 -c 'import json,sys
t = json.load(open(sys.argv[1]))["terms"]
print(t[sys.argv[2]] if t else None)' "$tmp/out" "$1"
}

# agree WHAT USER SERVICE [--at TIME]: check's decision and pam_hostiam's account step agree.
agree() {
	what=$1 u=$2 s=$3
	shift 3
	run --config "$tconf" check "$u" --service "$s" --json "$@"
	want=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
needed = d["terms"] and d["terms"]["needed"]
print("account: PAM_PERM_DENIED" if d["decision"] == "deny" or needed else "account: PAM_SUCCESS")' "$tmp/out")
	got=$(pam "$u" "$s" account)
	check_output "$what: check and pam agree" "$want" "$got"
}

check_output() {
	if [ "$2" = "$3" ]; then pass "$1"
	else failed "$1" "$(printf '  want: %s\n  got:  %s\n%s' "$2" "$3" "$(cat "$tmp/pam.err")")"; fi
}

# --- before any acceptance ------------------------------------------------------------
run --config "$tconf" check dave --service sshd
expect_status "check before acceptance: allowed (with terms to accept)" 0
expect_grep "check says what a login needs" "$tmp/out" \
	'^terms: +must accept terms prod-aup version 2026-12'
run --config "$tconf" check dave --service sshd --json
check_output "check --json: terms needed" "True" "$(terms_of needed)"
agree "dave sshd, not accepted" dave sshd
check_output "pam account: denied" "account: PAM_PERM_DENIED" "$(pam dave sshd account)"
run --config "$tconf" check dave --service cron
expect_status "check cron: denied" 1
expect_grep "check says why cron is denied" "$tmp/out" \
	'^terms: +prod-aup version 2026-12 not accepted, and service cron cannot show them'
agree "dave cron, not accepted" dave cron

# --- accepted through pam_hostiam's auth --------------------------------------------------
check_output "pam auth takes accept, account passes" "auth: PAM_SUCCESS
account: PAM_SUCCESS" "$(pam dave sshd auth account)"
run --config "$tconf" check dave --service sshd
expect_grep "check: accepted, through sshd" "$tmp/out" \
	'^terms: +prod-aup version 2026-12 accepted .* \(0 days ago\) through sshd'
agree "dave sshd, accepted" dave sshd
agree "dave cron, accepted" dave cron
later=$(date -u -d "@$((now + 400 * 86400))" +'%Y-%m-%d %H:%M')
run --config "$tconf" check dave --service sshd --at "$later"
expect_grep "check --at 400 days on: must accept again" "$tmp/out" \
	'^terms: +must accept terms prod-aup version 2026-12'
soon=$(date -u -d "@$((now + 300 * 86400))" +'%Y-%m-%d %H:%M')
run --config "$tconf" check dave --service sshd --at "$soon" --json
check_output "check --at 300 days on: still accepted" "False" "$(terms_of needed)"

# --- terms status, review ----------------------------------------------------------------
run --config "$tconf" terms status dave
expect_status "terms status dave" 0
expect_grep "status: dave accepted" "$tmp/out" '^dave +prod-aup +2026-12 +accepted +2026-12 .* sshd -$'
run --config "$tconf" terms status --json
expect_status "terms status --json" 0
python3 - "$tmp/out" <<'PY' || fail=1
import json, sys
rows = {r["user"]: r["terms"][0] for r in json.load(open(sys.argv[1]))}
assert rows["dave"]["status"] == "accepted" and rows["dave"]["accepted_version"] == "2026-12", rows
assert rows["alice"]["status"] == "none" and rows["alice"]["accepted"] is None, rows
print("ok: terms status --json: dave accepted, alice none")
PY
run --config "$tconf" review
expect_grep "review lists who accepted" "$tmp/out" '^dave +prod-aup +2026-12 +accepted'
expect_grep "review lists who did not" "$tmp/out" '^alice +prod-aup +2026-12 +none'
run --config "$tconf" review --format json
python3 - "$tmp/out" <<'PY' || fail=1
import json, sys
users = {u["name"]: u for u in json.load(open(sys.argv[1]))["users"]}
assert users["dave"]["terms"][0]["status"] == "accepted", users["dave"]
print("ok: review --format json: dave accepted")
PY

# --- revoke: both ask again -----------------------------------------------------------------
run --config "$tconf" terms revoke dave prod-aup
expect_status "terms revoke dave prod-aup" 0
run --config "$tconf" terms revoke dave prod-aup
expect_status "revoke again: nothing to revoke" 1
agree "dave sshd, revoked" dave sshd
run --config "$tconf" terms revoke dave
expect_status "terms revoke without NAME: usage" 2
run --config "$tconf" terms list
expect_status "terms list: usage" 2
exit $fail
