# SPDX-License-Identifier: BSD-2-Clause
# account-lib.sh: sourced by the tests/account tests. A real slapd with the ppolicy overlay
# (tests/integration/slapd-lib.sh), `hostiam sync` into $T/cache, and the PAM side of
# tests/pam/pam-lib.sh (nss_wrapper + the hostiam NSS module answering from the synced
# nss.cache, the syslog shim) with pamtester under pam_wrapper. Skips (77) without slapd,
# ldap-utils, nss_wrapper, pam_wrapper or pamtester.
#
#   account_user NAME UID [LDIF-LINES]   LDIF of a posixAccount + shadowAccount user
#   stacks SERVICE...                    $T/pam.d/SERVICE: auth + account of the module
#                                        (and a denying "other")
#   tester WANT WHAT SERVICE USER OP...  pamtester's exit status; its output in $T/out
#   out_has WHAT TEXT                    pamtester's output holds TEXT

: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/pam/pam-lib.sh"
SLAPD_PPOLICY=1
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
# Both libraries clean up: slapd and the agent (slapd-lib), then pam-lib's $tmp.
trap 'if [ -n "$AGENT_PID" ]; then kill -9 "$AGENT_PID" 2>/dev/null; fi; slapd_cleanup; rm -rf "$tmp"' EXIT

[ -n "${PAMTESTER:-}" ] && [ -x "$PAMTESTER" ] || { echo "SKIP: no pamtester"; exit 77; }
pam_wrapper=${PAM_WRAPPER_LIB:-$(find_lib libpam_wrapper.so)}
[ -n "$pam_wrapper" ] || { echo "SKIP: no pam_wrapper"; exit 77; }
[ -z "$asan" ] || ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"
export ASAN_OPTIONS

# NSS answers from what the sync wrote, as on a host running the agent.
HOSTIAM_NSS_CACHE=$T/cache/nss.cache
export HOSTIAM_NSS_CACHE
TODAY=$(($(date +%s) / 86400))

account_user() {
	printf 'dn: uid=%s,ou=people,%s\nobjectClass: account\nobjectClass: posixAccount\n' "$1" "$SUFFIX"
	printf 'objectClass: shadowAccount\nobjectClass: hostiamTestAccountState\n'
	printf 'uid: %s\ncn: %s\nuidNumber: %s\ngidNumber: %s\nhomeDirectory: /home/%s\n' \
		"$1" "$1" "$2" "$2" "$1"
	[ -z "${3:-}" ] || printf '%b\n' "$3"
	echo
}

stacks() {
	mkdir -p "$T/pam.d"
	printf 'auth required pam_deny.so\naccount required pam_deny.so\n' >"$T/pam.d/other"
	for svc in "$@"; do
		printf 'auth     required %s config=%s\naccount  required %s config=%s\n' \
			"$module" "$T/hostiam.conf" "$module" "$T/hostiam.conf" >"$T/pam.d/$svc"
	done
}

tester() {
	local want=$1 what=$2 status=0
	shift 2
	: >"$log"
	printf '%s\n' "${answer:-}" | LD_PRELOAD="$preload:$pam_wrapper" PAM_WRAPPER=1 \
		PAM_WRAPPER_USE_SYSLOG=1 PAM_WRAPPER_SERVICE_DIR="$T/pam.d" \
		"$PAMTESTER" -v "$@" >"$T/out" 2>&1 || status=$?
	if [ "$status" = "$want" ]; then pass "$what"
	else failed "$what" "$(printf '  exit %s, want %s\n%s' "$status" "$want" "$(cat "$T/out")")"; fi
}

out_has() {
	if grep -qF -- "$2" "$T/out"; then pass "$1"
	else failed "$1" "$(printf '  want: %s\n  output:\n%s' "$2" "$(cat "$T/out")")"; fi
}

# hostiam as root with the NSS view of the PAM side.
hostiam() { LD_PRELOAD="$preload" "$HOSTIAM" --config "$T/hostiam.conf" "$@"; }
