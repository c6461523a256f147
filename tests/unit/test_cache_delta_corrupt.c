/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Damaged, truncated and insecure deltas: refused at open (CORRUPT, VERSION or
 * INSECURE_FILE), or, for a byte no open-time check covers, every answer is the right one
 * or CORRUPT and hostiam_cache_verify() catches it. Never a crash (ASan build), never
 * another answer.
 */
#include "config.h"

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
#include "cache_internal.h"
#include "cache_testutil.h"

static char dir[] = "/tmp/hostiam-dcorrupt-XXXXXX", path[64], dpath[80];
static void *base, *delta;
static size_t base_len, delta_len;

/* Queries whose answers are compared: names and ids of the fixture and of the delta. */
static const char *const names[] = { "alice", "bob", "carol", "dave", "localop", "nobody" };
static const char *const gnames[] = { "admins", "devs", "empty", "ops" };
static const uint32_t ids[] = { 1001, 1002, 1003, 1004, 2001, 2002, 2003, 2004, 9 };

#define N_ANSWERS 42 /* as many as answers() gives */
typedef char answers_t[N_ANSWERS][ANSWER];

/* Every query's answer, in a fixed order (enumeration included). */
static void answers(const struct hostiam_cache *c, answers_t a)
{
	struct hostiam_user_view u;
	struct hostiam_group_view g;
	int n = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		show_user(c, hostiam_cache_user_by_name(c, names[i], &u), &u, a[n++], ANSWER);
		show_member(c, names[i], a[n++], ANSWER);
	}
	for (size_t i = 0; i < sizeof(gnames) / sizeof(*gnames); i++)
		show_group(c, hostiam_cache_group_by_name(c, gnames[i], &g), &g, a[n++], ANSWER);
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		show_user(c, hostiam_cache_user_by_uid(c, ids[i], &u), &u, a[n++], ANSWER);
		show_group(c, hostiam_cache_group_by_gid(c, ids[i], &g), &g, a[n++], ANSWER);
	}
	for (uint32_t i = 0; i < 4; i++) {
		show_user(c, hostiam_cache_user_at(c, i, &u), &u, a[n++], ANSWER);
		show_group(c, hostiam_cache_group_at(c, i, &g), &g, a[n++], ANSWER);
	}
	assert_int_equal(n, N_ANSWERS);
}

/* A copy of len bytes at an 8-aligned address (malloc's), exactly len long for ASan. */
static void *copy(const void *p, size_t len)
{
	void *q = malloc(len ? len : 1);

	assert_non_null(q);
	memcpy(q, p, len);
	return q;
}

/* The base with buf (len bytes) as its delta: attach's result, the pair in *out. */
static int attach_pair(void *b, const void *buf, size_t len, struct hostiam_cache **out)
{
	int r;

	assert_int_equal(hostiam_cache_attach(b, base_len, out), 0);
	r = hc_delta_attach(*out, buf, len);
	if (r != 0) {
		hostiam_cache_close(*out);
		*out = NULL;
	}
	return r;
}

/* The fixture as a base, and a delta: carol edited, bob dropped, dave and ops added. */
static int setup(void **state)
{
	static const char *const dave_keys[] = { "ssh-ed25519 AAAAdave dave@x" };
	static const char *const ops_members[] = { "dave", "alice" };
	static const char *const drop[] = { "bob" };
	static const uint32_t alice_gids[] = { 2001, 2002, 2004 }, dave_gids[] = { 2004 };
	const struct hostiam_cache_user_in users[] = {
		{ "carol", 1003, 2001, "Carol v2", "/home/carol", "/bin/sh", NULL, 0 },
		{ "dave", 1004, 1004, "Dave", "/home/dave", "/bin/sh", dave_keys, 1 },
	};
	const struct hostiam_cache_group_in groups[] = { { "ops", 2004, ops_members, 2, NULL } };
	const struct hostiam_cache_member_in members[] = { { "alice", alice_gids, 3 },
							   { "dave", dave_gids, 1 } };
	const struct hostiam_cache_changes ch = { .users = users,
						  .n_users = 2,
						  .groups = groups,
						  .n_groups = 1,
						  .members = members,
						  .n_members = 2,
						  .drop_user_names = drop,
						  .n_drop_user_names = 1 };
	uint64_t gen;
	size_t records;

	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	snprintf(dpath, sizeof(dpath), "%s.delta", path);
	if (hostiam_cache_write(path, fixture_users, FIXTURE_N_USERS, fixture_groups,
				FIXTURE_N_GROUPS, 1, 1) < 0 ||
	    hostiam_cache_write_delta(path, &ch, 2, &gen, &records) < 0)
		return -1;
	base = slurp(path, &base_len);
	delta = slurp(dpath, &delta_len);
	return base && delta ? 0 : -1;
}

