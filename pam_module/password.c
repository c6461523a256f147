/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The `password` step of auth: the directory password as the first factor, before the
 * policy and the code. Local users are not ours (PAM_USER_UNKNOWN, the helper is not run);
 * a directory user's password goes to the helper, whose verdict is mapped here (the
 * contract in common/auth_reply.h). Only when the directory cannot be reached does the
 * offline verifier decide; a wrong, locked or expired answer never falls back to it.
 * The password is wiped on every path and never logged.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <security/pam_ext.h>

#include "auth_reply.h"
#include "configuration.h"
#include "errors.h"
#include "log.h"
#include "directory_account.h"
#include "password.h"
#include "password_verifier.h"

#define OFFLINE_LOCKED_TEXT \
	"Too many failed attempts; try again later or ask an administrator to unlock."
#define NO_VERIFIER_TEXT \
	"The directory cannot be reached, and this host has no recent password of yours: " \
	"try again later."
#define UNAVAILABLE_TEXT "Your password cannot be checked now: try again later."

/* One password step: what every part of it needs. */
struct step {
	pam_handle_t *pamh;
	int flags;
	const struct pam_hostiam_options *opts;
	const struct hostiam_config *cfg;
	struct pam_hostiam_items it;
	const char *word; /* the result for the log line */
};

/* "password user=U service=S rhost=R password=WORD": one line per step, never the password. */
static void log_step(const struct step *s, int priority)
{
	char user[160], service[160], rhost[160];

	/* Each value as the application or the client gave it: escaped, as on decision lines. */
	hostiam_log_value(user, sizeof(user), s->it.user);
	hostiam_log_value(service, sizeof(service), s->it.service);
	hostiam_log_value(rhost, sizeof(rhost), s->it.rhost ? s->it.rhost : "-");
	hostiam_log(priority, "password user=%s service=%s rhost=%s password=%s", user, service,
		    rhost, s->word);
	pam_hostiam_audit_password(s->cfg, &s->it, s->word);
}

/* Tell the user something that is not an error (unless PAM_SILENT). */
static void info(const struct step *s, const char *text)
{
	if (!(s->flags & PAM_SILENT))
		(void)pam_info(s->pamh, "%s", text);
}

/* What the directory said about the password's future, as PAM_TEXT_INFO. */
static void tell_expiry(const struct step *s, const struct hostiam_auth_reply *rep)
{
	char text[128];

	if (rep->grace >= 0) {
		snprintf(text, sizeof(text),
			 "Password expired: %d grace login%s left. Change it now.", rep->grace,
			 rep->grace == 1 ? "" : "s");
		info(s, text);
	} else if (rep->must_change) {
		info(s, "You must change your password now.");
	} else if (rep->expires_in >= 0) {
		long days = (rep->expires_in + 86399) / 86400;

		snprintf(text, sizeof(text), "Your password will expire in %ld day%s.", days,
			 days == 1 ? "" : "s");
		info(s, text);
	}
}

/* The directory accepted the password: keep a verifier, tell, remember a needed change. */
static int accepted(struct step *s, const char *password, const struct hostiam_auth_reply *rep)
{
	int r;

	r = hostiam_password_verifier_store(s->cfg, s->it.user, password, time(NULL));
	if (r < 0)
		hostiam_log(LOG_WARNING, "cannot store the offline password verifier user=%s: %s",
			    s->it.user, hostiam_strerror(r));
	tell_expiry(s, rep);
	if (rep->must_change || rep->grace >= 0) {
		r = pam_hostiam_mark_user(s->pamh, HOSTIAM_PAM_MUST_CHANGE, s->it.user);
		if (r != PAM_SUCCESS) {
			/* Without the mark account would not ask for the change: refuse instead. */
			s->word = "error";
			hostiam_log(LOG_ERR, "cannot mark the password change as required: %s",
				    pam_strerror(s->pamh, r));
			return PAM_AUTH_ERR;
		}
	}
	s->word = "ok";
	return PAM_SUCCESS;
}

