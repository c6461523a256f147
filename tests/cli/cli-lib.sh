# SPDX-License-Identifier: BSD-2-Clause
# cli-lib.sh: sourced by the hostiam check/review tests. Builds, under a fresh $tmp, one
# small host that every test and tests/cli/cases.txt describe:
#   - local accounts (passwd/group) and a directory cache (tests/nss/cachegen) that glibc
#     answers from through nss_wrapper and the hostiam NSS module (tests/nss/nsswrap.sh);
#   - $conf: the access policy of cases.txt; $report_conf: the same in report mode;
#   - login records in the state directory (tests/cli/state_set, through state.h).
# Times are UTC. The cache was synced 2026-01-01 00:00 and cache.max_age is 50 years, so
# the host is online for any test run before 2075 and offline at the cases' 2080 dates;
# erin last logged in on 2025-06-01 (stale), alice two days before the test runs.
# Needs top_builddir and top_srcdir (make check exports both).

builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
hostiam=$builddir/hostiam
cachegen=$builddir/tests/nss/cachegen
state_set=$builddir/tests/cli/state_set
wrap=$srcdir/tests/nss/nsswrap.sh
cases=$srcdir/tests/cli/cases.txt
fail=0
TZ=UTC
export TZ

for f in "$hostiam" "$cachegen" "$state_set" "$builddir/.libs/libnss_hostiam.so.2"; do
	[ -f "$f" ] || { echo "missing $f (build first)"; exit 99; }
done
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 0700 "$tmp"
mkdir -m 0700 "$tmp/var"
now=$(date +%s)

cat >"$tmp/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
localop:x:1500:1500:Local operator:/home/localop:/bin/sh
breakglass:x:1600:1600:Break glass:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PASSWD
cat >"$tmp/group" <<'GROUP'
root:x:0:
daemon:x:1:
localop:x:1500:
breakglass:x:1600:
ops:x:1700:localop
nogroup:x:65534:
GROUP
cat >"$tmp/desc" <<'DESC'
generation:1
synctime:1767225600
user:alice:1001:1001:Alice:/home/alice:/bin/bash
user:bob:1002:1002:Bob:/home/bob:/bin/bash
user:carol:1003:1003:Carol, contractor:/home/carol:/bin/bash
user:dave:1004:1004:Dave:/home/dave:/bin/bash
user:erin:1005:1005:Erin:/home/erin:/bin/bash
user:mallory:1006:1006:Mallory:/home/mallory:/bin/bash
group:alice:1001:
group:bob:1002:
group:carol:1003:
group:dave:1004:
group:erin:1005:
group:mallory:1006:
group:admins:2001:alice
group:staff:2002:alice,bob,erin,mallory
group:contractors:2003:carol
DESC
"$cachegen" "$tmp/desc" "$tmp/var/nss.cache" || { echo "cachegen failed"; exit 99; }
NSS_WRAPPER_PASSWD=$tmp/passwd
NSS_WRAPPER_GROUP=$tmp/group
export NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP

# The policy of cases.txt; $1 is the mode.
write_policy() {
	cat <<CONF
directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; min_uid = 1000; };
cache = { dir = "$tmp/var"; max_age = 1576800000; };
access = {
  mode = "$1";
  timezone = "UTC";   # the times of cases.txt, on any host (TZ itself is never read)
  default = "deny";
  exempt = [ "root", "breakglass" ];
  rules = (
    { name = "offline-contractors"; offline = true; group = "contractors"; action = "deny";
      message = "The directory is unreachable: contractors cannot log in."; },
    { name = "stale"; inactive_days = 90; action = "deny";
      message = "No login for 90 days: ask IT to reactivate your account."; },
    { name = "banned"; user = "mallory"; action = "deny"; },
    { name = "sudo-step-up"; service = "sudo"; group = "admins"; action = "mfa"; mfa_max_age = 300; },
    { name = "console"; service = "login"; from = "local"; tty = [ "tty1", "tty2" ]; action = "allow"; },
    { name = "office"; service = "sshd"; from = [ "10.0.0.0/8", "fd00::/8" ]; action = "allow"; },
    { name = "contractors"; group = "contractors"; time = "Mon-Fri 08:00-18:00"; action = "mfa"; },
    { name = "night-ops"; group = "ops"; time = "* 22:00-06:00"; action = "allow"; },
    { name = "remote-staff"; service = "sshd"; group = "staff"; action = "mfa"; },
    { name = "aup-console"; service = "login"; tty = "tty3"; action = "allow"; terms = "prod-aup"; }
  );
};
terms = ( { name = "prod-aup"; version = "2026-12"; file = "$tmp/prod-aup.txt"; reaccept_days = 365; } );
CONF
}
conf=$tmp/hostiam.conf
report_conf=$tmp/report.conf
write_policy enforce >"$conf"
write_policy report >"$report_conf"

