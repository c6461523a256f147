/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for the delta reader: any byte string attached as the delta of a fixed base
 * (the fixture of cache_testutil.h, generation 1) must be refused or walked, base and
 * delta together, without a read outside either (ASan checks). With libFuzzer it is
 * tests/fuzz/fuzz-cache-delta-libfuzzer of a `CC=clang configure --enable-fuzzing` build;
 * make check links it with replay.c, which replays tests/fuzz/corpus/cache-delta/
 * (seeds from tests/fuzz/make_delta_seeds.c).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache_internal.h"
#include "cache_testutil.h"
#include "hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The base every input is a delta of, built once. */
static void *base_image(size_t *len)
{
	static void *image;
	static size_t image_len;

	if (!image &&
	    hostiam_cache_build(fixture_users, FIXTURE_N_USERS, fixture_groups, FIXTURE_N_GROUPS, 1,
				1, &image, &image_len) < 0)
		abort();
	*len = image_len;
	return image;
}

/*
 * The checksums would stop nearly every mutation at the door: for inputs whose last byte
 * is odd, make the delta's (and, when it lies inside, the embedded image's header) right,
 * so that the masks and the records get fuzzed too.
 */
static void fix_checksums(uint8_t *d, size_t size)
{
	struct hc_delta_header *h = (struct hc_delta_header *)d;
	const struct hc_section_ref *img = &h->image;

	if (size < sizeof(*h) || !(d[size - 1] & 1))
		return;
	if (img->offset >= sizeof(*h) && img->offset <= size && img->offset % HC_ALIGN == 0) {
		h->body_checksum = hostiam_checksum(d + sizeof(*h), img->offset - sizeof(*h));
		if (img->size >= sizeof(struct hc_header) && img->size <= size - img->offset) {
			struct hc_header *ih = (struct hc_header *)(d + img->offset);

			ih->header_checksum = hostiam_checksum(
				ih, offsetof(struct hc_header, header_checksum));
		}
	}
	h->header_checksum = hostiam_checksum(h, offsetof(struct hc_delta_header, header_checksum));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostiam_cache *c = NULL;
	size_t base_len;
	void *base = base_image(&base_len);
	/* A copy of exactly size bytes, 8-aligned as a mapping would be; ASan bounds it. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	fix_checksums(copy, size);
	if (hostiam_cache_attach(base, base_len, &c) == 0) {
		if (hc_delta_attach(c, copy, size) == 0)
			cache_walk(c);
		hostiam_cache_close(c);
	}
	free(copy);
	return 0;
}
