/* SPDX-License-Identifier: BSD-2-Clause */
/* passwd database: getpwnam_r, getpwuid_r and enumeration over the cache. No allocation. */
#include "config.h"

#include "names.h"
#include "nss_hostiam.h"

struct nss_ent nss_pwent = NSS_ENT_INIT;

/* Fill *pw from u inside buf, or HOSTIAM_ERR_TOO_SMALL (NULL buf included) untouched. */
static int fill_passwd(const struct hostiam_user_view *u, struct passwd *pw, char *buf,
		       size_t buflen)
{
	size_t name = strlen(u->name), gecos = strlen(u->gecos);
	size_t home = strlen(u->home), shell = strlen(u->shell);
	size_t need = 4 + sizeof("*");
	struct nss_buf b = { buf, buflen };

	/* A sum that wraps (32-bit host, hostile file) can only come from a damaged cache. */
	if (!nss_size_add(&need, name) || !nss_size_add(&need, gecos) ||
	    !nss_size_add(&need, home) || !nss_size_add(&need, shell))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	/* "*": there is no password here; authentication is PAM's business. */
	if (!buf || need > buflen)
		return HOSTIAM_ERR_TOO_SMALL;
	pw->pw_name = nss_buf_put(&b, u->name, name);
	pw->pw_passwd = nss_buf_put(&b, "*", 1);
	pw->pw_uid = u->uid;
	pw->pw_gid = u->gid;
	pw->pw_gecos = nss_buf_put(&b, u->gecos, gecos);
	pw->pw_dir = nss_buf_put(&b, u->home, home);
	pw->pw_shell = nss_buf_put(&b, u->shell, shell);
	return 0;
}

/* The cached user called name; an invalid name is simply not found. */
enum nss_status _nss_hostiam_getpwnam_r(const char *name, struct passwd *pw, char *buf,
					size_t buflen, int *errnop)
{
	const struct hostiam_cache *c;
	struct hostiam_user_view u;
	int saved = errno, r;

	if (!hostiam_valid_user_name(name))
		return nss_finish(HOSTIAM_ERR_NOT_FOUND, saved, errnop);
	if ((r = nss_cache_acquire(&c)) < 0)
		return nss_finish(r, saved, errnop);
	r = hostiam_cache_user_by_name(c, name, &u);
	if (r == 0)
		r = fill_passwd(&u, pw, buf, buflen);
	nss_cache_release();
	return nss_finish(r, saved, errnop);
}

/* The cached user with this uid. */
enum nss_status _nss_hostiam_getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t buflen,
					int *errnop)
{
	const struct hostiam_cache *c;
	struct hostiam_user_view u;
	int saved = errno, r;

	if ((r = nss_cache_acquire(&c)) < 0)
		return nss_finish(r, saved, errnop);
	r = hostiam_cache_user_by_uid(c, uid, &u);
	if (r == 0)
		r = fill_passwd(&u, pw, buf, buflen);
	nss_cache_release();
	return nss_finish(r, saved, errnop);
}

/* Enumeration step: user record index into *result. */
static int fill_user_at(const struct hostiam_cache *c, uint32_t index, void *result, char *buf,
			size_t buflen)
{
	struct hostiam_user_view u;
	int r = hostiam_cache_user_at(c, index, &u);

	return r < 0 ? r : fill_passwd(&u, result, buf, buflen);
}

/* Rewind the user enumeration (nothing to open: the cache is mapped on demand). */
enum nss_status _nss_hostiam_setpwent(int stayopen)
{
	return nss_ent_rewind(&nss_pwent);
}

/* End the user enumeration; the mapping stays for later lookups. */
enum nss_status _nss_hostiam_endpwent(void)
{
	return nss_ent_rewind(&nss_pwent);
}

/* The next cached user, in uid order. */
enum nss_status _nss_hostiam_getpwent_r(struct passwd *pw, char *buf, size_t buflen, int *errnop)
{
	return nss_ent_next(&nss_pwent, fill_user_at, pw, buf, buflen, errnop);
}
