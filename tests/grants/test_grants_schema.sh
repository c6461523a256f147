#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# conf/hostiam-grants.ldif loads into a cn=config (slapd.d) and defines what
# conf/hostiam-grants.schema does (test_grants_directory.sh runs the slapd.conf form).
set -u
sbin=$(dirname "${SLAPD:-/usr/sbin/slapd}")
schemadir=/etc/ldap/schema
srcdir=${top_srcdir:?}
[ -x "$sbin/slapadd" ] && [ -f "$schemadir/core.ldif" ] || { echo "SKIP: no slapadd or core.ldif"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/grants-schema.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
conf=$(cd "$srcdir/conf" && pwd)

mkdir "$tmp/slapd.d"
cat >"$tmp/config.ldif" <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://$schemadir/core.ldif

include: file://$conf/hostiam.ldif

include: file://$conf/hostiam-grants.ldif

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
LDIF
if out=$("$sbin/slapadd" -n0 -F "$tmp/slapd.d" -l "$tmp/config.ldif" 2>&1) &&
	out=$("$sbin/slaptest" -F "$tmp/slapd.d" -u 2>&1); then
	echo "ok: hostiam-grants.ldif loads into cn=config"
else
	echo "FAIL: hostiam-grants.ldif loads into cn=config"; echo "$out"; fail=1
fi
"$sbin/slapcat" -n0 -F "$tmp/slapd.d" 2>/dev/null | tr -d '\n' | sed 's/  *//g' >"$tmp/cfg"
for want in "NAME'hostiamGrant'" "NAME'hostiamGrantRequester'" "NAME'hostiamGrantNotAfter'"; do
	grep -q "$want" "$tmp/cfg" && echo "ok: cn=config has $want" ||
		{ echo "FAIL: cn=config has no $want"; fail=1; }
done
# The same definitions, keywords and blanks aside.
defs() {
	grep -v -e '^#' -e '^dn:' -e '^objectClass:' -e '^cn:' "$1" | tr -s ' \t\n' ' ' |
		sed -e 's/attributetype //g; s/objectclass //g' \
		    -e 's/olcAttributeTypes: //g; s/olcObjectClasses: //g; s/^ //; s/ $//'
}
if [ "$(defs "$conf/hostiam-grants.schema")" = "$(defs "$conf/hostiam-grants.ldif")" ]; then
	echo "ok: hostiam-grants.schema and .ldif agree"
else
	echo "FAIL: hostiam-grants.schema and .ldif differ"; fail=1
fi
exit $fail
