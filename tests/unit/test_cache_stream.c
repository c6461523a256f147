/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cache file written as it is built (hostiam_cache_write: the final sections on a
 * thread, the checksums in pieces) against the image laid out in memory
 * (hostiam_cache_build): the same bytes, for inputs whose sections end off the 8-byte
 * alignment and with a big group's copied names; the gate that holds the rename; the
 * writer in two steps cancelled or failing.
 */
#include "config.h"

#include <dirent.h>
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
#include "cache_writer.h"
#include "errors.h"
#include "hash.h"

enum {
	N_USERS = 5000,
	N_GROUPS = 40
};

/* Users with odd-length strings and some keys; groups of every size, one of 4,096+. */
struct input {
	char names[N_USERS][12], homes[N_USERS][24], gecos[N_USERS][20];
	const char *keys[3];
	struct hostiam_cache_user_in users[N_USERS];
	struct hostiam_cache_group_in groups[N_GROUPS];
	char group_names[N_GROUPS][16];
	const char *members[N_GROUPS][N_USERS];
};

static struct input *make_input(unsigned seed)
{
	struct input *in = calloc(1, sizeof(*in));

	assert_non_null(in);
	srandom(seed);
	in->keys[0] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0 a@b";
	in->keys[1] = "ssh-rsa AAAAB3 x";
	in->keys[2] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIQ1 long comment here";
	for (int i = 0; i < N_USERS; i++) {
		snprintf(in->names[i], sizeof(in->names[i]), "u%0*d", 1 + (int)(random() % 8), i);
		snprintf(in->homes[i], sizeof(in->homes[i]), "/home/%s", in->names[i]);
		snprintf(in->gecos[i], sizeof(in->gecos[i]), "User %d", (int)random() % 1000);
		in->users[i] = (struct hostiam_cache_user_in){
			in->names[i], 10000 + (uint32_t)i,   100,
			in->gecos[i], in->homes[i],          i % 3 ? "/bin/bash" : "/bin/sh",
			in->keys,     (size_t)(random() % 4)
		};
	}
	for (int g = 0; g < N_GROUPS; g++) {
		size_t n = g == 0 ? 4500 : (size_t)(random() % (g * 20 + 1));

		snprintf(in->group_names[g], sizeof(in->group_names[g]), "grp%d", g);
		/* Distinct members: a stride coprime to N_USERS from a random start. */
		for (size_t k = 0, at = (size_t)random() % N_USERS; k < n; k++)
			in->members[g][k] = in->names[(at + k * 7) % N_USERS];
		in->groups[g] = (struct hostiam_cache_group_in){ in->group_names[g],
								 20000 + (uint32_t)g * 3,
								 in->members[g], n, NULL };
	}
	return in;
}

