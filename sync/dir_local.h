/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host's own accounts: the names and ids of /etc/passwd and /etc/group, so that the
 * resolver never lets a directory entry take the name or the id of a local account.
 */
#ifndef HOSTIAM_DIR_LOCAL_H
#define HOSTIAM_DIR_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Names and ids of one local file, sorted for binary search. */
struct dir_local_set {
	char **names;
	size_t n_names;
	uint32_t *ids;
	size_t n_ids;
};

struct dir_local {
	struct dir_local_set users;  /* /etc/passwd */
	struct dir_local_set groups; /* /etc/group */
};

/*
 * Read the local passwd and group files into *out. Returns 0, HOSTIAM_ERR_NOMEM, or
 * HOSTIAM_ERR_SYSTEM when a file cannot be opened (logged with its path): without them
 * shadowing cannot be ruled out, so the caller must not publish.
 */
int dir_local_load(struct dir_local *out);

/* True if name, or id, belongs to an account of set. */
bool dir_local_has_name(const struct dir_local_set *set, const char *name);
bool dir_local_has_id(const struct dir_local_set *set, uint32_t id);

void dir_local_free(struct dir_local *l);

/* What identifies the contents of the local passwd and group files (stat fields). */
struct dir_local_sig {
	unsigned long long v[2][5]; /* per file: dev, ino, size, mtime s, mtime ns; 0 if absent */
};

/* The signature of the files dir_local_load reads now. */
void dir_local_signature(struct dir_local_sig *sig);

#endif
