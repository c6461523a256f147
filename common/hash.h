/* SPDX-License-Identifier: BSD-2-Clause */
/* Hashes shared by the cache writer and reader: both sides must agree bit for bit. */
#ifndef HOSTIAM_HASH_H
#define HOSTIAM_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* One step of the checks below: xor, odd multiply and xorshift are each invertible. */
static inline uint64_t hostiam_check_word(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	return h;
}

/* The state of a check of a record of kind seed, number index (not cryptographic). */
static inline uint64_t hostiam_check_start(uint64_t seed, uint64_t index)
{
	return hostiam_check_word(0x6a09e667f3bcc908ull ^ seed, index);
}

/*
 * Absorb len bytes into a check state: the length first, so that ranges laid end to end
 * stay distinct. A change confined to one 8-byte word always changes the state.
 */
static inline uint64_t hostiam_check_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t w = 0;

	h = hostiam_check_word(h, len);
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8); /* records and strings need not be 8-aligned */
		h = hostiam_check_word(h, w);
	}
	if (!len)
		return h;
	for (w = 0; len; len--)
		w = (w << 8) | p[len - 1];
	return hostiam_check_word(h, w);
}

/* Absorb a NUL-terminated string (its length bounds it; the caller knows it ends). */
static inline uint64_t hostiam_check_str(uint64_t h, const char *s)
{
	return hostiam_check_bytes(h, s, strlen(s));
}

/*
 * Check of string s as item i of a set whose item checks the caller adds up: each item's
 * chain is independent of the others, so the CPU hashes several at once. A change to one
 * word of one item always changes the sum.
 */
static inline uint64_t hostiam_check_item(uint64_t i, const char *s)
{
	return hostiam_check_str(hostiam_check_start(0x6974656dull, i), s);
}

/*
 * Integrity checksum (not cryptographic): every step is a bijection of the state, so any
 * change confined to one 8-byte word always changes the result.
 */
uint64_t hostiam_checksum(const void *data, size_t len);

/*
 * The same checksum over bytes given in pieces, in order: start with the total length, add
 * each piece, end. A piece whose length is not a multiple of 8 counts as followed by zero
 * bytes up to the next multiple (the padding of 8-aligned sections): the next piece starts
 * a new word.
 */
uint64_t hostiam_checksum_start(size_t total_len);
uint64_t hostiam_checksum_add(uint64_t h, const void *data, size_t len);
uint64_t hostiam_checksum_end(uint64_t h);

#endif
