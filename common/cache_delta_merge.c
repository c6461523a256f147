/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Merging a change set into the current delta (cache_delta_format.h): the old delta's
 * records not replaced nor dropped, the changes' records, and the masks of every base
 * record with a name or id the change sets or drops. The base is only probed, never copied.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache_build.h"
#include "errors.h"

/* Append x to v. */
static int push(struct hc_u32vec *v, uint32_t x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		uint32_t *p = realloc(v->v, cap * sizeof(*p));

		if (!p)
			return HOSTIAM_ERR_NOMEM;
		v->v = p;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	return 0;
}

/* qsort order of uint32_t. */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort v and drop repeats: a mask is a set. */
static void sort_unique(struct hc_u32vec *v)
{
	size_t n = 0;

	if (v->n)
		qsort(v->v, v->n, sizeof(uint32_t), cmp_u32);
	for (size_t i = 0; i < v->n; i++)
		if (n == 0 || v->v[i] != v->v[n - 1])
			v->v[n++] = v->v[i];
	v->n = n;
}

/* Record lookups by one key, as record numbers: 0, HOSTIAM_ERR_NOT_FOUND or an error. */
typedef int (*find_fn)(const struct hc_image *img, const void *key, uint32_t *index);

/* find_fn by user name, uid, group name, gid and member name: */
static int find_user_name(const struct hc_image *img, const void *key, uint32_t *index)
{
	struct hostiam_user_view v;
	int r = hc_image_user_by_name(img, key, &v);

	*index = v.index;
	return r;
}

static int find_user_uid(const struct hc_image *img, const void *key, uint32_t *index)
{
	struct hostiam_user_view v;
	int r = hc_image_user_by_uid(img, *(const uint32_t *)key, &v);

	*index = v.index;
	return r;
}

static int find_group_name(const struct hc_image *img, const void *key, uint32_t *index)
{
	struct hostiam_group_view v;
	int r = hc_image_group_by_name(img, key, &v);

	*index = v.index;
	return r;
}

static int find_group_gid(const struct hc_image *img, const void *key, uint32_t *index)
{
	struct hostiam_group_view v;
	int r = hc_image_group_by_gid(img, *(const uint32_t *)key, &v);

	*index = v.index;
	return r;
}

static int find_member(const struct hc_image *img, const void *key, uint32_t *index)
{
	const uint32_t *gids;
	uint32_t n;

	return hc_image_member_by_name(img, key, index, &gids, &n);
}

/* The record of kind k with this key leaves the old delta and is masked in the base. */
static int drop(struct hc_merge *m, enum hc_mask k, find_fn find, const void *key)
{
	uint32_t i = 0;
	int r;

	if (m->old && (r = find(m->old, key, &i)) != HOSTIAM_ERR_NOT_FOUND) {
		if (r < 0)
			return r;
		m->gone[k][i] = true;
	}
	if ((r = find(&m->cur->base, key, &i)) == HOSTIAM_ERR_NOT_FOUND)
		return 0;
	return r < 0 ? r : push(&m->masks[k], i);
}

/* Apply the drops, then the replacements, to the old delta and the masks (cumulative). */
static int apply(struct hc_merge *m, const struct hostiam_cache_changes *ch)
{
	const struct hc_delta *d = m->cur->delta;
	int r = 0;

	for (int k = 0; d && k < HC_N_MASKS; k++)
		for (uint32_t j = 0; j < d->n_masks[k] && r == 0; j++)
			r = push(&m->masks[k], d->masks[k][j]);

	for (size_t i = 0; i < ch->n_drop_user_names && r == 0; i++)
		r = drop(m, HC_MASK_USERS, find_user_name, ch->drop_user_names[i]);
	for (size_t i = 0; i < ch->n_drop_uids && r == 0; i++)
		r = drop(m, HC_MASK_USERS, find_user_uid, &ch->drop_uids[i]);
	for (size_t i = 0; i < ch->n_drop_group_names && r == 0; i++)
		r = drop(m, HC_MASK_GROUPS, find_group_name, ch->drop_group_names[i]);
	for (size_t i = 0; i < ch->n_drop_gids && r == 0; i++)
		r = drop(m, HC_MASK_GROUPS, find_group_gid, &ch->drop_gids[i]);
	for (size_t i = 0; i < ch->n_users && r == 0; i++)
		if ((r = drop(m, HC_MASK_USERS, find_user_name, ch->users[i].name)) == 0)
			r = drop(m, HC_MASK_USERS, find_user_uid, &ch->users[i].uid);
	for (size_t i = 0; i < ch->n_groups && r == 0; i++)
		if ((r = drop(m, HC_MASK_GROUPS, find_group_name, ch->groups[i].name)) == 0)
			r = drop(m, HC_MASK_GROUPS, find_group_gid, &ch->groups[i].gid);
	for (size_t i = 0; i < ch->n_members && r == 0; i++)
		r = drop(m, HC_MASK_MEMBERS, find_member, ch->members[i].name);
	return r;
}

