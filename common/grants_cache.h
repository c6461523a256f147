/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * grants.cache: the active and coming grants, world-readable (0644) so that every process's
 * NSS initgroups can add a granted role's gid while now (the reader's clock) lies inside
 * the grant's window: the expiry needs nobody. The reader is in the NSS-safe core (libc
 * only, no allocation, a fixed stack buffer); the writer is hostiam_grants_update's.
 *
 *   hostiam-grants 1 COUNT CHECK            CHECK: 16 hex digits, FNV-1a 64 of the body
 *   ID USER GID NOT_BEFORE NOT_AFTER        COUNT such lines, the body
 *
 * A file that is not root's (or the reader's own), is writable by others, is larger than
 * HOSTIAM_GRANTS_CACHE_MAX, or whose count, check or any line is wrong is ignored whole:
 * a damaged file never grants anything.
 */
#ifndef HOSTIAM_GRANTS_CACHE_H
#define HOSTIAM_GRANTS_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define HOSTIAM_GRANTS_CACHE_MAX 65536
/* The most grants of one user that a reader takes (more are ignored, never an error). */
#define HOSTIAM_GRANTS_PER_USER 16

struct hostiam_grant_entry {
	unsigned long id;
	uint32_t gid;
	int64_t not_before, not_after; /* active while not_before <= now < not_after */
};

/*
 * The entries of user in the file at path, at most max into out, whatever their window.
 * Returns how many, or HOSTIAM_ERR_CACHE_MISSING (no file), HOSTIAM_ERR_INSECURE_FILE,
 * HOSTIAM_ERR_CACHE_CORRUPT or HOSTIAM_ERR_SYSTEM; errno is the caller's to keep.
 */
int hostiam_grants_cache_read(const char *path, const char *user, struct hostiam_grant_entry *out,
			      size_t max);

struct hostiam_grant_list;

/* Write path (0644, atomically) from the approved grants of l not yet over at now. */
int hostiam_grants_cache_publish(const char *path, const struct hostiam_grant_list *l, time_t now);

#endif
