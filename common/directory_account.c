/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whether a name is a directory account on this host: the one definition for the password
 * step (everyone else gets PAM_USER_UNKNOWN, so that pam_unix serves them and their
 * passwords never reach the directory) and for directory TOTP secrets (a local account
 * that shares a name with a directory one never gets the directory's secret).
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>

#include "cache.h"
#include "configuration.h"
#include "directory_account.h"

/* NSS's uid for name, or false when NSS has no such user (or cannot say). */
static bool nss_uid(const char *name, uid_t *uid)
{
	struct passwd pw, *res = NULL;
	size_t len = 4096;
	char *buf;
	int e;

	/* Big entries (long GECOS) get one retry with a larger buffer; beyond that, no. */
	for (;;) {
		if ((buf = malloc(len)) == NULL)
			return false;
		e = getpwnam_r(name, &pw, buf, len, &res);
		free(buf);
		if (e != ERANGE || len >= 65536)
			break;
		len *= 16;
	}
	if (e != 0 || res == NULL)
		return false;
	*uid = pw.pw_uid;
	return true;
}

/* The uid nss.cache holds for user (at least directory.min_uid); false when none. */
static bool cached_uid(const struct hostiam_config *cfg, const char *user, uid_t *uid)
{
	struct hostiam_cache *c = NULL;
	struct hostiam_user_view v;
	bool in_cache;

	if (!cfg->directory.configured || cfg->cache.nss_path == NULL)
		return false;
	if (hostiam_cache_open(cfg->cache.nss_path, &c) < 0)
		return false;
	in_cache = hostiam_cache_user_by_name(c, user, &v) == 0 && v.uid >= cfg->directory.min_uid;
	hostiam_cache_close(c);
	/* v.uid stays valid after close: it was copied out of the mapping. */
	*uid = (uid_t)v.uid;
	return in_cache;
}

/* In the cache, a directory uid, and the account NSS resolves the name to. */
bool hostiam_directory_account(const struct hostiam_config *cfg, const char *user)
{
	uid_t cached, uid;

	return cached_uid(cfg, user, &cached) && nss_uid(user, &uid) && uid == cached;
}

/* In the cache, and NSS resolves the name to another uid: a local account comes first. */
bool hostiam_directory_name_shadowed(const struct hostiam_config *cfg, const char *user)
{
	uid_t cached, uid;

	return cached_uid(cfg, user, &cached) && nss_uid(user, &uid) && uid != cached;
}
