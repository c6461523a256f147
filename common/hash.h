/* Hashes shared by the cache writer and reader: both sides must agree bit for bit. */
#ifndef HOSTIAM_HASH_H
#define HOSTIAM_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Hash of a NUL-terminated name (FNV-1a with a final avalanche); never used for secrets. */
static inline uint32_t hostiam_hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	/* FNV's low bits are weak; the table index uses the low bits. */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

/* Hash of a numeric id (murmur3's finaliser): spreads consecutive ids over the table. */
static inline uint32_t hostiam_hash_id(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

/*
 * Integrity checksum (not cryptographic): every step is a bijection of the state, so any
 * change confined to one 8-byte word always changes the result.
 */
uint64_t hostiam_checksum(const void *data, size_t len);

#endif
