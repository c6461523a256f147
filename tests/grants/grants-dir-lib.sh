# SPDX-License-Identifier: BSD-2-Clause
# grants-dir-lib.sh: sourced by the directory.grants tests. A real slapd with hostiam.schema,
# conf/hostiam-grants.schema and hostiam-grants-acl.conf; users alice (in ops: eligible),
# bob (in leads and cn=grant-approvers: approver) and carol (neither), passwords
# pw-USER-123; ou=grants (GRANTS) empty; CONF with directory.grants and the admins role
# (max 4h); NSSENV, nssenv: the hostiam NSS module through nss_wrapper; ok, bad, FAILS;
# as USER < LDIF: ldapmodify bound as USER; gtime SECONDS: GeneralizedTime.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
. "$top_srcdir/tests/find-lib.sh"
nss_wrapper=${NSS_WRAPPER_LIB:-$(find_lib libnss_wrapper.so)}
[ -n "$nss_wrapper" ] || { echo "SKIP: nss_wrapper not found"; exit 77; }
GRANTS="ou=grants,$SUFFIX"

# slapd-lib's configuration plus the grants' schema and access rules.
eval "slapd_lib_$(declare -f slapd_write_conf)"
slapd_write_conf() {
	slapd_lib_slapd_write_conf || return 1
	sed -i -e "/conf\/hostiam.schema/a include $top_srcdir/conf/hostiam-grants.schema" \
		-e "/^access to \* by \* read/i include $top_srcdir/conf/hostiam-grants-acl.conf" \
		"$T/slapd.conf"
}
{
	user_ldif alice 10001 10001
	user_ldif bob 10002 10001
	user_ldif carol 10003 10001
	printf 'dn: cn=staff,ou=groups,%s\nobjectClass: posixGroup\ncn: staff\ngidNumber: 10001\n\n' "$SUFFIX"
	printf 'dn: cn=ops,ou=groups,%s\nobjectClass: posixGroup\ncn: ops\ngidNumber: 20001\nmemberUid: alice\n\n' "$SUFFIX"
	printf 'dn: cn=leads,ou=groups,%s\nobjectClass: posixGroup\ncn: leads\ngidNumber: 20002\nmemberUid: bob\n\n' "$SUFFIX"
	printf 'dn: cn=admins,ou=groups,%s\nobjectClass: posixGroup\ncn: admins\ngidNumber: 20009\n\n' "$SUFFIX"
	printf 'dn: cn=grant-approvers,ou=groups,%s\nobjectClass: groupOfNames\ncn: grant-approvers\nmember: %s\n\n' "$SUFFIX" "$(user_dn bob)"
	printf 'dn: %s\nobjectClass: organizationalUnit\nou: grants\n\n' "$GRANTS"
} > "$T/grants.ldif"
slapd_setup "$T/grants.ldif" || fail "slapd did not start"
for u in alice bob carol; do set_password "$u" "pw-$u-123" || fail "password $u"; done

FAILS=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
# as USER < LDIF: ldapmodify bound as USER; its exit status (50: insufficient access).
as() { ldapmodify -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$(user_dn "$1")" -w "pw-$1-123" >/dev/null 2>&1; }
gtime() { date -u -d "@$1" +%Y%m%d%H%M%SZ; }

CONF="$T/hostiam.conf"
{
	hostiam_conf "grants = { base = \"$GRANTS\"; };"
	echo 'elevation = ( { role = "admins"; eligible = "ops"; approvers = "leads"; max = "4h"; } );'
} > "$CONF"
chmod 0644 "$CONF"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$T/passwd"
printf 'root:x:0:\n' > "$T/group"
# (sanitizer builds: the ASan runtime refuses nss_wrapper's RTLD_DEEPBIND dlopen of libc,
# google/sanitizers#611, and is not first in the preload list)
NSSENV=(LD_PRELOAD="$nss_wrapper" NSS_WRAPPER_PASSWD="$T/passwd" NSS_WRAPPER_GROUP="$T/group"
	NSS_WRAPPER_DISABLE_DEEPBIND=1
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	NSS_WRAPPER_MODULE_SO_PATH="$top_builddir/.libs/libnss_hostiam.so.2"
	NSS_WRAPPER_MODULE_FN_PREFIX=hostiam HOSTIAM_NSS_CACHE="$T/cache/nss.cache"
	HOSTIAM_GRANTS_CACHE="$T/cache/grants.cache")
nssenv() { env "${NSSENV[@]}" "$@"; }
