#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Build the libFuzzer targets (cache reader, config loader, auth.cache reader) in
# build-fuzz/ with clang and --enable-fuzzing, then run each for SECONDS (default 30) over a
# scratch copy of its corpus (the corpus in the tree is left as it is). Exit 1 on a crash, a leak or a slow input; the
# input that did it is kept as build-fuzz/crash-TARGET-*.
# Usage: scripts/fuzz.sh [SECONDS]
set -e
secs=${1:-30}
case $secs in
'' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x configure ] || ./autogen.sh
mkdir -p build-fuzz
cd build-fuzz
[ -f Makefile ] || CC=clang ../configure --enable-fuzzing >configure.out 2>&1 ||
	{ cat configure.out; exit 1; }
make -j"$(nproc)" tests/fuzz/fuzz-cache-libfuzzer tests/fuzz/fuzz-config-libfuzzer \
	tests/fuzz/fuzz-auth-cache-libfuzzer tests/fuzz/fuzz-cache-delta-libfuzzer >make.out 2>&1 ||
	{ tail -40 make.out; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
for t in cache config auth-cache cache-delta; do
	mkdir "$work/$t"
	cp "$top/tests/fuzz/corpus/$t/"* "$work/$t/"
	echo "fuzz-$t: $secs s over $(ls "$work/$t" | wc -l) corpus inputs"
	# libconfig's own leaks are suppressed inside fuzz_config.c; every other leak fails.
	if ! "./tests/fuzz/fuzz-$t-libfuzzer" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$PWD/crash-$t-" \
		"$work/$t" >"fuzz-$t.out" 2>&1; then
		tail -60 "fuzz-$t.out"
		echo "FAIL: fuzz-$t found a crash: $(ls "$PWD"/crash-"$t"-* 2>/dev/null | head -1)"
		exit 1
	fi
	grep -E '^stat::number_of_executed_runs|^Done ' "fuzz-$t.out" || true
	echo "ok: fuzz-$t"
done
