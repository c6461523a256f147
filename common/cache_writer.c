/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writer of the directory cache: builds the sections of cache_format.h, then publishes
 * them atomically as one file (cache_image.c lays them out). Strings are interned once
 * (3 million memberships name a few thousand users), records are sorted by id so equal
 * input gives an equal file.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cache_build.h"
#include "cache_format.h"
#include "cache_writer.h"
#include "errors.h"
#include "hash.h"
#include "names.h"
#include "thread.h"
#include "zalloc.h"

/* Records and counts beyond this would overflow the 32-bit fields of the format. */
#define MAX_ITEMS (UINT32_MAX / 8)

struct pool_slot {
	uint32_t hash, ref;
};

/* Interned strings: id -> pool offset and hash; an open-addressing table finds the id. */
struct pool {
	char *buf;
	size_t len, cap;
	uint32_t *offs, *hashes;
	uint32_t n_ids, cap_ids;
	struct pool_slot *slots; /* ref = id + 1, 0 when empty */
	uint32_t mask;
	struct memo *memo;   /* input pointer -> id, direct-mapped */
	unsigned memo_shift; /* 64 - log2(memo slots) */
};

/*
 * The resolver hands the same name pointer for a user and for each of its memberships:
 * remembering pointers spares millions of hash-and-compare probes (and their cache
 * misses). The input is const for the whole build, so a pointer always means one string.
 */
struct memo {
	const char *ptr;
	uint32_t id;
};

/* The file being assembled, section by section. */
struct build {
	struct pool pool;
	const struct hostiam_cache_user_in *uin;
	const struct hostiam_cache_group_in *gin;
	const struct hostiam_cache_member_in *min; /* explicit member index, or NULL */
	uint32_t n_users, n_groups, n_members, n_refs, n_gids, n_min;
	uint32_t n_keys;                    /* the users' keys: refs[0..n_keys) */
	uint32_t *min_sid;                  /* string ids of the explicit member names */
	uint32_t *user_order, *group_order; /* input index, sorted by id */
	struct hc_user *users;
	struct hc_group *groups;
	uint32_t *refs;
	struct hc_member *members;
	uint32_t *member_of; /* string id -> member number + 1 */
	uint32_t *gids;
	struct hc_slot *tables[5];
	uint32_t table_size[5];
};

/* Smallest power of two >= 2n (load factor <= 1/2), at least 1. */
static uint32_t table_slots(uint32_t n)
{
	uint32_t s = 1;

	while (s < 2 * (uint64_t)n)
		s <<= 1;
	return s;
}

/* Rebuild the intern table with room for twice as many strings. */
static int pool_grow_table(struct pool *p)
{
	uint32_t size = (p->mask + 1) * 2;
	struct pool_slot *slots = hostiam_zalloc(size, sizeof(*slots));

	if (!slots)
		return HOSTIAM_ERR_NOMEM;
	for (uint32_t id = 0; id < p->n_ids; id++) {
		uint32_t pos = p->hashes[id] & (size - 1);

		while (slots[pos].ref)
			pos = (pos + 1) & (size - 1);
		slots[pos] = (struct pool_slot){ p->hashes[id], id + 1 };
	}
	free(p->slots);
	p->slots = slots;
	p->mask = size - 1;
	return 0;
}

/* Room for n more bytes in the pool, whose offsets must stay 32-bit. */
static int pool_reserve(struct pool *p, size_t n)
{
	if (p->len + n > UINT32_MAX)
		return HOSTIAM_ERR_INVALID_ARG;
	if (p->len + n > p->cap) {
		size_t cap = (p->cap ? p->cap * 2 : 4096) + n;
		char *b = realloc(p->buf, cap);

		if (!b)
			return HOSTIAM_ERR_NOMEM;
		p->buf = b;
		p->cap = cap;
	}
	return 0;
}

/* Append s (len bytes + NUL) to the pool under a new id. */
static int pool_append(struct pool *p, const char *s, size_t len, uint32_t hash)
{
	int r;

	if ((r = pool_reserve(p, len + 1)) < 0)
		return r;
	if (p->n_ids == p->cap_ids) {
		uint32_t cap = p->cap_ids ? p->cap_ids * 2 : 1024;
		uint32_t *o = realloc(p->offs, cap * sizeof(*o));
		uint32_t *h = o ? realloc(p->hashes, cap * sizeof(*h)) : NULL;

		if (o)
			p->offs = o;
		if (!h)
			return HOSTIAM_ERR_NOMEM;
		p->hashes = h;
		p->cap_ids = cap;
	}
	memcpy(p->buf + p->len, s, len + 1);
	p->offs[p->n_ids] = (uint32_t)p->len;
	p->hashes[p->n_ids] = hash;
	p->len += len + 1;
	p->n_ids++;
	return 0;
}

