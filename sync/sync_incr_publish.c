/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A batch of changes resolved alone and published as a delta (see sync_incremental.h):
 * users become records or drops; groups records, drops and the member index entries
 * whose gid lists they move, read from the published cache and edited.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth_cache.h"
#include "cache.h"
#include "cache_writer.h"
#include "dir_intern.h"
#include "dir_local.h"
#include "dir_resolve.h"
#include "errors.h"
#include "log.h"
#include "names.h"
#include "parse_num.h"
#include "sync_full.h"
#include "sync_incremental.h"
#include "sync_publish.h"

#define ID_MAX 4294967294UL

/* One edit of a member's gid list: gid leaves it (add false) or joins it. */
struct edit {
	const char *name;
	uint32_t gid;
	bool add;
};

/* Everything the batch publishes, and the storage behind it. */
struct batch {
	struct hostiam_cache_changes ch;
	struct hostiam_cache_user_in *users;
	struct hostiam_account_attrs *accts;
	struct hostiam_auth_entry *auth;
	size_t n_auth;
	const char **auth_drop;
	size_t n_auth_drop;
	const char **dun, **dgn; /* dropped user and group names */
	uint32_t *duid, *dgid;
	struct hostiam_cache_group_in *groups;
	const char ***group_members; /* per group record, owned arrays */
	struct edit *edits;
	size_t n_edits, cap_edits;
	struct hostiam_cache_member_in *members;
	uint32_t *gid_pool;
	size_t n_members;
	size_t users_before; /* changed users the cache had, for the shrink guard */
	struct hostiam_cache *cur;
};

/* The id of e, if it parses. */
static bool id_of(const struct dir_entry *e, uint32_t *id)
{
	unsigned long v;

	if (!e || !dir_text(e, DIR_ID) ||
	    hostiam_parse_ulong(dir_text(e, DIR_ID), 0, ID_MAX, &v) < 0)
		return false;
	*id = (uint32_t)v;
	return true;
}

/* Allocate the arrays of b for nu user and ng group changes. */
static int batch_init(struct batch *b, size_t nu, size_t ng)
{
	b->users = calloc(nu + 1, sizeof(*b->users));
	b->accts = calloc(nu + 1, sizeof(*b->accts));
	b->auth = calloc(nu + 1, sizeof(*b->auth));
	b->auth_drop = calloc(2 * nu + 1, sizeof(*b->auth_drop));
	b->dun = calloc(nu + 1, sizeof(*b->dun));
	b->duid = calloc(nu + 1, sizeof(*b->duid));
	b->dgn = calloc(ng + 1, sizeof(*b->dgn));
	b->dgid = calloc(ng + 1, sizeof(*b->dgid));
	b->groups = calloc(ng + 1, sizeof(*b->groups));
	b->group_members = calloc(ng + 1, sizeof(*b->group_members));
	return b->users && b->accts && b->auth && b->auth_drop && b->dun && b->duid && b->dgn &&
			b->dgid && b->groups && b->group_members ?
		0 :
		HOSTIAM_ERR_NOMEM;
}

static void batch_free(struct batch *b)
{
	for (size_t i = 0; b->group_members && i < b->ch.n_groups; i++)
		free(b->group_members[i]);
	free(b->users);
	free(b->accts);
	free(b->auth);
	free(b->auth_drop);
	free(b->dun);
	free(b->duid);
	free(b->dgn);
	free(b->dgid);
	free(b->groups);
	free(b->group_members);
	free(b->edits);
	free(b->members);
	free(b->gid_pool);
	hostiam_cache_close(b->cur);
}

