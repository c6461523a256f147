/* SPDX-License-Identifier: BSD-2-Clause */
/* The DN of a user's entry: (&USERS_FILTER(uid=USER)) under directory.users.base. */
#ifndef HOSTIAM_DIR_USER_FIND_H
#define HOSTIAM_DIR_USER_FIND_H

#include <ldap.h>
#include <stddef.h>

#include "configuration.h"

/*
 * Search on ld (bound as the caller wants) for user's one entry, the value escaped
 * (RFC 4515), within timeout seconds. Returns 0 and *dn (free with free()), or
 * HOSTIAM_ERR_NOT_FOUND (no entry), HOSTIAM_ERR_DIRECTORY (several entries, or the server
 * refused the search), HOSTIAM_ERR_TIMEOUT / HOSTIAM_ERR_UNAVAILABLE (no answer),
 * HOSTIAM_ERR_NOMEM / HOSTIAM_ERR_SYSTEM, with a one-line reason in err.
 */
int dir_user_find_dn(LDAP *ld, const struct hostiam_directory_config *d, const char *user,
		     int timeout, char **dn, char *err, size_t err_len);

#endif
