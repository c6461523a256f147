/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The module's ABI, called directly as glibc would (dlopen + dlsym): buffer sizes and
 * ERANGE, enumeration that does not advance on ERANGE, initgroups_dyn growth and limit,
 * errno kept on success, UNAVAIL without a cache, NOTFOUND for invalid names, and a cache
 * replaced or removed behind the module's back.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache_writer.h"
#include "nss_test.h"

static struct nss_module mod;
static char dir[] = "/tmp/hostiam-abi-XXXXXX";
static char path[64];

static const char *const admins[] = { "alice", "localop" };
static const char *const devs[] = { "carol", "alice", "bob" };
static const struct hostiam_cache_user_in users[] = {
	{ "alice", 1001, 1001, "Alice Liddell", "/home/alice", "/bin/bash", NULL, 0 },
	{ "bob", 1002, 1002, "Bob", "/home/bob", "/bin/sh", NULL, 0 },
	{ "carol", 1003, 1003, "", "/home/carol", "/bin/zsh", NULL, 0 },
};
static const struct hostiam_cache_group_in groups[] = {
	{ "admins", 2001, admins, 2, NULL },
	{ "devs", 2002, devs, 3, NULL },
	{ "nobody-here", 2003, NULL, 0, NULL },
};

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	setenv("HOSTIAM_NSS_CACHE", path, 1);
	return nss_module_load(&mod);
}

static int teardown(void **state)
{
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Before any cache exists: UNAVAIL with ENOENT, at once; then the cache appears. */
static void test_unavailable_then_written(void **state)
{
	struct passwd pw;
	char buf[1024];
	int err = 0;

	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, sizeof(buf), &err), NSS_STATUS_UNAVAIL);
	assert_int_equal(err, ENOENT);
	err = 0;
	assert_int_equal(mod.getpwuid_r(1001, &pw, buf, sizeof(buf), &err), NSS_STATUS_UNAVAIL);
	assert_int_equal(err, ENOENT);
	assert_int_equal(hostiam_cache_write(path, users, 3, groups, 3, 1, 0), 0);
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_name, "alice");
}

/* Success leaves errno and *errnop alone; every needed byte is counted. */
static void test_getpwnam_sizes(void **state)
{
	const size_t need = sizeof("alice") + sizeof("*") + sizeof("Alice Liddell") +
		sizeof("/home/alice") + sizeof("/bin/bash");
	struct passwd pw;
	char *buf = malloc(need);
	int err = 4242;

	assert_non_null(buf);
	assert_int_equal(mod.getpwnam_r("alice", &pw, NULL, 0, &err), NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
	err = 0;
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, 1, &err), NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
	err = 0;
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, need - 1, &err), NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
	err = 4242;
	errno = 777;
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, need, &err), NSS_STATUS_SUCCESS);
	assert_int_equal(errno, 777);
	assert_int_equal(err, 4242);
	assert_int_equal(pw.pw_uid, 1001);
	assert_int_equal(pw.pw_gid, 1001);
	assert_string_equal(pw.pw_passwd, "*");
	assert_string_equal(pw.pw_gecos, "Alice Liddell");
	assert_string_equal(pw.pw_dir, "/home/alice");
	assert_string_equal(pw.pw_shell, "/bin/bash");
	assert_int_equal(mod.getpwuid_r(1003, &pw, buf, need, &err), NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_name, "carol");
	assert_int_equal(mod.getpwuid_r(1003, &pw, buf, 3, &err), NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
	free(buf);
}

