#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Directory-provided MFA: `hostiam sync` copies hostiamTotpSecret into the root-only
# auth.cache (never into the public nss.cache), skips unusable secrets with a log line,
# follows changes and deletions, and a login through pam_hostiam then accepts a code from
# that secret while slapd is stopped.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
SECRET=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
cat > "$T/mfa.ldif" <<LDIF
dn: uid=mia,ou=people,$SUFFIX
objectClass: inetOrgPerson
objectClass: posixAccount
objectClass: hostiamMfaUser
uid: mia
cn: Mia
sn: M
uidNumber: 10060
gidNumber: 10060
homeDirectory: /home/mia
loginShell: /bin/bash
hostiamTotpSecret: $SECRET

dn: uid=ned,ou=people,$SUFFIX
objectClass: inetOrgPerson
objectClass: posixAccount
objectClass: hostiamMfaUser
uid: ned
cn: Ned
sn: N
uidNumber: 10061
gidNumber: 10061
homeDirectory: /home/ned
hostiamTotpSecret: not base32!
LDIF
slapd_setup "$T/mfa.ldif" || fail "slapd did not start"
hostiam_conf > "$T/hostiam.conf"
cat >> "$T/hostiam.conf" <<'CONF'
access = { default = "mfa"; };
CONF
H() { "$HOSTIAM" --config "$T/hostiam.conf" "$@"; }
AUTH="$T/cache/auth.cache"

H sync 2>"$T/sync.err" || { cat "$T/sync.err"; fail "sync failed"; }
[ "$(stat -c %a "$AUTH")" = 600 ] || fail "auth.cache mode $(stat -c %a "$AUTH")"
grep -q "^$(printf 'mia\t%s\t' "$SECRET")" "$AUTH" || fail "mia's secret not in auth.cache"
grep -q '^ned' "$AUTH" && fail "an unusable secret reached auth.cache"
grep -q "ignoring TOTP secret.*dn=uid=ned" "$T/sync.err" || fail "ned's secret not reported"
grep -q "$SECRET" "$T/cache/nss.cache" && fail "the secret leaked into nss.cache"
grep -q "$SECRET" "$T/sync.err" && fail "the secret reached the log"
echo "ok: secret in auth.cache only"

# pam_hostiam through pamtester (pam_wrapper) and the NSS module (nss_wrapper).
PAMTESTER=${PAMTESTER:-$(command -v pamtester)}
PAM_WRAPPER_LIB=$(ls /usr/lib/*/libpam_wrapper.so /usr/lib/libpam_wrapper.so 2>/dev/null | head -1)
[ -x "$PAMTESTER" ] && [ -n "$PAM_WRAPPER_LIB" ] || { echo "SKIP: no pamtester/pam_wrapper"; exit 77; }
mkdir "$T/pam.d"
printf 'auth required %s config=%s\naccount required %s config=%s\n' \
	"$top_builddir/.libs/pam_hostiam.so" "$T/hostiam.conf" \
	"$top_builddir/.libs/pam_hostiam.so" "$T/hostiam.conf" > "$T/pam.d/sshd"
login() { # CODE: exit status of pamtester authenticate+acct_mgmt as mia from a remote host
	printf '%s\n' "$1" | LD_PRELOAD="$PAM_WRAPPER_LIB" PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$T/pam.d" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		bash "$top_srcdir/tests/nss/nsswrap.sh" "$T/cache/nss.cache" \
		"$PAMTESTER" -I rhost=203.0.113.9 sshd mia authenticate acct_mgmt >"$T/pam.out" 2>&1
}
slapd_stop
# Stay clear of a step boundary: the code must be current when the module checks it.
while [ $(( $(date +%s) % 30 )) -gt 25 ]; do sleep 1; done
login 000000 && fail "a wrong code was accepted"
code=$(oathtool --totp -b "$SECRET")
login "$code" || { cat "$T/pam.out"; fail "the directory's secret did not log mia in (slapd down)"; }
login "$code" && fail "a replayed code was accepted"
echo "ok: login with the directory's secret while slapd is stopped; replay refused"

# The agent follows: a changed secret and a deleted user reach auth.cache within 2 s.
slapd_start || fail "slapd did not restart"
"$HOSTIAM" --config "$T/hostiam.conf" sync --follow 2>"$T/agent.err" &
AGENT_PID=$!
trap 'kill $AGENT_PID 2>/dev/null; slapd_cleanup' EXIT
wait_for 5 "grep -q '^mia' '$AUTH'" || fail "agent did not publish"
ldap_modify <<LDIF
dn: uid=mia,ou=people,$SUFFIX
changetype: modify
replace: hostiamTotpSecret
hostiamTotpSecret: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
LDIF
wait_for 2 "grep -q GEZDGNBVGY3TQOJQ '$AUTH'" || fail "changed secret not in auth.cache within 2 s"
ldap_delete "uid=mia,ou=people,$SUFFIX"
wait_for 2 "! grep -q '^mia' '$AUTH'" || fail "deleted user's secret still in auth.cache after 2 s"
kill $AGENT_PID; wait $AGENT_PID 2>/dev/null
echo "PASS"
