#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Every source file of the distributed tree carries the project's SPDX line near its top, and
# the licence it names is the one in LICENSE, debian/copyright and the spec.
set -eu
s=${srcdir:-.}
line='SPDX-License-Identifier: BSD-2-Clause'
# config.h is configure's output: an in-tree build (the RPM and Debian package builds) has it.
missing=$(find "$s" \( -name '.git' -o -name 'build*' -o -name autom4te.cache -o -name config.h \) \
	-prune -o \
	-type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' -o -name '*.am' \
	-o -name '*.map' -o -name '*.[58]' -o -name '*.spec' -o -name configure.ac \) -print |
	while read -r f; do head -n 3 "$f" | grep -q "$line" || echo "$f"; done)
[ -z "$missing" ] || { echo "no SPDX line in:"; echo "$missing"; exit 1; }
grep -q '^BSD 2-Clause License' "$s/LICENSE" || { echo "LICENSE is not BSD-2-Clause"; exit 1; }
# packaging/ is in the git tree; the tarball holds only the spec (for rpmbuild -ta).
if [ -f "$s/packaging/debian/copyright" ]; then
	grep -q '^License: BSD-2-Clause$' "$s/packaging/debian/copyright" ||
		{ echo "debian/copyright does not say BSD-2-Clause"; exit 1; }
fi
if [ -f "$s/packaging/rpm/hostiam.spec" ]; then
	grep -Eq '^License:[[:space:]]+BSD-2-Clause$' "$s/packaging/rpm/hostiam.spec" ||
		{ echo "the spec does not say BSD-2-Clause"; exit 1; }
fi
echo "SPDX lines and licence fields agree"
