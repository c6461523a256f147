/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Flattening group membership over user names, user DNs and nested group DNs. Every
 * member name gets a number in one sorted list (users and other memberUid names merged),
 * so a group's members are collected as numbers through hash lookups and sorted as
 * numbers: no string comparison per membership.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>

#include "dir_intern.h"
#include "dir_members.h"
#include "dir_sort.h"
#include "dir_strindex.h"
#include "errors.h"
#include "log.h"
#include "names.h"
#include "thread.h"
#include "zalloc.h"

/* Everything one flattening pass needs, built once for all groups. */
struct flat {
	struct dir_entry *const *users, *const *groups;
	size_t nu, ng;
	struct dir_strindex by_name; /* memberUid name -> member id */
	uint32_t *uid_ids;           /* member id of every memberUid value, NO_ID if invalid */
	size_t *uid_start;           /* per group: its first value in uid_ids */
	size_t n_uids;
	struct dir_strindex user_dn;  /* user ndn -> member id */
	struct dir_strindex group_dn; /* group ndn -> group index */
	const char **names;           /* member names by id, sorted (strcmp) */
	char *extra_text;             /* copies of the names that are no users */
	size_t n_names;
};

/* What flattening one group at a time needs of its own: one per thread. */
struct work {
	uint32_t *member_seen; /* stamp per member id */
	uint32_t *group_seen;  /* stamp per group */
	size_t *stack;         /* DFS stack (groups) */
	uint32_t *ids;         /* collected member ids */
	uint32_t *sort_tmp;    /* room for as many, for dir_sort_u32 */
	size_t n_ids;
};

#define NO_ID UINT32_MAX

/* A memberUid name that is no directory user, with its number before sorting. */
struct extra {
	const char *name;
	uint32_t id;
};

/* Order extras by name. */
static int cmp_extra(const void *a, const void *b)
{
	return strcmp(((const struct extra *)a)->name, ((const struct extra *)b)->name);
}

/* Append x to the growing array *e of *n (capacity *cap). */
static int push_extra(struct extra **e, size_t *n, size_t *cap, struct extra x)
{
	if (*n == *cap) {
		size_t c = *cap * 2 + 16;
		struct extra *p = realloc(*e, c * sizeof(*p));

		if (!p)
			return HOSTIAM_ERR_NOMEM;
		*e = p;
		*cap = c;
	}
	(*e)[(*n)++] = x;
	return 0;
}

/* The number of memberUid values of all groups. */
static size_t count_uids(const struct flat *f)
{
	size_t g, n = 0;

	for (g = 0; g < f->ng; g++)
		n += dir_member_names(f->groups[g])->n;
	return n;
}

#define UNSEEN (UINT32_MAX - 1) /* index_names: a name not numbered yet */

/*
 * The member id of the memberUid value name in *id: a user's, an extra's seen before, a
 * new extra's (pushed to *ex) or NO_ID for an invalid name. Returns 0 or
 * HOSTIAM_ERR_NOMEM (NO_ID as a long is negative where long has 32 bits: not returned).
 */
static int number_name(struct flat *f, const char *name, struct extra **ex, size_t *n_ex,
		       size_t *cap, uint32_t *id)
{
	struct extra x = { name, (uint32_t)(f->nu + *n_ex) };
	long r;

	/* Known names (users, validated; extras seen before) need no check again. */
	if ((r = dir_strindex_get(&f->by_name, x.name)) >= 0) {
		*id = (uint32_t)r;
		return 0;
	}
	if (!hostiam_valid_user_name(x.name)) {
		*id = NO_ID;
		return 0;
	}
	r = dir_strindex_add(&f->by_name, x.name, x.id);
	if (r < 0 || (r == (long)x.id && push_extra(ex, n_ex, cap, x) < 0))
		return HOSTIAM_ERR_NOMEM;
	*id = (uint32_t)r;
	return 0;
}

