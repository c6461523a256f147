#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam check: every row of cases.txt in text and JSON (parsed back with python3), in
# enforce and report mode; the inputs it shows; usage and configuration errors.
set -u
. "${top_srcdir:-.}/tests/cli/cli-lib.sh"
mkdir "$tmp/json"
n=0

# want_exit DECISION RULE MODE: the exit status check must give.
want_exit() {
	if [ "$1" = deny ] && { [ "$3" = enforce ] || [ "$2" = unknown-user ]; }; then echo 1
	else echo 0; fi
}

# text_case MODE USER SERVICE FROM TTY AT DECISION RULE: the text report and exit status.
text_case() {
	mode=$1
	shift
	what="check $1 $2 from $3 tty $4 at $5 ($mode)"
	run_case "$1" "$2" "$3" "$4" "$5"
	expect_status "$what: exit" "$(want_exit "$6" "$7" "$mode")"
	if [ "$7" = unknown-user ]; then
		expect_grep "$what: no such user" "$tmp/err" "no such user: $1\$"
	elif [ "$mode" = report ] && [ "$6" = deny ]; then
		expect_grep "$what: decision" "$tmp/out" "^decision: +would deny \(report mode: allowed\)\$"
	elif [ "$mode" = report ] && [ "$6" = mfa ]; then
		expect_grep "$what: decision" "$tmp/out" "^decision: +would ask for MFA \(report mode: allowed\)\$"
	else
		expect_grep "$what: decision" "$tmp/out" "^decision: +$6( |\$)"
	fi
	expect_grep "$what: rule" "$tmp/out" "^rule: +$7( |\$)"
}

# json_case MODE USER SERVICE FROM TTY AT DECISION RULE: save the JSON for the python pass.
json_case() {
	mode=$1
	shift
	n=$((n + 1))
	run_case "$1" "$2" "$3" "$4" "$5" --json
	expect_status "check --json $1 $2 $3 $4 $5 ($mode): exit" "$(want_exit "$6" "$7" "$mode")"
	cp "$tmp/out" "$tmp/json/$n.json"
	printf '%s %s %s %s %s %s %s %s\n' "$n" "$mode" "$1" "$2" "$3" "$4" "$6" "$7" \
		>>"$tmp/json/manifest"
}

for mode in enforce report; do
	check_conf=$conf
	[ $mode = enforce ] || check_conf=$report_conf
	each_case text_case $mode
	each_case json_case $mode
done
check_conf=

# Every saved document parses, and says what the table says, trace included.
python3 - "$tmp/json" "$now" <<'PY' || fail=1
import json, sys, os
d, now = sys.argv[1], int(sys.argv[2])
bad = 0
def no(n, what, doc):
    global bad
    bad = 1
    print("FAIL: json row %s: %s\n  %s" % (n, what, json.dumps(doc)[:600]))
for line in open(os.path.join(d, "manifest")):
    n, mode, user, service, frm, tty, want, rule = line.split()
    doc = json.load(open(os.path.join(d, n + ".json")))
    report = mode == "report" and rule != "unknown-user"
    exp = {"user": user, "service": service, "from": None if frm == "-" else frm,
           "tty": None if tty == "-" else tty, "policy_decision": want, "rule": rule,
           "decision": "allow" if report else want, "report_only": report,
           "mode": mode}
    for k, v in exp.items():
        if doc.get(k) != v:
            no(n, "%s is %r, want %r" % (k, doc.get(k), v), doc)
    trace = doc["trace"]
    if rule in ("unknown-user",):
        if trace or doc["inputs"] is not None:
            no(n, "no trace or inputs for an unknown user", doc)
        continue
    if len(trace) != 10:
        no(n, "trace has %d rules, want 10" % len(trace), doc)
        continue
    for i, t in enumerate(trace):
        if set(t) != {"name", "line", "action", "evaluated", "matched", "reason"}:
            no(n, "trace keys %s" % sorted(t), doc)
        if rule == "exempt":
            want_eval, want_match = False, False
        elif rule == "default":
            want_eval, want_match = True, False
        else:
            k = [x["name"] for x in trace].index(rule)
            want_eval, want_match = i <= k, i == k
        if t["evaluated"] != want_eval or t["matched"] != want_match:
            no(n, "trace[%d] %s evaluated=%s matched=%s" % (i, t["name"], t["evaluated"], t["matched"]), doc)
        if t["evaluated"] and not t["reason"]:
            no(n, "trace[%d] has no reason" % i, doc)
    inp = doc["inputs"]
    if set(inp) != {"groups", "offline", "last_login", "last_mfa", "enrolled", "directory_user",
                    "caller_root", "certification"}:
        no(n, "input keys %s" % sorted(inp), doc)
    if inp["enrolled"] is not False:
        no(n, "enrolled should be false: nobody in the fixture has enrolled", doc)
    if inp["offline"] != doc["at"].startswith("2080"):
        no(n, "offline is %s at %s" % (inp["offline"], doc["at"]), doc)
    if user == "alice":
        if not {"alice", "admins", "staff"} <= set(inp["groups"]):
            no(n, "alice's groups", doc)
        if inp["last_login"] != now - 2 * 86400 - 120 or inp["last_mfa"] != now - 60:
            no(n, "alice's last login / last MFA", doc)
        if doc["mfa_fresh"] != (rule == "sudo-step-up"):
            no(n, "mfa_fresh %s" % doc["mfa_fresh"], doc)
    if user == "erin" and inp["last_login"] != 1748779200:
        no(n, "erin's last login", doc)
    if user == "localop" and "ops" not in inp["groups"]:
        no(n, "localop's local group ops", doc)
    if want == "deny" and rule == "stale" and doc["message"] is None:
        no(n, "the stale rule's message", doc)
