/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A damaged cache through the real NSS module: for each byte of a small cache flipped
 * (xor 0xff, then xor 0x01), published over the last one, the module is asked for every
 * user, group and initgroups list, by name and id, names that do not exist and both
 * enumerations. Each answer must be the undamaged file's answer or UNAVAIL: never
 * another entry, another field, or NOTFOUND for an entry that exists.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache_format.h"
#include "cache_testutil.h"
#include "nss_test.h"

#define ANSWERS_MAX 16384

static struct nss_module mod;
static char dir[] = "/tmp/hostiam-nsscorrupt-XXXXXX", path[64];
static void *image;
static size_t image_len;

/* Append text to the answers (they fit: the fixture is small). */
static void put(char *a, const char *fmt, ...)
{
	size_t len = strlen(a);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a + len, ANSWERS_MAX - len, fmt, ap);
	va_end(ap);
}

/* "!" for UNAVAIL (the cache refused), "-" for NOTFOUND, "?N" for anything else. */
static bool put_failure(char *a, enum nss_status st)
{
	if (st == NSS_STATUS_SUCCESS)
		return false;
	if (st == NSS_STATUS_UNAVAIL)
		put(a, "!");
	else if (st == NSS_STATUS_NOTFOUND)
		put(a, "-");
	else
		put(a, "?%d", (int)st);
	return true;
}

static void put_passwd(char *a, enum nss_status st, const struct passwd *pw)
{
	if (!put_failure(a, st))
		put(a, "%s:%s:%u:%u:%s:%s:%s", pw->pw_name, pw->pw_passwd, (unsigned)pw->pw_uid,
		    (unsigned)pw->pw_gid, pw->pw_gecos, pw->pw_dir, pw->pw_shell);
	put(a, "\n");
}

static void put_group(char *a, enum nss_status st, const struct group *gr)
{
	if (!put_failure(a, st)) {
		put(a, "%s:%s:%u:", gr->gr_name, gr->gr_passwd, (unsigned)gr->gr_gid);
		for (char **m = gr->gr_mem; *m; m++)
			put(a, "%s,", *m);
	}
	put(a, "\n");
}

/* Both enumerations: one line each, entries then "." at the end or the failure. */
static void put_enumerations(char *a, char *buf, size_t size)
{
	enum nss_status st;
	struct passwd pw;
	struct group gr;
	int err;

	mod.setpwent(0);
	while ((st = mod.getpwent_r(&pw, buf, size, &err)) == NSS_STATUS_SUCCESS)
		put(a, "%s:%u:%u:%s:%s:%s|", pw.pw_name, (unsigned)pw.pw_uid, (unsigned)pw.pw_gid,
		    pw.pw_gecos, pw.pw_dir, pw.pw_shell);
	mod.endpwent();
	put(a, st == NSS_STATUS_NOTFOUND ? ".\n" : st == NSS_STATUS_UNAVAIL ? "!\n" : "?\n");
	mod.setgrent(0);
	while ((st = mod.getgrent_r(&gr, buf, size, &err)) == NSS_STATUS_SUCCESS) {
		put(a, "%s:%u:", gr.gr_name, (unsigned)gr.gr_gid);
		for (char **m = gr.gr_mem; *m; m++)
			put(a, "%s,", *m);
		put(a, "|");
	}
	mod.endgrent();
	put(a, st == NSS_STATUS_NOTFOUND ? ".\n" : st == NSS_STATUS_UNAVAIL ? "!\n" : "?\n");
}