/* The id of string s, adding it to the pool if new. */
static int pool_find_or_add(struct pool *p, const char *s, uint32_t *id)
{
	uint32_t hash, pos;
	int r;

	hash = hostiam_hash_name(s);
	for (pos = hash & p->mask; p->slots[pos].ref; pos = (pos + 1) & p->mask) {
		uint32_t cand = p->slots[pos].ref - 1;

		if (p->slots[pos].hash == hash && !strcmp(p->buf + p->offs[cand], s)) {
			*id = cand;
			return 0;
		}
	}
	if ((r = pool_append(p, s, strlen(s), hash)) < 0)
		return r;
	p->slots[pos] = (struct pool_slot){ hash, p->n_ids };
	*id = p->n_ids - 1;
	if (2 * (uint64_t)p->n_ids > p->mask)
		return pool_grow_table(p);
	return 0;
}

/* The id of string s (NULL counts as ""), through the pointer memo when it knows s. */
static int pool_intern(struct pool *p, const char *s, uint32_t *id)
{
	/* Fibonacci hashing: only the top bits of the product are well mixed. */
	uint64_t key = (uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ull;
	struct memo *m = &p->memo[key >> p->memo_shift];
	int r;

	if (!s)
		s = "";
	if (m->ptr == s) {
		*id = m->id;
		return 0;
	}
	if ((r = pool_find_or_add(p, s, id)) == 0)
		*m = (struct memo){ s, *id };
	return r;
}

/* Intern s and return its pool offset in *off. */
static int pool_offset(struct pool *p, const char *s, uint32_t *off)
{
	uint32_t id;
	int r = pool_intern(p, s, &id);

	if (r == 0)
		*off = p->offs[id];
	return r;
}

/* Release the pool's memory (the struct itself belongs to the caller). */
static void pool_free(struct pool *p)
{
	free(p->buf);
	free(p->offs);
	free(p->hashes);
	free(p->slots);
	free(p->memo);
}

struct id_index {
	uint32_t id, index;
};

/* qsort order: ascending id. */
static int cmp_id(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Input indexes sorted by id into *order; HOSTIAM_ERR_INVALID_ARG on a repeated id.
 * The i-th input's id is the uint32_t at in + i * stride + id_off.
 */
static int sort_by_id(uint32_t n, const void *in, size_t stride, size_t id_off, uint32_t **order)
{
	struct id_index *v = malloc((n ? n : 1) * sizeof(*v));
	uint32_t *o = malloc((n ? n : 1) * sizeof(*o));
	int r = 0;

	if (!v || !o) {
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		memcpy(&v[i].id, (const char *)in + i * stride + id_off, sizeof(uint32_t));
		v[i].index = i;
	}
	qsort(v, n, sizeof(*v), cmp_id);
	for (uint32_t i = 0; i < n; i++) {
		if (i > 0 && v[i].id == v[i - 1].id) {
			r = HOSTIAM_ERR_INVALID_ARG;
			goto out;
		}
		o[i] = v[i].index;
	}
	*order = o;
	o = NULL;
out:
	free(v);
	free(o);
	return r;
}

/* Count the users' keys and check them before anything is allocated per item. */
static int count_keys(struct build *b)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < b->n_users; i++) {
		if (b->uin[i].n_ssh_keys && !b->uin[i].ssh_keys)
			return HOSTIAM_ERR_INVALID_ARG;
		n += b->uin[i].n_ssh_keys;
	}
	if (n > MAX_ITEMS)
		return HOSTIAM_ERR_INVALID_ARG;
	b->n_refs = (uint32_t)n;
	return 0;
}

/* Count the members (refs after the keys) and check them and the total, as count_keys. */
static int count_members_refs(struct build *b)
{
	uint64_t n = b->n_refs;

	for (uint32_t i = 0; i < b->n_groups; i++) {
		if (b->gin[i].n_members && !b->gin[i].members)
			return HOSTIAM_ERR_INVALID_ARG;
		n += b->gin[i].n_members;
	}
	if (n > MAX_ITEMS)
		return HOSTIAM_ERR_INVALID_ARG;
	b->n_refs = (uint32_t)n;
	return 0;
}

