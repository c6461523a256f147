#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# conf/hostiam.schema and conf/hostiam.ldif load into slapd (slapd.conf and cn=config
# forms), define the same attribute and object class, and the ACL their comments show
# lets only the host-readers group read hostiamTotpSecret (slapacl); and that
# conf/hostiam-self-enrol.ldif applies to cn=config with the rules of hostiam-self-enrol.conf.
# Needs slapd's tools (next to $SLAPD, else /usr/sbin) and its core schema; else skipped.
set -u
srcdir=${top_srcdir:-.}
sbin=$(dirname "${SLAPD:-/usr/sbin/slapd}")
schemadir=
for d in /etc/ldap/schema /etc/openldap/schema /usr/share/openldap/schema; do
	[ -f "$d/core.schema" ] && [ -f "$d/core.ldif" ] && { schemadir=$d; break; }
done
for t in slaptest slapadd slapacl slapcat; do
	[ -x "$sbin/$t" ] || { echo "$sbin/$t not found: skipped"; exit 77; }
done
[ -n "$schemadir" ] || { echo "OpenLDAP core schema not found: skipped"; exit 77; }
modpath=
for d in /usr/lib/ldap /usr/lib64/openldap /usr/lib/openldap /usr/libexec/openldap; do
	[ -d "$d" ] && { modpath=$d; break; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-schema.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
failed() { printf 'FAIL: %s\n%s\n' "$1" "$2"; fail=1; }

# slapd.conf form, with the ACL of the schema's comment.
mkdir "$tmp/db"
{
	echo "include $schemadir/core.schema"
	echo "include $srcdir/conf/hostiam.schema"
	if [ -n "$modpath" ] && [ -f "$modpath/back_mdb.la" -o -f "$modpath/back_mdb.so" ]; then
		echo "modulepath $modpath"
		echo "moduleload back_mdb"
	fi
	cat <<CONF
database mdb
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
directory $tmp/db
access to attrs=hostiamTotpSecret
	by group.exact="cn=host-readers,ou=groups,dc=example,dc=com" read
	by * none
access to * by * read
CONF
} >"$tmp/slapd.conf"
if out=$("$sbin/slaptest" -f "$tmp/slapd.conf" -u 2>&1); then pass "hostiam.schema loads"
else failed "hostiam.schema loads" "$out"; fi

cat >"$tmp/data.ldif" <<'LDIF'
dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=groups,dc=example,dc=com
objectClass: organizationalUnit
ou: groups

dn: cn=host-readers,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: host-readers
member: cn=reader,dc=example,dc=com

dn: cn=alice,dc=example,dc=com
objectClass: person
objectClass: hostiamMfaUser
cn: alice
sn: Alice
hostiamTotpSecret: JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
LDIF
if out=$("$sbin/slapadd" -f "$tmp/slapd.conf" -l "$tmp/data.ldif" 2>&1); then
	pass "an entry with hostiamMfaUser and hostiamTotpSecret is accepted"
else
	failed "an entry with hostiamMfaUser and hostiamTotpSecret is accepted" "$out"
fi

# acl WHO WANT: slapacl's verdict on reading alice's secret as WHO.
acl() {
	out=$("$sbin/slapacl" -f "$tmp/slapd.conf" -D "$1" -b "cn=alice,dc=example,dc=com" \
		hostiamTotpSecret/read 2>&1)
	if echo "$out" | grep -q "read access to hostiamTotpSecret: $2"; then pass "ACL: $1 $2"
	else failed "ACL: $1 $2" "$out"; fi
}
acl "cn=reader,dc=example,dc=com" ALLOWED
acl "cn=alice,dc=example,dc=com" DENIED
acl "cn=someone,dc=example,dc=com" DENIED

# cn=config form: a slapd.d built from core.ldif and hostiam.ldif.
mkdir "$tmp/slapd.d"
cat >"$tmp/config.ldif" <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://$schemadir/core.ldif

include: file://$(cd "$srcdir/conf" && pwd)/hostiam.ldif

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
LDIF
if out=$("$sbin/slapadd" -n0 -F "$tmp/slapd.d" -l "$tmp/config.ldif" 2>&1) &&
	out=$("$sbin/slaptest" -F "$tmp/slapd.d" -u 2>&1); then
	pass "hostiam.ldif loads into cn=config"
else
	failed "hostiam.ldif loads into cn=config" "$out"
fi
"$sbin/slapcat" -n0 -F "$tmp/slapd.d" 2>/dev/null | tr -d '\n' | sed 's/  *//g' >"$tmp/cfg"
for want in "NAME'hostiamTotpSecret'" "NAME'hostiamMfaUser'" "MAYhostiamTotpSecret"; do
	if grep -q "$want" "$tmp/cfg"; then pass "cn=config has $want"
	else failed "cn=config has $want" "$(head -c 2000 "$tmp/cfg")"; fi
done

# conf/hostiam-self-enrol.ldif applies to a cn=config with a database of the users, and
# gives it the rules of hostiam-self-enrol.conf (which test_enroll_directory.sh runs).
mkdir "$tmp/slapd2.d" "$tmp/db2"
{
	printf 'dn: cn=config\nobjectClass: olcGlobal\ncn: config\n\n'
	if [ -n "$modpath" ]; then
		printf 'dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n'
		printf 'olcModulePath: %s\nolcModuleLoad: back_mdb\n\n' "$modpath"
	fi
	printf 'dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n'
	printf 'include: file://%s/core.ldif\n\n' "$schemadir"
	printf 'include: file://%s/hostiam.ldif\n\n' "$(cd "$srcdir/conf" && pwd)"
	printf 'dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\nolcDatabase: {0}config\n\n'
	printf 'dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n'
	printf 'olcDatabase: {1}mdb\nolcSuffix: dc=example,dc=com\nolcDbDirectory: %s/db2\n' "$tmp"
} >"$tmp/config2.ldif"
if out=$("$sbin/slapadd" -n0 -F "$tmp/slapd2.d" -l "$tmp/config2.ldif" 2>&1) &&
	out=$("$sbin/slapmodify" -n0 -F "$tmp/slapd2.d" -l "$srcdir/conf/hostiam-self-enrol.ldif" 2>&1) &&
	out=$("$sbin/slaptest" -F "$tmp/slapd2.d" -u 2>&1); then
	pass "hostiam-self-enrol.ldif applies to cn=config"
else
	failed "hostiam-self-enrol.ldif applies to cn=config" "$out"
fi
# rules FILE: the access rules of a slapd.conf fragment, one line each, blanks folded
# ("access to" as slapcat shows it below: "access").
rules() {
	grep -v '^#' "$1" | sed 's/^access to /access /' |
		sed -n '/^access /,$p' | tr -s ' \t\n' ' ' | sed 's/ access /\naccess /g; s/ $//'
}
"$sbin/slapcat" -n0 -F "$tmp/slapd2.d" -o ldif-wrap=no 2>/dev/null |
	sed -n 's/^olcAccess: {[0-9]*}to /access /p' | tr -s ' \t' ' ' | sed 's/ $//' >"$tmp/applied"
if [ "$(rules "$srcdir/conf/hostiam-self-enrol.conf")" = "$(cat "$tmp/applied")" ]; then
	pass "hostiam-self-enrol.ldif and .conf give the same rules"
else
	failed "hostiam-self-enrol.ldif and .conf give the same rules" \
		"$(rules "$srcdir/conf/hostiam-self-enrol.conf")
$(cat "$tmp/applied")"
fi

# Both files define the same things: the definitions with keywords and blanks dropped.
defs() {
	grep -v -e '^#' -e '^dn:' -e '^objectClass:' -e '^cn:' "$1" | tr -s ' \t\n' ' ' |
		sed -e 's/attributetype //g; s/objectclass //g' \
		    -e 's/olcAttributeTypes: //g; s/olcObjectClasses: //g; s/^ //; s/ $//'
}
if [ "$(defs "$srcdir/conf/hostiam.schema")" = "$(defs "$srcdir/conf/hostiam.ldif")" ]; then
	pass "hostiam.schema and hostiam.ldif agree"
else
	failed "hostiam.schema and hostiam.ldif agree" \
		"$(defs "$srcdir/conf/hostiam.schema")
$(defs "$srcdir/conf/hostiam.ldif")"
fi
exit $fail
