#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pam_hostiam password when the directory is not there (real slapd stopped, or SIGSTOPped
# so that it accepts connections and never answers): the offline verifier (0600) lets in
# the right password within password.offline_days and not past it (the verifier's time
# is aged by editing it: no test waits for days); offline_days = 0 disables it; wrong
# offline passwords count toward the lockout (hostiam unlock clears it); a `wrong` from the
# directory deletes the verifier; a password the helper may not send (plain ldap:// off
# the host) is refused, never checked offline; a hung directory holds a login no longer than
# directory.timeout (measured), the helper is killed and the verifier decides; the password
# is in no process's command line or environment while the helper runs, nor in any log.
top_srcdir=${top_srcdir:?}
. "$(cd "$(dirname "$0")" && pwd)/test_pam_password.lib"

user_add lou 'lou-Pass-1'
user_add mia 'mia-Pass-1'
user_add ned 'ned-Pass-1'
for pw in lou-wrong mia-wrong-1 mia-wrong-2 mia-wrong-3 ned-wrong; do
	printf '%s\n' "$pw" >>"$tmp/secrets"
done
write_pw_config "$tmp/off0.conf" 0

stack login <<'EOF'
auth      required @M password
account   required @M
EOF
sed "s|config=$conf|config=$tmp/off0.conf|" "$tmp/pam.d/login" >"$tmp/pam.d/login0"
OK=$(printf 'prompt: Password: \nauth: PAM_SUCCESS')
NO_VERIFIER="$(printf 'prompt: Password: \nerror: The directory cannot be reached, and this host has no recent password of yours: try again later.\nauth: PAM_9')"

# Online first: each success leaves a verifier.
for u in lou mia ned; do
	expect "$u online: verifier stored" "$OK" -a "$u-Pass-1" "$P" login "$u" auth
done
if [ "$(stat -c %a "$(verifier lou)")" = 600 ] && [ "$(stat -c %a "$tmp/var/state/password")" = 700 ]; then
	pass "verifier 0600 in a 0700 directory"
else failed "verifier 0600 in a 0700 directory" "$(ls -la "$tmp/var/state/password")"; fi
if grep -qF 'lou-Pass-1' "$(verifier lou)"; then failed "the password is not in the verifier" ""
else pass "the password is not in the verifier"; fi

# A wrong password from the directory: ned's verifier goes.
expect "ned online, wrong" "$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" -a 'ned-wrong' "$P" login ned auth
[ ! -e "$(verifier ned)" ] && pass "a wrong from the directory deletes the verifier" ||
	failed "a wrong from the directory deletes the verifier" "$(ls -la "$tmp/var/state/password")"

# --- slapd stopped ---------------------------------------------------------------------------
slapd_stop
expect "offline: the right password" "$OK" -a 'lou-Pass-1' "$P" login lou auth
log_line "offline logged" "password user=lou service=login rhost=- password=offline"
expect "offline: a wrong password" "$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" -a 'lou-wrong' "$P" login lou auth
log_line "offline-wrong logged" "password=offline-wrong"
expect "offline: no verifier (deleted by the directory's wrong)" "$NO_VERIFIER" -a 'ned-Pass-1' "$P" login ned auth
log_line "none logged" "password=unreachable offline=none"
expect "offline_days = 0: never offline" "$NO_VERIFIER" -a 'lou-Pass-1' "$P" login0 lou auth
log_line "disabled logged" "password=unreachable offline=disabled"

# Age the verifier: 6 days is within offline_days = 7, 8 days is past it.
age() {
	f=$(verifier "$1")
	t=$(($(date +%s) - $2 * 86400))
	sed -i -E "s/^1 [0-9]+ /1 $t /" "$f"
}
age lou 6
expect "offline: a 6-day-old verifier" "$OK" -a 'lou-Pass-1' "$P" login lou auth
age lou 8
expect "offline: an 8-day-old verifier is refused" "$NO_VERIFIER" -a 'lou-Pass-1' "$P" login lou auth
log_line "stale logged" "password=unreachable offline=stale"

