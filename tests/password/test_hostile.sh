#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# hostiam-auth against directories that answer oddly (tests/integration/fake-ldap.py, whose
# binds succeed for any password): the search for the user's entry must give exactly one
# entry, or nothing is bound — not a server whose size limit cut the answer to one, not two
# entries, not a search reference — and a password policy control that is not BER never
# crashes the helper nor turns a refused bind into a success.
. "$top_srcdir/tests/password/password-lib.sh"

# against MODE WHAT WANT: the reply for fakeuser on a fake server in MODE.
against() {
	fake_ldap_start "$1" || fail "fake-ldap.py $1 did not start"
	hostiam_conf > "$T/fake.conf"
	got=$(verify fakeuser 'Fake-pw-1' "$T/fake.conf")
	expect "$2" "${got%%|*}" "$3"
	kill "$FAKE_PID" && wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
}

against sizelimit-one "one entry, then sizeLimitExceeded: ambiguous, not bound" error
grep -q 'user=fakeuser result=error .*more than one entry' "$SYSLOG" ||
	expect "sizeLimitExceeded logged as ambiguous" "$(tail -1 "$SYSLOG")" "... more than one entry ..."
against two-users "two entries for the uid: not bound" error
against referral "only a search reference: no entry" unknown
against pp-garbage "a bind that succeeds with a control that is not BER: ok, nothing more" ok
against pp-garbage-fail "a refused bind with a control that is not BER: wrong" wrong
finish
