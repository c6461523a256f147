/* SPDX-License-Identifier: BSD-2-Clause */
/* Cache writer and reader: round trip, determinism, replacement, refusals. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache_answers.h"
#include "cache_format.h"
#include "cache_testutil.h"
#include "hash.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hostiam-cache-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/nss.cache", f->dir);
	*state = f;
	return 0;
}

/* Remove the directory and whatever the test left in it. */
static int teardown(void **state)
{
	struct fixture *f = *state;

	remove_tree(f->dir);
	free(f);
	return 0;
}

static int write_fixture(const char *path, uint64_t generation)
{
	return hostiam_cache_write(path, fixture_users, FIXTURE_N_USERS, fixture_groups,
				   FIXTURE_N_GROUPS, generation, 1700000000);
}

/* Number of entries in dir besides . and .. (temp files must not be left behind). */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void check_alice(const struct hostiam_cache *c)
{
	struct hostiam_user_view u;
	const char *key;

	assert_int_equal(hostiam_cache_user_by_name(c, "alice", &u), 0);
	assert_string_equal(u.name, "alice");
	assert_int_equal(u.uid, 1001);
	assert_int_equal(u.gid, 1001);
	assert_string_equal(u.gecos, "Alice Liddell");
	assert_string_equal(u.home, "/home/alice");
	assert_string_equal(u.shell, "/bin/bash");
	assert_int_equal(u.n_keys, 2);
	assert_int_equal(hostiam_cache_user_key(c, &u, 0, &key), 0);
	assert_string_equal(key, alice_keys[0]);
	assert_int_equal(hostiam_cache_user_key(c, &u, 1, &key), 0);
	assert_string_equal(key, alice_keys[1]);
	assert_int_equal(hostiam_cache_user_key(c, &u, 2, &key), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_user_by_uid(c, 1002, &u), 0);
	assert_string_equal(u.name, "bob");
	assert_string_equal(u.gecos, ""); /* NULL gecos is stored as "" */
	assert_int_equal(u.n_keys, 0);
	assert_int_equal(hostiam_cache_user_by_name(c, "localop", &u), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_user_by_name(c, "", &u), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_user_by_uid(c, 0, &u), HOSTIAM_ERR_NOT_FOUND);
}

static void check_groups(const struct hostiam_cache *c)
{
	struct hostiam_group_view g;
	const char *m;

	assert_int_equal(hostiam_cache_group_by_name(c, "devs", &g), 0);
	assert_int_equal(g.gid, 2002);
	assert_int_equal(g.n_members, 3);
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(hostiam_cache_group_member(c, &g, i, &m), 0);
		assert_string_equal(m, devs_members[i]); /* member order is kept */
	}
	assert_int_equal(hostiam_cache_group_member(c, &g, 3, &m), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_group_by_gid(c, 2003, &g), 0);
	assert_string_equal(g.name, "empty");
	assert_int_equal(g.n_members, 0);
	assert_int_equal(hostiam_cache_group_by_gid(c, 1001, &g), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_group_by_name(c, "alice", &g), HOSTIAM_ERR_NOT_FOUND);
}

