/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * grants.cache: what the publisher writes the reader reads back; every flipped byte and
 * every truncation of a real file either reads back the same entries or is refused whole
 * (a damaged file never grants something else); insecure files are refused.
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

#include "errors.h"
#include "grants.h"
#include "grants_cache.h"

static char dir[] = "/tmp/grants-reader.XXXXXX";
static char path[256];

/* Three approved grants (two of alice's), one pending, one over: the publisher's input. */
static void publish(time_t now)
{
	struct hostiam_grant g[5] = { 0 };
	struct hostiam_grant_list l = { g, 5, 6 };
	const char *users[5] = { "alice", "bob", "alice", "carol", "dave" };

	for (int i = 0; i < 5; i++) {
		g[i].id = (unsigned long)i + 1;
		g[i].status = HOSTIAM_GRANT_APPROVED;
		snprintf(g[i].requester, sizeof(g[i].requester), "%s", users[i]);
		snprintf(g[i].role, sizeof(g[i].role), "admins");
		g[i].gid = 2000 + (uint32_t)i;
		g[i].not_before = now - 60;
		g[i].not_after = now + 3600 * (i + 1);
	}
	g[3].status = HOSTIAM_GRANT_PENDING;
	g[4].not_after = now - 1;
	assert_int_equal(hostiam_grants_cache_publish(path, &l, now), 0);
}

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/grants.cache", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void test_round_trip(void **state)
{
	struct hostiam_grant_entry e[4];
	time_t now = 1800000000;

	(void)state;
	publish(now);
	assert_int_equal(hostiam_grants_cache_read(path, "alice", e, 4), 2);
	assert_int_equal(e[0].id, 1);
	assert_int_equal(e[0].gid, 2000);
	assert_int_equal(e[0].not_before, now - 60);
	assert_int_equal(e[1].id, 3);
	assert_int_equal(e[1].not_after, now + 3 * 3600);
	assert_int_equal(hostiam_grants_cache_read(path, "bob", e, 4), 1);
	/* Pending and ended grants are not published. */
	assert_int_equal(hostiam_grants_cache_read(path, "carol", e, 4), 0);
	assert_int_equal(hostiam_grants_cache_read(path, "dave", e, 4), 0);
	/* At most max entries. */
	assert_int_equal(hostiam_grants_cache_read(path, "alice", e, 1), 1);
}

/* Read the whole file into buf; its length. */
static size_t slurp(char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* Write len bytes of buf to path, mode 0644. */
static void spit(const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* Each entry read from the damaged file must be one of the good file's. */
static void same_or_refused(const struct hostiam_grant_entry *good, int n_good)
{
	struct hostiam_grant_entry e[4];
	int n = hostiam_grants_cache_read(path, "alice", e, 4);

	if (n < 0)
		return;
	assert_int_equal(n, n_good);
	assert_memory_equal(e, good, (size_t)n * sizeof(e[0]));
}

static void test_flips_and_cuts(void **state)
{
	struct hostiam_grant_entry good[4];
	char buf[4096], bad[4096];
	size_t len;
	int n_good;

	(void)state;
	publish(1800000000);
	n_good = hostiam_grants_cache_read(path, "alice", good, 4);
	len = slurp(buf, sizeof(buf));
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(bad, buf, len);
			bad[i] = (char)(bad[i] ^ (1 << bit));
			spit(bad, len);
			same_or_refused(good, n_good);
		}
	}
	for (size_t cut = 0; cut < len; cut++) {
		struct hostiam_grant_entry e[4];

		spit(buf, cut);
		assert_true(hostiam_grants_cache_read(path, "alice", e, 4) < 0);
	}
}

static void test_insecure(void **state)
{
	struct hostiam_grant_entry e[4];
	char link[300];

	(void)state;
	publish(1800000000);
	chmod(path, 0666);
	assert_int_equal(hostiam_grants_cache_read(path, "alice", e, 4), HOSTIAM_ERR_INSECURE_FILE);
	chmod(path, 0644);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(hostiam_grants_cache_read(link, "alice", e, 4), HOSTIAM_ERR_INSECURE_FILE);
	unlink(link);
	unlink(path);
	assert_int_equal(hostiam_grants_cache_read(path, "alice", e, 4), HOSTIAM_ERR_CACHE_MISSING);
}

/* The store's line format: what is formatted parses back; damaged lines are refused. */
static void test_record(void **state)
{
	struct hostiam_grant g = { 0 }, back;
	char line[2048];
	size_t n;

	(void)state;
	g.id = 7;
	g.status = HOSTIAM_GRANT_APPROVED;
	snprintf(g.requester, sizeof(g.requester), "alice");
	snprintf(g.role, sizeof(g.role), "admins");
	snprintf(g.reason, sizeof(g.reason), "INC-1 100%% disk: \"full\"\n");
	snprintf(g.approver, sizeof(g.approver), "bob");
	snprintf(g.decider, sizeof(g.decider), "bob");
	g.duration = 7200;
	g.requested = 1800000000;
	g.decided = g.not_before = 1800000100;
	g.not_after = 1800007300;
	g.gid = 2001;
	n = hostiam_grant_format(&g, line, sizeof(line));
	assert_true(n > 0 && line[n - 1] == '\n');
	line[n - 1] = '\0';
	assert_null(strchr(line, '\n'));
	assert_int_equal(hostiam_grant_parse(line, &back), 0);
	assert_memory_equal(&g, &back, sizeof(g));
	assert_int_equal(hostiam_grant_parse("7 approved alice admins 7200", &back),
			 HOSTIAM_ERR_CACHE_CORRUPT);
	line[2] = 'X';
	assert_int_equal(hostiam_grant_parse(line, &back), HOSTIAM_ERR_CACHE_CORRUPT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_flips_and_cuts),
		cmocka_unit_test(test_insecure),
		cmocka_unit_test(test_record),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
