#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Build hostiam in build/ (or build-asan/ with --sanitizers) and run the whole test suite.
# Usage: scripts/test.sh [--sanitizers] [--distcheck]
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
dir=build; flags=; distcheck=
for a in "$@"; do
	case $a in
	--sanitizers) dir=build-asan; flags=--enable-sanitizers ;;
	--distcheck) distcheck=1 ;;
	*) echo "usage: scripts/test.sh [--sanitizers] [--distcheck]" >&2; exit 2 ;;
	esac
done
"$top/scripts/deps.sh"
cd "$top"
[ -x configure ] || ./autogen.sh
mkdir -p "$dir"
cd "$dir"
[ -f Makefile ] || ../configure $flags
make -j"$(nproc)"
# distcheck runs the whole suite itself, from the tarball in build/hostiam-VERSION/ (left
# there when it fails): running it in build/ first as well only doubled CI's time.
target=check
[ -z "$distcheck" ] || target=distcheck
if ! make -j"$(nproc)" $target; then
	# Show what failed, so a CI log says why without a second run.
	for f in $(find . -name '*.log' -newer Makefile ! -name config.log ! -name test-suite.log); do
		grep -q '^# *FAIL\|^FAIL\|:test-result: FAIL\|:test-result: ERROR' "${f%.log}.trs" 2>/dev/null && { echo "==== $f"; tail -120 "$f"; }
	done
	exit 1
fi
