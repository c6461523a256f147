/* SPDX-License-Identifier: BSD-2-Clause */
/* Flattening group membership over user names, user DNs and nested group DNs. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dir_members.h"
#include "errors.h"
#include "log.h"
#include "names.h"

/* Everything one flattening pass needs, built once for all groups. */
struct flat {
	struct dir_entry *const *users, *const *groups;
	size_t nu, ng;
	size_t *user_by_dn, n_udn;  /* user indexes sorted by ndn */
	size_t *group_by_dn, n_gdn; /* group indexes sorted by ndn */
	const char **extras;        /* memberUid names that are no directory user, sorted */
	size_t n_extras;
	uint32_t *member_seen; /* stamp per member id: users, then extras */
	uint32_t *group_seen;  /* stamp per group */
	size_t *stack, *ids;   /* DFS stack (groups) and collected member ids */
	size_t n_ids;
};

static struct dir_entry *const *sort_base; /* qsort has no context argument */

/* Order entry indexes by normalised DN. */
static int cmp_idx_ndn(const void *a, const void *b)
{
	return strcmp(sort_base[*(const size_t *)a]->ndn, sort_base[*(const size_t *)b]->ndn);
}

/* Order C strings. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Indexes of the entries of v that have a DN, sorted by it; *n gets their number. */
static size_t *index_by_dn(struct dir_entry *const *v, size_t count, size_t *n)
{
	size_t i, *idx = malloc((count + 1) * sizeof(*idx));

	if (!idx)
		return NULL;
	for (*n = 0, i = 0; i < count; i++)
		if (v[i]->ndn)
			idx[(*n)++] = i;
	sort_base = v;
	qsort(idx, *n, sizeof(*idx), cmp_idx_ndn);
	return idx;
}