/* User records in uid order, their strings interned and their keys in refs. */
static int build_users(struct build *b, uint32_t *ref)
{
	int r;

	for (uint32_t i = 0; i < b->n_users; i++) {
		const struct hostiam_cache_user_in *in = &b->uin[b->user_order[i]];
		struct hc_user *u = &b->users[i];

		if (!hostiam_valid_user_name(in->name))
			return HOSTIAM_ERR_INVALID_ARG;
		if ((r = pool_offset(&b->pool, in->name, &u->name)) < 0 ||
		    (r = pool_offset(&b->pool, in->gecos, &u->gecos)) < 0 ||
		    (r = pool_offset(&b->pool, in->home, &u->home)) < 0 ||
		    (r = pool_offset(&b->pool, in->shell, &u->shell)) < 0)
			return r;
		u->uid = in->uid;
		u->gid = in->gid;
		u->keys_start = *ref;
		u->n_keys = (uint32_t)in->n_ssh_keys;
		for (size_t k = 0; k < in->n_ssh_keys; k++)
			if ((r = pool_offset(&b->pool, in->ssh_keys[k], &b->refs[(*ref)++])) < 0)
				return r;
	}
	return 0;
}

/* Members by number (hostiam_cache_group_in.member_ids): the pointer first seen, its id. */
struct numbered {
	const char **ptr;
	uint32_t *sid;
	size_t n; /* 0: no usable numbers, every member is looked up by name */
};

/* Size t for the largest member number, when the groups have numbers that fit the bound. */
static int numbered_init(const struct build *b, struct numbered *t)
{
	size_t g, k, total = 0, max = 0;
	bool any = false;

	for (g = 0; g < b->n_groups; g++) {
		const struct hostiam_cache_group_in *in = &b->gin[g];

		total += in->n_members;
		for (k = 0; in->member_ids && k < in->n_members; k++) {
			any = true;
			if (in->member_ids[k] > max)
				max = in->member_ids[k];
		}
	}
	if (!any || max >= total)
		return 0;
	t->ptr = hostiam_zalloc(max + 1, sizeof(*t->ptr));
	t->sid = malloc((max + 1) * sizeof(*t->sid));
	if (!t->ptr || !t->sid)
		return HOSTIAM_ERR_NOMEM;
	t->n = max + 1;
	return 0;
}

/* The string id of member k of in: by its number when the number came with this pointer. */
static int member_sid(struct pool *p, struct numbered *t, const struct hostiam_cache_group_in *in,
		      size_t k, uint32_t *sid)
{
	const char *s = in->members[k];
	uint32_t num = in->member_ids ? in->member_ids[k] : UINT32_MAX;
	int r;

	/* A NULL member goes by name too: pool_intern reads it as "", which the member
	   checks refuse, and t->ptr's empty slots are NULL. */
	if (num >= t->n || !s)
		return pool_intern(p, s, sid);
	if (t->ptr[num] == s) {
		*sid = t->sid[num];
		return 0;
	}
	if ((r = pool_intern(p, s, sid)) == 0 && !t->ptr[num]) {
		t->ptr[num] = s;
		t->sid[num] = *sid;
	}
	return r;
}

/* Group records in gid order; refs hold member string ids until build_member_index(). */
static int build_groups(struct build *b, uint32_t *ref)
{
	struct numbered t = { 0 };
	int r = numbered_init(b, &t);

	for (uint32_t i = 0; i < b->n_groups && r == 0; i++) {
		const struct hostiam_cache_group_in *in = &b->gin[b->group_order[i]];
		struct hc_group *g = &b->groups[i];

		if (!hostiam_valid_group_name(in->name)) {
			r = HOSTIAM_ERR_INVALID_ARG;
			break;
		}
		if ((r = pool_offset(&b->pool, in->name, &g->name)) < 0)
			break;
		g->gid = in->gid;
		g->members_start = *ref;
		g->n_members = (uint32_t)in->n_members;
		for (size_t k = 0; k < in->n_members && r == 0; k++)
			r = member_sid(&b->pool, &t, in, k, &b->refs[(*ref)++]);
	}
	free(t.ptr);
	free(t.sid);
	return r;
}

