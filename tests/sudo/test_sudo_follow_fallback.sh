#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# directory.sudo while the agent runs against a server without syncrepl: the rules are
# read at once and again every directory.refresh seconds (10 here), and the agent's
# periodic full syncs leave them to the sudo thread (no second read per round).
SLAPD_SYNCPROV=0
HOSTIAM_REFRESH=10
. "$top_srcdir/tests/sudo/sudo-lib.sh"
slapd_require
command -v visudo >/dev/null || { echo "SKIP: no visudo (sudo)"; exit 77; }

sudo_role first "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/id" > "$T/rules.ldif"
sudo_setup "$T/rules.ldif" || fail "slapd did not start"
sudo_conf > "$T/hostiam.conf"
agent_start "$T/hostiam.conf"
wait_for 10 'grep -q "^alice ALL = /usr/bin/id$" "$SUDO_FILE" 2>/dev/null' ||
	{ cat "$T/agent.log"; fail "no first file"; }
wait_for 5 'grep -q "sudo rules cannot be followed" "$T/agent.log"' ||
	{ cat "$T/agent.log"; fail "no fallback line"; }
cache_wait 10 '^user alice' || fail "no cache"

sudo_role second "sudoUser: bob" "sudoHost: ALL" "sudoCommand: /usr/bin/df" | ldap_add || fail "add"
wait_for 13 'grep -q "^bob ALL = /usr/bin/df$" "$SUDO_FILE"' ||
	{ cat "$T/agent.log"; fail "the new rule did not arrive within a refresh"; }
agent_stop 2 || fail "the agent did not stop cleanly"
# One read per refresh, by the sudo thread alone: the full syncs did not read them too.
reads=$(grep -c "sudo rules \(written\|unchanged\)" "$T/agent.log")
syncs=$(grep -c "sync published" "$T/agent.log")
[ "$reads" -le $((syncs + 1)) ] || { cat "$T/agent.log"; fail "$reads sudo reads for $syncs full syncs"; }
echo "PASS"
