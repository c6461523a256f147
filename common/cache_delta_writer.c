/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writer of the delta file (cache_delta_format.h): checks a change set, merges it into the
 * current delta (cache_delta_merge.c), lays the result out with the ordinary cache builder
 * behind the delta's header and masks, and publishes it. O(delta + changes).
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

/* n rounded up to the section alignment. */
static size_t align8(size_t n)
{
	return (n + HC_ALIGN - 1) & ~(size_t)(HC_ALIGN - 1);
}

/* Header, masks and the image into one buffer, with both checksums. */
static int serialize(const struct hc_merge *m, const void *image, size_t image_len, uint64_t gen,
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
static int publish_delta(const char *dpath, const struct hc_merge *m, uint64_t gen,
			 int64_t sync_time, int fd)
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
	struct hc_merge m = { 0 };
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
	if ((r = hc_merge_changes(&m, ch)) < 0 ||
	    (r = publish_delta(dpath, &m, info.generation + 1, sync_time, fd)) < 0)
		goto out;
	*generation = info.generation + 1;
	*records = m.n_users + m.n_groups + m.n_members + m.masks[0].n + m.masks[1].n +
		m.masks[2].n;
out:
	hc_merge_free(&m);
	hostiam_cache_close(m.cur);
	if (fd >= 0)
		close(fd);
	return r;
}
