#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam review in all three formats, parsed back (python3 json and csv, the text table by
# its column positions); every cell agrees with hostiam check at the same time; report
# mode, --service, a missing cache, usage and configuration errors.
set -u
. "${top_srcdir:-.}/tests/cli/cli-lib.sh"
stamp=$(date -d "@$now" +'%Y-%m-%d %H:%M')

# JSON now: who is listed, from where, with what, and the cells the policy says.
run --config "$conf" review --format json --at "$stamp"
expect_status "review --format json" 0
cp "$tmp/out" "$tmp/review.json"
python3 - "$tmp/review.json" "$now" "$conf" <<'PY' || fail=1
import json, sys
doc = json.load(open(sys.argv[1]))
now, conf = int(sys.argv[2]), sys.argv[3]
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, want %r" % (what, got, exp))
want("mode", doc["mode"], "enforce")
want("config", doc["config"], conf)
want("services", doc["services"], ["sshd", "sudo", "login"])
want("remote origin", doc["remote_origin"], "203.0.113.1")
want("stale_days", doc["stale_days"], 90)
want("exempt", doc["exempt"], ["root", "breakglass"])
want("cache state", doc["cache"]["state"], "current")
want("cache sync", doc["cache"]["sync_time"], 1767225600)
want("default", doc["default"], "deny")
users = {u["name"]: u for u in doc["users"]}
want("users", [u["name"] for u in doc["users"]],
     ["alice", "bob", "breakglass", "carol", "dave", "erin", "localop", "mallory"])
for name, uid, src in (("alice", 1001, "directory"), ("localop", 1500, "local"),
                       ("breakglass", 1600, "local"), ("mallory", 1006, "directory")):
    want(name + " uid", users[name]["uid"], uid)
    want(name + " source", users[name]["source"], src)
want("alice groups", sorted(users["alice"]["groups"]), ["admins", "alice", "staff"])
want("localop groups", sorted(users["localop"]["groups"]), ["localop", "ops"])
want("erin last login", users["erin"]["last_login"], 1748779200)
want("erin last login utc", users["erin"]["last_login_utc"], "2025-06-01T12:00:00Z")
want("erin days", users["erin"]["days_inactive"], (now - 1748779200) // 86400)
want("alice days", users["alice"]["days_inactive"], 2)
want("bob last login", users["bob"]["last_login"], None)
want("bob days", users["bob"]["days_inactive"], None)
for name, u in users.items():
    flags = {"erin": ["stale"], "breakglass": ["exempt"]}.get(name, [])
    # Nobody in the fixture has enrolled: whoever some rule asks for MFA is flagged.
    if any(c["policy_decision"] == "mfa" for svc in u["decisions"].values() for c in svc.values()):
        flags.append("no-mfa-but-mfa-required")
    want(name + " flags", u["flags"], flags)
    want(name + " enrolled", u["mfa_enrolled"], False)
    want(name + " error", u["error"], None)
def cell(name, svc, origin):
    c = users[name]["decisions"][svc][origin]
    return c["policy_decision"], c["rule"]
want("alice sshd remote", cell("alice", "sshd", "remote"), ("mfa", "remote-staff"))
want("alice sudo local", cell("alice", "sudo", "local"), ("mfa", "sudo-step-up"))
want("alice login local (no tty)", cell("alice", "login", "local"), ("deny", "default"))
want("bob sudo remote", cell("bob", "sudo", "remote"), ("deny", "default"))
want("erin sshd remote", cell("erin", "sshd", "remote"), ("deny", "stale"))
want("mallory sshd local", cell("mallory", "sshd", "local"), ("deny", "banned"))
want("dave sshd remote", cell("dave", "sshd", "remote"), ("deny", "default"))
for svc in ("sshd", "sudo", "login"):
    for origin in ("remote", "local"):
        want("breakglass " + svc, cell("breakglass", svc, origin), ("allow", "exempt"))
for u in doc["users"]:
    for svc, cells in u["decisions"].items():
        for origin, c in cells.items():
            want("enforce: decision is the policy's", c["decision"], c["policy_decision"])
for b in bad:
    print("FAIL: review json: " + b)
print("ok: review json parsed, %d users" % len(users))
sys.exit(1 if bad else 0)
PY

# Every cell is what hostiam check says for that user, service and origin at that time.
cross_check() {
	run --config "$conf" review --format json --at "$1"
	cp "$tmp/out" "$tmp/cross.json"
	python3 -c 'import json,sys
for u in json.load(open(sys.argv[1]))["users"]:
    for s, cells in u["decisions"].items():
        for o, c in cells.items():
            print(u["name"], s, o, c["policy_decision"], c["rule"])' "$tmp/cross.json" >"$tmp/cells"
	mismatches=0
	while read -r u s o d r; do
		from=-
		[ "$o" = local ] || from=203.0.113.1
		run_case "$u" "$s" "$from" - "$(echo "$1" | tr ' ' T)" --json
		got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["policy_decision"], d["rule"])' "$tmp/out")
		if [ "$got" != "$d $r" ]; then
			failed "review = check: $u $s $o at $1" "  review: $d $r, check: $got"
			mismatches=$((mismatches + 1))
		fi
	done <"$tmp/cells"
	[ $mismatches -ne 0 ] || pass "review = check for all $(wc -l <"$tmp/cells") cells at $1"
}
cross_check "$stamp"
cross_check "2027-03-01 10:00"
cross_check "2027-03-01 23:30"
cross_check "2080-01-01 10:00"

