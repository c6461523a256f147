#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# hostiam request / approve / deny / revoke with directory.grants, against a real slapd
# with the grants' schema and ACL: each user binds with their own directory password
# (--password-fd here; the terminal otherwise), the rules of local mode refuse first with
# local mode's words, the directory's refusals are reported as such, and the agents (sync,
# sync --follow within 2 s) publish what the commands wrote. The password is never in a
# command line, an environment or the log.
# (the commands run as root, as through sudo: SUDO_UID names the user)
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: not root: the grant commands need root (sudo)"
	exit 77
fi
. "$top_srcdir/tests/grants/grants-dir-lib.sh"
SHIM=$top_builddir/tests/pam/.libs/syslog_shim.so
[ -f "$SHIM" ] || fail "no $SHIM"
SYSLOG=$T/syslog
: >"$SYSLOG"
nssenv "$HOSTIAM" --config "$CONF" sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync"; }
declare -A UID_OF=([alice]=10001 [bob]=10002 [carol]=10003)

# hi USER PASSWORD ARGS...: hostiam as USER through "sudo", PASSWORD on file descriptor 3.
hi() {
	local u=$1 pw=$2
	shift 2
	env "${NSSENV[@]}" LD_PRELOAD="$nss_wrapper $SHIM" HOSTIAM_TEST_SYSLOG="$SYSLOG" \
		SUDO_UID="${UID_OF[$u]}" SUDO_USER="$u" "$HOSTIAM" --config "${HCONF:-$CONF}" "$@" \
		3<<<"$pw" 2>&1
}
# expect_out WHAT EXIT PATTERN OUTPUT-AND-STATUS
expect_out() {
	case "$3" in
	"$2:"*$4*) ok "$1" ;;
	*) bad "$1: $3" ;;
	esac
}
entries() { ldapsearch -x -LLL -H "ldap://127.0.0.1:$LDAP_PORT" -b "$GRANTS" -s one cn | grep -c '^cn:'; }

# Refused before anything is asked or written.
out=$(hi alice x request admins --for 9h --reason INC-1 </dev/null); r=$?
expect_out "longer than max: refused locally" 1 "$r:$out" "refused: admins may be granted for at most 4h"
out=$(hi carol x request admins --for 1h --reason INC-1 --password-fd 3); r=$?
expect_out "carol not eligible" 1 "$r:$out" "refused: carol is not eligible for admins"
out=$(hi alice x request admins --for 1h); r=$?
expect_out "no reason" 1 "$r:$out" "refused: a reason is required for admins (--reason)"
out=$(setsid -w env "${NSSENV[@]}" SUDO_UID=10001 SUDO_USER=alice "$HOSTIAM" --config "$CONF" \
	request admins --for 1h --reason INC-1 </dev/null 2>&1); r=$?
expect_out "no terminal, no --password-fd" 1 "$r:$out" "no terminal to ask alice's directory password on"
out=$(hi alice 'Wrong-Pw-5x' request admins --for 1h --reason INC-1 --password-fd 3); r=$?
expect_out "wrong password refused" 1 "$r:$out" "refused: the directory refused alice's password"
[ "$(entries)" = 0 ] && ok "nothing written" || bad "entries after refusals: $(entries)"

# Requested, refused to the wrong deciders, approved, published.
out=$(hi alice pw-alice-123 request admins --for 1h --reason INC-1 --password-fd 3); r=$?
expect_out "alice requests" 0 "$r:$out" "waiting for approval"
ID=$(echo "$out" | sed -n 's/^request \([0-9]*\): admins for 1h, waiting for approval$/\1/p')
[ -n "$ID" ] && ok "request id $ID" || fail "no request id in: $out"
out=$(hi alice pw-alice-123 request admins --for 2h --reason INC-1b --password-fd 3); r=$?
expect_out "a second open request refused" 1 "$r:$out" "refused: alice already has a pending or active grant of admins"
out=$(hi alice pw-alice-123 approve "$ID" --password-fd 3); r=$?
expect_out "alice cannot approve her own" 1 "$r:$out" "refused: alice cannot decide their own request"
out=$(hi carol pw-carol-123 approve "$ID" --password-fd 3); r=$?
expect_out "carol (no approver) refused" 1 "$r:$out" "refused: carol is not an approver of admins"
out=$(hi bob 'Wrong-Pw-6y' approve "$ID" --password-fd 3); r=$?
expect_out "bob's wrong password refused" 1 "$r:$out" "the directory refused bob's password"
out=$(HCONF=$T/staff.conf; sed 's/approvers = "leads"/approvers = "staff"/' "$CONF" >"$HCONF"
	hi carol pw-carol-123 approve "$ID" --password-fd 3); r=$?
expect_out "carol, approver here but not in the directory's ACL" 1 "$r:$out" \
	"the directory refused: Insufficient access"
