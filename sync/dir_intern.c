/* SPDX-License-Identifier: BSD-2-Clause */
/* The table of interned strings (see dir_intern.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_hash.h"
#include "dir_intern.h"
#include "errors.h"
#include "zalloc.h"

#define CHUNK (256u << 10) /* bytes per arena chunk */
#define KEY_MAX 256        /* longer values are stored, not looked up (none are names) */

/*
 * The index: open addressing, linear probing, at most 7/8 full (the agent keeps it for life:
 * 2 MB for 100,000 names, probes within a cache line or two); 16 bytes a slot. A slot
 * holds the string's first 8 bytes: a name of up to 7 bytes (most memberUid values) is
 * found in one memory access, without reading the string itself.
 */
struct slot {
	uint32_t id1;  /* the string's number + 1; 0: empty */
	uint32_t hash; /* of the string (key_of): most probes decide without reading it */
	uint64_t head; /* its first 8 bytes, zero-padded (key_of) */
};

/* What a slot holds of the len bytes at s (no NUL among them). */
struct key {
	uint64_t head;
	uint32_t hash;
};

/* The head and hash of the len bytes at s; short strings hash their head, a single word. */
static struct key key_of(const char *s, size_t len)
{
	struct key k = { 0, 0 };
	uint64_t x;

	if (len >= 8) {
		memcpy(&k.head, s, 8);
		k.hash = dir_hash_bytes(s, len);
		return k;
	}
	/* In a register: a short copy to memory read back as one word stalls the load. The
	   top byte stays zero, so no head of 8 bytes or more is ever equal to it. */
	for (size_t i = 0; i < len; i++)
		k.head |= (uint64_t)(unsigned char)s[i] << (8 * i);
	/* Every byte of the head must reach the low bits, which pick the slot. */
	x = k.head * 0x9e3779b97f4a7c15ull;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	k.hash = (uint32_t)(x ^ (x >> 32));
	return k;
}

static struct slot *table;
static size_t mask;       /* table size - 1 */
static const char **strs; /* by number */
static size_t n_strs, cap_strs;
static char *chunk; /* the current chunk's free space */
static size_t chunk_left;

/* len + 1 bytes of arena space, or NULL. Chunks are never freed. */
static char *arena(size_t len)
{
	if (chunk_left < len + 1) {
		size_t size = len + 1 > CHUNK ? len + 1 : CHUNK;

		if (!(chunk = malloc(size)))
			return NULL;
		chunk_left = size;
	}
	chunk_left -= len + 1;
	chunk += len + 1;
	return chunk - (len + 1);
}

/* A copy of the len bytes at s in the arena, NUL-terminated, with the next number. */
static int store(const char *s, size_t len, const char **out)
{
	char *p;

	if (n_strs == cap_strs) {
		size_t cap = cap_strs ? cap_strs * 2 : 1024;
		const char **v = cap < UINT32_MAX ? realloc(strs, cap * sizeof(*v)) : NULL;

		if (!v)
			return HOSTIAM_ERR_NOMEM;
		strs = v;
		cap_strs = cap;
	}
	if (!(p = arena(len)))
		return HOSTIAM_ERR_NOMEM;
	memcpy(p, s, len);
	p[len] = '\0';
	strs[n_strs++] = p;
	*out = p;
	return 0;
}

/*
 * True if slot t holds the len bytes at s (key k). Strings have no NUL: a head with a zero
 * byte is a whole string of up to 7 bytes, and one without is never equal to it.
 */
static int holds(const struct slot *t, const char *s, size_t len, struct key k)
{
	const char *str;

	if (t->hash != k.hash || t->head != k.head)
		return 0;
	if (len < 8)
		return 1;
	str = strs[t->id1 - 1];
	/* strncmp stops at the end of str, which may be shorter than len. */
	return strncmp(str, s, len) == 0 && str[len] == '\0';
}

/* The slot of the len bytes at s (key k): the one holding them, or the empty one. */
static struct slot *find(const char *s, size_t len, struct key k)
{
	size_t i = k.hash & mask;

	while (table[i].id1 && !holds(&table[i], s, len, k))
		i = (i + 1) & mask;
	return &table[i];
}

/* Double the table (or make the first); the stored hashes place every string again. */
static int grow(void)
{
	size_t i, j, size = table ? 2 * (mask + 1) : 1024;
	struct slot *t = hostiam_zalloc(size, sizeof(*t));

	if (!t)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; table && i <= mask; i++) {
		if (!table[i].id1)
			continue;
		for (j = table[i].hash & (size - 1); t[j].id1; j = (j + 1) & (size - 1))
			;
		t[j] = table[i];
	}
	free(table);
	table = t;
	mask = size - 1;
	return 0;
}

/* Room in the table for n more strings at most 7/8 full. */
static int reserve(size_t n)
{
	while (!table || 8 * (n_strs + n) > 7 * (mask + 1))
		if (grow() < 0)
			return HOSTIAM_ERR_NOMEM;
	return 0;
}

/* The number of the len bytes at s (key k) in *id, added if new; the table has room. */
static int lookup(const char *s, size_t len, struct key k, uint32_t *id)
{
	struct slot *at = len < KEY_MAX ? find(s, len, k) : NULL;
	const char *p;

	if (at && at->id1) {
		*id = at->id1 - 1;
		return 0;
	}
	if (store(s, len, &p) < 0)
		return HOSTIAM_ERR_NOMEM;
	*id = (uint32_t)(n_strs - 1);
	if (at)
		*at = (struct slot){ *id + 1, k.hash, k.head };
	return 0;
}

int dir_intern_id(const char *s, size_t len, uint32_t *id)
{
	struct dir_intern_key in = { s, len };

	return dir_intern_ids(&in, 1, id);
}

/*
 * A lookup is one cache miss in a table of megabytes: the slots of a batch are fetched
 * all at once ahead of the lookups, which then wait for the first alone.
 */
#define BATCH 32

int dir_intern_ids(const struct dir_intern_key *in, size_t n, uint32_t *ids)
{
	struct key k[BATCH];
	size_t i, j, m;

	for (i = 0; i < n; i += m) {
		m = n - i < BATCH ? n - i : BATCH;
		/* No growth inside a batch: the slots fetched stay the ones looked at. */
		if (reserve(m) < 0)
			return HOSTIAM_ERR_NOMEM;
		for (j = 0; j < m; j++) {
			k[j] = in[i + j].len < KEY_MAX ? key_of(in[i + j].s, in[i + j].len) :
							 (struct key){ 0, 0 };
			__builtin_prefetch(&table[k[j].hash & mask]);
		}
		for (j = 0; j < m; j++)
			if (lookup(in[i + j].s, in[i + j].len, k[j], &ids[i + j]) < 0)
				return HOSTIAM_ERR_NOMEM;
	}
	return 0;
}

const char *dir_intern_str(uint32_t id)
{
	return strs[id];
}

size_t dir_intern_count(void)
{
	return n_strs;
}
