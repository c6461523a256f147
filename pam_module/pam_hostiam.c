/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_hostiam.so: the PAM entry points, and nothing else. Each one parses the options,
 * routes the core's log lines to pam_syslog for the length of the call, asks decide.c,
 * session.c or password*.c, and maps the result in result.c (auth.c for the second
 * factor). See pam_hostiam(8).
 */
#include "config.h"

#include <string.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "pam_hostiam.h"
#include "password.h"

/*
 * Decide for one stack and act on it; in auth, an `mfa` decision asks for the second
 * factor (auth.c), everything else is enforced as account does, with auth's error code.
 * With the `password` option, auth first verifies the directory password (password.c) and
 * goes on to the policy only when it was accepted.
 */
static int decide_and_act(pam_handle_t *pamh, int flags, const struct pam_hostiam_options *opts,
			  bool auth)
{
	struct pam_hostiam_outcome out;
	const char *password = NULL;
	int rc;

	memset(&out, 0, sizeof(out));
	if (auth && opts->password) {
		/* This run of the stack proves the code anew (see HOSTIAM_PAM_PASSWORD_MFA). */
		pam_hostiam_mark_clear(pamh, HOSTIAM_PAM_PASSWORD_MFA);
		rc = pam_hostiam_password_auth(pamh, flags, opts, &password);
		if (rc != PAM_SUCCESS)
			goto out;
	}
	pam_hostiam_decide(pamh, opts, auth, &out);
	out.password_result = password;
	if (auth && out.verdict == PAM_HOSTIAM_MFA && out.pam_err == 0)
		rc = pam_hostiam_mfa_authenticate(pamh, flags, &out);
	else
		rc = pam_hostiam_enforce(pamh, flags, &out, auth ? PAM_AUTH_ERR : PAM_PERM_DENIED);
	/* Let in: the terms of use come last, after MFA (terms.c). */
	if (rc == PAM_SUCCESS)
		rc = pam_hostiam_terms(pamh, flags, &out, auth);
	/* Let in, but only to change the password (expired, reset, a grace login). */
	if (!auth && rc == PAM_SUCCESS && out.decided &&
	    (out.password_expired ||
	     pam_hostiam_marked_user(pamh, HOSTIAM_PAM_MUST_CHANGE, out.ctx.user)))
		rc = PAM_NEW_AUTHTOK_REQD;
out:
	/* A failed or aborted auth takes back what an earlier one in this transaction met. */
	if (auth && rc != PAM_SUCCESS) {
		pam_hostiam_mark_mfa_clear(pamh);
		pam_hostiam_mark_clear(pamh, HOSTIAM_PAM_PASSWORD_MFA);
	}
	pam_hostiam_outcome_free(&out);
	return rc;
}

/* One entry point's work, with the options parsed. */
typedef int (*entry_fn)(pam_handle_t *pamh, int flags, const struct pam_hostiam_options *opts);

/* Parse the options, log through pamh for the length of the call, run fn. */
static int entry(pam_handle_t *pamh, int flags, int argc, const char **argv, entry_fn fn)
{
	struct pam_hostiam_options opts;
	int rc;

	pam_hostiam_options_parse(pamh, argc, argv, &opts);
	pam_hostiam_log_begin(pamh, opts.debug);
	rc = fn(pamh, flags, &opts);
	pam_hostiam_log_end();
	return rc;
}

static int account(pam_handle_t *pamh, int flags, const struct pam_hostiam_options *opts)
{
	return decide_and_act(pamh, flags, opts, false);
}

static int authenticate(pam_handle_t *pamh, int flags, const struct pam_hostiam_options *opts)
{
	return decide_and_act(pamh, flags, opts, true);
}

static int open_session(pam_handle_t *pamh, int flags, const struct pam_hostiam_options *opts)
{
	(void)flags;
	return pam_hostiam_record_login(pamh, opts);
}

/* account: enforce the policy's decision; PAM_NEW_AUTHTOK_REQD when the password must change. */
PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return entry(pamh, flags, argc, argv, account);
}

/*
 * auth: with `password` the directory password first; then the policy, and for `mfa` the
 * second factor (a TOTP or recovery code).
 */
PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return entry(pamh, flags, argc, argv, authenticate);
}

/* auth: no credentials to set. */
PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}

/* session: create the home (mkhomedir), record the login for last-login and review. */
PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return entry(pamh, flags, argc, argv, open_session);
}

/* session: nothing to undo. */
PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}

/*
 * password: change a directory user's password in the directory (password_change.c);
 * PAM_USER_UNKNOWN for local users, whom pam_unix serves.
 */
PAM_EXTERN int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return entry(pamh, flags, argc, argv, pam_hostiam_password_change);
}
