/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for the cache reader: any byte string attached as a cache must be refused
 * or walked without a read outside it (ASan checks). With libFuzzer it is
 * tests/fuzz/fuzz-cache-libfuzzer of a `CC=clang configure --enable-fuzzing` build
 * (scripts/fuzz.sh). make check links it with replay.c instead, which replays
 * tests/fuzz/corpus/cache/.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache_format.h"
#include "cache_testutil.h"
#include "hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostiam_cache *c = NULL;
	/* A copy of exactly size bytes, 8-aligned as a mapping would be; ASan bounds it. */
	void *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	/*
	 * The header checksum would stop nearly every mutation at the door; for inputs whose
	 * last byte is odd, make it right so the section and record checks get fuzzed too.
	 */
	if (size >= sizeof(struct hc_header) && (data[size - 1] & 1)) {
		struct hc_header *h = copy;

		h->header_checksum = hostiam_checksum(h,
						      offsetof(struct hc_header, header_checksum));
	}
	if (hostiam_cache_attach(copy, size, &c) == 0) {
		cache_walk(c);
		hostiam_cache_close(c);
	}
	free(copy);
	return 0;
}