/* Number the distinct member names (in order of first appearance) and count their groups. */
static int count_members(struct build *b, uint32_t *counts, uint32_t *last_group)
{
	for (uint32_t i = 0; i < b->n_groups; i++) {
		const struct hc_group *g = &b->groups[i];

		for (uint32_t k = 0; k < g->n_members; k++) {
			uint32_t sid = b->refs[g->members_start + k];
			uint32_t m = b->member_of[sid];

			if (m == 0) {
				if (!hostiam_valid_user_name(b->pool.buf + b->pool.offs[sid]))
					return HOSTIAM_ERR_INVALID_ARG;
				m = b->member_of[sid] = ++b->n_members;
			}
			if (last_group[m - 1] == i + 1)
				return HOSTIAM_ERR_INVALID_ARG; /* listed twice in one group */
			last_group[m - 1] = i + 1;
			counts[m - 1]++;
		}
	}
	return 0;
}

/* The gid lists of members [lo, hi) of b (gids at next[m] on): one pass in gid order. */
struct gid_fill {
	struct build *b;
	uint32_t *next;
	uint32_t lo, hi;
};

static void *fill_gids(void *arg)
{
	const struct gid_fill *f = arg;
	const struct build *b = f->b;

	for (uint32_t i = 0; i < b->n_groups; i++) {
		const struct hc_group *g = &b->groups[i];
		const uint32_t *ref = b->refs + g->members_start;

		for (uint32_t k = 0; k < g->n_members; k++) {
			uint32_t m = b->member_of[ref[k]] - 1;

			if (m >= f->lo && m < f->hi)
				b->gids[f->next[m]++] = g->gid;
		}
	}
	return NULL;
}

/*
 * The member index: for each distinct member name, the gids of its groups. Groups are
 * visited in gid order, so each list comes out sorted. The lists are scattered over
 * megabytes: two threads fill half the members each, from the same pass. Also turns refs
 * into offsets.
 */
static int fill_member_index(struct build *b, uint32_t *next)
{
	struct gid_fill lower = { b, next, 0, 0 }, upper;
	uint64_t total = 0;

	for (uint32_t m = 0; m < b->n_members; m++) {
		uint32_t n = next[m];

		next[m] = (uint32_t)total;
		b->members[m] = (struct hc_member){ 0, (uint32_t)total, n, 0, 0 };
		total += n;
		/* Halves by the number of gids, not of members. */
		if (total * 2 <= b->n_refs - b->n_keys)
			lower.hi = m + 1;
	}
	b->n_gids = (uint32_t)total;
	if (!(b->gids = malloc((total ? total : 1) * sizeof(uint32_t))))
		return HOSTIAM_ERR_NOMEM;
	upper = (struct gid_fill){ b, next, lower.hi, b->n_members };
	hostiam_thread_halves(fill_gids, &lower, &upper);
	for (uint32_t sid = 0; sid < b->pool.n_ids; sid++)
		if (b->member_of[sid])
			b->members[b->member_of[sid] - 1].name = b->pool.offs[sid];
	for (uint32_t r = b->n_keys; r < b->n_refs; r++)
		b->refs[r] = b->pool.offs[b->refs[r]];
	return 0;
}

/*
 * Groups of BIG_GROUP members or more get their own copies of their member names, laid end
 * to end in the pool: getgrnam then reads (and verifies) them in one sequential sweep, not
 * one cache miss per member in a pool of 100,000 names (a 12,000-member group: 168 -> 123 us
 * through glibc). It costs the copies' bytes, 3.4 MB (7 %) at 100,000 realistic users;
 * the member index keeps the interned name. Runs once refs hold offsets.
 */
#define BIG_GROUP 4096

static int copy_big_group_names(struct build *b)
{
	struct pool *p = &b->pool;
	int r;

	for (uint32_t i = 0; i < b->n_groups; i++) {
		uint32_t *ref = b->refs + b->groups[i].members_start, n = b->groups[i].n_members;
		size_t need = 0, len;

		if (n < BIG_GROUP)
			continue;
		for (uint32_t k = 0; k < n; k++)
			need += strlen(p->buf + ref[k]) + 1;
		if ((r = pool_reserve(p, need)) < 0)
			return r;
		for (uint32_t k = 0; k < n; k++) {
			len = strlen(p->buf + ref[k]) + 1;
			memcpy(p->buf + p->len, p->buf + ref[k], len);
			ref[k] = (uint32_t)p->len;
			p->len += len;
		}
	}
	return 0;
}

