/* SPDX-License-Identifier: BSD-2-Clause */
/* The accounts hostiam review reports on. */
#ifndef HOSTIAM_REVIEW_USERS_H
#define HOSTIAM_REVIEW_USERS_H

#include "cache.h"
#include "configuration.h"
#include "review.h"

/*
 * Every user of the cache c (NULL: none) and every account getpwent() returns with a uid
 * at or above cfg->directory.min_uid that is not nobody (65534), one row per name, sorted
 * by name; rows have only name, uid and directory set. Returns 0 and *out (free with
 * review_users_free), or HOSTIAM_ERR_NOMEM / HOSTIAM_ERR_CACHE_CORRUPT.
 */
int review_users_collect(const struct hostiam_config *cfg, const struct hostiam_cache *c,
			 struct review_user **out, size_t *n_out);

void review_users_free(struct review_user *users, size_t n);

#endif
