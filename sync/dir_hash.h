/* SPDX-License-Identifier: BSD-2-Clause */
/* The hash of the agent's own tables (interned names, the model by entryUUID). */
#ifndef HOSTIAM_DIR_HASH_H
#define HOSTIAM_DIR_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a over the len bytes at p with a final avalanche; never used for secrets. */
static inline uint32_t dir_hash_bytes(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ s[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

#endif
