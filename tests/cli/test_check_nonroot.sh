#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam check run by a user who cannot read the state directory (0700 root): it still
# answers with the decision a login would get, and says which file it could not read and
# why, not just "system error". Run as root, the check runs as nobody (runuser or setpriv);
# run as another user, a state directory of mode 0000 stands in for root's.
set -u
hostiam=${top_builddir:-.}/hostiam
[ -x "$hostiam" ] || { echo "missing $hostiam (build first)"; exit 99; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-nonroot.XXXXXX")
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
mkdir -m 0755 "$tmp/var"
mkdir -m 0700 "$tmp/var/state"
cat >"$tmp/hostiam.conf" <<CONF
cache = { dir = "$tmp/var"; };
access = { default = "allow"; exempt = [ "root" ]; };
CONF
chmod 0644 "$tmp/hostiam.conf"

# as_user CMD...: CMD as an unprivileged user.
if [ "$(id -u)" = 0 ]; then
	id nobody >/dev/null 2>&1 || { echo "no user nobody: skipped"; exit 77; }
	if command -v setpriv >/dev/null 2>&1; then
		as_user() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- "$@"; }
	elif command -v runuser >/dev/null 2>&1; then
		as_user() { runuser -u nobody -- "$@"; }
	else
		echo "neither setpriv nor runuser: skipped"; exit 77
	fi
	as_user true 2>/dev/null || { echo "cannot switch to nobody: skipped"; exit 77; }
else
	chmod 0000 "$tmp/var/state"
	as_user() { "$@"; }
fi

status=0
as_user "$hostiam" --config "$tmp/hostiam.conf" check root --service sshd \
	>"$tmp/out" 2>"$tmp/err" || status=$?
fail=0
want="cannot read state directory $tmp/var/state: Permission denied"
if grep -qF "$want" "$tmp/err"; then
	echo "ok: names the file and why"
else
	printf 'FAIL: no "%s" on stderr:\n%s\n' "$want" "$(cat "$tmp/err")"; fail=1
fi
grep -q "^decision: " "$tmp/out" && echo "ok: still prints the decision" ||
	{ echo "FAIL: no decision: $(cat "$tmp/out")"; fail=1; }
echo "exit status $status"
exit $fail
