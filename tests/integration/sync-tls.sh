#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# ldaps:// and StartTLS: the right CA works; a wrong CA is a clear error naming the server,
# never a silent downgrade, and the cache in place stays as it was.
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
command -v certtool >/dev/null || { echo "SKIP: no certtool"; exit 77; }
SLAPD_TLS=1 slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
SLAPD_TLS=1
LDAPS="ldaps://127.0.0.1:$LDAPS_PORT"
PLAIN="ldap://127.0.0.1:$LDAP_PORT"

# ldaps:// with the right CA.
HOSTIAM_URIS="\"$LDAPS\"" hostiam_conf "tls_ca_file = \"$T/tls/ca.pem\";" > "$T/good.conf"
"$HOSTIAM" --config "$T/good.conf" sync 2>"$T/err" || { cat "$T/err"; fail "ldaps sync failed"; }
grep -q "^user alice:" <(cache_dump) || fail "ldaps: alice missing"
before=$(md5sum < "$T/cache/nss.cache")

# ldaps:// with a CA that did not sign the server's certificate.
HOSTIAM_URIS="\"$LDAPS\"" hostiam_conf "tls_ca_file = \"$T/tls/wrongca.pem\";" > "$T/bad.conf"
"$HOSTIAM" --config "$T/bad.conf" sync 2>"$T/err" && fail "ldaps with a wrong CA succeeded"
cat "$T/err"
grep -q "$LDAPS" "$T/err" || fail "the error does not name the server"
grep -qi "TLS\|certificate" "$T/err" || fail "the error does not say TLS/certificate"
[ "$(md5sum < "$T/cache/nss.cache")" = "$before" ] || fail "the cache changed after a TLS failure"
grep -qx "result=error" "$T/cache/sync.status" || fail "sync.status does not record the error"

# StartTLS with the right CA, then with the wrong one.
HOSTIAM_URIS="\"$PLAIN\"" hostiam_conf "starttls = true; tls_ca_file = \"$T/tls/ca.pem\";" \
	> "$T/stls.conf"
"$HOSTIAM" --config "$T/stls.conf" sync 2>"$T/err" || { cat "$T/err"; fail "StartTLS sync failed"; }
before=$(md5sum < "$T/cache/nss.cache")
HOSTIAM_URIS="\"$PLAIN\"" hostiam_conf "starttls = true; tls_ca_file = \"$T/tls/wrongca.pem\";" \
	> "$T/stls-bad.conf"
"$HOSTIAM" --config "$T/stls-bad.conf" sync 2>"$T/err" && fail "StartTLS with a wrong CA succeeded"
cat "$T/err"
grep -q "$PLAIN" "$T/err" && grep -qi "StartTLS" "$T/err" || fail "unclear StartTLS error"
[ "$(md5sum < "$T/cache/nss.cache")" = "$before" ] || fail "the cache changed after a StartTLS failure"

# A CA file that is not there: the error names the key and the file, for ldaps:// and
# StartTLS alike; plain ldap:// without StartTLS never reads it and syncs.
HOSTIAM_URIS="\"$LDAPS\"" hostiam_conf "tls_ca_file = \"$T/tls/missing.pem\";" > "$T/noca.conf"
"$HOSTIAM" --config "$T/noca.conf" sync 2>"$T/err" && fail "ldaps with a missing CA file succeeded"
cat "$T/err"
grep -qF "tls_ca_file $T/tls/missing.pem: No such file or directory" "$T/err" ||
	fail "ldaps: the error does not name the missing CA file"
HOSTIAM_URIS="\"$PLAIN\"" hostiam_conf "starttls = true; tls_ca_file = \"$T/tls/missing.pem\";" \
	> "$T/stls-noca.conf"
"$HOSTIAM" --config "$T/stls-noca.conf" sync 2>"$T/err" && fail "StartTLS with a missing CA file succeeded"
grep -qF "tls_ca_file $T/tls/missing.pem: No such file or directory" "$T/err" ||
	fail "StartTLS: the error does not name the missing CA file: $(cat "$T/err")"
HOSTIAM_URIS="\"$PLAIN\"" hostiam_conf "tls_ca_file = \"$T/tls/missing.pem\";" > "$T/plain-noca.conf"
"$HOSTIAM" --config "$T/plain-noca.conf" sync 2>"$T/err" ||
	{ cat "$T/err"; fail "plain ldap:// failed over a CA file it does not need"; }

# Without any tls_ca_file the system store applies: our test CA is not in it.
HOSTIAM_URIS="\"$LDAPS\"" hostiam_conf "" > "$T/nocafile.conf"
"$HOSTIAM" --config "$T/nocafile.conf" sync 2>"$T/err" && fail "ldaps without our CA succeeded"
echo "PASS"
