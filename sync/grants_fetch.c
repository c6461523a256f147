/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading the hostiamGrant entries under directory.grants.base, and only there. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_attrs.h"
#include "dir_entries.h"
#include "dir_search.h"
#include "errors.h"
#include "grants_fetch.h"

const char *const grant_attr_names[GRANT_N_ATTRS + 1] = {
	[GRANT_CN] = "cn",
	[GRANT_REQUESTER] = "hostiamGrantRequester",
	[GRANT_ROLE] = "hostiamGrantRole",
	[GRANT_DURATION] = "hostiamGrantDuration",
	[GRANT_REASON] = "hostiamGrantReason",
	[GRANT_STATUS] = "hostiamGrantStatus",
	[GRANT_APPROVER] = "hostiamGrantApprover",
	[GRANT_NOT_BEFORE] = "hostiamGrantNotBefore",
	[GRANT_NOT_AFTER] = "hostiamGrantNotAfter",
	[GRANT_CREATOR] = "creatorsName",
	[GRANT_MODIFIER] = "modifiersName",
	[GRANT_N_ATTRS] = NULL,
};

/* Free what one entry owns. */
static void entry_free(struct grant_entry *e)
{
	for (size_t i = 0; i < GRANT_N_ATTRS; i++)
		free(e->v[i]);
	free(e->dn);
}

void grant_entries_free(struct grant_entries *l)
{
	for (size_t i = 0; i < l->n; i++)
		entry_free(&l->e[i]);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

/*
 * dir_entry_attrs' callback, attribute i of a grant: the single value kept; a second
 * value, a NUL byte or invalid UTF-8 marks the entry bad (every attribute of a grant is
 * single-valued text).
 */
static int take(void *ctx, size_t i, const struct berval *vals)
{
	struct grant_entry *e = ctx;

	if (vals == NULL || vals[0].bv_val == NULL)
		return 0;
	if (e->v[i] || vals[1].bv_val || memchr(vals[0].bv_val, '\0', vals[0].bv_len) ||
	    !dir_valid_utf8(vals[0].bv_val, vals[0].bv_len)) {
		e->bad = true;
		return 0;
	}
	e->v[i] = strndup(vals[0].bv_val, vals[0].bv_len);
	return e->v[i] ? 0 : HOSTIAM_ERR_NOMEM;
}

/* Fill e from one search entry; an attribute list that breaks off is an error. */
static int parse_entry(LDAP *ld, LDAPMessage *msg, struct grant_entry *e)
{
	return dir_entry_attrs(ld, msg, grant_attr_names, &e->dn, take, e);
}

/* Search callback: append the entry. */
static int collect(LDAP *ld, LDAPMessage *msg, void *ctx)
{
	struct grant_entries *l = ctx;
	struct grant_entry *e;
	int r;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;

		if (!(e = realloc(l->e, cap * sizeof(*e))))
			return HOSTIAM_ERR_NOMEM;
		l->e = e;
		l->cap = cap;
	}
	e = &l->e[l->n];
	memset(e, 0, sizeof(*e));
	if ((r = parse_entry(ld, msg, e)) < 0) {
		entry_free(e);
		return r;
	}
	l->n++;
	return 0;
}

int grants_fetch(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
		 struct grant_entries *out, char *err, size_t err_len)
{
	const struct hostiam_directory_config *d = &cfg->directory;
	struct dir_search_req req = {
		.base = d->grants_base,
		.filter = "(objectClass=hostiamGrant)",
		.attrs = (char **)grant_attr_names,
		.page_size = d->page_size > 0 ? d->page_size : 500,
		.timeout = d->timeout > 0 ? d->timeout : 5,
		.stop = stop,
	};
	char why[400];
	int r;

	if (!d->grants_base)
		return HOSTIAM_ERR_INVALID_ARG;
	r = dir_paged_search(ld, &req, collect, out, why, sizeof(why));
	if (r < 0) {
		snprintf(err, err_len, "cannot read the grants: %s base=%s",
			 r == HOSTIAM_ERR_NOMEM ? hostiam_strerror(r) : why, d->grants_base);
		grant_entries_free(out);
	}
	return r;
}
