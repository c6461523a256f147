#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# session option mkhomedir through pamtester open_session under pam_wrapper, as root: a
# missing home is made from skel=DIR (files, directories and links copied, special files
# skipped, all the user's), mode 0700 or what mode= / umask= say, and logged once; an
# existing home, a link planted where the home goes, a link in the parent path, a home
# with ".." or relative, and a parent others may write in are all left alone, and the
# session still opens; a skeleton deeper than 16 is cut there, set-id bits never copied.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pam-lib.sh"

[ "$(id -u)" = 0 ] || { echo "not root (chown needs it): skipped"; exit 77; }
[ -n "${PAMTESTER:-}" ] && [ -x "$PAMTESTER" ] || { echo "pamtester not found: skipped"; exit 77; }
pam_wrapper=${PAM_WRAPPER_LIB:-$(find_lib libpam_wrapper.so)}
[ -n "$pam_wrapper" ] || { echo "pam_wrapper not found: skipped"; exit 77; }
[ -z "$asan" ] || ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"
export ASAN_OPTIONS

# $tmp (0700, root's) stands in for /: homes go under $tmp/home and its odd siblings.
H=$tmp/home
mkdir -m 0755 "$H" "$tmp/open" "$tmp/theirs"
chmod 0777 "$tmp/open"
chown 1500 "$tmp/theirs"
ln -s "$H" "$tmp/linked"

# Directory users (the cache) and local ones (nss_wrapper's passwd), homes in those places.
cat >"$tmp/desc" <<DESC
generation:1
synctime:$now
user:alice:1001:1001:Alice:$H/alice:/bin/bash
user:bob:1002:1002:Bob:$H/bob:/bin/bash
user:carol:1003:1003:Carol:$H/carol:/bin/bash
user:dave:1004:1004:Dave:$H/dave:/bin/bash
group:alice:1001:
DESC
"$cachegen" "$tmp/desc" "$tmp/var/nss.cache" >/dev/null || { echo "cachegen failed"; exit 99; }
cat >>"$tmp/passwd" <<PASSWD
erin:x:1005:1005:Erin:$tmp/linked/erin:/bin/sh
frank:x:1006:1006:Frank:$tmp/open/frank:/bin/sh
gina:x:1007:1007:Gina:$tmp/theirs/gina:/bin/sh
hank:x:1008:1008:Hank:$H/hank:/bin/sh
ivan:x:1009:1009:Ivan:$H/../home/ivan:/bin/sh
jack:x:1010:1010:Jack:home/jack:/bin/sh
kate:x:1011:1011:Kate:$H/kate:/bin/sh
PASSWD

# The skeleton: a file, a nested directory with its own mode, a link, a fifo.
S=$tmp/skel
mkdir -p "$S/.config/app"
printf 'alias ll="ls -l"\n' >"$S/.bashrc"
printf 'x=1\n' >"$S/.config/app/settings"
chmod 0640 "$S/.config/app/settings"
chmod 0750 "$S/.config"
ln -s /etc/hostname "$S/.link"
mkfifo "$S/pipe"

write_config "$tmp/hostiam.conf" <<'CONF'
access = { default = "allow"; };
CONF
mkdir "$tmp/pam.d"
stack() { # SERVICE OPTIONS...
	svc=$1
	shift
	echo "session required $module config=$tmp/hostiam.conf mkhomedir skel=$S $*" \
		>"$tmp/pam.d/$svc"
}
stack sshd
stack mode mode=0750
stack umask umask=0022

# session WHAT SERVICE USER: pamtester open_session must succeed; the log is in $log.
session() {
	: >"$log"
	if LD_PRELOAD="$preload:$pam_wrapper" PAM_WRAPPER=1 PAM_WRAPPER_USE_SYSLOG=1 \
		PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" "$PAMTESTER" "$2" "$3" open_session \
		>"$tmp/out" 2>&1 </dev/null; then pass "$1"
	else failed "$1" "$(cat "$tmp/out" "$log")"; fi
}
# is WHAT EXPECTED FILE...: stat -c '%F %u:%g %a' of each file (without following links).
is() {
	what=$1 want=$2
	shift 2
	check_output "$what" "$want" "$(stat -c '%F %u:%g %a' "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
}
prefix=pam_hostiam\(sshd:session\):

# --- a new home from the skeleton ---------------------------------------------------------
session "alice: the session opens" sshd alice
is "alice: home 0700, hers" "directory 1001:1001 700" "$H/alice"
is "  ... files copied with their modes, hers" \
	"regular file 1001:1001 644 directory 1001:1001 750 regular file 1001:1001 640" \
	"$H/alice/.bashrc" "$H/alice/.config" "$H/alice/.config/app/settings"
