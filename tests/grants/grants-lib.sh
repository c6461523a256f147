# SPDX-License-Identifier: BSD-2-Clause
# grants-lib.sh: sourced by the elevation tests, after tests/pam/pam-lib.sh (users, groups,
# nss_wrapper with the hostiam NSS module, the syslog shim). Adds the groups of the
# elevation list and a configuration that has one, and `hi USER ARGS`: hostiam run as root
# through "sudo" for USER, as sudo leaves it (real uid 0, SUDO_UID and SUDO_USER set).
# Needs to run as root (the grant store is root's): else it exits 77 (SKIP).
if [ "$(id -u)" != 0 ]; then
	echo "not root: the grant commands need root (sudo); skipped"
	exit 77
fi
bin=$builddir/hostiam
cat >>"$tmp/group" <<'GROUP'
leads:x:1700:bob
breakglass:x:1800:
GROUP
# localop (local, in ops) and alice (directory, in ops) are eligible; bob approves; carol
# is neither. breakglass is granted; admins (dave has no standing membership) too.
conf=$tmp/hostiam.conf
write_config "$conf" <<'CONF'
access = { default = "deny"; rules = (
  { name = "break-glass"; group = [ "breakglass" ]; action = "allow"; },
  { name = "admins"; group = [ "admins" ]; action = "allow"; }
); };
elevation = (
  { role = "breakglass"; eligible = [ "ops" ]; approvers = [ "leads" ]; max = "4h";
    reason = "required"; },
  { role = "admins"; eligible = [ "ops", "devs" ]; approvers = [ "leads" ]; max = "1h";
    reason = "optional"; mfa = true; }
);
CONF
GRANTS_CACHE=$tmp/var/grants.cache
HOSTIAM_GRANTS_CACHE=$GRANTS_CACHE
export HOSTIAM_GRANTS_CACHE

# hi USER ARGS...: hostiam ARGS as sudo runs it for USER ("root": root itself, no sudo).
hi() {
	who=$1
	shift
	if [ "$who" = root ]; then
		env -u SUDO_UID -u SUDO_USER LD_PRELOAD="$preload" "$bin" --config "$conf" "$@"
	else
		uid=$(LD_PRELOAD="$preload" getent passwd "$who" | cut -d: -f3)
		env SUDO_UID="$uid" SUDO_USER="$who" LD_PRELOAD="$preload" "$bin" --config "$conf" "$@"
	fi
}

# expect_run WHAT STATUS PATTERN USER ARGS...: hostiam's exit status and a line of its output.
expect_run() {
	what=$1 want=$2 pattern=$3
	shift 3
	out=$(hi "$@" 2>&1)
	st=$?
	if [ "$st" != "$want" ]; then
		failed "$what" "$(printf '  exit %s, want %s:\n%s' "$st" "$want" "$out")"
	elif ! printf '%s\n' "$out" | grep -q -e "$pattern"; then
		failed "$what" "$(printf '  no \"%s\" in:\n%s' "$pattern" "$out")"
	else
		pass "$what"
	fi
}
