/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The accounts hostiam review looks at: every user of the directory cache, and every
 * account glibc enumerates (getpwent: /etc/passwd and whatever else nsswitch.conf lists)
 * with a uid at or above directory.min_uid, except nobody. One row per name, sorted.
 */
#include "config.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "errors.h"
#include "review_users.h"

#define NOBODY_UID 65534u

/* Append a row for name; 0 or HOSTIAM_ERR_NOMEM. */
static int add_user(struct review_user **users, size_t *n, size_t *cap, const char *name,
		    uint32_t uid, bool directory)
{
	struct review_user *u;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;

		if ((u = realloc(*users, ncap * sizeof(*u))) == NULL)
			return HOSTIAM_ERR_NOMEM;
		*users = u;
		*cap = ncap;
	}
	u = &(*users)[*n];
	memset(u, 0, sizeof(*u));
	if ((u->name = strdup(name)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	u->uid = uid;
	u->directory = directory;
	u->days_inactive = -1;
	u->enrolled = HOSTIAM_UNSET;
	(*n)++;
	return 0;
}

/* Every user record of the cache. */
static int add_cached(const struct hostiam_cache *c, struct review_user **users, size_t *n,
		      size_t *cap)
{
	struct hostiam_cache_info info;
	struct hostiam_user_view v;
	uint32_t i;
	int r;

	hostiam_cache_get_info(c, &info);
	for (i = 0; i < info.n_users; i++) {
		if ((r = hostiam_cache_user_at(c, i, &v)) < 0)
			return r;
		if ((r = add_user(users, n, cap, v.name, v.uid, true)) < 0)
			return r;
	}
	return 0;
}

/* Local accounts from glibc's enumeration that the cache does not hold. */
static int add_local(const struct hostiam_config *cfg, const struct hostiam_cache *c,
		     struct review_user **users, size_t *n, size_t *cap)
{
	struct hostiam_user_view v;
	struct passwd *pw;
	int r = 0;

	setpwent();
	while ((pw = getpwent()) != NULL) {
		if (pw->pw_uid < cfg->directory.min_uid || pw->pw_uid == NOBODY_UID ||
		    pw->pw_uid == (uid_t)-1 || strcmp(pw->pw_name, "nobody") == 0)
			continue;
		/* The hostiam NSS module enumerates the cache too; those are listed already. */
		if (c && hostiam_cache_user_by_name(c, pw->pw_name, &v) == 0)
			continue;
		if ((r = add_user(users, n, cap, pw->pw_name, (uint32_t)pw->pw_uid, false)) < 0)
			break;
	}
	endpwent();
	return r;
}

/* By name; for one name the directory row first. */
static int by_name(const void *a, const void *b)
{
	const struct review_user *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	return d ? d : (int)y->directory - (int)x->directory;
}

/* Sort, then keep the first row of every name. */
static void sort_unique(struct review_user *users, size_t *n)
{
	size_t i, kept = 0;

	if (*n == 0)
		return;
	qsort(users, *n, sizeof(*users), by_name);
	for (i = 0; i < *n; i++) {
		if (kept > 0 && strcmp(users[kept - 1].name, users[i].name) == 0) {
			free(users[i].name);
			continue;
		}
		users[kept++] = users[i];
	}
	*n = kept;
}

/* The rows to review. */
int review_users_collect(const struct hostiam_config *cfg, const struct hostiam_cache *c,
			 struct review_user **out, size_t *n_out)
{
	struct review_user *users = NULL;
	size_t n = 0, cap = 0;
	int r = 0;

	if (c)
		r = add_cached(c, &users, &n, &cap);
	if (r == 0)
		r = add_local(cfg, c, &users, &n, &cap);
	if (r < 0) {
		review_users_free(users, n);
		return r;
	}
	sort_unique(users, &n);
	*out = users;
	*n_out = n;
	return 0;
}

/* Free every row and what it owns. */
void review_users_free(struct review_user *users, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < users[i].n_groups; k++)
			free(users[i].groups[k]);
		free(users[i].groups);
		free(users[i].name);
		free(users[i].error);
		free(users[i].cells);
	}
	free(users);
}
