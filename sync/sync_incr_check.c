/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * When a batch of changes can be published alone (see sync_incremental.h), and the state
 * that decides it, taken at every full publish.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "hash.h"
#include "parse_num.h"
#include "sync_incremental.h"

#define ID_MAX 4294967294UL
#define DN_SEED 0x646e7265ull /* "dnre" */

uint64_t incr_dn_hash(const char *ndn)
{
	return hostiam_check_str(hostiam_check_start(DN_SEED, 0), ndn);
}

void sync_incr_before_full(struct sync_incr *st)
{
	dir_local_signature(&st->pending);
}

void sync_incr_reset(struct sync_incr *st)
{
	free(st->dn_refs);
	memset(st, 0, sizeof(*st));
}

/* Order 64-bit values. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The member DNs of every group, hashed, appended to a growing array. */
struct dn_collect {
	uint64_t *v;
	size_t n, cap;
};

/* sync_session_each_any callback: collect the hashes of e's member DNs. */
static int collect_dns(const struct berval *uuid, const struct dir_entry *e, void *ctx)
{
	struct dn_collect *c = ctx;

	const struct dir_strv *dns = dir_member_dns(e);

	if (c->n + dns->n > c->cap) {
		size_t cap = (c->cap + dns->n) * 2 + 64;
		uint64_t *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return HOSTIAM_ERR_NOMEM;
		c->v = v;
		c->cap = cap;
	}
	for (size_t i = 0; i < dns->n; i++)
		c->v[c->n++] = incr_dn_hash(dns->v[i]);
	return 0;
}

int sync_incr_after_full(struct sync_incr *st, const struct sync_session *s)
{
	struct dn_collect c = { 0 };
	struct dir_local_sig sig = st->pending;
	int r = sync_session_each_any(&s[1], collect_dns, &c);

	sync_incr_reset(st);
	if (r < 0) {
		free(c.v);
		return r;
	}
	if (c.n > 0)
		qsort(c.v, c.n, sizeof(*c.v), cmp_u64);
	st->dn_refs = c.v;
	st->n_dn_refs = c.n;
	st->local = sig;
	st->base_records = s[0].n + s[1].n;
	st->ready = true;
	return 0;
}

int incr_changes(struct sync_session *s, struct incr_change **out, size_t *n)
{
	struct incr_change *v = calloc(s->journal.n + 1, sizeof(*v));

	if (!v)
		return HOSTIAM_ERR_NOMEM;
	for (size_t i = 0; i < s->journal.n; i++) {
		v[i].uuid = &s->journal.v[i].uuid;
		v[i].old = s->journal.v[i].old;
		/* The model owns it; the resolver may mark it as logged, nothing more. */
		v[i].now = (struct dir_entry *)sync_session_find(s, v[i].uuid);
	}
	*out = v;
	*n = s->journal.n;
	return 0;
}

/* True if the DN hash h is a member DN of some group. */
static bool referenced(const struct sync_incr *st, const struct dir_entry *e)
{
	uint64_t h;

	if (!e || !dir_text(e, DIR_NDN) || st->n_dn_refs == 0) /* dn_refs is NULL then */
		return false;
	h = incr_dn_hash(dir_text(e, DIR_NDN));
	return bsearch(&h, st->dn_refs, st->n_dn_refs, sizeof(h), cmp_u64) != NULL;
}

/* The names and ids of changed entries, old and new, with how many entries hold each. */
struct keys {
	const char **names;
	uint32_t *ids;
	size_t n_names, n_ids;
	unsigned *name_hits, *id_hits;
	struct incr_change *ch; /* the changes: their entries may hold the keys */
	size_t n_ch;
};

/* The id of e (uidNumber or gidNumber), if it parses. */
static bool entry_id(const struct dir_entry *e, uint32_t *id)
{
	unsigned long v;

	if (!dir_text(e, DIR_ID) || hostiam_parse_ulong(dir_text(e, DIR_ID), 0, ID_MAX, &v) < 0)
		return false;
	*id = (uint32_t)v;
	return true;
}

/* Order names. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Order 32-bit ids. */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Add the name and id of e (may be NULL) to k. */
static void add_keys(struct keys *k, const struct dir_entry *e)
{
	uint32_t id;

	if (!e)
		return;
	if (dir_text(e, DIR_NAME))
		k->names[k->n_names++] = dir_text(e, DIR_NAME);
	if (entry_id(e, &id))
		k->ids[k->n_ids++] = id;
}

