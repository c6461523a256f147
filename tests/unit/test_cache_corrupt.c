/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reader on damaged files: truncated at every length, every byte flipped, random
 * damage with and without a recomputed header checksum. It must never crash or read
 * outside the image (this runs under ASan too); it answers CORRUPT or in-bounds data, and
 * hostiam_cache_verify() notices any change to a checksummed byte. And a single damaged
 * byte never changes an answer: every lookup gives the original answer or CORRUPT.
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

#include "cache_format.h"
#include "cache_testutil.h"
#include "hash.h"

static void *image;
static size_t image_len;

static int setup(void **state)
{
	return hostiam_cache_build(fixture_users, FIXTURE_N_USERS, fixture_groups, FIXTURE_N_GROUPS,
				   5, 1700000000, &image, &image_len);
}

static int teardown(void **state)
{
	free(image);
	return 0;
}

/* Attach to a copy of buf (in its own allocation, so ASan bounds it) and walk it. */
static int attach_and_walk(const void *buf, size_t len, bool *verified)
{
	struct hostiam_cache *c = NULL;
	void *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, buf, len);
	r = hostiam_cache_attach(copy, len, &c);
	if (r == 0) {
		cache_walk(c);
		*verified = hostiam_cache_verify(c) == 0;
		hostiam_cache_close(c);
	}
	free(copy);
	return r;
}

/* Every truncation is refused at attach time: the header records the file size. */
static void test_truncated(void **state)
{
	bool ok;

	for (size_t len = 0; len < image_len; len++)
		assert_int_equal(attach_and_walk(image, len, &ok), HOSTIAM_ERR_CACHE_CORRUPT);
	assert_int_equal(attach_and_walk(image, image_len, &ok), 0);
	assert_true(ok);
}

/* Truncated real files, opened through the file path (a sample of lengths). */
static void test_truncated_files(void **state)
{
	char dir[] = "/tmp/hostiam-trunc-XXXXXX", path[64];
	struct hostiam_cache *c = NULL;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	for (size_t len = 0; len < image_len; len += 1 + len / 4) {
		fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, image, len), (ssize_t)len);
		close(fd);
		assert_int_equal(hostiam_cache_open(path, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	}
	unlink(path);
	rmdir(dir);
}

/* True if offset lies in the replaced flag, the one field no checksum covers. */
static bool in_flag(size_t off)
{
	return off >= HC_REPLACED_OFFSET && off < HC_REPLACED_OFFSET + sizeof(uint32_t);
}

/* True if offset lies in delta_seq, a counter that any value of is valid (not covered). */
static bool in_delta_seq(size_t off)
{
	return off >= HC_DELTA_SEQ_OFFSET && off < HC_DELTA_SEQ_OFFSET + sizeof(uint32_t);
}

/* Each byte flipped (all bits, then the low bit): refused, or walked and caught by verify. */
static void test_flip_each_byte(void **state)
{
	static const unsigned char masks[] = { 0xff, 0x01, 0x80 };
	unsigned char *buf = malloc(image_len);

	assert_non_null(buf);
	for (size_t m = 0; m < sizeof(masks); m++) {
		for (size_t off = 0; off < image_len; off++) {
			bool verified = false;
			int r;

			memcpy(buf, image, image_len);
			buf[off] ^= masks[m];
			r = attach_and_walk(buf, image_len, &verified);
			if (r != 0)
				assert_true(r == HOSTIAM_ERR_CACHE_CORRUPT ||
					    r == HOSTIAM_ERR_CACHE_VERSION);
			else if (!(in_flag(off) && masks[m] == 0x01 && off == HC_REPLACED_OFFSET) &&
				 !in_delta_seq(off))
				assert_false(verified);
		}
	}
	free(buf);
}

/* Answers of the reader rendered as text: "-" not found, "!" refused (unavailable). */
#define N_ANSWERS 64
#define ANSWER_MAX 1024
typedef char answers_t[N_ANSWERS][ANSWER_MAX];

/* Append text to an answer (the fixture's answers fit; a cut one would just differ). */
static void put(char *a, const char *fmt, ...)
{
	size_t len = strlen(a);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a + len, ANSWER_MAX - len, fmt, ap);
	va_end(ap);
}

