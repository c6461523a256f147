#!/usr/bin/env bash
# The hostiam demo: a throwaway slapd on 127.0.0.1 with sample users, a sync, lookups
# through the NSS module (via nss_wrapper: nothing is installed system-wide), the agent
# following a change, and lookups still answered with the directory down.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "Installing build dependencies (Debian packages) and building in build/"
"$top/scripts/deps.sh"
cd "$top"
[ -x configure ] || ./autogen.sh >/dev/null
mkdir -p build && cd build
[ -f Makefile ] || ../configure -q
make -j"$(nproc)" >/dev/null
make -j"$(nproc)" tests/nss/cachegen >/dev/null 2>&1 || true

export top_srcdir="$top" top_builddir="$top/build"
# shellcheck source=../tests/integration/slapd-lib.sh
. "$top/tests/integration/slapd-lib.sh"
AGENT=
demo_cleanup() { [ -z "$AGENT" ] || kill "$AGENT" 2>/dev/null || true; slapd_cleanup; }
trap demo_cleanup EXIT

step "Starting a throwaway slapd on 127.0.0.1 with sample users and groups"
slapd_setup "$top/scripts/demo.ldif"
echo "slapd is listening on ldap://127.0.0.1:$LDAP_PORT (data in $T)"
hostiam_conf > "$T/hostiam.conf"
H() { "$HOSTIAM" --config "$T/hostiam.conf" "$@"; }
nss() { "$top/tests/nss/nsswrap.sh" "$T/cache/nss.cache" "$@"; }
cat "$T/hostiam.conf"

step "Checking the configuration and syncing"
show H config-check
show H sync
show H status

step "Lookups through libnss_hostiam.so.2 (glibc, via nss_wrapper)"
show nss getent passwd alice
show nss id alice
show nss id bob
show nss getent group developers
show nss getent passwd 10003
show H authorized-keys alice

step "The agent follows the directory: add dave, then remove him"
"$HOSTIAM" --config "$T/hostiam.conf" sync --follow >"$T/agent.log" 2>&1 &
AGENT=$!
sleep 1
ldap_add <<LDIF
dn: uid=dave,ou=people,$SUFFIX
objectClass: inetOrgPerson
objectClass: posixAccount
uid: dave
cn: Dave New
sn: New
uidNumber: 10004
gidNumber: 10001
homeDirectory: /home/dave
LDIF
start=$(now_us)
wait_for 5 'nss getent passwd dave >/dev/null'
echo "dave appeared after $(( ($(now_us) - start) / 1000 )) ms:"
nss getent passwd dave
ldap_delete "uid=dave,ou=people,$SUFFIX"
start=$(now_us)
wait_for 5 '! nss getent passwd dave >/dev/null'
echo "dave was gone after $(( ($(now_us) - start) / 1000 )) ms"
kill "$AGENT"; wait "$AGENT" 2>/dev/null || true; AGENT=

step "The directory goes down; lookups keep working from the cache"
slapd_stop
show nss id alice
show H sync || echo "(sync failed as expected; the last good cache was kept)"
show H status || true

step "Done; the slapd, the cache and the build's temp files are removed on exit"
