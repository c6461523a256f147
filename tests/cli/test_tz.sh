#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The policy's clock is the configuration's zone (access.timezone, else the host's
# /etc/localtime), never the caller's TZ, which whoever runs sudo or su sets (glibc honours
# TZ=XXX-5 even in setuid programs). hostiam check, with --at and without, and pam_hostiam's
# account step (the real libpam through tests/pam/pam_driver) each run under several TZ
# values and must decide the same, as that zone says.
set -u
. "${top_srcdir:-.}/tests/cli/cli-lib.sh"
driver=$builddir/tests/pam/pam_driver
module=$builddir/.libs/pam_hostiam.so
shim=$builddir/tests/pam/.libs/syslog_shim.so
for f in "$driver" "$module" "$shim"; do
	[ -f "$f" ] || { echo "missing $f (build first)"; exit 99; }
done
[ -f /usr/share/zoneinfo/Asia/Kathmandu ] || { echo "no tzdata: skipped"; exit 77; }
HOSTIAM_TEST_SYSLOG=$tmp/syslog
export HOSTIAM_TEST_SYSLOG
callers="UTC XXX-5 YYY+7 :America/Los_Angeles"

# wall ZONE FMT [SHIFT_MINUTES]: now (+ shift) on the wall clock of ZONE ("" for the host's).
wall() {
	env -u TZ python3 -c 'import datetime as d, sys, zoneinfo
n = d.datetime.now(d.timezone.utc) + d.timedelta(minutes=int(sys.argv[3]))
print((n.astimezone(zoneinfo.ZoneInfo(sys.argv[1])) if sys.argv[1] else n.astimezone()).strftime(sys.argv[2]))' \
		"$1" "$2" "${3:-0}"
}

# epoch ZONE "YYYY-MM-DD HH:MM": that wall-clock time of ZONE ("" for the host's), in seconds.
epoch() {
	env -u TZ python3 -c 'import datetime as d, sys, zoneinfo
t = d.datetime.strptime(sys.argv[2], "%Y-%m-%d %H:%M")
print(int((t.replace(tzinfo=zoneinfo.ZoneInfo(sys.argv[1])) if sys.argv[1] else t.astimezone()).timestamp()))' \
		"$1" "$2"
}

# policy FILE ZONE_LINE WINDOW: carol is let in inside WINDOW, denied outside it.
policy() {
	cat >"$1" <<CONF
directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; min_uid = 1000; };
cache = { dir = "$tmp/var"; max_age = 1576800000; };
access = {
  $2
  default = "deny";
  rules = ( { name = "window"; user = "carol"; time = "$3"; action = "allow"; } );
};
CONF
	mkdir -p "$1.d"
	printf 'account required %s config=%s\n' "$module" "$1" >"$1.d/sshd"
}

# decide CONF WANT(allow|deny) WHAT: check now and the account step, under every TZ.
decide() {
	want_pam=PAM_SUCCESS
	[ "$2" = allow ] || want_pam=PAM_PERM_DENIED
	for caller in $callers; do
		status=0
		TZ=$caller "$wrap" "$tmp/var/nss.cache" "$hostiam" --config "$1" check carol \
			--service sshd --json >"$tmp/out" 2>"$tmp/err" || status=$?
		expect_grep "$3, TZ=$caller: check decides $2" "$tmp/out" "\"decision\": *\"$2\""
		got=$(TZ=$caller LD_PRELOAD="$shim" "$wrap" "$tmp/var/nss.cache" "$driver" \
			"$1.d" sshd carol account 2>"$tmp/pam.err" | sed -n 's/^account: //p')
		if [ "$got" = "$want_pam" ]; then pass "$3, TZ=$caller: pam_hostiam $got"
		else failed "$3, TZ=$caller: pam_hostiam" "  got $got, want $want_pam $(cat "$tmp/pam.err")"; fi
	done
}

# Two hours around now, and two hours starting five hours from now, on a zone's clock.
around() { echo "* $(wall "$1" %H:%M -60)-$(wall "$1" %H:%M 60)"; }
later() { echo "* $(wall "$1" %H:%M 300)-$(wall "$1" %H:%M 420)"; }

policy "$tmp/ktm-now.conf" 'timezone = "Asia/Kathmandu";' "$(around Asia/Kathmandu)"
decide "$tmp/ktm-now.conf" allow "Kathmandu window around now"
policy "$tmp/ktm-later.conf" 'timezone = "Asia/Kathmandu";' "$(later Asia/Kathmandu)"
decide "$tmp/ktm-later.conf" deny "Kathmandu window five hours on"
policy "$tmp/host-now.conf" "" "$(around "")"
decide "$tmp/host-now.conf" allow "host-zone window around now"
policy "$tmp/host-later.conf" "" "$(later "")"
decide "$tmp/host-later.conf" deny "host-zone window five hours on"

# at CONF ZONE AT WANT: check --at AT is AT on ZONE's clock, and decides WANT, under every TZ.
at() {
	want_t=$(epoch "$2" "$3")
	for caller in $callers; do
		TZ=$caller run --config "$1" check carol --service sshd --at "$3" --json
		expect_grep "--at $3 ($2), TZ=$caller: the instant" "$tmp/out" "\"time\": *$want_t[,}]"
		expect_grep "--at $3 ($2), TZ=$caller: decides $4" "$tmp/out" "\"decision\": *\"$4\""
	done
}
policy "$tmp/ktm-office.conf" 'timezone = "Asia/Kathmandu";' "Mon-Fri 09:00-17:00"
at "$tmp/ktm-office.conf" Asia/Kathmandu "2027-03-01 09:00" allow
at "$tmp/ktm-office.conf" Asia/Kathmandu "2027-03-01 08:59" deny
at "$tmp/ktm-office.conf" Asia/Kathmandu "2027-03-01 16:59" allow
policy "$tmp/host-office.conf" "" "Mon-Fri 09:00-17:00"
at "$tmp/host-office.conf" "" "2027-03-01 09:00" allow
at "$tmp/host-office.conf" "" "2027-03-01 17:00" deny

# The text report shows the time on the policy's clock, with that zone's name for it.
TZ=XXX-5 run --config "$tmp/ktm-office.conf" check carol --service sshd --at "2027-03-01 09:00"
expect_grep "the time shown in the configured zone" "$tmp/out" "^time: +2027-03-01 09:00 Mon \+0545\$"

# A time the configured zone skips is refused, whatever TZ says.
policy "$tmp/madrid.conf" 'timezone = "Europe/Madrid";' "Mon-Fri 09:00-17:00"
for caller in UTC XXX-5; do
	TZ=$caller run --config "$tmp/madrid.conf" check carol --service sshd --at "2027-03-28 02:30"
	expect_status "--at in Madrid's spring-forward gap, TZ=$caller: exit" 2
	expect_grep "--at in the gap, TZ=$caller: why" "$tmp/err" "does not exist in the time zone Europe/Madrid"
done
exit $fail
