/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_hostiam internals shared by the files of the module. Nothing here is exported from
 * the .so: the version script leaves only the pam_sm_* entry points visible.
 */
#ifndef PAM_HOSTIAM_H
#define PAM_HOSTIAM_H

#include <stdbool.h>
#include <time.h>

#include <security/pam_modules.h>

#include "configuration.h"
#include "policy.h"
#include "request.h"

/*
 * pam_set_data() key, set by the auth stack when the `mfa` decision was met in this PAM
 * transaction: a TOTP or recovery code accepted, a fresh MFA within mfa_max_age, or the
 * enrol_by grace period. Its value names the user it was met for (mfa_mark.c); the account
 * stack lets the `mfa` decision through only while PAM_USER is that user, and an auth that
 * fails removes it. Set only by the module itself (applications cannot set data).
 */
#define HOSTIAM_PAM_MFA_OK "hostiam_mfa_ok"

/* The prompt for the second factor (PAM_PROMPT_ECHO_OFF). */
#define HOSTIAM_PAM_PROMPT "Verification code: "

/* Longer replies are refused before they reach the MFA core (no code is this long). */
#define HOSTIAM_PAM_CODE_MAX 64

/* Requested failure delay after a refused code, in microseconds (pam_fail_delay). */
#define HOSTIAM_PAM_FAIL_DELAY 2000000

/* How the `password` step gets the password (the Linux-PAM conventions). */
enum pam_hostiam_pass_source {
	PAM_HOSTIAM_PASS_ASK, /* default: prompt "Password: " */
	PAM_HOSTIAM_PASS_TRY, /* try_first_pass: PAM_AUTHTOK if set, else prompt */
	PAM_HOSTIAM_PASS_USE, /* use_first_pass: PAM_AUTHTOK only, never prompt */
};

/* Module options from the PAM stack line; strings point into argv or are defaults. */
struct pam_hostiam_options {
	const char *config; /* config=FILE, or the default */
	bool debug;         /* debug: log the trace and LOG_DEBUG lines */
	/* auth: verify the directory password first (the first factor), then MFA. */
	bool password;
	enum pam_hostiam_pass_source pass_source; /* auth: use_first_pass / try_first_pass */
	bool use_authtok;   /* password (chauthtok): take the new password from PAM_AUTHTOK */
	const char *helper; /* helper=PATH: the directory password helper, or the
	                       built-in HOSTIAM_AUTH_HELPER (tests run it from the build tree) */
	/* session: create a missing home from /etc/skel. */
	bool mkhomedir;
	unsigned int home_mode; /* mode=OCTAL, or 0777 & ~umask=OCTAL; default 0700 */
	const char *skel;       /* skel=DIR: what a new home is copied from; /etc/skel */
};

/* What the policy (or the failure to apply it) says about this login. */
enum pam_hostiam_verdict {
	PAM_HOSTIAM_ALLOW, /* let in */
	PAM_HOSTIAM_DENY,  /* the policy denies; message says why */
	PAM_HOSTIAM_MFA,   /* a second factor is required */
	PAM_HOSTIAM_ERROR, /* could not decide; err says why; fails closed */
};

struct pam_hostiam_outcome {
	enum pam_hostiam_verdict verdict;
	int err;           /* HOSTIAM_ERR_* for PAM_HOSTIAM_ERROR */
	int pam_err;       /* a PAM code to return as is (0: none), e.g. from
	                                  pam_get_user */
	bool mfa_fresh;    /* MFA: a TOTP success within mfa_max_age counts */
	time_t enrol_by;   /* MFA by a rule whose enrol_by has not passed: that
	                                  time (the grace period for the unenrolled); else 0 */
	char message[256]; /* for the user when denied; "" for a default */
	/* account: the directory's account state says the password has expired
	   (shadowLastChange + shadowMax): after an allow or a met mfa, account returns
	   PAM_NEW_AUTHTOK_REQD so that the application runs chauthtok, as pam_unix does. */
	bool password_expired;
	/* auth with the `password` option: the password step's word ("ok", "offline"),
	   appended to the MFA decision line as password=WORD; NULL without the option. */
	const char *password_result;
	/* What the decision was made on, for the auth side; owned (pam_hostiam_outcome_free).
	   decided is true when the engine decided (decision and ctx.req are valid). */
	struct hostiam_config *cfg;
	struct hostiam_request_ctx ctx;
	struct hostiam_decision decision;
	bool decided;
};

