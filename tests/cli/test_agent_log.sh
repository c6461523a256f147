#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Where the agent (hostiam sync --follow) writes its lines besides syslog: to stderr when
# stderr is a file (a container's or another supervisor's log), not when stderr is the
# journal (JOURNAL_STREAM names it: journald has the syslog copy already), and as
# HOSTIAM_LOG_STDERR says when set. The directory does not answer (a closed port), so the
# agent logs its start and the failed connection, then waits to retry; it is stopped then.
. "${top_srcdir:-.}/tests/cli/test-setup.sh"
test_setup agentlog
mkdir -m 0700 "$tmp/cache"
cat >"$tmp/hostiam.conf" <<CONF
directory = { uri = "ldap://127.0.0.1:1"; base = "dc=example,dc=com"; timeout = 2; };
cache = { dir = "$tmp/cache"; };
CONF

# agent LOG: run the agent with stderr appended to LOG (and the environment of the caller)
# until it has recorded its first, failed, attempt in sync.status (it has logged by then),
# at most 10 s, then stop it with SIGTERM.
agent() {
	rm -f "$tmp/cache/sync.status"
	"$hostiam" --config "$tmp/hostiam.conf" sync --follow </dev/null >/dev/null 2>>"$1" &
	pid=$!
	i=0
	while [ $i -lt 40 ] && [ ! -f "$tmp/cache/sync.status" ]; do
		sleep 0.25
		i=$((i + 1))
	done
	[ -f "$tmp/cache/sync.status" ] || { echo "FAIL: the agent recorded no attempt"; fail=1; }
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# expect WHAT LOG yes|no: whether the agent's lines are in LOG.
expect() {
	if grep -q "^hostiam: agent started" "$2"; then got=yes; else got=no; fi
	if [ "$got" = "$3" ]; then echo "ok: $1"
	else printf 'FAIL: %s: lines on stderr: %s, want %s\n' "$1" "$got" "$3"; cat "$2"; fail=1; fi
}

unset HOSTIAM_LOG_STDERR JOURNAL_STREAM
agent "$tmp/file.log"
expect "stderr to a file: the lines are there" "$tmp/file.log" yes

# The journal's stream is the file stderr goes to: its device and inode.
: >"$tmp/journal.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$tmp/journal.log") agent "$tmp/journal.log"
expect "stderr is the journal (JOURNAL_STREAM matches): syslog only" "$tmp/journal.log" no

: >"$tmp/other.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$tmp/hostiam.conf") agent "$tmp/other.log"
expect "JOURNAL_STREAM names another file: stderr" "$tmp/other.log" yes

: >"$tmp/forced.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$tmp/forced.log") HOSTIAM_LOG_STDERR=1 agent "$tmp/forced.log"
expect "HOSTIAM_LOG_STDERR=1 in the journal: stderr too" "$tmp/forced.log" yes

HOSTIAM_LOG_STDERR=0 agent "$tmp/off.log"
expect "HOSTIAM_LOG_STDERR=0: syslog only" "$tmp/off.log" no
exit $fail
