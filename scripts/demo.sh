#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The hostiam demo: a throwaway slapd on 127.0.0.1 with sample users, a sync, lookups
# through the NSS module (via nss_wrapper: nothing is installed system-wide), conditional
# access explained by `hostiam check`, a login through pam_hostiam that asks for a TOTP code
# (pamtester under pam_wrapper, the code from oathtool), the same with the directory
# password, an account expired in the directory refused, `hostiam review`, the agent
# following a change, and lookups still answered with the directory down.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "Installing build dependencies (Debian packages) and building in build/"
"$top/scripts/deps.sh"
cd "$top"
[ -x configure ] || ./autogen.sh >/dev/null
mkdir -p build && cd build
[ -f Makefile ] || ../configure -q
make -j"$(nproc)" >/dev/null
make -j"$(nproc)" tests/nss/cachegen >/dev/null 2>&1 || true

export top_srcdir="$top" top_builddir="$top/build"
# shellcheck source=../tests/integration/slapd-lib.sh
. "$top/tests/integration/slapd-lib.sh"
AGENT=
demo_cleanup() { [ -z "$AGENT" ] || kill "$AGENT" 2>/dev/null || true; slapd_cleanup; }
trap demo_cleanup EXIT

step "Starting a throwaway slapd on 127.0.0.1 with sample users and groups"
slapd_setup "$top/scripts/demo.ldif"
echo "slapd is listening on ldap://127.0.0.1:$LDAP_PORT (data in $T)"
hostiam_conf > "$T/hostiam.conf"
cat >> "$T/hostiam.conf" <<'CONF'
access = {
  default = "deny";
  rules = (
    { name = "office"; service = [ "sshd" ]; from = [ "10.0.0.0/8" ]; action = "allow"; },
    { name = "admins-remote"; service = [ "sshd" ]; group = [ "admins" ]; action = "mfa"; }
  );
};
CONF
nss() { "$top/tests/nss/nsswrap.sh" "$T/cache/nss.cache" "$@"; }
# The command resolves users through NSS as well (authorized-keys, check, review, enroll).
H() { nss "$HOSTIAM" --config "$T/hostiam.conf" "$@"; }
cat "$T/hostiam.conf"

step "Checking the configuration and syncing"
show H config-check
show H sync
show H status

step "Lookups through libnss_hostiam.so.2 (glibc, via nss_wrapper)"
show nss getent passwd alice
show nss id alice
show nss id bob
show nss getent group developers
show nss getent passwd 10003
show H authorized-keys alice

step "Conditional access: hostiam check explains a decision before it happens"
show H check alice --service sshd --from 10.1.2.3 || true
show H check bob --service sshd --from 203.0.113.7 || true
show H check alice --service sshd --from 203.0.113.7 || true

step "MFA: enrol alice (an existing secret), then log in through pam_hostiam"
SECRET=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
show H enroll alice --secret "$SECRET"
mkdir -p "$T/pam.d"
printf 'auth required %s config=%s\naccount required %s config=%s\nsession optional %s config=%s\n' \
	"$top_builddir/.libs/pam_hostiam.so" "$T/hostiam.conf" \
	"$top_builddir/.libs/pam_hostiam.so" "$T/hostiam.conf" \
	"$top_builddir/.libs/pam_hostiam.so" "$T/hostiam.conf" > "$T/pam.d/sshd"