/* Every question a process can ask the module about the fixture, one answer per line. */
static void ask_all(char *a)
{
	static const char *const users[] = { "alice", "bob", "carol", "localop", "nosuchuser" };
	static const uid_t uids[] = { 1001, 1002, 1003, 4242 };
	static const char *const groups[] = { "admins", "devs", "empty", "nosuchgroup" };
	static const gid_t gids[] = { 2001, 2002, 2003, 4242 };
	static char buf[8192];
	enum nss_status st;
	struct passwd pw;
	struct group gr;
	int err;

	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		long int start = 1, size = 4;
		gid_t *list = calloc(4, sizeof(gid_t));

		put_passwd(a, mod.getpwnam_r(users[i], &pw, buf, sizeof(buf), &err), &pw);
		list[0] = 7;
		st = mod.initgroups_dyn(users[i], 7, &start, &size, &list, 0, &err);
		if (!put_failure(a, st))
			for (long int k = 0; k < start; k++)
				put(a, "%u,", (unsigned)list[k]);
		put(a, "\n");
		free(list);
	}
	for (size_t i = 0; i < sizeof(uids) / sizeof(uids[0]); i++)
		put_passwd(a, mod.getpwuid_r(uids[i], &pw, buf, sizeof(buf), &err), &pw);
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		put_group(a, mod.getgrnam_r(groups[i], &gr, buf, sizeof(buf), &err), &gr);
	for (size_t i = 0; i < sizeof(gids) / sizeof(gids[0]); i++)
		put_group(a, mod.getgrgid_r(gids[i], &gr, buf, sizeof(buf), &err), &gr);
	put_enumerations(a, buf, sizeof(buf));
}

/*
 * Publish data as the cache the way the writer does (rename over the path, then flag the
 * file it replaced), so the module maps it afresh at the next call, then ask everything.
 * No fsync: nothing here needs to survive a crash.
 */
static void ask_fresh(const void *data, size_t len, char *a)
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
	a[0] = '\0';
	ask_all(a);
}

/* Line by line: the same, or "!" alone, or (enumerations) a prefix then "!". */
static int count_wrong(const char *orig, const char *got, size_t off, unsigned mask)
{
	int wrong = 0;

	while (*orig && *got) {
		size_t lo = strcspn(orig, "\n"), lg = strcspn(got, "\n");
		bool same = lo == lg && strncmp(orig, got, lo) == 0;
		bool unavailable = lg > 0 && got[lg - 1] == '!' && lg - 1 <= lo &&
			strncmp(orig, got, lg - 1) == 0;

		if (!same && !unavailable && wrong++ < 3)
			print_message("offset %zu ^ 0x%02x: \"%.*s\", was \"%.*s\"\n", off, mask,
				      (int)lg, got, (int)lo, orig);
		orig += lo + (orig[lo] != '\0');
		got += lg + (got[lg] != '\0');
	}
	return wrong + (*orig != *got);
}

static void test_flipped_bytes(void **state)
{
	static char orig[ANSWERS_MAX], got[ANSWERS_MAX];
	unsigned char *buf = malloc(image_len);
	int wrong = 0, refused = 0;

	assert_non_null(buf);
	ask_fresh(image, image_len, orig);
	assert_non_null(strstr(orig,
			       "alice:*:1001:1001:Alice Liddell:/home/alice:/bin/bash\n"
			       "7,2001,2002,\n"));
	assert_null(strchr(orig, '!'));
	for (size_t off = 0; off < image_len; off++) {
		for (unsigned mask = 0xff; mask; mask = mask == 0xff ? 0x01 : 0) {
			memcpy(buf, image, image_len);
			buf[off] ^= (unsigned char)mask;
			ask_fresh(buf, image_len, got);
			wrong += count_wrong(orig, got, off, mask);
			refused += strcmp(orig, got) != 0;
		}
	}
	free(buf);
	if (wrong)
		fail_msg("%d wrong answers through the module", wrong);
	/* The module did map each damaged file: most flips are noticed. */
	assert_true(refused > (int)image_len);
}

static int setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	setenv("HOSTIAM_NSS_CACHE", path, 1);
	if (nss_module_load(&mod) < 0)
		return -1;
	return hostiam_cache_build(fixture_users, FIXTURE_N_USERS, fixture_groups, FIXTURE_N_GROUPS,
				   5, 1700000000, &image, &image_len);
}

static int teardown(void **state)
{
	free(image);
	unlink(path);
	rmdir(dir); /* the module's mapping holds the last file, not the name */
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flipped_bytes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
