/* SPDX-License-Identifier: BSD-2-Clause */
/* The table of interned strings (see dir_intern.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_intern.h"
#include "dir_strindex.h"
#include "errors.h"

#define CHUNK (256u << 10) /* bytes per arena chunk */
#define KEY_MAX 256        /* longer values are stored, not looked up (none are names) */

static struct dir_strindex table; /* interned string -> its number */
static int table_ready;
static const char **strs; /* by number */
static size_t n_strs, cap_strs;
static char *chunk; /* the current chunk's free space */
static size_t chunk_left;

/* len + 1 bytes of arena space, or NULL. Chunks are never freed. */
static char *arena(size_t len)
{
	if (chunk_left < len + 1) {
		size_t size = len + 1 > CHUNK ? len + 1 : CHUNK;

		if (!(chunk = malloc(size)))
			return NULL;
		chunk_left = size;
	}
	chunk_left -= len + 1;
	chunk += len + 1;
	return chunk - (len + 1);
}

/* A copy of the len bytes at s in the arena, NUL-terminated, with the next number. */
static int store(const char *s, size_t len, const char **out)
{
	char *p;

	if (n_strs == cap_strs) {
		size_t cap = cap_strs ? cap_strs * 2 : 1024;
		const char **v = cap < UINT32_MAX ? realloc(strs, cap * sizeof(*v)) : NULL;

		if (!v)
			return HOSTIAM_ERR_NOMEM;
		strs = v;
		cap_strs = cap;
	}
	if (!(p = arena(len)))
		return HOSTIAM_ERR_NOMEM;
	memcpy(p, s, len);
	p[len] = '\0';
	strs[n_strs++] = p;
	*out = p;
	return 0;
}

int dir_intern_id(const char *s, size_t len, uint32_t *id)
{
	char key[KEY_MAX];
	const char *p;
	long found;

	if (!table_ready) {
		if (dir_strindex_init(&table, 1024) < 0)
			return HOSTIAM_ERR_NOMEM;
		table_ready = 1;
	}
	if (len < KEY_MAX) {
		memcpy(key, s, len);
		key[len] = '\0';
		if ((found = dir_strindex_get(&table, key)) >= 0) {
			*id = (uint32_t)found;
			return 0;
		}
	}
	if (store(s, len, &p) < 0)
		return HOSTIAM_ERR_NOMEM;
	/* On failure the string keeps its number but stays out of the index: still correct. */
	if (len < KEY_MAX && dir_strindex_add(&table, p, (uint32_t)(n_strs - 1)) < 0)
		return HOSTIAM_ERR_NOMEM;
	*id = (uint32_t)(n_strs - 1);
	return 0;
}

const char *dir_intern_str(uint32_t id)
{
	return strs[id];
}

size_t dir_intern_count(void)
{
	return n_strs;
}
