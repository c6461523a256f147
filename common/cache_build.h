/* SPDX-License-Identifier: BSD-2-Clause */
/* Writer internals shared by the full and the delta writer (private to common/cache_*). */
#ifndef HOSTIAM_CACHE_BUILD_H
#define HOSTIAM_CACHE_BUILD_H

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

#endif