/* The PAM items a decision is made on; pointers are owned by libpam. */
struct pam_hostiam_items {
	const char *user;
	const char *service;
	const char *rhost; /* NULL: local */
	const char *tty;   /* NULL: none */
	bool caller_root;  /* the real uid is 0, as pam_rootok checks (su/runuser by root) */
	/* What an earlier auth of this transaction verified for user ("password,totp"),
	   from the MFA mark, for the decision's audit event; NULL: nothing (decide.c). */
	const char *factors;
};

/* options.c: fill *opts from argv; unknown options are logged and ignored. */
void pam_hostiam_options_parse(pam_handle_t *pamh, int argc, const char **argv,
			       struct pam_hostiam_options *opts);

/* log_sink.c: route hostiam_log() to pam_syslog(pamh) until pam_hostiam_log_end(). */
void pam_hostiam_log_begin(pam_handle_t *pamh, bool debug);
void pam_hostiam_log_end(void);

struct hostiam_config_errors;

/* log_sink.c: log each configuration error ("configuration error: FILE:LINE: KEY: ..."). */
void pam_hostiam_log_config_errors(const char *path, int rc,
				   const struct hostiam_config_errors *errs);

/*
 * items.c: read PAM_USER, PAM_SERVICE, PAM_RHOST, PAM_TTY; returns a PAM code. With
 * may_prompt, an unset user is asked for (pam_get_user); else it is an error.
 */
int pam_hostiam_get_items(pam_handle_t *pamh, bool may_prompt, struct pam_hostiam_items *it);

/*
 * decide.c: evaluate the policy for this transaction and log the decision line, except an
 * enforced `mfa` decision when defer_mfa_log: then the auth side logs it with its result
 * (pam_hostiam_log_result). Free *out with pam_hostiam_outcome_free in every case.
 */
void pam_hostiam_decide(pam_handle_t *pamh, const struct pam_hostiam_options *opts,
			bool defer_mfa_log, struct pam_hostiam_outcome *out);

/* decide.c: release what *out owns; safe on a zeroed outcome and twice. */
void pam_hostiam_outcome_free(struct pam_hostiam_outcome *out);

/*
 * decide.c: log the decision line of a decided outcome with " " and extra appended (the
 * MFA result: "result=ok", ...), at priority. extra must never hold a code or a secret.
 */
void pam_hostiam_log_result(const struct pam_hostiam_outcome *out, int priority, const char *extra);

/*
 * result.c: turn an outcome into the PAM code to return, telling the user why when denied
 * (unless flags has PAM_SILENT). deny_code is PAM_PERM_DENIED (account) or PAM_AUTH_ERR
 * (auth). An `mfa` outcome passes when met in this transaction, fresh, or in the enrol_by
 * grace period (then the user is warned).
 */
int pam_hostiam_enforce(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out,
			int deny_code);

/* result.c: show text as an error message, unless flags has PAM_SILENT. */
void pam_hostiam_tell_user(pam_handle_t *pamh, int flags, const char *text);

/* result.c: the PAM code for a hostiam error; deny_code for anything not a system error. */
int pam_hostiam_err_to_pam(int err, int deny_code);

/*
 * session.c: create the home when opts->mkhomedir, then record this login in the state
 * directory; returns a PAM code.
 */
int pam_hostiam_record_login(pam_handle_t *pamh, const struct pam_hostiam_options *opts);

/*
 * mkhomedir.c: create user's home from opts->skel if it does not exist, with
 * opts->home_mode; never over an existing path, no link followed. Logs the outcome once;
 * a failure does not fail the session (a login without a home still works).
 */
void pam_hostiam_mkhomedir(const char *user, const struct pam_hostiam_options *opts);

/*
 * auth.c: the auth side of an enforced `mfa` outcome: no prompt when fresh or within the
 * enrol_by grace period, else refuse the unenrolled or ask for a code and verify it.
 * Returns PAM_SUCCESS (and sets HOSTIAM_PAM_MFA_OK), PAM_AUTH_ERR or PAM_CONV_ERR.
 */
int pam_hostiam_mfa_authenticate(pam_handle_t *pamh, int flags,
				 const struct pam_hostiam_outcome *out);

/*
 * prompt.c: ask HOSTIAM_PAM_PROMPT (echo off) through the application's conversation. On
 * PAM_SUCCESS, *reply is the malloc'd reply (free it with pam_hostiam_reply_free, which
 * wipes it) and *code points into it, surrounding whitespace stripped. PAM_CONV_ERR when
 * there is no conversation, it fails or gives no reply (*reply is then NULL).
 */
