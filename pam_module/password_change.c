/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_sm_chauthtok for directory users: the user's own password, changed in the directory
 * by the helper (bind as the user with the current password, then RFC 3062 Password
 * Modify as the user). Linux-PAM calls it twice: PAM_PRELIM_CHECK gathers the current
 * password (PAM_OLDAUTHTOK, else "Current password: "); PAM_UPDATE_AUTHTOK asks the new one
 * twice (or takes PAM_AUTHTOK with use_authtok) and changes it. The current password is
 * checked by the change itself, not by a bind of its own in the first pass: a grace login
 * is too precious to spend on a check. Local users get PAM_USER_UNKNOWN, for pam_unix.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>

#include "auth_reply.h"
#include "configuration.h"
#include "errors.h"
#include "log.h"
#include "directory_account.h"
#include "password.h"
#include "password_verifier.h"

#define ROOT_TEXT \
	"A directory password can only be changed by its user (or by an administrator in " \
	"the directory)."
#define MISMATCH_TEXT "Sorry, passwords do not match."
#define EMPTY_TEXT "No password has been supplied."
#define REJECTED_TEXT "The directory refused the new password."
#define WRONG_TEXT "The current password is wrong: the password was not changed."
#define UNREACHABLE_TEXT "The directory cannot be reached: the password was not changed."
#define FAILED_TEXT "The password could not be changed."

/*
 * pam_set_data() key: the user PAM_PRELIM_CHECK gathered the current password for. The
 * update pass changes only that user's password: were PAM_USER changed between the two
 * passes (another module, the application), one user's current password would be sent as
 * another's, and a refusal would delete the other's offline verifier.
 */
#define CHAUTHTOK_USER "hostiam_chauthtok_user"

/* One chauthtok call. */
struct change {
	pam_handle_t *pamh;
	int flags;
	const struct pam_hostiam_options *opts;
	const struct hostiam_config *cfg;
	const char *user;
};

/* A string item (PAM_OLDAUTHTOK, PAM_AUTHTOK), or NULL. */
static const char *token_item(pam_handle_t *pamh, int type)
{
	const void *item = NULL;

	if (pam_get_item(pamh, type, &item) != PAM_SUCCESS)
		return NULL;
	return item;
}

/* PAM_OLDAUTHTOK, asked for ("Current password: ") and set when no module has yet. */
static int current_password(const struct change *c)
{
	char *typed = NULL;
	int rc;

	if (token_item(c->pamh, PAM_OLDAUTHTOK) != NULL)
		return PAM_SUCCESS;
	rc = pam_hostiam_ask_password(c->pamh, HOSTIAM_OLD_PASSWORD_PROMPT, &typed);
	if (rc != PAM_SUCCESS)
		return rc == PAM_CONV_ERR ? PAM_CONV_ERR : PAM_AUTHTOK_ERR;
	rc = pam_set_item(c->pamh, PAM_OLDAUTHTOK, typed);
	pam_hostiam_reply_free(typed);
	return rc;
}

/* Ask the new password twice; PAM_AUTHTOK becomes it when both agree. */
static int ask_new_password(const struct change *c)
{
	char *first = NULL, *again = NULL;
	int rc;

	rc = pam_hostiam_ask_password(c->pamh, HOSTIAM_NEW_PASSWORD_PROMPT, &first);
	if (rc == PAM_SUCCESS && first[0] == '\0') {
		pam_hostiam_tell_user(c->pamh, c->flags, EMPTY_TEXT);
		rc = PAM_AUTHTOK_ERR;
	}
	if (rc == PAM_SUCCESS)
		rc = pam_hostiam_ask_password(c->pamh, HOSTIAM_RETYPE_PASSWORD_PROMPT, &again);
	if (rc == PAM_SUCCESS && strcmp(first, again) != 0) {
		pam_hostiam_tell_user(c->pamh, c->flags, MISMATCH_TEXT);
		rc = PAM_AUTHTOK_ERR;
	}
	if (rc == PAM_SUCCESS)
		rc = pam_set_item(c->pamh, PAM_AUTHTOK, first);
	else if (rc != PAM_CONV_ERR)
		rc = PAM_AUTHTOK_ERR;
	pam_hostiam_reply_free(first);
	pam_hostiam_reply_free(again);
	return rc;
}

