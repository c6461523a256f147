/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A user's password put to the directory: a simple bind as the user's DN, and the RFC 3062
 * Password Modify operation as that user, both with the password policy request control,
 * their answers turned into the helper's reply (auth_reply.h).
 */
#ifndef HOSTIAM_DIR_USER_BIND_H
#define HOSTIAM_DIR_USER_BIND_H

#include <ldap.h>
#include <stddef.h>

#include "auth_reply.h"

/*
 * Bind ld as dn with password (never empty: an empty one would be an unauthenticated bind
 * that "succeeds"; the caller refuses it) within timeout seconds. When the server answered,
 * returns 0 with *out one of ok (expires_in, grace, must_change from the policy response),
 * wrong, locked, expired or error, the server's message in it. Otherwise HOSTIAM_ERR_TIMEOUT
 * / HOSTIAM_ERR_UNAVAILABLE / HOSTIAM_ERR_SYSTEM / HOSTIAM_ERR_NOMEM with the reason in err.
 */
int dir_user_bind(LDAP *ld, const char *dn, const char *password, int timeout,
		  struct hostiam_auth_reply *out, char *err, size_t err_len);

/*
 * On ld bound as the user, change the user's own password from old to new (RFC 3062, no
 * user identity: the bound entry's). As dir_user_bind, with *out ok, rejected (the server
 * refused the new password: quality, history, age, not allowed; its message in out), or
 * error.
 */
int dir_user_passwd(LDAP *ld, const char *old, const char *new, int timeout,
		    struct hostiam_auth_reply *out, char *err, size_t err_len);

#endif
