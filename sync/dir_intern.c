/* SPDX-License-Identifier: BSD-2-Clause */
/* The table of interned strings (see dir_intern.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_intern.h"
#include "dir_strindex.h"

#define CHUNK (256u << 10) /* bytes per arena chunk */
#define KEY_MAX 256        /* longer values are stored, not looked up (none are names) */

static struct dir_strindex table; /* interned string -> 1 (presence) */
static int table_ready;
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

/* A copy of the len bytes at s in the arena, NUL-terminated, or NULL. */
static char *store(const char *s, size_t len)
{
	char *p = arena(len);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

const char *dir_intern(const char *s, size_t len)
{
	char key[KEY_MAX];
	const char *found;
	char *p;

	if (len >= KEY_MAX)
		return store(s, len);
	if (!table_ready) {
		if (dir_strindex_init(&table, 1024) < 0)
			return NULL;
		table_ready = 1;
	}
	memcpy(key, s, len);
	key[len] = '\0';
	if ((found = dir_strindex_key(&table, key)) != NULL)
		return found;
	if (!(p = store(s, len)) || dir_strindex_add(&table, p, 1) < 0)
		return NULL;
	return p;
}
