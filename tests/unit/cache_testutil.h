/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the cache tests and the cache fuzz target: a small fixture directory and a
 * walk that touches everything a reader can reach (so ASan sees any stray read).
 */
#ifndef HOSTIAM_CACHE_TESTUTIL_H
#define HOSTIAM_CACHE_TESTUTIL_H

#include <string.h>

#include "cache.h"
#include "cache_writer.h"
#include "errors.h"

static const char *const alice_keys[] = { "ssh-ed25519 AAAAC3Nza alice@laptop",
					  "ssh-rsa AAAAB3Nza alice@desk" };
static const char *const admins_members[] = { "alice", "localop" };
static const char *const devs_members[] = { "carol", "alice", "bob" };

static const struct hostiam_cache_user_in fixture_users[] = {
	{ "carol", 1003, 2001, "Carol", "/home/carol", "/bin/zsh", NULL, 0 },
	{ "alice", 1001, 1001, "Alice Liddell", "/home/alice", "/bin/bash", alice_keys, 2 },
	{ "bob", 1002, 1002, NULL, "/home/bob", "/bin/sh", NULL, 0 },
};

static const struct hostiam_cache_group_in fixture_groups[] = {
	{ "devs", 2002, devs_members, 3, NULL },
	{ "admins", 2001, admins_members, 2, NULL },
	{ "empty", 2003, NULL, 0, NULL },
};

#define FIXTURE_N_USERS (sizeof(fixture_users) / sizeof(fixture_users[0]))
#define FIXTURE_N_GROUPS (sizeof(fixture_groups) / sizeof(fixture_groups[0]))

/* Read every user, key, group, member and member index entry; returns a small digest. */
static inline unsigned long cache_walk(const struct hostiam_cache *c)
{
	struct hostiam_cache_info info;
	struct hostiam_user_view u, u2;
	struct hostiam_group_view g, g2;
	const uint32_t *gids;
	const char *s;
	uint32_t n;
	unsigned long sum = 0;

	hostiam_cache_get_info(c, &info);
	(void)hostiam_cache_replaced(c);
	for (uint32_t i = 0; hostiam_cache_user_at(c, i, &u) == 0; i++) {
		sum += strlen(u.name) + strlen(u.gecos) + strlen(u.home) + strlen(u.shell);
		for (uint32_t k = 0; hostiam_cache_user_key(c, &u, k, &s) == 0; k++)
			sum += strlen(s);
		if (hostiam_cache_user_by_name(c, u.name, &u2) == 0)
			sum += u2.uid;
		if (hostiam_cache_user_by_uid(c, u.uid, &u2) == 0)
			sum += strlen(u2.name);
		if (hostiam_cache_member_gids(c, u.name, &gids, &n) == 0)
			for (uint32_t k = 0; k < n; k++)
				sum += gids[k];
	}
	for (uint32_t i = 0; hostiam_cache_group_at(c, i, &g) == 0; i++) {
		sum += strlen(g.name);
		for (uint32_t k = 0; hostiam_cache_group_member(c, &g, k, &s) == 0; k++) {
			sum += strlen(s);
			if (hostiam_cache_member_gids(c, s, &gids, &n) == 0 && n > 0)
				sum += gids[0] + gids[n - 1];
		}
		if (hostiam_cache_group_by_name(c, g.name, &g2) == 0)
			sum += g2.gid;
		if (hostiam_cache_group_by_gid(c, g.gid, &g2) == 0)
			sum += strlen(g2.name);
	}
	if (hostiam_cache_user_by_name(c, "nosuchuser", &u) == 0)
		sum++;
	if (hostiam_cache_group_by_gid(c, 4242, &g) == 0)
		sum++;
	(void)hostiam_cache_verify(c);
	return sum;
}

#endif
