#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A cookie the directory cannot serve. One whose CSN is from the future: slapd answers
# unwillingToPerform ("consumer state is newer than provider") and the agent refreshes in
# full. Then slapd's database rebuilt from LDIF (new
# entryUUIDs and CSNs, all newer than the cookie). With syncprov-reloadhint the server
# answers e-syncRefreshRequired (4096) and the agent refreshes in full; without it slapd
# sends its whole content as a present phase, and the stale entries go. Either way the
# cache answers exactly as a fresh full sync.
. "$top_srcdir/tests/integration/slapd-lib.sh"
. "$top_srcdir/tests/integration/resume-lib.sh"
resume_setup

# Rebuild the database from LDIF without bob (and restart slapd with extra settings $1).
slapd_rebuild() {
	slapd_stop
	rm -rf "$T/db"
	grep -v "^$" "$top_srcdir/tests/integration/sample.ldif" |
		awk '/^dn: uid=bob,/ { skip = 1; next } /^dn: / { skip = 0; print "" } !skip' \
			> "$T/nobob.ldif"
	slapd_load "$T/nobob.ldif" || fail "slapadd"
	[ -z "$1" ] || sed -i "/^overlay syncprov/a $1" "$T/slapd.conf"
	slapd_start || fail "slapd did not restart"
}

# Run the agent once; the users' cookie must be refused with LDAP result $1 and their
# refresh be full, carrying $2 entries.
expect_refused() {
	agent_round "$T/hostiam.conf" >/dev/null
	last_refreshes
	grep -q "the directory refused the stored sync cookie (.*, result $1)" "$T/agent.log" ||
		{ cat "$T/agent.log"; fail "the cookie was not refused with result $1"; }
	last_refreshes | grep -q "sync refresh full (the cookie was refused) kind=users entries=$2 " ||
		fail "users: not a full refresh after result $1"
}

"$top_builddir/tests/integration/state-set-cookie" "$T/hostiam.conf" users \
	"rid=000,csn=29991231235959.999999Z#000000#000#000000" || fail "state-set-cookie"
expect_refused 53 6
last_refreshes | grep -q "sync refresh resumed from the cookie kind=groups entries=0 " ||
	fail "groups: their good cookie was not used"
same_as_full_sync "future cookie"

sleep 1 # the rebuilt entries' CSNs must be newer than the cookie's
slapd_rebuild "syncprov-reloadhint TRUE"
expect_refused 4096 5
cache_dump | grep -q "^user bob:" && fail "bob is still there"
same_as_full_sync "refresh required"

sed -i "/^syncprov-reloadhint/d" "$T/slapd.conf"
sleep 1
slapd_rebuild ""
agent_round "$T/hostiam.conf" >/dev/null
last_refreshes
last_refreshes | grep -q "resumed from the cookie kind=users entries=5 deleted=5 " ||
	fail "users: the whole content was not sent as a present phase"
same_as_full_sync "present phase of a rebuilt directory"
echo "PASS"
