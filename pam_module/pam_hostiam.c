/*
 * pam_hostiam.so: the PAM entry points, and nothing else. Each one parses the options,
 * routes the core's log lines to pam_syslog for the length of the call, asks decide.c or
 * session.c, and maps the result in result.c. See pam_hostiam(8).
 */
#include "config.h"

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "pam_hostiam.h"

/* Decide and enforce for one stack; deny_code is what a denial returns there. */
static int decide_and_enforce(pam_handle_t *pamh, int flags, int argc, const char **argv,
			      int deny_code)
{
	struct pam_hostiam_options opts;
	struct pam_hostiam_outcome out;
	int rc;

	pam_hostiam_options_parse(pamh, argc, argv, &opts);
	pam_hostiam_log_begin(pamh, opts.debug);
	pam_hostiam_decide(pamh, &opts, &out);
	rc = pam_hostiam_enforce(pamh, flags, &out, deny_code);
	pam_hostiam_log_end();
	return rc;
}

/* account: enforce the policy's decision. */
PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return decide_and_enforce(pamh, flags, argc, argv, PAM_PERM_DENIED);
}

/* auth: the policy without a second factor yet (the MFA release adds the TOTP prompt). */
PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return decide_and_enforce(pamh, flags, argc, argv, PAM_AUTH_ERR);
}

/* auth: no credentials to set. */
PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}

/* session: record the login for last-login and review. */
PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct pam_hostiam_options opts;
	int rc;

	pam_hostiam_options_parse(pamh, argc, argv, &opts);
	pam_hostiam_log_begin(pamh, opts.debug);
	rc = pam_hostiam_record_login(pamh, &opts);
	pam_hostiam_log_end();
	return rc;
}

/* session: nothing to undo. */
PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}
