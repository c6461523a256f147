/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One decision for one PAM call: read the configuration, gather the request, ask the
 * policy engine, log the decision line. Everything that can go wrong ends in a verdict
 * that fails closed, except for exempt accounts (and root when the configuration itself
 * cannot be read), so an administrator can always get in to repair the host.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "configuration.h"
#include "errors.h"
#include "log.h"
#include "pam_hostiam.h"
#include "policy.h"
#include "request.h"

#define CONFIG_DENIED "Access denied: the access policy of this host cannot be read."
#define ERROR_DENIED "Access denied: the access policy could not be applied."

/*
 * Log the decision line for d, at NOTICE when the policy denies (enforced or not), and its
 * audit event (cfg NULL: the configuration is unusable, the journal only).
 */
static void log_decision(const struct hostiam_config *cfg, const struct hostiam_decision *d,
			 const struct hostiam_request *req, const char *factors)
{
	char line[1024];

	hostiam_decision_format_log(d, req, line, sizeof(line));
	hostiam_log(d->policy_action == HOSTIAM_ACTION_DENY ? LOG_NOTICE : LOG_INFO, "%s", line);
	pam_hostiam_audit_decision(cfg, d, req, factors);
}

/*
 * Log a decision the engine did not make (the configuration is unusable, the request could
 * not be gathered) in the same line format, so one grep finds every decision.
 */
static void log_local_decision(const struct hostiam_config *cfg, const struct pam_hostiam_items *it,
			       const struct hostiam_decision *d)
{
	struct hostiam_request req;

	memset(&req, 0, sizeof(req));
	req.user = it->user;
	req.service = it->service;
	req.rhost = it->rhost;
	req.tty = it->tty;
	log_decision(cfg, d, &req, it->factors);
}

/*
 * With debug, one LOG_DEBUG line per rule: matched, or the first condition that failed;
 * then the account state and why an `mfa` decision was let through unprompted.
 */
static void log_trace(const struct hostiam_config *cfg, const struct hostiam_decision *d)
{
	char state[192];
	size_t i;

	for (i = 0; i < d->n_trace; i++) {
		const struct hostiam_rule_trace *t = &d->trace[i];
		const char *how = !t->evaluated ? "not evaluated" :
			t->matched              ? "matched" :
						  "no match";

		hostiam_log(LOG_DEBUG, "trace: rule %s (line %d): %s%s%s",
			    t->rule && t->rule->name ? t->rule->name : "?",
			    t->rule ? t->rule->line : 0, how, t->reason[0] ? ": " : "", t->reason);
	}
	hostiam_account_describe(cfg, &d->account, state, sizeof(state));
	hostiam_log(LOG_DEBUG, "trace: account: %s", state);
	if (d->no_prompt)
		hostiam_log(LOG_DEBUG, "trace: %s", d->note);
}

/* The configuration cannot be used: log every error, then fail closed (root passes). */
static void config_unusable(const struct pam_hostiam_items *it, const char *path, int rc,
			    const struct hostiam_config_errors *errs,
			    struct pam_hostiam_outcome *out)
{
	struct hostiam_decision d;

	pam_hostiam_log_config_errors(path, rc, errs);
	hostiam_policy_fail_closed(NULL, it->user, rc, &d);
	log_local_decision(NULL, it, &d);
	if (d.action == HOSTIAM_ACTION_ALLOW) {
		out->verdict = PAM_HOSTIAM_ALLOW;
		return;
	}
	out->verdict = PAM_HOSTIAM_ERROR;
	out->err = HOSTIAM_ERR_CONFIG;
	snprintf(out->message, sizeof(out->message), "%s", CONFIG_DENIED);
}

/* Gathering the request or evaluating failed with err: exempt accounts pass, others not. */
static void decide_failed(const struct hostiam_config *cfg, const struct pam_hostiam_items *it,
			  int err, struct pam_hostiam_outcome *out)
{
	struct hostiam_decision d;
	bool unknown = err == HOSTIAM_ERR_NOT_FOUND || err == HOSTIAM_ERR_INVALID_NAME;

	if (!unknown) {
		char user[160];

		/* PAM_USER is whatever the client typed: escaped as in the decision line. */
		hostiam_log_value(user, sizeof(user), it->user);
		hostiam_log(LOG_ERR, "cannot decide for %s: %s", user, hostiam_strerror(err));
	}
	hostiam_policy_fail_closed(cfg, it->user, err, &d);
	log_local_decision(cfg, it, &d);
	if (d.action == HOSTIAM_ACTION_ALLOW) {
		out->verdict = PAM_HOSTIAM_ALLOW;
		return;
	}
	out->verdict = PAM_HOSTIAM_ERROR;
	if (unknown) {
		out->err = HOSTIAM_ERR_NOT_FOUND;
		return;
	}
	out->err = err;
	snprintf(out->message, sizeof(out->message), "%s", ERROR_DENIED);
}

