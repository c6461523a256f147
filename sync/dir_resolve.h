/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * From raw directory entries to what the cache holds: entries that cannot be represented
 * are skipped and logged once each with their DN (missing or non-numeric ids, invalid or
 * duplicate names and ids, bad text, a primary gidNumber below min_gid, the name or id of
 * a local account of /etc/passwd or /etc/group); group members given by name (memberUid)
 * and by DN (member, uniqueMember) are resolved, nested groups flattened with a cycle guard,
 * also through groups that are not cached themselves (no gidNumber, below min_gid).
 */
#ifndef HOSTIAM_DIR_RESOLVE_H
#define HOSTIAM_DIR_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth_cache.h"
#include "cache_writer.h"
#include "dir_entries.h"

struct dir_policy {
	uint32_t min_uid; /* entries below are skipped quietly (system accounts) */
	uint32_t min_gid;
	/* the names of the account-state attributes (dir_schema.account), for log lines */
	const char *account_names[HOSTIAM_ACCT_N];
	/* the entries are not resolved again (a one-shot full sync): the groups' member lists
	   are freed as soon as they are used */
	bool drop_members;
};

/*
 * The input of hostiam_cache_write; strings point into the entries, which must outlive it,
 * but not into the groups' member lists (dir_entry_drop_members may free them).
 */
struct dir_resolved {
	struct hostiam_cache_user_in *users; /* sorted by name */
	size_t n_users;
	struct hostiam_cache_group_in *groups; /* sorted by name; members sorted, unique */
	size_t n_groups;
	/* auth.cache: users with a usable TOTP secret or any account state */
	struct hostiam_auth_entry *secrets;
	size_t n_secrets;
	struct hostiam_account_attrs *accounts; /* storage of the entries' account state */
	uint32_t skipped;   /* entries left out for a problem (not for min_uid/gid) */
	const char **pool;  /* storage of the member lists */
	uint32_t *pool_ids; /* their numbers (hostiam_cache_group_in.member_ids) */
	char *names;        /* storage of member names that are no directory users */
};

/*
 * Resolve users[0..nu) and groups[0..ng) against the local accounts, read again on each
 * call. Account-state values that cannot be parsed are logged once per entry with the
 * attribute and kept as HOSTIAM_ATTR_BAD, which fails closed at login. Returns 0 and fills *out (free it with dir_resolved_free), HOSTIAM_ERR_NOMEM, or
 * HOSTIAM_ERR_SYSTEM when the local passwd or group file cannot be read (logged). Marks the entries it reported so that the
 * same problem is logged once while an entry lives (the agent resolves again and again).
 */
int dir_resolve(struct dir_entry *const *users, size_t nu, struct dir_entry *const *groups,
		size_t ng, const struct dir_policy *p, struct dir_resolved *out);

void dir_resolved_free(struct dir_resolved *r);

/* Between the two steps of dir_resolve: the entries that take part in membership. */
struct dir_resolving {
	struct dir_entry **users;  /* the valid users, sorted by name */
	struct dir_entry **groups; /* the cached groups, sorted by name, then nesting-only ones */
	size_t n_users, n_groups, n_cached;
	bool drop;
};

/*
 * dir_resolve in two steps, so that a caller can start on what the first gives (the users,
 * the auth.cache entries, the counts) while the second flattens membership. The first
 * fills out but for the groups' members, and st; the second fills the members and frees st.
 * On error the first frees out and st; the second frees st and leaves out to the caller
 * (dir_resolved_free), which may still have threads reading its users. Errors as
 * dir_resolve.
 */
int dir_resolve_entries(struct dir_entry *const *users, size_t nu, struct dir_entry *const *groups,
			size_t ng, const struct dir_policy *p, struct dir_resolving *st,
			struct dir_resolved *out);
int dir_resolve_members(struct dir_resolving *st, struct dir_resolved *out);

/* Free st when the second step is not taken. */
void dir_resolving_free(struct dir_resolving *st);

struct dir_local;

/*
 * One user entry resolved alone against the local accounts l, as dir_resolve would, but
 * for duplicates (the caller rules them out): 1 when it is cached, with *u filled (strings
 * point into e), *acct parsed and *auth the auth.cache line (auth->user NULL when it needs
 * none); 0 when it is not cached (logged as dir_resolve logs it).
 */
int dir_resolve_user(struct dir_entry *e, const struct dir_policy *p, const struct dir_local *l,
		     struct hostiam_cache_user_in *u, struct hostiam_account_attrs *acct,
		     struct hostiam_auth_entry *auth);

/*
 * One group entry alone: 1 when it is cached, with g's name and gid set (its members are
 * the caller's to fill); 0 when it is not (nesting-only or skipped).
 */
int dir_resolve_group(struct dir_entry *e, const struct dir_policy *p, const struct dir_local *l,
		      struct hostiam_cache_group_in *g);

#endif
