#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Build hostiam's packages from this tree, outside it.
# Usage: scripts/build-packages.sh [deb|rpm|all]   (default: all)
#   deb: copies packaging/debian to debian/ in a temp copy of the tree and runs
#        dpkg-buildpackage -us -uc -b there, then lintian on the result.
#   rpm: ./autogen.sh, configure and make dist in a temp build dir, then rpmbuild -ta on
#        the tarball (it holds packaging/rpm/hostiam.spec). On a host whose rpm lacks
#        systemd-rpm-macros (Debian) with --nodeps and packaging/rpm/macros.foreign-host:
#        such RPMs link Debian's libraries and serve to check the spec; build the RPMs
#        you install on their target distribution.
# Environment:
#   HOSTIAM_PKG_OUT=DIR     where the packages go (default: <top>/build-packages)
#   HOSTIAM_PKG_NOCHECK=1   skip the test suite inside the package builds (CI already ran it)
# Prints the paths of the built packages, one per line, at the end.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
case $what in deb|rpm|all) ;; *) echo "usage: $0 [deb|rpm|all]" >&2; exit 2 ;; esac
out=${HOSTIAM_PKG_OUT:-$top/build-packages}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/hostiam-pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
jobs=$(nproc 2>/dev/null || echo 1)

# A clean copy of the tree: what git tracks plus uncommitted edits, no build output.
copy_tree() {
	mkdir -p "$1"
	if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$top" && git ls-files -z --cached --others --exclude-standard |
			xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
			tar --null -T - -cf -) | (cd "$1" && tar -xf -)
	else
		(cd "$top" && tar --exclude=./build\* --exclude=./.git -cf - .) | (cd "$1" && tar -xf -)
	fi
}

build_deb() {
	for c in dpkg-buildpackage dh lintian; do
		command -v $c >/dev/null || { echo "$c missing: scripts/deps.sh installs it" >&2; exit 1; }
	done
	src=$work/deb/hostiam-0.1.0
	copy_tree "$src"
	rm -rf "$src/debian"
	cp -a "$top/packaging/debian" "$src/debian"
	opts=${DEB_BUILD_OPTIONS:-}
	[ -z "$HOSTIAM_PKG_NOCHECK" ] || opts="$opts nocheck"
	profiles=
	[ -z "$HOSTIAM_PKG_NOCHECK" ] || profiles=-Pnocheck
	(cd "$src" && DEB_BUILD_OPTIONS="$opts parallel=$jobs" dpkg-buildpackage -us -uc -b $profiles)
	rm -f "$out"/*.deb "$out"/hostiam_*.changes "$out"/hostiam_*.buildinfo
	cp "$work"/deb/*.deb "$work"/deb/*.changes "$work"/deb/*.buildinfo "$out/"
	# Errors fail the build; warnings are shown.
	lintian --fail-on error "$out"/hostiam_*.changes
}

build_rpm() {
	command -v rpmbuild >/dev/null || { echo "rpmbuild missing: scripts/deps.sh installs rpm" >&2; exit 1; }
	src=$work/rpm/src
	copy_tree "$src"
	(cd "$src" && ./autogen.sh >/dev/null 2>&1 || autoreconf -fi)
	mkdir -p "$work/rpm/build"
	(cd "$work/rpm/build" && "$src/configure" >/dev/null && make -j"$jobs" dist-gzip >/dev/null)
	rt=$work/rpm/top
	mkdir -p "$rt"
	check=
	[ -z "$HOSTIAM_PKG_NOCHECK" ] || check="--without check"
	# Not an RPM distribution: no BuildRequires to resolve, and the systemd macros from
	# our own file (the spec refuses to build without them).
	foreign=
	[ -n "$(rpm --eval '%{?systemd_post:1}')" ] ||
		foreign="--nodeps --load=$top/packaging/rpm/macros.foreign-host"
	rpmbuild -ta $foreign --define "_topdir $rt" --define "_smp_mflags -j$jobs" $check \
		"$work"/rpm/build/hostiam-*.tar.gz
	rm -f "$out"/*.rpm
	find "$rt/RPMS" "$rt/SRPMS" -name '*.rpm' -exec cp {} "$out/" \;
}

case $what in
deb) build_deb ;;
rpm) build_rpm ;;
all) build_deb; build_rpm ;;
esac
echo "Packages in $out:"
ls -1 "$out"/*.deb "$out"/*.rpm 2>/dev/null || true
