/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Terms of use at login. The auth stack shows them after the second factor (sshd's
 * account stack runs without a conversation that can be relied on) and records the
 * acceptance in the state store; the account stack, deciding again from that store,
 * denies a login whose acceptance is still missing (an auth stack that did not run us, a
 * declined text), so nothing lets in without it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <security/pam_ext.h>

#include "errors.h"
#include "log.h"
#include "pam_hostiam.h"
#include "terms.h"

#define TERMS_DENIED "Access denied: the terms of use were not accepted."
#define TERMS_BROKEN "Access denied: the terms of use cannot be shown."
#define TERMS_WORD "accept"

/* One piece of a message: applications (sshd) cut or refuse anything longer. */
#define PIECE_MAX (PAM_MAX_MSG_SIZE - 1)

/*
 * The log line's common tail: who, which terms, through what; values escaped. The audit
 * event beside it carries result (audit.c).
 */
static void log_terms(int priority, const char *what, const char *result,
		      const struct pam_hostiam_outcome *out)
{
	char user[160], service[96], rhost[300];
	const struct hostiam_terms *t = out->decision.terms;

	hostiam_log_value(user, sizeof(user), out->ctx.req.user);
	hostiam_log_value(service, sizeof(service), out->ctx.req.service);
	hostiam_log_value(rhost, sizeof(rhost), out->ctx.req.rhost ? out->ctx.req.rhost : "-");
	hostiam_log(priority, "%s user=%s terms=%s version=%s service=%s rhost=%s", what, user,
		    t->name, t->version, service, rhost);
	pam_hostiam_audit_terms(out, result);
}

/* The deciding rule's message, else ours. */
static const char *deny_text(const struct pam_hostiam_outcome *out)
{
	const struct hostiam_config *cfg = out->cfg;
	int i = out->decision.rule_index;

	if (cfg && i >= 0 && (size_t)i < cfg->access.n_rules && cfg->access.rules[i].message)
		return cfg->access.rules[i].message;
	return TERMS_DENIED;
}

/* Length of the next piece of text: up to PIECE_MAX bytes, at a line's end when one fits. */
static size_t piece_len(const char *p)
{
	size_t n = strnlen(p, PIECE_MAX + 1);
	const char *nl;

	if (n <= PIECE_MAX)
		return n;
	for (nl = p + PIECE_MAX; nl > p; nl--)
		if (*nl == '\n')
			return (size_t)(nl - p) + 1;
	return PIECE_MAX;
}

/* Show text as PAM_TEXT_INFO messages; a failed conversation stops it. */
static int show_text(pam_handle_t *pamh, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = piece_len(p), shown = n;
		int rc;

		/* The application ends each message with a newline of its own. */
		if (shown > 0 && p[shown - 1] == '\n')
			shown--;
		rc = pam_prompt(pamh, PAM_TEXT_INFO, NULL, "%.*s", (int)shown, p);
		if (rc != PAM_SUCCESS)
			return rc;
		p += n;
	}
	return PAM_SUCCESS;
}

/* Ask for the word; true only for exactly TERMS_WORD. */
static int ask_accept(pam_handle_t *pamh, const struct hostiam_terms *t, bool *accepted)
{
	char prompt[128], *reply = NULL;
	const char *answer = NULL;
	int rc;

	snprintf(prompt, sizeof(prompt),
		 "Type \"%s\" to accept the terms %s (version %s): ", TERMS_WORD, t->name,
		 t->version);
	rc = pam_hostiam_ask_visible(pamh, prompt, &reply, &answer);
	*accepted = rc == PAM_SUCCESS && strcmp(answer, TERMS_WORD) == 0;
	pam_hostiam_reply_free(reply);
	return rc;
}

/* Read and show the terms, ask; PAM_SUCCESS with *accepted, or a reason to deny logged. */
static int present(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out,
		   bool *accepted)
{
	const struct hostiam_terms *t = out->decision.terms;
	char why[160], file[300], *text = NULL;
	int rc;

	*accepted = false;
	rc = hostiam_terms_read(t, &text, why, sizeof(why));
	if (rc < 0) {
		hostiam_log_value(file, sizeof(file), t->file);
		hostiam_log(LOG_ERR, "terms file refused: %s terms=%s file=%s", why, t->name, file);
		log_terms(LOG_NOTICE, "terms not shown, denied:", "not-shown", out);
		pam_hostiam_tell_user(pamh, flags, TERMS_BROKEN);
		return PAM_AUTH_ERR;
	}
	rc = show_text(pamh, text);
	free(text);
	if (rc == PAM_SUCCESS)
		rc = ask_accept(pamh, t, accepted);
	if (rc != PAM_SUCCESS) {
		log_terms(LOG_NOTICE,
			  "terms not accepted, the conversation failed, denied:", "conv-error",
			  out);
		return PAM_AUTH_ERR;
	}
	return PAM_SUCCESS;
}

/* Record the acceptance; a store that cannot keep it denies (account would anyway). */
static int record(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out)
{
	const struct hostiam_request *req = &out->ctx.req;
	int rc = hostiam_terms_record(out->cfg->cache.state_dir, req->user, out->decision.terms,
				      time(NULL), req->service, req->rhost);

	if (rc < 0) {
		hostiam_log(LOG_ERR, "cannot record the acceptance of terms: %s",
			    hostiam_strerror(rc));
		log_terms(LOG_ERR, "terms accepted but not recorded, denied:", "not-recorded", out);
		pam_hostiam_tell_user(pamh, flags, TERMS_BROKEN);
		return PAM_AUTH_ERR;
	}
	log_terms(LOG_NOTICE, "terms accepted:", "accepted", out);
	return PAM_SUCCESS;
}

/* The auth side: no conversation denies; else show, ask, record. */
static int terms_auth(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out)
{
	bool accepted;
	int rc;

	if (!pam_hostiam_can_converse(pamh)) {
		log_terms(LOG_NOTICE,
			  "terms not accepted and no conversation to show them, denied:",
			  "no-conversation", out);
		return PAM_AUTH_ERR;
	}
	if ((rc = present(pamh, flags, out, &accepted)) != PAM_SUCCESS)
		return rc;
	if (!accepted) {
		log_terms(LOG_NOTICE, "terms declined, denied:", "declined", out);
		pam_hostiam_tell_user(pamh, flags, deny_text(out));
		return PAM_AUTH_ERR;
	}
	return record(pamh, flags, out);
}

/* See pam_hostiam.h. */
int pam_hostiam_terms(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out,
		      bool auth)
{
	if (!out->decided || out->cfg == NULL || !out->decision.terms_needed ||
	    out->decision.terms == NULL || out->decision.report_only)
		return PAM_SUCCESS;
	if (auth)
		return terms_auth(pamh, flags, out);
	log_terms(LOG_NOTICE,
		  "terms not accepted (the auth stack did not record them), denied:", "missing",
		  out);
	pam_hostiam_tell_user(pamh, flags, deny_text(out));
	return PAM_PERM_DENIED;
}
