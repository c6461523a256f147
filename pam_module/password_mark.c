/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The password step's marks on the transaction (pam_set_data), each holding the name of
 * the user it was set for and honoured only while PAM_USER is still that user:
 * HOSTIAM_PAM_MUST_CHANGE (the directory let the user in on condition of a change; account
 * answers PAM_NEW_AUTHTOK_REQD until chauthtok has changed it) and HOSTIAM_PAM_PASSWORD_MFA
 * (a `password` line met the code; a plain pam_hostiam line later in the same stack does
 * not ask again).
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

int pam_hostiam_mark_user(pam_handle_t *pamh, const char *key, const char *user)
{
	char *copy;
	int rc;

	if (user == NULL || !hostiam_valid_user_name(user))
		return PAM_SYSTEM_ERR;
	if ((copy = strdup(user)) == NULL)
		return PAM_BUF_ERR;
	rc = pam_set_data(pamh, key, copy, name_free);
	if (rc != PAM_SUCCESS)
		free(copy);
	return rc;
}

void pam_hostiam_mark_clear(pam_handle_t *pamh, const char *key)
{
	(void)pam_set_data(pamh, key, NULL, NULL);
}

bool pam_hostiam_marked_user(pam_handle_t *pamh, const char *key, const char *user)
{
	const void *data = NULL, *now = NULL;

	if (user == NULL || pam_get_data(pamh, key, &data) != PAM_SUCCESS || data == NULL)
		return false;
	/* PAM_USER as it is now, not as it was when the mark was set. */
	if (pam_get_item(pamh, PAM_USER, &now) != PAM_SUCCESS || now == NULL)
		return false;
	return strcmp(data, user) == 0 && strcmp(data, (const char *)now) == 0;
}
