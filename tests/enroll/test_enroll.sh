#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam enroll / unenroll / unlock, end to end under nss_wrapper: users resolve through
# glibc and the hostiam NSS module (tests/nss/nsswrap.sh over a cachegen cache); drive.py
# plays the user with an authenticator (codes from oathtool); mfa_probe reads back what
# was stored, and tries codes, as a login would.
set -u
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
hostiam=$builddir/hostiam
probe=$builddir/tests/enroll/mfa_probe
wrap=$srcdir/tests/nss/nsswrap.sh
drive=$srcdir/tests/enroll/drive.py
OATHTOOL=${OATHTOOL:-$(command -v oathtool || true)}
export OATHTOOL
fail=0
TZ=UTC
export TZ

for f in "$hostiam" "$probe" "$builddir/tests/nss/cachegen" "$builddir/.libs/libnss_hostiam.so.2"; do
	[ -f "$f" ] || { echo "missing $f (build first)"; exit 99; }
done
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
[ -n "$OATHTOOL" ] || { echo "oathtool not found: skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-enroll.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 0700 "$tmp"
mkdir -m 0700 "$tmp/var"

printf 'root:x:0:0:root:/root:/bin/sh\nlocalop:x:1500:1500:Local:/home/localop:/bin/sh\n' \
	>"$tmp/passwd"
printf 'root:x:0:\nlocalop:x:1500:\n' >"$tmp/group"
cat >"$tmp/desc" <<'DESC'
generation:1
synctime:1767225600
user:alice:1001:1001:Alice:/home/alice:/bin/bash
user:bob:1002:1002:Bob:/home/bob:/bin/bash
user:carol:1003:1003:Carol:/home/carol:/bin/bash
user:dave:1004:1004:Dave:/home/dave:/bin/bash
user:erin:1005:1005:Erin:/home/erin:/bin/bash
user:frank:1006:1006:Frank:/home/frank:/bin/bash
group:staff:2002:alice,bob,carol,dave,erin,frank
DESC
"$builddir/tests/nss/cachegen" "$tmp/desc" "$tmp/var/nss.cache" >/dev/null ||
	{ echo "cachegen failed"; exit 99; }
NSS_WRAPPER_PASSWD=$tmp/passwd
NSS_WRAPPER_GROUP=$tmp/group
export NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP

conf=$tmp/hostiam.conf
cat >"$conf" <<CONF
directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; min_uid = 1000; };
cache = { dir = "$tmp/var"; max_age = 1576800000; };
mfa = { issuer = "Example Corp / ops"; window = 1; max_failures = 3; lockout = 300; };
access = {
  default = "deny";
  rules = ( { name = "remote"; service = "sshd"; action = "mfa"; } );
};
CONF

pass() { echo "ok: $1"; }
failed() { printf 'FAIL: %s\n%s\n' "$1" "$2"; fail=1; }

# run ARGS...: hostiam under nss_wrapper with stdin from $tmp/in (empty unless set).
run() {
	status=0
	: >>"$tmp/in"
	"$wrap" "$tmp/var/nss.cache" "$hostiam" --config "$conf" "$@" <"$tmp/in" \
		>"$tmp/out" 2>"$tmp/err" || status=$?
	rm -f "$tmp/in"
}

# enroll MODE ARGS...: hostiam enroll ARGS with drive.py answering MODE; $tmp/uri, qr, out.
enroll() {
	mode=$1
	shift
	status=0
	rm -f "$tmp/uri" "$tmp/qr"
	python3 "$drive" "$mode" "$tmp" "$wrap" "$tmp/var/nss.cache" "$hostiam" --config "$conf" \
		enroll "$@" || status=$?
}

# expect_status WHAT WANT
expect_status() {
	if [ "$status" = "$2" ]; then pass "$1"
	else failed "$1" "$(printf '  exit %s, want %s\n  stdout: %s\n  stderr: %s' "$status" "$2" \
		"$(head -c 3000 "$tmp/out")" "$(cat "$tmp/err")")"; fi
}

# expect_grep WHAT FILE PATTERN (extended regex)
expect_grep() {
	if grep -Eq -- "$3" "$2"; then pass "$1"
	else failed "$1" "$(printf '  no line matches: %s\n%s' "$3" "$(head -c 3000 "$2")")"; fi
}