/* Room for the result: the old delta's records plus the changes', and their strings. */
static int alloc_result(struct hc_merge *m, const struct hostiam_cache_changes *ch)
{
	const struct hc_header *h = m->old ? m->old->hdr : NULL;
	size_t nu = h ? h->n_users : 0, ng = h ? h->n_groups : 0, nm = h ? h->n_members : 0;
	size_t ns = m->old ? m->old->n_refs : 0;

	for (int k = 0; k < HC_N_MASKS; k++) {
		size_t n[HC_N_MASKS] = { nu, ng, nm };

		if (!(m->gone[k] = calloc(n[k] + 1, sizeof(bool))))
			return HOSTIAM_ERR_NOMEM;
	}
	m->users = calloc(nu + ch->n_users + 1, sizeof(*m->users));
	m->groups = calloc(ng + ch->n_groups + 1, sizeof(*m->groups));
	m->members = calloc(nm + ch->n_members + 1, sizeof(*m->members));
	m->strs = calloc(ns + 1, sizeof(*m->strs));
	return m->users && m->groups && m->members && m->strs ? 0 : HOSTIAM_ERR_NOMEM;
}

/* The old delta's users still current, then the changes' (keys into m->strs at *s). */
static int keep_users(struct hc_merge *m, const struct hostiam_cache_changes *ch, size_t *s)
{
	struct hostiam_user_view v;
	int r;

	for (uint32_t i = 0; m->old && i < m->old->hdr->n_users; i++) {
		if (m->gone[HC_MASK_USERS][i])
			continue;
		if ((r = hc_image_user_at(m->old, i, &v)) < 0)
			return r;
		m->users[m->n_users++] = (struct hostiam_cache_user_in){
			v.name, v.uid, v.gid, v.gecos, v.home, v.shell, m->strs + *s, v.n_keys
		};
		for (uint32_t k = 0; k < v.n_keys; k++)
			if ((r = hc_image_user_key(m->old, i, k, &m->strs[(*s)++])) < 0)
				return r;
	}
	for (size_t i = 0; i < ch->n_users; i++)
		m->users[m->n_users++] = ch->users[i];
	return 0;
}

/* The old delta's groups still current, then the changes' (members into m->strs at *s). */
static int keep_groups(struct hc_merge *m, const struct hostiam_cache_changes *ch, size_t *s)
{
	struct hostiam_group_view v;
	int r;

	for (uint32_t i = 0; m->old && i < m->old->hdr->n_groups; i++) {
		if (m->gone[HC_MASK_GROUPS][i])
			continue;
		if ((r = hc_image_group_at(m->old, i, &v)) < 0)
			return r;
		m->groups[m->n_groups++] = (struct hostiam_cache_group_in){
			.name = v.name,
			.gid = v.gid,
			.members = m->strs + *s,
			.n_members = v.n_members
		};
		for (uint32_t k = 0; k < v.n_members; k++)
			if ((r = hc_image_group_member(m->old, i, k, &m->strs[(*s)++])) < 0)
				return r;
	}
	for (size_t i = 0; i < ch->n_groups; i++)
		m->groups[m->n_groups++] = ch->groups[i];
	return 0;
}

/* The old delta's member entries still current, then the changes' that are in a group. */
static int keep_members(struct hc_merge *m, const struct hostiam_cache_changes *ch)
{
	struct hostiam_cache_member_in *out;
	const uint32_t *gids;
	uint32_t n;
	int r;

	for (uint32_t i = 0; m->old && i < m->old->hdr->n_members; i++) {
		if (m->gone[HC_MASK_MEMBERS][i])
			continue;
		out = &m->members[m->n_members++];
		if ((r = hc_image_member_at(m->old, i, &out->name, &gids, &n)) < 0)
			return r;
		out->gids = gids;
		out->n_gids = n;
	}
	for (size_t i = 0; i < ch->n_members; i++)
		if (ch->members[i].n_gids)
			m->members[m->n_members++] = ch->members[i];
	return 0;
}

int hc_merge_changes(struct hc_merge *m, const struct hostiam_cache_changes *ch)
{
	size_t s = 0;
	int r;

	if ((r = alloc_result(m, ch)) < 0 || (r = apply(m, ch)) < 0 ||
	    (r = keep_users(m, ch, &s)) < 0 || (r = keep_groups(m, ch, &s)) < 0 ||
	    (r = keep_members(m, ch)) < 0)
		return r;
	for (int k = 0; k < HC_N_MASKS; k++)
		sort_unique(&m->masks[k]);
	return 0;
}

void hc_merge_free(struct hc_merge *m)
{
	for (int k = 0; k < HC_N_MASKS; k++) {
		free(m->gone[k]);
		free(m->masks[k].v);
	}
	free(m->users);
	free(m->groups);
	free(m->members);
	free(m->strs);
}
