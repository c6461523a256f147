#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end for sudo rules from the directory (directory.sudo), as root on a real host:
# the agent writes /etc/sudoers.d/hostiam-e2e-ldap from sudoRole entries, and the real sudo
# reads it: `sudo -l -U` lists what each user got (a %group rule resolved through the
# hostiam NSS module; nothing for a rule of another host or one past its sudoNotAfter),
# `sudo -n` runs a NOPASSWD command as root and `sudo -u` as another directory user; a rule
# deleted in the directory is gone for sudo within 2 s.  See e2e-lib.sh for what is
# changed on the host and restored; /etc/sudoers.d/hostiam-e2e-ldap is restored too.
. "$top_srcdir/tests/e2e/e2e-lib.sh"
. "$top_srcdir/tests/sudo/sudo-lib.sh"
grep -qE '^[@#]includedir /etc/sudoers.d' /etc/sudoers ||
	{ echo "SKIP: /etc/sudoers does not include /etc/sudoers.d"; exit 77; }
SUDO_FILE=/etc/sudoers.d/hostiam-e2e-ldap
E2E_FILES="$E2E_FILES $SUDO_FILE"
backup_file "$SUDO_FILE"
rm -f "$SUDO_FILE"

{
	# (sudo_setup adds alice, bob and carol, and the group ops with bob in it)
	sudo_role alice-id "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/id" \
		"sudoOption: !authenticate"
	sudo_role ops "sudoUser: %ops" "sudoHost: $HOST" "sudoCommand: /usr/bin/id" \
		"sudoRunAsUser: alice" "sudoOption: !authenticate"
	sudo_role carol-elsewhere "sudoUser: carol" "sudoHost: otherhost" "sudoCommand: ALL" \
		"sudoOption: !authenticate"
	sudo_role carol-expired "sudoUser: carol" "sudoHost: ALL" "sudoCommand: ALL" \
		"sudoOption: !authenticate" "sudoNotAfter: 20200101000000Z"
} > "$T/e2e-sudo.ldif"
sudo_setup "$T/e2e-sudo.ldif" || fail "slapd did not start"

e2e_cache_dir
e2e_install_bin
CONF="$E/hostiam.conf"
sudo_conf | sed "s|dir = \"$T/cache\"|dir = \"$CACHE_DIR\"|" > "$CONF"
chmod 0644 "$CONF"
"$HOSTIAM_E2E" --config "$CONF" config-check >/dev/null || fail "config-check refused $CONF"
# No password is ever asked: every rule here is NOPASSWD, and any other attempt fails.
e2e_pam_file sudo <<PAM
auth     required  pam_deny.so
account  required  pam_permit.so
session  required  pam_permit.so
PAM

"$HOSTIAM_E2E" --config "$CONF" sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync"; }
e2e_install_nss
id bob | grep -q "(ops)" || fail "bob is not in ops through NSS: $(id bob)"
[ "$(stat -c '%U %a' "$SUDO_FILE")" = "root 440" ] || fail "$(stat -c '%U %a' "$SUDO_FILE")"

# sudo's own listing of each user's rights.
if sudo -l -U alice 2>&1 | grep -q '(root) NOPASSWD: /usr/bin/id'; then
	ok "sudo -l -U alice: (root) NOPASSWD: /usr/bin/id"
else
	bad "sudo -l -U alice: $(sudo -l -U alice 2>&1)"
fi
if sudo -l -U bob 2>&1 | grep -q '(alice) NOPASSWD: /usr/bin/id'; then
	ok "sudo -l -U bob: %ops through NSS, (alice) NOPASSWD: /usr/bin/id"
else
	bad "sudo -l -U bob: $(sudo -l -U bob 2>&1)"
fi
if sudo -l -U carol 2>&1 | grep -q 'not allowed to run sudo'; then
	ok "sudo -l -U carol: nothing (another host's rule, an expired rule)"
else
	bad "sudo -l -U carol: $(sudo -l -U carol 2>&1)"
fi

# Running commands.
[ "$(runuser -u alice -- sudo -n /usr/bin/id -un 2>&1)" = root ] &&
	ok "sudo -n as alice: root" || bad "sudo -n as alice: $(runuser -u alice -- sudo -n /usr/bin/id -un 2>&1)"
[ "$(runuser -u bob -- sudo -n -u alice /usr/bin/id -un 2>&1)" = alice ] &&
	ok "sudo -n -u alice as bob: alice" || bad "sudo -u alice as bob: $(runuser -u bob -- sudo -n -u alice /usr/bin/id -un 2>&1)"
if runuser -u bob -- sudo -n /usr/bin/id -un >/dev/null 2>&1; then
	bad "bob ran a command as root"
else
	ok "sudo -n as bob, as root: refused"
fi
if runuser -u carol -- sudo -n /usr/bin/id -un >/dev/null 2>&1; then
	bad "carol ran sudo"
else
	ok "sudo -n as carol: refused"
fi

# While the agent follows: a deleted rule is gone for sudo within 2 s.
agent_start "$CONF"
wait_for 10 'grep -q "following the sudo rules" "$T/agent.log"' || { cat "$T/agent.log"; fail "the agent does not follow the sudo rules"; }
start=$(now_us)
ldap_delete "cn=alice-id,$SUDO_BASE" || fail "delete"
if wait_for 2 '! sudo -l -U alice 2>&1 | grep -q /usr/bin/id'; then
	ok "deleted rule gone for sudo after $(( ($(now_us) - start) / 1000 )) ms"
else
	bad "alice's deleted rule still listed after 2 s: $(sudo -l -U alice 2>&1)"
fi
runuser -u alice -- sudo -n /usr/bin/id -un >/dev/null 2>&1 && bad "alice still ran sudo"
agent_stop 2 || bad "the agent did not stop cleanly"

[ "$FAILS" = 0 ] || fail "$FAILS case(s) failed"
echo "PASS"
