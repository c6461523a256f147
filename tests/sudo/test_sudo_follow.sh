#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# directory.sudo while the agent follows: a rule deleted, changed or added in the directory
# reaches the file within 2 s, the agent still stops within 2 s of SIGTERM, and the users'
# and groups' cache goes on being published beside it.
. "$top_srcdir/tests/sudo/sudo-lib.sh"
slapd_require
command -v visudo >/dev/null || { echo "SKIP: no visudo (sudo)"; exit 77; }

{
	sudo_role keep "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/id"
	sudo_role doomed "sudoUser: bob" "sudoHost: ALL" "sudoCommand: /usr/bin/uptime"
} > "$T/rules.ldif"
sudo_setup "$T/rules.ldif" || fail "slapd did not start"
sudo_conf > "$T/hostiam.conf"
agent_start "$T/hostiam.conf"

# Wait up to $1 s until the file matches (or with $3 = absent, no longer matches) the
# grep -E pattern $2; say how long it took.
file_wait() {
	local start=$(now_us) fw_pat=$2
	if [ "${3:-present}" = present ]; then
		wait_for "$1" 'grep -qE -- "$fw_pat" "$SUDO_FILE" 2>/dev/null' || return 1
	else
		wait_for "$1" '[ -f "$SUDO_FILE" ] && ! grep -qE -- "$fw_pat" "$SUDO_FILE"' || return 1
	fi
	echo "  '$2' ${3:-present} after $(( ($(now_us) - start) / 1000 )) ms"
}

file_wait 10 '^bob ALL = /usr/bin/uptime$' || { cat "$T/agent.log"; fail "no first file"; }
grep -q "following the sudo rules base=$SUDO_BASE" "$T/agent.log" || fail "not following"
cache_wait 10 '^user alice' || fail "no cache"

ldap_delete "cn=doomed,$SUDO_BASE" || fail "delete"
file_wait 2 'uptime' absent || { cat "$T/agent.log"; fail "the deleted rule stayed over 2 s"; }
visudo -cf "$SUDO_FILE" >/dev/null || fail "visudo refuses the file"

printf 'dn: cn=keep,%s\nchangetype: modify\nreplace: sudoCommand\nsudoCommand: /usr/bin/whoami\n' \
	"$SUDO_BASE" | ldap_modify || fail "modify"
file_wait 2 '^alice ALL = /usr/bin/whoami$' || fail "the change took over 2 s"
grep -q /usr/bin/id "$SUDO_FILE" && fail "the old command stayed"

sudo_role added "sudoUser: carol" "sudoHost: ALL" "sudoCommand: /usr/bin/df" | ldap_add ||
	fail "add"
file_wait 2 '^carol ALL = /usr/bin/df$' || fail "the new rule took over 2 s"

# The users' side goes on beside it.
user_ldif dave 10004 10001 | ldap_add || fail "add dave"
cache_wait 5 '^user dave' || fail "the user did not arrive"

agent_stop 2 || fail "the agent did not stop cleanly"
echo "PASS"
