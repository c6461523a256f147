/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reader of the directory cache (nss.cache): one immutable, memory-mapped, hash-indexed
 * file. Links only libc: the NSS module uses it inside every process on the host.
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
	uint64_t generation; /* increases by one with every published cache */
	int64_t sync_time;   /* UNIX time of the sync that produced the file */
	uint32_t n_users;
	uint32_t n_groups;
	uint64_t file_size;
};

struct hostiam_user_view {
	const char *name;
	uint32_t uid;
	uint32_t gid;
	const char *gecos;
	const char *home;
	const char *shell;
	uint32_t index;  /* record number, for hostiam_cache_user_key() */
	uint32_t n_keys; /* SSH public keys */
};

struct hostiam_group_view {
	const char *name;
	uint32_t gid;
	uint32_t index;     /* record number, for hostiam_cache_group_member() */
	uint32_t n_members; /* member user names, nesting already flattened */
};

/*
 * Map the cache at path. Returns 0 and *out, HOSTIAM_ERR_CACHE_MISSING,
 * HOSTIAM_ERR_CACHE_CORRUPT, HOSTIAM_ERR_CACHE_VERSION, HOSTIAM_ERR_INSECURE_FILE (not
 * owned by root or the caller, or group/world writable, or a symlink) or
 * HOSTIAM_ERR_SYSTEM. The file descriptor is closed before returning (O_CLOEXEC meanwhile).
 */
int hostiam_cache_open(const char *path, struct hostiam_cache **out);
void hostiam_cache_close(struct hostiam_cache *c);

/* True once a writer has published a newer file over this one. Costs one memory read. */
bool hostiam_cache_replaced(const struct hostiam_cache *c);

struct stat;

/*
 * True when st (from stat(2) of the cache path) is the file this mapping came from. The
 * safety net under the replaced flag: a writer killed between rename and flag, or a file
 * removed by hand, is still noticed by a periodic stat.
 */
bool hostiam_cache_is_file(const struct hostiam_cache *c, const struct stat *st);

void hostiam_cache_get_info(const struct hostiam_cache *c, struct hostiam_cache_info *out);

/*
 * Full integrity check: the body checksum over the whole file, O(file size). Opening only
 * checks the header, so that every process can afford it, and each lookup verifies the
 * checks of the slots and records it reads. 0 or HOSTIAM_ERR_CACHE_CORRUPT.
 */
int hostiam_cache_verify(const struct hostiam_cache *c);

/*
 * Lookups: 0, HOSTIAM_ERR_NOT_FOUND or HOSTIAM_ERR_CACHE_CORRUPT. No allocation. A damaged
 * byte on a lookup's path gives CORRUPT, never a different answer nor NOT_FOUND. A group
 * view costs O(its members): they are verified with it. Keys are verified when read.
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
