# SPDX-License-Identifier: BSD-2-Clause
# Sourceable helper for the end-to-end tests: the built NSS and PAM modules in the real
# system paths, a real slapd (tests/integration/slapd-lib.sh), `hostiam sync --follow`, a
# real OpenSSH sshd on 127.0.0.1, real sudo and su.  Root only; every system file touched
# is backed up first and restored by the EXIT trap, even on failure:
#   /etc/nsswitch.conf                 hostiam appended to passwd/group, restored after
#   /usr/lib/<triplet>/libnss_hostiam.so.2   the built module, removed after (or restored)
#   <build-time NSS cache dir>         see below; moved aside and moved back after
#   /etc/pam.d/hostiam-e2e-sshd        written, removed after
#   /etc/pam.d/sudo, /etc/pam.d/su     replaced / extended, restored after
#   /etc/pam.d/cron                    replaced, restored after (e2e-directory.sh)
#   /etc/sudoers.d/hostiam-e2e         written, removed after
#   /run/sshd                          created when missing (sshd's privsep dir), removed after
# The backups live in $E2E_BACKUP (/var/tmp/hostiam-e2e-backup.*), kept on a failed restore.
#
# The NSS cache: glibc loads the module into sshd, sudo, su and the shells they start, and
# none of them reliably pass HOSTIAM_NSS_CACHE on; the module refuses symlinks.  So the test
# configuration's cache.dir IS the module's build-time directory (read from the .so with
# strings, e.g. /usr/local/var/lib/hostiam): what was there is moved aside first, the parent
# directories the test had to create are removed after.

: "${top_srcdir:?}" "${top_builddir:?}"
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: the e2e tests need root"; exit 77; fi
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
SSHD_BIN=${SSHD_BIN:-/usr/sbin/sshd}
for p in "$SSHD_BIN" /usr/bin/ssh /usr/bin/ssh-keygen /usr/bin/sudo /usr/bin/su /usr/sbin/runuser \
	/usr/sbin/visudo /usr/bin/oathtool; do
	[ -x "$p" ] || { echo "SKIP: $p missing (scripts/deps.sh installs it)"; exit 77; }
done
python3 -c 'import pexpect' 2>/dev/null || { echo "SKIP: no python3-pexpect"; exit 77; }
NSS_SO="$top_builddir/.libs/libnss_hostiam.so.2"
PAM_SO_BUILT="$top_builddir/.libs/pam_hostiam.so"
[ -f "$NSS_SO" ] && [ -f "$PAM_SO_BUILT" ] || { echo "SKIP: modules not built"; exit 77; }
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
LIBDIR=/usr/lib/${MULTIARCH:-x86_64-linux-gnu}
NSS_CACHE_PATH=$(strings "$NSS_SO" | grep -m1 '^/.*/nss\.cache$')
[ -n "$NSS_CACHE_PATH" ] || fail "cannot find the build-time cache path in $NSS_SO"
CACHE_DIR=${NSS_CACHE_PATH%/nss.cache}

E2E_BACKUP=$(mktemp -d /var/tmp/hostiam-e2e-backup.XXXXXX)
# A root-owned 0755 directory on a path sshd accepts for AuthorizedKeysCommand (no
# group/world-writable component: not under /tmp).
E=$(mktemp -d /run/hostiam-e2e.XXXXXX)
chmod 0755 "$E"
E2E_RESTORE_FAILED=0
E2E_CREATED_DIRS=
E2E_PIDS=
SSHD_PID=

