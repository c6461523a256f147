/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cache-dump CACHE [--members]: print a cache as text (generation, passwd-like users,
 * groups), for grep; --members adds "member NAME:GID,GID..." (initgroups' answer) for every
 * user and every group member, once per appearance (sort -u them).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "errors.h"

static int members; /* --members */

/* "member NAME:GID,..." for name, with --members. */
static int dump_member(const struct hostiam_cache *c, const char *name)
{
	const uint32_t *gids;
	uint32_t n = 0;
	int r;

	if (!members)
		return 0;
	r = hostiam_cache_member_gids(c, name, &gids, &n);
	if (r < 0 && r != HOSTIAM_ERR_NOT_FOUND)
		return -1;
	printf("member %s:", name);
	for (uint32_t i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", (unsigned)gids[i]);
	printf("\n");
	return 0;
}

/* One line per user: name:uid:gid:gecos:home:shell keys=N, then one "key name KEY" per key. */
static int dump_users(const struct hostiam_cache *c, uint32_t n)
{
	struct hostiam_user_view u;
	const char *key;
	uint32_t i, k;

	for (i = 0; i < n; i++) {
		if (hostiam_cache_user_at(c, i, &u) < 0)
			return -1;
		printf("user %s:%u:%u:%s:%s:%s keys=%u\n", u.name, (unsigned)u.uid, (unsigned)u.gid,
		       u.gecos, u.home, u.shell, (unsigned)u.n_keys);
		for (k = 0; k < u.n_keys; k++) {
			if (hostiam_cache_user_key(c, &u, k, &key) < 0)
				return -1;
			printf("key %s %s\n", u.name, key);
		}
		if (dump_member(c, u.name) < 0)
			return -1;
	}
	return 0;
}

/* One line per group: name:gid:member,member,... */
static int dump_groups(const struct hostiam_cache *c, uint32_t n)
{
	struct hostiam_group_view g;
	const char *m;
	uint32_t i, k;

	for (i = 0; i < n; i++) {
		if (hostiam_cache_group_at(c, i, &g) < 0)
			return -1;
		printf("group %s:%u:", g.name, (unsigned)g.gid);
		for (k = 0; k < g.n_members; k++) {
			if (hostiam_cache_group_member(c, &g, k, &m) < 0)
				return -1;
			printf("%s%s", k ? "," : "", m);
		}
		printf("\n");
		for (k = 0; k < g.n_members; k++)
			if (hostiam_cache_group_member(c, &g, k, &m) < 0 || dump_member(c, m) < 0)
				return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info;
	int r;

	members = argc == 3 && strcmp(argv[2], "--members") == 0;
	if (argc != 2 && !members) {
		fprintf(stderr, "usage: cache-dump CACHE [--members]\n");
		return 2;
	}
	r = hostiam_cache_open(argv[1], &c);
	if (r < 0) {
		fprintf(stderr, "cache-dump: %s: %s\n", argv[1], hostiam_strerror(r));
		return 1;
	}
	hostiam_cache_get_info(c, &info);
	printf("generation %" PRIu64 "\nusers %u\ngroups %u\n", info.generation,
	       (unsigned)info.n_users, (unsigned)info.n_groups);
	r = dump_users(c, info.n_users) == 0 && dump_groups(c, info.n_groups) == 0 ? 0 : 1;
	hostiam_cache_close(c);
	return r;
}
