/* SPDX-License-Identifier: BSD-2-Clause */
/* initgroups_dyn: the member index gives a user's gids in one lookup. */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "grants_cache.h"
#include "names.h"
#include "nss_hostiam.h"

/* True if gid is among the first n entries the caller already had. */
static bool already_listed(const gid_t *groups, long int n, gid_t gid)
{
	for (long int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* Make room for one more gid, doubling up to limit (<= 0: none). 0, TOO_SMALL or NOMEM. */
static int grow(long int *size, gid_t **groupsp, long int limit)
{
	long int n = *size > 0 ? *size * 2 : 16;
	gid_t *g;

	if (limit > 0 && *size >= limit)
		return HOSTIAM_ERR_TOO_SMALL;
	if (limit > 0 && n > limit)
		n = limit;
	if (!(g = realloc(*groupsp, (size_t)n * sizeof(gid_t))))
		return HOSTIAM_ERR_NOMEM;
	*groupsp = g;
	*size = n;
	return 0;
}

/* Append gids to the caller's array, skipping group and what it already holds. */
static int append_gids(const uint32_t *gids, uint32_t n, gid_t group, long int *start,
		       long int *size, gid_t **groupsp, long int limit, long int initial)
{
	int r;

	for (uint32_t i = 0; i < n; i++) {
		/* Our list is sorted and unique: only the first `initial` entries can repeat. */
		if (gids[i] == group || already_listed(*groupsp, initial, gids[i]))
			continue;
		if (*start >= *size && (r = grow(size, groupsp, limit)) < 0)
			return r == HOSTIAM_ERR_TOO_SMALL ? 0 : r; /* the limit: stop, not fail */
		(*groupsp)[(*start)++] = gids[i];
	}
	return 0;
}

/* Where grants.cache is: $HOSTIAM_GRANTS_CACHE for tests (ignored when setuid), else built in. */
static const char *grants_path(void)
{
	const char *p = secure_getenv("HOSTIAM_GRANTS_CACHE");

	return p && *p ? p : HOSTIAM_GRANTS_CACHE_PATH;
}

/*
 * Add the role gid of each grant of user active now (the host's clock: a grant ends at its
 * not_after with nobody acting). A missing, insecure or damaged grants.cache adds nothing.
 * Returns how many gids it added, or an error of append_gids (out of memory).
 */
static int add_grants(const char *user, gid_t group, long int *start, long int *size,
		      gid_t **groupsp, long int limit)
{
	struct hostiam_grant_entry e[HOSTIAM_GRANTS_PER_USER];
	struct timespec ts;
	uint32_t gids[HOSTIAM_GRANTS_PER_USER];
	uint32_t n = 0;
	long int before = *start;
	int found, r;

	found = hostiam_grants_cache_read(grants_path(), user, e, HOSTIAM_GRANTS_PER_USER);
	if (found <= 0 || clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return 0;
	for (int i = 0; i < found; i++)
		if (ts.tv_sec >= e[i].not_before && ts.tv_sec < e[i].not_after)
			gids[n++] = e[i].gid;
	/* Compared with everything listed so far: the cache's gids included. */
	r = append_gids(gids, n, group, start, size, groupsp, limit, *start);
	return r < 0 ? r : (int)(*start - before);
}

/*
 * Add the gids of every cached group listing user, then of user's active grants, to the
 * caller's array, growing it up to limit; NOTFOUND if neither gave any.
 */
enum nss_status _nss_hostiam_initgroups_dyn(const char *user, gid_t group, long int *start,
					    long int *size, gid_t **groupsp, long int limit,
					    int *errnop)
{
	const struct hostiam_cache *c;
	const uint32_t *gids;
	uint32_t n;
	int saved = errno, r, g;

	if (!hostiam_valid_user_name(user))
		return nss_finish(HOSTIAM_ERR_NOT_FOUND, saved, errnop);
	if ((r = nss_cache_acquire(&c)) == 0) {
		r = hostiam_cache_member_gids(c, user, &gids, &n);
		if (r == 0)
			r = append_gids(gids, n, group, start, size, groupsp, limit, *start);
		nss_cache_release();
	}
	/* A grant stands on its own: for local users, and without a directory cache too. */
	if (r != HOSTIAM_ERR_NOMEM &&
	    (g = add_grants(user, group, start, size, groupsp, limit)) != 0)
		r = g < 0 ? g : 0;
	return nss_finish(r, saved, errnop);
}
