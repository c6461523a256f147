#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# directory.sudo through the one-shot sync against a real slapd with sudo's schema: the
# rules for ALL, this host, its addresses, negations, another host; time bounds; values
# that must not reach the file (an invalid command, injected syntax, an alias, a negated
# netgroup); what visudo refuses alone; sudoOrder; and the file checked by sudo's own
# visudo and cvtsudoers.
. "$top_srcdir/tests/sudo/sudo-lib.sh"
slapd_require
command -v visudo >/dev/null || { echo "SKIP: no visudo (sudo)"; exit 77; }
command -v cvtsudoers >/dev/null || { echo "SKIP: no cvtsudoers (sudo)"; exit 77; }

{
	sudo_role all-id "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/id" "sudoOrder: 3"
	sudo_role this-host "sudoUser: %ops" "sudoHost: $HOST" "sudoCommand: /bin/ls" \
		"sudoRunAsUser: root" "sudoOption: !authenticate" "sudoOrder: 2"
	sudo_role loopback-net "sudoUser: bob" "sudoHost: 127.0.0.0/255.0.0.0" \
		"sudoCommand: /usr/bin/uptime" "sudoOrder: 4"
	sudo_role other-host "sudoUser: alice" "sudoHost: otherhost.example.com" \
		"sudoHost: otherhost" "sudoCommand: ALL"
	sudo_role negated-here "sudoUser: alice" "sudoHost: ALL" "sudoHost: !$HOST" \
		"sudoCommand: /usr/bin/whoami"
	sudo_role negated-other "sudoUser: carol" "sudoHost: ALL" "sudoHost: !otherhost" \
		"sudoCommand: /usr/bin/printf a,b=c:d" "sudoOrder: 5"
	sudo_role expired "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/date" \
		"sudoNotAfter: 20200101000000Z"
	sudo_role bounded "sudoUser: bob" "sudoHost: ALL" "sudoCommand: /usr/bin/df" \
		"sudoNotBefore: 20200101000000Z" "sudoNotAfter: 20991231235959Z" \
		"sudoRunAsUser: alice" "sudoRunAsGroup: ops" "sudoOrder: 6" \
		"sudoOption: !authenticate" "sudoOption: command_timeout=30" "sudoCommand: /usr/bin/du"
	sudo_role first "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/free" \
		"sudoOrder: 0.5"
	sudo_role bad-command "sudoUser: alice" "sudoHost: ALL" "sudoCommand: rm -rf /"
	# "bob\nALL ALL=(ALL) NOPASSWD: ALL": a second rule smuggled in a value.
	sudo_role injected "sudoUser:: $(printf 'bob\nALL ALL=(ALL) NOPASSWD: ALL' | base64 -w0)" \
		"sudoHost: ALL" "sudoCommand: /usr/bin/id"
	sudo_role alias "sudoUser: ADMINS" "sudoHost: ALL" "sudoCommand: /usr/bin/id"
	sudo_role no-netgroup "sudoUser: ALL" "sudoUser: !+contractors" "sudoHost: ALL" \
		"sudoCommand: /usr/bin/id"
	sudo_role uid-dropped "sudoUser: #10003" "sudoUser: carol" "sudoHost: ALL" \
		"sudoCommand: /usr/bin/env" "sudoOrder: 7"
	sudo_role visudo-refuses "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/id" \
		"sudoOption: command_timeout=soon"
	sudo_role unknown-option "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/id" \
		"sudoOption: env_keep+=LD_PRELOAD"
} > "$T/rules.ldif"
sudo_setup "$T/rules.ldif" || fail "slapd did not start"
# A rule outside directory.sudo.base is never read.
sudo_role outside "sudoUser: alice" "sudoHost: ALL" "sudoCommand: ALL" |
	sed "s/,$SUDO_BASE/,ou=services,$SUFFIX/" | ldap_add || fail "cannot add the rule outside"
sudo_conf > "$T/hostiam.conf"

