/* SPDX-License-Identifier: BSD-2-Clause */
/* Walking one search entry's attributes by a table of names (sudo rules, grants). */
#ifndef HOSTIAM_DIR_ATTRS_H
#define HOSTIAM_DIR_ATTRS_H

#include <ldap.h>
#include <stddef.h>

/* Called for each attribute whose name is names[i]; a negative return stops the walk. */
typedef int (*dir_attr_fn)(void *ctx, size_t i, const struct berval *vals);

/*
 * Copy the DN of msg into *dn (owned by the caller, also on error) and call fn for each of
 * its attributes named in names (NULL-terminated, matched without regard to case), in the
 * order the server sent them: an attribute listed twice comes twice. An attribute list
 * that breaks off is HOSTIAM_ERR_DIRECTORY, never a partial success. Returns 0, fn's error,
 * HOSTIAM_ERR_DIRECTORY or HOSTIAM_ERR_NOMEM.
 */
int dir_entry_attrs(LDAP *ld, LDAPMessage *msg, const char *const *names, char **dn, dir_attr_fn fn,
		    void *ctx);

#endif
