/* SPDX-License-Identifier: BSD-2-Clause */
/* Pieces of auth_cache.c shared with auth_cache_update.c (not an interface). */
#ifndef HOSTIAM_AUTH_CACHE_INTERNAL_H
#define HOSTIAM_AUTH_CACHE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "auth_cache.h"

/* Lines sorted by user, each ending in its own check: a lookup reads only its search path. */
#define HEADER_V3 "hostiam-auth-cache 3 sorted\n"
#define HEADER_V3_LEN (sizeof(HEADER_V3) - 1)
/* 100,000 users at a few hundred bytes each, with room to spare. */
#define AUTH_CACHE_MAX (256u << 20)

/* One parsed line; user and secret point into the file. */
struct auth_line {
	const char *user, *secret;
	size_t user_len, secret_len;
	struct hostiam_account_attrs account;
};

/* Open the directory that holds path (group/world-writable refused); *base is in path. */
int auth_cache_open_parent(const char *path, int *dfd, const char **base);

/* Map the file base of dfd read-only after the MFA file checks ("" when empty). */
int auth_cache_map(int dfd, const char *base, const char *path, const char **text, size_t *len);

/* True if e can be written: a valid name, and a valid secret or some account state. */
bool auth_cache_entry_valid(const struct hostiam_auth_entry *e);

/* entries sorted by user into *out (malloc'd pointers); a user twice is refused. */
int auth_cache_sort_entries(const struct hostiam_auth_entry *entries, size_t n,
			    const struct hostiam_auth_entry ***out);

/* The most bytes e's line takes. */
size_t auth_cache_line_size(const struct hostiam_auth_entry *e);

/* Append e's line at buf + *at (size bytes in all, room counted by the caller). */
void auth_cache_format_line(const struct hostiam_auth_entry *e, char *buf, size_t size, size_t *at);

/* Parse and check the line at p of a version-v file into *l; *nl gets its newline. */
bool auth_cache_parse_line(const char *p, const char *end, int v, struct auth_line *l,
			   const char **nl);

#endif
