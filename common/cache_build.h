/* SPDX-License-Identifier: BSD-2-Clause */
/* Writer internals shared by the full and the delta writer (private to common/cache_*). */
#ifndef HOSTIAM_CACHE_BUILD_H
#define HOSTIAM_CACHE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache_internal.h"
#include "cache_writer.h"

struct hc_build_in {
	const struct hostiam_cache_user_in *users;
	size_t n_users;
	const struct hostiam_cache_group_in *groups;
	size_t n_groups;
	/*
	 * NULL: the member index is derived from the groups (a full cache). Else exactly
	 * these entries (a delta's image, whose groups are only the changed ones): names
	 * distinct and valid, each with n_gids >= 1 sorted unique gids.
	 */
	const struct hostiam_cache_member_in *members;
	size_t n_members;
};

/* hostiam_cache_build() with an optional explicit member index; same checks and errors. */
int hc_build_image(const struct hc_build_in *in, uint64_t generation, int64_t sync_time,
		   void **image, size_t *len);

/* The sections of a cache being built, in file order (enum hc_section). */
struct hc_sections {
	const void *data[HC_N_SECTIONS];
	size_t size[HC_N_SECTIONS];
};

/*
 * Lay out sections of s in h: magic, version, byte order, header size, section offsets and
 * the file size. The counts, generation and sync time are the caller's to set.
 */
void hc_layout(const struct hc_sections *s, struct hc_header *h);

/* The file of s and h (laid out and sealed here) as one image, malloc'd; 0 or NOMEM. */
int hc_image_make(const struct hc_sections *s, struct hc_header *h, void **image, size_t *len);

/*
 * The file of s and h written into fd, a new empty file: the sections of early (bit i for
 * section i), final already, are written on a thread while finish(ctx) completes the
 * others (their sizes must not change; their data pointers may), then the rest, the
 * checksums and the header. The same bytes as hc_image_make. 0, finish's error, or
 * HOSTIAM_ERR_SYSTEM (errno).
 */
struct hc_stream {
	int fd;
	struct hc_sections *s;
	struct hc_header *h;
	unsigned early;
	int (*finish)(void *ctx);
	void *ctx;
};
int hc_stream_write(const struct hc_stream *st);

/* A growable array of uint32_t: a mask being built. */
struct hc_u32vec {
	uint32_t *v;
	size_t n, cap;
};

/* The new delta taking shape: what survives of the old one, and the base records masked. */
struct hc_merge {
	struct hostiam_cache *cur;
	const struct hc_image *old; /* the current delta's image, or NULL */
	bool *gone[HC_N_MASKS];     /* old delta records replaced or dropped */
	struct hc_u32vec masks[HC_N_MASKS];
	/* The result, for hc_build_image(). */
	struct hostiam_cache_user_in *users;
	struct hostiam_cache_group_in *groups;
	struct hostiam_cache_member_in *members;
	size_t n_users, n_groups, n_members;
	const char **strs; /* keys and member names of the old delta's records */
};

/*
 * Merge ch into the delta of m->cur (m->old: its image, or NULL): m's result (records
 * pointing into the old delta's mapping and into ch) and masks (sorted, unique). 0, an
 * error of the current files' records, or HOSTIAM_ERR_NOMEM. hc_merge_free() in any case.
 */
int hc_merge_changes(struct hc_merge *m, const struct hostiam_cache_changes *ch);
void hc_merge_free(struct hc_merge *m);

/*
 * Publish len bytes at path like hostiam_cache_publish(): temp, fsync, rename; then set
 * the uint32 at flag_offset to 1 in the file replaced (if it starts with the 8 bytes of
 * magic) and call after(ctx) (if not NULL), both before the directory fsync.
 */
int hc_publish(const char *path, const void *image, size_t len, const char *magic,
	       size_t flag_offset, void (*after)(void *ctx), void *ctx);

/* hc_publish with the file's bytes written by write(fd, wctx) (0 or a HOSTIAM_ERR_*). */
int hc_publish_with(const char *path, int (*write)(int fd, void *wctx), void *wctx,
		    const char *magic, size_t flag_offset, void (*after)(void *ctx), void *ctx);

/* hostiam_cache_publish with the file's bytes written by write(fd, wctx). */
int hc_publish_cache_with(const char *path, int (*write)(int fd, void *wctx), void *wctx);

#endif
