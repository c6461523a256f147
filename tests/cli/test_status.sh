#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam status --json: the fields hostiam(8) documents, with the values of the text output
# and the same exit status, for a fresh, a stale and a missing cache (cachegen), with a
# directory that does not answer.
. "${top_srcdir:-.}/tests/cli/test-setup.sh"
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
test_setup status tests/nss/cachegen
cachegen=$builddir/tests/nss/cachegen

# setup CASE AGE|missing: $tmp/CASE/hostiam.conf over a two-user cache synced AGE s ago.
setup() {
	d=$tmp/$1
	mkdir -m 0700 "$d" "$d/cache"
	cat >"$d/hostiam.conf" <<CONF
directory = { uri = "ldap://127.0.0.1:1"; base = "dc=example,dc=com"; timeout = 2; };
cache = { dir = "$d/cache"; max_age = 3600; };
CONF
	[ "$2" = missing ] && return
	printf 'generation:7\nsynctime:%s\nuser:alice:1001:1001:Alice:/home/alice:/bin/bash\nuser:bob:1002:1002:Bob:/home/bob:/bin/bash\ngroup:staff:2002:alice,bob\n' \
		"$(($(date +%s) - $2))" | "$cachegen" - "$d/cache/nss.cache" >/dev/null ||
		{ echo "cachegen failed"; exit 99; }
}

# check CASE WANT_STATUS PYTHON-ASSERTIONS (on d, the document; text, the text output)
check() {
	d=$tmp/$1
	st_text=0 st_json=0
	"$hostiam" --config "$d/hostiam.conf" status >"$d/text" 2>&1 || st_text=$?
	"$hostiam" --config "$d/hostiam.conf" status --json >"$d/json" 2>"$d/err" || st_json=$?
	if [ "$st_json" != "$2" ] || [ "$st_text" != "$2" ]; then
		printf 'FAIL: %s: exit %s (text %s), want %s\n' "$1" "$st_json" "$st_text" "$2"
		cat "$d/err" "$d/json"; fail=1
	elif ! python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
assert set(d) == {'ok', 'cache', 'last_sync', 'directory'}, d.keys()
assert set(d['cache']) == {'path', 'state', 'error', 'generation', 'sync_time', 'age', 'users',
                           'groups', 'size'}, d['cache'].keys()
assert set(d['last_sync']) == {'result', 'time', 'message', 'server', 'skipped'}
assert set(d['directory']) == {'reachable', 'server', 'error'}
assert d['ok'] == ($2 == 0)
assert d['cache']['path'] == sys.argv[3] + '/cache/nss.cache', d['cache']['path']
assert d['directory']['reachable'] is False and d['directory']['server'] is None
assert isinstance(d['directory']['error'], str) and d['directory']['error']
$3" "$d/json" "$d/text" "$d"; then
		printf 'FAIL: %s\n' "$1"; cat "$d/json" "$d/text"; fail=1
	else
		echo "ok: $1"
	fi
}

setup fresh 10
check fresh 0 "c = d['cache']
assert c['state'] == 'fresh' and c['error'] is None, c
assert c['generation'] == 7 and c['users'] == 2 and c['groups'] == 1, c
assert 10 <= c['age'] <= 60 and c['sync_time'] + c['age'] >= c['sync_time'], c
assert c['size'] > 0 and 'size:            %d bytes' % c['size'] in text, c
s = d['last_sync']
assert s['result'] == 'ok' and s['time'] == c['sync_time'] and s['skipped'] == 0, s
assert 'generation 7' in s['message'] and s['server'] is None, s"

setup stale 7200
check stale 1 "c = d['cache']
assert c['state'] == 'offline' and c['error'] is None and c['age'] >= 7200, c
assert d['last_sync']['result'] == 'ok'"

setup missing missing
check missing 1 "c = d['cache']
assert c['state'] == 'unavailable' and isinstance(c['error'], str), c
assert [c[k] for k in ('generation', 'sync_time', 'age', 'users', 'groups', 'size')] == [None] * 6
s = d['last_sync']
assert s['result'] == 'never' and s['time'] is None and s['message'] is None, s"

# No directory section (MFA for local users only): no cache to miss, exit 0, objects null.
mkdir -m 0700 "$tmp/nodir"
printf 'cache = { dir = "%s"; };\n' "$tmp/nodir" >"$tmp/nodir/hostiam.conf"
st=0
"$hostiam" --config "$tmp/nodir/hostiam.conf" status --json >"$tmp/nodir/json" 2>&1 || st=$?
if [ "$st" = 0 ] && python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
assert d == {'ok': True, 'cache': None, 'last_sync': None, 'directory': None}, d
" "$tmp/nodir/json"; then
	echo "ok: no directory section"
else
	echo "FAIL: no directory section: exit $st"; cat "$tmp/nodir/json"; fail=1
fi

status=0
"$hostiam" --config "$tmp/fresh/hostiam.conf" status --json --bogus >/dev/null 2>&1 || status=$?
if [ "$status" = 2 ]; then echo "ok: usage"; else echo "FAIL: usage: exit $status"; fail=1; fi
exit $fail
