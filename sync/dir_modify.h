/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writing one attribute of one user's entry (hostiam enroll --directory / --self): find
 * the entry by (&USERS_FILTER(uid=USER)) under users.base, bind as the writer (an
 * administrator's DN, or the user's own entry), then set the attribute. Connection,
 * TLS and timeouts are those of dir_conn; the writer's password is never sent over plain
 * ldap:// to a host that is not this machine's loopback unless StartTLS is on.
 */
#ifndef HOSTIAM_DIR_MODIFY_H
#define HOSTIAM_DIR_MODIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "configuration.h"
#include "dir_conn.h"

struct dir_writer {
	struct dir_conn conn;
	char *dn;       /* the user's entry (malloc'd) */
	bool has_value; /* the entry holds the attribute, as far as the writer may read it */
	bool has_class; /* the entry has objectClass hostiamMfaUser */
};

/* Who binds to write: bind_dn, or NULL for the user's own entry. */
struct dir_writer_cred {
	const char *bind_dn;
	const char *password;  /* never logged; the caller wipes it */
	bool anonymous_search; /* find the entry anonymously, not with d's bind */
};

/*
 * Connect (as d says, or anonymously when cred->anonymous_search), find user's entry,
 * bind as cred, and read whether it holds attr. Returns 0 with *w filled, or
 * HOSTIAM_ERR_NOT_FOUND (no such entry), HOSTIAM_ERR_DIRECTORY (several entries, or the
 * bind was refused: err says which), HOSTIAM_ERR_INSECURE_FILE (the password would go
 * in clear), or dir_conn's errors; a one-line reason in err.
 */
int dir_writer_open(const struct hostiam_directory_config *d, const char *user, const char *attr,
		    const struct dir_writer_cred *cred, struct dir_writer *w, char *err,
		    size_t err_len);

/*
 * Set attr of the entry to value (one value): replaced when w->has_value, else added (a
 * value that appeared since the open makes it fail). With add_class, objectClass
 * hostiamMfaUser is added in the same operation. 0, or a HOSTIAM_ERR_* with the server's
 * reason in err (HOSTIAM_ERR_UNAVAILABLE: the connection was lost, open again and retry).
 */
int dir_writer_set(struct dir_writer *w, const char *attr, const char *value, bool add_class,
		   char *err, size_t err_len);

/* Unbind and free (safe on a zeroed or closed writer). */
void dir_writer_close(struct dir_writer *w);

#endif
