/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interned strings for the values that repeat across the directory: the memberUid values
 * of every group (3.3 million at 100,000 users, about 100,000 distinct names). Each
 * distinct value is stored once, for the life of the process, in large chunks; the
 * groups hold pointers to it. Not thread-safe: the agent parses entries on one thread.
 */
#ifndef HOSTIAM_DIR_INTERN_H
#define HOSTIAM_DIR_INTERN_H

#include <stddef.h>

/*
 * The interned copy of the len bytes at s (which need not be NUL-terminated and must not
 * contain a NUL), stable until the process ends; NULL when out of memory.
 */
const char *dir_intern(const char *s, size_t len);

#endif
