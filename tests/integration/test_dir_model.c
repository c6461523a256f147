/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test-dir-model: the agent's compact model, against plain references. dir_sort_u32 sorts
 * as qsort does; a dir_names list reads back its numbers sorted and without repeats; the
 * model's hash table of entries by entryUUID finds, replaces and removes like a reference
 * array through random sequences (its backward-shift deletion included, with UUIDs that
 * collide in the table), and walks in entryUUID order; a packed entry reads back every
 * text field, its keys and its UUID.
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

#define NAMES 20000

/*
 * Many names at once (dir_intern_ids, batches across table growth) against one by one:
 * names of 1 to 20 bytes, many sharing their first 8 bytes ("prefix-k", "prefix-kk"...),
 * each given twice; equal names get one number, different names different numbers.
 */
static void test_intern_batch(void)
{
	static char text[NAMES][24];
	static struct dir_intern_key in[2 * NAMES];
	static uint32_t ids[2 * NAMES];
	uint64_t seed = 7;
	uint32_t one;

	for (unsigned i = 0; i < NAMES; i++) {
		if (i % 4 == 0)
			snprintf(text[i], sizeof(text[i]), "abcdefgh%u", i);
		else if (i % 4 == 1)
			snprintf(text[i], sizeof(text[i]), "%.*s", 1 + (int)(i % 7), "zzzzzzz");
		else
			snprintf(text[i], sizeof(text[i]), "n%u-%u", next_random(&seed) % 97, i);
		in[i] = (struct dir_intern_key){ text[i], strlen(text[i]) };
		in[NAMES + i] = in[i];
	}
	snprintf(text[1], sizeof(text[1]), "abcdefgh"); /* a head with no room for a NUL */
	in[1] = in[NAMES + 1] = (struct dir_intern_key){ text[1], 8 };
	CHECK(dir_intern_ids(in, 2 * NAMES, ids) == 0);
	for (unsigned i = 0; i < NAMES; i++) {
		CHECK(ids[i] == ids[NAMES + i]);
		CHECK(strcmp(dir_intern_str(ids[i]), text[i]) == 0);
		CHECK(dir_intern_id(text[i], strlen(text[i]), &one) == 0 && one == ids[i]);
		/* Equal numbers only for equal names (the short "zz..." names repeat). */
		if (i > 0 && ids[i] == ids[i - 1])
			CHECK(strcmp(text[i], text[i - 1]) == 0);
	}
	CHECK(dir_intern_id("abcdefgh1", 9, &one) == 0 &&
	      strcmp(dir_intern_str(one), "abcdefgh1") == 0);
	CHECK(one != ids[1]);
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

/* A packed entry with entryUUID u, its name "k<key>" and, for some, keys and a gecos. */
static struct dir_entry *entry_of(unsigned key, const struct berval *u)
{
	struct dir_draft d = { .kind = DIR_USER };
	struct dir_entry *e = NULL;
	char name[32];

	snprintf(name, sizeof(name), "k%u", key);
	d.text[DIR_NAME] = strdup(name);
	if (key % 3 == 0)
		d.text[DIR_GECOS] = strdup("G");
	if (key % 5 == 0) {
		d.keys.v = calloc(3, sizeof(char *));
		d.keys.v[0] = strdup("ssh-ed25519 AAAA one");
		d.keys.v[1] = strdup("ssh-ed25519 AAAA two");
		d.keys.n = 2;
	}
	CHECK(dir_entry_pack(&d, u, &e) == 0);
	dir_draft_free(&d);
	return e;
}

/* Random adds, replacements and removes against a reference of which keys are in. */
static void test_model(void)
{
	static struct dir_entry *ref[KEYS];
	struct sync_model m = { 0 };
	struct dir_entry **v = NULL, *e, *old;
	uint64_t seed = 7;
	size_t n = 0, i, k;
	char buf[16];
	int step;

	for (step = 0; step < 200000; step++) {
		unsigned key = next_random(&seed) % KEYS, what = next_random(&seed) % 3;
		struct berval u = uuid_of(key, buf);

		e = sync_model_find(&m, &u);
		CHECK(e == ref[key]);
		if (what == 0 && e) {
			CHECK(sync_model_take(&m, &u) == e);
			dir_entry_free(e);
			ref[key] = NULL;
			n--;
		} else if (!e || what == 1) {
			e = entry_of(key, &u);
			if (!e)
				break;
			CHECK(sync_model_put(&m, e, &old) == 0);
			CHECK(old == ref[key]);
			n += old ? 0 : 1;
			dir_entry_free(old);
			ref[key] = e;
		}
		CHECK(m.n == n);
	}
	for (k = 0; k < KEYS; k++) {
		struct berval u = uuid_of((unsigned)k, buf);

		e = sync_model_find(&m, &u);
		CHECK(e == ref[k]);
		if (e) {
			char name[32];
			struct berval got = dir_entry_uuid(e);

			snprintf(name, sizeof(name), "k%zu", k);
			CHECK(strcmp(dir_text(e, DIR_NAME), name) == 0);
			CHECK(got.bv_len == 16 && memcmp(got.bv_val, u.bv_val, 16) == 0);
		}
	}
	CHECK(sync_model_sorted(&m, &v) == 0);
	for (i = 1; v && i < m.n; i++)
		CHECK(memcmp(dir_entry_body(v[i - 1]), dir_entry_body(v[i]), 16) < 0);
	free(v);
	sync_model_clear(&m);
	CHECK(m.n == 0 && m.slot == NULL);
}

/*
 * Every subset of the text fields of a sampled set reads back from a packed entry as it
 * went in (dir_text skips the fields before), with or without UUID and keys; a
 * normalised DN equal to the DN is stored once and still read.
 */
static void test_entry_layout(void)
{
	static const char *const text[DIR_FIELDS] = { "uid=a,dc=x", "uid=b,dc=x", "a",    "1001",
						      "100",        "",           "A B",  "/home/a",
						      "/bin/sh",    "JBSWY3DP",   "19000" };
	char uuid_bytes[] = "0123456789abcdef";
	struct berval uuid = { 16, uuid_bytes };
	uint32_t mask;

	for (mask = 0; mask < (1u << 11); mask += 1 + mask % 7) {
		struct dir_draft d = { .kind = mask & 1 ? DIR_GROUP : DIR_USER };
		struct dir_entry *e = NULL;
		size_t f;

		for (f = 0; f < 11; f++)
			if (mask >> f & 1)
				d.text[f] = strdup(text[f]);
		if (mask & 32 && mask & 1) { /* the DN as its own normalised form */
			free(d.text[DIR_NDN]);
			d.text[DIR_NDN] = strdup(text[DIR_DN]);
		}
		d.text[DIR_BAD_ATTR] = mask & 4 ? strdup("jpegPhoto") : NULL;
		if (mask & 8) {
			d.keys.v = calloc(2, sizeof(char *));
			d.keys.v[0] = strdup("ssh-rsa AAAA k");
			d.keys.n = 1;
		}
		CHECK(dir_entry_pack(&d, mask & 16 ? &uuid : NULL, &e) == 0);
		if (!e) {
			dir_draft_free(&d);
			continue;
		}
		CHECK(e->kind == (unsigned)d.kind);
		for (f = 0; f < DIR_FIELDS; f++) {
			const char *got = dir_text(e, (enum dir_field)f);

			CHECK((got == NULL) == (d.text[f] == NULL));
			CHECK(!got || strcmp(got, d.text[f]) == 0);
		}
		CHECK(e->n_keys == d.keys.n &&
		      (!e->n_keys || strcmp(e->keys[0], "ssh-rsa AAAA k") == 0));
		CHECK(dir_entry_uuid(e).bv_len == (mask & 16 ? 16u : 0u));
		CHECK(!(mask & 16) || memcmp(dir_entry_uuid(e).bv_val, uuid.bv_val, 16) == 0);
		dir_draft_free(&d);
		dir_entry_free(e);
	}
}

int main(void)
{
	test_sort();
	test_names();
	test_intern();
	test_intern_batch();
	test_model();
	test_entry_layout();
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
