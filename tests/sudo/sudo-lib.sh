# SPDX-License-Identifier: BSD-2-Clause
# Sourceable helper for the sudo tests: slapd-lib.sh's slapd with sudo's schema
# (conf/sudo.schema), the subtree ou=sudoers, and the ACL of conf/hostiam-sudo-acl.conf.
#
#   . "$top_srcdir/tests/sudo/sudo-lib.sh"
#   sudo_setup                          # slapd with users, groups and ou=sudoers
#   sudo_role NAME ATTR:VALUE...        # LDIF of cn=NAME,ou=sudoers on stdout
#   sudo_conf > "$T/hostiam.conf"       # directory.sudo.file = $SUDO_FILE
# Sourced after slapd-lib.sh (or e2e-lib.sh, which sources it), it adds to that one.
declare -f slapd_setup >/dev/null || . "$top_srcdir/tests/integration/slapd-lib.sh"
SUDO_BASE="ou=sudoers,$SUFFIX"
SUDO_FILE="$T/sudoers.d/hostiam"
HOST=$(hostname)

# slapd-lib's configuration plus sudo's schema and the sudo subtree's ACL.
eval "slapd_lib_$(declare -f slapd_write_conf)"
slapd_write_conf() {
	slapd_lib_slapd_write_conf || return 1
	sed -i -e "/conf\/hostiam.schema/a include $top_srcdir/conf/sudo.schema" \
		-e "/^access to \* by \* read/i include $top_srcdir/conf/hostiam-sudo-acl.conf" \
		"$T/slapd.conf"
}

# LDIF of one sudoRole cn=$1 under ou=sudoers; each further argument is "attr: value"
# (or "attr:: base64").
sudo_role() {
	local name=$1 a
	shift
	printf 'dn: cn=%s,%s\nobjectClass: top\nobjectClass: sudoRole\ncn: %s\n' "$name" "$SUDO_BASE" "$name"
	for a in "$@"; do printf '%s\n' "$a"; done
	printf '\n'
}

# The directory of the tests: alice (a sudo administrator), bob, carol, the group ops, the
# group sudo-admins (alice) and the empty subtree ou=sudoers; extra LDIF files after.
sudo_setup() {
	{
		user_ldif alice 10001 10001
		user_ldif bob 10002 10001
		user_ldif carol 10003 10001
		printf 'dn: cn=ops,ou=groups,%s\nobjectClass: posixGroup\ncn: ops\ngidNumber: 20001\nmemberUid: bob\n\n' "$SUFFIX"
		printf 'dn: cn=sudo-admins,ou=groups,%s\nobjectClass: groupOfNames\ncn: sudo-admins\nmember: %s\n\n' "$SUFFIX" "$(user_dn alice)"
		printf 'dn: %s\nobjectClass: organizationalUnit\nou: sudoers\n\n' "$SUDO_BASE"
	} > "$T/sudo-base.ldif"
	mkdir -p "$T/sudoers.d"
	slapd_setup "$T/sudo-base.ldif" "$@"
}

# hostiam.conf for this slapd with a sudo section (base $1, default ou=sudoers).
sudo_conf() {
	hostiam_conf "sudo = { base = \"${1:-$SUDO_BASE}\"; file = \"$SUDO_FILE\"; };"
}

# Run the one-shot sync with config $1; its stderr in $T/sync.err.
sudo_sync_once() {
	"$HOSTIAM" --config "$1" sync 2>"$T/sync.err"
}

# The rule lines of the rendered file (comments left out).
sudo_rules() { grep -v '^#' "$SUDO_FILE"; }
