#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# directory.sudo fails safe: a file visudo refuses is never installed (the last good one
# stays) and the caches are published all the same; a sudo base that cannot be read leaves
# the file alone; without a sudo section the file is never touched; and under the shipped
# ACL (conf/hostiam-sudo-acl.conf) only the sudo administrators can plant a rule.
. "$top_srcdir/tests/sudo/sudo-lib.sh"
slapd_require
command -v visudo >/dev/null || { echo "SKIP: no visudo (sudo)"; exit 77; }

sudo_role all-id "sudoUser: alice" "sudoHost: ALL" "sudoCommand: /usr/bin/id" > "$T/rules.ldif"
sudo_setup "$T/rules.ldif" || fail "slapd did not start"
sudo_conf > "$T/hostiam.conf"
sudo_sync_once "$T/hostiam.conf" || { cat "$T/sync.err"; fail "first sync"; }
grep -q '^alice ALL = /usr/bin/id$' "$SUDO_FILE" || fail "first file: $(cat "$SUDO_FILE")"
cp "$SUDO_FILE" "$T/good"

# visudo refuses everything (a stand-in that always fails, in place of sudo's): the new rule
# never reaches the file, the last good file stays, the error is logged, and the caches
# are still published.
printf '#!/bin/sh\necho "refused by the test"\nexit 1\n' > "$T/visudo-no"
chmod +x "$T/visudo-no"
sudo_role second "sudoUser: bob" "sudoHost: ALL" "sudoCommand: /usr/bin/uptime" | ldap_add ||
	fail "add"
gen=$(cache_generation)
HOSTIAM_TEST_VISUDO="$T/visudo-no" sudo_sync_once "$T/hostiam.conf" ||
	{ cat "$T/sync.err"; fail "the sync failed because of the sudo rules"; }
cmp -s "$SUDO_FILE" "$T/good" || fail "a refused file was installed: $(cat "$SUDO_FILE")"
[ "$(stat -c %a "$SUDO_FILE")" = 440 ] || fail "mode changed"
grep -q "visudo refuses the sudo rules file, the last good one stays" "$T/sync.err" ||
	{ cat "$T/sync.err"; fail "no error logged"; }
[ "$(cache_generation)" -gt "$gen" ] || fail "the caches were not published"
ls "$T/sudoers.d" | grep -v '^hostiam$' && fail "a temp file was left behind"

# visudo missing altogether: the same.
HOSTIAM_TEST_VISUDO="$T/no-such-visudo" sudo_sync_once "$T/hostiam.conf" || fail "sync"
cmp -s "$SUDO_FILE" "$T/good" || fail "installed without visudo"
grep -q "sudo rules not written: cannot run" "$T/sync.err" || { cat "$T/sync.err"; fail "no error"; }

# With sudo's visudo again, the new rule arrives.
sudo_sync_once "$T/hostiam.conf" || fail "sync"
grep -q '^bob ALL = /usr/bin/uptime$' "$SUDO_FILE" || fail "the second rule did not arrive"
cp "$SUDO_FILE" "$T/good"

# A sudo base that does not exist: an error, the file stays, the caches are published.
sudo_conf "ou=nosuch,$SUFFIX" > "$T/nosuch.conf"
gen=$(cache_generation)
sudo_sync_once "$T/nosuch.conf" || { cat "$T/sync.err"; fail "sync with a missing sudo base"; }
grep -q "cannot read the sudo rules:.*base=ou=nosuch" "$T/sync.err" || { cat "$T/sync.err"; fail "no error"; }
cmp -s "$SUDO_FILE" "$T/good" || fail "the file changed after a failed read"
[ "$(cache_generation)" -gt "$gen" ] || fail "the caches were not published"

# No sudo section: the file is never touched, even when it is not ours.
hostiam_conf > "$T/nosudo.conf"
echo "# a file of someone else's" > "$SUDO_FILE.other"
chmod 0644 "$SUDO_FILE.other"
mv "$SUDO_FILE.other" "$SUDO_FILE"
sum=$(stat -c '%i %a %s %Y' "$SUDO_FILE")
sudo_sync_once "$T/nosudo.conf" || fail "sync without a sudo section"
[ "$(stat -c '%i %a %s %Y' "$SUDO_FILE")" = "$sum" ] || fail "the file was touched"
grep -qi sudo "$T/sync.err" && fail "sudo lines without a sudo section: $(cat "$T/sync.err")"

# The ACL: bob (no administrator) can neither add a rule nor change one; alice, in
# cn=sudo-admins, can.
set_password alice alice-pw-1 && set_password bob bob-pw-1 || fail "passwords"
as() {
	ldapmodify -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$(user_dn "$1")" -y "$T/$1.pw" "${@:2}"
}
printf 'alice-pw-1' > "$T/alice.pw"
printf 'bob-pw-1' > "$T/bob.pw"
sudo_role planted "sudoUser: bob" "sudoHost: ALL" "sudoCommand: ALL" > "$T/planted.ldif"
as bob -a -f "$T/planted.ldif" >"$T/bob.out" 2>&1 && fail "bob planted a rule"
grep -q "Insufficient access" "$T/bob.out" || fail "bob: $(cat "$T/bob.out")"
printf 'dn: cn=all-id,%s\nchangetype: modify\nreplace: sudoCommand\nsudoCommand: ALL\n' \
	"$SUDO_BASE" > "$T/widen.ldif"
as bob -f "$T/widen.ldif" >"$T/bob.out" 2>&1 && fail "bob widened a rule"
as alice -a -f "$T/planted.ldif" >"$T/alice.out" 2>&1 || fail "alice: $(cat "$T/alice.out")"
echo "PASS"
