#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Run test_request_nss with glibc NSS answered by nss_wrapper from a passwd/group pair
# written here: local users only, no root, no change to /etc. Exits 77 (SKIP) without
# nss_wrapper; set NSS_WRAPPER_LIB to point at it.
set -eu

bin=${top_builddir:-.}/tests/unit/test_request_nss

. "$(dirname "$0")/../find-lib.sh"
wrapper=${NSS_WRAPPER_LIB:-$(find_lib libnss_wrapper.so)}
if [ -z "$wrapper" ] || [ ! -f "$wrapper" ]; then
	echo "$0: nss_wrapper not found (set NSS_WRAPPER_LIB)" >&2
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-request-nss.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/passwd" <<PASSWD
root:x:0:0:root:/root:/bin/sh
alice:x:1001:3000:Alice:/home/alice:/bin/sh
bob:x:1002:1002::/home/bob:/bin/sh
manny:x:1003:4000::/home/manny:/bin/sh
PASSWD

# alice: primary staff, listed in admins and devs; bob: primary bob, listed in devs;
# manny: primary g0 and 40 more, past the first size of the group array.
{
	echo "root:x:0:"
	echo "staff:x:3000:"
	echo "bob:x:1002:"
	echo "admins:x:2001:alice"
	echo "devs:x:2002:bob,alice"
	echo "empty:x:2003:"
	echo "g0:x:4000:"
	i=1
	while [ $i -le 40 ]; do
		echo "g$i:x:$((4000 + i)):manny"
		i=$((i + 1))
	done
} >"$tmp/group"

# Sanitizer builds: the test's own ASan runtime is not first in the preload list, and it
# refuses nss_wrapper's RTLD_DEEPBIND dlopen of libc (google/sanitizers#611).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
NSS_WRAPPER_DISABLE_DEEPBIND=1
NSS_WRAPPER_PASSWD=$tmp/passwd
NSS_WRAPPER_GROUP=$tmp/group
HOSTIAM_TEST_NSSWRAP=1
export ASAN_OPTIONS NSS_WRAPPER_DISABLE_DEEPBIND NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP HOSTIAM_TEST_NSSWRAP

status=0
LD_PRELOAD="$wrapper${LD_PRELOAD:+:$LD_PRELOAD}" "$bin" || status=$?
exit $status
