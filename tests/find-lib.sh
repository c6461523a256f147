# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the test scripts: find_lib NAME prints the first NAME found in the usual
# library directories (multiarch first), or nothing.
find_lib() {
	multiarch=$(${CC:-cc} -print-multiarch 2>/dev/null || true)
	for dir in "/usr/lib/$multiarch" /usr/lib64 /usr/lib /usr/local/lib; do
		if [ -f "$dir/$1" ]; then echo "$dir/$1"; return; fi
	done
}