/*
 * Index the users (numbered 0..nu) and then the valid memberUid names that are no users
 * (numbered on from nu, in order of appearance) by name; *ex gets the latter. Each value
 * is looked up once here: its number goes to uid_ids for every later pass.
 */
static int index_names(struct flat *f, struct extra **ex, size_t *n_ex)
{
	size_t g, i, k = 0, cap = 0, n_memo = dir_intern_count();
	uint32_t *memo = malloc((n_memo + 1) * sizeof(*memo)); /* member id by interned name */
	long r = dir_strindex_init(&f->by_name, f->nu);

	f->n_uids = count_uids(f);
	f->uid_ids = malloc((f->n_uids + 1) * sizeof(*f->uid_ids));
	f->uid_start = malloc((f->ng + 1) * sizeof(*f->uid_start));
	if (!f->uid_ids || !f->uid_start || !memo)
		r = HOSTIAM_ERR_NOMEM;
	for (i = 0; memo && i < n_memo; i++)
		memo[i] = UNSEEN;
	for (i = 0; i < f->nu && r >= 0; i++)
		r = dir_strindex_add(&f->by_name, dir_text(f->users[i], DIR_NAME), (uint32_t)i);
	for (g = 0; g < f->ng && r >= 0; g++) {
		const struct dir_names *m = dir_member_names(f->groups[g]);
		struct dir_names_cursor c = { m->code, 0 };

		f->uid_start[g] = k;
		for (i = 0; i < m->n && r >= 0; i++, k++) {
			uint32_t v = dir_names_next(&c);

			/* A name is looked up once, however many groups list it. */
			if (memo[v] != UNSEEN) {
				f->uid_ids[k] = memo[v];
				continue;
			}
			uint32_t id;

			r = number_name(f, dir_intern_str(v), ex, n_ex, &cap, &id);
			if (r >= 0)
				f->uid_ids[k] = memo[v] = id;
		}
	}
	free(memo);
	if (f->uid_start) /* g == ng here: the end of the last group's values */
		f->uid_start[g] = k;
	return r < 0 ? HOSTIAM_ERR_NOMEM : 0;
}

/* Copy the names of the extras into one block (f->extra_text) and point them there. */
static int copy_extras(struct flat *f, struct extra *ex, size_t n_ex)
{
	size_t i, len = 0;
	char *t;

	for (i = 0; i < n_ex; i++)
		len += strlen(ex[i].name) + 1;
	f->extra_text = t = malloc(len + 1);
	if (!t)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; i < n_ex; i++) {
		size_t n = strlen(ex[i].name) + 1;

		ex[i].name = memcpy(t, ex[i].name, n);
		t += n;
	}
	return 0;
}

/*
 * Merge the users (sorted by name) and the extras into f->names and renumber the name
 * index so that member ids follow name order.
 */
static int number_names(struct flat *f)
{
	struct extra *ex = NULL;
	size_t n_ex = 0, u = 0, x = 0, k;
	uint32_t *rank = NULL;
	int r = index_names(f, &ex, &n_ex);

	if (r == 0) {
		f->n_names = f->nu + n_ex;
		f->names = malloc((f->n_names + 1) * sizeof(*f->names));
		rank = malloc((f->n_names + 1) * sizeof(*rank));
		r = f->names && rank ? copy_extras(f, ex, n_ex) : HOSTIAM_ERR_NOMEM;
	}
	if (r == 0) {
		if (n_ex > 0) /* ex may be NULL then: qsort's pointer must be valid */
			qsort(ex, n_ex, sizeof(*ex), cmp_extra);
		for (k = 0; k < f->n_names; k++) {
			int user = x == n_ex ||
				(u < f->nu &&
				 strcmp(dir_text(f->users[u], DIR_NAME), ex[x].name) < 0);

			rank[user ? u : ex[x].id] = (uint32_t)k;
			f->names[k] = user ? dir_text(f->users[u++], DIR_NAME) : ex[x++].name;
		}
		dir_strindex_remap(&f->by_name, rank);
		for (k = 0; k < f->n_uids; k++)
			if (f->uid_ids[k] != NO_ID)
				f->uid_ids[k] = rank[f->uid_ids[k]];
	}
	free(ex);
	free(rank);
	return r;
}

