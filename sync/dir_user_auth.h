/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The password helper's directory work as one call: the servers tried in order (none to
 * which the password would travel in clear), the user's entry found as the agent binds,
 * then a bind as that entry with the password, and for a change the Password Modify
 * operation. The whole is bounded by directory.timeout from its start.
 */
#ifndef HOSTIAM_DIR_USER_AUTH_H
#define HOSTIAM_DIR_USER_AUTH_H

#include <stddef.h>

#include "auth_reply.h"
#include "configuration.h"

struct dir_user_request {
	const char *user;         /* a valid user name */
	const char *password;     /* the password to verify, or the old one for a change */
	const char *new_password; /* NULL: verify only */
};

/*
 * Verify (or change) the password of req->user against d. Every outcome is a reply in
 * *out (see auth_reply.h): refused when no server may receive the password or d is not
 * configured, unreachable when no server answered in time, error with the reason as its
 * message. The server that answered (or the last one tried, "" for none) goes into uri.
 * Passwords are neither copied nor logged.
 */
void dir_user_authenticate(const struct hostiam_directory_config *d,
			   const struct dir_user_request *req, struct hostiam_auth_reply *out,
			   char *uri, size_t uri_len);

#endif