# Restore one file: $1 the system path; put back the backup, or remove it when the test
# created it.
restore_file() {
	local key=$(echo "$1" | tr / _)
	if [ -e "$E2E_BACKUP/$key" ]; then
		cp -a "$E2E_BACKUP/$key" "$1" || E2E_RESTORE_FAILED=1
	elif [ -e "$E2E_BACKUP/$key.absent" ]; then
		rm -f "$1" || E2E_RESTORE_FAILED=1
	fi
}
# Back up $1 before it is changed (once).
backup_file() {
	local key=$(echo "$1" | tr / _)
	[ -e "$E2E_BACKUP/$key" ] || [ -e "$E2E_BACKUP/$key.absent" ] && return 0
	if [ -e "$1" ]; then cp -a "$1" "$E2E_BACKUP/$key"; else : > "$E2E_BACKUP/$key.absent"; fi
}
E2E_FILES="/etc/nsswitch.conf $LIBDIR/libnss_hostiam.so.2 /etc/pam.d/hostiam-e2e-sshd /etc/pam.d/sudo /etc/pam.d/su /etc/pam.d/cron /etc/sudoers.d/hostiam-e2e"

e2e_cleanup() {
	local f d
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null
	[ -n "$AGENT_PID" ] && kill -9 "$AGENT_PID" 2>/dev/null
	for f in $E2E_PIDS; do kill "$f" 2>/dev/null; done
	# nsswitch.conf first: nothing should load the module once it is gone.
	for f in $E2E_FILES; do restore_file "$f"; done
	if [ -e "$E2E_BACKUP/cachedir.absent" ]; then
		rm -rf "$CACHE_DIR"
	elif [ -d "$E2E_BACKUP/cachedir" ]; then
		rm -rf "$CACHE_DIR" && mv "$E2E_BACKUP/cachedir" "$CACHE_DIR" || E2E_RESTORE_FAILED=1
	fi
	for d in $E2E_CREATED_DIRS; do rmdir "$d" 2>/dev/null; done
	if [ -n "${KEEP_T:-}" ]; then echo "kept $E and $T"; else rm -rf "$E"; fi
	slapd_cleanup
	if [ "$E2E_RESTORE_FAILED" = 0 ]; then
		rm -rf "$E2E_BACKUP"
	else
		echo "ERROR: could not restore everything; backups in $E2E_BACKUP" >&2
	fi
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

# mkdir -p that remembers what it created (deepest first, for rmdir after).
mkdir_tracked() {
	local d=$1 missing=
	while [ ! -d "$d" ]; do missing="$d $missing"; d=$(dirname "$d"); done
	for d in $missing; do mkdir -m 0755 "$d" || return 1; E2E_CREATED_DIRS="$d $E2E_CREATED_DIRS"; done
}

ok() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; }
FAILS=0
# Record a failure and go on with the next case (the script exits 1 at the end).
bad() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# The cache directory: the module's build-time directory, emptied for the test.
e2e_cache_dir() {
	if [ -e "$CACHE_DIR" ]; then
		mv "$CACHE_DIR" "$E2E_BACKUP/cachedir" || fail "cannot move $CACHE_DIR aside"
	else
		: > "$E2E_BACKUP/cachedir.absent"
	fi
	mkdir_tracked "$(dirname "$CACHE_DIR")" || fail "cannot create $(dirname "$CACHE_DIR")"
	mkdir -m 0755 "$CACHE_DIR"
}

# The NSS module in glibc's directory and in nsswitch.conf.
e2e_install_nss() {
	backup_file "$LIBDIR/libnss_hostiam.so.2"
	backup_file /etc/nsswitch.conf
	install -m 0644 "$NSS_SO" "$LIBDIR/libnss_hostiam.so.2" || fail "cannot install the NSS module"
	sed -i -E '/^(passwd|group):/{/[[:space:]]hostiam([[:space:]]|$)/!s/$/ hostiam/}' /etc/nsswitch.conf
	grep -qE '^passwd:.*hostiam' /etc/nsswitch.conf || fail "nsswitch.conf not changed"
}

# Copy the binary, the PAM module and the configuration into $E (root-owned path).
e2e_install_bin() {
	install -m 0755 "$HOSTIAM" "$E/hostiam"
	install -m 0644 "$PAM_SO_BUILT" "$E/pam_hostiam.so"
	PAM_SO="$E/pam_hostiam.so"
	HOSTIAM_E2E="$E/hostiam"
}

