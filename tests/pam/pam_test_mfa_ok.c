/*
 * pam_test_mfa_ok.so: a test-only PAM module that plays the future auth side of
 * pam_hostiam: its auth step marks the transaction as "MFA succeeded" under the data key
 * the account step looks for, so the test can show that an `mfa` decision then passes.
 */
#include "config.h"

#include <stddef.h>

#include <security/pam_modules.h>

#include "pam_hostiam.h"

static int mfa_ok_marker = 1;

/* auth: set the data key (a static value, nothing to free). */
PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return pam_set_data(pamh, HOSTIAM_PAM_MFA_OK, &mfa_ok_marker, NULL);
}

/* auth: no credentials. */
PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}
