#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# directory.timeout bounds each page of a paged search, not the whole search: a directory
# that answers every page within the timeout is read to the end however many pages it
# takes (one deadline per search, re-armed page by page, must not fire on the sum).
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
trap slapd_cleanup EXIT

TIMEOUT=2
# Each of the users' four pages comes after 1.2 s: 4.8 s in all, each well within 2 s.
DELAY=1.2
fake_ldap_start slow-pages "$DELAY" || fail "the fake server did not start"
HOSTIAM_TIMEOUT=$TIMEOUT hostiam_conf > "$T/hostiam.conf"
start=$(now_us)
timeout 60 "$HOSTIAM" --config "$T/hostiam.conf" sync >"$T/out" 2>"$T/err" ||
	{ cat "$T/out" "$T/err"; fail "sync failed on a directory slow page by page"; }
ms=$(( ($(now_us) - start) / 1000 ))
echo "sync of four slow pages: $ms ms (timeout $TIMEOUT s per page)"
[ "$ms" -ge 4000 ] || fail "the pages were not slow ($ms ms): the test proves nothing"
for u in slowuser1 slowuser2 slowuser3 slowuser4; do
	cache_dump "$T/cache/nss.cache" | grep -q "^user $u:" ||
		{ cache_dump "$T/cache/nss.cache"; fail "$u missing from the cache"; }
done
echo "PASS"