/* True if uuid is one of the changed entries. */
static bool changed(const struct keys *k, const struct berval *uuid)
{
	for (size_t i = 0; i < k->n_ch; i++)
		if (k->ch[i].uuid->bv_len == uuid->bv_len &&
		    memcmp(k->ch[i].uuid->bv_val, uuid->bv_val, uuid->bv_len) == 0)
			return true;
	return false;
}

/* sync_session_each_any callback: count the holders of each key; stop at an unchanged one. */
static int count_holders(const struct berval *uuid, const struct dir_entry *e, void *ctx)
{
	struct keys *k = ctx;
	const char **name = NULL;
	uint32_t id, *idp = NULL;

	if (dir_text(e, DIR_NAME))
		name = bsearch(&(const char *){ dir_text(e, DIR_NAME) }, k->names, k->n_names,
			       sizeof(*k->names), cmp_str);
	if (entry_id(e, &id))
		idp = bsearch(&id, k->ids, k->n_ids, sizeof(*k->ids), cmp_u32);
	if (!name && !idp)
		return 0;
	if (!changed(k, uuid))
		return 1;
	if (name)
		k->name_hits[name - k->names]++;
	if (idp)
		k->id_hits[idp - k->ids]++;
	return 0;
}

/* Sort and deduplicate the keys. */
static void sort_keys(struct keys *k)
{
	size_t i, j;

	qsort(k->names, k->n_names, sizeof(*k->names), cmp_str);
	for (i = j = 0; i < k->n_names; i++)
		if (j == 0 || strcmp(k->names[j - 1], k->names[i]) != 0)
			k->names[j++] = k->names[i];
	k->n_names = j;
	qsort(k->ids, k->n_ids, sizeof(*k->ids), cmp_u32);
	for (i = j = 0; i < k->n_ids; i++)
		if (j == 0 || k->ids[j - 1] != k->ids[i])
			k->ids[j++] = k->ids[i];
	k->n_ids = j;
}

/*
 * 1 if no entry but the changed ones holds a name or id the changes have or had, and none
 * is held twice; 0 if not; HOSTIAM_ERR_NOMEM.
 */
static int keys_unique(const struct sync_session *s, struct incr_change *ch, size_t n)
{
	struct keys k = { .ch = ch, .n_ch = n };
	int r = HOSTIAM_ERR_NOMEM;
	size_t i;

	k.names = calloc(2 * n + 1, sizeof(*k.names));
	k.ids = calloc(2 * n + 1, sizeof(*k.ids));
	k.name_hits = calloc(2 * n + 1, sizeof(*k.name_hits));
	k.id_hits = calloc(2 * n + 1, sizeof(*k.id_hits));
	if (k.names && k.ids && k.name_hits && k.id_hits) {
		for (i = 0; i < n; i++) {
			add_keys(&k, ch[i].old);
			add_keys(&k, ch[i].now);
		}
		sort_keys(&k);
		r = sync_session_each_any(s, count_holders, &k) == 0;
		for (i = 0; r == 1 && i < k.n_names; i++)
			r = k.name_hits[i] <= 1;
		for (i = 0; r == 1 && i < k.n_ids; i++)
			r = k.id_hits[i] <= 1;
	}
	free(k.names);
	free(k.ids);
	free(k.name_hits);
	free(k.id_hits);
	return r;
}

/* True if no change involves a DN that groups refer to, or a group with member DNs. */
static bool dns_clear(const struct sync_incr *st, struct incr_change *const ch[2],
		      const size_t n[2])
{
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < n[k]; i++) {
			const struct dir_entry *o = ch[k][i].old, *e = ch[k][i].now;

			if (referenced(st, o) || referenced(st, e))
				return false;
			if (k == 1 && ((o && dir_member_dns(o)->n) || (e && dir_member_dns(e)->n)))
				return false;
		}
	return true;
}

int incr_eligible(const struct sync_incr *st, const struct sync_session *s,
		  struct incr_change *const ch[2], const size_t n[2], const char **why)
{
	struct dir_local_sig now;
	int r;

	dir_local_signature(&now);
	if (memcmp(&now, &st->local, sizeof(now)) != 0) {
		*why = "the local accounts changed";
		return 0;
	}
	if (!dns_clear(st, ch, n)) {
		*why = "a member DN is involved";
		return 0;
	}
	for (int k = 0; k < 2; k++) {
		if (n[k] == 0)
			continue;
		if ((r = keys_unique(&s[k], ch[k], n[k])) <= 0) {
			*why = "another entry shares a name or an id";
			return r;
		}
	}
	return 1;
}
