# SPDX-License-Identifier: BSD-2-Clause
# Sourceable helper for the integration tests: a real slapd on loopback in a temp dir.
#
#   . "$top_srcdir/tests/integration/slapd-lib.sh"
#   SLAPD_SYNCPROV=1 SLAPD_TLS=0 slapd_setup "$top_srcdir/tests/integration/sample.ldif"
#   hostiam_conf > "$T/hostiam.conf"            # a configuration pointing at it
#   ldap_modify <<EOF ... EOF                   # change the directory as the rootdn
#   slapd_stop; slapd_start                     # same port, same data
#
# Knobs (environment, before slapd_setup): SLAPD_SYNCPROV (1), SLAPD_TLS (0),
# SLAPD_SIZELIMIT (50, for everyone but the rootdn), SLAPD_MAXSIZE (bytes of the mdb map),
# SLAPADD_FLAGS (e.g. -s to load entries the schema would refuse, as broken directories have),
# SLAPD_PPOLICY (0; 1 loads the ppolicy overlay with the policies of ppolicy_ldif below),
# SLAPD_SELF_ENROL_ACL (0; 1 puts conf/hostiam-self-enrol.conf before the catch-all rule).
#
# Passwords (the rootdn sets them; no password goes in any argv):
#   set_password USER PASSWORD     give uid=USER a userPassword (pwdReset FALSE)
#   set_policy USER NAME           make cn=NAME,ou=policies its password policy
#   user_dn USER                   the DN of uid=USER in ou=people
# Everything is removed on exit (trap), slapd included.

: "${top_srcdir:?}" "${top_builddir:?}"
SLAPD=${SLAPD:-/usr/sbin/slapd}
SLAPD_SYNCPROV=${SLAPD_SYNCPROV:-1}
SLAPD_TLS=${SLAPD_TLS:-0}
SLAPD_SIZELIMIT=${SLAPD_SIZELIMIT:-50}
SLAPD_MAXSIZE=${SLAPD_MAXSIZE:-268435456}
SLAPD_PPOLICY=${SLAPD_PPOLICY:-0}
SUFFIX="dc=example,dc=com"
ROOTDN="cn=admin,$SUFFIX"
ROOTPW="secret"
READERDN="cn=reader,ou=services,$SUFFIX"
READERPW="reader-pw"
POLICIES="ou=policies,$SUFFIX"
HOSTIAM="$top_builddir/hostiam"
# libldap must not read the host's ldap.conf or ~/.ldaprc: the tests say everything.
LDAPNOINIT=1
export LDAPNOINIT

T=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-it.XXXXXX")
SLAPD_PID=

# The host's own accounts as the sync sees them: fixed files, not this machine's
# /etc/passwd and /etc/group (test-only variables; hostiam ignores them when setuid).
cat > "$T/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
localadmin:x:1000:1000:Local Admin:/home/localadmin:/bin/bash
localsvc:x:1500:1500:a local service:/nonexistent:/usr/sbin/nologin
EOF
cat > "$T/group" <<'EOF'
root:x:0:
sudo:x:27:localadmin
localadmin:x:1000:
localgrp:x:1600:
EOF
HOSTIAM_TEST_PASSWD="$T/passwd"
HOSTIAM_TEST_GROUP="$T/group"
export HOSTIAM_TEST_PASSWD HOSTIAM_TEST_GROUP

# Skip (exit 77) when this machine cannot run the tests.
slapd_require() {
	[ -x "$SLAPD" ] || { echo "SKIP: no slapd"; exit 77; }
	command -v ldapmodify >/dev/null || { echo "SKIP: no ldap-utils"; exit 77; }
	[ -x "$HOSTIAM" ] || { echo "SKIP: no hostiam binary"; exit 77; }
}

# A free TCP port on 127.0.0.1 (the kernel picks it; a collision is retried at start).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

FAKE_PID=
# Start the scripted server of fake-ldap.py in mode $1 (delay $2) instead of slapd; it
# answers on LDAP_PORT, so hostiam_conf points at it.
fake_ldap_start() {
	rm -f "$T/fake.port"
	python3 "$top_srcdir/tests/integration/fake-ldap.py" "$1" "$T/fake.port" "${2:-0}" \
		2>>"$T/fake.log" &
	FAKE_PID=$!
	wait_for 30 '[ -s "$T/fake.port" ]' || return 1
	LDAP_PORT=$(cat "$T/fake.port")
}

# Remove everything this test started or wrote.
slapd_cleanup() {
	slapd_stop
	if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null; FAKE_PID=; fi
	[ -n "${KEEP_T:-}" ] || rm -rf "$T"
}
trap slapd_cleanup EXIT
trap 'exit 130' INT TERM

