# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=sh disable=SC2034
# test-setup.sh: sourced first by the standalone hostiam command tests of tests/cli (help,
# status, agent log, completion): builddir, srcdir, $hostiam and fail=0, then
# `test_setup NAME FILE...` checks that each FILE (under builddir) was built (exit 99 if
# not) and makes $tmp, a fresh mode-0700 directory removed on exit.
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
hostiam=$builddir/hostiam
fail=0

test_setup() {
	name=$1
	shift
	for f in hostiam "$@"; do
		[ -f "$builddir/$f" ] || { echo "missing $builddir/$f (build first)"; exit 99; }
	done
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-$name.XXXXXX") || exit 99
	trap 'rm -rf "$tmp"' EXIT
	chmod 0700 "$tmp"
}