/* Index the DNs of v (values: index, or map[index] when map is given). */
static int index_dns(struct dir_strindex *x, struct dir_entry *const *v, size_t n,
		     const struct dir_strindex *names)
{
	long r = dir_strindex_init(x, n);
	size_t i;

	for (i = 0; i < n && r >= 0; i++)
		if (dir_text(v[i], DIR_NDN))
			r = dir_strindex_add(x, dir_text(v[i], DIR_NDN),
					     names ? (uint32_t)dir_strindex_get(
							     names, dir_text(v[i], DIR_NAME)) :
						     (uint32_t)i);
	return r < 0 ? HOSTIAM_ERR_NOMEM : 0;
}

/* Record member id once per group (stamp is the group's number plus one). */
static void add_member(struct work *w, long id, uint32_t stamp)
{
	if (id < 0 || w->member_seen[id] == stamp)
		return;
	w->member_seen[id] = stamp;
	w->ids[w->n_ids++] = (uint32_t)id;
}

/* Members of group h into the collection; nested groups pushed on the stack. */
static void visit(const struct flat *f, struct work *w, size_t h, uint32_t stamp, size_t *sp,
		  int direct)
{
	const struct dir_strv *dns = dir_member_dns(f->groups[h]);
	const uint32_t *uids = f->uid_ids + f->uid_start[h];
	size_t i;

	for (i = 0; i < f->uid_start[h + 1] - f->uid_start[h]; i++)
		add_member(w, uids[i] == NO_ID ? -1 : (long)uids[i], stamp);
	for (i = 0; i < dns->n; i++) {
		const char *dn = dns->v[i];
		long u = dir_strindex_get(&f->user_dn, dn), g;

		if (u >= 0) {
			add_member(w, u, stamp);
			continue;
		}
		g = dir_strindex_get(&f->group_dn, dn);
		if (g >= 0 && w->group_seen[g] != stamp) {
			w->group_seen[g] = stamp;
			w->stack[(*sp)++] = (size_t)g;
		} else if (g < 0 && direct) {
			hostiam_log(LOG_DEBUG,
				    "skipping member: neither a user nor a group here "
				    "member=%s group=%s",
				    dn, dir_text(f->groups[h], DIR_NAME));
		}
	}
}

/*
 * Sort the member ids of the group stamped stamp (distinct, each below n_names). A big
 * group's are read back in order from member_seen, one sequential pass of 4-byte reads
 * instead of an n log n qsort through a callback (cheaper from 1/32 of the names on, as
 * measured at 10,000 and 100,000 names); a small group's are sorted.
 */
static void sort_ids(const struct flat *f, struct work *w, uint32_t stamp)
{
	size_t id, k = 0;

	if (w->n_ids < 64 || w->n_ids * 32 < f->n_names) {
		dir_sort_u32(w->ids, w->n_ids, w->sort_tmp);
		return;
	}
	for (id = 0; id < f->n_names; id++)
		if (w->member_seen[id] == stamp)
			w->ids[k++] = (uint32_t)id;
}

/* The member lists of every group: names, and their numbers for the cache writer. */
struct pools {
	const char **names;
	uint32_t *ids;
	size_t n, cap;
};

/* Room for n more members in p. */
static int pools_reserve(struct pools *p, size_t n)
{
	size_t cap = (p->cap + n) * 2 + 64;
	const char **names;
	uint32_t *ids;

	if (p->n + n <= p->cap)
		return 0;
	if (!(names = realloc(p->names, cap * sizeof(*names))))
		return HOSTIAM_ERR_NOMEM;
	p->names = names;
	if (!(ids = realloc(p->ids, cap * sizeof(*ids))))
		return HOSTIAM_ERR_NOMEM;
	p->ids = ids;
	p->cap = cap;
	return 0;
}

