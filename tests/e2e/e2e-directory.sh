#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end for directory accounts, as root on a real Debian host: a directory user with
# no local password logs in over SSH with the directory password and a TOTP code
# (AuthenticationMethods keyboard-interactive, pam_hostiam `password`), gets a home made
# from /etc/skel (`mkhomedir`), runs sudo with password + step-up code, and `su - USER`
# with the password; a key-only user locked in the directory is refused on the next
# login within 2 s; `cron` (acct_mgmt only) is allowed without a prompt, then denied once
# the user is disabled.  See e2e-lib.sh for what is changed on the host and restored.
SLAPD_PPOLICY=1
. "$top_srcdir/tests/e2e/e2e-lib.sh"
command -v pamtester >/dev/null || { echo "SKIP: no pamtester"; exit 77; }
HELPER_BUILT="$top_builddir/hostiam-auth"
[ -x "$HELPER_BUILT" ] || { echo "SKIP: $HELPER_BUILT not built"; exit 77; }

SECRET=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
ssh-keygen -q -t ed25519 -N '' -C e2e-client -f "$E/client_key" || fail "ssh-keygen"
PUBKEY=$(cat "$E/client_key.pub")
# The parent of the homes: root-owned, not writable by others (mkhomedir checks it).
mkdir -m 0755 "$E/home"
user_ldif() { e2e_user_ldif "$@"; } # homes: gina's is made at login
{
	user_ldif gina 2101	# password + code over ssh, home made, sudo, su
	user_ldif hank 2102	# key-only ssh, then locked in the directory
	user_ldif ivan 2103	# cron, then disabled
	cat <<LDIF
dn: cn=staff,ou=groups,$SUFFIX
objectClass: posixGroup
cn: staff
gidNumber: 3001

dn: cn=admins,ou=groups,$SUFFIX
objectClass: posixGroup
cn: admins
gidNumber: 3000
memberUid: gina
LDIF
} > "$T/e2e.ldif"
slapd_setup "$T/e2e.ldif" || fail "slapd did not start"
GINA_PW='Gina-Pw-e2e-7'
set_password gina "$GINA_PW" || fail "set_password gina"
install -d -m 0755 -o 2102 -g 3001 "$E/home/hank"
install -d -m 0755 -o 2103 -g 3001 "$E/home/ivan"
mkdir -p "$E/skel" && echo "hello from skel" > "$E/skel/.profile-e2e"

e2e_cache_dir
e2e_install_bin
install -m 0755 "$HELPER_BUILT" "$E/hostiam-auth"
CONF="$E/hostiam.conf"
hostiam_conf | sed "s|dir = \"$T/cache\"|dir = \"$CACHE_DIR\"|" > "$CONF"
cat >> "$CONF" <<'CONF'
password = { offline_days = 7; };
access = {
  default = "deny";
  exempt = [ "root" ];
  non_interactive = [ "cron" ];
  root_switch = [ "su", "su-l" ];
  rules = (
    { name = "sudo-step-up"; service = [ "sudo" ]; group = [ "admins" ]; action = "mfa"; mfa_max_age = 0; },
    { name = "su"; service = [ "su", "su-l" ]; action = "allow"; },
    { name = "hank-key-only"; user = [ "hank" ]; action = "allow"; },
    { name = "everyone-else"; action = "mfa"; }
  );
};
CONF
chmod 0644 "$CONF"
"$HOSTIAM_E2E" --config "$CONF" config-check >/dev/null || fail "config-check refused $CONF"

agent_start "$CONF"
wait_for 10 "[ -s '$CACHE_DIR/nss.cache' ]" || { cat "$T/agent.log"; fail "the agent did not publish"; }
e2e_install_nss
getent passwd gina | grep -q ":2101:3001:" || fail "getent passwd gina: $(getent passwd gina)"
PAM_OPTS="config=$CONF helper=$E/hostiam-auth"

e2e_pam_file hostiam-e2e-sshd <<PAM
auth     required  $PAM_SO password $PAM_OPTS
account  required  $PAM_SO $PAM_OPTS
session  optional  $PAM_SO mkhomedir skel=$E/skel $PAM_OPTS
PAM
# gina: password + code in keyboard-interactive; hank: his key alone, then PAM account.
E2E_SSHD_EXTRA="Match User gina
  AuthenticationMethods keyboard-interactive
Match User hank
  AuthenticationMethods publickey"
e2e_start_sshd || { cat "$E/sshd.log"; fail "sshd did not start"; }
ok "sshd on 127.0.0.1:$SSH_PORT"

# --- ssh with the directory password and a code; the home is made on first login ---
[ -e "$E/home/gina" ] && fail "gina's home exists before her first login"
if out=$(e2e_ssh gina --password "$GINA_PW" --code "$(totp)" 2>"$T/drive.err") &&
	echo "$out" | grep -q 'uid=2101(gina)'; then
	ok "ssh: directory password + code ($(grep -o 'passwords=[0-9]*' "$T/drive.err"))"
else
	bad "ssh with password + code: $out $(cat "$T/drive.err")"
fi
if [ "$(stat -c '%u %a' "$E/home/gina" 2>/dev/null)" = "2101 700" ] &&
	[ -f "$E/home/gina/.profile-e2e" ]; then
	ok "home made on first login: $(stat -c '%U %a' "$E/home/gina"), skel copied"
