/* SPDX-License-Identifier: BSD-2-Clause */
/* The change journal of a sync session (see sync_journal.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sync_journal.h"

/* The item for uuid, or NULL (a linear scan: the journal holds a few hundred at most). */
static struct sync_journal_item *find(struct sync_journal *j, const struct berval *uuid)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->v[i].uuid.bv_len == uuid->bv_len &&
		    memcmp(j->v[i].uuid.bv_val, uuid->bv_val, uuid->bv_len) == 0)
			return &j->v[i];
	return NULL;
}

/* Give up recording until the next clear: the caller publishes in full. */
static void overflow(struct sync_journal *j)
{
	sync_journal_clear(j);
	j->overflow = true;
}

/* Append an item for uuid with old; false when out of room or memory. */
static bool append(struct sync_journal *j, const struct berval *uuid, struct dir_entry *old)
{
	struct sync_journal_item *it;
	char *copy;

	if (j->n == SYNC_JOURNAL_MAX)
		return false;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;

		if (!(it = realloc(j->v, cap * sizeof(*it))))
			return false;
		j->v = it;
		j->cap = cap;
	}
	if (!(copy = malloc(uuid->bv_len ? uuid->bv_len : 1)))
		return false;
	if (uuid->bv_len > 0)
		memcpy(copy, uuid->bv_val, uuid->bv_len);
	it = &j->v[j->n++];
	it->uuid.bv_val = copy;
	it->uuid.bv_len = uuid->bv_len;
	it->old = old;
	return true;
}

void sync_journal_note(struct sync_journal *j, const struct berval *uuid, struct dir_entry *old)
{
	if (!j->on || j->overflow || find(j, uuid)) {
		/* Off, given up, or the state before the first change is kept already. */
		dir_entry_free(old);
		return;
	}
	if (!append(j, uuid, old)) {
		dir_entry_free(old);
		overflow(j);
	}
}

void sync_journal_clear(struct sync_journal *j)
{
	for (size_t i = 0; i < j->n; i++) {
		free(j->v[i].uuid.bv_val);
		dir_entry_free(j->v[i].old);
	}
	free(j->v);
	j->v = NULL;
	j->n = j->cap = 0;
	j->overflow = false;
}