static int teardown(void **state)
{
	unlink(dpath);
	unlink(path);
	rmdir(dir);
	free(base);
	free(delta);
	return 0;
}

/* The undamaged pair answers as its files do, and verifies. */
static void test_intact(void **state)
{
	struct hostiam_cache *c = NULL, *f = NULL;
	static answers_t a, b;
	struct hostiam_user_view u;

	assert_int_equal(attach_pair(base, delta, delta_len, &c), 0);
	assert_int_equal(hostiam_cache_open(path, &f), 0);
	answers(c, a);
	answers(f, b);
	for (int i = 0; i < N_ANSWERS; i++)
		if (strcmp(a[i], b[i]) != 0)
			fail_msg("answer %d: \"%s\" attached, \"%s\" from the files", i, a[i],
				 b[i]);
	assert_int_equal(hostiam_cache_verify(c), 0);
	assert_int_equal(hostiam_cache_user_by_name(c, "bob", &u), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_cache_user_by_name(c, "dave", &u), 0);
	hostiam_cache_close(c);
	hostiam_cache_close(f);
}

/* Every truncation is refused: the header records the file size. */
static void test_truncated(void **state)
{
	struct hostiam_cache *c;

	for (size_t len = 0; len < delta_len; len++) {
		void *d = copy(delta, len);

		assert_int_equal(attach_pair(base, d, len, &c), HOSTIAM_ERR_CACHE_CORRUPT);
		free(d);
	}
}

/* True if off lies in the delta's replaced flag, which no checksum covers. */
static bool in_flag(size_t off)
{
	return off >= HC_DELTA_REPLACED_OFFSET && off < HC_DELTA_REPLACED_OFFSET + 4;
}

/*
 * True if got is want, or CORRUPT: the whole answer, or a key (keys have their own check,
 * read when asked for, so the record before them stands).
 */
static bool right_or_corrupt(const char *got, const char *want)
{
	const char *key = strstr(got, " [-6 ]");

	if (strcmp(got, want) == 0 || atoi(got) == HOSTIAM_ERR_CACHE_CORRUPT)
		return true;
	return key && strncmp(got, want, (size_t)(key - got)) == 0 && want[key - got] == ' ';
}

/* One flipped byte: refused at attach, or right-or-CORRUPT answers and a failing verify. */
static void flip_one(size_t off, unsigned char mask, answers_t want, answers_t got)
{
	struct hostiam_cache *c;
	unsigned char *d = copy(delta, delta_len);
	int r;

	d[off] ^= mask;
	r = attach_pair(base, d, delta_len, &c);
	if (r != 0) {
		if (r != HOSTIAM_ERR_CACHE_CORRUPT && r != HOSTIAM_ERR_CACHE_VERSION)
			fail_msg("offset %zu: attach gave %d", off, r);
		free(d);
		return;
	}
	answers(c, got);
	for (int i = 0; i < N_ANSWERS; i++)
		if (!right_or_corrupt(got[i], want[i]))
			fail_msg("offset %zu mask %#x: \"%s\" instead of \"%s\"", off, mask, got[i],
				 want[i]);
	if (!(in_flag(off) && mask == 0x01 && off == HC_DELTA_REPLACED_OFFSET))
		assert_int_equal(hostiam_cache_verify(c), HOSTIAM_ERR_CACHE_CORRUPT);
	hostiam_cache_close(c);
	free(d);
}

