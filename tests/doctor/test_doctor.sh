#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam doctor against fixture hosts: each fixtures/CASE overlays fixtures/good, runs with
# --root, and must print exactly fixtures/CASE/expected (ages as N) with the expected status.
# Cases "cache-missing" and "cache-stale" reuse the good tree with a missing or old cache.
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
hostiam=$builddir/hostiam
cachegen=$builddir/tests/nss/cachegen
fx=$srcdir/tests/doctor/fixtures
fail=0
for f in "$hostiam" "$cachegen"; do
	[ -f "$f" ] || { echo "missing $f (build first)"; exit 99; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-doctor.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 0700 "$tmp"

# make_cache DIR AGE: a two-user cache synced AGE seconds ago.
make_cache() {
	mkdir -p -m 0700 "$1"
	printf 'generation:1\nsynctime:%s\nuser:alice:1001:1001:Alice:/home/alice:/bin/bash\nuser:bob:1002:1002:Bob:/home/bob:/bin/bash\n' \
		"$(($(date +%s) - $2))" | "$cachegen" - "$1/nss.cache" >/dev/null ||
		{ echo "cachegen failed"; exit 99; }
}

# write_conf DIR [nodir] [terms]: MFA for sshd and sudo, an address rule for sshd, the cache
# in DIR; a directory section unless nodir; with terms, su requires terms of use first.
write_conf() {
	[ "$2" = nodir ] ||
		echo 'directory = { uri = "ldap://ldap.example.com"; base = "dc=example,dc=com"; };'
	aup=
	[ "$3" != terms ] || {
		echo 'terms = ( { name = "aup"; version = "1"; file = "/etc/hostiam/terms/aup.txt"; } );'
		aup='{ name = "su-aup"; service = "su"; action = "allow"; terms = "aup"; },'
	}
	cat <<CONF
cache = { dir = "$1"; max_age = 3600; };
access = {
  default = "allow";
  rules = (
    $aup
    { name = "ssh"; service = "sshd"; action = "mfa"; },
    { name = "sudo"; service = "sudo"; action = "mfa"; mfa_max_age = 300; },
    { name = "office"; service = "sshd"; from = [ "10.0.0.0/8" ]; action = "allow"; }
  );
};
CONF
}

# run_case NAME WANT_STATUS [CACHE_AGE|missing [nodir|- [terms]]]
run_case() {
	root=$tmp/$1
	mkdir -p "$root"
	cp -R "$fx/good/." "$root/"
	[ "$1" = good ] || [ ! -d "$fx/$1" ] || cp -R "$fx/$1/." "$root/"
	rm -f "$root/expected"
	if [ "$1" = good ]; then
		mkdir -p "$root/proc/4242"
		printf '/usr/sbin/hostiam\0sync\0--follow\0' >"$root/proc/4242/cmdline"
	fi
	case ${3:-10} in
	missing) mkdir -p -m 0700 "$root/cache" ;;
	*) make_cache "$root/cache" "${3:-10}" ;;
	esac
	write_conf "$root/cache" "$4" "$5" >"$root/hostiam.conf"
	status=0
	"$hostiam" --config "$root/hostiam.conf" doctor --root "$root" >"$root/out" 2>"$root/err" ||
		status=$?
	sed -e 's/[0-9][0-9]* s ago/N s ago/' -e "s|$root|ROOT|g" "$root/out" >"$root/got"
	if [ -n "$GENERATE" ]; then
		echo "== $1 ($status)"; cat "$root/got"; cat "$root/err"; return
	fi
	if [ "$status" != "$2" ]; then
		printf 'FAIL: %s: exit %s, want %s\n' "$1" "$status" "$2"; cat "$root/err"; fail=1
	elif ! diff -u "$fx/$1/expected" "$root/got"; then
		printf 'FAIL: %s: output differs\n' "$1"; fail=1
	else
		echo "ok: $1"
	fi
}

run_case good 0
run_case nss-missing 1
run_case sufficient 1
run_case default-ignore 1
run_case optional 1
run_case after-sufficient 1
run_case no-account 0
run_case kbdint-off 1
run_case methods-any 1
run_case password-only 1
# The hostiam-password profile in common-auth: pam_unix's success skipping the directory
# password line is by design; sudo's own pam_hostiam line still enforces.
run_case password-profile 0
# The directory password on a plain required line refuses local admins and root.
run_case password-required 1
run_case usedns 0
run_case cache-missing 1 missing
run_case cache-stale 0 7200
# No directory section, no cache, hostiam not in nsswitch.conf: nothing wrong with that.
run_case no-directory 0 missing nodir
# su requires terms of use, but its stack runs pam_hostiam in account only: nobody could
# ever accept them there.
run_case terms-su 1 10 - terms

