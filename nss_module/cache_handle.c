/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process-wide mapping of the cache. Lookups share it under a read lock and cost no
 * system call (but one stat() a second at most, the safety net of cache_outdated()); the
 * first lookup after the writer flagged the file as replaced (one memory read) takes the
 * write lock and maps the new file. After fork() the child keeps the
 * read-only MAP_SHARED mapping, which stays valid; fork.c keeps the locks consistent.
 */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "nss_hostiam.h"

/*
 * Writer-preferring, so that a thread waiting to map a new file, or to fork, is not
 * starved by a steady stream of readers. Lookups never take the lock recursively.
 */
#define CACHE_LOCK_INIT PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP
static pthread_rwlock_t cache_lock = CACHE_LOCK_INIT;
static struct hostiam_cache *cache; /* NULL until opened, or after a failed reopen */

/* How often the path is stat()ed behind the flag's back, and when it last was. */
#define RECHECK_MS 1000
static atomic_llong last_recheck_ms;

/* Where the cache is: $HOSTIAM_NSS_CACHE for tests (ignored when setuid), else built in. */
static const char *cache_path(void)
{
	const char *p = secure_getenv("HOSTIAM_NSS_CACHE");

	return p && *p ? p : HOSTIAM_NSS_CACHE_PATH;
}

/* Milliseconds of a coarse monotonic clock: served by the vDSO, no system call. */
static long long coarse_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) < 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The delta file now is the one c was opened with (or still none; a stale one counts). */
static bool delta_current(const struct hostiam_cache *c)
{
	char p[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(p, sizeof(p), "%s.delta", cache_path()) >= sizeof(p))
		return true;
	return hostiam_cache_delta_is_file(c, stat(p, &st) == 0 ? &st : NULL);
}

/*
 * Whether c should be dropped: flagged as replaced (three memory reads: the base, its
 * delta sequence, the delta), or, at most once a second per process, a stat() of the
 * cache and of its delta shows other files or none (a writer died before flagging, or
 * the cache was removed).
 */
static bool cache_outdated(const struct hostiam_cache *c)
{
	long long now = coarse_ms(),
		  last = atomic_load_explicit(&last_recheck_ms, memory_order_relaxed);
	struct stat st;

	if (hostiam_cache_replaced(c))
		return true;
	if (now - last < RECHECK_MS ||
	    !atomic_compare_exchange_strong(&last_recheck_ms, &last, now))
		return false;
	return stat(cache_path(), &st) < 0 || !hostiam_cache_is_file(c, &st) || !delta_current(c);
}

/* Under the write lock: make cache a current mapping, or NULL and return why not. */
static int refresh_locked(bool force)
{
	struct hostiam_cache *old = cache, *fresh = NULL;
	int r;

	if (old && !force && !hostiam_cache_replaced(old))
		return 0; /* another thread refreshed it while we waited */
	cache = NULL;
	hostiam_cache_close(old);
	r = hostiam_cache_open(cache_path(), &fresh);
	if (r == 0)
		cache = fresh;
	return r;
}

int nss_cache_acquire(const struct hostiam_cache **c)
{
	bool force = false;
	int r;

	pthread_rwlock_rdlock(&cache_lock);
	if (cache && !(force = cache_outdated(cache))) {
		*c = cache;
		return 0;
	}
	pthread_rwlock_unlock(&cache_lock);

	pthread_rwlock_wrlock(&cache_lock);
	r = refresh_locked(force);
	pthread_rwlock_unlock(&cache_lock);
	if (r < 0)
		return r;

	/*
	 * Another writer may have flagged it again in this gap: the mapping we get is still
	 * one whole, consistent generation, so use it rather than loop.
	 */
	pthread_rwlock_rdlock(&cache_lock);
	if (!cache) {
		pthread_rwlock_unlock(&cache_lock);
		return HOSTIAM_ERR_CACHE_MISSING;
	}
	*c = cache;
	return 0;
}

void nss_cache_release(void)
{
	pthread_rwlock_unlock(&cache_lock);
}

void nss_cache_lock_exclusive(void)
{
	pthread_rwlock_wrlock(&cache_lock);
}

void nss_cache_unlock_exclusive(void)
{
	pthread_rwlock_unlock(&cache_lock);
}

void nss_cache_reset_in_child(void)
{
	/*
	 * Not an unlock: readers of the parent that were queued behind our write lock are
	 * counted inside the lock and do not exist here; only a fresh lock forgets them.
	 */
	cache_lock = (pthread_rwlock_t)CACHE_LOCK_INIT;
}
