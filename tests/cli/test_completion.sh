#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The bash completion (tools/completion/hostiam), sourced in bash with the built hostiam
# first on PATH: command names, a command's options, option values, user names.
. "${top_srcdir:-.}/tests/cli/test-setup.sh"
test_setup completion
command -v bash >/dev/null 2>&1 || { echo "bash not found: skipped"; exit 77; }
PATH=$(cd "$builddir" && pwd):$PATH
export PATH
bash -c '
. "$1" || exit 99
fail=0
# expect WHAT WANT WORD...: completing the last WORD gives COMPREPLY containing WANT
# ("=LIST": exactly LIST).
expect() {
	local what=$1 want=$2 got
	shift 2
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_hostiam
	got=" ${COMPREPLY[*]} "
	if [[ $want == =* && "$got" == " ${want#=} " ]] ||
		[[ $want != =* && "$got" == *" $want "* ]]; then
		echo "ok: $what"
	else
		echo "FAIL: $what: got \"${COMPREPLY[*]}\", want $want"
		fail=1
	fi
}
expect "hostiam st<TAB>: status" =status hostiam st
expect "hostiam <TAB>: authorized-keys among the commands" authorized-keys hostiam ""
expect "hostiam status --<TAB>: --json" --json hostiam status --
expect "hostiam status --<TAB>: --help" --help hostiam status --
expect "after --config FILE: doctor --<TAB> is --root --json --help" "=--root --json --help" \
	hostiam --config /etc/hostiam/hostiam.conf doctor --
expect "hostiam review --format <TAB>: the formats" "=text json csv" hostiam review --format ""
expect "hostiam enroll bob --algorithm sha2<TAB>" "=sha256" hostiam enroll bob --algorithm sha2
expect "hostiam check root --ser<TAB>: --service" =--service hostiam check root --ser
expect "hostiam check root --service <TAB>: no guess" "=" hostiam check root --service ""
expect "hostiam unlock ro<TAB>: a user name" root hostiam unlock ro
expect "hostiam help doc<TAB>: doctor" =doctor hostiam help doc
expect "hostiam terms <TAB>: status revoke" "=status revoke" hostiam terms ""
expect "hostiam terms revoke ro<TAB>: a user name" root hostiam terms revoke ro
expect "hostiam terms status --<TAB>: --json" --json hostiam terms status --
expect "hostiam certify <TAB>: start decide close show" "=start decide close show" hostiam certify ""
expect "hostiam certify start --reviewer ro<TAB>: a user name" root hostiam certify start --reviewer ro
expect "hostiam audit --event <TAB>: the event types" \
	"=decision mfa password terms grant certify" hostiam audit --event ""
expect "hostiam audit --decision <TAB>: the decisions" "=allow deny mfa keep revoke" \
	hostiam audit --decision ""
expect "hostiam audit --user ro<TAB>: a user name" root hostiam audit --user ro
expect "hostiam audit --<TAB>: the options" \
	"=--user --since --until --decision --event --json --help" hostiam audit --
exit $fail
' sh "$srcdir/tools/completion/hostiam"
# Not exec: test_setup's EXIT trap removes the temp directory.
exit $?
