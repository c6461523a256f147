#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam COMMAND --help / -h prints that command's usage on stdout and exits 0 before the
# command parses anything (authorized-keys --help must not look up a user "--help");
# hostiam help [COMMAND]; an unknown command prints the usage on stderr and exits 2.
. "${top_srcdir:-.}/tests/cli/test-setup.sh"
test_setup help

# expect WHAT WANT_STATUS STREAM PATTERN ARGS...: hostiam ARGS exits WANT_STATUS and STREAM
# (out or err) has a line matching PATTERN; the config file does not exist, so a command
# that ran instead of printing its usage fails.
expect() {
	what=$1 want=$2 stream=$3 pattern=$4
	shift 4
	status=0
	"$hostiam" --config "$tmp/none.conf" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
	if [ "$status" != "$want" ]; then
		printf 'FAIL: %s: exit %s, want %s\n' "$what" "$status" "$want"; cat "$tmp/err"
		fail=1
	elif ! grep -Eq -- "$pattern" "$tmp/$stream"; then
		printf 'FAIL: %s: no line matches %s in std%s:\n' "$what" "$pattern" "$stream"
		cat "$tmp/$stream"; fail=1
	else
		echo "ok: $what"
	fi
}

for c in sync status authorized-keys config-check check review enroll unenroll unlock \
	doctor help; do
	expect "$c --help" 0 out "^usage: hostiam \[--config FILE\] $c( |\$)" "$c" --help
	expect "$c -h" 0 out "^usage: hostiam \[--config FILE\] $c( |\$)" "$c" -h
	expect "help $c" 0 out "^usage: hostiam \[--config FILE\] $c( |\$)" help "$c"
done
expect "authorized-keys USER --help" 0 out "^usage: .* authorized-keys USER" \
	authorized-keys alice --help
expect "check --help after options" 0 out "^usage: .* check USER --service S" \
	check alice --service sshd --help
expect "--help lists the commands" 0 out "^  authorized-keys USER" --help
expect "help lists the commands" 0 out "^  doctor \[--root DIR\]" help
expect "unknown command" 2 err "^usage: hostiam \[--config FILE\] COMMAND" frobnicate
expect "unknown command named" 2 err "unknown command 'frobnicate'" frobnicate
expect "help of an unknown command" 2 err "unknown command 'frobnicate'" help frobnicate
expect "usage error: the command's usage" 2 err "^usage: hostiam \[--config FILE\] status" \
	status --bogus
[ ! -s "$tmp/out" ] || { echo "FAIL: usage error wrote to stdout"; fail=1; }
exit $fail
