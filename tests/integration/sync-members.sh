#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Membership resolution against an independent model: random directories (several seeds)
# with nested groups and cycles, memberUid and member DNs mixed, DNs written in other forms
# (attribute type and value case, \2C, \2c, \,), duplicates, entries left out, names of no
# directory user; every user and group line of the cache must be what gen_members.py
# computes, and getent through the NSS module must agree for a sample.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
NSSWRAP="$top_srcdir/tests/nss/nsswrap.sh"

for seed in ${MEMBERS_SEEDS:-1 2 3 4 5}; do
	slapd_stop
	rm -rf "$T/db" "$T/cache"
	python3 "$top_srcdir/tests/integration/gen_members.py" "$seed" "$T/m.ldif" "$T/expected" ||
		fail "generator"
	slapd_setup "$T/m.ldif" || fail "slapd did not start (seed $seed)"
	hostiam_conf > "$T/hostiam.conf"
	"$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/sync.err" ||
		{ cat "$T/sync.err"; fail "sync failed (seed $seed)"; }
	cache_dump | grep -E '^(user|group) ' | LC_ALL=C sort > "$T/got" || fail "no cache"
	diff -u "$T/expected" "$T/got" || fail "seed $seed: the cache differs from the model"
	grep -q '^group .*:.*,' "$T/got" || fail "seed $seed: no group with two members"
	# The same answers through glibc (getent group), for every group.
	while IFS=: read -r name gid members; do
		name=${name#group }
		out=$(bash "$NSSWRAP" "$T/cache/nss.cache" getent group "$name") ||
			fail "getent group $name"
		[ "${out%%:*}:${out#*:*:}" = "$name:$gid:$members" ] ||
			fail "seed $seed: getent group $name: $out"
	done < <(grep '^group ' "$T/expected")
	echo "seed $seed: $(grep -c '^user ' "$T/got") users, $(grep -c '^group ' "$T/got") groups as modelled"
done
echo "PASS"