/* Intern the explicit member names (before build_member_index() sizes its arrays). */
static int intern_explicit_names(struct build *b)
{
	int r;

	if (!(b->min_sid = malloc((b->n_min ? b->n_min : 1) * sizeof(uint32_t))))
		return HOSTIAM_ERR_NOMEM;
	for (uint32_t i = 0; i < b->n_min; i++) {
		if (!hostiam_valid_user_name(b->min[i].name) || !b->min[i].n_gids ||
		    !b->min[i].gids || b->min[i].n_gids > MAX_ITEMS)
			return HOSTIAM_ERR_INVALID_ARG;
		if ((r = pool_intern(&b->pool, b->min[i].name, &b->min_sid[i])) < 0)
			return r;
	}
	return 0;
}

/*
 * The member index as given (a delta's, whose groups are only the changed ones): names
 * distinct, each gid list sorted and unique. Also turns the groups' refs into offsets.
 */
static int explicit_member_index(struct build *b)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < b->n_groups; i++)
		for (uint32_t k = 0; k < b->groups[i].n_members; k++) {
			uint32_t *ref = &b->refs[b->groups[i].members_start + k];

			*ref = b->pool.offs[*ref];
		}
	for (uint32_t i = 0; i < b->n_min; i++)
		if ((total += b->min[i].n_gids) > MAX_ITEMS)
			return HOSTIAM_ERR_INVALID_ARG;
	if (!(b->gids = malloc((total ? total : 1) * sizeof(uint32_t))))
		return HOSTIAM_ERR_NOMEM;
	memset(b->member_of, 0, b->pool.n_ids * sizeof(uint32_t));
	for (uint32_t i = 0, start = 0; i < b->n_min; i++) {
		const struct hostiam_cache_member_in *in = &b->min[i];
		uint32_t sid = b->min_sid[i];

		if (b->member_of[sid]++)
			return HOSTIAM_ERR_INVALID_ARG; /* listed twice */
		b->members[i] = (struct hc_member){ b->pool.offs[sid], start, (uint32_t)in->n_gids,
						    0, 0 };
		for (size_t k = 0; k < in->n_gids; k++, start++) {
			if (k && in->gids[k] <= in->gids[k - 1])
				return HOSTIAM_ERR_INVALID_ARG;
			b->gids[start] = in->gids[k];
		}
	}
	b->n_members = b->n_min;
	b->n_gids = (uint32_t)total;
	return 0;
}

/* Count members (which checks the groups' lists), then lay out the member index. */
static int build_member_index(struct build *b)
{
	uint32_t *counts = hostiam_zalloc(b->pool.n_ids, sizeof(uint32_t));
	uint32_t *last_group = hostiam_zalloc(b->pool.n_ids, sizeof(uint32_t));
	int r = HOSTIAM_ERR_NOMEM;

	b->member_of = hostiam_zalloc(b->pool.n_ids, sizeof(uint32_t));
	b->members = hostiam_zalloc(b->pool.n_ids, sizeof(struct hc_member));
	if (!counts || !last_group || !b->member_of || !b->members)
		goto out;
	if ((r = count_members(b, counts, last_group)) < 0)
		goto out;
	r = b->min ? explicit_member_index(b) : fill_member_index(b, counts);
out:
	free(counts);
	free(last_group);
	return r;
}

/*
 * Insert record ref-1 into table t. name is the record's name for the name tables (a
 * repeated name is HOSTIAM_ERR_INVALID_ARG), NULL for the id tables (ids are already
 * known to be unique).
 */
static int table_insert(struct build *b, int t, uint32_t tag, uint32_t start, uint32_t ref,
			const char *name, const uint32_t *name_offs, size_t stride)
{
	uint32_t mask = b->table_size[t] - 1, pos = start & mask;
	struct hc_slot *slots = b->tables[t];

	for (; slots[pos].ref; pos = (pos + 1) & mask) {
		uint32_t other;

		/* No arithmetic on name_offs for the id tables: it is NULL there. */
		if (!name || slots[pos].tag != tag)
			continue;
		memcpy(&other, (const char *)name_offs + (size_t)(slots[pos].ref - 1) * stride,
		       sizeof(other));
		if (!strcmp(b->pool.buf + other, name))
			return HOSTIAM_ERR_INVALID_ARG;
	}
	slots[pos] = (struct hc_slot){ tag, ref, 0 };
	return 0;
}

/* The sizes of the five hash tables, known once the member index is. */
static void size_tables(struct build *b)
{
	const uint32_t counts[5] = { b->n_users, b->n_users, b->n_groups, b->n_groups,
				     b->n_members };

	for (int t = 0; t < 5; t++)
		b->table_size[t] = table_slots(counts[t]);
}