/* The deciding rule's enrol_by when it asks for MFA and that date has not passed; else 0. */
static time_t open_enrol_by(const struct hostiam_config *cfg, const struct hostiam_decision *d,
			    const struct hostiam_request *req)
{
	time_t enrol_by;

	if (d->policy_action != HOSTIAM_ACTION_MFA || d->by != HOSTIAM_BY_RULE ||
	    d->rule_index < 0 || (size_t)d->rule_index >= cfg->access.n_rules)
		return 0;
	enrol_by = cfg->access.rules[d->rule_index].enrol_by;
	if (enrol_by == 0 || req->now >= enrol_by)
		return 0;
	return enrol_by;
}

/* Turn the engine's decision into a verdict; report mode never keeps anyone out. */
static void take_decision(const struct hostiam_config *cfg, const struct hostiam_decision *d,
			  const struct hostiam_request *req, struct pam_hostiam_outcome *out)
{
	out->mfa_fresh = d->mfa_fresh;
	switch (d->action) {
	case HOSTIAM_ACTION_ALLOW:
		out->verdict = PAM_HOSTIAM_ALLOW;
		break;
	case HOSTIAM_ACTION_MFA:
		out->verdict = PAM_HOSTIAM_MFA;
		out->enrol_by = open_enrol_by(cfg, d, req);
		break;
	case HOSTIAM_ACTION_DENY:
	default:
		out->verdict = PAM_HOSTIAM_DENY;
		if (d->message != NULL)
			snprintf(out->message, sizeof(out->message), "%s", d->message);
		else
			snprintf(out->message, sizeof(out->message),
				 "Access denied by policy (rule %s)",
				 d->rule_name ? d->rule_name : "?");
		break;
	}
	if (d->report_only)
		out->verdict = PAM_HOSTIAM_ALLOW;
	/* An aged password is changed, as pam_unix has it (the directory's state: either mode). */
	out->password_expired = out->verdict != PAM_HOSTIAM_DENY &&
		d->account.status == HOSTIAM_ACCOUNT_PASSWORD_EXPIRED;
}

/*
 * Gather the request, evaluate, log; the configuration is known good. The request and the
 * decision stay in *out for the auth side.
 */
static void decide_with(const struct hostiam_config *cfg, const struct pam_hostiam_items *it,
			bool debug, bool defer_mfa_log, struct pam_hostiam_outcome *out)
{
	int rc;

	rc = hostiam_request_build(cfg, it->user, it->service, it->rhost, it->tty, time(NULL),
				   &out->ctx);
	out->ctx.req.caller_root = it->caller_root;
	if (rc == 0)
		rc = hostiam_policy_evaluate(cfg, &out->ctx.req, &out->decision);
	if (rc < 0) {
		decide_failed(cfg, it, rc, out);
		return;
	}
	out->decided = true;
	if (out->ctx.req.account_unknown)
		hostiam_log(LOG_NOTICE,
			    "account state unknown: auth.cache has none (format 1); run 'hostiam "
			    "sync' user=%s",
			    out->ctx.req.user);
	if (debug)
		log_trace(cfg, &out->decision);
	take_decision(cfg, &out->decision, &out->ctx.req, out);
	if (!(defer_mfa_log && out->verdict == PAM_HOSTIAM_MFA))
		log_decision(cfg, &out->decision, &out->ctx.req, it->factors);
}

/* Decide for the transaction in pamh; *out always says something that fails closed. */
void pam_hostiam_decide(pam_handle_t *pamh, const struct pam_hostiam_options *opts,
			bool defer_mfa_log, struct pam_hostiam_outcome *out)
{
	struct pam_hostiam_items it;
	struct hostiam_config_errors errs;
	int rc;

	memset(out, 0, sizeof(*out));
	out->verdict = PAM_HOSTIAM_ERROR;
	out->err = HOSTIAM_ERR_INTERNAL;
	rc = pam_hostiam_get_items(pamh, true, &it);
	if (rc != PAM_SUCCESS) {
		hostiam_log(LOG_ERR, "cannot read the PAM items: %s", pam_strerror(pamh, rc));
		out->pam_err = rc;
		return;
	}
	it.factors = pam_hostiam_mfa_factors(pamh, it.user);
	memset(&errs, 0, sizeof(errs));
	rc = hostiam_config_load(opts->config, &out->cfg, &errs);
	if (rc < 0) {
		out->cfg = NULL;
		config_unusable(&it, opts->config, rc, &errs, out);
		return;
	}
	decide_with(out->cfg, &it, opts->debug, defer_mfa_log, out);
}

/* Free the decision, the request and the configuration (the decision points into it). */
void pam_hostiam_outcome_free(struct pam_hostiam_outcome *out)
{
	hostiam_decision_free(&out->decision);
	hostiam_request_ctx_free(&out->ctx);
	hostiam_config_free(out->cfg);
	out->cfg = NULL;
	out->decided = false;
}

/* The decision line with the auth side's result appended. */
void pam_hostiam_log_result(const struct pam_hostiam_outcome *out, int priority, const char *extra)
{
	char line[1024];
	size_t n;

	if (!out->decided)
		return;
	hostiam_decision_format_log(&out->decision, &out->ctx.req, line, sizeof(line));
	n = strlen(line);
	snprintf(line + n, sizeof(line) - n, " %s", extra);
	hostiam_log(priority, "%s", line);
	pam_hostiam_audit_mfa(out, extra);
}
