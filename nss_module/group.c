/* SPDX-License-Identifier: BSD-2-Clause */
/* group database: getgrnam_r, getgrgid_r and enumeration over the cache. No allocation. */
#include "config.h"

#include <stdalign.h>
#include <stdint.h>

#include "names.h"
#include "nss_hostiam.h"

struct nss_ent nss_grent = NSS_ENT_INIT;

/*
 * Bytes needed for g in a caller's buffer at buf: padding, gr_mem array, strings.
 * Member names were validated when the cache was written, so one longer than a name can
 * be, or a total that wraps, means a damaged file: CORRUPT, not a long walk or a wrap.
 */
static int group_size(const struct hostiam_cache *c, const struct hostiam_group_view *g,
		      const char *buf, size_t *size)
{
	size_t pad = (alignof(char *) - (uintptr_t)buf % alignof(char *)) % alignof(char *);
	size_t n = pad + strlen(g->name) + 1 + 2, array, len;
	const char *m;
	int r;

	if (__builtin_mul_overflow((size_t)g->n_members + 1, sizeof(char *), &array) ||
	    !nss_size_add(&n, array))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	for (uint32_t i = 0; i < g->n_members; i++) {
		if ((r = hostiam_cache_group_member(c, g, i, &m)) < 0)
			return r;
		len = strnlen(m, HOSTIAM_NAME_MAX + 1);
		if (len > HOSTIAM_NAME_MAX || !nss_size_add(&n, len + 1))
			return HOSTIAM_ERR_CACHE_CORRUPT;
	}
	*size = n;
	return 0;
}

/* Fill *gr from g inside buf, or HOSTIAM_ERR_TOO_SMALL (NULL buf included) untouched. */
static int fill_group(const struct hostiam_cache *c, const struct hostiam_group_view *g,
		      struct group *gr, char *buf, size_t buflen)
{
	struct nss_buf b = { buf, buflen };
	size_t size, pad;
	const char *m;
	char **mem;
	int r;

	if (!buf)
		return HOSTIAM_ERR_TOO_SMALL;
	if ((r = group_size(c, g, buf, &size)) < 0)
		return r;
	if (size > buflen)
		return HOSTIAM_ERR_TOO_SMALL;
	/* The pointer array first, aligned; the strings after it. */
	pad = (alignof(char *) - (uintptr_t)buf % alignof(char *)) % alignof(char *);
	mem = (char **)(void *)(buf + pad);
	b.p = buf + pad + ((size_t)g->n_members + 1) * sizeof(char *);
	b.left = buflen - (size_t)(b.p - buf);
	gr->gr_name = nss_buf_put(&b, g->name, strlen(g->name));
	gr->gr_passwd = nss_buf_put(&b, "*", 1);
	gr->gr_gid = g->gid;
	for (uint32_t i = 0; i < g->n_members; i++) {
		if ((r = hostiam_cache_group_member(c, g, i, &m)) < 0)
			return r; /* cannot happen: group_size() read the same members */
		mem[i] = nss_buf_put(&b, m, strlen(m));
	}
	mem[g->n_members] = NULL;
	gr->gr_mem = mem;
	return 0;
}

/* The cached group called name, with its members; an invalid name is not found. */
enum nss_status _nss_hostiam_getgrnam_r(const char *name, struct group *gr, char *buf,
					size_t buflen, int *errnop)
{
	const struct hostiam_cache *c;
	struct hostiam_group_view g;
	int saved = errno, r;

	if (!hostiam_valid_group_name(name))
		return nss_finish(HOSTIAM_ERR_NOT_FOUND, saved, errnop);
	if ((r = nss_cache_acquire(&c)) < 0)
		return nss_finish(r, saved, errnop);
	r = hostiam_cache_group_by_name(c, name, &g);
	if (r == 0)
		r = fill_group(c, &g, gr, buf, buflen);
	nss_cache_release();
	return nss_finish(r, saved, errnop);
}

/* The cached group with this gid. */
enum nss_status _nss_hostiam_getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t buflen,
					int *errnop)
{
	const struct hostiam_cache *c;
	struct hostiam_group_view g;
	int saved = errno, r;

	if ((r = nss_cache_acquire(&c)) < 0)
		return nss_finish(r, saved, errnop);
	r = hostiam_cache_group_by_gid(c, gid, &g);
	if (r == 0)
		r = fill_group(c, &g, gr, buf, buflen);
	nss_cache_release();
	return nss_finish(r, saved, errnop);
}

/* Enumeration step: group record index into *result. */
static int fill_group_at(const struct hostiam_cache *c, uint32_t index, void *result, char *buf,
			 size_t buflen)
{
	struct hostiam_group_view g;
	int r = hostiam_cache_group_at(c, index, &g);

	return r < 0 ? r : fill_group(c, &g, result, buf, buflen);
}

/* Rewind the group enumeration. */
enum nss_status _nss_hostiam_setgrent(int stayopen)
{
	return nss_ent_rewind(&nss_grent);
}

/* End the group enumeration; the mapping stays for later lookups. */
enum nss_status _nss_hostiam_endgrent(void)
{
	return nss_ent_rewind(&nss_grent);
}

/* The next cached group, in gid order. */
enum nss_status _nss_hostiam_getgrent_r(struct group *gr, char *buf, size_t buflen, int *errnop)
{
	return nss_ent_next(&nss_grent, fill_group_at, gr, buf, buflen, errnop);
}