# --json: the same findings as the text, as documented in hostiam(8), and the same status.
# json_case NAME WANT_STATUS PYTHON-ASSERTIONS (on d, the parsed document)
json_case() {
	root=$tmp/$1
	status=0
	"$hostiam" --config "$root/hostiam.conf" doctor --root "$root" --json >"$root/json" \
		2>"$root/err" || status=$?
	if [ "$status" != "$2" ]; then
		printf 'FAIL: %s --json: exit %s, want %s\n' "$1" "$status" "$2"; fail=1
	elif ! python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
lines = [l for l in open(sys.argv[2]).read().splitlines()]
assert set(d) == {'findings', 'ok', 'fails', 'warnings'}, d.keys()
assert len(d['findings']) == len(lines), (len(d['findings']), len(lines))
for f, l in zip(d['findings'], lines):
    assert set(f) == {'level', 'area', 'message'}, f
    assert f['level'] in ('ok', 'warn', 'fail'), f
    assert l.startswith(f['level'].upper().ljust(4) + ' ' + f['area'] + ': '), (f, l)
assert d['fails'] == sum(f['level'] == 'fail' for f in d['findings'])
assert d['warnings'] == sum(f['level'] == 'warn' for f in d['findings'])
assert d['ok'] == (d['fails'] == 0)
$3" "$root/json" "$root/got"; then
		printf 'FAIL: %s --json\n' "$1"; cat "$root/json"; fail=1
	else
		echo "ok: $1 --json"
	fi
}
if command -v python3 >/dev/null 2>&1; then
	json_case good 0 "assert d['ok'] is True and d['fails'] == 0 and d['warnings'] == 0
assert d['findings'][0] == {'level': 'ok', 'area': 'nsswitch',
                            'message': 'passwd and group use hostiam'}, d['findings'][0]"
	json_case nss-missing 1 "assert d['ok'] is False and d['fails'] == 1
assert d['findings'][0]['level'] == 'fail' and d['findings'][0]['area'] == 'nsswitch'"
	json_case usedns 0 "assert d['ok'] is True and d['warnings'] == 2
assert [f['area'] for f in d['findings'] if f['level'] == 'warn'] == ['sshd', 'agent']
assert 'UseDNS yes' in d['findings'][6]['message']"
else
	echo "python3 not found: --json not checked"
fi

# sshd -T fails for a reason of its own (fixtures/sshd-fails: no /run/sshd): doctor, on the
# real host with that sshd, shows sshd's message, and tells only a non-root caller to run
# it as root.
HOSTIAM_TEST_SSHD=$fx/sshd-fails/usr/sbin/sshd "$hostiam" --config "$tmp/good/hostiam.conf" \
	doctor >"$tmp/sshd-out" 2>&1
line=$(grep '^WARN sshd: ' "$tmp/sshd-out")
case $line in
*'"sshd -T" failed (exit 255): Missing privilege separation directory: /run/sshd'|\
*'"sshd -T" failed (exit 255): Missing privilege separation directory: /run/sshd; '*)
	echo "ok: sshd -T failure shows sshd's message" ;;
*) echo "FAIL: sshd -T failure: '$line'"; cat "$tmp/sshd-out"; fail=1 ;;
esac
case $(id -u):$line in
0:*'run doctor as root'*) echo "FAIL: root is told to run doctor as root"; fail=1 ;;
0:*) echo "ok: root is not told to run doctor as root" ;;
*:*'run doctor as root'*) echo "ok: non-root is told to run doctor as root" ;;
*) echo "FAIL: non-root is not told to run doctor as root"; fail=1 ;;
esac

# Usage errors exit 2.
status=0
"$hostiam" --config "$tmp/good/hostiam.conf" doctor --bogus >/dev/null 2>&1 || status=$?
if [ "$status" = 2 ]; then echo "ok: usage"; else echo "FAIL: usage: exit $status"; fail=1; fi
exit $fail
