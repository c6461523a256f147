#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end, as root on a real Debian host: slapd → `hostiam sync --follow` → the NSS
# module through glibc → OpenSSH sshd (publickey from `hostiam authorized-keys`, then
# keyboard-interactive through pam_hostiam and a TOTP code from oathtool) → sudo step-up →
# su.  See e2e-lib.sh for what is changed on the host and how it is restored.
. "$top_srcdir/tests/e2e/e2e-lib.sh"

SECRET=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
ssh-keygen -q -t ed25519 -N '' -C e2e-client -f "$E/client_key" || fail "ssh-keygen"
PUBKEY=$(cat "$E/client_key.pub")
mkdir -m 0755 "$E/home"
user_ldif() { # NAME UID: the entry, and its home made in advance
	e2e_user_ldif "$1" "$2"
	install -d -m 0755 -o "$2" -g 3001 "$E/home/$1"
}
{
	user_ldif alice 2001	# ssh: right, wrong, no, replayed code
	user_ldif bob 2002	# sudo step-up
	user_ldif carol 2003	# denied from loopback by a rule
	user_ldif dave 2004	# deleted in the directory
	user_ldif erin 2005	# logs in while slapd is stopped
	user_ldif frank 2006	# lockout
	cat <<LDIF
dn: cn=staff,ou=groups,$SUFFIX
objectClass: posixGroup
cn: staff
gidNumber: 3001

dn: cn=admins,ou=groups,$SUFFIX
objectClass: posixGroup
cn: admins
gidNumber: 3000
memberUid: alice
memberUid: bob
memberUid: erin
LDIF
} > "$T/e2e.ldif"
slapd_setup "$T/e2e.ldif" || fail "slapd did not start"

e2e_cache_dir
e2e_install_bin
CONF="$E/hostiam.conf"
hostiam_conf | sed "s|dir = \"$T/cache\"|dir = \"$CACHE_DIR\"|" > "$CONF"
cat >> "$CONF" <<'CONF'
mfa = { max_failures = 3; lockout = 300; };
access = {
  default = "deny";
  exempt = [ "root" ];
  rules = (
    { name = "no-loopback"; user = [ "carol" ]; from = [ "127.0.0.0/8" ]; action = "deny";
      message = "carol may not log in from the loopback network"; },
    { name = "sudo-step-up"; service = [ "sudo" ]; group = [ "admins" ]; action = "mfa"; mfa_max_age = 300; },
    { name = "su-from-root"; service = [ "su", "su-l" ]; action = "allow"; },
    { name = "ssh"; service = [ "hostiam-e2e-sshd" ]; action = "mfa"; }
  );
};
CONF
chmod 0644 "$CONF"
"$HOSTIAM_E2E" --config "$CONF" config-check >/dev/null || fail "config-check refused $CONF"
grep -q "dir = \"$CACHE_DIR\"" "$CONF" || fail "cache.dir not set"

agent_start "$CONF"
wait_for 10 "[ -s '$CACHE_DIR/nss.cache' ]" || { cat "$T/agent.log"; fail "the agent did not publish"; }
e2e_install_nss
getent passwd alice | grep -q ":2001:3001:" || fail "getent passwd alice (glibc, NSS module): $(getent passwd alice)"
ok "getent through glibc and the installed module: $(getent passwd alice)"
"$HOSTIAM_E2E" --config "$CONF" authorized-keys alice | grep -qF "$PUBKEY" || fail "authorized-keys alice"

e2e_pam_file hostiam-e2e-sshd <<PAM
auth     required  $PAM_SO config=$CONF
account  required  $PAM_SO config=$CONF
session  optional  $PAM_SO config=$CONF
PAM
e2e_start_sshd || { cat "$E/sshd.log"; fail "sshd did not start"; }
ok "sshd (PAM service hostiam-e2e-sshd) on 127.0.0.1:$SSH_PORT"

# --- ssh ---
code=$(totp)
if out=$(e2e_ssh alice --code "$code" 2>"$T/drive.err"); then
	if echo "$out" | grep -q 'uid=2001(alice) gid=3001(staff) groups=3001(staff),3000(admins)'; then
		ok "key + right code: $(echo "$out" | grep uid=)"
	else
		bad "key + right code: id printed: $out"
	fi
else
	bad "key + right code refused: $out $(cat "$T/drive.err")"
fi
if out=$(e2e_ssh alice --code "$code" 2>"$T/drive.err"); then
	bad "replayed code accepted: $out"
else
	ok "replayed code refused ($(cat "$T/drive.err"))"
fi
if out=$(e2e_ssh alice --code 000000 2>"$T/drive.err") || echo "$out" | grep -q uid=; then
	bad "wrong code accepted: $out"
else
	ok "wrong code refused"
fi
if out=$(e2e_ssh alice --code "" 2>"$T/drive.err") || echo "$out" | grep -q uid=; then
	bad "empty code accepted: $out"
else
	ok "no code refused"
fi

# --- a rule denying a source network ---
out=$(e2e_ssh carol --code "$(totp)" 2>"$T/drive.err") && bad "carol from 127.0.0.1 got in: $out"
if echo "$out" | grep -q "carol may not log in from the loopback network"; then
	ok "rule no-loopback refused carol with its message"
