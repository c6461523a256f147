# SPDX-License-Identifier: BSD-2-Clause
# pamtester-lib.sh: sourced after pam-lib.sh by the tests that run pamtester, an unmodified
# PAM application, under pam_wrapper (service files from $tmp/pam.d). Exits 77 (SKIP)
# without pamtester or pam_wrapper.
#   tester WANT-STATUS WHAT PAMTESTER-ARGS...: run pamtester with $answer on its standard
#   input (one line per prompt), its output in $tmp/out, and compare its exit status.

[ -n "${PAMTESTER:-}" ] && [ -x "$PAMTESTER" ] || { echo "pamtester not found: skipped"; exit 77; }
pam_wrapper=${PAM_WRAPPER_LIB:-$(find_lib libpam_wrapper.so)}
[ -n "$pam_wrapper" ] || { echo "pam_wrapper not found: skipped"; exit 77; }
# pamtester is not built with ASan: the runtime comes first (pam-lib.sh), its leaks are not ours.
[ -z "$asan" ] || ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"
export ASAN_OPTIONS

answer=
tester() {
	want=$1 what=$2
	shift 2
	: >"$log"
	status=0
	printf '%s\n' "$answer" | LD_PRELOAD="$preload:$pam_wrapper" PAM_WRAPPER=1 \
		PAM_WRAPPER_USE_SYSLOG=1 PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" \
		"$PAMTESTER" "$@" >"$tmp/out" 2>&1 || status=$?
	if [ "$status" = "$want" ]; then pass "$what"
	else failed "$what" "$(printf '  exit %s, want %s\n%s' "$status" "$want" "$(cat "$tmp/out")")"; fi
}
