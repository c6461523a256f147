#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# How pam_hostiam runs the password helper (pam_module/helper_run.c), with small helper
# scripts standing in for hostiam-auth so that each behaviour can be forced: the argv of
# the contract and an empty environment; the password on standard input (with its NUL) and
# in no argv; no inherited fd; a helper that hangs is killed at the timeout and reaped; a
# failing one is told from a replying one; a helper others may write to is not run; and in
# a host whose SIGCHLD handler reaps every child (as sshd's does), our child's status is
# still ours and the host's handler still runs. No zombie is ever left.
set -u
builddir=${top_builddir:-.}
prog=$builddir/tests/pam/test_pam_password_helper
[ -x "$prog" ] || { echo "missing $prog (build first)"; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-helper.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "ok: $1"; }
failed() { printf 'FAIL: %s\n%s\n' "$1" "$2"; fail=1; }
# has WHAT FILE TEXT: FILE holds the line TEXT.
has() {
	if grep -qxF -- "$3" "$2"; then pass "$1"
	else failed "$1" "$(printf '  want line: %s\n  in:\n%s' "$3" "$(cat "$2")")"; fi
}

# helper NAME < BODY: a helper script (root's or ours, 0755).
helper() {
	{ echo '#!/bin/sh'; cat; } >"$tmp/$1"
	chmod 0755 "$tmp/$1"
}
helper echo <<EOF
printf '%s\n' "\$@" >"$tmp/argv"
tr '\0' '\n' </proc/\$\$/environ >"$tmp/env"
ls /proc/\$\$/fd >"$tmp/fds"
cat >"$tmp/stdin"
printf 'ok expires_in=60\n'
EOF
helper hang <<'EOF'
exec sleep 30
EOF
helper fail <<'EOF'
cat >/dev/null
printf 'ok\n'
exit 3
EOF
helper early <<'EOF'
exec 0<&-
printf 'wrong\n'
EOF
helper flood <<'EOF'
exec yes ok
EOF
helper lingering <<'EOF'
cat >/dev/null
printf 'wrong\n'
exec >&- sleep 30
EOF

"$prog" -f "$tmp/echo" 2 verify >"$tmp/out"
has "a reply: ok" "$tmp/out" "ok expires_in=60"
grep -q '^result=ok ' "$tmp/out" && pass "result ok" || failed "result ok" "$(cat "$tmp/out")"
has "no zombie" "$tmp/out" "children=none"
check_argv=$(tr '\n' ' ' <"$tmp/argv")
[ "$check_argv" = "--config /x/hostiam.conf verify alice " ] && pass "argv as the contract says" ||
	failed "argv as the contract says" "  got: $check_argv"
[ ! -s "$tmp/env" ] && pass "empty environment" || failed "empty environment" "$(cat "$tmp/env")"
printf 'secret-password\0' | cmp -s - "$tmp/stdin" && pass "the password and a NUL on stdin" ||
	failed "the password and a NUL on stdin" "$(od -c "$tmp/stdin")"
grep -qF secret-password "$tmp/argv" "$tmp/env" && failed "the password in no argv or environment" "" ||
	pass "the password in no argv or environment"
grep -qx 7 "$tmp/fds" && failed "fd 7 not inherited" "$(cat "$tmp/fds")" || pass "fd 7 not inherited"

"$prog" "$tmp/hang" 1 verify >"$tmp/out"
ms=$(sed -n 's/^result=timeout ms=//p' "$tmp/out")
echo "hung helper returned after ${ms:-?} ms (timeout 1 s)"
[ -n "$ms" ] && [ "$ms" -ge 900 ] && [ "$ms" -lt 2500 ] && pass "hung helper: timeout at 1 s" ||
	failed "hung helper: timeout at 1 s" "$(cat "$tmp/out")"
has "hung helper: killed and reaped" "$tmp/out" "children=none"

"$prog" "$tmp/fail" 2 verify >"$tmp/out"
grep -q '^result=failed ' "$tmp/out" && pass "exit 3: failed, whatever it printed" ||
	failed "exit 3: failed, whatever it printed" "$(cat "$tmp/out")"

# A reply without end (a broken or hostile helper): cut at the reply's size, not read to the
# deadline, never parsed as a reply; the helper killed and reaped.
"$prog" "$tmp/flood" 5 verify >"$tmp/out"
ms=$(sed -n 's/^result=failed ms=//p' "$tmp/out")
[ -n "$ms" ] && [ "$ms" -lt 2000 ] && pass "endless reply: failed at once" ||
	failed "endless reply: failed at once" "$(cat "$tmp/out")"
has "endless reply: killed and reaped" "$tmp/out" "children=none"
# A helper that replied and closed its output but does not exit: still bounded by the
# deadline, then killed and reaped (the answer is then "unreachable", never a hang).
"$prog" "$tmp/lingering" 1 verify >"$tmp/out"
ms=$(sed -n 's/^result=[a-z]* ms=//p' "$tmp/out")
[ -n "$ms" ] && [ "$ms" -lt 2500 ] && pass "replied but lingering: bounded by the deadline" ||
	failed "replied but lingering: bounded by the deadline" "$(cat "$tmp/out")"
has "replied but lingering: killed and reaped" "$tmp/out" "children=none"

# sshd's SIGCHLD handler reaps every child it can: ours is still reaped by us (its exit
# status 3 seen), and the handler still gets its signal.
"$prog" -s "$tmp/fail" 2 verify >"$tmp/out"
grep -q '^result=failed ' "$tmp/out" && pass "host reaper: our exit status kept" ||
	failed "host reaper: our exit status kept" "$(cat "$tmp/out")"
has "host reaper: SIGCHLD still delivered to the host" "$tmp/out" "sigchld=delivered"
has "host reaper: no zombie" "$tmp/out" "children=none"
"$prog" -s "$tmp/hang" 1 verify >"$tmp/out"
has "host reaper, hung helper: no zombie" "$tmp/out" "children=none"

# A helper that closes its stdin at once: no SIGPIPE kills the host (it is at its default).
i=0
while [ $i -lt 20 ]; do
	"$prog" "$tmp/early" 2 verify >"$tmp/out" 2>&1 || break
	i=$((i + 1))
done
[ $i -eq 20 ] && has "a helper closing stdin: the host survives" "$tmp/out" "wrong" ||
	failed "a helper closing stdin: the host survives" "$(cat "$tmp/out")"

chmod 0777 "$tmp/echo"
"$prog" "$tmp/echo" 2 verify >"$tmp/out"
grep -q '^result=syserr ' "$tmp/out" && pass "a helper others may write to: not run" ||
	failed "a helper others may write to: not run" "$(cat "$tmp/out")"
"$prog" "$tmp/missing" 2 verify >"$tmp/out"
grep -q '^result=syserr ' "$tmp/out" && pass "a missing helper: not run" ||
	failed "a missing helper: not run" "$(cat "$tmp/out")"
exit $fail
