/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_test_mfa_ok.so: a test-only PAM module that plays the future auth side of
 * pam_hostiam: its auth step marks the transaction as "MFA succeeded" under the data key
 * the account step looks for, so the test can show that an `mfa` decision then passes.
 */
#include "config.h"

#include <stddef.h>

#include <security/pam_modules.h>

#include "pam_hostiam.h"

/* auth: set the data key for PAM_USER, as pam_hostiam's auth does (mfa_mark.c). */
PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const void *user = NULL;

	if (pam_get_item(pamh, PAM_USER, &user) != PAM_SUCCESS)
		return PAM_AUTH_ERR;
	return pam_hostiam_mark_mfa_met(pamh, user);
}

/* auth: no credentials. */
PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}
