/* SPDX-License-Identifier: BSD-2-Clause */
/* The model's hash table of entries by entryUUID (see sync_model.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_hash.h"
#include "errors.h"
#include "sync_model.h"

/* The hash of e's UUID. */
static size_t hash_of(const struct dir_entry *e)
{
	struct berval u = dir_entry_uuid(e);

	return dir_hash_bytes(u.bv_val, u.bv_len);
}

/* True if e has the uuid of len bytes at p. */
static bool same(const struct dir_entry *e, const char *p, size_t len)
{
	return e->uuid_len == len && memcmp(dir_entry_body(e), p, len) == 0;
}

/* The slot of uuid: the one holding it or the empty one where it would go (m has slots). */
static size_t find_slot(const struct sync_model *m, const char *p, size_t len)
{
	size_t i = dir_hash_bytes(p, len) & m->mask;

	while (m->slot[i] && !same(m->slot[i], p, len))
		i = (i + 1) & m->mask;
	return i;
}

struct dir_entry *sync_model_find(const struct sync_model *m, const struct berval *uuid)
{
	if (!m->slot)
		return NULL;
	return m->slot[find_slot(m, uuid->bv_val, uuid->bv_len)];
}

/* Double the table (or make the first one), placing every entry again. */
static int grow(struct sync_model *m)
{
	size_t i, j, size = m->slot ? 2 * (m->mask + 1) : 256;
	struct dir_entry **t = calloc(size, sizeof(*t));

	if (!t)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; m->slot && i <= m->mask; i++) {
		if (!m->slot[i])
			continue;
		for (j = hash_of(m->slot[i]) & (size - 1); t[j]; j = (j + 1) & (size - 1))
			;
		t[j] = m->slot[i];
	}
	free(m->slot);
	m->slot = t;
	m->mask = size - 1;
	return 0;
}

int sync_model_put(struct sync_model *m, struct dir_entry *e, struct dir_entry **old)
{
	struct berval u = dir_entry_uuid(e);
	size_t i;

	if ((!m->slot || 2 * (m->n + 1) > m->mask + 1) && grow(m) < 0)
		return HOSTIAM_ERR_NOMEM;
	i = find_slot(m, u.bv_val, u.bv_len);
	*old = m->slot[i];
	if (!*old)
		m->n++;
	m->slot[i] = e;
	return 0;
}

struct dir_entry *sync_model_take(struct sync_model *m, const struct berval *uuid)
{
	struct dir_entry *e;
	size_t i, j, home;

	if (!m->slot || !(e = m->slot[i = find_slot(m, uuid->bv_val, uuid->bv_len)]))
		return NULL;
	/* Backward shift: move up each later entry of the run that may sit in the hole. */
	for (j = (i + 1) & m->mask; m->slot[j]; j = (j + 1) & m->mask) {
		home = hash_of(m->slot[j]) & m->mask;
		/* The entry at j stays if its home lies cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		m->slot[i] = m->slot[j];
		i = j;
	}
	m->slot[i] = NULL;
	m->n--;
	return e;
}

/* Order entries by uuid length, then bytes (the tree's order). */
static int cmp_entry(const void *a, const void *b)
{
	const struct dir_entry *x = *(struct dir_entry *const *)a,
			       *y = *(struct dir_entry *const *)b;

	if (x->uuid_len != y->uuid_len)
		return x->uuid_len < y->uuid_len ? -1 : 1;
	return memcmp(dir_entry_body(x), dir_entry_body(y), x->uuid_len);
}

int sync_model_sorted(const struct sync_model *m, struct dir_entry ***out)
{
	struct dir_entry **v = malloc((m->n + 1) * sizeof(*v));
	size_t i, k = 0;

	if (!v)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; m->slot && i <= m->mask; i++)
		if (m->slot[i])
			v[k++] = m->slot[i];
	if (k > 1)
		qsort(v, k, sizeof(*v), cmp_entry);
	*out = v;
	return 0;
}

void sync_model_clear(struct sync_model *m)
{
	size_t i;

	for (i = 0; m->slot && i <= m->mask; i++)
		dir_entry_free(m->slot[i]);
	free(m->slot);
	memset(m, 0, sizeof(*m));
}
