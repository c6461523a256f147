#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A server that pages forever does not make the sync run forever: the same cookie on empty
# pages, endless empty pages, or more entries than any directory holds stop it with exit 1.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require

# Run one sync against fake-ldap.py in mode $1; it must fail with a message matching $2.
bounded() {
	fake_ldap_start "$1" || fail "the fake server did not start"
	hostiam_conf > "$T/hostiam.conf"
	start=$(now_us)
	timeout 60 "$HOSTIAM" --config "$T/hostiam.conf" sync 2>"$T/err"
	rc=$?
	echo "$1: exit $rc after $(( ($(now_us) - start) / 1000 )) ms: $(tail -1 "$T/err")"
	[ "$rc" = 1 ] || fail "$1: exit status $rc, not 1"
	grep -q "$2" "$T/err" || { cat "$T/err"; fail "$1: unclear message"; }
	[ -e "$T/cache/nss.cache" ] && fail "$1: published"
	kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=
}

bounded same-cookie "returned the same empty page three times"
bounded new-cookie "keeps returning empty pages"
# Ten million entries is the real bound; the test suite lowers it (a test-only variable).
HOSTIAM_TEST_MAX_ENTRIES=1000 bounded endless "sent more than 1000 entries"
echo "PASS"