elif ! echo "$out" | grep -q uid=; then
	bad "carol refused but the rule's message was not shown: $out"
fi

# --- lockout after repeated failures (max_failures = 3) ---
for i in 1 2 3; do e2e_ssh frank --code 000000 >/dev/null 2>&1; done
if out=$(e2e_ssh frank --code "$(totp)" 2>"$T/drive.err"); then
	bad "frank logged in with a right code after 3 failures (lockout): $out"
else
	ok "locked out after 3 wrong codes: the right code is refused$(echo "$out" | grep -io ' (.*lock[^)]*' | head -1)"
fi

# --- deleted in the directory → the next login refused within 2 s ---
start=$(now_us)
ldap_delete "uid=dave,ou=people,$SUFFIX" || fail "ldapdelete dave"
if wait_for 2 '! getent passwd dave >/dev/null'; then
	out=$(e2e_ssh dave --code "$(totp)" 2>"$T/drive.err")
	rc=$?
	ms=$(( ($(now_us) - start) / 1000 ))
	if [ "$rc" -ne 0 ] && ! echo "$out" | grep -q uid=; then
		ok "dave deleted: gone from getent and his login refused ${ms} ms after the delete"
	else
		bad "dave deleted but logged in: $out"
	fi
else
	bad "dave still resolves 2 s after the delete"
fi

# --- slapd stopped → a cached user still logs in with MFA ---
slapd_stop
if out=$(e2e_ssh erin --code "$(totp)" 2>"$T/drive.err") && echo "$out" | grep -q 'uid=2005(erin)'; then
	ok "slapd stopped: erin logs in from the cache with a code ($(echo "$out" | grep uid=))"
else
	bad "slapd stopped: erin refused: $out $(cat "$T/drive.err")"
fi

# --- sudo (PAM service sudo replaced for the duration: pam_hostiam is the only factor) ---
backup_file /etc/sudoers.d/hostiam-e2e
printf '%s\n' 'Defaults:%admins timestamp_timeout=0, passwd_tries=1' '%admins ALL=(ALL) ALL' > "$E/sudoers"
visudo -cqf "$E/sudoers" || fail "visudo refused the test's sudoers file"
install -m 0440 "$E/sudoers" /etc/sudoers.d/hostiam-e2e
e2e_pam_file sudo <<PAM
auth     required  $PAM_SO config=$CONF
account  required  $PAM_SO config=$CONF
session  required  pam_permit.so
PAM
SUDO_CMD=(/usr/sbin/runuser -u bob -- /usr/bin/sudo /usr/bin/id -un)
out=$(python3 "$top_srcdir/tests/e2e/drive.py" --code 000000 -- "${SUDO_CMD[@]}" 2>"$T/drive.err")
if [ $? -ne 0 ] && grep -q prompts=1 "$T/drive.err" && ! echo "$out" | grep -qx root; then
	ok "sudo: step-up code asked, wrong code refused"
else
	bad "sudo with a wrong code: $out $(cat "$T/drive.err")"
fi
out=$(python3 "$top_srcdir/tests/e2e/drive.py" --code "$(totp next)" -- "${SUDO_CMD[@]}" 2>"$T/drive.err")
if [ $? -eq 0 ] && grep -q prompts=1 "$T/drive.err" && echo "$out" | grep -qx root; then
	ok "sudo: step-up code asked and accepted (id -un: root)"
else
	bad "sudo with the right code: $out $(cat "$T/drive.err")"
fi
out=$(python3 "$top_srcdir/tests/e2e/drive.py" --no-prompt -- "${SUDO_CMD[@]}" 2>"$T/drive.err")
if [ $? -eq 0 ] && echo "$out" | grep -qx root; then
	ok "sudo: not asked again within mfa_max_age (sudo's own timestamp off)"
else
	bad "sudo asked again within mfa_max_age: $out $(cat "$T/drive.err")"
fi

# --- su - USER from root: PAM service su-l, which includes /etc/pam.d/su (+ pam_hostiam
# account and session, appended for the duration) ---
backup_file /etc/pam.d/su
{ cat "$E2E_BACKUP/_etc_pam.d_su"
  printf 'account  required  %s config=%s\nsession  optional  %s config=%s\n' "$PAM_SO" "$CONF" "$PAM_SO" "$CONF"
} > /etc/pam.d/su
if out=$(su - alice -c id </dev/null 2>&1) && echo "$out" | grep -q 'uid=2001(alice).*3000(admins)'; then
	# The session step ran: the module recorded this login in alice's state record.
	rec=$(cat "$CACHE_DIR/state/users/alice" 2>/dev/null)
	if echo "$rec" | grep -qE '^last_service=su(-l)?$'; then
		ok "su - alice: $out; the session was recorded ($(echo "$rec" | grep ^last_service))"
	else
		bad "su - alice: the session was not recorded: $rec"
	fi
else
	bad "su - alice -c id: $out"
fi

agent_stop 5 >/dev/null || true
[ "$FAILS" -eq 0 ] || { echo "$FAILS case(s) failed; sshd log:"; tail -30 "$E/sshd.log"; exit 1; }
echo PASS
