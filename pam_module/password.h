/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The directory password inside pam_hostiam: the `password` step of auth (password.c),
 * the password change of chauthtok (password_change.c), and the helper that talks to the
 * directory for both (helper_run.c), since libldap is never loaded into sshd, sudo or
 * login. Internal to the module, like pam_hostiam.h.
 */
#ifndef PAM_HOSTIAM_PASSWORD_H
#define PAM_HOSTIAM_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include <security/pam_modules.h>

#include "pam_hostiam.h"

/* The longest password the helper takes (the contract: longer is an `error`). */
#define HOSTIAM_PASSWORD_MAX 512

/* Prompts (echo off), as pam_unix words them. */
#define HOSTIAM_PASSWORD_PROMPT "Password: "
#define HOSTIAM_OLD_PASSWORD_PROMPT "Current password: "
#define HOSTIAM_NEW_PASSWORD_PROMPT "New password: "
#define HOSTIAM_RETYPE_PASSWORD_PROMPT "Retype new password: "

/* What the user is told (PAM_ERROR_MSG) when the directory refuses for these reasons. */
#define HOSTIAM_PW_LOCKED_TEXT "Your account is locked in the directory"
#define HOSTIAM_PW_EXPIRED_TEXT "Your password has expired: ask an administrator to reset it."

/*
 * pam_set_data() key: the password step found that the user must change the password now
 * (must_change, a grace login); account then returns PAM_NEW_AUTHTOK_REQD. Its value names
 * the user it was found for, as HOSTIAM_PAM_MFA_OK does.
 */
#define HOSTIAM_PAM_MUST_CHANGE "hostiam_must_change"

/* One run of the helper: hostiam-auth --config CONFIG VERB USER, input on its stdin. */
struct helper_run {
	const char *helper; /* absolute path (opts->helper) */
	const char *config; /* opts->config */
	const char *verb;   /* "verify" or "change" */
	const char *user;
	const char *input; /* PASSWORD, or OLD NUL NEW NUL; never logged */
	size_t input_len;
	int timeout; /* seconds of wall clock for the whole run (directory.timeout) */
};

enum helper_run_result {
	HELPER_RUN_OK,      /* exited 0 (or was reaped by the host); *out holds its reply */
	HELPER_RUN_TIMEOUT, /* still running at the deadline: killed; the directory is
	                       unreachable */
	HELPER_RUN_FAILED,  /* exited non-zero, died, or replied more than out_size - 1 */
	HELPER_RUN_SYSERR,  /* could not be run (missing or unsafe helper, fork, pipe) */
};

/*
 * helper_run.c: run the helper once; its standard output, NUL-terminated, into out (at
 * most out_size - 1 bytes, *out_len of them). The child is always reaped before this
 * returns. out is wiped unless the result is HELPER_RUN_OK.
 */
int pam_hostiam_helper_run(const struct helper_run *run, char *out, size_t out_size,
			   size_t *out_len);

struct hostiam_auth_reply;

/*
 * helper_run.c: run the helper and parse its reply into *rep. A helper killed at the
 * deadline gives HOSTIAM_AUTH_UNREACHABLE; one that could not be run, failed or replied
 * nonsense gives HOSTIAM_AUTH_ERROR (logged).
 */
void pam_hostiam_helper_ask(const struct helper_run *run, struct hostiam_auth_reply *rep);

/*
 * prompt.c: a password from the conversation (PAM_PROMPT_ECHO_OFF, prompt as
 * given). PAM_SUCCESS and *reply (wipe with pam_hostiam_reply_free), PAM_CONV_ERR, or
 * PAM_AUTHTOK_ERR for a reply longer than HOSTIAM_PASSWORD_MAX.
 */
int pam_hostiam_ask_password(pam_handle_t *pamh, const char *prompt, char **reply);

/*
 * password.c: the `password` step of auth, before the policy: PAM_SUCCESS when the
 * directory (or, unreachable, the offline verifier) accepted the password; PAM_USER_UNKNOWN
 * for a local user (the helper is not run); else the failure to return. *result is the
 * word for the decision line ("ok", "offline", "wrong", ...).
 */
int pam_hostiam_password_auth(pam_handle_t *pamh, int flags, const struct pam_hostiam_options *opts,
			      const char **result);

/* password.c: delete user's offline verifier (the directory refused); errors are logged. */
void pam_hostiam_forget_verifier(const struct hostiam_config *cfg, const char *user);

/* password.c: tell text (PAM_ERROR_MSG), then ": reason" when the directory gave one. */
void pam_hostiam_tell_with_reason(pam_handle_t *pamh, int flags, const char *text,
				  const char *reason);

/*
 * pam_set_data() key: a `password` line of this stack run met the `mfa` decision for the
 * user it names. A pam_hostiam line without `password` after it (the service's own line,
 * for local users) then takes the code as given instead of asking again; the next run of
 * the `password` line removes it first, so a new pam_authenticate asks anew.
 */
#define HOSTIAM_PAM_PASSWORD_MFA "hostiam_password_mfa"

/* password_mark.c: mark the transaction under key for user; a PAM code. */
int pam_hostiam_mark_user(pam_handle_t *pamh, const char *key, const char *user);

/* password_mark.c: remove the mark under key. */
void pam_hostiam_mark_clear(pam_handle_t *pamh, const char *key);

/* password_mark.c: the mark under key was set for user, and PAM_USER is still that user. */
bool pam_hostiam_marked_user(pam_handle_t *pamh, const char *key, const char *user);

/* password_change.c: pam_sm_chauthtok's work; returns a PAM code. */
int pam_hostiam_password_change(pam_handle_t *pamh, int flags,
				const struct pam_hostiam_options *opts);

#endif
