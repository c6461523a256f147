#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Central enrolment against a real slapd: hostiam enroll --directory USER (an admin bind)
# writes the confirmed secret to the user's entry, a second host (another configuration
# and cache) syncs it and a TOTP login there accepts its codes (pamtester, pam_wrapper);
# a failed confirmation leaves the directory without a secret; hostiam enroll --self, run
# as the directory user with the ACL of conf/hostiam-self-enrol.conf, writes their own
# secret, and that ACL keeps everyone else from writing (or reading) it. Passwords are
# typed (drive.py) or read from 0600 files: never in any /proc/PID/cmdline or environ,
# nor on the command's output.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
SLAPD_SELF_ENROL_ACL=1
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
OATHTOOL=${OATHTOOL:-$(command -v oathtool || true)}
export OATHTOOL
[ -n "$OATHTOOL" ] || { echo "SKIP: no oathtool"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: --self needs another uid (not root)"; exit 77; }
drive=$top_srcdir/tests/enroll/drive.py
fail=0
pass() { echo "ok: $1"; }
failed() { printf 'FAIL: %s\n%s\n' "$1" "$2"; fail=1; }

ADMINDN="cn=mfa-admin,ou=services,$SUFFIX"
ADMINPW="Adm1n-Pw-7f3k"
# alice, bob and carol have no hostiamMfaUser class (enroll adds it); dave has it.
{
	user_ldif alice 10070
	user_ldif bob 10071
	user_ldif carol 10072
	user_ldif dave 10073 | sed 's/^objectClass: account$/&\nobjectClass: hostiamMfaUser/'
	printf 'dn: cn=host-readers,ou=groups,%s\nobjectClass: groupOfNames\ncn: host-readers\nmember: %s\n\n' \
		"$SUFFIX" "$READERDN"
	# An MFA administrator (not the rootdn: the shipped ACL is what lets them write).
	printf 'dn: %s\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: mfa-admin\nuserPassword: %s\n\n' \
		"$ADMINDN" "$ADMINPW"
	printf 'dn: cn=mfa-admins,ou=groups,%s\nobjectClass: groupOfNames\ncn: mfa-admins\nmember: %s\n\n' \
		"$SUFFIX" "$ADMINDN"
} >"$T/users.ldif"
slapd_setup "$T/users.ldif" || fail "slapd did not start"
for u in carol dave; do set_password "$u" "$u-Pa55word" || fail "set_password $u"; done

# Passwords in 0600 files (the admin's, the host reader's, the users').
umask 077
printf '%s\n' "$ROOTPW" >"$T/root.pw"
printf '%s\n' "$ADMINPW" >"$T/admin.pw"
printf '%s\n' "$READERPW" >"$T/bind.pw"
for u in carol dave; do printf '%s\n' "$u-Pa55word" >"$T/$u.pw"; done
printf 'not-the-password\n' >"$T/wrong.pw"
umask 022

conf() { # CACHE-DIR: a configuration with the host reader's bind and that cache
	hostiam_conf "bind_dn = \"$READERDN\"; bind_password_file = \"$T/bind.pw\";" |
		sed "s|dir = \"$T/cache\"|dir = \"$1\"|"
	printf 'mfa = { issuer = "Example"; window = 1; };\naccess = { default = "mfa"; };\n'
}
conf "$T/cache" >"$T/hostiam.conf"
conf "$T/cache2" >"$T/host2.conf"
mkdir -p "$T/cache2"

# enroll MODE ARGS...: hostiam enroll ARGS as root with drive.py answering MODE.
enroll() {
	mode=$1
	shift
	status=0
	rm -f "$T/uri" "$T/qr" "$T/procscan"
	python3 "$drive" "$mode" "$T" "$HOSTIAM" --config "$T/hostiam.conf" enroll "$@" ||
		status=$?
}
# expect_status WHAT WANT
expect_status() {
	if [ "$status" = "$2" ]; then pass "$1"
	else failed "$1" "$(printf '  exit %s, want %s\n  out: %s\n  err: %s' "$status" "$2" \
		"$(head -c 2000 "$T/out" 2>/dev/null)" "$(cat "$T/err" 2>/dev/null)")"; fi
}
# stored USER [BIND-DN PASSWORD-FILE]: USER's secret as the rootdn (or that DN) reads it.
# A failed search prints "search failed: EXIT" (a bind that fails must not look like "none").
stored() {
	local dn=${2:-$ROOTDN} pw=${3:-$T/root.pw} out
	out=$(ldapsearch -x -LLL -o ldif-wrap=no -H "ldap://127.0.0.1:$LDAP_PORT" -D "$dn" \
		-y <(tr -d '\n' <"$pw") -b "$(user_dn "$1")" -s base hostiamTotpSecret 2>&1) ||
		{ echo "search failed: $?"; return; }
	printf '%s\n' "$out" | sed -n 's/^hostiamTotpSecret: //p'
}
uri_secret() { sed -n 's/^secret=//p' "$T/uri" 2>/dev/null; }
expect_stored() { # WHAT USER WANT
	local got
	got=$(stored "$2")
	if [ "$got" = "$3" ]; then pass "$1"; else failed "$1" "  stored '$got', want '$3'"; fi
}

# --- --directory: the admin's password from a file -------------------------------------
# Early in a 30 s step, so that the confirmation code is still within the window when it is
# replayed below; t0 is a time of the step it was made in.
while [ $(($(date +%s) % 30)) -gt 15 ]; do sleep 1; done
t0=$(date +%s)
enroll right --directory alice --bind-dn "$ADMINDN" --bind-password-file "$T/admin.pw"
expect_status "enroll --directory alice" 0
secret=$(uri_secret)
[ -n "$secret" ] && grep -q "^ok$" "$T/qr" && pass "  ... URI and QR code shown" ||
	failed "  ... URI and QR code shown" "$(cat "$T/qr" "$T/out")"
expect_stored "  ... the confirmed secret is in alice's entry" alice "$secret"
ldapsearch -x -LLL -H "ldap://127.0.0.1:$LDAP_PORT" -D "$ROOTDN" -y <(printf %s "$ROOTPW") \
	-b "$(user_dn alice)" -s base objectClass | grep -qx 'objectClass: hostiamMfaUser' &&
	pass "  ... hostiamMfaUser added" || failed "  ... hostiamMfaUser added" ""
grep -q "Enrolled alice in the directory" "$T/out" && pass "  ... said so" ||
	failed "  ... said so" "$(cat "$T/out")"

# --- a second host syncs it, and a login there takes its codes -----------------------------
"$HOSTIAM" --config "$T/host2.conf" sync 2>"$T/sync2.err" || failed "sync on host 2" "$(cat "$T/sync2.err")"
PAMTESTER=${PAMTESTER:-$(command -v pamtester)}
pam_wrapper=$(ls /usr/lib/*/libpam_wrapper.so /usr/lib/libpam_wrapper.so 2>/dev/null | head -1)
if [ -x "$PAMTESTER" ] && [ -n "$pam_wrapper" ]; then
	mkdir "$T/pam.d"
	# The host the enrolment ran on (as root): the confirmation code, typed in front of
	# whoever watched, never opens a login there.
	"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/sync.err" || failed "sync" "$(cat "$T/sync.err")"
	printf 'auth required %s config=%s\naccount required %s config=%s\n' \
		"$top_builddir/.libs/pam_hostiam.so" "$T/hostiam.conf" \
		"$top_builddir/.libs/pam_hostiam.so" "$T/hostiam.conf" >"$T/pam.d/sshd1"
	printf '%s\n' "$("$OATHTOOL" --totp -b --now="@$t0" "$secret")" | LD_PRELOAD="$pam_wrapper" \
		PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$T/pam.d" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		bash "$top_srcdir/tests/nss/nsswrap.sh" "$T/cache/nss.cache" \
		"$PAMTESTER" -I rhost=203.0.113.9 sshd1 alice authenticate >"$T/pam.out" 2>&1
	# Refused as a code (not as an unknown user, nor for an error of the setup).
	grep -q 'Authentication failure' "$T/pam.out" && pass "host 1: the confirmation code is spent" ||
		failed "host 1: the confirmation code is spent" "$(cat "$T/pam.out")"
	printf 'auth required %s config=%s\naccount required %s config=%s\n' \
		"$top_builddir/.libs/pam_hostiam.so" "$T/host2.conf" \
		"$top_builddir/.libs/pam_hostiam.so" "$T/host2.conf" >"$T/pam.d/sshd"
	login() { # CODE
		printf '%s\n' "$1" | LD_PRELOAD="$pam_wrapper" PAM_WRAPPER=1 \
			PAM_WRAPPER_SERVICE_DIR="$T/pam.d" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
			bash "$top_srcdir/tests/nss/nsswrap.sh" "$T/cache2/nss.cache" \
			"$PAMTESTER" -I rhost=203.0.113.9 sshd alice authenticate acct_mgmt \
			>"$T/pam.out" 2>&1
	}
	while [ $(($(date +%s) % 30)) -gt 25 ]; do sleep 1; done
	login 000000 && failed "host 2: a wrong code is refused" "" || pass "host 2: a wrong code is refused"
	if login "$("$OATHTOOL" --totp -b "$secret")"; then pass "host 2: alice logs in with the directory's secret"
	else failed "host 2: alice logs in with the directory's secret" "$(cat "$T/pam.out")"; fi
else
	echo "SKIP: no pamtester/pam_wrapper: the login on host 2 is not tried"
fi

# --- no unconfirmed secret ever reaches the directory --------------------------------------
enroll wrong --directory bob --bind-dn "$ADMINDN" --bind-password-file "$T/admin.pw"
expect_status "a wrong confirmation code fails" 1
expect_stored "  ... bob's entry has no secret" bob ""
enroll none --directory bob --bind-dn "$ADMINDN" --bind-password-file "$T/admin.pw"
expect_status "no confirmation code fails" 1
expect_stored "  ... bob's entry has no secret" bob ""

# --- a secret is replaced only with --force ---------------------------------------------
enroll right --directory alice --bind-dn "$ADMINDN" --bind-password-file "$T/admin.pw"
expect_status "re-enrolment without --force is refused" 1
expect_stored "  ... the secret unchanged" alice "$secret"
grep -q "already has a secret in the directory (--force replaces it)" "$T/err" &&
	pass "  ... saying why" || failed "  ... saying why" "$(cat "$T/err")"
enroll right --directory alice --bind-dn "$ADMINDN" --bind-password-file "$T/admin.pw" --force
expect_status "re-enrolment with --force" 0
expect_stored "  ... the new secret stored" alice "$(uri_secret)"

# --- a wrong admin password: refused before any secret is shown ----------------------------
enroll right --directory bob --bind-dn "$ADMINDN" --bind-password-file "$T/wrong.pw"
expect_status "a wrong admin password is refused" 1
[ -z "$(uri_secret)" ] && pass "  ... before a secret is shown" || failed "  ... before a secret is shown" ""
grep -q "bind: Invalid credentials" "$T/err" && pass "  ... saying why" ||
	failed "  ... saying why" "$(cat "$T/err")"
enroll right --directory bob --bind-dn "$(user_dn dave)" --bind-password-file "$T/dave.pw" --force
expect_status "a bind DN the ACL does not let write: refused" 1
grep -q "modify: Insufficient access" "$T/err" && pass "  ... by the directory" ||
	failed "  ... by the directory" "$(cat "$T/err")"
expect_stored "  ... bob's entry has no secret" bob ""
# A password never goes over plain ldap:// to another host: such a server is skipped (a
# host that binds anonymously: the configuration refuses that URI with a bind_dn).
HOSTIAM_URIS="\"ldap://192.0.2.1\", \"ldap://127.0.0.1:$LDAP_PORT\"" hostiam_conf >"$T/clear.conf"
status=0
"$HOSTIAM" --config "$T/clear.conf" enroll --directory nosuch --bind-dn "$ADMINDN" \
	--bind-password-file "$T/admin.pw" </dev/null >"$T/out" 2>"$T/err" || status=$?
grep -q "no entry for nosuch" "$T/err" && ! grep -q "192.0.2.1" "$T/err" &&
	pass "plain ldap:// to another host: skipped, the next server asked" ||
	failed "plain ldap:// to another host: skipped, the next server asked" "$(cat "$T/err")"
HOSTIAM_URIS="\"ldap://192.0.2.1\"" hostiam_conf >"$T/clear.conf"
"$HOSTIAM" --config "$T/clear.conf" enroll --directory alice --bind-dn "$ADMINDN" \
	--bind-password-file "$T/admin.pw" </dev/null >"$T/out" 2>"$T/err"
status=$?
expect_status "  ... none left: refused" 1
grep -q "every directory.uri is plain ldap:// to another host" "$T/err" && pass "  ... saying why" ||
	failed "  ... saying why" "$(cat "$T/err")"
enroll right --directory nosuch --bind-dn "$ADMINDN" --bind-password-file "$T/admin.pw"
expect_status "a user without an entry is refused" 1

# --- the admin's password typed: never in a process's argv or environment, nor printed ----
DRIVE_PASSWORD_FILE=$T/admin.pw enroll right --directory bob --bind-dn "$ADMINDN"
expect_status "enroll --directory bob, the password typed" 0
grep -q "^Password for $ADMINDN: " "$T/out" && pass "  ... asked for" || failed "  ... asked for" "$(cat "$T/out")"
expect_stored "  ... bob's secret stored" bob "$(uri_secret)"
check_clean() { # WHAT PASSWORD
	if [ "$(cat "$T/procscan" 2>/dev/null)" = clean ]; then pass "$1: not in /proc/*/cmdline or environ"
	else failed "$1: not in /proc/*/cmdline or environ" "$(cat "$T/procscan" 2>/dev/null)"; fi
	if grep -qF -- "$2" "$T/out" "$T/err"; then failed "$1: not on the output" ""
	else pass "$1: not on the output"; fi
}
check_clean "  ... the admin password" "$ADMINPW"
DRIVE_STDIN_TTY=1 DRIVE_PASSWORD_FILE=$T/admin.pw enroll right --directory alice --bind-dn "$ADMINDN" --force
expect_status "enroll --directory alice, the password typed on a terminal" 0
check_clean "  ... the admin password" "$ADMINPW"
grep -aq "^Password for $ADMINDN: \$" "$T/out" && pass "  ... not echoed (a bare newline after the prompt)" ||
	failed "  ... not echoed (a bare newline after the prompt)" "$(head -3 "$T/out")"
expect_stored "  ... alice's new secret stored" alice "$(uri_secret)"

# --- --self, as the user, with the shipped ACL --------------------------------------------
"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/sync.err" || failed "sync" "$(cat "$T/sync.err")"
chmod 0711 "$T"
chmod 0644 "$T/hostiam.conf"
# refused_as WHAT add|replace DN PASSWORD-FILE USER: bound as DN, ldapmodify cannot set
# USER's secret: insufficient access (50).
refused_as() {
	local rc
	printf 'dn: %s\nchangetype: modify\n%s: hostiamTotpSecret\nhostiamTotpSecret: JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n' \
		"$(user_dn "$5")" "$2" | ldapmodify -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$3" \
		-y <(tr -d '\n' <"$4") >"$T/ldapmodify.out" 2>&1
	rc=$?
	if [ "$rc" = 50 ]; then pass "  ... $1 (insufficient access)"
	else failed "  ... $1 (insufficient access)" "exit $rc: $(cat "$T/ldapmodify.out")"; fi
}
self() { # MODE UID PASSWORD-FILE [ARGS]
	local mode=$1 id=$2 pw=$3
	shift 3
	status=0
	rm -f "$T/uri" "$T/qr" "$T/procscan"
	DRIVE_PASSWORD_FILE=$pw python3 "$drive" "$mode" "$T" setpriv --reuid="$id" \
		--regid="$id" --clear-groups "$HOSTIAM" --config "$T/hostiam.conf" enroll --self "$@" ||
		status=$?
}
self right 10072 "$T/carol.pw"
expect_status "carol: enroll --self" 0
grep -q "^Directory password for carol: " "$T/out" && pass "  ... her password asked for" ||
	failed "  ... her password asked for" "$(cat "$T/out")"
carol_secret=$(uri_secret)
expect_stored "  ... her secret in her entry" carol "$carol_secret"
check_clean "  ... her password" "carol-Pa55word"
got=$(stored carol "$READERDN" "$T/bind.pw")
[ "$got" = "$carol_secret" ] && pass "  ... the host reader reads it" ||
	failed "  ... the host reader reads it" "got '$got'"
got=$(stored carol "$(user_dn carol)" "$T/carol.pw")
[ -z "$got" ] && pass "  ... carol cannot read it back" || failed "  ... carol cannot read it back" "$got"
got=$(stored carol "$(user_dn dave)" "$T/dave.pw")
[ -z "$got" ] && pass "  ... dave cannot read it" || failed "  ... dave cannot read it" "$got"
refused_as "dave cannot write it" replace "$(user_dn dave)" "$T/dave.pw" carol
expect_stored "  ... her secret unchanged" carol "$carol_secret"
refused_as "dave cannot add one to another entry either" add "$(user_dn dave)" "$T/dave.pw" bob

self right 10073 "$T/wrong.pw"
expect_status "dave: --self with a wrong password is refused" 1
[ -z "$(uri_secret)" ] && pass "  ... before a secret is shown" || failed "  ... before a secret is shown" ""
self wrong 10073 "$T/dave.pw"
expect_status "dave: --self, a wrong confirmation code" 1
expect_stored "  ... no secret in his entry" dave ""
self right 10073 "$T/dave.pw"
expect_status "dave: --self (hostiamMfaUser already there)" 0
expect_stored "  ... his secret in his entry" dave "$(uri_secret)"
self right 10072 "$T/carol.pw"
expect_status "carol: --self again is refused (an administrator replaces a secret)" 1
grep -q "you already have a secret in the directory: an administrator replaces it" "$T/err" &&
	pass "  ... saying so" || failed "  ... saying so" "$(cat "$T/err")"
[ -z "$(uri_secret)" ] && pass "  ... before a secret is shown" || failed "  ... before a secret is shown" ""
expect_stored "  ... her secret unchanged" carol "$carol_secret"
refused_as "nor can she replace it by hand" replace "$(user_dn carol)" "$T/carol.pw" carol
expect_stored "  ... her secret unchanged" carol "$carol_secret"

self right 4242 "$T/carol.pw"
expect_status "--self by a uid that is no directory user is refused" 1
grep -q "uid 4242 is not a directory user" "$T/err" && pass "  ... saying why" ||
	failed "  ... saying why" "$(cat "$T/err")"
"$HOSTIAM" --config "$T/hostiam.conf" enroll --self </dev/null >"$T/out" 2>"$T/err"
status=$?
expect_status "--self as root is refused" 1

# --- usage ----------------------------------------------------------------------------------
usage() { # WHAT ARGS...
	local what=$1
	shift
	"$HOSTIAM" --config "$T/hostiam.conf" enroll "$@" </dev/null >"$T/out" 2>"$T/err"
	status=$?
	expect_status "$what" 2
}
usage "--directory without --bind-dn" --directory alice
usage "--directory without a user" --directory --bind-dn "$ROOTDN"
usage "--self with a user" --self alice
usage "--self with --force" --self --force
usage "--directory and --self" --directory alice --self --bind-dn "$ROOTDN"
usage "--directory with --secret" --directory alice --bind-dn "$ROOTDN" --secret JBSWY3DPEHPK3PXP
usage "--directory with --digits" --directory alice --bind-dn "$ROOTDN" --digits 8
usage "--bind-dn without --directory" alice --bind-dn "$ROOTDN"
exit $fail
