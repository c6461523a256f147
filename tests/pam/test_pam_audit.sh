#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The audit trail, read back from STATE_DIR/audit.jsonl with python3's json module: real PAM
# transactions (pam_driver, the real libpam) that allow, deny, ask for MFA and get a right
# and a wrong code, accept terms of use, use a just-in-time grant; a certification campaign
# by the real command; hostile user names, rhosts and ttys (newline, quotes, backslash,
# ESC, invalid UTF-8) that must come back exactly, as audit.h documents; rotation with a
# tiny max_size; 8 concurrent writers of 200 events each; a symlinked or loose file that is
# refused while the login is decided as before; `hostiam audit` and its filters.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }
[ -n "${OATHTOOL:-}" ] && [ -x "$OATHTOOL" ] || { echo "oathtool not found: skipped"; exit 77; }
driver=$builddir/tests/pam/pam_driver
enrol=$builddir/tests/pam/mfa_enrol
writer=$builddir/tests/pam/audit_writer
hostiam=$builddir/hostiam
for f in "$driver" "$enrol" "$writer" "$hostiam"; do
	[ -x "$f" ] || { echo "missing $f (build first)"; exit 99; }
done
check() { python3 "$here/audit-check.py" "$@"; }
root=no
if [ "$(id -u)" = 0 ]; then
	root=yes
	. "$here/../grants/grants-lib.sh" # the grant store is root's; also sets $conf and hi
fi
conf=$tmp/hostiam.conf
state=$tmp/var/state
audit=$state/audit.jsonl
mkdir -m 0755 "$tmp/terms"
echo "Use this host for work only." >"$tmp/terms/aup.txt"

# conf [AUDIT-SECTION]: the policy; one rule per situation.
conf() {
	write_config "$conf" <<CONF
${1:-}
terms = ( { name = "aup"; version = "v1"; file = "$tmp/terms/aup.txt"; } );
elevation = ( { role = "breakglass"; eligible = [ "ops" ]; approvers = [ "leads" ];
                max = "4h"; reason = "optional"; } );
access = {
  default = "deny";
  rules = (
    { name = "bob-out"; user = [ "bob" ]; action = "deny"; },
    { name = "alice-mfa"; user = [ "alice" ]; action = "mfa"; },
    { name = "dave-terms"; user = [ "dave" ]; action = "allow"; terms = "aup"; },
    { name = "break-glass"; group = [ "breakglass" ]; action = "allow"; },
    { name = "devs"; group = [ "devs", "contractors" ]; action = "allow"; }
  );
};
CONF
}
conf
mkdir -p "$tmp/pam.d"
printf 'auth required %s config=%s\naccount required %s config=%s\n' \
	"$module" "$conf" "$module" "$conf" >"$tmp/pam.d/sshd"
secret=JBSWY3DPEHPK3PXPGEZDGNBVGY3TQOJZ
"$enrol" "$conf" local alice "$secret" || failed "enrol alice" ""

# pam ARGS...: the driver; its output in $tmp/pout.
pam() { LD_PRELOAD="$preload" "$driver" "$@" >"$tmp/pout" 2>&1 || failed "driver ran: $*" "$(cat "$tmp/pout")"; }
# expect_pam WHAT WANT ARGS...: the driver's results.
expect_pam() {
	what=$1 want=$2
	shift 2
	pam "$@"
	check_output "$what" "$want" "$(grep -E '^(auth|account): ' "$tmp/pout")"
}
# count WHAT N KEY=VALUE...: exactly N events of the file match.
count() {
	what=$1 want=$2
	shift 2
	check_output "$what" "$want" "$(check count "$audit" "$@" 2>&1)"
}
# code: alice's TOTP code, with at least 8 s left in its step.
code() {
	s=$(($(date +%s) % 30))
	[ "$s" -lt 22 ] || sleep $((30 - s))
	"$OATHTOOL" --totp -b -d 6 -s 30 "$secret"
}

# --- real logins --------------------------------------------------------------------------
R=203.0.113.7
expect_pam "carol allowed" "auth: PAM_SUCCESS
account: PAM_SUCCESS" -r $R -t pts/3 "$tmp/pam.d" sshd carol auth account
expect_pam "bob denied" "account: PAM_PERM_DENIED" -r $R "$tmp/pam.d" sshd bob account
expect_pam "alice, right code" "auth: PAM_SUCCESS
account: PAM_SUCCESS" -r $R -a "$(code)" "$tmp/pam.d" sshd alice auth account
expect_pam "alice, wrong code" "auth: PAM_AUTH_ERR" -r $R -a 000000 "$tmp/pam.d" sshd alice auth
expect_pam "dave accepts the terms" "auth: PAM_SUCCESS
account: PAM_SUCCESS" -r $R -a accept "$tmp/pam.d" sshd dave auth account

