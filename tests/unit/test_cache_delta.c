/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Delta publishes (hostiam_cache_write_delta): after every one of hundreds of random
 * change sets, base + delta answers every lookup and enumeration exactly like a fresh
 * full write of the same state; a full write removes the delta; stale deltas are ignored;
 * bad change sets are refused with the files untouched.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache_answers.h"
#include "cache_internal.h"
#include "cache_model.h"
#include "errors.h"

struct fixture {
	char dir[64], path[128], ref[128], delta[160];
	struct model m;
	struct m_input in;
	uint64_t generation;
	unsigned seed;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *s = getenv("HOSTIAM_TEST_SEED");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hostiam-delta-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/nss.cache", f->dir);
	snprintf(f->ref, sizeof(f->ref), "%s/ref.cache", f->dir);
	snprintf(f->delta, sizeof(f->delta), "%s.delta", f->path);
	f->seed = s ? (unsigned)strtoul(s, NULL, 10) : 20261202u;
	m_init_names();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	remove_tree(f->dir);
	free(f);
	return 0;
}

/* Write the model as a full cache at path with generation gen. */
static int write_full(struct fixture *f, const char *path, uint64_t gen)
{
	m_input_all(&f->m, &f->in);
	return hostiam_cache_write(path, f->in.users, f->in.n_users, f->in.groups, f->in.n_groups,
				   gen, 1700000000);
}

/* Fail with both answers and the step when they differ. */
static void same(const char *what, const char *got, const char *want, int step)
{
	if (strcmp(got, want) != 0)
		fail_msg("step %d, %s: got \"%s\", want \"%s\"", step, what, got, want);
}

