/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test-dir-model: the agent's compact model, against plain references. dir_sort_u32 sorts
 * as qsort does; a dir_names list reads back its numbers sorted and without repeats; the
 * model's hash table of entries by entryUUID finds, replaces and removes like a reference
 * array through random sequences (its backward-shift deletion included, with UUIDs that
 * collide in the table), and walks in entryUUID order.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dir_entries.h"
#include "dir_intern.h"
#include "dir_sort.h"
#include "sync_model.h"

/* A small deterministic generator (the test must not depend on libc's rand). */
static uint32_t next_random(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* Order numbers, for the reference sort. */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* dir_sort_u32 against qsort, small and large arrays, narrow and wide values. */
static void test_sort(void)
{
	uint64_t seed = 1;
	int t;

	for (t = 0; t < 3000; t++) {
		size_t i, n = next_random(&seed) % (t % 2 ? 40 : 3000);
		uint32_t mask = t % 3 == 0 ? 0xffffffffu : t % 3 == 1 ? 0xffu : 0x1ffffu;
		uint32_t *a = malloc((n + 1) * 4), *b = malloc((n + 1) * 4),
			 *tmp = malloc((n + 1) * 4);

		for (i = 0; i < n; i++)
			a[i] = b[i] = (next_random(&seed) << 7 ^ next_random(&seed)) & mask;
		qsort(b, n, 4, cmp_u32);
		dir_sort_u32(a, n, tmp);
		CHECK(n == 0 || memcmp(a, b, n * 4) == 0);
		free(a);
		free(b);
		free(tmp);
	}
}

/* A dir_names list gives back its numbers sorted, once each, whatever the gaps. */
static void test_names(void)
{
	uint32_t in[] = { 7, 300000, 7, 0, 128, 127, 16384, 4000000000u, 129, 0 };
	uint32_t want[] = { 0, 7, 127, 128, 129, 16384, 300000, 4000000000u };
	struct dir_names nv = { 0 };
	struct dir_names_cursor c;
	size_t i;

	CHECK(dir_names_set(&nv, in, sizeof(in) / sizeof(in[0])) == 0);
	CHECK(nv.n == sizeof(want) / sizeof(want[0]));
	c.p = nv.code;
	c.next = 0;
	for (i = 0; i < nv.n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(dir_names_next(&c) == want[i]);
	dir_names_free(&nv);
	CHECK(nv.n == 0 && nv.code == NULL);
}

/* Interned names keep their numbers and text. */
static void test_intern(void)
{
	uint32_t a, b, c;

	CHECK(dir_intern_id("alice", 5, &a) == 0);
	CHECK(dir_intern_id("alicex", 5, &b) == 0); /* the first 5 bytes only */
	CHECK(dir_intern_id("alice2", 6, &c) == 0);
	CHECK(a == b && a != c);
	CHECK(strcmp(dir_intern_str(a), "alice") == 0 && strcmp(dir_intern_str(c), "alice2") == 0);
	CHECK(dir_intern_count() >= 2);
}

#define KEYS 3000

/* The uuid of key k: 16 bytes that differ in one byte only (long shared prefixes). */
static struct berval uuid_of(unsigned k, char buf[16])
{
	struct berval b = { 16, buf };

	memset(buf, 'u', 16);
	buf[13] = (char)(k >> 16);
	buf[14] = (char)(k >> 8);
	buf[15] = (char)k;
	return b;
}

/* Random adds and removes against a reference of which keys are in and with what entry. */
static void test_model(void)
{
	static struct dir_entry *ref[KEYS];
	struct sync_model m = { 0 };
	struct sync_model_node **v = NULL;
	uint64_t seed = 7;
	size_t n = 0, i, k;
	char buf[16];
	int step;

	for (step = 0; step < 200000; step++) {
		unsigned key = next_random(&seed) % KEYS;
		struct berval u = uuid_of(key, buf);
		struct sync_model_node *node = sync_model_find(&m, &u);

		CHECK((node != NULL) == (ref[key] != NULL));
		CHECK(!node || node->e == ref[key]);
		if (next_random(&seed) % 3 == 0 && node) {
			sync_model_remove(&m, node);
			ref[key] = NULL;
			n--;
		} else if (!node) {
			node = sync_model_add(&m, &u);
			CHECK(node && node->e == NULL);
			if (!node)
				break;
			node->e = ref[key] = (struct dir_entry *)(uintptr_t)(step + 1);
			n++;
		}
		CHECK(m.n == n);
	}
	for (k = 0; k < KEYS; k++) {
		struct berval u = uuid_of((unsigned)k, buf);
		struct sync_model_node *node = sync_model_find(&m, &u);

		CHECK((node != NULL) == (ref[k] != NULL));
	}
	CHECK(sync_model_sorted(&m, &v) == 0);
	for (i = 1; v && i < m.n; i++)
		CHECK(memcmp(v[i - 1]->uuid, v[i]->uuid, 16) < 0);
	free(v);
	/* The entries are fake: take them out before the table is freed with its entries. */
	for (i = 0; m.slot && i <= m.mask; i++)
		if (m.slot[i])
			m.slot[i]->e = NULL;
	sync_model_clear(&m);
	CHECK(m.n == 0 && m.slot == NULL);
}

int main(void)
{
	test_sort();
	test_names();
	test_intern();
	test_model();
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