/* The bytes of the file at path, malloc'd, with *len. */
static void *read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* hostiam_cache_write and hostiam_cache_build agree byte for byte. */
static void test_stream_equals_image(void **state)
{
	char dir[] = "/tmp/hostiam-stream-XXXXXX", path[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	for (unsigned seed = 1; seed <= 4; seed++) {
		struct input *in = make_input(seed);
		size_t n_users = seed == 4 ? 0 : N_USERS; /* one without users at all */
		void *img, *file;
		size_t len, flen;
		struct hostiam_cache *c = NULL;
		struct hostiam_group_view g;
		struct hostiam_user_view u;

		assert_int_equal(hostiam_cache_build(in->users, n_users, in->groups, N_GROUPS, seed,
						     1700000000 + seed, &img, &len),
				 0);
		assert_int_equal(hostiam_cache_write(path, in->users, n_users, in->groups, N_GROUPS,
						     seed, 1700000000 + seed),
				 0);
		file = read_file(path, &flen);
		assert_int_equal(flen, len);
		assert_memory_equal(file, img, len);
		/* And the reader takes it (its checksums, its records). */
		assert_int_equal(hostiam_cache_open(path, &c), 0);
		assert_int_equal(hostiam_cache_verify(c), 0);
		assert_int_equal(hostiam_cache_group_by_name(c, "grp0", &g), 0);
		assert_int_equal(g.n_members, 4500);
		assert_int_equal(hostiam_cache_user_by_uid(c, 10000 + N_USERS - 1, &u),
				 n_users ? 0 : HOSTIAM_ERR_NOT_FOUND);
		hostiam_cache_close(c);
		free(file);
		free(img);
		free(in);
	}
	remove_tree(dir);
}

struct gate {
	int calls, result;
	const char *path;
	uint64_t generation_then; /* of the file at path when the gate was called */
};

static int gate(void *ctx)
{
	struct gate *g = ctx;
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info = { 0 };

	g->calls++;
	if (hostiam_cache_open(g->path, &c) == 0) {
		hostiam_cache_get_info(c, &info);
		hostiam_cache_close(c);
	}
	g->generation_then = info.generation;
	return g->result;
}

/* in's cache at path in two steps, with the gate g. */
static int write_gated(const char *path, const struct input *in, uint64_t generation,
		       struct gate *g)
{
	struct hostiam_cache_writer *w;

	assert_int_equal(hostiam_cache_writer_start(&w, in->users, N_USERS), 0);
	return hostiam_cache_writer_finish(w, path, in->groups, N_GROUPS, generation, 0, gate, g);
}

/* A writer started and cancelled leaves nothing; a user's error comes out at the end. */
static void test_cancel_and_errors(void **state)
{
	char dir[] = "/tmp/hostiam-stream-XXXXXX", path[64];
	struct input *in = make_input(9);
	struct hostiam_cache_writer *w;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	assert_int_equal(hostiam_cache_writer_start(&w, in->users, N_USERS), 0);
	hostiam_cache_writer_cancel(w);
	hostiam_cache_writer_cancel(NULL);
	in->users[N_USERS / 2].name = "bad:name";
	assert_int_equal(hostiam_cache_writer_start(&w, in->users, N_USERS), 0);
	assert_int_equal(
		hostiam_cache_writer_finish(w, path, in->groups, N_GROUPS, 1, 0, NULL, NULL),
		HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(access(path, F_OK), -1);
	free(in);
	remove_tree(dir);
}

/* The gate runs once the file is written and before it goes in place; its error stops it. */
static void test_gate(void **state)
{
	char dir[] = "/tmp/hostiam-stream-XXXXXX", path[64];
	struct input *in = make_input(7);
	struct gate g = { 0, HOSTIAM_ERR_SYSTEM, path, 0 };
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info;
	struct dirent *d;
	DIR *dh;
	int files = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	assert_int_equal(hostiam_cache_write(path, in->users, 10, NULL, 0, 1, 0), 0);
	assert_int_equal(write_gated(path, in, 2, &g), HOSTIAM_ERR_SYSTEM);
	assert_int_equal(g.calls, 1);
	assert_int_equal(hostiam_cache_open(path, &c), 0);
	hostiam_cache_get_info(c, &info);
	hostiam_cache_close(c);
	assert_int_equal(info.generation, 1);
	assert_int_equal(info.n_users, 10);
	/* No temp file left behind. */
	assert_non_null(dh = opendir(dir));
	while ((d = readdir(dh)))
		files += d->d_name[0] != '.';
	closedir(dh);
	assert_int_equal(files, 1);
	g.result = 0;
	assert_int_equal(write_gated(path, in, 3, &g), 0);
	assert_int_equal(g.calls, 2);
	assert_int_equal(g.generation_then, 1); /* the old file was still in place */
	assert_int_equal(hostiam_cache_open(path, &c), 0);
	hostiam_cache_get_info(c, &info);
	hostiam_cache_close(c);
	assert_int_equal(info.generation, 3);
	assert_int_equal(info.n_users, N_USERS);
	free(in);
	remove_tree(dir);
}

/* The checksum in pieces: a piece off the word boundary counts as padded with zeros. */
static void test_checksum_pieces(void **state)
{
	unsigned char buf[200] = { 0 }, padded[200] = { 0 };
	uint64_t h;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	h = hostiam_checksum_start(sizeof(buf));
	h = hostiam_checksum_add(h, buf, 64);
	h = hostiam_checksum_add(h, buf + 64, 136);
	assert_true(hostiam_checksum_end(h) == hostiam_checksum(buf, sizeof(buf)));
	/* 13 bytes, then 3 zeros of padding, then 21 bytes: as one buffer of 37. */
	memcpy(padded, buf, 13);
	memcpy(padded + 16, buf + 13, 21);
	h = hostiam_checksum_start(37);
	h = hostiam_checksum_add(h, buf, 13);
	h = hostiam_checksum_add(h, buf + 13, 21);
	assert_true(hostiam_checksum_end(h) == hostiam_checksum(padded, 37));
	/* The total length is part of it. */
	h = hostiam_checksum_add(hostiam_checksum_start(36), buf, 36);
	assert_true(hostiam_checksum_end(h) != hostiam_checksum(buf, 37));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_equals_image),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_cancel_and_errors),
		cmocka_unit_test(test_checksum_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