/* The five hash tables: users by name and uid, groups by name and gid, members by name. */
static int build_tables(struct build *b)
{
	int r = 0;

	for (int t = 0; t < 5; t++)
		if (!(b->tables[t] = hostiam_zalloc(b->table_size[t], sizeof(struct hc_slot))))
			return HOSTIAM_ERR_NOMEM;
	for (uint32_t i = 0; i < b->n_users && r == 0; i++) {
		const char *name = b->pool.buf + b->users[i].name;
		uint32_t h = hostiam_hash_name(name), uid = b->users[i].uid;

		r = table_insert(b, 0, h, h, i + 1, name, &b->users[0].name,
				 sizeof(struct hc_user));
		if (r == 0)
			r = table_insert(b, 1, uid, hostiam_hash_id(uid), i + 1, NULL, NULL, 0);
	}
	for (uint32_t i = 0; i < b->n_groups && r == 0; i++) {
		const char *name = b->pool.buf + b->groups[i].name;
		uint32_t h = hostiam_hash_name(name), gid = b->groups[i].gid;

		r = table_insert(b, 2, h, h, i + 1, name, &b->groups[0].name,
				 sizeof(struct hc_group));
		if (r == 0)
			r = table_insert(b, 3, gid, hostiam_hash_id(gid), i + 1, NULL, NULL, 0);
	}
	for (uint32_t m = 0; m < b->n_members && r == 0; m++) {
		/* Member names are distinct pool strings already: no comparison needed. */
		uint32_t h = hostiam_hash_name(b->pool.buf + b->members[m].name);

		r = table_insert(b, 4, h, h, m + 1, NULL, NULL, 0);
	}
	return r;
}

/* Every slot's check, empty ones included: a reader verifies each slot it probes. */
static void seal_tables(struct build *b)
{
	for (uint32_t t = 0; t < 5; t++)
		for (uint32_t pos = 0; pos < b->table_size[t]; pos++) {
			struct hc_slot *s = &b->tables[t][pos];

			s->check = hc_slot_check(t, pos, s->tag, s->ref);
		}
}

/* Every record's check, over its fields and all it references (refs hold offsets now). */
static void seal_records(struct build *b)
{
	const char *pool = b->pool.buf;
	uint32_t size = (uint32_t)b->pool.len;

	for (uint32_t i = 0; i < b->n_users; i++) {
		struct hc_user *u = &b->users[i];

		(void)hc_keys_check(u, i, b->refs, pool, size, &u->keys_check);
		u->check = hc_user_check(u, i, pool);
	}
	for (uint32_t i = 0; i < b->n_groups; i++)
		(void)hc_group_check(&b->groups[i], i, b->refs, pool, size, &b->groups[i].check);
	for (uint32_t m = 0; m < b->n_members; m++)
		b->members[m].check = hc_member_check(&b->members[m], m, b->gids, pool);
}

/* The user records, their strings and their keys: the first part of build_records. */
static int build_user_records(struct build *b)
{
	uint32_t id;
	int r;

	if ((r = count_keys(b)) < 0 ||
	    (r = sort_by_id(b->n_users, b->uin, sizeof(*b->uin),
			    offsetof(struct hostiam_cache_user_in, uid), &b->user_order)) < 0)
		return r;
	b->users = calloc(b->n_users ? b->n_users : 1, sizeof(*b->users));
	b->refs = calloc(b->n_refs ? b->n_refs : 1, sizeof(*b->refs));
	b->pool.slots = hostiam_zalloc(1024, sizeof(*b->pool.slots));
	b->pool.memo_shift = 64 - (unsigned)__builtin_ctz(table_slots(b->n_users + 512));
	b->pool.memo = hostiam_zalloc((size_t)1 << (64 - b->pool.memo_shift),
				      sizeof(*b->pool.memo));
	if (!b->users || !b->refs || !b->pool.slots || !b->pool.memo)
		return HOSTIAM_ERR_NOMEM;
	b->pool.mask = 1023;
	b->n_keys = 0;
	/* "" first, at offset 0. */
	if ((r = pool_intern(&b->pool, "", &id)) < 0)
		return r;
	return build_users(b, &b->n_keys);
}