# expect_no_grep WHAT FILE PATTERN
expect_no_grep() {
	if grep -Eq -- "$3" "$2"; then failed "$1" "$(printf '  unexpected: %s\n%s' "$3" "$(cat "$2")")"
	else pass "$1"; fi
}

# probe ARGS...: mfa_probe's answer into $probed.
probe() {
	probed=$("$probe" "$conf" "$@" 2>&1) || probed="error: $probed"
}

# expect_probe WHAT WANT ARGS...: mfa_probe ARGS prints exactly WANT.
expect_probe() {
	what=$1 want=$2
	shift 2
	probe "$@"
	if [ "$probed" = "$want" ]; then pass "$what"
	else failed "$what" "  mfa_probe $*: '$probed', want '$want'"; fi
}

# uri_field NAME: a field of the last parsed URI.
uri_field() { sed -n "s/^$1=//p" "$tmp/uri"; }

# code SECRET [OATHTOOL ARGS]: the current code (SHA1 unless ARGS say --totp=...).
code() {
	s=$1
	shift
	case " $* " in *" --totp="*) ;; *) set -- --totp "$@" ;; esac
	"$OATHTOOL" -b "$@" "$s"
}


# --- A new secret, confirmed with the right code.
enroll right alice
expect_status "enroll alice with the right code" 0
expect_grep "URI: otpauth totp" "$tmp/uri" '^scheme=otpauth$'
expect_grep "URI: type totp" "$tmp/uri" '^type=totp$'
expect_grep "URI: issuer in the label" "$tmp/uri" '^label_issuer=Example Corp / ops$'
expect_grep "URI: issuer parameter" "$tmp/uri" '^issuer=Example Corp / ops$'
expect_grep "URI: label percent-encoded" "$tmp/uri" '^raw=otpauth://totp/Example%20Corp%20%2F%20ops:alice\?'
expect_grep "URI: account" "$tmp/uri" '^account=alice$'
expect_grep "URI: algorithm" "$tmp/uri" '^algorithm=SHA1$'
expect_grep "URI: digits" "$tmp/uri" '^digits=6$'
expect_grep "URI: period" "$tmp/uri" '^period=30$'
expect_grep "URI: a 160-bit base32 secret" "$tmp/uri" '^secret=[A-Z2-7]{32}$'
expect_grep "QR code: square, quiet zone, finders, level M" "$tmp/qr" '^ok$'
expect_grep "QR code drawn black on white" "$tmp/out" "$(printf '\033')\[30;47m"
expect_grep "the prompt" "$tmp/out" 'Enter the code from your authenticator to confirm: '
secret=$(uri_field secret)
expect_probe "stored: the URI's secret, SHA1/6/30, no recovery codes" \
	"source=local algorithm=SHA1 digits=6 period=30 recovery=0 secret=$secret" show alice
expect_no_grep "the secret is not on stderr" "$tmp/err" "$secret"
run check alice --service sshd
expect_grep "check shows alice enrolled" "$tmp/out" 'MFA enrolled: +yes'
run review
expect_grep "review shows alice enrolled" "$tmp/out" '^alice .* yes '

# --- Re-enrolment needs --force.
enroll right alice
expect_status "re-enrol refused without --force" 1
expect_grep "  ... saying why" "$tmp/err" 'already enrolled.*--force'
expect_probe "  ... the enrolment unchanged" \
	"source=local algorithm=SHA1 digits=6 period=30 recovery=0 secret=$secret" show alice
enroll right alice --force --recovery-codes 5
expect_status "re-enrol with --force and 5 recovery codes" 0
[ "$(uri_field secret)" != "$secret" ] && pass "  ... a new secret" || failed "  ... a new secret" ""
grep -E '^  [2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}$' "$tmp/out" >"$tmp/codes"
[ "$(wc -l <"$tmp/codes")" -eq 5 ] && pass "  ... 5 recovery codes printed" ||
	failed "  ... 5 recovery codes printed" "$(cat "$tmp/out")"
expect_probe "  ... 5 stored" \
	"source=local algorithm=SHA1 digits=6 period=30 recovery=5 secret=$(uri_field secret)" show alice
if [ -s "$tmp/codes" ]; then
	rc1=$(head -n 1 "$tmp/codes" | tr -d ' ')
	expect_probe "  ... a recovery code logs in" recovery check alice "$rc1"
	expect_probe "  ... once" wrong check alice "$rc1"
	grep -rqs -- "$rc1" "$tmp/var" && failed "  ... codes stored only as hashes" "" ||
		pass "  ... codes stored only as hashes"
