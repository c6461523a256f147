/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The module's audit events (common/audit.h), one beside each decision, MFA, password and
 * terms line it logs, with the same values. Recording is best effort: hostiam_audit_record
 * logs its own failure, and nothing here changes what the login gets.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "pam_hostiam.h"

/* The request's fields of an event: who, through what, from where. */
static void from_request(struct hostiam_audit_event *ev, const struct hostiam_request *req)
{
	ev->user = req->user;
	ev->service = req->service;
	ev->rhost = req->rhost && req->rhost[0] ? req->rhost : NULL;
	ev->tty = req->tty && req->tty[0] ? req->tty : NULL;
}

/* The decision's fields: what the policy said, by which rule, why, through which grant. */
static void from_decision(struct hostiam_audit_event *ev, const struct hostiam_decision *d)
{
	ev->decision = hostiam_action_name(d->policy_action);
	ev->mode = d->report_only ? "report" : NULL;
	ev->rule = d->rule_name;
	ev->reason = d->reason;
	ev->grant = d->grant_id;
}

/* See pam_hostiam.h. */
void pam_hostiam_audit_decision(const struct hostiam_config *cfg, const struct hostiam_decision *d,
				const struct hostiam_request *req, const char *factors)
{
	struct hostiam_audit_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HOSTIAM_AUDIT_DECISION;
	from_request(&ev, req);
	from_decision(&ev, d);
	ev.factors = factors;
	(void)hostiam_audit_record(cfg, &ev);
	/* A login let in, or asked for its code, through a just-in-time grant. */
	if (d->grant_id != 0 && d->policy_action != HOSTIAM_ACTION_DENY) {
		ev.kind = HOSTIAM_AUDIT_GRANT;
		(void)hostiam_audit_record(cfg, &ev);
	}
}

/* The word after "result=" in extra (up to a blank), into buf; "" when there is none. */
static void result_word(const char *extra, char *buf, size_t len)
{
	const char *p = extra ? strstr(extra, "result=") : NULL;
	size_t n;

	buf[0] = '\0';
	if (p == NULL)
		return;
	p += strlen("result=");
	n = strcspn(p, " ");
	snprintf(buf, len, "%.*s", (int)n, p);
}

/* The second factor a result word of auth.c stands for; NULL when it met none. */
static const char *mfa_factor(const char *result)
{
	static const struct {
		const char *result, *factor;
	} map[] = {
		{ "ok", "totp" },         { "recovery", "recovery" }, { "grace", "grace" },
		{ "fresh", "fresh-mfa" }, { "met", "earlier-mfa" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].result, result) == 0)
			return map[i].factor;
	return NULL;
}

/* See pam_hostiam.h. */
void pam_hostiam_factors(const struct pam_hostiam_outcome *out, const char *extra, char *buf,
			 size_t len)
{
	char result[32];
	const char *mfa;

	result_word(extra, result, sizeof(result));
	mfa = mfa_factor(result);
	buf[0] = '\0';
	if (out->password_result != NULL)
		snprintf(buf, len, "%s",
			 strcmp(out->password_result, "offline") == 0 ? "offline-password" :
									"password");
	if (mfa != NULL) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, "%s%s", n ? "," : "", mfa);
	}
}

/* See pam_hostiam.h. */
void pam_hostiam_audit_mfa(const struct pam_hostiam_outcome *out, const char *extra)
{
	struct hostiam_audit_event ev;
	char result[32], factors[64];

	if (!out->decided)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HOSTIAM_AUDIT_MFA;
	from_request(&ev, &out->ctx.req);
	from_decision(&ev, &out->decision);
	result_word(extra, result, sizeof(result));
	pam_hostiam_factors(out, extra, factors, sizeof(factors));
	ev.result = result;
	ev.factors = factors;
	(void)hostiam_audit_record(out->cfg, &ev);
}

/* See pam_hostiam.h. */
void pam_hostiam_audit_terms(const struct pam_hostiam_outcome *out, const char *result)
{
	struct hostiam_audit_event ev;
	const struct hostiam_terms *t = out->decision.terms;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HOSTIAM_AUDIT_TERMS;
	from_request(&ev, &out->ctx.req);
	from_decision(&ev, &out->decision);
	/* What the terms step did to the login: only an acceptance lets it go on. */
	ev.decision = strcmp(result, "accepted") == 0 ? ev.decision : "deny";
	ev.result = result;
	ev.terms = t ? t->name : NULL;
	ev.version = t ? t->version : NULL;
	(void)hostiam_audit_record(out->cfg, &ev);
}

/* See pam_hostiam.h. */
void pam_hostiam_audit_password(const struct hostiam_config *cfg,
				const struct pam_hostiam_items *it, const char *word)
{
	struct hostiam_audit_event ev;

	/* A local user's password is pam_unix's, not a step of ours. */
	if (strcmp(word, "local") == 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = HOSTIAM_AUDIT_PASSWORD;
	ev.user = it->user;
	ev.service = it->service;
	ev.rhost = it->rhost && it->rhost[0] ? it->rhost : NULL;
	ev.tty = it->tty && it->tty[0] ? it->tty : NULL;
	ev.result = word;
	if (strcmp(word, "ok") == 0)
		ev.factors = "password";
	else if (strcmp(word, "offline") == 0)
		ev.factors = "offline-password";
	(void)hostiam_audit_record(cfg, &ev);
}
