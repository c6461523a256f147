/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The transaction's "MFA met" mark (HOSTIAM_PAM_MFA_OK). auth sets it for the user the
 * second factor was met for; account honours it only while PAM_USER is still that user; an
 * auth that does not succeed removes it. Without the binding, an application that changes
 * PAM_USER after auth (or runs auth again and ignores the failure) would carry one user's
 * MFA over to another login.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_ext.h>

#include "names.h"
#include "pam_hostiam.h"

/* The value under the data key: whom the mark was earned for, and when. */
struct mfa_mark {
	char user[HOSTIAM_NAME_MAX + 1];
	time_t when;
	char factors[64]; /* what met it ("password,totp"), for the audit trail */
};

/* pam_set_data cleanup: the mark is ours to free, at pam_end or when it is replaced. */
static void mark_free(pam_handle_t *pamh, void *data, int error_status)
{
	(void)pamh;
	(void)error_status;
	free(data);
}

/* A mark for user, now; PAM_BUF_ERR, or PAM_SYSTEM_ERR for a name no login could have. */
int pam_hostiam_mark_mfa_met(pam_handle_t *pamh, const char *user)
{
	return pam_hostiam_mark_mfa_met_by(pamh, user, NULL);
}

/* The same, remembering what met it (factors, cut to fit; NULL: unknown). */
int pam_hostiam_mark_mfa_met_by(pam_handle_t *pamh, const char *user, const char *factors)
{
	struct mfa_mark *m;
	size_t len;
	int rc;

	if (user == NULL || (len = strlen(user)) == 0 || len > HOSTIAM_NAME_MAX)
		return PAM_SYSTEM_ERR;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return PAM_BUF_ERR;
	memcpy(m->user, user, len + 1);
	m->when = time(NULL);
	snprintf(m->factors, sizeof(m->factors), "%s", factors ? factors : "");
	rc = pam_set_data(pamh, HOSTIAM_PAM_MFA_OK, m, mark_free);
	if (rc != PAM_SUCCESS)
		free(m);
	return rc;
}

/* Replacing an existing entry cannot fail, and with no entry there is nothing to remove. */
void pam_hostiam_mark_mfa_clear(pam_handle_t *pamh)
{
	(void)pam_set_data(pamh, HOSTIAM_PAM_MFA_OK, NULL, NULL);
}

/* A plain compare: user names are not secrets. */
bool pam_hostiam_mfa_marked_for(pam_handle_t *pamh, const char *user)
{
	const void *data = NULL, *now = NULL;
	const struct mfa_mark *m;

	if (user == NULL || pam_get_data(pamh, HOSTIAM_PAM_MFA_OK, &data) != PAM_SUCCESS ||
	    data == NULL)
		return false;
	/* PAM_USER as it is now, not as it was when the decision was made. */
	if (pam_get_item(pamh, PAM_USER, &now) != PAM_SUCCESS || now == NULL)
		return false;
	m = data;
	return strcmp(m->user, user) == 0 && strcmp(m->user, (const char *)now) == 0;
}

/* The factors the mark was earned with, while it holds for user; NULL without one. */
const char *pam_hostiam_mfa_factors(pam_handle_t *pamh, const char *user)
{
	const void *data = NULL;

	if (!pam_hostiam_mfa_marked_for(pamh, user) ||
	    pam_get_data(pamh, HOSTIAM_PAM_MFA_OK, &data) != PAM_SUCCESS || data == NULL)
		return NULL;
	return ((const struct mfa_mark *)data)->factors;
}
