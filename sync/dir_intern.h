/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interned strings for the values that repeat across the directory: the memberUid values
 * of every group (3.3 million at 100,000 users, about 100,000 distinct names). Each
 * distinct value is stored once, for the life of the process, in large chunks, and has a
 * number: a group holds 4-byte numbers, not 8-byte pointers. Not thread-safe: the agent
 * parses entries on one thread.
 */
#ifndef HOSTIAM_DIR_INTERN_H
#define HOSTIAM_DIR_INTERN_H

#include <stddef.h>
#include <stdint.h>

/*
 * The number of the interned copy of the len bytes at s (which need not be
 * NUL-terminated and must not contain a NUL) in *id, stable until the process ends.
 * Returns 0 or HOSTIAM_ERR_NOMEM.
 */
int dir_intern_id(const char *s, size_t len, uint32_t *id);

/* A string for dir_intern_ids: the len bytes at s, as for dir_intern_id. */
struct dir_intern_key {
	const char *s;
	size_t len;
};

/* dir_intern_id of in[0..n) into ids[0..n), faster than one by one. */
int dir_intern_ids(const struct dir_intern_key *in, size_t n, uint32_t *ids);

/* The interned string numbered id (a number dir_intern_id gave). */
const char *dir_intern_str(uint32_t id);

/* How many numbers were given so far: every id is below it. */
size_t dir_intern_count(void);

#endif