check_output "  ... content copied" 'alias ll="ls -l"' "$(cat "$H/alice/.bashrc")"
is "  ... the link made again as a link, hers" "symbolic link 1001:1001 777" "$H/alice/.link"
check_output "  ... pointing where the skeleton's did" /etc/hostname "$(readlink "$H/alice/.link")"
[ -e "$H/alice/pipe" ] || [ -L "$H/alice/pipe" ] && failed "  ... the fifo skipped" "" ||
	pass "  ... the fifo skipped"
log_has "  ... logged" "authpriv.notice $prefix mkhomedir user=alice home=$H/alice"

# --- mode= and umask= -----------------------------------------------------------------------
session "bob: mode=0750" mode bob
is "  ... home 0750" "directory 1002:1002 750" "$H/bob"
session "carol: umask=0022" umask carol
is "  ... home 0755" "directory 1003:1003 755" "$H/carol"

# --- an existing home is left as it is, and nothing is logged ----------------------------
chmod 0711 "$H/alice"
rm "$H/alice/.bashrc"
session "alice again: the session opens" sshd alice
is "  ... her home untouched" "directory 1001:1001 711" "$H/alice"
[ -e "$H/alice/.bashrc" ] && failed "  ... nothing copied again" "" || pass "  ... nothing copied again"
log_lacks "  ... nothing logged" mkhomedir
mkdir -m 0755 "$H/hank"
session "hank: home already there (root's)" sshd hank
is "  ... left root's" "directory 0:0 755" "$H/hank"

# --- a link planted where the home goes is not followed ---------------------------------
ln -s "$tmp/target" "$H/dave"
session "dave: a link at the home path" sshd dave
[ -e "$tmp/target" ] && failed "  ... nothing made at its target" "$(ls -la "$tmp/target")" ||
	pass "  ... nothing made at its target"
is "  ... the link still a link" "symbolic link 0:0 777" "$H/dave"

# --- the parent: no link on the way, root's alone ----------------------------------------
session "erin: a link in the parent path" sshd erin
[ -e "$H/erin" ] && failed "  ... nothing made through it" "" || pass "  ... nothing made through it"
if grep -qF "mkhomedir user=erin home=$tmp/linked/erin: not created: not a directory (a link?): linked" "$log"
then pass "  ... logged"; else failed "  ... logged" "$(cat "$log")"; fi
session "frank: a parent others may write in" sshd frank
[ -e "$tmp/open/frank" ] && failed "  ... nothing made" "" || pass "  ... nothing made"
log_has "  ... logged" "authpriv.err $prefix mkhomedir user=frank home=$tmp/open/frank: not created: the parent directory is not root's alone (uid 0, mode 0777)"
session "gina: a parent another user owns" sshd gina
[ -e "$tmp/theirs/gina" ] && failed "  ... nothing made" "" || pass "  ... nothing made"
log_has "  ... logged" "authpriv.err $prefix mkhomedir user=gina home=$tmp/theirs/gina: not created: the parent directory is not root's alone (uid 1500, mode 0755)"

# --- homes that are not plain absolute paths ----------------------------------------------
session "ivan: a home with '..'" sshd ivan
[ -e "$H/ivan" ] && failed "  ... nothing made" "" || pass "  ... nothing made"
log_has "  ... logged" "authpriv.err $prefix mkhomedir user=ivan home=$H/../home/ivan: not created: the home path is not canonical"
session "jack: a relative home" sshd jack
[ -e "$tmp/home/jack" ] || [ -e home/jack ] && failed "  ... nothing made" "" || pass "  ... nothing made"
log_has "  ... logged" "authpriv.err $prefix mkhomedir user=jack home=?: not created: the home is not an absolute path"

# --- a skeleton deeper than the limit, a set-id file ---------------------------------------
D=$tmp/deepskel
deep=$D
for i in $(seq 1 20); do deep=$deep/d$i; done
mkdir -p "$deep"
printf 'x\n' >"$D/tool"
chmod 4755 "$D/tool"
echo "session required $module config=$tmp/hostiam.conf mkhomedir skel=$D" >"$tmp/pam.d/deep"
session "kate: a skeleton 20 deep" deep kate
is "  ... the home made all the same" "directory 1011:1011 700" "$H/kate"
[ -d "$H/kate/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16" ] &&
	[ ! -e "$H/kate/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18" ] &&
	pass "  ... copied down to the limit, not below" ||
	failed "  ... copied down to the limit, not below" "$(find "$H/kate" -type d | wc -l) directories"
log_has "  ... logged" "authpriv.err pam_hostiam(deep:session): mkhomedir user=kate home=$H/kate: the skeleton was not copied whole: the skeleton is deeper than 16"
is "  ... the set-uid bit not copied" "regular file 1011:1011 755" "$H/kate/tool"

# --- without the option, nothing is made ------------------------------------------------
echo "session required $module config=$tmp/hostiam.conf" >"$tmp/pam.d/plain"
rm -rf "$H/bob"
session "bob without mkhomedir: the session opens" plain bob
[ -e "$H/bob" ] && failed "  ... no home made" "" || pass "  ... no home made"
exit $fail
