#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pam_hostiam.so exports only pam_sm_* and links no LDAP library.
set -eu
module=${top_builddir:-.}/.libs/pam_hostiam.so
[ -f "$module" ] || { echo "no module at $module"; exit 1; }
fail=0
# nm -D lists defined dynamic symbols as "ADDRESS TYPE NAME"; version nodes are type A.
extra=$(nm -D --defined-only "$module" | awk '$2 != "A" && $3 !~ /^pam_sm_/ { print $3 }')
if [ -n "$extra" ]; then
	echo "FAIL: unexpected exported symbols:"; echo "$extra"; fail=1
fi
for sym in authenticate setcred acct_mgmt open_session close_session chauthtok; do
	nm -D --defined-only "$module" | grep -q " T pam_sm_$sym\$" ||
		{ echo "FAIL: missing pam_sm_$sym"; fail=1; }
done
needed=$(objdump -p "$module" | awk '$1 == "NEEDED" { print $2 }')
if echo "$needed" | grep -q -e '^libldap' -e '^liblber'; then
	echo "FAIL: links the LDAP libraries:"; echo "$needed"; fail=1
fi
echo "$needed" | grep -q '^libpam\.so' || { echo "FAIL: does not link libpam"; fail=1; }
# Nothing left undefined that the libraries it links do not provide.
if ldd -r "$module" 2>&1 | grep -q 'undefined symbol'; then
	echo "FAIL: undefined symbols:"; ldd -r "$module" 2>&1 | grep 'undefined symbol'; fail=1
fi
[ $fail -eq 0 ] && echo "ok: exports pam_sm_* only, links $(echo $needed)"
exit $fail