int pam_hostiam_ask_code(pam_handle_t *pamh, char **reply, const char **code);

/* prompt.c: the application gave a conversation function to call. */
bool pam_hostiam_can_converse(pam_handle_t *pamh);

/*
 * prompt.c: ask prompt with echo on; on PAM_SUCCESS *reply is the malloc'd reply (free with
 * pam_hostiam_reply_free) and *answer points into it, whitespace stripped; else
 * PAM_CONV_ERR and *reply NULL.
 */
int pam_hostiam_ask_visible(pam_handle_t *pamh, const char *prompt, char **reply,
			    const char **answer);

/*
 * terms.c: the terms of use of a decided outcome whose decision says terms_needed (and
 * is enforced). In auth: show the text (PAM_TEXT_INFO, in pieces that fit a message) and
 * ask for "accept"; accepted, the acceptance is recorded in the state store and logged
 * (PAM_SUCCESS); anything else, no conversation, or a terms file that is refused denies
 * (PAM_AUTH_ERR). In account (auth=false) a needed acceptance is missing: deny
 * (PAM_PERM_DENIED). PAM_SUCCESS when nothing is needed.
 */
int pam_hostiam_terms(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out,
		      bool auth);

/* prompt.c: wipe (explicit_bzero) and free a conversation reply; NULL is fine. */
void pam_hostiam_reply_free(char *reply);

/* grace.c: the grace period applies: an open enrol_by, and the user is known unenrolled. */
bool pam_hostiam_in_grace(const struct pam_hostiam_outcome *out);

/* grace.c: the date the configuration gave as enrol_by ("YYYY-MM-DD"), into buf. */
void pam_hostiam_enrol_by_date(const struct pam_hostiam_outcome *out, char *buf, size_t len);

/* grace.c: tell the user (PAM_TEXT_INFO, unless PAM_SILENT) that MFA becomes required. */
void pam_hostiam_grace_notice(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out);

/* mfa_mark.c: mark this transaction's `mfa` decision as met for user (HOSTIAM_PAM_MFA_OK). */
int pam_hostiam_mark_mfa_met(pam_handle_t *pamh, const char *user);

/* mfa_mark.c: the same, remembering what met it ("password,totp") for the audit trail. */
int pam_hostiam_mark_mfa_met_by(pam_handle_t *pamh, const char *user, const char *factors);

/* mfa_mark.c: the factors of the mark while it holds for user (as marked_for); else NULL. */
const char *pam_hostiam_mfa_factors(pam_handle_t *pamh, const char *user);

/* mfa_mark.c: remove the mark (an auth that did not succeed). */
void pam_hostiam_mark_mfa_clear(pam_handle_t *pamh);

/* mfa_mark.c: the mark was set for user, and PAM_USER is still that user. */
bool pam_hostiam_mfa_marked_for(pam_handle_t *pamh, const char *user);

/*
 * audit.c: the audit events (common/audit.h) beside the log lines; never change a login.
 * decision: one "decision" event for d (plus a "grant" event when d lets in, or asks for
 * MFA, through a grant), factors what the transaction verified before (NULL: nothing).
 */
void pam_hostiam_audit_decision(const struct hostiam_config *cfg, const struct hostiam_decision *d,
				const struct hostiam_request *req, const char *factors);

/* audit.c: the "mfa" event of auth.c's result line (extra: "result=WORD ..."). */
void pam_hostiam_audit_mfa(const struct pam_hostiam_outcome *out, const char *extra);

/*
 * audit.c: what an auth verified, into buf: "password" or "offline-password" after the
 * password step, then the second factor extra's result stands for: totp (ok), recovery,
 * grace, fresh-mfa (fresh), earlier-mfa (met); "" for none.
 */
void pam_hostiam_factors(const struct pam_hostiam_outcome *out, const char *extra, char *buf,
			 size_t len);

/*
 * audit.c: a "terms" event; result: accepted, declined, no-conversation, not-shown,
 * conv-error, not-recorded, missing (account: auth did not record an acceptance).
 */
void pam_hostiam_audit_terms(const struct pam_hostiam_outcome *out, const char *result);

/* audit.c: a "password" event with the password step's word (cfg NULL: journal only). */
void pam_hostiam_audit_password(const struct hostiam_config *cfg,
				const struct pam_hostiam_items *it, const char *word);

#endif
