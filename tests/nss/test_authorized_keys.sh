#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# hostiam authorized-keys: keys of directory users only. A directory entry that carries the
# name of a local account (root) or a uid below min_uid never gets its keys printed, since
# sshd would check them against the local account.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
HOSTIAM="$top_builddir/hostiam"
NSSWRAP="$top_srcdir/tests/nss/nsswrap.sh"

mkdir -p "$T/cache"
cat > "$T/hostiam.conf" <<CONF
directory = { uri = [ "ldap://127.0.0.1:9" ]; base = "dc=example,dc=com"; min_uid = 1000; };
cache = { dir = "$T/cache"; };
CONF
"$top_builddir/tests/nss/cachegen" - "$T/cache/nss.cache" <<DESC || fail "cachegen"
user:alice:10001:10001:Alice:/home/alice:/bin/bash
key:alice:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAliceKey alice@laptop
user:root:5001:5001:Evil:/root:/bin/bash
key:root:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAttackerKey evil
user:lowuid:500:10001:Low:/home/low:/bin/bash
key:lowuid:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILowKey low
DESC
keys() { bash "$NSSWRAP" "$T/cache/nss.cache" "$HOSTIAM" --config "$T/hostiam.conf" authorized-keys "$1"; }

out=$(keys alice) || fail "alice: exit $?"
[ "$out" = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAliceKey alice@laptop" ] || fail "alice: $out"
out=$(keys root 2>"$T/err"); rc=$?
[ $rc = 1 ] && [ -z "$out" ] || fail "root got directory keys (rc $rc): $out"
grep -q "not the directory's" "$T/err" || fail "root: no explanation: $(cat "$T/err")"
out=$(keys lowuid 2>/dev/null); rc=$?
[ $rc = 1 ] && [ -z "$out" ] || fail "uid below min_uid got keys (rc $rc): $out"
out=$(keys nobody-here 2>/dev/null); rc=$?
[ $rc = 1 ] && [ -z "$out" ] || fail "unknown user (rc $rc): $out"

# A typo in an access rule (report mode even): sshd must still get the keys, and syslog
# (authpriv, through the test shim) says once what is wrong, with FILE:LINE.
shim="$top_builddir/tests/pam/.libs/syslog_shim.so"
[ -f "$shim" ] || fail "syslog shim not built: $shim"
cp "$T/hostiam.conf" "$T/typo.conf"
cat >> "$T/typo.conf" <<'CONF'
access = { mode = "report";
  rules = ( { name = "ops"; gruop = [ "ops" ]; action = "allow"; } ); };
CONF
logged() { LD_PRELOAD="$shim" HOSTIAM_TEST_SYSLOG="$T/syslog" keys_with "$@"; }
keys_with() { bash "$NSSWRAP" "$T/cache/nss.cache" "$HOSTIAM" --config "$1" authorized-keys "$2"; }
out=$(logged "$T/typo.conf" alice 2>"$T/err") || fail "typo in a rule: exit $? ($(cat "$T/err"))"
[ "$out" = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAliceKey alice@laptop" ] || fail "typo: $out"
want="authpriv.err hostiam: authorized-keys: configuration error outside what it reads, going on: $T/typo.conf:4: access.rules.[0].gruop: unknown key"
[ "$(cat "$T/syslog")" = "$want" ] || fail "typo: syslog has: $(cat "$T/syslog") (want: $want)"
grep -qF "$T/typo.conf:4: access.rules.[0].gruop: unknown key" "$T/err" || fail "typo: stderr"

# A mistake in what it reads (the cache directory): no keys, exit 2, and syslog says why.
sed 's|dir = "|dir = "relative/|' "$T/hostiam.conf" > "$T/badcache.conf"
: > "$T/syslog"
out=$(logged "$T/badcache.conf" alice 2>/dev/null); rc=$?
[ $rc = 2 ] && [ -z "$out" ] || fail "bad cache.dir (rc $rc): $out"
grep -q "^authpriv.err hostiam: authorized-keys: configuration error: $T/badcache.conf:2: cache.dir: " \
	"$T/syslog" || fail "bad cache.dir: syslog has: $(cat "$T/syslog")"
[ "$(wc -l < "$T/syslog")" = 1 ] || fail "bad cache.dir: more than one line: $(cat "$T/syslog")"
echo "PASS: authorized-keys prints directory users' keys only, despite unrelated config errors"