/* The new password: PAM_AUTHTOK from an earlier module with use_authtok, else asked. */
static int new_password(const struct change *c, const char **out)
{
	int rc = PAM_SUCCESS;

	if (!c->opts->use_authtok)
		rc = ask_new_password(c);
	*out = token_item(c->pamh, PAM_AUTHTOK);
	if (rc == PAM_SUCCESS && (*out == NULL || strlen(*out) > HOSTIAM_PASSWORD_MAX)) {
		hostiam_log(LOG_ERR, "no usable new password in PAM_AUTHTOK (use_authtok)");
		rc = PAM_AUTHTOK_ERR;
	}
	return rc;
}

/* Map the helper's answer to a change into what the user is told and the PAM result. */
static int change_result(const struct change *c, const struct hostiam_auth_reply *rep,
			 const char **word)
{
	*word = hostiam_auth_result_name(rep->result);
	switch (rep->result) {
	case HOSTIAM_AUTH_OK:
		return PAM_SUCCESS;
	case HOSTIAM_AUTH_REJECTED:
		/* The directory's own words: they say what the policy wants. */
		pam_hostiam_tell_user(c->pamh, c->flags,
				      rep->message[0] ? rep->message : REJECTED_TEXT);
		return PAM_AUTHTOK_ERR;
	case HOSTIAM_AUTH_WRONG:
		pam_hostiam_forget_verifier(c->cfg, c->user);
		pam_hostiam_tell_user(c->pamh, c->flags, WRONG_TEXT);
		return PAM_AUTH_ERR;
	case HOSTIAM_AUTH_LOCKED:
		pam_hostiam_forget_verifier(c->cfg, c->user);
		pam_hostiam_tell_with_reason(c->pamh, c->flags, HOSTIAM_PW_LOCKED_TEXT,
					     rep->message);
		return PAM_AUTHTOK_ERR;
	case HOSTIAM_AUTH_EXPIRED:
		pam_hostiam_tell_user(c->pamh, c->flags, HOSTIAM_PW_EXPIRED_TEXT);
		return PAM_AUTHTOK_ERR;
	case HOSTIAM_AUTH_UNREACHABLE:
		pam_hostiam_tell_user(c->pamh, c->flags, UNREACHABLE_TEXT);
		return PAM_TRY_AGAIN;
	default:
		if (rep->message[0])
			hostiam_log(LOG_ERR, "password helper: %s", rep->message);
		pam_hostiam_tell_user(c->pamh, c->flags, FAILED_TEXT);
		return PAM_AUTHTOK_ERR;
	}
}

/* OLD NUL NEW NUL to the helper's `change`; on success the verifier follows the change. */
static int update(const struct change *c)
{
	char input[2 * (HOSTIAM_PASSWORD_MAX + 1)];
	const char *old = token_item(c->pamh, PAM_OLDAUTHTOK), *new_pw = NULL, *word;
	struct hostiam_auth_reply rep;
	struct helper_run run = {
		c->opts->helper,          c->opts->config, "change", c->user, input, 0,
		c->cfg->directory.timeout
	};
	size_t lo, ln;
	int rc;

	if (old == NULL || (lo = strlen(old)) > HOSTIAM_PASSWORD_MAX) {
		hostiam_log(LOG_ERR, "no current password (PAM_OLDAUTHTOK) to change from");
		return PAM_AUTHTOK_RECOVERY_ERR;
	}
	if ((rc = new_password(c, &new_pw)) != PAM_SUCCESS)
		return rc;
	ln = strlen(new_pw);
	memcpy(input, old, lo + 1);
	memcpy(input + lo + 1, new_pw, ln + 1);
	run.input_len = lo + ln + 2;
	pam_hostiam_helper_ask(&run, &rep);
	rc = change_result(c, &rep, &word);
	if (rc == PAM_SUCCESS) {
		int r = hostiam_password_verifier_store(c->cfg, c->user, new_pw, time(NULL));

		if (r < 0)
			hostiam_log(LOG_WARNING,
				    "cannot store the offline password verifier "
				    "user=%s: %s",
				    c->user, hostiam_strerror(r));
		pam_hostiam_mark_clear(c->pamh, HOSTIAM_PAM_MUST_CHANGE);
	}
	explicit_bzero(input, sizeof(input));
	hostiam_log(rc == PAM_SUCCESS ? LOG_NOTICE : LOG_WARNING,
		    "password change user=%s result=%s", c->user, word);
	return rc;
}