/* Append the sorted member names of group g to the pools; out gets their offset and count. */
static int flatten_one(const struct flat *f, struct work *w, size_t g, struct pools *p,
		       size_t *offset, size_t *count)
{
	uint32_t stamp = (uint32_t)g + 1;
	size_t sp = 0, i;

	w->n_ids = 0;
	w->group_seen[g] = stamp;
	w->stack[sp++] = g;
	while (sp > 0) {
		size_t h = w->stack[--sp];

		visit(f, w, h, stamp, &sp, h == g);
	}
	if (pools_reserve(p, w->n_ids) < 0)
		return HOSTIAM_ERR_NOMEM;
	/* Ids follow name order: sorting them sorts the names. */
	sort_ids(f, w, stamp);
	for (i = 0; i < w->n_ids; i++) {
		p->names[p->n + i] = f->names[w->ids[i]];
		p->ids[p->n + i] = w->ids[i];
	}
	*offset = p->n;
	*count = w->n_ids;
	p->n += w->n_ids;
	return 0;
}

/*
 * Free the memberUid lists once numbered in uid_ids (the extras copied): at 100,000 users
 * they are millions of small strings, whose pages go back before the pass allocates.
 */
static void drop_names(struct flat *f)
{
	size_t g;

	for (g = 0; g < f->ng; g++)
		dir_entry_drop_member_names(f->groups[g]);
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* True if a group has member DNs (member, uniqueMember). */
static bool any_member_dns(const struct flat *f)
{
	for (size_t g = 0; g < f->ng; g++)
		if (dir_member_dns(f->groups[g])->n)
			return true;
	return false;
}

/* Allocate the per-pass tables of f; drop: free the memberUid lists once numbered. */
static int flat_init(struct flat *f, bool drop)
{
	/* Without member DNs (RFC 2307 groups, memberUid only) no DN is ever looked up. */
	bool dns = any_member_dns(f);

	if (number_names(f) < 0 ||
	    index_dns(&f->user_dn, f->users, dns ? f->nu : 0, &f->by_name) < 0 ||
	    index_dns(&f->group_dn, f->groups, dns ? f->ng : 0, NULL) < 0)
		return HOSTIAM_ERR_NOMEM;
	/* Every memberUid value is numbered in uid_ids: the names need no index any more. */
	dir_strindex_free(&f->by_name);
	if (drop)
		drop_names(f);
	return 0;
}

/* The buffers of w for f's pass. */
static int work_init(const struct flat *f, struct work *w)
{
	w->member_seen = hostiam_zalloc(f->n_names + 1, sizeof(*w->member_seen));
	w->group_seen = hostiam_zalloc(f->ng + 1, sizeof(*w->group_seen));
	/* Each group enters the stack at most once per pass, each member once. */
	w->stack = malloc((f->ng + 1) * sizeof(*w->stack));
	w->ids = malloc((f->n_names + 1) * sizeof(*w->ids));
	w->sort_tmp = malloc((f->n_names + 1) * sizeof(*w->sort_tmp));
	return w->member_seen && w->group_seen && w->stack && w->ids && w->sort_tmp ?
		0 :
		HOSTIAM_ERR_NOMEM;
}

static void work_free(struct work *w)
{
	free(w->member_seen);
	free(w->group_seen);
	free(w->stack);
	free(w->ids);
	free(w->sort_tmp);
}

/* Free the tables of f. */
static void flat_free(struct flat *f)
{
	dir_strindex_free(&f->by_name);
	free(f->uid_ids);
	free(f->uid_start);
	dir_strindex_free(&f->user_dn);
	dir_strindex_free(&f->group_dn);
	free(f->names);
}

/* The groups [from, to) of a pass, flattened into pools of their own. */
struct part {
	const struct flat *f;
	struct hostiam_cache_group_in *out;
	size_t *offsets; /* into p, per group */
	size_t from, to;
	struct pools p;
	hostiam_log_fn sink;
	void *sink_ctx;
	int level, r;
};

static void *part_main(void *arg)
{
	struct part *t = arg;
	struct work w = { 0 };
	size_t g;

	hostiam_log_set_sink(t->sink, t->sink_ctx);
	hostiam_log_set_level(t->level);
	t->r = work_init(t->f, &w);
	for (g = t->from; g < t->to && t->r == 0; g++)
		t->r = flatten_one(t->f, &w, g, &t->p, &t->offsets[g], &t->out[g].n_members);
	work_free(&w);
	return NULL;
}

/*
 * The first group of the second half: about as many memberUid values on each side (the
 * groups of 100,000 users range from one member to 12,000).
 */
static size_t halfway(const struct flat *f, size_t n_out)
{
	size_t g = 0;

	while (g < n_out &&
	       2 * (f->uid_start[g] - f->uid_start[0]) < f->uid_start[n_out] - f->uid_start[0])
		g++;
	return g;
}

/* Append b's pool to a's; b's groups' offsets move by what a held. */
static int join_pools(struct part *a, struct part *b)
{
	size_t g;

	if (pools_reserve(&a->p, b->p.n) < 0)
		return HOSTIAM_ERR_NOMEM;
	if (b->p.n) {
		memcpy(a->p.names + a->p.n, b->p.names, b->p.n * sizeof(*b->p.names));
		memcpy(a->p.ids + a->p.n, b->p.ids, b->p.n * sizeof(*b->p.ids));
	}
	for (g = b->from; g < b->to; g++)
		b->offsets[g] += a->p.n;
	a->p.n += b->p.n;
	return 0;
}

/* Flatten every cached group: two threads, half the memberships each, when one starts. */
static int flatten_all(const struct flat *f, size_t n_out, struct hostiam_cache_group_in *out,
		       size_t *offsets, struct pools *p)
{
	struct part a = { .f = f, .out = out, .offsets = offsets, .to = halfway(f, n_out) }, b;
	int r;

	hostiam_log_get(&a.sink, &a.sink_ctx, &a.level);
	b = a;
	b.from = a.to;
	b.to = n_out;
	hostiam_thread_halves(part_main, &a, &b);
	r = a.r < 0 ? a.r : b.r;
	if (r == 0)
		r = join_pools(&a, &b);
	free(b.p.names);
	free(b.p.ids);
	*p = a.p;
	return r;
}

int dir_members_flatten(struct dir_entry *const *users, size_t nu, struct dir_entry *const *groups,
			size_t ng, size_t n_out, struct hostiam_cache_group_in *out,
			const char ***pool, uint32_t **pool_ids, char **names, bool drop)
{
	struct flat f = { .users = users, .groups = groups, .nu = nu, .ng = ng };
	size_t g, *offsets = calloc(n_out + 1, sizeof(*offsets));
	struct pools p = { 0 };
	int r = flat_init(&f, drop);

	if (!offsets)
		r = HOSTIAM_ERR_NOMEM;
	if (r == 0)
		r = flatten_all(&f, n_out, out, offsets, &p);
	/* The pools may have moved while growing: point into them only at the end. */
	for (g = 0; g < n_out && r == 0; g++) {
		out[g].members = p.names ? p.names + offsets[g] : NULL;
		out[g].member_ids = p.ids ? p.ids + offsets[g] : NULL;
	}
	for (g = 0; g < ng && drop; g++)
		dir_entry_drop_members(groups[g]);
	flat_free(&f);
	free(offsets);
	if (r < 0) {
		free(p.names);
		free(p.ids);
		free(f.extra_text);
		return r;
	}
	*pool = p.names;
	*pool_ids = p.ids;
	*names = f.extra_text;
	return 0;
}
