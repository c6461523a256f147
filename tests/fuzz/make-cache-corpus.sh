#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Regenerate the seed corpus of the cache fuzz target from the writer (via cachegen):
# valid caches, truncated ones and mangled ones.
#   tests/fuzz/make-cache-corpus.sh BUILDDIR     (a configured, built tree)
set -eu
build=${1:?usage: $0 BUILDDIR}
out=$(cd "$(dirname "$0")" && pwd)/corpus/cache
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

printf '' >"$tmp/empty"
cat >"$tmp/small" <<'DESC'
user:alice:1001:1001:Alice Liddell:/home/alice:/bin/bash
key:alice:ssh-ed25519 AAAAC3Nza alice@laptop
key:alice:ssh-rsa AAAAB3Nza alice@desk
user:bob:1002:1002::/home/bob:/bin/sh
group:admins:2001:alice,localop
group:devs:2002:bob,alice
group:empty:2003:
DESC
i=0
while [ $i -lt 40 ]; do
	echo "user:u$i:$((3000 + i)):$((3000 + i)):User $i:/home/u$i:/bin/sh"
	i=$((i + 1))
done >"$tmp/medium"
echo "group:all:4000:$(seq -s, -f 'u%g' 0 39),outsider" >>"$tmp/medium"

for name in empty small medium; do
	"$build/tests/nss/cachegen" "$tmp/$name" "$out/valid-$name"
done
size=$(wc -c <"$out/valid-small")
for cut in 8 64 200 $((size / 2)) $((size - 1)); do
	head -c "$cut" "$out/valid-small" >"$out/truncated-$cut"
done
# Mangled: one byte overwritten in the header, in the strings, in the hash tables.
for off in 12 100 300 $((size / 2)) $((size - 20)); do
	cp "$out/valid-small" "$out/mangled-$off"
	printf '\377' | dd of="$out/mangled-$off" bs=1 seek="$off" conv=notrunc 2>/dev/null
done
ls "$out" | wc -l
