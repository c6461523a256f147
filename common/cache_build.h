/* SPDX-License-Identifier: BSD-2-Clause */
/* Writer internals shared by the full and the delta writer (private to common/cache_*). */
#ifndef HOSTIAM_CACHE_BUILD_H
#define HOSTIAM_CACHE_BUILD_H

#include <stddef.h>
#include <stdint.h>

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

/*
 * Publish len bytes at path like hostiam_cache_publish(): temp, fsync, rename; then set
 * the uint32 at flag_offset to 1 in the file replaced (if it starts with the 8 bytes of
 * magic) and call after(ctx) (if not NULL), both before the directory fsync.
 */
int hc_publish(const char *path, const void *image, size_t len, const char *magic,
	       size_t flag_offset, void (*after)(void *ctx), void *ctx);

#endif