fi

# --- Wrong or missing confirmation: nothing stored.
enroll wrong bob
expect_status "a wrong confirm code is refused" 1
expect_grep "  ... saying so" "$tmp/err" 'bob was not enrolled'
expect_probe "  ... nothing stored" "source=none" show bob
enroll none bob
expect_status "no confirm code (EOF) is refused" 1
expect_probe "  ... nothing stored" "source=none" show bob

# --- Unknown users and usage errors.
enroll right nosuchuser
expect_status "an unknown user is refused" 1
expect_grep "  ... saying so" "$tmp/err" 'no such user: nosuchuser'
run enroll bob --digits 9
expect_status "--digits 9 is a usage error" 2
run enroll bob --algorithm md5
expect_status "--algorithm md5 is a usage error" 2
run enroll bob --recovery-codes 21
expect_status "--recovery-codes 21 is a usage error" 2
run enroll
expect_status "enroll without a user is a usage error" 2
run enroll bob --secret JBSWY3DPEHPK3PXP --import /dev/null
expect_status "--secret and --import together are a usage error" 2

# --- SHA256, 8 digits, 60 s.
enroll right carol --algorithm sha256 --digits 8 --period 60
expect_status "enroll carol with SHA256/8/60" 0
expect_grep "  ... URI algorithm" "$tmp/uri" '^algorithm=SHA256$'
expect_grep "  ... URI digits" "$tmp/uri" '^digits=8$'
expect_grep "  ... URI period" "$tmp/uri" '^period=60$'
expect_grep "  ... QR code" "$tmp/qr" '^ok$'
csecret=$(uri_field secret)
expect_probe "  ... stored with its own parameters" \
	"source=local algorithm=SHA256 digits=8 period=60 recovery=0 secret=$csecret" show carol
# A login a step later with the next code: the confirmation's code may have been spent.
expect_probe "  ... an oathtool SHA256/8/60 code logs in" ok check carol \
	"$(code "$csecret" --totp=sha256 -d 8 -s 60s -N "@$(( $(date +%s) + 60 ))")"

# --- --secret: an existing secret, no questions.
printf '' >"$tmp/in"
run enroll dave --secret 'jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp'
expect_status "--secret imports without asking" 0
expect_no_grep "  ... no QR code, no prompt" "$tmp/out" 'otpauth://|Enter the code'
expect_probe "  ... stored" \
	"source=local algorithm=SHA1 digits=6 period=30 recovery=0 secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" \
	show dave
run unenroll dave
echo JBSWY3DPEHPK3PXPJBSWY3DP >"$tmp/in"
run enroll dave --secret -
expect_status "--secret - reads the secret from stdin" 0
expect_grep "  ... warning about a 120-bit secret" "$tmp/err" 'only 120 bits'
run unenroll dave
run enroll dave --secret JBSWY3DPEHPK3PX
expect_status "a 72-bit secret is refused" 1
run enroll dave --secret 'NOT*BASE32'
expect_status "a secret that is not base32 is a usage error" 2
expect_probe "  ... nothing stored" "source=none" show dave

# --- --import: google-authenticator, with scratch codes.
ga_secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
printf '%s\n" RATE_LIMIT 3 30\n" WINDOW_SIZE 17\n" DISALLOW_REUSE\n" TOTP_AUTH\n" STEP_SIZE 30\n11223344\n55667788\n99001122\n' \
	"$ga_secret" >"$tmp/google_authenticator"
chmod 0400 "$tmp/google_authenticator"
run enroll erin --import "$tmp/google_authenticator"
expect_status "--import a google-authenticator file" 0
expect_grep "  ... says so" "$tmp/out" 'google-authenticator file'
probe show erin
case $probed in
"source=local algorithm=SHA1 digits=6 period=30 recovery=3 secret=$ga_secret")
	pass "  ... secret, step size and 3 scratch codes as recovery codes"
	expect_probe "  ... a scratch code logs in" recovery check erin 55667788 ;;
*)
	failed "  ... stored" "  mfa_probe: $probed" ;;
