#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam config-check refuses @include with FILE:LINE and exit 2: a relative one even when
# the working directory holds an x.conf that would make the policy allow everyone, and one
# of a directory as a clean error (libconfig 1.5 would have exited from inside the parser).
set -u
bin="${top_builddir:?}/hostiam"
fixtures="${top_srcdir:?}/tests/unit/configs/include"
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $fixtures in /*) ;; *) fixtures=$(pwd)/$fixtures ;; esac
fail=0

if [ ! -x "$bin" ]; then
	echo "SKIP: $bin is not built"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/config-include.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
printf 'access = { mode = "report"; default = "allow"; };\n' >"$tmp/x.conf"
chmod 0644 "$tmp/x.conf"
[ "$(id -u)" != 0 ] || chown 65534:65534 "$tmp/x.conf"

# expect WHAT FILE LINE: config-check run from $tmp refuses the @include on LINE of FILE.
expect() {
	(cd "$tmp" && "$bin" --config "$2" config-check) >"$tmp/out" 2>"$tmp/err"
	status=$?
	want="$2:$3: @include is not supported: "
	if [ "$status" != 2 ]; then
		echo "FAIL: $1: exit $status, expected 2"; cat "$tmp/out" "$tmp/err"; fail=1
	elif [ -s "$tmp/out" ] || [ "$(wc -l <"$tmp/err")" != 1 ] ||
	     [ "$(head -c ${#want} "$tmp/err")" != "$want" ]; then
		echo "FAIL: $1: want one line \"$want...\" on stderr, nothing on stdout, got:"
		cat "$tmp/out" "$tmp/err"; fail=1
	else
		echo "ok: $1"
	fi
}

expect "relative include, allow-all x.conf in the cwd" "$fixtures/relative.conf" 7
expect "include of a directory" "$fixtures/directory.conf" 6
exit $fail
