/* SPDX-License-Identifier: BSD-2-Clause */
/* One search entry's attributes, walked as the server sent them (as dir_entries.c does). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dir_attrs.h"
#include "errors.h"

/* The index of name in names, or the index of the terminating NULL. */
static size_t attr_index(const char *const *names, const struct berval *name)
{
	size_t i;

	for (i = 0; names[i]; i++)
		if (strlen(names[i]) == name->bv_len &&
		    strncasecmp(name->bv_val, names[i], name->bv_len) == 0)
			break;
	return i;
}

/* See dir_attrs.h. */
int dir_entry_attrs(LDAP *ld, LDAPMessage *msg, const char *const *names, char **dn, dir_attr_fn fn,
		    void *ctx)
{
	struct berval d = { 0, NULL }, a, *vals = NULL;
	BerElement *ber = NULL;
	int rc, err = HOSTIAM_ERR_DIRECTORY;
	size_t i;

	rc = ldap_get_dn_ber(ld, msg, &ber, &d);
	if (rc != LDAP_SUCCESS || !d.bv_val)
		goto out;
	err = HOSTIAM_ERR_NOMEM;
	if (!(*dn = strndup(d.bv_val, d.bv_len)))
		goto out;
	for (err = 0; err == 0;) {
		rc = ldap_get_attribute_ber(ld, msg, ber, &a, &vals);
		if (rc != LDAP_SUCCESS) {
			err = HOSTIAM_ERR_DIRECTORY;
			break;
		}
		if (!a.bv_val)
			break;
		if (names[i = attr_index(names, &a)])
			err = fn(ctx, i, vals);
		ber_memfree(vals);
		vals = NULL;
	}
out:
	ber_memfree(vals);
	ber_free(ber, 0);
	return err;
}
