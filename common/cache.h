/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reader of the directory cache (nss.cache): one immutable, memory-mapped, hash-indexed
 * base file, and the small delta file "<path>.delta" that the agent publishes on top of it
 * for each change (cache_delta_format.h says why and how). Links only libc: the NSS
 * module uses it inside every process on the host.
 *
 * Every offset and length read from the file is checked before use; a truncated, damaged
 * or hostile file yields HOSTIAM_ERR_CACHE_CORRUPT, never a crash. Views returned below
 * point into the mapping and stay valid until hostiam_cache_close().
 */
#ifndef HOSTIAM_CACHE_H
#define HOSTIAM_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hostiam_cache;

struct hostiam_cache_info {
	uint64_t generation; /* increases with every publish, full or delta (base + delta's) */
	int64_t sync_time;   /* UNIX time of the sync that produced the files */
	uint32_t n_users;    /* as a lookup sees them: the base's unmasked ones + the delta's */
	uint32_t n_groups;
	uint64_t file_size;       /* base + delta */
	uint64_t base_generation; /* of the base file alone; == generation without a delta */
};

struct hostiam_user_view {
	const char *name;
	uint32_t uid;
	uint32_t gid;
	const char *gecos;
	const char *home;
	const char *shell;
	uint32_t index;  /* record, for hostiam_cache_user_key() (not the *_at index) */
	uint32_t n_keys; /* SSH public keys */
};

struct hostiam_group_view {
	const char *name;
	uint32_t gid;
	uint32_t index;     /* record, for hostiam_cache_group_member() (not the *_at index) */
	uint32_t n_members; /* member user names, nesting already flattened */
};

/*
 * Map the cache at path, and "<path>.delta" when there is one for this base (a delta for
 * an older base is ignored; one for a newer base means the base was just replaced: both
 * are opened again). Returns 0 and *out, HOSTIAM_ERR_CACHE_MISSING (no base),
 * HOSTIAM_ERR_CACHE_CORRUPT (either file), HOSTIAM_ERR_CACHE_VERSION,
 * HOSTIAM_ERR_INSECURE_FILE (either file not owned by root or the caller, or
 * group/world writable, or a symlink) or HOSTIAM_ERR_SYSTEM. The file descriptors are
 * closed before returning (O_CLOEXEC meanwhile). Work at open: O(1) for the base, O(the
 * delta's masks) for the delta.
 */
int hostiam_cache_open(const char *path, struct hostiam_cache **out);
void hostiam_cache_close(struct hostiam_cache *c);

/*
 * True once a writer has published a newer base or delta over these. Costs three memory
 * reads: the base's replaced flag and delta_seq, and the delta's replaced flag.
 */
bool hostiam_cache_replaced(const struct hostiam_cache *c);

struct stat;

/*
 * True when st (from stat(2) of the cache path) is the file this mapping came from. The
 * safety net under the replaced flag: a writer killed between rename and flag, or a file
 * removed by hand, is still noticed by a periodic stat.
 */
bool hostiam_cache_is_file(const struct hostiam_cache *c, const struct stat *st);

/*
 * The same safety net for the delta: true when st (from stat(2) of "<path>.delta", or
 * NULL when there is no such file) is the delta file seen at open, applied or not. A
 * delta writer killed between its rename and its flags is noticed this way.
 */
bool hostiam_cache_delta_is_file(const struct hostiam_cache *c, const struct stat *st);

void hostiam_cache_get_info(const struct hostiam_cache *c, struct hostiam_cache_info *out);

/*
 * Full integrity check: the body checksums over the whole base and delta, O(file size).
 * Opening only checks the headers (and the delta's masks), so that every process can afford
 * it, and each lookup verifies the checks of the slots and records it reads. 0 or
 * HOSTIAM_ERR_CACHE_CORRUPT.
 */
int hostiam_cache_verify(const struct hostiam_cache *c);

/*
 * Lookups: 0, HOSTIAM_ERR_NOT_FOUND or HOSTIAM_ERR_CACHE_CORRUPT. No allocation. The delta
 * answers first; a base record it replaced or dropped is not found. Enumeration (*_at,
 * index 0..n-1 of hostiam_cache_get_info()) lists the base's records still current, in
 * id order, then the delta's, in id order. A damaged
 * byte on a lookup's path gives CORRUPT, never a different answer nor NOT_FOUND. A group
 * view's check covers its members: O(members) on the first lookup of the group in a
 * mapped file, bounds checks only after that (cache_format.h). Keys are verified when read.
 */
int hostiam_cache_user_by_name(const struct hostiam_cache *c, const char *name,
			       struct hostiam_user_view *out);
int hostiam_cache_user_by_uid(const struct hostiam_cache *c, uint32_t uid,
			      struct hostiam_user_view *out);
int hostiam_cache_user_at(const struct hostiam_cache *c, uint32_t index,
			  struct hostiam_user_view *out);
int hostiam_cache_user_key(const struct hostiam_cache *c, const struct hostiam_user_view *u,
			   uint32_t i, const char **key);

int hostiam_cache_group_by_name(const struct hostiam_cache *c, const char *name,
				struct hostiam_group_view *out);
int hostiam_cache_group_by_gid(const struct hostiam_cache *c, uint32_t gid,
			       struct hostiam_group_view *out);
int hostiam_cache_group_at(const struct hostiam_cache *c, uint32_t index,
			   struct hostiam_group_view *out);
int hostiam_cache_group_member(const struct hostiam_cache *c, const struct hostiam_group_view *g,
			       uint32_t i, const char **member);

/*
 * The precomputed gids of every cached group that lists member (by memberUid, member DN
 * or nesting), for initgroups. member need not be a cached user: local users listed in
 * directory groups have an entry too. *gids points into the mapping (no allocation).
 */
int hostiam_cache_member_gids(const struct hostiam_cache *c, const char *member,
			      const uint32_t **gids, uint32_t *n_gids);

#endif
