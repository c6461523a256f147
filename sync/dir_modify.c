/* SPDX-License-Identifier: BSD-2-Clause */
/* One user's entry found, bound to as its writer, and one attribute of it set. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dir_modify.h"
#include "dir_user_find.h"
#include "errors.h"
#include "ldap_uri.h"

/* The auxiliary class of conf/hostiam.schema that allows hostiamTotpSecret. libldap takes
 * names as char *, never writing them: writable copies keep string literals out of it. */
static char mfa_class[] = "hostiamMfaUser";
static char object_class[] = "objectClass";
static char no_attrs_oid[] = LDAP_NO_ATTRS;

/* directory.timeout as the timeval of one operation. */
static struct timeval op_timeout(const struct hostiam_directory_config *d)
{
	struct timeval tv = { .tv_sec = d->timeout > 0 ? d->timeout : 5, .tv_usec = 0 };

	return tv;
}

/* A failed operation: its reason in err, and the HOSTIAM_ERR_* for it. */
static int op_failed(LDAP *ld, int rc, const char *what, char *err, size_t err_len)
{
	char desc[256];

	dir_conn_describe(ld, rc, desc, sizeof(desc));
	snprintf(err, err_len, "%s: %s", what, desc);
	return dir_conn_map_error(rc);
}

/* Bind as the writer: the given DN, or the user's entry. An empty password is refused:
 * servers take a DN with no password as an anonymous bind, which would "succeed". */
static int bind_writer(struct dir_writer *w, const struct dir_writer_cred *cred, char *err,
		       size_t err_len)
{
	const char *dn = cred->bind_dn ? cred->bind_dn : w->dn;
	struct berval pw = { 0, (char *)cred->password };
	int rc;

	if (cred->password == NULL || cred->password[0] == '\0') {
		snprintf(err, err_len, "an empty password is no password");
		return HOSTIAM_ERR_INVALID_ARG;
	}
	pw.bv_len = strlen(cred->password);
	rc = ldap_sasl_bind_s(w->conn.ld, dn, LDAP_SASL_SIMPLE, &pw, NULL, NULL, NULL);
	if (rc == LDAP_SUCCESS)
		return 0;
	op_failed(w->conn.ld, rc, "bind", err, err_len);
	snprintf(err + strlen(err), err_len - strlen(err), " (as %s)", dn);
	return rc == LDAP_INVALID_CREDENTIALS ? HOSTIAM_ERR_DIRECTORY : dir_conn_map_error(rc);
}

/* True when one of vals is name (case-insensitive, as object class names are). */
static bool has_name(struct berval **vals, const char *name)
{
	size_t i;

	for (i = 0; vals && vals[i]; i++)
		if (vals[i]->bv_len == strlen(name) &&
		    strncasecmp(vals[i]->bv_val, name, vals[i]->bv_len) == 0)
			return true;
	return false;
}

/*
 * Whether the entry holds attr although the writer may not read it: a user who may only
 * add their own secret (conf/hostiam-self-enrol.conf) can still test for its presence.
 */
static int probe_presence(const struct hostiam_directory_config *d, const char *attr,
			  struct dir_writer *w, char *err, size_t err_len)
{
	char *no_attrs[] = { no_attrs_oid, NULL }, filter[300];
	struct timeval tv = op_timeout(d);
	LDAPMessage *res = NULL;
	int rc, r = 0;

	snprintf(filter, sizeof(filter), "(%s=*)", attr);
	rc = ldap_search_ext_s(w->conn.ld, w->dn, LDAP_SCOPE_BASE, filter, no_attrs, 0, NULL, NULL,
			       &tv, 1, &res);
	if (rc != LDAP_SUCCESS)
		r = op_failed(w->conn.ld, rc, "read the entry", err, err_len);
	else
		w->has_value = ldap_first_entry(w->conn.ld, res) != NULL;
	ldap_msgfree(res);
	return r;
}

/* What the writer can see of the entry: attr present, objectClass hostiamMfaUser. */
static int read_entry(const struct hostiam_directory_config *d, const char *attr,
		      struct dir_writer *w, char *err, size_t err_len)
{
	char *attrs[] = { (char *)attr, object_class, NULL };
	struct timeval tv = op_timeout(d);
	LDAPMessage *res = NULL, *e;
	struct berval **vals;
	int rc, r = 0;

