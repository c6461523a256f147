/* SPDX-License-Identifier: BSD-2-Clause */
/* Is a user name a directory account here, or a local one (see directory_account.c)? */
#ifndef HOSTIAM_DIRECTORY_ACCOUNT_H
#define HOSTIAM_DIRECTORY_ACCOUNT_H

#include <stdbool.h>

#include "configuration.h"

/*
 * True when user is in the directory cache (nss.cache) at a uid of at least
 * directory.min_uid and NSS resolves the name to that same uid; false for local accounts
 * (including one that shares a name with a directory user), unknown names, a host
 * without a directory, or a cache that cannot be read.
 */
bool hostiam_directory_account(const struct hostiam_config *cfg, const char *user);

/*
 * True when user is in the directory cache but NSS resolves the name to another uid: a
 * local account that comes first and shadows the directory user (made since the last
 * sync, which skips such names). Nothing of the directory user applies to it.
 */
bool hostiam_directory_name_shadowed(const struct hostiam_config *cfg, const char *user);

#endif
