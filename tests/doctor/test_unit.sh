#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# systemd-analyze verify accepts the generated conf/hostiam-sync.service (with ExecStart
# pointed at the built hostiam, since verify wants the binary to exist), and the unit keeps
# the hardening issue 5 asks for.
builddir=${top_builddir:-.}
unit=$builddir/conf/hostiam-sync.service
[ -f "$unit" ] || { echo "missing $unit (build first)"; exit 99; }
fail=0
for want in '^ProtectSystem=strict$' '^ReadWritePaths=/' '^NoNewPrivileges=yes$' \
	'^PrivateTmp=yes$' '^ProtectHome=yes$' '^CapabilityBoundingSet=$' '^Restart=on-failure$' \
	'^ExecStart=.*/hostiam sync --follow$'; do
	grep -q -- "$want" "$unit" || { echo "FAIL: no line matches $want"; fail=1; }
done
[ "$(grep -c '^ReadWritePaths=' "$unit")" = 1 ] || { echo "FAIL: ReadWritePaths more than once"; fail=1; }
command -v systemd-analyze >/dev/null 2>&1 || { echo "systemd-analyze not found: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-unit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
hostiam=$(cd "$builddir" && pwd)/hostiam
sed "s|^ExecStart=[^ ]*|ExecStart=$hostiam|" "$unit" >"$tmp/hostiam-sync.service"
if systemd-analyze verify --man=no "$tmp/hostiam-sync.service" >"$tmp/out" 2>&1; then
	echo "ok: systemd-analyze verify"
else
	echo "FAIL: systemd-analyze verify"; cat "$tmp/out"; fail=1
fi
exit $fail
