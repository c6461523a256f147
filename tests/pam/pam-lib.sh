# SPDX-License-Identifier: BSD-2-Clause
# pam-lib.sh: sourced by the PAM tests. Sets up, under a fresh temporary directory $tmp:
#   - local passwd/group files and a directory cache (tests/nss/cachegen) that glibc NSS
#     answers from through nss_wrapper and the hostiam NSS module, as on a real host;
#   - $preload: what to LD_PRELOAD (the ASan runtime in sanitizer builds, nss_wrapper, and
#     the syslog shim that copies every syslog line to $HOSTIAM_TEST_SYSLOG);
#   - helpers to write PAM service directories and check results and log lines.
# Needs top_builddir (make check exports it). Exits 77 (SKIP) without nss_wrapper.

builddir=${top_builddir:-.}
module=$builddir/.libs/pam_hostiam.so
mfa_ok_module=$builddir/tests/pam/.libs/pam_test_mfa_ok.so
nss_module=$builddir/.libs/libnss_hostiam.so.2
shim=$builddir/tests/pam/.libs/syslog_shim.so
cachegen=$builddir/tests/nss/cachegen
state_tool=$builddir/tests/pam/state_tool
fail=0

for f in "$module" "$mfa_ok_module" "$nss_module" "$shim" "$cachegen" "$state_tool"; do
	[ -f "$f" ] || { echo "missing $f (build first)"; exit 99; }
done

. "$(dirname "$0")/../find-lib.sh"

nss_wrapper=${NSS_WRAPPER_LIB:-$(find_lib libnss_wrapper.so)}
[ -n "$nss_wrapper" ] || { echo "nss_wrapper not found: skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-pam.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 0700 "$tmp"
mkdir -m 0700 "$tmp/var"
log=$tmp/syslog
now=$(date +%s)

# Local accounts: root, a local operator, a local group that also holds a directory user.
cat >"$tmp/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
localop:x:1500:1500:Local operator:/home/localop:/bin/sh
PASSWD
cat >"$tmp/group" <<'GROUP'
root:x:0:
localop:x:1500:
ops:x:1600:localop,alice
GROUP

# Directory users and groups, as the agent would have cached them.
cat >"$tmp/desc" <<DESC
generation:1
synctime:$now
user:alice:1001:1001:Alice:/home/alice:/bin/bash
user:bob:1002:1002:Bob:/home/bob:/bin/bash
user:carol:1003:1003:Carol:/home/carol:/bin/bash
user:dave:1004:1004:Dave:/home/dave:/bin/bash
group:alice:1001:
group:bob:1002:
group:carol:1003:
group:dave:1004:
group:admins:2001:alice,bob
group:devs:2002:alice,bob
group:contractors:2003:carol
DESC
"$cachegen" "$tmp/desc" "$tmp/var/nss.cache" || { echo "cachegen failed"; exit 99; }

preload="$nss_wrapper:$shim"
asan=$(ldd "$module" 2>/dev/null | awk '/libasan/ { print $3; exit }')
# ASan intercepts crypt_r and looks the real one up once, at start: libcrypt, which only
# arrives with the module's dlopen, must be there from the start too (recovery codes).
libcrypt=$(ldd "$module" 2>/dev/null | awk '/libcrypt\.so/ { print $3; exit }')
[ -z "$asan" ] || preload="$asan${libcrypt:+:$libcrypt}:$preload"

HOSTIAM_NSS_CACHE=$tmp/var/nss.cache
NSS_WRAPPER_PASSWD=$tmp/passwd
NSS_WRAPPER_GROUP=$tmp/group
NSS_WRAPPER_MODULE_SO_PATH=$nss_module
NSS_WRAPPER_MODULE_FN_PREFIX=hostiam
HOSTIAM_TEST_SYSLOG=$log
export HOSTIAM_NSS_CACHE NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP NSS_WRAPPER_MODULE_SO_PATH
export NSS_WRAPPER_MODULE_FN_PREFIX HOSTIAM_TEST_SYSLOG

# write_config FILE [CACHE-DIR] < ACCESS-SECTION: a configuration with that access section.
write_config() {
	{
		printf 'directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; };\n'
		printf 'cache = { dir = "%s"; max_age = 86400; };\n' "${2:-$tmp/var}"
		cat
	} >"$1"
	chmod 0644 "$1"
}

# pass WHAT / failed WHAT DETAILS: report one check.
pass() { echo "ok: $1"; }
failed() { printf 'FAIL: %s\n%s\n' "$1" "$2"; fail=1; }

# check_output WHAT EXPECTED ACTUAL
check_output() {
	if [ "$2" = "$3" ]; then pass "$1"
	else failed "$1" "$(printf '  want: %s\n  got:  %s' "$2" "$3")"; fi
}

# log_has WHAT LINE: the captured syslog holds exactly that line.
log_has() {
	if grep -qxF -- "$2" "$log" 2>/dev/null; then pass "$1"
	else failed "$1" "$(printf '  want line: %s\n  log:\n%s' "$2" "$(cat "$log" 2>/dev/null)")"; fi
}

# log_lacks WHAT PATTERN: no captured line matches the fixed string.
log_lacks() {
	if grep -qF -- "$2" "$log" 2>/dev/null; then
		failed "$1" "$(printf '  unexpected: %s\n  log:\n%s' "$2" "$(cat "$log")")"
	else pass "$1"; fi
}
