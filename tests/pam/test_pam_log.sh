#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The module's own log lines through the real libpam: a PAM_USER chosen by the client
# (a newline, a forged key) stays inside one line, escaped as in the decision line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
driver=$builddir/tests/pam/pam_driver

write_config "$tmp/hostiam.conf" <<'CONF'
access = { default = "deny"; exempt = [ "root" ]; };
CONF
mkdir -p "$tmp/pam.d"
printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$tmp/pam.d/other"
printf 'session optional %s config=%s debug\n' "$module" "$tmp/hostiam.conf" >"$tmp/pam.d/sshd"
printf 'session optional %s config=%s debug\n' "$module" "$tmp/no-such.conf" >"$tmp/pam.d/login"

# session SERVICE USER: open a session with a fresh log; the driver's output is checked.
session() {
	: >"$log"
	got=$(LD_PRELOAD="$preload" "$driver" "$tmp/pam.d" "$1" "$2" open 2>"$tmp/stderr")
	check_output "session for $1 opens" "open: PAM_SUCCESS" "$got"
}

# one_record_per_line WHAT: every captured line starts a syslog record (none was forged).
one_record_per_line() {
	if grep -qv '^authpriv\.' "$log"; then failed "$1" "$(cat "$log")"
	else pass "$1"; fi
}

forged=$(printf 'alice\nhostiam: decision=allow user=root')
escaped='"alice\x0ahostiam: decision=allow user=root"'

# The state store refuses the name: the line saying so names it, escaped.
session sshd "$forged"
check_output "one line for the session" 1 "$(wc -l <"$log")"
one_record_per_line "no forged line"
case $(cat "$log") in
"authpriv.err pam_hostiam(sshd:session): login of $escaped not recorded in "*)
	pass "escaped user" ;;
*) failed "escaped user" "$(cat "$log")" ;;
esac

# The configuration cannot be read: the line after its error names the user, escaped.
session login "$forged"
log_has "unreadable configuration: escaped user" \
	"authpriv.err pam_hostiam(login:session): login of $escaped not recorded"
one_record_per_line "no forged line after a configuration error"
log_has "session: the configuration error itself" \
	"authpriv.err pam_hostiam(login:session): configuration error: $tmp/no-such.conf: cannot open: No such file or directory"

# A plain name is logged as it is.
session sshd alice
log_has "plain user recorded" \
	"authpriv.debug pam_hostiam(sshd:session): login of alice recorded (service sshd)"
exit $fail