/* Every lookup by name and id, base + delta against the reference. */
static void compare_lookups(const struct hostiam_cache *c, const struct hostiam_cache *ref,
			    int step)
{
	struct hostiam_user_view u;
	struct hostiam_group_view g;
	char a[ANSWER], b[ANSWER];

	for (int i = 0; i < M_NAMES; i++) {
		show_user(c, hostiam_cache_user_by_name(c, m_name[i], &u), &u, a, sizeof(a));
		show_user(ref, hostiam_cache_user_by_name(ref, m_name[i], &u), &u, b, sizeof(b));
		same(m_name[i], a, b, step);
		show_member(c, m_name[i], a, sizeof(a));
		show_member(ref, m_name[i], b, sizeof(b));
		same(m_name[i], a, b, step);
	}
	for (uint32_t uid = M_UID0 - 1; uid <= M_UID0 + M_UIDS; uid++) {
		show_user(c, hostiam_cache_user_by_uid(c, uid, &u), &u, a, sizeof(a));
		show_user(ref, hostiam_cache_user_by_uid(ref, uid, &u), &u, b, sizeof(b));
		same("uid", a, b, step);
	}
	for (int i = 0; i < M_GROUPS; i++) {
		show_group(c, hostiam_cache_group_by_name(c, m_gname[i], &g), &g, a, sizeof(a));
		show_group(ref, hostiam_cache_group_by_name(ref, m_gname[i], &g), &g, b, sizeof(b));
		same(m_gname[i], a, b, step);
	}
	for (uint32_t gid = M_GID0 - 1; gid <= M_GID0 + M_GIDS; gid++) {
		show_group(c, hostiam_cache_group_by_gid(c, gid, &g), &g, a, sizeof(a));
		show_group(ref, hostiam_cache_group_by_gid(ref, gid, &g), &g, b, sizeof(b));
		same("gid", a, b, step);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The enumeration as a sorted list of answers: base + delta lists the same records as a
 * full write (in another order: the base's first), each exactly once, and no more.
 */
static char **enumerate(const struct hostiam_cache *c, bool groups, size_t *n)
{
	struct hostiam_cache_info info;
	struct hostiam_user_view u;
	struct hostiam_group_view g;
	uint32_t count;
	char **v;

	hostiam_cache_get_info(c, &info);
	count = groups ? info.n_groups : info.n_users;
	v = calloc(count + 1, sizeof(*v));
	assert_non_null(v);
	for (uint32_t i = 0; i <= count; i++) {
		char a[ANSWER];

		if (groups)
			show_group(c, hostiam_cache_group_at(c, i, &g), &g, a, sizeof(a));
		else
			show_user(c, hostiam_cache_user_at(c, i, &u), &u, a, sizeof(a));
		assert_non_null(v[i] = strdup(a));
	}
	/* One past the end is the end. */
	assert_int_equal(atoi(v[count]), HOSTIAM_ERR_NOT_FOUND);
	qsort(v, count, sizeof(*v), cmp_str);
	*n = count;
	return v;
}

static void compare_enumeration(const struct hostiam_cache *c, const struct hostiam_cache *ref,
				bool groups, int step)
{
	size_t n, n_ref;
	char **v = enumerate(c, groups, &n), **w = enumerate(ref, groups, &n_ref);

	assert_int_equal(n, n_ref);
	for (size_t i = 0; i <= n; i++) {
		same(groups ? "group_at" : "user_at", v[i], w[i], step);
		free(v[i]);
		free(w[i]);
	}
	free(v);
	free(w);
}

/* Open path and a fresh full write of the model; every answer must agree. */
static void check_against_model(struct fixture *f, int step)
{
	struct hostiam_cache *c = NULL, *ref = NULL;
	struct hostiam_cache_info info;

	assert_int_equal(write_full(f, f->ref, f->generation), 0);
	assert_int_equal(hostiam_cache_open(f->path, &c), 0);
	assert_int_equal(hostiam_cache_open(f->ref, &ref), 0);
	hostiam_cache_get_info(c, &info);
	assert_int_equal(info.generation, f->generation);
	assert_int_equal(hostiam_cache_verify(c), 0);
	compare_lookups(c, ref, step);
	compare_enumeration(c, ref, false, step);
	compare_enumeration(c, ref, true, step);
	hostiam_cache_close(c);
	hostiam_cache_close(ref);
}

/* Apply one random change set to the model and as a delta. */
static void random_step(struct fixture *f, struct m_change *ch)
{
	uint64_t gen = 0;
	size_t records = 0;
	int r;

	m_random_change(&f->m, ch, &f->seed);
	r = hostiam_cache_write_delta(f->path, &ch->ch, 1700000000 + (int64_t)f->generation, &gen,
				      &records);
	assert_int_equal(r, 0);
	assert_int_equal(gen, f->generation + 1);
	assert_true(records > 0);
	f->generation = gen;
}

/*
 * (1) and (2): hundreds of random change sets, each compared with a full write; every
 * 100 steps a full write (compaction) that must remove the delta and answer the same.
 */
static void test_random_changes(void **state)
{
	struct fixture *f = *state;
	struct m_change *ch = malloc(sizeof(*ch));
	struct stat st;

	assert_non_null(ch);
	m_base(&f->m, 300, 120, &f->seed);
	f->generation = 1;
	assert_int_equal(write_full(f, f->path, 1), 0);
	for (int step = 1; step <= 400; step++) {
		random_step(f, ch);
		check_against_model(f, step);
		if (step % 100 == 0) {
			assert_int_equal(stat(f->delta, &st), 0);
			assert_int_equal(write_full(f, f->path, ++f->generation), 0);
			assert_int_equal(stat(f->delta, &st), -1);
			assert_int_equal(errno, ENOENT);
			check_against_model(f, step);
		}
	}
	free(ch);
}

/* The first delta on a base, and an empty change set: a delta with no records. */
static void test_empty_changes(void **state)
{
	struct fixture *f = *state;
	const struct hostiam_cache_changes none = { 0 };
	uint64_t gen;
	size_t records = 99;

	m_base(&f->m, 20, 5, &f->seed);
	f->generation = 7;
	assert_int_equal(write_full(f, f->path, 7), 0);
	assert_int_equal(hostiam_cache_write_delta(f->path, &none, 1, &gen, &records), 0);
	assert_int_equal(gen, 8);
	assert_int_equal(records, 0);
	f->generation = 8;
	check_against_model(f, 0);
}

static void *must_slurp(const char *path, size_t *len)
{
	void *p = slurp(path, len);

	assert_non_null(p);
	return p;
}

static void put_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* Drop user u1 through a delta; returns the delta file's bytes. */
static void *delta_dropping_u1(struct fixture *f, size_t *len)
{
	const char *names[] = { "u1" };
	const struct hostiam_cache_changes drop = { .drop_user_names = names,
						    .n_drop_user_names = 1 };
	uint64_t gen;
	size_t records;

	assert_int_equal(hostiam_cache_write_delta(f->path, &drop, 1, &gen, &records), 0);
	f->m.u[1].live = false;
	f->generation = gen;
	check_against_model(f, 0);
	return must_slurp(f->delta, len);
}

/*
 * (3) A delta left behind by a full write (the writer died before removing it) is for an
 * older base: ignored. A delta for another base of the same generation, with ours not
 * replaced, is stale too.
 */
static void test_stale_delta(void **state)
{
	struct fixture *f = *state;
	struct hostiam_user_view u;
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info;
	size_t len;
	void *old;

	m_base(&f->m, 20, 5, &f->seed);
	f->generation = 3;
	assert_int_equal(write_full(f, f->path, 3), 0);
	old = delta_dropping_u1(f, &len);
	/* A full write at generation 5 (u1 back), then the old delta comes back. */
	f->m.u[1].live = true;
	f->generation = 5;
	assert_int_equal(write_full(f, f->path, 5), 0);
	put_file(f->delta, old, len);
	check_against_model(f, 0);
	/* Same generation, another base (u2 gone): the delta for generation 3 is not for it. */
	f->m.u[2].live = false;
	f->generation = 3;
	assert_int_equal(write_full(f, f->path, 3), 0);
	put_file(f->delta, old, len);
	assert_int_equal(hostiam_cache_open(f->path, &c), 0);
	hostiam_cache_get_info(c, &info);
	assert_int_equal(info.generation, 3);
	assert_int_equal(hostiam_cache_user_by_name(c, "u1", &u), 0);
	assert_int_equal(hostiam_cache_user_by_name(c, "u2", &u), HOSTIAM_ERR_NOT_FOUND);
	hostiam_cache_close(c);
	free(old);
}

/*
 * (3) A delta for a newer base than the one mapped: the reader must reopen (attach says
 * so), and a pair that never matches is unavailable, not half answered.
 */
static void test_newer_delta(void **state)
{
	struct fixture *f = *state;
	struct hostiam_cache *c = NULL;
	size_t len, base_len;
	void *delta, *base;

	m_base(&f->m, 20, 5, &f->seed);
	f->generation = 4;
	assert_int_equal(write_full(f, f->path, 4), 0);
	base = must_slurp(f->path, &base_len); /* the base before it was replaced */
	f->m.u[3].live = false;
	f->generation = 6;
	assert_int_equal(write_full(f, f->path, 6), 0);
	delta = delta_dropping_u1(f, &len);
	/* An old mapping meets the new delta: attach asks for a reopen. */
	assert_int_equal(hostiam_cache_attach(base, base_len, &c), 0);
	assert_int_equal(hc_delta_attach(c, delta, len), 1);
	assert_null(c->delta);
	hostiam_cache_close(c);
	/* Through files, the reopen finds the new base and the delta applies. */
	assert_int_equal(hostiam_cache_open(f->path, &c), 0);
	assert_non_null(c->delta);
	hostiam_cache_close(c);
	/* A base older than its delta for good (written back by hand): unavailable. */
	put_file(f->path, base, base_len);
	assert_int_equal(hostiam_cache_open(f->path, &c), HOSTIAM_ERR_CACHE_CORRUPT);
	free(base);
	free(delta);
}

/* A group of 5,000 members (its names copied end to end in the pool) changed by a delta. */
static void test_big_group(void **state)
{
	struct fixture *f = *state;
	enum {
		N = 5000
	};
	static char names[N][12];
	static const char *members[N];
	static struct hostiam_cache_user_in users[N];
	static const uint32_t big_gid = 7000;
	struct hostiam_cache_group_in big = { "big", big_gid, members, N - 1, NULL };
	const struct hostiam_cache_member_in changed[] = { { "n17", NULL, 0 },
							   { "n4999", &big_gid, 1 } };
	const struct hostiam_cache_changes ch = {
		.groups = &big, .n_groups = 1, .members = changed, .n_members = 2
	};
	struct hostiam_cache *c = NULL, *ref = NULL;
	struct hostiam_group_view g;
	char a[ANSWER * 64], b[ANSWER * 64];
	uint64_t gen;
	size_t records;

	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "n%d", i);
		members[i] = names[i];
		users[i] = (struct hostiam_cache_user_in){
			names[i], 20000u + (uint32_t)i, 100, NULL, "/", "/bin/sh", NULL, 0
		};
	}
	/* The base lists n0..n4998; the delta has n4999 in the place of n17. */
	assert_int_equal(hostiam_cache_write(f->path, users, N, &big, 1, 1, 0), 0);
	members[17] = names[N - 1];
	assert_int_equal(hostiam_cache_write_delta(f->path, &ch, 0, &gen, &records), 0);
	assert_int_equal(hostiam_cache_write(f->ref, users, N, &big, 1, 2, 0), 0);
	assert_int_equal(hostiam_cache_open(f->path, &c), 0);
	assert_int_equal(hostiam_cache_open(f->ref, &ref), 0);
	show_group(c, hostiam_cache_group_by_gid(c, big_gid, &g), &g, a, sizeof(a));
	show_group(ref, hostiam_cache_group_by_gid(ref, big_gid, &g), &g, b, sizeof(b));
	same("big", a, b, 0);
	for (int i = 0; i < N; i += 997) {
		show_member(c, names[i], a, sizeof(a));
		show_member(ref, names[i], b, sizeof(b));
		same(names[i], a, b, 0);
	}
	show_member(c, "n17", a, sizeof(a));
	same("n17", a, "-8", 0);
	show_member(c, "n4999", a, sizeof(a));
	same("n4999", a, "0 7000", 0);
	hostiam_cache_close(c);
	hostiam_cache_close(ref);
}

/* The stat safety net: which delta file (or none) a mapping came with, and the flags. */
static void test_delta_identity(void **state)
{
	struct fixture *f = *state;
	const struct hostiam_cache_changes none = { 0 };
	struct hostiam_cache *c = NULL, *d = NULL;
	struct stat st;
	uint64_t gen;
	size_t records;

	m_base(&f->m, 20, 5, &f->seed);
	assert_int_equal(write_full(f, f->path, 1), 0);
	assert_int_equal(hostiam_cache_open(f->path, &c), 0);
	assert_true(hostiam_cache_delta_is_file(c, NULL));
	assert_int_equal(hostiam_cache_write_delta(f->path, &none, 1, &gen, &records), 0);
	assert_true(hostiam_cache_replaced(c)); /* the base's delta_seq moved */
	assert_int_equal(stat(f->delta, &st), 0);
	assert_false(hostiam_cache_delta_is_file(c, &st));
	assert_int_equal(hostiam_cache_open(f->path, &d), 0);
	assert_false(hostiam_cache_replaced(d));
	assert_true(hostiam_cache_delta_is_file(d, &st));
	assert_false(hostiam_cache_delta_is_file(d, NULL));
	assert_int_equal(hostiam_cache_write_delta(f->path, &none, 1, &gen, &records), 0);
	assert_true(hostiam_cache_replaced(d));
	assert_int_equal(d->delta->hdr->replaced, 1); /* its delta flagged, not only the base */
	assert_int_equal(stat(f->delta, &st), 0);
	assert_false(hostiam_cache_delta_is_file(d, &st));
	hostiam_cache_close(c);
	hostiam_cache_close(d);
}

/* Refused change sets leave both files as they were; no base: MISSING. */
static void test_bad_changes(void **state)
{
	struct fixture *f = *state;
	struct hostiam_cache_user_in two[2];
	const char *bad_names[] = { "bad name" };
	const uint32_t unsorted[] = { 5, 3 };
	struct hostiam_cache_member_in members[2] = { { "u1", unsorted, 2 }, { "u1", NULL, 0 } };
	struct hostiam_cache_changes ch = { 0 };
	size_t len0, len1, records;
	uint64_t gen;
	void *before, *after;

	assert_int_equal(hostiam_cache_write_delta(f->path, &ch, 1, &gen, &records),
			 HOSTIAM_ERR_CACHE_MISSING);
	m_base(&f->m, 20, 5, &f->seed);
	f->generation = 1;
	assert_int_equal(write_full(f, f->path, 1), 0);
	free(delta_dropping_u1(f, &len0));
	before = must_slurp(f->delta, &len0);
	/* Two users with one uid. */
	m_input_all(&f->m, &f->in);
	two[0] = f->in.users[0];
	two[1] = f->in.users[1];
	two[1].uid = two[0].uid;
	ch.users = two;
	ch.n_users = 2;
	assert_int_equal(hostiam_cache_write_delta(f->path, &ch, 1, &gen, &records),
			 HOSTIAM_ERR_INVALID_ARG);
	ch = (struct hostiam_cache_changes){ .drop_user_names = bad_names, .n_drop_user_names = 1 };
	assert_int_equal(hostiam_cache_write_delta(f->path, &ch, 1, &gen, &records),
			 HOSTIAM_ERR_INVALID_ARG);
	ch = (struct hostiam_cache_changes){ .members = members, .n_members = 1 };
	assert_int_equal(hostiam_cache_write_delta(f->path, &ch, 1, &gen, &records),
			 HOSTIAM_ERR_INVALID_ARG);
	members[0].n_gids = 1;
	ch.n_members = 2; /* one member twice */
	assert_int_equal(hostiam_cache_write_delta(f->path, &ch, 1, &gen, &records),
			 HOSTIAM_ERR_INVALID_ARG);
	after = must_slurp(f->delta, &len1);
	assert_int_equal(len0, len1);
	assert_memory_equal(before, after, len0);
	check_against_model(f, 0);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_random_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_delta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_delta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delta_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_group, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
