/* SPDX-License-Identifier: BSD-2-Clause */
/* The table of interned strings (see dir_intern.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_hash.h"
#include "dir_intern.h"
#include "errors.h"

#define CHUNK (256u << 10) /* bytes per arena chunk */
#define KEY_MAX 256        /* longer values are stored, not looked up (none are names) */

/* The index: open addressing, linear probing, at most half full; 8 bytes a slot. */
struct slot {
	uint32_t id1;  /* the string's number + 1; 0: empty */
	uint32_t hash; /* dir_hash_bytes of it: most probes decide without reading it */
};

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

/* True if the interned string id is the len bytes at s. */
static int holds(uint32_t id, const char *s, size_t len)
{
	const char *t = strs[id];

	/* strncmp stops at the end of t, which may be shorter than len. */
	return strncmp(t, s, len) == 0 && t[len] == '\0';
}

/* The slot of the len bytes at s (hash h): the one holding them, or the empty one. */
static struct slot *find(const char *s, size_t len, uint32_t h)
{
	size_t i = h & mask;

	while (table[i].id1 && (table[i].hash != h || !holds(table[i].id1 - 1, s, len)))
		i = (i + 1) & mask;
	return &table[i];
}

/* Double the table (or make the first); the stored hashes place every string again. */
static int grow(void)
{
	size_t i, j, size = table ? 2 * (mask + 1) : 1024;
	struct slot *t = calloc(size, sizeof(*t));

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

int dir_intern_id(const char *s, size_t len, uint32_t *id)
{
	const char *p;
	struct slot *at = NULL;
	uint32_t h = 0;

	if ((!table || 2 * (n_strs + 1) > mask + 1) && grow() < 0)
		return HOSTIAM_ERR_NOMEM;
	if (len < KEY_MAX) {
		h = dir_hash_bytes(s, len);
		at = find(s, len, h);
		if (at->id1) {
			*id = at->id1 - 1;
			return 0;
		}
	}
	if (store(s, len, &p) < 0)
		return HOSTIAM_ERR_NOMEM;
	*id = (uint32_t)(n_strs - 1);
	if (at) {
		at->id1 = *id + 1;
		at->hash = h;
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
