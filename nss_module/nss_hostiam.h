/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the NSS module: the process-wide cache handle and the one place where
 * hostiam errors become NSS status codes.
 */
#ifndef HOSTIAM_NSS_H
#define HOSTIAM_NSS_H

#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "cache.h"
#include "errors.h"

/* The entry points glibc looks up by name (exported through nss_hostiam.map). */
enum nss_status _nss_hostiam_getpwnam_r(const char *name, struct passwd *pw, char *buf,
					size_t buflen, int *errnop);
enum nss_status _nss_hostiam_getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t buflen,
					int *errnop);
enum nss_status _nss_hostiam_setpwent(int stayopen);
enum nss_status _nss_hostiam_getpwent_r(struct passwd *pw, char *buf, size_t buflen, int *errnop);
enum nss_status _nss_hostiam_endpwent(void);
enum nss_status _nss_hostiam_getgrnam_r(const char *name, struct group *gr, char *buf,
					size_t buflen, int *errnop);
enum nss_status _nss_hostiam_getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t buflen,
					int *errnop);
enum nss_status _nss_hostiam_setgrent(int stayopen);
enum nss_status _nss_hostiam_getgrent_r(struct group *gr, char *buf, size_t buflen, int *errnop);
enum nss_status _nss_hostiam_endgrent(void);
enum nss_status _nss_hostiam_initgroups_dyn(const char *user, gid_t group, long int *start,
					    long int *size, gid_t **groupsp, long int limit,
					    int *errnop);

/*
 * Take the read lock on a current mapping of the cache (reopening it first if it is
 * missing or was replaced). 0 with *c set and the lock held — pair with
 * nss_cache_release() — or a negative HOSTIAM_ERR_* with no lock held.
 */
int nss_cache_acquire(const struct hostiam_cache **c);
void nss_cache_release(void);

/* Where an enumeration (setpwent/getpwent_r...) stands: a record index, process-wide. */
struct nss_ent {
	pthread_mutex_t lock;
	uint32_t index;
};
#define NSS_ENT_INIT \
	{ \
		PTHREAD_MUTEX_INITIALIZER, 0 \
	}

/*
 * *acc += n, or false when that would wrap: sizes come from a file that may be hostile,
 * and on 32-bit hosts a few huge strings could add up past SIZE_MAX.
 */
static inline bool nss_size_add(size_t *acc, size_t n)
{
	return !__builtin_add_overflow(*acc, n, acc);
}

/* The enumeration positions of passwd.c and group.c (fork.c locks them around fork). */
extern struct nss_ent nss_pwent;
extern struct nss_ent nss_grent;

/* Hold / drop the cache handle exclusively, and forget every holder: for fork.c only. */
void nss_cache_lock_exclusive(void);
void nss_cache_unlock_exclusive(void);
void nss_cache_reset_in_child(void);

/*
 * Fill the caller's result from record index of one database: 0, HOSTIAM_ERR_NOT_FOUND
 * past the last record, HOSTIAM_ERR_TOO_SMALL, or HOSTIAM_ERR_CACHE_CORRUPT.
 */
typedef int (*nss_ent_fill_fn)(const struct hostiam_cache *c, uint32_t index, void *result,
			       char *buf, size_t buflen);

/* Restart the enumeration (set*ent and end*ent). */
enum nss_status nss_ent_rewind(struct nss_ent *e);

/* The next entry; a too-small buffer leaves the position where it was, for the retry. */
enum nss_status nss_ent_next(struct nss_ent *e, nss_ent_fill_fn fill, void *result, char *buf,
			     size_t buflen, int *errnop);

/* The NSS status for a hostiam result, and the errno that goes with it. */
static inline enum nss_status nss_status_of(int r, int *err)
{
	switch (r) {
	case 0:
		return NSS_STATUS_SUCCESS;
	case HOSTIAM_ERR_NOT_FOUND:
		*err = ENOENT;
		return NSS_STATUS_NOTFOUND;
	case HOSTIAM_ERR_TOO_SMALL:
		*err = ERANGE; /* glibc grows the buffer and calls again */
		return NSS_STATUS_TRYAGAIN;
	case HOSTIAM_ERR_NOMEM:
		*err = ENOMEM;
		return NSS_STATUS_TRYAGAIN;
	default:
		/* Missing, damaged or insecure cache: let the next nsswitch source answer. */
		*err = ENOENT;
		return NSS_STATUS_UNAVAIL;
	}
}

/*
 * Finish an entry point: errno as the caller had it (glibc passes errnop == &errno, so
 * this comes first), then *errnop on failure only.
 */
static inline enum nss_status nss_finish(int r, int saved_errno, int *errnop)
{
	int err = 0;
	enum nss_status st = nss_status_of(r, &err);

	errno = saved_errno;
	if (st != NSS_STATUS_SUCCESS)
		*errnop = err;
	return st;
}

/* A bump allocator over the caller's buffer; sizes are checked before anything is copied. */
struct nss_buf {
	char *p;
	size_t left;
};

/* Copy s into the buffer (room was checked) and return the copy. */
static inline char *nss_buf_put(struct nss_buf *b, const char *s, size_t len)
{
	char *dst = b->p;

	memcpy(dst, s, len + 1);
	b->p += len + 1;
	b->left -= len + 1;
	return dst;
}

#endif
