#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# @include inside the real PAM stack (pam_start_confdir): a relative include must not pick up
# a file from the working directory of the application (the invoking user's under sudo or
# su), and an include of a directory must not end the application (libconfig 1.5 exit(2)s
# from its parser). Both are a configuration error: fail closed, root's break-glass gets in,
# and the driver carries on to the next operation and ends normally.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"
driver=$builddir/tests/pam/pam_driver
case $driver in /*) ;; *) driver=$(pwd)/$driver ;; esac

# The user's working directory: an x.conf that would turn the policy into report-mode
# allow-all, owned by nobody as an attacker's file would be.
mkdir -m 0755 "$tmp/cwd"
printf 'access = { mode = "report"; default = "allow"; };\n' >"$tmp/cwd/x.conf"
chmod 0644 "$tmp/cwd/x.conf"
[ "$(id -u)" != 0 ] || chown 65534:65534 "$tmp/cwd/x.conf"
mkdir -m 0755 "$tmp/somedir"

# Line 3 of each (write_config writes the directory and cache sections first).
printf '@include "x.conf"\n' | write_config "$tmp/relative.conf"
printf '@include "%s"\n' "$tmp/somedir" | write_config "$tmp/directory.conf"

for name in relative directory; do
	mkdir -p "$tmp/pam.d-$name"
	printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$tmp/pam.d-$name/other"
	cat >"$tmp/pam.d-$name/sshd" <<STACK
auth     required $module config=$tmp/$name.conf
account  required $module config=$tmp/$name.conf
STACK
done

# expect WHAT EXPECTED-OUTPUT DIR USER: run auth then account from $tmp/cwd; the driver must
# print the result of each and exit 0.
expect() {
	: >"$log"
	got=$(cd "$tmp/cwd" && LD_PRELOAD="$preload" "$driver" -r 10.1.2.3 "$tmp/$3" sshd "$4" \
		auth account 2>"$tmp/stderr"; echo "exit: $?")
	check_output "$1" "$2
exit: 0" "$got"
	[ ! -s "$tmp/stderr" ] || failed "$1: nothing on stderr" "$(cat "$tmp/stderr")"
}

denied="error: Access denied: the access policy of this host cannot be read.
auth: PAM_AUTH_ERR
error: Access denied: the access policy of this host cannot be read.
account: PAM_PERM_DENIED"
allowed="auth: PAM_SUCCESS
account: PAM_SUCCESS"

for name in relative directory; do
	expect "$name include: alice denied, the driver carries on" "$denied" pam.d-$name alice
	log_has "$name include: refused at its line" \
		"authpriv.err pam_hostiam(sshd:auth): configuration error: $tmp/$name.conf:3: @include is not supported: copy the settings into this file (an included file would escape its owner and mode checks)"
	expect "$name include: root's break-glass gets in" "$allowed" pam.d-$name root
done
exit $fail
