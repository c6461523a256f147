/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading the hostiamGrant entries under directory.grants.base (grants_sync.h). */
#ifndef HOSTIAM_GRANTS_FETCH_H
#define HOSTIAM_GRANTS_FETCH_H

#include <ldap.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "configuration.h"

enum grant_attr {
	GRANT_CN,
	GRANT_REQUESTER,
	GRANT_ROLE,
	GRANT_DURATION,
	GRANT_REASON,
	GRANT_STATUS,
	GRANT_APPROVER,
	GRANT_NOT_BEFORE,
	GRANT_NOT_AFTER,
	GRANT_CREATOR,  /* creatorsName: who added the entry (the server says, not the user) */
	GRANT_MODIFIER, /* modifiersName: who changed it last */
	GRANT_N_ATTRS
};

extern const char *const grant_attr_names[GRANT_N_ATTRS + 1];

/* One entry as read: each attribute's single value, or NULL. */
struct grant_entry {
	char *dn;
	char *v[GRANT_N_ATTRS];
	bool bad; /* an attribute with two values, a NUL byte or invalid UTF-8 */
};

struct grant_entries {
	struct grant_entry *e;
	size_t n, cap;
};

/*
 * Every hostiamGrant entry in the subtree of directory.grants.base (never above) on ld,
 * with paged searches, into *out (empty on entry): whole, or a HOSTIAM_ERR_* with a
 * one-line reason in err and *out emptied. stop (may be NULL) ends it within a second.
 */
int grants_fetch(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
		 struct grant_entries *out, char *err, size_t err_len);

void grant_entries_free(struct grant_entries *l);

#endif