print("ok: %d JSON documents parsed and compared" % sum(1 for _ in open(os.path.join(d, "manifest"))))
sys.exit(bad)
PY

# The text report shows the inputs and the trace of every rule.
run_case erin sshd 10.0.0.1 - -
expect_grep "text: last login" "$tmp/out" "^last login: +2025-06-01 12:00 \([0-9]+ days ago\)\$"
expect_grep "text: message" "$tmp/out" "^message: +No login for 90 days"
expect_grep "text: trace row" "$tmp/out" "^  2 +stale +[0-9]+ +MATCHED +"
expect_grep "text: not evaluated" "$tmp/out" "^  9 +remote-staff +[0-9]+ +not evaluated"
expect_grep "text: log line" "$tmp/out" "^log line: +decision=deny user=erin service=sshd rhost=10.0.0.1 rule=stale "
run_case carol sshd 10.0.0.1 - 2080-01-01T10:00
expect_grep "text: offline" "$tmp/out" "^cache: +offline"
expect_grep "text: time" "$tmp/out" "^time: +2080-01-01 10:00 Mon UTC\$"
run_case alice sshd - - -
expect_grep "text: groups" "$tmp/out" "^groups: +.*admins"
expect_grep "text: local origin" "$tmp/out" "^from: +local"
expect_grep "text: enrolled" "$tmp/out" "^MFA enrolled: +no\$"

# Untrusted text reaches JSON escaped and the terminal defused.
run_case dave sshd 'we"ird\host' "$(printf 'pts/\033[2J')" - --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["from"] != "we\"ird\\host" or d["tty"] != "pts/\x1b[2J")' \
	"$tmp/out" && pass "json: quotes, backslash and escape bytes round-trip" ||
	failed "json escaping" "$(cat "$tmp/out")"
run_case dave sshd 'a.example' "$(printf 'pts/\033[2J')" -
if grep -q "$(printf '\033')" "$tmp/out"; then failed "text: control bytes" "$(cat -v "$tmp/out")"
else pass "text: control bytes are not written to the terminal"; fi

# Usage errors: exit 2 and one line on stderr.
for args in "check" "check alice" "check --service sshd" "check alice bob --service sshd" \
	"check alice --service" "check alice --service sshd --bogus" \
	"check alice --service sshd --at 2027-03-01" "check alice --service sshd --at x" \
	"check alice --service=" ; do
	run --config "$conf" $args
	expect_status "usage: hostiam $args" 2
done
for at in "2027-02-30 10:00" "2027-03-01 24:00" "2027-03-01 10:60" "2027-3-01 10:00" \
	"2027-03-01 10:00:00" "1969-12-31 23:59" "2027-03-01T10:00"; do
	run --config "$conf" check alice --service sshd --at "$at"
	expect_status "usage: --at \"$at\"" 2
	expect_grep "usage: --at \"$at\" says why" "$tmp/err" "--at: "
done
run --config "$conf" check dave --service=sshd --from=10.0.0.1 --at="2027-03-01 10:00"
expect_status "--opt=value forms" 0

# Configuration errors: exit 2, FILE:LINE: KEY: MESSAGE on stderr.
sed 's|"10.0.0.0/8"|"10.1.2.3/8"|' "$conf" >"$tmp/bad.conf"
run --config "$tmp/bad.conf" check alice --service sshd
expect_status "bad configuration" 2
expect_grep "bad configuration: file and line" "$tmp/err" "^$tmp/bad.conf:[0-9]+: access.rules.*from"
run --config "$tmp/missing.conf" check alice --service sshd
expect_status "missing configuration" 2

# A state directory others may write: nothing can be decided; like pam_hostiam, check lets
# exempt accounts in and keeps everyone else out, in either mode.
mkdir -m 0700 "$tmp/insecure"
mkdir -m 0777 "$tmp/insecure/state"
sed "s|dir = \"$tmp/var\"|dir = \"$tmp/insecure\"|" "$conf" >"$tmp/insecure.conf"
sed "s|dir = \"$tmp/var\"|dir = \"$tmp/insecure\"|" "$report_conf" >"$tmp/insecure-report.conf"
for c in insecure insecure-report; do
	check_conf=$tmp/$c.conf
	run_case breakglass sshd 203.0.113.9 - - --json
	expect_status "$c state: exempt account allowed" 0
	expect_grep "$c state: rule exempt" "$tmp/out" '"decision":"allow".*"rule":"exempt"'
	run_case dave sshd 10.0.0.1 - -
	expect_status "$c state: others denied" 1
	expect_grep "$c state: rule error" "$tmp/out" "^rule: +error "
	expect_grep "$c state: says why" "$tmp/err" "cannot decide for dave: "
done
check_conf=

echo "$n JSON rows"
exit $fail