/* Invalid and unknown names are NOTFOUND (ENOENT), never an error. */
static void test_not_found(void **state)
{
	static const char *const bad[] = { "", "-x", "1234", "a:b", "a b", ".", "a/b" };
	struct passwd pw;
	struct group gr;
	char buf[1024];
	int err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = 0;
		assert_int_equal(mod.getpwnam_r(bad[i], &pw, buf, sizeof(buf), &err),
				 NSS_STATUS_NOTFOUND);
		assert_int_equal(err, ENOENT);
		err = 0;
		assert_int_equal(mod.getgrnam_r(bad[i], &gr, buf, sizeof(buf), &err),
				 NSS_STATUS_NOTFOUND);
		assert_int_equal(err, ENOENT);
	}
	err = 0;
	assert_int_equal(mod.getpwnam_r("nosuch", &pw, buf, sizeof(buf), &err),
			 NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	assert_int_equal(mod.getpwuid_r(0, &pw, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	assert_int_equal(mod.getgrgid_r(1001, &gr, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	assert_int_equal(mod.getgrnam_r("localop", &gr, buf, sizeof(buf), &err),
			 NSS_STATUS_NOTFOUND);
}

/* Groups: the member array is aligned inside the buffer, whatever the buffer's alignment. */
static void test_getgr_sizes(void **state)
{
	char *raw = malloc(512);
	struct group gr;
	int err = 0;
	size_t need = 0;

	assert_non_null(raw);
	assert_int_equal(mod.getgrnam_r("devs", &gr, NULL, 0, &err), NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
	/* Find the smallest size that works from an odd address, then check it is exact. */
	for (size_t len = 1; len < 256 && !need; len++) {
		err = 0;
		enum nss_status st = mod.getgrnam_r("devs", &gr, raw + 1, len, &err);

		if (st == NSS_STATUS_SUCCESS)
			need = len;
		else
			assert_true(st == NSS_STATUS_TRYAGAIN && err == ERANGE);
	}
	assert_true(need > 4 * sizeof(char *));
	assert_int_equal((uintptr_t)gr.gr_mem % sizeof(char *), 0);
	assert_string_equal(gr.gr_name, "devs");
	assert_int_equal(gr.gr_gid, 2002);
	assert_string_equal(gr.gr_mem[0], "carol");
	assert_string_equal(gr.gr_mem[1], "alice");
	assert_string_equal(gr.gr_mem[2], "bob");
	assert_null(gr.gr_mem[3]);
	for (char *p = gr.gr_name; p < gr.gr_name + 5; p++)
		assert_true(p >= raw + 1 && p < raw + 1 + need);
	assert_int_equal(mod.getgrgid_r(2003, &gr, raw, 512, &err), NSS_STATUS_SUCCESS);
	assert_string_equal(gr.gr_name, "nobody-here");
	assert_null(gr.gr_mem[0]);
	free(raw);
}

/*
 * After an ERANGE the module remembers what the group needs (glibc doubles its buffer and
 * retries): the retries must still get exactly the smallest buffer that works, at every
 * alignment, by name and by gid.
 */
static void test_getgr_retry_exact(void **state)
{
	/* Pointer array of 3 members + NULL, then "devs", "*", "carol", "alice", "bob". */
	const size_t strings = 5 + 2 + 6 + 6 + 4, array = 4 * sizeof(char *);
	char *raw = malloc(512);
	struct group gr;
	int err = 0;

	assert_non_null(raw);
	for (size_t off = 0; off < sizeof(char *); off++) {
		char *buf = raw + off;
		size_t pad = (sizeof(char *) - (uintptr_t)buf % sizeof(char *)) % sizeof(char *),
		       need = pad + array + strings;

		assert_int_equal(mod.getgrnam_r("devs", &gr, buf, 8, &err), NSS_STATUS_TRYAGAIN);
		assert_int_equal(mod.getgrnam_r("devs", &gr, buf, need - 1, &err),
				 NSS_STATUS_TRYAGAIN);
		assert_int_equal(err, ERANGE);
		assert_int_equal(mod.getgrnam_r("devs", &gr, buf, need, &err), NSS_STATUS_SUCCESS);
		assert_string_equal(gr.gr_mem[2], "bob");
		assert_int_equal(mod.getgrgid_r(2002, &gr, buf, need - 1, &err),
				 NSS_STATUS_TRYAGAIN);
		assert_int_equal(mod.getgrgid_r(2002, &gr, buf, need, &err), NSS_STATUS_SUCCESS);
		assert_string_equal(gr.gr_name, "devs");
		/* Another group is not refused on the strength of this one. */
		assert_int_equal(mod.getgrgid_r(2003, &gr, buf, 2 * sizeof(char *) + 14, &err),
				 NSS_STATUS_SUCCESS);
	}
	free(raw);
}

/* ERANGE during enumeration returns the same entry on the retry. */
static void test_enumeration(void **state)
{
	static const char *const want_users[] = { "alice", "bob", "carol" };
	static const char *const want_groups[] = { "admins", "devs", "nobody-here" };
	struct passwd pw;
	struct group gr;
	char small[4], buf[1024];
	int err = 0;

	assert_int_equal(mod.setpwent(0), NSS_STATUS_SUCCESS);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(mod.getpwent_r(&pw, small, sizeof(small), &err),
				 NSS_STATUS_TRYAGAIN);
		assert_int_equal(err, ERANGE);
		assert_int_equal(mod.getpwent_r(&pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
		assert_string_equal(pw.pw_name, want_users[i]);
	}
	assert_int_equal(mod.getpwent_r(&pw, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	assert_int_equal(mod.endpwent(), NSS_STATUS_SUCCESS);
	assert_int_equal(mod.setpwent(0), NSS_STATUS_SUCCESS);
	assert_int_equal(mod.getpwent_r(&pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_name, "alice");

	assert_int_equal(mod.setgrent(0), NSS_STATUS_SUCCESS);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(mod.getgrent_r(&gr, small, sizeof(small), &err),
				 NSS_STATUS_TRYAGAIN);
		assert_int_equal(err, ERANGE);
		assert_int_equal(mod.getgrent_r(&gr, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
		assert_string_equal(gr.gr_name, want_groups[i]);
	}
	assert_int_equal(mod.getgrent_r(&gr, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	assert_int_equal(mod.endgrent(), NSS_STATUS_SUCCESS);
}

/* initgroups_dyn: grows the array, skips the primary group and what is there already. */
static void test_initgroups(void **state)
{
	long int start = 1, size = 1;
	gid_t *g = malloc(sizeof(gid_t));
	int err = 0;

	assert_non_null(g);
	g[0] = 1001;
	assert_int_equal(mod.initgroups_dyn("alice", 1001, &start, &size, &g, 0, &err),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(start, 3);
	assert_true(size >= 3);
	assert_int_equal(g[1], 2001);
	assert_int_equal(g[2], 2002);
	/* Again, with the primary group among ours: nothing is repeated. */
	start = 1;
	g[0] = 2001;
	assert_int_equal(mod.initgroups_dyn("alice", 2001, &start, &size, &g, 0, &err),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(start, 2);
	assert_int_equal(g[1], 2002);
	/* The caller's entries are not repeated either. */
	start = 2;
	g[0] = 5;
	g[1] = 2002;
	assert_int_equal(mod.initgroups_dyn("alice", 5, &start, &size, &g, 0, &err),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(start, 3);
	assert_int_equal(g[2], 2001);
	/* A limit stops growth without failing. */
	g = realloc(g, sizeof(gid_t));
	assert_non_null(g);
	start = 1;
	size = 1;
	g[0] = 1;
	assert_int_equal(mod.initgroups_dyn("alice", 1, &start, &size, &g, 2, &err),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(start, 2);
	assert_int_equal(size, 2);
	assert_int_equal(g[1], 2001);
	/* Members that are not cached users (local accounts) have groups too. */
	start = 1;
	assert_int_equal(mod.initgroups_dyn("localop", 1, &start, &size, &g, 0, &err),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(start, 2);
	assert_int_equal(g[1], 2001);
	err = 0;
	assert_int_equal(mod.initgroups_dyn("nosuch", 1, &start, &size, &g, 0, &err),
			 NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	assert_int_equal(mod.initgroups_dyn("bad:name", 1, &start, &size, &g, 0, &err),
			 NSS_STATUS_NOTFOUND);
	free(g);
}

/* A damaged replacement makes the module unavailable; a good one brings it back. */
static void test_corrupt_replacement(void **state)
{
	static char junk[4096] __attribute__((aligned(8)));
	struct passwd pw;
	char buf[1024];
	int err = 0;

	memset(junk, 'x', sizeof(junk));
	assert_int_equal(hostiam_cache_publish(path, junk, sizeof(junk)), 0);
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, sizeof(buf), &err), NSS_STATUS_UNAVAIL);
	assert_int_equal(err, ENOENT);
	assert_int_equal(hostiam_cache_write(path, users, 3, groups, 3, 2, 0), 0);
	assert_int_equal(mod.getpwnam_r("bob", &pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
}

/*
 * A file renamed over the cache without the replaced flag (a writer killed before it
 * flagged, or an admin's mv), and a cache removed by hand, are noticed within a second.
 */
static void test_unflagged_replacement(void **state)
{
	static const struct hostiam_cache_user_in dave[] = {
		{ "dave", 1004, 1004, "Dave", "/home/dave", "/bin/sh", NULL, 0 },
	};
	char other[80];
	struct passwd pw;
	char buf[1024];
	int err = 0;

	assert_int_equal(hostiam_cache_write(path, users, 3, groups, 3, 3, 0), 0);
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	snprintf(other, sizeof(other), "%s/other.cache", dir);
	assert_int_equal(hostiam_cache_write(other, dave, 1, NULL, 0, 4, 0), 0);
	assert_int_equal(rename(other, path), 0);
	usleep(1100 * 1000);
	assert_int_equal(mod.getpwnam_r("dave", &pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	assert_int_equal(unlink(path), 0);
	usleep(1100 * 1000);
	assert_int_equal(mod.getpwnam_r("dave", &pw, buf, sizeof(buf), &err), NSS_STATUS_UNAVAIL);
	assert_int_equal(err, ENOENT);
}

/* Copy the file at from to to (a test helper: small files). */
static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/*
 * The same safety net for the delta: a delta renamed into place without the writer's
 * flags (a writer killed between its rename and its flags) is seen within a second, and
 * so is a delta removed by hand.
 */
static void test_unflagged_delta(void **state)
{
	static const struct hostiam_cache_user_in erin[] = {
		{ "erin", 1005, 1005, "Erin", "/home/erin", "/bin/sh", NULL, 0 },
	};
	const struct hostiam_cache_changes add = { .users = erin, .n_users = 1 };
	char other[80], delta[80], other_delta[90];
	struct passwd pw;
	char buf[1024];
	uint64_t gen;
	size_t records;
	int err = 0;

	assert_int_equal(hostiam_cache_write(path, users, 3, groups, 3, 10, 0), 0);
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	/* The delta is made beside a copy of the same base, so nothing flags this one. */
	snprintf(other, sizeof(other), "%s/copy.cache", dir);
	snprintf(other_delta, sizeof(other_delta), "%s.delta", other);
	snprintf(delta, sizeof(delta), "%s.delta", path);
	copy_file(path, other);
	assert_int_equal(hostiam_cache_write_delta(other, &add, 0, &gen, &records), 0);
	assert_int_equal(rename(other_delta, delta), 0);
	usleep(1100 * 1000);
	assert_int_equal(mod.getpwnam_r("erin", &pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_int_equal(mod.getpwnam_r("alice", &pw, buf, sizeof(buf), &err), NSS_STATUS_SUCCESS);
	assert_int_equal(unlink(delta), 0);
	usleep(1100 * 1000);
	assert_int_equal(mod.getpwnam_r("erin", &pw, buf, sizeof(buf), &err), NSS_STATUS_NOTFOUND);
	unlink(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unavailable_then_written),
		cmocka_unit_test(test_getpwnam_sizes),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_getgr_sizes),
		cmocka_unit_test(test_getgr_retry_exact),
		cmocka_unit_test(test_enumeration),
		cmocka_unit_test(test_initgroups),
		cmocka_unit_test(test_corrupt_replacement),
		cmocka_unit_test(test_unflagged_replacement),
		cmocka_unit_test(test_unflagged_delta),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
