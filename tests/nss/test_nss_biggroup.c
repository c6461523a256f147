/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A big group through the real NSS module. Its record is verified by the first lookup in
 * each mapping only, and its names, laid end to end in the file, are copied as one block
 * (cache_format.h, nss_module/group.c). So: every lookup, the first and the later ones,
 * gives every member exactly; the smallest buffer that works is the one the names need,
 * byte for byte (an exact-size heap buffer, so a sanitizer build sees any overrun); and a
 * damaged member name in a newly published file is refused by the first lookup of that
 * mapping, and by every later one, even though the file before it had passed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache_format.h"
#include "cache_writer.h"
#include "nss_test.h"

#define N_MEMBERS 5000 /* over the writer's 4,096: names laid end to end */
#define BIG_GID 5000
#define DAMAGED 2500

static struct nss_module mod;
static char dir[] = "/tmp/hostiam-nssbig-XXXXXX", path[64];
static char names[N_MEMBERS][48];
static const char *members[N_MEMBERS];
static void *image;
static size_t image_len;

/* Publish data as the cache the way the writer does: rename, then flag the old file. */
static void publish(const void *data, size_t len)
{
	static const uint32_t one = 1;
	static int old = -1;
	char tmp[80];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	assert_int_equal(rename(tmp, path), 0);
	if (old >= 0) {
		assert_int_equal(pwrite(old, &one, sizeof(one), HC_REPLACED_OFFSET), sizeof(one));
		close(old);
	}
	old = open(path, O_RDWR | O_CLOEXEC);
	assert_true(old >= 0);
}

/* Bytes getgrnam_r needs for "big" in an aligned buffer: pointers, then the strings. */
static size_t big_need(void)
{
	size_t need = (N_MEMBERS + 1) * sizeof(char *) + sizeof("big") + sizeof("*");

	for (int i = 0; i < N_MEMBERS; i++)
		need += strlen(names[i]) + 1;
	return need;
}

/* getgrnam_r("big") (or getgrgid_r) into buf; on success, every field and member checked. */
static enum nss_status ask_big(bool by_gid, char *buf, size_t len)
{
	struct group gr;
	enum nss_status st;
	int err = 0, i;

	memset(buf, 'x', len); /* no NUL left from a previous answer to end a short copy */
	st = by_gid ? mod.getgrgid_r(BIG_GID, &gr, buf, len, &err) :
		      mod.getgrnam_r("big", &gr, buf, len, &err);
	if (st != NSS_STATUS_SUCCESS)
		return st;
	assert_string_equal(gr.gr_name, "big");
	assert_string_equal(gr.gr_passwd, "*");
	assert_int_equal(gr.gr_gid, BIG_GID);
	for (i = 0; gr.gr_mem[i]; i++) {
		assert_true(i < N_MEMBERS);
		assert_string_equal(gr.gr_mem[i], names[i]);
	}
	assert_int_equal(i, N_MEMBERS);
	return st;
}

/* The first lookup (which verifies) and later ones (which do not) answer alike. */
static void test_every_lookup_whole(void **state)
{
	static char buf[1 << 20];

	publish(image, image_len);
	for (int k = 0; k < 3; k++) {
		assert_int_equal(ask_big(false, buf, sizeof(buf)), NSS_STATUS_SUCCESS);
		assert_int_equal(ask_big(true, buf, sizeof(buf)), NSS_STATUS_SUCCESS);
	}
}

/* The block copy needs no byte more than the names, and never writes past the buffer. */
static void test_exact_buffer(void **state)
{
	size_t need = big_need();
	char *buf = malloc(need); /* malloc's alignment: no padding before the pointers */
	int err;
	struct group gr;

	assert_non_null(buf);
	assert_int_equal((uintptr_t)buf % alignof(char *), 0);
	publish(image, image_len);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(mod.getgrnam_r("big", &gr, buf, need - 1, &err),
				 NSS_STATUS_TRYAGAIN);
		assert_int_equal(err, ERANGE);
		assert_int_equal(ask_big(false, buf, need), NSS_STATUS_SUCCESS);
	}
	free(buf);
}

/*
 * One member name damaged (a letter changed: still a valid name, the dangerous case) in
 * a file published after a good one had been verified: refused at once, and again.
 */
static void test_damaged_name_fresh_mapping(void **state)
{
	static char buf[1 << 20];
	struct hostiam_cache *c = NULL;
	struct hostiam_group_view g;
	const char *m;
	unsigned char *bad = malloc(image_len);

	assert_non_null(bad);
	assert_int_equal(hostiam_cache_attach(image, image_len, &c), 0);
	assert_int_equal(hostiam_cache_group_by_name(c, "big", &g), 0);
	assert_int_equal(hostiam_cache_group_member(c, &g, DAMAGED, &m), 0);
	assert_string_equal(m, names[DAMAGED]);
	memcpy(bad, image, image_len);
	bad[(const unsigned char *)m + 1 - (const unsigned char *)image] ^= 0x01;
	hostiam_cache_close(c);

	publish(image, image_len);
	assert_int_equal(ask_big(false, buf, sizeof(buf)), NSS_STATUS_SUCCESS);
	publish(bad, image_len);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(ask_big(false, buf, sizeof(buf)), NSS_STATUS_UNAVAIL);
		assert_int_equal(ask_big(true, buf, sizeof(buf)), NSS_STATUS_UNAVAIL);
	}
	publish(image, image_len);
	assert_int_equal(ask_big(true, buf, sizeof(buf)), NSS_STATUS_SUCCESS);
	free(bad);
}

static int setup(void **state)
{
	struct hostiam_cache_group_in big = { "big", BIG_GID, members, N_MEMBERS, NULL };

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	setenv("HOSTIAM_NSS_CACHE", path, 1);
	if (nss_module_load(&mod) < 0)
		return -1;
	/* Lengths from 2 to 40 bytes, so that no name sits at a fixed stride. */
	for (int i = 0; i < N_MEMBERS; i++) {
		snprintf(names[i], sizeof(names[i]), "m%d%.*s", i, i % 37,
			 "abcdefghijklmnopqrstuvwxyz0123456789");
		members[i] = names[i];
	}
	return hostiam_cache_build(NULL, 0, &big, 1, 3, 1700000000, &image, &image_len);
}

static int teardown(void **state)
{
	free(image);
	unlink(path);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_lookup_whole),
		cmocka_unit_test(test_exact_buffer),
		cmocka_unit_test(test_damaged_name_fresh_mapping),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
