#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A grant through the NSS module: its initgroups_dyn, called as glibc calls it (nss_wrapper's
# getgrouplist never does), lists the role's gid while the grant is active, and not after its notAfter, by
# the clock alone; a damaged or insecure grants.cache grants nothing. The policy engine
# (hostiam check) agrees, and with --at judges by that time, not by NSS's clock.
. "$(dirname "$0")/../pam/pam-lib.sh"
. "$(dirname "$0")/grants-lib.sh"

ids() { "$builddir/tests/grants/initgroups_dyn" "$1" | grep -qx "$2"; }

ids alice 1800 && failed "no grant: no gid" "$("$builddir/tests/grants/initgroups_dyn" alice)" || pass "no grant: no gid"
hi alice request breakglass --for 4s --reason INC-7 >/dev/null
ids alice 1800 && failed "pending: no gid" "" || pass "pending: no gid"
hi bob approve 1 >/dev/null || failed "approve" ""
start=$(date +%s)
ids alice 1800 && pass "active: initgroups has the role's gid" ||
	failed "active: initgroups has the role's gid" "$("$builddir/tests/grants/initgroups_dyn" alice)"
# A local user's grant too (localop is in /etc/group's ops, not in the directory cache).
hi localop request breakglass --for 1h --reason INC-8 >/dev/null && hi bob approve 2 >/dev/null
ids localop 1800 && pass "local user: the gid" || failed "local user: the gid" "$("$builddir/tests/grants/initgroups_dyn" localop)"
# Nobody else gets it.
ids bob 1800 && failed "only the grantee" "" || pass "only the grantee"

# hostiam check: localop (no standing membership of any rule's group) is allowed by the
# breakglass rule through grant 2.
out=$(hi root check localop --service sshd)
case $out in
*"grant:        member of breakglass through grant 2 until "*"(approved by bob: INC-8)"*)
	pass "check names the grant" ;;
*) failed "check names the grant" "$out" ;;
esac
hi root check localop --service sshd >/dev/null && pass "check allows through the grant" ||
	failed "check allows through the grant" "$(hi root check localop --service sshd)"
case $out in
*"log line:     decision=allow user=localop service=sshd rhost=- rule=break-glass grant=2 "*)
	pass "check's log line: grant=2" ;;
*) failed "check's log line: grant=2" "$out" ;;
esac
out=$(hi root check localop --service sshd --json)
case $out in
*'"grant":2,'*'"grants":[{"group":"breakglass","id":2,'*'"approver":"bob","reason":"INC-8"}]'*)
	pass "check --json: grant and grants" ;;
*) failed "check --json: grant and grants" "$out" ;;
esac
# --at after the end: denied, though NSS (the real clock) would still list the gid.
out=$(hi root check localop --service sshd --at "2099-01-01 00:00")
[ $? = 1 ] && pass "check --at after notAfter: denied" || failed "check --at after notAfter: denied" "$out"

# Expiry: nobody acts; the clock does.
while [ $(($(date +%s) - start)) -lt 5 ]; do sleep 1; done
ids alice 1800 && failed "expired: no gid" "$("$builddir/tests/grants/initgroups_dyn" alice)" || pass "expired: no gid"
ids localop 1800 && pass "the other grant still active" || failed "the other grant still active" ""

# Damage: a flipped byte, a truncated file, a group-writable file: nothing granted.
cp "$GRANTS_CACHE" "$tmp/good"
sed -i 's/ localop 1800 / localop 1801 /' "$GRANTS_CACHE"
ids localop 1800 || ids localop 1801 && failed "flipped byte: nothing" "" || pass "flipped byte: nothing"
head -c 40 "$tmp/good" >"$GRANTS_CACHE"
ids localop 1800 && failed "truncated: nothing" "" || pass "truncated: nothing"
cp "$tmp/good" "$GRANTS_CACHE"
chmod 0664 "$GRANTS_CACHE"
ids localop 1800 && failed "group-writable: nothing" "" || pass "group-writable: nothing"
chmod 0644 "$GRANTS_CACHE"
ids localop 1800 && pass "restored: the gid again" || failed "restored: the gid again" ""
exit $fail
