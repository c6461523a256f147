/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Opening the cache: the base file and its delta, both mapped read-only and shared, and
 * what a caller asks of the pair as a whole (replaced?, which file?, info, verify).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_internal.h"
#include "errors.h"

/*
 * How often a delta for a newer base sends us back to the base: each time means the
 * agent published a full base between our two opens, a window of microseconds.
 */
#define MAX_REOPENS 8

int hostiam_cache_attach(const void *buf, size_t len, struct hostiam_cache **out)
{
	struct hostiam_cache *c;
	int r;

	if (!(c = calloc(1, sizeof(*c))))
		return HOSTIAM_ERR_NOMEM;
	if ((r = hc_image_attach(&c->base, buf, len)) < 0) {
		free(c);
		return r;
	}
	c->delta_seq = __atomic_load_n(&c->base.hdr->delta_seq, __ATOMIC_ACQUIRE);
	*out = c;
	return 0;
}

/* Refuse files an unprivileged user could have written (like sshd's StrictModes). */
static int check_file(const struct stat *st, size_t min_size)
{
	if (!S_ISREG(st->st_mode))
		return HOSTIAM_ERR_INSECURE_FILE;
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return HOSTIAM_ERR_INSECURE_FILE;
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return HOSTIAM_ERR_INSECURE_FILE;
	if (st->st_size < (off_t)min_size)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return 0;
}

/* Map the opened file read-only and shared, so that later flags show through. */
static int map_fd(int fd, size_t min_size, const void **map, size_t *len, struct stat *st)
{
	void *m;
	int r;

	if (fstat(fd, st) < 0)
		return HOSTIAM_ERR_SYSTEM;
	if ((r = check_file(st, min_size)) < 0)
		return r;
	m = mmap(NULL, (size_t)st->st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return HOSTIAM_ERR_SYSTEM;
	*map = m;
	*len = (size_t)st->st_size;
	return 0;
}

int hc_map_file(const char *path, size_t min_size, const void **map, size_t *len, struct stat *st)
{
	int fd, r, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return HOSTIAM_ERR_CACHE_MISSING;
		return errno == ELOOP ? HOSTIAM_ERR_INSECURE_FILE : HOSTIAM_ERR_SYSTEM;
	}
	r = map_fd(fd, min_size, map, len, st);
	saved = errno; /* close() must not hide why mapping failed */
	close(fd);
	errno = saved;
	return r;
}

/* Map and attach the base file at path. */
static int open_base(const char *path, struct hostiam_cache **out)
{
	struct hostiam_cache *c = NULL;
	const void *map;
	struct stat st;
	size_t len;
	int r;

	if ((r = hc_map_file(path, sizeof(struct hc_header), &map, &len, &st)) < 0)
		return r;
	if ((r = hostiam_cache_attach(map, len, &c)) < 0) {
		munmap((void *)map, len);
		return r;
	}
	c->mapped = true;
	hc_image_track_verified(&c->base);
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	*out = c;
	return 0;
}

/*
 * Map path".delta" onto c when it applies. 0 (with or without a delta), 1 when it is for a
 * newer base (reopen both), or an error. c->delta_seq was read before this open, so a delta
 * published after it is noticed by hostiam_cache_replaced().
 */
static int open_delta(struct hostiam_cache *c, const char *path)
{
	char dpath[PATH_MAX];
	const void *map;
	struct stat st;
	size_t len;
	int r;

	if ((size_t)snprintf(dpath, sizeof(dpath), "%s%s", path, HC_DELTA_SUFFIX) >=
	    sizeof(dpath)) {
		errno = ENAMETOOLONG;
		return HOSTIAM_ERR_SYSTEM;
	}
	r = hc_map_file(dpath, sizeof(struct hc_delta_header), &map, &len, &st);
	if (r == HOSTIAM_ERR_CACHE_MISSING)
		return 0;
	if (r < 0)
		return r;
	c->delta_file = true;
	c->delta_dev = st.st_dev;
	c->delta_ino = st.st_ino;
	r = hc_delta_attach(c, map, len);
	if (c->delta) {
		c->delta->mapped = true;
		hc_image_track_verified(&c->delta->img);
	} else
		munmap((void *)map, len);
	return r;
}

int hostiam_cache_open(const char *path, struct hostiam_cache **out)
{
	struct hostiam_cache *c = NULL;
	int r;

	if (!path || !out)
		return HOSTIAM_ERR_INVALID_ARG;
	for (int attempt = 0; attempt < MAX_REOPENS; attempt++) {
		if ((r = open_base(path, &c)) < 0)
			return r;
		if ((r = open_delta(c, path)) == 0) {
			*out = c;
			return 0;
		}
		hostiam_cache_close(c);
		if (r < 0)
			return r;
	}
	/* Still a delta for a base we cannot see: the pair does not belong together. */
	return HOSTIAM_ERR_CACHE_CORRUPT;
}

void hostiam_cache_close(struct hostiam_cache *c)
{
	if (!c)
		return;
	if (c->delta)
		free(c->delta->img.verified);
	hc_delta_free(c->delta);
	free(c->base.verified);
	if (c->mapped)
		munmap((void *)c->base.base, c->base.size);
	free(c);
}

bool hostiam_cache_replaced(const struct hostiam_cache *c)
{
	/* Other processes write these words through their own descriptors: read them fresh. */
	if (__atomic_load_n(&c->base.hdr->replaced, __ATOMIC_RELAXED) != 0 ||
	    __atomic_load_n(&c->base.hdr->delta_seq, __ATOMIC_RELAXED) != c->delta_seq)
		return true;
	return c->delta && __atomic_load_n(&c->delta->hdr->replaced, __ATOMIC_RELAXED) != 0;
}

bool hostiam_cache_is_file(const struct hostiam_cache *c, const struct stat *st)
{
	return c->mapped && c->dev == st->st_dev && c->ino == st->st_ino;
}

bool hostiam_cache_delta_is_file(const struct hostiam_cache *c, const struct stat *st)
{
	if (!st)
		return !c->delta_file;
	return c->delta_file && c->delta_dev == st->st_dev && c->delta_ino == st->st_ino;
}

void hostiam_cache_get_info(const struct hostiam_cache *c, struct hostiam_cache_info *out)
{
	const struct hc_header *b = c->base.hdr;
	const struct hc_delta *d = c->delta;

	out->base_generation = b->generation;
	out->file_size = c->base.size;
	if (!d) {
		out->generation = b->generation;
		out->sync_time = b->sync_time;
		out->n_users = b->n_users;
		out->n_groups = b->n_groups;
		return;
	}
	/* Masks are below the base's counts (checked at open): no underflow. */
	out->generation = d->hdr->generation;
	out->sync_time = d->img.hdr->sync_time;
	out->n_users = b->n_users - d->n_masks[HC_MASK_USERS] + d->img.hdr->n_users;
	out->n_groups = b->n_groups - d->n_masks[HC_MASK_GROUPS] + d->img.hdr->n_groups;
	out->file_size += d->size;
}

int hostiam_cache_verify(const struct hostiam_cache *c)
{
	int r = hc_image_verify(&c->base);

	return r < 0 || !c->delta ? r : hc_delta_verify(c->delta);
}