# Write $T/slapd.conf for the current knobs.
slapd_write_conf() {
	{
		echo "include /etc/ldap/schema/core.schema"
		echo "include /etc/ldap/schema/cosine.schema"
		echo "include /etc/ldap/schema/inetorgperson.schema"
		echo "include /etc/ldap/schema/nis.schema"
		echo "include $top_srcdir/tests/integration/hostiam-test.schema"
		echo "include $top_srcdir/conf/hostiam.schema"
		echo "modulepath /usr/lib/ldap"
		echo "moduleload back_mdb"
		if [ "$SLAPD_SYNCPROV" = 1 ]; then echo "moduleload syncprov"; fi
		# slapd 2.5 carries the ppolicy schema in the module: no schema file to include.
		if [ "$SLAPD_PPOLICY" = 1 ]; then echo "moduleload ppolicy"; fi
		echo "pidfile $T/slapd.pid"
		echo "argsfile $T/slapd.args"
		if [ "$SLAPD_TLS" = 1 ]; then
			echo "TLSCACertificateFile $T/tls/ca.pem"
			echo "TLSCertificateFile $T/tls/server.pem"
			echo "TLSCertificateKeyFile $T/tls/server.key"
		fi
		echo "database mdb"
		echo "maxsize $SLAPD_MAXSIZE"
		echo "suffix \"$SUFFIX\""
		echo "rootdn \"$ROOTDN\""
		echo "rootpw $ROOTPW"
		echo "directory $T/db"
		echo "index objectClass,entryUUID,entryCSN,uid,cn eq"
		# Paging may go past the size limit, as on real servers; one search may not. The
		# service account may (SLAPD_READER_UNLIMITED=1), as a real agent's account is set up
		# for syncrepl, whose refresh is one search.
		if [ "${SLAPD_READER_UNLIMITED:-0}" = 1 ]; then
			echo "limits dn.exact=\"$READERDN\" size=unlimited"
		fi
		echo "limits users size.soft=$SLAPD_SIZELIMIT size.hard=$SLAPD_SIZELIMIT size.prtotal=unlimited"
		echo "limits anonymous size.soft=$SLAPD_SIZELIMIT size.hard=$SLAPD_SIZELIMIT size.prtotal=unlimited"
		echo "access to attrs=userPassword by self =xw by anonymous auth by * none"
		if [ "${SLAPD_SELF_ENROL_ACL:-0}" = 1 ]; then
			echo "include $top_srcdir/conf/hostiam-self-enrol.conf"
		fi
		echo "access to * by * read"
		if [ "$SLAPD_SYNCPROV" = 1 ]; then echo "overlay syncprov"; fi
		if [ "$SLAPD_PPOLICY" = 1 ]; then
			echo "overlay ppolicy"
			echo "ppolicy_default \"cn=default,$POLICIES\""
			# A locked account's bind answers accountLocked, not only invalidCredentials.
			echo "ppolicy_use_lockout"
		fi
	} > "$T/slapd.conf"
}

# Make a CA, a server certificate for 127.0.0.1/localhost and a second, unrelated CA.
tls_make_certs() {
	mkdir -p "$T/tls" && cd "$T/tls" || return 1
	for ca in ca wrongca; do
		certtool --generate-privkey --outfile $ca.key >/dev/null 2>&1
		printf 'cn = "hostiam test %s"\nca\ncert_signing_key\nexpiration_days = 2\n' \
			"$ca" > $ca.tmpl
		certtool --generate-self-signed --load-privkey $ca.key --template $ca.tmpl \
			--outfile $ca.pem >/dev/null 2>&1
	done
	certtool --generate-privkey --outfile server.key >/dev/null 2>&1
	printf 'cn = "localhost"\ndns_name = "localhost"\nip_address = "127.0.0.1"\ntls_www_server\nencryption_key\nsigning_key\nexpiration_days = 2\n' \
		> server.tmpl
	certtool --generate-certificate --load-privkey server.key --load-ca-certificate ca.pem \
		--load-ca-privkey ca.key --template server.tmpl --outfile server.pem >/dev/null 2>&1
	cd - >/dev/null || return 1
	[ -s "$T/tls/server.pem" ]
}

# Create the database from the given LDIF files (the base DIT always comes first).
slapd_load() {
	mkdir -p "$T/db"
	cat > "$T/base.ldif" <<EOF
dn: $SUFFIX
objectClass: dcObject
objectClass: organization
o: example
dc: example

dn: ou=people,$SUFFIX
objectClass: organizationalUnit
ou: people

dn: ou=groups,$SUFFIX
objectClass: organizationalUnit
ou: groups

dn: ou=services,$SUFFIX
objectClass: organizationalUnit
ou: services

dn: $READERDN
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reader
userPassword: $READERPW
EOF
	[ "$SLAPD_PPOLICY" = 1 ] && ppolicy_ldif >> "$T/base.ldif"
	local f
	{ cat "$T/base.ldif"; for f in "$@"; do echo; cat "$f"; done; } | "$SLAPD" -T add -f "$T/slapd.conf" -q ${SLAPADD_FLAGS:-} 2>"$T/slapadd.err" || {
		cat "$T/slapadd.err" >&2
		return 1
	}
}