# Login records: erin long ago, alice two days (and two minutes) ago with a TOTP success a
# minute ago.
"$state_set" "$tmp/var/state" erin 1748779200 sshd 10.0.0.5 >/dev/null &&
	"$state_set" "$tmp/var/state" alice $((now - 2 * 86400 - 120)) sshd 10.0.0.7 $((now - 60)) >/dev/null ||
	{ echo "state_set failed"; exit 99; }
# bob accepted the terms of use of the aup-console rule a day ago (dave never did).
printf 'terms=prod-aup 2026-12 %s login -\n' $((now - 86400)) >"$tmp/var/state/users/bob" &&
	chmod 0600 "$tmp/var/state/users/bob" || { echo "planting bob's acceptance failed"; exit 99; }

# run ARGS...: hostiam under nss_wrapper; stdout to $tmp/out, stderr to $tmp/err, status in $status.
run() {
	status=0
	"$wrap" "$tmp/var/nss.cache" "$hostiam" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
}

pass() { echo "ok: $1"; }
failed() { printf 'FAIL: %s\n%s\n' "$1" "$2"; fail=1; }

# expect_status WHAT WANT: compare $status.
expect_status() {
	if [ "$status" = "$2" ]; then pass "$1"
	else failed "$1" "$(printf '  exit %s, want %s\n  stdout: %s\n  stderr: %s' "$status" "$2" \
		"$(head -c 2000 "$tmp/out")" "$(cat "$tmp/err")")"; fi
}

# expect_grep WHAT FILE PATTERN: FILE has a line matching the extended regex.
expect_grep() {
	if grep -Eq -- "$3" "$2"; then pass "$1"
	else failed "$1" "$(printf '  no line matches: %s\n%s' "$3" "$(cat "$2")")"; fi
}

# each_case CMD...: run CMD... user service from tty at decision rule for every row of cases.txt
# ("-" for no remote host, no tty, or the current time; at is YYYY-MM-DDTHH:MM).
each_case() {
	grep -v '^[[:space:]]*\(#\|$\)' "$cases" >"$tmp/cases"
	while read -r c_user c_service c_from c_tty c_at c_decision c_rule c_extra; do
		if [ -n "$c_extra" ] || [ -z "$c_rule" ]; then
			failed "cases.txt row" "  malformed: $c_user $c_service $c_from $c_tty $c_at ..."
			continue
		fi
		"$@" "$c_user" "$c_service" "$c_from" "$c_tty" "$c_at" "$c_decision" "$c_rule"
	done <"$tmp/cases"
}

# run_case USER SERVICE FROM TTY AT [ARGS...]: hostiam check for one row of cases.txt, with
# $check_conf (default $conf) and any further ARGS.
run_case() {
	rc_user=$1 rc_service=$2 rc_from=$3 rc_tty=$4 rc_at=$5
	shift 5
	set -- check "$rc_user" --service "$rc_service" "$@"
	[ "$rc_from" = - ] || set -- "$@" --from "$rc_from"
	[ "$rc_tty" = - ] || set -- "$@" --tty "$rc_tty"
	[ "$rc_at" = - ] || set -- "$@" --at "$(echo "$rc_at" | tr T ' ')"
	run --config "${check_conf:-$conf}" "$@"
}
