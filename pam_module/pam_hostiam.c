/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_hostiam.so: the PAM entry points, and nothing else. Each one parses the options,
 * routes the core's log lines to pam_syslog for the length of the call, asks decide.c or
 * session.c, and maps the result in result.c (auth.c for the second factor). See
 * pam_hostiam(8).
 */
#include "config.h"

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "pam_hostiam.h"

/*
 * Decide for one stack and act on it; in auth, an `mfa` decision asks for the second
 * factor (auth.c), everything else is enforced as account does, with auth's error code.
 */
static int decide_and_act(pam_handle_t *pamh, int flags, int argc, const char **argv, bool auth)
{
	struct pam_hostiam_options opts;
	struct pam_hostiam_outcome out;
	int rc;

	pam_hostiam_options_parse(pamh, argc, argv, &opts);
	pam_hostiam_log_begin(pamh, opts.debug);
	pam_hostiam_decide(pamh, &opts, auth, &out);
	if (auth && out.verdict == PAM_HOSTIAM_MFA && out.pam_err == 0)
		rc = pam_hostiam_mfa_authenticate(pamh, flags, &out);
	else
		rc = pam_hostiam_enforce(pamh, flags, &out, auth ? PAM_AUTH_ERR : PAM_PERM_DENIED);
	/* A failed or aborted auth takes back what an earlier one in this transaction met. */
	if (auth && rc != PAM_SUCCESS)
		pam_hostiam_mark_mfa_clear(pamh);
	pam_hostiam_outcome_free(&out);
	pam_hostiam_log_end();
	return rc;
}

/* account: enforce the policy's decision. */
PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return decide_and_act(pamh, flags, argc, argv, false);
}

/* auth: the policy, and for `mfa` the second factor (a TOTP or recovery code). */
PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return decide_and_act(pamh, flags, argc, argv, true);
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
