/* SPDX-License-Identifier: BSD-2-Clause */
/* The one place where hostiam results become PAM return codes. */
#include "config.h"

#include <stddef.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "errors.h"
#include "log.h"
#include "pam_hostiam.h"

#define MFA_REQUIRED "MFA required"
#define DEFAULT_DENIED "Access denied by policy"

/* The PAM code for a hostiam error; deny_code for anything not a system error. */
int pam_hostiam_err_to_pam(int err, int deny_code)
{
	switch (err) {
	case HOSTIAM_OK:
		return PAM_SUCCESS;
	case HOSTIAM_ERR_NOT_FOUND:
	case HOSTIAM_ERR_INVALID_NAME:
		return PAM_USER_UNKNOWN;
	case HOSTIAM_ERR_NOMEM:
		return PAM_BUF_ERR;
	case HOSTIAM_ERR_SYSTEM:
		return PAM_SYSTEM_ERR;
	default:
		/* Configuration, insecure state, internal errors: a plain denial. */
		return deny_code;
	}
}

/* The grace line of the account stack (the decision line is already logged). */
static void grace_log(const struct pam_hostiam_outcome *out)
{
	char date[32];

	pam_hostiam_enrol_by_date(out, date, sizeof(date));
	hostiam_log(LOG_NOTICE, "MFA not enrolled, let in until enrol_by: user=%s enrol_by=%s",
		    out->ctx.user, date);
}

/* Tell the user why, as an error message, unless the application asked for silence. */
void pam_hostiam_tell_user(pam_handle_t *pamh, int flags, const char *text)
{
	if (flags & PAM_SILENT)
		return;
	/* A conversation that fails changes nothing: the login is refused either way. */
	(void)pam_error(pamh, "%s", text);
}

/* Map an outcome to the code to return; denials carry a message to the user. */
int pam_hostiam_enforce(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out,
			int deny_code)
{
	if (out->pam_err != 0)
		return out->pam_err;
	switch (out->verdict) {
	case PAM_HOSTIAM_ALLOW:
		return PAM_SUCCESS;
	case PAM_HOSTIAM_MFA:
		/* Met in this transaction only counts for the user it was met for. */
		if (out->mfa_fresh || pam_hostiam_mfa_marked_for(pamh, out->ctx.user))
			return PAM_SUCCESS;
		if (pam_hostiam_in_grace(out)) {
			/* A login whose auth stack did not run pam_hostiam (sshd public key). */
			grace_log(out);
			pam_hostiam_grace_notice(pamh, flags, out);
			return PAM_SUCCESS;
		}
		pam_hostiam_tell_user(pamh, flags, MFA_REQUIRED);
		return deny_code;
	case PAM_HOSTIAM_DENY:
		pam_hostiam_tell_user(pamh, flags, out->message[0] ? out->message : DEFAULT_DENIED);
		return deny_code;
	case PAM_HOSTIAM_ERROR:
		if (out->err == HOSTIAM_ERR_NOT_FOUND || out->err == HOSTIAM_ERR_INVALID_NAME)
			return PAM_USER_UNKNOWN;
		pam_hostiam_tell_user(pamh, flags, out->message[0] ? out->message : DEFAULT_DENIED);
		return pam_hostiam_err_to_pam(out->err, deny_code);
	}
	/* Not reached; should a new verdict appear unhandled, it denies. */
	return deny_code;
}
