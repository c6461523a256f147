#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# getent and id through glibc (nss_wrapper) answer from a cache written by cachegen.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
wrap="$here/nsswrap.sh"
cachegen=${top_builddir:-.}/tests/nss/cachegen
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-getent.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cache=$tmp/nss.cache
fail=0

cat >"$tmp/desc" <<'DESC'
generation:3
synctime:1700000000
user:alice:1001:1001:Alice Liddell:/home/alice:/bin/bash
key:alice:ssh-ed25519 AAAAC3Nza alice@laptop
user:bob:1002:2002:Bob:/home/bob:/bin/sh
user:carol:1003:1003::/home/carol:/bin/zsh
group:alice:1001:
group:admins:2001:alice,localop
group:devs:2002:carol,alice,bob
group:big:2003:bob
DESC
"$cachegen" "$tmp/desc" "$cache"

# expect DESCRIPTION EXPECTED-OUTPUT COMMAND...: output and status 0 must match.
expect() {
	what=$1 want=$2
	shift 2
	if got=$("$wrap" "$cache" "$@" 2>"$tmp/err"); then :; else
		echo "FAIL: $what: exit $? ($(cat "$tmp/err"))"; fail=1; return
	fi
	if [ "$got" != "$want" ]; then
		printf 'FAIL: %s\n  want: %s\n  got:  %s\n' "$what" "$want" "$got"; fail=1
	else
		echo "ok: $what"
	fi
}

# expect_status DESCRIPTION STATUS COMMAND...
expect_status() {
	what=$1 want=$2
	shift 2
	status=0
	"$wrap" "$cache" "$@" >/dev/null 2>&1 || status=$?
	if [ "$status" != "$want" ]; then echo "FAIL: $what: exit $status, want $want"; fail=1
	else echo "ok: $what"; fi
}

expect "getent passwd alice" "alice:*:1001:1001:Alice Liddell:/home/alice:/bin/bash" \
	getent passwd alice
expect "getent passwd by uid" "bob:*:1002:2002:Bob:/home/bob:/bin/sh" getent passwd 1002
expect "empty gecos" "carol:*:1003:1003::/home/carol:/bin/zsh" getent passwd carol
expect "getent group admins" "admins:*:2001:alice,localop" getent group admins
expect "getent group by gid" "devs:*:2002:carol,alice,bob" getent group 2002
expect "local files still answer first" "root:x:0:0:root:/root:/bin/sh" getent passwd root
expect "id alice" "uid=1001(alice) gid=1001(alice) groups=1001(alice),2001(admins),2002(devs)" \
	id alice
expect "id -G bob" "2002 2003" id -G bob
expect "enumeration" "root alice bob carol" \
	sh -c 'getent passwd | cut -d: -f1 | tr "\n" " " | sed "s/ $//"'
expect "group enumeration" "root alice admins devs big" \
	sh -c 'getent group | cut -d: -f1 | tr "\n" " " | sed "s/ $//"'
expect_status "unknown user" 2 getent passwd nosuchuser
expect_status "unknown uid" 2 getent passwd 4242
expect_status "invalid name" 2 getent passwd "bad:name"
expect_status "unknown group" 2 getent group nosuchgroup

# A replaced cache is seen by new processes (and by running ones, see test_nss_threads).
sed 's/^user:bob:1002:2002:Bob:/user:bob:1002:2002:Robert:/; s/^generation:3/generation:4/' \
	"$tmp/desc" >"$tmp/desc2"
"$cachegen" "$tmp/desc2" "$cache"
expect "after replacement" "bob:*:1002:2002:Robert:/home/bob:/bin/sh" getent passwd bob

# No cache: the module is unavailable and glibc falls through to "not found".
rm -f "$cache"
expect_status "missing cache" 2 getent passwd alice
expect "missing cache, files still answer" "root:x:0:0:root:/root:/bin/sh" getent passwd root
exit $fail
