#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# hostiam-auth over TLS as the agent does it: ldaps:// and StartTLS with the right CA
# answer, a CA that did not sign the server's certificate is an error (never a fallback
# to clear text, never "unreachable"), and StartTLS lets a password go off-host.
command -v certtool >/dev/null || { echo "SKIP: no certtool"; exit 77; }
SLAPD_TLS=1
. "$top_srcdir/tests/password/password-lib.sh"
add_user right 40041 'Right-pw-1'
LDAPS="ldaps://127.0.0.1:$LDAPS_PORT"
PLAIN="ldap://127.0.0.1:$LDAP_PORT"

HOSTIAM_URIS="\"$LDAPS\"" hostiam_conf "tls_ca_file = \"$T/tls/ca.pem\";" > "$T/ldaps.conf"
expect "ldaps://, right CA" "$(verify right 'Right-pw-1' "$T/ldaps.conf")" "ok"
expect "ldaps://, wrong password" "$(verify right 'nope' "$T/ldaps.conf")" "wrong"

HOSTIAM_URIS="\"$LDAPS\"" hostiam_conf "tls_ca_file = \"$T/tls/wrongca.pem\";" > "$T/bad.conf"
got=$(verify right 'Right-pw-1' "$T/bad.conf")
expect "ldaps://, wrong CA" "${got%%|*}" "error"
case $got in *TLS*) ;; *) expect "the reason says TLS" "$got" "...TLS..." ;; esac

HOSTIAM_URIS="\"$PLAIN\"" hostiam_conf "starttls = true; tls_ca_file = \"$T/tls/ca.pem\";" \
	> "$T/stls.conf"
expect "StartTLS, right CA" "$(verify right 'Right-pw-1' "$T/stls.conf")" "ok"
expect "StartTLS, change" "$(change right 'Right-pw-1' 'Right-pw-2' "$T/stls.conf")" "ok"
HOSTIAM_URIS="\"$PLAIN\"" hostiam_conf "starttls = true; tls_ca_file = \"$T/tls/wrongca.pem\";" \
	> "$T/stls-bad.conf"
got=$(verify right 'Right-pw-2' "$T/stls-bad.conf")
expect "StartTLS, wrong CA" "${got%%|*}" "error"
case $got in *StartTLS*) ;; *) expect "the reason says StartTLS" "$got" "...StartTLS..." ;; esac

# with StartTLS an off-host ldap:// server is tried (here: nobody answers)
HOSTIAM_TIMEOUT=1 HOSTIAM_URIS='"ldap://192.0.2.1"' \
	hostiam_conf "starttls = true; tls_ca_file = \"$T/tls/ca.pem\";" > "$T/off.conf"
timed verify right 'Right-pw-2' "$T/off.conf"
expect "StartTLS off-host is tried" "${OUT%%|*}" "unreachable"
[ "$MS" -le 2000 ] || expect "within directory.timeout + 1 s" "${MS} ms" "at most 2000 ms"
finish
