# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the password helper tests: a real slapd with the ppolicy overlay
# (tests/integration/slapd-lib.sh, SLAPD_PPOLICY=1), a hostiam.conf for it in $T/h.conf,
# and the helper run as pam_hostiam runs it: an empty environment, the password on stdin.
# Every syslog line of the helper is appended to $SYSLOG (tests/pam/syslog_shim.so).
#
#   verify USER PASSWORD [CONF]         the reply, as one line ("ok must_change=1|Message")
#   change USER OLD NEW [CONF]          the same for a change
#   expect WHAT GOT WANT                count a failure unless GOT is WANT
#   add_user NAME UIDNUMBER PASSWORD    a user with that password (default policy)
SLAPD_PPOLICY=1
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
HELPER=$top_builddir/hostiam-auth
SHIM=$top_builddir/tests/pam/.libs/syslog_shim.so
[ -x "$HELPER" ] || { echo "missing $HELPER (build first)"; exit 99; }
[ -f "$SHIM" ] || { echo "missing $SHIM (build first)"; exit 99; }
SYSLOG=$T/syslog
failures=0

slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
hostiam_conf > "$T/h.conf"

# The helper with the empty environment of pam_hostiam (the shim and, in sanitizer builds,
# ASAN_OPTIONS aside); stdin and arguments as given.
HELPER_ENV=(LD_PRELOAD="$SHIM" HOSTIAM_TEST_SYSLOG="$SYSLOG" LDAPNOINIT=1
	${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"})
helper() {
	env -i "${HELPER_ENV[@]}" "$HELPER" "$@"
}

# The reply's lines joined by '|' (no trailing one), and the exit status after a blank.
joined() { tr '\n' '|' | sed 's/|$//'; }

verify() {
	printf '%s' "$2" | helper --config "${3:-$T/h.conf}" verify "$1" | joined
}

change() {
	printf '%s\0%s\0' "$2" "$3" | helper --config "${4:-$T/h.conf}" change "$1" | joined
}

expect() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1: $2"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		failures=$((failures + 1))
	fi
}

add_user() {
	user_ldif "$1" "$2" | ldap_add || fail "cannot add $1"
	set_password "$1" "$3" || fail "cannot set the password of $1"
}

# Milliseconds the command "$@" takes; its output in $OUT.
timed() {
	local start=$(now_us)
	OUT=$("$@")
	MS=$(( ($(now_us) - start) / 1000 ))
}

# The end: slapd's log on failure, the status.
finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures failure(s); helper log:"
		cat "$SYSLOG" 2>/dev/null
		exit 1
	fi
	exit 0
}