sudo_sync_once "$T/hostiam.conf" || { cat "$T/sync.err"; fail "sync failed"; }
cat "$SUDO_FILE"
cache_dump | grep -q '^user alice' || fail "the caches were not published"

# The file: 0440, sudo parses it, and it holds exactly these rules in sudoOrder.
[ "$(stat -c %a "$SUDO_FILE")" = 440 ] || fail "mode $(stat -c %a "$SUDO_FILE")"
visudo -cf "$SUDO_FILE" || fail "visudo refuses the file"
cat > "$T/want" <<'EOF2'
alice ALL = /usr/bin/free
%ops ALL = (root) NOPASSWD: /bin/ls
alice ALL = /usr/bin/id
bob ALL = /usr/bin/uptime
carol ALL = /usr/bin/printf a\,b\=c\:d
bob ALL = (alice : ops) TIMEOUT=30 NOTBEFORE=20200101000000Z NOTAFTER=20991231235959Z NOPASSWD: /usr/bin/df, (alice : ops) TIMEOUT=30 NOTBEFORE=20200101000000Z NOTAFTER=20991231235959Z NOPASSWD: /usr/bin/du
carol ALL = /usr/bin/env
EOF2
sudo_rules | diff -u "$T/want" - || fail "the rules differ"
grep -qx "# cn=this-host,$SUDO_BASE" "$SUDO_FILE" || fail "no DN comment"

# Each rule left out is logged with its DN and why.
logged() {
	grep -F "dn=\"cn=$1,$SUDO_BASE\"" "$T/sync.err" | grep -qF -- "$2" ||
		{ cat "$T/sync.err"; fail "no log line for $1: $2"; }
}
logged expired "expired"
logged bad-command "is not ALL or an absolute path"
logged injected "not a name sudoers can hold"
logged alias "would read as a sudoers alias"
logged no-netgroup "netgroups"
logged uid-dropped "value left out"
logged visudo-refuses "visudo refuses it"
logged visudo-refuses "invalid timeout value"
logged unknown-option "cannot be rendered"
for r in other-host negated-here; do
	grep -q "cn=$r," "$SUDO_FILE" "$T/sync.err" && fail "$r: for another host, yet named"
done
grep -q outside "$SUDO_FILE" && fail "a rule outside the base was read"
grep -q "sudo rules written rules=7 skipped=6 " "$T/sync.err" || { cat "$T/sync.err"; fail "summary"; }

# What sudo makes of it: cvtsudoers reads the file with sudo's parser.
cvtsudoers -f json "$SUDO_FILE" > "$T/json" || fail "cvtsudoers"
grep -q '"command": "/usr/bin/printf a,b=c:d"' "$T/json" || fail "arguments changed: $(cat "$T/json")"
grep -q '"NOTAFTER"\|notafter' "$T/json" || fail "no NOTAFTER in sudo's reading"
cvtsudoers -f sudoers -m user=carol "$SUDO_FILE" > "$T/carol" 2>/dev/null || fail "cvtsudoers -m"
grep -q /usr/bin/env "$T/carol" && ! grep -q /bin/ls "$T/carol" ||
	fail "carol's rules: $(cat "$T/carol")"

# Unchanged rules: the file is left as it is (same inode).
ino=$(stat -c %i "$SUDO_FILE")
sudo_sync_once "$T/hostiam.conf" || fail "second sync"
[ "$(stat -c %i "$SUDO_FILE")" = "$ino" ] || fail "an unchanged file was rewritten"
grep -q "sudo rules unchanged" "$T/sync.err" || fail "no 'unchanged' line"

# A rule deleted in the directory is gone after the next sync.
ldap_delete "cn=all-id,$SUDO_BASE" || fail "delete"
sudo_sync_once "$T/hostiam.conf" || fail "sync after delete"
grep -q /usr/bin/id "$SUDO_FILE" && fail "the deleted rule is still there"
echo "PASS"