static void test_flip_each_byte(void **state)
{
	static const unsigned char masks[] = { 0xff, 0x01, 0x80 };
	static answers_t want, got;
	struct hostiam_cache *c;

	assert_int_equal(attach_pair(base, delta, delta_len, &c), 0);
	answers(c, want);
	hostiam_cache_close(c);
	for (size_t m = 0; m < sizeof(masks); m++)
		for (size_t off = 0; off < delta_len; off++)
			flip_one(off, masks[m], want, got);
}

/* Write len bytes of buf as the delta file, mode mode. */
static void put_delta(const void *buf, size_t len, mode_t mode)
{
	int fd;

	unlink(dpath);
	fd = open(dpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Through the files: the whole open fails, whatever is wrong with the delta. */
static void test_files(void **state)
{
	struct hostiam_cache *c = NULL;
	unsigned char *d = copy(delta, delta_len);

	put_delta(delta, delta_len, 0666);
	assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_INSECURE_FILE);
	put_delta(delta, delta_len, 0620);
	assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_INSECURE_FILE);
	if (geteuid() == 0) {
		put_delta(delta, delta_len, 0644);
		assert_int_equal(chown(dpath, 4242, 4242), 0);
		assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_INSECURE_FILE);
	}
	unlink(dpath);
	assert_int_equal(symlink(path, dpath), 0);
	assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_INSECURE_FILE);
	unlink(dpath);
	assert_int_equal(mkdir(dpath, 0755), 0);
	assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_INSECURE_FILE);
	rmdir(dpath);
	put_delta(delta, 0, 0644);
	assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	put_delta(delta, delta_len / 2, 0644);
	assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	d[sizeof(struct hc_delta_header) + 1] ^= 1; /* in the masks or the image's header */
	put_delta(d, delta_len, 0644);
	assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	put_delta(delta, delta_len, 0644);
	assert_int_equal(hostiam_cache_open(path, &c), 0);
	hostiam_cache_close(c);
	free(d);
}

/* A delta whose masks are out of order or beyond the base, with checksums made right. */
static void test_hostile_masks(void **state)
{
	struct hostiam_cache *c;
	unsigned char *d = copy(delta, delta_len);
	struct hc_delta_header *h = (struct hc_delta_header *)d;
	uint32_t *mask = (uint32_t *)(d + h->masks[HC_MASK_USERS].offset);
	const uint32_t bad[] = { FIXTURE_N_USERS, UINT32_MAX };

	assert_true(h->masks[HC_MASK_USERS].size >= sizeof(uint32_t));
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		mask[0] = bad[i];
		h->body_checksum = hostiam_checksum(d + h->header_size,
						    h->image.offset - h->header_size);
		h->header_checksum = hostiam_checksum(
			h, offsetof(struct hc_delta_header, header_checksum));
		assert_int_equal(attach_pair(base, d, delta_len, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	}
	/* A mask section reaching into the image, or past the file. */
	memcpy(d, delta, delta_len);
	h->masks[HC_MASK_GROUPS].size = h->image.offset + 8 - h->masks[HC_MASK_GROUPS].offset;
	h->header_checksum = hostiam_checksum(h, offsetof(struct hc_delta_header, header_checksum));
	assert_int_equal(attach_pair(base, d, delta_len, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	h->masks[HC_MASK_GROUPS].size = UINT64_MAX - 3;
	h->header_checksum = hostiam_checksum(h, offsetof(struct hc_delta_header, header_checksum));
	assert_int_equal(attach_pair(base, d, delta_len, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intact),         cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_flip_each_byte), cmocka_unit_test(test_files),
		cmocka_unit_test(test_hostile_masks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
