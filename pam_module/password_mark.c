/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The transaction's "must change the password" mark (HOSTIAM_PAM_MUST_CHANGE): set by
 * the password step when the directory let the user in on condition of a change
 * (changeAfterReset, a grace login); account then answers PAM_NEW_AUTHTOK_REQD, and the
 * application runs chauthtok, which removes it once the password is changed. The value is
 * the user's name, honoured only while PAM_USER is still that user.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <security/pam_ext.h>

#include "names.h"
#include "password.h"

/* pam_set_data cleanup: the name is ours to free. */
static void name_free(pam_handle_t *pamh, void *data, int error_status)
{
	(void)pamh;
	(void)error_status;
	free(data);
}

int pam_hostiam_mark_must_change(pam_handle_t *pamh, const char *user)
{
	char *copy;
	int rc;

	if (user == NULL || !hostiam_valid_user_name(user))
		return PAM_SYSTEM_ERR;
	if ((copy = strdup(user)) == NULL)
		return PAM_BUF_ERR;
	rc = pam_set_data(pamh, HOSTIAM_PAM_MUST_CHANGE, copy, name_free);
	if (rc != PAM_SUCCESS)
		free(copy);
	return rc;
}

void pam_hostiam_must_change_clear(pam_handle_t *pamh)
{
	(void)pam_set_data(pamh, HOSTIAM_PAM_MUST_CHANGE, NULL, NULL);
}

bool pam_hostiam_must_change_for(pam_handle_t *pamh, const char *user)
{
	const void *data = NULL, *now = NULL;

	if (user == NULL || pam_get_data(pamh, HOSTIAM_PAM_MUST_CHANGE, &data) != PAM_SUCCESS ||
	    data == NULL)
		return false;
	if (pam_get_item(pamh, PAM_USER, &now) != PAM_SUCCESS || now == NULL)
		return false;
	return strcmp(data, user) == 0 && strcmp(data, (const char *)now) == 0;
}