/* The directory said no: no verifier may outlive that. */
void pam_hostiam_forget_verifier(const struct hostiam_config *cfg, const char *user)
{
	int r = hostiam_password_verifier_remove(cfg, user);

	if (r < 0 && r != HOSTIAM_ERR_NOT_FOUND)
		hostiam_log(LOG_ERR, "cannot remove the offline password verifier user=%s: %s",
			    user, hostiam_strerror(r));
}

/* The directory is unreachable: the offline verifier decides, or nothing does. */
static int offline(struct step *s, const char *password)
{
	enum hostiam_offline_result res;
	int r;

	r = hostiam_password_verifier_check(s->cfg, s->it.user, password, time(NULL), &res);
	if (r < 0) {
		s->word = "unreachable";
		hostiam_log(LOG_ERR, "offline password check failed user=%s: %s", s->it.user,
			    hostiam_strerror(r));
		pam_hostiam_tell_user(s->pamh, s->flags, UNAVAILABLE_TEXT);
		return PAM_AUTHINFO_UNAVAIL;
	}
	switch (res) {
	case HOSTIAM_OFFLINE_OK:
		s->word = "offline";
		return PAM_SUCCESS;
	case HOSTIAM_OFFLINE_WRONG:
		s->word = "offline-wrong";
		return PAM_AUTH_ERR;
	case HOSTIAM_OFFLINE_LOCKED:
		s->word = "offline-locked";
		pam_hostiam_tell_user(s->pamh, s->flags, OFFLINE_LOCKED_TEXT);
		return PAM_AUTH_ERR;
	default:
		s->word = res == HOSTIAM_OFFLINE_STALE  ? "unreachable offline=stale" :
			res == HOSTIAM_OFFLINE_DISABLED ? "unreachable offline=disabled" :
							  "unreachable offline=none";
		pam_hostiam_tell_user(s->pamh, s->flags, NO_VERIFIER_TEXT);
		return PAM_AUTHINFO_UNAVAIL;
	}
}

/* A refusal with the directory's reason after it, if it gave one. */
void pam_hostiam_tell_with_reason(pam_handle_t *pamh, int flags, const char *text,
				  const char *reason)
{
	char msg[HOSTIAM_AUTH_MESSAGE_MAX + 64];

	snprintf(msg, sizeof(msg), "%s%s%s", text, reason[0] ? ": " : ".", reason);
	pam_hostiam_tell_user(pamh, flags, msg);
}

/* Map the helper's reply to the PAM result (the table in the contract). */
static int map_reply(struct step *s, const char *password, const struct hostiam_auth_reply *rep)
{
	switch (rep->result) {
	case HOSTIAM_AUTH_OK:
		return accepted(s, password, rep);
	case HOSTIAM_AUTH_WRONG:
		s->word = "wrong";
		pam_hostiam_forget_verifier(s->cfg, s->it.user);
		return PAM_AUTH_ERR;
	case HOSTIAM_AUTH_LOCKED:
		s->word = "locked";
		pam_hostiam_forget_verifier(s->cfg, s->it.user);
		pam_hostiam_tell_with_reason(s->pamh, s->flags, HOSTIAM_PW_LOCKED_TEXT,
					     rep->message);
		return PAM_AUTH_ERR;
	case HOSTIAM_AUTH_EXPIRED:
		s->word = "expired";
		pam_hostiam_forget_verifier(s->cfg, s->it.user);
		pam_hostiam_tell_user(s->pamh, s->flags, HOSTIAM_PW_EXPIRED_TEXT);
		return PAM_AUTH_ERR;
	case HOSTIAM_AUTH_UNKNOWN:
		s->word = "unknown";
		return PAM_USER_UNKNOWN;
	case HOSTIAM_AUTH_UNREACHABLE:
		return offline(s, password);
	case HOSTIAM_AUTH_REFUSED:
		s->word = "refused";
		break;
	default:
		s->word = "error";
		break;
	}
	/* refused, error, and a result verify never gives (rejected): logged, not shown. */
	if (rep->message[0])
		hostiam_log(LOG_ERR, "password helper: %s", rep->message);
	pam_hostiam_tell_user(s->pamh, s->flags, UNAVAILABLE_TEXT);
	return PAM_AUTHINFO_UNAVAIL;
}

