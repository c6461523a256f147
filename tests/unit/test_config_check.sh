#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hostiam config-check: 0 and a confirmation on the example; 2 and FILE:LINE: KEY: MESSAGE
# on stderr for a mistake; 2 for a missing file.
set -u
bin="${top_builddir:?}/hostiam"
conf="${top_srcdir:?}/conf/hostiam.conf"
bad="$top_srcdir/tests/unit/configs/bad"
out="${TMPDIR:-/tmp}/config-check.$$"
trap 'rm -f "$out".*' EXIT
fail=0

if [ ! -x "$bin" ]; then
	echo "SKIP: $bin is not built"
	exit 77
fi

# expect STATUS PATTERN STREAM FILE: run config-check on FILE and compare.
expect() {
	"$bin" --config "$4" config-check >"$out.1" 2>"$out.2"
	status=$?
	if [ "$status" != "$1" ]; then
		echo "FAIL: $4: exit $status, expected $1"; cat "$out.1" "$out.2"; fail=1
	elif ! grep -q -e "$2" "$out.$3"; then
		echo "FAIL: $4: no \"$2\" in $([ "$3" = 1 ] && echo stdout || echo stderr):"
		cat "$out.$3"; fail=1
	else
		echo "ok: $4: exit $status"
	fi
}

expect 0 "^$conf: configuration is valid\$" 1 "$conf"
expect 2 "^$bad/cidr-host-bits-v4.conf:10: access.rules.\[0\].from: \"192.168.1.1/24\": host bits set" 2 \
	"$bad/cidr-host-bits-v4.conf"
expect 2 "^$bad/unknown-key-section.conf:5: directory.hostname: unknown key\$" 2 \
	"$bad/unknown-key-section.conf"
expect 2 "^$bad/syntax-error.conf:5: syntax error\$" 2 "$bad/syntax-error.conf"
expect 2 "^/nonexistent/hostiam.conf: cannot open: No such file or directory\$" 2 \
	/nonexistent/hostiam.conf
# Files the configuration names must exist and be readable files: each error names the
# key and the file at the key's line.
files="$out.files.conf"
cat >"$files" <<CONF
directory = { uri = "ldaps://ldap.example.com"; base = "dc=example,dc=com";
  bind_dn = "cn=reader,dc=example,dc=com";
  bind_password_file = "/";
  tls_ca_file = "/nonexistent/ca.pem"; };
CONF
expect 2 "^$files:4: directory.tls_ca_file: /nonexistent/ca.pem: No such file or directory\$" 2 "$files"
expect 2 "^$files:3: directory.bind_password_file: /: not a regular file\$" 2 "$files"
"$bin" --config "$files" config-check 2>/dev/null | grep -q . && {
	echo "FAIL: output on stdout when a named file is missing"; fail=1; }
sed -e "s|\"/\"|\"$files\"|" -e "s|/nonexistent/ca.pem|$files|" "$files" >"$out.ok.conf"
expect 0 "configuration is valid\$" 1 "$out.ok.conf"
# A terms file must be as a login reads it: there, a regular file no one else may write.
terms="$out.terms.conf"
printf 'x\n' >"$out.terms.txt"
chmod 0646 "$out.terms.txt"
cat >"$terms" <<CONF
terms = ( { name = "prod-aup"; version = "1";
            file = "$out.terms.txt"; },
          { name = "dev-aup"; version = "1"; file = "/nonexistent/dev.txt"; } );
CONF
expect 2 "^$terms:1: terms.\[0\].file: $out.terms.txt: must be owned by root and not writable by group or others" 2 "$terms"
expect 2 "^$terms:3: terms.\[1\].file: /nonexistent/dev.txt: cannot open: No such file or directory\$" 2 "$terms"
chmod 0644 "$out.terms.txt"
sed -e "s|/nonexistent/dev.txt|$out.terms.txt|" "$terms" >"$out.terms-ok.conf"
expect 0 "configuration is valid\$" 1 "$out.terms-ok.conf"
# Nothing on stdout when the configuration is invalid.
"$bin" --config "$bad/missing-base.conf" config-check 2>/dev/null | grep -q . && {
	echo "FAIL: output on stdout for an invalid configuration"; fail=1; }
exit $fail