/* One user change: drop what it was, set what it is. */
static void user_change(struct batch *b, const struct incr_change *c, const struct dir_policy *p,
			const struct dir_local *l)
{
	struct hostiam_cache_changes *ch = &b->ch;
	struct hostiam_user_view v;
	uint32_t id;

	if (c->old && dir_text(c->old, DIR_NAME)) {
		ch->drop_user_names = b->dun;
		b->dun[ch->n_drop_user_names++] = dir_text(c->old, DIR_NAME);
		b->auth_drop[b->n_auth_drop++] = dir_text(c->old, DIR_NAME);
		if (hostiam_cache_user_by_name(b->cur, dir_text(c->old, DIR_NAME), &v) == 0)
			b->users_before++;
	}
	if (id_of(c->old, &id)) {
		ch->drop_uids = b->duid;
		b->duid[ch->n_drop_uids++] = id;
	}
	if (!c->now)
		return;
	if (dir_text(c->now, DIR_NAME) && hostiam_valid_user_name(dir_text(c->now, DIR_NAME)))
		b->auth_drop[b->n_auth_drop++] = dir_text(c->now, DIR_NAME);
	if (dir_resolve_user(c->now, p, l, &b->users[ch->n_users], &b->accts[ch->n_users],
			     &b->auth[b->n_auth]) == 1) {
		ch->users = b->users;
		ch->n_users++;
		if (b->auth[b->n_auth].user)
			b->n_auth++;
	}
}

/* Order names (strcmp). */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Record an edit of name's gid list. */
static int edit(struct batch *b, const char *name, uint32_t gid, bool add)
{
	if (b->n_edits == b->cap_edits) {
		size_t cap = b->cap_edits * 2 + 256;
		struct edit *v = realloc(b->edits, cap * sizeof(*v));

		if (!v)
			return HOSTIAM_ERR_NOMEM;
		b->edits = v;
		b->cap_edits = cap;
	}
	b->edits[b->n_edits++] = (struct edit){ name, gid, add };
	return 0;
}

/* The members of group e as the full resolve gives them: valid memberUid names, sorted, once. */
static int group_members(const struct dir_entry *e, const char ***out, size_t *n)
{
	const struct dir_names *names = dir_member_names(e);
	const char **v = calloc(names->n + 1, sizeof(*v));
	size_t i, k = 0, j = 0;

	if (!v)
		return HOSTIAM_ERR_NOMEM;
	struct dir_names_cursor c = { names->code, 0 };

	for (i = 0; i < names->n; i++) {
		const char *name = dir_intern_str(dir_names_next(&c));

		if (hostiam_valid_user_name(name))
			v[k++] = name;
	}
	qsort(v, k, sizeof(*v), cmp_str);
	for (i = 0; i < k; i++)
		if (j == 0 || strcmp(v[j - 1], v[i]) != 0)
			v[j++] = v[i];
	*out = v;
	*n = j;
	return 0;
}

/* The old cached version of a changed group: drops, and its members lose its gid. */
static int group_drop(struct batch *b, const struct dir_entry *old)
{
	struct hostiam_cache_changes *ch = &b->ch;
	struct hostiam_group_view g;
	const char *m;
	uint32_t id;
	int r = 0;

	if (id_of(old, &id)) {
		ch->drop_gids = b->dgid;
		b->dgid[ch->n_drop_gids++] = id;
	}
	if (!old || !dir_text(old, DIR_NAME))
		return 0;
	ch->drop_group_names = b->dgn;
	b->dgn[ch->n_drop_group_names++] = dir_text(old, DIR_NAME);
	if (hostiam_cache_group_by_name(b->cur, dir_text(old, DIR_NAME), &g) != 0)
		return 0;
	for (uint32_t i = 0; i < g.n_members && r == 0; i++) {
		r = hostiam_cache_group_member(b->cur, &g, i, &m);
		if (r == 0)
			r = edit(b, m, g.gid, false);
	}
	return r;
}

/* One group change: drop what it was, set what it is, edit its members' gid lists. */
static int group_change(struct batch *b, const struct incr_change *c, const struct dir_policy *p,
			const struct dir_local *l)
{
	struct hostiam_cache_changes *ch = &b->ch;
	struct hostiam_cache_group_in *g = &b->groups[ch->n_groups];
	const char **members;
	size_t n, i;
	int r = group_drop(b, c->old);

	if (r < 0 || !c->now || dir_resolve_group(c->now, p, l, g) != 1)
		return r;
	if ((r = group_members(c->now, &members, &n)) < 0)
		return r;
	b->group_members[ch->n_groups] = members;
	g->members = members;
	g->n_members = n;
	ch->groups = b->groups;
	ch->n_groups++;
	for (i = 0; i < n && r == 0; i++)
		r = edit(b, members[i], g->gid, true);
	return r;
}

/* Order edits by name, removals before additions. */
static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)x->add - (int)y->add;
}