/* A user lookup's answer, with every key; "!" if anything of it was refused. */
static void render_user(const struct hostiam_cache *c, int r, const struct hostiam_user_view *u,
			char *a)
{
	const char *key;
	int k;

	if (r < 0) {
		strcpy(a, r == HOSTIAM_ERR_NOT_FOUND ? "-" : "!");
		return;
	}
	put(a, "%s:%u:%u:%s:%s:%s", u->name, u->uid, u->gid, u->gecos, u->home, u->shell);
	for (uint32_t i = 0; (k = hostiam_cache_user_key(c, u, i, &key)) == 0; i++)
		put(a, ":%s", key);
	if (k != HOSTIAM_ERR_NOT_FOUND)
		strcpy(a, "!");
}

/* A group lookup's answer, with every member; "!" if anything of it was refused. */
static void render_group(const struct hostiam_cache *c, int r, const struct hostiam_group_view *g,
			 char *a)
{
	const char *m;
	int k;

	if (r < 0) {
		strcpy(a, r == HOSTIAM_ERR_NOT_FOUND ? "-" : "!");
		return;
	}
	put(a, "%s:%u:%u", g->name, g->gid, g->n_members);
	for (uint32_t i = 0; (k = hostiam_cache_group_member(c, g, i, &m)) == 0; i++)
		put(a, ":%s", m);
	if (k != HOSTIAM_ERR_NOT_FOUND)
		strcpy(a, "!");
}

/* The initgroups answer for name. */
static void render_gids(const struct hostiam_cache *c, const char *name, char *a)
{
	const uint32_t *gids;
	uint32_t n;
	int r = hostiam_cache_member_gids(c, name, &gids, &n);

	if (r < 0) {
		strcpy(a, r == HOSTIAM_ERR_NOT_FOUND ? "-" : "!");
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		put(a, "%u,", gids[i]);
}

/* Enumeration of users then groups: entries, then "." at the end or "!" where refused. */
static void render_enum(const struct hostiam_cache *c, char *users, char *groups)
{
	struct hostiam_user_view u;
	struct hostiam_group_view g;
	int r;

	for (uint32_t i = 0;; i++) {
		char one[ANSWER_MAX] = "";

		if ((r = hostiam_cache_user_at(c, i, &u)) < 0)
			break;
		render_user(c, r, &u, one);
		if (strcmp(one, "!") == 0) {
			r = HOSTIAM_ERR_CACHE_CORRUPT;
			break;
		}
		put(users, "%s|", one);
	}
	put(users, r == HOSTIAM_ERR_NOT_FOUND ? "." : "!");
	for (uint32_t i = 0;; i++) {
		char one[ANSWER_MAX] = "";

		if ((r = hostiam_cache_group_at(c, i, &g)) < 0)
			break;
		render_group(c, r, &g, one);
		if (strcmp(one, "!") == 0) {
			r = HOSTIAM_ERR_CACHE_CORRUPT;
			break;
		}
		put(groups, "%s|", one);
	}
	put(groups, r == HOSTIAM_ERR_NOT_FOUND ? "." : "!");
}

/* Every lookup a process can make of the fixture, plus names and ids that do not exist. */
static void answer_all(const struct hostiam_cache *c, answers_t a)
{
	static const char *const users[] = { "alice", "bob", "carol", "localop", "nosuchuser" };
	static const uint32_t uids[] = { 1001, 1002, 1003, 0, 4242 };
	static const char *const groups[] = { "admins", "devs", "empty", "nosuchgroup" };
	static const uint32_t gids[] = { 2001, 2002, 2003, 1001, 4242 };
	struct hostiam_user_view u;
	struct hostiam_group_view g;
	int n = 0;

	memset(a, 0, sizeof(answers_t));
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		render_user(c, hostiam_cache_user_by_name(c, users[i], &u), &u, a[n++]);
		render_gids(c, users[i], a[n++]);
	}
	for (size_t i = 0; i < sizeof(uids) / sizeof(uids[0]); i++)
		render_user(c, hostiam_cache_user_by_uid(c, uids[i], &u), &u, a[n++]);
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		render_group(c, hostiam_cache_group_by_name(c, groups[i], &g), &g, a[n++]);
	for (size_t i = 0; i < sizeof(gids) / sizeof(gids[0]); i++)
		render_group(c, hostiam_cache_group_by_gid(c, gids[i], &g), &g, a[n++]);
	render_enum(c, a[n], a[n + 1]);
}

/* The original answer, or "unavailable": "!" alone, or a prefix of it then "!". */
static bool acceptable(const char *orig, const char *got)
{
	size_t len = strlen(got);

	if (strcmp(orig, got) == 0)
		return true;
	return len > 0 && got[len - 1] == '!' && strncmp(orig, got, len - 1) == 0;
}