# CSV: RFC 4180, a header row, the same rows as JSON; a rule name that needs quoting.
sed 's|name = "remote-staff"|name = "remote, \\"staff\\""|' "$conf" >"$tmp/quoted.conf"
run --config "$tmp/quoted.conf" review --format csv --at "$stamp"
expect_status "review --format csv" 0
python3 - "$tmp/out" "$tmp/review.json" <<'PY' || fail=1
import csv, json, sys
raw = open(sys.argv[1], newline="").read()
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
doc = json.load(open(sys.argv[2]))
bad = []
if not raw.endswith("\r\n") or "\n" in raw.replace("\r\n", ""):
    bad.append("records must end with CRLF")
header = raw.split("\r\n")[0].split(",")
exp = ["user", "uid", "source", "groups", "mfa_enrolled", "last_login", "days_inactive", "flags"]
for s in ("sshd", "sudo", "login"):
    exp += [s + "_remote", s + "_remote_rule", s + "_local", s + "_local_rule"]
if header != exp:
    bad.append("header %s" % header)
if [r["user"] for r in rows] != [u["name"] for u in doc["users"]]:
    bad.append("users %s" % [r["user"] for r in rows])
for r, u in zip(rows, doc["users"]):
    if int(r["uid"]) != u["uid"] or r["source"] != u["source"]:
        bad.append("%s uid/source" % u["name"])
    if sorted(r["groups"].split()) != sorted(u["groups"]):
        bad.append("%s groups %r" % (u["name"], r["groups"]))
    if r["flags"].split() != u["flags"] or r["mfa_enrolled"] != "no":
        bad.append("%s flags/enrolled" % u["name"])
    if r["days_inactive"] != ("" if u["days_inactive"] is None else str(u["days_inactive"])):
        bad.append("%s days_inactive %r" % (u["name"], r["days_inactive"]))
    if r["last_login"] != (u["last_login_utc"] or ""):
        bad.append("%s last_login %r" % (u["name"], r["last_login"]))
    for s in ("sshd", "sudo", "login"):
        for o in ("remote", "local"):
            c = u["decisions"][s][o]
            rule = 'remote, "staff"' if c["rule"] == "remote-staff" else c["rule"]
            if r[s + "_" + o] != c["policy_decision"] or r[s + "_" + o + "_rule"] != rule:
                bad.append("%s %s %s: %r %r" % (u["name"], s, o, r[s + "_" + o], r[s + "_" + o + "_rule"]))
for b in bad:
    print("FAIL: review csv: " + b)
print("ok: review csv parsed, %d rows" % len(rows))
sys.exit(1 if bad else 0)
PY