/* gid list v (n, sorted) with gid removed or added, in place (room for one more). */
static size_t apply(uint32_t *v, size_t n, uint32_t gid, bool add)
{
	size_t i = 0;

	while (i < n && v[i] < gid)
		i++;
	if (i < n && v[i] == gid) {
		if (!add)
			memmove(v + i, v + i + 1, (n - i - 1) * sizeof(*v));
		return add ? n : n - 1;
	}
	if (!add)
		return n;
	memmove(v + i + 1, v + i, (n - i) * sizeof(*v));
	v[i] = gid;
	return n + 1;
}

/* The new gid list of each edited member, from the cache's and the edits. */
static int member_lists(struct batch *b)
{
	size_t i, j, total = 0, at = 0;

	if (b->n_edits == 0)
		return 0;
	qsort(b->edits, b->n_edits, sizeof(*b->edits), cmp_edit);
	for (i = 0; i < b->n_edits; i = j) {
		const uint32_t *gids;
		uint32_t n = 0;

		for (j = i; j < b->n_edits && strcmp(b->edits[i].name, b->edits[j].name) == 0; j++)
			;
		if (hostiam_cache_member_gids(b->cur, b->edits[i].name, &gids, &n) < 0)
			n = 0;
		total += n + (j - i);
	}
	b->members = calloc(b->n_edits + 1, sizeof(*b->members));
	b->gid_pool = calloc(total + 1, sizeof(*b->gid_pool));
	if (!b->members || !b->gid_pool)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; i < b->n_edits; i = j) {
		struct hostiam_cache_member_in *m = &b->members[b->n_members++];
		uint32_t *v = b->gid_pool + at, n = 0;
		const uint32_t *gids;
		size_t k = 0;

		if (hostiam_cache_member_gids(b->cur, b->edits[i].name, &gids, &n) == 0 && n > 0) {
			memcpy(v, gids, n * sizeof(*v));
			k = n;
		} else {
			n = 0;
		}
		for (j = i; j < b->n_edits && strcmp(b->edits[i].name, b->edits[j].name) == 0; j++)
			k = apply(v, k, b->edits[j].gid, b->edits[j].add);
		/* A group rewritten with the same gid moves none of its steady members. */
		if (k == n && (n == 0 || memcmp(v, gids, n * sizeof(*v)) == 0)) {
			b->n_members--;
			continue;
		}
		m->name = b->edits[i].name;
		m->gids = v;
		m->n_gids = k;
		/* Past the room the first pass set aside for this member, not past what it
		   holds now: with more additions than removals k is larger. */
		at += n + (j - i);
	}
	b->ch.members = b->members;
	b->ch.n_members = b->n_members;
	return 0;
}

/* Build the batch from the changes; 0 or HOSTIAM_ERR_*. */
static int build(struct batch *b, const struct hostiam_config *cfg, struct incr_change *const ch[2],
		 const size_t n[2])
{
	struct dir_schema schema;
	struct dir_policy p;
	struct dir_local l;
	size_t i;
	int r;

	sync_schema(cfg, &schema, &p);
	if ((r = batch_init(b, n[0], n[1])) < 0 || (r = dir_local_load(&l)) < 0)
		return r;
	for (i = 0; i < n[0]; i++)
		user_change(b, &ch[0][i], &p, &l);
	for (i = 0; i < n[1] && r == 0; i++)
		r = group_change(b, &ch[1][i], &p, &l);
	dir_local_free(&l);
	return r == 0 ? member_lists(b) : r;
}

/* True if going from before to after loses more than half (the full publish's guard). */
static bool lost_half(uint32_t before, uint64_t after)
{
	return before > 0 && after * 2 < before;
}

/* The compaction rule: a delta past this many records is folded into a new base. */
static size_t delta_limit(const struct sync_incr *st)
{
	size_t l = st->base_records / 32;

	return l < 4096 ? 4096 : l;
}

/* True for the errors that say "this file cannot take a change: write it whole". */
static bool needs_full(int r)
{
	return r == HOSTIAM_ERR_CACHE_MISSING || r == HOSTIAM_ERR_CACHE_VERSION ||
		r == HOSTIAM_ERR_CACHE_CORRUPT;
}