echo "PAM stack ($T/pam.d/sshd):"; cat "$T/pam.d/sshd"
# libpam wants a fallback service; deny everything there.
deny=$(ls /lib/*/security/pam_deny.so /usr/lib/*/security/pam_deny.so 2>/dev/null | head -1)
printf 'auth required %s\naccount required %s\n' "$deny" "$deny" > "$T/pam.d/other"
pam_wrapper=$(ls /usr/lib/*/libpam_wrapper.so 2>/dev/null | head -1)
pam_login() { # USER RHOST CODE: pamtester as sshd would call the stack
	printf '%s\n' "$3" | LD_PRELOAD="$pam_wrapper" PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$T/pam.d" nss pamtester -I rhost="$2" sshd "$1" \
		authenticate acct_mgmt open_session
}
while [ $(( $(date +%s) % 30 )) -gt 25 ]; do sleep 1; done  # keep the code current
code=$(oathtool --totp -b "$SECRET")
echo "\$ pamtester sshd alice (from 203.0.113.7), answering the prompt with $code from oathtool"
pam_login alice 203.0.113.7 "$code" || true
echo "\$ the same code again (a replay):"
pam_login alice 203.0.113.7 "$code" || true
echo "\$ bob from 203.0.113.7 (no rule lets him in):"
pam_login bob 203.0.113.7 "" || true

step "A directory password: alice logs in with it and a code (pam_hostiam password)"
set_password alice 'Alice-Demo-Pw1'
# The password is checked by the helper (a bind as alice), never inside the application.
printf 'auth required %s password helper=%s config=%s\naccount required %s config=%s\n' \
	"$top_builddir/.libs/pam_hostiam.so" "$top_builddir/hostiam-auth" "$T/hostiam.conf" \
	"$top_builddir/.libs/pam_hostiam.so" "$T/hostiam.conf" > "$T/pam.d/sshd"
echo "PAM stack ($T/pam.d/sshd):"; cat "$T/pam.d/sshd"
while [ $(( $(date +%s) % 30 )) -gt 25 ]; do sleep 1; done
code=$(oathtool --totp -b -N "now + 30 seconds" "$SECRET")   # the last one was spent
echo "\$ pamtester sshd alice, answering Password: and Verification code: ($code)"
printf '%s\n%s\n' 'Alice-Demo-Pw1' "$code" | LD_PRELOAD="$pam_wrapper" PAM_WRAPPER=1 \
	PAM_WRAPPER_SERVICE_DIR="$T/pam.d" nss pamtester -I rhost=203.0.113.7 sshd alice \
	authenticate acct_mgmt || true
echo "\$ a wrong password:"
printf '%s\n' 'not-her-password' | LD_PRELOAD="$pam_wrapper" PAM_WRAPPER=1 \
	PAM_WRAPPER_SERVICE_DIR="$T/pam.d" nss pamtester -I rhost=203.0.113.7 sshd alice \
	authenticate || true

step "Off-boarding: alice's account expires in the directory; the next login is refused"
ldap_modify <<LDIF
dn: uid=alice,ou=people,$SUFFIX
changetype: modify
add: objectClass
objectClass: shadowAccount
-
replace: shadowExpire
shadowExpire: 1
LDIF
show H sync >/dev/null
show H check alice --service sshd --from 10.1.2.3 | grep -E '^ *(account|decision|rule):' || true
echo "\$ pamtester sshd alice acct_mgmt (from the office, which a rule allows)"
LD_PRELOAD="$pam_wrapper" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$T/pam.d" \
	nss pamtester -I rhost=10.1.2.3 sshd alice acct_mgmt </dev/null || true
ldap_modify <<LDIF
dn: uid=alice,ou=people,$SUFFIX
changetype: modify
delete: shadowExpire
LDIF
H sync >/dev/null

step "Access review: who can get in here, and how"
show H review || true

step "The agent follows the directory: add dave, then remove him"
"$HOSTIAM" --config "$T/hostiam.conf" sync --follow >"$T/agent.log" 2>&1 &
AGENT=$!
sleep 1
ldap_add <<LDIF
dn: uid=dave,ou=people,$SUFFIX
objectClass: inetOrgPerson
objectClass: posixAccount
uid: dave
cn: Dave New
sn: New
uidNumber: 10004
gidNumber: 10001
homeDirectory: /home/dave
LDIF
start=$(now_us)
wait_for 5 'nss getent passwd dave >/dev/null'
echo "dave appeared after $(( ($(now_us) - start) / 1000 )) ms:"
nss getent passwd dave
ldap_delete "uid=dave,ou=people,$SUFFIX"
start=$(now_us)
wait_for 5 '! nss getent passwd dave >/dev/null'
echo "dave was gone after $(( ($(now_us) - start) / 1000 )) ms"
kill "$AGENT"; wait "$AGENT" 2>/dev/null || true; AGENT=

step "The directory goes down; lookups keep working from the cache"
slapd_stop
show nss id alice
show H sync || echo "(sync failed as expected; the last good cache was kept)"
show H status || true

step "Done; the slapd, the cache and the build's temp files are removed on exit"