# Offline guesses count toward the lockout (mfa.max_failures = 3), shared with TOTP codes.
expect "mia: wrong 1" "$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" -a 'mia-wrong-1' "$P" login mia auth
expect "mia: wrong 2" "$(printf 'prompt: Password: \nauth: PAM_AUTH_ERR')" -a 'mia-wrong-2' "$P" login mia auth
LOCKED="$(printf 'prompt: Password: \nerror: Too many failed attempts; try again later or ask an administrator to unlock.\nauth: PAM_AUTH_ERR')"
expect "mia: wrong 3 locks" "$LOCKED" -a 'mia-wrong-3' "$P" login mia auth
log_line "the lock logged" "MFA locked user=mia"
expect "mia: locked, even the right password" "$LOCKED" -a 'mia-Pass-1' "$P" login mia auth
LD_PRELOAD="$preload" "$top_builddir/hostiam" --config "$conf" unlock mia >"$tmp/unlock" 2>&1 ||
	failed "hostiam unlock mia" "$(cat "$tmp/unlock")"
expect "mia: unlocked, the right password" "$OK" -a 'mia-Pass-1' "$P" login mia auth

slapd_start || { echo "slapd did not restart"; exit 99; }

# A password that may not be sent (plain ldap:// to another host: the helper refuses
# before connecting) is refused, never checked offline, although lou has a verifier.
sed 's|"ldap://127.0.0.1:[0-9]*"|"ldap://192.0.2.1"|' "$conf" >"$tmp/refused.conf"
sed "s|config=$conf|config=$tmp/refused.conf|" "$tmp/pam.d/login" >"$tmp/pam.d/login-refused"
expect "lou online: a fresh verifier" "$OK" -a 'lou-Pass-1' "$P" login lou auth
expect "refused by the helper: no offline fallback" \
	"$(printf 'prompt: Password: \nerror: Your password cannot be checked now: try again later.\nauth: PAM_9')" \
	-a 'lou-Pass-1' "$P" login-refused lou auth
log_line "refused logged" "password user=lou service=login-refused rhost=- password=refused"

# --- slapd hung: SIGSTOP -------------------------------------------------------------------
kill -STOP "$SLAPD_PID"
# pamtester under pam_wrapper, the password on its standard input: no argv of this test
# holds it either (the needle comes from a file).
printf 'lou-Pass-1\n' >"$tmp/needle"
: >"$log"
start=$(now_us)
LD_PRELOAD="$preload:$pam_wrapper" PAM_WRAPPER=1 PAM_WRAPPER_USE_SYSLOG=1 \
	PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" "$PAMTESTER" login lou authenticate \
	<"$tmp/needle" >"$tmp/hung" 2>&1 &
drive_pid=$!
# While the helper waits on the directory, nothing shows the password. It is looked for
# until it runs (a loaded machine or a sanitizer build starts it late), at most 1.5 s.
# (this test's own helper: other tests may run theirs at the same time)
mine="$helper --config $conf verify lou"
helpers=0
for i in $(seq 1 75); do
	helpers=$(pgrep -f -c -- "$mine" 2>/dev/null || true)
	[ "${helpers:-0}" -ge 1 ] && break
	sleep 0.02
done
leak=
for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do
	{ tr '\0' '\n' <"$f"; } 2>/dev/null | grep -qFf "$tmp/needle" && leak="$leak $f"
done
wait "$drive_pid"
cat "$log" >>"$tmp/all-log"
elapsed=$(($(now_us) - start))
kill -CONT "$SLAPD_PID"
echo "hung directory: auth returned in $((elapsed / 1000)) ms (directory.timeout 2 s)"
if [ "${helpers:-0}" -ge 1 ]; then pass "the helper was running during the check"
else failed "the helper was running during the check" "  pgrep found none"; fi
if [ -z "$leak" ]; then pass "password in no command line or environment"
else failed "password in no command line or environment" "  found in:$leak"; fi
if grep -q "successfully authenticated" "$tmp/hung"; then pass "hung directory: offline decides"
else failed "hung directory: offline decides" "$(cat "$tmp/hung")"; fi
if [ "$elapsed" -lt 5000000 ]; then pass "hung directory: returned within timeout + 3 s"
else failed "hung directory: returned within timeout + 3 s" "  took $((elapsed / 1000)) ms"; fi
log_line "helper killed, logged" "password helper killed after 2 s: directory unreachable"
sleep 0.2
if pgrep -f -- "$mine" >/dev/null 2>&1; then failed "no helper left behind" "$(pgrep -af -- "$mine")"
else pass "no helper left behind"; fi

no_secret_logged
exit $fail
