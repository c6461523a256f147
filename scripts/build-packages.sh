#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Build hostiam's packages from this tree, outside it.
# Usage: scripts/build-packages.sh [deb|rpm|all]   (default: all)
#   deb: makes the release tarball (make dist) of a temp copy of the tree, unpacks it as
#        the orig tarball hostiam_VERSION.orig.tar.gz, adds packaging/debian as debian/ and
#        runs dpkg-buildpackage -us -uc there (source package and binaries), then lintian.
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
	for c in dpkg-buildpackage dpkg-parsechangelog dh lintian; do
		command -v $c >/dev/null || { echo "$c missing: scripts/deps.sh installs it" >&2; exit 1; }
	done
	# The upstream part of the changelog's version (0.1.0-1 -> 0.1.0) names the tarballs.
	ver=$(dpkg-parsechangelog -l "$top/packaging/debian/changelog" -S Version)
	ver=${ver%-*}
	copy_tree "$work/deb-tree"
	(cd "$work/deb-tree" && { ./autogen.sh >/dev/null 2>&1 || autoreconf -fi; })
	mkdir -p "$work/deb-dist" "$work/deb"
	(cd "$work/deb-dist" && "$work/deb-tree/configure" >/dev/null && make -j"$jobs" dist-gzip >/dev/null)
	[ -f "$work/deb-dist/hostiam-$ver.tar.gz" ] ||
		{ echo "make dist made no hostiam-$ver.tar.gz (debian/changelog says $ver)" >&2; exit 1; }
	cp "$work/deb-dist/hostiam-$ver.tar.gz" "$work/deb/hostiam_$ver.orig.tar.gz"
	(cd "$work/deb" && tar -xzf "hostiam_$ver.orig.tar.gz")
	src=$work/deb/hostiam-$ver
	cp -a "$top/packaging/debian" "$src/debian"
	# One blank-separated word per option: dh warns about the empty words of "  nocheck".
	opts=$(echo ${DEB_BUILD_OPTIONS:-} ${HOSTIAM_PKG_NOCHECK:+nocheck})
	profiles=${HOSTIAM_PKG_NOCHECK:+-Pnocheck}
	(cd "$src" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -us -uc -j"$jobs" $profiles)
	rm -f "$out"/*.deb "$out"/hostiam_*.changes "$out"/hostiam_*.buildinfo "$out"/hostiam_*.dsc \
		"$out"/hostiam_*.orig.tar.gz "$out"/hostiam_*.debian.tar.*
	cp "$work"/deb/*.deb "$work"/deb/*.changes "$work"/deb/*.buildinfo "$work"/deb/*.dsc \
		"$work"/deb/*.orig.tar.gz "$work"/deb/*.debian.tar.* "$out/"
	# Errors fail the build; warnings, informational and pedantic tags are shown.
	lintian -I -E --pedantic --fail-on error "$out"/hostiam_*.changes
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
