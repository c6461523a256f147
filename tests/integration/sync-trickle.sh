#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# directory.timeout bounds each directory operation from its start, however the server
# trickles: a reply sent one byte at a time, each byte well within the timeout, must not
# stretch connect+bind (`hostiam status`, `hostiam sync`) or a search page past it.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
trap slapd_cleanup EXIT

TIMEOUT=4
# One byte every 3.9 s: never silent for the timeout, a reply taking many times it.
DELAY=3.9
# A bound on a failure path, not a benchmark. With libldap's timeouts alone an operation
# ends up to one DELAY late (about 7.9 s: each byte restarts the wait); with one deadline
# per operation it ends at the timeout. The limit sits half a timeout past it, so that a
# loaded machine (2 s late) still passes and the old behaviour still fails.
LIMIT_MS=$(( TIMEOUT * 1500 ))

# bounded MODE WHAT EXPECTED-STATUS MESSAGE-PATTERN -- HOSTIAM-ARGS...: run hostiam against
# fake-ldap.py in MODE; it must end within LIMIT_MS with that status and message.
bounded() {
	local mode=$1 what=$2 want=$3 pattern=$4 start ms rc
	shift 5
	fake_ldap_start "$mode" "$DELAY" || fail "the fake server did not start"
	HOSTIAM_TIMEOUT=$TIMEOUT hostiam_conf > "$T/hostiam.conf"
	start=$(now_us)
	timeout 60 "$HOSTIAM" --config "$T/hostiam.conf" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$(( ($(now_us) - start) / 1000 ))
	echo "$what: exit $rc after $ms ms (limit $LIMIT_MS): $(cat "$T/out" "$T/err" |
		grep -m1 -E "$pattern")"
	[ "$ms" -lt "$LIMIT_MS" ] || fail "$what took $ms ms with timeout = $TIMEOUT"
	[ "$rc" = "$want" ] || { cat "$T/out" "$T/err"; fail "$what: exit status $rc"; }
	cat "$T/out" "$T/err" | grep -qE "$pattern" ||
		{ cat "$T/out" "$T/err"; fail "$what: unclear message"; }
	kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=
}

bounded trickle "status, trickled bind" 1 "directory: +unreachable: .*tim" -- status
bounded trickle "sync, trickled bind" 1 "tim" -- sync
bounded trickle-search "sync, trickled search page" 1 "search timed out after $TIMEOUT s" \
	-- sync
[ -e "$T/cache/nss.cache" ] && fail "published after a timeout"
echo "PASS"
