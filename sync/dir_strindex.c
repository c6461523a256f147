/* SPDX-License-Identifier: BSD-2-Clause */
/* Open addressing with linear probing, kept at most half full: short probes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_strindex.h"
#include "errors.h"
#include "hash.h"
#include "zalloc.h"

/* The table for 2^k >= 2 * n slots (at least 16). */
static int alloc_slots(struct dir_strindex *x, size_t n)
{
	size_t size = 16;

	while (size < 2 * n)
		size *= 2;
	x->slot = hostiam_zalloc(size, sizeof(*x->slot));
	x->mask = size - 1;
	return x->slot ? 0 : HOSTIAM_ERR_NOMEM;
}

int dir_strindex_init(struct dir_strindex *x, size_t expect)
{
	x->n = 0;
	return alloc_slots(x, expect);
}

/*
 * The first 8 bytes of s, NUL-padded. Names are mostly shorter: comparing heads then
 * decides without reading the stored key, a cache miss per probe at 100,000 users.
 */
static uint64_t head_of(const char *s)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < 8 && s[i]; i++)
		h |= (uint64_t)(unsigned char)s[i] << (8 * i);
	return h;
}

/* True if the slot holds key, whose hash is h and head hd. */
static int holds(const struct dir_strindex_slot *s, const char *key, uint32_t h, uint64_t hd)
{
	if (s->hash != h || s->head != hd)
		return 0;
	/* Equal heads without a NUL in them: the rest decides. */
	return (hd >> 56) == 0 || strcmp(s->key + 8, key + 8) == 0;
}

/* The slot of key, or the empty slot where it would go. */
static struct dir_strindex_slot *find(const struct dir_strindex *x, const char *key, uint32_t h,
				      uint64_t hd)
{
	size_t i = h & x->mask;

	while (x->slot[i].key && !holds(&x->slot[i], key, h, hd))
		i = (i + 1) & x->mask;
	return &x->slot[i];
}

/* Double the table; the stored hashes place every key again without rehashing it. */
static int grow(struct dir_strindex *x)
{
	struct dir_strindex old = *x;
	size_t i, j;

	if (alloc_slots(x, 2 * (old.mask + 1)) < 0) {
		*x = old;
		return HOSTIAM_ERR_NOMEM;
	}
	for (i = 0; i <= old.mask; i++) {
		if (!old.slot[i].key)
			continue;
		for (j = old.slot[i].hash & x->mask; x->slot[j].key; j = (j + 1) & x->mask)
			;
		x->slot[j] = old.slot[i];
	}
	free(old.slot);
	return 0;
}

long dir_strindex_add(struct dir_strindex *x, const char *key, uint32_t value)
{
	uint32_t h = hostiam_hash_name(key);
	uint64_t hd = head_of(key);
	struct dir_strindex_slot *s = find(x, key, h, hd);

	if (s->key)
		return s->value;
	if (2 * (x->n + 1) > x->mask + 1) {
		if (grow(x) < 0)
			return HOSTIAM_ERR_NOMEM;
		s = find(x, key, h, hd);
	}
	s->key = key;
	s->hash = h;
	s->head = hd;
	s->value = value;
	x->n++;
	return value;
}

long dir_strindex_get(const struct dir_strindex *x, const char *key)
{
	const struct dir_strindex_slot *s = find(x, key, hostiam_hash_name(key), head_of(key));

	return s->key ? (long)s->value : -1;
}

const char *dir_strindex_key(const struct dir_strindex *x, const char *key)
{
	return find(x, key, hostiam_hash_name(key), head_of(key))->key;
}

void dir_strindex_remap(struct dir_strindex *x, const uint32_t *map)
{
	size_t i;

	for (i = 0; i <= x->mask; i++)
		if (x->slot[i].key)
			x->slot[i].value = map[x->slot[i].value];
}

void dir_strindex_free(struct dir_strindex *x)
{
	free(x->slot);
	memset(x, 0, sizeof(*x));
}