	rc = ldap_search_ext_s(w->conn.ld, w->dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0,
			       NULL, NULL, &tv, 1, &res);
	if (rc != LDAP_SUCCESS) {
		r = op_failed(w->conn.ld, rc, "read the entry", err, err_len);
		goto out;
	}
	if ((e = ldap_first_entry(w->conn.ld, res)) != NULL) {
		vals = ldap_get_values_len(w->conn.ld, e, attr);
		w->has_value = vals != NULL && vals[0] != NULL;
		ldap_value_free_len(vals);
		vals = ldap_get_values_len(w->conn.ld, e, object_class);
		w->has_class = has_name(vals, mfa_class);
		ldap_value_free_len(vals);
	}
	if (!w->has_value)
		r = probe_presence(d, attr, w, err, err_len);
out:
	ldap_msgfree(res);
	return r;
}

/*
 * The servers a password may go to, in order: all of d's unless StartTLS is off, then
 * none that is plain ldap:// to another host (skipped, as the password helper does).
 * *out is malloc'd (the strings stay d's); 0, HOSTIAM_ERR_NOMEM or HOSTIAM_ERR_INSECURE_FILE.
 */
static int safe_uris(const struct hostiam_directory_config *d, struct hostiam_strlist *out,
		     char *err, size_t err_len)
{
	size_t i;

	out->n = 0;
	if ((out->items = calloc(d->uris.n + 1, sizeof(*out->items))) == NULL) {
		snprintf(err, err_len, "out of memory");
		return HOSTIAM_ERR_NOMEM;
	}
	for (i = 0; i < d->uris.n; i++)
		if (d->starttls || !hostiam_ldap_uri_cleartext_remote(d->uris.items[i]))
			out->items[out->n++] = d->uris.items[i];
	if (out->n > 0 || d->uris.n == 0)
		return 0;
	snprintf(err, err_len,
		 "every directory.uri is plain ldap:// to another host: a password is not "
		 "sent in clear (use ldaps:// or starttls = true)");
	free(out->items);
	out->items = NULL;
	return HOSTIAM_ERR_INSECURE_FILE;
}

int dir_writer_open(const struct hostiam_directory_config *d, const char *user, const char *attr,
		    const struct dir_writer_cred *cred, struct dir_writer *w, char *err,
		    size_t err_len)
{
	struct hostiam_directory_config search = *d;
	int r;

	memset(w, 0, sizeof(*w));
	if (cred->anonymous_search) {
		search.bind_dn = NULL;
		search.bind_password_file = NULL;
	}
	r = safe_uris(d, &search.uris, err, err_len);
	if (r < 0)
		return r;
	r = dir_conn_open(&search, &w->conn, err, err_len);
	free(search.uris.items);
	if (r == 0)
		r = dir_user_find_dn(w->conn.ld, d, user, d->timeout > 0 ? d->timeout : 5, &w->dn,
				     err, err_len);
	if (r == 0)
		r = bind_writer(w, cred, err, err_len);
	if (r == 0)
		r = read_entry(d, attr, w, err, err_len);
	if (r < 0)
		dir_writer_close(w);
	return r;
}

int dir_writer_set(struct dir_writer *w, const char *attr, const char *value, bool add_class,
		   char *err, size_t err_len)
{
	char *secret_vals[] = { (char *)value, NULL }, *class_vals[] = { mfa_class, NULL };
	/* An add, not a replace, unless there is a value: one that appeared meanwhile makes
	   it fail, never lost; and a writer allowed to add but not delete can set it. */
	LDAPMod secret = { .mod_op = w->has_value ? LDAP_MOD_REPLACE : LDAP_MOD_ADD,
			   .mod_type = (char *)attr },
		class = { .mod_op = LDAP_MOD_ADD, .mod_type = object_class };
	LDAPMod *mods[] = { &class, &secret, NULL };
	int rc;

	secret.mod_vals.modv_strvals = secret_vals;
	class.mod_vals.modv_strvals = class_vals;
	rc = ldap_modify_ext_s(w->conn.ld, w->dn, add_class ? mods : mods + 1, NULL, NULL);
	/* The class was there after all, hidden from the writer by an ACL: the secret alone. */
	if (rc == LDAP_TYPE_OR_VALUE_EXISTS && add_class)
		rc = ldap_modify_ext_s(w->conn.ld, w->dn, mods + 1, NULL, NULL);
	if (rc == LDAP_SUCCESS)
		return 0;
	return op_failed(w->conn.ld, rc, "modify", err, err_len);
}

void dir_writer_close(struct dir_writer *w)
{
	dir_conn_close(&w->conn);
	free(w->dn);
	w->dn = NULL;
}