/* The entry of v (through idx, sorted by DN) whose DN is ndn, as an index; -1 if none. */
static long find_dn(struct dir_entry *const *v, const size_t *idx, size_t n, const char *ndn)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ndn, v[idx[mid]]->ndn);

		if (c == 0)
			return (long)idx[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* The user (sorted by name) called name, as an index; -1 if none. */
static long find_user(const struct flat *f, const char *name)
{
	size_t lo = 0, hi = f->nu;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, f->users[mid]->name);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* The member id of a memberUid name: a user, or one of the extras; -1 if invalid. */
static long name_id(const struct flat *f, const char *name)
{
	long u = find_user(f, name);
	const char **hit;

	if (u >= 0)
		return u;
	hit = bsearch(&name, f->extras, f->n_extras, sizeof(*f->extras), cmp_str);
	return hit ? (long)(f->nu + (size_t)(hit - f->extras)) : -1;
}

/* Collect, sort and deduplicate the memberUid names that are not directory users. */
static int collect_extras(struct flat *f)
{
	size_t g, i, n = 0, total = 0;

	for (g = 0; g < f->ng; g++)
		total += f->groups[g]->member_names.n;
	f->extras = malloc((total + 1) * sizeof(*f->extras));
	if (!f->extras)
		return HOSTIAM_ERR_NOMEM;
	for (g = 0; g < f->ng; g++) {
		const struct dir_strv *m = &f->groups[g]->member_names;

		for (i = 0; i < m->n; i++)
			if (hostiam_valid_user_name(m->v[i]) && find_user(f, m->v[i]) < 0)
				f->extras[n++] = m->v[i];
	}
	qsort(f->extras, n, sizeof(*f->extras), cmp_str);
	for (f->n_extras = 0, i = 0; i < n; i++)
		if (f->n_extras == 0 || strcmp(f->extras[f->n_extras - 1], f->extras[i]) != 0)
			f->extras[f->n_extras++] = f->extras[i];
	return 0;
}

/* Record member id once per group (stamp is the group's number plus one). */
static void add_member(struct flat *f, long id, uint32_t stamp)
{
	if (id < 0 || f->member_seen[id] == stamp)
		return;
	f->member_seen[id] = stamp;
	f->ids[f->n_ids++] = (size_t)id;
}

/* Members of group h into the collection; nested groups pushed on the stack. */
static void visit(struct flat *f, size_t h, uint32_t stamp, size_t *sp, int direct)
{
	const struct dir_entry *e = f->groups[h];
	size_t i;

	for (i = 0; i < e->member_names.n; i++)
		add_member(f, name_id(f, e->member_names.v[i]), stamp);
	for (i = 0; i < e->member_dns.n; i++) {
		const char *dn = e->member_dns.v[i];
		long u = find_dn(f->users, f->user_by_dn, f->n_udn, dn), g;

		if (u >= 0) {
			add_member(f, u, stamp);
			continue;
		}
		g = find_dn(f->groups, f->group_by_dn, f->n_gdn, dn);
		if (g >= 0 && f->group_seen[g] != stamp) {
			f->group_seen[g] = stamp;
			f->stack[(*sp)++] = (size_t)g;
		} else if (g < 0 && direct) {
			hostiam_log(LOG_DEBUG,
				    "skipping member: neither a user nor a group here "
				    "member=%s group=%s",
				    dn, e->name);
		}
	}
}

/* Append the sorted member names of group g to the pool; out gets its offset and count. */
static int flatten_one(struct flat *f, size_t g, const char ***pool, size_t *pool_n,
		       size_t *pool_cap, size_t *offset, size_t *count)
{
	uint32_t stamp = (uint32_t)g + 1;
	size_t sp = 0, i;

	f->n_ids = 0;
	f->group_seen[g] = stamp;
	f->stack[sp++] = g;
	while (sp > 0) {
		size_t h = f->stack[--sp];

		visit(f, h, stamp, &sp, h == g);
	}
	if (*pool_n + f->n_ids > *pool_cap) {
		size_t cap = (*pool_cap + f->n_ids) * 2 + 64;
		const char **p = realloc(*pool, cap * sizeof(*p));

		if (!p)
			return HOSTIAM_ERR_NOMEM;
		*pool = p;
		*pool_cap = cap;
	}
	for (i = 0; i < f->n_ids; i++) {
		size_t id = f->ids[i];

		(*pool)[*pool_n + i] = id < f->nu ? f->users[id]->name : f->extras[id - f->nu];
	}
	qsort(*pool + *pool_n, f->n_ids, sizeof(**pool), cmp_str);
	*offset = *pool_n;
	*count = f->n_ids;
	*pool_n += f->n_ids;
	return 0;
}

/* Allocate the per-pass tables of f. */
static int flat_init(struct flat *f)
{
	size_t members = f->nu;

	f->user_by_dn = index_by_dn(f->users, f->nu, &f->n_udn);
	f->group_by_dn = index_by_dn(f->groups, f->ng, &f->n_gdn);
	if (!f->user_by_dn || !f->group_by_dn || collect_extras(f) < 0)
		return HOSTIAM_ERR_NOMEM;
	members += f->n_extras;
	f->member_seen = calloc(members + 1, sizeof(*f->member_seen));
	f->group_seen = calloc(f->ng + 1, sizeof(*f->group_seen));
	/* Each group enters the stack at most once per pass, each member once. */
	f->stack = malloc((f->ng + 1) * sizeof(*f->stack));
	f->ids = malloc((members + 1) * sizeof(*f->ids));
	return f->member_seen && f->group_seen && f->stack && f->ids ? 0 : HOSTIAM_ERR_NOMEM;
}

/* Free the tables of f. */
static void flat_free(struct flat *f)
{
	free(f->user_by_dn);
	free(f->group_by_dn);
	free(f->extras);
	free(f->member_seen);
	free(f->group_seen);
	free(f->stack);
	free(f->ids);
}

int dir_members_flatten(struct dir_entry *const *users, size_t nu, struct dir_entry *const *groups,
			size_t ng, size_t n_out, struct hostiam_cache_group_in *out,
			const char ***pool)
{
	struct flat f = { .users = users, .groups = groups, .nu = nu, .ng = ng };
	size_t g, pool_n = 0, pool_cap = 0, *offsets = calloc(n_out + 1, sizeof(*offsets));
	const char **p = NULL;
	int r = flat_init(&f);

	if (!offsets)
		r = HOSTIAM_ERR_NOMEM;
	for (g = 0; g < n_out && r == 0; g++)
		r = flatten_one(&f, g, &p, &pool_n, &pool_cap, &offsets[g], &out[g].n_members);
	/* The pool may have moved while growing: point into it only at the end. */
	for (g = 0; g < n_out && r == 0; g++)
		out[g].members = p ? p + offsets[g] : NULL;
	flat_free(&f);
	free(offsets);
	if (r < 0) {
		free(p);
		return r;
	}
	*pool = p;
	return 0;
}