esac
expect_probe "  ... an oathtool code logs in" ok check erin "$(code "$ga_secret")"
printf '%s\n" HOTP_COUNTER 1\n11223344\n' "$ga_secret" >"$tmp/ga_hotp"
run enroll frank --import "$tmp/ga_hotp"
expect_status "a counter-based google-authenticator file is refused" 1
expect_grep "  ... saying why" "$tmp/err" 'HOTP_COUNTER.*TOTP only'
ln -s "$tmp/google_authenticator" "$tmp/ga_link"
run enroll frank --import "$tmp/ga_link"
expect_status "an import through a symlink is refused" 1

# --- --import: a pam_oath usersfile.
cat >"$tmp/users.oath" <<'OATH'
# pam_oath
HOTP     bob    -   3132333435363738393031323334353637383930
HOTP/T30/8 frank - 3132333435363738393031323334353637383930 0 12345678 2025-01-01T00:00:00L
HOTP/E/8 localop - 00112233445566778899
OATH
chmod 0600 "$tmp/users.oath"
run enroll frank --import "$tmp/users.oath"
expect_status "--import a pam_oath HOTP/T30/8 line" 0
expect_probe "  ... 8 digits, 30 s" \
	"source=local algorithm=SHA1 digits=8 period=30 recovery=0 secret=$ga_secret" show frank
expect_probe "  ... an oathtool 8-digit code logs in" ok check frank "$(code "$ga_secret" -d 8)"
run enroll bob --import "$tmp/users.oath"
expect_status "a HOTP (counter) usersfile line is refused" 1
expect_grep "  ... saying why" "$tmp/err" 'counter-based \(HOTP\).*TOTP only'
run enroll localop --import "$tmp/users.oath"
expect_status "a HOTP/E line is refused" 1
run enroll alice --force --import "$tmp/users.oath"
expect_status "a usersfile without the user's line" 1
expect_grep "  ... saying so" "$tmp/err" 'no line for user alice'
run enroll frank --force --digits 6 --import "$tmp/users.oath"
expect_status "--digits that contradicts the file is a usage error" 2

# --- unenroll.
run unenroll frank
expect_status "unenroll frank" 0
expect_grep "  ... nothing left" "$tmp/out" 'no MFA enrolment left'
expect_probe "  ... gone" "source=none" show frank
run unenroll frank
expect_status "unenroll again: none left" 1
expect_grep "  ... saying so" "$tmp/err" 'has no local enrolment'
run check frank --service sshd
expect_grep "check shows frank not enrolled" "$tmp/out" 'MFA enrolled: +no'
run unenroll
expect_status "unenroll without a user is a usage error" 2

# --- A malformed enrolment file: the error says so (not "cache file corrupted").
printf 'secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\nsecret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n' \
	>"$tmp/var/state/mfa/frank"
chmod 0600 "$tmp/var/state/mfa/frank"
run enroll frank --secret JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
expect_status "enroll over a malformed enrolment is refused" 1
expect_grep "  ... saying the enrolment file is malformed" "$tmp/err" \
	'frank: cannot read the enrolment: MFA enrolment file malformed \(--force replaces it\)'
run check frank --service sshd
expect_grep "  ... check names the bad line" "$tmp/err" 'MFA enrolment refused: malformed line=2 user=frank'
expect_grep "  ... and does not know whether frank enrolled" "$tmp/out" 'MFA enrolled: +unknown'
rm "$tmp/var/state/mfa/frank"

# --- Output not a terminal (a file here): the URI and the key as plain text, no escapes.
run enroll frank
expect_status "enroll to a file, no code on stdin" 1
expect_grep "  ... prints the URI" "$tmp/out" '^otpauth://totp/'
expect_grep "  ... prints the key" "$tmp/out" '^Key: [A-Z2-7]{4} '
expect_no_grep "  ... no ANSI escape, no QR code" "$tmp/out" "$(printf '\033')|QR code"
expect_probe "  ... stores nothing" "source=none" show frank

# --- unlock.
for i in 1 2 3; do probe check alice 0; done
expect_probe "3 wrong codes lock alice" "locked" check alice "$(code "$(uri_field secret)")"
run unlock alice
expect_status "unlock alice" 0
expect_grep "  ... says it was locked" "$tmp/out" 'Unlocked alice \(was locked until'
expect_grep "  ... the first lockout in a row" "$tmp/out" ', lockout 1 in a row\)'
run unlock alice
expect_grep "  ... which it reset" "$tmp/out" 'not locked; 0 lockouts in a row\)'
expect_probe "  ... failures cleared" "failures=0 locked=no" state alice
run unlock nosuchuser
expect_status "unlock an unknown user" 1
exit $fail