/*
 * Each byte flipped (xor 0x01, 0xff, 0x80), attached in its own buffer: every answer is the
 * original one or unavailable, never another entry, another field, or "not found" for an
 * entry that exists (issue 8: a gid of 4278191092, a home of "/\x97ome/u33").
 */
static void test_flip_answers(void **state)
{
	static const unsigned char masks[] = { 0x01, 0xff, 0x80 };
	static answers_t orig, got;
	unsigned char *buf = malloc(image_len);
	struct hostiam_cache *c = NULL;
	unsigned wrong = 0, unavailable = 0;

	assert_non_null(buf);
	assert_int_equal(hostiam_cache_attach(image, image_len, &c), 0);
	answer_all(c, orig);
	hostiam_cache_close(c);
	assert_string_equal(orig[0],
			    "alice:1001:1001:Alice Liddell:/home/alice:/bin/bash:"
			    "ssh-ed25519 AAAAC3Nza alice@laptop:ssh-rsa AAAAB3Nza alice@desk");
	assert_string_equal(orig[1], "2001,2002,");
	for (size_t m = 0; m < sizeof(masks); m++) {
		for (size_t off = 0; off < image_len; off++) {
			memcpy(buf, image, image_len);
			buf[off] ^= masks[m];
			for (int i = 0; i < N_ANSWERS; i++)
				strcpy(got[i], "!");
			if (hostiam_cache_attach(buf, image_len, &c) == 0) {
				answer_all(c, got);
				hostiam_cache_close(c);
			}
			for (int i = 0; i < N_ANSWERS; i++) {
				if (acceptable(orig[i], got[i])) {
					unavailable += strcmp(orig[i], got[i]) != 0;
					continue;
				}
				if (wrong++ < 10)
					print_message("offset %zu ^ 0x%02x, query %d: \"%s\", was "
						      "\"%s\"\n",
						      off, masks[m], i, got[i], orig[i]);
			}
		}
	}
	free(buf);
	if (wrong)
		fail_msg("%u wrong answers from %zu-byte image (%u unavailable)", wrong, image_len,
			 unavailable);
}

/* Random damage; half the time the header checksum is fixed up, to reach deeper checks. */
static void test_random_damage(void **state)
{
	unsigned char *buf = malloc(image_len);
	unsigned int seed = 12345;

	assert_non_null(buf);
	for (int iter = 0; iter < 20000; iter++) {
		struct hc_header *h = (struct hc_header *)buf;
		bool verified = false;
		int n = 1 + rand_r(&seed) % 8;
		bool fix = rand_r(&seed) & 1;

		memcpy(buf, image, image_len);
		for (int k = 0; k < n; k++) {
			/* Aim at the header and tables often: they steer every read. */
			size_t off = (size_t)rand_r(&seed) %
				(k % 2 ? image_len : sizeof(struct hc_header));

			buf[off] = (unsigned char)rand_r(&seed);
		}
		if (fix)
			h->header_checksum = hostiam_checksum(
				h, offsetof(struct hc_header, header_checksum));
		(void)attach_and_walk(buf, image_len, &verified);
	}
	free(buf);
}

/* Hostile section tables with a valid header checksum: refused, never followed. */
static void test_hostile_sections(void **state)
{
	unsigned char *buf = malloc(image_len);
	struct hc_header *h = (struct hc_header *)buf;
	static const uint64_t bad[] = { 1, 7, UINT64_MAX, UINT64_MAX - 7, 1ull << 63 };
	bool verified;
	int r;

	assert_non_null(buf);
	for (int s = 0; s < HC_N_SECTIONS; s++) {
		for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
			for (int field = 0; field < 2; field++) {
				memcpy(buf, image, image_len);
				if (field)
					h->sections[s].size = bad[b];
				else
					h->sections[s].offset = bad[b];
				h->header_checksum = hostiam_checksum(
					h, offsetof(struct hc_header, header_checksum));
				r = attach_and_walk(buf, image_len, &verified);
				/* A shorter pool ending on a NUL is valid, if less useful. */
				if (s == HC_SEC_STRINGS && field)
					continue;
				if (r != HOSTIAM_ERR_CACHE_CORRUPT)
					fail_msg("section %d value %zu field %d: %d", s, b, field,
						 r);
			}
		}
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated),      cmocka_unit_test(test_truncated_files),
		cmocka_unit_test(test_flip_each_byte), cmocka_unit_test(test_flip_answers),
		cmocka_unit_test(test_random_damage),  cmocka_unit_test(test_hostile_sections),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