/* Publish b: auth.cache first (a user gone loses MFA no later than the NSS entry). */
static int publish_batch(struct sync_incr *st, const struct hostiam_config *cfg, struct batch *b,
			 uint64_t *gen, char *err, size_t err_len)
{
	size_t records = 0;
	int r;

	r = hostiam_auth_cache_update(cfg->cache.auth_path, b->auth, b->n_auth, b->auth_drop,
				      b->n_auth_drop);
	if (needs_full(r))
		return SYNC_INCR_FULL;
	if (r < 0) {
		snprintf(err, err_len, "cannot write %s: %s", cfg->cache.auth_path,
			 hostiam_strerror(r));
		return r;
	}
	r = hostiam_cache_write_delta(cfg->cache.nss_path, &b->ch, (int64_t)time(NULL), gen,
				      &records);
	if (needs_full(r))
		return SYNC_INCR_FULL;
	if (r < 0) {
		snprintf(err, err_len, "cannot write the delta of %s: %s", cfg->cache.nss_path,
			 hostiam_strerror(r));
		return r;
	}
	st->delta_records = records;
	return 0;
}

/* Log the publish and record it in sync.status, with the counts of the cache now. */
static void report(const struct hostiam_config *cfg, const struct sync_session *s,
		   const struct batch *b, uint64_t gen)
{
	struct dir_resolved counts = { 0 };
	struct hostiam_cache_info info = { 0 };
	struct hostiam_cache *c = NULL;
	char msg[128];

	if (hostiam_cache_open(cfg->cache.nss_path, &c) == 0) {
		hostiam_cache_get_info(c, &info);
		hostiam_cache_close(c);
	}
	counts.n_users = info.n_users;
	counts.n_groups = info.n_groups;
	hostiam_log(LOG_INFO,
		    "sync published generation=%" PRIu64 " delta users=%zu/-%zu groups=%zu/-%zu "
		    "members=%zu total_users=%u total_groups=%u server=%s",
		    gen, b->ch.n_users, b->ch.n_drop_user_names, b->ch.n_groups,
		    b->ch.n_drop_group_names, b->ch.n_members, (unsigned)info.n_users,
		    (unsigned)info.n_groups, s[0].conn.uri);
	snprintf(msg, sizeof(msg), "published generation %" PRIu64, gen);
	sync_record(cfg, 1, msg, s[0].conn.uri, &counts);
}

int sync_incr_publish(struct sync_incr *st, const struct hostiam_config *cfg,
		      struct sync_session *s, char *err, size_t err_len)
{
	struct incr_change *ch[2] = { NULL, NULL };
	struct hostiam_cache_info info;
	struct batch b = { 0 };
	size_t n[2] = { 0, 0 };
	const char *why = "";
	uint64_t gen = 0;
	int r;

	if (!st->ready || s[0].journal.overflow || s[1].journal.overflow)
		return SYNC_INCR_FULL;
	if (st->delta_records > delta_limit(st)) {
		hostiam_log(LOG_INFO, "folding the delta into a new cache records=%zu",
			    st->delta_records);
		return SYNC_INCR_FULL;
	}
	if ((r = incr_changes(&s[0], &ch[0], &n[0])) < 0 ||
	    (r = incr_changes(&s[1], &ch[1], &n[1])) < 0)
		goto out;
	if ((r = incr_eligible(st, s, ch, n, &why)) <= 0) {
		if (r == 0)
			hostiam_log(LOG_INFO, "publishing in full: %s", why);
		r = r == 0 ? SYNC_INCR_FULL : r;
		goto out;
	}
	if ((r = hostiam_cache_open(cfg->cache.nss_path, &b.cur)) < 0) {
		r = SYNC_INCR_FULL;
		goto out;
	}
	if ((r = build(&b, cfg, ch, n)) < 0)
		goto out;
	hostiam_cache_get_info(b.cur, &info);
	if (lost_half(info.n_users, (uint64_t)info.n_users - b.users_before + b.ch.n_users)) {
		r = SYNC_INCR_FULL; /* the full publish refuses it, with its message */
		goto out;
	}
	if ((r = publish_batch(st, cfg, &b, &gen, err, err_len)) == 0)
		report(cfg, s, &b, gen);
out:
	if (r < 0 && r != SYNC_INCR_FULL && !*err)
		snprintf(err, err_len, "%s", hostiam_strerror(r));
	batch_free(&b);
	free(ch[0]);
	free(ch[1]);
	return r;
}
