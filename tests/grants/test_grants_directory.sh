#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# directory.grants against a real slapd with conf/hostiam-grants.schema and
# hostiam-grants-acl.conf: users add their own requests and nobody else's, only an approver
# approves, and never their own; then the one-shot sync publishes grants.cache from the
# approved entries that pass this host's elevation list, and logs each refused one with
# its DN (added by someone else, self-approved, approved by someone else than its
# approver, longer than max); the NSS module's initgroups shows the granted gid, and a
# revocation in the directory takes it away at the next sync.
. "$top_srcdir/tests/grants/grants-dir-lib.sh"
request() { # ID REQUESTER [REASON]
	printf 'dn: cn=%s,%s\nchangetype: add\nobjectClass: hostiamGrant\ncn: %s\nhostiamGrantRequester: %s\nhostiamGrantRole: admins\nhostiamGrantDuration: 3600\nhostiamGrantStatus: pending\n%s\n' \
		"$1" "$GRANTS" "$1" "$2" "${3:+hostiamGrantReason: $3}"
}
approve() { # ID APPROVER SECONDS
	local now=$(date +%s)
	printf 'dn: cn=%s,%s\nchangetype: modify\nreplace: hostiamGrantStatus\nhostiamGrantStatus: approved\n-\nreplace: hostiamGrantApprover\nhostiamGrantApprover: %s\n-\nreplace: hostiamGrantNotBefore\nhostiamGrantNotBefore: %s\n-\nreplace: hostiamGrantNotAfter\nhostiamGrantNotAfter: %s\n' \
		"$1" "$GRANTS" "$2" "$(gtime "$now")" "$(gtime $((now + $3)))"
}

# The directory's access rules.
request 1 alice INC-1 | as alice && ok "alice adds her own request" || bad "alice's request refused"
request 2 bob INC-2 | as alice; [ $? = 50 ] && ok "alice cannot ask in bob's name" || bad "alice asked for bob"
approve 1 alice 3600 | as alice; [ $? = 50 ] && ok "alice cannot approve her own request" || bad "alice approved"
approve 1 carol 3600 | as carol; [ $? = 50 ] && ok "carol (no approver) cannot approve" || bad "carol approved"
approve 1 bob 3600 | as bob && ok "bob approves" || bad "bob's approval refused"

# The agent's checks, on entries the ACL would not let through (written as the rootdn).
request 3 alice INC-3 | ldap_modify && approve 3 bob 3600 | as bob   # added by the rootdn
request 4 alice INC-4 | as alice && approve 4 alice 3600 | ldap_modify # self-approved
request 5 alice INC-5 | as alice && approve 5 bob 3600 | ldap_modify  # approved by the rootdn
request 6 alice INC-6 | as alice && approve 6 bob 36000 | as bob       # longer than max
request 7 alice | as alice && approve 7 bob 600 | as bob               # no reason
nssenv "$HOSTIAM" --config "$CONF" sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync"; }
head -1 "$T/cache/grants.cache" | grep -q '^hostiam-grants 1 1 ' && ok "one grant published" ||
	bad "grants.cache: $(cat "$T/cache/grants.cache")"
sed -n 2p "$T/cache/grants.cache" | grep -q '^1 alice 20009 ' && ok "grant 1: alice in admins (20009)" ||
	bad "grants.cache: $(cat "$T/cache/grants.cache")"
for want in "cn=3,$GRANTS.*not added by its requester" "cn=4,$GRANTS.*self-approved" \
	"cn=5,$GRANTS.*not made by its approver" "cn=6,$GRANTS.*longer than the role's max" \
	"cn=7,$GRANTS.*no reason"; do
	grep -q "grant refused dn=\"*$want" "$T/sync.err" && ok "refused and logged: $want" ||
		bad "not refused: $want: $(cat "$T/sync.err")"
done
out=$("$HOSTIAM" --config "$CONF" grants)
echo "$out" | grep -q "^1 *active *alice *admins *1h .* bob *INC-1\$" && ok "hostiam grants lists it" ||
	bad "hostiam grants: $out"
out=$(nssenv "$HOSTIAM" --config "$CONF" check alice --service sshd)
echo "$out" | grep -q "member of admins through grant 1 until .* (approved by bob: INC-1)" &&
	ok "check names the grant and its approver" || bad "check: $out"
nssenv "$top_builddir/tests/grants/initgroups_dyn" alice | grep -qx 20009 &&
	ok "initgroups: alice has admins" || bad "initgroups: $(nssenv "$top_builddir/tests/grants/initgroups_dyn" alice)"

# Revoked in the directory: gone at the next sync.
printf 'dn: cn=1,%s\nchangetype: modify\nreplace: hostiamGrantStatus\nhostiamGrantStatus: revoked\n' "$GRANTS" | as alice &&
	ok "alice gives it back" || bad "alice cannot revoke"
nssenv "$HOSTIAM" --config "$CONF" sync 2>"$T/sync.err" || fail "second sync"
head -1 "$T/cache/grants.cache" | grep -q '^hostiam-grants 1 0 ' && ok "revoked: nothing published" ||
	bad "grants.cache after revocation: $(cat "$T/cache/grants.cache")"
nssenv "$top_builddir/tests/grants/initgroups_dyn" alice | grep -qx 20009 &&
	bad "alice still has admins" || ok "initgroups: no admins after the revocation"

# While the agent follows: an approval and a revocation reach grants.cache within 2 s.
request 8 alice INC-8 | as alice || bad "request 8"
# (env directly, not through a function: AGENT_PID must be the agent, not a subshell)
env "${NSSENV[@]}" HOSTIAM_LOG_STDERR=1 "$HOSTIAM" --config "$CONF" sync --follow 2>>"$T/agent.log" &
AGENT_PID=$!
wait_for 10 'grep -q "following the grants" "$T/agent.log"' ||
	{ cat "$T/agent.log"; fail "the agent does not follow the grants"; }
start=$(now_us)
approve 8 bob 3600 | as bob || bad "approve 8"
wait_for 2 'sed -n 2p "$T/cache/grants.cache" | grep -q "^8 alice 20009 "' &&
	ok "approval published after $(( ($(now_us) - start) / 1000 )) ms" ||
	bad "approval not published within 2 s: $(cat "$T/cache/grants.cache")"
start=$(now_us)
printf 'dn: cn=8,%s\nchangetype: modify\nreplace: hostiamGrantStatus\nhostiamGrantStatus: revoked\n' "$GRANTS" | as bob ||
	bad "bob cannot revoke"
wait_for 2 'head -1 "$T/cache/grants.cache" | grep -q "^hostiam-grants 1 0 "' &&
	ok "revocation published after $(( ($(now_us) - start) / 1000 )) ms" ||
	bad "revocation not published within 2 s: $(cat "$T/cache/grants.cache")"
agent_stop 2 || bad "the agent did not stop cleanly"

[ "$FAILS" = 0 ] || fail "$FAILS case(s) failed"
echo "PASS"