# Start slapd on LDAP_PORT (and LDAPS_PORT with TLS); wait until it answers.
slapd_start() {
	local urls="ldap://127.0.0.1:$LDAP_PORT/" i
	[ "$SLAPD_TLS" = 1 ] && urls="$urls ldaps://127.0.0.1:$LDAPS_PORT/"
	"$SLAPD" -f "$T/slapd.conf" -h "$urls" -s 0 2>>"$T/slapd.log" || return 1
	for i in $(seq 1 100); do
		if ldapsearch -x -H "ldap://127.0.0.1:$LDAP_PORT" -b "" -s base -o nettimeout=1 \
			>/dev/null 2>&1; then
			SLAPD_PID=$(cat "$T/slapd.pid")
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# Stop slapd (if running) and wait until it is gone.
slapd_stop() {
	local i
	[ -n "$SLAPD_PID" ] || return 0
	kill "$SLAPD_PID" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$SLAPD_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$SLAPD_PID" 2>/dev/null || true
	SLAPD_PID=
}

# Configure, load the LDIF files given and start slapd on free ports (retrying collisions).
slapd_setup() {
	local try
	if [ "$SLAPD_TLS" = 1 ]; then
		tls_make_certs || { echo "cannot make test certificates" >&2; return 1; }
	fi
	slapd_write_conf && slapd_load "$@" || return 1
	for try in 1 2 3 4 5; do
		LDAP_PORT=$(free_port)
		LDAPS_PORT=$(free_port)
		slapd_start && return 0
	done
	cat "$T/slapd.log" >&2
	return 1
}

# ldapmodify/ldapadd/ldapdelete as the rootdn; LDIF on stdin (or DNs for delete).
ldap_modify() { ldapmodify -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$ROOTDN" -w "$ROOTPW" -c "$@" >/dev/null; }
ldap_add() { ldap_modify -a "$@"; }
ldap_delete() { ldapdelete -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$ROOTDN" -w "$ROOTPW" "$@"; }

# The password policies SLAPD_PPOLICY=1 loads, in ou=policies; set_policy picks one.
#   default   lockout after 3 wrong binds (until an admin clears it), pwdMustChange, at
#             least 8 characters, the last 3 passwords refused, no expiry
#   expiring  expires 30 days after the change, warned from 60 days: every bind warns
#   grace     expires 1 s after the change, then 2 grace logins
#   nograce   expires 1 s after the change, no grace login
ppolicy_ldif() {
	local name
	printf '\ndn: %s\nobjectClass: organizationalUnit\nou: policies\n' "$POLICIES"
	for name in default expiring grace nograce; do
		printf '\ndn: cn=%s,%s\nobjectClass: device\nobjectClass: pwdPolicy\ncn: %s\n' \
			"$name" "$POLICIES" "$name"
		printf 'pwdAttribute: userPassword\npwdAllowUserChange: TRUE\npwdMustChange: TRUE\n'
		printf 'pwdLockout: TRUE\npwdMaxFailure: 3\npwdLockoutDuration: 0\n'
		printf 'pwdCheckQuality: 2\npwdMinLength: 8\npwdInHistory: 3\n'
		case $name in
		expiring) printf 'pwdMaxAge: 2592000\npwdExpireWarning: 5184000\n' ;;
		grace) printf 'pwdMaxAge: 1\npwdGraceAuthNLimit: 2\n' ;;
		nograce) printf 'pwdMaxAge: 1\npwdGraceAuthNLimit: 0\n' ;;
		esac
	done
}

# The DN of the directory user USER (in ou=people).
user_dn() { printf 'uid=%s,ou=people,%s' "$1" "$SUFFIX"; }

# Give USER the password PASSWORD as the rootdn (stdin, never argv), as a fresh account
# that need not change it: pwdReset, which ppolicy sets on an admin's change, is FALSE.
set_password() {
	printf 'dn: %s\nchangetype: modify\nreplace: userPassword\nuserPassword: %s\n' \
		"$(user_dn "$1")" "$2" | ldap_modify || return 1
	# (the knob may have been given to slapd_setup alone: ask the running configuration)
	grep -q '^overlay ppolicy' "$T/slapd.conf" || return 0
	printf 'dn: %s\nchangetype: modify\nreplace: pwdReset\npwdReset: FALSE\n' \
		"$(user_dn "$1")" | ldap_modify
}