/* The first pass: the current password, and whose it is (CHAUTHTOK_USER). */
static int prelim(const struct change *c)
{
	int rc;

	pam_hostiam_mark_clear(c->pamh, CHAUTHTOK_USER);
	rc = current_password(c);
	if (rc == PAM_SUCCESS)
		rc = pam_hostiam_mark_user(c->pamh, CHAUTHTOK_USER, c->user);
	return rc;
}

/* The second pass, for the user of the first only; the mark is used up either way. */
static int update_same_user(const struct change *c)
{
	int rc;

	if (!pam_hostiam_marked_user(c->pamh, CHAUTHTOK_USER, c->user)) {
		hostiam_log(LOG_ERR,
			    "password change user=%s result=refused-user-changed (the current "
			    "password was given for another user)",
			    c->user);
		rc = PAM_AUTHTOK_RECOVERY_ERR;
	} else {
		rc = update(c);
	}
	pam_hostiam_mark_clear(c->pamh, CHAUTHTOK_USER);
	return rc;
}

/* Ours at all, and may this caller change it? PAM_SUCCESS when both. */
static int applies(const struct change *c)
{
	if (!hostiam_directory_account(c->cfg, c->user))
		return PAM_USER_UNKNOWN;
	/* root (passwd USER) has no current password to give, and we no admin bind to use;
	   at login (sshd, login) the expired-password change comes with this flag. */
	if (getuid() == 0 && !(c->flags & PAM_CHANGE_EXPIRED_AUTHTOK)) {
		hostiam_log(LOG_NOTICE, "password change user=%s result=refused-root", c->user);
		pam_hostiam_tell_user(c->pamh, c->flags, ROOT_TEXT);
		return PAM_PERM_DENIED;
	}
	return PAM_SUCCESS;
}

/* pam_sm_chauthtok; see password.h. */
int pam_hostiam_password_change(pam_handle_t *pamh, int flags,
				const struct pam_hostiam_options *opts)
{
	struct hostiam_config *cfg = NULL;
	struct hostiam_config_errors errs;
	struct pam_hostiam_items it;
	struct change c = { pamh, flags, opts, NULL, NULL };
	int rc;

	if ((rc = pam_hostiam_get_items(pamh, true, &it)) != PAM_SUCCESS)
		return rc;
	memset(&errs, 0, sizeof(errs));
	if ((rc = hostiam_config_load(opts->config, &cfg, &errs)) < 0) {
		/* As in auth: not knowing who is ours, leave everyone to pam_unix. */
		pam_hostiam_log_config_errors(opts->config, rc, &errs);
		return PAM_USER_UNKNOWN;
	}
	c.cfg = cfg;
	c.user = it.user;
	rc = applies(&c);
	if (rc == PAM_SUCCESS && (flags & PAM_PRELIM_CHECK))
		rc = prelim(&c);
	else if (rc == PAM_SUCCESS && (flags & PAM_UPDATE_AUTHTOK))
		rc = update_same_user(&c);
	else if (rc == PAM_SUCCESS)
		rc = PAM_SERVICE_ERR; /* libpam always sets one of the two */
	hostiam_config_free(cfg);
	return rc;
}
