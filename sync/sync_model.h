/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The entries of a sync session keyed by entryUUID: a hash table of small nodes, each one
 * allocation (entry pointer, flag, the UUID's bytes), about 60 bytes an entry with the
 * table, against 96 for a tsearch tree of nodes with a separate UUID copy. Walks go in
 * entryUUID order (bytes compared after the length), as the tree's did.
 */
#ifndef HOSTIAM_SYNC_MODEL_H
#define HOSTIAM_SYNC_MODEL_H

#include <lber.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dir_entries.h"

struct sync_model_node {
	struct dir_entry *e; /* owned by the caller's rules (sync_session.c) */
	uint32_t len;        /* of uuid */
	bool seen;           /* named by the server during this refresh */
	char uuid[];
};

struct sync_model {
	struct sync_model_node **slot; /* open addressing, linear probing, at most half full */
	size_t mask;                   /* slots - 1, when slot is set */
	size_t n;                      /* nodes */
};

/* The node of uuid, or NULL. */
struct sync_model_node *sync_model_find(const struct sync_model *m, const struct berval *uuid);

/*
 * The node of uuid, made (with e NULL and seen false) when there is none; NULL when out
 * of memory.
 */
struct sync_model_node *sync_model_add(struct sync_model *m, const struct berval *uuid);

/* Take node n (a node of m) out of m and free it; its entry is the caller's. */
void sync_model_remove(struct sync_model *m, struct sync_model_node *n);

/* The uuid of node n, pointing into it. */
struct berval sync_model_uuid(const struct sync_model_node *n);

/*
 * Every node in entryUUID order in *out (malloc'd, m->n of them); 0 or HOSTIAM_ERR_NOMEM.
 * Valid until m changes.
 */
int sync_model_sorted(const struct sync_model *m, struct sync_model_node ***out);

/* Free every node and its entry (dir_entry_free) and the table. */
void sync_model_clear(struct sync_model *m);

#endif
