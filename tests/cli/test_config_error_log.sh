#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# What fails closed on a broken configuration says why with FILE:LINE where an
# administrator looks: the agent (hostiam sync, sync --follow) in syslog (authpriv, so
# journalctl shows it) as well as on stderr, hostiam check on stderr with the decision a
# login then gets. (pam_hostiam's lines: tests/pam/test_pam_stack.sh and test_pam_log.sh;
# authorized-keys: tests/nss/test_authorized_keys.sh.)
set -u
builddir=${top_builddir:-.}
hostiam=$builddir/hostiam
shim=$builddir/tests/pam/.libs/syslog_shim.so
for f in "$hostiam" "$shim"; do [ -f "$f" ] || { echo "missing $f (build first)"; exit 99; }; done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-cfglog.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

conf=$tmp/hostiam.conf
cat >"$conf" <<CONF
directory = { uri = "ldap://127.0.0.1:9"; base = "dc=example,dc=com"; };
cache = { dir = "$tmp/var"; };
access = { mode = "report";
  rules = ( { name = "ops"; gruop = "ops"; action = "allow"; } ); };
CONF
where="$conf:4: access.rules.[0].gruop: unknown key"

# run WHAT WANT-STATUS SYSLOG-LINE ARGS...: hostiam ARGS with syslog captured; the status,
# FILE:LINE on stderr, and the one syslog line (or none when SYSLOG-LINE is empty).
run() {
	what=$1 want=$2 line=$3
	shift 3
	: >"$tmp/syslog"
	status=0
	HOSTIAM_TEST_SYSLOG=$tmp/syslog LD_PRELOAD="$shim" "$hostiam" --config "$conf" "$@" \
		>"$tmp/out" 2>"$tmp/err" || status=$?
	[ "$status" = "$want" ] && echo "ok: $what: exit $status" ||
		{ echo "FAIL: $what: exit $status, want $want"; fail=1; }
	grep -qxF "$where" "$tmp/err" && echo "ok: $what: FILE:LINE on stderr" ||
		{ printf 'FAIL: %s: stderr:\n%s\n' "$what" "$(cat "$tmp/err")"; fail=1; }
	if [ -z "$line" ]; then
		[ ! -s "$tmp/syslog" ] && echo "ok: $what: nothing in syslog" ||
			{ printf 'FAIL: %s: syslog:\n%s\n' "$what" "$(cat "$tmp/syslog")"; fail=1; }
	elif [ "$(cat "$tmp/syslog")" = "$line" ]; then
		echo "ok: $what: one syslog line with FILE:LINE"
	else
		printf 'FAIL: %s: syslog has:\n%s\nwant:\n%s\n' "$what" "$(cat "$tmp/syslog")" "$line"
		fail=1
	fi
}

run "sync" 2 "authpriv.err hostiam: sync: configuration error: $where" sync
run "agent" 2 "authpriv.err hostiam: agent: configuration error: $where" sync --follow
run "check" 2 "" check root --service sshd
grep -q "^rule: *break-glass\|^rule: *config-error" "$tmp/out" && echo "ok: check: the fail-closed decision" ||
	{ printf 'FAIL: check: stdout:\n%s\n' "$(cat "$tmp/out")"; fail=1; }
exit $fail