# Make cn=NAME,ou=policies (see ppolicy_ldif) the password policy of USER.
set_policy() {
	printf 'dn: %s\nchangetype: modify\nreplace: pwdPolicySubentry\npwdPolicySubentry: cn=%s,%s\n' \
		"$(user_dn "$1")" "$2" "$POLICIES" | ldap_modify
}

# A hostiam.conf for this slapd. Extra lines for the directory section in $1,
# the uri list in HOSTIAM_URIS (default the plain ldap:// URL).
hostiam_conf() {
	local uris=${HOSTIAM_URIS:-"\"ldap://127.0.0.1:$LDAP_PORT\""}
	mkdir -p "$T/cache"
	cat <<EOF
directory = {
  uri = [ $uris ];
  base = "$SUFFIX";
  timeout = ${HOSTIAM_TIMEOUT:-3};
  page_size = ${HOSTIAM_PAGE_SIZE:-20};
  refresh = ${HOSTIAM_REFRESH:-300};
  users  = { base = "ou=people,$SUFFIX"; };
  groups = { base = "ou=groups,$SUFFIX"; };
  min_uid = 1000;  min_gid = 1000;
  ${1:-}
};
cache = { dir = "$T/cache"; };
EOF
}

# LDIF of one minimal user on stdout: user_ldif NAME UIDNUMBER [GIDNUMBER] [CN].
user_ldif() {
	printf 'dn: uid=%s,ou=people,%s\nobjectClass: account\nobjectClass: posixAccount\nuid: %s\ncn: %s\nuidNumber: %s\ngidNumber: %s\nhomeDirectory: /home/%s\n\n' \
		"$1" "$SUFFIX" "$1" "${4:-$1}" "$2" "${3:-$2}" "$1"
}

# LDIF of N users u001.. (uid 30001..) in ou=people, on stdout.
many_users_ldif() {
	local i
	for i in $(seq 1 "$1"); do
		user_ldif "$(printf 'u%03d' "$i")" $((30000 + i)) 30000
	done
}

# Dump the published cache (users, groups, members) as text, for grep.
cache_dump() {
	"$top_builddir/tests/integration/cache-dump" "$T/cache/nss.cache"
}

# The generation of the published cache, or 0.
cache_generation() {
	cache_dump 2>/dev/null | sed -n 's/^generation //p' | grep . || echo 0
}

# Fail the test with a message.
fail() {
	echo "FAIL: $*" >&2
	[ -f "$T/slapd.log" ] && tail -5 "$T/slapd.log" >&2
	exit 1
}

# Wait up to $1 seconds (fractions allowed) for the shell command $2 to succeed.
wait_for() {
	local deadline now
	deadline=$(( ${EPOCHREALTIME/./} + $(awk -v s="$1" 'BEGIN { printf "%d", s * 1000000 }') ))
	while :; do
		eval "$2" && return 0
		now=${EPOCHREALTIME/./}
		[ "$now" -lt "$deadline" ] || return 1
		sleep 0.02
	done
}

# Microseconds since the epoch (bash 5).
now_us() { echo "${EPOCHREALTIME/./}"; }

AGENT_PID=
# Start `hostiam sync --follow` with config $1 in the background; its log in $T/agent.log.
agent_start() {
	HOSTIAM_LOG_STDERR=1 "$HOSTIAM" --config "$1" sync --follow 2>>"$T/agent.log" &
	AGENT_PID=$!
}

# Stop the agent with SIGTERM; fail if it takes longer than $1 seconds (default 2).
agent_stop() {
	local start rc
	[ -n "$AGENT_PID" ] || return 0
	start=$(now_us)
	kill -TERM "$AGENT_PID"
	wait_for "${1:-2}" '! kill -0 $AGENT_PID 2>/dev/null' || {
		kill -9 "$AGENT_PID"
		fail "the agent did not stop within ${1:-2} s of SIGTERM"
	}
	wait "$AGENT_PID"
	rc=$?
	echo "agent stopped in $(( ($(now_us) - start) / 1000 )) ms, status $rc"
	AGENT_PID=
	return "$rc"
}

# Wait up to $1 seconds until the dump of the cache matches the grep -E pattern $2
# (or, with $3 = absent, no longer matches it); prints how long it took.
cache_wait() {
	local start=$(now_us) want=${3:-present} cw_pat=$2
	if [ "$want" = present ]; then
		wait_for "$1" 'cache_dump 2>/dev/null | grep -qE -- "$cw_pat"' || return 1
	else
		wait_for "$1" '! cache_dump 2>/dev/null | grep -qE -- "$cw_pat" && cache_dump >/dev/null 2>&1' ||
			return 1
	fi
	echo "  '$2' $want after $(( ($(now_us) - start) / 1000 )) ms"
}

# Also stop a running agent on exit.
trap 'if [ -n "$AGENT_PID" ]; then kill -9 "$AGENT_PID" 2>/dev/null; fi; slapd_cleanup' EXIT
