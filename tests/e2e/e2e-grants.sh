#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end for just-in-time elevation, as root on a real host: users run `hostiam
# request`, `approve` and `revoke` through the real sudo (a sudoers rule for hostiam: the
# caller comes from sudo's SUDO_UID), and a sudoers rule for %breakglass lets bob run a
# command as root only while his grant is active — the installed NSS module's initgroups
# (runuser, then sudo) adds the group; nothing runs at the end, the clock does. See
# e2e-lib.sh for what is changed on the host and restored; /etc/sudoers.d/hostiam-e2e-grants
# is restored too.
. "$top_srcdir/tests/e2e/e2e-lib.sh"
. "$top_srcdir/tests/sudo/sudo-lib.sh"
grep -qE '^[@#]includedir /etc/sudoers.d' /etc/sudoers ||
	{ echo "SKIP: /etc/sudoers does not include /etc/sudoers.d"; exit 77; }
RULES=/etc/sudoers.d/hostiam-e2e-grants
E2E_FILES="$E2E_FILES $RULES"
backup_file "$RULES"

# (sudo_setup adds alice, bob and carol, and the group ops with bob in it)
{
	printf 'dn: cn=breakglass,ou=groups,%s\nobjectClass: posixGroup\ncn: breakglass\ngidNumber: 20009\n\n' "$SUFFIX"
	printf 'dn: cn=leads,ou=groups,%s\nobjectClass: posixGroup\ncn: leads\ngidNumber: 20010\nmemberUid: alice\n\n' "$SUFFIX"
} > "$T/e2e-grants.ldif"
sudo_setup "$T/e2e-grants.ldif" || fail "slapd did not start"

e2e_cache_dir
e2e_install_bin
CONF="$E/hostiam.conf"
{
	hostiam_conf | sed "s|dir = \"$T/cache\"|dir = \"$CACHE_DIR\"|"
	echo 'elevation = ( { role = "breakglass"; eligible = [ "ops" ]; approvers = [ "leads" ];'
	echo '                max = "1h"; reason = "required"; } );'
} > "$CONF"
chmod 0644 "$CONF"
"$HOSTIAM_E2E" --config "$CONF" config-check >/dev/null || fail "config-check refused $CONF"
HI="$HOSTIAM_E2E --config $CONF"
cat > "$T/rules" <<RULES
ALL ALL=(root) NOPASSWD: $HI request *, $HI approve *, $HI revoke *
%breakglass ALL=(root) NOPASSWD: /usr/bin/id
RULES
visudo -cf "$T/rules" >/dev/null || fail "visudo refused the test's rules"
install -m 0440 "$T/rules" "$RULES"
e2e_pam_file sudo <<PAM
auth     required  pam_deny.so
account  required  pam_permit.so
session  required  pam_permit.so
PAM

"$HOSTIAM_E2E" --config "$CONF" sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync"; }
e2e_install_nss
id bob | grep -q "(ops)" || fail "bob is not in ops through NSS: $(id bob)"

as() { local u=$1; shift; runuser -u "$u" -- sudo -n "$@" 2>&1; }
root_for() { [ "$(as "$1" /usr/bin/id -un)" = root ]; }

root_for bob && bad "bob ran id as root before any grant" || ok "no grant: sudo refused"
out=$(as bob $HI request breakglass --for 1h --reason E2E-1)
[[ $out == "request 1: breakglass for 1h, waiting for approval" ]] && ok "bob requested through sudo" ||
	bad "request: $out"
out=$(as carol $HI request breakglass --for 1h --reason E2E-2)
[[ $out == *"carol is not eligible for breakglass"* ]] && ok "carol not eligible" || bad "carol: $out"
out=$(as bob $HI approve 1)
[[ $out == *"bob cannot decide their own request"* ]] && ok "self-approval refused" || bad "self: $out"
root_for bob && bad "bob ran id as root while pending" || ok "pending: sudo refused"
out=$(as alice $HI approve 1)
[[ $out == "grant 1 approved: bob is a member of breakglass until "* ]] && ok "alice approved" ||
	bad "approve: $out"
id -Gn bob 2>/dev/null | grep -qw breakglass && ok "id bob: breakglass (glibc initgroups)" || bad "id bob: $(id -Gn bob)"
root_for bob && ok "granted: bob runs id as root through %breakglass" || bad "granted: $(as bob /usr/bin/id -un)"
out=$(as bob $HI revoke 1)
[[ $out == "grant 1 revoked" ]] && ok "bob gave it back" || bad "revoke: $out"
root_for bob && bad "bob still root after the revocation" || ok "revoked: sudo refused"

# The end of a grant is the clock's: nothing runs.
as bob $HI request breakglass --for 3s --reason E2E-3 >/dev/null
as alice $HI approve 2 >/dev/null
start=$(date +%s)
root_for bob && ok "short grant: root" || bad "short grant: $(as bob /usr/bin/id -un)"
while [ $(($(date +%s) - start)) -lt 4 ]; do sleep 1; done
root_for bob && bad "bob still root after the grant's end" || ok "expired: sudo refused, nobody acted"
id -Gn bob 2>/dev/null | grep -qw breakglass && bad "id bob after the end: $(id -Gn bob)" || ok "id bob: no breakglass after the end"

[ "$FAILS" = 0 ] || fail "$FAILS case(s) failed"
echo "PASS"
