#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A configuration without a directory section (MFA and access rules for local users only):
# config-check accepts it; check decides for local users and never finds the host offline;
# sync says there is no directory (exit 2) and the agent logs it and exits 0, so that its
# unit does not restart forever; without a cache, NSS knows no directory user and
# authorized-keys has no keys, and review still lists the local accounts.
set -u
. "${top_srcdir:-.}/tests/cli/cli-lib.sh"
shim=$builddir/tests/pam/.libs/syslog_shim.so
[ -f "$shim" ] || { echo "missing $shim (build first)"; exit 99; }

mkdir -m 0700 "$tmp/nodir"
nodir=$tmp/nodir.conf
cat >"$nodir" <<CONF
cache = { dir = "$tmp/nodir"; };
access = {
  timezone = "UTC";
  default = "deny";
  exempt = [ "root" ];
  rules = (
    { name = "offline"; offline = true; action = "deny"; },
    { name = "ops-remote"; service = "sshd"; group = "ops"; action = "mfa"; }
  );
};
CONF
# nodir_run ARGS...: hostiam with the NSS module over the (missing) cache of this host.
nodir_run() {
	status=0
	"$wrap" "$tmp/nodir/nss.cache" "$hostiam" --config "$nodir" "$@" >"$tmp/out" 2>"$tmp/err" ||
		status=$?
}

nodir_run config-check
expect_status "config-check: valid" 0
expect_grep "config-check: says so" "$tmp/out" "configuration is valid\$"

nodir_run check localop --service sshd --from 203.0.113.9
expect_status "check localop: exit" 0
expect_grep "check localop: mfa" "$tmp/out" "^decision: +mfa"
expect_grep "check localop: by its rule, not offline" "$tmp/out" "^rule: +ops-remote "
expect_grep "check localop: no cache to show" "$tmp/out" "^cache: +none \\(no directory configured\\)\$"
nodir_run check daemon --service sshd
expect_status "check daemon: denied by default" 1
expect_grep "check daemon: default" "$tmp/out" "^rule: +default"

nodir_run sync
expect_status "sync: exit 2" 2
expect_grep "sync: says why" "$tmp/err" "^hostiam: sync: no directory is configured \(no directory section in $nodir\): nothing to sync\$"

: >"$tmp/syslog"
status=0
HOSTIAM_TEST_SYSLOG=$tmp/syslog LD_PRELOAD="$shim" "$hostiam" --config "$nodir" sync --follow \
	>"$tmp/out" 2>"$tmp/err" || status=$?
expect_status "agent: exit 0 (no restart loop)" 0
expect_grep "agent: logs why" "$tmp/syslog" "^authpriv\.notice hostiam: agent: no directory is configured \(no directory section in $nodir\): nothing to follow, exiting\$"

nodir_run authorized-keys alice
expect_status "authorized-keys: no cache, no keys" 1
[ -s "$tmp/out" ] && failed "authorized-keys: printed nothing" "$(cat "$tmp/out")"

status=0
"$wrap" "$tmp/nodir/nss.cache" getent passwd alice >"$tmp/out" 2>&1 || status=$?
expect_status "NSS without a cache: no directory user" 2
status=0
"$wrap" "$tmp/nodir/nss.cache" getent passwd localop >"$tmp/out" 2>&1 || status=$?
expect_status "NSS without a cache: local users as ever" 0

nodir_run review
expect_status "review: exit 0" 0
expect_grep "review: local user listed" "$tmp/out" "^localop +1500 +local "
exit $fail
