/* SPDX-License-Identifier: BSD-2-Clause */
/* Finding one user's entry by name, as the agent's bind sees the directory. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_conn.h"
#include "dir_user_find.h"
#include "dir_user_op.h"
#include "errors.h"

/* libldap takes attribute names as char *; a writable copy keeps the literal out of it. */
static char no_attrs_oid[] = LDAP_NO_ATTRS;

/* "(&FILTER(uid=ESCAPED))" for user, malloc'd into *out; 0 or HOSTIAM_ERR_NOMEM. */
static int user_filter(const struct hostiam_directory_config *d, const char *user, char **out)
{
	struct berval in = { strlen(user), (char *)user }, esc = { 0, NULL };
	const char *f = d->users_filter ? d->users_filter : "(objectClass=posixAccount)";
	size_t len;
	int r = 0;

	if (ldap_bv2escaped_filter_value(&in, &esc) != 0)
		return HOSTIAM_ERR_NOMEM;
	len = strlen(f) + esc.bv_len + sizeof("(&(uid=))");
	if ((*out = malloc(len)) == NULL)
		r = HOSTIAM_ERR_NOMEM;
	else
		snprintf(*out, len, "(&%s(uid=%s))", f, esc.bv_val);
	ber_memfree(esc.bv_val);
	return r;
}

/* The one entry of the search result res, its DN copied into *dn. */
static int one_dn(LDAP *ld, LDAPMessage *res, const char *user, const char *base, char **dn,
		  char *err, size_t err_len)
{
	LDAPMessage *e = ldap_first_entry(ld, res);
	char *found;

	if (e == NULL) {
		snprintf(err, err_len, "no entry for %s under %s", user, base);
		return HOSTIAM_ERR_NOT_FOUND;
	}
	if (ldap_next_entry(ld, e) != NULL) {
		snprintf(err, err_len, "more than one entry for %s under %s", user, base);
		return HOSTIAM_ERR_DIRECTORY;
	}
	found = ldap_get_dn(ld, e);
	*dn = found ? strdup(found) : NULL;
	ldap_memfree(found);
	if (*dn == NULL) {
		snprintf(err, err_len, "cannot read the DN of %s's entry", user);
		return HOSTIAM_ERR_NOMEM;
	}
	return 0;
}

int dir_user_find_dn(LDAP *ld, const struct hostiam_directory_config *d, const char *user,
		     int timeout, char **dn, char *err, size_t err_len)
{
	const char *base = d->users_base ? d->users_base : d->base;
	char *attrs[] = { no_attrs_oid, NULL }, *filter = NULL;
	struct timeval tv = { .tv_sec = timeout, .tv_usec = 0 };
	struct dir_user_answer a;
	LDAPMessage *res = NULL;
	int msgid, rc, r;

	if ((r = user_filter(d, user, &filter)) < 0) {
		snprintf(err, err_len, "out of memory");
		return r;
	}
	/* Two entries are enough to tell "one" from "ambiguous". */
	rc = ldap_search_ext(ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, NULL, NULL, &tv, 2,
			     &msgid);
	free(filter);
	if (rc != LDAP_SUCCESS) {
		dir_conn_describe(ld, rc, err, err_len);
		return dir_conn_map_error(rc);
	}
	r = dir_user_wait(ld, msgid, timeout, &res, err, err_len);
	if (r == 0 && (r = dir_user_answer_read(ld, res, &a)) < 0)
		snprintf(err, err_len, "cannot read the search result");
	/* A size limit reached means more entries than were sent, whatever came: ours of two,
	   or a server's own smaller one that cut the answer to a single entry. Ambiguous. */
	if (r == 0 && a.rc == LDAP_SIZELIMIT_EXCEEDED) {
		snprintf(err, err_len, "more than one entry for %s under %s", user, base);
		r = HOSTIAM_ERR_DIRECTORY;
	}
	if (r == 0 && a.rc != LDAP_SUCCESS) {
		snprintf(err, err_len, "search for %s under %s: %s%s%s", user, base,
			 ldap_err2string(a.rc), a.diag[0] ? ": " : "", a.diag);
		r = dir_conn_map_error(a.rc);
	}
	if (r == 0)
		r = one_dn(ld, res, user, base, dn, err, err_len);
	ldap_msgfree(res);
	return r;
}
