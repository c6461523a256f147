#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Access recertification (hostiam certify) with the real parts: the campaign lists who can
# get in; decisions from CSV, JSON and the terminal; a reviewer's own access refused and
# logged; close writes the decisions; then hostiam check, pam_hostiam's account step
# (tests/pam/pam_driver, the real libpam) and review agree: kept users in, revoked users
# out at once (in report mode too), undecided users out by the rule certified_within = 90,
# and a kept user out again once check --at is 90 days on. Hostile notes never break a
# line of the log. The host is cli-lib.sh's, with its own policy.
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
: >"$tmp/syslog"

# run ARGS...: cli-lib.sh's, with the syslog shim so that hostiam's lines land in $tmp/syslog
# (preloaded for these commands only, as check-vs-pam.sh does, never for python3 or grep).
run() {
	status=0
	LD_PRELOAD="$shim" "$wrap" "$tmp/var/nss.cache" "$hostiam" "$@" >"$tmp/out" 2>"$tmp/err" ||
		status=$?
}

# write_conf MODE: staff and contractors get in by sshd, unless not certified in 90 days.
write_conf() {
	cat <<CONF
directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; min_uid = 1000; };
cache = { dir = "$tmp/var"; max_age = 1576800000; };
access = {
  mode = "$1";
  timezone = "UTC";
  default = "deny";
  exempt = [ "root", "breakglass" ];
  rules = (
    { name = "uncertified"; certified_within = 90; action = "deny";
      message = "Your access was not re-certified: ask your manager."; },
    { name = "staff"; group = "staff"; service = [ "sshd", "cron" ]; action = "allow"; },
    { name = "contractors"; group = "contractors"; service = "sshd"; action = "allow"; }
  );
};
CONF
}
cconf=$tmp/certify.conf
rconf=$tmp/certify-report.conf
write_conf enforce >"$cconf"
write_conf report >"$rconf"
chmod 0644 "$cconf" "$rconf"
mkdir "$tmp/pam.d"
printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$tmp/pam.d/other"
printf 'account required %s config=%s\n' "$module" "$cconf" >"$tmp/pam.d/sshd"

pam() {
	LD_PRELOAD="$shim" "$wrap" "$tmp/var/nss.cache" "$driver" "$tmp/pam.d" sshd "$1" account 2>"$tmp/pam.err" |
		grep -E '^account: '
}

check_output() {
	if [ "$2" = "$3" ]; then pass "$1"
	else failed "$1" "$(printf '  want: %s\n  got:  %s\n%s' "$2" "$3" "$(cat "$tmp/err")")"; fi
}

# agree WHAT USER WANT [--at TIME]: check's decision is WANT (allow|deny), and pam_hostiam's
# account step says the same (pam only at the real time).
agree() {
	what=$1 u=$2 want=$3
	shift 3
	run --config "$cconf" check "$u" --service sshd --json "$@"
	got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["decision"])' "$tmp/out")
	check_output "$what: check says $want" "$want" "$got"
	[ $# -eq 0 ] || return 0
	case $want in allow) p="account: PAM_SUCCESS" ;; *) p="account: PAM_PERM_DENIED" ;; esac
	check_output "$what: pam_hostiam agrees" "$p" "$(pam "$u")"
}

# --- before any campaign: nobody certified, so the rule denies ---------------------------
agree "bob, never certified" bob deny
run --config "$cconf" check bob --service sshd
expect_grep "check names the rule and why" "$tmp/out" 'certified_within 90 \(never certified\)'

# --- start ---------------------------------------------------------------------------
run --config "$cconf" certify start
expect_status "start without --reviewer: usage" 2
run --config "$cconf" certify start --reviewer nosuchuser
expect_status "start with an unknown reviewer: refused" 1
run --config "$cconf" certify start --reviewer alice --service "$(printf 'ssh\nuser=x')"
expect_status "start with a service name that is not one: usage" 2
SUDO_UID=1002 SUDO_USER=bob run --config "$cconf" certify start --reviewer alice
expect_status "bob (through sudo) cannot start a campaign as alice" 1
expect_grep "says so" "$tmp/err" 'through sudo you review as yourself \(bob\)'
run --config "$cconf" certify start --reviewer alice --json
expect_status "certify start --reviewer alice" 0
python3 - "$tmp/out" <<'PY' || fail=1
import json, sys
c = json.load(open(sys.argv[1]))
users = {u["user"]: u for u in c["users"]}
assert c["campaign"] == 1 and c["reviewer"] == "alice" and c["closed"] is None, c
assert sorted(users) == ["alice", "bob", "breakglass", "carol", "erin", "mallory"], sorted(users)
assert users["carol"]["access"] == "sshd" and users["bob"]["decision"] == "undecided", users
print("ok: the campaign lists who gets in: staff, contractors, the exempt breakglass; not dave, localop")
PY
run --config "$cconf" certify start --reviewer bob
expect_status "a second start while one is open: refused" 1
expect_grep "says which is open" "$tmp/err" 'campaign 1 is open'
[ "$(stat -c %a "$tmp/var/state/certify")" = 700 ] && pass "store is 0700" ||
	failed "store is 0700" "$(stat -c %a "$tmp/var/state/certify")"