/* The groups, their members and the member index: the rest of build_records. */
static int build_group_records(struct build *b)
{
	uint32_t ref = b->n_keys, *refs;
	int r;

	if ((r = count_members_refs(b)) < 0 ||
	    (r = sort_by_id(b->n_groups, b->gin, sizeof(*b->gin),
			    offsetof(struct hostiam_cache_group_in, gid), &b->group_order)) < 0)
		return r;
	b->groups = calloc(b->n_groups ? b->n_groups : 1, sizeof(*b->groups));
	if (!b->groups || !(refs = realloc(b->refs, (b->n_refs ? b->n_refs : 1) * sizeof(*refs))))
		return HOSTIAM_ERR_NOMEM;
	b->refs = refs;
	if ((r = build_groups(b, &ref)) < 0 || (b->min && (r = intern_explicit_names(b)) < 0) ||
	    (r = build_member_index(b)) < 0 || (r = copy_big_group_names(b)) < 0)
		return r;
	size_tables(b);
	return 0;
}

/*
 * Allocate the records and fill the strings, the refs and the member index: the
 * sections that are final before the hash tables and the checks (EARLY_SECTIONS).
 */
static int build_records(struct build *b)
{
	int r = build_user_records(b);

	return r < 0 ? r : build_group_records(b);
}

#define EARLY_SECTIONS ((1u << HC_SEC_STRINGS) | (1u << HC_SEC_REFS) | (1u << HC_SEC_GIDS))

/* The hash tables and every check: what build_records leaves. */
static int build_index(struct build *b)
{
	int r = build_tables(b);

	if (r < 0)
		return r;
	seal_records(b);
	seal_tables(b);
	return 0;
}

/* The sections of b in file order (the tables' data once build_index made them). */
static void sections_of(const struct build *b, struct hc_sections *s)
{
	const void *data[HC_N_SECTIONS] = { b->pool.buf,  b->users,     b->groups,    b->refs,
					    b->members,   b->gids,      b->tables[0], b->tables[1],
					    b->tables[2], b->tables[3], b->tables[4] };
	const size_t sizes[HC_N_SECTIONS] = { b->pool.len,
					      b->n_users * sizeof(struct hc_user),
					      b->n_groups * sizeof(struct hc_group),
					      b->n_refs * sizeof(uint32_t),
					      b->n_members * sizeof(struct hc_member),
					      b->n_gids * sizeof(uint32_t),
					      b->table_size[0] * sizeof(struct hc_slot),
					      b->table_size[1] * sizeof(struct hc_slot),
					      b->table_size[2] * sizeof(struct hc_slot),
					      b->table_size[3] * sizeof(struct hc_slot),
					      b->table_size[4] * sizeof(struct hc_slot) };

	memcpy(s->data, data, sizeof(data));
	memcpy(s->size, sizes, sizeof(sizes));
}

/* The header of b but for the layout and the checksums. */
static struct hc_header header_of(const struct build *b, uint64_t generation, int64_t sync_time)
{
	return (struct hc_header){ .n_users = b->n_users,
				   .n_groups = b->n_groups,
				   .n_members = b->n_members,
				   .generation = generation,
				   .sync_time = sync_time };
}

/* Release everything the build allocated, whether or not it finished. */
static void build_free(struct build *b)
{
	pool_free(&b->pool);
	free(b->user_order);
	free(b->group_order);
	free(b->users);
	free(b->groups);
	free(b->refs);
	free(b->members);
	free(b->member_of);
	free(b->min_sid);
	free(b->gids);
	for (int t = 0; t < 5; t++)
		free(b->tables[t]);
}

/* The checks of hc_build_image's input; b filled from it. */
static int build_start(const struct hc_build_in *in, struct build *b)
{
	if ((in->n_users && !in->users) || (in->n_groups && !in->groups) ||
	    in->n_users > MAX_ITEMS || in->n_groups > MAX_ITEMS || in->n_members > MAX_ITEMS ||
	    (in->n_members && !in->members))
		return HOSTIAM_ERR_INVALID_ARG;
	*b = (struct build){ .uin = in->users, .gin = in->groups, .min = in->members };
	b->n_users = (uint32_t)in->n_users;
	b->n_groups = (uint32_t)in->n_groups;
	b->n_min = (uint32_t)in->n_members;
	return 0;
}