else
	bad "home after the first login: $(ls -la "$E/home" 2>&1)"
fi
if out=$(e2e_ssh gina --password "wrong-$GINA_PW" --code "$(totp)" 2>"$T/drive.err") ||
	echo "$out" | grep -q uid=; then
	bad "ssh with a wrong password got in: $out"
else
	ok "ssh: wrong directory password refused"
fi
if grep -rqF "$GINA_PW" "$E/sshd.log" "$T"/*.log 2>/dev/null; then
	bad "the password appears in a log"
else
	ok "the password is in no log"
fi

# --- sudo with password + step-up code (mfa_max_age = 0: always asked) ---
backup_file /etc/sudoers.d/hostiam-e2e
printf '%s\n' 'Defaults:%admins timestamp_timeout=0, passwd_tries=1' '%admins ALL=(ALL) ALL' > "$E/sudoers"
visudo -cqf "$E/sudoers" || fail "visudo refused the test's sudoers file"
install -m 0440 "$E/sudoers" /etc/sudoers.d/hostiam-e2e
e2e_pam_file sudo <<PAM
auth     required  $PAM_SO password $PAM_OPTS
account  required  $PAM_SO $PAM_OPTS
session  required  pam_permit.so
PAM
SUDO_CMD=(/usr/sbin/runuser -u gina -- /usr/bin/sudo /usr/bin/id -un)
out=$(python3 "$top_srcdir/tests/e2e/drive.py" --password "$GINA_PW" --code "$(totp next)" -- \
	"${SUDO_CMD[@]}" 2>"$T/drive.err")
if [ $? -eq 0 ] && grep -q 'prompts=1 passwords=1' "$T/drive.err" && echo "$out" | grep -qx root; then
	ok "sudo: password and step-up code asked and accepted (id -un: root)"
else
	bad "sudo with password + code: $out $(cat "$T/drive.err")"
fi

# --- su - gina from another user, with her password (rule su: allow, no code) ---
backup_file /etc/pam.d/su
# Right after pam_rootok (root needs no password), before common-auth (pam_unix).
{ sed "/^auth.*pam_rootok.so/a auth  [success=done user_unknown=ignore default=die]  $PAM_SO password $PAM_OPTS" \
	"$E2E_BACKUP/_etc_pam.d_su"
  printf 'account  required  %s %s\n' "$PAM_SO" "$PAM_OPTS"
} > /etc/pam.d/su
grep -q "pam_hostiam.so password" /etc/pam.d/su || fail "no pam_rootok line in /etc/pam.d/su"
out=$(python3 "$top_srcdir/tests/e2e/drive.py" --password "$GINA_PW" -- \
	/usr/sbin/runuser -u hank -- /usr/bin/su - gina -c id 2>"$T/drive.err")
if [ $? -eq 0 ] && echo "$out" | grep -q 'uid=2101(gina)'; then
	ok "su - gina with her directory password ($(grep -o 'passwords=[0-9]*' "$T/drive.err"))"
else
	bad "su - gina: $out $(cat "$T/drive.err")"
fi
if out=$(su - gina -c id </dev/null 2>&1) && echo "$out" | grep -q 'uid=2101(gina)'; then
	ok "su - gina from root: no prompt"
else
	bad "su - gina from root: $out"
fi

# --- hank: key login, then locked in the directory → refused within 2 s ---
if out=$(e2e_ssh hank --no-prompt 2>"$T/drive.err") && echo "$out" | grep -q 'uid=2102(hank)'; then
	ok "ssh: hank with his key alone"
else
	bad "ssh hank (key): $out $(cat "$T/drive.err")"
fi
start=$(now_us)
e2e_lock_user hank || fail "lock hank"
refused=0
while [ $(( ($(now_us) - start) / 1000 )) -lt 2000 ]; do
	if ! out=$(e2e_ssh hank --no-prompt 2>"$T/drive.err") && ! echo "$out" | grep -q uid=; then
		refused=1
		break
	fi
	sleep 0.1
done
ms=$(( ($(now_us) - start) / 1000 ))
if [ "$refused" = 1 ]; then
	ok "hank locked in the directory: key login refused ${ms} ms after the change"
else
	bad "hank still logs in with his key ${ms} ms after the lock: $out"
fi

# --- cron: account only, no prompt; denied once ivan is disabled ---
e2e_pam_file cron <<PAM
account  required  $PAM_SO $PAM_OPTS
PAM
if out=$(pamtester cron ivan acct_mgmt </dev/null 2>&1); then
	ok "cron: ivan's jobs allowed without a prompt ($out)"
else
	bad "cron acct_mgmt for ivan: $out"
fi
e2e_lock_user ivan || fail "lock ivan"
if wait_for 2 "! pamtester cron ivan acct_mgmt </dev/null >/dev/null 2>&1"; then
	ok "cron: ivan's jobs denied once he is locked in the directory"
else
	bad "cron: ivan still allowed 2 s after the lock"
fi

agent_stop 5 >/dev/null || true
[ "$FAILS" -eq 0 ] || { echo "$FAILS case(s) failed; sshd log:"; tail -30 "$E/sshd.log"; exit 1; }
echo PASS
