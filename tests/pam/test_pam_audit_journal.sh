#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The audit trail's journal side: real PAM transactions (pam_driver) whose events are read
# back with `journalctl -o json`: MESSAGE_ID of the event type, the HOSTIAM_* fields, a
# hostile tty byte for byte. Needs a running journald and a module built with libsystemd;
# otherwise SKIP (77) with the reason. Without a journald, logins must still be audited to
# the file and decided as ever: test_pam_audit.sh runs with journal = true for that.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
command -v journalctl >/dev/null || { echo "no journalctl: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }
# A socket left by a journald that is gone answers ECONNREFUSED: no journal either.
python3 -c 'import socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).connect("/run/systemd/journal/socket")' 2>/dev/null ||
	{ echo "no journald answering on /run/systemd/journal/socket: skipped"; exit 77; }
objdump -p "$module" | grep -q 'NEEDED.*libsystemd' ||
	{ echo "pam_hostiam.so built without libsystemd (configure --without-systemd): skipped"; exit 77; }
driver=$builddir/tests/pam/pam_driver

write_config "$tmp/hostiam.conf" <<'CONF'
audit = { journal = true; };
access = { default = "deny"; rules = (
  { name = "bob-out"; user = [ "bob" ]; action = "deny"; },
  { name = "devs"; group = [ "devs", "contractors" ]; action = "allow"; }
); };
CONF
mkdir "$tmp/pam.d"
printf 'account required %s config=%s\n' "$module" "$tmp/hostiam.conf" >"$tmp/pam.d/sshd"
# A tag no other run has: the rhost of this run's logins.
tag=198.51.100.$(($$ % 250 + 1))-$(date +%s%N)
tty=$(printf 'pts/9\n\033[2J')
export tty
since=$(date '+%Y-%m-%d %H:%M:%S')
LD_PRELOAD="$preload" "$driver" -r "$tag" -t "$tty" "$tmp/pam.d" sshd carol account >/dev/null
LD_PRELOAD="$preload" "$driver" -r "$tag" "$tmp/pam.d" sshd bob account >/dev/null

# events: this run's events in the journal, one JSON object a line (waits for both).
events() {
	journalctl -o json --no-pager --since "$since" HOSTIAM_RHOST="$tag" 2>/dev/null
}
i=0
while [ "$(events | wc -l)" -lt 2 ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
events >"$tmp/j.json"
out=$(python3 - "$tmp/j.json" <<'PY'
import json, os, sys
evs = [json.loads(l) for l in open(sys.argv[1])]

def val(e, k):
    v = e.get(k)
    return bytes(v) if isinstance(v, list) else (v.encode() if v is not None else None)

by_user = {val(e, "HOSTIAM_USER"): e for e in evs}
want = {
    b"carol": {"MESSAGE_ID": b"be64af13cc9442bbae325b1c87b38b92", "HOSTIAM_EVENT": b"decision",
               "HOSTIAM_DECISION": b"allow", "HOSTIAM_RULE": b"devs", "HOSTIAM_SERVICE": b"sshd",
               "HOSTIAM_TTY": os.environb[b"tty"], "SYSLOG_IDENTIFIER": b"hostiam",
               "PRIORITY": b"6"},
    b"bob": {"MESSAGE_ID": b"be64af13cc9442bbae325b1c87b38b92", "HOSTIAM_DECISION": b"deny",
             "HOSTIAM_RULE": b"bob-out", "PRIORITY": b"5"},
}
bad = []
for user, fields in want.items():
    e = by_user.get(user)
    if e is None:
        bad.append("no event for %r" % user)
        continue
    for k, v in fields.items():
        if val(e, k) != v:
            bad.append("%r: %s is %r, want %r" % (user, k, val(e, k), v))
    if b"\x1b" in (val(e, "MESSAGE") or b""):
        bad.append("raw ESC in MESSAGE")
print("\n".join(bad) if bad else "ok")
PY
)
check_output "the journal holds both events with their fields" ok "$out"
exit "$fail"
