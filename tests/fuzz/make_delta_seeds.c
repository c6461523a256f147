/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Seeds of the delta fuzz target: deltas of the fixture base (generation 1) written by
 * hostiam_cache_write_delta(), whole, truncated and with a byte overwritten. Built by
 * make check (not run); regenerate with
 *   tests/fuzz/make_delta_seeds tests/fuzz/corpus/cache-delta    (in a build tree)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache_testutil.h"

/* Write len bytes of buf as dir/name. */
static int put(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "wbe")))
		return -1;
	fwrite(buf, 1, len, f);
	return fclose(f);
}

/* The delta at path.delta as seed name, then cut and mangled copies of it. */
static int seeds(const char *path, const char *out, const char *name)
{
	char dpath[300], seed[64];
	unsigned char buf[65536];
	size_t len, cuts[] = { 8, 100, 200, 0, 0 }, offs[] = { 20, 180, 260, 0, 0 };
	FILE *f;

	snprintf(dpath, sizeof(dpath), "%s.delta", path);
	if (!(f = fopen(dpath, "rbe")))
		return -1;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	cuts[3] = offs[3] = len / 2;
	cuts[4] = len - 1;
	offs[4] = len - 12;
	put(out, name, buf, len);
	for (int i = 0; i < 5; i++) {
		snprintf(seed, sizeof(seed), "%s-cut-%zu", name, cuts[i]);
		put(out, seed, buf, cuts[i] < len ? cuts[i] : len);
		buf[offs[i]] ^= 0xff;
		snprintf(seed, sizeof(seed), "%s-mangled-%zu", name, offs[i]);
		put(out, seed, buf, len);
		buf[offs[i]] ^= 0xff;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const drop[] = { "bob" }, *const ops[] = { "dave", "alice" };
	static const uint32_t alice_gids[] = { 2001, 2002, 2004 }, dave_gids[] = { 2004 };
	const struct hostiam_cache_user_in users[] = {
		{ "carol", 1003, 2001, "Carol v2", "/home/carol", "/bin/sh", alice_keys, 1 },
		{ "dave", 1004, 1004, "Dave", "/home/dave", "/bin/sh", NULL, 0 },
	};
	const struct hostiam_cache_group_in groups[] = { { "ops", 2004, ops, 2, NULL } };
	const struct hostiam_cache_member_in members[] = { { "alice", alice_gids, 3 },
							   { "dave", dave_gids, 1 },
							   { "localop", NULL, 0 } };
	const struct hostiam_cache_changes first = { .users = users,
						     .n_users = 2,
						     .groups = groups,
						     .n_groups = 1,
						     .members = members,
						     .n_members = 3,
						     .drop_user_names = drop,
						     .n_drop_user_names = 1 };
	const uint32_t gone = 2001;
	const struct hostiam_cache_changes second = { .drop_gids = &gone, .n_drop_gids = 1 };
	char dir[] = "/tmp/hostiam-seeds-XXXXXX", path[64];
	uint64_t gen;
	size_t records;
	int r;

	if (argc != 2 || !mkdtemp(dir))
		return 2;
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	r = hostiam_cache_write(path, fixture_users, FIXTURE_N_USERS, fixture_groups,
				FIXTURE_N_GROUPS, 1, 1) < 0 ||
		hostiam_cache_write_delta(path, &first, 2, &gen, &records) < 0 ||
		seeds(path, argv[1], "delta1") < 0 ||
		hostiam_cache_write_delta(path, &second, 3, &gen, &records) < 0 ||
		seeds(path, argv[1], "delta2") < 0;
	snprintf(path, sizeof(path), "%s/nss.cache.delta", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	unlink(path);
	rmdir(dir);
	return r;
}
