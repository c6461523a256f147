#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The module exports only _nss_hostiam_* (and no version nodes beyond that).
set -eu
module=${top_builddir:-.}/.libs/libnss_hostiam.so.2
[ -f "$module" ] || { echo "no module at $module"; exit 1; }
# nm -D lists defined dynamic symbols as "ADDRESS TYPE NAME"; version nodes are type A.
extra=$(nm -D --defined-only "$module" | awk '$2 != "A" && $3 !~ /^_nss_hostiam_/ { print $3 }')
if [ -n "$extra" ]; then
	echo "unexpected exported symbols:"; echo "$extra"; exit 1
fi
for sym in getpwnam_r getpwuid_r setpwent getpwent_r endpwent getgrnam_r getgrgid_r \
	setgrent getgrent_r endgrent initgroups_dyn; do
	nm -D --defined-only "$module" | grep -q " T _nss_hostiam_$sym\$" ||
		{ echo "missing _nss_hostiam_$sym"; exit 1; }
done
# Only libc (and, in sanitizer builds, the sanitizer runtimes) may be linked.
deps=$(objdump -p "$module" | awk '$1 == "NEEDED" { print $2 }' |
	grep -v -e '^libc\.so' -e '^libasan\.so' -e '^libubsan\.so' -e '^libpthread\.so' || true)
if [ -n "$deps" ]; then
	echo "unexpected libraries linked:"; echo "$deps"; exit 1
fi
echo "ok: exports and links"
