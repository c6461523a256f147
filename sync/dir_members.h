/* SPDX-License-Identifier: BSD-2-Clause */
/* Group membership: names and DNs resolved, nesting flattened with a cycle guard. */
#ifndef HOSTIAM_DIR_MEMBERS_H
#define HOSTIAM_DIR_MEMBERS_H

#include <stddef.h>

#include "cache_writer.h"
#include "dir_entries.h"

/*
 * users: the valid users, sorted by name (strcmp); groups[0..n_out): the valid groups,
 * groups[n_out..ng): groups that are not cached but still nest others (no gidNumber, below
 * min_gid...), walked through like the rest. Sets out[i].members / n_members for every
 * groups[i] with i < n_out: the user names of memberUid values (also
 * names of users not in the directory, for local accounts), of member DNs that are users,
 * and of every group reachable through member DNs that are groups. DNs that are neither
 * are skipped (logged at debug level). Each list is sorted and without repeats and points
 * into *pool (one allocation, the caller frees it); out[i].member_ids into *pool_ids (the
 * same), a number per distinct name for the cache writer. The names are the users' own, or
 * copies in *names (one allocation, the caller frees it) of memberUid values that are no
 * directory users: the groups' member lists may be freed once this returns, and drop frees
 * them here as soon as they are used. Returns 0 or HOSTIAM_ERR_NOMEM.
 */
int dir_members_flatten(struct dir_entry *const *users, size_t nu, struct dir_entry *const *groups,
			size_t ng, size_t n_out, struct hostiam_cache_group_in *out,
			const char ***pool, uint32_t **pool_ids, char **names, bool drop);

#endif
