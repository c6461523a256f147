/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers of the cache tests: reader answers rendered as text (to compare two caches, or a
 * damaged one with the original), whole files read back, scratch directories removed.
 */
#ifndef HOSTIAM_CACHE_ANSWERS_H
#define HOSTIAM_CACHE_ANSWERS_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"

#define ANSWER 1024

/* An answer as text: the return code, then every field the view leads to. */
static inline void show_user(const struct hostiam_cache *c, int r,
			     const struct hostiam_user_view *u, char *out, size_t len)
{
	size_t n = (size_t)snprintf(out, len, "%d", r);
	const char *key;

	if (r < 0)
		return;
	n += (size_t)snprintf(out + n, len - n, " %s:%u:%u:%s:%s:%s", u->name, (unsigned)u->uid,
			      (unsigned)u->gid, u->gecos, u->home, u->shell);
	for (uint32_t k = 0; k < u->n_keys && n < len; k++) {
		int rk = hostiam_cache_user_key(c, u, k, &key);

		n += (size_t)snprintf(out + n, len - n, " [%d %s]", rk, rk ? "" : key);
	}
}

static inline void show_group(const struct hostiam_cache *c, int r,
			      const struct hostiam_group_view *g, char *out, size_t len)
{
	size_t n = (size_t)snprintf(out, len, "%d", r);
	const char *m;

	if (r < 0)
		return;
	n += (size_t)snprintf(out + n, len - n, " %s:%u:", g->name, (unsigned)g->gid);
	for (uint32_t k = 0; k < g->n_members && n < len; k++) {
		int rm = hostiam_cache_group_member(c, g, k, &m);

		n += (size_t)snprintf(out + n, len - n, "%s%s", k ? "," : "", rm ? "?" : m);
	}
}

static inline void show_member(const struct hostiam_cache *c, const char *name, char *out,
			       size_t len)
{
	const uint32_t *gids;
	uint32_t n_gids;
	int r = hostiam_cache_member_gids(c, name, &gids, &n_gids);
	size_t n = (size_t)snprintf(out, len, "%d", r);

	for (uint32_t k = 0; r == 0 && k < n_gids && n < len; k++)
		n += (size_t)snprintf(out + n, len - n, " %u", (unsigned)gids[k]);
}

/* The whole file at path in a malloc'd buffer of exactly its size (8-aligned), or NULL. */
static inline void *slurp(const char *path, size_t *len)
{
	struct stat st;
	void *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1)) &&
	    read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	if (fd >= 0)
		close(fd);
	if (buf)
		*len = (size_t)st.st_size;
	return buf;
}

/* Remove dir and what a test left in it (files, and empty directories). */
static inline void remove_tree(const char *dir)
{
	char p[400];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p) < 0 ? (void)rmdir(p) : (void)0;
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

#endif
