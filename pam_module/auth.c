/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The auth side of an `mfa` decision: spare the prompt when a fresh MFA or the enrol_by
 * grace period covers the login, refuse the unenrolled with the way to enrol, otherwise ask
 * for a code and let the MFA core verify it (lockout, replay, recovery codes and the
 * failure count all live there). Every path logs the decision line with its result, and
 * never the code.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <security/pam_ext.h>

#include "errors.h"
#include "log.h"
#include "mfa.h"
#include "names.h"
#include "pam_hostiam.h"
#include "password.h"

#define LOCKED_TEXT "Too many failed codes; try again later or ask an administrator to unlock."
#define ERROR_TEXT "Access denied: the second factor could not be checked."

/* The decision line with the auth result, after password=WORD when the step ran. */
static void log_result(const struct pam_hostiam_outcome *out, int priority, const char *extra)
{
	char line[256];

	if (out->password_result == NULL) {
		pam_hostiam_log_result(out, priority, extra);
		return;
	}
	snprintf(line, sizeof(line), "password=%s %s", out->password_result, extra);
	pam_hostiam_log_result(out, priority, line);
}

/* The `mfa` decision is met: mark the transaction for account, log, PAM_SUCCESS. */
static int met(pam_handle_t *pamh, const struct pam_hostiam_outcome *out, int priority,
	       const char *result)
{
	char factors[64];
	int rc;

	pam_hostiam_factors(out, result, factors, sizeof(factors));
	rc = pam_hostiam_mark_mfa_met_by(pamh, out->ctx.user, factors);

	if (rc == PAM_SUCCESS && out->password_result != NULL)
		rc = pam_hostiam_mark_user(pamh, HOSTIAM_PAM_PASSWORD_MFA, out->ctx.user);
	if (rc != PAM_SUCCESS) {
		/* Without the mark the account stack would deny: say so, and fail here. */
		hostiam_log(LOG_ERR, "cannot mark MFA as done: %s", pam_strerror(pamh, rc));
		log_result(out, LOG_ERR, "result=error error=\"pam_set_data failed\"");
		return PAM_AUTH_ERR;
	}
	log_result(out, priority, result);
	return PAM_SUCCESS;
}

/* The core could not answer (err): log it, deny. */
static int failed(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out, int err)
{
	char extra[160];

	snprintf(extra, sizeof(extra), "result=error error=\"%s\"", hostiam_strerror(err));
	log_result(out, LOG_ERR, extra);
	pam_hostiam_tell_user(pamh, flags, ERROR_TEXT);
	return PAM_AUTH_ERR;
}

/* No MFA for this user: let in during an open enrol_by period, else say how to enrol. */
static int not_enrolled(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out)
{
	char extra[64], date[32], text[2 * HOSTIAM_NAME_MAX + 128];

	if (out->enrol_by != 0) {
		pam_hostiam_enrol_by_date(out, date, sizeof(date));
		snprintf(extra, sizeof(extra), "result=grace enrol_by=%s", date);
		pam_hostiam_grace_notice(pamh, flags, out);
		return met(pamh, out, LOG_NOTICE, extra);
	}
	log_result(out, LOG_NOTICE, "result=not-enrolled");
	snprintf(text, sizeof(text),
		 "MFA is required, and %s has none set up: ask an administrator to run: "
		 "hostiam enroll %s",
		 out->ctx.user, out->ctx.user);
	pam_hostiam_tell_user(pamh, flags, text);
	return PAM_AUTH_ERR;
}

/* The enrolment state was unknown when deciding: find out why, before asking anything. */
static int probe_enrolment(const struct pam_hostiam_outcome *out)
{
	struct hostiam_mfa_enrolment e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = hostiam_mfa_load(out->cfg, out->ctx.user, &e);
	if (rc == 0)
		hostiam_mfa_enrolment_wipe(&e);
	return rc;
}