# Write a PAM file (backing the old one up).
e2e_pam_file() { backup_file "/etc/pam.d/$1"; cat > "/etc/pam.d/$1"; }

# Start sshd on a free port with $E/sshd_config; PAM service hostiam-e2e-sshd.
# E2E_SSHD_EXTRA: lines appended to the configuration (Match blocks).
e2e_start_sshd() {
	local try
	if [ ! -d /run/sshd ]; then mkdir -m 0755 /run/sshd; E2E_CREATED_DIRS="$E2E_CREATED_DIRS /run/sshd"; fi
	ssh-keygen -q -t ed25519 -N '' -f "$E/ssh_host_ed25519_key" || return 1
	ln -s "$SSHD_BIN" "$E/hostiam-e2e-sshd"
	for try in 1 2 3 4 5; do
		SSH_PORT=$(free_port)
		cat > "$E/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $E/ssh_host_ed25519_key
PidFile $E/sshd.pid
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no
PubkeyAuthentication yes
AuthenticationMethods publickey,keyboard-interactive
AuthorizedKeysFile none
AuthorizedKeysCommand $HOSTIAM_E2E --config $CONF authorized-keys %u
AuthorizedKeysCommandUser root
PermitRootLogin no
StrictModes no
LogLevel VERBOSE
MaxAuthTries 6
${E2E_SSHD_EXTRA:-}
CONF
		"$E/hostiam-e2e-sshd" -t -f "$E/sshd_config" || return 1
		env -u HOSTIAM_TEST_PASSWD -u HOSTIAM_TEST_GROUP \
			"$E/hostiam-e2e-sshd" -D -e -f "$E/sshd_config" 2>>"$E/sshd.log" &
		SSHD_PID=$!
		if wait_for 5 "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", $SSH_PORT), 1)' 2>/dev/null"; then
			return 0
		fi
		kill "$SSHD_PID" 2>/dev/null; SSHD_PID=
	done
	return 1
}

# A TOTP code for the directory's secret; waits out the last seconds of a step so the code
# is still current when the module checks it.  $1: "next" for the following step's code.
totp() {
	while [ $(( $(date +%s) % 30 )) -gt 24 ]; do sleep 1; done
	if [ "${1:-}" = next ]; then
		oathtool --totp -b -N "now + 30 seconds" "$SECRET"
	else
		oathtool --totp -b "$SECRET"
	fi
}

# ssh USER as the client with the test's key, answering the code prompt with the
# drive.py options in "$@" before the remote command (after --).
e2e_ssh() {
	local user=$1; shift
	python3 "$top_srcdir/tests/e2e/drive.py" "$@" -- /usr/bin/ssh -F /dev/null -p "$SSH_PORT" \
		-i "$E/client_key" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o LogLevel=INFO -o ConnectTimeout=10 \
		-o PreferredAuthentications=publickey,keyboard-interactive -o NumberOfPasswordPrompts=1 \
		-l "$user" 127.0.0.1 id
}

# The LDIF of a directory user NAME with uid UID (group staff, 3001), the test's SSH key
# ($PUBKEY) and TOTP secret ($SECRET), home $E/home/NAME (not created here).
e2e_user_ldif() {
	cat <<LDIF
dn: uid=$1,ou=people,$SUFFIX
objectClass: inetOrgPerson
objectClass: posixAccount
objectClass: ldapPublicKey
objectClass: hostiamMfaUser
uid: $1
cn: $1
sn: $1
uidNumber: $2
gidNumber: 3001
homeDirectory: $E/home/$1
loginShell: /bin/sh
sshPublicKey: $PUBKEY
hostiamTotpSecret: $SECRET

LDIF
}

# Lock NAME in the directory as an administrator does (ppolicy's permanent lock).
e2e_lock_user() {
	printf 'dn: uid=%s,ou=people,%s\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n' \
		"$1" "$SUFFIX" | ldap_modify
}
