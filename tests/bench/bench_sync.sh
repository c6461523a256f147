#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Benchmark (not in make check): hostiam sync next to a raw paged ldapsearch of the same
# entries, at 10,000 and 100,000 users (+ one group per 10 users, and one user in 1,000
# groups). Prints both times and the ratio; the target is <= 1.5x.
#
#   top_srcdir=/path/to/src top_builddir=/path/to/build tests/bench/bench_sync.sh [N ...]
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}" "${top_builddir:=$PWD}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
SIZES=${*:-10000 100000}

# users u0..u(N-1); groups g0..g(N/10-1) of 10 members each (half by memberUid, half by DN);
# u0 is also in 1,000 extra groups.
make_ldif() {
	python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1]); out = sys.stdout; sfx = "dc=example,dc=com"
for i in range(n):
    out.write(f"dn: uid=u{i},ou=people,{sfx}\nobjectClass: account\nobjectClass: posixAccount\n"
              f"objectClass: ldapPublicKey\nuid: u{i}\ncn: User {i}\nuidNumber: {100000+i}\n"
              f"gidNumber: 100000\nhomeDirectory: /home/u{i}\nloginShell: /bin/bash\n"
              f"sshPublicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{i:020d} u{i}\n\n")
for g in range(n // 10):
    out.write(f"dn: cn=g{g},ou=groups,{sfx}\nobjectClass: groupOfNames\n"
              f"objectClass: hostiamPosixGroupAux\ncn: g{g}\ngidNumber: {200000+g}\n")
    for k in range(10):
        u = g * 10 + k
        out.write(f"memberUid: u{u}\n" if k % 2 else f"member: uid=u{u},ou=people,{sfx}\n")
    out.write("\n")
for g in range(1000):
    out.write(f"dn: cn=x{g},ou=groups,{sfx}\nobjectClass: posixGroup\ncn: x{g}\n"
              f"gidNumber: {400000+g}\nmemberUid: u0\n\n")
PY
}

# Wall-clock seconds of a command (stdout discarded).
seconds() {
	local start=$(now_us)
	"$@" >/dev/null 2>"$T/cmd.err" || { cat "$T/cmd.err" >&2; echo "FAILED"; return 1; }
	echo "scale=3; ($(now_us) - $start) / 1000000" | bc
}

# One raw paged search of everything hostiam reads, as hostiam asks for it.
raw_search() {
	ldapsearch -x -LLL -H "ldap://127.0.0.1:$LDAP_PORT" -E pr=500/noprompt \
		-b "ou=people,$SUFFIX" "(objectClass=posixAccount)" \
		uid uidNumber gidNumber gecos cn homeDirectory loginShell sshPublicKey &&
	ldapsearch -x -LLL -H "ldap://127.0.0.1:$LDAP_PORT" -E pr=500/noprompt \
		-b "ou=groups,$SUFFIX" "(|(objectClass=posixGroup)(objectClass=groupOfNames))" \
		cn gidNumber memberUid member
}

for n in $SIZES; do
	slapd_stop
	rm -rf "$T/db" "$T/cache"
	make_ldif "$n" > "$T/bench.ldif"
	SLAPD_SIZELIMIT=500 SLAPD_MAXSIZE=4294967296 slapd_setup "$T/bench.ldif" ||
		fail "slapd did not start"
	HOSTIAM_PAGE_SIZE=500 HOSTIAM_TIMEOUT=30 hostiam_conf > "$T/bench.conf"
	raw_search > /dev/null   # warm slapd's caches for both
	raw=$(seconds raw_search)
	sync=$(seconds "$HOSTIAM" --config "$T/bench.conf" sync --force)
	users=$(cache_dump | sed -n 's/^users //p')
	groups=$(cache_dump | sed -n 's/^groups //p')
	x0=$(cache_dump | grep -c '^group x.*:u0$')
	printf 'users=%s groups=%s (u0 in %s extra groups): ldapsearch %ss  hostiam sync %ss  ratio %s\n' \
		"$users" "$groups" "$x0" "$raw" "$sync" "$(echo "scale=2; $sync / $raw" | bc)"
done
