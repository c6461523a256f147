#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Check the built RPMs without installing them: rpmlint on the spec and the packages (with
# packaging/rpm/hostiam.rpmlintrc), the scriptlets read back with rpm -qp --scripts, and
# hostiam-nss's nsswitch scriptlets run with sh against fixtures: a plain nsswitch.conf,
# an authselect-style symlink, and a plain file while authselect reports a profile.
# Needs rpm, rpmbuild and rpmlint (exit 77, "skipped", otherwise); root is not needed.
# Usage: packaging/test-rpm-scripts.sh [DIR]   (DIR holds the .rpm files; default build-packages/)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build-packages}
dir=$(cd "$dir" && pwd) || { echo "FAIL: no directory $1"; exit 1; }
for c in rpm rpmbuild rpmlint; do
	command -v $c >/dev/null || { echo "SKIP: $c missing (scripts/deps.sh installs it)"; exit 77; }
done
main=$(ls "$dir"/hostiam-[0-9]*.rpm 2>/dev/null | grep -v '\.src\.rpm$' | head -n 1)
nss=$(ls "$dir"/hostiam-nss-[0-9]*.rpm 2>/dev/null | head -n 1)
pam=$(ls "$dir"/hostiam-pam-[0-9]*.rpm 2>/dev/null | head -n 1)
for p in "$main" "$nss" "$pam"; do
	[ -n "$p" ] || { echo "FAIL: hostiam, hostiam-nss and hostiam-pam .rpm expected in $dir"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-rpmtest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
rc=0 bad=0
fail() { echo "FAIL: $*"; rc=1 bad=1; }
# Close a group of checks: "ok" when none of them failed since the last group.
ok() {
	[ $bad -eq 0 ] && echo "ok: $*" || echo "not ok: $*"
	bad=0
}

# --- rpmlint: clean apart from the tags hostiam.rpmlintrc argues away ---
# On a host whose rpm lacks systemd-rpm-macros (Debian) the spec only parses with the
# macros scripts/build-packages.sh loads there; rpm reads them from $HOME/.rpmmacros.
lint_home=$HOME
if [ -z "$(rpm --eval '%{?systemd_post:1}')" ]; then
	lint_home=$tmp/home
	mkdir -p "$lint_home"
	cp "$top/packaging/rpm/macros.foreign-host" "$lint_home/.rpmmacros"
fi
HOME=$lint_home rpmlint -r "$top/packaging/rpm/hostiam.rpmlintrc" \
	"$top/packaging/rpm/hostiam.spec" "$dir"/hostiam*.rpm >"$tmp/rpmlint.out" 2>&1
lint=$?
# rpmlint exits 0 on warnings: they fail this test too.
if [ $lint -ne 0 ] || grep -q ': [EW]: ' "$tmp/rpmlint.out"; then
	cat "$tmp/rpmlint.out"
	fail "rpmlint reports errors or warnings (above)"
fi
ok "rpmlint: spec and packages clean"

# --- rpm -qp --scripts, reviewed ---
rpm -qp --scripts "$main" >"$tmp/main.scripts" 2>/dev/null
rpm -qp --scripts "$nss" >"$tmp/nss.scripts" 2>/dev/null
rpm -qp --scripts "$pam" >"$tmp/pam.scripts" 2>/dev/null
# One scriptlet of a package (TAG: POSTIN, PREUN, POSTUN) into FILE.
scriptlet() {
	rpm -qp --queryformat "%{$2}" "$1" >"$3" 2>/dev/null
	[ "$(cat "$3")" != "(none)" ] || : >"$3"
}
# Assert that the scriptlet TAG of PKG matches every extended regex that follows.
expect_in() {
	pkg=$1 tag=$2
	shift 2
	scriptlet "$pkg" "$tag" "$tmp/one"
	for re; do
		grep -Eq -- "$re" "$tmp/one" || fail "${pkg##*/} $tag lacks /$re/"
	done
}
# systemd-rpm-macros (recent systemd: systemd-update-helper) or the same steps spelled
# out with systemctl (older systemd, and packaging/rpm/macros.foreign-host).
expect_in "$main" POSTIN 'hostiam-sync\.service' '\$1.* -eq 1' \
	'(install-system-units|systemctl .*preset)'
expect_in "$main" PREUN 'hostiam-sync\.service' '\$1.* -eq 0' \
	'(remove-system-units|systemctl .*disable)'
expect_in "$main" POSTUN 'hostiam-sync\.service' '\$1.* -ge 1' \
	'(mark-restart-system-units|systemctl .*try-restart)'
ok "hostiam: the systemd scriptlets (preset on install, disable on erase, restart on upgrade)"
for f in main nss pam; do
	# An unexpanded macro would be run as a command at install time.
	if grep -Eq '%(\{|systemd_|ldconfig)' "$tmp/$f.scripts"; then
		fail "$f: unexpanded rpm macro in the scriptlets"
	fi
done
# Nothing is copied, moved or linked over nsswitch.conf (sed -i edits a plain file in
# place), and hostiam-pam only reads /etc/pam.d.
if grep -Eq '(^|[;&|])[[:blank:]]*(ln|cp|mv|install)[[:blank:]]' "$tmp/nss.scripts"; then
	fail "hostiam-nss: its scriptlets run ln, cp, mv or install"
fi
if grep -Eq '(^|[;&|])[[:blank:]]*(ln|cp|mv|rm|install|sed|pam-auth-update|authselect)[[:blank:]]' \
	"$tmp/pam.scripts" || grep -q 'pam\.d' "$tmp/main.scripts"; then
	fail "a scriptlet may change /etc/pam.d"
fi
for tag in POSTIN POSTUN; do
	scriptlet "$nss" $tag "$tmp/nss.$tag"
	# The edit comes after the symlink test, in the same scriptlet.
	awk '/\[ -L "\$nsswitch" \]/ { l = NR } /sed -i/ { s = NR }
		END { exit !(l && s && l < s) }' "$tmp/nss.$tag" ||
		fail "hostiam-nss $tag: no symlink test before the edit"
	sh -n "$tmp/nss.$tag" || fail "hostiam-nss $tag: shell syntax"
done
ok "scriptlets reviewed"

# --- hostiam-nss's scriptlets run against fixtures ---
# The scriptlets name /etc/nsswitch.conf on one line, "nsswitch=/etc/nsswitch.conf"; the
# test substitutes that line. They deliberately honour no environment variable: one
# inherited by rpm from an admin's shell would redirect a root edit to any file.
root=$tmp/root
mkdir -p "$root/etc/authselect" "$tmp/bin"
# Copy scriptlet FILE to OUT with its one line VAR=PATH made VAR=NEWPATH. Stops the test
# unless there is exactly one such line and PATH appears nowhere else: a scriptlet that
# could still reach this machine's own files is never run.
redirect() { # FILE VAR PATH NEWPATH OUT
	n=$(grep -c "^$2=$3\$" "$1")
	sed "s|^$2=$3\$|$2=$4|" "$1" >"$5"
	if [ "$n" -ne 1 ] || grep -v "^$2=$4\$" "$5" | grep -q "$3"; then
		fail "${1##*/}: not one $2=$3 line; not run"
		echo "FAIL: see above"
		exit 1
	fi
}
for tag in POSTIN POSTUN; do
	redirect "$tmp/nss.$tag" nsswitch /etc/nsswitch.conf "$root/etc/nsswitch.conf" \
		"$tmp/run.$tag"
done
# A stand-in authselect, first on PATH: "current" succeeds only when told a profile is on.
cat >"$tmp/bin/authselect" <<EOF
#!/bin/sh
[ "\$1" = current ] && [ -e "$tmp/authselect-on" ] && { echo "Profile ID: sssd"; exit 0; }
echo "No existing configuration detected." >&2
exit 2
EOF
chmod +x "$tmp/bin/authselect"
# Run hostiam-nss's TAG scriptlet with rpm's argument ARG; its output goes to $tmp/said.
run() {
	PATH="$tmp/bin:$PATH" sh "$tmp/run.$1" "$2" >"$tmp/said" 2>&1 ||
		fail "hostiam-nss $1 $2 exited non-zero"
}
# Fail unless etc holds only authselect/ and nsswitch.conf (no temporary or backup files).
no_litter() {
	[ "$(ls "$root/etc" | tr '\n' ' ')" = "authselect nsswitch.conf " ] ||
		fail "$1: files left in etc: $(ls "$root/etc" | tr '\n' ' ')"
}
cat >"$tmp/orig" <<'EOF'
# passwd: files   (a comment, left alone)
passwd:         files systemd
group:          files systemd   # hostiam is added before this comment
shadow:         files
gshadow:        files
hosts:          files dns
initgroups:	files
netgroup:       nis
EOF
cat >"$tmp/added" <<'EOF'
# passwd: files   (a comment, left alone)
passwd:         files systemd hostiam
group:          files systemd hostiam   # hostiam is added before this comment
shadow:         files
gshadow:        files
hosts:          files dns
initgroups:	files hostiam
netgroup:       nis
EOF
ns=$root/etc/nsswitch.conf
cp "$tmp/orig" "$ns"
chmod 0644 "$ns"
run POSTIN 1
cmp -s "$ns" "$tmp/added" || { diff -u "$tmp/added" "$ns"; fail "first install: hostiam not added as expected"; }
[ "$(stat -c %a "$ns")" = 644 ] || fail "first install: mode of nsswitch.conf changed"
run POSTIN 1
cmp -s "$ns" "$tmp/added" || fail "first install run twice: hostiam added twice"
run POSTUN 1
cmp -s "$ns" "$tmp/added" || fail "upgrade (postun 1) changed nsswitch.conf"
run POSTUN 0
cmp -s "$ns" "$tmp/orig" || { diff -u "$tmp/orig" "$ns"; fail "erase: nsswitch.conf not as before"; }
no_litter "plain file"
ok "plain file: added once on install, kept on upgrade, removed on erase"
# The admin took hostiam out again; an upgrade (or a second architecture) leaves it out.
cp "$tmp/orig" "$ns"
run POSTIN 2
cmp -s "$ns" "$tmp/orig" || fail "upgrade (post 2) added hostiam back"
ok "plain file: an upgrade does not add hostiam back"

# authselect's layout: /etc/nsswitch.conf a symlink to /etc/authselect/nsswitch.conf.
rm -f "$ns"
cp "$tmp/orig" "$root/etc/authselect/nsswitch.conf"
ln -s authselect/nsswitch.conf "$ns"
for step in "POSTIN 1" "POSTUN 0"; do
	run $step
	[ -L "$ns" ] && [ "$(readlink "$ns")" = authselect/nsswitch.conf ] ||
		fail "symlink, $step: nsswitch.conf is no longer the same symlink"
	cmp -s "$root/etc/authselect/nsswitch.conf" "$tmp/orig" ||
		fail "symlink, $step: the symlink's target was edited"
	grep -q authselect "$tmp/said" || fail "symlink, $step: no word to the admin about authselect"
	no_litter "symlink, $step"
done
ok "authselect symlink: left a symlink, target untouched, admin told"

# A plain file while authselect reports a profile: left alone too.
rm -f "$ns"
cp "$tmp/orig" "$ns"
: >"$tmp/authselect-on"
for step in "POSTIN 1" "POSTUN 0"; do
	run $step
	cmp -s "$ns" "$tmp/orig" || fail "authselect in use, $step: nsswitch.conf edited"
	grep -q authselect "$tmp/said" || fail "authselect in use, $step: admin not told"
done
rm -f "$tmp/authselect-on"
ok "authselect in use: plain file left alone, admin told"

# --- hostiam-pam's preun: no erase while a PAM file still loads the module ---
scriptlet "$pam" PREUN "$tmp/pam.PREUN"
redirect "$tmp/pam.PREUN" pamdir /etc/pam.d "$root/pam.d" "$tmp/run.PAMPREUN"
mkdir -p "$root/pam.d" "$root/authselect-out"
printf 'auth include system-auth\n#account required pam_hostiam.so\n' >"$root/pam.d/sudo"
# Exit status of hostiam-pam's preun with rpm's argument ARG; its output in $tmp/said.
pam_preun() {
	sh "$tmp/run.PAMPREUN" "$1" >"$tmp/said" 2>&1
}
pam_preun 0 || fail "pam preun: erase refused with only a commented-out line: $(cat "$tmp/said")"
printf 'account required pam_hostiam.so\n' >"$root/authselect-out/system-auth"
ln -s ../authselect-out/system-auth "$root/pam.d/system-auth"
if pam_preun 0; then
	fail "pam preun: erase allowed while system-auth (a symlink) loads pam_hostiam.so"
fi
grep -q 'system-auth:1:account required pam_hostiam.so' "$tmp/said" ||
	fail "pam preun: the refusal does not name the file and line: $(cat "$tmp/said")"
pam_preun 1 || fail "pam preun: an upgrade was refused"
ok "hostiam-pam: erase refused while a PAM file loads the module (file and line named)"

[ $rc -eq 0 ] && echo "PASS: RPM spec, scriptlets and rpmlint" || echo "FAIL: see above"
exit $rc
