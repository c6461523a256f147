/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <string.h>

#include "hash.h"

/* One mixing step: xor, odd multiply and xorshift are each invertible. */
static inline uint64_t mix(uint64_t h, uint64_t w)
{
	return hostiam_check_word(h, w);
}

uint64_t hostiam_checksum_start(size_t total_len)
{
	return 0x6a09e667f3bcc908ull ^ total_len;
}

uint64_t hostiam_checksum_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8); /* the caller's buffer need not be aligned */
		h = mix(h, w);
	}
	if (len) {
		w = 0;
		memcpy(&w, p, len);
		h = mix(h, w);
	}
	return h;
}

uint64_t hostiam_checksum_end(uint64_t h)
{
	return mix(h, 0);
}

uint64_t hostiam_checksum(const void *data, size_t len)
{
	return hostiam_checksum_end(hostiam_checksum_add(hostiam_checksum_start(len), data, len));
}
