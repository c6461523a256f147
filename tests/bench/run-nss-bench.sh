#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# NSS benchmark at 10,000 and 100,000 users: cache write/open, lookups inside the module
# and through glibc (nss_wrapper); then a warm getgrnam of the biggest groups of the
# realistic directory (gen_realistic.py N N/5: groups of 5,000..12,000 members), written
# to a cache directly. Not part of make check; run `make bench` or
#   top_builddir=/path/to/build tests/bench/run-nss-bench.sh [N_USERS...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${top_builddir:-.}
bench=$build/tests/bench/bench_nss
[ -x "$bench" ] || { echo "$bench not built (make -C $build tests/bench/bench_nss)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- 10000 100000
for n in "$@"; do
	echo "== $n users"
	# The module is dlopened directly and, under nss_wrapper, reached through glibc too.
	top_builddir=$build "$here/../nss/nsswrap.sh" "$tmp/nss.cache" "$bench" "$n" "$tmp/nss.cache"
	echo "== $n users, realistic directory: the 10 biggest groups"
	python3 "$here/gen_realistic.py" "$n" $((n / 5)) >"$tmp/dir.ldif"
	top_builddir=$build "$here/../nss/nsswrap.sh" "$tmp/real.cache" \
		"$bench" ldif "$tmp/dir.ldif" "$tmp/real.cache"
done