[ "$(stat -c %a "$tmp/var/state/certify/open")" = 600 ] && pass "campaign file is 0600" ||
	failed "campaign file is 0600" "$(stat -c %a "$tmp/var/state/certify/open")"

# --- decide: self-certification refused, CSV and JSON, hostile notes ----------------------
printf 'user,decision,note\nbob,keep,\nalice,keep,my own\n' >"$tmp/self.csv"
run --config "$cconf" certify decide "$tmp/self.csv"
expect_status "alice deciding on her own access: refused" 1
expect_grep "says why" "$tmp/err" 'alice cannot certify their own access'
expect_grep "logged" "$tmp/syslog" 'certify refused: self-certification campaign=1 reviewer=alice user=alice$'
run --config "$cconf" certify show --json
python3 -c 'import json,sys
u = {x["user"]: x for x in json.load(open(sys.argv[1]))["users"]}
assert u["bob"]["decision"] == "undecided", u' "$tmp/out" &&
	pass "a refused file records nothing (bob still undecided)" ||
	failed "a refused file records nothing" "$(cat "$tmp/out")"
printf 'bob,keep\r\ncarol,revoke,"contract ended"\n' >"$tmp/d.csv"
run --config "$cconf" certify decide "$tmp/d.csv"
expect_status "decide CSV" 0
cat >"$tmp/d.json" <<'JSON'
[ {"user": "mallory", "decision": "revoke",
   "note": "line\nbreak user=alice decision=keep \"quoted\" \u001b[31m"} ]
JSON
run --config "$cconf" certify decide "$tmp/d.json"
expect_status "decide JSON with a hostile note" 0
printf 'bob,maybe\n' >"$tmp/bad.csv"
run --config "$cconf" certify decide "$tmp/bad.csv"
expect_status "decide: neither keep nor revoke" 1
expect_grep "names file and line" "$tmp/err" "bad.csv:1: decision must be keep or revoke"
printf 'dave,keep\n' >"$tmp/notin.csv"
run --config "$cconf" certify decide "$tmp/notin.csv"
expect_status "decide: a user not in the campaign" 1
printf '[{"user": "bob", "decision": "keep"' >"$tmp/bad.json"
run --config "$cconf" certify decide "$tmp/bad.json"
expect_status "decide: truncated JSON" 1
if grep -q 'certify decision campaign=1 reviewer=alice user=mallory decision=revoke note="line\\x0abreak user=alice decision=keep \\"quoted\\" \\x1b\[31m"$' "$tmp/syslog"; then
	pass "the hostile note is escaped in one log line"
else failed "hostile note escaped" "$(cat "$tmp/syslog")"; fi
run --config "$cconf" certify show
expect_grep "show: the note cannot drive the terminal" "$tmp/out" '^mallory +revoke +line\?break user=alice decision=keep "quoted" \?\[31m$'

# --- through sudo: only the reviewer acts, never as someone else --------------------------
SUDO_UID=1002 SUDO_USER=bob run --config "$cconf" certify close
expect_status "bob (through sudo) cannot close alice's campaign" 1
expect_grep "says whose it is" "$tmp/err" "campaign 1 is alice's to review, not bob's"
SUDO_UID=1002 SUDO_USER=alice run --config "$cconf" certify close
expect_status "SUDO_USER that is not SUDO_UID's user: refused" 1

# --- close ----------------------------------------------------------------------------
SUDO_UID=1001 SUDO_USER=alice run --config "$cconf" certify close
expect_status "alice (through sudo) closes campaign 1" 0
expect_grep "summary" "$tmp/out" 'Closed campaign 1: 1 kept, 2 revoked, 3 undecided'
expect_grep "log: closed, per decision" "$tmp/syslog" 'certify closed campaign=1 reviewer=alice user=carol decision=revoke note="contract ended"$'
expect_grep "log: summary" "$tmp/syslog" 'certify campaign closed campaign=1 reviewer=alice kept=1 revoked=2 undecided=3$'
[ -f "$tmp/var/state/certify/closed-1" ] && [ ! -e "$tmp/var/state/certify/open" ] &&
	pass "kept as closed-1" || failed "kept as closed-1" "$(ls "$tmp/var/state/certify")"
n=$(grep -c . "$tmp/syslog")
[ "$(grep -Ec '^[a-z]+\.[a-z]+ ' "$tmp/syslog")" = "$n" ] && pass "every log line is one record" ||
	failed "every log line is one record" "$(cat "$tmp/syslog")"