out=$(check valid "$audit" 2>&1) && pass "every line is valid JSON" ||
	failed "every line is valid JSON" "$out"
check_output "the file is 0600" "600" "$(stat -c %a "$audit")"
count "carol: two allow decisions (auth, account)" 2 event=decision user=carol decision=allow \
	rule=devs rhost=$R tty=pts/3 service=sshd factors=
count "bob: one deny decision" 1 event=decision user=bob decision=deny rule=bob-out
count "alice: mfa ok with totp" 1 event=mfa user=alice decision=mfa result=ok factors=totp \
	rule=alice-mfa
count "alice: account's decision carries the factors met in auth" 1 event=decision user=alice \
	decision=mfa factors=totp
count "alice: mfa wrong, no factor" 1 event=mfa user=alice result=wrong factors=
count "dave: terms accepted" 1 event=terms user=dave terms=aup version=v1 result=accepted \
	decision=allow
count "no rhost: null" 0 rhost=null
if grep -qF "$(code)" "$audit" 2>/dev/null; then failed "no code in the file" ""
else pass "no code in the file"; fi

# --- a just-in-time grant, a certification campaign (the commands need root) ---------------
if [ "$root" = yes ]; then
	hi localop request breakglass --for 1h >/dev/null && hi bob approve 1 >/dev/null ||
		failed "grant requested and approved" ""
	expect_pam "localop in through grant 1" "account: PAM_SUCCESS" -r $R "$tmp/pam.d" sshd \
		localop account
	count "the decision names the grant" 1 event=decision user=localop grant=1 \
		rule=break-glass decision=allow
	count "a grant event" 1 event=grant user=localop grant=1 rule=break-glass

	certify() { LD_PRELOAD="$preload" "$hostiam" --config "$conf" certify "$@" >"$tmp/cout" 2>&1; }
	certify start --reviewer localop --service sshd || failed "certify start" "$(cat "$tmp/cout")"
	printf '[ { "user": "carol", "decision": "keep", "note": "on call\\n\\u001b[2J \\"x\\"" },\n  { "user": "alice", "decision": "revoke" } ]\n' >"$tmp/d.json"
	certify decide "$tmp/d.json" || failed "certify decide" "$(cat "$tmp/cout")"
	printf 'localop,keep\n' >"$tmp/self.csv"
	certify decide "$tmp/self.csv" && failed "self-certification refused" ""
	certify close || failed "certify close" "$(cat "$tmp/cout")"
	note=$(printf 'on call\n\033[2J "x"')
	export note
	count "certify: carol kept, the note exact" 1 event=certify user=carol decision=keep \
		result=decided reviewer=localop campaign=1 note=@note
	count "certify: alice revoked" 1 event=certify user=alice decision=revoke result=decided
	count "certify: closed decisions" 2 event=certify result=closed campaign=1
	count "certify: self-certification refused" 1 event=certify user=localop result=refused-self
	count "certify: the campaign closed" 1 event=certify result=campaign-closed user=null \
		reviewer=localop
	if grep -q '"reason":"kept=1 revoked=1 undecided=[0-9]*".*"result":"campaign-closed"' "$audit"; then
		pass "certify: the counts of the closed campaign"
	else failed "certify: the counts of the closed campaign" "$(grep campaign-closed "$audit")"; fi
else
	echo "not root: the grant and certify events are not checked"
fi

# --- hostile values come back exactly ------------------------------------------------------
evil_user=$(printf 'ev\nil"\\\033[2J\377\300\257x')
evil_rhost=$(printf '10.0.0.1\n{"user":"root"}\033]0;t\007\376')
evil_tty=$(printf 'pts/1"\\\n\r\302')
export evil_user evil_rhost evil_tty
expect_pam "a hostile user name: denied" "account: PAM_USER_UNKNOWN" -r "$evil_rhost" \
	-t "$evil_tty" "$tmp/pam.d" sshd "$evil_user" account
expect_pam "a hostile rhost and tty on a known user" "account: PAM_SUCCESS" -r "$evil_rhost" \
	-t "$evil_tty" "$tmp/pam.d" sshd carol account
out=$(check valid "$audit" 2>&1) && pass "still every line valid JSON" ||
	failed "still every line valid JSON" "$out"