/* Run the helper on password and act on its answer. */
static int verify(struct step *s, const char *password)
{
	struct helper_run run = {
		s->opts->helper,      s->opts->config,          "verify", s->it.user, password,
		strlen(password) + 1, s->cfg->directory.timeout
	};
	struct hostiam_auth_reply rep;

	/* A bind with a DN and no password is an anonymous bind that "succeeds": never sent,
	   never a guess against the verifier. */
	if (password[0] == '\0') {
		s->word = "empty";
		return PAM_AUTH_ERR;
	}
	pam_hostiam_helper_ask(&run, &rep);
	return map_reply(s, password, &rep);
}

/* PAM_AUTHTOK as set by an earlier module, or NULL. */
static const char *first_pass(pam_handle_t *pamh)
{
	const void *item = NULL;

	if (pam_get_item(pamh, PAM_AUTHTOK, &item) != PAM_SUCCESS)
		return NULL;
	return item;
}

/* Ask, verify, and hand a verified password on in PAM_AUTHTOK for the modules after us. */
static int ask_and_verify(struct step *s)
{
	char *typed = NULL;
	int rc;

	rc = pam_hostiam_ask_password(s->pamh, HOSTIAM_PASSWORD_PROMPT, &typed);
	if (rc != PAM_SUCCESS) {
		s->word = rc == PAM_AUTHTOK_ERR ? "too-long" : "conv-error";
		return rc == PAM_AUTHTOK_ERR ? PAM_AUTH_ERR : rc;
	}
	rc = verify(s, typed);
	if (rc == PAM_SUCCESS && pam_set_item(s->pamh, PAM_AUTHTOK, typed) != PAM_SUCCESS)
		hostiam_log(LOG_WARNING, "cannot pass the password on (PAM_AUTHTOK)");
	pam_hostiam_reply_free(typed);
	return rc;
}

/* use_first_pass: PAM_AUTHTOK or nothing; try_first_pass: it, and if the directory said
 * wrong, a prompt; otherwise a prompt. */
static int get_and_verify(struct step *s)
{
	const char *given = first_pass(s->pamh);
	int rc;

	if (s->opts->pass_source == PAM_HOSTIAM_PASS_ASK)
		return ask_and_verify(s);
	if (given == NULL || strlen(given) > HOSTIAM_PASSWORD_MAX) {
		if (s->opts->pass_source == PAM_HOSTIAM_PASS_TRY)
			return ask_and_verify(s);
		s->word = given == NULL ? "no-first-pass" : "too-long";
		return PAM_AUTH_ERR;
	}
	rc = verify(s, given);
	if (rc == PAM_AUTH_ERR && s->opts->pass_source == PAM_HOSTIAM_PASS_TRY &&
	    strcmp(s->word, "wrong") == 0)
		return ask_and_verify(s);
	return rc;
}

/* The step; see password.h. */
int pam_hostiam_password_auth(pam_handle_t *pamh, int flags, const struct pam_hostiam_options *opts,
			      const char **result)
{
	struct hostiam_config *cfg = NULL;
	struct hostiam_config_errors errs;
	struct step s = { pamh, flags, opts, NULL, { 0 }, "error" };
	int rc;

	*result = "error";
	rc = pam_hostiam_get_items(pamh, true, &s.it);
	if (rc != PAM_SUCCESS)
		return rc;
	memset(&errs, 0, sizeof(errs));
	rc = hostiam_config_load(opts->config, &cfg, &errs);
	if (rc < 0) {
		/* Not knowing who is ours, serve nobody: pam_unix still serves local users. */
		pam_hostiam_log_config_errors(opts->config, rc, &errs);
		s.word = "config-error";
		log_step(&s, LOG_ERR);
		*result = "config-error";
		return PAM_USER_UNKNOWN;
	}
	s.cfg = cfg;
	if (!hostiam_directory_account(cfg, s.it.user)) {
		s.word = "local";
		rc = PAM_USER_UNKNOWN;
		if (opts->debug)
			log_step(&s, LOG_DEBUG);
	} else {
		rc = get_and_verify(&s);
		log_step(&s, rc == PAM_SUCCESS ? LOG_INFO : LOG_NOTICE);
	}
	*result = s.word;
	hostiam_config_free(cfg);
	return rc;
}
