/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writer of the delta file (cache_delta_format.h): merges a change set into the current
 * delta, masks the base records it replaces, lays the result out with the ordinary cache
 * builder and publishes it. O(delta + changes): the base is only probed, never copied.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_build.h"
#include "cache_internal.h"
#include "cache_writer.h"
#include "errors.h"
#include "hash.h"
#include "names.h"

struct u32vec {
	uint32_t *v;
	size_t n, cap;
};

/* The new delta taking shape: what survives of the old one, and the base records masked. */
struct merge {
	struct hostiam_cache *cur;
	const struct hc_image *old; /* the current delta's image, or NULL */
	bool *gone[HC_N_MASKS];     /* old delta records replaced or dropped */
	struct u32vec masks[HC_N_MASKS];
	/* The result, for hc_build_image(). */
	struct hostiam_cache_user_in *users;
	struct hostiam_cache_group_in *groups;
	struct hostiam_cache_member_in *members;
	size_t n_users, n_groups, n_members;
	const char **strs; /* keys and member names of the old delta's records */
};

/* Append x to v. */
static int push(struct u32vec *v, uint32_t x)
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
static void sort_unique(struct u32vec *v)
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
static int drop(struct merge *m, enum hc_mask k, find_fn find, const void *key)
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
static int apply(struct merge *m, const struct hostiam_cache_changes *ch)
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
static int alloc_result(struct merge *m, const struct hostiam_cache_changes *ch)
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
static int keep_users(struct merge *m, const struct hostiam_cache_changes *ch, size_t *s)
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
static int keep_groups(struct merge *m, const struct hostiam_cache_changes *ch, size_t *s)
{
	struct hostiam_group_view v;
	int r;

	for (uint32_t i = 0; m->old && i < m->old->hdr->n_groups; i++) {
		if (m->gone[HC_MASK_GROUPS][i])
			continue;
		if ((r = hc_image_group_at(m->old, i, &v)) < 0)
			return r;
		m->groups[m->n_groups++] = (struct hostiam_cache_group_in){ v.name, v.gid,
									    m->strs + *s,
									    v.n_members };
		for (uint32_t k = 0; k < v.n_members; k++)
			if ((r = hc_image_group_member(m->old, i, k, &m->strs[(*s)++])) < 0)
				return r;
	}
	for (size_t i = 0; i < ch->n_groups; i++)
		m->groups[m->n_groups++] = ch->groups[i];
	return 0;
}

/* The old delta's member entries still current, then the changes' that are in a group. */
static int keep_members(struct merge *m, const struct hostiam_cache_changes *ch)
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

/* The key refs of the old delta bound its keys and member names together. */
static int merge_all(struct merge *m, const struct hostiam_cache_changes *ch)
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

static void merge_free(struct merge *m)
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

/* n rounded up to the section alignment. */
static size_t align8(size_t n)
{
	return (n + HC_ALIGN - 1) & ~(size_t)(HC_ALIGN - 1);
}

/* Header, masks and the image into one buffer, with both checksums. */
static int serialize(const struct merge *m, const void *image, size_t image_len, uint64_t gen,
		     void **out, size_t *out_len)
{
	const struct hc_header *b = m->cur->base.hdr;
	struct hc_delta_header h = { .version = HC_DELTA_VERSION,
				     .byte_order = HC_BYTE_ORDER,
				     .header_size = sizeof(h),
				     .base_generation = b->generation,
				     .base_header_checksum = b->header_checksum,
				     .generation = gen };
	size_t off = align8(sizeof(h));
	uint8_t *buf;

	for (int k = 0; k < HC_N_MASKS; k++) {
		h.masks[k] = (struct hc_section_ref){ off, m->masks[k].n * sizeof(uint32_t) };
		off = align8(off + h.masks[k].size);
	}
	h.image = (struct hc_section_ref){ off, image_len };
	h.file_size = off + image_len;
	if (!(buf = calloc(1, h.file_size)))
		return HOSTIAM_ERR_NOMEM;
	for (int k = 0; k < HC_N_MASKS; k++)
		if (m->masks[k].n)
			memcpy(buf + h.masks[k].offset, m->masks[k].v, h.masks[k].size);
	memcpy(buf + off, image, image_len);
	memcpy(h.magic, HC_DELTA_MAGIC, sizeof(h.magic));
	h.body_checksum = hostiam_checksum(buf + sizeof(h), off - sizeof(h));
	h.header_checksum = hostiam_checksum(&h, offsetof(struct hc_delta_header, header_checksum));
	memcpy(buf, &h, sizeof(h));
	*out = buf;
	*out_len = h.file_size;
	return 0;
}

/* After the new delta is in place: readers that had no delta see the base's word move. */
static void bump_delta_seq(void *ctx)
{
	int fd = *(const int *)ctx;
	uint32_t seq;

	/* Best effort, like the replaced flag: the old delta's flag is already set. */
	if (pread(fd, &seq, sizeof(seq), HC_DELTA_SEQ_OFFSET) != (ssize_t)sizeof(seq))
		return;
	seq++;
	if (pwrite(fd, &seq, sizeof(seq), HC_DELTA_SEQ_OFFSET) != (ssize_t)sizeof(seq))
		return;
}

