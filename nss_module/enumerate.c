/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Enumeration (getpwent_r, getgrent_r) for every database: one position per database,
 * under a mutex, advanced only when the caller's buffer took the entry.
 */
#include "config.h"

#include "nss_hostiam.h"

/* See nss_hostiam.h. */
enum nss_status nss_ent_rewind(struct nss_ent *e)
{
	pthread_mutex_lock(&e->lock);
	e->index = 0;
	pthread_mutex_unlock(&e->lock);
	return NSS_STATUS_SUCCESS;
}

/* See nss_hostiam.h: the position moves only on success. */
enum nss_status nss_ent_next(struct nss_ent *e, nss_ent_fill_fn fill, void *result, char *buf,
			     size_t buflen, int *errnop)
{
	const struct hostiam_cache *c;
	int saved = errno, r;

	pthread_mutex_lock(&e->lock);
	/*
	 * If the cache is replaced mid-enumeration the index carries over to the new file:
	 * an entry may be skipped or repeated, never torn.
	 */
	if ((r = nss_cache_acquire(&c)) == 0) {
		r = fill(c, e->index, result, buf, buflen);
		if (r == 0)
			e->index++;
		nss_cache_release();
	}
	pthread_mutex_unlock(&e->lock);
	return nss_finish(r, saved, errnop);
}