int hc_build_image(const struct hc_build_in *in, uint64_t generation, int64_t sync_time,
		   void **image, size_t *len)
{
	struct build b;
	struct hc_sections s;
	struct hc_header h;
	int r;

	if (!image || !len)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = build_start(in, &b)) < 0)
		return r;
	if ((r = build_records(&b)) == 0 && (r = build_index(&b)) == 0) {
		sections_of(&b, &s);
		h = header_of(&b, generation, sync_time);
		r = hc_image_make(&s, &h, image, len);
	}
	build_free(&b);
	return r;
}

int hostiam_cache_build(const struct hostiam_cache_user_in *users, size_t n_users,
			const struct hostiam_cache_group_in *groups, size_t n_groups,
			uint64_t generation, int64_t sync_time, void **image, size_t *len)
{
	const struct hc_build_in in = { users, n_users, groups, n_groups, NULL, 0 };

	return hc_build_image(&in, generation, sync_time, image, len);
}

/* A cache written as it is built, the users on a thread (hostiam_cache_writer_start). */
struct hostiam_cache_writer {
	struct build b;
	struct hc_sections s;
	struct hc_header h;
	int (*gate)(void *ctx);
	void *gate_ctx;
	pthread_t thread;
	bool threaded;
	int users_r; /* build_user_records' result */
};

static void *users_main(void *arg)
{
	struct hostiam_cache_writer *w = arg;

	w->users_r = build_user_records(&w->b);
	return NULL;
}

int hostiam_cache_writer_start(struct hostiam_cache_writer **out,
			       const struct hostiam_cache_user_in *users, size_t n_users)
{
	const struct hc_build_in in = { users, n_users, NULL, 0, NULL, 0 };
	struct hostiam_cache_writer *w;
	int r;

	*out = NULL;
	if (!(w = calloc(1, sizeof(*w))))
		return HOSTIAM_ERR_NOMEM;
	if ((r = build_start(&in, &w->b)) < 0) {
		free(w);
		return r;
	}
	w->threaded = hostiam_thread_start(&w->thread, users_main, w);
	*out = w;
	return 0;
}

/* Wait for the users' part; its result. */
static int users_done(struct hostiam_cache_writer *w)
{
	hostiam_thread_join(&w->thread, &w->threaded);
	return w->users_r;
}

void hostiam_cache_writer_cancel(struct hostiam_cache_writer *w)
{
	if (!w)
		return;
	(void)users_done(w);
	build_free(&w->b);
	free(w);
}

/* hc_stream's finish: the index, then the tables' places in the sections. */
static int finish_streamed(void *ctx)
{
	struct hostiam_cache_writer *w = ctx;
	int r = build_index(&w->b);

	if (r == 0)
		sections_of(&w->b, &w->s);
	return r;
}

/* Writer of the temp file: the built records, the rest as it is built; then the gate. */
static int write_streamed(int fd, void *ctx)
{
	struct hostiam_cache_writer *w = ctx;
	const struct hc_stream st = { fd, &w->s, &w->h, EARLY_SECTIONS, finish_streamed, w };
	int r = hc_stream_write(&st);

	if (r == 0 && w->gate)
		r = w->gate(w->gate_ctx);
	return r;
}

int hostiam_cache_writer_finish(struct hostiam_cache_writer *w, const char *path,
				const struct hostiam_cache_group_in *groups, size_t n_groups,
				uint64_t generation, int64_t sync_time, int (*gate)(void *ctx),
				void *gate_ctx)
{
	int r = users_done(w);

	if (r == 0 && (!path || (n_groups && !groups) || n_groups > MAX_ITEMS))
		r = HOSTIAM_ERR_INVALID_ARG;
	if (r == 0) {
		w->b.gin = groups;
		w->b.n_groups = (uint32_t)n_groups;
		w->gate = gate;
		w->gate_ctx = gate_ctx;
		r = build_group_records(&w->b);
	}
	if (r == 0) {
		sections_of(&w->b, &w->s);
		w->h = header_of(&w->b, generation, sync_time);
		r = hc_publish_cache_with(path, write_streamed, w);
	}
	hostiam_cache_writer_cancel(w);
	return r;
}

int hostiam_cache_write(const char *path, const struct hostiam_cache_user_in *users, size_t n_users,
			const struct hostiam_cache_group_in *groups, size_t n_groups,
			uint64_t generation, int64_t sync_time)
{
	struct hostiam_cache_writer *w;
	int r;

	if (!path)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = hostiam_cache_writer_start(&w, users, n_users)) < 0)
		return r;
	return hostiam_cache_writer_finish(w, path, groups, n_groups, generation, sync_time, NULL,
					   NULL);
}
