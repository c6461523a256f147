#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam request / approve / deny / revoke / grants on the local store: what is refused
# (not eligible, too long, no reason, self-approval, not an approver, unknown, decided,
# lapsed), what is kept, the syslog lines, grants.cache.
. "$(dirname "$0")/../pam/pam-lib.sh"
. "$(dirname "$0")/grants-lib.sh"

expect_run "not eligible" 1 "refused: carol is not eligible for breakglass" \
	carol request breakglass --for 1h --reason INC-1
expect_run "unknown role" 1 "role nosuch cannot be requested" \
	alice request nosuch --for 1h --reason INC-1
expect_run "longer than max" 1 "breakglass may be granted for at most 4h" \
	alice request breakglass --for 4h1m --reason INC-1
expect_run "no reason" 1 "a reason is required for breakglass" \
	alice request breakglass --for 1h
expect_run "bad duration" 2 '"soon" is not a duration' \
	alice request breakglass --for soon --reason x
expect_run "request" 0 "^request 1: breakglass for 2h, waiting for approval\$" \
	alice request breakglass --for 2h --reason "INC-123 disk full"
expect_run "one open request per role" 1 "alice already has a pending or active grant" \
	alice request breakglass --for 1h --reason again
expect_run "optional reason" 0 "^request 2: admins for 30m" localop request admins --for 30m
expect_run "self-approval refused" 1 "alice cannot decide their own request" alice approve 1
expect_run "not an approver" 1 "localop is not an approver of breakglass" localop approve 1
expect_run "root is no approver" 1 "root is not an approver of breakglass" root approve 1
expect_run "unknown id" 1 "refused: no grant 99" bob approve 99
expect_run "bad id" 2 "one grant ID" bob approve x1
expect_run "approve" 0 "^grant 1 approved: alice is a member of breakglass until" bob approve 1
expect_run "approve twice" 1 "grant 1 is active, not pending" bob approve 1
expect_run "deny" 0 "^grant 2 denied\$" bob deny 2
expect_run "deny decided" 1 "grant 2 is denied, not pending" bob approve 2
expect_run "revoke by a stranger" 1 "carol may not revoke grant 1" carol revoke 1

# The store and grants.cache: root's, private / world-readable.
check_output "store mode" "600 0" "$(stat -c '%a %u' "$tmp/var/state/grants/store")"
check_output "grants.cache mode" "644 0" "$(stat -c '%a %u' "$GRANTS_CACHE")"
gid=1800
line=$(sed -n 2p "$GRANTS_CACHE")
case $line in
"1 alice $gid "*) pass "grants.cache line" ;;
*) failed "grants.cache line" "$(cat "$GRANTS_CACHE")" ;;
esac
check_output "grants.cache count" "hostiam-grants 1 1" "$(head -1 "$GRANTS_CACHE" | cut -d' ' -f1-3)"

expect_run "grants lists" 0 "^1 *active *alice *breakglass *2h .* bob *INC-123 disk full\$" \
	root grants
expect_run "grants denied" 0 "^2 *denied *localop *admins *30m .* bob *-\$" root grants
expect_run "grants expired --at" 0 "^1 *expired" root grants --at "2099-01-01 00:00"
expect_run "grants json" 0 '"state":"active"' root grants --json

# review: who may request, who approves, the active grants and who approved them.
out=$(hi root review --service sshd)
for want in "  role breakglass: at most 4h, reason required" "    eligible: *.*alice" \
	"    eligible: *.*localop" "    approvers: *bob\$" \
	"  role admins: at most 1h, mfa at first use, reason optional" \
	"  grant 1: alice in breakglass until .*, approved by bob: INC-123 disk full\$"; do
	printf '%s\n' "$out" | grep -q -e "^$want" && pass "review: $want" ||
		failed "review: $want" "$out"
done
printf '%s\n' "$out" | grep -q "eligible: .*carol" && failed "review: carol not eligible" "$out" ||
	pass "review: carol not eligible"

# syslog: one key=value line per change and per refusal.
grep -q 'grant request: id=1 user=alice role=breakglass for=2h by=alice reason="INC-123 disk full"' "$log" &&
	pass "syslog request" || failed "syslog request" "$(cat "$log")"
grep -q 'grant approve: id=1 user=alice role=breakglass for=2h by=bob' "$log" &&
	pass "syslog approve" || failed "syslog approve" "$(cat "$log")"
grep -q 'grant refused: action=approve user=alice id=1 why="alice cannot decide their own request"' "$log" &&
	pass "syslog refusal" || failed "syslog refusal" "$(cat "$log")"

# Revoke: by the requester; the grant leaves grants.cache at once.
expect_run "revoke" 0 "^grant 1 revoked\$" alice revoke 1
check_output "grants.cache after revoke" "hostiam-grants 1 0" \
	"$(head -1 "$GRANTS_CACHE" | cut -d' ' -f1-3)"
expect_run "revoke twice" 1 "grant 1 is revoked already" bob revoke 1

# Not root, no sudo: refused with the way to do it.
if command -v setpriv >/dev/null; then
	out=$(LD_PRELOAD="$preload" setpriv --reuid=1001 --regid=1001 --clear-groups \
		"$bin" --config "$conf" request breakglass --for 1h --reason x 2>&1)
	st=$?
	case "$st:$out" in
	1:*'run it as "sudo hostiam request ..."'*) pass "not root refused" ;;
	*) failed "not root refused" "exit $st: $out" ;;
	esac
fi
# A SUDO_USER that does not name SUDO_UID's user is not sudo's doing.
out=$(env SUDO_UID=1002 SUDO_USER=alice LD_PRELOAD="$preload" "$bin" --config "$conf" approve 1 2>&1)
case $out in
*"SUDO_USER does not name SUDO_UID's user"*) pass "forged SUDO_USER" ;;
*) failed "forged SUDO_USER" "$out" ;;
esac

# directory.grants: the local store is not used; the change goes to the directory, bound
# as the caller, never over plain ldap:// to another host (test_grants_dircmd.sh does the rest).
dconf=$tmp/dir.conf
sed 's|^directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; };$|directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; grants = { base = "ou=grants,dc=example,dc=com"; }; };|' "$conf" >"$dconf"
grep -q 'grants = { base' "$dconf" || failed "directory conf" "$(cat "$dconf")"
out=$(echo pw-x | env SUDO_UID=1001 SUDO_USER=alice LD_PRELOAD="$preload" "$bin" --config "$dconf" request breakglass --for 1h --reason x --password-fd 0 2>&1)
case "$?:$out" in
1:*"no server to which a password may be sent (plain ldap:// to another host"*)
	pass "directory mode: no password in clear to ldap.example.com" ;;
*) failed "directory mode: no password in clear to ldap.example.com" "$out" ;;
esac
[ -e "$tmp/var/state/grants/store" ] && grep -q " x$" "$tmp/var/state/grants/store" &&
	failed "directory mode: the local store untouched" "$(cat "$tmp/var/state/grants/store")"

# A damaged store is refused whole, never read in part.
echo "garbage" >>"$tmp/var/state/grants/store"
expect_run "damaged store" 1 "the grant store: " root grants
exit $fail