count "the hostile user, rhost and tty exact" 1 event=decision user=@evil_user \
	rhost=@evil_rhost tty=@evil_tty decision=deny
count "the hostile rhost and tty for carol" 1 event=decision user=carol rhost=@evil_rhost \
	tty=@evil_tty
if grep -q "$(printf '\033')" "$audit"; then failed "no raw ESC in the file" ""
else pass "no raw ESC in the file"; fi

# --- hostiam audit: the same events, filtered ----------------------------------------------
# haudit ARGS...: the command; stdout in $tmp/a.out, stderr in $tmp/a.err, status in $ast.
haudit() {
	ast=0
	"$hostiam" --config "$conf" audit "$@" >"$tmp/a.out" 2>"$tmp/a.err" || ast=$?
}
# jcount: the number of events in the JSON array of $tmp/a.out.
jcount() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/a.out"; }
haudit --user carol --event decision --json
check_output "audit --user carol --event decision: exit 0" 0 "$ast"
check_output "audit --user carol --event decision: as many as in the file" \
	"$(check count "$audit" event=decision user=carol)" "$(jcount)"
haudit --decision deny --json
check_output "audit --decision deny: as many as in the file" \
	"$(check count "$audit" decision=deny)" "$(jcount)"
haudit --since 1h --json
check_output "audit --since 1h: every event" "$(wc -l <"$audit")" "$(jcount)"
haudit --since "2099-01-01 00:00"
check_output "audit --since a future time: exit 1" 1 "$ast"
check_output "audit --since a future time: nothing printed" "" "$(cat "$tmp/a.out")"
haudit --until 1h
check_output "audit --until an hour ago: exit 1" 1 "$ast"
haudit --user "$evil_user" --json
check_output "audit --user HOSTILE: one event" 1 "$(jcount)"
out=$(python3 -c '
import json, os, sys
e = json.load(open(sys.argv[1]))[0]
raw = os.environb[b"evil_rhost"].decode("utf-8", "surrogateescape")
want = "".join(chr(ord(c) - 0xDC00) if 0xDC80 <= ord(c) <= 0xDCFF else c for c in raw)
print("ok" if e["rhost"] == want and e["factors"] == [] and e["grant"] is None else e)' "$tmp/a.out")
check_output "audit --json: the hostile rhost exact, types kept" ok "$out"
haudit --user alice
check_output "audit table: exit 0" 0 "$ast"
check_output "audit table: a header and one row per event" \
	"$(($(check count "$audit" user=alice) + 1))" "$(wc -l <"$tmp/a.out")"
if grep -q 'mfa .*alice .*sshd .*203.0.113.7 .*alice-mfa .*mfa .*totp .*ok' "$tmp/a.out"; then
	pass "audit table: who, from where, by which rule, with which factors"
else failed "audit table: who, from where, by which rule, with which factors" "$(cat "$tmp/a.out")"; fi
haudit --user "$evil_user"
if grep -q "$(printf '\033')" "$tmp/a.out"; then failed "audit table: no raw ESC" "$(cat "$tmp/a.out")"
else pass "audit table: no raw ESC"; fi
check_output "audit table: the hostile row on one line" 2 "$(wc -l <"$tmp/a.out")"
haudit --event login
check_output "audit --event unknown: usage" 2 "$ast"
haudit --since yesterday
check_output "audit --since garbage: usage" 2 "$ast"
printf 'not json\n{"time":"x","event":"decision"}\n' >>"$audit"
haudit --user carol --json
check_output "malformed lines: still exit 0" 0 "$ast"
if grep -q "$audit:$(($(wc -l <"$audit") - 1)): not an audit event, skipped" "$tmp/a.err" &&
	grep -q "2 malformed lines skipped" "$tmp/a.err"; then
	pass "malformed lines: named and counted"
else failed "malformed lines: named and counted" "$(cat "$tmp/a.err")"; fi
head -n -2 "$audit" >"$tmp/clean" && cat "$tmp/clean" >"$audit"
cp "$conf" "$tmp/good.conf"
sed 's/name = "devs"; group/name = "devs"; groupp/' "$tmp/good.conf" >"$conf"
haudit --user bob --json
check_output "a broken rule elsewhere: audit still reads the trail" \
	"0 $(check count "$audit" user=bob)" "$ast $(jcount)"
if grep -q 'access.rules.\[4\].groupp: unknown key' "$tmp/a.err"; then pass "the mistake is shown"
else failed "the mistake is shown" "$(cat "$tmp/a.err")"; fi
cp "$tmp/good.conf" "$conf"
if [ "$root" = yes ]; then
	pub=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-pub.XXXXXX")
	chmod 0755 "$pub"
	cp "$conf" "$pub/hostiam.conf"
	chmod 0644 "$pub/hostiam.conf"
	st=0
	setpriv --reuid=65534 --regid=65534 --clear-groups "$hostiam" --config "$pub/hostiam.conf" \
		audit >"$tmp/a.out" 2>"$tmp/a.err" || st=$?
	rm -rf "$pub"
	check_output "not root: exit 2" 2 "$st"
	if grep -q "cannot read $audit: Permission denied (the audit trail is root's" "$tmp/a.err"
	then pass "not root: says which file and why"
	else failed "not root: says which file and why" "$(cat "$tmp/a.err")"; fi
fi

# --- a refused file: not written, the login decided as before ------------------------------
lines_before=$(wc -l <"$audit")
mv "$audit" "$tmp/kept.jsonl"
ln -s "$tmp/kept.jsonl" "$audit"
: >"$log"
expect_pam "symlinked file: carol still allowed" "account: PAM_SUCCESS" "$tmp/pam.d" sshd \
	carol account
expect_pam "symlinked file: bob still denied" "account: PAM_PERM_DENIED" "$tmp/pam.d" sshd \
	bob account
check_output "symlinked file: nothing written through it" "$lines_before" \
	"$(wc -l <"$tmp/kept.jsonl")"
if grep -q "audit event not written to $state/audit.jsonl" "$log"; then
	pass "symlinked file: the failure logged"
else failed "symlinked file: the failure logged" "$(cat "$log")"; fi
rm "$audit"
mv "$tmp/kept.jsonl" "$audit"
chmod 0644 "$audit"
expect_pam "loose file: carol still allowed" "account: PAM_SUCCESS" "$tmp/pam.d" sshd carol \
	account
check_output "loose file: nothing written" "$lines_before" "$(wc -l <"$audit")"
chmod 0600 "$audit"
chmod 0755 "$state"
expect_pam "loose directory: bob still denied" "account: PAM_PERM_DENIED" "$tmp/pam.d" sshd \
	bob account
check_output "loose directory: nothing written" "$lines_before" "$(wc -l <"$audit")"
chmod 0700 "$state"
expect_pam "fixed: written again" "account: PAM_SUCCESS" "$tmp/pam.d" sshd carol account
check_output "fixed: one more line" "$((lines_before + 1))" "$(wc -l <"$audit")"

# --- concurrent writers, with rotation on the way ------------------------------------------
cp "$audit" "$tmp/logins.jsonl"
conf 'audit = { max_size = "16K"; keep = 99; journal = false; };'
rm -f "$state"/audit.jsonl*
i=0
while [ $i -lt 8 ]; do
	"$writer" "$conf" "w$i" 200 &
	i=$((i + 1))
done
wait
files=$(ls "$state"/audit.jsonl*)
out=$(check valid $files 2>&1) && pass "concurrent: every line valid" ||
	failed "concurrent: every line valid" "$out"
check_output "concurrent: 8 x 200 events, none lost" 1600 "$(cat $files | wc -l)"
check_output "concurrent: rotated on the way" yes "$([ -f "$state/audit.jsonl.2" ] && echo yes)"
check_output "concurrent: each writer's events all there" "200 200 200 200 200 200 200 200" \
	"$(for i in 0 1 2 3 4 5 6 7; do cat $files | grep -c "\"user\":\"w$i\""; done | tr '\n' ' ' |
		sed 's/ $//')"

# --- rotation keeps .1 .. .keep and nothing beyond -----------------------------------------
conf 'audit = { max_size = "2K"; keep = 3; };'
rm -f "$state"/audit.jsonl*
"$writer" "$conf" rot 100 || failed "writer ran" ""
for n in 1 2 3; do
	[ -s "$state/audit.jsonl.$n" ] && pass "rotated file .$n" || failed "rotated file .$n" ""
done
check_output "nothing beyond keep" "" "$(ls "$state" | grep -E 'audit\.jsonl\.([4-9]|[0-9][0-9])$')"
out=$(check valid "$state"/audit.jsonl* 2>&1) && pass "rotated: every line valid" ||
	failed "rotated: every line valid" "$out"
big=$(find "$state" -name 'audit.jsonl*' -size +2k)
check_output "no file past max_size" "" "$big"
check_output "the newest events kept" "rot w99" \
	"$(tail -n 1 "$audit" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["user"], e["rule"])')"

[ "$fail" -eq 0 ] && echo "all audit checks passed"
exit "$fail"
