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
	/*
	 * Optional (NULL: none), for speed: a number per member, the same for the same name
	 * pointer across all groups, below the number of memberships of all groups (the
	 * resolver's numbering of the distinct names). The writer then finds each distinct name once instead of once
	 * per membership (3.3 million at 100,000 users). A number that comes with another
	 * pointer than before is looked up by name: the output never depends on it.
	 */
	const uint32_t *member_ids;
};

/* A member index entry of a delta: the complete gid list of a member whose groups changed. */
struct hostiam_cache_member_in {
	const char *name;     /* a valid user name */
	const uint32_t *gids; /* sorted, unique */
	size_t n_gids;        /* 0: the member is in no group any more (masked, not stored) */
};

/* One change set for hostiam_cache_write_delta(). */
struct hostiam_cache_changes {
	/*
	 * Current records: each replaces any record (base or earlier delta) with the same
	 * name or the same id.
	 */
	const struct hostiam_cache_user_in *users;
	size_t n_users;
	const struct hostiam_cache_group_in *groups;
	size_t n_groups;
	const struct hostiam_cache_member_in *members;
	size_t n_members;
	/*
	 * Records gone: any record with this name / id disappears. Applied before the
	 * records above (a rename = drop old name + set new record).
	 */
	const char *const *drop_user_names;
	size_t n_drop_user_names;
	const uint32_t *drop_uids;
	size_t n_drop_uids;
	const char *const *drop_group_names;
	size_t n_drop_group_names;
	const uint32_t *drop_gids;
	size_t n_drop_gids;
};

/*
 * Write the cache to path with the given generation and sync time, mode 0644,
 * and remove "<path>.delta" once the new file is in place (cache_delta_format.h).
 * Names must be valid (names.h) and, like ids, unique (the resolver guarantees it; the writer checks and returns
 * HOSTIAM_ERR_INVALID_ARG otherwise). On any failure the file at path is left untouched.
 */
int hostiam_cache_write(const char *path, const struct hostiam_cache_user_in *users, size_t n_users,
			const struct hostiam_cache_group_in *groups, size_t n_groups,
			uint64_t generation, int64_t sync_time);

/*
 * hostiam_cache_write in two steps, so that the caller can finish the groups while the
 * users are laid out (on a thread): start with the users, which must not change until the
 * end; finish with the groups, the path, the generation and the sync time, and gate (may
 * be NULL): the new file goes in place only if gate(ctx) returns 0 once it is written
 * (called before the rename; its error is returned and the old file stays), so that the
 * caller can publish another file first. finish frees w whatever it returns; cancel frees
 * a writer not to be finished. Errors as hostiam_cache_write (a user's at finish).
 */
struct hostiam_cache_writer;
int hostiam_cache_writer_start(struct hostiam_cache_writer **w,
			       const struct hostiam_cache_user_in *users, size_t n_users);
int hostiam_cache_writer_finish(struct hostiam_cache_writer *w, const char *path,
				const struct hostiam_cache_group_in *groups, size_t n_groups,
				uint64_t generation, int64_t sync_time, int (*gate)(void *ctx),
				void *gate_ctx);
void hostiam_cache_writer_cancel(struct hostiam_cache_writer *w);

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

/*
 * Publish changes on top of the cache at path (base + its current delta) as the delta
 * file "<path>.delta" (cache_delta_format.h): the new delta holds the earlier delta's
 * records not replaced or dropped, plus these; masks grow accordingly. Generation =
 * current combined generation + 1 (*generation). *records = users + groups + members +
 * masks in the new delta (the caller compacts, i.e. writes a full base, when it grows).
 * Publishes atomically (temp, fsync, rename, dir fsync), flags the old delta replaced,
 * then bumps the base's delta_seq. Costs O(the delta + the changes), not O(the base).
 * HOSTIAM_ERR_CACHE_MISSING when there is no base (write a full one first),
 * HOSTIAM_ERR_INVALID_ARG for invalid names or ids duplicated inside the changes,
 * HOSTIAM_ERR_CACHE_CORRUPT when the current base/delta does not read (also
 * HOSTIAM_ERR_INSECURE_FILE, _VERSION, _NOMEM, _SYSTEM as their names say).
 * On failure the published files are untouched. One writer at a time (the agent).
 */
int hostiam_cache_write_delta(const char *path, const struct hostiam_cache_changes *ch,
			      int64_t sync_time, uint64_t *generation, size_t *records);

#endif