/* qsort order of member entries by name. */
static int cmp_member_name(const void *a, const void *b)
{
	return strcmp(((const struct hostiam_cache_member_in *)a)->name,
		      ((const struct hostiam_cache_member_in *)b)->name);
}

/* What the builder does not see: drop names, and members left in no group or repeated. */
static int check_changes(const struct hostiam_cache_changes *ch)
{
	struct hostiam_cache_member_in *sorted;
	int r = 0;

	for (size_t i = 0; i < ch->n_drop_user_names; i++)
		if (!hostiam_valid_user_name(ch->drop_user_names[i]))
			return HOSTIAM_ERR_INVALID_ARG;
	for (size_t i = 0; i < ch->n_drop_group_names; i++)
		if (!hostiam_valid_group_name(ch->drop_group_names[i]))
			return HOSTIAM_ERR_INVALID_ARG;
	for (size_t i = 0; i < ch->n_members; i++) {
		const struct hostiam_cache_member_in *mi = &ch->members[i];

		if (!hostiam_valid_user_name(mi->name) || (mi->n_gids && !mi->gids))
			return HOSTIAM_ERR_INVALID_ARG;
		for (size_t k = 1; k < mi->n_gids; k++)
			if (mi->gids[k] <= mi->gids[k - 1])
				return HOSTIAM_ERR_INVALID_ARG;
	}
	if (!(sorted = malloc((ch->n_members + 1) * sizeof(*sorted))))
		return HOSTIAM_ERR_NOMEM;
	if (ch->n_members)
		memcpy(sorted, ch->members, ch->n_members * sizeof(*sorted));
	qsort(sorted, ch->n_members, sizeof(*sorted), cmp_member_name);
	for (size_t i = 1; i < ch->n_members && r == 0; i++)
		if (strcmp(sorted[i].name, sorted[i - 1].name) == 0)
			r = HOSTIAM_ERR_INVALID_ARG;
	free(sorted);
	return r;
}

/* True if every array of ch is there when its count says so. */
static bool changes_ok(const struct hostiam_cache_changes *ch)
{
	return (!ch->n_users || ch->users) && (!ch->n_groups || ch->groups) &&
		(!ch->n_members || ch->members) &&
		(!ch->n_drop_user_names || ch->drop_user_names) &&
		(!ch->n_drop_uids || ch->drop_uids) &&
		(!ch->n_drop_group_names || ch->drop_group_names) &&
		(!ch->n_drop_gids || ch->drop_gids);
}

/*
 * The base at path, opened for its delta_seq word, and the cache read through it; the
 * two must be the same file (one writer at a time: another one's full base in between
 * is a caller's bug, reported as EBUSY).
 */
static int open_current(const char *path, int *fd, struct hostiam_cache **cur)
{
	struct stat st;
	int r;

	if ((*fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return errno == ENOENT ? HOSTIAM_ERR_CACHE_MISSING : HOSTIAM_ERR_SYSTEM;
	if ((r = hostiam_cache_open(path, cur)) < 0)
		return r;
	if (fstat(*fd, &st) < 0)
		return HOSTIAM_ERR_SYSTEM;
	if (!hostiam_cache_is_file(*cur, &st)) {
		errno = EBUSY;
		return HOSTIAM_ERR_SYSTEM;
	}
	return 0;
}

/* Build the new delta from m and publish it as dpath; bumps the base's word through fd. */
static int publish_delta(const char *dpath, const struct merge *m, uint64_t gen, int64_t sync_time,
			 int fd)
{
	const struct hc_build_in in = { m->users,    m->n_users, m->groups,
					m->n_groups, m->members, m->n_members };
	void *image = NULL, *buf = NULL;
	size_t len = 0, blen = 0;
	int r;

	if ((r = hc_build_image(&in, gen, sync_time, &image, &len)) == 0 &&
	    (r = serialize(m, image, len, gen, &buf, &blen)) == 0)
		r = hc_publish(dpath, buf, blen, HC_DELTA_MAGIC, HC_DELTA_REPLACED_OFFSET,
			       bump_delta_seq, &fd);
	free(image);
	free(buf);
	return r;
}

int hostiam_cache_write_delta(const char *path, const struct hostiam_cache_changes *ch,
			      int64_t sync_time, uint64_t *generation, size_t *records)
{
	struct merge m = { 0 };
	struct hostiam_cache_info info;
	char dpath[PATH_MAX];
	int fd = -1, r;

	if (!path || !ch || !generation || !records || !changes_ok(ch))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((size_t)snprintf(dpath, sizeof(dpath), "%s%s", path, HC_DELTA_SUFFIX) >= sizeof(dpath))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = check_changes(ch)) < 0 || (r = open_current(path, &fd, &m.cur)) < 0)
		goto out;
	m.old = m.cur->delta ? &m.cur->delta->img : NULL;
	hostiam_cache_get_info(m.cur, &info);
	if ((r = merge_all(&m, ch)) < 0 ||
	    (r = publish_delta(dpath, &m, info.generation + 1, sync_time, fd)) < 0)
		goto out;
	*generation = info.generation + 1;
	*records = m.n_users + m.n_groups + m.n_members + m.masks[0].n + m.masks[1].n +
		m.masks[2].n;
out:
	merge_free(&m);
	hostiam_cache_close(m.cur);
	if (fd >= 0)
		close(fd);
	return r;
}
