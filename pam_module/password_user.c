/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Who the password step is for: directory accounts only. Everyone else (root, local
 * operators, a local account that shares a name with a directory one) gets
 * PAM_USER_UNKNOWN from it, so that pam_unix serves them as it always did, and their
 * passwords never reach the helper or the directory.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>

#include "cache.h"
#include "configuration.h"
#include "password.h"

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

/* In the cache, a directory uid, and the account NSS resolves the name to. */
bool pam_hostiam_directory_user(const struct hostiam_config *cfg, const char *user)
{
	struct hostiam_cache *c = NULL;
	struct hostiam_user_view v;
	uid_t uid;
	bool in_cache;

	if (!cfg->directory.configured || cfg->cache.nss_path == NULL)
		return false;
	if (hostiam_cache_open(cfg->cache.nss_path, &c) < 0)
		return false;
	in_cache = hostiam_cache_user_by_name(c, user, &v) == 0 && v.uid >= cfg->directory.min_uid;
	hostiam_cache_close(c);
	/* v.uid stays valid after close: it was copied out of the mapping. */
	return in_cache && nss_uid(user, &uid) && uid == (uid_t)v.uid;
}