out=$(hi bob pw-bob-123 approve "$ID" --password-fd 3); r=$?
expect_out "bob approves" 0 "$r:$out" "grant $ID approved: alice is a member of admins until"
nssenv "$HOSTIAM" --config "$CONF" sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync"; }
grep -q "^$ID alice 20009 " "$T/cache/grants.cache" && ok "sync publishes grant $ID" ||
	bad "grants.cache: $(cat "$T/cache/grants.cache") $(cat "$T/sync.err")"
out=$("$HOSTIAM" --config "$CONF" grants)
echo "$out" | grep -q "^$ID *active *alice *admins *1h .* bob *INC-1\$" && ok "hostiam grants lists it" ||
	bad "hostiam grants: $out"
out=$(hi bob pw-bob-123 deny "$ID" --password-fd 3); r=$?
expect_out "approved grant not deniable" 1 "$r:$out" "refused: grant $ID is active, not pending"

# While the agent follows: an approval and a revocation reach grants.cache within 2 s.
env "${NSSENV[@]}" HOSTIAM_LOG_STDERR=1 "$HOSTIAM" --config "$CONF" sync --follow 2>>"$T/agent.log" &
AGENT_PID=$!
wait_for 10 'grep -q "following the grants" "$T/agent.log"' ||
	{ cat "$T/agent.log"; fail "the agent does not follow the grants"; }
out=$(hi alice pw-alice-123 revoke "$ID" --password-fd 3); r=$?
expect_out "alice revokes" 0 "$r:$out" "grant $ID revoked"
start=$(now_us)
wait_for 2 '! grep -q "^$ID " "$T/cache/grants.cache"' &&
	ok "revocation published after $((($(now_us) - start) / 1000)) ms" ||
	bad "revocation not published within 2 s: $(cat "$T/cache/grants.cache")"
out=$(hi alice pw-alice-123 request admins --for 30m --reason INC-2 --password-fd 3)
ID2=$(echo "$out" | sed -n 's/^request \([0-9]*\): .*/\1/p')
[ -n "$ID2" ] || bad "second request: $out"
out=$(hi bob pw-bob-123 approve "$ID2" --password-fd 3) || bad "approve $ID2: $out"
start=$(now_us)
wait_for 2 'grep -q "^$ID2 alice 20009 " "$T/cache/grants.cache"' &&
	ok "approval published after $((($(now_us) - start) / 1000)) ms" ||
	bad "approval not published within 2 s: $(cat "$T/cache/grants.cache")"
agent_stop 2 || bad "the agent did not stop cleanly"

# The password, read from its descriptor, in no command line or environment while the
# command waits for a frozen slapd; in no log line and no output.
kill -STOP "$SLAPD_PID"
hi bob pw-bob-123 revoke "$ID2" --password-fd 3 >"$T/revoke.out" &
cpid=$!
# (cpid is the subshell of hi: look for hostiam itself)
running() {
	for f in /proc/[0-9]*/cmdline; do
		tr "\\0" " " 2>/dev/null <"$f" | grep -q " revoke $ID2 --password-fd 3 $" && return 0
	done
	return 1
}
wait_for 2 running || bad "revoke not running"
sleep 0.3
leaks=
for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do
	grep -qaF -e "pw-bob-123" "$f" 2>/dev/null && leaks="$leaks $f"
done
[ -z "$leaks" ] && ok "password in no /proc/*/cmdline or environ" || bad "password in$leaks"
kill -CONT "$SLAPD_PID"
wait "$cpid" && grep -q "grant $ID2 revoked" "$T/revoke.out" && ok "bob revokes" ||
	bad "bob's revoke: $(cat "$T/revoke.out")"
grep -q "grant approve: id=$ID user=alice role=admins for=1h by=bob" "$SYSLOG" &&
	ok "the approval is logged" || bad "syslog: $(cat "$SYSLOG")"
for pw in pw-alice-123 pw-bob-123 pw-carol-123 Wrong-Pw-5x Wrong-Pw-6y; do
	grep -qF -e "$pw" "$SYSLOG" "$T/revoke.out" && bad "'$pw' logged or shown"
done
ok "no password in the log"

# The directory out of reach: a clear message within directory.timeout.
sed "s|ldap://127.0.0.1:$LDAP_PORT|ldap://127.0.0.1:1|" "$CONF" >"$T/down.conf"
out=$(HCONF=$T/down.conf hi bob pw-bob-123 approve "$ID2" --password-fd 3); r=$?
expect_out "directory unreachable" 1 "$r:$out" "the directory cannot be reached within directory.timeout (3 s)"

# A server that accepts and never answers: the same message once directory.timeout is spent.
kill -STOP "$SLAPD_PID"
start=$(now_us)
out=$(hi bob pw-bob-123 approve "$ID2" --password-fd 3); r=$?
took=$((($(now_us) - start) / 1000))
kill -CONT "$SLAPD_PID"
expect_out "directory frozen: given up after $took ms" 1 "$r:$out" \
	"the directory cannot be reached within directory.timeout (3 s)"
[ "$took" -lt 8000 ] || bad "a frozen directory held the command $took ms"

[ "$FAILS" = 0 ] || fail "$FAILS case(s) failed"
echo "PASS"