# Text: the header an auditor needs, and every value under its column heading.
run --config "$conf" review --at "$stamp"
expect_status "review (text)" 0
expect_grep "text: host" "$tmp/out" "^host: +$(hostname)\$"
expect_grep "text: time" "$tmp/out" "^time: +$stamp "
expect_grep "text: config" "$tmp/out" "^config: +$conf\$"
expect_grep "text: mode" "$tmp/out" "^mode: +enforce, default deny, 10 rules, exempt: root breakglass\$"
expect_grep "text: origins" "$tmp/out" "^origins: +remote = from 203.0.113.1 .*local = no remote host"
expect_grep "text: stale" "$tmp/out" "^stale: .* 90 or more days"
python3 - "$tmp/out" <<'PY' || fail=1
import re, sys
lines = open(sys.argv[1]).read().split("\n")
hi = next(i for i, l in enumerate(lines) if l.startswith("USER "))
head = lines[hi]
names = ["USER", "UID", "SOURCE", "sshd", "sudo", "login", "MFA", "LAST LOGIN", "INACTIVE", "FLAGS", "GROUPS"]
starts = [head.index(n) for n in names]
rows = {}
for l in lines[hi + 1:]:
    if not l.strip():
        break
    cols = [l[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
    for a in starts[1:]:
        if l[a - 1] != " ":
            print("FAIL: review text: misaligned row %r" % l)
            sys.exit(1)
    rows[cols[0]] = dict(zip(names, cols))
bad = []
def want(u, col, v):
    if rows.get(u, {}).get(col) != v:
        bad.append("%s %s: %r, want %r" % (u, col, rows.get(u, {}).get(col), v))
want("alice", "UID", "1001"); want("alice", "SOURCE", "directory")
want("alice", "sshd", "mfa/mfa"); want("alice", "sudo", "mfa/mfa"); want("alice", "login", "deny/deny")
want("alice", "MFA", "no"); want("alice", "INACTIVE", "2")
want("alice", "FLAGS", "no-mfa-but-mfa-required")
want("alice", "GROUPS", "alice,admins,staff")
want("erin", "LAST LOGIN", "2025-06-01 12:00"); want("erin", "FLAGS", "stale")
want("erin", "sshd", "deny/deny")
want("breakglass", "SOURCE", "local"); want("breakglass", "FLAGS", "exempt")
want("breakglass", "sudo", "allow/allow"); want("breakglass", "LAST LOGIN", "-")
want("localop", "UID", "1500"); want("mallory", "sshd", "deny/deny")
if sorted(rows) != ["alice", "bob", "breakglass", "carol", "dave", "erin", "localop", "mallory"]:
    bad.append("rows %s" % sorted(rows))
if "8 users" not in lines:
    bad.append("no '8 users' footer")
for b in bad:
    print("FAIL: review text: " + b)
print("ok: review text table parsed by column, %d rows" % len(rows))
sys.exit(1 if bad else 0)
PY

# Report mode: the policy's decisions are shown, none is enforced.
run --config "$report_conf" review --format json --at "$stamp"
expect_status "review in report mode" 0
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
cells = [c for u in d["users"] for s in u["decisions"].values() for c in s.values()]
ok = d["mode"] == "report" and all(c["decision"] == "allow" for c in cells) and \
     any(c["policy_decision"] == "deny" for c in cells)
sys.exit(0 if ok else 1)' "$tmp/out" && pass "report mode: decision allow, policy_decision kept" ||
	failed "report mode json" "$(cat "$tmp/out")"
run --config "$report_conf" review --at "$stamp"
expect_grep "report mode: text says so" "$tmp/out" "report mode: none is enforced"

# --service picks the columns.
run --config "$conf" review --service su --service=sshd --format json
expect_status "review --service" 0
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["services"] == ["su", "sshd"] and all(list(u["decisions"]) == ["su", "sshd"] for u in d["users"]) else 1)' \
	"$tmp/out" && pass "--service su --service sshd" || failed "--service" "$(cat "$tmp/out")"

# No cache: directory users are not there; local accounts still are.
sed "s|dir = \"$tmp/var\"|dir = \"$tmp/nocache\"|" "$conf" >"$tmp/nocache.conf"
mkdir -m 0700 "$tmp/nocache"
status=0
"$wrap" "$tmp/nocache/nss.cache" "$hostiam" --config "$tmp/nocache.conf" review --format json \
	>"$tmp/out" 2>"$tmp/err" || status=$?
expect_status "review without a cache" 0
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["cache"]["state"] == "unavailable" and [u["name"] for u in d["users"]] == ["breakglass", "localop"] else 1)' \
	"$tmp/out" && pass "no cache: unavailable, local accounts only" || failed "no cache" "$(cat "$tmp/out")"

# An insecure state directory: every cell fails closed, exempt accounts still allowed.
mkdir -m 0700 "$tmp/insecure"
mkdir -m 0777 "$tmp/insecure/state"
sed "s|dir = \"$tmp/var\"|dir = \"$tmp/insecure\"|" "$conf" >"$tmp/insecure.conf"
cp "$tmp/var/nss.cache" "$tmp/insecure/nss.cache"
run --config "$tmp/insecure.conf" review --format json
expect_status "review, insecure state directory" 0
expect_grep "review, insecure state: one line per account on stderr" "$tmp/err" "^hostiam: review: dave: error: "
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
u = {x["name"]: x for x in d["users"]}
cells = lambda n: [c for s in u[n]["decisions"].values() for c in s.values()]
ok = all(c["decision"] == "allow" and c["rule"] == "exempt" for c in cells("breakglass")) and      all(c["decision"] == "deny" and c["rule"] == "error" for c in cells("dave")) and      u["dave"]["error"].startswith("error: ")
sys.exit(0 if ok else 1)' "$tmp/out" && pass "review, insecure state: fails closed like pam_hostiam" ||
	failed "review, insecure state" "$(cat "$tmp/out")"

# Usage and configuration errors exit 2.
for args in "review --format xml" "review --bogus" "review --service" "review --format" \
	"review --at tomorrow" "review alice"; do
	run --config "$conf" $args
	expect_status "usage: hostiam $args" 2
done
sed 's|inactive_days = 90|inactive_days = 0|' "$conf" >"$tmp/bad.conf"
run --config "$tmp/bad.conf" review
expect_status "review: bad configuration" 2
expect_grep "review: bad configuration names file and line" "$tmp/err" "^$tmp/bad.conf:[0-9]+: .*inactive_days"
exit $fail
