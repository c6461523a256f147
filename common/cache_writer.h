/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writer of the directory cache: builds the file of cache.h from resolved users and
 * groups and publishes it atomically (temp file, fsync, rename, fsync of the directory),
 * then flags the file it replaced so that readers notice without a system call.
 * Links libc only; used by the agent (tools/) and by tests.
 */
#ifndef HOSTIAM_CACHE_WRITER_H
#define HOSTIAM_CACHE_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct hostiam_cache_user_in {
	const char *name;
	uint32_t uid;
	uint32_t gid;
	const char *gecos; /* NULL is stored as "" */
	const char *home;
	const char *shell;
	const char *const *ssh_keys;
	size_t n_ssh_keys;
};

struct hostiam_cache_group_in {
	const char *name;
	uint32_t gid;
	const char *const *members; /* user names, already resolved, flattened, deduplicated */
	size_t n_members;
};

/*
 * Write the cache to path with the given generation and sync time, mode 0644.
 * Names must be valid (names.h) and, like ids, unique (the resolver guarantees it; the writer checks and returns
 * HOSTIAM_ERR_INVALID_ARG otherwise). On any failure the file at path is left untouched.
 */
int hostiam_cache_write(const char *path, const struct hostiam_cache_user_in *users, size_t n_users,
			const struct hostiam_cache_group_in *groups, size_t n_groups,
			uint64_t generation, int64_t sync_time);

/*
 * Lay out the cache in memory without writing it: *image (malloc'd, the caller frees it)
 * and *len. Same checks and errors as hostiam_cache_write(); member names must be valid
 * user names (hostiam_valid_user_name()) and appear at most once per group. For tests,
 * the fuzzer's seed corpus and callers that publish by other means.
 */
int hostiam_cache_build(const struct hostiam_cache_user_in *users, size_t n_users,
			const struct hostiam_cache_group_in *groups, size_t n_groups,
			uint64_t generation, int64_t sync_time, void **image, size_t *len);

/*
 * Publish len bytes as the file at path: temp file in the same directory, fchmod 0644,
 * fsync, rename, fsync of the directory; then set the "replaced" flag in the header of the
 * file that was there before (if it was a cache). On failure before the rename the old
 * file is untouched and the temp file removed. 0 or HOSTIAM_ERR_SYSTEM (errno says why).
 */
int hostiam_cache_publish(const char *path, const void *image, size_t len);

#endif