/* Map the core's verdict on a code to the PAM result, telling and logging. */
static int code_result(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out,
		       enum hostiam_mfa_result result)
{
	switch (result) {
	case HOSTIAM_MFA_OK:
		return met(pamh, out, LOG_INFO, "result=ok");
	case HOSTIAM_MFA_RECOVERY_OK:
		return met(pamh, out, LOG_NOTICE, "result=recovery");
	case HOSTIAM_MFA_LOCKED:
		log_result(out, LOG_NOTICE, "result=locked");
		pam_hostiam_tell_user(pamh, flags, LOCKED_TEXT);
		return PAM_AUTH_ERR;
	case HOSTIAM_MFA_REPLAYED:
		/* Refused like a wrong code, but the core did not count it as a guess. */
		log_result(out, LOG_NOTICE, "result=replay");
		return PAM_AUTH_ERR;
	case HOSTIAM_MFA_NOT_ENROLLED:
		/* Unenrolled between the decision and the check. */
		return not_enrolled(pamh, flags, out);
	case HOSTIAM_MFA_WRONG:
	default:
		log_result(out, LOG_NOTICE, "result=wrong");
		return PAM_AUTH_ERR;
	}
}

/* Ask for a code and verify it; the reply is wiped on every path. */
static int ask_and_check(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out)
{
	enum hostiam_mfa_result result = HOSTIAM_MFA_WRONG;
	const char *code = NULL;
	char *reply = NULL;
	int rc;

	/* libpam waits only if the stack fails, and a refused code is what it is meant for. */
	(void)pam_fail_delay(pamh, HOSTIAM_PAM_FAIL_DELAY);
	rc = pam_hostiam_ask_code(pamh, &reply, &code);
	if (rc != PAM_SUCCESS) {
		log_result(out, LOG_ERR, "result=conv-error");
		goto out;
	}
	/* Nothing typed, or more than any code: refused without counting as a guess. */
	if (*code == '\0' || strlen(code) > HOSTIAM_PAM_CODE_MAX) {
		log_result(out, LOG_NOTICE, *code == '\0' ? "result=empty" : "result=too-long");
		rc = PAM_AUTH_ERR;
		goto out;
	}
	/* The time the code was typed, not the time of the decision before the prompt. */
	rc = hostiam_mfa_check(out->cfg, out->ctx.user, code, time(NULL), &result);
	pam_hostiam_reply_free(reply);
	reply = NULL;
	if (rc < 0)
		rc = failed(pamh, flags, out, rc);
	else
		rc = code_result(pamh, flags, out, result);
out:
	pam_hostiam_reply_free(reply);
	return rc;
}

/* The auth side of an enforced `mfa` outcome; see pam_hostiam.h. */
int pam_hostiam_mfa_authenticate(pam_handle_t *pamh, int flags,
				 const struct pam_hostiam_outcome *out)
{
	int rc;

	if (!out->decided || out->cfg == NULL || out->ctx.user == NULL) {
		/* Not reached: an `mfa` verdict comes only from a decision. Deny all the same. */
		hostiam_log(LOG_ERR, "MFA asked for without a decision");
		pam_hostiam_tell_user(pamh, flags, ERROR_TEXT);
		return PAM_AUTH_ERR;
	}
	if (out->mfa_fresh)
		return met(pamh, out, LOG_INFO, "result=fresh");
	/* Met by a `password` line earlier in this stack (password + code, then the service's
	   own line for local users): one code per login is enough. */
	if (out->password_result == NULL &&
	    pam_hostiam_marked_user(pamh, HOSTIAM_PAM_PASSWORD_MFA, out->ctx.user))
		return met(pamh, out, LOG_INFO, "result=met");
	switch (out->ctx.req.enrolled) {
	case HOSTIAM_TRUE:
		break;
	case HOSTIAM_FALSE:
		return not_enrolled(pamh, flags, out);
	default:
		rc = probe_enrolment(out);
		if (rc == HOSTIAM_ERR_NOT_FOUND)
			return not_enrolled(pamh, flags, out);
		if (rc < 0)
			return failed(pamh, flags, out, rc);
		break;
	}
	return ask_and_check(pamh, flags, out);
}
