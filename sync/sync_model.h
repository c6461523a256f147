/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The entries of a sync session keyed by entryUUID: a hash table of the entries
 * themselves, which carry their UUID and seen flag (dir_entries.h), 16 bytes a slot at
 * most half full; no node of its own per entry. Walks go in entryUUID order (bytes
 * compared after the length), as the tree's before them did.
 */
#ifndef HOSTIAM_SYNC_MODEL_H
#define HOSTIAM_SYNC_MODEL_H

#include <lber.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dir_entries.h"

struct sync_model {
	struct dir_entry **slot; /* open addressing, linear probing, at most half full */
	size_t mask;             /* slots - 1, when slot is set */
	size_t n;                /* entries */
};

/* The entry with uuid, or NULL. */
struct dir_entry *sync_model_find(const struct sync_model *m, const struct berval *uuid);

/*
 * Put e (its UUID is its key) in m: *old gets the entry of the same UUID it replaces
 * (the caller's now), or NULL. Returns 0, or HOSTIAM_ERR_NOMEM with m unchanged.
 */
int sync_model_put(struct sync_model *m, struct dir_entry *e, struct dir_entry **old);

/* Take the entry with uuid out of m: it (the caller's now), or NULL when there is none. */
struct dir_entry *sync_model_take(struct sync_model *m, const struct berval *uuid);

/*
 * Every entry in entryUUID order in *out (malloc'd, m->n of them); 0 or
 * HOSTIAM_ERR_NOMEM. Valid until m changes.
 */
int sync_model_sorted(const struct sync_model *m, struct dir_entry ***out);

/* Free every entry (dir_entry_free) and the table. */
void sync_model_clear(struct sync_model *m);

#endif
