#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Options of hostiam sync: --follow --force is refused (the shrink guard must not be off
# for the agent's whole lifetime); an ldaprc in the current directory is never read (it
# could make hostiam trust any CA), and a relative --config still works.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
command -v certtool >/dev/null || { echo "SKIP: no certtool"; exit 77; }
SLAPD_TLS=1 slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"

for args in "--follow --force" "--force --follow" "-f --force"; do
	timeout 5 "$HOSTIAM" --config "$T/hostiam.conf" sync $args 2>"$T/err"
	rc=$?
	[ "$rc" = 2 ] || fail "sync $args: exit status $rc, not 2"
	grep -q -- "--force cannot be combined with --follow" "$T/err" || fail "sync $args: $(cat "$T/err")"
done
[ -e "$T/cache/nss.cache" ] && fail "a refused command published"
# libldap would read ./ldaprc (LDAPNOINIT, set for the other tests, would hide it).
# DEREF always there would make the users search follow an alias out of users.base.
ldap_add <<EOF2 || fail "ldapadd"
dn: uid=outsider,ou=services,$SUFFIX
objectClass: account
objectClass: posixAccount
uid: outsider
cn: outsider
uidNumber: 10099
gidNumber: 10099
homeDirectory: /home/outsider

dn: uid=aliased,ou=people,$SUFFIX
objectClass: alias
objectClass: extensibleObject
uid: aliased
aliasedObjectName: uid=outsider,ou=services,$SUFFIX
EOF2
mkdir -p "$T/cwd"
printf 'DEREF always\nSIZELIMIT 3\n' > "$T/cwd/ldaprc"
(cd "$T/cwd" && env -u LDAPNOINIT "$HOSTIAM" --config ../hostiam.conf sync) 2>"$T/err" ||
	{ cat "$T/err"; fail "sync from a directory with an ldaprc failed"; }
cache_dump | grep -q "^user outsider:" && fail "./ldaprc was read: an alias was followed"
[ "$(cache_dump | grep -c '^user ')" = 5 ] || fail "not 5 users"

# Nor may a CA named there be trusted.
rm -rf "$T/cache"
printf 'TLS_CACERT %s\n' "$T/tls/ca.pem" > "$T/cwd/ldaprc"
HOSTIAM_URIS="\"ldaps://127.0.0.1:$LDAPS_PORT\"" hostiam_conf > "$T/ldaps.conf"
(cd "$T/cwd" && env -u LDAPNOINIT "$HOSTIAM" --config ../ldaps.conf sync) 2>"$T/err" &&
	fail "the sync trusted the CA of ./ldaprc"
cat "$T/err"
grep -q "TLS handshake failed" "$T/err" || fail "not a certificate error"
[ -e "$T/cache/nss.cache" ] && fail "published over an unverified connection"
# With the CA configured, the same relative --config works from there.
HOSTIAM_URIS="\"ldaps://127.0.0.1:$LDAPS_PORT\"" hostiam_conf "tls_ca_file = \"$T/tls/ca.pem\";" \
	> "$T/ldaps.conf"
(cd "$T/cwd" && env -u LDAPNOINIT "$HOSTIAM" --config ../ldaps.conf sync) 2>"$T/err" ||
	{ cat "$T/err"; fail "sync with a relative --config failed"; }
[ "$(cache_dump | grep -c '^user ')" = 5 ] || fail "not 5 users"
echo "PASS"