static void check_member_index(const struct hostiam_cache *c)
{
	const uint32_t *gids;
	uint32_t n;

	assert_int_equal(hostiam_cache_member_gids(c, "alice", &gids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(gids[0], 2001);
	assert_int_equal(gids[1], 2002);
	/* A local user listed in a directory group has an entry too. */
	assert_int_equal(hostiam_cache_member_gids(c, "localop", &gids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(gids[0], 2001);
	assert_int_equal(hostiam_cache_member_gids(c, "bob", &gids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(gids[0], 2002);
	assert_int_equal(hostiam_cache_member_gids(c, "nobody", &gids, &n), HOSTIAM_ERR_NOT_FOUND);
}

/* Everything written comes back, enumeration is in id order. */
static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info;
	struct hostiam_user_view u;
	struct hostiam_group_view g;
	struct stat st;

	assert_int_equal(write_fixture(f->path, 7), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(count_entries(f->dir), 1);
	assert_int_equal(hostiam_cache_open(f->path, &c), 0);
	hostiam_cache_get_info(c, &info);
	assert_int_equal(info.generation, 7);
	assert_int_equal(info.sync_time, 1700000000);
	assert_int_equal(info.n_users, 3);
	assert_int_equal(info.n_groups, 3);
	assert_int_equal(info.file_size, (uint64_t)st.st_size);
	assert_false(hostiam_cache_replaced(c));
	assert_int_equal(hostiam_cache_verify(c), 0);
	check_alice(c);
	check_groups(c);
	check_member_index(c);
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(hostiam_cache_user_at(c, i, &u), 0);
		assert_int_equal(u.uid, 1001 + i);
		assert_int_equal(u.index, i);
		assert_int_equal(hostiam_cache_group_at(c, i, &g), 0);
		assert_int_equal(g.gid, 2001 + i);
	}
	assert_int_equal(hostiam_cache_user_at(c, 3, &u), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_group_at(c, 3, &g), HOSTIAM_ERR_NOT_FOUND);
	hostiam_cache_close(c);
}

/* An empty directory is a valid cache that finds nothing. */
static void test_empty(void **state)
{
	struct fixture *f = *state;
	struct hostiam_cache *c = NULL;
	struct hostiam_user_view u;
	struct hostiam_group_view g;
	const uint32_t *gids;
	uint32_t n;

	assert_int_equal(hostiam_cache_write(f->path, NULL, 0, NULL, 0, 1, 0), 0);
	assert_int_equal(hostiam_cache_open(f->path, &c), 0);
	assert_int_equal(hostiam_cache_verify(c), 0);
	assert_int_equal(hostiam_cache_user_at(c, 0, &u), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_user_by_name(c, "alice", &u), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_user_by_uid(c, 1001, &u), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_group_by_name(c, "devs", &g), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_group_by_gid(c, 2002, &g), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_group_at(c, 0, &g), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_member_gids(c, "alice", &gids, &n), HOSTIAM_ERR_NOT_FOUND);
	hostiam_cache_close(c);
}

/* Same data in any input order gives the same bytes. */
static void test_deterministic(void **state)
{
	struct hostiam_cache_user_in users[FIXTURE_N_USERS];
	struct hostiam_cache_group_in groups[FIXTURE_N_GROUPS];
	void *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;

	for (size_t i = 0; i < FIXTURE_N_USERS; i++)
		users[i] = fixture_users[FIXTURE_N_USERS - 1 - i];
	for (size_t i = 0; i < FIXTURE_N_GROUPS; i++)
		groups[i] = fixture_groups[FIXTURE_N_GROUPS - 1 - i];
	assert_int_equal(hostiam_cache_build(fixture_users, FIXTURE_N_USERS, fixture_groups,
					     FIXTURE_N_GROUPS, 3, 99, &a, &la),
			 0);
	assert_int_equal(hostiam_cache_build(users, FIXTURE_N_USERS, groups, FIXTURE_N_GROUPS, 3,
					     99, &b, &lb),
			 0);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
}

/* Publishing a new file flags the old mapping; the old mapping keeps its data. */
static void test_replaced(void **state)
{
	struct fixture *f = *state;
	struct hostiam_cache *c1 = NULL, *c2 = NULL;
	struct hostiam_cache_info info;

	assert_int_equal(write_fixture(f->path, 1), 0);
	assert_int_equal(hostiam_cache_open(f->path, &c1), 0);
	assert_false(hostiam_cache_replaced(c1));
	assert_int_equal(write_fixture(f->path, 2), 0);
	assert_true(hostiam_cache_replaced(c1));
	assert_int_equal(hostiam_cache_verify(c1), 0); /* the flag is outside the checksums */
	check_alice(c1);
	assert_int_equal(hostiam_cache_open(f->path, &c2), 0);
	assert_false(hostiam_cache_replaced(c2));
	hostiam_cache_get_info(c2, &info);
	assert_int_equal(info.generation, 2);
	assert_int_equal(count_entries(f->dir), 1);
	hostiam_cache_close(c1);
	hostiam_cache_close(c2);
}

/* Replacing something that is not a cache leaves it unflagged (no stray writes). */
static void test_replace_foreign_file(void **state)
{
	struct fixture *f = *state;
	char buf[256] = { 0 };
	int fd = open(f->path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
	assert_int_equal(write_fixture(f->path, 1), 0);
}

/* One invalid input: the file at path (generation 1) must survive untouched. */
static void expect_refused(const char *path, const struct hostiam_cache_user_in *users,
			   size_t n_users, const struct hostiam_cache_group_in *groups,
			   size_t n_groups)
{
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info;

	assert_int_equal(hostiam_cache_write(path, users, n_users, groups, n_groups, 9, 0),
			 HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_cache_open(path, &c), 0);
	hostiam_cache_get_info(c, &info);
	assert_int_equal(info.generation, 1);
	hostiam_cache_close(c);
}

static void test_refuse_duplicates(void **state)
{
	struct fixture *f = *state;
	struct hostiam_cache_user_in u[2] = { fixture_users[0], fixture_users[1] };
	struct hostiam_cache_group_in g[2] = { fixture_groups[0], fixture_groups[1] };
	static const char *const twice[] = { "alice", "bob", "alice" };
	static const char *const bad_member[] = { "alice", "bad:name" };

	assert_int_equal(write_fixture(f->path, 1), 0);
	u[1].name = u[0].name;
	expect_refused(f->path, u, 2, NULL, 0); /* same user name */
	u[1] = fixture_users[1];
	u[1].uid = u[0].uid;
	expect_refused(f->path, u, 2, NULL, 0); /* same uid */
	g[1].name = g[0].name;
	expect_refused(f->path, NULL, 0, g, 2); /* same group name */
	g[1] = fixture_groups[1];
	g[1].gid = g[0].gid;
	expect_refused(f->path, NULL, 0, g, 2); /* same gid */
	g[1] = (struct hostiam_cache_group_in){ "g", 5, twice, 3, NULL };
	expect_refused(f->path, NULL, 0, g + 1, 1); /* member twice in a group */
	g[1] = (struct hostiam_cache_group_in){ "g", 5, bad_member, 2, NULL };
	expect_refused(f->path, NULL, 0, g + 1, 1); /* invalid member name */
	u[1] = fixture_users[1];
	u[1].name = "1234";
	expect_refused(f->path, u, 2, NULL, 0); /* invalid user name */
	u[1].name = NULL;
	expect_refused(f->path, u, 2, NULL, 0);
	assert_int_equal(count_entries(f->dir), 1); /* no temp file left behind */
}

/* A write that cannot even create its temp file leaves nothing behind. */
static void test_write_failure(void **state)
{
	assert_int_equal(hostiam_cache_write("/nonexistent-dir/nss.cache", fixture_users,
					     FIXTURE_N_USERS, NULL, 0, 1, 0),
			 HOSTIAM_ERR_SYSTEM);
}

static void test_open_refusals(void **state)
{
	struct fixture *f = *state;
	struct hostiam_cache *c = NULL;
	char link[160];

	assert_int_equal(hostiam_cache_open(f->path, &c), HOSTIAM_ERR_CACHE_MISSING);
	assert_int_equal(write_fixture(f->path, 1), 0);
	assert_int_equal(chmod(f->path, 0664), 0);
	assert_int_equal(hostiam_cache_open(f->path, &c), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(f->path, 0646), 0);
	assert_int_equal(hostiam_cache_open(f->path, &c), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(f->path, 0600), 0);
	assert_int_equal(hostiam_cache_open(f->path, &c), 0);
	hostiam_cache_close(c);
	snprintf(link, sizeof(link), "%s/link.cache", f->dir);
	assert_int_equal(symlink(f->path, link), 0);
	assert_int_equal(hostiam_cache_open(link, &c), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(hostiam_cache_open(f->dir, &c), HOSTIAM_ERR_INSECURE_FILE);
	if (geteuid() == 0) {
		/* Owned by neither root nor the caller. */
		assert_int_equal(chown(f->path, 12345, 12345), 0);
		assert_int_equal(hostiam_cache_open(f->path, &c), HOSTIAM_ERR_INSECURE_FILE);
	}
}

/* Rewrite the header's version (with a valid checksum): an incompatible file, not damage. */
static void test_version(void **state)
{
	struct hostiam_cache *c = NULL;
	struct hc_header *h;
	void *img = NULL;
	size_t len = 0;

	assert_int_equal(hostiam_cache_build(fixture_users, FIXTURE_N_USERS, fixture_groups,
					     FIXTURE_N_GROUPS, 1, 0, &img, &len),
			 0);
	h = img;
	h->version = HC_VERSION + 1;
	h->header_checksum = hostiam_checksum(h, offsetof(struct hc_header, header_checksum));
	assert_int_equal(hostiam_cache_attach(img, len, &c), HOSTIAM_ERR_CACHE_VERSION);
	h->version = HC_VERSION;
	h->magic[0] ^= 1;
	assert_int_equal(hostiam_cache_attach(img, len, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	free(img);
}

/*
 * A group of 4,096 members or more has its own copies of the names, end to end (read in
 * one sweep); the member index still finds every member, and a damaged copy is caught.
 */
static void test_big_group(void **state)
{
	enum {
		N = 5000
	};
	static char names[N][8];
	static const char *members[N], *evens[N / 2];
	/* "evens" comes first in gid order: its names are interned first, so the big group's
	 * interned names are not end to end. */
	struct hostiam_cache_group_in groups[2] = { { "big", 3000, members, N, NULL },
						    { "evens", 2999, evens, N / 2, NULL } };
	struct hostiam_group_view g;
	struct hostiam_cache *c;
	const uint32_t *gids;
	const char *m, *prev = NULL;
	void *img;
	size_t len;
	uint32_t n;

	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "m%04d", (i * 7) % N);
		members[i] = names[i];
		if (i % 2 == 0)
			evens[i / 2] = names[i];
	}
	assert_int_equal(hostiam_cache_build(NULL, 0, groups, 2, 1, 1, &img, &len), 0);
	assert_int_equal(hostiam_cache_attach(img, len, &c), 0);
	assert_int_equal(hostiam_cache_group_by_name(c, "big", &g), 0);
	assert_int_equal(g.n_members, N);
	for (uint32_t i = 0; i < N; i++, prev = m) {
		assert_int_equal(hostiam_cache_group_member(c, &g, i, &m), 0);
		assert_string_equal(m, names[i]);
		if (prev)
			assert_ptr_equal(m, prev + strlen(prev) + 1);
	}
	assert_int_equal(hostiam_cache_member_gids(c, names[2], &gids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(gids[0], 2999);
	assert_int_equal(gids[1], 3000);
	/* Damage the copy of a name in the middle of the big group's block. */
	assert_int_equal(hostiam_cache_group_member(c, &g, N / 2, &m), 0);
	((char *)img)[m - (const char *)img] ^= 0x01;
	assert_int_equal(hostiam_cache_group_by_name(c, "big", &g), HOSTIAM_ERR_CACHE_CORRUPT);
	assert_int_equal(hostiam_cache_member_gids(c, names[N / 2], &gids, &n), 0);
	hostiam_cache_close(c);
	free(img);
}

/*
 * member_ids only speed the build up: numbers that agree with the names, numbers that
 * name two different pointers, repeat across names or run past the bound, and none at
 * all give the same image, byte for byte.
 */
static void test_member_ids_hint(void **state)
{
	enum {
		N = 300
	};
	static char names[N][8], copies[N][8];
	static const char *a[N], *b[N / 2];
	static uint32_t good_a[N], good_b[N / 2], bad_a[N], bad_b[N / 2];
	struct hostiam_cache_group_in groups[2] = { { "ga", 3000, a, N, NULL },
						    { "gb", 3001, b, N / 2, NULL } };
	void *plain, *img;
	size_t plain_len, len;
	int i;

	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "m%04d", i);
		memcpy(copies[i], names[i], sizeof(names[i]));
		a[i] = names[i];
		good_a[i] = (uint32_t)i;
		bad_a[i] = (uint32_t)(i % 7 == 0 ? 100000 : i % 5); /* repeats, out of bound */
	}
	for (i = 0; i < N / 2; i++) {
		/* Half the same pointers as ga, half other copies of the same names. */
		b[i] = i % 2 ? names[2 * i] : copies[2 * i];
		good_b[i] = (uint32_t)(2 * i);
		bad_b[i] = (uint32_t)(i % 3);
	}
	const uint32_t *ids[2][2] = { { good_a, good_b }, { bad_a, bad_b } };

	assert_int_equal(hostiam_cache_build(NULL, 0, groups, 2, 1, 1, &plain, &plain_len), 0);
	for (i = 0; i < 2; i++) {
		groups[0].member_ids = ids[i][0];
		groups[1].member_ids = ids[i][1];
		assert_int_equal(hostiam_cache_build(NULL, 0, groups, 2, 1, 1, &img, &len), 0);
		assert_int_equal(len, plain_len);
		assert_memory_equal(img, plain, len);
		free(img);
	}
	free(plain);
	/* A NULL member is refused with numbers as without (an empty slot is NULL too). */
	a[1] = NULL;
	groups[0].member_ids = good_a;
	groups[1].member_ids = NULL;
	assert_int_equal(hostiam_cache_build(NULL, 0, groups, 1, 1, 1, &img, &len),
			 HOSTIAM_ERR_INVALID_ARG);
}

/* The record checks' fast item check gives exactly hash.h's: old files still verify. */
static void test_check_item_same(void **state)
{
	char s[41];

	srand(7);
	for (int round = 0; round < 200; round++)
		for (size_t len = 0; len < sizeof(s); len++) {
			for (size_t k = 0; k < len; k++)
				s[k] = (char)(1 + rand() % 255);
			s[len] = '\0';
			assert_true(hc_check_item(len + round, s) ==
				    hostiam_check_item(len + round, s));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test_setup_teardown(test_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_foreign_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuse_duplicates, setup, teardown),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test_setup_teardown(test_open_refusals, setup, teardown),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_big_group),
		cmocka_unit_test(test_member_ids_hint),
		cmocka_unit_test(test_check_item_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
