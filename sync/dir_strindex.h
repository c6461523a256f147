/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A fixed-size hash index from C strings to numbers, for resolving member names and DNs
 * in one probe each instead of a binary search of strcmp calls. The strings stay the
 * caller's and must outlive the index.
 */
#ifndef HOSTIAM_DIR_STRINDEX_H
#define HOSTIAM_DIR_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

struct dir_strindex_slot {
	const char *key; /* NULL: empty */
	uint32_t hash, value;
	uint64_t head; /* the key's first 8 bytes (NUL-padded): most compare without key */
};

struct dir_strindex {
	struct dir_strindex_slot *slot;
	size_t mask, n;
};

/* An empty index sized for about expect keys (it grows). Returns 0 or HOSTIAM_ERR_NOMEM. */
int dir_strindex_init(struct dir_strindex *x, size_t expect);

/*
 * Map key to value unless key is there already. Returns the value key maps to afterwards
 * (the old one if it was there), or HOSTIAM_ERR_NOMEM.
 */
long dir_strindex_add(struct dir_strindex *x, const char *key, uint32_t value);

/* Replace every value v by map[v] (map covers all values in the index). */
void dir_strindex_remap(struct dir_strindex *x, const uint32_t *map);

/* The value of key, or -1. */
long dir_strindex_get(const struct dir_strindex *x, const char *key);

/* The index's own copy of key (the pointer it was added with), or NULL. */
const char *dir_strindex_key(const struct dir_strindex *x, const char *key);

void dir_strindex_free(struct dir_strindex *x);

#endif
