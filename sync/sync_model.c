/* SPDX-License-Identifier: BSD-2-Clause */
/* The model's hash table of entries by entryUUID (see sync_model.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_hash.h"
#include "errors.h"
#include "sync_model.h"

/* True if node n has the uuid of len bytes at p. */
static bool same(const struct sync_model_node *n, const char *p, size_t len)
{
	return n->len == len && memcmp(n->uuid, p, len) == 0;
}

/* The slot of uuid: the one holding it or the empty one where it would go (m has slots). */
static size_t find_slot(const struct sync_model *m, const char *p, size_t len)
{
	size_t i = dir_hash_bytes(p, len) & m->mask;

	while (m->slot[i] && !same(m->slot[i], p, len))
		i = (i + 1) & m->mask;
	return i;
}

struct sync_model_node *sync_model_find(const struct sync_model *m, const struct berval *uuid)
{
	if (!m->slot)
		return NULL;
	return m->slot[find_slot(m, uuid->bv_val, uuid->bv_len)];
}

/* Double the table (or make the first one), placing every node again. */
static int grow(struct sync_model *m)
{
	size_t i, j, size = m->slot ? 2 * (m->mask + 1) : 256;
	struct sync_model_node **t = calloc(size, sizeof(*t));

	if (!t)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; m->slot && i <= m->mask; i++) {
		struct sync_model_node *n = m->slot[i];

		if (!n)
			continue;
		for (j = dir_hash_bytes(n->uuid, n->len) & (size - 1); t[j];
		     j = (j + 1) & (size - 1))
			;
		t[j] = n;
	}
	free(m->slot);
	m->slot = t;
	m->mask = size - 1;
	return 0;
}

struct sync_model_node *sync_model_add(struct sync_model *m, const struct berval *uuid)
{
	struct sync_model_node *n;
	size_t i;

	if ((!m->slot || 2 * (m->n + 1) > m->mask + 1) && grow(m) < 0)
		return NULL;
	i = find_slot(m, uuid->bv_val, uuid->bv_len);
	if (m->slot[i])
		return m->slot[i];
	if (uuid->bv_len > UINT32_MAX || !(n = calloc(1, sizeof(*n) + uuid->bv_len)))
		return NULL;
	n->len = (uint32_t)uuid->bv_len;
	if (uuid->bv_len > 0)
		memcpy(n->uuid, uuid->bv_val, uuid->bv_len);
	m->slot[i] = n;
	m->n++;
	return n;
}

void sync_model_remove(struct sync_model *m, struct sync_model_node *n)
{
	size_t i = find_slot(m, n->uuid, n->len), j, home;

	if (m->slot[i] != n)
		return;
	/* Backward shift: move up each later node of the run that may sit in the hole. */
	for (j = (i + 1) & m->mask; m->slot[j]; j = (j + 1) & m->mask) {
		home = dir_hash_bytes(m->slot[j]->uuid, m->slot[j]->len) & m->mask;
		/* The node at j stays if its home lies cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		m->slot[i] = m->slot[j];
		i = j;
	}
	m->slot[i] = NULL;
	m->n--;
	free(n);
}

struct berval sync_model_uuid(const struct sync_model_node *n)
{
	struct berval b = { n->len, (char *)n->uuid };

	return b;
}

/* Order nodes by uuid length, then bytes (the tree's order). */
static int cmp_node(const void *a, const void *b)
{
	const struct sync_model_node *x = *(struct sync_model_node *const *)a,
				     *y = *(struct sync_model_node *const *)b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->uuid, y->uuid, x->len);
}

int sync_model_sorted(const struct sync_model *m, struct sync_model_node ***out)
{
	struct sync_model_node **v = malloc((m->n + 1) * sizeof(*v));
	size_t i, k = 0;

	if (!v)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; m->slot && i <= m->mask; i++)
		if (m->slot[i])
			v[k++] = m->slot[i];
	if (k > 1)
		qsort(v, k, sizeof(*v), cmp_node);
	*out = v;
	return 0;
}

void sync_model_clear(struct sync_model *m)
{
	size_t i;

	for (i = 0; m->slot && i <= m->mask; i++) {
		if (m->slot[i]) {
			dir_entry_free(m->slot[i]->e);
			free(m->slot[i]);
		}
	}
	free(m->slot);
	memset(m, 0, sizeof(*m));
}