# --- enforcement: check and pam_hostiam agree ---------------------------------------------
agree "bob, kept" bob allow
run --config "$cconf" check bob --service sshd
expect_grep "check shows bob's certification" "$tmp/out" '^certified: +kept in campaign 1 by alice, 20.* \(0 days ago\)$'
agree "carol, revoked" carol deny
run --config "$cconf" check carol --service sshd
expect_grep "carol: rule revoked" "$tmp/out" '^rule: +revoked \(a closed access review, before any rule\)$'
expect_grep "carol: the reason" "$tmp/out" '^reason: +access revoked in review campaign 1 by alice$'
agree "erin, undecided" erin deny
agree "alice, her own access undecided" alice deny
later=$(date -u -d "@$((now + 91 * 86400))" +'%Y-%m-%d %H:%M')
soon=$(date -u -d "@$((now + 80 * 86400))" +'%Y-%m-%d %H:%M')
agree "bob, 80 days on" bob allow --at "$soon"
agree "bob, 91 days on: lapsed" bob deny --at "$later"
run --config "$cconf" check bob --service sshd --at "$later"
expect_grep "check says it lapsed" "$tmp/out" 'kept in campaign 1, 9[01] days ago'
run --config "$rconf" check carol --service sshd
expect_status "report mode: a revoke is still denied" 1
run --config "$rconf" check erin --service sshd
expect_status "report mode: the rule only reports" 0

# --- review shows the last certification ---------------------------------------------------
run --config "$cconf" review
expect_grep "review: bob kept, not flagged" "$tmp/out" '^bob +kept +1 +alice +20[0-9-]+ [0-9:]+ *$'
expect_grep "review: carol revoked" "$tmp/out" '^carol +revoked +1 +alice +20'
expect_grep "review: erin not certified in 90 days" "$tmp/out" '^erin +none +- +- +- +not certified in 90 days$'
run --config "$cconf" review --format json
python3 - "$tmp/out" <<'PY' || fail=1
import json, sys
u = {x["name"]: x for x in json.load(open(sys.argv[1]))["users"]}
assert u["bob"]["certification"]["decision"] == "keep", u["bob"]
assert u["bob"]["certification"]["campaign"] == 1 and u["bob"]["certification"]["reviewer"] == "alice"
assert u["carol"]["certification"]["decision"] == "revoke", u["carol"]
assert u["erin"]["certification"] is None and u["erin"]["not_certified"] is True, u["erin"]
assert u["bob"]["not_certified"] is False, u["bob"]
print("ok: review --format json: certification per user")
PY
run --config "$cconf" review --format csv
python3 - "$tmp/out" <<'PY' || fail=1
import csv, sys
rows = {r["user"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
b = rows["bob"]
assert (b["certified"], b["certified_campaign"], b["certified_reviewer"], b["not_certified"]) == \
    ("kept", "1", "alice", "no"), b
assert b["certified_utc"].startswith("20"), b
assert rows["carol"]["certified"] == "revoked" and rows["carol"]["not_certified"] == "yes", rows["carol"]
assert rows["erin"]["certified"] == "none" and rows["erin"]["certified_campaign"] == "", rows["erin"]
print("ok: review --format csv: certification columns")
PY
run --config "$cconf" review --at "$later"
expect_grep "review 91 days on: bob flagged" "$tmp/out" '^bob +kept .*not certified in 90 days'

# --- a second campaign on the terminal: carol restored, alice kept by bob -------------------
run --config "$cconf" certify start --reviewer bob --service sshd
expect_status "campaign 2 (carol listed again, as if kept)" 0
expect_grep "carol is in campaign 2" "$tmp/out" '^carol +sshd +undecided'
{ printf 'keep\nskip\n'; head -c 300 /dev/zero | tr '\0' x; printf '\nkeep back from leave\nskip\nskip\n'; } >"$tmp/answers"
LD_PRELOAD="$shim" "$wrap" "$tmp/var/nss.cache" "$hostiam" --config "$cconf" certify decide --interactive \
	<"$tmp/answers" >"$tmp/out" 2>"$tmp/err"
expect_grep "asks per user" "$tmp/out" 'alice: keep, revoke or skip'
expect_grep "a line too long is refused whole, and asked again" "$tmp/out" 'Too long: a note has at most 200 bytes'
expect_grep "does not ask bob about himself" "$tmp/out" 'Recorded 2 decisions in campaign 2'
if grep -q 'bob: keep, revoke' "$tmp/out"; then failed "bob not asked about himself" "$(cat "$tmp/out")"
else pass "bob not asked about himself"; fi
run --config "$cconf" certify close
expect_status "root closes campaign 2" 0
agree "carol, kept again in campaign 2" carol allow
agree "alice, kept by bob" alice allow
run --config "$cconf" certify show 1
expect_grep "show 1: the closed campaign" "$tmp/out" '^Campaign 1, reviewer alice, .* closed '
run --config "$cconf" certify show
expect_status "show: no open campaign" 1

# --- configuration errors name file, line and key -------------------------------------------
sed 's/certified_within = 90/certified_within = 0/' "$cconf" >"$tmp/bad.conf"
run --config "$tmp/bad.conf" config-check
expect_status "certified_within = 0: config error" 2
expect_grep "names file, line and key" "$tmp/err" "bad.conf:[0-9]+: .*certified_within"
sed 's/certified_within = 90/certified_within = "90"/' "$cconf" >"$tmp/bad2.conf"
run --config "$tmp/bad2.conf" config-check
expect_status "certified_within = \"90\": config error" 2
expect_grep "wrong type names the key" "$tmp/err" "bad2.conf:[0-9]+: .*certified_within"
exit $fail
