/* SPDX-License-Identifier: BSD-2-Clause */
/* The PAM items a decision depends on. */
#include "config.h"

#include <stddef.h>
#include <unistd.h>

#include <security/pam_ext.h>

#include "pam_hostiam.h"

/* Read one string item; NULL when the application did not set it. */
static const char *string_item(pam_handle_t *pamh, int type)
{
	const void *value = NULL;

	if (pam_get_item(pamh, type, &value) != PAM_SUCCESS)
		return NULL;
	return value;
}

/*
 * Fill *it: the user is required, the service always set by libpam, rhost/tty optional;
 * whether the process was started by root.
 */
int pam_hostiam_get_items(pam_handle_t *pamh, bool may_prompt, struct pam_hostiam_items *it)
{
	const char *user = NULL;
	int rc;

	if (may_prompt) {
		rc = pam_get_user(pamh, &user, NULL);
		if (rc == PAM_CONV_AGAIN)
			return PAM_INCOMPLETE;
		if (rc != PAM_SUCCESS)
			return rc;
	} else {
		user = string_item(pamh, PAM_USER);
	}
	if (user == NULL || *user == '\0')
		return PAM_USER_UNKNOWN;
	it->user = user;
	it->service = string_item(pamh, PAM_SERVICE);
	if (it->service == NULL || *it->service == '\0')
		return PAM_SYSTEM_ERR;
	it->rhost = string_item(pamh, PAM_RHOST);
	it->tty = string_item(pamh, PAM_TTY);
	/* sudo sets PAM_TTY to "" without a terminal: that is no terminal, not a name. */
	if (it->rhost != NULL && *it->rhost == '\0')
		it->rhost = NULL;
	if (it->tty != NULL && *it->tty == '\0')
		it->tty = NULL;
	/* The real uid: su and runuser are setuid root, so the euid is always 0 there. */
	it->caller_root = getuid() == 0;
	it->factors = NULL;
	return PAM_SUCCESS;
}
