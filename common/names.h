/* SPDX-License-Identifier: BSD-2-Clause */
/* Which user and group names hostiam accepts: portable names as shadow-utils and systemd do. */
#ifndef HOSTIAM_NAMES_H
#define HOSTIAM_NAMES_H

#include <stdbool.h>

#define HOSTIAM_NAME_MAX 256

/*
 * True if name is a valid user name: not empty, at most HOSTIAM_NAME_MAX bytes, no ':',
 * ',', '/', whitespace or control characters, not starting with '-', not "." or "..",
 * not all digits (it would read as an id). Non-ASCII UTF-8 bytes are accepted, as the
 * directory may hold them. NULL is invalid.
 */
bool hostiam_valid_user_name(const char *name);

/* Same rules for group names. */
bool hostiam_valid_group_name(const char *name);

#endif
