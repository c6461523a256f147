#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# nsswrap.sh CACHEFILE COMMAND [ARGS...]
#
# Run COMMAND with glibc's NSS answering from hostiam's NSS module over CACHEFILE, through
# nss_wrapper: no root, no change to /etc/nsswitch.conf. Plain `getent passwd alice`,
# `getent group admins`, `id alice`, `getent passwd` then see the cached directory after a
# small local passwd/group pair (root only, unless NSS_WRAPPER_PASSWD/NSS_WRAPPER_GROUP
# already name files of your own).
#
#   tests/nss/nsswrap.sh /tmp/t/nss.cache getent passwd alice
#   tests/nss/nsswrap.sh "$cache" id -Gn alice
#
# The module is $HOSTIAM_NSS_MODULE, else $top_builddir/.libs/libnss_hostiam.so.2
# (make check exports top_builddir). nss_wrapper is $NSS_WRAPPER_LIB, else looked up in the
# usual library directories; without it the script exits 77, which automake counts as SKIP.
# The COMMAND's exit status is returned unchanged.
#
# Sanitizer builds: the module then needs the ASan runtime loaded first, which plain
# getent/id do not have; the script preloads it (the one the module links) and turns off
# leak reports for those uninstrumented programs.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 CACHEFILE COMMAND [ARGS...]" >&2
	exit 2
fi
cache=$1
shift

module=${HOSTIAM_NSS_MODULE:-${top_builddir:-.}/.libs/libnss_hostiam.so.2}
if [ ! -f "$module" ]; then
	echo "$0: NSS module not found: $module (set top_builddir or HOSTIAM_NSS_MODULE)" >&2
	exit 2
fi

. "$(dirname "$0")/../find-lib.sh"
wrapper=${NSS_WRAPPER_LIB:-$(find_lib libnss_wrapper.so)}
if [ -z "$wrapper" ] || [ ! -f "$wrapper" ]; then
	echo "$0: nss_wrapper not found (set NSS_WRAPPER_LIB)" >&2
	exit 77
fi

# nss_wrapper answers only when both files are set; give it a minimal local pair.
if [ -z "${NSS_WRAPPER_PASSWD:-}" ] || [ -z "${NSS_WRAPPER_GROUP:-}" ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsswrap.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "root:x:0:0:root:/root:/bin/sh" >"$tmp/passwd"
	echo "root:x:0:" >"$tmp/group"
	NSS_WRAPPER_PASSWD=$tmp/passwd
	NSS_WRAPPER_GROUP=$tmp/group
fi

preload=$wrapper
asan=$(ldd "$module" 2>/dev/null | awk '/libasan/ { print $3; exit }')
if [ -n "$asan" ]; then
	preload="$asan:$wrapper"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"
	export ASAN_OPTIONS
fi

HOSTIAM_NSS_CACHE=$cache
NSS_WRAPPER_MODULE_SO_PATH=$module
NSS_WRAPPER_MODULE_FN_PREFIX=hostiam
export HOSTIAM_NSS_CACHE NSS_WRAPPER_MODULE_SO_PATH NSS_WRAPPER_MODULE_FN_PREFIX
export NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP

# Not exec: the trap above must remove the temporary files afterwards.
status=0
LD_PRELOAD="$preload${LD_PRELOAD:+:$LD_PRELOAD}" "$@" || status=$?
exit $status
